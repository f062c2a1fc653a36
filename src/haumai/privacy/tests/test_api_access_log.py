"""The REST API's reads of orders, returns, shipments, deliveries and events are recorded one by one for a
reader who sees the contact details unmasked (one entry per request), and not at all for a masked reader
or an empty page (issue 9, access audit)."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.privacy.models import AccessLog
from haumai.privacy.tests.conftest import PHONE, Footprint
from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db


def entries() -> list[tuple[str, str, dict[str, Any]]]:
    return list(AccessLog.objects.order_by("id").values_list("action", "target", "detail"))


def test_api_reads_with_contact_details_are_recorded(footprint: Footprint, api_client_for: Any) -> None:
    customer, order = footprint.customer, footprint.shop.order
    shipment = Shipment.objects.get(reference=footprint.return_code)
    api = api_client_for("agent")
    assert api.get(f"/api/v1/orders/{order.code}").json()["customer"]["phone"] == PHONE
    assert len(api.get("/api/v1/orders", {"customer": customer.code}).json()["items"]) == 1
    assert api.get(f"/api/v1/returns/{footprint.return_code}").status_code == 200
    assert len(api.get("/api/v1/returns").json()["items"]) == 1
    assert api.get(f"/api/v1/shipments/{shipment.code}").json()["sender"]["phone"] == PHONE
    assert len(api.get("/api/v1/messaging/deliveries", {"customer": customer.code}).json()["items"]) == 1
    events = api.get("/api/v1/events", {"customer": customer.code, "limit": 5}).json()["items"]
    assert AccessLog.objects.filter(customer=customer).count() == 3  # the three single records
    assert entries() == [
        ("view_record", order.code, {"page": "api"}),
        ("view_list", "orders", {"page": "api", "rows": 1}),
        ("view_record", footprint.return_code, {"page": "api"}),
        ("view_list", "returns", {"page": "api", "rows": 1}),
        ("view_record", shipment.code, {"page": "api"}),
        ("view_list", "deliveries", {"page": "api", "rows": 1}),
        ("view_list", "events", {"page": "api", "rows": len(events)}),
    ]
    # An empty page showed nobody: nothing is recorded.
    assert api.get("/api/v1/orders", {"customer": "CUS-0000-999999"}).json()["items"] == []
    assert api.get("/api/v1/returns", {"q": "nobody"}).json()["items"] == []
    assert AccessLog.objects.count() == 7


def test_masked_readers_leave_no_entry(footprint: Footprint, api_client_for: Any) -> None:
    order = footprint.shop.order
    warehouse = api_client_for("warehouse")
    response = warehouse.get(f"/api/v1/orders/{order.code}")
    assert response.status_code == 200 and PHONE not in response.content.decode()
    assert warehouse.get("/api/v1/orders").status_code == 200
    assert warehouse.get(f"/api/v1/returns/{footprint.return_code}").status_code == 200
    shipment = Shipment.objects.get(reference=footprint.return_code)
    detail = warehouse.get(f"/api/v1/shipments/{shipment.code}")
    assert detail.status_code == 200 and PHONE not in detail.content.decode()
    events = warehouse.get("/api/v1/events", {"customer": footprint.customer.code})
    assert events.status_code == 200 and PHONE not in events.content.decode()
    assert not AccessLog.objects.exists()


def test_one_insert_per_read(footprint: Footprint, api_client_for: Any, django_assert_max_num_queries: Any) -> None:
    api = api_client_for("agent")
    api.get("/api/v1/orders")  # warm: the token's last use is touched once
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/orders").status_code == 200
    assert AccessLog.objects.count() == 2
