"""IMAP polling of the support mailbox, resumable: the cursor (UIDVALIDITY, last UID) advances after each
message is stored, so a poll cut short by a dropped connection or a crash resumes where it stopped.

A server that is down just fails this poll (the error is kept on the cursor); nothing is marked read or
deleted on the server, and a message seen twice is a replay (Message-ID is the idempotency key). When the
server's UIDVALIDITY changes, the UIDs mean something else: the folder is read again from the start and
the ingestion's deduplication keeps it to the new messages.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from haumai.core import clock
from haumai.support import conf
from haumai.support.channels.email import parse_email
from haumai.support.models import MailboxCursor, Message
from haumai.support.services.ingest import external_key, ingest_inbound

logger = logging.getLogger(__name__)
BATCH = 50


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    use_ssl: bool = False
    timeout: float = 30.0

    @property
    def key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass
class PollResult:
    stored: int = 0
    seen: int = 0
    error: str = ""


def _connect(config: MailboxConfig) -> imaplib.IMAP4:
    if config.use_ssl:
        return imaplib.IMAP4_SSL(config.host, config.port, timeout=config.timeout)
    return imaplib.IMAP4(config.host, config.port, timeout=config.timeout)


def _uid_validity(client: imaplib.IMAP4) -> int:
    """The UIDVALIDITY the server announced when the folder was selected."""
    _typ, data = client.response("UIDVALIDITY")
    for item in data or []:
        if item:
            return int(item)
    return 0


def poll_mailbox(config: MailboxConfig, *, limit: int = 500) -> PollResult:
    """Fetch and ingest the messages after the stored cursor (at most `limit` per call)."""
    cursor, _created = MailboxCursor.objects.get_or_create(mailbox=config.key[:255])
    result = PollResult()
    try:
        client = _connect(config)
    except (OSError, imaplib.IMAP4.error) as exc:
        return _failed(cursor, result, exc)
    try:
        client.login(config.user, config.password)
        typ, _data = client.select(f'"{config.folder}"', readonly=True)
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {config.folder}")
        validity = _uid_validity(client)
        if validity != cursor.uid_validity:
            # New or rebuilt folder: the UIDs start over, so must we (replays are skipped by Message-ID).
            cursor.uid_validity, cursor.last_uid = validity, 0
            cursor.save(update_fields=["uid_validity", "last_uid"])
        typ, data = client.uid("search", f"UID {cursor.last_uid + 1}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > cursor.last_uid)[:limit]
        for uid in uids:
            typ, fetched = client.uid("fetch", str(uid), "(BODY.PEEK[])")
            raw = next((part[1] for part in fetched or [] if isinstance(part, tuple)), None)
            if typ != "OK" or raw is None:
                raise imaplib.IMAP4.error(f"cannot fetch UID {uid}")
            result.seen += 1
            parsed = parse_email(raw, mailbox=config.user)
            with transaction.atomic():
                known = Message.objects.filter(channel="email", external_id=external_key(parsed)).exists()
                ingest_inbound(parsed)
                # Advance in the same transaction as the stored message: both or neither.
                MailboxCursor.objects.filter(pk=cursor.pk).update(last_uid=uid)
                cursor.last_uid = uid
                result.stored += 0 if known else 1
    except (TimeoutError, OSError, imaplib.IMAP4.error, imaplib.IMAP4.abort) as exc:
        return _failed(cursor, result, exc)
    finally:
        try:
            client.logout()
        except Exception:  # the connection may already be gone
            logger.debug("IMAP logout failed", exc_info=True)
    cursor.last_polled_at, cursor.last_error = clock.now(), ""
    cursor.save(update_fields=["last_polled_at", "last_error"])
    return result


def _failed(cursor: MailboxCursor, result: PollResult, exc: BaseException) -> PollResult:
    result.error = f"{type(exc).__name__}: {exc}"[:500]
    MailboxCursor.objects.filter(pk=cursor.pk).update(last_error=result.error, last_polled_at=clock.now())
    logger.warning("IMAP poll of %s failed: %s", cursor.mailbox, result.error)
    return result


def configured_mailbox() -> MailboxConfig | None:
    """The mailbox HAUMAI_SUPPORT_IMAP_* names, or None when no host and user are set."""
    values = conf.imap_settings()
    if not values["host"] or not values["user"]:
        return None
    use_ssl = values["ssl"].lower() in ("1", "true", "yes")
    return MailboxConfig(
        host=values["host"],
        port=int(values["port"] or (993 if use_ssl else 143)),
        user=values["user"],
        password=values["password"],
        folder=values["folder"] or "INBOX",
        use_ssl=use_ssl,
    )


def pending_polls() -> QuerySet[MailboxCursor]:
    """The scheduler source: the configured mailbox's cursor, due every HAUMAI_SUPPORT_IMAP_EVERY_SECONDS.

    Its row is claimed with SKIP LOCKED like any due row, so two workers never poll the mailbox at once.
    """
    config = configured_mailbox()
    if config is None:
        return MailboxCursor.objects.none()
    cursor, _created = MailboxCursor.objects.get_or_create(mailbox=config.key[:255], defaults={"due_at": clock.now()})
    if cursor.due_at is None:  # a cursor a manual poll made before the worker polled: due now
        MailboxCursor.objects.filter(pk=cursor.pk, due_at__isnull=True).update(due_at=clock.now())
    return MailboxCursor.objects.filter(pk=cursor.pk)


def handle_due_polls(rows: Sequence[MailboxCursor]) -> None:
    """Poll the mailbox once and set the next poll, whether this one worked or not (the error stays on the row)."""
    config = configured_mailbox()
    later = clock.now() + dt.timedelta(seconds=conf.imap_every_seconds())
    MailboxCursor.objects.filter(pk__in=[row.pk for row in rows]).update(due_at=later)
    if config is not None and any(row.mailbox == config.key[:255] for row in rows):
        poll_mailbox(config)
