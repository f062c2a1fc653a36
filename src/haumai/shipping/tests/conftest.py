"""Fixtures for shipping tests: the local carrier server, wards, a customer and a shipment factory."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.customers.models import Ward
from haumai.shipping.services import Parcel, Party, create_shipment
from haumai.testing.carriers import LocalCarriers, local_carriers

_keys = itertools.count(1)


@pytest.fixture(scope="session")
def _carrier_server() -> Iterator[LocalCarriers]:
    with local_carriers(timeout_seconds=1.0) as carriers:
        yield carriers


@pytest.fixture
def carriers(_carrier_server: LocalCarriers, settings: Any) -> LocalCarriers:
    """The local carriers, with Haumai pointed at them and short timeouts; faults and requests reset."""
    for name, value in _carrier_server.settings().items():
        setattr(settings, name, value)
    settings.HAUMAI_SHIPPING_READ_TIMEOUT = 0.3
    settings.HAUMAI_SHIPPING_CONNECT_TIMEOUT = 0.3
    settings.HAUMAI_SHIPPING_MAX_BOOKING_ATTEMPTS = 3
    settings.HAUMAI_SHIPPING_BOOKING_BACKOFF_SECONDS = 60
    _carrier_server.reset()
    return _carrier_server


@pytest.fixture
def wards(db: Any) -> list[Ward]:
    """Two wards in two different provinces (2025 units, loaded by migration)."""
    first = Ward.objects.select_related("province").order_by("code").first()
    assert first is not None
    second = Ward.objects.select_related("province").exclude(province=first.province).order_by("code").first()
    assert second is not None
    return [first, second]


@pytest.fixture
def customer(db: Any) -> Any:
    from haumai.customers.services import create_customer

    return create_customer(actor=None, full_name="Nguyễn Thị Hoa", phone="0912345678", actor_label="test")


@pytest.fixture
def make_shipment(wards: list[Ward], customer: Any) -> Any:
    """Factory: make_shipment('ghn') -> a reverse shipment from the customer to a warehouse."""

    def make(carrier_code: str = "ghn", **overrides: Any) -> Any:
        arguments: dict[str, Any] = {
            "carrier_code": carrier_code,
            "direction": "reverse",
            "reference": f"RMA-2026-{next(_keys):06d}",
            "customer": customer,
            "sender": Party(
                name="Nguyễn Thị Hoa",
                phone="0912 345 678",
                street="12 Lý Thường Kiệt",
                ward_code=wards[0].code,
                province_code=wards[0].province_id,
            ),
            "recipient": Party(name="Kho Haumai", phone="02873001234", street="1 Kho Vận", ward_code=wards[1].code),
            "parcel": Parcel(
                weight_grams=1200,
                length=30,
                width=20,
                height=10,
                value_vnd=2_490_000,
                items=[{"name": "Tai nghe Sony WH-1000XM5", "sku": "SONY-XM5", "quantity": 1}],
                note="Đổi trả",
            ),
            "actor": None,
            "idempotency_key": f"test:{next(_keys)}",
        }
        arguments.update(overrides)
        return create_shipment(**arguments)

    return make

