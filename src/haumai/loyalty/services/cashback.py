"""Cashback as store credit: computed on delivery and held as pending; released as store credit by the worker
once the order's return window has closed; a return before release reduces it, one after claws it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from haumai.core import clock
from haumai.events.services import record_event
from haumai.loyalty.models import (
    Cashback,
    CashbackChange,
    CashbackChangeKind,
    CashbackRule,
    CashbackStatus,
    RuleScope,
)
from haumai.loyalty.services import tiers
from haumai.loyalty.services.common import lock_customer
from haumai.payments import store_credit
from haumai.returns import policy as return_policy
from haumai.returns.models import ReturnRequest, Status, WindowStart
from haumai.sales.models import Order, OrderLine, OrderStatus

# A return in one of these states may still be refunded: the cashback waits for it.
OPEN_RETURN_STATES = (
    Status.REQUESTED, Status.APPROVED, Status.AWAITING_PICKUP, Status.AWAITING_DROPOFF, Status.IN_TRANSIT,
    Status.RECEIVED, Status.INSPECTED,
)  # fmt: skip
RECHECK_AFTER = dt.timedelta(days=1)


def _categories(line: OrderLine) -> set[int]:
    """The line's category and its ancestors (a rule on a parent category covers its children)."""
    found: set[int] = set()
    category = line.product.category
    while category is not None and len(found) < 10:
        found.add(category.pk)
        category = category.parent
    return found


def covers(rule: CashbackRule, line: OrderLine) -> bool:
    if rule.scope == RuleScope.PRODUCT:
        return line.product_id == rule.product_id
    if rule.scope == RuleScope.CATEGORY:
        return rule.category_id in _categories(line)
    return True


def _lines(order: Order) -> list[OrderLine]:
    return list(order.lines.select_related("product__category__parent"))


def base_for(rule: CashbackRule, order: Order, lines: Sequence[OrderLine]) -> tuple[int, int]:
    """(paid amount of the covered lines, their line value): line value scaled down to what the order paid."""
    everything = sum(line.line_total for line in lines)
    covered = sum(line.line_total for line in lines if covers(rule, line))
    paid = covered * order.total // everything if everything > order.total else covered
    return max(0, paid), covered


def amount_for(rule: CashbackRule, base_vnd: int) -> int:
    """The percent of the base, rounded down to whole VND, at most the rule's cap."""
    return min(base_vnd * rule.percent // 100, rule.cap_vnd)


def applicable_rules(order: Order, tier_code: str, at: dt.datetime) -> list[CashbackRule]:
    """Enabled rules valid at `at`, for the member's tier, whose minimum the order's paid amount reaches."""
    return list(
        CashbackRule.objects.filter(active=True, starts_at__lte=at, ends_at__gt=at, min_order_vnd__lte=order.total)
        .filter(Q(tier="") | Q(tier=tier_code))
        .order_by("id")
    )


def release_moment(order: Order, lines: Sequence[OrderLine]) -> dt.datetime:
    """Local midnight after the last day any line of the order can still be returned (any reason)."""
    delivered = (order.delivered_at or clock.now()).astimezone(clock.LOCAL_TZ).date()
    placed = order.placed_at.astimezone(clock.LOCAL_TZ).date()
    extra = max((b.extra_days for b in return_policy.benefits_for(order.customer)), default=0)
    last = delivered
    for line in lines:
        product = line.product
        policy = return_policy.policy_for(product=product, channel_id=order.channel_id)
        days, start, grace = product.return_days, delivered, 0
        if policy is not None:
            days = min(policy.window_days, product.return_days) if product.return_days else policy.window_days
            start = placed if policy.window_start == WindowStart.PURCHASE else delivered
            grace = policy.defect_reasons_ignore_window_days
        if not product.is_returnable or (policy is not None and not policy.is_returnable):
            continue
        last = max(last, return_policy.window_last_day(start, max(days + extra if days else 0, grace)))
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=clock.LOCAL_TZ)


def hold_for_order(*, order: Order) -> list[Cashback]:
    """On delivery: the cashback of each applicable rule, pending until the return window closes (once each)."""
    if order.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        return []
    at = order.delivered_at or clock.now()
    tier = tiers.current_tier(order.customer)
    rules = applicable_rules(order, tier.code, at)
    done = set(Cashback.objects.filter(order=order).values_list("rule_id", flat=True))
    rules = [rule for rule in rules if rule.pk not in done]
    if not rules:
        return []
    lines = _lines(order)
    release_at = release_moment(order, lines)
    held: list[Cashback] = []
    for rule in rules:
        base, _covered = base_for(rule, order, lines)
        amount = amount_for(rule, base)
        if amount <= 0:
            continue
        try:
            with transaction.atomic():
                customer = lock_customer(order.customer_id)
                if Cashback.objects.filter(order=order, rule=rule).exists():
                    continue
                cashback = Cashback.objects.create(
                    customer=customer, order=order, rule=rule, base_vnd=base, earned_vnd=amount,
                    amount_vnd=amount, release_at=release_at, created_at=clock.now(),
                )  # fmt: skip
                record_event(
                    name="cashback.pending",
                    customer=customer,
                    subject=cashback,
                    payload={
                        "amount": amount, "order": order.code, "rule": rule.name,
                        "release_on": release_at.astimezone(clock.LOCAL_TZ).date().isoformat(),
                    },
                )  # fmt: skip
        except IntegrityError:
            continue  # a parallel delivery event held it first
        held.append(cashback)
    return held


