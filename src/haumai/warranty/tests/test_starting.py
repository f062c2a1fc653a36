"""Warranties start on delivery (once), by activation (checked), and end when the unit is refunded."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from haumai.catalog.models import Unit
from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event
from haumai.events.services import record_event
from haumai.returns.models import ReturnLine, ReturnRequest
from haumai.sales.models import OrderLine
from haumai.warranty import services
from haumai.warranty.models import VoidReason, Warranty, WarrantyStatus
from haumai.warranty.tests.conftest import PLACED, Shop, deliver, dispatch, photo


def test_delivered_order_starts_one_warranty_per_unit(shop: Shop) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001")
    warranty = Warranty.objects.get()
    assert warranty.code.startswith("WR-2026-")
    assert warranty.customer == shop.an
    assert warranty.order_line == order.lines.get()
    assert warranty.status == WarrantyStatus.ACTIVE
    assert warranty.starts_on == dt.date(2026, 3, 1)  # purchase rule, Vietnam day of 10:00
    assert warranty.ends_on == dt.date(2027, 2, 28)
    assert warranty.terms["duration"] == 12 and warranty.terms["responsibility"] == "brand"
    assert Event.objects.filter(name="warranty.started", subject_id=str(warranty.pk)).count() == 1

    # The same event handled again (a re-dispatch) creates nothing.
    services.start_for_order(actor=None, order=order)
    record_event(name="order.delivered", customer=shop.an, subject=order)
    dispatch()
    assert Warranty.objects.count() == 1
    assert Event.objects.filter(name="warranty.started").count() == 1


def test_delivery_rule_and_no_warranty_products(shop: Shop) -> None:
    deliver(shop.an, sku="FAN", serial="FAN-1")
    deliver(shop.an, sku="CASE", serial="CASE-1")
    warranty = Warranty.objects.get()
    assert warranty.unit.serial == "FAN-1"
    assert (warranty.starts_on, warranty.ends_on) == (dt.date(2026, 3, 3), dt.date(2026, 9, 2))


def test_activation_product_waits_then_activates_once(shop: Shop) -> None:
    deliver(shop.an, sku="TV", serial="TV-1")
    warranty = Warranty.objects.get()
    assert warranty.status == WarrantyStatus.PENDING and warranty.ends_on is None
    assert not Event.objects.filter(name="warranty.started").exists()

    activated = services.activate(actor=None, serial="TV-1", phone="0912345678", proof=photo())
    assert activated.status == WarrantyStatus.ACTIVE
    assert (activated.starts_on, activated.ends_on) == (dt.date(2026, 6, 10), dt.date(2028, 6, 9))
    assert activated.proof_content_type == "image/png" and activated.proof_photo.name

    with pytest.raises(Conflict) as twice:
        services.activate(actor=None, serial="TV-1", phone="0912345678", proof=photo())
    assert twice.value.code == "already_activated"
    assert Event.objects.filter(name="warranty.activated").count() == 1


def _refused(code: str, **kwargs: Any) -> None:
    before = list(Warranty.objects.values_list("pk", "status", "starts_on", "proof_photo"))
    with pytest.raises(ValidationFailed) as refused:
        services.activate(actor=None, **kwargs)
    assert refused.value.errors[0].code == code
    assert list(Warranty.objects.values_list("pk", "status", "starts_on", "proof_photo")) == before
    assert not Event.objects.filter(name="warranty.activated").exists()


def test_activation_refusals_change_nothing(shop: Shop) -> None:
    deliver(shop.an, sku="TV", serial="TV-1")
    Unit.objects.create(product_id=shop.an.pk and Unit.objects.get().product_id, serial="TV-STOCK")
    _refused("unknown_serial", serial="NOPE-1", phone="0912345678", proof=photo())
    _refused("not_sold", serial="TV-STOCK", phone="0912345678", proof=photo())
    _refused("other_owner", serial="TV-1", phone="0987654321", proof=photo())
    _refused("other_owner", serial="TV-1", phone="0900000000", proof=photo())
    _refused("invalid_type", serial="TV-1", phone="0912345678", proof=photo(b"GIF89a" + b"\x00" * 40, "a.gif"))
    _refused("too_large", serial="TV-1", phone="0912345678", proof=photo(b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024)))
    _refused("required", serial="TV-1", phone="0912345678", proof=None)


def test_returned_and_refunded_unit_is_void(shop: Shop) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001")
    line = order.lines.get()
    request = ReturnRequest.objects.create(
        code="RMA-2026-000001",
        customer=shop.an,
        order=order,
        status="refunded",
        origin="portal",
        reason="defective",
        resolution="refund_original",
        logistics="store_dropoff",
        requested_at=PLACED,
    )
    ReturnLine.objects.create(
        request=request,
        order_line=line,
        product=line.product,
        unit=line.unit,
        unit_price=1_000_000,
        received_quantity=1,
    )
    record_event(name="return.refunded", customer=shop.an, subject=request, payload={"return_code": request.code})
    dispatch()
    warranty = Warranty.objects.get()
    assert warranty.status == WarrantyStatus.VOID
    assert warranty.void_reason == VoidReason.RETURNED_REFUNDED and warranty.void_note == request.code
    assert Event.objects.filter(name="warranty.voided").count() == 1


def test_resold_unit_ends_previous_owner_warranty(shop: Shop) -> None:
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    Unit.objects.filter(serial="SN-AN-001").update(status="in_stock")  # came back and was restocked
    deliver(shop.binh, sku="IP15", serial="SN-AN-001", external_id="RESOLD")
    first, second = Warranty.objects.order_by("id")
    assert first.status == WarrantyStatus.VOID and first.void_reason == VoidReason.RESOLD
    assert second.customer == shop.binh and second.status == WarrantyStatus.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_parallel_handlers_create_one_warranty(shop: Shop) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel writers need PostgreSQL")
    deliver(shop.an, sku="IP15", serial="SN-AN-001")
    Warranty.objects.all().delete()
    Event.objects.filter(name__startswith="warranty.").delete()
    order = OrderLine.objects.get().order
    barrier = threading.Barrier(4, timeout=60)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            services.start_for_order(actor=None, order=order)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Warranty.objects.count() == 1
    assert Event.objects.filter(name="warranty.started").count() == 1
