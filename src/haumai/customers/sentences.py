"""Timeline sentences of customer records (customer.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.customers.models import ConsentChannel, ConsentPurpose
from haumai.events.sentences import customer_url, label, said

# The words for the profile fields customer.updated lists (its payload holds field names, never values).
FIELD_LABELS = {
    "full_name": gettext_lazy("full name"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
    "birth_date": gettext_lazy("birth date"),
    "gender": gettext_lazy("gender"),
    "preferred_language": gettext_lazy("language"),
    "preferred_channel": gettext_lazy("preferred channel"),
    "external_id": gettext_lazy("external id"),
}


def customer_created(event: Any) -> TimelineEntry:
    return said(_("Customer profile created"), icon="user-plus", tone="info", url=customer_url(event))


def customer_updated(event: Any) -> TimelineEntry:
    fields = event.payload.get("fields") if isinstance(event.payload, dict) else None
    names = [str(FIELD_LABELS.get(name, name)) for name in fields or [] if isinstance(name, str)]
    text = _("Profile updated: %(fields)s") % {"fields": ", ".join(names)} if names else _("Profile updated")
    return said(text, icon="user-pen", url=customer_url(event, "profile"))


def consent_changed(event: Any) -> TimelineEntry:
    changes = event.payload.get("changes") if isinstance(event.payload, dict) else None
    parts = []
    for change in changes or []:
        if not isinstance(change, dict):
            continue
        what = _("%(purpose)s by %(channel)s") % {
            "purpose": label(ConsentPurpose, change.get("purpose")),
            "channel": label(ConsentChannel, change.get("channel")),
        }
        agreed = change.get("granted")
        parts.append((_("agreed to %(what)s") if agreed else _("refused %(what)s")) % {"what": what})
    text = _("Customer %(changes)s") % {"changes": "; ".join(parts)} if parts else _("Consent changed")
    refused = any(isinstance(c, dict) and not c.get("granted") for c in changes or [])
    return said(text, icon="shield-check", tone="warning" if refused else "info", url=customer_url(event, "consent"))


def address_added(event: Any) -> TimelineEntry:
    return said(_("New address added"), icon="map-pin", url=customer_url(event, "addresses"))


register_sentence("customer.created", customer_created)
register_sentence("customer.updated", customer_updated)
register_sentence("customer.consent_changed", consent_changed)
register_sentence("customer.address_added", address_added)


def customer_anonymized(event: Any) -> TimelineEntry:
    return said(_("Personal data anonymized at the customer's request"), icon="trash-2", tone="warning")


register_sentence("customer.anonymized", customer_anonymized)


def consent_text_published(event: Any) -> TimelineEntry:
    payload = event.payload if isinstance(event.payload, dict) else {}
    text = _("New consent wording (version %(version)s) published for %(purpose)s") % {
        "version": payload.get("version", "?"),
        "purpose": label(ConsentPurpose, payload.get("purpose")),
    }
    return said(text, icon="file-text", tone="info")


register_sentence("customer.consent_text_published", consent_text_published)
def customer_merged(event: Any) -> TimelineEntry:
    payload = event.payload if isinstance(event.payload, dict) else {}
    return said(
        _("Customer record %(code)s merged into this one") % {"code": payload.get("merged_code", "")},
        icon="merge",
        tone="info",
    )


def identity_added(event: Any) -> TimelineEntry:
    return said(_("New contact channel linked"), icon="fingerprint")


register_sentence("customer.merged", customer_merged)
register_sentence("customer.identity_added", identity_added)
