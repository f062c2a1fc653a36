"""The demo has data-subject requests in several states, versioned consents with evidence, an incident and
access-log entries, all written through the privacy and customers services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.customers.models import Consent, ConsentText
from haumai.demo.personal_data import seed_personal_data
from haumai.demo.seed import seed_demo
from haumai.privacy.models import AccessLog, DataRequest, Incident


@pytest.mark.django_db
def test_demo_creates_personal_data_rows(settings: Any) -> None:
    seed_demo(customers=200, out=lambda line: None)  # below PERSONAL_DATA_FROM: nothing yet
    assert not DataRequest.objects.exists()
    counts = seed_personal_data(seed=42)
    statuses = set(DataRequest.objects.values_list("status", flat=True))
    assert {"received", "verified", "completed"} <= statuses and len(statuses) >= 4
    assert counts["privacy.datarequest"] == DataRequest.objects.count() >= 12
    assert ConsentText.objects.filter(purpose="marketing").values("version").distinct().count() == 2
    assert Consent.objects.filter(text_version=2, evidence_channel="in_store").exists()
    assert Consent.objects.filter(text_version=1, evidence_ip__isnull=False).exists()
    assert Incident.objects.get().affected_customers.count() == 8
    assert AccessLog.objects.count() == 15
    admin = Client()
    admin.login(username="admin", password="haumai-demo")
    for url in ("/console/privacy/", "/console/privacy/incidents/", "/console/privacy/access/"):
        assert admin.get(url).status_code == 200, url
    row = DataRequest.objects.order_by("id").first()
    assert row is not None and admin.get(f"/console/privacy/{row.code}/").status_code == 200
