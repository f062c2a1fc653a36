"""create_shipment: validation, idempotency, immediate booking for own fleet and drop-off."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import Warehouse
from haumai.sales.models import Store
from haumai.shipping.models import Shipment
from haumai.shipping.services import Parcel, Party


def test_api_carrier_shipment_waits_for_the_worker(make_shipment: Any, customer: Any) -> None:
    shipment = make_shipment("ghn")

    assert shipment.code.startswith("SHP-")
    assert shipment.status == "created"
    assert shipment.due_at is not None and shipment.tracking_code == ""
    assert shipment.sender["phone"] == "+84912345678"
    assert shipment.sender["ward_name"] and shipment.recipient["province_name"]
    event = Event.objects.get(name="shipment.created")
    assert event.customer == customer
    assert event.payload["shipment_code"] == shipment.code
    assert event.payload["reference"] == shipment.reference
    assert event.payload["direction"] == "reverse"


def test_same_idempotency_key_returns_the_same_shipment(make_shipment: Any) -> None:
    first = make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001")
    again = make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001")

    assert again.pk == first.pk
    assert Shipment.objects.count() == 1
    assert Event.objects.filter(name="shipment.created").count() == 1


def test_same_key_for_another_shipment_is_a_conflict(make_shipment: Any) -> None:
    make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001")

    with pytest.raises(Conflict):
        make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000002")


def test_same_key_to_another_recipient_is_a_conflict_and_stores_nothing(make_shipment: Any, wards: Any) -> None:
    first = make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001")
    elsewhere = Party(name="Kho Haumai", phone="02873001234", street="99 Đường Khác", ward_code=wards[1].code)
    other_phone = Party(name="Kho Haumai", phone="0987654321", street="1 Kho Vận", ward_code=wards[1].code)

    for recipient in (elsewhere, other_phone):
        with pytest.raises(Conflict):
            make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001", recipient=recipient)
    with pytest.raises(Conflict):
        make_shipment("ghtk", idempotency_key="rma-1", reference="RMA-2026-000001", direction="forward")

    assert list(Shipment.objects.values_list("pk", flat=True)) == [first.pk]
    assert first.recipient["street"] == "1 Kho Vận"


def test_bad_input_is_refused_field_by_field_and_changes_nothing(make_shipment: Any, wards: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_shipment(
            "nope",
            direction="sideways",
            reference="",
            sender=Party(name="", phone="123", street="", ward_code=999_999_999),
            recipient=Party(
                name="Kho",
                phone="0912345678",
                street="1 A",
                ward_code=wards[1].code,
                province_code=wards[0].province_id,
            ),
            parcel=Parcel(weight_grams=0, length=500, items=[{"name": "", "quantity": 0}]),
            cod_amount=-1,
            idempotency_key="",
        )

    fields = {error.field for error in caught.value.errors}
    assert {
        "idempotency_key",
        "carrier_code",
        "direction",
        "reference",
        "sender.name",
        "sender.phone",
        "sender.street",
        "sender.ward_code",
        "recipient.ward_code",
        "parcel.weight_grams",
        "parcel.length",
        "parcel.items.0",
        "cod_amount",
    } <= fields
    assert Shipment.objects.count() == 0
    assert not Event.objects.filter(name__startswith="shipment.").exists()


def test_switched_off_carrier_is_refused(make_shipment: Any) -> None:
    from haumai.shipping.models import Carrier

    Carrier.objects.filter(code="jt").update(is_active=False)

    with pytest.raises(ValidationFailed) as caught:
        make_shipment("jt")
    assert caught.value.errors[0].field == "carrier_code"


def test_own_fleet_is_booked_at_once_as_a_staff_pickup(make_shipment: Any) -> None:
    shipment = make_shipment("own_fleet", recipient=Party(name="Kho Haumai", phone=""))

    assert shipment.status == "pickup_scheduled"
    assert shipment.tracking_code == shipment.code
    assert shipment.due_at is not None  # stuck detection
    assert list(
        Event.objects.filter(subject_type="shipping.shipment", subject_id=str(shipment.pk))
        .values_list("name", flat=True)
        .order_by("id")
    ) == [
        "shipment.created",
        "shipment.booked",
    ]


def test_store_dropoff_needs_no_address_and_its_label_is_the_reference(make_shipment: Any) -> None:
    shipment = make_shipment(
        "store_dropoff",
        reference="RMA-2026-000777",
        sender=Party(name="Nguyễn Thị Hoa", phone=""),
        recipient=Party(name="Cửa hàng Quận 1", phone=""),
    )

    assert shipment.status == "pickup_scheduled"
    assert shipment.label_text == "RMA-2026-000777"


def test_warehouse_party_is_filled_from_its_store(make_shipment: Any, wards: Any) -> None:
    store = Store.objects.create(
        code="q1", name="Cửa hàng Q1", street="5 Lê Lợi", province=wards[1].province, ward=wards[1], phone="02838221234"
    )
    warehouse = Warehouse.objects.create(code="kho-q1", name="Kho Q1", store=store, province=wards[1].province)

    shipment = make_shipment(
        "ghn", recipient=Party(name="", phone="", street="", ward_code="", province_code="", warehouse=warehouse)
    )

    assert shipment.recipient["name"] == "Kho Q1"
    assert shipment.recipient["phone"] == "+842838221234"
    assert shipment.recipient["street"] == "5 Lê Lợi"
    assert shipment.recipient["ward_code"] == wards[1].code
    assert shipment.recipient["warehouse"] == "kho-q1"
