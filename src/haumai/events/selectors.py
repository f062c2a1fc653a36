"""Reads of the event table."""

from __future__ import annotations

from django.db.models import QuerySet

from haumai.events.models import Event


def pending_dispatch() -> QuerySet[Event]:
    """Events not yet handed to their subscribers."""
    return Event.objects.filter(due_at__isnull=False, dispatched_at__isnull=True)


def events_for_customer(customer_id: int) -> QuerySet[Event]:
    """A customer's timeline, newest first."""
    return Event.objects.filter(customer_id=customer_id).select_related("actor").order_by("-occurred_at", "-id")
