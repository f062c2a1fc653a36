"""Every KPI defined once: its formula (shown next to the number, vi/en) and how it adds up daily rollups.

A KPI over a date range is computed from `DailyMetric` rows of those local days (Asia/Ho_Chi_Minh), never
from raw history. Formulas (DESIGN.md §3):
- CSAT = responses scoring 4-5 / all responses (1-5 scale), as a percentage.
- NPS = % promoters (9-10) minus % detractors (0-6), from -100 to 100.
- CES = mean of the 1-7 scores (lower is easier).
- Return rate = units returned (requested in the range, not rejected/cancelled) / units sold (ordered in the
  range, not cancelled).
- Return cycle time = mean of requested -> refund sent, over returns refunded in the range.
- Value tied up in returns = VND of return lines requested and not yet inspected (restocked or disposed) at
  the end of the range, not rejected/cancelled.

- FRT = mean of ticket created -> first public agent reply, over tickets first answered in the range, in
  calendar hours and in business hours (the team's SLA calendar).
- Next response time = mean of a customer message -> the agent's next public reply, after the first reply,
  over replies sent in the range (support.metrics.next_responses_between).
- Resolution time = mean of created -> solved, over tickets solved in the range.
- FCR = tickets solved with one public agent reply and never reopened / tickets solved in the range.
- Reopen rate = reopens in the range / tickets solved in the range.
- SLA attainment = SLA clocks met on time / SLA clocks finished (met on time, late or breached), over the
  tickets solved in the range.
- Backlog = tickets still needing work (new, open, pending) at the end of the range.
- Repair turnaround = mean hours on the technician's clock (intake -> ready; waiting for parts and for the
  customer's answer to a quote left out), over repairs made ready in the range.
- Repairs on target = repairs made ready within their centre's turnaround target / repairs made ready.
- Repeat repairs = repairs received for a unit repaired before / repairs received in the range.
- Warranty claim rate = claims submitted in the range per 1,000 units under warranty at its end.
- Pickup on time = shipments picked up by the end of their pickup window / shipments with a window first
  picked up in the range; delivered on time = delivered within the target days of being created / delivered
  in the range; lost and delayed (stuck) = shipments reported lost / flagged stuck in the range / shipments
  created in the range (haumai.shipping.metrics).
Customer KPIs (churn, repeat purchases, CLV, cohorts, RFM groups) are in analytics.customers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from haumai.analytics.models import DailyMetric

Sums = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Value:
    """A KPI's number (None when there is nothing to compute it from) with its parts, for the UI."""

    number: float | None
    display: str
    parts: str


@dataclass(frozen=True)
class Kpi:
    """One definition: label, formula text, the rollup metrics it reads, and how it turns sums into a value."""

    key: str
    label: Any
    formula: Any
    metrics: tuple[str, ...]
    compute: Callable[[Sums], Value]
    drill: str = ""  # the drill-down's name in analytics.views
    section: str = "voice"  # the dashboard group: voice (surveys), returns, support, service


def _none(parts: str = "") -> Value:
    return Value(None, "—", parts)


def csat(s: Sums) -> Value:
    """CSAT % = 4-5 responses / all responses."""
    n, hits = s["csat"]["n"], s["csat"]["hits"]
    if not n:
        return _none(str(_("no responses")))
    value = 100 * hits / n
    return Value(value, f"{value:.1f}%", f"{hits} / {n}")


def nps(s: Sums) -> Value:
    """NPS = % promoters - % detractors."""
    n, promoters, detractors = s["nps"]["n"], s["nps"]["hits"], s["nps"]["misses"]
    if not n:
        return _none(str(_("no responses")))
    value = 100 * (promoters - detractors) / n
    return Value(value, f"{value:+.0f}", f"({promoters} − {detractors}) / {n}")


def ces(s: Sums) -> Value:
    """CES = mean score (1-7)."""
    n, total = s["ces"]["n"], s["ces"]["total"]
    if not n:
        return _none(str(_("no responses")))
    value = total / n
    return Value(value, f"{value:.2f}", f"{total} / {n}")


