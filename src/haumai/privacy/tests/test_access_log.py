"""Access audit: staff views of unmasked contact details, export downloads and the log's own CSV export are
recorded (who, what, when, why when given); only admins review and export the log."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.privacy import audit
from haumai.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db: Any) -> Customer:
    return create_customer(actor=None, full_name="Đặng Thị Mai", phone="0977111222", email="mai@example.vn")


def login(user: Any) -> Client:
    client = Client(HTTP_USER_AGENT="Firefox/140", REMOTE_ADDR="198.51.100.7")
    client.force_login(user)
    return client


def test_opening_a_customer_with_contact_details_shown_is_recorded(customer: Customer, make_staff: Any) -> None:
    agent = make_staff("agent")
    page = login(agent).get(f"/console/customers/{customer.code}/").content.decode()
    assert "+84977111222" in page and 'id="access-reason"' in page
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.action, entry.customer) == (agent, "view_customer", customer)
    assert entry.target == customer.code
    assert entry.ip_address == "198.51.100.7" and entry.user_agent == "Firefox/140" and entry.reason == ""
    # Warehouse staff see masked numbers: nothing to record.
    masked = login(make_staff("warehouse")).get(f"/console/customers/{customer.code}/").content.decode()
    assert "+84977111222" not in masked and 'id="access-reason"' not in masked
    assert AccessLog.objects.count() == 1


def test_the_viewer_may_say_why_once_and_nobody_else_may(customer: Customer, make_staff: Any) -> None:
    agent, other = make_staff("agent"), make_staff("agent")
    client = login(agent)
    client.get(f"/console/customers/{customer.code}/")
    entry = AccessLog.objects.get()
    assert login(other).post(f"/console/privacy/access/{entry.pk}/reason/", {"reason": "curious"}).status_code == 403
    back = client.post(
        f"/console/privacy/access/{entry.pk}/reason/",
        {"reason": "Khách gọi hỏi RMA-2026-000001", "next": f"/console/customers/{customer.code}/"},
    )
    assert back.status_code == 302 and back["Location"] == f"/console/customers/{customer.code}/"
    client.post(f"/console/privacy/access/{entry.pk}/reason/", {"reason": "changed my mind"})
    assert AccessLog.objects.get().reason == "Khách gọi hỏi RMA-2026-000001"
    evil = client.post(f"/console/privacy/access/{entry.pk}/reason/", {"reason": "x", "next": "https://evil.example/"})
    assert evil["Location"] == "/console/"


def test_a_list_with_unmasked_numbers_is_recorded_without_the_query(customer: Customer, make_staff: Any) -> None:
    login(make_staff("manager")).get("/console/customers/", {"q": "0977111222"})
    entry = AccessLog.objects.get()
    assert entry.action == "view_list" and entry.detail == {"rows": 1, "page": 1, "searched": True}
    assert "0977111222" not in str(entry.detail) + entry.target


def test_only_admins_review_and_export_the_log_and_the_export_is_recorded(
    customer: Customer, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    agent = make_staff("agent")
    for _ in range(3):
        login(agent).get(f"/console/customers/{customer.code}/")
    audit.record_access(actor=None, action="export_download", customer=customer, target="DSR-2026-000001")
    assert login(make_staff("manager")).get("/console/privacy/access/").status_code == 403
    admin = login(make_staff("admin"))
    with django_assert_max_num_queries(12):
        page = admin.get("/console/privacy/access/").content.decode()
    assert page.count(customer.code) >= 4 and "Opened a customer record with contact details shown" in page
    only_downloads = admin.get("/console/privacy/access/", {"action": "export_download"}).content.decode()
    assert "DSR-2026-000001" in only_downloads and only_downloads.count(f">{customer.code}<") == 1
    by_actor = admin.get("/console/privacy/access/", {"actor": agent.username}).content.decode()
    assert "DSR-2026-000001" not in by_actor
    response = admin.get("/console/privacy/access/", {"format": "csv", "action": "view_customer"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["occurred_at", "actor", "action"] and len(rows) == 4
    assert {row[2] for row in rows[1:]} == {"view_customer"}
    exported = AccessLog.objects.get(action="csv_export")
    assert exported.target == "access-log" and exported.detail == {"filters": {"action": "view_customer"}}
    assert login(agent).get("/console/privacy/access/", {"format": "csv"}).status_code == 403


def test_unknown_access_types_are_refused(customer: Customer) -> None:
    from haumai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        audit.record_access(actor=None, action="peek", customer=customer)
    assert not AccessLog.objects.exists()


def test_api_reads_with_contact_details_are_recorded_one_by_one(customer: Customer, api_client_for: Any) -> None:
    api = api_client_for("agent")
    body = api.get(f"/api/v1/customers/{customer.code}").json()
    assert body["phone"] == "+84977111222"
    assert api.get("/api/v1/customers/by-phone/0977111222").status_code == 200
    assert api.get("/api/v1/customers", {"q": "Mai"}).status_code == 200
    entries = list(AccessLog.objects.order_by("id").values_list("action", "target", "detail"))
    assert entries == [
        ("view_record", customer.code, {"page": "api"}),
        ("view_record", customer.code, {"page": "api"}),
        ("view_list", "customers", {"page": "api", "rows": 1}),
    ]
    assert api.get("/api/v1/customers", {"q": "nobody"}).status_code == 200  # no row shown: nothing to record
    masked = api_client_for("warehouse")
    assert "+84977111222" not in masked.get(f"/api/v1/customers/{customer.code}").content.decode()
    assert AccessLog.objects.count() == 3
