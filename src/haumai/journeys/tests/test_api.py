"""API: GET /api/v1/journeys and /api/v1/journeys/{key}/runs."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.journeys.tests.conftest import deliver, only, place_order, tick

pytestmark = pytest.mark.django_db


def test_list_journeys(api_client_for: Any, django_assert_max_num_queries: Any) -> None:
    client = api_client_for("agent")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/journeys")
    assert response.status_code == 200
    by_key = {j["key"]: j for j in response.json()}
    assert by_key["order-thank-you"]["steps"][0] == {
        "position": 1, "kind": "wait", "wait_hours": 2, "template_key": "", "task_title": "",
        "branch_condition": "", "branch_value": "", "branch_target": None,
    }  # fmt: skip
    assert by_key["birthday-greeting"]["purpose"] == "marketing"


def test_runs_paginated(
    catalog: Any, morning: Any, capture: Any, api_client_for: Any, django_assert_max_num_queries: Any
) -> None:
    only("order-thank-you")
    for index in range(3):
        deliver(place_order(phone=f"091200000{index}"))
    tick(capture)
    client = api_client_for("agent")
    with django_assert_max_num_queries(8):
        first = client.get("/api/v1/journeys/order-thank-you/runs?limit=2").json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    assert first["items"][0]["step_runs"][0]["outcome"] == "waiting"
    rest = client.get("/api/v1/journeys/order-thank-you/runs?limit=2&offset=2").json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None
    assert client.get("/api/v1/journeys/order-thank-you/runs?status=active").json()["items"]


def test_bad_input_and_permissions(api_client_for: Any) -> None:
    client = api_client_for("agent")
    assert client.get("/api/v1/journeys/no-such/runs").status_code == 404
    assert client.get("/api/v1/journeys/order-thank-you/runs?limit=1000").status_code == 422
    assert client.get("/api/v1/journeys/order-thank-you/runs?status=bogus").status_code == 422
    assert api_client_for("warehouse").get("/api/v1/journeys").status_code == 403
