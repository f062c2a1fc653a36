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


def event_list(
    *, customer_code: str = "", subject_type: str = "", subject_id: str = "", name: str = ""
) -> QuerySet[Event]:
    """Events newest first, filtered by customer code, subject and name (a trailing * matches a prefix)."""
    events = Event.objects.select_related("customer", "actor")
    if customer_code:
        events = events.filter(customer__code=customer_code.strip().upper())
    if subject_type:
        events = events.filter(subject_type=subject_type.strip().lower())
    if subject_id:
        events = events.filter(subject_id=subject_id.strip())
    if name:
        text = name.strip()
        events = events.filter(name__startswith=text[:-1]) if text.endswith("*") else events.filter(name=text)
    return events.order_by("-occurred_at", "-id")
