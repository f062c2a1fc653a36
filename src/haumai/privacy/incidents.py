"""Personal-data breach incidents: open one with the moment it was discovered (the legal clock to notify
the authority starts there), record the people affected, containment, the notice to the authority and to
the affected customers, and close it. Every step is an event with codes and counts only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.privacy import conf
from haumai.privacy.models import Incident, IncidentStatus

CODE_PREFIX = "INC"
PERMISSION_ADD = "privacy.add_incident"
PERMISSION_CHANGE = "privacy.change_incident"


def _require(actor: Any, permission: str) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm(permission)):
        raise Forbidden()


def _fields(incident: Incident, actor: Any, **extra: Any) -> dict[str, Any]:
    return {
        "subject": incident,
        "actor": actor,
        "payload": {"code": incident.code, "status": incident.status, **extra},
    }


def open_incident(
    *,
    actor: Any,
    title: str,
    discovered_at: dt.datetime,
    occurred_at: dt.datetime | None = None,
    description: str = "",
    data_categories: str = "",
    affected_estimate: int = 0,
) -> Incident:
    """Record a (suspected) breach; the authority must be told within the configured hours of discovery."""
    _require(actor, PERMISSION_ADD)
    now = clock.now()
    errors = []
    if not title.strip():
        errors.append(FieldError("title", _("Say in a few words what happened.")))
    if discovered_at > now + dt.timedelta(minutes=5):
        errors.append(FieldError("discovered_at", _("The discovery cannot be in the future.")))
    if occurred_at is not None and occurred_at > discovered_at:
        errors.append(FieldError("occurred_at", _("It cannot have happened after it was discovered.")))
    if affected_estimate < 0 or affected_estimate > 1_000_000_000:
        errors.append(FieldError("affected_estimate", _("A number of people, 0 or more.")))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    with transaction.atomic():
        incident = Incident.objects.create(
            code=next_code(CODE_PREFIX),
            title=title.strip()[:200],
            description=description.strip()[:10000],
            data_categories=data_categories.strip()[:300],
            discovered_at=discovered_at,
            occurred_at=occurred_at,
            notify_by=discovered_at + dt.timedelta(hours=conf.breach_notice_hours()),
            affected_estimate=affected_estimate,
            owner=actor,
            created_by=actor,
            created_at=now,
        )
        record_event(name="privacy.incident_opened", **_fields(incident, actor))
    return incident


def _lock(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == IncidentStatus.CLOSED:
        raise Conflict(_("This incident is closed."), code="incident_closed")
    return locked


def add_affected(*, actor: Any, incident: Incident, customer_codes: Sequence[str]) -> int:
    """Link the affected customers by code (the notice to customers goes to them); returns how many were added."""
    _require(actor, PERMISSION_CHANGE)
    codes = sorted({code.strip().upper() for code in customer_codes if code.strip()})
    if not codes or len(codes) > 5000:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("customers", _("Give 1 to 5000 customer codes."))]
        )
    found = dict(Customer.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        message = _("Unknown customer codes: %(codes)s") % {"codes": ", ".join(unknown[:10])}
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("customers", message)])
    with transaction.atomic():
        locked = _lock(incident)
        before = locked.affected_customers.count()
        locked.affected_customers.add(*found.values())
        added = locked.affected_customers.count() - before
        record_event(name="privacy.incident_updated", **_fields(locked, actor, affected_added=added))
    return added


def record_measures(*, actor: Any, incident: Incident, measures: str, contained: bool) -> Incident:
    """Write down what was done; `contained` marks the breach as stopped."""
    _require(actor, PERMISSION_CHANGE)
    if not measures.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("measures", _("Say what was done."))])
    with transaction.atomic():
        locked = _lock(incident)
        locked.measures = measures.strip()[:10000]
        if contained and locked.status == IncidentStatus.OPEN:
            locked.status = IncidentStatus.CONTAINED
        locked.save(update_fields=["measures", "status"])
        record_event(name="privacy.incident_updated", **_fields(locked, actor, contained=contained))
    return locked


def record_authority_notice(*, actor: Any, incident: Incident, reference: str = "") -> Incident:
    """The notice was sent to the authority (A05, Ministry of Public Security); late notices say so."""
    _require(actor, PERMISSION_CHANGE)
    with transaction.atomic():
        locked = _lock(incident)
        if locked.authority_notified_at is not None:
            raise Conflict(_("The authority was already notified."), code="already_notified")
        now = clock.now()
        locked.authority_notified_at = now
        locked.authority_reference = reference.strip()[:100]
        locked.status = IncidentStatus.NOTIFIED
        locked.save(update_fields=["authority_notified_at", "authority_reference", "status"])
        record_event(
            name="privacy.incident_authority_notified", **_fields(locked, actor, late=now > locked.notify_by)
        )
    return locked


def record_customer_notice(*, actor: Any, incident: Incident) -> Incident:
    """The affected customers were told (the printed or sent notice)."""
    _require(actor, PERMISSION_CHANGE)
    with transaction.atomic():
        locked = _lock(incident)
        locked.customers_notified_at = clock.now()
        locked.save(update_fields=["customers_notified_at"])
        record_event(
            name="privacy.incident_customers_notified",
            **_fields(locked, actor, customers=locked.affected_customers.count()),
        )
    return locked


def close_incident(*, actor: Any, incident: Incident) -> Incident:
    """Close once the authority was notified and the measures are written down."""
    _require(actor, PERMISSION_CHANGE)
    with transaction.atomic():
        locked = _lock(incident)
        if locked.authority_notified_at is None or not locked.measures:
            raise Conflict(_("Notify the authority and record the measures first."), code="not_ready")
        locked.status = IncidentStatus.CLOSED
        locked.closed_at = clock.now()
        locked.save(update_fields=["status", "closed_at"])
        record_event(name="privacy.incident_closed", **_fields(locked, actor))
    return locked


def incident_list(*, status: str = "") -> QuerySet[Incident]:
    """Incidents, open ones by their notification deadline first."""
    rows = Incident.objects.select_related("owner")
    if status:
        return rows.filter(status=status).order_by("-discovered_at", "-id")
    return rows.order_by("closed_at", "notify_by", "-id")
