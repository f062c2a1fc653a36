"""Diagnosis and quote: parts and labour lines (cost always recorded; the customer pays 0 under warranty),
approved or declined by the customer in the portal or through a signed link that expires with the quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, Forbidden, NotFound
from haumai.events.services import record_event
from haumai.repairs.models import GoodwillStatus, LineKind, QuoteLine, RepairOrder, RepairStatus
from haumai.repairs.services.common import (
    lock,
    payload_for,
    raise_if,
    refuse,
    require_state,
    require_technician,
    transition,
)
from haumai.repairs.services.goodwill import (
    APPROVE_PERMISSION,
    GIVEN,
    GOODWILL_FIELDS,
    record_decision,
    set_goodwill,
    vnd_text,
    within_limit,
)

S = RepairStatus
QUOTE_SALT = "haumai.repairs.quote"
DEFAULT_VALID_DAYS = 7
MAX_LINES = 30
MAX_AMOUNT = 1_000_000_000


@dataclass(frozen=True)
class QuoteLineInput:
    """One line of a quote: a part by SKU or labour, how many, what it costs us and its price."""

    kind: str
    description: str = ""
    sku: str = ""
    quantity: int = 1
    unit_cost: int | None = None
    unit_price: int | None = None


def _money(value: Any, field: str, errors: list[FieldError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > MAX_AMOUNT:
        errors.append(FieldError(field, _("Enter an amount in VND from 0 to 1.000.000.000"), "invalid_amount"))
        return 0
    return value


def _clean_lines(lines: Sequence[QuoteLineInput], covered: bool) -> list[QuoteLine]:
    errors: list[FieldError] = []
    if not lines:
        errors.append(FieldError("lines", _("Add at least one part or labour line"), "required"))
    if len(lines) > MAX_LINES:
        errors.append(FieldError("lines", _("At most %(count)s lines") % {"count": MAX_LINES}, "too_many"))
    skus = {line.sku.strip() for line in lines if line.sku.strip()}
    parts = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    cleaned: list[QuoteLine] = []
    for index, line in enumerate(lines[:MAX_LINES]):
        prefix = f"lines.{index}"
        if line.kind not in LineKind.values:
            errors.append(FieldError(f"{prefix}.kind", _("Choose part or labour"), "invalid_choice"))
            continue
        part = None
        if line.kind == LineKind.PART:
            part = parts.get(line.sku.strip())
            if part is None:
                errors.append(
                    FieldError(f"{prefix}.sku", _("Unknown part SKU '%(sku)s'") % {"sku": line.sku[:64]}, "unknown_sku")
                )
                continue
        description = (line.description or (part.name if part else "")).strip()[:200]
        if not description:
            errors.append(FieldError(f"{prefix}.description", _("Describe the work"), "required"))
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int) or not 1 <= line.quantity <= 100:
            errors.append(FieldError(f"{prefix}.quantity", _("Quantity from 1 to 100"), "invalid_quantity"))
            continue
        default_price = part.price if part else 0
        price = _money(default_price if line.unit_price is None else line.unit_price, f"{prefix}.unit_price", errors)
        cost = _money(price if line.unit_cost is None else line.unit_cost, f"{prefix}.unit_cost", errors)
        cleaned.append(
            QuoteLine(
                kind=line.kind,
                part=part,
                description=description,
                quantity=line.quantity,
                unit_cost=cost,
                unit_price=price,
                customer_price=0 if covered else price * line.quantity,
            )
        )
    raise_if(errors)
    return cleaned


def quote_totals(order: RepairOrder) -> dict[str, int]:
    """The current quote's cost to us, list price, goodwill given and what the customer pays."""
    lines = [line for line in order.lines.all() if line.version == order.quote_version]
    due = sum(line.customer_price for line in lines)
    goodwill = min(order.goodwill_vnd, due) if order.goodwill_status in GIVEN else 0
    return {
        "cost": sum(line.unit_cost * line.quantity for line in lines),
        "list": sum(line.unit_price * line.quantity for line in lines),
        "goodwill": goodwill,
        "customer": due - goodwill,
    }


QUOTE_FIELDS = [
    "diagnosis",
    "quote_version",
    "quote_sent_at",
    "quote_expires_at",
    "quote_decided_at",
    "quote_decided_by",
]


