"""My orders: only the customer's own orders, newest first, delivery steps, 404 for others' codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from haumai.core import clock
from haumai.portal.tests.conftest import PLACED, Shop, log_in, make_order
from haumai.sales.models import OrderStatus
from haumai.sales.services import change_order_status


def test_orders_need_login(client: Client, shop: Shop) -> None:
    response = client.get("/portal/orders/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=%2Fportal%2Forders%2F"


def test_my_orders_shows_only_own_orders_newest_first(client: Client, settings: Any, shop: Shop) -> None:
    newer = make_order(shop.an, sku="FAN", days=3)
    log_in(client, settings)
    body = client.get("/portal/orders/").content.decode()
    assert shop.an_order.code in body
    assert newer.code in body
    assert body.index(newer.code) < body.index(shop.an_order.code)
    assert shop.binh_order.code not in body
    assert "SN-BINH-001" not in body
    assert "SN-AN-001" in body
    assert "Trần Thị Bình" not in body


def test_delivery_steps_with_dates(client: Client, settings: Any, shop: Shop) -> None:
    clock.freeze(PLACED + dt.timedelta(days=1))
    change_order_status(actor=None, order=shop.an_order, status=OrderStatus.CONFIRMED)
    clock.advance(dt.timedelta(days=1))
    change_order_status(actor=None, order=shop.an_order, status=OrderStatus.SHIPPED)
    clock.unfreeze()
    log_in(client, settings)
    body = client.get(f"/portal/orders/{shop.an_order.code}/").content.decode()
    assert 'class="hm-reached" data-status="confirmed">Confirmed<br><span class="small">02/03/2026' in body
    assert 'class="hm-reached" data-status="shipped">Shipped<br><span class="small">03/03/2026' in body
    assert 'class="" data-status="delivered">Delivered</li>' in body
    clock.freeze(PLACED + dt.timedelta(days=4))
    change_order_status(actor=None, order=shop.an_order, status=OrderStatus.DELIVERED)
    clock.unfreeze()
    body = client.get(f"/portal/orders/{shop.an_order.code}/").content.decode()
    assert 'class="hm-reached" data-status="delivered">Delivered<br><span class="small">05/03/2026' in body


def test_other_customers_order_is_404(client: Client, settings: Any, shop: Shop) -> None:
    log_in(client, settings)
    assert client.get(f"/portal/orders/{shop.an_order.code}/").status_code == 200
    assert client.get(f"/portal/orders/{shop.an_order.code.lower()}/").status_code == 200
    other = client.get(f"/portal/orders/{shop.binh_order.code}/")
    unknown = client.get("/portal/orders/ORD-2026-999999/")
    assert other.status_code == unknown.status_code == 404
    assert shop.binh_order.code not in other.content.decode()
    assert client.get("/portal/orders/" + "x" * 5000 + "/").status_code == 404


def test_pagination_is_keyset(client: Client, settings: Any, shop: Shop) -> None:
    codes = [make_order(shop.an, sku="FAN", days=day).code for day in range(1, 13)]
    log_in(client, settings)
    first = client.get("/portal/orders/")
    page_one = first.content.decode()
    assert all(code in page_one for code in codes[-10:])
    assert codes[1] not in page_one
    cursor = first.context["next_cursor"]
    assert cursor
    page_two = client.get("/portal/orders/", {"after": cursor}).content.decode()
    assert codes[1] in page_two and codes[0] in page_two and shop.an_order.code in page_two
    assert codes[-1] not in page_two
    assert client.get("/portal/orders/", {"after": "garbage|x"}).status_code == 200


def test_my_orders_query_count(client: Client, settings: Any, shop: Shop, django_assert_max_num_queries: Any) -> None:
    for day in range(1, 16):
        make_order(shop.an, sku="IP15", serial=f"SN-Q-{day}", days=day)
    log_in(client, settings)
    client.get("/portal/orders/")  # warm up the session
    # session, customer, orders, their lines (with product and unit), delivery events: 5 whatever the count
    with django_assert_max_num_queries(5):
        response = client.get("/portal/orders/")
    assert response.status_code == 200
    assert response.content.decode().count("SN-Q-") == 10
    # the order page adds its deliveries and their carrier events: 7 whatever the number of events
    with django_assert_max_num_queries(7):
        assert client.get(f"/portal/orders/{shop.an_order.code}/").status_code == 200


def test_deleted_customer_session_is_logged_out(client: Client, settings: Any, shop: Shop) -> None:
    log_in(client, settings)
    session = client.session
    session["portal_customer_id"] = 999_999
    session.save()
    assert client.get("/portal/orders/").status_code == 302
    session = client.session
    session["portal_customer_id"] = "1 OR 1=1"
    session.save()
    assert client.get("/portal/orders/").status_code == 302


def test_home_shows_only_existing_tiles(client: Client, settings: Any, shop: Shop) -> None:
    body = client.get("/portal/").content.decode()
    assert 'id="tile-orders"' in body and 'id="tile-lookup"' in body and 'id="tile-returns"' in body
    for missing in ("tile-warranty", "tile-repairs", "tile-tickets", "tile-points"):
        assert missing not in body
    log_in(client, settings)
    assert "Hello, Nguyễn Văn An" in client.get("/portal/").content.decode()


def test_vietnamese_is_the_default_and_language_switch_works(client: Client, settings: Any, shop: Shop) -> None:
    settings.LANGUAGE_CODE = "vi"
    body = client.get("/portal/").content.decode()
    assert '<html lang="vi">' in body
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/lookup/"})
    assert response.status_code == 302
    assert response["Location"] == "/portal/lookup/"
    assert '<html lang="en">' in client.get("/portal/lookup/").content.decode()


def test_my_order_page_follows_its_delivery_in_plain_words(
    client: Client, settings: Any, shop: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    from haumai.shipping.carriers.base import TrackingUpdate
    from haumai.shipping.services import ingest_tracking_updates
    from haumai.shipping.services.outbound import register_outbound

    register_outbound(actor=make_staff("agent"), order_code=shop.an_order.code, carrier_code="ghn",
                      tracking_code="GHN-AN-778")  # fmt: skip
    picked = clock.now() - dt.timedelta(hours=2)
    ingest_tracking_updates(carrier_code="ghn", updates=[
        TrackingUpdate(carrier_code="ghn", tracking_code="GHN-AN-778", raw_code="picked", occurred_at=picked,
                       dedupe_key="ghn:GHN-AN-778:picked", mapped_status="picked_up",
                       description="Lấy hàng thành công"),
        TrackingUpdate(carrier_code="ghn", tracking_code="GHN-AN-778", raw_code="delivering",
                       occurred_at=picked + dt.timedelta(hours=1), dedupe_key="ghn:GHN-AN-778:delivering",
                       mapped_status="out_for_delivery"),
    ])  # fmt: skip
    log_in(client, settings)
    with django_assert_max_num_queries(20):
        page = client.get(f"/portal/orders/{shop.an_order.code}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200 and "GHN-AN-778" in body
    assert "Your parcel is out for delivery today" in body and "The carrier has picked up your parcel" in body
    assert "Lấy hàng thành công" in body
    other = client.get(f"/portal/orders/{shop.binh_order.code}/")
    assert other.status_code == 404 and "GHN-AN-778" not in other.content.decode()


def test_my_order_page_says_when_the_delivery_is_later_than_promised(
    client: Client, settings: Any, shop: Shop, make_staff: Any
) -> None:
    from haumai.core import scheduler
    from haumai.shipping.services.outbound import register_outbound

    register_outbound(actor=make_staff("manager"), order_code=shop.an_order.code, carrier_code="ghn",
                      tracking_code="GHN-AN-LATE", promised_at=clock.now() + dt.timedelta(hours=6))  # fmt: skip
    log_in(client, settings)
    before = client.get(f"/portal/orders/{shop.an_order.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Promised by" in before and "Later than promised" not in before
    clock.advance(dt.timedelta(hours=7))
    scheduler.tick()
    after = client.get(f"/portal/orders/{shop.an_order.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Later than promised: we are following it up with the carrier" in after
