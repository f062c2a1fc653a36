"""A dataset whose KPIs were computed by hand (see the comments), with day boundaries in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import rollups
from haumai.catalog.models import Product
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.returns.models import ReturnLine, ReturnRequest
from haumai.sales.models import Channel, Order, OrderLine
from haumai.surveys.models import Invitation, Response
from haumai.surveys.tests.conftest import ensure_surveys

D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.LOCAL_TZ)


@pytest.fixture
def dataset(db: Any) -> dict[str, Any]:
    clock.freeze(local(D2, 23, 59) + dt.timedelta(days=5))
    surveys = ensure_surveys()
    customer = Customer.objects.create(code="CUS-2026-000009", full_name="Trần Văn Bình", search_key="tran van binh")
    product = Product.objects.create(sku="P-1", name="Nồi cơm điện", search_key="noi com dien", price=500_000)
    channel = Channel.objects.create(code="store", name="Cửa hàng", kind="store")
    serial = iter(range(1, 100))

    def respond(kind_key: str, score: int, at: dt.datetime) -> None:
        n = next(serial)
        invitation = Invitation.objects.create(
            code=f"SV-2026-{n:06d}",
            survey=surveys[kind_key],
            customer=customer,
            created_at=at,
            expires_at=at + dt.timedelta(days=14),
            status="answered",
        )
        Response.objects.create(
            invitation=invitation,
            survey=surveys[kind_key],
            customer=customer,
            kind=surveys[kind_key].kind,
            score=score,
            submitted_at=at,
        )

    # CSAT. D1: 5 4 3 1 (the 1 at 23:30 local = 16:30 UTC: still D1) -> 2 of 4. D2: 5 5 2 (the first at
    # 00:10 local = 17:10 UTC on D1: already D2) -> 2 of 3. Both days: 4 of 7 = 57.14 %.
    for score, at in (
        (5, local(D1, 9)),
        (4, local(D1, 10)),
        (3, local(D1, 11)),
        (1, local(D1, 23, 30)),
        (5, local(D2, 0, 10)),
        (5, local(D2, 12)),
        (2, local(D2, 13)),
    ):
        respond("csat-order", score, at)
    respond("csat-order", 5, local(D2 + dt.timedelta(days=1), 0, 0))  # the next day: outside the range
    # NPS 10 9 9 8 6 2: promoters 3, detractors 2, n 6 -> +16.67.
    for score in (10, 9, 9, 8, 6, 2):
        respond("nps-relationship", score, local(D1, 15))
    # CES 2 3 7 -> 4.00.
    for score in (2, 3, 7):
        respond("ces-return", score, local(D2, 15))

    def order(code: str, at: dt.datetime, quantities: list[int], status: str = "delivered") -> Order:
        placed = Order.objects.create(
            code=code, channel=channel, customer=customer, placed_at=at, status=status, total=0
        )
        for quantity in quantities:
            OrderLine.objects.create(
                order=placed, product=product, quantity=quantity, unit_price=500_000, line_total=500_000 * quantity
            )
        return placed

    # Sold: D1 3 + 1, D2 6 = 10 units (the cancelled order's 5 do not count).
    order("ORD-2026-000001", local(D1, 8), [3, 1])
    order("ORD-2026-000002", local(D2, 8), [6])
    order("ORD-2026-000003", local(D2, 9), [5], status="cancelled")

    def rma(code: str, requested: dt.datetime, quantity: int, price: int, status: str, **fields: Any) -> None:
        request = ReturnRequest.objects.create(
            code=code,
            customer=customer,
            status=status,
            origin="console",
            reason="defective",
            resolution="refund_original",
            logistics="store_dropoff",
            requested_at=requested,
            **fields,
        )
        ReturnLine.objects.create(request=request, product=product, quantity=quantity, unit_price=price)

    # Returned: R1 1 unit on D1 (received, not inspected: tied up 500,000), R2 2 units on D2 (inspected at noon,
    # refunded after 12 h), the rejected R4 does not count. Return rate = 3 / 10 = 30 %.
    rma("RMA-2026-000001", local(D1, 10), 1, 500_000, "received")
    rma(
        "RMA-2026-000002",
        local(D2, 8),
        2,
        300_000,
        "refunded",
        inspected_at=local(D2, 12),
        refund_sent_at=local(D2, 20),
    )
    # R3: requested before the range, inspected on D1, refunded on D2 after exactly 10 days.
    rma(
        "RMA-2026-000003",
        local(D2 - dt.timedelta(days=10), 10),
        1,
        200_000,
        "refunded",
        inspected_at=local(D1, 9),
        refund_sent_at=local(D2, 10),
    )
    rma("RMA-2026-000004", local(D1, 11), 4, 500_000, "rejected")
    # Cycle time = (10 d + 0.5 d) / 2 = 5.25 days.
    rollups.refresh_days(D2 - dt.timedelta(days=12), D2 + dt.timedelta(days=1))
    return {"customer": customer}
