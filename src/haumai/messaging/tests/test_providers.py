"""Zalo OA/ZNS, eSMS and the sending/reconciliation rules, against local provider servers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.core import clock
from haumai.messaging.models import Delivery, DeliveryStatus, Template, ZaloCredential
from haumai.messaging.services import queue_message, save_template_version
from haumai.testing.sms import LocalEsms, local_esms
from haumai.testing.zalo import LocalZalo, local_zalo

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
CONTEXT = {"order": {"code": "DH-1", "total": 500000, "placed_at": None, "delivered_at": None, "lines": []},
           "refund": {"code": "RF-1", "amount": 250000}, "links": {"portal": "http://x/portal/"}}


@pytest.fixture
def zalo(settings: Any, db: Any) -> Iterator[LocalZalo]:
    with local_zalo() as server:
        server.configure(settings)
        ZaloCredential.objects.create(oa_id="oa1", app_id=server.app_id, access_token=server.access_token,
                                      refresh_token=server.refresh_token)
        yield server


@pytest.fixture
def esms(settings: Any) -> Iterator[LocalEsms]:
    with local_esms() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def zalo_customer(customer: Any) -> Any:
    from haumai.customers.models import Identity

    Identity.objects.create(customer=customer, kind="zalo", value="zuid-1")
    return customer


def _zns_template(make_staff: Any) -> None:
    from haumai.messaging.services import create_template

    create_template(actor=make_staff("manager"), key="refund.sent", channel="zns", language="vi",
                    name="Refund ZNS", subject="", provider_template_id="231456",
                    body_text='{"customer_name": "{{ customer.name }}", "amount": "{{ refund.amount | vnd }}"}')


def _queue(customer: Any, channel: str, key: str = "k", template: str = "order.thank_you") -> Delivery:
    return queue_message(customer=customer, template_key=template, channel=channel, context=CONTEXT,
                         idempotency_key=key)


def _due_again(delivery: Delivery) -> None:
    clock.advance(dt.timedelta(hours=7))


def test_zalo_cs_message_is_sent(zalo: LocalZalo, zalo_customer: Any, run_worker: Any) -> None:
    delivery = _queue(zalo_customer, "zalo")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    _, headers, body = zalo.calls("/v3.0/oa/message/cs")[0]
    assert headers["access_token"] == zalo.access_token
    assert body["recipient"] == {"user_id": "zuid-1"}
    assert "DH-1" in body["message"]["text"]
    assert delivery.provider_message_id


def test_invalid_token_refreshes_rotates_and_retries_once(zalo: LocalZalo, zalo_customer: Any, run_worker: Any) -> None:
    old_refresh = zalo.refresh_token
    zalo.expire_access_token()
    delivery = _queue(zalo_customer, "zalo")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert zalo.refresh_count == 1
    credential = ZaloCredential.objects.get()
    assert credential.refresh_token == zalo.refresh_token != old_refresh
    assert credential.access_token == zalo.access_token
    assert len(zalo.calls("/v3.0/oa/message/cs")) == 2
    refresh = zalo.calls("/v4/oa/access_token")[0]
    assert refresh[1]["secret_key"] and refresh[2]["grant_type"] == "refresh_token"
    assert refresh[2]["refresh_token"] == old_refresh


def test_blocked_user_is_given_up_without_retry(zalo: LocalZalo, zalo_customer: Any, run_worker: Any) -> None:
    zalo.script("zuid-1", "blocked")
    delivery = _queue(zalo_customer, "zalo")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GIVEN_UP
    assert delivery.last_error_code == "zalo_-216"
    assert delivery.due_at is None
    from haumai.events.models import Event

    event = Event.objects.get(name="message.given_up")
    assert event.customer_id == zalo_customer.pk and event.payload["error_code"] == "zalo_-216"


def test_5xx_timeout_and_unknown_errors_are_retried_with_backoff(
    zalo: LocalZalo, zalo_customer: Any, run_worker: Any
) -> None:
    clock.freeze(NOW)
    zalo.script("zuid-1", "5xx", "slow", "unknown")
    delivery = _queue(zalo_customer, "zalo")
    codes = []
    for _ in range(3):
        run_worker()
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        codes.append(delivery.last_error_code)
        assert delivery.due_at == clock.now() + dt.timedelta(seconds=60 * 2 ** (delivery.attempt_count - 1))
        clock.freeze(delivery.due_at)
    assert codes == ["http_502", "timeout", "zalo_-999"]
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [a.outcome for a in delivery.attempts.all()] == ["failed", "failed", "failed", "sent"]
    assert delivery.attempts.all()[0].http_status == 502


def test_zns_template_message(zalo: LocalZalo, customer: Any, make_staff: Any, run_worker: Any) -> None:
    _zns_template(make_staff)
    delivery = _queue(customer, "zns", template="refund.sent")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    _, _, body = zalo.calls("/message/template")[0]
    assert body == {"phone": "84912345678", "template_id": "231456", "tracking_id": delivery.tracking_id,
                    "template_data": {"customer_name": "Nguyễn Thị Lan", "amount": "250.000 ₫"}}


def test_gives_up_after_max_attempts(zalo: LocalZalo, zalo_customer: Any, run_worker: Any, settings: Any) -> None:
    settings.HAUMAI_MESSAGING_MAX_ATTEMPTS = 2
    clock.freeze(NOW)
    zalo.script("zuid-1", "5xx", "5xx", "5xx")
    delivery = _queue(zalo_customer, "zalo")
    run_worker()
    clock.advance(dt.timedelta(hours=1))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.GIVEN_UP
    assert delivery.attempt_count == 2


def test_sms_through_esms(esms: LocalEsms, customer: Any, run_worker: Any) -> None:
    delivery = _queue(customer, "sms")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    sent = esms.delivered[0]
    assert sent["Phone"] == "0912345678" and sent["SmsType"] == "2" and sent["RequestId"] == delivery.tracking_id
    assert sent["Brandname"] == "HAUMAI" and sent["IsUnicode"] == "0"


@pytest.mark.parametrize(("answer", "status", "code"), [
    ("99", DeliveryStatus.GIVEN_UP, "esms_99"),
    ("108", DeliveryStatus.GIVEN_UP, "esms_108"),
    ("103", DeliveryStatus.FAILED, "esms_103"),
    ("5xx", DeliveryStatus.FAILED, "http_503"),
])
def test_esms_errors(esms: LocalEsms, customer: Any, run_worker: Any, answer: str, status: str, code: str) -> None:
    esms.script("0912345678", answer)
    delivery = _queue(customer, "sms")
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error_code) == (status, code)


def test_sms_timeout_then_resend_is_recognised_as_duplicate(esms: LocalEsms, customer: Any, run_worker: Any) -> None:
    clock.freeze(NOW)
    esms.script("0912345678", "slow")
    delivery = _queue(customer, "sms")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.last_error_code == "timeout"
    clock.advance(dt.timedelta(minutes=2))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(esms.delivered) == 1


def test_interrupted_email_becomes_unknown_and_is_not_resent(customer: Any, run_worker: Any, smtp: Any) -> None:
    clock.freeze(NOW)
    delivery = _queue(customer, "email")
    # The worker crashed after marking the delivery sending: nothing recorded the outcome.
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, attempt_count=1,
                                                   due_at=NOW + dt.timedelta(minutes=10))
    assert run_worker() == 0
    clock.advance(dt.timedelta(minutes=11))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert delivery.due_at is None
    assert smtp.messages == []
    assert delivery.attempts.get().outcome == "unknown"


def test_interrupted_sms_is_resent_with_the_same_request_id(esms: LocalEsms, customer: Any, run_worker: Any) -> None:
    clock.freeze(NOW)
    delivery = _queue(customer, "sms")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, attempt_count=1,
                                                   due_at=NOW + dt.timedelta(minutes=10))
    clock.advance(dt.timedelta(minutes=11))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert esms.delivered[0]["RequestId"] == delivery.tracking_id


def test_zalo_without_credentials_fails_with_a_clear_error(customer: Any, run_worker: Any, db: Any) -> None:
    from haumai.customers.models import Identity

    Identity.objects.create(customer=customer, kind="zalo", value="zuid-9")
    delivery = _queue(customer, "zalo")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error_code == "zalo_not_configured"


def test_template_version_is_kept_on_delivery_after_edit(customer: Any, make_staff: Any) -> None:
    template = Template.objects.get(key="order.thank_you", channel="sms", language="vi")
    before = _queue(customer, "sms", key="a")
    save_template_version(actor=make_staff("manager"), template=template, subject="", body_text="Don {{ order.code }}")
    after = _queue(customer, "sms", key="b")
    assert before.template_version_id != after.template_version_id
    assert after.body_text == "Don DH-1"


def test_portal_login_codes_go_by_sms_and_are_not_stored(esms: LocalEsms, settings: Any, db: Any) -> None:
    from haumai.messaging.services import SendFailed
    from haumai.portal.senders import send_code

    settings.HAUMAI_SMS_BACKEND = "haumai.portal.senders.MessagingSmsBackend"
    send_code("sms", "+84912345678", "123456")
    assert "123456" in esms.delivered[0]["Content"] and esms.delivered[0]["Phone"] == "0912345678"
    assert not Delivery.objects.exists()
    esms.script("0987654321", "103")
    with pytest.raises(SendFailed) as info:
        send_code("zalo", "+84987654321", "654321")
    assert "esms_103" in str(info.value)


def test_expiring_access_token_is_refreshed_before_sending(
    zalo: LocalZalo, zalo_customer: Any, run_worker: Any
) -> None:
    ZaloCredential.objects.update(access_expires_at=clock.now() + dt.timedelta(minutes=1))
    delivery = _queue(zalo_customer, "zalo")
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert zalo.refresh_count == 1 and len(zalo.calls("/v3.0/oa/message/cs")) == 1


def test_staff_settle_an_unknown_delivery(customer: Any, make_staff: Any, run_worker: Any, smtp: Any) -> None:
    from django.contrib.auth.models import Permission
    from django.test import Client
    from django.urls import reverse

    delivery = _queue(customer, "email")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.UNKNOWN, due_at=None, attempt_count=1)
    agent = Client()
    agent.force_login(make_staff("agent"))
    url = reverse("messaging:delivery_resolve", args=[delivery.pk])
    assert agent.post(url, {"resolution": "resend"}).status_code == 403
    manager = make_staff("manager")
    manager.user_permissions.add(Permission.objects.get(codename="resolve_delivery"))
    client = Client()
    client.force_login(manager)
    detail = client.get(reverse("messaging:delivery_detail", args=[delivery.pk])).content.decode()
    assert detail.count('name="resolution"') == 3
    client.post(url, {"resolution": "bogus"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.UNKNOWN
    assert client.post(url, {"resolution": "resend", "note": "eSMS/SMTP log shows nothing"}).status_code == 302
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(smtp.messages) == 1
    client.post(url, {"resolution": "give_up"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT  # only unknown deliveries can be settled
