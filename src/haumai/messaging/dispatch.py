"""The worker side: claim due deliveries, then start and send them one at a time.

A claimed batch is marked "claimed" (with a claim expiry in `due_at`) inside the scheduler's claim
transaction; the provider calls run after that transaction commits (`on_commit`). Right before each
provider call the delivery alone is marked "sending" with `send_started_at`, and that is COMMITTED
(compare-and-set on the claim, so a claim that ran out during a long batch is dropped unsent). The
outcome of one message is written in the same transaction as the start of the next one.

So a worker killed mid-batch leaves: the messages already answered recorded; at most the one in
flight "sending"; the rest "claimed". When a claim expires, the message returns to the queue (it was
never sent). When the sending timeout of a started message passes, `_reconcile` resends only where the
provider deduplicates by our tracking id (eSMS RequestId, ZNS tracking_id, webhook X-Haumai-Delivery),
and otherwise marks the delivery "unknown" for a person to check: nothing is blindly sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence

from django.db import transaction
from django.db.models import F, QuerySet

from haumai.core import clock
from haumai.events.services import record_events
from haumai.messaging import conf, sendstep
from haumai.messaging.bulk import update_rows
from haumai.messaging.channels.base import Outcome, Sender
from haumai.messaging.models import AttemptOutcome, Delivery, DeliveryAttempt, DeliveryStatus, Purpose
from haumai.privacy import restrictions

logger = logging.getLogger(__name__)

SOURCE_NAME = "messaging.deliveries"
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
    """Scheduler handler (inside the claim transaction): claim due rows; they are sent after commit."""
    now = clock.now()
    to_send: list[Delivery] = []
    settled: list[int] = []
    expired = 0
    for delivery in rows:
        if delivery.status == DeliveryStatus.SENDING:
            if _reconcile(delivery, now):
                to_send.append(delivery)
        elif delivery.status == DeliveryStatus.CLAIMED:
            # The claim ran out before the send started (the worker died or fell behind): nothing was
            # sent, so it simply goes out again.
            expired += 1
            to_send.append(delivery)
        elif delivery.status in (DeliveryStatus.QUEUED, DeliveryStatus.FAILED):
            to_send.append(delivery)
        else:
            settled.append(delivery.pk)
    if settled:  # due but already settled (e.g. by a person): nothing to send
        Delivery.objects.filter(pk__in=settled).update(due_at=None)
    if expired:
        logger.info("messaging: %d claimed deliveries whose send never started are sent again", expired)
    to_send = _drop_restricted(to_send, now)
    if not to_send:
        return
    claimed_until = now + dt.timedelta(seconds=conf.claim_timeout_seconds())
    Delivery.objects.filter(pk__in=[d.pk for d in to_send]).update(
        status=DeliveryStatus.CLAIMED, due_at=claimed_until, updated_at=now
    )
    for delivery in to_send:
        delivery.status = DeliveryStatus.CLAIMED
        delivery.due_at = claimed_until
    transaction.on_commit(lambda: send_claimed(to_send))


def restricted_purpose(delivery: Delivery) -> str:
    """The restriction purpose that stops this delivery ("" for a service message about the contract)."""
    if delivery.purpose == Purpose.MARKETING:
        return "marketing"
    return "automated_care" if delivery.source.startswith("journey:") else ""


def _drop_restricted(deliveries: list[Delivery], now: dt.datetime) -> list[Delivery]:
    """Give up, unsent, the marketing and journey messages of customers who restricted that processing.

    Checked at claim time (one query per batch), so a restriction set after the message was queued still
    stops it; service messages about orders, returns and warranty (the contract) go on."""
    candidates = [d for d in deliveries if d.customer_id and restricted_purpose(d)]
    if not candidates:
        return deliveries
    stopped = restrictions.purposes_in_force(d.customer_id for d in candidates if d.customer_id)
    dropped = {d.pk for d in candidates if restricted_purpose(d) in stopped.get(d.customer_id or 0, ())}
    if not dropped:
        return deliveries
    Delivery.objects.filter(pk__in=dropped).update(
        status=DeliveryStatus.GIVEN_UP, due_at=None, last_error_code="restricted", updated_at=now,
        last_error_message="The customer restricted this processing (privacy); not sent.",
    )  # fmt: skip
    logger.info("messaging: %d deliveries not sent: the customer restricted that processing", len(dropped))
    return [d for d in deliveries if d.pk not in dropped]


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


def start_sending(delivery: Delivery) -> bool:
    """Mark one claimed delivery 'sending' right before its provider call; False if the claim is gone.

    Compare-and-set on the claim expiry: a claim that expired (and may have been taken by another
    worker meanwhile) is not sent here. Call inside a transaction that commits before the provider call.
    """
    now = clock.now()
    claimed_until = delivery.due_at
    if delivery.status != DeliveryStatus.CLAIMED or claimed_until is None or claimed_until <= now:
        return False
    sending_until = now + dt.timedelta(seconds=conf.sending_timeout_seconds())
    started = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.CLAIMED, due_at=claimed_until).update(
        status=DeliveryStatus.SENDING,
        send_started_at=now,
        attempt_count=F("attempt_count") + 1,
        due_at=sending_until,
        updated_at=now,
    )
    if started != 1:
        return False
    delivery.status = DeliveryStatus.SENDING
    delivery.send_started_at = now
    delivery.attempt_count += 1
    delivery.due_at = sending_until
    return True


class _ChannelRun:
    """One channel's claimed deliveries on their way through its sender, committed one at a time."""

    def __init__(self, deliveries: Sequence[Delivery]) -> None:
        self.deliveries = list(deliveries)
        self.offered: set[int] = set()
        self.started: dict[int, Delivery] = {}
        self.answered: set[int] = set()
        self.outcomes: list[tuple[Delivery, Outcome]] = []

    def feed(self) -> Iterator[Delivery]:
        """The deliveries for the sender, each started (committed) only when the sender asks for it."""
        for delivery in self.deliveries:
            self.offered.add(delivery.pk)
            # The previous message's outcome and this one's start: one commit per message.
            if sendstep.usable(self.outcomes):
                started = self._fast_step(delivery)
            else:
                with transaction.atomic():
                    self._flush()
                    started = start_sending(delivery)
            if started:
                self.started[delivery.pk] = delivery
                yield delivery
            else:
                logger.info("messaging: delivery %s not sent: its claim expired before the send", delivery.pk)

    def answer(self, delivery: Delivery, outcome: Outcome) -> None:
        """Keep a sender's outcome; it is written with the next start (or when the run closes)."""
        if delivery.pk in self.started and delivery.pk not in self.answered:
            self.answered.add(delivery.pk)
            self.outcomes.append((delivery, outcome))

    def close(self, failure: Outcome | None) -> None:
        """Write what is left; started but unanswered ones failed, never-offered ones go back to the queue."""
        unanswered = [d for pk, d in self.started.items() if pk not in self.answered]
        if unanswered:
            outcome = failure or Outcome.retry("worker_error", "The sender returned no outcome for this delivery")
            self.outcomes += [(d, outcome) for d in unanswered]
        unoffered = [d for d in self.deliveries if d.pk not in self.offered]
        with transaction.atomic():
            self._flush()
            if unoffered:
                _release(unoffered, failure)

    def _fast_step(self, delivery: Delivery) -> bool:
        now = clock.now()
        claimed_until = delivery.due_at
        held = delivery.status == DeliveryStatus.CLAIMED and claimed_until is not None and claimed_until > now
        sending_until = now + dt.timedelta(seconds=conf.sending_timeout_seconds())
        previous = self.outcomes[0] if self.outcomes else None
        self.outcomes = []
        return sendstep.sent_and_start(previous, delivery if held else None, now=now, sending_until=sending_until)

    def _flush(self) -> None:
        if self.outcomes:
            record_outcomes(self.outcomes)
            self.outcomes = []


