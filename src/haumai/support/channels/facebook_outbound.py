"""Replies to Facebook Messenger tickets through the Send API, from the worker.

Before a reply is stored, `check_can_send` applies Messenger's rule for `messaging_type=RESPONSE`: the
page may answer only within 24 hours of the person's last message (later, Meta refuses with code 10 /
subcode 2018278), and only someone who wrote to the page (their page-scoped id is the thread key
`facebook:<page id>:<PSID>`). A refusal is the agent's error at once, and nothing is stored.

An accepted reply is stored "queued" with `delivery_due_at` = now; the scheduler source
`support.facebook` claims due replies (SKIP LOCKED on PostgreSQL: two workers never send one reply),
posts `POST /me/messages` with the page access token and records the answer: "sent" with Meta's
`message_id`, or "failed" with the reason the agent sees on the message. A transient failure (network,
HTTP 5xx, `is_transient`) is tried again with backoff, MAX_ATTEMPTS times in all. A worker that dies
between Meta's answer and the commit sends that reply again on the next claim (at least once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict
from haumai.support.channels import facebook
from haumai.support.models import DeliveryState, Direction, Message, ThreadKey

WINDOW = dt.timedelta(hours=24)
MAX_ATTEMPTS = 4
BACKOFF_SECONDS = (5, 30, 120)
SOURCE_NAME = "support.facebook"


def recipient(ticket: Any) -> tuple[str, str] | None:
    """(page id, PSID) of the Messenger conversation this ticket belongs to, or None."""
    keys = ThreadKey.objects.filter(ticket=ticket, channel="facebook", key__startswith="facebook:")
    for key in keys.order_by("-id").values_list("key", flat=True):
        _prefix, page, psid = key.split(":", 2) if key.count(":") >= 2 else ("", "", "")
        if page and psid:
            return page, psid
    return None


def last_customer_message_at(ticket: Any) -> dt.datetime | None:
    """When the person last wrote on this ticket through Messenger."""
    return (
        Message.objects.filter(ticket=ticket, direction=Direction.INBOUND, channel="facebook")
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def check_can_send(ticket: Any) -> None:
    """Refuse a reply Messenger would refuse: no recipient, or 24 hours past the person's last message."""
    if recipient(ticket) is None:
        raise Conflict(_("This ticket has no Messenger conversation to answer"), code="no_recipient")
    last = last_customer_message_at(ticket)
    if last is None or clock.now() - last > WINDOW:
        raise Conflict(
            _(
                "Facebook accepts a reply only within 24 hours of the customer's last message; "
                "reach them by phone or e-mail instead"
            ),
            code="messaging_window_closed",
        )


def send(ticket: Any, message: Any) -> str:
    """The registered sender (inside the reply's transaction): due for the worker now; "queued"."""
    Message.objects.filter(pk=message.pk).update(delivery_due_at=clock.now(), delivery_error="")
    return DeliveryState.QUEUED


def pending() -> QuerySet[Message]:
    """Replies waiting for a (first or next) attempt."""
    return Message.objects.filter(delivery_due_at__isnull=False, channel="facebook")


def handle_due(rows: Sequence[Message]) -> None:
    """Scheduler handler (inside the claim transaction, the rows locked): send each and record the answer."""
    for message in rows:
        deliver(message)


def deliver(message: Message) -> Message:
    """One attempt for one claimed reply."""
    if message.delivery_state != DeliveryState.QUEUED:
        Message.objects.filter(pk=message.pk).update(delivery_due_at=None)
        return message
    target = recipient(message.ticket)
    attempts = message.delivery_attempts + 1
    if target is None:
        result = facebook.SendResult(ok=False, error_code="no_recipient", message="")
    else:
        result = facebook.send_text(page_id=target[0], psid=target[1], text=message.body_text)
    fields: dict[str, Any] = {"delivery_attempts": attempts}
    if result.ok:
        fields.update(delivery_state=DeliveryState.SENT, delivery_due_at=None, delivery_error="",
                      external_id=result.message_id or None)  # fmt: skip
    elif result.retryable and attempts < MAX_ATTEMPTS:
        wait = BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
        fields.update(delivery_due_at=clock.now() + dt.timedelta(seconds=wait),
                      delivery_error=_error_text(result))  # fmt: skip
    else:
        fields.update(delivery_state=DeliveryState.FAILED, delivery_due_at=None, delivery_error=_error_text(result))
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
    return message


def _error_text(result: facebook.SendResult) -> str:
    return f"{result.error_code}: {result.message}"[:300] if result.message else result.error_code[:300]


def problem(message: Any) -> str:
    """What the agent reads about a reply Messenger did not take (translated), or ""."""
    raw = getattr(message, "delivery_error", "") or ""
    if not raw or message.delivery_state not in (DeliveryState.FAILED, DeliveryState.QUEUED):
        return ""
    code, _sep, detail = raw.partition(": ")
    known = {
        "facebook_190": _("The page's access token is invalid or expired: reconnect the Facebook page"),
        "facebook_10": _("Outside Facebook's 24-hour reply window: reach the customer another way"),
        "facebook_551": _("This person is not available on Messenger right now"),
        "unknown_page": _("The Facebook page of this conversation is not connected"),
        "no_recipient": _("This ticket has no Messenger conversation to answer"),
    }
    if message.delivery_state == DeliveryState.QUEUED:
        return _("Facebook did not take it yet; trying again")
    text = known.get(code) or _("Facebook refused the message")
    return f"{text} ({detail})" if detail and code not in known else text