def send_quote(
    *,
    actor: Any,
    order: RepairOrder,
    diagnosis: str,
    lines: Sequence[QuoteLineInput],
    valid_days: int = DEFAULT_VALID_DAYS,
    goodwill_vnd: int = 0,
    goodwill_reason: str = "",
) -> RepairOrder:
    """Write the diagnosis and the quote. A quote the customer pays nothing for (warranty) is approved at
    once; otherwise the customer approves it in the portal or through the signed link until it expires.
    Goodwill (a discount, up to a free repair) within the technician's approval limit applies at once;
    above it the quote waits for a manager (`decide_goodwill`) before the customer sees it."""
    if len(diagnosis.strip()) < 3:
        raise refuse("diagnosis", _("Write down what is wrong with the unit"), "required")
    if isinstance(valid_days, bool) or not isinstance(valid_days, int) or not 1 <= valid_days <= 60:
        raise refuse("valid_days", _("A quote is valid from 1 to 60 days"), "invalid")
    if isinstance(goodwill_vnd, bool) or not isinstance(goodwill_vnd, int) or not 0 <= goodwill_vnd <= MAX_AMOUNT:
        raise refuse("goodwill_vnd", _("Enter an amount in VND from 0 to 1.000.000.000"), "invalid_amount")
    if goodwill_vnd and not goodwill_reason.strip():
        raise refuse("goodwill_reason", _("Say why the customer gets this goodwill"), "required")
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("send a quote"), S.DIAGNOSING, S.DECLINED)
        require_technician(actor, locked)
        if locked.goodwill_status == GoodwillStatus.PENDING:
            raise Conflict(
                _("The goodwill on the quote of %(code)s is waiting for a manager") % {"code": locked.code},
                code="goodwill_pending",
            )
        cleaned = _clean_lines(lines, locked.under_warranty)
        due = sum(line.customer_price for line in cleaned)
        if goodwill_vnd and due == 0:
            raise refuse(
                "goodwill_vnd", _("The customer pays nothing for this quote: no goodwill needed"), "nothing_due"
            )
        if goodwill_vnd > due:
            raise refuse(
                "goodwill_vnd",
                _("The goodwill is more than the quote (%(total)s)") % {"total": vnd_text(due)},
                "above_total",
            )
        locked.quote_version += 1
        for line in cleaned:
            line.order = locked
            line.version = locked.quote_version
        QuoteLine.objects.bulk_create(cleaned)
        now = clock.now()
        locked.diagnosis = diagnosis.strip()[:4000]
        locked.quote_sent_at = now
        locked.quote_expires_at = now + dt.timedelta(days=valid_days)
        locked.quote_decided_at = None
        locked.quote_decided_by = ""
        within = set_goodwill(locked, actor=actor, amount=goodwill_vnd, reason=goodwill_reason)
        record_event(
            name="repair.diagnosed",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, lines=len(cleaned)),
        )
        if not within:
            # The customer sees nothing until a manager approves or refuses the goodwill.
            locked.save(update_fields=["updated_at", *QUOTE_FIELDS, *GOODWILL_FIELDS])
            return locked
        issue_quote(locked, actor=actor, fields=[*QUOTE_FIELDS, *GOODWILL_FIELDS])
    return locked


def issue_quote(locked: RepairOrder, *, actor: Any, fields: Sequence[str]) -> None:
    """Put the current quote before the customer: approved at once when they pay nothing, else quoted."""
    totals = quote_totals(locked)
    now = clock.now()
    if totals["customer"] == 0:
        # Nothing to pay (warranty or a free repair as goodwill): no quote to approve, approved at once.
        locked.quote_decided_at = now
        locked.quote_decided_by = "no_charge"
        transition(
            locked,
            to=S.APPROVED,
            actor=actor,
            event="repair.approved",
            note=_("Nothing to pay"),
            payload={
                "total": 0, "cost": totals["cost"], "goodwill": totals["goodwill"], "version": locked.quote_version,
                "by": "no_charge",
            },
            fields=[*fields, "quote_decided_at", "quote_decided_by"],
        )  # fmt: skip
        return
    if locked.quote_expires_at is not None and locked.quote_sent_at is not None:
        # The customer's answering time starts when they get the quote (a manager may have taken a while).
        locked.quote_expires_at = now + (locked.quote_expires_at - locked.quote_sent_at)
        locked.quote_sent_at = now
    transition(
        locked,
        to=S.QUOTED,
        actor=actor,
        event="repair.quoted",
        payload={
            "total": totals["customer"],
            "cost": totals["cost"],
            "goodwill": totals["goodwill"],
            "expires_on": locked.quote_expires_at.astimezone(clock.LOCAL_TZ).date().isoformat()
            if locked.quote_expires_at
            else None,
            # No link here: payloads reach the timeline and webhooks. The message builds the signed link
            # from the code and version when it is sent (`quote_links`, registered with journeys).
            "version": locked.quote_version,
        },
        fields=[*fields, "quote_sent_at", "quote_expires_at"],
    )


def _decide(order: RepairOrder, *, approve: bool, actor: Any, decided_by: str, note: str = "") -> None:
    order.quote_decided_at = clock.now()
    order.quote_decided_by = decided_by[:80]
    totals = quote_totals(order)
    transition(
        order,
        to=S.APPROVED if approve else S.DECLINED,
        actor=actor,
        actor_label=decided_by if decided_by.startswith("customer") else "",
        event="repair.approved" if approve else "repair.declined",
        note=note[:500],
        payload={"total": totals["customer"], "version": order.quote_version, "by": decided_by},
        fields=["quote_decided_at", "quote_decided_by"],
    )


