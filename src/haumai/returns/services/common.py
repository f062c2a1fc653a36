"""The RMA state machine and helpers shared by the return services."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, DomainError, FieldError, ValidationFailed
from haumai.events.services import record_event
from haumai.returns import conf
from haumai.returns.models import Inspection, ReturnPhoto, ReturnRequest, Status

# Each state and the states it may move to (cancelled: any state before received).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: (Status.APPROVED, Status.REJECTED, Status.CANCELLED),
    Status.APPROVED: (Status.AWAITING_PICKUP, Status.AWAITING_DROPOFF, Status.RECEIVED, Status.CANCELLED),
    Status.AWAITING_PICKUP: (Status.IN_TRANSIT, Status.RECEIVED, Status.CANCELLED),
    Status.AWAITING_DROPOFF: (Status.RECEIVED, Status.CANCELLED),
    Status.IN_TRANSIT: (Status.RECEIVED, Status.CANCELLED),
    Status.RECEIVED: (Status.INSPECTED,),
    Status.INSPECTED: (
        Status.REFUNDED,
        Status.EXCHANGED,
        Status.REPAIRED,
        Status.STORE_CREDITED,
        Status.RETURNED_TO_CUSTOMER,
    ),
    Status.REFUNDED: (Status.CLOSED,),
    Status.EXCHANGED: (Status.CLOSED,),
    Status.REPAIRED: (Status.CLOSED,),
    Status.STORE_CREDITED: (Status.CLOSED,),
    Status.RETURNED_TO_CUSTOMER: (Status.CLOSED,),
    Status.REJECTED: (),
    Status.CLOSED: (),
    Status.CANCELLED: (),
}
# The event written when a return enters a state.
EVENT_FOR_STATUS: dict[str, str] = {
    Status.APPROVED: "return.approved",
    Status.REJECTED: "return.rejected",
    Status.AWAITING_PICKUP: "return.pickup_booked",
    Status.AWAITING_DROPOFF: "return.dropoff_ready",
    Status.IN_TRANSIT: "return.picked_up",
    Status.RECEIVED: "return.received",
    Status.INSPECTED: "return.inspected",
    Status.REFUNDED: "return.refunded",
    Status.EXCHANGED: "return.exchanged",
    Status.REPAIRED: "return.repaired",
    Status.STORE_CREDITED: "return.store_credited",
    Status.RETURNED_TO_CUSTOMER: "return.returned_to_customer",
    Status.CLOSED: "return.closed",
    Status.CANCELLED: "return.cancelled",
}
TIMESTAMP_FOR_STATUS: dict[str, str] = {
    Status.APPROVED: "approved_at",
    Status.RECEIVED: "received_at",
    Status.INSPECTED: "inspected_at",
    Status.REFUNDED: "resolved_at",
    Status.EXCHANGED: "resolved_at",
    Status.REPAIRED: "resolved_at",
    Status.STORE_CREDITED: "resolved_at",
    Status.RETURNED_TO_CUSTOMER: "resolved_at",
    Status.CLOSED: "closed_at",
}
OPEN_STATUSES = tuple(s for s in Status.values if s not in (Status.REJECTED, Status.CANCELLED, Status.CLOSED))
BEFORE_RECEIPT = (
    Status.REQUESTED,
    Status.APPROVED,
    Status.AWAITING_PICKUP,
    Status.AWAITING_DROPOFF,
    Status.IN_TRANSIT,
)
# The customer may cancel only before the parcel is handed to the carrier (DESIGN.md, return state machine).
CUSTOMER_CANCELLABLE = (
    Status.REQUESTED,
    Status.APPROVED,
    Status.AWAITING_PICKUP,
    Status.AWAITING_DROPOFF,
)


def refund_started(request: ReturnRequest) -> bool:
    """Whether money went (or is on its way) to the customer: then nothing can be cancelled."""
    return bool(request.refund_code) or request.refund_sent_at is not None


def customer_may_cancel(request: ReturnRequest) -> bool:
    """Whether the portal offers "cancel": before the hand-over to the carrier and before any refund."""
    return request.status in CUSTOMER_CANCELLABLE and not refund_started(request)


# Short codes: no 0/O/1/I, so they can be read out on the phone.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png", b"RIFF": "image/webp"}
MAX_PHOTOS = 5


class ReturnNotEligible(DomainError):
    """Lines of the request fall outside the return policy."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(
            message=_("Some items cannot be returned under the return policy"),
            code="not_eligible",
            errors=errors,
            status=422,
        )