def release_due(rows: Sequence[Cashback]) -> None:
    """Claimed pending cashback past its release moment becomes store credit; an open return makes it wait."""
    waiting = set(
        ReturnRequest.objects.filter(order_id__in=[row.order_id for row in rows], status__in=OPEN_RETURN_STATES)
        .values_list("order_id", flat=True)
    )
    for row in rows:
        if row.order_id in waiting:
            Cashback.objects.filter(pk=row.pk).update(release_at=clock.now() + RECHECK_AFTER)
            continue
        _release(row)


def _release(row: Cashback) -> None:
    customer = lock_customer(row.customer_id)
    cashback = Cashback.objects.select_related("order").get(pk=row.pk)
    if cashback.status != CashbackStatus.PENDING:
        return
    now = clock.now()
    if cashback.amount_vnd <= 0:
        cashback.status = CashbackStatus.CANCELLED
        cashback.save(update_fields=["status"])
        return
    entry = store_credit.credit_cashback(
        customer=customer,
        amount_vnd=cashback.amount_vnd,
        reference=cashback.order.code,
        idempotency_key=f"cashback:{cashback.pk}",
    )
    cashback.status = CashbackStatus.RELEASED
    cashback.released_at = now
    cashback.store_credit_entry = entry
    cashback.save(update_fields=["status", "released_at", "store_credit_entry"])
    record_event(
        name="cashback.released",
        customer=customer,
        subject=cashback,
        payload={"amount": cashback.amount_vnd, "order": cashback.order.code},
    )


def reverse_for_return(*, order: Order, return_code: str, returned: Iterable[tuple[int, int]]) -> list[CashbackChange]:
    """A refunded return: each cashback of the order loses the returned share of its covered line value.

    `returned` is (product id, value returned) per line. Before release the pending amount shrinks; after
    release the share is taken from the store credit, never below zero (the rest is recorded as not recovered)."""
    returned = list(returned)
    cashbacks = list(
        Cashback.objects.filter(order=order)
        .exclude(changes__return_code=return_code[:40])
        .exclude(status=CashbackStatus.CANCELLED)
        .select_related("rule")
    )
    if not cashbacks or not returned:
        return []
    lines = _lines(order)
    by_product = {line.product_id: line for line in lines}
    changes: list[CashbackChange] = []
    with transaction.atomic():
        customer = lock_customer(order.customer_id)
        for stale in cashbacks:
            cashback = Cashback.objects.select_related("rule", "order").get(pk=stale.pk)
            if cashback.changes.filter(return_code=return_code[:40]).exists():
                continue
            _base, covered = base_for(cashback.rule, order, lines)
            value = sum(
                value for product_id, value in returned
                if (line := by_product.get(product_id)) is not None and covers(cashback.rule, line)
            )  # fmt: skip
            if covered <= 0 or value <= 0:
                continue
            share = cashback.earned_vnd * min(value, covered) // covered
            change = _reduce(customer, cashback, return_code, share)
            if change is not None:
                changes.append(change)
    return changes


def _reduce(customer: Any, cashback: Cashback, return_code: str, share: int) -> CashbackChange | None:
    now = clock.now()
    if cashback.status == CashbackStatus.PENDING:
        amount = min(share, cashback.amount_vnd)
        cashback.amount_vnd -= amount
        if cashback.amount_vnd == 0:
            cashback.status = CashbackStatus.CANCELLED
        cashback.save(update_fields=["amount_vnd", "status"])
        change = CashbackChange.objects.create(
            cashback=cashback, kind=CashbackChangeKind.REDUCED, return_code=return_code[:40], amount_vnd=amount,
            created_at=now,
        )  # fmt: skip
        not_recovered = 0
    else:
        gone = cashback.changes.filter(kind=CashbackChangeKind.CLAWED_BACK).aggregate(
            taken=Sum("amount_vnd"), lost=Sum("not_recovered_vnd")
        )
        wanted = min(share, cashback.amount_vnd - (gone["taken"] or 0) - (gone["lost"] or 0))
        if wanted <= 0:
            return None
        entry, not_recovered = store_credit.claw_back_cashback(
            customer=customer, amount_vnd=wanted, reference=return_code,
            idempotency_key=f"cashback-clawback:{cashback.pk}:{return_code}",
        )  # fmt: skip
        amount = wanted - not_recovered
        change = CashbackChange.objects.create(
            cashback=cashback, kind=CashbackChangeKind.CLAWED_BACK, return_code=return_code[:40],
            amount_vnd=amount, not_recovered_vnd=not_recovered, store_credit_entry=entry, created_at=now,
        )  # fmt: skip
    record_event(
        name="cashback.reversed",
        customer=customer,
        subject=cashback,
        payload={
            "amount": amount, "order": cashback.order.code,
            "return_code": return_code, "released": change.kind == CashbackChangeKind.CLAWED_BACK,
            "not_recovered": not_recovered,
        },
    )  # fmt: skip
    return change
