"""Done-when for repairs, in a real browser against the live server: a unit under warranty is received at
the counter; the technician starts the diagnosis, saves the diagnosis with a part (nothing to pay: approved
at once), starts the repair, uses the part (stock -1 on the page and in the ledger), sends it to QC, passes
QC and the order is ready for pickup. The hand-back then moves the warranty end date by the days in
service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.catalog.models import Unit
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.inventory.models import StockLevel, StockMove, Warehouse
from haumai.inventory.services import move_stock
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, RepairStatus, ServiceCenter
from haumai.sales.models import Channel, ChannelKind
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.warranty import services as warranty_services
from haumai.warranty.models import ClaimOrigin, Warranty

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "s3cret-pass-123"


def _dispatch() -> None:
    for _round in range(3):
        events = list(pending_dispatch().order_by("id"))
        if not events:
            return
        dispatch_events(events)


def test_technician_diagnoses_uses_a_part_passes_qc_and_marks_ready(live_server: Any, browser: Any) -> None:
    agent = create_staff_user(username="cskh.lan", password=PASSWORD, role="agent")
    create_staff_user(username="kythuat.hung", password=PASSWORD, role="technician", full_name="Trần Văn Hùng")
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": ChannelKind.WEBSITE})
    create_product(actor=None, sku="SS-A55", name="Samsung Galaxy A55", price=9_990_000, is_serialized=True,
                   warranty_months=12, warranty_start="purchase")  # fmt: skip
    screen = create_product(actor=None, sku="PART-A55-LCD", name="Màn hình A55", price=1_800_000, warranty_months=6)
    customer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912345678", email="an@example.vn")
    placed = clock.now() - dt.timedelta(days=40)
    upsert_order(
        actor=None, channel_code="website", customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku="SS-A55", quantity=1, unit_price=9_990_000, serial="R58BROWSER1")],
        placed_at=placed, status="delivered", delivered_at=placed + dt.timedelta(days=1), external_id="W-BROWSER-1",
    )  # fmt: skip
    _dispatch()
    warranty = Warranty.objects.get(unit__serial="R58BROWSER1")
    warehouse = Warehouse.objects.create(code="kho-linh-kien", name="Kho linh kiện")
    move_stock(actor=None, product=screen, warehouse=warehouse, grade="new", quantity=2, reason="receipt")
    center = ServiceCenter.objects.create(code="ttbh-q3", name="Trung tâm bảo hành Quận 3", warehouse=warehouse)
    claim = warranty_services.file_claim(
        actor=None, warranty=warranty, description="Màn hình sọc xanh", origin=ClaimOrigin.CONSOLE
    )
    claim = warranty_services.decide_claim(actor=None, claim=claim, accept=True, resolution="repair")
    order = services.receive_unit(
        actor=agent, unit=Unit.objects.get(serial="R58BROWSER1"), customer=customer, service_center=center,
        description="Màn hình sọc xanh", condition="Trầy nhẹ", accessories=["Sạc"], claim=claim,
    )  # fmt: skip
    ends_before = warranty.ends_on

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/console/login/")
        page.fill("#id_username", "kythuat.hung")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(live_server.url + "/console/repairs/?queue=unassigned")
        page.locator(f"#repair-table a:text('{order.code}')").click()
        page.locator("#action-diagnose").click()
        page.locator("#diagnosis").wait_for()
        page.fill("#diagnosis", "Hỏng tấm màn hình, cần thay")
        page.locator("#quote-form input[name=sku]").first.fill(screen.sku)
        page.locator("#quote-form input[name=unit_cost]").first.fill("1200000")
        page.locator("#action-quote").click()
        page.locator("#action-start").click()
        page.locator("#part-sku").fill(screen.sku)
        page.locator("#action-part").click()
        page.locator("#parts-used").wait_for()
        assert "PART-A55-LCD" in page.locator("#parts-used").inner_text()
        level = StockLevel.objects.get(product=screen, warehouse=warehouse, grade="new")
        assert level.quantity == 1
        assert StockMove.objects.filter(reason="repair_part", reference=order.code).count() == 1
        page.locator("#action-finish").click()
        page.locator("#action-qc-pass").click()
        page.locator("#action-hand-back").wait_for()
        assert page.locator("h1#repair-code + span[data-status]").get_attribute("data-status") == "ready"
        assert RepairOrder.objects.get(pk=order.pk).status == RepairStatus.READY
    finally:
        context.close()

    clock.freeze(clock.now() + dt.timedelta(days=2))
    try:
        services.hand_back(actor=agent, order=RepairOrder.objects.get(pk=order.pk))
    finally:
        clock.unfreeze()
    warranty.refresh_from_db()
    assert warranty.ends_on == ends_before + dt.timedelta(days=3)
