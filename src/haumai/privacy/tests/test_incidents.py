"""Breach incidents: the legal clock from discovery (configurable), affected customers, measures, the notices
to the authority and the customers (Vietnamese, printable), closing; who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.core.registry import registry
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.privacy import incidents
from haumai.privacy.models import Incident, IncidentStatus

pytestmark = pytest.mark.django_db
FOUND = dt.datetime(2026, 4, 6, 1, 30, tzinfo=dt.UTC)  # 08:30 in Vietnam


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_clock_runs_from_discovery_and_the_incident_is_closed_only_when_done(
    make_staff: Any, settings: Any
) -> None:
    clock.freeze(FOUND + dt.timedelta(hours=2))
    manager = make_staff("manager")
    with pytest.raises(Forbidden):
        incidents.open_incident(actor=make_staff("agent"), title="x", discovered_at=FOUND)
    with pytest.raises(ValidationFailed) as refused:
        incidents.open_incident(
            actor=manager, title=" ", discovered_at=FOUND, occurred_at=FOUND + dt.timedelta(hours=1)
        )
    assert {e.field for e in refused.value.errors} == {"title", "occurred_at"}
    assert not Incident.objects.exists()
    incident = incidents.open_incident(
        actor=manager, title="Laptop chứa tệp xuất khách hàng bị mất", discovered_at=FOUND, affected_estimate=120
    )
    assert incident.code.startswith("INC-2026-") and incident.notify_by == FOUND + dt.timedelta(hours=72)
    settings.HAUMAI_PRIVACY_BREACH_NOTICE_HOURS = 24
    shorter = incidents.open_incident(actor=manager, title="Lộ mật khẩu quản trị", discovered_at=FOUND)
    assert shorter.notify_by == FOUND + dt.timedelta(hours=24)
    with pytest.raises(Conflict):
        incidents.close_incident(actor=manager, incident=incident)
    an = create_customer(actor=None, full_name="Ngô Văn An", phone="0901111222")
    binh = create_customer(actor=None, full_name="Lý Thị Bình", phone="0901111333")
    with pytest.raises(ValidationFailed):
        incidents.add_affected(actor=manager, incident=incident, customer_codes=[an.code, "CUS-NOPE"])
    assert incidents.add_affected(actor=manager, incident=incident, customer_codes=[an.code, binh.code, an.code]) == 2
    incidents.record_measures(actor=manager, incident=incident, measures="Khóa tài khoản, đổi mật khẩu", contained=True)
    clock.freeze(FOUND + dt.timedelta(hours=80))  # past the 72 hours
    incident = incidents.record_authority_notice(actor=manager, incident=incident, reference="CV 12/2026")
    assert incident.status == IncidentStatus.NOTIFIED
    late = Event.objects.get(name="privacy.incident_authority_notified")
    assert late.payload["late"] is True
    with pytest.raises(Conflict):
        incidents.record_authority_notice(actor=manager, incident=incident)
    incidents.record_customer_notice(actor=manager, incident=incident)
    incident = incidents.close_incident(actor=manager, incident=incident)
    assert incident.status == IncidentStatus.CLOSED
    with pytest.raises(Conflict):
        incidents.add_affected(actor=manager, incident=incident, customer_codes=[an.code])
    names = list(Event.objects.filter(subject_type="privacy.incident", subject_id=str(incident.pk))
                 .order_by("id").values_list("name", flat=True))  # fmt: skip
    assert names == [
        "privacy.incident_opened", "privacy.incident_updated", "privacy.incident_updated",
        "privacy.incident_authority_notified", "privacy.incident_customers_notified", "privacy.incident_closed",
    ]  # fmt: skip


def test_pages_notices_and_permissions(make_staff: Any, django_assert_max_num_queries: Any) -> None:
    clock.freeze(FOUND + dt.timedelta(hours=1))
    manager = login(make_staff("manager"))
    refused = manager.post("/console/privacy/incidents/new/", {"title": "", "discovered_at": "2026-04-06T08:30"})
    assert refused.status_code == 400 and 'id="title-error"' in refused.content.decode()
    future = manager.post("/console/privacy/incidents/new/", {"title": "x", "discovered_at": "2027-01-01T08:00"})
    assert future.status_code == 400 and 'id="discovered_at-error"' in future.content.decode()
    assert not Incident.objects.exists()
    created = manager.post(
        "/console/privacy/incidents/new/",
        {"title": "Email gửi nhầm danh sách khách", "discovered_at": "2026-04-06T08:30", "affected_estimate": "35",
         "data_categories": "họ tên, số điện thoại"},
    )  # fmt: skip
    incident = Incident.objects.get()
    assert created["Location"] == f"/console/privacy/incidents/{incident.code}/"
    assert incident.discovered_at == FOUND  # the form's time is Vietnam time
    with django_assert_max_num_queries(14):
        listing = manager.get("/console/privacy/incidents/").content.decode()
    assert incident.code in listing and 'data-clock="open"' in listing
    detail = manager.get(f"/console/privacy/incidents/{incident.code}/").content.decode()
    assert 'id="incident-clock"' in detail and "71 hours left to notify" in detail
    authority = manager.get(f"/console/privacy/incidents/{incident.code}/notice/authority/").content.decode()
    assert "THÔNG BÁO VI PHẠM QUY ĐỊNH VỀ BẢO VỆ DỮ LIỆU CÁ NHÂN" in authority and "A05" in authority
    assert "họ tên, số điện thoại" in authority and "35" in authority and "91/2025/QH15" in authority
    customers = manager.get(f"/console/privacy/incidents/{incident.code}/notice/customers/").content.decode()
    assert "Kính gửi Quý khách" in customers and incident.code in customers
    assert manager.get(f"/console/privacy/incidents/{incident.code}/notice/press/").status_code == 404
    manager.post(f"/console/privacy/incidents/{incident.code}/authority/", {"reference": "Hồ sơ 7"})
    assert Incident.objects.get().authority_notified_at is not None
    agent = login(make_staff("agent"))
    assert agent.get("/console/privacy/incidents/").status_code == 403
    assert agent.post(f"/console/privacy/incidents/{incident.code}/close/").status_code == 403
    hits = registry.search["privacy"].search(incident.code, make_staff("manager"), 5)
    assert [hit.title for hit in hits] == [incident.code]
