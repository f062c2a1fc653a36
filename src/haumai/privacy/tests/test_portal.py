"""Portal: "Dữ liệu cá nhân của tôi" — export, deletion request, consent withdrawal, download of my own ZIP."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from haumai.customers.models import Consent
from haumai.events.models import Event
from haumai.privacy.models import DataRequest, RequestStatus
from haumai.privacy.tests.conftest import Footprint

pytestmark = pytest.mark.django_db


def portal(customer: Any) -> Client:
    client = Client()
    session = client.session
    session["portal_customer_id"] = customer.pk
    session.save()
    return client


def test_pages_need_a_portal_login(db: Any) -> None:
    response = Client().get("/portal/privacy/")
    assert response.status_code == 302 and "/portal/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)  # the real worker closes connections between ticks
def test_a_customer_gets_their_export_and_nobody_else_can(
    footprint: Footprint, django_capture_on_commit_callbacks: Any
) -> None:
    client = portal(footprint.customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/privacy/export/")
    assert response.status_code == 302 and "done=export" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'id="privacy-notice"' in page and 'id="download-' not in page
    call_command("worker", "--once", stdout=io.StringIO())
    page = client.get("/portal/privacy/").content.decode()
    link = re.search(r'href="(/portal/privacy/download/[^"]+/)" id="download-', page)
    assert link is not None
    download = client.get(link.group(1))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "manifest.json" in archive.namelist()
    assert Event.objects.filter(name="privacy.export_downloaded", customer=footprint.customer).count() == 1
    # Another customer with the same link: not found, and nothing is recorded.
    stranger = portal(footprint.shop.other)
    assert stranger.get(link.group(1)).status_code == 404
    assert Event.objects.filter(name="privacy.export_downloaded").count() == 1
    # A second export while the first is... completed is allowed; a tampered token is not.
    assert client.get(link.group(1)[:-3] + "xx/").status_code == 404


def test_a_second_open_request_of_the_same_kind_is_refused(footprint: Footprint) -> None:
    client = portal(footprint.customer)
    client.post("/portal/privacy/delete/", {"confirm": "yes"})
    response = client.post("/portal/privacy/delete/", {"confirm": "yes"})
    assert "error=open" in response["Location"]
    assert DataRequest.objects.filter(kind="deletion").count() == 1


def test_deletion_needs_the_confirmation_and_then_waits_for_staff(footprint: Footprint) -> None:
    client = portal(footprint.customer)
    refused = client.post("/portal/privacy/delete/", {"details": "please"})
    assert refused.status_code == 400 and 'id="confirm-error"' in refused.content.decode()
    assert not DataRequest.objects.exists()
    accepted = client.post("/portal/privacy/delete/", {"confirm": "yes"})
    assert "done=deletion" in accepted["Location"]
    request = DataRequest.objects.get()
    assert request.status == RequestStatus.VERIFIED and request.verification_method == "portal_login"
    assert (request.due_at - request.received_at).days == 20
    assert request.acknowledge_by > request.received_at
    footprint.customer.refresh_from_db()
    assert footprint.customer.phone  # nothing erased until staff carry it out


def test_withdrawing_consent_is_carried_out_at_once(footprint: Footprint) -> None:
    assert Consent.objects.filter(customer=footprint.customer, granted=True).exists()
    response = portal(footprint.customer).post("/portal/privacy/consent/withdraw/")
    assert "done=consent" in response["Location"]
    assert not Consent.objects.filter(customer=footprint.customer, granted=True).exists()
    request = DataRequest.objects.get()
    assert request.status == RequestStatus.COMPLETED
    assert Event.objects.filter(name="customer.consent_changed", customer=footprint.customer).exists()
