"""Entry conditions and branch conditions, evaluated against the customer and the run's order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.journeys.rules import add_months
from haumai.sales.models import Order, OrderLine


@dataclass
class OrderFacts:
    """What conditions need to know about the order behind a run."""

    order_id: int
    code: str
    total: int
    channel_code: str
    category_codes: set[str] = field(default_factory=set)
    line_payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_subject(cls, subject_type: str, subject_id: str) -> OrderFacts | None:
        """Facts for a sales.order or sales.orderline subject; None for other subjects."""
        if not subject_id.isdigit():
            return None
        line_payload: dict[str, Any] = {}
        if subject_type == "sales.orderline":
            line = OrderLine.objects.select_related("product", "unit", "order").filter(pk=int(subject_id)).first()
            if line is None:
                return None
            order_id = line.order_id
            line_payload = {
                "product": line.product.name,
                "sku": line.product.sku,
                "serial": line.unit.serial if line.unit else "",
                "unit_id": line.unit_id,
                "warranty_expires": _warranty_expires(line),
            }
        elif subject_type == "sales.order":
            order_id = int(subject_id)
        else:
            return None
        order = Order.objects.select_related("channel").filter(pk=order_id).first()
        if order is None:
            return None
        categories: set[str] = set()
        for code, parent_code in OrderLine.objects.filter(order_id=order_id).values_list(
            "product__category__code", "product__category__parent__code"
        ):
            categories.update(c for c in (code, parent_code) if c)
        line_payload["order_code"] = order.code
        return cls(order.pk, order.code, order.total, order.channel.code, categories, line_payload)


def _warranty_expires(line: OrderLine) -> str | None:
    product, order = line.product, line.order
    if not product.warranty_months:
        return None
    start = order.delivered_at if product.warranty_start == "delivery" and order.delivered_at else order.placed_at
    local_start = start.astimezone(clock.LOCAL_TZ).date()
    return add_months(local_start, product.warranty_months).isoformat()


def entry_problem(
    *, journey: Any, customer: Customer, order: OrderFacts | None, reachable: Callable[[], list[str]]
) -> str:
    """Why the customer does not meet the journey's entry conditions ('' when they do)."""
    if journey.condition_language and customer.preferred_language != journey.condition_language:
        return _("Customer language is %(language)s, the journey needs %(wanted)s") % {
            "language": customer.preferred_language,
            "wanted": journey.condition_language,
        }
    if journey.condition_reachable_channel and journey.condition_reachable_channel not in reachable():
        return _("Customer is not reachable on %(channel)s") % {"channel": journey.condition_reachable_channel}
    needs_order = (
        journey.condition_min_order_total is not None or journey.condition_category or journey.condition_sales_channel
    )
    if needs_order and order is None:
        return _("The journey has order conditions but the trigger has no order")
    if order is None:
        return ""
    if journey.condition_min_order_total is not None and order.total < journey.condition_min_order_total:
        return _("Order total %(total)s is below %(minimum)s") % {
            "total": order.total,
            "minimum": journey.condition_min_order_total,
        }
    if journey.condition_category and journey.condition_category not in order.category_codes:
        return _("Order has no product in category %(category)s") % {"category": journey.condition_category}
    if journey.condition_sales_channel and order.channel_code != journey.condition_sales_channel:
        return _("Order came from %(channel)s, not %(wanted)s") % {
            "channel": order.channel_code,
            "wanted": journey.condition_sales_channel,
        }
    return ""


def branch_holds(
    *,
    condition: str,
    value: str,
    customer: Customer,
    order: OrderFacts | None,
    reachable: Callable[[], list[str]],
    last_send_outcome: Callable[[], str | None],
) -> bool:
    """Evaluate a branch step's condition."""
    if condition == "order_total_at_least":
        return order is not None and value.isdigit() and order.total >= int(value)
    if condition == "reachable_channel":
        return value in reachable()
    if condition == "language":
        return customer.preferred_language == value
    if condition == "category":
        return order is not None and value in order.category_codes
    if condition == "previous_send_skipped":
        return last_send_outcome() in ("skipped", "not_delivered")
    if condition == "in_segment":
        from haumai.segments.selectors import is_member

        return is_member(segment_key=value, customer_id=customer.pk)
    return False
