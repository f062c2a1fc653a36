"""E-mail in: raw RFC 5322 bytes (from IMAP or the inbound-parse webhook) -> InboundMessage.

Hostile or broken mail is expected: a missing Message-ID gets a stable one from the bytes (so a re-poll
is still a replay), undecodable parts are read with replacement characters, HTML is sanitized later by
the ingestion, attachments come along and the ingestion keeps only those under the size limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from haumai.core import clock
from haumai.support.channels.inbound import InboundAttachment, InboundMessage

_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
MAX_THREAD_KEYS = 30


def message_ids(value: str | None) -> list[str]:
    """The ids of a Message-ID / In-Reply-To / References header, without angle brackets."""
    if not value:
        return []
    found = _MESSAGE_ID.findall(str(value))
    if not found and str(value).strip() and " " not in str(value).strip():
        found = [str(value).strip().strip("<>")]
    return [i[:255] for i in found]


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot decode is as good as absent
        return ""
    return str(value or "")


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _sent_at(message: Message) -> dt.datetime:
    try:
        value = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return clock.now()
    if value is None:
        return clock.now()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_email(raw: bytes, *, mailbox: str = "") -> InboundMessage:
    """Read a raw e-mail into the channel-neutral shape (never raises on broken content)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    ids = message_ids(_header(message, "Message-ID"))
    external_id = ids[0] if ids else "sha256:" + hashlib.sha256(raw).hexdigest()
    name, address = parseaddr(_header(message, "Reply-To") or _header(message, "From"))
    if not address:
        name, address = parseaddr(_header(message, "From"))
    keys = [*message_ids(_header(message, "In-Reply-To")), *message_ids(_header(message, "References"))]
    text, html = "", ""
    attachments: list[InboundAttachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        content_type = part.get_content_type()
        if disposition == "attachment" or (disposition == "inline" and part.get_filename()):
            data = part.get_payload(decode=True)
            attachments.append(
                InboundAttachment(
                    filename=str(part.get_filename() or "attachment"),
                    content_type=content_type,
                    content=data if isinstance(data, bytes) else b"",
                )
            )
        elif content_type == "text/plain" and not text:
            text = _text_of(part)
        elif content_type == "text/html" and not html:
            html = _text_of(part)
    recipients = [a for _n, a in getaddresses([_header(message, "To"), _header(message, "Cc")]) if a]
    return InboundMessage(
        channel="email",
        external_id=external_id[:255] if not external_id.startswith("sha256:") else external_id,
        sender_kind="email",
        sender_value=address.strip().lower(),
        sender_name=name.strip(),
        sent_at=_sent_at(message),
        subject=" ".join(_header(message, "Subject").split())[:255],
        text=text.strip(),
        html=html,
        thread_keys=tuple(dict.fromkeys(keys))[:MAX_THREAD_KEYS],
        account_id=mailbox or (recipients[0].lower() if recipients else ""),
        attachments=tuple(attachments),
    )


def as_email_message(raw: bytes) -> EmailMessage:
    """The parsed message (for tests and tools)."""
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed
