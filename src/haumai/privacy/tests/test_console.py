"""Console: data-subject requests taken on a customer's behalf, verified, assigned, processed, extended,
refused and completed; the list's filters, the detail's clock and trail; who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.core.registry import registry
from haumai.customers.models import Consent, Customer
from haumai.customers.services import ConsentInput, create_customer
from haumai.events.models import Event
from haumai.privacy import services
from haumai.privacy.models import DataRequest, RequestStatus
from haumai.privacy.tests.conftest import Footprint

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # a Monday, 09:00 in Vietnam


@pytest.fixture
def customer(db: Any) -> Customer:
    clock.freeze(START)
    return create_customer(
        actor=None,
        full_name="Trần Thị Bình",
        phone="0912345678",
        consents=[
            ConsentInput(purpose="marketing", channel="zalo", granted=True, source="portal"),
            ConsentInput(purpose="marketing", channel="email", granted=True, source="portal"),
            ConsentInput(purpose="service", channel="zalo", granted=True, source="portal"),
        ],
    )


def staff_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def take(actor: Any, customer: Customer, kind: str, details: str = "", **extra: Any) -> DataRequest:
    fields = {"verification_method": "phone_callback", "verification_note": "called back on the number on file"}
    fields.update(extra)
    return services.create_request(
        actor=actor, customer=customer, kind=kind, origin="console", details=details, **fields
    )


def names(row: DataRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_type="privacy.datarequest", subject_id=str(row.pk))
        .order_by("id")
        .values_list("name", flat=True)
    )


def test_a_correction_is_taken_verified_worked_on_and_completed(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    with pytest.raises(ValidationFailed) as missing:
        take(agent, customer, "correction")
    assert [e.field for e in missing.value.errors] == ["details"]
    row = take(agent, customer, "correction", "Sai ngày sinh: 17/05/1990")
    assert row.status == RequestStatus.VERIFIED and row.verified_by == agent
    assert row.due_at - row.received_at == dt.timedelta(days=10)
    assert row.acknowledge_by == START + dt.timedelta(days=2)  # two working days
    with pytest.raises(Forbidden):
        services.start_processing(actor=agent, request=row)
    row = services.start_processing(actor=manager, request=row)
    assert row.status == RequestStatus.PROCESSING and row.owner == manager
    with pytest.raises(ValidationFailed):
        services.complete_request(actor=manager, request=row, note="  ")
    with pytest.raises(ValidationFailed):
        services.complete_request(actor=manager, request=row, note="x", stop_marketing=True)
    row = services.complete_request(actor=manager, request=row, note="Ngày sinh đã sửa")
    assert row.status == RequestStatus.COMPLETED and row.result_note == "Ngày sinh đã sửa"
    assert names(row) == [
        "privacy.request_received",
        "privacy.request_verified",
        "privacy.request_processing",
        "privacy.request_completed",
    ]
    with pytest.raises(Conflict):
        services.complete_request(actor=manager, request=row, note="again")


@pytest.mark.parametrize("kind", ["restriction", "objection"])
def test_restriction_and_objection_can_stop_marketing(customer: Customer, make_staff: Any, kind: str) -> None:
    manager = make_staff("manager")
    with pytest.raises(ValidationFailed):
        take(manager, customer, kind)
    row = take(manager, customer, kind, "Không muốn nhận quảng cáo")
    assert row.due_at - row.received_at == dt.timedelta(days=15)
    purposes = ["marketing"] if kind == "restriction" else []
    row = services.complete_request(
        actor=manager, request=row, note="Đã dừng tiếp thị", stop_marketing=True, restrict_purposes=purposes
    )
    assert row.status == RequestStatus.COMPLETED
    granted = set(Consent.objects.filter(customer=customer, granted=True).values_list("purpose", "channel"))
    assert granted == {("service", "zalo")}  # service messages go on; marketing stopped on every channel
    completed = Event.objects.get(name="privacy.request_completed", subject_id=str(row.pk))
    assert completed.payload["withdrawn"] == 2


def test_a_restriction_without_stopping_marketing_changes_no_consent(customer: Customer, make_staff: Any) -> None:
    manager = make_staff("manager")
    row = take(manager, customer, "restriction", "Chỉ dùng dữ liệu để bảo hành")
    with pytest.raises(ValidationFailed):  # a restriction is completed by switching processing off
        services.complete_request(actor=manager, request=row, note="Đánh dấu hạn chế trong hồ sơ")
    services.complete_request(
        actor=manager, request=row, note="Đánh dấu hạn chế trong hồ sơ", restrict_purposes=["profiling"]
    )
    assert Consent.objects.filter(customer=customer, granted=True).count() == 3
    restriction = customer.processing_restrictions.get()
    assert restriction.purposes == ["profiling"] and restriction.request == row and restriction.set_by == manager


def test_the_deadline_is_extended_once_with_a_reason(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    row = take(agent, customer, "export")
    due = row.due_at
    with pytest.raises(Forbidden):
        services.extend_request(actor=agent, request=row, reason="busy")
    with pytest.raises(ValidationFailed):
        services.extend_request(actor=manager, request=row, reason=" ")
    row = services.extend_request(actor=manager, request=row, reason="Dữ liệu nằm ở nhiều kho")
    assert row.due_at == due + dt.timedelta(days=15) and row.extension_reason == "Dữ liệu nằm ở nhiều kho"
    with pytest.raises(Conflict) as again:
        services.extend_request(actor=manager, request=row, reason="more")
    assert again.value.code == "already_extended"
    row.refresh_from_db()
    assert row.due_at == due + dt.timedelta(days=15)


def test_a_request_is_rejected_with_a_reason_and_stays_closed(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    row = take(agent, customer, "deletion")
    with pytest.raises(Forbidden):
        services.reject_request(actor=agent, request=row, reason="no")
    with pytest.raises(ValidationFailed):
        services.reject_request(actor=manager, request=row, reason="")
    assert DataRequest.objects.get(pk=row.pk).status == RequestStatus.VERIFIED
    row = services.reject_request(actor=manager, request=row, reason="Đơn bảo hành còn hiệu lực (nghĩa vụ pháp lý)")
    assert row.status == RequestStatus.REJECTED and row.completed_at == START
    with pytest.raises(Conflict):
        services.erase_customer(actor=manager, request=row)
    customer.refresh_from_db()
    assert customer.full_name == "Trần Thị Bình"
    # Closed, so a new request of the same kind may be made.
    assert take(agent, customer, "deletion").status == RequestStatus.VERIFIED


def test_an_unverified_request_is_verified_before_anything_is_done(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    with pytest.raises(ValidationFailed) as refused:
        take(agent, customer, "withdraw_consent", verification_method="", verification_note="")
    assert {e.field for e in refused.value.errors} == {"verification_method", "verification_note"}
    assert not DataRequest.objects.exists()
    row = take(agent, customer, "withdraw_consent", verification_method="", verification_note="", verify_later=True)
    assert row.status == RequestStatus.RECEIVED and row.verified_at is None
    with pytest.raises(Conflict) as early:
        services.withdraw_consent(actor=manager, request=row)
    assert early.value.code == "not_verified"
    assert Consent.objects.filter(customer=customer, granted=True).count() == 3
    with pytest.raises(ValidationFailed):
        services.verify_request(actor=manager, request=row, method="portal_login", note="x")
    with pytest.raises(Forbidden):
        services.verify_request(actor=agent, request=row, method="id_document", note="CCCD")
    row = services.verify_request(actor=manager, request=row, method="id_document", note="CCCD 0790... tại cửa hàng")
    assert row.status == RequestStatus.VERIFIED and row.verified_by == manager
    services.withdraw_consent(actor=manager, request=row)
    assert not Consent.objects.filter(customer=customer, granted=True).exists()


def test_only_processors_may_own_a_request(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    row = take(agent, customer, "export")
    with pytest.raises(ValidationFailed):
        services.assign_request(actor=manager, request=row, owner=agent)
    with pytest.raises(Forbidden):
        services.assign_request(actor=agent, request=row, owner=manager)
    assert services.assign_request(actor=manager, request=row, owner=manager).owner == manager


def test_pages_list_filter_and_show_the_clock(
    customer: Customer, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    export = take(agent, customer, "export")
    correction = take(agent, customer, "correction", "Sai tên đường")
    other = create_customer(actor=None, full_name="Lê Văn Cường", phone="0987654321")
    for _ in range(3):
        row = take(agent, other, "objection", "Không muốn nhận gọi điện")
        services.reject_request(actor=manager, request=row, reason="Trùng yêu cầu")
    client = staff_client(manager)
    with django_assert_max_num_queries(14):
        body = client.get("/console/privacy/").content.decode()
    assert export.code in body and correction.code in body and "Lê Văn Cường" not in body  # open only by default
    everything = client.get("/console/privacy/", {"f": "1"}).content.decode()  # the "open only" box unticked
    assert "Lê Văn Cường" in everything and export.code in everything
    rejected = client.get("/console/privacy/", {"status": "rejected"}).content.decode()
    assert "Lê Văn Cường" in rejected and export.code not in rejected
    by_kind = client.get("/console/privacy/", {"kind": "correction"}).content.decode()
    assert correction.code in by_kind and export.code not in by_kind
    assert export.code not in client.get("/console/privacy/", {"overdue": "1"}).content.decode()
    clock.advance(dt.timedelta(days=11))  # past the export's 10 days, not the correction's... also 10: both late
    overdue = client.get("/console/privacy/", {"overdue": "1"}).content.decode()
    assert export.code in overdue and 'data-clock="overdue"' in overdue
    detail = client.get(f"/console/privacy/{export.code}/").content.decode()
    assert 'id="request-clock"' in detail and 'data-clock="overdue"' in detail
    assert "Called back on the phone number on file" in detail and 'id="audit-trail"' in detail
    assert "Personal-data request" in detail  # the trail says the events as sentences
    assert client.get("/console/privacy/DSR-2026-999999/").status_code == 404


def test_page_actions_and_who_may_use_them(customer: Customer, make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    row = take(agent, customer, "restriction", "Chỉ liên hệ qua Zalo")
    agent_client = staff_client(agent)
    assert agent_client.get(f"/console/privacy/{row.code}/").status_code == 200
    refused = agent_client.post(f"/console/privacy/{row.code}/reject/", {"reason": "no"}, follow=True)
    assert "You do not have permission" in refused.content.decode()
    assert DataRequest.objects.get(pk=row.pk).status == RequestStatus.VERIFIED
    warehouse = staff_client(make_staff("warehouse"))
    assert warehouse.get("/console/privacy/").status_code == 403
    assert warehouse.post(f"/console/privacy/{row.code}/reject/", {"reason": "x"}).status_code == 403
    client = staff_client(manager)
    client.post(f"/console/privacy/{row.code}/assign/", {"owner": "me"})
    client.post(f"/console/privacy/{row.code}/extend/", {"reason": "Cần hỏi kho"})
    empty = client.post(f"/console/privacy/{row.code}/complete/", {"note": ""}, follow=True).content.decode()
    assert "Say what was done." in empty
    done = {"note": "Đã đánh dấu", "stop_marketing": "yes", "purposes": "marketing"}
    client.post(f"/console/privacy/{row.code}/complete/", done)
    row.refresh_from_db()
    assert row.owner == manager and row.extended_at is not None and row.status == RequestStatus.COMPLETED
    assert not Consent.objects.filter(customer=customer, purpose="marketing", granted=True).exists()
    assert client.post(f"/console/privacy/{row.code}/explode/").status_code == 404


def test_a_request_is_taken_on_the_customers_behalf_from_the_form(customer: Customer, make_staff: Any) -> None:
    client = staff_client(make_staff("agent"))
    form = client.get("/console/privacy/new/", {"customer": customer.code}).content.decode()
    assert customer.code in form
    refused = client.post("/console/privacy/new/", {"customer": customer.code, "kind": "export"})
    assert refused.status_code == 400 and 'id="verification_method-error"' in refused.content.decode()
    unknown = client.post("/console/privacy/new/", {"customer": "CUS-NOPE", "kind": "export"})
    assert unknown.status_code == 400 and 'id="customer-error"' in unknown.content.decode()
    assert not DataRequest.objects.exists()
    response = client.post(
        "/console/privacy/new/",
        {"customer": customer.code, "kind": "export", "verification_method": "in_store", "verification_note": "ORD"},
    )
    row = DataRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/privacy/{row.code}/"
    assert row.origin == "console" and row.verification_method == "in_store"
    assert staff_client(make_staff("technician")).get("/console/privacy/new/").status_code == 403


def test_search_nav_and_the_customer_360_panel(customer: Customer, make_staff: Any) -> None:
    agent = make_staff("agent")
    row = take(agent, customer, "export")
    hits = registry.search["privacy"].search(row.code.lower(), agent, 5)
    assert [hit.title for hit in hits] == [row.code]
    assert registry.search["privacy"].search(row.code, make_staff("warehouse"), 5) == []
    assert registry.search["privacy"].search("Bình", agent, 5) == []
    assert "privacy.requests" in registry.nav and registry.nav["privacy.requests"].area == "care"
    page = staff_client(agent).get(f"/console/customers/{customer.code}/").content.decode()
    assert 'id="customer-data-requests"' in page and row.code in page and 'id="customer-consent-evidence"' in page


def test_staff_hand_over_a_built_export_and_the_download_is_recorded(footprint: Footprint, make_staff: Any) -> None:
    from haumai.privacy.models import AccessLog

    agent, manager = make_staff("agent"), make_staff("manager")
    row = take(agent, footprint.customer, "export")
    services.start_export(actor=manager, request=row)
    row = services.build_export(request_id=row.pk)  # what the worker's task runs
    assert row is not None and row.status == RequestStatus.COMPLETED
    assert staff_client(agent).post(f"/console/privacy/{row.code}/download/").status_code == 403
    response = staff_client(manager).post(f"/console/privacy/{row.code}/download/", {"reason": "Khách nhận tại quầy"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    entry = AccessLog.objects.get(action="export_download")
    assert (entry.actor, entry.customer, entry.target, entry.reason) == (
        manager, footprint.customer, row.code, "Khách nhận tại quầy"
    )
    assert Event.objects.filter(name="privacy.export_downloaded", subject_id=str(row.pk)).count() == 1
