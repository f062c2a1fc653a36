"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives.

    with local_smtp() as smtp:
        smtp.configure(settings)          # pytest-django `settings`: Django's SMTP backend -> this server
        ...send...
        smtp.messages[0]["Subject"], smtp.messages[0].get_body(("plain",)).get_content()

Recipients whose address starts with `reject` are refused with 550 (permanent), with `busy` with
451 (temporary), like a real server would; `smtp.connections` counts SMTP sessions.
`local_smtp(delay=0.02)` answers each message's DATA only after that many seconds (a slow provider,
so a test can stop a worker in the middle of a batch); the message is kept before the wait.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalSmtp:
    """What the local server received: parsed messages with their envelopes."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    connections: int = 0
    delay: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def configure(self, settings: Any) -> None:
        """Point Django's SMTP backend (and messaging) at this server."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.HAUMAI_MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = self.host
        settings.EMAIL_PORT = self.port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5

    def to(self, address: str) -> list[EmailMessage]:
        """Messages whose envelope recipients include an address."""
        with self._lock:
            return [m for m, (_, rcpts) in zip(self.messages, self.envelopes, strict=True) if address in rcpts]


class _Handler:
    def __init__(self, store: LocalSmtp) -> None:
        self.store = store

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower().startswith("reject"):
            return "550 5.1.1 Mailbox unavailable"
        if address.lower().startswith("busy"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(raw)
        with self.store._lock:
            self.store.messages.append(message)
            self.store.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        if self.store.delay:
            await asyncio.sleep(self.store.delay)
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    store: LocalSmtp

    def connection_made(self, transport: Any) -> None:
        with self.store._lock:
            self.store.connections += 1
        super().connection_made(transport)


class _Controller(Controller):
    def __init__(self, store: LocalSmtp, **kwargs: Any) -> None:
        self.store = store
        super().__init__(_Handler(store), **kwargs)

    def factory(self) -> SMTP:
        server = _CountingSMTP(self.handler, enable_SMTPUTF8=True, hostname="haumai-test-smtp")
        server.store = self.store
        return server


@contextmanager
def local_smtp(*, delay: float = 0.0) -> Iterator[LocalSmtp]:
    """Run an SMTP server on a free 127.0.0.1 port for the duration of the block."""
    store = LocalSmtp(port=free_port(), delay=delay)
    controller = _Controller(store, hostname=store.host, port=store.port)
    controller.start()
    store.connections = 0  # start() opens one session itself to check the server is up
    try:
        yield store
    finally:
        controller.stop()
