"""The worker side: claim due deliveries, mark them sending (committed), then call the providers.

A claimed batch is marked "sending" inside the scheduler's claim transaction; the provider calls run
after that transaction commits (`on_commit`), so a crash mid-send leaves rows in "sending" with a
due_at at the sending timeout. When that passes, `reconcile` resends only where the provider
deduplicates by our tracking id (eSMS RequestId, ZNS tracking_id, webhook X-Haumai-Delivery), and
otherwise marks the delivery "unknown" for a person to check: nothing is blindly sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import F, QuerySet

from haumai.core import clock
from haumai.events.services import record_events
from haumai.messaging import conf
from haumai.messaging.bulk import update_rows
from haumai.messaging.channels.base import Outcome, Sender
from haumai.messaging.models import AttemptOutcome, Delivery, DeliveryAttempt, DeliveryStatus

logger = logging.getLogger(__name__)

SOURCE_NAME = "messaging.deliveries"
FLUSH_EVERY = 100
# Providers that recognise a resent request by the tracking id we generated, so a resend is safe.
DEDUPLICATING_CHANNELS = {"sms", "zns", "webhook"}


def _sender_for(channel: str) -> Sender:
    if channel == "email":
        from haumai.messaging.channels.email import EmailSender

        return EmailSender()
    if channel in ("zalo", "zns"):
        from haumai.messaging.channels.zalo import ZaloSender

        return ZaloSender(channel)
    if channel == "sms":
        from haumai.messaging.channels.sms import sms_sender

        return sms_sender()
    if channel == "webhook":
        from haumai.messaging.channels.webhook import WebhookSender

        return WebhookSender()
    raise ValueError(f"no sender for channel {channel!r}")


def pending() -> QuerySet[Delivery]:
    """Deliveries due for a send or for reconciliation."""
    return Delivery.objects.filter(due_at__isnull=False)


def backoff(attempt: int) -> dt.timedelta:
    """Delay before the next attempt: base * 2^(attempt-1), capped."""
    seconds = min(conf.retry_base_seconds() * 2 ** max(attempt - 1, 0), conf.retry_max_seconds())
    return dt.timedelta(seconds=seconds)


def handle_due(rows: Sequence[Delivery]) -> None:
    """Scheduler handler (inside the claim transaction): mark due rows sending, send after commit."""
    now = clock.now()
    to_send: list[Delivery] = []
    settled: list[int] = []
    for delivery in rows:
        if delivery.status == DeliveryStatus.SENDING:
            if _reconcile(delivery, now):
                to_send.append(delivery)
        elif delivery.status in (DeliveryStatus.QUEUED, DeliveryStatus.FAILED):
            to_send.append(delivery)
        else:
            settled.append(delivery.pk)
    if settled:  # due but already settled (e.g. by a person): nothing to send
        Delivery.objects.filter(pk__in=settled).update(due_at=None)
    if not to_send:
        return
    sending_until = now + dt.timedelta(seconds=conf.sending_timeout_seconds())
    Delivery.objects.filter(pk__in=[d.pk for d in to_send]).update(
        status=DeliveryStatus.SENDING, attempt_count=F("attempt_count") + 1, due_at=sending_until, updated_at=now
    )
    for delivery in to_send:
        delivery.status = DeliveryStatus.SENDING
        delivery.attempt_count += 1
        delivery.due_at = sending_until
    transaction.on_commit(lambda: send_claimed(to_send, started_at=now))


def _reconcile(delivery: Delivery, now: dt.datetime) -> bool:
    """A delivery stuck in 'sending': resend if the provider deduplicates, else hand it to a person."""
    if delivery.channel in DEDUPLICATING_CHANNELS and delivery.attempt_count < conf.max_attempts():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempt_count,
            started_at=now,
            finished_at=now,
            outcome=AttemptOutcome.UNKNOWN,
            error_code="interrupted",
            error_message="The send was interrupted; resending with the same tracking id (the provider deduplicates).",
        )
        return True
    message = "The worker stopped during the send; check with the provider before resending."
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count,
        started_at=now,
        finished_at=now,
        outcome=AttemptOutcome.UNKNOWN,
        error_code="interrupted",
        error_message=message,
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.UNKNOWN, due_at=None, last_error_code="interrupted", last_error_message=message,
        updated_at=now,
    )
    logger.warning("messaging: delivery %s interrupted while sending; marked unknown", delivery.pk)
    return False


def send_claimed(
    deliveries: Sequence[Delivery], *, started_at: dt.datetime, sender_for: Callable[[str], Sender] | None = None
) -> None:
    """Send claimed deliveries channel by channel (one connection per channel), recording each outcome."""
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    make = sender_for or _sender_for
    for channel, batch in by_channel.items():
        results: list[tuple[Delivery, Outcome]] = []
        done: set[int] = set()
        try:
            for delivery, outcome in make(channel).send_batch(batch):
                results.append((delivery, outcome))
                done.add(delivery.pk)
                if len(results) >= FLUSH_EVERY:
                    record_outcomes(results, started_at=started_at)
                    results = []
        except Exception as exc:
            logger.exception("messaging: %s sender failed", channel)
            failure = Outcome.retry("worker_error", f"{type(exc).__name__}: {exc}")
            results += [(d, failure) for d in batch if d.pk not in done]
        if results:
            record_outcomes(results, started_at=started_at)


def record_outcomes(results: Sequence[tuple[Delivery, Outcome]], *, started_at: dt.datetime) -> None:
    """Write the attempts and the new delivery states of a batch of outcomes."""
    now = clock.now()
    attempts = []
    limit = conf.max_attempts()
    for delivery, outcome in results:
        attempts.append(
            DeliveryAttempt(
                delivery=delivery,
                number=delivery.attempt_count,
                started_at=started_at,
                finished_at=now,
                outcome=AttemptOutcome.SENT if outcome.sent else AttemptOutcome.FAILED,
                http_status=outcome.http_status,
                error_code=outcome.error_code[:60],
                error_message=outcome.error_message,
                provider_message_id=outcome.provider_message_id[:120],
            )
        )
        if outcome.sent:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.due_at = None
            delivery.provider_message_id = outcome.provider_message_id[:120]
        elif outcome.give_up or delivery.attempt_count >= limit:
            delivery.status = DeliveryStatus.GIVEN_UP
            delivery.due_at = None
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.due_at = now + backoff(delivery.attempt_count)
        if not outcome.sent:
            delivery.last_error_code = outcome.error_code[:60]
            delivery.last_error_message = outcome.error_message
        delivery.updated_at = now
    # Webhook give-ups are not events: a subscriber of "*" would be sent news of its own failures.
    given_up = [d for d, _ in results if d.status == DeliveryStatus.GIVEN_UP and d.channel != "webhook"]
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(attempts)
        if given_up:
            # On the customer's timeline (and for journeys that fall back to another channel).
            record_events([
                {
                    "name": "message.given_up",
                    "customer": d.customer if d.customer_id else None,
                    "subject": d,
                    "payload": {"delivery": d.pk, "channel": d.channel, "template_key": d.template_key,
                                "error_code": d.last_error_code},
                }
                for d in given_up
            ])
        update_rows(
            Delivery,
            [d for d, _ in results],
            [
                "status", "sent_at", "due_at", "provider_message_id",
                "last_error_code", "last_error_message", "updated_at",
            ],
        )


def run_once(*, batch_size: int = 500) -> int:
    """Claim and send one batch now (tests, the benchmark, `haumai` shell); returns rows handled."""
    from haumai.core import scheduler

    source = next(s for s in scheduler.registered() if s.name == SOURCE_NAME)
    return scheduler.run_source(source, batch_size=batch_size)

