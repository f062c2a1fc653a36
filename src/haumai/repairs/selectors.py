"""Reads of repair orders: the technician queue, one order with everything its page shows, the
customer's repairs, and the turnaround clock from the state history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.repairs.models import (
    OPEN_STATUSES,
    QuoteLine,
    RepairOrder,
    RepairStateChange,
    RepairStatus,
    ServiceCenter,
)

S = RepairStatus
QUEUES = ("mine", "unassigned", "waiting_parts", "qc", "ready", "goodwill", "open", "all")


def _base() -> QuerySet[RepairOrder]:
    return RepairOrder.objects.select_related(
        "unit__product", "customer", "service_center", "technician", "claim__warranty"
    )


def repair_queue(
    *, queue: str = "open", user: Any = None, q: str = "", center: str = "", status: str = ""
) -> QuerySet[RepairOrder]:
    """Orders of one queue (mine, unassigned, waiting parts, QC, ready, open, all), oldest promise first."""
    rows = _base().prefetch_related(Prefetch("changes", queryset=RepairStateChange.objects.order_by("at", "id")))
    if queue == "mine":
        rows = rows.filter(technician=user, status__in=OPEN_STATUSES).exclude(status=S.RETURNED)
    elif queue == "unassigned":
        rows = rows.filter(technician__isnull=True, status__in=(S.RECEIVED, S.DIAGNOSING))
    elif queue == "waiting_parts":
        rows = rows.filter(status=S.WAITING_PARTS)
    elif queue == "qc":
        rows = rows.filter(status=S.QC)
    elif queue == "ready":
        rows = rows.filter(status=S.READY)
    elif queue == "goodwill":
        rows = rows.filter(goodwill_status="pending")
    elif queue == "open":
        rows = rows.filter(status__in=OPEN_STATUSES).exclude(status=S.RETURNED)
    if status and status in S.values:
        rows = rows.filter(status=status)
    if center:
        rows = rows.filter(service_center__code=center)
    text = q.strip()
    if text:
        rows = rows.filter(Q(code=text.upper()) | Q(unit__serial=text) | Q(unit__imei=text))
    if queue == "all":
        return rows.order_by("-received_at", "-id")
    return rows.order_by("promised_at", "id")


def repair_by_code(code: str) -> RepairOrder:
    """One order with its lines, parts, photos, loans and history, or NotFound."""
    found = (
        _base()
        .select_related("outsourced_to", "repeat_of", "source_return")
        .prefetch_related(
            Prefetch("changes", queryset=RepairStateChange.objects.select_related("actor").order_by("at", "id")),
            Prefetch("lines", queryset=QuoteLine.objects.select_related("part").order_by("id")),
            "parts__part",
            "photos",
            "loans",
        )
        .filter(code=code.strip().upper()[:24])
        .first()
    )
    if found is None:
        raise NotFound(_("No repair order %(code)s") % {"code": code[:24]})
    return found


def customer_repairs(customer: Customer, *, limit: int = 50) -> list[RepairOrder]:
    """A customer's repairs, newest first."""
    return list(_base().filter(customer=customer).order_by("-received_at", "-id")[:limit])


def customer_repair(customer: Customer, code: str) -> RepairOrder:
    """One of the customer's own repairs (another customer's code is NotFound)."""
    order = repair_by_code(code)
    if order.customer_id != customer.pk:
        raise NotFound(_("No repair order %(code)s") % {"code": code[:24]})
    return order


def timeline(order: RepairOrder) -> QuerySet[Event]:
    """The order's events, oldest first."""
    return Event.objects.filter(subject_type="repairs.repairorder", subject_id=str(order.pk)).order_by(
        "occurred_at", "id"
    )


def carrier_choices() -> list[tuple[str, str]]:
    """Active carriers that can take a parcel to or from a brand centre (not a drop-off): (code, name)."""
    from haumai.shipping.models import Carrier, CarrierKind

    rows = Carrier.objects.filter(is_active=True).exclude(kind=CarrierKind.DROPOFF).order_by("name")
    return list(rows.values_list("code", "name"))


def service_centers(*, kind: str = "") -> QuerySet[ServiceCenter]:
    """Active service centres (of one kind)."""
    rows = ServiceCenter.objects.filter(is_active=True).select_related("warehouse")
    return rows.filter(kind=kind) if kind else rows


@dataclass(frozen=True)
class Turnaround:
    """The technician's clock (waiting for parts left out) against the centre's target."""

    working_hours: float
    waiting_hours: float
    target_hours: int
    late: bool
    running: bool

    @property
    def percent(self) -> int:
        """Share of the target used (capped at 100 for the bar)."""
        return min(100, int(100 * self.working_hours / self.target_hours)) if self.target_hours else 0


