"""The append-only domain event table: customer timeline, journey trigger, webhook feed and audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Event(models.Model):
    """Something that happened, written in the same transaction as the change it records."""

    name = models.CharField(max_length=80, help_text="noun.past_verb, e.g. order.created")
    occurred_at = models.DateTimeField()
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True, help_text="system, api:<token>, import, customer")
    payload = models.JSONField(default=dict, blank=True)
    # Outbox for the dispatcher: due until handlers have seen the event.
    due_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-occurred_at", "-id"], name="event_customer_timeline"),
            models.Index(fields=["subject_type", "subject_id"], name="event_subject"),
            models.Index(fields=["name", "-occurred_at"], name="event_name_time"),
            models.Index(fields=["-occurred_at", "-id"], name="event_time"),
            models.Index(fields=["due_at"], name="event_due", condition=models.Q(due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.subject_type}:{self.subject_id}"
