"""Fixtures for portal tests: mail to memory, SMS outbox in a temp folder, customers with orders."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from haumai.catalog.services import create_product
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.sales.models import Channel, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

PLACED = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _portal_settings(settings: Any, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HAUMAI_OUTBOX_DIR = tmp_path / "outbox"
    settings.HAUMAI_SMS_BACKEND = "haumai.portal.senders.OutboxSmsBackend"
    settings.LANGUAGE_CODE = "en"


@dataclass
class Shop:
    an: Customer
    binh: Customer
    an_order: Order
    binh_order: Order


def sms_lines(settings: Any) -> list[str]:
    path = Path(settings.HAUMAI_OUTBOX_DIR) / "sms.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def last_sms_code(settings: Any) -> str:
    lines = sms_lines(settings)
    assert lines, "no SMS was written to the outbox"
    match = re.search(r"\b(\d{6})\b", lines[-1].split("\t", 3)[3])
    assert match
    return match.group(1)


def last_mail_code() -> str:
    assert mail.outbox, "no e-mail was sent"
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match
    return match.group(1)


def last_mail_link() -> str:
    match = re.search(r"https?://\S+/portal/login/link/\S+/", mail.outbox[-1].body)
    assert match
    return match.group(0).split("testserver", 1)[1]


def make_order(customer: Customer, *, sku: str, serial: str | None = None, days: int = 0, **kwargs: Any) -> Order:
    order, _created = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku=sku, quantity=1, unit_price=1_000_000, serial=serial)],
        placed_at=PLACED + dt.timedelta(days=days),
        **kwargs,
    )
    return order


@pytest.fixture
def shop(db: Any) -> Shop:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(
        actor=None,
        sku="IP15",
        name="iPhone 15",
        price=20_000_000,
        is_serialized=True,
        warranty_months=12,
        warranty_start="purchase",
        warranty_provider="brand",
    )
    create_product(actor=None, sku="FAN", name="Quạt đứng", price=900_000, warranty_months=6, warranty_start="delivery")
    create_product(
        actor=None, sku="TV", name="Smart TV", price=9_000_000, warranty_months=24, warranty_start="activation"
    )
    create_product(actor=None, sku="CASE", name="Ốp lưng", price=150_000, warranty_months=0)
    an = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912 345 678", email="an.nguyen@example.vn")
    binh = create_customer(actor=None, full_name="Trần Thị Bình", phone="0987654321", email="binh@example.vn")
    an_order = make_order(an, sku="IP15", serial="SN-AN-001")
    binh_order = make_order(binh, sku="IP15", serial="SN-BINH-001")
    return Shop(an=an, binh=binh, an_order=an_order, binh_order=binh_order)


def log_in(client: Client, settings: Any, phone: str = "0912345678") -> None:
    response = client.post("/portal/login/", {"identifier": phone})
    assert response.status_code == 302
    response = client.post("/portal/login/code/", {"code": last_sms_code(settings)})
    assert response.status_code == 302, response.content.decode()[:2000]
