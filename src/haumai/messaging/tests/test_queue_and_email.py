"""queue_message and the e-mail path through a real local SMTP server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.messaging.models import Delivery, DeliveryStatus, Template
from haumai.messaging.services import NoDestination, TemplateMissing, queue_message, save_template_version

ORDER = {
    "code": "DH-2026-000001",
    "total": 1234567,
    "placed_at": "2026-11-01T10:00:00+07:00",
    "delivered_at": None,
    "lines": [{"product": "Quạt điện", "sku": "Q-1", "quantity": 2}],
}


def _queue(customer: Any, key: str = "k1", **kwargs: Any) -> Delivery:
    params: dict[str, Any] = {
        "customer": customer,
        "template_key": "order.thank_you",
        "channel": "email",
        "context": {"customer": {"name": "Nguyễn Thị Lan", "first_name": "Lan", "code": customer.code},
                    "order": ORDER, "links": {"portal": "http://x/portal/"}},
        "idempotency_key": key,
    }
    params.update(kwargs)
    return queue_message(**params)


def test_queue_renders_vietnamese_and_is_idempotent(customer: Any) -> None:
    delivery = _queue(customer)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.language == "vi"
    assert delivery.destination == "lan@example.vn"
    assert "1.234.567 ₫" in delivery.body_text
    assert "DH-2026-000001" in delivery.subject
    assert "Quạt điện x 2" in delivery.body_text
    assert "/unsubscribe/" in delivery.body_text
    again = _queue(customer)
    assert again.pk == delivery.pk
    assert Delivery.objects.count() == 1


def test_english_customer_gets_english_and_unknown_language_falls_back(customer: Any) -> None:
    customer.preferred_language = "en"
    assert "Thank you" in _queue(customer, key="en").subject
    assert "Cảm ơn" in _queue(customer, key="fr", language="fr").subject


def test_missing_template_and_destination_are_refused(customer: Any) -> None:
    with pytest.raises(TemplateMissing):
        _queue(customer, template_key="no.such")
    with pytest.raises(NoDestination):
        _queue(customer, channel="zalo")
    assert Delivery.objects.count() == 0


def test_email_is_sent_by_the_worker_in_one_connection(customer: Any, smtp: Any, run_worker: Any) -> None:
    deliveries = [_queue(customer, key=f"k{i}") for i in range(5)]
    assert run_worker() == 5
    assert len(smtp.messages) == 5
    assert smtp.connections == 1
    message = smtp.messages[0]
    assert message["To"] == "lan@example.vn"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert "1.234.567 ₫" in message.get_body(("plain",)).get_content()
    assert "<p>" in message.get_body(("html",)).get_content()
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.attempts.get().outcome == "sent"
    assert run_worker() == 0


def test_refused_recipient_is_given_up_and_busy_is_retried(customer: Any, smtp: Any, run_worker: Any) -> None:
    customer.email = "reject@example.vn"
    rejected = _queue(customer, key="r")
    customer.email = "busy@example.vn"
    busy = _queue(customer, key="b")
    clock.freeze(dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC))
    rejected.due_at = busy.due_at = clock.now()
    Delivery.objects.bulk_update([rejected, busy], ["due_at"])
    run_worker()
    rejected.refresh_from_db()
    busy.refresh_from_db()
    assert rejected.status == DeliveryStatus.GIVEN_UP
    assert rejected.last_error_code == "smtp_550"
    assert busy.status == DeliveryStatus.FAILED
    assert busy.last_error_code == "smtp_451"
    assert busy.due_at == clock.now() + dt.timedelta(seconds=60)
    clock.advance(dt.timedelta(seconds=61))
    run_worker()
    busy.refresh_from_db()
    assert busy.attempt_count == 2
    assert busy.due_at == clock.now() + dt.timedelta(seconds=120)
    assert smtp.messages == []


def test_smtp_server_down_is_retried(customer: Any, settings: Any, run_worker: Any) -> None:
    from haumai.testing.smtp import free_port

    settings.HAUMAI_MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    delivery = _queue(customer)
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error_code == "smtp_connection"
    assert "Connection" in delivery.last_error_message or "refused" in delivery.last_error_message


def test_broken_template_gives_up_with_error_and_keeps_worker_alive(customer: Any, run_worker: Any) -> None:
    template = Template.objects.get(key="order.thank_you", channel="email", language="vi")
    version = template.current_version
    assert version is not None
    # Bypass validation as an old or imported template might.
    version.body_text = "{{ order.nothing_here }}"
    version.save()
    delivery = _queue(customer)
    assert delivery.status == DeliveryStatus.GIVEN_UP
    assert delivery.last_error_code == "template_error"
    assert "nothing_here" in delivery.last_error_message


def test_editing_creates_a_new_version_and_old_deliveries_keep_theirs(customer: Any, make_staff: Any) -> None:
    manager = make_staff("manager")
    first = _queue(customer, key="v1")
    template = Template.objects.get(key="order.thank_you", channel="email", language="vi")
    built_in = template.current_version.number  # 2: the built-in text gained the usage-guide link (knowledge)
    version = save_template_version(actor=manager, template=template, subject="Đơn {{ order.code }}",
                                    body_text="Xin chào {{ customer.name }}")
    assert version.number == built_in + 1
    second = _queue(customer, key="v2")
    assert first.template_version.number == built_in
    assert second.template_version_id == version.pk
    assert second.subject == "Đơn DH-2026-000001"


def test_invalid_template_is_rejected_at_save_and_nothing_changes(make_staff: Any, db: Any) -> None:
    from haumai.core.errors import ValidationFailed

    manager = make_staff("manager")
    template = Template.objects.get(key="refund.sent", channel="email", language="vi")
    for body in ("{{ refund.amount | vnd ", "{{ refund.nope }}", "{{ ''.__class__ }}"):
        with pytest.raises(ValidationFailed) as info:
            save_template_version(actor=manager, template=template, subject="S", body_text=body)
        assert info.value.errors[0].field == "body_text"
    template.refresh_from_db()
    assert template.versions.count() == 1


def test_values_cannot_break_the_subject_line(customer: Any) -> None:
    order = {**ORDER, "code": "DH-1\r\nBcc: attacker@example.com"}
    delivery = _queue(customer, context={"order": order, "links": {"portal": "http://x/"}})
    assert "\n" not in delivery.subject and "\r" not in delivery.subject


def test_bad_input_is_refused_with_field_errors(customer: Any) -> None:
    from haumai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        _queue(customer, channel="fax", purpose="spam", idempotency_key="")
    assert {e.field for e in info.value.errors} == {"channel", "purpose", "idempotency_key"}
    with pytest.raises(ValidationFailed):
        _queue(customer, channel="webhook")
    assert not Delivery.objects.exists()
