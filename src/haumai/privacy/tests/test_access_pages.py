"""Every console page that shows a customer's contact details unmasked is in the access log (issue 9 B)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from haumai.privacy.models import AccessAction, AccessLog
from haumai.repairs.models import Appointment, OnSiteVisit, RepairOrder
from haumai.shipping.models import Shipment
from haumai.support.models import Ticket
from haumai.warranty.models import Warranty

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> None:
    """The demo, plus a drop-off shipment for one of its customers (the demo ships nothing)."""
    from haumai.customers.models import Customer, Ward
    from haumai.shipping.services import Parcel, Party, create_shipment

    call_command("demo", "--customers", "80", verbosity=0)
    customer = Customer.objects.exclude(phone=None).order_by("pk").first()
    ward = Ward.objects.order_by("code").first()
    assert customer is not None and ward is not None
    create_shipment(
        carrier_code="store_dropoff", direction="reverse", reference="RMA-2026-900001", customer=customer,
        sender=Party(name=customer.full_name, phone=customer.phone, street="12 Lý Thường Kiệt", ward_code=ward.code,
                     province_code=ward.province_id),
        recipient=Party(name="Kho Haumai", phone="02873001234", street="1 Kho Vận", ward_code=ward.code),
        parcel=Parcel(weight_grams=500, length=20, width=10, height=5, value_vnd=490_000, items=[], note=""),
        idempotency_key="access-pages",
    )  # fmt: skip


def pages() -> list[tuple[str, str, Any]]:
    """(page, url, the customer it shows) for one record of each kind the demo made."""
    warranty = Warranty.objects.select_related("customer").first()
    shipment = Shipment.objects.select_related("customer").filter(customer__isnull=False).first()
    order = RepairOrder.objects.select_related("customer").first()
    ticket = Ticket.objects.select_related("customer").filter(customer__isnull=False).first()
    visit = OnSiteVisit.objects.select_related("customer").first()
    appointment = Appointment.objects.select_related("customer").first()
    found = [
        ("warranty", warranty, "warranty:detail"),
        ("shipment", shipment, "shipping:detail"),
        ("repair", order, "repairs:detail"),
        ("ticket", ticket, "support:ticket"),
        ("visit", visit, "booking:visit"),
        ("appointment", appointment, "booking:appointment"),
    ]
    missing = [page for page, record, _ in found if record is None]
    assert not missing, f"the demo made no {missing}"
    return [(page, reverse(name, args=[record.code]), record.customer) for page, record, name in found]


def test_each_record_page_is_logged_for_staff_who_see_contacts(world: None, make_staff: Any) -> None:
    manager = Client()
    manager.force_login(make_staff("manager"))
    for page, url, customer in pages():
        before = AccessLog.objects.count()
        assert manager.get(url).status_code == 200, url
        entry = AccessLog.objects.order_by("-pk").first()
        assert AccessLog.objects.count() == before + 1, page
        assert entry is not None and entry.action == AccessAction.VIEW_RECORD
        assert (entry.customer_id, entry.detail["page"]) == (customer.pk, page)
        assert customer.phone not in str(entry.detail) and customer.phone not in entry.target


def test_lists_with_contacts_are_logged_and_masked_pages_are_not(world: None, make_staff: Any) -> None:
    manager = Client()
    manager.force_login(make_staff("manager"))
    for name in ("booking:visits", "booking:appointments"):
        before = AccessLog.objects.count()
        assert manager.get(reverse(name), {"all": "1", "status": ""}).status_code == 200
        entry = AccessLog.objects.order_by("-pk").first()
        assert AccessLog.objects.count() == before + 1 and entry is not None
        assert entry.action == AccessAction.VIEW_LIST and entry.detail["rows"] > 0
    warehouse = Client()
    warehouse.force_login(make_staff("warehouse"))  # sees shipments with contacts masked
    before = AccessLog.objects.count()
    shipment = next(url for page, url, _ in pages() if page == "shipment")
    assert warehouse.get(shipment).status_code == 200
    assert AccessLog.objects.count() == before
