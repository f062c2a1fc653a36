"""Returns with the real shipping and payments apps against the local GHN and VNPay servers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.customers.models import Ward
from haumai.events.models import Event
from haumai.inventory.models import StockLevel
from haumai.returns import services
from haumai.returns.models import ReturnRequest, Status
from haumai.returns.services import LineInput, PickupInput
from haumai.returns.tests.conftest import Shop
from haumai.testing.carriers import LocalCarriers
from haumai.testing.payments import LocalPayments

pytestmark = pytest.mark.django_db


def ghn_pickup(shop: Shop, ward: Ward, settings: Any, **kwargs: Any) -> ReturnRequest:
    settings.HAUMAI_RETURNS_ADDRESS_STREET = "12 Nguyễn Huệ"
    settings.HAUMAI_RETURNS_ADDRESS_WARD_CODE = str(ward.code)
    settings.HAUMAI_RETURNS_ADDRESS_PHONE = "0283 822 0000"
    start = clock.now() + dt.timedelta(days=1)
    # Money goes back the way it came when the order was paid through VNPay/MoMo; otherwise store credit.
    paid_online = shop.order.payments.filter(method__in=("vnpay", "momo")).exists()
    values: dict[str, Any] = {
        "actor": None,
        "customer": shop.customer,
        "order": shop.order,
        "lines": [LineInput(serial="SN-0001")],
        "reason": "changed_mind",
        "resolution": "refund_original" if paid_online else "store_credit",
        "logistics": "carrier_pickup",
        "carrier_code": "ghn",
        "origin": "portal",
        "warehouse_code": "wh-hcm",
        "pickup": PickupInput(
            street="45 Lê Lợi",
            ward_code=str(ward.code),
            province_code=str(ward.province_id),
            window_from=start,
            window_to=start + dt.timedelta(hours=4),
        ),
    }
    values.update(kwargs)
    request, _created = services.create_return(**values)
    return request


def push(carriers: LocalCarriers, tracking: str, status: str) -> None:
    hook = carriers.webhook("ghn", tracking, status)
    response = Client().post(hook.url_for(), data=hook.body, content_type=hook.content_type, **{
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in hook.headers.items()
    })
    assert response.status_code == 200, response.content


def test_pickup_to_refund(
    paid: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, pay: LocalPayments, tick: Callable[[], None],
    make_staff: Any,
) -> None:
    shop = paid
    request = ghn_pickup(shop, ward, settings)
    assert request.status == Status.AWAITING_PICKUP and request.shipment_code, request.problem
    tick()
    request.refresh_from_db()
    assert request.tracking_code and request.shipment_status == "pickup_scheduled"
    created = carriers.order("ghn", request.tracking_code)
    assert created  # the carrier holds a pickup order for this RMA
    push(carriers, request.tracking_code, "picked")
    tick()
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT
    push(carriers, request.tracking_code, "delivered")
    tick()
    request.refresh_from_db()
    assert request.arrived_at is not None
    keeper = services.find_for_scan(request.tracking_code)
    assert keeper.pk == request.pk
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="A", disposition="restock")
    assert StockLevel.objects.get(warehouse=shop.warehouse, grade="A").quantity == 1
    request.refresh_from_db()
    assert request.refund_code and request.refund_amount == 10_000_000
    tick()
    request.refresh_from_db()
    assert request.status == Status.REFUNDED, request.problem
    assert [r.amount_vnd for r in pay.refunds] == [10_000_000]
    assert Event.objects.filter(name="return.refunded", subject_id=str(request.pk)).count() == 1
    agent = Client()
    agent.force_login(make_staff("agent"))
    page = agent.get(f"/console/returns/{request.code}/").content.decode()
    assert request.tracking_code in page, page[page.find("rma-shipments"):][:800]
    assert request.refund_code in page and "Refunded" in page


def test_carrier_timeout_is_retried_and_visible(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None], make_staff: Any
) -> None:
    from haumai.returns import logistics

    carriers.fail_next("ghn", "timeout", times=2)  # the shift list (v2/shift/date), then the order
    request = ghn_pickup(shop, ward, settings)
    tick()
    shipment = logistics.shipments_for(request)[0]
    assert shipment.booking_error and not shipment.tracking_code  # shipping retries later with backoff
    request.refresh_from_db()
    assert request.status == Status.AWAITING_PICKUP
    agent = Client()
    agent.force_login(make_staff("agent"))
    assert "Booking problem" in agent.get(f"/console/returns/{request.code}/").content.decode()  # visible


def test_refund_failure_needs_attention_and_retry(
    paid: Shop, ward: Ward, settings: Any, pay: LocalPayments, tick: Callable[[], None]
) -> None:
    shop = paid
    request, _created = services.create_return(
        actor=None, customer=shop.customer, order=shop.order, lines=[LineInput(serial="SN-0001")],
        reason="changed_mind", resolution="refund_original", logistics="store_dropoff", warehouse_code="wh-hcm",
    )  # fmt: skip
    services.receive_return(actor=None, request=request)
    pay.fail_next("vnpay.refund", "code:91")
    services.inspect_line(actor=None, line=request.lines.get(), grade="B", disposition="restock")
    tick()
    request.refresh_from_db()
    assert request.status == Status.INSPECTED
    assert request.problem.startswith("Refund failed") and request.refund_status == "failed"
    services.retry_resolution(actor=None, request=request)
    tick()
    request.refresh_from_db()
    assert request.status == Status.REFUNDED and not request.problem
    assert len(pay.refunds) == 1


def test_bad_pickup_address_is_refused(shop: Shop, settings: Any, ward: Ward) -> None:
    from haumai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        ghn_pickup(shop, ward, settings, pickup=PickupInput(street="", province_code=""))
    assert not ReturnRequest.objects.exists()


def test_trusted_customer_is_refunded_on_the_first_carrier_scan(
    paid: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, pay: LocalPayments, tick: Callable[[], None]
) -> None:
    from haumai.returns.tests.conftest import make_order
    from haumai.sales.services import OrderLineInput

    shop = paid
    settings.HAUMAI_RETURNS_TRUSTED_MIN_ORDERS = "3"
    for _index in range(2):  # three delivered orders in all
        make_order(shop.customer, lines=[OrderLineInput(sku="CASE-1", quantity=1, unit_price=200_000)])
    request = ghn_pickup(shop, ward, settings)
    tick()
    request.refresh_from_db()
    push(carriers, request.tracking_code, "picked")
    tick()
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT
    assert request.refund_sent_at is not None  # money moved before the parcel arrived
    assert [r.amount_vnd for r in pay.refunds] == [10_000_000]
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="A", disposition="restock")
    request.refresh_from_db()
    assert request.status == Status.REFUNDED
    assert len(pay.refunds) == 1  # never twice


def test_new_customer_waits_for_inspection(
    paid: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, pay: LocalPayments, tick: Callable[[], None]
) -> None:
    request = ghn_pickup(paid, ward, settings)
    tick()
    request.refresh_from_db()
    push(carriers, request.tracking_code, "picked")
    tick()
    request.refresh_from_db()
    assert request.status == Status.IN_TRANSIT and not request.refund_code and pay.refunds == []


def test_exchange_for_a_cheaper_item_credits_the_difference(shop: Shop, tick: Callable[[], None]) -> None:
    from haumai.inventory.services import move_stock
    from haumai.payments.models import StoreCreditEntry
    from haumai.sales.models import Order

    other = shop.order.lines.get(product__sku="PHONE-1").product.__class__.objects.get(sku="CASE-1")
    move_stock(actor=None, product=other, warehouse=shop.warehouse, grade="new", quantity=1, reason="receipt")
    request, _created = services.create_return(
        actor=None, customer=shop.customer, order=shop.order, lines=[LineInput(serial="SN-0001")],
        reason="defective", resolution="exchange_other", exchange_sku="CASE-1", logistics="store_dropoff",
        warehouse_code="wh-hcm",
    )  # fmt: skip
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="C", disposition="refurbish")
    request.refresh_from_db()
    assert request.status == Status.EXCHANGED, request.problem
    assert Order.objects.get(code=request.exchange_order_code).total == 200_000
    assert StoreCreditEntry.objects.get().amount_vnd == 9_800_000
    assert not StockLevel.objects.filter(grade="C").exists()  # refurbishment is not sellable stock


def test_staff_pickup_books_our_own_fleet_at_once(shop: Shop, ward: Ward, settings: Any) -> None:
    from haumai.returns import logistics

    request = ghn_pickup(shop, ward, settings, logistics="staff_pickup", carrier_code="")
    assert request.status == Status.AWAITING_PICKUP, request.problem
    shipment = logistics.shipments_for(request)[0]
    assert shipment.carrier.code == "own_fleet" and shipment.reference == request.code


def test_cancelling_a_booked_pickup_cancels_it_with_the_carrier(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    from haumai.returns import logistics

    request = ghn_pickup(shop, ward, settings)
    tick()
    request.refresh_from_db()
    services.cancel_return(actor=None, request=request, note="changed my mind")
    tick()
    request.refresh_from_db()
    assert request.status == Status.CANCELLED and not request.problem
    assert logistics.shipments_for(request)[0].status == "cancelled"
    assert any("cancel" in r.path for r in carriers.requests_to("ghn"))


def test_pickup_goes_to_the_warehouse_own_address(
    shop: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None]
) -> None:
    from haumai.inventory.models import Warehouse

    other = Ward.objects.exclude(pk=ward.pk).order_by("code").first()
    assert other is not None
    Warehouse.objects.filter(code="wh-hcm").update(
        street="Số 8 Đại lộ Bình Dương", ward=other, province=other.province, phone="+842743822888"
    )
    request = ghn_pickup(shop, ward, settings, lines=[LineInput(serial="SN-0001")])
    tick()
    request.refresh_from_db()

    assert request.tracking_code, request.problem
    body = next(r for r in carriers.requests_to("ghn") if r.path == "/v2/shipping-order/create").json()
    assert body["to_address"].startswith("Số 8 Đại lộ Bình Dương")
    assert body["to_phone"] in ("02743822888", "+842743822888", "842743822888")
