"""Intake: the written receipt's data, the promised date, photos, warranty claims, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import receive_unit
from haumai.repairs.tests.conftest import PNG, TODAY, Workshop, accepted_claim, photo
from haumai.warranty.models import ClaimStatus


def _receive(shop: Workshop, **overrides: Any) -> RepairOrder:
    fields: dict[str, Any] = {
        "actor": shop.agent,
        "unit": shop.unit,
        "customer": shop.an,
        "service_center": shop.center,
        "description": "Máy không lên nguồn sau khi sạc",
        "condition": "Trầy nhẹ góc trên",
        "accessories": "Sạc, cáp USB-C",
    }
    fields.update(overrides)
    return receive_unit(**fields)


def test_receive_unit_writes_the_intake(shop: Workshop) -> None:
    order = _receive(shop, photos=[photo()])
    assert order.code.startswith("RO-2026-")
    assert order.status == RepairStatus.RECEIVED
    assert order.accessories == ["Sạc", "cáp USB-C"]
    assert order.promised_at == TODAY + dt.timedelta(hours=72)
    assert order.under_warranty is False
    assert order.photos.count() == 1
    assert order.changes.get().to_status == RepairStatus.RECEIVED
    event = Event.objects.get(name="repair.received")
    assert event.customer_id == shop.an.pk and event.payload["code"] == order.code


def test_receive_with_an_accepted_claim_puts_it_in_service_and_zeroes_the_price(shop: Workshop) -> None:
    claim = accepted_claim(shop.warranty)
    order = _receive(shop, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_SERVICE
    assert order.claim == claim and order.under_warranty is True


def test_claim_of_another_unit_or_customer_is_refused(shop: Workshop) -> None:
    claim = accepted_claim(shop.warranty)
    with pytest.raises(ValidationFailed) as exc:
        _receive(shop, claim=claim, customer=shop.binh)
    assert exc.value.errors[0].field == "claim"
    assert not RepairOrder.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": " "}, "description"),
        ({"unit": None}, "serial"),
        ({"customer": None}, "customer"),
        ({"service_center": None}, "service_center"),
        ({"condition": "x" * 501}, "condition"),
        ({"photos": [photo(b"not a picture at all, really")]}, "photos.0"),
    ],
)
def test_bad_input_is_refused_with_the_field(shop: Workshop, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _receive(shop, **overrides)
    assert exc.value.errors[0].field == field
    assert not RepairOrder.objects.exists()
    assert not Event.objects.filter(name__startswith="repair.").exists()


def test_a_unit_already_in_repair_is_refused(shop: Workshop) -> None:
    first = _receive(shop)
    with pytest.raises(Conflict) as exc:
        _receive(shop, photos=[photo(PNG)])
    assert first.code in exc.value.message
    assert RepairOrder.objects.count() == 1
