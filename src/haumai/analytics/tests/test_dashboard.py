"""The dashboard page: numbers with formulas, drill-downs, streamed CSV, refused ranges, permissions."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.analytics.tests.conftest import D1, D2

pytestmark = pytest.mark.django_db
RANGE = {"since": D1.isoformat(), "until": D2.isoformat()}


def test_manager_sees_each_kpi_with_its_formula(
    dataset: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(25):
        page = client.get("/console/analytics/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert "57.1%" in body and "Responses scoring 4-5" in body
    assert "30.00%" in body and "Units returned" in body
    assert 'id="kpi-chart-data"' in body and "vendor/chart.umd.min.js" in body
    assert "FRT" in body and "no first replies" in body and "Not computed yet" not in body


def test_ranges_too_long_or_backwards_are_refused(dataset: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    for bad in (
        {"since": "1990-01-01", "until": "2040-01-01"},
        {"since": "2026-03-05", "until": "2026-03-01"},
        {"since": "yesterday"},
    ):
        page = client.get("/console/analytics/", bad)
        assert page.status_code == 400 and 'id="range-error"' in page.content.decode()
        assert client.get("/console/analytics/export/csat.csv", bad).status_code == 400


def test_drill_down_lists_the_records_behind_a_number(
    dataset: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(20):
        page = client.get("/console/analytics/drill/csat/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200 and body.count("SV-2026-") >= 7
    returned = client.get("/console/analytics/drill/returned/", RANGE).content.decode()
    assert "RMA-2026-000001" in returned and "RMA-2026-000002" in returned and "RMA-2026-000004" not in returned
    assert client.get("/console/analytics/drill/nothing/", RANGE).status_code == 404


def test_csv_export_streams(dataset: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    response = client.get("/console/analytics/export/csat.csv", RANGE)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Invitation,Answered") and len(lines) == 1 + 7
    daily = b"".join(client.get("/console/analytics/export/daily.csv", RANGE).streaming_content).decode("utf-8-sig")
    assert "2026-03-01,csat,4,2,0," in daily


def test_agents_without_the_permission_are_refused(dataset: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("warehouse"))
    assert client.get("/console/analytics/").status_code == 403
    assert client.get("/console/analytics/export/csat.csv").status_code == 403
