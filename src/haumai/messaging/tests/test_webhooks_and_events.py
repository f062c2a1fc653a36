"""Outbound webhooks (signed, retried), context_for_event and the unsubscribe link."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock
from haumai.events.services import dispatch_events, record_event
from haumai.messaging.models import Delivery, DeliveryStatus, WebhookSubscription
from haumai.messaging.services import context_for_event, queue_message
from haumai.messaging.webhooks import forget_cached_subscriptions
from haumai.testing.zalo import LocalHttpServer

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


class Receiver(LocalHttpServer):
    """An outside system receiving our webhooks; answers scripted per event name."""

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, dict[str, Any]]:
        answer = self.next_answer(str(body.get("event", "")))
        return {"ok": 200, "5xx": 500, "gone": 410, "slow": -1}[answer], {"received": True}


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.HAUMAI_MESSAGING_HTTP_TIMEOUT = 2.0
    server = Receiver()
    server.start()
    forget_cached_subscriptions()
    yield server
    server.stop()
    forget_cached_subscriptions()


def _subscribe(receiver: Receiver, patterns: str = "return.*, refund.sent") -> WebhookSubscription:
    return WebhookSubscription.objects.create(name="ERP", url=f"{receiver.base_url}/hooks", secret="s3cret",
                                              event_patterns=patterns)


def test_matching_events_are_posted_signed(receiver: Receiver, customer: Any, run_worker: Any) -> None:
    _subscribe(receiver)
    approved = record_event(name="return.approved", customer=customer, payload={"return_code": "RMA-2026-000001"})
    other = record_event(name="order.created", customer=customer)
    dispatch_events([approved, other])
    dispatch_events([approved])  # a re-dispatch queues nothing new
    assert Delivery.objects.filter(channel="webhook").count() == 1
    run_worker()
    (_, headers, body), = receiver.calls("/hooks")
    assert body["event"] == "return.approved" and body["payload"] == {"return_code": "RMA-2026-000001"}
    assert body["customer"] == customer.code
    delivery = Delivery.objects.get(channel="webhook")
    raw = Delivery.objects.get(pk=delivery.pk).payload
    from haumai.messaging.channels.webhook import body_bytes

    expected = hmac.new(b"s3cret", headers["x-haumai-timestamp"].encode() + b"." + body_bytes(raw),
                        hashlib.sha256).hexdigest()
    assert headers["x-haumai-signature"] == f"sha256={expected}"
    assert headers["x-haumai-delivery"] == delivery.tracking_id
    assert delivery.status == DeliveryStatus.SENT


def test_webhook_failures_retry_with_backoff_and_410_gives_up(
    receiver: Receiver, customer: Any, run_worker: Any
) -> None:
    clock.freeze(NOW)
    _subscribe(receiver)
    receiver.script("return.approved", "5xx", "slow")
    receiver.script("refund.sent", "gone")
    dispatch_events([record_event(name="return.approved", customer=customer),
                     record_event(name="refund.sent", customer=customer)])
    run_worker()
    approved = Delivery.objects.get(template_key="return.approved")
    gone = Delivery.objects.get(template_key="refund.sent")
    assert (approved.status, approved.last_error_code) == (DeliveryStatus.FAILED, "http_500")
    assert (gone.status, gone.last_error_code) == (DeliveryStatus.GIVEN_UP, "http_410")
    clock.advance(dt.timedelta(seconds=61))
    run_worker()
    approved.refresh_from_db()
    assert (approved.last_error_code, approved.due_at) == ("timeout", clock.now() + dt.timedelta(seconds=120))
    clock.advance(dt.timedelta(seconds=121))
    run_worker()
    approved.refresh_from_db()
    assert approved.status == DeliveryStatus.SENT
    assert approved.attempts.count() == 3


def test_inactive_subscriptions_get_nothing(receiver: Receiver, customer: Any) -> None:
    subscription = _subscribe(receiver, patterns="*")
    subscription.is_active = False
    subscription.save()
    dispatch_events([record_event(name="return.approved", customer=customer)])
    assert not Delivery.objects.exists()


def test_context_for_order_event(customer: Any, db: Any) -> None:
    from haumai.catalog.models import Product
    from haumai.sales.models import Channel, Order, OrderLine

    product = Product.objects.create(sku="AP-1", name="Máy lọc không khí", search_key="may loc", price=2_000_000)
    channel = Channel.objects.create(code="web", name="Web", kind="website")
    order = Order.objects.create(code="DH-2026-000777", channel=channel, customer=customer, placed_at=NOW,
                                 total=4_000_000)
    OrderLine.objects.create(order=order, product=product, quantity=2, unit_price=2_000_000, line_total=4_000_000)
    event = record_event(name="order.delivered", customer=customer, subject=order, payload={"code": order.code})
    context = context_for_event(event)
    assert context["customer"] == {"name": "Nguyễn Thị Lan", "first_name": "Lan", "code": customer.code}
    assert context["order"]["total"] == 4_000_000
    assert context["order"]["lines"] == [{"product": "Máy lọc không khí", "sku": "AP-1", "quantity": 2}]
    assert context["links"]["order"].endswith("/portal/orders/DH-2026-000777/")
    assert context["links"]["portal"].startswith("http")
    delivery = queue_message(customer=customer, template_key="order.thank_you", channel="email", context=context,
                             idempotency_key="ctx")
    assert "4.000.000 ₫" in delivery.body_text


def test_context_for_a_subject_of_an_app_without_model_uses_the_payload(customer: Any) -> None:
    event = record_event(name="refund.sent", customer=customer,
                         payload={"refund_code": "RF-1", "amount": 150000, "reference": "RMA-1"})
    event.subject_type, event.subject_id = "payments.refund", "999999"
    context = context_for_event(event)
    assert context["refund"]["code"] == "RF-1" and context["refund"]["amount"] == 150000


def test_unsubscribe_link_withdraws_consent_on_post_only(customer: Any) -> None:
    from haumai.customers.models import Consent

    delivery = queue_message(customer=customer, template_key="birthday.greeting", channel="email", context={},
                             idempotency_key="u", purpose="marketing")
    url = delivery.payload["unsubscribe_url"]
    path = url.split("localhost:8000", 1)[1]
    client = Client()
    assert client.get(path).status_code == 200
    assert not Consent.objects.filter(customer=customer).exists()
    assert client.post(path).status_code == 200
    consent = Consent.objects.get(customer=customer)
    assert (consent.purpose, consent.channel, consent.granted) == ("marketing", "email", False)
    assert client.post(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 400


def test_return_events_carry_the_pickup_shipment_for_the_templates(customer: Any) -> None:
    event = record_event(name="return.picked_up", customer=customer, payload={"return_code": "RMA-2026-000042"})
    event.subject_type, event.subject_id = "returns.returnrequest", "999999"  # gone: values fall back to empty
    context = context_for_event(event)

    assert context["return"]["code"] == "RMA-2026-000042"
    assert set(context["shipment"]) == {"code", "carrier", "tracking", "status"}
    delivery = queue_message(customer=customer, template_key="return.picked_up", channel="email", context=context,
                             idempotency_key="picked-up")
    assert delivery.status != DeliveryStatus.GIVEN_UP, delivery.last_error_message
    assert "RMA-2026-000042" in delivery.body_text


def test_connecting_a_zalo_oa_stores_and_replaces_its_tokens(db: Any) -> None:
    from haumai.core.errors import ValidationFailed
    from haumai.messaging.models import ZaloCredential
    from haumai.messaging.services import connect_zalo_oa

    first = connect_zalo_oa(oa_id="oa-1", app_id="app", access_token="a1", refresh_token="r1", access_expires_at=NOW)
    again = connect_zalo_oa(oa_id="oa-1", app_id="app", access_token="a2", refresh_token="r2", access_expires_at=NOW)
    with pytest.raises(ValidationFailed):
        connect_zalo_oa(oa_id="oa-2", app_id="app", access_token="", refresh_token=" ", access_expires_at=None)

    assert first.pk == again.pk and ZaloCredential.objects.count() == 1
    again.refresh_from_db()
    assert (again.access_token, again.refresh_token, again.is_active) == ("a2", "r2", True)
