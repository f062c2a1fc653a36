"""On a phone (390x844, real Chromium): the return form shows only the fields that apply, and a refused
submit comes back with everything typed and the error beside the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from haumai.customers.models import Ward
from haumai.returns.models import ReturnRequest
from haumai.returns.tests.conftest import Shop

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.vietnamese]


def _log_in(page: Any, live_server: Any, customer: Any) -> None:
    session = SessionStore()
    session["portal_customer_id"] = customer.pk
    session.save()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                               "url": live_server.url}])  # fmt: skip


def test_invalid_return_form_keeps_values_and_shows_the_error_next_to_the_field(
    live_server: Any, page: Any, paid: Shop
) -> None:
    shop = paid  # paid through VNPay: the default refund goes back that way, with no bank fields
    page.set_viewport_size({"width": 390, "height": 844})
    ward = Ward.objects.select_related("province").order_by("code").first()
    assert ward is not None
    case = shop.order.lines.get(product__sku="CASE-1")
    _log_in(page, live_server, shop.customer)
    page.goto(live_server.url + f"/portal/orders/{shop.order.code}/return/")

    # Only what applies: no bank fields for the default refund, no pickup address for a drop-off.
    assert page.is_hidden("#bank-fields") and page.is_hidden("#pickup-fields")
    page.select_option(f"#quantity-{case.pk}", "2")
    page.select_option(f"#condition-{case.pk}", "sealed")
    page.select_option("#reason", "defective")
    page.check("#res-bank_transfer")
    assert page.is_visible("#bank-fields")
    page.fill("#bank", "Vietcombank")
    page.fill("#bank-name", "NGUYEN VAN AN")  # the account number is left out
    page.check("#log-pickup")
    assert page.is_visible("#new-address")  # no saved address: "Another address…" is chosen
    page.fill("#pickup-street", "9 Pasteur")
    with page.expect_response(lambda r: "/portal/returns/wards/" in r.url):
        page.select_option("#pickup-province", str(ward.province_id))
    page.select_option("#pickup-ward", str(ward.code))
    page.fill("#pickup-phone", "0903 222 333")
    with page.expect_navigation():
        page.click("#submit-return")

    assert not ReturnRequest.objects.exists()
    assert page.input_value(f"#quantity-{case.pk}") == "2"
    assert page.input_value(f"#condition-{case.pk}") == "sealed"
    assert page.input_value("#reason") == "defective"
    assert page.is_checked("#res-bank_transfer") and page.is_checked("#log-pickup")
    assert page.input_value("#bank") == "Vietcombank" and page.input_value("#bank-name") == "NGUYEN VAN AN"
    assert page.input_value("#pickup-street") == "9 Pasteur"
    assert page.input_value("#pickup-province") == str(ward.province_id)
    assert page.input_value("#pickup-ward") == str(ward.code)
    assert page.input_value("#pickup-phone") == "0903 222 333"
    error = page.locator("#err-bank")
    assert error.is_visible()
    assert "Nhập ngân hàng, số tài khoản và chủ tài khoản" in error.inner_text()
    field_box, error_box = page.locator("#bank-number").bounding_box(), error.bounding_box()
    assert field_box is not None and error_box is not None
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 120  # right under the bank fields
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    # Choosing another refund hides the bank fields again, and they are not sent.
    page.check("#res-store_credit")
    assert page.is_hidden("#bank-fields") and page.is_disabled("#bank")
