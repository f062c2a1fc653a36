"""Carrier performance per period (analytics rolls it up per local day) and per carrier and province.

For one period [start, end), shipments with a carrier (not customer drop-offs), dated by their tracking reports
(`occurred_at`, the carrier's time) so a day's figures settle when the day ends:
- `pickup`: shipments whose first pickup report (picked up, or any later state) fell in the period and that had
  a pickup window; hits = picked up by the end of the window (`pickup_until`).
- `delivery`: shipments delivered in the period (first `delivered` report); hits = delivered within
  DELIVERY_TARGET_DAYS (`HAUMAI_SHIPPING_DELIVERY_TARGET_DAYS`, default 4) of the shipment being created.
- `lost`: shipments reported lost in the period.
- `delayed`: shipments flagged stuck in the period (`shipment.delayed`: no report for the stuck threshold).
- `shipments`: shipments created in the period (the denominator of the lost and delayed rates).
The province is the customer's side: the recipient's of a forward shipment, the sender's of a reverse one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)  # fmt: skip
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from haumai.shipping.models import CarrierKind, Direction, Shipment
from haumai.shipping.statuses import ShipmentStatus

PICKED = (
    ShipmentStatus.PICKED_UP, ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.DELIVERED,
    ShipmentStatus.FAILED, ShipmentStatus.RETURNED,
)  # fmt: skip
COLUMNS = ("picked", "picked_on_time", "delivered", "delivered_on_time", "lost", "delayed", "created")


def delivery_target_days() -> int:
    """Days from created to delivered that count as on time."""
    return int(getattr(settings, "HAUMAI_SHIPPING_DELIVERY_TARGET_DAYS", 4) or 4)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _customer_side(key: str) -> Case:
    return Case(
        When(direction=Direction.FORWARD, then=KT(f"recipient__{key}")),
        default=KT(f"sender__{key}"),
        output_field=CharField(),
    )


def _per_shipment(start: dt.datetime, end: dt.datetime, province: int | None = None) -> QuerySet[Any]:
    """One row per shipment that could count in [start, end), with 0/1 columns (see COLUMNS)."""
    from haumai.events.models import Event

    delayed = Event.objects.filter(
        name="shipment.delayed", subject_type="shipping.shipment", subject_id=Cast(OuterRef("pk"), CharField()),
        occurred_at__gte=start, occurred_at__lt=end,
    )  # fmt: skip
    target = dt.timedelta(days=delivery_target_days())
    shipments = Shipment.objects.exclude(carrier__kind=CarrierKind.DROPOFF)
    if province:
        code = Cast(_customer_side("province_code"), IntegerField())
        shipments = shipments.annotate(province_code=code).filter(province_code=province)
    return (
        shipments
        .filter(created_at__lt=end, updated_at__gte=start)  # every report moves updated_at
        .values("id", "carrier_id")
        .annotate(
            carrier_name=F("carrier__name"),
            province=_customer_side("province_name"),
            picked_at=Min("tracking_events__occurred_at", filter=Q(tracking_events__mapped_status__in=PICKED)),
            delivered_at=Min("tracking_events__occurred_at", filter=Q(tracking_events__mapped_status="delivered")),
            lost_at=Min("tracking_events__occurred_at", filter=Q(tracking_events__mapped_status="lost")),
        )
        .annotate(
            picked=_flag(Q(picked_at__gte=start, picked_at__lt=end, pickup_until__isnull=False)),
            picked_on_time=_flag(
                Q(picked_at__gte=start, picked_at__lt=end, pickup_until__isnull=False, picked_at__lte=F("pickup_until"))
            ),
            delivered=_flag(Q(delivered_at__gte=start, delivered_at__lt=end)),
            delivered_on_time=_flag(
                Q(delivered_at__gte=start, delivered_at__lt=end, delivered_at__lte=F("created_at") + target)
            ),
            lost=_flag(Q(lost_at__gte=start, lost_at__lt=end)),
            delayed=_flag(Q(Exists(delayed))),
            created=_flag(Q(created_at__gte=start, created_at__lt=end)),
        )
        .order_by()
    )


def _grouped(
    start: dt.datetime, end: dt.datetime, keys: tuple[str, ...], province: int | None = None
) -> list[tuple[Any, ...]]:
    sql, params = _per_shipment(start, end, province).query.sql_with_params()
    sums = ", ".join(f"SUM({column})" for column in COLUMNS)
    group = ", ".join(keys)
    select = f"{group}, {sums}" if keys else sums
    statement = f"SELECT {select} FROM ({sql}) t"  # noqa: S608 (column names are constants)
    if keys:
        statement += f" GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def daily_facts(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """Every carrier figure of one period, all carriers together (one query)."""
    (row,) = _grouped(start, end, ())
    picked, picked_on_time, delivered, delivered_on_time, lost, delayed, created = (int(v or 0) for v in row)
    return {
        "pickup": {"n": picked, "hits": picked_on_time, "misses": picked - picked_on_time},
        "delivery": {"n": delivered, "hits": delivered_on_time, "misses": delivered - delivered_on_time},
        "lost": {"n": lost},
        "delayed": {"n": delayed},
        "shipments": {"n": created},
    }


def by_carrier(
    start: dt.datetime, end: dt.datetime, *, by_province: bool = False, province: int | None = None
) -> list[dict[str, Any]]:
    """Per carrier (and the customer's province), the figures of [start, end), busiest first (one query);
    `province` (a province code) keeps the shipments whose customer side is there."""
    keys = ("carrier_name", "province") if by_province else ("carrier_name",)
    rows = []
    for row in _grouped(start, end, keys, province):
        values = dict(zip(COLUMNS, (int(v or 0) for v in row[len(keys):]), strict=True))
        if not any(values.values()):
            continue
        rows.append({"carrier": row[0], "province": row[1] if by_province else "", **values})
    rows.sort(key=lambda r: (-(r["created"] + r["delivered"]), r["carrier"], r["province"] or ""))
    return rows


def lost_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Shipment]:
    """Shipments reported lost in [start, end), newest first (drill-down)."""
    return (
        Shipment.objects.filter(
            tracking_events__mapped_status="lost", tracking_events__occurred_at__gte=start,
            tracking_events__occurred_at__lt=end,
        )
        .distinct()
        .select_related("carrier", "customer")
        .order_by("-created_at", "-id")
    )  # fmt: skip
