"""Drill-downs: the raw records behind each KPI number (paginated pages, streamed exports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haumai.analytics.days import start_of
from haumai.analytics.models import DailyMetric
from haumai.core import clock


def _local(moment: Any) -> str:
    return moment.astimezone(clock.LOCAL_TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


def _range(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return start_of(first), start_of(last + dt.timedelta(days=1))


def _responses(kind: str) -> Callable[[dt.date, dt.date], QuerySet[Any]]:
    def queryset(first: dt.date, last: dt.date) -> QuerySet[Any]:
        from haumai.surveys import selectors

        start, end = _range(first, last)
        return selectors.response_list(kind=kind, since=start, until=end).filter(score__isnull=False)

    return queryset


def _response_row(r: Any, user: Any) -> list[Any]:
    return [
        r.invitation.code,
        _local(r.submitted_at),
        r.survey.name,
        r.score,
        r.subject_code,
        r.customer.code,
        r.comment[:200],
    ]


def _returned(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.returns import selectors

    return selectors.returned_lines_between(*_range(first, last))


def _line_row(line: Any, user: Any) -> list[Any]:
    return [
        line.request.code,
        _local(line.request.requested_at),
        line.product.sku,
        line.product.name,
        line.quantity,
        line.unit_price * line.quantity,
        line.request.get_status_display(),
    ]


def _refunded(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.returns import selectors

    return selectors.refunded_between(*_range(first, last))


def _refund_row(rma: Any, user: Any) -> list[Any]:
    days = (rma.refund_sent_at - rma.requested_at).total_seconds() / 86400
    return [rma.code, _local(rma.requested_at), _local(rma.refund_sent_at), f"{days:.1f}", rma.refund_amount]


def _tied(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.returns import selectors

    return selectors.tied_up_at(start_of(last + dt.timedelta(days=1)))


def _first_responses(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.support import metrics

    return metrics.first_responses_between(*_range(first, last))


def _solved(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.support import metrics

    return metrics.solved_between(*_range(first, last))


def _reopened(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.support import metrics

    return metrics.reopens_between(*_range(first, last))


def _next_responses(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.support import metrics

    return metrics.next_responses_between(*_range(first, last))


def _next_response_row(message: Any, user: Any) -> list[Any]:
    ticket = message.ticket
    return [
        ticket.code, _local(message.waiting_since), _local(message.sent_at),
        _hours_between(message.waiting_since, message.sent_at), _agent(message.author), ticket.customer.code,
    ]  # fmt: skip


def _churned(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.analytics.customers import churn_window
    from haumai.sales import metrics

    return metrics.churned_customers(start_of(last + dt.timedelta(days=1)), churn_window())


def _churned_row(row: Any, user: Any) -> list[Any]:
    return [row["customer__code"], _local(row["last_order_at"]), row["prior_window"]]


def _lost(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.shipping import metrics

    return metrics.lost_between(*_range(first, last))


def _lost_row(shipment: Any, user: Any) -> list[Any]:
    return [
        shipment.code, _local(shipment.created_at), shipment.carrier.name, shipment.tracking_code,
        shipment.get_direction_display(), shipment.reference, shipment.customer.code if shipment.customer else "",
    ]  # fmt: skip


def _backlog(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.support import metrics

    return metrics.backlog_at(start_of(last + dt.timedelta(days=1)))


def _agent(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else str(_("Unassigned"))


def _hours_between(a: Any, b: Any) -> str:
    return f"{(b - a).total_seconds() / 3600:.1f}" if a and b else ""


def _first_response_row(ticket: Any, user: Any) -> list[Any]:
    return [
        ticket.code, _local(ticket.created_at), _local(ticket.first_response_at),
        _hours_between(ticket.created_at, ticket.first_response_at), _agent(ticket.assignee),
        ticket.get_channel_display(), ticket.customer.code,
    ]  # fmt: skip


def _solved_row(ticket: Any, user: Any) -> list[Any]:
    fcr = _("yes") if ticket.first_contact_resolution else _("no")
    late = [name for name, state in (ticket.sla_states or {}).items() if state in ("met_late", "breached")]
    return [
        ticket.code, _local(ticket.created_at), _local(ticket.solved_then),
        _hours_between(ticket.created_at, ticket.solved_then), _agent(ticket.assignee), str(fcr),
        ticket.reopen_count, ", ".join(late), ticket.customer.code,
    ]  # fmt: skip


def _reopen_row(change: Any, user: Any) -> list[Any]:
    ticket = change.ticket
    return [ticket.code, _local(change.at), _agent(ticket.assignee), ticket.get_channel_display(), ticket.customer.code]


def _backlog_row(ticket: Any, user: Any) -> list[Any]:
    return [
        ticket.code, _local(ticket.created_at), ticket.get_status_display(), ticket.get_priority_display(),
        _agent(ticket.assignee), ticket.get_channel_display(), ticket.customer.code,
    ]  # fmt: skip


def _repairs_ready(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.repairs import selectors

    return selectors.ready_between(*_range(first, last))


def _repairs_received(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.repairs import selectors

    return selectors.received_between(*_range(first, last))


def _claims(first: dt.date, last: dt.date) -> QuerySet[Any]:
    from haumai.warranty import selectors

    return selectors.claims_between(*_range(first, last))


def _ready_row(order: Any, user: Any) -> list[Any]:
    from haumai.repairs import selectors

    clock_ = selectors.turnaround(order)
    on_target = _("yes") if not clock_.late else _("no")
    return [
        order.code, _local(order.received_at), _local(order.ready_at), f"{clock_.working_hours:.1f}",
        f"{clock_.waiting_hours:.1f}", clock_.target_hours, str(on_target), order.service_center.name,
        order.unit.product.name,
    ]  # fmt: skip


def _received_row(order: Any, user: Any) -> list[Any]:
    return [
        order.code, _local(order.received_at), order.unit.product.name, order.unit.serial,
        order.repeat_of.code if order.repeat_of else "", order.service_center.name, order.get_status_display(),
    ]  # fmt: skip


def _claim_row(claim: Any, user: Any) -> list[Any]:
    unit = claim.warranty.unit
    covered = _("yes") if claim.covered else _("no")
    return [
        claim.code, _local(claim.submitted_at), unit.product.name, unit.serial, claim.get_status_display(),
        str(covered), claim.customer.code,
    ]  # fmt: skip


@dataclass(frozen=True)
class DrillSpec:
    """What one drill-down lists."""

    kpi: str
    title: Any
    header: tuple[Any, ...]
    queryset: Callable[[dt.date, dt.date], QuerySet[Any]]
    row: Callable[[Any, Any], list[Any]]
    link: str = ""  # "response" | "return" | "ticket" | "repair" | "claim" | "customer" | "shipment": link


RESPONSE_HEADER = (_("Invitation"), _("Answered"), _("Survey"), _("Score"), _("About"), _("Customer"), _("Comment"))
LINE_HEADER = (_("Return"), _("Requested"), _("SKU"), _("Product"), _("Quantity"), _("Value (VND)"), _("State"))
SPECS: dict[str, DrillSpec] = {
    "csat": DrillSpec("csat", _("CSAT responses"), RESPONSE_HEADER, _responses("csat"), _response_row, "response"),
    "nps": DrillSpec("nps", _("NPS responses"), RESPONSE_HEADER, _responses("nps"), _response_row, "response"),
    "ces": DrillSpec("ces", _("CES responses"), RESPONSE_HEADER, _responses("ces"), _response_row, "response"),
    "returned": DrillSpec("return_rate", _("Returned units"), LINE_HEADER, _returned, _line_row, "return"),
    "refunded": DrillSpec(
        "cycle_time",
        _("Refunded returns"),
        (_("Return"), _("Requested"), _("Refund sent"), _("Days"), _("Refund (VND)")),
        _refunded,
        _refund_row,
        "return",
    ),
    "tied_up": DrillSpec("tied_up", _("Returned units not yet inspected"), LINE_HEADER, _tied, _line_row, "return"),
    "first_responses": DrillSpec(
        "frt",
        _("Tickets first answered"),
        (_("Ticket"), _("Created"), _("First reply"), _("Hours"), _("Agent"), _("Channel"), _("Customer")),
        _first_responses,
        _first_response_row,
        "ticket",
    ),
    "next_responses": DrillSpec(
        "next_response",
        _("Next replies to customers"),
        (_("Ticket"), _("Customer wrote"), _("Agent replied"), _("Hours"), _("Agent"), _("Customer")),
        _next_responses,
        _next_response_row,
        "ticket",
    ),
    "churned": DrillSpec(
        "churn",
        _("Customers lost (churned)"),
        (_("Customer"), _("Last order"), _("Orders in the earlier window")),
        _churned,
        _churned_row,
        "customer",
    ),
    "lost": DrillSpec(
        "lost_rate",
        _("Shipments reported lost"),
        (_("Shipment"), _("Created"), _("Carrier"), _("Carrier code"), _("Direction"), _("For"), _("Customer")),
        _lost,
        _lost_row,
        "shipment",
    ),
    "solved": DrillSpec(
        "resolution",
        _("Tickets solved"),
        (_("Ticket"), _("Created"), _("Solved"), _("Hours"), _("Agent"), _("FCR"), _("Reopens"), _("SLA missed"),
         _("Customer")),
        _solved,
        _solved_row,
        "ticket",
    ),
    "reopened": DrillSpec(
        "reopen_rate",
        _("Reopened tickets"),
        (_("Ticket"), _("Reopened"), _("Agent"), _("Channel"), _("Customer")),
        _reopened,
        _reopen_row,
        "ticket",
    ),
    "backlog": DrillSpec(
        "backlog",
        _("Tickets in the backlog"),
        (_("Ticket"), _("Created"), _("State now"), _("Priority"), _("Agent"), _("Channel"), _("Customer")),
        _backlog,
        _backlog_row,
        "ticket",
    ),
    "repairs_ready": DrillSpec(
        "repair_turnaround",
        _("Repairs made ready"),
        (_("Repair"), _("Received"), _("Ready"), _("Working hours"), _("Waiting hours"), _("Target hours"),
         _("On target"), _("Service centre"), _("Product")),
        _repairs_ready,
        _ready_row,
        "repair",
    ),
    "repairs_received": DrillSpec(
        "repeat_repairs",
        _("Repairs received"),
        (_("Repair"), _("Received"), _("Product"), _("Serial"), _("Repeat of"), _("Service centre"), _("State")),
        _repairs_received,
        _received_row,
        "repair",
    ),
    "claims": DrillSpec(
        "claim_rate",
        _("Warranty claims submitted"),
        (_("Claim"), _("Submitted"), _("Product"), _("Serial"), _("State"), _("Covered"), _("Customer")),
        _claims,
        _claim_row,
        "claim",
    ),
}


def daily_rows(first: dt.date, last: dt.date) -> tuple[list[str], Iterator[list[Any]]]:
    """The rollup table itself, for export."""
    rows = DailyMetric.objects.filter(day__gte=first, day__lte=last).order_by("day", "metric")
    return (
        ["day", "metric", "n", "hits", "misses", "total"],
        ([r.day.isoformat(), r.metric, r.n, r.hits, r.misses, r.total] for r in rows.iterator(chunk_size=2000)),
    )
