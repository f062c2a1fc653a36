"""Presence: the ticket page says 'I am here' every few seconds; others see a collision notice."""

from __future__ import annotations

from typing import Any

from haumai.core import clock
from haumai.support.models import Presence, Ticket


def mark_viewing(*, actor: Any, ticket: Ticket, composing: bool = False) -> None:
    """Record that `actor` has the ticket open (and whether they are writing); one row per person and ticket."""
    Presence.objects.update_or_create(
        ticket=ticket, user=actor, defaults={"seen_at": clock.now(), "composing": composing}
    )


def mark_left(*, actor: Any, ticket: Ticket) -> None:
    """The page was closed."""
    Presence.objects.filter(ticket=ticket, user=actor).delete()
