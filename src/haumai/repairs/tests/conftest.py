"""Fixtures: a delivered phone under warranty, a service centre with a parts warehouse, technicians."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haumai.catalog.models import Product, Unit
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.inventory.models import Warehouse
from haumai.inventory.services import move_stock
from haumai.repairs.models import ServiceCenter, ServiceCenterKind
from haumai.sales.models import Channel
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.warranty import selectors as warranty_selectors
from haumai.warranty import services as warranty_services
from haumai.warranty.models import Claim, ClaimOrigin, Warranty

PLACED = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
DELIVERED = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
TODAY = dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    with clock.frozen(TODAY):
        yield


def dispatch() -> None:
    """Run the subscribers of every pending event, as the worker's dispatcher does."""
    for _round in range(3):
        events = list(pending_dispatch().order_by("id"))
        if not events:
            return
        dispatch_events(events)


def photo(data: bytes = PNG, name: str = "mat-truoc.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@dataclass
class Workshop:
    an: Customer
    binh: Customer
    phone: Product
    screen: Product
    unit: Unit
    warranty: Warranty
    center: ServiceCenter
    brand_center: ServiceCenter
    warehouse: Warehouse
    technician: Any
    other_technician: Any
    agent: Any
    manager: Any


def deliver(customer: Customer, *, sku: str, serial: str) -> Unit:
    upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku=sku, quantity=1, unit_price=20_000_000, serial=serial)],
        placed_at=PLACED,
        status="delivered",
        delivered_at=DELIVERED,
        external_id=f"W-{serial}",
    )
    dispatch()
    return Unit.objects.get(serial=serial)


def accepted_claim(warranty: Warranty, description: str = "Màn hình bị sọc xanh") -> Claim:
    """A covered claim accepted for repair (not yet in service)."""
    claim = warranty_services.file_claim(
        actor=None, warranty=warranty, description=description, origin=ClaimOrigin.CONSOLE
    )
    return warranty_services.decide_claim(actor=None, claim=claim, accept=True, resolution="repair")


@pytest.fixture
def shop(db: Any, make_staff: Any) -> Workshop:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    phone = create_product(
        actor=None,
        sku="SS-A55",
        name="Samsung Galaxy A55",
        price=9_990_000,
        is_serialized=True,
        warranty_months=12,
        warranty_start="purchase",
    )
    screen = create_product(actor=None, sku="PART-A55-LCD", name="Màn hình A55", price=1_800_000, warranty_months=6)
    an = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912 345 678", email="an@example.vn")
    binh = create_customer(actor=None, full_name="Trần Thị Bình", phone="0987654321", email="binh@example.vn")
    unit = deliver(an, sku="SS-A55", serial="R58W11AAA")
    warranty = warranty_selectors.warranties_of_unit(unit)[0]
    warehouse = Warehouse.objects.create(code="kho-linh-kien", name="Kho linh kiện Q1")
    move_stock(actor=None, product=screen, warehouse=warehouse, grade="new", quantity=2, reason="receipt")
    center = ServiceCenter.objects.create(
        code="ttbh-q1", name="Trung tâm bảo hành Quận 1", warehouse=warehouse, turnaround_target_hours=72
    )
    brand_center = ServiceCenter.objects.create(
        code="samsung-hcm", name="Samsung Service Plaza HCM", kind=ServiceCenterKind.BRAND
    )
    return Workshop(
        an=an,
        binh=binh,
        phone=phone,
        screen=screen,
        unit=unit,
        warranty=warranty,
        center=center,
        brand_center=brand_center,
        warehouse=warehouse,
        technician=make_staff("technician", "kythuat.minh"),
        other_technician=make_staff("technician", "kythuat.hoa"),
        agent=make_staff("agent", "cskh.lan"),
        manager=make_staff("manager", "quanly.tuan"),
    )
