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
from haumai.core.errors import Conflict, FieldError, NotFound
from haumai.events.services import record_event
from haumai.repairs.models import LineKind, QuoteLine, RepairOrder, RepairStatus
from haumai.repairs.services.common import (
    lock,
    payload_for,
    raise_if,
    refuse,
    require_state,
    require_technician,
    transition,
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
    """The current quote's cost to us, list price and what the customer pays."""
    lines = [line for line in order.lines.all() if line.version == order.quote_version]
    return {
        "cost": sum(line.unit_cost * line.quantity for line in lines),
        "list": sum(line.unit_price * line.quantity for line in lines),
        "customer": sum(line.customer_price for line in lines),
    }


def send_quote(
    *,
    actor: Any,
    order: RepairOrder,
    diagnosis: str,
    lines: Sequence[QuoteLineInput],
    valid_days: int = DEFAULT_VALID_DAYS,
) -> RepairOrder:
    """Write the diagnosis and the quote. A quote the customer pays nothing for (warranty) is approved at
    once; otherwise the customer approves it in the portal or through the signed link until it expires."""
    if len(diagnosis.strip()) < 3:
        raise refuse("diagnosis", _("Write down what is wrong with the unit"), "required")
    if isinstance(valid_days, bool) or not isinstance(valid_days, int) or not 1 <= valid_days <= 60:
        raise refuse("valid_days", _("A quote is valid from 1 to 60 days"), "invalid")
    with transaction.atomic():
        locked = lock(order)
        require_state(locked, _("send a quote"), S.DIAGNOSING, S.DECLINED)
        require_technician(actor, locked)
        cleaned = _clean_lines(lines, locked.under_warranty)
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
        totals = quote_totals(locked)
        record_event(
            name="repair.diagnosed",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload=payload_for(locked, lines=len(cleaned)),
        )
        fields = [
            "diagnosis",
            "quote_version",
            "quote_sent_at",
            "quote_expires_at",
            "quote_decided_at",
            "quote_decided_by",
        ]
        if totals["customer"] == 0:
            # Nothing to pay (warranty): no quote to approve, the repair is approved at once.
            locked.quote_decided_at = now
            locked.quote_decided_by = "no_charge"
            transition(
                locked,
                to=S.APPROVED,
                actor=actor,
                event="repair.approved",
                note=_("Nothing to pay"),
                payload={"total": 0, "cost": totals["cost"], "version": locked.quote_version, "by": "no_charge"},
                fields=fields,
            )
            return locked
        transition(
            locked,
            to=S.QUOTED,
            actor=actor,
            event="repair.quoted",
            payload={
                "total": totals["customer"],
                "cost": totals["cost"],
                "expires_on": locked.quote_expires_at.astimezone(clock.LOCAL_TZ).date().isoformat(),
                "version": locked.quote_version,
                # The signed link the message carries (it answers this quote only, until it expires).
                "quote_link": quote_link(locked),
            },
            fields=fields,
        )
    return locked


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
    from django.urls import reverse

    from haumai.messaging.context import absolute

    return absolute(reverse("portal:repair_quote", args=[quote_token(order)]))


def quote_token(order: RepairOrder) -> str:
    """The signed token of the current quote (valid until the quote expires; a new quote voids it)."""
    return signing.dumps({"o": order.code, "v": order.quote_version}, salt=QUOTE_SALT, compress=True)


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
