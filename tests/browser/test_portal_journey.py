"""Customer journey in a real browser on a phone-sized screen: OTP login -> my orders -> order detail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from haumai.accounts.services import create_staff_user
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.sales.models import Channel, ChannelKind
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff = create_staff_user(username="seed", password="s3cret-pass-123", role="manager")
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": ChannelKind.WEBSITE})
    create_product(
        actor=staff, sku="IP-16", name="iPhone 16 128GB", price=22_990_000, is_serialized=True, warranty_months=12
    )
    customer = create_customer(actor=staff, full_name="Lê Thị Hoa", phone="0903 111 222", email="hoa@example.vn")
    created, _ = upsert_order(
        actor=staff,
        channel_code="website",
        external_id="WEB-77",
        placed_at=clock.now(),
        customer=CustomerRef(code=customer.code),
        lines=[
            OrderLineInput(sku="IP-16", quantity=1, unit_price=22_990_000, serial="F2LXK0001", imei="356938035643809")
        ],
    )
    return created


def test_customer_logs_in_with_a_code_and_sees_her_order(live_server: Any, browser: Any, order: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/portal/login/")
        page.fill("input[name=identifier]", "hoa@example.vn")
        page.click("button[type=submit]")
        page.wait_for_url("**/portal/login/code/")
        assert len(mail.outbox) == 1
        code = re.search(r"\b(\d{6})\b", mail.outbox[0].body)
        assert code is not None
        page.fill("input[name=code]", code.group(1))
        page.click("button[type=submit]")
        page.goto(live_server.url + "/portal/orders/")
        assert order.code in page.content()
        page.click(f"a[href$='/portal/orders/{order.code}/']")
        body = page.content()
        assert "iPhone 16 128GB" in body
        assert "F2LXK0001" in body
    except Exception:
        page.screenshot(path="test-artifacts/portal_journey.png", full_page=True)
        raise
    finally:
        context.close()
