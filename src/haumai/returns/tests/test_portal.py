"""Portal pages for returns: only my returns, request from an order, photos checked, timeline, cancel."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client

from haumai.returns.models import ReturnPhoto, ReturnRequest, Status
from haumai.returns.tests.conftest import Shop

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def portal(customer: Any) -> Client:
    client = Client()
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    return client


def form(shop: Shop, **extra: Any) -> dict[str, Any]:
    phone_line = shop.order.lines.get(product__sku="PHONE-1")
    values: dict[str, Any] = {
        f"quantity_{phone_line.pk}": "1", f"condition_{phone_line.pk}": "opened_unused",
        "reason": "changed_mind", "resolution": "store_credit", "logistics": "store_dropoff", "form_key": "f1",
    }  # fmt: skip
    values.update(extra)
    return values


def test_request_a_dropoff_return_with_a_photo(shop: Shop, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = portal(shop.customer)
    assert b'id="tile-returns"' in client.get("/portal/").content
    page = client.get(f"/portal/orders/{shop.order.code}/return/")
    assert page.status_code == 200 and b"SN-0001" in page.content
    photo = io.BytesIO(PNG)
    photo.name = "box.png"
    response = client.post(f"/portal/orders/{shop.order.code}/return/", {**form(shop), "photos": [photo]})
    assert response.status_code == 302
    request = ReturnRequest.objects.get()
    assert request.origin == "portal" and request.status == Status.AWAITING_DROPOFF
    stored = ReturnPhoto.objects.get()
    assert stored.content_type == "image/png" and (tmp_path / stored.file.name).exists()
    detail = client.get(response["Location"])
    assert b"<svg" in detail.content and request.dropoff_code.encode() in detail.content
    assert b'data-event="return.dropoff_ready"' in detail.content
    assert b"RMA-2026-000001" in client.get("/portal/returns/").content


def test_a_non_image_upload_is_refused_and_nothing_is_saved(shop: Shop, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<?php echo 1; ?>")
    fake.name = "photo.jpg"
    response = portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", {**form(shop), "photos": [fake]})
    assert response.status_code == 422 and b"is not a JPEG, PNG or WebP picture" in response.content
    assert not ReturnRequest.objects.exists() and not ReturnPhoto.objects.exists()


def test_ineligible_return_shows_the_reason(shop: Shop) -> None:
    import datetime as dt

    from haumai.core import clock
    from haumai.returns.tests.conftest import DELIVERED

    clock.freeze(DELIVERED + dt.timedelta(days=11))
    response = portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", form(shop))
    assert response.status_code == 422
    assert "delivered on 01/11, today is 12/11" in response.content.decode()


def test_others_returns_and_orders_are_404(shop: Shop) -> None:
    portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", form(shop))
    code = ReturnRequest.objects.get().code
    stranger = portal(shop.other)
    assert stranger.get(f"/portal/returns/{code}/").status_code == 404
    assert stranger.get(f"/portal/orders/{shop.order.code}/return/").status_code == 404
    assert stranger.post(f"/portal/returns/{code}/cancel/").status_code == 404
    assert ReturnRequest.objects.get().status == Status.AWAITING_DROPOFF
    assert Client().get("/portal/returns/").status_code == 302  # login first


def test_customer_cancels(shop: Shop) -> None:
    client = portal(shop.customer)
    client.post(f"/portal/orders/{shop.order.code}/return/", form(shop))
    code = ReturnRequest.objects.get().code
    client.post(f"/portal/returns/{code}/cancel/")
    assert ReturnRequest.objects.get().status == Status.CANCELLED


def test_pickup_at_another_address_with_ward_choices(shop: Shop) -> None:
    from haumai.customers.models import Ward

    ward = Ward.objects.order_by("code").first()
    assert ward is not None
    client = portal(shop.customer)
    options = client.get(f"/portal/returns/wards/?pickup_province={ward.province_id}")
    assert options.status_code == 200 and f'value="{ward.code}"'.encode() in options.content
    assert client.get("/portal/returns/wards/?pickup_province=abc").content.count(b"<option") == 1
    page = client.get(f"/portal/orders/{shop.order.code}/return/")
    slot = re.search(r'name="slot" id="slot"[^>]*><option value="([^"]+)"', page.content.decode())
    assert slot is not None
    response = client.post(f"/portal/orders/{shop.order.code}/return/", form(
        shop, logistics="carrier_pickup", address="new", pickup_street="9 Pasteur", pickup_province=ward.province_id,
        pickup_ward=ward.code, pickup_phone="0903 222 333", slot=slot.group(1),
    ))  # fmt: skip
    assert response.status_code == 302
    request = ReturnRequest.objects.get()
    assert request.pickup_ward_code == str(ward.code) and request.pickup_street == "9 Pasteur"
    assert request.pickup_from is not None and request.pickup_to is not None


def test_staff_see_the_customer_photo_through_a_checked_url(
    shop: Shop, settings: Any, tmp_path: Any, make_staff: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    photo = io.BytesIO(PNG)
    photo.name = "box.png"
    portal(shop.customer).post(f"/portal/orders/{shop.order.code}/return/", {**form(shop), "photos": [photo]})
    request = ReturnRequest.objects.get()
    stored = ReturnPhoto.objects.get()
    url = f"/console/returns/{request.code}/photos/{stored.pk}/"
    agent = Client()
    agent.force_login(make_staff("agent"))
    assert url.encode() in agent.get(f"/console/returns/{request.code}/").content
    response = agent.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert Client().get(url).status_code == 302  # staff login first
    assert agent.get(f"/console/returns/{request.code}/photos/{stored.pk + 1}/").status_code == 404


def test_my_returns_query_count(shop: Shop, django_assert_max_num_queries: Any) -> None:
    from haumai.returns.tests.conftest import make_order
    from haumai.sales.services import OrderLineInput

    client = portal(shop.customer)
    for index in range(5):
        order = make_order(shop.customer, lines=[OrderLineInput(sku="CASE-1", quantity=1, unit_price=200_000)])
        line = order.lines.get()
        client.post(f"/portal/orders/{order.code}/return/", {
            f"quantity_{line.pk}": "1", "reason": "changed_mind", "resolution": "store_credit",
            "logistics": "store_dropoff", "form_key": f"k{index}",
        })  # fmt: skip
    assert ReturnRequest.objects.count() == 5
    with django_assert_max_num_queries(8):
        page = client.get("/portal/returns/")
    assert page.content.count(b'id="return-RMA-') == 5


def test_only_refunds_that_can_work_are_offered(shop: Shop) -> None:
    """Cash on delivery cannot go back to a card: the form does not offer it and the service refuses it."""
    client = portal(shop.customer)
    page = client.get(f"/portal/orders/{shop.order.code}/return/").content.decode()
    assert 'value="refund_original"' not in page and 'value="bank_transfer"' in page

    response = client.post(f"/portal/orders/{shop.order.code}/return/", form(shop, resolution="refund_original"))

    assert response.status_code == 422 and b"not paid through VNPay or MoMo" in response.content
    assert ReturnRequest.objects.count() == 0


def test_an_order_paid_through_vnpay_offers_the_refund_to_it(paid: Shop) -> None:
    page = portal(paid.customer).get(f"/portal/orders/{paid.order.code}/return/").content.decode()
    assert 'value="refund_original"' in page
