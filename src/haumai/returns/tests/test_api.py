"""The returns API: permissions, validation, idempotency, decisions, receiving, query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from haumai.returns.models import ReturnRequest
from haumai.returns.tests.conftest import Shop

pytestmark = pytest.mark.django_db


def body(shop: Shop, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "customer": shop.customer.code,
        "order": shop.order.code,
        "lines": [{"serial": "SN-0001", "condition": "opened_unused"}],
        "reason": "changed_mind",
        "resolution": "exchange_same",
        "logistics": "store_dropoff",
        "warehouse": "wh-hcm",
    }
    values.update(extra)
    return values


def post(client: Any, url: str, data: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_create_is_idempotent_and_detail_has_timeline(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("agent")
    first = post(client, "/api/v1/returns", body(shop), HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201, first.content
    again = post(client, "/api/v1/returns", body(shop), HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    detail = client.get(f"/api/v1/returns/{first.json()['code']}").json()
    assert detail["status"] == "awaiting_dropoff"
    assert [e["name"] for e in detail["timeline"]] == ["return.requested", "return.approved", "return.dropoff_ready"]
    assert detail["lines"][0]["notes"][0].startswith("Within the 7-day return window")


def test_bad_input_is_422_and_changes_nothing(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("agent")
    response = post(client, "/api/v1/returns", body(shop, lines=[{"sku": "CASE-1", "quantity": 3}]))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "lines.0.quantity"
    assert "Only 2 of 2" in error["fields"][0]["message"]
    response = post(client, "/api/v1/returns", body(shop, customer="CUS-1999-000001"))
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "customer"
    assert not ReturnRequest.objects.exists()


def test_permissions(shop: Shop, api_client_for: Any) -> None:
    technician = api_client_for("technician")
    assert post(technician, "/api/v1/returns", body(shop)).status_code == 403
    assert not ReturnRequest.objects.exists()
    agent = api_client_for("agent")
    code = post(agent, "/api/v1/returns", body(shop)).json()["code"]
    assert post(technician, f"/api/v1/returns/{code}/receive", {}).status_code == 403
    assert post(agent, f"/api/v1/returns/{code}/receive", {}).status_code == 403  # agents do not receive
    assert technician.get(f"/api/v1/returns/{code}").status_code == 200
    assert agent.get("/api/v1/returns/RMA-2000-000009").status_code == 404


def test_receive_is_idempotent_and_inspect_restocks(shop: Shop, api_client_for: Any) -> None:
    from haumai.inventory.models import StockLevel

    agent = api_client_for("agent")
    code = post(agent, "/api/v1/returns", body(shop, resolution="store_credit")).json()["code"]
    keeper = api_client_for("warehouse")
    first = post(keeper, f"/api/v1/returns/{code}/receive", {})
    second = post(keeper, f"/api/v1/returns/{code}/receive", {})
    assert first.status_code == second.status_code == 200
    assert [e["name"] for e in second.json()["timeline"]].count("return.received") == 1
    line_id = first.json()["lines"][0]["id"]
    bad = post(keeper, f"/api/v1/returns/{code}/lines/{line_id}/inspect", {"grade": "Z", "disposition": "restock"})
    assert bad.status_code == 422
    done = post(keeper, f"/api/v1/returns/{code}/lines/{line_id}/inspect", {"grade": "A", "disposition": "restock"})
    assert done.status_code == 200, done.content
    assert StockLevel.objects.get(warehouse=shop.warehouse, grade="A").quantity == 1


def test_reject_needs_a_note_and_cancel_after_receipt_is_refused(shop: Shop, api_client_for: Any) -> None:
    from haumai.returns.models import ReturnPolicy

    ReturnPolicy.objects.update(auto_approve=False)
    agent = api_client_for("agent")
    code = post(agent, "/api/v1/returns", body(shop)).json()["code"]
    assert post(agent, f"/api/v1/returns/{code}/reject", {"note": ""}).status_code == 422
    assert post(agent, f"/api/v1/returns/{code}/approve", {"note": "ok"}).json()["status"] == "awaiting_dropoff"
    post(api_client_for("warehouse"), f"/api/v1/returns/{code}/receive", {})
    refused = post(agent, f"/api/v1/returns/{code}/cancel", {"note": "x"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_transition"


def test_list_query_count(shop: Shop, api_client_for: Any, django_assert_max_num_queries: Any) -> None:
    from haumai.returns.tests.conftest import make_order
    from haumai.sales.services import OrderLineInput

    agent = api_client_for("agent")
    for _index in range(6):
        order = make_order(shop.customer, lines=[OrderLineInput(sku="CASE-1", quantity=1, unit_price=200_000)])
        response = post(agent, "/api/v1/returns", body(shop, order=order.code, lines=[{"sku": "CASE-1"}]))
        assert response.status_code == 201
    with django_assert_max_num_queries(6):
        response = agent.get("/api/v1/returns?limit=5")
    assert response.status_code == 200 and len(response.json()["items"]) == 5 and response.json()["has_more"]
    assert agent.get("/api/v1/returns?status=nope").status_code == 422


def test_item_bought_elsewhere_needs_an_agent_override(shop: Shop, api_client_for: Any) -> None:
    agent = api_client_for("agent")
    elsewhere = body(shop, order=None, lines=[{"sku": "CASE-1", "quantity": 1, "unit_price": 150_000}])
    refused = post(agent, "/api/v1/returns", elsewhere)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "not_eligible"
    assert "Not bought on an order we know" in refused.json()["error"]["fields"][0]["message"]
    accepted = post(agent, "/api/v1/returns", {**elsewhere, "override_note": "bought at a partner shop, receipt seen"})
    assert accepted.status_code == 201, accepted.content
    detail = accepted.json()
    assert detail["status"] == "requested" and detail["order_code"] is None
    assert detail["lines"][0]["overridden"] and detail["lines"][0]["unit_price"] == 150_000
    assert any("Accepted by" in note for note in detail["lines"][0]["notes"])


def test_reused_key_with_another_body_is_409_and_changes_nothing(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("agent")
    first = post(client, "/api/v1/returns", body(shop), HTTP_IDEMPOTENCY_KEY="reused")
    assert first.status_code == 201, first.content
    other = post(
        client, "/api/v1/returns", body(shop, lines=[{"sku": "CASE-1", "quantity": 1}]), HTTP_IDEMPOTENCY_KEY="reused"
    )
    assert other.status_code == 409, other.content
    error = other.json()["error"]
    assert error["code"] == "idempotency_conflict" and first.json()["code"] in error["message"]
    other_reason = post(client, "/api/v1/returns", body(shop, reason="defective"), HTTP_IDEMPOTENCY_KEY="reused")
    assert other_reason.status_code == 409
    assert ReturnRequest.objects.count() == 1
    assert list(ReturnRequest.objects.get().lines.values_list("product__sku", flat=True)) == ["PHONE-1"]
    same = post(client, "/api/v1/returns", body(shop), HTTP_IDEMPOTENCY_KEY="reused")
    assert same.status_code == 200 and same.json()["code"] == first.json()["code"]
