"""REST API: record payments, request and read refunds."""

from __future__ import annotations

import json
from typing import Any

from haumai.payments.models import Payment, Refund
from haumai.payments.services import request_refund


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_record_payment_idempotent(api_client_for: Any, make_order: Any) -> None:
    client = api_client_for("manager")
    order = make_order()
    body = {"order": order.code, "method": "vnpay", "amount_vnd": 2_000_000, "provider_transaction_ref": "TXN1",
            "provider_transaction_no": "14226112", "paid_at": "2026-11-01T16:30:00+07:00",
            "idempotency_key": "p-1"}  # fmt: skip
    first = _post(client, "/api/v1/payments", body)
    assert first.status_code == 201, first.content
    assert first.json()["refunded_vnd"] == 0
    assert _post(client, "/api/v1/payments", body).status_code == 200
    assert Payment.objects.count() == 1


def test_bad_payment_input_is_a_field_error_and_changes_nothing(api_client_for: Any, make_order: Any) -> None:
    client = api_client_for("manager")
    order = make_order()
    response = _post(client, "/api/v1/payments", {"order": order.code, "method": "paypal", "amount_vnd": -1})
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert fields == {"method", "amount_vnd"}
    response = _post(client, "/api/v1/payments", {"order": "ORD-2026-999999", "method": "cash", "amount_vnd": 5})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "order"
    assert _post(api_client_for("warehouse"), "/api/v1/payments",
                 {"order": order.code, "method": "cash", "amount_vnd": 5}).status_code == 403  # fmt: skip
    assert Payment.objects.count() == 0


def test_request_list_and_get_refunds(api_client_for: Any, paid_order: Any, django_assert_max_num_queries: Any) -> None:
    client = api_client_for("agent")
    order, _payment = paid_order("vnpay")
    body = {"order": order.code, "amount_vnd": 100_000, "method": "store_credit", "reference": "RMA-2026-000001",
            "reason": "Goodwill", "idempotency_key": "r-1"}  # fmt: skip
    created = _post(client, "/api/v1/payments/refunds", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "sent"
    assert _post(client, "/api/v1/payments/refunds", body).status_code == 200
    for n in range(4):
        request_refund(order=order, amount_vnd=10_000, method="cash", reference=f"RMA-2026-00010{n}", reason="",
                       actor=None, idempotency_key=f"bulk-{n}")  # fmt: skip
    with django_assert_max_num_queries(6):
        page = client.get("/api/v1/payments/refunds?limit=3")
    assert page.status_code == 200
    data = page.json()
    assert len(data["items"]) == 3 and data["next_cursor"]
    rest = client.get(f"/api/v1/payments/refunds?limit=3&cursor={data['next_cursor']}").json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    by_ref = client.get("/api/v1/payments/refunds?reference=RMA-2026-000001").json()["items"]
    assert [item["code"] for item in by_ref] == [created.json()["code"]]
    detail = client.get(f"/api/v1/payments/refunds/{created.json()['code']}")
    assert detail.status_code == 200 and detail.json()["attempts"] == []
    assert client.get("/api/v1/payments/refunds/RF-2026-999999").status_code == 404
    assert client.get("/api/v1/payments/refunds?cursor=abc").status_code == 422


def test_refund_request_rejected_changes_nothing(api_client_for: Any, paid_order: Any) -> None:
    order, _payment = paid_order("cod")
    body = {"order": order.code, "amount_vnd": 100_000, "method": "original", "idempotency_key": "r-2"}
    response = _post(api_client_for("agent"), "/api/v1/payments/refunds", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "method"
    assert _post(api_client_for("technician"), "/api/v1/payments/refunds", body).status_code == 403
    assert Refund.objects.count() == 0


def test_confirm_manual_refund_over_the_api(api_client_for: Any, paid_order: Any) -> None:
    order, _payment = paid_order("cod")
    refund = request_refund(order=order, amount_vnd=90_000, method="cash", reference="RMA-2026-000009", reason="",
                            actor=None, idempotency_key="cash-1")  # fmt: skip
    url = f"/api/v1/payments/refunds/{refund.code}/confirm"
    assert _post(api_client_for("technician"), url, {"transfer_reference": "PC-001"}).status_code == 403
    agent = api_client_for("agent")
    assert _post(agent, url, {"transfer_reference": ""}).status_code == 422
    assert Refund.objects.get(pk=refund.pk).status == "awaiting_confirmation"
    done = _post(agent, url, {"transfer_reference": "PC-001"})
    assert done.status_code == 200 and done.json()["status"] == "sent"
    again = _post(agent, url, {"transfer_reference": "PC-002"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_state"
    assert Refund.objects.get(pk=refund.pk).transfer_reference == "PC-001"
