"""Server-sent event streams for the chat widget and the agent's ticket page.

Under ASGI (`haumai web --interface asgi`) a stream is an async iterator: an open widget holds no thread
and no database connection while it waits; each wake-up reads in a worker thread and gives the
connection back. Under WSGI a stream would hold one of the worker's few request threads for as long as
the page is open, so by default (`HAUMAI_LIVE_STREAM=auto`) a WSGI server answers 204 and the page keeps
polling (EventSource stops on 204); `on` streams under WSGI too (tests, a one-person shop), `off`
never streams.

A stream wakes on a notice (`live_bus`), or every TYPING_CHECK_SECONDS to see whether a typing
indicator expired, and re-reads the messages at least every SAFETY_SECONDS. It closes itself after
MAX_SECONDS; the browser reconnects with `Last-Event-ID` (the newest message id it has).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from haumai.support import live_bus

TYPING_CHECK_SECONDS = 1.0
SAFETY_SECONDS = 10.0
KEEPALIVE_SECONDS = 15.0
MAX_SECONDS = 300.0
RETRY_MS = 1500


@dataclass
class Reading:
    """What one wake-up found: events to send ((name, data) pairs), the new cursor and the topics to hear."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    cursor: int = 0
    topics: frozenset[str] = frozenset()


# read(cursor, with_messages) -> Reading; runs in a thread with database access.
Reader = Callable[[int, bool], Reading]


def mode() -> str:
    """ "auto" (stream under ASGI, 204 under WSGI), "on" (stream under both) or "off"."""
    value = str(getattr(settings, "HAUMAI_LIVE_STREAM", "") or os.environ.get("HAUMAI_LIVE_STREAM", "auto"))
    return value if value in ("auto", "on", "off") else "auto"


def streams_here(request: HttpRequest) -> bool:
    """Whether this server streams (else the client polls)."""
    chosen = mode()
    return chosen == "on" or (chosen == "auto" and isinstance(request, ASGIRequest))


def start_cursor(request: HttpRequest) -> int | None:
    """The newest message id the client has: Last-Event-ID on a reconnect, else ?after (None when malformed)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after", "0")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _chunk(name: str, data: dict[str, Any], cursor: int) -> str:
    return f"id: {cursor}\nevent: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _read_and_release(read: Reader, cursor: int, with_messages: bool) -> Reading:
    try:
        return read(cursor, with_messages)
    finally:
        close_old_connections()  # back to the pool: a waiting stream holds no connection


class _Stream:
    def __init__(self, read: Reader, cursor: int, topics: frozenset[str]) -> None:
        self.read, self.cursor, self.topics = read, cursor, topics
        self.started = self.last_read = self.last_sent = time.monotonic()

    def first(self) -> list[str]:
        return [f"retry: {RETRY_MS}\n\n"]

    def due(self, kinds: set[str]) -> bool:
        return "message" in kinds or time.monotonic() - self.last_read >= SAFETY_SECONDS

    def chunks(self, reading: Reading, with_messages: bool) -> list[str]:
        now = time.monotonic()
        if with_messages:
            self.last_read = now
        self.cursor = max(self.cursor, reading.cursor)
        out = [_chunk(name, data, self.cursor) for name, data in reading.events]
        if not out and now - self.last_sent >= KEEPALIVE_SECONDS:
            out = [": keep-alive\n\n"]
        if out:
            self.last_sent = now
        return out

    def finished(self) -> bool:
        return time.monotonic() - self.started >= MAX_SECONDS

    async def events_async(self) -> AsyncIterator[str]:
        subscription = live_bus.subscribe(self.topics, loop=asyncio.get_running_loop())
        try:
            for chunk in self.first():
                yield chunk
            kinds = {"message"}
            while not self.finished():
                with_messages = self.due(kinds)
                reading = await sync_to_async(_read_and_release, thread_sensitive=False)(
                    self.read, self.cursor, with_messages
                )
                live_bus.resubscribe(subscription, reading.topics or self.topics)
                for chunk in self.chunks(reading, with_messages):
                    yield chunk
                kinds = await subscription.wait_async(TYPING_CHECK_SECONDS)
        finally:
            live_bus.unsubscribe(subscription)

    def events_sync(self) -> Iterator[str]:
        subscription = live_bus.subscribe(self.topics)
        try:
            yield from self.first()
            kinds = {"message"}
            while not self.finished():
                with_messages = self.due(kinds)
                reading = _read_and_release(self.read, self.cursor, with_messages)
                live_bus.resubscribe(subscription, reading.topics or self.topics)
                yield from self.chunks(reading, with_messages)
                kinds = subscription.wait(TYPING_CHECK_SECONDS)
        finally:
            live_bus.unsubscribe(subscription)


def event_stream(*, request: HttpRequest, read: Reader, cursor: int, topics: frozenset[str]) -> HttpResponseBase:
    """The text/event-stream response (async under ASGI), or 204 when this server does not stream."""
    if not streams_here(request):
        response = HttpResponse(status=204)
        response["Cache-Control"] = "no-store"
        return response
    stream = _Stream(read, cursor, topics)
    body = stream.events_async() if isinstance(request, ASGIRequest) else stream.events_sync()
    streaming = StreamingHttpResponse(body, content_type="text/event-stream; charset=utf-8")
    streaming["Cache-Control"] = "no-store"
    streaming["X-Accel-Buffering"] = "no"  # nginx: pass events through as they come
    return streaming
