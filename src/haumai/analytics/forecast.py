"""A simple weekly forecast per province or per product category of orders, returns and warranty claims, with
its backtest error.

Method (documented, no library): a 4-week moving average. The forecast for each of the next 8 weeks is the
mean of the last 4 complete local weeks (Monday-Sunday, Asia/Ho_Chi_Minh). Backtest: over the last 8 complete
weeks, each week is forecast from the 4 before it and compared with what happened; the error is the MAPE
(mean of |actual - forecast| / actual over weeks with actual > 0), shown beside the naive baseline (next week =
last week). A province with fewer than MIN_WEEKS weeks of history since its first order says so instead of a
number. The province is the customer's (their default address, else the first one); the category is the
product's (orders count their lines: an order of a phone and a case counts once in each category; returns
count their lines too; a claim counts its unit's product). One grouped query per kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncWeek

from haumai.analytics.days import local_day, start_of
from haumai.core import clock

WINDOW = 4
BACKTEST_WEEKS = 8
MIN_WEEKS = WINDOW + BACKTEST_WEEKS
HISTORY_WEEKS = 26
KINDS = ("orders", "returns", "claims")
GROUPINGS = ("province", "category")


@dataclass(frozen=True)
class RegionForecast:
    """One province (or category): the weekly forecast (None: too little history), its MAPE and the naive
    baseline's."""

    province: str  # the group's name: a province, or a category when grouped by category
    last_week: int
    forecast: float | None
    mape: float | None
    naive_mape: float | None


def _province(customer_path: str) -> Subquery:
    from haumai.customers.models import Address

    return Subquery(
        Address.objects.filter(customer_id=OuterRef(customer_path)).order_by("-is_default", "id").values(
            "province__name"
        )[:1]
    )


def _records(kind: str, start: dt.datetime, end: dt.datetime, by: str = "province") -> QuerySet[Any]:
    from haumai.returns.models import ReturnLine, ReturnRequest
    from haumai.sales.models import Order, OrderLine, OrderStatus
    from haumai.warranty.models import Claim

    rows: QuerySet[Any]
    if kind == "returns":
        live = ("rejected", "cancelled")
        if by == "category":
            rows = ReturnLine.objects.exclude(request__status__in=live).filter(
                request__requested_at__gte=start, request__requested_at__lt=end
            ).annotate(group=F("product__category__name"))
            moment = "request__requested_at"
        else:
            rows = ReturnRequest.objects.exclude(status__in=live).filter(
                requested_at__gte=start, requested_at__lt=end
            ).annotate(group=_province("customer_id"))
            moment = "requested_at"
    elif kind == "claims":
        rows = Claim.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        group = F("warranty__unit__product__category__name") if by == "category" else _province("customer_id")
        rows, moment = rows.annotate(group=group), "submitted_at"
    elif by == "category":
        rows = OrderLine.objects.exclude(order__status=OrderStatus.CANCELLED).filter(
            order__placed_at__gte=start, order__placed_at__lt=end
        ).annotate(group=F("product__category__name"))
        moment = "order__placed_at"
    else:
        rows = Order.objects.exclude(status=OrderStatus.CANCELLED).filter(
            placed_at__gte=start, placed_at__lt=end
        ).annotate(group=_province("customer_id"))
        moment = "placed_at"
    return (
        rows.annotate(week=TruncWeek(moment, tzinfo=clock.LOCAL_TZ))
        .values("group", "week")
        .annotate(n=Count("id"))
        .order_by()
    )


def _mape(actual: list[int], predicted: list[float]) -> float | None:
    pairs = [(a, p) for a, p in zip(actual, predicted, strict=True) if a > 0]
    if not pairs:
        return None
    return 100 * sum(abs(a - p) / a for a, p in pairs) / len(pairs)


def fit(series: list[int]) -> tuple[float | None, float | None, float | None]:
    """(forecast per week, MAPE of the moving average, MAPE of the naive baseline) from weekly counts, oldest
    first; Nones when there are fewer than MIN_WEEKS weeks."""
    if len(series) < MIN_WEEKS:
        return None, None, None
    tested = range(len(series) - BACKTEST_WEEKS, len(series))
    actual = [series[t] for t in tested]
    moving = [sum(series[t - WINDOW:t]) / WINDOW for t in tested]
    naive = [float(series[t - 1]) for t in tested]
    return sum(series[-WINDOW:]) / WINDOW, _mape(actual, moving), _mape(actual, naive)


def by_province(kind: str = "orders", today: dt.date | None = None, limit: int = 10) -> list[RegionForecast]:
    """The busiest provinces' weekly forecast for the next 8 weeks (one value: the moving average is flat)."""
    return weekly(kind, by="province", today=today, limit=limit)


def weekly(
    kind: str = "orders", *, by: str = "province", today: dt.date | None = None, limit: int = 10
) -> list[RegionForecast]:
    """The busiest groups' (provinces' or categories') weekly forecast of `kind` for the next 8 weeks."""
    if kind not in KINDS or by not in GROUPINGS:
        raise ValueError(f"forecast of {kind!r} by {by!r}")
    today = today or local_day(clock.now())
    this_monday = today - dt.timedelta(days=today.weekday())
    first_monday = this_monday - dt.timedelta(weeks=HISTORY_WEEKS)
    counts: dict[str, dict[dt.date, int]] = {}
    for row in _records(kind, start_of(first_monday), start_of(this_monday), by):
        week = row["week"]
        day = local_day(week) if isinstance(week, dt.datetime) else week
        per_week = counts.setdefault(row["group"] or "", {})  # no province/category and an empty one: one row
        per_week[day] = per_week.get(day, 0) + row["n"]
    weeks = [first_monday + dt.timedelta(weeks=k) for k in range(HISTORY_WEEKS)]
    result = []
    for province, per_week in counts.items():
        began = min(per_week)
        series = [per_week.get(week, 0) for week in weeks if week >= began]
        forecast, mape, naive = fit(series)
        result.append(RegionForecast(province, series[-1] if series else 0, forecast, mape, naive))
    result.sort(key=lambda r: (-(r.forecast or 0), -r.last_week, r.province))
    return result[:limit]
