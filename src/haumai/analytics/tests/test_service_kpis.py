"""Warranty and repair KPIs against repairs and claims whose figures were computed by hand (local days:
D1 = Sunday 1 March 2026, D2 = Monday). The service centre's turnaround target is 24 hours.

R1 (unit A): received D1 10:00, diagnosing 10:00, waiting for parts 12:00 -> repairing D2 12:00, ready D2
    14:00: 2 h + 2 h working (24 h waiting for parts left out), on target. Closed since.
R3 (unit B): received D1 06:00, diagnosing 06:00, ready D2 12:00: 30 h working, late.
R2 (unit A again): received D2 15:00, a repeat of R1, still diagnosing.
D2: turnaround (4 + 30) / 2 = 17.0 h; on target 1 / 2; repeat repairs 1 / 1 (D1-D2: 1 / 3).
Warranties covering D2: 3 active (a pending activation and one voided on D1 are left out); one claim submitted
on D2 -> 1 per 3 units = 333.3 per 1,000.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import kpis, rollups
from haumai.analytics.tests.conftest import D1, D2, local
from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.repairs.models import RepairOrder, RepairStateChange, ServiceCenter
from haumai.warranty.models import Claim, Warranty

pytestmark = pytest.mark.django_db
RANGE = {"since": D2.isoformat(), "until": D2.isoformat()}


def _repair(code: str, unit: Unit, customer: Customer, center: ServiceCenter, steps: list[tuple[dt.datetime, str]],
            **fields: Any) -> RepairOrder:  # fmt: skip
    received = steps[0][0]
    order = RepairOrder.objects.create(
        code=code, unit=unit, customer=customer, service_center=center, description="Không lên nguồn",
        received_at=received, promised_at=received + dt.timedelta(hours=24), status=steps[-1][1], **fields,
    )  # fmt: skip
    previous = ""
    for at, status in [(received, "received"), *steps[1:]]:
        RepairStateChange.objects.create(order=order, from_status=previous, to_status=status, at=at)
        previous = status
    return order


@pytest.fixture
def service(db: Any) -> dict[str, Any]:
    clock.freeze(local(D2, 23, 59) + dt.timedelta(days=5))
    customer = Customer.objects.create(code="CUS-2026-000041", full_name="Phạm Minh Tuấn", search_key="pham minh tuan")
    product = Product.objects.create(sku="TV-55", name="Tivi 55 inch", search_key="tivi 55 inch", price=12_000_000)
    units = [Unit.objects.create(product=product, serial=f"SN-{n}") for n in range(6)]
    center = ServiceCenter.objects.create(code="ttbh-q1", name="Trung tâm bảo hành Quận 1", turnaround_target_hours=24)
    r1 = _repair(
        "RO-2026-000001", units[0], customer, center,
        [(local(D1, 10), "received"), (local(D1, 10), "diagnosing"), (local(D1, 12), "waiting_parts"),
         (local(D2, 12), "repairing"), (local(D2, 14), "ready"), (local(D2, 16), "closed")],
        ready_at=local(D2, 14),
    )  # fmt: skip
    _repair(
        "RO-2026-000003", units[1], customer, center,
        [(local(D1, 6), "received"), (local(D1, 6), "diagnosing"), (local(D2, 12), "ready")],
        ready_at=local(D2, 12),
    )  # fmt: skip
    _repair(
        "RO-2026-000002", units[0], customer, center,
        [(local(D2, 15), "received"), (local(D2, 15), "diagnosing")], repeat_of=r1, attempt=2,
    )  # fmt: skip
    year = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2027, 1, 1), "source": "import"}
    warranties = [
        Warranty.objects.create(code=f"WR-2026-00000{n}", unit=units[n], customer=customer, **year) for n in range(3)
    ]
    Warranty.objects.create(code="WR-2026-000004", unit=units[3], customer=customer, status="pending", **year)
    Warranty.objects.create(
        code="WR-2026-000005", unit=units[4], customer=customer, status="void", voided_at=local(D1, 9), **year
    )
    Claim.objects.create(
        code="CL-2026-000001", warranty=warranties[2], customer=customer, origin="console",
        description="Màn hình sọc", submitted_at=local(D2, 9), covered=True,
    )  # fmt: skip
    rollups.refresh_days(D1, D2)
    return {"center": center}


def values(first: dt.date, last: dt.date) -> dict[str, kpis.Value]:
    return {kpi.key: value for kpi, value in kpis.evaluate(first, last)}


def test_repair_and_warranty_kpis_match_the_hand_computed_figures(service: Any) -> None:
    result = values(D2, D2)
    assert result["repair_turnaround"].number == pytest.approx(17.0)
    assert (result["repair_on_target"].number, result["repair_on_target"].parts) == (pytest.approx(50.0), "1 / 2")
    assert (result["repeat_repairs"].number, result["repeat_repairs"].parts) == (pytest.approx(100.0), "1 / 1")
    assert result["claim_rate"].number == pytest.approx(1000 / 3)
    assert result["claim_rate"].parts == "1 / 3"
    both = values(D1, D2)
    assert both["repeat_repairs"].parts == "1 / 3"
    assert values(D1, D1)["repair_turnaround"].display == "—"


def test_dashboard_and_drill_downs(
    service: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_staff("manager"))
    body = client.get("/console/analytics/", RANGE).content.decode()
    assert 'id="section-service"' in body and "17.0 h" in body and "333.3‰" in body
    with django_assert_max_num_queries(20):
        ready = client.get("/console/analytics/drill/repairs_ready/", RANGE).content.decode()
    assert "RO-2026-000001" in ready and "RO-2026-000003" in ready and "RO-2026-000002" not in ready
    assert "/console/repairs/RO-2026-000001/" in ready
    received = client.get("/console/analytics/drill/repairs_received/", RANGE).content.decode()
    assert "RO-2026-000002" in received and "RO-2026-000003" not in received
    claims = client.get("/console/analytics/drill/claims/", RANGE).content.decode()
    assert "CL-2026-000001" in claims
    export = client.get("/console/analytics/export/repairs_ready.csv", RANGE)
    lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3 and "30.0" in lines[1] + lines[2]


def test_excel_export_has_the_drill_down_rows(service: Any, client: Any, make_staff: Any) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(make_staff("manager"))
    response = client.get("/console/analytics/export/repairs_ready.xlsx", RANGE)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Repair" and {r[0] for r in rows[1:]} == {"RO-2026-000001", "RO-2026-000003"}
    assert client.get("/console/analytics/export/daily.xlsx", RANGE).status_code == 200
    assert client.get("/console/analytics/export/nothing.xlsx", RANGE).status_code == 404
    assert client.get("/console/analytics/export/claims.xlsx", {"since": "nope"}).status_code == 400
    client.force_login(make_staff("agent"))
    assert client.get("/console/analytics/export/claims.xlsx", RANGE).status_code == 403


def test_drill_down_downloads_are_in_the_access_log(service: Any, client: Any, make_staff: Any) -> None:
    from haumai.privacy.models import AccessLog

    manager = make_staff("manager")
    client.force_login(manager)
    b"".join(client.get("/console/analytics/export/claims.csv", RANGE).streaming_content)
    client.get("/console/analytics/export/claims.xlsx", RANGE)
    client.get("/console/analytics/export/daily.csv", RANGE)
    entries = list(AccessLog.objects.order_by("id").values_list("actor", "action", "target", "detail"))
    detail = {"since": RANGE["since"], "until": RANGE["until"]}
    assert entries == [
        (manager.pk, "csv_export", "analytics:claims", {**detail, "format": "csv"}),
        (manager.pk, "csv_export", "analytics:claims", {**detail, "format": "xlsx"}),
    ]
