"""The customer 360 as registered panels: every panel with data, permissions, labels, bounded queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.core import clock
from haumai.customers.models import Ward
from haumai.journeys.models import CareTask, Journey, JourneyRun
from haumai.messaging.models import Delivery
from haumai.payments.services import grant_store_credit, request_refund
from haumai.returns import services as returns
from haumai.returns.models import ReturnRequest
from haumai.returns.services import LineInput, PickupInput
from haumai.returns.tests.conftest import Shop, shop  # noqa: F401  (fixture)
from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db


def visible_text(body: str) -> str:
    """The page without the "details" toggles and attributes (where raw event names may be)."""
    return re.sub(r"<details.*?</details>|<[^>]+>", " ", body, flags=re.S)


def login(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


@pytest.fixture
def full(shop: Shop, ward: Ward, settings: Any, make_staff: Any) -> Shop:  # noqa: F811
    """A customer with something in every panel: order, return + shipment, refund, store credit, message, journey."""
    settings.HAUMAI_RETURNS_ADDRESS_STREET = "12 Nguyễn Huệ"
    settings.HAUMAI_RETURNS_ADDRESS_WARD_CODE = str(ward.code)
    settings.HAUMAI_RETURNS_ADDRESS_PHONE = "0283 822 0000"
    start = clock.now() + dt.timedelta(days=1)
    rma, _created = returns.create_return(
        actor=None, customer=shop.customer, order=shop.order, lines=[LineInput(sku="CASE-1", quantity=2)],
        reason="changed_mind", resolution="store_credit", logistics="staff_pickup", origin="portal",
        actor_label="customer", warehouse_code="wh-hcm",
        pickup=PickupInput(street="45 Lê Lợi", ward_code=str(ward.code), province_code=str(ward.province_id),
                           window_from=start, window_to=start + dt.timedelta(hours=4)),
    )  # fmt: skip
    assert Shipment.objects.filter(customer=shop.customer).exists(), rma.problem
    manager = make_staff("manager")
    request_refund(
        order=shop.order, amount_vnd=200_000, method="store_credit", reference=rma.code, reason="test",
        actor=manager, idempotency_key="refund-1",
    )  # fmt: skip
    grant_store_credit(customer=shop.customer, amount_vnd=50_000, reason="goodwill", actor=manager,
                       idempotency_key="goodwill-1")  # fmt: skip
    for n in range(7):
        Delivery.objects.create(
            idempotency_key=f"d-{n}", customer=shop.customer, channel="sms", destination="+84901234567",
            body_text="Cảm ơn", status="sent", tracking_id=f"t-{n}", created_at=clock.now(),
        )  # fmt: skip
    journey = Journey.objects.get(key="order-thank-you")
    run = JourneyRun.objects.create(journey=journey, customer=shop.customer, started_at=clock.now())
    CareTask.objects.create(run=run, customer=shop.customer, title="Gọi hỏi thăm khách", created_at=clock.now())
    return shop


def test_every_panel_shows_its_data_in_bounded_queries(
    full: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(make_staff, "agent")
    url = reverse("customers:detail", args=[full.customer.code])
    # A fixed number per panel (repairs, appointments, tickets, survey scores and data requests added 6; loyalty 6;
    # segments and RFM 2, what to offer 3).
    # 43: the restriction of processing in force (privacy panel and the offer panel share one read).
    with django_assert_max_num_queries(46):  # incl. the loyalty panel's 3 cashback queries
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    rma = ReturnRequest.objects.get(customer=full.customer)
    shipment = Shipment.objects.get(customer=full.customer)
    for section in ("profile", "consent", "addresses", "orders", "returns", "refunds", "shipments", "messages",
                    "journeys", "timeline"):  # fmt: skip
        assert f'id="{section}"' in body, section
    assert full.order.code in body
    assert f'href="/console/returns/{rma.code}/"' in body and "2 × Case" in body
    assert f'href="/console/shipping/{shipment.code}/"' in body
    assert "RF-" in body and 'id="store-credit-balance">250.000 ₫' in body
    assert "See all messages" in body and f"?customer={full.customer.code}" in body
    assert "Thank-you" in body or "Cảm ơn" in body or "order-thank-you" not in body
    assert "Gọi hỏi thăm khách" in body
    assert "not tracked in Haumai yet" not in body
    # The timeline speaks: a linked sentence per event, the customer as the actor of the portal request.
    assert f'The customer asked to return <a href="/console/returns/{rma.code}/">{rma.code}</a> — 2 items' in body
    assert "order.delivered" not in visible_text(body)  # raw names only behind "details"


def test_query_count_does_not_grow_with_more_rows(
    full: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(10):
        Delivery.objects.create(
            idempotency_key=f"more-{n}", customer=full.customer, channel="email", destination="a@example.vn",
            status="queued", tracking_id=f"m-{n}", created_at=clock.now(),
        )  # fmt: skip
        grant_store_credit(customer=full.customer, amount_vnd=1_000, reason="goodwill", actor=make_staff("manager"),
                           idempotency_key=f"more-{n}")  # fmt: skip
    client = login(make_staff, "agent")
    # A fixed number per panel (repairs, appointments, tickets, survey scores and data requests added 6; loyalty 6;
    # segments and RFM 2, what to offer 3).
    # 43: the restriction of processing in force (privacy panel and the offer panel share one read).
    with django_assert_max_num_queries(46):  # incl. the loyalty panel's 3 cashback queries
        response = client.get(reverse("customers:detail", args=[full.customer.code]))
    assert response.status_code == 200
    assert "?events_page=2#timeline" in response.content.decode()


def test_panels_follow_permissions(full: Shop, make_staff: Any) -> None:
    body = login(make_staff, "warehouse").get(reverse("customers:detail", args=[full.customer.code])).content.decode()
    assert 'id="returns"' in body and 'id="shipments"' in body
    assert 'id="messages"' not in body and 'id="journeys"' not in body  # no care permissions
    assert "Hidden for your role." in body  # addresses without PII


def test_panel_pages_stay_inside_the_page(full: Shop, make_staff: Any) -> None:
    client = login(make_staff, "agent")
    url = reverse("customers:detail", args=[full.customer.code])
    assert client.get(url, {"refunds_page": "x", "events_page": "99999999"}).status_code == 200
    late = client.get(url, {"events_page": "50"}).content.decode()
    assert "Nothing has happened yet." in late and "?events_page=49#timeline" in late


def test_labels_not_codes_in_vietnamese(full: Shop, make_staff: Any) -> None:
    client = login(make_staff, "agent")
    client.cookies["django_language"] = "vi"  # this app's tests default to English (conftest)
    body = client.get(reverse("customers:detail", args=[full.customer.code])).content.decode()
    assert '<html lang="vi"' in body
    assert 'id="customer-language">Tiếng Việt<' in body
    code = full.order.code
    assert f'Đơn <a href="/console/customers/{full.customer.code}/#order-{code}">{code}</a> đã giao' in body
    assert "Khách hàng" in body  # the actor of the portal request



def test_return_and_shipment_pages_read_their_timeline_in_bounded_queries(
    full: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(make_staff, "agent")
    rma = ReturnRequest.objects.get(customer=full.customer)
    shipment = Shipment.objects.get(customer=full.customer)
    with django_assert_max_num_queries(15):
        body = client.get(f"/console/returns/{rma.code}/").content.decode()
    assert f"Pickup booked for return <a href=\"/console/returns/{rma.code}/\">{rma.code}</a>" in body
    assert "return.pickup_booked" not in visible_text(body)
    with django_assert_max_num_queries(12):
        body = client.get(f"/console/shipping/{shipment.code}/").content.decode()
    assert f'Return shipment <a href="/console/shipping/{shipment.code}/">{shipment.code}</a> was created' in body
    assert "shipment.created" not in visible_text(body)