def turnaround(order: RepairOrder, *, now: dt.datetime | None = None) -> Turnaround:
    """Hours on the clock from intake to ready (or now), split into working and waiting for parts."""
    changes = list(order.changes.all())  # prefetched by the selectors above
    end = order.ready_at or now or clock.now()
    working = waiting = 0.0
    start = order.received_at
    current: str = S.RECEIVED
    for change in changes:
        if change.to_status == S.RECEIVED:
            continue
        at = max(change.at, start)
        if at > end:
            break
        span = (at - start).total_seconds() / 3600
        if current == S.WAITING_PARTS:
            waiting += span
        elif current not in (S.QUOTED, S.DECLINED):  # waiting for the customer's answer is not ours either
            working += span
        start, current = at, change.to_status
    if end > start and current not in (S.READY, S.RETURNED, S.CLOSED):
        span = (end - start).total_seconds() / 3600
        if current == S.WAITING_PARTS:
            waiting += span
        elif current not in (S.QUOTED, S.DECLINED):
            working += span
    target = order.service_center.turnaround_target_hours
    return Turnaround(
        working_hours=round(working, 2),
        waiting_hours=round(waiting, 2),
        target_hours=target,
        late=working > target,
        running=order.ready_at is None and order.status != S.CLOSED,
    )


def status_counts() -> dict[str, int]:
    """Open orders per state (for the queue's chips)."""
    from django.db.models import Count

    rows = RepairOrder.objects.filter(status__in=OPEN_STATUSES).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def intake_refs(*, serial: str, customer_code: str, center_code: str, claim_code: str = "") -> dict[str, Any]:
    """Resolve the codes an intake names; unknown ones become field errors (raised by the caller)."""
    from haumai.catalog.models import Unit
    from haumai.core.errors import FieldError
    from haumai.warranty.models import Claim

    errors: list[FieldError] = []
    text = serial.strip()
    unit = Unit.objects.select_related("product").filter(Q(serial=text) | Q(imei=text)).first() if text else None
    if text and unit is None:
        errors.append(
            FieldError(
                "serial",
                _("We have no product with serial or IMEI %(serial)s") % {"serial": text[:64]},
                "unknown_serial",
            )
        )
    customer = Customer.objects.filter(code=customer_code.strip().upper()).first() if customer_code.strip() else None
    if customer_code.strip() and customer is None:
        errors.append(
            FieldError("customer", _("No customer %(code)s") % {"code": customer_code[:20]}, "unknown_customer")
        )
    center = ServiceCenter.objects.filter(code=center_code.strip(), is_active=True).first() if center_code else None
    if center_code.strip() and center is None:
        errors.append(FieldError("service_center", _("Choose an active service centre"), "unknown"))
    claim = None
    if claim_code.strip():
        claim = Claim.objects.select_related("warranty").filter(code=claim_code.strip().upper()).first()
        if claim is None:
            errors.append(FieldError("claim", _("No claim %(code)s") % {"code": claim_code[:24]}, "unknown_claim"))
    return {"unit": unit, "customer": customer, "service_center": center, "claim": claim, "errors": errors}


def part_by_sku(sku: str) -> Any:
    """A catalogue product used as a spare part, or None."""
    from haumai.catalog.models import Product

    return Product.objects.filter(sku=sku.strip()).first() if sku.strip() else None


def user_by_username(username: str) -> Any:
    """An active staff user by username, or None."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username=username.strip(), is_active=True).first()


def open_repair_of_unit(unit_id: int) -> RepairOrder | None:
    """The unit's open repair order, if any."""
    return RepairOrder.objects.filter(unit_id=unit_id).exclude(status=S.CLOSED).first()


def ready_between(start: dt.datetime, end: dt.datetime) -> QuerySet[RepairOrder]:
    """Repairs made ready for pickup in [start, end), with what the turnaround clock reads (KPI drill-down)."""
    return (
        RepairOrder.objects.filter(ready_at__gte=start, ready_at__lt=end)
        .select_related("customer", "service_center", "unit__product")
        .prefetch_related(Prefetch("changes", queryset=RepairStateChange.objects.order_by("at", "id")))
        .order_by("-ready_at", "-id")
    )


def received_between(start: dt.datetime, end: dt.datetime) -> QuerySet[RepairOrder]:
    """Repairs received in [start, end) (drill-down of repeat repairs)."""
    return (
        RepairOrder.objects.filter(received_at__gte=start, received_at__lt=end)
        .select_related("customer", "service_center", "unit__product", "repeat_of")
        .order_by("-received_at", "-id")
    )


def daily_facts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """The repair KPIs' inputs of one period: `repair_ready` (made ready: n, working seconds on the turnaround
    clock, hits = within the centre's target) and `repair_intake` (received: n, hits = repeat of an earlier
    repair of the same unit)."""
    clocks = [turnaround(order) for order in ready_between(start, end)]
    repeats = Count("id", filter=Q(repeat_of__isnull=False))
    received = RepairOrder.objects.filter(received_at__gte=start, received_at__lt=end)
    intake = received.aggregate(n=Count("id"), repeats=repeats)
    return {
        "repair_ready": {
            "n": len(clocks),
            "total": int(sum(c.working_hours for c in clocks) * 3600),
            "hits": sum(1 for c in clocks if not c.late),
            "misses": sum(1 for c in clocks if c.late),
        },
        "repair_intake": {"n": int(intake["n"] or 0), "hits": int(intake["repeats"] or 0)},
    }


def earliest_repair() -> dt.datetime | None:
    """When the first repair was received (the rollup backfill starts there)."""
    return RepairOrder.objects.order_by("received_at").values_list("received_at", flat=True).first()
