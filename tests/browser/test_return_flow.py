"""Done-when for returns, in a real browser against the live server and the local providers:

customer requests a return in the portal -> approved automatically -> GHN pickup booked against the local
carrier server -> carrier webhooks: picked up, delivered to the warehouse -> warehouse scans the carrier
label, confirms receipt, grades A and restocks (stock level +1 on screen) -> VNPay refund sent to the local
payment server -> the refund-sent journey e-mails the customer (a messaging Delivery for refund.sent).
The worker is the scheduler tick, run by the test between browser steps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.catalog.models import Category
from haumai.catalog.services import create_product
from haumai.core import clock, scheduler
from haumai.customers.models import Customer, Ward
from haumai.customers.services import AddressInput, create_customer
from haumai.inventory.models import StockLevel, Warehouse
from haumai.inventory.services import move_stock
from haumai.messaging.models import Delivery
from haumai.payments.services import record_payment
from haumai.returns.models import ReturnRequest, Status
from haumai.sales.models import Channel, ChannelKind, Order
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.testing.carriers import LocalCarriers, local_carriers
from haumai.testing.payments import LocalPayments, local_payments
from haumai.testing.smtp import LocalSmtp, local_smtp

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "hoa.returns@example.vn"


@dataclass
class World:
    customer: Customer
    order: Order
    warehouse: Warehouse
    carriers: LocalCarriers
    pay: LocalPayments
    smtp: LocalSmtp


@pytest.fixture
def world(settings: Any) -> Iterator[World]:
    with local_carriers(timeout_seconds=1.0) as carriers, local_payments(slow_seconds=1.0) as pay, local_smtp() as smtp:
        for name, value in carriers.settings().items():
            setattr(settings, name, value)
        pay.configure(settings, http_timeout=2.0)
        smtp.configure(settings)
        settings.HAUMAI_JOURNEYS_QUIET_HOURS = "off"  # the test may run at night in Vietnam
        ward = Ward.objects.select_related("province").order_by("code").first()
        assert ward is not None
        settings.HAUMAI_RETURNS_ADDRESS_STREET = "120 Xa lộ Hà Nội"
        settings.HAUMAI_RETURNS_ADDRESS_WARD_CODE = str(ward.code)
        settings.HAUMAI_RETURNS_ADDRESS_PHONE = "0283 899 0000"
        staff = create_staff_user(username="seed", password="s3cret-pass-123", role="manager")
        create_staff_user(username="kho.minh", password="s3cret-pass-123", role="warehouse")
        Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": ChannelKind.WEBSITE})
        phones = Category.objects.create(code="dien-thoai", name="Điện thoại")
        product = create_product(
            actor=staff, sku="IP-16", name="iPhone 16 128GB", price=22_990_000, is_serialized=True,
            warranty_months=12, category_code=phones.code,
        )  # fmt: skip
        warehouse = Warehouse.objects.create(code="kho-thu-duc", name="Kho Thủ Đức", province=ward.province)
        settings.HAUMAI_RETURNS_WAREHOUSE = warehouse.code
        move_stock(actor=staff, product=product, warehouse=warehouse, grade="A", quantity=2, reason="receipt")
        customer = create_customer(
            actor=staff, full_name="Lê Thị Hoa", email=EMAIL,
            addresses=[AddressInput(street="45 Lê Lợi", ward_code=ward.code, province_code=ward.province_id,
                                    phone="0903 111 222", is_default=True)],
        )  # fmt: skip
        delivered = clock.now() - dt.timedelta(days=2)
        order, _created = upsert_order(
            actor=staff, channel_code="website", external_id="WEB-RET-1", placed_at=delivered - dt.timedelta(days=1),
            customer=CustomerRef(code=customer.code), status="delivered", delivered_at=delivered,
            payment_method="vnpay",
            lines=[OrderLineInput(sku="IP-16", quantity=1, unit_price=22_990_000, serial="F2LXK0099")],
        )  # fmt: skip
        record_payment(
            order=order, method="vnpay", amount_vnd=22_990_000, provider_transaction_ref=f"{order.code}-P",
            provider_transaction_no="70001234", paid_at=delivered - dt.timedelta(days=1),
        )  # fmt: skip
        yield World(customer, order, warehouse, carriers, pay, smtp)


def worker(rounds: int = 4) -> None:
    """What `haumai worker` does: scheduler ticks (carrier booking, events, refunds, journeys, messages)."""
    for _ in range(rounds):
        scheduler.tick()


def mail_text(message: Any) -> str:
    part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message
    return str(part.get_content())


def test_return_from_portal_request_to_refund_and_email(live_server: Any, browser: Any, world: World) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    customer_page = phone.new_page()
    warehouse_page = desk.new_page()
    for page in (customer_page, warehouse_page):
        page.set_default_timeout(20_000)
    try:
        # The customer logs in with a one-time code and asks to return the phone, picked up by GHN.
        page = customer_page
        page.goto(live_server.url + "/portal/login/")
        page.fill("input[name=identifier]", EMAIL)
        page.click("button[type=submit]")
        page.wait_for_url("**/portal/login/code/")
        code = re.search(r"\b(\d{6})\b", mail_text(world.smtp.to(EMAIL)[-1]))
        assert code is not None
        page.fill("input[name=code]", code.group(1))
        page.click("button[type=submit]")
        page.goto(live_server.url + "/portal/")
        page.click("#tile-returns")
        page.click(f"#start-return-{world.order.code}")
        line = world.order.lines.get()
        page.select_option(f"select[name=quantity_{line.pk}]", "1")
        page.select_option("#reason", "changed_mind")
        page.check("#res-refund_original")
        page.check("#log-pickup")
        page.click("#submit-return")
        page.wait_for_url("**/portal/returns/RMA-*/")
        rma = ReturnRequest.objects.get()
        assert rma.status == Status.AWAITING_PICKUP, rma.problem  # approved automatically, pickup created
        assert page.get_attribute("#return-status", "data-status") == "awaiting_pickup"

        # The worker books the pickup with GHN (the local carrier server).
        worker()
        rma.refresh_from_db()
        assert rma.tracking_code, rma.problem
        booked = world.carriers.order("ghn", rma.tracking_code)
        assert booked and world.carriers.requests_to("ghn")
        # GHN reports the parcel picked up, then delivered to our warehouse.
        hooks = live_server.url + "/hooks/shipping/"
        assert world.carriers.push_ghn_status(rma.tracking_code, "picked", hooks).status_code == 200
        worker()
        assert world.carriers.push_ghn_status(rma.tracking_code, "delivered", hooks).status_code == 200
        worker()
        rma.refresh_from_db()
        assert rma.status == Status.IN_TRANSIT and rma.arrived_at is not None

        # The warehouse scans the carrier label, confirms receipt, grades A and restocks.
        page = warehouse_page
        page.goto(live_server.url + "/console/login/")
        page.fill("#id_username", "kho.minh")
        page.fill("#id_password", "s3cret-pass-123")
        page.click("button[type=submit]")
        page.goto(live_server.url + "/console/returns/receiving/")
        page.fill("#scan", "NOT-A-CODE")
        page.press("#scan", "Enter")
        assert "NOT-A-CODE" in page.inner_text("#scan-error")
        page.fill("#scan", rma.tracking_code)
        page.press("#scan", "Enter")
        page.wait_for_url(f"**/console/returns/receiving/{rma.code}/")
        page.fill(f"input[name=serial_{rma.lines.get().pk}]", "F2LXK0099")  # the unit in the box is the one sold
        page.click("#confirm-receipt")
        page.click(f"label[for=grade-{rma.lines.get().pk}-A]")
        page.click(f"#inspect-{rma.lines.get().pk} button[type=submit]")
        page.wait_for_selector("#restocked")
        assert page.inner_text("#restocked .stock-level") == "3"  # 2 on hand + the returned phone
        level = StockLevel.objects.get(warehouse=world.warehouse, grade="A")
        assert level.quantity == 3

        # The worker sends the VNPay refund, the return is refunded and the customer is e-mailed.
        worker(6)
        rma.refresh_from_db()
        assert rma.status == Status.REFUNDED, rma.problem
        assert [refund.amount_vnd for refund in world.pay.refunds] == [22_990_000]
        delivery = Delivery.objects.filter(template_key="refund.sent", customer=world.customer).first()
        assert delivery is not None and delivery.status == "sent", delivery and delivery.status
        assert len(world.smtp.to(EMAIL)) >= 2  # the login code, then the refund e-mail

        # The customer sees the whole story on the portal.
        page = customer_page
        page.goto(live_server.url + f"/portal/returns/{rma.code}/")
        assert page.get_attribute("#return-status", "data-status") == "refunded"
        for event in ("return.requested", "return.picked_up", "return.arrived", "return.received", "return.refunded"):
            assert page.locator(f"#return-timeline [data-event='{event}']").count() == 1
    finally:
        phone.close()
        desk.close()
