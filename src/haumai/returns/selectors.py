"""Reads of returns: queue, detail, the customer's own returns, timeline and metrics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from haumai.catalog.models import Product
from haumai.core.errors import NotFound
from haumai.core.paging import capped_count
from haumai.core.text import collation_key
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.events.selectors import event_list
from haumai.inventory.models import Warehouse
from haumai.returns.models import Inspection, ReturnLine, ReturnPolicy, ReturnRequest, Status
from haumai.sales.models import OrderLine

SUBJECT_TYPE = "returns.returnrequest"
# Returns whose goods are not yet back in sellable stock: value "tied up" in returns.
NOT_RESTOCKED = (
    Status.REQUESTED,
    Status.APPROVED,
    Status.AWAITING_PICKUP,
    Status.AWAITING_DROPOFF,
    Status.IN_TRANSIT,
    Status.RECEIVED,
)


def return_queue(
    *, status: str = "", q: str = "", problems_only: bool = False, arrived_only: bool = False
) -> QuerySet[ReturnRequest]:
    """Returns newest first for the console queue, filtered by state, text, problems, 'arrived, not received'."""
    requests = ReturnRequest.objects.select_related("customer", "order").annotate(
        value=Sum(F("lines__quantity") * F("lines__unit_price")), line_count=Count("lines")
    )
    if status:
        requests = requests.filter(status=status)
    if problems_only:
        requests = requests.exclude(problem="")
    if arrived_only:
        requests = requests.filter(arrived_at__isnull=False, received_at__isnull=True).exclude(status=Status.CANCELLED)
    text = q.strip()
    if text:
        requests = requests.filter(
            Q(code=text.upper())
            | Q(dropoff_code=text.upper())
            | Q(customer__code=text.upper())
            | Q(order__code=text.upper())
            | Q(tracking_code=text)
        )
    return requests.order_by("-requested_at", "-id")


def _detail() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.select_related(
        "customer", "order__channel", "warehouse", "policy", "created_by", "overridden_by"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=ReturnLine.objects.select_related("product", "unit", "order_line").prefetch_related(
                Prefetch("inspections", queryset=Inspection.objects.select_related("warehouse", "inspected_by"))
            ),
        ),
        "photos",
    )


def return_by_code(code: str) -> ReturnRequest:
    """One return with lines, inspections and photos, or NotFound."""
    found = _detail().filter(code=(code or "").strip().upper()[:24]).first()
    if found is None:
        raise NotFound(_("No return with code %(code)s") % {"code": code[:24]})
    return found


def exchange_product(request: ReturnRequest) -> Product | None:
    """The product chosen for an exchange for another item (None for other resolutions or a removed SKU)."""
    if not request.exchange_sku:
        return None
    return Product.objects.filter(sku=request.exchange_sku).first()


def my_returns(customer: Customer) -> QuerySet[ReturnRequest]:
    """A customer's own returns, newest first."""
    return (
        ReturnRequest.objects.filter(customer=customer)
        .select_related("order")
        .prefetch_related(Prefetch("lines", queryset=ReturnLine.objects.select_related("product")))
        .order_by("-requested_at", "-id")
    )


def my_return(customer: Customer, code: str) -> ReturnRequest:
    """One of the customer's returns; anyone else's is NotFound (never 'forbidden')."""
    found = _detail().filter(customer=customer, code=(code or "").strip().upper()[:24]).first()
    if found is None:
        raise NotFound(_("No return with code %(code)s") % {"code": code[:24]})
    return found


def timeline(request: ReturnRequest) -> QuerySet[Event]:
    """The events of one return, oldest first."""
    return event_list(subject_type=SUBJECT_TYPE, subject_id=str(request.pk)).order_by("occurred_at", "id")


