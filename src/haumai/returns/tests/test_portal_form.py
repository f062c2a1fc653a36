"""The portal return form keeps what was typed on a refused submit and puts each error beside its field."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from haumai.core import clock
from haumai.core.text import collation_key
from haumai.customers.models import Province, Ward
from haumai.returns.models import ReturnRequest
from haumai.returns.tests.conftest import DELIVERED, Shop
from haumai.returns.tests.test_portal import form, portal

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select is not None, name
    chosen = re.search(r'<option value="([^"]*)" selected', select.group(0))
    return chosen.group(1) if chosen else None


def _checked(html: str, name: str) -> str | None:
    radio = re.search(rf'<input[^>]*type="radio" name="{name}" value="([^"]*)"[^>]*checked', html)
    return radio.group(1) if radio else None


def test_a_refused_bank_transfer_keeps_every_value_and_says_which_field(shop: Shop) -> None:
    ward = Ward.objects.order_by("code").first()
    assert ward is not None
    case = shop.order.lines.get(product__sku="CASE-1")
    phone = shop.order.lines.get(product__sku="PHONE-1")
    client = portal(shop.customer)
    slot = re.search(r'name="slot" id="slot"[^>]*><option value="[^"]+">.*?<option value="([^"]+)"',
                     client.get(f"/portal/orders/{shop.order.code}/return/").content.decode(), re.S)
    assert slot is not None
    response = client.post(f"/portal/orders/{shop.order.code}/return/", form(
        shop, **{f"quantity_{case.pk}": "2", f"condition_{case.pk}": "sealed", f"quantity_{phone.pk}": "0"},
        reason="defective", customer_note="Vỏ bị nứt", resolution="bank_transfer", bank="Vietcombank", bank_number="",
        bank_name="NGUYEN VAN AN", logistics="carrier_pickup", address="new", pickup_street="9 Pasteur",
        pickup_province=ward.province_id, pickup_ward=ward.code, pickup_phone="0903 222 333", slot=slot.group(1),
    ))  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 422
    assert not ReturnRequest.objects.exists()  # nothing changed
    assert _selected(html, f"quantity_{case.pk}") == "2"
    assert _selected(html, f"condition_{case.pk}") == "sealed"
    assert _selected(html, f"quantity_{phone.pk}") is None  # "Keep" (the first option) stays chosen
    assert _selected(html, "reason") == "defective"
    assert ">Vỏ bị nứt</textarea>" in html
    assert _checked(html, "resolution") == "bank_transfer"
    assert 'value="Vietcombank"' in html and 'value="NGUYEN VAN AN"' in html
    assert _checked(html, "logistics") == "carrier_pickup"
    assert _selected(html, "address") == "new"
    assert 'value="9 Pasteur"' in html and 'value="0903 222 333"' in html
    assert _selected(html, "pickup_province") == str(ward.province_id)
    assert _selected(html, "pickup_ward") == str(ward.code)  # the wards of that province are there already
    assert _selected(html, "slot") == slot.group(1)
    # the error is beside the bank fields, not only at the top
    bank_error = re.search(r'id="err-bank">([^<]+)<', html)
    assert bank_error is not None and "Give the bank, account number and account holder" in bank_error.group(1)
    assert html.index('id="bank-number"') < html.index('id="err-bank"') < html.index('id="step-how"')


def test_a_wrong_driver_phone_is_marked_beside_it_and_nothing_is_created(shop: Shop) -> None:
    province = Province.objects.order_by("code").first()
    assert province is not None
    response = portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", form(
        shop, logistics="carrier_pickup", address="new", pickup_street="9 Pasteur", pickup_province=province.code,
        pickup_phone="12", slot="",
    ))  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="pickup-phone"[^>]*aria-invalid="true"', html)
    assert 'id="err-pickup-phone">Enter a valid phone number' in html
    assert 'value="12"' in html
    assert not ReturnRequest.objects.exists()


def test_a_line_outside_the_window_is_explained_on_that_line(shop: Shop) -> None:
    clock.freeze(DELIVERED + dt.timedelta(days=11))
    phone = shop.order.lines.get(product__sku="PHONE-1")
    html = portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", form(shop)).content.decode()
    line_error = re.search(rf'id="err-line-{phone.pk}">(.*?)</div></div>', html, re.S)
    assert line_error is not None and "delivered on 01/11, today is 12/11" in line_error.group(1)
    assert _selected(html, f"quantity_{phone.pk}") == "1"


def test_bank_details_are_not_kept_for_another_refund_method(shop: Shop) -> None:
    response = portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", form(
        shop, resolution="store_credit", bank="Vietcombank", bank_number="0123456789", bank_name="NGUYEN VAN AN",
    ))  # fmt: skip
    assert response.status_code == 302
    assert ReturnRequest.objects.get().bank_account == {}


def test_provinces_are_listed_in_vietnamese_alphabetical_order(shop: Shop) -> None:
    html = portal(shop.customer).get(f"/portal/orders/{shop.order.code}/return/").content.decode()
    select = re.search(r'<select[^>]*name="pickup_province".*?</select>', html, re.S)
    assert select is not None
    names = re.findall(r'<option value="\d+">([^<]+)</option>', select.group(0))
    assert len(names) == Province.objects.count() >= 30
    assert names == sorted(names, key=collation_key)
    d_names = [i for i, name in enumerate(names) if name.startswith("Đ")]
    assert d_names and max(d_names) < next(i for i, name in enumerate(names) if name.startswith("G"))