def _release(deliveries: Sequence[Delivery], failure: Outcome | None) -> None:
    """Give claimed deliveries that were never started back to the queue (after the retry delay)."""
    now = clock.now()
    retry_at = now + backoff(1)
    groups: dict[tuple[str, dt.datetime | None], list[int]] = {}
    for delivery in deliveries:
        back_to = DeliveryStatus.FAILED if delivery.attempt_count else DeliveryStatus.QUEUED
        groups.setdefault((back_to, delivery.due_at), []).append(delivery.pk)
    extra: dict[str, str] = {}
    if failure is not None:
        extra = {"last_error_code": failure.error_code[:60], "last_error_message": failure.error_message}
    for (status, claimed_until), pks in groups.items():
        Delivery.objects.filter(pk__in=pks, status=DeliveryStatus.CLAIMED, due_at=claimed_until).update(
            status=status, due_at=retry_at, updated_at=now, **extra
        )


def send_claimed(deliveries: Sequence[Delivery], *, sender_for: Callable[[str], Sender] | None = None) -> None:
    """Send claimed deliveries channel by channel (one connection per channel), recording each outcome."""
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    make = sender_for or _sender_for
    for channel, batch in by_channel.items():
        run = _ChannelRun(batch)
        failure = None
        try:
            for delivery, outcome in make(channel).send_batch(run.feed()):
                run.answer(delivery, outcome)
        except Exception as exc:
            logger.exception("messaging: %s sender failed", channel)
            failure = Outcome.retry("worker_error", f"{type(exc).__name__}: {exc}")
        run.close(failure)


def record_outcomes(results: Sequence[tuple[Delivery, Outcome]]) -> None:
    """Write the attempts and the new delivery states of a batch of outcomes."""
    now = clock.now()
    attempts = []
    limit = conf.max_attempts()
    for delivery, outcome in results:
        attempts.append(
            DeliveryAttempt(
                delivery=delivery,
                number=delivery.attempt_count,
                started_at=delivery.send_started_at or now,
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
    with transaction.atomic(savepoint=False):
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

