"""Listeners for freshly stored inbound messages (the bot, live streams, ...).

`ingest_inbound` calls every registered listener once per new message, after the transaction that
stored it commits (a replayed webhook or a re-polled mailbox stores nothing and calls nobody). A
listener that fails is logged and does not affect the others or the stored message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# listener(message) with the stored support Message (its ticket and customer loaded on demand).
Listener = Callable[[Any], None]
_listeners: list[Listener] = []


def register_inbound_listener(listener: Listener) -> None:
    """Call `listener(message)` after each new inbound message is committed (idempotent registration)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce_inbound(message: Any) -> None:
    for listener in list(_listeners):
        try:
            listener(message)
        except Exception:  # a listener's fault must not lose or fail the stored message
            logger.exception("inbound listener %r failed for message %s", listener, message.pk)
