"""Orders API: idempotent push, status changes, keyset list, permissions and query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.sales import services
from haumai.sales.models import Order, OrderLine
from haumai.sales.tests.conftest import order_body, post

URL = "/api/v1/orders"


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        Customer.objects.count(),
        Unit.objects.count(),
        Event.objects.count(),
    )


def test_push_then_replay(api_client_for: Any, shopee: Any, products: Any) -> None:
    client = api_client_for("agent")
    first = post(client, URL, order_body())
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["total"] == 19_800_000
    assert data["customer"]["phone"] == "+84912345678"
    assert [line["serial"] for line in data["lines"]] == ["SN-001", None]
    before = snapshot()
    replay = post(client, URL, order_body(customer={"phone": "+84912345678", "full_name": "Phạm  Minh Tuấn"}))
    assert replay.status_code == 200
    assert replay.json()["code"] == data["code"]
    assert snapshot() == before


def test_push_different_content_same_external_id_is_409(api_client_for: Any, shopee: Any, products: Any) -> None:
    client = api_client_for("agent")
    code = post(client, URL, order_body()).json()["code"]
    before = snapshot()
    changed = order_body(lines=[{"sku": "CASE", "quantity": 5, "unit_price": 150_000}])
    response = post(client, URL, changed)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "idempotency_conflict"
    assert code in error["message"] and "SO-1" in error["message"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"customer": {"phone": "0123", "full_name": "X"}}, "customer.phone", "Invalid phone number"),
        ({"lines": [{"sku": "CASE", "quantity": 0, "unit_price": 1}]}, "lines.0.quantity", "1 or more"),
        ({"lines": [{"sku": "CASE", "quantity": -2, "unit_price": 1}]}, "lines.0.quantity", "1 or more"),
        ({"lines": [{"sku": "CASE", "quantity": 1, "unit_price": -1}]}, "lines.0.unit_price", "0 or more"),
        ({"lines": [{"sku": "NOPE", "quantity": 1, "unit_price": 1}]}, "lines.0.sku", "Unknown SKU NOPE"),
        ({"lines": [{"sku": "CASE", "quantity": 10**9, "unit_price": 1}]}, "lines.0.quantity", "too large"),
        ({"lines": [{"sku": "CASE", "quantity": 1, "unit_price": 10**15}]}, "lines.0.unit_price", "too large"),
        ({"lines": [{"sku": "CASE", "quantity": 1, "unit_price": 1.5}]}, "lines.0.unit_price", "integer"),
        ({"lines": []}, "lines", "at least one line"),
        ({"channel": "tiki"}, "channel", "Unknown channel 'tiki'"),
        ({"placed_at": None}, "placed_at", "placed_at is required with external_id"),
        ({"status": "lost"}, "status", "Unknown status"),
        ({"customer": {"phone": "0987654321"}}, "customer.full_name", "Full name is required"),
    ],
)
def test_push_bad_input_changes_nothing(
    api_client_for: Any, shopee: Any, products: Any, change: dict[str, Any], field: str, message: str
) -> None:
    client = api_client_for("agent")
    before = snapshot()
    response = post(client, URL, order_body(**change))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["fields"][0]["field"] == field
    assert message in error["fields"][0]["message"]
    assert snapshot() == before


def test_serial_already_sold_is_a_clear_error(api_client_for: Any, shopee: Any, products: Any) -> None:
    client = api_client_for("agent")
    first = post(client, URL, order_body("SO-1")).json()
    before = snapshot()
    response = post(client, URL, order_body("SO-2"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0] == {
        "field": "lines.0.serial",
        "message": f"Serial SN-001 was already sold on order {first['code']}",
        "code": "serial_already_sold",
    }
    assert snapshot() == before


def test_push_needs_permission(api_client_for: Any, shopee: Any, products: Any) -> None:
    response = post(api_client_for("warehouse"), URL, order_body())
    assert response.status_code == 403
    assert "sales.add_order" in response.json()["error"]["message"]
    assert snapshot()[:4] == (0, 0, 0, 0)


def test_push_with_expired_token(make_staff: Any, shopee: Any, products: Any) -> None:
    from django.test import Client

    from haumai.accounts.services import create_api_token

    user = make_staff("agent")
    _, raw = create_api_token(actor=user, user=user, name="pos", days=30)
    clock.freeze(clock.now() + dt.timedelta(days=31))
    response = post(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), URL, order_body())
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("API token expired on ")
    assert Order.objects.count() == 0


def test_status_endpoint(api_client_for: Any, shopee: Any, products: Any) -> None:
    client = api_client_for("agent")
    code = post(client, URL, order_body()).json()["code"]
    skip = post(client, f"{URL}/{code}/status", {"status": "delivered"})
    assert skip.status_code == 409
    assert skip.json()["error"]["message"] == (
        f"Order {code} cannot go from placed to delivered (allowed next: confirmed, cancelled)"
    )
    assert Order.objects.get(code=code).status == "placed"
    for status in ("confirmed", "shipped", "delivered"):
        response = post(client, f"{URL}/{code}/status", {"status": status})
        assert response.status_code == 200, response.content
    assert response.json()["delivered_at"] is not None
    assert Event.objects.filter(name="order.delivered").count() == 1
    assert post(client, f"{URL}/{code}/status", {"status": "nope"}).status_code == 422
    forbidden = post(api_client_for("technician"), f"{URL}/{code}/status", {"status": "completed"})
    assert forbidden.status_code == 403
    assert Order.objects.get(code=code).status == "delivered"
    assert post(client, f"{URL}/ORD-1999-000001/status", {"status": "confirmed"}).status_code == 404


def _seed_orders(actor: Any, count: int, start: int = 0) -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for index in range(start, start + count):
        services.upsert_order(
            actor=actor,
            channel_code="shopee",
            external_id=f"SEED-{index}",
            customer=services.CustomerRef(phone=f"09123{index:05d}", full_name=f"Khách {index}"),
            lines=[
                services.OrderLineInput(sku="IP15", quantity=1, unit_price=1_000, serial=f"S-{index}"),
                services.OrderLineInput(sku="CASE", quantity=1, unit_price=100),
            ],
            placed_at=base + dt.timedelta(hours=index // 2),  # pairs share placed_at: the id breaks ties
        )


def test_list_keyset_pagination_walks_every_order_once(
    api_client_for: Any, make_staff: Any, shopee: Any, products: Any
) -> None:
    _seed_orders(make_staff("agent"), 7)
    client = api_client_for("agent")
    seen: list[str] = []
    url = f"{URL}?limit=3"
    while True:
        page = client.get(url).json()
        seen += [o["code"] for o in page["items"]]
        if not page["next_cursor"]:
            break
        url = f"{URL}?limit=3&cursor={page['next_cursor']}"
    expected = list(Order.objects.order_by("-placed_at", "-id").values_list("code", flat=True))
    assert seen == expected
    assert len(seen) == 7
    bad = client.get(f"{URL}?cursor=garbage!")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "cursor"
    assert client.get(f"{URL}?limit=101").status_code == 422


def test_list_filters(api_client_for: Any, make_staff: Any, shopee: Any, products: Any) -> None:
    actor = make_staff("agent")
    _seed_orders(actor, 4)
    first = Order.objects.order_by("id").first()
    services.change_order_status(actor=actor, order=first, status="confirmed")
    client = api_client_for("agent")

    def codes(query: str) -> list[str]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [o["code"] for o in response.json()["items"]]

    assert codes(f"customer={first.customer.code}") == [first.code]
    assert codes("status=confirmed") == [first.code]
    assert len(codes("channel=shopee")) == 4
    assert codes("channel=lazada") == []
    assert len(codes("placed_from=2026-01-01T01:00:00%2B00:00")) == 2
    assert len(codes("placed_to=2026-01-01T01:00:00%2B00:00")) == 2


def test_list_query_count_does_not_scale(
    api_client_for: Any, make_staff: Any, shopee: Any, products: Any, django_assert_max_num_queries: Any
) -> None:
    actor = make_staff("agent")
    _seed_orders(actor, 3)
    client = api_client_for("agent")
    client.get(URL)
    # token (1) + permissions (2) + orders with customer/channel/store (1) + lines with product/unit (1)
    with django_assert_max_num_queries(5):
        assert len(client.get(URL).json()["items"]) == 3
    _seed_orders(actor, 20, start=3)
    with django_assert_max_num_queries(5):
        page = client.get(URL).json()
    assert len(page["items"]) == 20
    assert all(len(o["lines"]) == 2 for o in page["items"])


def test_get_order_masks_phone_for_warehouse(api_client_for: Any, shopee: Any, products: Any) -> None:
    code = post(api_client_for("agent"), URL, order_body()).json()["code"]
    warehouse = api_client_for("warehouse")
    data = warehouse.get(f"{URL}/{code}").json()
    assert data["customer"]["phone"] == "+8491****678"
    listed = warehouse.get(URL).json()["items"][0]
    assert listed["customer"]["phone"] == "+8491****678"
    assert listed == data
    assert api_client_for("warehouse").get(f"{URL}/ORD-1999-000009").status_code == 404
