"""The Redis cache of a multi-process deployment that keeps the product working when Redis does not answer.

Haumai's source of truth is the database; the cache holds only short-lived helpers (typing indicators,
the chat widget's rate limits, availability). When Redis is down or slow, every cache call falls back to
this process's memory cache instead of failing the request, and one warning per minute says so in the
log. After a failure Redis is not asked again for RETRY_SECONDS (no connect timeout on every request);
then the next call tries it again. What was written to the fallback stays per process (rate limits and
typing indicators are then counted per web process until Redis is back).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("haumai.cache")

RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
T = TypeVar("T")


class ResilientRedisCache(RedisCache):
    """django's RedisCache; any Redis error answers from a per-process memory cache instead."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        # A dead or unreachable Redis must cost milliseconds, not the OS's connect timeout.
        options.setdefault("socket_connect_timeout", 0.3)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._fallback = LocMemCache(f"haumai-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._warned_at = -WARN_EVERY_SECONDS
        self._lock = threading.Lock()

    @property
    def redis_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _call(self, name: str, redis_call: Callable[[], T], fallback_call: Callable[[], T]) -> T:
        if not self.redis_available:
            return fallback_call()
        try:
            return redis_call()
        except Exception as exc:  # redis.exceptions.RedisError and socket errors: never fail the request
            if isinstance(exc, ValueError):  # incr of a missing key: Django's own contract, not an outage
                raise
            now = time.monotonic()
            with self._lock:
                self._down_until = now + RETRY_SECONDS
                warn = now - self._warned_at >= WARN_EVERY_SECONDS
                if warn:
                    self._warned_at = now
            if warn:
                logger.warning(
                    "Redis cache unavailable (%s: %s during %s); this process uses its own memory cache and "
                    "retries Redis every %.0f s", type(exc).__name__, exc, name, RETRY_SECONDS,
                )
            return fallback_call()

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", lambda: super(ResilientRedisCache, self).get(key, default, version),
                          lambda: self._fallback.get(key, default, version))

    def set(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> None:
        self._call("set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
                   lambda: self._fallback.set(key, value, timeout, version))

    def add(self, key: Any, value: Any, timeout: Any = 300, version: int | None = None) -> bool:
        return self._call("add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
                          lambda: self._fallback.add(key, value, timeout, version))

    def touch(self, key: Any, timeout: Any = 300, version: int | None = None) -> bool:
        return self._call("touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
                          lambda: self._fallback.touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call("delete", lambda: super(ResilientRedisCache, self).delete(key, version),
                          lambda: self._fallback.delete(key, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version),
                          lambda: self._fallback.has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call("incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version),
                          lambda: self._fallback.incr(key, delta, version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._call("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version),
                          lambda: self._fallback.get_many(keys, version))

    def set_many(self, data: Any, timeout: Any = 300, version: int | None = None) -> list[Any]:
        return self._call("set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                          lambda: self._fallback.set_many(data, timeout, version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version),
                   lambda: self._fallback.delete_many(keys, version))

    def clear(self) -> None:
        self._fallback.clear()
        self._call("clear", lambda: super(ResilientRedisCache, self).clear(), lambda: None)