def returnable_lines(order_id: int) -> list[dict[str, Any]]:
    """Lines of an order with how many units are still free to return."""
    lines = list(OrderLine.objects.filter(order_id=order_id).select_related("product", "unit").order_by("pk"))
    taken = dict(
        ReturnLine.objects.filter(order_line__order_id=order_id)
        .exclude(request__status__in=(Status.REJECTED, Status.CANCELLED))
        .values_list("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return [{"line": line, "left": max(line.quantity - (taken.get(line.pk) or 0), 0)} for line in lines]


def warehouses() -> QuerySet[Warehouse]:
    return Warehouse.objects.order_by("name")


def policy_list() -> QuerySet[ReturnPolicy]:
    return ReturnPolicy.objects.select_related("product", "category", "channel").order_by("name")


def return_rates(*, by: str, since: dt.datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Return rate = units returned / units sold, per product, category or reason (most returned first)."""
    keys = {"product": "product__sku", "category": "product__category__name", "reason": "request__reason"}
    key = keys[by]
    returned = ReturnLine.objects.exclude(request__status__in=(Status.REJECTED, Status.CANCELLED))
    sold = OrderLine.objects.exclude(order__status="cancelled")
    if since is not None:
        returned = returned.filter(request__requested_at__gte=since)
        sold = sold.filter(order__placed_at__gte=since)
    rows = list(returned.values(key).annotate(units=Sum("quantity")).order_by("-units")[:limit])
    if by == "reason":
        total_sold = sold.aggregate(units=Sum("quantity"))["units"] or 0
        sold_by = {row[key]: total_sold for row in rows}
    else:
        sold_key = key  # OrderLine has the same product/category path
        sold_by = dict(
            sold.filter(**{f"{sold_key}__in": [row[key] for row in rows]})
            .values_list(sold_key)
            .annotate(units=Sum("quantity"))
        )
    return [
        {
            "key": row[key] or "-",
            "returned": row["units"] or 0,
            "sold": sold_by.get(row[key]) or 0,
            "rate": (row["units"] or 0) / sold_by[row[key]] if sold_by.get(row[key]) else None,
            "percent": 100 * (row["units"] or 0) / sold_by[row[key]] if sold_by.get(row[key]) else None,
        }
        for row in rows
    ]


def cycle_time() -> dict[str, Any]:
    """Average and count of requested -> refunded (money sent) for refunded returns."""
    done = ReturnRequest.objects.filter(refund_sent_at__isnull=False)
    aggregate = done.aggregate(
        average=Avg(ExpressionWrapper(F("refund_sent_at") - F("requested_at"), output_field=DurationField())),
        count=Count("id"),
    )
    return {"average": aggregate["average"], "count": aggregate["count"]}


def value_tied_up() -> dict[str, int]:
    """VND value and units of returns requested but not yet restocked (inspection not done)."""
    aggregate = ReturnLine.objects.filter(request__status__in=NOT_RESTOCKED).aggregate(
        value=Sum(F("quantity") * F("unit_price")), units=Sum("quantity"), requests=Count("request", distinct=True)
    )
    return {key: int(value or 0) for key, value in aggregate.items()}


def status_counts() -> dict[str, int]:
    """How many returns are in each state."""
    return dict(ReturnRequest.objects.values_list("status").annotate(n=Count("id")).order_by())


def orders_to_return_from(customer: Customer, limit: int = 20) -> list[Any]:
    """The customer's recent orders that are not cancelled (a return starts from one of them)."""
    from haumai.sales.models import Order

    return list(
        Order.objects.filter(customer=customer)
        .exclude(status="cancelled")
        .select_related("channel")
        .order_by("-placed_at", "-id")[:limit]
    )


def customer_addresses(customer: Customer) -> list[Any]:
    """Saved addresses a pickup can be booked at."""
    from haumai.customers.models import Address

    return list(Address.objects.filter(customer=customer).select_related("ward", "province").order_by("-is_default"))


def provinces() -> list[Any]:
    """The 34 provinces in Vietnamese alphabetical order (pickup address form)."""
    from haumai.customers.models import Province

    return sorted(Province.objects.only("code", "name"), key=lambda province: collation_key(province.name))


def wards_of(province_code: int) -> list[Any]:
    """The wards/communes of one province in Vietnamese alphabetical order."""
    from haumai.customers.models import Ward

    wards = Ward.objects.filter(province_id=province_code).only("code", "name")
    return sorted(wards, key=lambda ward: collation_key(ward.name))


def count_in_status(status: str, *, cap: int) -> int:
    """How many returns are in a state, counting at most cap + 1 (indexed by status)."""
    return capped_count(ReturnRequest.objects.filter(status=status), cap)


def daily_facts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """The returns KPIs' inputs for one period [start, end) (analytics rolls them up per local day):
    units sold (order placed, not cancelled), units returned (return requested, not rejected/cancelled),
    refunds sent with their requested -> refunded seconds, and the value tied up at `end` (requested before
    `end`, not inspected by then, not rejected/cancelled)."""
    sold = OrderLine.objects.filter(order__placed_at__gte=start, order__placed_at__lt=end).exclude(
        order__status="cancelled"
    ).aggregate(units=Sum("quantity"))["units"] or 0
    returned = ReturnLine.objects.filter(request__requested_at__gte=start, request__requested_at__lt=end).exclude(
        request__status__in=(Status.REJECTED, Status.CANCELLED)
    ).aggregate(units=Sum("quantity"))["units"] or 0
    refunds = list(
        ReturnRequest.objects.filter(refund_sent_at__gte=start, refund_sent_at__lt=end).values_list(
            "requested_at", "refund_sent_at"
        )
    )
    seconds = 0.0
    for requested, refunded in refunds:
        if requested is not None and refunded is not None:
            seconds += (refunded - requested).total_seconds()
    tied = ReturnLine.objects.filter(request__requested_at__lt=end).exclude(
        request__status__in=(Status.REJECTED, Status.CANCELLED)
    ).filter(Q(request__inspected_at__isnull=True) | Q(request__inspected_at__gte=end)).aggregate(
        value=Sum(F("quantity") * F("unit_price")), units=Sum("quantity")
    )
    return {
        "units_sold": {"n": int(sold)},
        "units_returned": {"n": int(returned)},
        "refund_cycle": {"n": len(refunds), "total": int(seconds)},
        "tied_up": {"n": int(tied["units"] or 0), "total": int(tied["value"] or 0)},
    }


def returned_lines_between(start: dt.datetime, end: dt.datetime) -> QuerySet[ReturnLine]:
    """Return lines requested in [start, end), not rejected/cancelled (drill-down of the return rate)."""
    return (
        ReturnLine.objects.filter(request__requested_at__gte=start, request__requested_at__lt=end)
        .exclude(request__status__in=(Status.REJECTED, Status.CANCELLED))
        .select_related("request__customer", "product")
        .order_by("-request__requested_at", "-id")
    )


def refunded_between(start: dt.datetime, end: dt.datetime) -> QuerySet[ReturnRequest]:
    """Returns whose refund was sent in [start, end) (drill-down of the cycle time)."""
    return (
        ReturnRequest.objects.filter(refund_sent_at__gte=start, refund_sent_at__lt=end)
        .select_related("customer")
        .order_by("-refund_sent_at", "-id")
    )


def tied_up_at(moment: dt.datetime) -> QuerySet[ReturnLine]:
    """Return lines whose value is tied up at a moment (drill-down of the value tied up)."""
    return (
        ReturnLine.objects.filter(request__requested_at__lt=moment)
        .exclude(request__status__in=(Status.REJECTED, Status.CANCELLED))
        .filter(Q(request__inspected_at__isnull=True) | Q(request__inspected_at__gte=moment))
        .select_related("request__customer", "product")
        .order_by("request__requested_at", "id")
    )


def earliest_sale() -> dt.datetime | None:
    """When the first (not cancelled) order was placed: where KPI history can start."""
    from haumai.sales.models import Order

    return Order.objects.exclude(status="cancelled").order_by("placed_at").values_list("placed_at", flat=True).first()


def replacement_shipments(request: Any) -> list[Any]:
    """The outbound shipments of an exchange's replacement (carrier, tracking code, status)."""
    from haumai.returns import logistics

    return logistics.replacement_shipments(request)
