"""Earning on a delivered order (rules per VND, category, product; the tier multiplier) and what a
refunded return takes back: the points the order earned, in proportion, and the points spent on it go back."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError, FieldError
from haumai.events.services import record_event
from haumai.loyalty import conf
from haumai.loyalty.models import EarnRule, EntryKind, PointsEntry, RuleScope
from haumai.loyalty.services import tiers
from haumai.loyalty.services.common import lock_customer, require, user_or_none
from haumai.loyalty.services.ledger import add_lot, consume, open_lots
from haumai.sales.models import Order, OrderStatus


def _rules() -> tuple[dict[int, int], dict[int, int], int]:
    by_product: dict[int, int] = {}
    by_category: dict[int, int] = {}
    base = conf.default_vnd_per_point()
    for rule in EarnRule.objects.filter(active=True).order_by("id"):
        if rule.scope == RuleScope.PRODUCT and rule.product_id:
            by_product[rule.product_id] = rule.vnd_per_point
        elif rule.scope == RuleScope.CATEGORY and rule.category_id:
            by_category[rule.category_id] = rule.vnd_per_point
        elif rule.scope == RuleScope.ALL:
            base = rule.vnd_per_point
    return by_product, by_category, base


def points_for_order(order: Order, multiplier_percent: int) -> int:
    """Points of the order's lines under the most specific rule each, times the tier multiplier."""
    by_product, by_category, base = _rules()
    total = 0
    for line in order.lines.select_related("product"):
        rate = by_product.get(line.product_id) or by_category.get(line.product.category_id or 0) or base
        total += line.line_total // max(1, rate)
    return total * multiplier_percent // 100


def earn_for_order(*, order: Order, actor: Any) -> PointsEntry | None:
    """Points for a delivered order, once (idempotent): None when the order earns nothing."""
    require(actor, "loyalty.add_pointsentry")
    if order.status not in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        message = _("Points are earned when the order is delivered")
        raise DomainError(
            message=message, code="not_delivered", errors=[FieldError("order", message, "not_delivered")], status=409
        )
    existing = PointsEntry.objects.filter(order=order, kind=EntryKind.EARN).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        customer = lock_customer(order.customer_id)
        existing = PointsEntry.objects.filter(order=order, kind=EntryKind.EARN).first()
        if existing is not None:
            return existing
        tier = tiers.current_tier(customer)
        points = points_for_order(order, tier.multiplier_percent)
        if points <= 0:
            return None
        lot = add_lot(
            customer=customer,
            kind=EntryKind.EARN,
            points=points,
            actor=actor,
            spend_vnd=order.total,
            order=order,
            reference=order.code,
        )
        record_event(
            name="loyalty.points_earned",
            customer=customer,
            subject=lot,
            actor=actor,
            payload={"points": points, "order": order.code, "tier": tier.code},
        )
        tiers.upgrade_if_reached(customer=customer, actor=actor)
    return lot


def _share(amount: int, part: int, whole: int) -> int:
    return amount * min(part, whole) // whole if whole > 0 else 0


def claw_back_for_return(*, order: Order, return_code: str, returned_vnd: int, actor: Any) -> dict[str, int]:
    """Take back the returned share of the points the order earned, and give back the share of points spent on it.

    Idempotent per return. When the balance cannot cover the clawback: with the debt rule on
    (HAUMAI_LOYALTY_DEBT_ALLOWED) the rest becomes a debt entry that later earns pay first; otherwise the rest is
    written off and recorded on the clawback entry (`shortfall_points`) and its event, so nothing is hidden.
    """
    key = f"clawback:{return_code}"[:120]
    if PointsEntry.objects.filter(idempotency_key=key).exists() or returned_vnd <= 0:
        return {"clawed": 0, "shortfall": 0, "restored": 0}
    with transaction.atomic():
        customer = lock_customer(order.customer_id)
        if PointsEntry.objects.filter(idempotency_key=key).exists():
            return {"clawed": 0, "shortfall": 0, "restored": 0}
        earn = PointsEntry.objects.filter(order=order, kind=EntryKind.EARN).first()
        clawed = shortfall = 0
        if earn is not None:
            before = PointsEntry.objects.filter(order=order, kind=EntryKind.CLAWBACK).aggregate(
                points=Sum("points"), short=Sum("shortfall_points"), spend=Sum("spend_vnd")
            )
            taken = -(before["points"] or 0) + (before["short"] or 0)
            wanted = min(_share(earn.points, returned_vnd, order.total), earn.points - taken)
            spend_back = min(returned_vnd, earn.spend_vnd + (before["spend"] or 0))
            if wanted > 0 or spend_back > 0:
                clawed, shortfall = _write_clawback(customer, order, return_code, wanted, -spend_back, key, actor)
        restored = _restore_spent(customer, order, return_code, returned_vnd, actor)
    return {"clawed": clawed, "shortfall": shortfall, "restored": restored}


def _write_clawback(
    customer: Any, order: Order, return_code: str, wanted: int, spend_vnd: int, key: str, actor: Any
) -> tuple[int, int]:
    lots = open_lots(customer.pk, prefer_order_id=order.pk)
    covered = min(wanted, sum(left for _lot, left in lots))
    missing = wanted - covered
    debt = missing if missing and conf.debt_allowed() else 0
    entry = PointsEntry.objects.create(
        customer=customer,
        kind=EntryKind.CLAWBACK,
        points=-covered,
        spend_vnd=spend_vnd,
        order=order,
        reference=return_code[:40],
        shortfall_points=missing - debt,
        idempotency_key=key,
        actor=user_or_none(actor),
        created_at=clock.now(),
    )
    consume(entry, covered, lots)
    if debt:
        PointsEntry.objects.create(
            customer=customer,
            kind=EntryKind.DEBT,
            points=-debt,
            order=order,
            reference=return_code[:40],
            created_at=clock.now(),
        )
    record_event(
        name="loyalty.points_clawed_back",
        customer=customer,
        subject=entry,
        actor=actor,
        payload={
            "points": covered,
            "order": order.code,
            "return_code": return_code,
            "debt": debt,
            "written_off": missing - debt,
        },
    )
    return covered, missing


def _restore_spent(customer: Any, order: Order, return_code: str, returned_vnd: int, actor: Any) -> int:
    """Points spent paying for this order come back in the returned share (as a new lot)."""
    references = {order.code, order.external_id or order.code}
    spent = -(
        PointsEntry.objects.filter(customer=customer, kind=EntryKind.SPEND, reference__in=references).aggregate(
            total=Sum("points")
        )["total"]
        or 0
    )
    if spent <= 0:
        return 0
    given = PointsEntry.objects.filter(order=order, kind=EntryKind.RESTORE).aggregate(total=Sum("points"))["total"]
    points = min(_share(spent, returned_vnd, order.total), spent - (given or 0))
    if points <= 0:
        return 0
    lot = add_lot(
        customer=customer,
        kind=EntryKind.RESTORE,
        points=points,
        actor=actor,
        order=order,
        reference=return_code,
        idempotency_key=f"restore:{return_code}"[:120],
    )
    record_event(
        name="loyalty.points_restored",
        customer=customer,
        subject=lot,
        actor=actor,
        payload={"points": points, "order": order.code, "return_code": return_code},
    )
    return points
