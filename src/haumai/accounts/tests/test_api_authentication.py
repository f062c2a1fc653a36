"""API authentication: bearer tokens answer 401 when bad; only session-authenticated writes need CSRF."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haumai.accounts.services import create_api_token
from haumai.core import clock
from haumai.customers.models import Customer

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"
NEW_CUSTOMER = {"full_name": "Trần Thị Bình", "phone": "0987 654 321"}


def post_customer(client: Client, **extra: Any) -> Any:
    return client.post("/api/v1/customers", NEW_CUSTOMER, content_type="application/json", **extra)


@pytest.mark.parametrize("header", ["Bearer hm_not-a-real-token", "Bearer nonsense", "Bearer "])
def test_a_write_with_an_invalid_token_answers_401_and_changes_nothing(header: str) -> None:
    response = post_customer(Client(enforce_csrf_checks=True), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert Customer.objects.count() == 0


def test_a_write_with_an_expired_token_answers_401_with_the_date(make_staff: Any) -> None:
    clock.freeze(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    manager = make_staff("manager")
    _, raw = create_api_token(actor=manager, user=manager, name="POS", days=30)
    clock.advance(dt.timedelta(days=31))
    response = post_customer(Client(enforce_csrf_checks=True), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthorized",
        "message": "API token expired on 2026-01-31",
        "fields": [],
    }
    assert Customer.objects.count() == 0


def test_a_bad_token_does_not_fall_back_to_the_session(make_staff: Any) -> None:
    manager = make_staff("manager")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=manager.username, password=PASSWORD)
    response = post_customer(client, HTTP_AUTHORIZATION="Bearer hm_revoked-or-unknown")
    assert response.status_code == 401
    assert Customer.objects.count() == 0


def test_a_valid_token_writes_without_csrf(make_staff: Any) -> None:
    manager = make_staff("manager")
    _, raw = create_api_token(actor=manager, user=manager, name="POS")
    response = post_customer(Client(enforce_csrf_checks=True), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201
    assert Customer.objects.count() == 1


def test_a_session_write_still_needs_the_csrf_token(make_staff: Any) -> None:
    manager = make_staff("manager")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=manager.username, password=PASSWORD)
    refused = post_customer(client)
    assert refused.status_code == 403
    assert Customer.objects.count() == 0
    client.get("/console/")  # sets the csrftoken cookie
    accepted = post_customer(client, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert accepted.status_code == 201
    assert Customer.objects.count() == 1


def test_no_credentials_answer_401() -> None:
    response = post_customer(Client(enforce_csrf_checks=True))
    assert response.status_code == 401
    assert Customer.objects.count() == 0