def decide_quote(
    *, actor: Any, order: RepairOrder, approve: bool, version: int | None = None, via: str = "staff", note: str = ""
) -> RepairOrder:
    """The customer's answer to the quote. Twice, after expiry, or on an older quote: a clear refusal,
    nothing changes. `via` is "portal", "link" or "staff" (on the customer's behalf, e.g. by phone)."""
    with transaction.atomic():
        locked = lock(order)
        if locked.status in (S.APPROVED, S.DECLINED) or (locked.quote_decided_at and locked.status != S.QUOTED):
            raise Conflict(
                _("The quote of %(code)s was already answered (%(status)s)")
                % {"code": locked.code, "status": S(locked.status).label},
                code="already_decided",
            )
        require_state(locked, _("answer the quote"), S.QUOTED)
        if version is not None and version != locked.quote_version:
            raise Conflict(_("This quote was replaced by a newer one; open the latest link"), code="stale_quote")
        if locked.quote_expires_at is not None and clock.now() > locked.quote_expires_at:
            raise Conflict(
                _("The quote expired on %(day)s; ask the service centre for a new one")
                % {"day": locked.quote_expires_at.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y")},
                code="quote_expired",
            )
        if via == "staff":
            if not getattr(actor, "is_authenticated", False) or not actor.has_perm("repairs.change_repairorder"):
                raise refuse("actor", _("Only staff can record the customer's answer"), "forbidden")
            decided_by = actor.get_username()
        else:
            decided_by = f"customer:{via}"
        _decide(locked, approve=approve, actor=actor, decided_by=decided_by, note=note.strip())
    return locked


def quote_link(order: RepairOrder) -> str:
    """The absolute portal link of the current quote."""
    return _link(order.code, order.quote_version)


def _link(code: str, version: int) -> str:
    from django.urls import reverse

    from haumai.messaging.context import absolute

    return absolute(reverse("portal:repair_quote", args=[_token(code, version)]))


def quote_links(event: Any) -> dict[str, str]:
    """Send-time links of a `repair.quoted` message: `links.quote` answers that quote version only."""
    payload = getattr(event, "payload", None) or {}
    code, version = str(payload.get("code") or ""), payload.get("version")
    if not code.startswith("RO-") or isinstance(version, bool) or not isinstance(version, int):
        return {}
    return {"quote": _link(code, version)}


def quote_token(order: RepairOrder) -> str:
    """The signed token of the current quote (valid until the quote expires; a new quote voids it)."""
    return _token(order.code, order.quote_version)


def _token(code: str, version: int) -> str:
    return signing.dumps({"o": code, "v": version}, salt=QUOTE_SALT, compress=True)


def order_from_token(token: str) -> tuple[RepairOrder, int]:
    """The order and quote version of a link, or NotFound for a forged or mangled token."""
    try:
        data = signing.loads(token, salt=QUOTE_SALT)
    except signing.BadSignature as exc:
        raise NotFound(_("This link is not valid")) from exc
    order = (
        RepairOrder.objects.select_related("unit__product", "service_center", "customer")
        .filter(code=str(data.get("o", "")))
        .first()
    )
    if order is None:
        raise NotFound(_("This link is not valid"))
    return order, int(data.get("v", 0))


def decide_goodwill(*, actor: Any, order: RepairOrder, approve: bool, note: str = "") -> RepairOrder:
    """A manager approves the goodwill above the giver's limit (the quote goes to the customer with it) or
    refuses it (a note is required; the order stays in diagnosis for a new quote). Only within the
    manager's own limit; twice: a clear refusal, nothing changes."""
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(APPROVE_PERMISSION):
        raise Forbidden(_("Only a manager can decide on goodwill above the limit"))
    if not approve and not note.strip():
        raise refuse("note", _("Say why the goodwill is refused"), "required")
    with transaction.atomic():
        locked = lock(order)
        if locked.goodwill_status != GoodwillStatus.PENDING:
            raise Conflict(
                _("No goodwill of %(code)s is waiting for a decision") % {"code": locked.code}, code="already_decided"
            )
        if approve and not within_limit(actor, locked.goodwill_vnd):
            raise refuse("goodwill_vnd", _("This amount is above your own approval limit"), "over_approval_limit")
        record_decision(locked, actor=actor, approve=approve, note=note)
        if approve:
            issue_quote(locked, actor=actor, fields=GOODWILL_FIELDS)
        else:
            locked.save(update_fields=["updated_at", *GOODWILL_FIELDS])
    return locked
