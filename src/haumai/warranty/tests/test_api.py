"""The warranty API: lookups by customer/serial/order, permissions and masking, activation, import, plans, claims."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haumai.accounts.services import create_api_token
from haumai.events.models import Event
from haumai.warranty.models import Claim, ExtendedPlan, Warranty, WarrantyStatus
from haumai.warranty.tests.conftest import Shop, deliver

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, data: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_lookup_by_serial_imei_order_and_customer(shop: Shop, api_client_for: Any) -> None:
    order = deliver(shop.an, sku="IP15", serial="SN-AN-001", imei="356938035643809")
    deliver(shop.binh, sku="IP15", serial="SN-BINH-001")
    client = api_client_for("agent")
    by_serial = client.get("/api/v1/warranties", {"serial": "SN-AN-001"}).json()["items"]
    by_imei = client.get("/api/v1/warranties", {"serial": "356938035643809"}).json()["items"]
    by_order = client.get("/api/v1/warranties", {"order": order.code}).json()["items"]
    by_customer = client.get("/api/v1/warranties", {"customer": shop.binh.code}).json()["items"]
    assert [w["serial"] for w in by_serial] == [w["serial"] for w in by_imei] == [w["serial"] for w in by_order]
    assert by_serial[0]["answer"] == "Under warranty until 28/02/2027" and by_serial[0]["state"] == "active"
    assert by_serial[0]["customer"]["phone"] == "+84912345678"  # agents may see PII
    assert [w["serial"] for w in by_customer] == ["SN-BINH-001"]
    detail = client.get(f"/api/v1/warranties/{by_serial[0]['code']}").json()
    assert detail["claims"] == [] and detail["policy"] == "default-12m-purchase-brand"
    bad = client.get("/api/v1/warranties", {"status": "forever"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "status"


def test_list_query_count_does_not_grow(shop: Shop, api_client_for: Any) -> None:
    client = api_client_for("agent")
    deliver(shop.an, sku="IP15", serial="SN-1")
    client.get("/api/v1/warranties")  # the token's first use writes last_used_at
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/warranties")
    for index in range(2, 8):
        deliver(shop.an, sku="IP15", serial=f"SN-{index}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/warranties").json()["items"]) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_permissions_and_masking(shop: Shop, api_client_for: Any, make_staff: Any) -> None:
    deliver(shop.an, sku="TV", serial="TV-1")
    warehouse = api_client_for("warehouse")
    assert warehouse.get("/api/v1/warranties").status_code == 403
    denied = post(warehouse, "/api/v1/warranties/activate", {"serial": "TV-1", "phone": "0912345678"})
    assert denied.status_code == 403
    assert Warranty.objects.get().status == WarrantyStatus.PENDING
    viewer = make_staff("warehouse")
    viewer.user_permissions.add(Permission.objects.get(codename="view_warranty"))
    _token, raw = create_api_token(actor=viewer, user=viewer, name="test")
    item = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/warranties").json()["items"][0]
    assert item["customer"]["phone"] not in ("", "+84912345678")  # masked without the PII permission


def test_activation_by_api_and_its_errors(shop: Shop, api_client_for: Any) -> None:
    deliver(shop.an, sku="TV", serial="TV-1")
    client = api_client_for("agent")
    other = post(client, "/api/v1/warranties/activate", {"serial": "TV-1", "phone": "0987654321"})
    assert other.status_code == 422 and other.json()["error"]["fields"][0]["code"] == "other_owner"
    unknown = post(client, "/api/v1/warranties/activate", {"serial": "ZZZ", "phone": "0912345678"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"][0]["code"] == "unknown_serial"
    assert Warranty.objects.get().status == WarrantyStatus.PENDING
    done = post(client, "/api/v1/warranties/activate", {"serial": "TV-1", "phone": "0912 345 678"})
    assert done.status_code == 200 and done.json()["ends_on"] == "2028-06-09"
    twice = post(client, "/api/v1/warranties/activate", {"serial": "TV-1", "phone": "0912345678"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_activated"
    assert Event.objects.filter(name="warranty.activated").count() == 1


def test_import_plans_and_claims(shop: Shop, api_client_for: Any) -> None:
    manager = api_client_for("manager")
    rows = [{"serial": "OLD-1", "sku": "IP15", "phone": "0911000111", "purchased_on": "2026-01-15"}]
    unnamed = post(manager, "/api/v1/warranties/import", {"rows": rows, "dry_run": True})
    assert unnamed.status_code == 422 and unnamed.json()["error"]["fields"][0]["field"] == "rows.0.full_name"
    rows[0]["full_name"] = "Lê Văn Cũ"
    assert post(manager, "/api/v1/warranties/import", {"rows": rows, "dry_run": True}).json()["created"] == 0
    assert not Warranty.objects.exists()
    imported = post(manager, "/api/v1/warranties/import", {"rows": rows})
    assert imported.status_code == 201, imported.content
    code = imported.json()["codes"][0]
    ExtendedPlan.objects.create(code="care-12", name="Care+", price=990_000)
    sold = post(manager, f"/api/v1/warranties/{code}/plans", {"plan": "care-12"}, HTTP_IDEMPOTENCY_KEY="POS-9")
    again = post(manager, f"/api/v1/warranties/{code}/plans", {"plan": "care-12"}, HTTP_IDEMPOTENCY_KEY="POS-9")
    assert (sold.status_code, again.status_code) == (201, 200) and sold.json()["code"] == again.json()["code"]
    cancelled = post(manager, f"/api/v1/warranties/plans/{sold.json()['code']}/cancel", {})
    assert cancelled.json()["refund_amount"] == 990_000  # before the plan starts: everything back

    claim = post(manager, f"/api/v1/warranties/{code}/claims", {"description": "Pin phồng"})
    assert claim.status_code == 201 and claim.json()["covered"]
    assert claim.json()["reasons"][0] == "Under warranty until 14/01/2027"
    claim_code = claim.json()["code"]
    assert manager.get("/api/v1/warranties/claims").json()["items"][0]["code"] == claim_code
    rejected = post(manager, f"/api/v1/warranties/claims/{claim_code}/decide", {"accept": False})
    assert rejected.status_code == 422 and Claim.objects.get().status == "submitted"
    accepted = post(
        manager, f"/api/v1/warranties/claims/{claim_code}/decide", {"accept": True, "resolution": "replacement"}
    )
    assert accepted.json()["status"] == "accepted"
    resolved = post(manager, f"/api/v1/warranties/claims/{claim_code}/resolve", {"replacement_serial": "NEW-1"})
    assert resolved.json()["status"] == "resolved" and resolved.json()["replacement_warranty"]
    old = manager.get(f"/api/v1/warranties/{code}").json()
    assert old["status"] == "replaced" and old["replaced_by"] == resolved.json()["replacement_warranty"]


def test_reads_with_contact_details_are_in_the_access_log(shop: Shop, api_client_for: Any, make_staff: Any) -> None:
    """Issue 9: one access-log entry per API read shown unmasked; none for a masked reader."""
    from haumai.privacy.models import AccessLog

    deliver(shop.an, sku="TV", serial="TV-1")
    code = Warranty.objects.get().code
    agent = api_client_for("agent")
    assert agent.get(f"/api/v1/warranties/{code}").status_code == 200
    assert len(agent.get("/api/v1/warranties").json()["items"]) == 1
    assert agent.get("/api/v1/warranties", {"customer": shop.binh.code}).json()["items"] == []
    logged = list(AccessLog.objects.order_by("id").values_list("action", "target", "customer", "detail"))
    assert logged == [
        ("view_record", code, shop.an.pk, {"page": "api"}),
        ("view_list", "warranties", None, {"page": "api", "rows": 1}),
    ]
    viewer = make_staff("warehouse")
    viewer.user_permissions.add(Permission.objects.get(codename="view_warranty"))
    _token, raw = create_api_token(actor=viewer, user=viewer, name="test")
    masked = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert masked.get(f"/api/v1/warranties/{code}").status_code == 200
    assert masked.get("/api/v1/warranties").status_code == 200
    assert AccessLog.objects.count() == 2


def test_lookup_by_serial_reads_the_unit_and_its_warranties_once(shop: Shop, api_client_for: Any) -> None:
    """The API ran the whole lookup twice for ?serial= (text match, then the serial again): about twice the
    time of the public page (profiled). Now one unit read and one warranty read, like the page."""
    deliver(shop.an, sku="IP15", serial="SN-AN-001", imei="356938035643809")
    deliver(shop.binh, sku="IP15", serial="SN-BINH-001")
    client = api_client_for("agent")
    client.get("/api/v1/warranties", {"serial": "SN-AN-001"})  # the token's first use writes last_used_at
    for serial in ("SN-AN-001", "356938035643809"):
        with CaptureQueriesContext(connection) as queries:
            items = client.get("/api/v1/warranties", {"serial": serial}).json()["items"]
        assert [w["serial"] for w in items] == ["SN-AN-001"]
        sqls = [q["sql"] for q in queries.captured_queries]
        assert sum('FROM "catalog_unit"' in sql for sql in sqls) == 1, sqls
        assert sum('FROM "warranty_warranty"' in sql for sql in sqls) == 1, sqls
    both = client.get("/api/v1/warranties", {"serial": "SN-AN-001", "q": "SN-BINH-001"}).json()["items"]
    assert both == []  # the serial and the text must both match
    assert client.get("/api/v1/warranties", {"serial": "NOPE"}).json()["items"] == []
