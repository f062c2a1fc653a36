"""Schemathesis over the whole API schema, against the real WSGI app with a real token (issue 9 A.14).

Every operation, with generated valid and invalid input: no server error, every status, content type and body
as documented, and every schema-valid request accepted (or refused only for what a schema cannot know, such as
whether a code exists). Deterministic: a fixed number of examples per operation, derandomized, a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = 12


def _names_a_missing_record(code: str) -> bool:
    # invalid_cursor: a cursor is an opaque value the API handed out, like a code it may or may not know;
    # future: a date after today (a schema cannot say "today"); duplicate*: two items of one list naming the same
    # serial (JSON Schema's uniqueItems compares whole items, not one field of them).
    # one_of_required: one of two query parameters must be given (OpenAPI cannot relate query parameters);
    # far_from_now: a date too far from today (a promised delivery date; a schema cannot say "today" either).
    # wrong_format, empty: an uploaded import file's content and name (a schema says "a binary file", not
    # "a CSV or XLSX one").
    found = {"not_found", "unknown", "invalid_cursor", "future", "one_of_required", "far_from_now", "wrong_format",
             "empty"}  # fmt: skip
    return code in found or code.startswith(("unknown_", "duplicate"))


def valid_input_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request is accepted, or refused only for what a schema cannot know.

    Allowed refusals: 401/403/404/409/429, the edge's 400 for a NUL byte (documented), and a 422 whose every field
    names a record that does not exist (an unknown SKU, channel or customer code in the body), an opaque cursor
    the API did not hand out, a date in the future, or the same serial twice in one list.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    error = response.json()["error"]
    if error["code"] in ("invalid_characters", "malformed"):
        return None
    fields = error["fields"]
    # file.file: schemathesis may send a multipart part without a filename, a plain form field to every server;
    # an upload is a file part (the import API's own tests send real files).
    refused = [
        field for field in fields if not _names_a_missing_record(field["code"]) and field["field"] != "file.file"
    ]
    if fields and not refused:
        return None
    raise AssertionError(f"Schema-valid request refused with {response.status_code}: {error['code']} {refused}"[:1500])


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_input_accepted,
]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260901,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
# Loaded from the live app at collection (the schema endpoint reads no table).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(db: Any) -> Iterator[None]:
    """Requests go through Django's WSGI handler inside the test transaction, which must survive each request.

    (Django's own test client does the same: the handler would otherwise close the connection around each request.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db: Any) -> dict[str, str]:
    """An admin's API token: every operation is allowed, so the checks reach the handlers."""
    from haumai.accounts.services import create_api_token, create_staff_user

    user = create_staff_user(username="schemathesis", password="s3cret-pass-123", role="admin", superuser=True)
    _, raw = create_api_token(actor=user, user=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def known(bearer: dict[str, str]) -> dict[tuple[str, str], str]:
    """Records that exist, by (path prefix, path parameter): a third of the cases name them, to reach the handlers."""
    from django.test import Client

    from haumai.catalog.services import create_product
    from haumai.core import clock
    from haumai.customers.models import Province
    from haumai.customers.services import create_customer
    from haumai.inventory.models import Warehouse
    from haumai.journeys.models import Journey
    from haumai.sales.models import Channel
    from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(actor=None, sku="ST-PHONE", name="Phone", price=5_000_000, is_serialized=True, return_days=30)
    Warehouse.objects.create(code="wh-st", name="Kho", province=Province.objects.order_by("code").first())
    customer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0901234567")
    now = clock.now()
    order, _ = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=customer.code),
        lines=[
            OrderLineInput(sku="ST-PHONE", quantity=1, unit_price=5_000_000, serial="ST-SN-1"),
            OrderLineInput(sku="ST-PHONE", quantity=1, unit_price=5_000_000, serial="ST-SN-2"),
        ],
        placed_at=now - dt.timedelta(days=3),
        status="delivered",
        delivered_at=now - dt.timedelta(days=1),
    )
    body = {
        "customer": customer.code,
        "order": order.code,
        "lines": [{"serial": "ST-SN-1"}],
        "reason": "changed_mind",
        "resolution": "exchange_same",
        "logistics": "store_dropoff",
        "warehouse": "wh-st",
    }
    client = Client(HTTP_AUTHORIZATION=bearer["Authorization"])
    created = client.post("/api/v1/returns", data=json.dumps(body), content_type="application/json").json()
    # Django's test client connects close_old_connections again after its request: keep the transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    journey = Journey.objects.order_by("pk").first()
    return {
        ("/api/v1/customers/", "code"): customer.code,
        ("/api/v1/loyalty/customers/", "code"): customer.code,
        ("/api/v1/products/", "sku"): "ST-PHONE",
        ("/api/v1/units/", "serial"): "ST-SN-2",
        ("/api/v1/orders/", "code"): order.code,
        ("/api/v1/returns/", "code"): created["code"],
        ("/api/v1/returns/", "line_id"): str(created["lines"][0]["id"]),
        ("/api/v1/journeys/", "key"): journey.key if journey else "none",
    }


def _name_known_records(case: Any, known: dict[tuple[str, str], str]) -> None:
    """Deterministically (by a checksum of the case) point a third of the cases at records that exist."""
    if not case.path_parameters:
        return
    digest = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode("utf-8", "surrogatepass"))
    if digest % 3:
        return
    for (prefix, name), value in known.items():
        if case.path.startswith(prefix) and name in case.path_parameters:
            case.path_parameters[name] = value


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_every_operation_conforms(case: Any, bearer: dict[str, str], known: dict[tuple[str, str], str]) -> None:
    _name_known_records(case, known)
    case.call_and_validate(headers=bearer, checks=CHECKS)
