"""Passwordless login: codes by SMS outbox and e-mail, lockout, rate limits, login links."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from haumai.core import clock
from haumai.portal import services
from haumai.portal.models import LoginCode
from haumai.portal.tests.conftest import (
    Shop,
    last_mail_code,
    last_mail_link,
    last_sms_code,
    log_in,
    sms_lines,
)
from haumai.portal.views import SESSION_CUSTOMER

START = dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC)


def _logged_in_id(client: Client) -> Any:
    return client.session.get(SESSION_CUSTOMER)


@pytest.mark.parametrize("typed", ["0912 345 678", "+84912345678", "84912345678", "(091) 234-5678"])
def test_login_by_phone_any_format(client: Client, settings: Any, shop: Shop, typed: str) -> None:
    response = client.post("/portal/login/", {"identifier": typed})
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/code/"
    line = sms_lines(settings)[-1]
    assert "\tsms\t+84912345678\t" in line
    assert LoginCode.objects.get().code_hash != last_sms_code(settings)  # only a hash is stored
    before = client.session.session_key
    response = client.post("/portal/login/code/", {"code": last_sms_code(settings)})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert _logged_in_id(client) == shop.an.pk
    assert client.session.session_key != before  # session key rotated
    assert client.get("/portal/orders/").status_code == 200


def test_login_by_email(client: Client, shop: Shop) -> None:
    response = client.post("/portal/login/", {"identifier": "  AN.Nguyen@Example.vn "})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an.nguyen@example.vn"]
    response = client.post("/portal/login/code/", {"code": last_mail_code()})
    assert response.status_code == 302
    assert _logged_in_id(client) == shop.an.pk


def test_login_redirects_to_safe_next(client: Client, settings: Any, shop: Shop) -> None:
    response = client.get(f"/portal/orders/{shop.an_order.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=")
    client.post("/portal/login/", {"identifier": "0912345678", "next": f"/portal/orders/{shop.an_order.code}/"})
    response = client.post("/portal/login/code/", {"code": last_sms_code(settings)})
    assert response["Location"] == f"/portal/orders/{shop.an_order.code}/"
    client.post("/portal/logout/")
    client.post("/portal/login/", {"identifier": "0912345678", "next": "https://evil.example/portal/"})
    response = client.post("/portal/login/code/", {"code": last_sms_code(settings)})
    assert response["Location"] == "/portal/"


def test_wrong_code_is_refused(client: Client, settings: Any, shop: Shop) -> None:
    client.post("/portal/login/", {"identifier": "0912345678"})
    good = last_sms_code(settings)
    wrong = "000000" if good != "000000" else "111111"
    response = client.post("/portal/login/code/", {"code": wrong})
    assert response.status_code == 200
    assert "Wrong code. 4 tries left." in response.content.decode()
    assert _logged_in_id(client) is None


def test_expired_code(client: Client, settings: Any, shop: Shop) -> None:
    clock.freeze(START)
    client.post("/portal/login/", {"identifier": "0912345678"})
    code = last_sms_code(settings)
    clock.advance(dt.timedelta(minutes=10, seconds=1))
    response = client.post("/portal/login/code/", {"code": code})
    assert "This code has expired or was already used" in response.content.decode()
    assert _logged_in_id(client) is None


def test_code_just_before_expiry_works(client: Client, settings: Any, shop: Shop) -> None:
    clock.freeze(START)
    client.post("/portal/login/", {"identifier": "0912345678"})
    clock.advance(dt.timedelta(minutes=9, seconds=59))
    client.post("/portal/login/code/", {"code": last_sms_code(settings)})
    assert _logged_in_id(client) == shop.an.pk


def test_sixth_try_is_locked_even_with_the_right_code(client: Client, settings: Any, shop: Shop) -> None:
    client.post("/portal/login/", {"identifier": "0912345678"})
    good = last_sms_code(settings)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(4):
        assert "Wrong code" in client.post("/portal/login/code/", {"code": wrong}).content.decode()
    fifth = client.post("/portal/login/code/", {"code": wrong}).content.decode()
    assert "Too many wrong tries" in fifth
    sixth = client.post("/portal/login/code/", {"code": good}).content.decode()
    assert "Too many wrong tries" in sixth
    assert _logged_in_id(client) is None
    assert LoginCode.objects.get().failed_attempts == 5


def test_code_is_single_use_and_new_code_supersedes_old(client: Client, settings: Any, shop: Shop) -> None:
    client.post("/portal/login/", {"identifier": "0912345678"})
    first = last_sms_code(settings)
    client.post("/portal/login/", {"identifier": "0912345678"})
    second = last_sms_code(settings)
    if first != second:  # one chance in a million that both codes are equal
        client.post("/portal/login/code/", {"code": first})
        assert _logged_in_id(client) is None
    client.post("/portal/login/code/", {"code": second})
    assert _logged_in_id(client) == shop.an.pk
    with pytest.raises(services.LoginRefused) as refused:
        services.verify_login_code(destination="+84912345678", code=second)
    assert refused.value.code == "expired"


def test_rate_limit_per_destination(client: Client, settings: Any, shop: Shop) -> None:
    clock.freeze(START)
    for _ in range(5):
        assert client.post("/portal/login/", {"identifier": "0912345678"}).status_code == 302
    response = client.post("/portal/login/", {"identifier": "0912 345 678"})
    assert response.status_code == 429
    assert "Too many codes were requested for this phone or e-mail" in response.content.decode()
    assert len(sms_lines(settings)) == 5
    assert LoginCode.objects.count() == 5
    clock.advance(dt.timedelta(hours=1, seconds=1))
    assert client.post("/portal/login/", {"identifier": "0912345678"}).status_code == 302


def test_rate_limit_per_address(client: Client, settings: Any, shop: Shop) -> None:
    settings.HAUMAI_PORTAL_CODES_PER_IP_PER_HOUR = 3
    for number in ("0912000001", "0912000002", "0912000003"):
        assert client.post("/portal/login/", {"identifier": number}).status_code == 302
    response = client.post("/portal/login/", {"identifier": "0912345678"})
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    assert sms_lines(settings) == []


def _normalised(page: str) -> str:
    return re.sub(r'(name="csrfmiddlewaretoken" value="[^"]+"|\+8491\*+\d{3})', "", page)


def test_unknown_phone_gets_identical_answer_and_nothing_is_sent(client: Client, settings: Any, shop: Shop) -> None:
    known = Client()
    known_response = known.post("/portal/login/", {"identifier": "0912345678"})
    known_page = known.get("/portal/login/code/").content.decode()
    sent_before = len(sms_lines(settings))
    unknown_response = client.post("/portal/login/", {"identifier": "0912999888"})
    unknown_page = client.get("/portal/login/code/").content.decode()
    assert unknown_response.status_code == known_response.status_code == 302
    assert unknown_response["Location"] == known_response["Location"]
    assert _normalised(unknown_page) == _normalised(known_page)
    assert len(sms_lines(settings)) == sent_before
    assert mail.outbox == []
    # Guessing never logs in to a destination nobody owns, and wrong tries are counted the same way.
    response = client.post("/portal/login/code/", {"code": "123456"})
    assert "Wrong code. 4 tries left." in response.content.decode()
    assert client.session.get(SESSION_CUSTOMER) is None


def test_unknown_email_sends_nothing(client: Client, shop: Shop) -> None:
    response = client.post("/portal/login/", {"identifier": "nobody@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert LoginCode.objects.filter(destination="nobody@example.vn", customer=None).count() == 1


def test_magic_link_logs_in_once(client: Client, shop: Shop) -> None:
    client.post("/portal/login/", {"identifier": "an.nguyen@example.vn"})
    link = last_mail_link()
    browser = Client()
    page = browser.get(link)
    assert page.status_code == 200
    assert browser.session.get(SESSION_CUSTOMER) is None  # a GET (mail scanner) does not log in
    response = browser.post(link)
    assert response.status_code == 302
    assert browser.session.get(SESSION_CUSTOMER) == shop.an.pk
    again = Client()
    assert again.get(link).status_code == 400
    response = again.post(link)
    assert response.status_code == 400
    assert "invalid, expired or was already used" in response.content.decode()
    assert again.session.get(SESSION_CUSTOMER) is None


def test_magic_link_expires_after_15_minutes(client: Client, shop: Shop) -> None:
    clock.freeze(START)
    client.post("/portal/login/", {"identifier": "an.nguyen@example.vn"})
    link = last_mail_link()
    clock.advance(dt.timedelta(minutes=15, seconds=1))
    response = client.post(link)
    assert response.status_code == 400
    assert client.session.get(SESSION_CUSTOMER) is None


def test_tampered_link_is_refused(client: Client, shop: Shop) -> None:
    client.post("/portal/login/", {"identifier": "an.nguyen@example.vn"})
    link = last_mail_link()
    assert client.post(link[:-3] + "x/").status_code == 400
    assert client.post("/portal/login/link/" + "A" * 500 + "/").status_code == 400


def test_logout(client: Client, settings: Any, shop: Shop) -> None:
    log_in(client, settings)
    assert client.get("/portal/logout/").status_code == 405
    response = client.post("/portal/logout/")
    assert response.status_code == 302
    assert client.session.get(SESSION_CUSTOMER) is None
    assert client.get("/portal/orders/").status_code == 302


def test_csrf_is_enforced(settings: Any, shop: Shop) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/portal/login/", {"identifier": "0912345678"}).status_code == 403
    assert strict.post("/portal/lookup/", {"serial": "SN-AN-001"}).status_code == 403
    assert sms_lines(settings) == []


def test_portal_login_reaches_no_staff_page(client: Client, settings: Any, shop: Shop) -> None:
    log_in(client, settings)
    for url in ("/console/", f"/console/customers/{shop.an.code}/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]
    assert client.get("/api/v1/customers").status_code in (401, 403)


@pytest.mark.parametrize(
    "hostile",
    ["x" * 10_000, "' OR 1=1 --", "<script>alert(1)</script>", "0912345678'; DROP TABLE portal_logincode; --"],
)
def test_hostile_login_input(client: Client, settings: Any, shop: Shop, hostile: str) -> None:
    response = client.post("/portal/login/", {"identifier": hostile})
    assert response.status_code == 200
    body = response.content.decode()
    assert "invalid-feedback" in body
    assert "<script>alert(1)</script>" not in body
    assert LoginCode.objects.count() == 0
    assert sms_lines(settings) == []
    client.post("/portal/login/", {"identifier": "0912345678"})
    response = client.post("/portal/login/code/", {"code": hostile})
    assert "invalid-feedback" in response.content.decode()
    assert LoginCode.objects.get().failed_attempts == 0


def test_code_page_without_pending_login_goes_back(client: Client, shop: Shop) -> None:
    assert client.get("/portal/login/code/")["Location"] == "/portal/login/"
    assert client.post("/portal/login/code/", {"code": "123456"})["Location"] == "/portal/login/"
