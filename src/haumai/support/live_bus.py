"""Notices for open live streams (the chat widget, the agent's ticket page): "this topic changed, read again".

Topics are `ticket:<id>` (the agent's page), `customer:<id>` and `visitor:<id>` (the widget). A notice
carries only its kind ("message" or "typing"); the stream that wakes reads the database (the truth) and
the cache (typing), so a lost notice costs latency, never data: each stream re-reads on its own every
few seconds anyway (`live_stream.SAFETY_SECONDS`).

A notice is sent after the transaction commits. It wakes this process's streams directly; with Redis
(`HAUMAI_REDIS_URL`, else `REDIS_URL`) it is also published on one pub/sub channel, and one listener
thread per web process (started with its first stream) wakes that process's streams: a reply posted
through one web process reaches a widget streaming from another. Without Redis (the embedded default,
one web process) the direct wake-up is the whole transport. Redis down: the publish fails with one log
line a minute, the local streams still wake, and the others catch up on their next re-read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("haumai.support.live")

CHANNEL = "haumai:support:live"
PROCESS = uuid.uuid4().hex  # a notice this process published is not delivered to it twice
WARN_EVERY_SECONDS = 60.0
RECONNECT_SECONDS = 1.0


def redis_url() -> str:
    """The Redis server for pub/sub between web processes ("" when there is none)."""
    for value in (getattr(settings, "HAUMAI_REDIS_URL", ""), os.environ.get("HAUMAI_REDIS_URL", ""),
                  getattr(settings, "REDIS_URL", "")):  # fmt: skip
        if value:
            return str(value)
    return ""


class Subscription:
    """One open stream's interest in some topics; woken from any thread, waited on by its own thread or loop."""

    def __init__(self, topics: Iterable[str], loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.topics: frozenset[str] = frozenset(topics)
        self._loop = loop
        self._async_event = asyncio.Event() if loop is not None else None
        self._event = threading.Event()
        self._kinds: set[str] = set()
        self._lock = threading.Lock()

    def notify(self, kind: str) -> None:
        with self._lock:
            self._kinds.add(kind)
        self._event.set()
        if self._loop is not None and self._async_event is not None:
            with contextlib.suppress(RuntimeError):  # the stream's loop already closed
                self._loop.call_soon_threadsafe(self._async_event.set)

    def take(self) -> set[str]:
        """The kinds of notices received since the last call (and clear them)."""
        with self._lock:
            kinds, self._kinds = self._kinds, set()
            self._event.clear()
            if self._async_event is not None:
                self._async_event.clear()
        return kinds

    def wait(self, timeout: float) -> set[str]:
        """Block this thread until a notice or `timeout` seconds; the kinds received."""
        self._event.wait(timeout)
        return self.take()

    async def wait_async(self, timeout: float) -> set[str]:
        """Await a notice or `timeout` seconds; the kinds received."""
        assert self._async_event is not None, "an async wait needs the subscription's loop"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._async_event.wait(), timeout)
        return self.take()


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_topic: dict[str, set[Subscription]] = {}

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                self._by_topic.setdefault(topic, set()).add(subscription)

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                members = self._by_topic.get(topic)
                if members is not None:
                    members.discard(subscription)
                    if not members:
                        del self._by_topic[topic]

    def deliver(self, topics: Iterable[str], kind: str) -> int:
        with self._lock:
            targets = {s for topic in topics for s in self._by_topic.get(topic, ())}
        for subscription in targets:
            subscription.notify(kind)
        return len(targets)

    def wake_all(self) -> None:
        with self._lock:
            targets = {s for members in self._by_topic.values() for s in members}
        for subscription in targets:
            subscription.notify("message")

    def count(self) -> int:
        with self._lock:
            return len({s for members in self._by_topic.values() for s in members})


_registry = _Registry()
_listener_lock = threading.Lock()
_listener: threading.Thread | None = None
_publisher: Any = None
_warned_at = -WARN_EVERY_SECONDS


def subscribe(topics: Iterable[str], *, loop: asyncio.AbstractEventLoop | None = None) -> Subscription:
    """Start hearing notices on these topics (and, with Redis, make sure this process listens to it)."""
    subscription = Subscription(topics, loop)
    _registry.add(subscription)
    if redis_url():
        _ensure_listener()
    return subscription


def resubscribe(subscription: Subscription, topics: Iterable[str]) -> Subscription:
    """The same subscription on another set of topics (the visitor became a known customer)."""
    wanted = frozenset(topics)
    if wanted == subscription.topics:
        return subscription
    _registry.remove(subscription)
    subscription.topics = wanted
    _registry.add(subscription)
    return subscription


def unsubscribe(subscription: Subscription) -> None:
    """The stream closed."""
    _registry.remove(subscription)


def open_streams() -> int:
    """How many streams this process has open (for tests and the health of the transport)."""
    return _registry.count()


def publish(topics: Iterable[str], kind: str = "message") -> None:
    """Tell the streams on these topics that something changed, once the current transaction commits."""
    names = sorted({t for t in topics if t})
    if names:
        transaction.on_commit(lambda: _send(names, kind))


def _send(topics: list[str], kind: str) -> None:
    _registry.deliver(topics, kind)
    url = redis_url()
    if not url:
        return
    global _publisher
    try:
        if _publisher is None:
            import redis

            _publisher = redis.Redis.from_url(url, socket_connect_timeout=0.3, socket_timeout=0.5)
        _publisher.publish(CHANNEL, json.dumps({"p": PROCESS, "t": topics, "k": kind}))
    except Exception as exc:  # redis errors and socket errors: the local streams were woken already
        _publisher = None
        _warn(f"publish failed ({type(exc).__name__}: {exc})")


def _warn(text: str) -> None:
    global _warned_at
    now = time.monotonic()
    if now - _warned_at >= WARN_EVERY_SECONDS:
        _warned_at = now
        logger.warning("Live chat notices through Redis: %s; streams re-read the database every few seconds", text)


def _ensure_listener() -> None:
    global _listener
    with _listener_lock:
        if _listener is not None and _listener.is_alive():
            return
        _listener = threading.Thread(target=_listen_forever, name="haumai-live-listener", daemon=True)
        _listener.start()


def _listen_forever() -> None:
    import redis

    while True:
        try:
            client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1, socket_timeout=30)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(CHANNEL)
            _registry.wake_all()  # notices sent while we were not listening: everyone re-reads
            while True:
                item = pubsub.get_message(timeout=10)
                if item is not None:
                    _dispatch(item.get("data"))
        except Exception as exc:  # keep listening whatever Redis does; the streams' re-reads cover the gap
            _warn(f"listener disconnected ({type(exc).__name__}: {exc})")
            time.sleep(RECONNECT_SECONDS)


def _dispatch(raw: Any) -> None:
    try:
        notice = json.loads(raw)
        if notice.get("p") == PROCESS:
            return
        _registry.deliver([str(t) for t in notice.get("t", [])], str(notice.get("k", "message")))
    except (TypeError, ValueError, AttributeError):
        logger.warning("Ignored a malformed live notice on %s", CHANNEL)
