"""Staff journey in a real browser: log in -> search an unaccented name -> open the customer 360."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.sales.models import Channel, ChannelKind
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded() -> dict[str, Any]:
    agent = create_staff_user(username="lan.agent", password="s3cret-pass-123", role="agent", full_name="Trần Thị Lan")
    Channel.objects.get_or_create(code="store", defaults={"name": "Cửa hàng", "kind": ChannelKind.STORE})
    create_product(actor=agent, sku="LG-WM10", name="Máy giặt LG 10kg", price=8_490_000, is_serialized=True)
    customer = create_customer(actor=agent, full_name="Nguyễn Văn Ân", phone="0987 654 321")
    order, _ = upsert_order(
        actor=agent,
        channel_code="store",
        external_id="POS-1",
        placed_at=clock.now(),
        customer=CustomerRef(code=customer.code),
        lines=[OrderLineInput(sku="LG-WM10", quantity=1, unit_price=8_490_000, serial="LGWM-000123")],
    )
    return {"customer": customer, "order": order}


def test_agent_finds_customer_by_unaccented_name_and_opens_360(
    live_server: Any, page: Any, seeded: dict[str, Any]
) -> None:
    page.goto(live_server.url + "/console/")
    page.fill("#id_username", "lan.agent")
    page.fill("#id_password", "s3cret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    page.fill("#hm-search", "nguyen van an")
    result = page.locator("#hm-search-results a", has_text="Nguyễn Văn Ân")
    result.wait_for()
    result.click()
    page.wait_for_url(f"**/console/customers/{seeded['customer'].code}/")
    assert page.locator("#customer-name").inner_text() == "Nguyễn Văn Ân"
    assert page.locator("#customer-phone").inner_text() == "+84987654321"
    assert "LGWM-000123" in page.locator("#orders").inner_text()
    assert "8.490.000 ₫" in page.locator("#orders").inner_text()


def test_wrong_password_is_refused_in_the_browser(live_server: Any, page: Any, seeded: dict[str, Any]) -> None:
    page.goto(live_server.url + "/console/login/")
    page.fill("#id_username", "lan.agent")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").is_visible()
    assert "/console/login/" in page.url
