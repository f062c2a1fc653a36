"""Console pages: queue (query count), detail, actions per permission, create, receiving screen, metrics."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.inventory.models import StockLevel
from haumai.returns import services
from haumai.returns.models import ReturnPolicy, ReturnRequest, Status
from haumai.returns.services import LineInput
from haumai.returns.tests.conftest import Shop, make_order
from haumai.sales.services import OrderLineInput

pytestmark = pytest.mark.django_db


def login(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def open_return(shop: Shop, **kwargs: Any) -> ReturnRequest:
    values: dict[str, Any] = {
        "actor": None, "customer": shop.customer, "order": shop.order, "lines": [LineInput(serial="SN-0001")],
        "reason": "changed_mind", "resolution": "exchange_same", "logistics": "store_dropoff",
        "warehouse_code": "wh-hcm",
    }  # fmt: skip
    values.update(kwargs)
    return services.create_return(**values)[0]


def test_queue_filters_and_query_count(shop: Shop, make_staff: Any, django_assert_max_num_queries: Any) -> None:
    for _index in range(4):
        order = make_order(shop.customer, lines=[OrderLineInput(sku="CASE-1", quantity=1, unit_price=200_000)])
        open_return(shop, order=order, lines=[LineInput(sku="CASE-1")])
    client = login(make_staff, "agent")
    with django_assert_max_num_queries(12):
        response = client.get("/console/returns/")
    assert response.status_code == 200
    assert response.content.count(b'data-status="awaiting_dropoff"') == 4
    assert b"RMA-2026-000004" in client.get("/console/returns/?status=awaiting_dropoff").content
    assert b"RMA-2026" not in client.get("/console/returns/?status=rejected").content


def test_detail_and_permissions(shop: Shop, make_staff: Any) -> None:
    ReturnPolicy.objects.update(auto_approve=False)
    request = open_return(shop)
    technician = login(make_staff, "technician")
    page = technician.get(f"/console/returns/{request.code}/")
    assert page.status_code == 200 and b"Within the 7-day return window" in page.content
    assert b'id="approve"' not in page.content
    refused = technician.post(f"/console/returns/{request.code}/approve/")
    assert refused.status_code == 403
    request.refresh_from_db()
    assert request.status == Status.REQUESTED
    agent = login(make_staff, "agent")
    assert b'id="approve"' in agent.get(f"/console/returns/{request.code}/").content
    agent.post(f"/console/returns/{request.code}/reject/", {"note": ""})
    request.refresh_from_db()
    assert request.status == Status.REQUESTED  # a reject without a note is refused
    agent.post(f"/console/returns/{request.code}/approve/", {"note": "fine"})
    request.refresh_from_db()
    assert request.status == Status.AWAITING_DROPOFF
    assert b"<svg" in agent.get(f"/console/returns/{request.code}/").content  # drop-off QR
    assert agent.get("/console/returns/RMA-1999-000001/").status_code == 404


def test_receiving_screen_scan_receive_grade_restock(shop: Shop, make_staff: Any) -> None:
    request = open_return(shop)
    keeper = login(make_staff, "warehouse")
    page = keeper.get("/console/returns/receiving/")
    assert b"autofocus" in page.content
    unknown = keeper.post("/console/returns/receiving/", {"code": "ZZZ-404"})
    assert unknown.status_code == 404 and "No return matches “ZZZ-404”" in unknown.content.decode()
    opened = keeper.post("/console/returns/receiving/", {"code": request.dropoff_code})
    assert opened.status_code == 302 and opened["Location"].endswith(f"/receiving/{request.code}/")
    line = request.lines.get()
    keeper.post(opened["Location"], {"step": "receive", f"received_{line.pk}": "1", "warehouse": "wh-hcm"})
    keeper.post(opened["Location"], {"step": "inspect", "line": line.pk, "grade": "A", "disposition": "restock"})
    assert StockLevel.objects.get(warehouse=shop.warehouse, grade="A").quantity == 1
    page = keeper.get(opened["Location"])
    assert b'class="stock-level">1<' in page.content
    agent = login(make_staff, "agent")
    assert agent.get("/console/returns/receiving/").status_code == 403


def test_create_on_behalf_of_customer(shop: Shop, make_staff: Any) -> None:
    agent = login(make_staff, "agent")
    page = agent.get(f"/console/returns/new/?order={shop.order.code}")
    assert b"SN-0001" in page.content
    phone_line = shop.order.lines.get(product__sku="PHONE-1")
    bad = agent.post("/console/returns/new/", {
        "order": shop.order.code, f"quantity_{phone_line.pk}": "0", "reason": "changed_mind",
        "resolution": "store_credit", "logistics": "store_dropoff", "warehouse": "wh-hcm",
    })  # fmt: skip
    assert bad.status_code == 422 and b"Choose at least one item" in bad.content
    assert not ReturnRequest.objects.exists()
    done = agent.post("/console/returns/new/", {
        "order": shop.order.code, f"quantity_{phone_line.pk}": "1", "reason": "changed_mind",
        "resolution": "store_credit", "logistics": "store_dropoff", "warehouse": "wh-hcm", "idempotency_key": "c-1",
    })  # fmt: skip
    assert done.status_code == 302
    request = ReturnRequest.objects.get()
    assert request.origin == "console" and request.created_by is not None


def test_metrics_page(shop: Shop, make_staff: Any) -> None:
    open_return(shop, lines=[LineInput(sku="CASE-1", quantity=1)])
    page = login(make_staff, "manager").get("/console/returns/metrics/")
    assert page.status_code == 200
    assert b"50.0%" in page.content  # 1 of 2 cases returned
    assert "200.000" in page.content.decode()  # value tied up


def test_create_without_an_order_needs_the_override(shop: Shop, make_staff: Any) -> None:
    agent = login(make_staff, "agent")
    page = agent.get(f"/console/returns/new/?customer={shop.customer.code}")
    assert b'name="sku"' in page.content
    data = {"customer": shop.customer.code, "sku": "CASE-1", "quantity": "1", "unit_price": "150000",
            "reason": "defective", "resolution": "store_credit", "logistics": "store_dropoff", "warehouse": "wh-hcm"}
    refused = agent.post("/console/returns/new/", data)
    assert refused.status_code == 422 and b"Not bought on an order we know" in refused.content
    done = agent.post("/console/returns/new/", {**data, "override_note": "receipt from partner shop"})
    assert done.status_code == 302
    request = ReturnRequest.objects.get()
    assert request.order is None and request.lines.get().overridden and request.status == Status.REQUESTED


def test_queue_shows_parcels_arrived_but_not_received(shop: Shop, make_staff: Any) -> None:
    from haumai.core import clock

    first = open_return(shop)
    second = open_return(shop, lines=[LineInput(sku="CASE-1", quantity=1)])
    ReturnRequest.objects.filter(pk=first.pk).update(arrived_at=clock.now())
    page = login(make_staff, "warehouse").get("/console/returns/?arrived=1").content.decode()
    assert first.code in page and second.code not in page


def test_a_swapped_unit_is_refused_at_receiving(shop: Shop, make_staff: Any) -> None:
    request = open_return(shop)
    line = request.lines.get()
    keeper = login(make_staff, "warehouse")
    url = f"/console/returns/receiving/{request.code}/"
    keeper.post(url, {"step": "receive", f"received_{line.pk}": "1", f"serial_{line.pk}": "FAKE-123"})
    request.refresh_from_db()
    assert request.status == Status.AWAITING_DROPOFF  # nothing recorded
    page = keeper.get(url).content.decode()
    assert "Serial FAKE-123 is not the unit of this return (SN-0001)" in page
    keeper.post(url, {"step": "receive", f"received_{line.pk}": "1", f"serial_{line.pk}": "SN-0001"})
    request.refresh_from_db()
    assert request.status == Status.RECEIVED
