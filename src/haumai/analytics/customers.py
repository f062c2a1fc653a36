"""Customer KPIs: retention cohorts, churn, repeat purchases, a CLV estimate, and the RFM groups.

One definition each (the formula text is shown next to the number). Orders that were cancelled and
customers merged into another one are left out; months are local months in Asia/Ho_Chi_Minh. `end` is the
end of the dashboard's last day.
- Churn rate = customers with an order in the window before the last one ([end - 2W, end - W)) and none in
  the last window ([end - W, end)) / customers with an order in the window before the last one. W is
  `HAUMAI_CHURN_WINDOW_DAYS` (default 90 days, kept within 7-365).
- Repeat-purchase rate = customers with 2 or more orders / customers with 1 or more order, before `end`.
- CLV (historical estimate of revenue, not margin; no BG/NBD model) = average order value x orders per
  customer per year x expected lifetime in years. AOV and frequency come from the 365 days before `end`
  (revenue / orders, orders / customers who ordered); expected lifetime = 1 / yearly churn, with the yearly
  churn = churn rate x 365 / W, capped at MAX_LIFETIME_YEARS (also when nobody churned).
- Repeat purchase after NPS = NPS answers of promoters (9-10) followed by an order of the same customer before
  `end` / promoters' NPS answers before `end`; the same for detractors (0-6). Per answer, not per customer.
- Retention cohorts: customers grouped by the local month of their first order; the cell "+k" is the share
  of the cohort that ordered in month first + k (blank when that month has not started yet).
These read the orders with one grouped statement each (sales.metrics), not the daily rollups: a cohort or
a churn figure depends on every customer's whole history, which a per-day row cannot add up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from haumai.analytics.days import start_of
from haumai.analytics.kpis import Value
from haumai.core.money import format_vnd
from haumai.sales import metrics as sales_metrics

DEFAULT_CHURN_DAYS = 90
MIN_CHURN_DAYS, MAX_CHURN_DAYS = 7, 365
MAX_LIFETIME_YEARS = 10
COHORT_MONTHS = 12  # cohorts shown (the newest months)
COHORT_OFFSETS = 6  # months +1..+6


@dataclass(frozen=True)
class Card:
    """A customer KPI's label and formula (the dashboard renders it like a rollup KPI)."""

    key: str
    label: Any
    formula: Any
    drill: str = ""


CARDS = {
    "churn": Card(
        "churn",
        _("Churn rate"),
        _(
            "Customers with an order in the window before the last one and none in the last window ÷ customers "
            "with an order in the window before the last one (window: %(days)s days up to the end of the period)"
        ),
        drill="churned",
    ),
    "repeat": Card(
        "repeat",
        _("Repeat-purchase rate"),
        _("Customers with 2 or more orders ÷ customers with at least one order, up to the end of the period"),
    ),
    "promoters_repeat": Card(
        "promoters_repeat",
        _("Promoters who bought again"),
        _("Promoters' NPS answers (9-10) followed by an order from the same customer ÷ promoters' NPS answers, "
          "up to the end of the period"),
    ),
    "detractors_repeat": Card(
        "detractors_repeat",
        _("Detractors who bought again"),
        _("Detractors' NPS answers (0-6) followed by an order from the same customer ÷ detractors' NPS answers, "
          "up to the end of the period"),
    ),
    "clv": Card(
        "clv",
        _("Customer lifetime value (CLV), estimate"),
        _(
            "Average order value × orders per customer per year (both over the last 365 days) × expected "
            "lifetime in years (1 ÷ yearly churn, at most %(years)s years); revenue, not margin"
        ),
    ),
}


def churn_window() -> int:
    """The churn window in days: `HAUMAI_CHURN_WINDOW_DAYS` (default 90), kept within 7-365."""
    days = int(getattr(settings, "HAUMAI_CHURN_WINDOW_DAYS", DEFAULT_CHURN_DAYS) or DEFAULT_CHURN_DAYS)
    return max(MIN_CHURN_DAYS, min(MAX_CHURN_DAYS, days))


def _end(last: dt.date) -> dt.datetime:
    return start_of(last + dt.timedelta(days=1))


def churn_value(facts: dict[str, int]) -> Value:
    """Churn % = lost / active in the window before the last one."""
    before, lost = facts["active_before"], facts["lost"]
    if not before:
        return Value(None, "—", str(_("no customers ordered in the earlier window")))
    value = 100 * lost / before
    return Value(value, f"{value:.1f}%", f"{lost} / {before}")


def repeat_value(facts: dict[str, int]) -> Value:
    """Repeat-purchase % = customers with 2+ orders / customers with 1+."""
    buyers, repeat = facts["buyers"], facts["repeat_buyers"]
    if not buyers:
        return Value(None, "—", str(_("no orders")))
    value = 100 * repeat / buyers
    return Value(value, f"{value:.1f}%", f"{repeat} / {buyers}")


def share_value(followed: int, answers: int) -> Value:
    """followed / answers as a percentage, or no number when nobody answered."""
    if not answers:
        return Value(None, "—", str(_("no NPS answers")))
    value = 100 * followed / answers
    return Value(value, f"{value:.1f}%", f"{followed} / {answers}")