def return_rate(s: Sums) -> Value:
    """Return rate % = units returned / units sold."""
    sold, returned = s["units_sold"]["n"], s["units_returned"]["n"]
    if not sold:
        return _none(str(_("no units sold")))
    value = 100 * returned / sold
    return Value(value, f"{value:.2f}%", f"{returned} / {sold}")


def cycle_time(s: Sums) -> Value:
    """Return cycle time (days) = sum of requested -> refunded / refunds."""
    n, seconds = s["refund_cycle"]["n"], s["refund_cycle"]["total"]
    if not n:
        return _none(str(_("no refunds")))
    days = seconds / n / 86400
    return Value(days, str(_("%(days).1f days") % {"days": days}), f"{seconds / 86400:.1f} / {n}")


def tied_up(s: Sums) -> Value:
    """Value tied up (VND) at the end of the range."""
    from haumai.core.money import format_vnd

    value, units = s["tied_up"]["total"], s["tied_up"]["n"]
    return Value(float(value), format_vnd(value), str(_("%(units)s units") % {"units": units}))


def _hours(seconds: float) -> str:
    return str(_("%(hours).1f h") % {"hours": seconds / 3600})


def _mean_hours(metric: str, empty: Any) -> Callable[[Sums], Value]:
    def compute(s: Sums) -> Value:
        n, seconds = s[metric]["n"], s[metric]["total"]
        if not n:
            return _none(str(empty))
        value = seconds / n
        return Value(value / 3600, _hours(value), f"{_hours(seconds)} / {n}")

    return compute


def _ratio(metric: str, empty: Any) -> Callable[[Sums], Value]:
    def compute(s: Sums) -> Value:
        n, hits = s[metric]["n"], s[metric]["hits"]
        if not n:
            return _none(str(empty))
        value = 100 * hits / n
        return Value(value, f"{value:.1f}%", f"{hits} / {n}")

    return compute


def reopen_rate(s: Sums) -> Value:
    """Reopen rate % = reopens / tickets solved."""
    solved, reopened = s["resolution"]["n"], s["reopened"]["n"]
    if not solved:
        return _none(str(_("no tickets solved")))
    value = 100 * reopened / solved
    return Value(value, f"{value:.1f}%", f"{reopened} / {solved}")


def backlog(s: Sums) -> Value:
    """Backlog = tickets still needing work at the end of the range."""
    n = s["backlog"]["n"]
    return Value(float(n), str(n), str(_("tickets")))


def claim_rate(s: Sums) -> Value:
    """Claims per 1,000 units under warranty."""
    claims, units = s["claims"]["n"], s["under_warranty"]["n"]
    if not units:
        return _none(str(_("no units under warranty")))
    value = 1000 * claims / units
    return Value(value, f"{value:.1f}‰", f"{claims} / {units}")


