"""Done-when for warranty, in a real browser on a phone-sized screen: a customer activates a warranty by
serial (with the invoice photo) and gets the e-card, signs in with a code, files a claim on that warranty
and sees it in her history; the claim is decided into repair and the order shows on her repairs page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from haumai.accounts.services import create_staff_user
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.repairs.models import RepairOrder, ServiceCenter
from haumai.sales.models import Channel, ChannelKind
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.warranty import services as warranty_services
from haumai.warranty.models import Claim, Warranty, WarrantyStatus

pytestmark = pytest.mark.django_db(transaction=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _dispatch() -> None:
    for _round in range(3):
        events = list(pending_dispatch().order_by("id"))
        if not events:
            return
        dispatch_events(events)


@pytest.fixture
def sold_tv(settings: Any, tmp_path: Any) -> Warranty:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = create_staff_user(username="seed", password="s3cret-pass-123", role="manager")
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": ChannelKind.WEBSITE})
    create_product(actor=staff, sku="TV-55", name="Smart TV 55 inch", price=12_990_000, is_serialized=True,
                   warranty_months=24, warranty_start="activation")  # fmt: skip
    customer = create_customer(actor=staff, full_name="Lê Thị Hoa", phone="0903 111 222", email="hoa@example.vn")
    upsert_order(actor=staff, channel_code="website", external_id="WEB-TV", placed_at=clock.now(),
                 customer=CustomerRef(code=customer.code), status="delivered", delivered_at=clock.now(),
                 lines=[OrderLineInput(sku="TV-55", quantity=1, unit_price=12_990_000,
                                       serial="TV55-000123")])  # fmt: skip
    ServiceCenter.objects.create(code="ttbh-q1", name="Trung tâm bảo hành Quận 1")
    _dispatch()
    return Warranty.objects.get(unit__serial="TV55-000123")


def test_customer_activates_files_a_claim_and_sees_it(live_server: Any, browser: Any, sold_tv: Warranty) -> None:
    assert sold_tv.status == WarrantyStatus.PENDING
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/portal/warranty/activate/")
        page.fill("input[name=serial]", "TV55-000123")
        page.fill("input[name=phone]", "0903111222")
        page.set_input_files("input[name=proof]", files=[{"name": "hoa-don.png", "mimeType": "image/png",
                                                          "buffer": PNG}])  # fmt: skip
        page.click("form[enctype] button[type=submit]")
        page.wait_for_url("**/portal/warranty/card/**")
        sold_tv.refresh_from_db()
        assert sold_tv.status == WarrantyStatus.ACTIVE and sold_tv.ends_on is not None
        assert sold_tv.ends_on.strftime("%d/%m/%Y") in page.content()

        page.goto(live_server.url + "/portal/login/")
        page.fill("input[name=identifier]", "hoa@example.vn")
        page.click("button[type=submit]")
        page.wait_for_url("**/portal/login/code/")
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
        assert code is not None
        page.fill("input[name=code]", code.group(1))
        page.click("button[type=submit]")
        page.goto(live_server.url + "/portal/warranty/mine/")
        page.click(f"a[href$='/portal/warranty/{sold_tv.code}/claim/']")
        page.fill("textarea", "Màn hình có sọc ngang sau 2 tuần sử dụng")
        page.click("form:has(textarea) button[type=submit]")
        page.locator("#claim-filed").wait_for()
        claim = Claim.objects.get(warranty=sold_tv)
        assert claim.code in page.locator("#my-claims").inner_text()

        warranty_services.decide_claim(actor=None, claim=claim, accept=True, resolution="repair")
        warranty_services.resolve_claim(actor=None, claim=claim)
        _dispatch()
        order = RepairOrder.objects.get(claim=claim)
        page.goto(live_server.url + "/portal/repairs/")
        assert order.code in page.content()
    except Exception:
        page.screenshot(path="test-artifacts/warranty_journey.png", full_page=True)
        raise
    finally:
        context.close()