def clv_value(facts: dict[str, int], window_days: int) -> Value:
    """CLV (VND) = AOV x yearly frequency x expected lifetime (years)."""
    orders, buyers, revenue = facts["year_orders"], facts["year_buyers"], facts["year_revenue"]
    if not orders:
        return Value(None, "—", str(_("no orders in the last 365 days")))
    aov, frequency = revenue / orders, orders / buyers
    churn = facts["lost"] / facts["active_before"] if facts["active_before"] else 0.0
    yearly_churn = min(1.0, churn * 365 / window_days)
    lifetime = min(float(MAX_LIFETIME_YEARS), 1 / yearly_churn) if yearly_churn else float(MAX_LIFETIME_YEARS)
    value = round(aov * frequency * lifetime)
    parts = _("%(aov)s × %(frequency).2f orders/year × %(years).1f years") % {
        "aov": format_vnd(round(aov)), "frequency": frequency, "years": lifetime,
    }  # fmt: skip
    return Value(float(value), format_vnd(value), str(parts))


def repeat_after_nps(end: dt.datetime, channel: str = "", province: int | None = None) -> dict[str, tuple[int, int]]:
    """{"promoter"|"detractor": (answers followed by an order, answers)} for NPS answers before `end`.

    An answer counts as followed when the same customer placed a counted order after it and before `end`
    (one grouped query; passives (7-8) are left out)."""
    from django.db.models import Case, Count, Exists, OuterRef, Q, When
    from django.db.models import Value as Constant

    from haumai.surveys.models import Response

    later = sales_metrics.counted_orders(end, channel, province).filter(
        customer_id=OuterRef("customer_id"), placed_at__gt=OuterRef("submitted_at")
    )
    rows = (
        Response.objects.filter(kind="nps", submitted_at__lt=end, score__isnull=False,
                                customer__merged_into__isnull=True)
        .annotate(
            group=Case(When(score__gte=9, then=Constant("promoter")), When(score__lte=6, then=Constant("detractor")),
                       default=Constant("passive")),
            bought=Exists(later),
        )
        .exclude(group="passive")
        .values("group")
        .annotate(n=Count("id"), followed=Count("id", filter=Q(bought=True)))
        .order_by()
    )  # fmt: skip
    found = {row["group"]: (row["followed"], row["n"]) for row in rows}
    return {group: found.get(group, (0, 0)) for group in ("promoter", "detractor")}


def customer_kpis(
    last: dt.date, window_days: int, *, channel: str = "", province: int | None = None
) -> list[tuple[Card, Value, str]]:
    """(card, value, formula text) for churn, repeat purchases (also after promoters' and detractors' NPS
    answers) and CLV at the end of `last` (two queries)."""
    facts = sales_metrics.customer_facts(_end(last), window_days, channel=channel, province=province)
    nps = repeat_after_nps(_end(last), channel=channel, province=province)
    return [
        (CARDS["churn"], churn_value(facts), str(CARDS["churn"].formula) % {"days": window_days}),
        (CARDS["repeat"], repeat_value(facts), str(CARDS["repeat"].formula)),
        (CARDS["promoters_repeat"], share_value(*nps["promoter"]), str(CARDS["promoters_repeat"].formula)),
        (CARDS["detractors_repeat"], share_value(*nps["detractor"]), str(CARDS["detractors_repeat"].formula)),
        (CARDS["clv"], clv_value(facts, window_days), str(CARDS["clv"].formula) % {"years": MAX_LIFETIME_YEARS}),
    ]


@dataclass(frozen=True)
class CohortRow:
    """One first-purchase month: its size and, per month after it, the share that ordered again (None: not yet)."""

    month: dt.date
    size: int
    shares: list[float | None]


def cohorts(
    last: dt.date, months: int = COHORT_MONTHS, offsets: int = COHORT_OFFSETS, *, channel: str = "",
    province: int | None = None,
) -> list[CohortRow]:
    """The newest `months` cohorts up to the month of `last`, with months +1..+offsets (one query)."""
    last_month = sales_metrics.month_index(last.year, last.month)
    first_month = last_month - months + 1
    counts = sales_metrics.cohort_counts(_end(last), first_month, channel=channel, province=province)
    rows = []
    for cohort in range(first_month, last_month + 1):
        size = counts.get((cohort, 0), 0)
        if not size:
            continue
        shares: list[float | None] = [
            100 * counts.get((cohort, k), 0) / size if cohort + k <= last_month else None for k in range(1, offsets + 1)
        ]
        rows.append(CohortRow(sales_metrics.month_of(cohort), size, shares))
    return rows


RFM_LABELS = {
    "champions": (_("Champions"), _("Bought recently and often (R 4-5, F 4-5)")),
    "loyal": (_("Loyal"), _("Regular buyers (R 3-5, F 3-5)")),
    "recent": (_("New or recent"), _("Bought recently, not often yet (R 4-5, F 1-2)")),
    "at_risk": (_("At risk"), _("Used to buy often, not lately (R 1-2, F 3-5)")),
    "hibernating": (_("Hibernating"), _("Few orders, long ago (R 1-2, F 1-2)")),
    "needs_attention": (_("Needs attention"), _("In between (R 3, F 1-2)")),
}


def rfm_groups() -> list[dict[str, Any]]:
    """The named RFM groups with their share of the scored customers (segments' nightly scores, one query)."""
    from haumai.segments import selectors as segment_selectors

    rows = segment_selectors.rfm_distribution()
    total = sum(row["customers"] for row in rows)
    return [
        {
            **row,
            "label": RFM_LABELS[row["group"]][0],
            "rule": RFM_LABELS[row["group"]][1],
            "share": f"{100 * row['customers'] / total:.1f}%" if total else "—",
            "spend_display": format_vnd(int(row["spend"])),
        }
        for row in rows
    ]
