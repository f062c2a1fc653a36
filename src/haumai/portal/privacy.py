"""Personal data held by the portal: login challenges (phone or e-mail typed, IP address) and public
lookup attempts (IP address) (haumai.privacy). Both exist only for rate limits and expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haumai.portal.models import LoginCode, LookupAttempt
from haumai.privacy.registry import (
    SUBJECT_VISITOR,
    ExportPart,
    Person,
    PersonalDataSource,
    PersonalModel,
    RetentionRule,
    register,
    rows,
)

BATCH = 5000


def _codes(person: Person) -> Any:
    match = Q(customer=person.customer)
    if person.identifiers:
        match |= Q(destination__in=sorted(person.identifiers))
    return LoginCode.objects.filter(match)


def export(person: Person) -> ExportPart:
    """The person's portal logins (never the codes themselves: only their hashes are stored)."""
    return ExportPart(
        tables={
            "portal.logincode": rows(
                _codes(person).order_by("created_at", "id"),
                ("destination", "channel", "ip_address", "created_at", "used_at", "failed_attempts"),
            )
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Delete the person's login challenges."""
    return {"portal.logincode": _codes(person).delete()[0]}


def _purge(queryset: Any) -> int:
    ids = list(queryset.values_list("id", flat=True)[:BATCH])
    return int(queryset.model.objects.filter(pk__in=ids).delete()[0])


def purge_login_codes(cutoff: dt.datetime) -> int:
    """Login challenges created before the cutoff."""
    return _purge(LoginCode.objects.filter(created_at__lt=cutoff))


def purge_lookup_attempts(cutoff: dt.datetime) -> int:
    """Lookup attempts made before the cutoff."""
    return _purge(LookupAttempt.objects.filter(attempted_at__lt=cutoff))


register(
    PersonalDataSource(
        app="portal",
        models=(
            PersonalModel(
                "portal.LoginCode", ("destination", "ip_address"), handling="exported; deleted; expire (retention)"
            ),
            PersonalModel(
                "portal.LookupAttempt",
                ("ip_address",),
                subject=SUBJECT_VISITOR,
                handling="not linked to a customer; expire (retention)",
            ),
        ),
        export=export,
        anonymize=anonymize,
        retention=(
            RetentionRule(
                key="portal.login_codes",
                label=_("Portal login codes"),
                setting="HAUMAI_RETENTION_LOGIN_CODES_DAYS",
                default_days=30,
                purge=purge_login_codes,
            ),
            RetentionRule(
                key="portal.lookup_attempts",
                label=_("Public lookup attempts"),
                setting="HAUMAI_RETENTION_LOOKUP_ATTEMPTS_DAYS",
                default_days=7,
                purge=purge_lookup_attempts,
            ),
        ),
    )
)
