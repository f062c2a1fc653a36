"""PostgreSQL: one sent message's outcome and the next message's start in one statement (one round trip).

The worker commits every message on its own (dispatch.py); written as separate statements in a transaction
that was six round trips per message, which a busy database turns into tens of milliseconds. This is the
common case (the previous message was sent) as a single autocommitted statement: the previous delivery
becomes 'sent' with its attempt row, and the next one is marked 'sending' by compare-and-set on its claim.
Anything else (a failure, a give-up with its event, SQLite, a caller's transaction) takes the ORM path.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from haumai.messaging.channels.base import Outcome
from haumai.messaging.models import Delivery, DeliveryAttempt, DeliveryStatus

_SQL = """
WITH done AS (
    UPDATE {delivery} SET status = 'sent', sent_at = %(now)s::timestamptz, due_at = NULL,
           provider_message_id = %(message_id)s::varchar, updated_at = %(now)s::timestamptz
    WHERE id = %(previous)s::bigint RETURNING id
), attempt AS (
    INSERT INTO {attempt} (delivery_id, number, started_at, finished_at, outcome, http_status, error_code,
                           error_message, provider_message_id)
    SELECT id, %(number)s::integer, %(started)s::timestamptz, %(now)s::timestamptz, 'sent', %(http)s::integer,
           '', '', %(message_id)s::varchar FROM done RETURNING id
), begun AS (
    UPDATE {delivery} SET status = 'sending', send_started_at = %(now)s::timestamptz,
           attempt_count = attempt_count + 1, due_at = %(until)s::timestamptz, updated_at = %(now)s::timestamptz
    WHERE id = %(next)s::bigint AND status = 'claimed' AND due_at = %(claimed)s::timestamptz RETURNING id
)
SELECT (SELECT count(*) FROM attempt), (SELECT count(*) FROM begun)
"""


def usable(outcomes: list[tuple[Delivery, Outcome]]) -> bool:
    """Whether the pending outcomes can go this way: PostgreSQL, autocommit, none or one 'sent'."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (not outcomes or (len(outcomes) == 1 and outcomes[0][1].sent))
    )


def sent_and_start(
    previous: tuple[Delivery, Outcome] | None,
    following: Delivery | None,
    *,
    now: dt.datetime,
    sending_until: dt.datetime,
) -> bool:
    """Record `previous` as sent and start `following` (claim still held) in one statement; True if started."""
    done, outcome = previous if previous else (None, None)
    message_id = outcome.provider_message_id[:120] if outcome else ""
    sql = _SQL.format(
        delivery=connection.ops.quote_name(Delivery._meta.db_table),
        attempt=connection.ops.quote_name(DeliveryAttempt._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "now": now,
                "previous": done.pk if done else None,
                "message_id": message_id,
                "number": done.attempt_count if done else 0,
                "started": (done.send_started_at or now) if done else now,
                "http": outcome.http_status if outcome else None,
                "next": following.pk if following else None,
                "claimed": following.due_at if following else None,
                "until": sending_until,
            },
        )
        row = cursor.fetchone()
    if done is not None:
        done.status, done.sent_at, done.due_at, done.provider_message_id = DeliveryStatus.SENT, now, None, message_id
    started = bool(row and row[1] == 1)
    if started and following is not None:
        following.status = DeliveryStatus.SENDING
        following.send_started_at = now
        following.attempt_count += 1
        following.due_at = sending_until
    return started
