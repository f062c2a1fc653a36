"""Issue 17: Redis as the shared cache of several processes, and the product still working when it is down.

Uses the Redis server on 127.0.0.1:6379 (database 15; `.ci/run` starts one when missing) and a port where
nothing listens for the outage.
"""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from django.test import override_settings

from haumai.core.cache import ResilientRedisCache
from haumai.testing.smtp import free_port

LIVE = os.environ.get("HAUMAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})


def test_two_processes_share_one_redis() -> None:
    prefix = {"KEY_PREFIX": f"shared-{uuid.uuid4().hex[:8]}"}
    first, second = ResilientRedisCache(LIVE, prefix), ResilientRedisCache(LIVE, prefix)
    first.set("typing", 1, 30)
    assert second.get("typing") == 1  # what one web process writes, the other reads
    assert first.add("window", 0, 30) and not second.add("window", 0, 30)
    assert [first.incr("window"), second.incr("window")] == [1, 2]
    # Django's contract for a missing key is kept, not taken for an outage:
    with pytest.raises(ValueError, match="not found"):
        first.incr("missing")
    assert first.redis_available
    first.delete_many(["typing", "window"])


def test_redis_down_answers_from_memory_with_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    cache = _cache(f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="haumai.cache"):
        cache.set("typing", 1, 30)
        assert cache.get("typing") == 1
        assert cache.add("window", 0, 30) and cache.incr("window") == 1
        assert cache.get_many(["typing", "window"]) == {"typing": 1, "window": 1}
        cache.delete("typing")
        assert cache.get("typing", "gone") == "gone"
    warnings = [r for r in caplog.records if r.name == "haumai.cache"]
    assert len(warnings) == 1 and "Redis cache unavailable" in warnings[0].getMessage()
    assert not cache.redis_available  # not asked again until the retry time


@pytest.mark.django_db
def test_the_chat_keeps_working_when_redis_is_down() -> None:
    from haumai.support import live

    dead = {"default": {"BACKEND": "haumai.core.cache.ResilientRedisCache",
                        "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    with override_settings(CACHES=dead):
        live.set_typing(ticket_id=1, side="visitor", typing=True)
        assert live.is_typing(ticket_id=1, side="visitor")
        assert all(live.take_slot("visitor-x", 3) for _ in range(3))
        assert not live.take_slot("visitor-x", 3)  # the rate limit still counts (in this process)