class UploadedPhoto(Protocol):
    name: str
    size: int | None

    def read(self, size: int = ...) -> bytes: ...


def refuse(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """One field error as an exception."""
    return ValidationFailed(_("Some fields are invalid"), [FieldError(field, message, code)])


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)


def lock(request: ReturnRequest) -> ReturnRequest:
    """Re-read the request under a row lock (call inside transaction.atomic())."""
    return (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "order", "policy", "warehouse")
        .get(pk=request.pk)
    )


def payload_for(request: ReturnRequest, **extra: Any) -> dict[str, Any]:
    """The payload every return.* event carries."""
    return {
        "return_code": request.code,
        "status": request.status,
        "order_code": request.order.code if request.order_id and request.order else None,
        "resolution": request.resolution,
        "reason": request.reason,
        **extra,
    }


def transition(
    request: ReturnRequest, to: str, *, actor: Any, actor_label: str = "", **extra: Any
) -> ReturnRequest:
    """Move a locked request to `to` if the state machine allows it, and write the event."""
    previous = request.status
    allowed = TRANSITIONS[previous]
    if to not in allowed:
        raise Conflict(
            _("Return %(code)s cannot go from %(from)s to %(to)s (allowed next: %(allowed)s)")
            % {
                "code": request.code,
                "from": Status(previous).label,
                "to": Status(to).label,
                "allowed": ", ".join(str(Status(s).label) for s in allowed) or _("none"),
            },
            code="invalid_transition",
        )
    request.status = to
    fields = ["status", "updated_at"]
    stamp = TIMESTAMP_FOR_STATUS.get(to)
    if stamp:
        setattr(request, stamp, clock.now())
        fields.append(stamp)
    request.save(update_fields=fields)
    record_event(
        name=EVENT_FOR_STATUS[to],
        customer=request.customer,
        subject=request,
        actor=actor,
        actor_label=actor_label,
        payload=payload_for(request, from_status=previous, **extra),
    )
    return request


def flag_problem(request: ReturnRequest, message: str) -> None:
    """Show staff that this return needs attention (cleared when the cause is resolved)."""
    request.problem = message[:300]
    request.problem_at = clock.now()
    request.save(update_fields=["problem", "problem_at", "updated_at"])


def clear_problem(request: ReturnRequest) -> None:
    if request.problem:
        request.problem = ""
        request.problem_at = None
        request.save(update_fields=["problem", "problem_at", "updated_at"])


def new_short_code() -> str:
    """An unused 8-character drop-off code."""
    for _attempt in range(10):
        code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(8))
        if not ReturnRequest.objects.filter(dropoff_code=code).exists():
            return code
    raise Conflict(_("Could not issue a drop-off code; try again"), code="short_code_exhausted")


def check_photos(photos: Sequence[UploadedPhoto], field: str = "photos") -> list[tuple[bytes, str, str]]:
    """Read and validate uploads (JPEG/PNG/WebP by content, size cap); return (bytes, type, name)."""
    if len(photos) > MAX_PHOTOS:
        raise refuse(field, _("At most %(count)s photos") % {"count": MAX_PHOTOS}, "too_many")
    limit = conf.max_photo_bytes()
    checked: list[tuple[bytes, str, str]] = []
    for index, photo in enumerate(photos):
        data = photo.read(limit + 1)
        if len(data) > limit:
            raise refuse(
                f"{field}.{index}",
                _("%(name)s is larger than %(mb)s MB") % {"name": photo.name, "mb": limit // (1024 * 1024)},
                "too_large",
            )
        kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), None)
        if kind == "image/webp" and data[8:12] != b"WEBP":
            kind = None
        if kind is None:
            raise refuse(
                f"{field}.{index}",
                _("%(name)s is not a JPEG, PNG or WebP picture") % {"name": photo.name},
                "invalid_type",
            )
        checked.append((data, kind, photo.name))
    return checked


def save_photos(
    request: ReturnRequest, photos: list[tuple[bytes, str, str]], inspection: Inspection | None = None
) -> None:
    """Store checked photos under MEDIA_ROOT/returns/ with random names."""
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
    for data, kind, _name in photos:
        photo = ReturnPhoto(
            request=request, inspection=inspection, content_type=kind, size=len(data), uploaded_at=clock.now()
        )
        photo.file.save(f"{request.code}-{secrets.token_hex(6)}.{extension[kind]}", ContentFile(data), save=False)
        photo.save()
