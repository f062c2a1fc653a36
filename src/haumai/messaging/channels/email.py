"""E-mail over SMTP: HTML + text parts, List-Unsubscribe, one connection per batch."""

from __future__ import annotations

import contextlib
import smtplib
import socket
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address

from haumai.messaging import conf
from haumai.messaging.channels import mime
from haumai.messaging.channels.base import Outcome
from haumai.messaging.models import Delivery

THREADING_HEADERS = ("Message-ID", "In-Reply-To", "References")


def _classify(exc: Exception) -> Outcome:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()), (0, b""))
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        if 500 <= int(code) < 600:
            return Outcome.permanent(f"smtp_{code}", f"Recipient refused: {text}")
        return Outcome.retry(f"smtp_{code}", f"Recipient refused for now: {text}")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
            return Outcome.permanent(f"smtp_{exc.smtp_code}", text)
        return Outcome.retry(f"smtp_{exc.smtp_code}", text)
    if isinstance(exc, (smtplib.SMTPException, OSError, socket.timeout)):
        return Outcome.retry("smtp_connection", f"{type(exc).__name__}: {exc}")
    return Outcome.retry("email_error", f"{type(exc).__name__}: {exc}")


def _headers(delivery: Delivery) -> dict[str, str]:
    headers = {"X-Haumai-Delivery": delivery.tracking_id}
    # Threading headers of a support reply (Message-ID, In-Reply-To, References), set by the caller.
    for name, value in ((delivery.payload or {}).get("headers") or {}).items():
        if name in THREADING_HEADERS and isinstance(value, str):
            headers[name] = value
    unsubscribe = (delivery.payload or {}).get("unsubscribe_url")
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def build_message(delivery: Delivery, connection: Any = None) -> EmailMultiAlternatives:
    """The e-mail of a delivery, with the unsubscribe headers when a link is known."""
    headers = _headers(delivery)
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.body_text,
        from_email=conf.email_from() or None,
        to=[delivery.destination],
        headers=headers,
        connection=connection,
    )
    if delivery.body_html:
        message.attach_alternative(delivery.body_html, "text/html")
    return message


def _envelope_from(sender: str) -> str | None:
    try:
        return sanitize_address(sender, "utf-8")
    except ValueError:
        return None  # Django's builder reports the bad sender for each message


def _send_one(connection: Any, delivery: Delivery, sender: str, envelope_from: str | None) -> None:
    """Send through Django's SMTP connection with our fast builder when it applies, else through Django."""
    raw = None
    if envelope_from and isinstance(connection, SmtpBackend) and connection.connection is not None:
        raw = mime.message_bytes(
            from_email=sender, to=delivery.destination, subject=delivery.subject, text=delivery.body_text,
            html=delivery.body_html, headers=_headers(delivery),
        )  # fmt: skip
    if raw is None:
        build_message(delivery, connection).send(fail_silently=False)
        return
    connection.connection.sendmail(envelope_from, [delivery.destination], raw)


class EmailSender:
    """Sends a batch through one SMTP connection (reopened once if the server drops it)."""

    def send_batch(self, deliveries: Iterable[Delivery]) -> Iterator[tuple[Delivery, Outcome]]:
        connection = get_connection(backend=conf.email_backend(), fail_silently=False)
        sender = conf.email_from() or str(settings.DEFAULT_FROM_EMAIL)
        envelope_from = _envelope_from(sender)
        opened = False
        try:
            for delivery in deliveries:
                if not opened:
                    try:
                        connection.open()
                        opened = True
                    except Exception as exc:
                        yield delivery, _classify(exc)
                        continue
                try:
                    _send_one(connection, delivery, sender, envelope_from)
                except smtplib.SMTPServerDisconnected as exc:
                    opened = False
                    _close(connection)
                    yield delivery, _classify(exc)
                except Exception as exc:
                    yield delivery, _classify(exc)
                else:
                    yield delivery, Outcome.ok(provider_message_id=delivery.tracking_id)
        finally:
            if opened:
                _close(connection)


def _close(connection: Any) -> None:
    # Closing a broken connection may fail; there is nothing left to do with it.
    with contextlib.suppress(Exception):
        connection.close()
