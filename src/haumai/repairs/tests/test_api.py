"""The repairs API: intake, list, get, transitions; JSON errors with fields; permissions; query counts."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haumai.accounts.services import create_api_token
from haumai.repairs.models import RepairOrder
from haumai.repairs.tests.conftest import Workshop, accepted_claim


def _client(user: Any) -> Client:
    _token, raw = create_api_token(actor=user, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _intake(shop: Workshop, **extra: Any) -> dict[str, Any]:
    return {
        "serial": shop.unit.serial,
        "customer": shop.an.code,
        "service_center": shop.center.code,
        "description": "Không sạc được pin",
        "condition": "Trầy nhẹ",
        "accessories": ["Cáp"],
        **extra,
    }


def test_intake_then_diagnose_quote_and_finish_through_the_api(shop: Workshop) -> None:
    claim = accepted_claim(shop.warranty)
    agent, tech = _client(shop.agent), _client(shop.technician)
    created = _post(agent, "/api/v1/repairs", _intake(shop, claim=claim.code))
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert created.json()["under_warranty"] is True
    assert _post(tech, f"/api/v1/repairs/{code}/transitions/diagnose", {}).status_code == 200
    quoted = _post(
        tech,
        f"/api/v1/repairs/{code}/quote",
        {"diagnosis": "Hỏng IC sạc", "lines": [{"kind": "part", "sku": shop.screen.sku, "unit_cost": 900_000}]},
    )
    assert quoted.status_code == 200 and quoted.json()["status"] == "approved"
    assert quoted.json()["quote_total"] == 0 and quoted.json()["quote_cost"] == 900_000
    assert _post(tech, f"/api/v1/repairs/{code}/transitions/start", {}).json()["status"] == "repairing"
    used = _post(tech, f"/api/v1/repairs/{code}/parts", {"sku": shop.screen.sku})
    assert used.status_code == 200 and used.json()["parts"][0]["sku"] == shop.screen.sku
    refused = _post(_client(shop.other_technician), f"/api/v1/repairs/{code}/transitions/finish", {})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert _post(tech, f"/api/v1/repairs/{code}/transitions/finish", {}).json()["status"] == "qc"
    listed = agent.get("/api/v1/repairs?queue=qc")
    assert [row["code"] for row in listed.json()["items"]] == [code]


def test_errors_are_json_with_fields(shop: Workshop) -> None:
    agent = _client(shop.agent)
    bad = _post(agent, "/api/v1/repairs", _intake(shop, serial="NOPE-000", customer="CUS-2026-999999"))
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"serial", "customer"}
    assert not RepairOrder.objects.exists()
    assert agent.get("/api/v1/repairs/RO-2026-999999").status_code == 404
    code = _post(agent, "/api/v1/repairs", _intake(shop)).json()["code"]
    wrong = _post(_client(shop.technician), f"/api/v1/repairs/{code}/transitions/finish", {})
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "invalid_transition"
    unknown = _post(agent, f"/api/v1/repairs/{code}/transitions/fly", {})
    assert unknown.status_code == 422
    assert agent.get("/api/v1/repairs?queue=nope").status_code == 422
    forbidden = _post(agent, f"/api/v1/repairs/{code}/transitions/diagnose", {})
    assert forbidden.status_code == 403
    assert RepairOrder.objects.get(code=code).status == "received"


def test_list_query_count_does_not_grow_with_rows(shop: Workshop) -> None:
    from haumai.repairs import services
    from haumai.repairs.tests.conftest import deliver

    agent = _client(shop.agent)
    for index in range(6):
        unit = deliver(shop.an, sku="SS-A55", serial=f"R58Q{index:04d}")
        services.receive_unit(
            actor=shop.agent,
            unit=unit,
            customer=shop.an,
            service_center=shop.center,
            description="Lỗi loa",
            condition="",
            accessories=[],
        )
    with CaptureQueriesContext(connection) as few:
        agent.get("/api/v1/repairs?limit=2")
    with CaptureQueriesContext(connection) as many:
        assert len(agent.get("/api/v1/repairs?limit=50").json()["items"]) == 6
    assert len(many) <= len(few) <= 8
