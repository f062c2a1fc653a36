"""Phone call logs from the call-centre system (API) or typed by an agent; a known number opens that customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, Forbidden, ValidationFailed
from haumai.core.phone import try_normalize_phone
from haumai.events.services import record_event
from haumai.support.channels.inbound import InboundMessage
from haumai.support.models import CallDirection, CallLog, CallOutcome, Ticket
from haumai.support.services.identity import find_customer, resolve_sender

MAX_DURATION = 24 * 3600


def log_call(
    *,
    actor: Any,
    phone: str,
    direction: str,
    outcome: str,
    started_at: dt.datetime | None = None,
    duration_seconds: int = 0,
    recording_url: str = "",
    note: str = "",
    external_id: str = "",
    ticket: Ticket | None = None,
) -> tuple[CallLog, bool]:
    """Store one call (idempotent on the call-centre's id); returns (call, created)."""
    if not (actor is not None and actor.is_authenticated and actor.has_perm("support.add_calllog")):
        raise Forbidden()
    errors = []
    e164 = try_normalize_phone(phone or "")
    if not e164:
        errors.append(FieldError("phone", _("Enter a valid phone number"), "invalid_phone"))
    if direction not in CallDirection.values:
        errors.append(FieldError("direction", _("Choose incoming or outgoing"), "invalid_choice"))
    if outcome not in CallOutcome.values:
        errors.append(FieldError("outcome", _("Choose a valid outcome"), "invalid_choice"))
    if not 0 <= int(duration_seconds) <= MAX_DURATION:
        errors.append(FieldError("duration_seconds", _("Duration must be between 0 and 24 hours"), "invalid"))
    if recording_url and not recording_url.startswith(("https://", "http://")):
        errors.append(FieldError("recording_url", _("Enter an http(s) address"), "invalid_url"))
    moment = started_at or clock.now()
    if moment > clock.now() + dt.timedelta(minutes=5):
        errors.append(FieldError("started_at", _("A call cannot start in the future"), "future"))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    assert e164 is not None
    external = external_id.strip()[:120] or None
    if external:
        existing = CallLog.objects.filter(external_id=external).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            customer = find_customer("phone", e164)
            if customer is None:
                customer, _created = resolve_sender(
                    InboundMessage(channel="phone", external_id=external or f"call:{e164}:{moment.isoformat()}",
                                   sender_kind="phone", sender_value=e164, sent_at=moment)
                )  # fmt: skip
            call = CallLog.objects.create(
                external_id=external, customer=customer, ticket=ticket, direction=direction, phone=e164,
                started_at=moment, duration_seconds=int(duration_seconds), outcome=outcome,
                recording_url=recording_url[:500], note=note.strip()[:5000], agent=actor, created_at=clock.now(),
            )  # fmt: skip
            record_event(
                name="call.logged",
                customer=customer,
                subject=call,
                actor=actor,
                payload={"direction": direction, "outcome": outcome, "duration": int(duration_seconds),
                         "ticket": ticket.code if ticket else ""},
            )  # fmt: skip
    except IntegrityError:
        existing = CallLog.objects.filter(external_id=external).first()
        if existing is None:
            raise
        return existing, False
    return call, True