KPIS: list[Kpi] = [
    Kpi("csat", _("CSAT"), _("Responses scoring 4-5 ÷ all responses (scale 1-5)"), ("csat",), csat, drill="csat"),
    Kpi("nps", _("NPS"), _("% promoters (9-10) − % detractors (0-6), scale 0-10"), ("nps",), nps, drill="nps"),
    Kpi("ces", _("CES"), _("Mean effort score (1 = very easy, 7 = very difficult)"), ("ces",), ces, drill="ces"),
    Kpi(
        "return_rate",
        _("Return rate"),
        _("Units returned (requested in the period, not rejected or cancelled) ÷ units sold (ordered in the period)"),
        ("units_sold", "units_returned"),
        return_rate,
        drill="returned",
        section="returns",
    ),
    Kpi(
        "cycle_time",
        _("Return cycle time"),
        _("Mean time from return requested to refund sent, for returns refunded in the period"),
        ("refund_cycle",),
        cycle_time,
        drill="refunded",
        section="returns",
    ),
    Kpi(
        "tied_up",
        _("Value tied up in returns"),
        _("Value of returned units requested but not yet inspected (restocked or disposed) at the end of the period"),
        ("tied_up",),
        tied_up,
        drill="tied_up",
        section="returns",
    ),
    Kpi(
        "frt",
        _("First response time (FRT), calendar hours"),
        _("Mean time from ticket created to the first public agent reply, over tickets first answered in the period"),
        ("frt",),
        _mean_hours("frt", _("no first replies")),
        drill="first_responses",
        section="support",
    ),
    Kpi(
        "frt_business",
        _("First response time (FRT), business hours"),
        _("The same, counting only the team's working hours (shifts, breaks, closed days and public holidays)"),
        ("frt_business",),
        _mean_hours("frt_business", _("no first replies")),
        drill="first_responses",
        section="support",
    ),
    Kpi(
        "next_response",
        _("Next response time"),
        _(
            "Mean time from a customer's message to the agent's next public reply, after the first reply, over "
            "replies sent in the period (calendar hours; waiting starts at the first unanswered message)"
        ),
        ("next_response",),
        _mean_hours("next_response", _("no next replies")),
        drill="next_responses",
        section="support",
    ),
    Kpi(
        "resolution",
        _("Resolution time"),
        _("Mean time from ticket created to solved, over tickets solved in the period (calendar hours)"),
        ("resolution",),
        _mean_hours("resolution", _("no tickets solved")),
        drill="solved",
        section="support",
    ),
    Kpi(
        "fcr",
        _("First contact resolution (FCR)"),
        _("Tickets solved with one public agent reply and never reopened ÷ tickets solved in the period"),
        ("fcr",),
        _ratio("fcr", _("no tickets solved")),
        drill="solved",
        section="support",
    ),
    Kpi(
        "reopen_rate",
        _("Reopen rate"),
        _("Reopens in the period ÷ tickets solved in the period"),
        ("reopened", "resolution"),
        reopen_rate,
        drill="reopened",
        section="support",
    ),
    Kpi(
        "sla",
        _("SLA attainment"),
        _(
            "SLA clocks met on time ÷ SLA clocks finished (first reply, next reply, resolution) "
            "of the tickets solved in the period"
        ),
        ("sla",),
        _ratio("sla", _("no SLA clocks finished")),
        drill="solved",
        section="support",
    ),
    Kpi(
        "backlog",
        _("Backlog"),
        _("Tickets still needing work (new, open or waiting on the customer) at the end of the period"),
        ("backlog",),
        backlog,
        drill="backlog",
        section="support",
    ),
]
KPIS += [
    Kpi(
        "repair_turnaround",
        _("Repair turnaround"),
        _(
            "Mean hours on the technician's clock from intake to ready (waiting for parts or for the customer's "
            "answer to a quote left out), over repairs made ready in the period"
        ),
        ("repair_ready",),
        _mean_hours("repair_ready", _("no repairs made ready")),
        drill="repairs_ready",
        section="service",
    ),
    Kpi(
        "repair_on_target",
        _("Repairs on target"),
        _("Repairs made ready within their service centre's turnaround target ÷ repairs made ready in the period"),
        ("repair_ready",),
        _ratio("repair_ready", _("no repairs made ready")),
        drill="repairs_ready",
        section="service",
    ),
    Kpi(
        "repeat_repairs",
        _("Repeat repairs"),
        _("Repairs received for a unit that was repaired before ÷ repairs received in the period"),
        ("repair_intake",),
        _ratio("repair_intake", _("no repairs received")),
        drill="repairs_received",
        section="service",
    ),
    Kpi(
        "claim_rate",
        _("Warranty claim rate"),
        _("Warranty claims submitted in the period per 1,000 units under warranty at its end"),
        ("claims", "under_warranty"),
        claim_rate,
        drill="claims",
        section="service",
    ),
]
def _per_created(metric: str) -> Callable[[Sums], Value]:
    def compute(s: Sums) -> Value:
        created, n = s["shipments"]["n"], s[metric]["n"]
        if not created:
            return _none(str(_("no shipments created")))
        value = 100 * n / created
        return Value(value, f"{value:.2f}%", f"{n} / {created}")

    return compute


