"""Export: the worker builds one ZIP of JSON + CSV from every registered app, outside the database."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from typing import Any

import pytest
from django.core.management import call_command

from haumai.events.models import Event
from haumai.privacy import exports, services
from haumai.privacy.models import DataRequest, RequestStatus
from haumai.privacy.tests.conftest import EMAIL, NAME, PHONE, Footprint

# The real worker command closes connections between ticks (as in production), so no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def build(footprint: Footprint, capture: Any) -> DataRequest:
    request = services.create_request(actor=None, customer=footprint.customer, kind="export", origin="portal")
    with capture(execute=True):
        services.start_export(actor=None, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.PROCESSING and not request.export_file
    call_command("worker", "--once", stdout=io.StringIO())  # the real worker runs the queued task
    request.refresh_from_db()
    return request


def test_the_worker_builds_a_zip_with_everything_held_on_the_person(
    footprint: Footprint, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    request = build(footprint, django_capture_on_commit_callbacks)
    assert request.status == RequestStatus.COMPLETED and request.export_file
    path = exports.file_path(request.export_file)
    assert path.startswith(settings.HAUMAI_PRIVACY_EXPORT_DIR) and os.path.getsize(path) == request.export_bytes
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert exports.sha256_of(path) == request.export_sha256
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        customer = json.loads(archive.read("json/customers.customer.json"))
        returns = json.loads(archive.read("json/returns.returnrequest.json"))
        deliveries = json.loads(archive.read("json/messaging.delivery.json"))
        events = json.loads(archive.read("json/events.event.json"))
        orders_csv = list(csv.DictReader(io.StringIO(archive.read("csv/sales.order.csv").decode("utf-8-sig"))))
    # Every app that holds customer data contributed, in both formats.
    for table in (
        "customers.customer",
        "customers.identity",
        "customers.address",
        "customers.consent",
        "sales.order",
        "sales.orderline",
        "returns.returnrequest",
        "returns.returnphoto",
        "shipping.shipment",
        "messaging.delivery",
        "portal.logincode",
        "events.event",
        "payments.refund",
        "journeys.journeyrun",
        "privacy.datarequest",
    ):
        assert f"json/{table}.json" in names and f"csv/{table}.csv" in names, table
    assert any(name.startswith("files/returns/photos/") for name in names)
    assert customer == [dict(customer[0], full_name=NAME, phone=PHONE, email=EMAIL)]
    assert returns[0]["code"] == footprint.return_code and "0901 234 567" in returns[0]["customer_note"]
    assert deliveries[0]["destination"] == EMAIL
    assert [row["code"] for row in orders_csv] == [footprint.shop.order.code]
    assert any(event["name"] == "customer.imported" for event in events)
    assert manifest["customer"] == footprint.customer.code and manifest["tables"]["sales.order"] == 1
    built = Event.objects.get(name="privacy.export_built")
    assert built.payload["sha256"] == request.export_sha256 and built.subject_id == str(request.pk)


def test_the_export_does_not_include_another_customers_data(
    footprint: Footprint, django_capture_on_commit_callbacks: Any
) -> None:
    other = footprint.shop.other
    request = build(footprint, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(exports.file_path(request.export_file)) as archive:
        everything = "".join(
            archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".json")
        )
    assert other.phone not in everything and other.full_name not in everything


def test_a_download_link_is_signed_and_expires(
    footprint: Footprint, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    import datetime as dt

    from haumai.core import clock

    request = build(footprint, django_capture_on_commit_callbacks)
    token = exports.download_token(request)
    assert exports.check_download_token(token) == (request.pk, request.export_file)
    assert exports.check_download_token(token[:-2] + "xx") is None
    clock.freeze(clock.now() + dt.timedelta(hours=73))
    assert exports.check_download_token(token) is None
