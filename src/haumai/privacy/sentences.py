"""Timeline sentences of personal-data requests and retention (privacy.*)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import said


def _code(event: Any) -> str:
    payload = event.payload if isinstance(event.payload, dict) else {}
    return str(payload.get("code") or event.subject_id or "")


def _request(text: str, icon: str, tone: str = "neutral") -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        code = _code(event)
        url = reverse("privacy:detail", args=[code]) if code.startswith("DSR-") else ""
        return said(_(text) % {"code": code}, icon=icon, tone=tone, url=url, link_text=code)

    return describe


# Marked for extraction; translated when the sentence is said.
gettext_noop("Personal-data request %(code)s received")
gettext_noop("Identity verified for request %(code)s")
gettext_noop("Request %(code)s assigned")
gettext_noop("Request %(code)s given more time")
gettext_noop("Request %(code)s completed")
gettext_noop("Request %(code)s refused")
gettext_noop("Copy of personal data prepared for request %(code)s")
gettext_noop("Copy of personal data downloaded (%(code)s)")
gettext_noop("Personal data anonymized (%(code)s)")
gettext_noop("Work started on request %(code)s")
gettext_noop("Copy of personal data ready for request %(code)s")

for name, text, icon, tone in (
    ("privacy.request_received", "Personal-data request %(code)s received", "shield-check", "info"),
    ("privacy.request_verified", "Identity verified for request %(code)s", "shield-check", "neutral"),
    ("privacy.request_assigned", "Request %(code)s assigned", "user", "neutral"),
    ("privacy.request_extended", "Request %(code)s given more time", "circle-alert", "warning"),
    ("privacy.request_completed", "Request %(code)s completed", "check", "success"),
    ("privacy.request_rejected", "Request %(code)s refused", "x", "danger"),
    ("privacy.request_processing", "Work started on request %(code)s", "list-checks", "neutral"),
    ("privacy.export_built", "Copy of personal data ready for request %(code)s", "package-check", "success"),
    ("privacy.export_queued", "Copy of personal data prepared for request %(code)s", "package", "neutral"),
    ("privacy.export_downloaded", "Copy of personal data downloaded (%(code)s)", "arrow-down", "neutral"),
    ("privacy.customer_anonymized", "Personal data anonymized (%(code)s)", "trash-2", "warning"),
):
    register_sentence(name, _request(text, icon, tone))


def retention_applied(event: Any) -> TimelineEntry:
    return said(_("Retention rules applied: old personal data removed"), icon="trash-2", tone="neutral")


register_sentence("privacy.retention_applied", retention_applied)


def _incident(text: str, icon: str, tone: str) -> Callable[[Any], TimelineEntry]:
    def describe(event: Any) -> TimelineEntry:
        code = _code(event)
        url = reverse("privacy:incident", args=[code]) if code.startswith("INC-") else ""
        return said(_(text) % {"code": code}, icon=icon, tone=tone, url=url, link_text=code)

    return describe


gettext_noop("Personal-data breach %(code)s recorded")
gettext_noop("Breach %(code)s updated")
gettext_noop("Authority notified of breach %(code)s")
gettext_noop("Affected customers notified of breach %(code)s")
gettext_noop("Breach %(code)s closed")

for name, text, icon, tone in (
    ("privacy.incident_opened", "Personal-data breach %(code)s recorded", "shield-alert", "danger"),
    ("privacy.incident_updated", "Breach %(code)s updated", "shield-alert", "neutral"),
    ("privacy.incident_authority_notified", "Authority notified of breach %(code)s", "send", "warning"),
    ("privacy.incident_customers_notified", "Affected customers notified of breach %(code)s", "mail", "warning"),
    ("privacy.incident_closed", "Breach %(code)s closed", "circle-check", "success"),
):
    register_sentence(name, _incident(text, icon, tone))


def _purposes(event: Any) -> str:
    from haumai.privacy.models import RestrictionPurpose

    payload = event.payload if isinstance(event.payload, dict) else {}
    labels = dict(RestrictionPurpose.choices)
    return "; ".join(str(labels.get(p, p)) for p in payload.get("purposes") or [])


def processing_restricted(event: Any) -> TimelineEntry:
    return said(_("Processing restricted: %(purposes)s") % {"purposes": _purposes(event)}, icon="shield-off",
                tone="warning")  # fmt: skip


def restriction_lifted(event: Any) -> TimelineEntry:
    return said(_("Restriction of processing lifted: %(purposes)s") % {"purposes": _purposes(event)},
                icon="shield-check", tone="neutral")  # fmt: skip


register_sentence("privacy.processing_restricted", processing_restricted)
register_sentence("privacy.restriction_lifted", restriction_lifted)