KPIS += [
    Kpi(
        "pickup_on_time",
        _("Pickup on time"),
        _(
            "Shipments picked up by the end of their pickup window ÷ shipments with a window first picked up in "
            "the period"
        ),
        ("pickup",),
        _ratio("pickup", _("no pickups")),
        section="shipping",
    ),
    Kpi(
        "delivered_on_time",
        _("Delivered on time"),
        _("Shipments delivered within the target days of being created ÷ shipments delivered in the period"),
        ("delivery",),
        _ratio("delivery", _("no deliveries")),
        section="shipping",
    ),
    Kpi(
        "lost_rate",
        _("Lost parcels"),
        _("Shipments reported lost in the period ÷ shipments created in the period"),
        ("lost", "shipments"),
        _per_created("lost"),
        drill="lost",
        section="shipping",
    ),
    Kpi(
        "delayed_rate",
        _("Delayed (stuck) parcels"),
        _("Shipments flagged stuck (no carrier report for the stuck threshold) in the period ÷ shipments created"),
        ("delayed", "shipments"),
        _per_created("delayed"),
        section="shipping",
    ),
]
SECTIONS = (
    ("voice", _("Customer voice")),
    ("returns", _("Returns")),
    ("support", _("Support")),
    ("service", _("Warranty and repairs")),
    ("shipping", _("Carriers")),
)
# Levels at the end of a range (read from its last day), not sums over it.
LEVEL_METRICS = frozenset({"tied_up", "backlog", "under_warranty"})
BY_KEY = {kpi.key: kpi for kpi in KPIS}


def sums(first: dt.date, last: dt.date, metrics: set[str]) -> Sums:
    """Per metric, the sums of n/hits/misses/total over [first, last] (one grouped query)."""
    result: Sums = defaultdict(lambda: {"n": 0, "hits": 0, "misses": 0, "total": 0})
    rows = (
        DailyMetric.objects.filter(day__gte=first, day__lte=last, metric__in=metrics)
        .values("metric")
        .annotate(n=Sum("n"), hits=Sum("hits"), misses=Sum("misses"), total=Sum("total"))
        .order_by()
    )
    for row in rows:
        result[row["metric"]] = {k: int(row[k] or 0) for k in ("n", "hits", "misses", "total")}
    return result


def snapshot(day: dt.date, metrics: set[str]) -> Sums:
    """The rows of one day (levels such as the value tied up)."""
    result: Sums = defaultdict(lambda: {"n": 0, "hits": 0, "misses": 0, "total": 0})
    for row in DailyMetric.objects.filter(day=day, metric__in=metrics).values("metric", "n", "hits", "misses", "total"):
        result[row["metric"]] = {"n": row["n"], "hits": row["hits"], "misses": row["misses"], "total": row["total"]}
    return result


def evaluate(first: dt.date, last: dt.date) -> list[tuple[Kpi, Value]]:
    """Every KPI over [first, last], in two queries."""
    metrics = {m for k in KPIS for m in k.metrics}
    summed = sums(first, last, metrics - LEVEL_METRICS)
    summed.update(snapshot(last, metrics & LEVEL_METRICS))
    return [(kpi, kpi.compute(summed)) for kpi in KPIS]


def daily_series(first: dt.date, last: dt.date, keys: tuple[str, ...]) -> dict[str, list[float | None]]:
    """Per KPI, one value per day of [first, last] (the chart), from one query."""
    metrics = {m for key in keys for m in BY_KEY[key].metrics}
    by_day: dict[dt.date, Sums] = defaultdict(lambda: defaultdict(lambda: {"n": 0, "hits": 0, "misses": 0, "total": 0}))
    for row in DailyMetric.objects.filter(day__gte=first, day__lte=last, metric__in=metrics).values(
        "day", "metric", "n", "hits", "misses", "total"
    ):
        by_day[row["day"]][row["metric"]] = {
            "n": row["n"], "hits": row["hits"], "misses": row["misses"], "total": row["total"]
        }
    series: dict[str, list[float | None]] = {key: [] for key in keys}
    day = first
    while day <= last:
        for key in keys:
            series[key].append(BY_KEY[key].compute(by_day[day]).number)
        day += dt.timedelta(days=1)
    return series
