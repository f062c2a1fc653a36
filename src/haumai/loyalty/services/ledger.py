"""The points ledger: earn lots, spend them oldest-expiring first (FIFO), adjust, give back.

The balance is the sum of the customer's entries. Each positive entry is a lot with an expiry; each
negative entry records which lots it consumed (PointsAllocation), so every point spent, expired or taken
back is traceable to the earn it came from. Every write locks the customer row first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.events.services import record_event
from haumai.loyalty import conf
from haumai.loyalty.models import EntryKind, PointsAllocation, PointsEntry
from haumai.loyalty.services.common import (
    MAX_POINTS,
    NotEnoughPoints,
    invalid,
    key_of,
    lock_customer,
    replay_conflict,
    require,
    user_or_none,
    whole,
)


def open_lots(customer_id: int, *, prefer_order_id: int | None = None) -> list[tuple[PointsEntry, int]]:
    """Unexpired lots with points left, oldest expiring first (the order's own lot first when asked)."""
    now = clock.now()
    lots = (
        PointsEntry.objects.filter(customer_id=customer_id, points__gt=0, expiry_handled=False)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .annotate(used=Coalesce(Sum("consumed_by__points"), 0))
        .order_by(F("expires_at").asc(nulls_last=True), "id")
    )
    rows: list[tuple[PointsEntry, int]] = [(lot, lot.points - lot.used) for lot in lots if lot.points > lot.used]
    if prefer_order_id is not None:
        rows.sort(key=lambda row: row[0].order_id != prefer_order_id or row[0].kind != EntryKind.EARN)
    return rows


def outstanding_debts(customer_id: int) -> list[tuple[PointsEntry, int]]:
    """Debt entries not yet paid back by later lots, oldest first."""
    debts = (
        PointsEntry.objects.filter(customer_id=customer_id, kind=EntryKind.DEBT)
        .annotate(paid=Coalesce(Sum("allocations__points"), 0))
        .order_by("id")
    )
    return [(debt, -debt.points - debt.paid) for debt in debts if -debt.points > debt.paid]


def available_points(customer_id: int) -> int:
    """Points the customer can spend now: unexpired lots left, less any debt."""
    lots = sum(left for _lot, left in open_lots(customer_id))
    return max(0, lots - sum(owed for _debt, owed in outstanding_debts(customer_id)))


def consume(entry: PointsEntry, points: int, lots: Iterable[tuple[PointsEntry, int]]) -> int:
    """Allocate `points` of `entry` to lots in the given order; return how many were covered."""
    allocations = []
    exhausted = []
    remaining = points
    for lot, left in lots:
        if remaining <= 0:
            break
        take = min(left, remaining)
        allocations.append(PointsAllocation(consumer=entry, lot=lot, points=take))
        remaining -= take
        if take == left:
            exhausted.append(lot.pk)
    PointsAllocation.objects.bulk_create(allocations)
    if exhausted:
        # A lot with nothing left has nothing to expire: it leaves the scheduler's due set.
        PointsEntry.objects.filter(pk__in=exhausted).update(expiry_handled=True)
    return points - remaining


def add_lot(
    *,
    customer: Any,
    kind: str,
    points: int,
    actor: Any,
    spend_vnd: int = 0,
    order: Any = None,
    reference: str = "",
    reason: str = "",
    idempotency_key: str | None = None,
) -> PointsEntry:
    """Write a positive entry (call with the customer locked); it first pays back any outstanding debt."""
    now = clock.now()
    lot = PointsEntry.objects.create(
        customer=customer,
        kind=kind,
        points=points,
        spend_vnd=spend_vnd,
        order=order,
        reference=reference[:40],
        reason=reason[:2000],
        expires_at=now + conf.expiry_period(),
        idempotency_key=idempotency_key or None,
        actor=user_or_none(actor),
        created_at=now,
    )
    left = points
    for debt, owed in outstanding_debts(customer.pk):
        if left <= 0:
            break
        take = min(owed, left)
        PointsAllocation.objects.create(consumer=debt, lot=lot, points=take)
        left -= take
    if left == 0:
        PointsEntry.objects.filter(pk=lot.pk).update(expiry_handled=True)
    return lot


def _existing(key: str) -> PointsEntry | None:
    return PointsEntry.objects.filter(idempotency_key=key).first() if key else None


def _same(entry: PointsEntry, customer: Any, points: int) -> PointsEntry:
    if (entry.customer_id, abs(entry.points)) != (customer.pk, points):
        raise replay_conflict()
    return entry


def spend_points(
    *,
    customer: Any,
    points: int,
    actor: Any,
    idempotency_key: str,
    order_reference: str = "",
    reason: str = "",
    event: str = "loyalty.points_spent",
) -> tuple[PointsEntry, bool]:
    """Spend points (at checkout, or to buy a voucher) oldest-expiring first; (entry, created). Idempotent by key."""
    whole(points, "points", maximum=MAX_POINTS)
    require(actor, "loyalty.add_pointsentry")
    key = key_of(idempotency_key)
    found = _existing(key)
    if found is not None:
        return _same(found, customer, points), False
    try:
        with transaction.atomic():
            lock_customer(customer.pk)
            found = _existing(key)
            if found is not None:
                return _same(found, customer, points), False
            entry = write_spend(
                customer=customer,
                points=points,
                actor=actor,
                key=key,
                order_reference=order_reference,
                reason=reason,
                event=event,
            )
    except IntegrityError:
        found = _existing(key)
        if found is None:
            raise
        return _same(found, customer, points), False
    return entry, True


def write_spend(
    *, customer: Any, points: int, actor: Any, key: str, order_reference: str, reason: str, event: str
) -> PointsEntry:
    """The spend itself; the customer must already be locked."""
    available = available_points(customer.pk)
    if points > available:
        raise NotEnoughPoints(available)
    entry = PointsEntry.objects.create(
        customer=customer,
        kind=EntryKind.SPEND,
        points=-points,
        reference=order_reference.strip()[:40],
        reason=reason[:2000],
        idempotency_key=key or None,
        actor=user_or_none(actor),
        created_at=clock.now(),
    )
    consume(entry, points, open_lots(customer.pk))
    record_event(
        name=event,
        customer=customer,
        subject=entry,
        actor=actor,
        payload={"points": points, "reference": entry.reference},
    )
    return entry


def adjust_points(*, customer: Any, points: int, reason: str, actor: Any, idempotency_key: str = "") -> PointsEntry:
    """A staff adjustment (+ or -) with a required reason; a minus may not take the balance below zero."""
    require(actor, "loyalty.adjust_points")
    if isinstance(points, bool) or not isinstance(points, int) or points == 0 or abs(points) > MAX_POINTS:
        raise invalid("points", _("Give a whole number of points other than 0"))
    if not (reason or "").strip():
        raise invalid("reason", _("Give a reason for the adjustment"), "required")
    key = key_of(idempotency_key, required=False)
    found = _existing(key)
    if found is not None:
        return _same(found, customer, abs(points))
    with transaction.atomic():
        lock_customer(customer.pk)
        if points > 0:
            entry = add_lot(
                customer=customer,
                kind=EntryKind.ADJUSTMENT,
                points=points,
                actor=actor,
                reason=reason.strip(),
                idempotency_key=key,
            )
        else:
            available = available_points(customer.pk)
            if -points > available:
                raise NotEnoughPoints(available)
            entry = PointsEntry.objects.create(
                customer=customer,
                kind=EntryKind.ADJUSTMENT,
                points=points,
                reason=reason.strip()[:2000],
                idempotency_key=key or None,
                actor=user_or_none(actor),
                created_at=clock.now(),
            )
            consume(entry, -points, open_lots(customer.pk))
        record_event(
            name="loyalty.points_adjusted",
            customer=customer,
            subject=entry,
            actor=actor,
            payload={"points": points, "reason": reason.strip()[:200]},
        )
    return entry
