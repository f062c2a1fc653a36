"""Shared pieces of the repair services: errors, the state machine, locking, event payloads, photos."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from haumai.events.services import record_event
from haumai.repairs.models import RepairOrder, RepairPhoto, RepairStateChange, RepairStatus

REPAIR_PREFIX = "RO"
MAX_PHOTOS = 8
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"RIFF": "image/webp"}
WORK_PERMISSION = "repairs.work_repairorder"

S = RepairStatus
# Every allowed move of the state machine (waiting_parts returns to where it paused: see resume_work).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.DIAGNOSING, S.CLOSED),
    S.DIAGNOSING: (S.QUOTED, S.APPROVED, S.WAITING_PARTS, S.CLOSED),
    S.QUOTED: (S.APPROVED, S.DECLINED, S.CLOSED),
    S.APPROVED: (S.REPAIRING, S.WAITING_PARTS),
    S.DECLINED: (S.QUOTED, S.READY, S.CLOSED),
    S.WAITING_PARTS: (S.DIAGNOSING, S.APPROVED, S.REPAIRING),
    S.REPAIRING: (S.QC, S.WAITING_PARTS),
    S.QC: (S.READY, S.REPAIRING),
    S.READY: (S.RETURNED,),
    S.RETURNED: (S.CLOSED,),
    S.CLOSED: (),
}


class UploadedPhoto(Protocol):
    name: str
    size: int | None

    def read(self, size: int = ...) -> bytes: ...


def refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """One field error as an exception."""
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def raise_if(errors: Sequence[FieldError]) -> None:
    """Raise ValidationFailed when there are errors."""
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), list(errors))


def lock(order: RepairOrder) -> RepairOrder:
    """The order locked for update, with what the services read."""
    return (
        RepairOrder.objects.select_for_update(of=("self",))
        .select_related("unit__product", "customer", "service_center", "technician", "claim")
        .get(pk=order.pk)
    )


def status_label(value: str) -> str:
    """The human label of a state."""
    return str(RepairStatus(value).label) if value in RepairStatus.values else value


def wrong_state(order: RepairOrder, action: str) -> Conflict:
    """The refusal for an action the current state does not allow."""
    return Conflict(
        _("Repair %(code)s is %(status)s: cannot %(action)s")
        % {"code": order.code, "status": status_label(order.status), "action": action},
        code="invalid_transition",
    )


def require_state(order: RepairOrder, action: str, *states: str) -> None:
    """Refuse unless the order is in one of `states`."""
    if order.status not in states:
        raise wrong_state(order, action)


def require_technician(actor: Any, order: RepairOrder) -> None:
    """Only a technician may work an order, and only the one it is assigned to (a manager may reassign)."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(WORK_PERMISSION):
        raise Forbidden(_("Only a technician can work on a repair"))
    if order.technician is not None and order.technician_id != actor.pk:
        raise Forbidden(
            _("Repair %(code)s is assigned to %(name)s; ask a manager to reassign it")
            % {"code": order.code, "name": order.technician.get_full_name() or order.technician.get_username()}
        )


def payload_for(order: RepairOrder, **extra: Any) -> dict[str, Any]:
    """The payload every repair.* event carries (no personal data beyond the serial)."""
    return {
        "code": order.code,
        "serial": order.unit.serial,
        "product": order.unit.product.name,
        "status": order.status,
        "center": order.service_center.name,
        "under_warranty": order.under_warranty,
        **extra,
    }


def transition(
    order: RepairOrder,
    *,
    to: str,
    actor: Any,
    event: str,
    note: str = "",
    actor_label: str = "",
    payload: dict[str, Any] | None = None,
    fields: Sequence[str] = (),
) -> RepairOrder:
    """Move a locked order to `to` if the state machine allows it; write the history row and the event."""
    if to not in TRANSITIONS.get(order.status, ()):
        raise Conflict(
            _("Repair %(code)s cannot go from %(from)s to %(to)s")
            % {"code": order.code, "from": status_label(order.status), "to": status_label(to)},
            code="invalid_transition",
        )
    previous = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at", *fields])
    user = actor if getattr(actor, "is_authenticated", False) else None
    RepairStateChange.objects.create(
        order=order,
        from_status=previous,
        to_status=to,
        at=clock.now(),
        actor=user,
        actor_label=(actor_label or (user.get_username() if user else "system"))[:80],
        note=note[:500],
    )
    record_event(
        name=event,
        customer=order.customer,
        subject=order,
        actor=actor,
        actor_label=actor_label,
        payload=payload_for(order, previous=previous, **(payload or {})),
    )
    return order


def check_photos(photos: Sequence[UploadedPhoto], field: str = "photos") -> list[tuple[bytes, str]]:
    """Read and validate uploads (JPEG/PNG/WebP by content, at most 5 MB each, at most 8)."""
    if len(photos) > MAX_PHOTOS:
        raise refuse(field, _("At most %(count)s photos") % {"count": MAX_PHOTOS}, "too_many")
    checked: list[tuple[bytes, str]] = []
    for index, photo in enumerate(photos):
        data = photo.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            raise refuse(f"{field}.{index}", _("%(name)s is larger than 5 MB") % {"name": photo.name}, "too_large")
        kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), None)
        if kind == "image/webp" and data[8:12] != b"WEBP":
            kind = None
        if kind is None or len(data) < 16:
            raise refuse(
                f"{field}.{index}",
                _("%(name)s is not a JPEG, PNG or WebP picture") % {"name": photo.name},
                "invalid_type",
            )
        checked.append((data, kind))
    return checked


def save_photos(order: RepairOrder, photos: list[tuple[bytes, str]]) -> None:
    """Store checked photos under MEDIA_ROOT/repairs/ with random names (like returns' photos)."""
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
    for data, kind in photos:
        photo = RepairPhoto(order=order, content_type=kind, size=len(data), uploaded_at=clock.now())
        photo.file.save(f"{order.code}-{secrets.token_hex(6)}.{extension[kind]}", ContentFile(data), save=False)
        photo.save()


def local_day(moment: dt.datetime) -> dt.date:
    """The Vietnam calendar day of a moment."""
    return moment.astimezone(clock.LOCAL_TZ).date()
