"""A customer with a footprint in every app: profile, identities, address, consent, an order, a return with
a note, pickup contact, bank account and a photo, a shipment, a message, events, a portal login code."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest

from haumai.customers.models import Customer, Ward
from haumai.customers.services import AddressInput, ConsentInput, add_address, update_customer
from haumai.events.services import record_event
from haumai.messaging.services import queue_message
from haumai.portal.services import LoginDestination, request_login_code
from haumai.returns.services import LineInput, create_return
from haumai.returns.tests.conftest import Shop, shop  # noqa: F401  (fixture)
from haumai.shipping.services.creation import Parcel, Party, create_shipment

NAME = "Nguyễn Văn An"
PHONE = "+84901234567"
EMAIL = "an.nguyen@example.vn"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class Footprint:
    shop: Shop
    customer: Customer
    return_code: str


def _photo() -> Any:
    photo = io.BytesIO(PNG)
    photo.name = "box.png"
    photo.size = len(PNG)
    return photo


@pytest.fixture
def footprint(shop: Shop, settings: Any, tmp_path: Any) -> Footprint:  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HAUMAI_PRIVACY_EXPORT_DIR = str(tmp_path / "exports")
    customer = shop.customer
    ward = Ward.objects.select_related("province").order_by("code").first()
    assert ward is not None
    update_customer(
        actor=None,
        customer=customer,
        email=EMAIL,
        birth_date=dt.date(1990, 5, 17),
        consents=[ConsentInput(purpose="marketing", channel="email", granted=True, source="portal")],
    )
    add_address(
        actor=None,
        customer=customer,
        address=AddressInput(
            street="12 Lê Lợi",
            province_code=ward.province_id,
            ward_code=ward.code,
            recipient_name=NAME,
            phone="0901234567",
        ),
    )
    request, _ = create_return(
        actor=None,
        customer=customer,
        order=shop.order,
        lines=[LineInput(sku="CASE-1", quantity=1)],
        reason="changed_mind",
        resolution="bank_transfer",
        logistics="store_dropoff",
        customer_note=f"Gọi {NAME} số 0901 234 567 trước khi đến",
        bank_account={"bank": "VCB", "number": "0011002233445", "name": "NGUYEN VAN AN"},
        photos=[_photo()],
    )
    create_shipment(
        carrier_code="own_fleet",
        direction="reverse",
        reference=request.code,
        customer=customer,
        sender=Party(name=NAME, phone=PHONE, street="12 Lê Lợi", ward_code=ward.code, province_code=ward.province_id),
        recipient=Party(name="Kho HCM", phone="", warehouse=shop.warehouse),
        parcel=Parcel(weight_grams=500),
        idempotency_key=f"pickup-{request.code}",
    )
    queue_message(
        customer=customer,
        template_key="order.thank_you",
        channel="email",
        context={
            "customer": {"name": NAME, "first_name": "An", "code": customer.code},
            "order": {"code": shop.order.code, "total": shop.order.total, "lines": []},
            "links": {"portal": "http://x/portal/"},
        },
        idempotency_key="thanks-1",
    )
    request_login_code(
        destination=LoginDestination(kind="phone", value=PHONE),
        ip_address="203.0.113.9",
        link_for=lambda token: f"http://x/{token}",
    )
    # An event written by an older integration that put the contact details into its payload.
    record_event(
        name="customer.imported",
        customer=customer,
        payload={"row": {"phone": PHONE, "name": NAME}, "note": f"email {EMAIL}", "code": customer.code},
    )
    customer.refresh_from_db()
    return Footprint(shop=shop, customer=customer, return_code=request.code)
