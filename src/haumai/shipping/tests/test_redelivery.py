"""Re-delivery (giao bù) from the console: booked with the chosen carrier's API, linked to the failed delivery,
refused clearly (and nothing written) when not allowed or when the carrier says no."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import Warehouse
from haumai.sales.models import Store
from haumai.shipping.models import Shipment
from haumai.shipping.services.outbound import register_outbound
from haumai.shipping.services.redelivery import RedeliveryInput, book_redelivery
from haumai.shipping.tests.test_outbound import _order
from haumai.shipping.tests.test_webhooks import post

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Any:
    clock.freeze(NOW)
    yield
    clock.unfreeze()


@pytest.fixture
def shop(wards: list[Any]) -> Warehouse:
    ward = wards[1]
    store = Store.objects.create(
        code="st-1", name="Cửa hàng Quận 1", street="5 Lê Lợi", province_id=ward.province_id, ward=ward,
        phone="02873001234",
    )  # fmt: skip
    return Warehouse.objects.create(code="kho-q1", name="Kho Quận 1", store=store)


@pytest.fixture
def failed(customer: Any, make_staff: Any, carriers: Any, frozen: Any) -> Shipment:
    order = _order(customer)
    shipment = register_outbound(
        actor=make_staff("manager"), order_code=order.code, carrier_code="ghn", tracking_code="GHN-FAIL-1"
    ).shipment
    at = NOW + dt.timedelta(hours=2)
    clock.freeze(at)
    assert post(carriers.webhook("ghn", "GHN-FAIL-1", "delivery_fail", at=at)).status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "failed"
    return shipment


def _input(wards: list[Any], shop: Warehouse, carrier: str = "ghtk") -> RedeliveryInput:
    return RedeliveryInput(
        carrier_code=carrier, sender_warehouse=shop.code, recipient_street="12 Lý Thường Kiệt",
        recipient_ward_code=str(wards[0].code), weight_grams=1500,
    )  # fmt: skip


def test_staff_book_a_redelivery_with_another_carrier(
    failed: Shipment, wards: list[Any], shop: Warehouse, make_staff: Any, carriers: Any
) -> None:
    agent = make_staff("agent")
    redelivery = book_redelivery(actor=agent, shipment=failed, data=_input(wards, shop))
    assert redelivery.redelivery_of_id == failed.pk and redelivery.carrier.code == "ghtk"
    assert redelivery.status == "pickup_scheduled" and redelivery.tracking_code
    assert redelivery.reference == failed.reference and redelivery.customer_id == failed.customer_id
    assert redelivery.recipient["ward_code"] == wards[0].code and redelivery.sender["warehouse"] == shop.code
    assert carriers.requests_to("ghtk"), "booked through the carrier API"
    event = Event.objects.get(name="delivery.redelivery_booked")
    assert event.subject_id == str(failed.pk) and event.payload["shipment_code"] == redelivery.code
    # Webhooks of the new carrier move the re-delivery, the first stays failed.
    assert Shipment.objects.get(pk=failed.pk).status == "failed"


def test_a_second_redelivery_is_refused_with_the_first_ones_code(
    failed: Shipment, wards: list[Any], shop: Warehouse, make_staff: Any
) -> None:
    agent = make_staff("agent")
    first = book_redelivery(actor=agent, shipment=failed, data=_input(wards, shop))
    with pytest.raises(Conflict) as refused:
        book_redelivery(actor=agent, shipment=failed, data=_input(wards, shop, carrier="ghn"))
    assert first.code in str(refused.value)
    assert Shipment.objects.filter(redelivery_of=failed).count() == 1


def test_the_carrier_refusing_leaves_nothing_behind(
    failed: Shipment, wards: list[Any], shop: Warehouse, make_staff: Any, carriers: Any
) -> None:
    before = (Shipment.objects.count(), Event.objects.count())
    carriers.fail_next("ghtk", "error")
    with pytest.raises(DomainError) as refused:
        book_redelivery(actor=make_staff("agent"), shipment=failed, data=_input(wards, shop))
    assert refused.value.code == "carrier_refused" and "did not accept the re-delivery" in str(refused.value)
    assert (Shipment.objects.count(), Event.objects.count()) == before


def test_only_failed_or_returned_deliveries_and_known_carriers(
    customer: Any, make_staff: Any, wards: list[Any], shop: Warehouse, failed: Shipment
) -> None:
    agent = make_staff("agent")
    moving = register_outbound(
        actor=agent, order_code=_order(customer, 2).code, carrier_code="ghn", tracking_code="GHN-MOVING-1"
    ).shipment
    with pytest.raises(DomainError) as refused:
        book_redelivery(actor=agent, shipment=moving, data=_input(wards, shop))
    assert refused.value.code == "not_redeliverable"
    with pytest.raises(ValidationFailed):
        book_redelivery(actor=agent, shipment=failed, data=_input(wards, shop, carrier="store_dropoff"))
    no_ward = RedeliveryInput(carrier_code="ghtk", sender_warehouse=shop.code, weight_grams=1500)
    with pytest.raises(ValidationFailed) as missing:
        book_redelivery(actor=agent, shipment=failed, data=no_ward)
    assert {e.field for e in missing.value.errors} >= {"recipient.street", "recipient.ward_code"}
    assert not Shipment.objects.filter(redelivery_of__isnull=False).exists()


def test_permission_is_checked(
    failed: Shipment, wards: list[Any], shop: Warehouse, make_staff: Any, client: Any
) -> None:
    technician = make_staff("technician")
    with pytest.raises(Forbidden):
        book_redelivery(actor=technician, shipment=failed, data=_input(wards, shop))
    client.force_login(technician)
    response = client.post(f"/console/shipping/{failed.code}/redeliver/", {"carrier": "ghtk"})
    assert response.status_code == 403
    assert not Shipment.objects.filter(redelivery_of=failed).exists()


def test_the_console_books_and_shows_the_redelivery(
    failed: Shipment, wards: list[Any], shop: Warehouse, make_staff: Any, client: Any, carriers: Any
) -> None:
    client.force_login(make_staff("agent"))
    page = client.get(f"/console/shipping/{failed.code}/").content.decode()
    assert 'id="book-redelivery"' in page and 'name="recipient_ward_code"' in page
    carriers.fail_next("ghtk", "error")
    form = {"carrier": "ghtk", "sender_warehouse": shop.code, "recipient_street": "12 Lý Thường Kiệt",
            "recipient_ward_code": str(wards[0].code), "weight_grams": "1500"}  # fmt: skip
    refused = client.post(f"/console/shipping/{failed.code}/redeliver/", form, follow=True)
    assert "did not accept the re-delivery" in refused.content.decode()
    assert not Shipment.objects.filter(redelivery_of=failed).exists()
    booked = client.post(f"/console/shipping/{failed.code}/redeliver/", form, follow=True)
    redelivery = Shipment.objects.get(redelivery_of=failed)
    assert booked.redirect_chain[-1][0] == f"/console/shipping/{redelivery.code}/"
    assert "Re-delivery of" in booked.content.decode()
    first_page = client.get(f"/console/shipping/{failed.code}/").content.decode()
    assert redelivery.code in first_page and 'id="book-redelivery"' not in first_page
    assert "was booked for failed delivery" in first_page
