"""Customer KPIs' inputs read from the orders (analytics turns them into numbers; see analytics/customers.py).

Every figure counts orders that are not cancelled, of customers not merged into another one, placed before
a moment `end`; months are local months in Asia/Ho_Chi_Minh. Each function is one set-based statement: the
orders are grouped per customer (or per customer and month) inside the database, never loaded row by row.
- `customer_facts(end, window_days)`: per-customer counts added up (churn, repeat purchases, CLV inputs).
- `cohort_counts(end, first_month)`: customers per (first-purchase month, months since) (retention cohorts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, ExpressionWrapper, IntegerField, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear

from haumai.core import clock
from haumai.sales.models import Order, OrderStatus

YEAR = dt.timedelta(days=365)


def month_index(year: int, month: int) -> int:
    """A month as one integer (year * 12 + month - 1), so month arithmetic is subtraction on both databases."""
    return year * 12 + month - 1


def month_of(index: int) -> dt.date:
    """The first day of a month index."""
    return dt.date(index // 12, index % 12 + 1, 1)


def counted_orders(end: dt.datetime, channel: str = "", province: int | None = None) -> QuerySet[Order]:
    """Orders counted by the customer KPIs; `channel` (a sales channel code) and `province` (customers with an
    address there) narrow them (the dashboard's filters)."""
    from haumai.customers.models import Address

    orders = (
        Order.objects.exclude(status=OrderStatus.CANCELLED)
        .filter(placed_at__lt=end, customer__merged_into__isnull=True)
        .order_by()
    )
    if channel:
        orders = orders.filter(channel__code=channel)
    if province:
        there = Address.objects.filter(customer_id=OuterRef("customer_id"), province_id=province)
        orders = orders.filter(Exists(there))
    return orders


def _over(inner: QuerySet[Any], template: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Run a statement over the grouped rows of `inner` (written `{inner}` in the template), on both databases."""
    sql, inner_params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(template.format(inner=f"({sql})"), [*inner_params, *(params or [])])
        return list(cursor.fetchall())


def customer_facts(
    end: dt.datetime, window_days: int, *, channel: str = "", province: int | None = None
) -> dict[str, int]:
    """One query over the orders before `end`, grouped per customer, then added up:

    buyers (1+ order ever), repeat_buyers (2+ orders ever); active_before (an order in the window before the
    last one, [end - 2w, end - w)) and lost (of those, no order in the last window [end - w, end));
    year_buyers, year_orders, year_revenue (VND): the 365 days before `end` (AOV and frequency of the CLV).
    """
    window = dt.timedelta(days=window_days)
    middle, earliest, year_start = end - window, end - 2 * window, end - YEAR
    per_customer = (
        counted_orders(end, channel, province)
        .values("customer_id")
        .annotate(
            orders=Count("id"),
            prior_window=Count("id", filter=Q(placed_at__gte=earliest, placed_at__lt=middle)),
            last_window=Count("id", filter=Q(placed_at__gte=middle)),
            year_orders=Count("id", filter=Q(placed_at__gte=year_start)),
            year_revenue=Sum("total", filter=Q(placed_at__gte=year_start)),
        )
    )
    (row,) = _over(
        per_customer,
        "SELECT COUNT(*), SUM(CASE WHEN orders >= 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN prior_window > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN prior_window > 0 AND last_window = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN year_orders > 0 THEN 1 ELSE 0 END), SUM(year_orders), SUM(COALESCE(year_revenue, 0)) "
        "FROM {inner} t",
    )
    keys = ("buyers", "repeat_buyers", "active_before", "lost", "year_buyers", "year_orders", "year_revenue")
    return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}


def _local_month() -> Any:
    expression = ExtractYear("placed_at", tzinfo=clock.LOCAL_TZ) * Value(12) + ExtractMonth(
        "placed_at", tzinfo=clock.LOCAL_TZ
    ) - Value(1)
    return ExpressionWrapper(expression, output_field=IntegerField())


def cohort_counts(
    end: dt.datetime, first_month: int, *, channel: str = "", province: int | None = None
) -> dict[tuple[int, int], int]:
    """{(cohort month index, months since the first purchase): customers who bought that month}, for cohorts
    whose first purchase (ever, before `end`) fell in `first_month` or later. One query: the orders grouped
    per customer and local month, each customer's first month by a window function."""
    months = (
        counted_orders(end, channel, province)
        .annotate(local_month=_local_month())
        .values("customer_id", "local_month")
        .distinct()
    )
    rows = _over(
        months,
        "SELECT first_month, local_month - first_month, COUNT(*) FROM (SELECT customer_id, local_month, "
        "MIN(local_month) OVER (PARTITION BY customer_id) AS first_month FROM {inner} t) r "
        "WHERE first_month >= %s GROUP BY first_month, local_month - first_month",
        [first_month],
    )
    return {(int(cohort), int(offset)): int(count) for cohort, offset, count in rows}


def churned_customers(end: dt.datetime, window_days: int) -> QuerySet[Any]:
    """The customers counted as lost by `customer_facts` (the churn drill-down), last order first."""
    window = dt.timedelta(days=window_days)
    middle = end - window
    return (
        counted_orders(end)
        .filter(placed_at__gte=end - 2 * window)
        .values("customer_id", "customer__code", "customer__full_name")
        .annotate(
            prior_window=Count("id", filter=Q(placed_at__lt=middle)),
            last_window=Count("id", filter=Q(placed_at__gte=middle)),
            last_order_at=Max("placed_at"),
        )
        .filter(prior_window__gt=0, last_window=0)
        .order_by("-last_order_at", "customer_id")
    )
