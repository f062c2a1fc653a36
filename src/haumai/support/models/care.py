"""Care scripts (macros), phone call logs, goodwill requests and the IMAP polling position."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Macro(models.Model):
    """A care script (kịch bản chăm sóc): a canned reply with {{variables}} that may also set fields."""

    key = models.SlugField(max_length=60, unique=True)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    body_vi = models.TextField()
    body_en = models.TextField()
    set_status = models.CharField(max_length=10, blank=True)
    set_priority = models.CharField(max_length=10, blank=True)
    add_tags = models.JSONField(default=list, blank=True)
    built_in = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class CallDirection(models.TextChoices):
    INBOUND = "in", _("Incoming call")
    OUTBOUND = "out", _("Outgoing call")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("Call answered")
    MISSED = "missed", _("Missed")
    VOICEMAIL = "voicemail", _("Voicemail")
    BUSY = "busy", _("Busy")
    FAILED = "failed", _("Failed")


class CallLog(models.Model):
    """A phone call posted by the call-centre system or entered by an agent."""

    external_id = models.CharField(max_length=120, null=True, blank=True, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="call_logs")
    ticket = models.ForeignKey("support.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    direction = models.CharField(max_length=3, choices=CallDirection.choices)
    phone = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=CallOutcome.choices)
    recording_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["customer", "-started_at"], name="support_call_customer")]

    def __str__(self) -> str:
        return f"{self.direction} {self.started_at:%Y-%m-%d %H:%M}"


class GoodwillKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    FREE_REPAIR = "free_repair", _("Free repair")
    FREE_SHIPPING = "free_shipping", _("Free shipping")


class GoodwillStatus(models.TextChoices):
    GRANTED = "granted", _("Granted within the agent's limit")
    PENDING = "pending", _("Waiting for a manager")
    APPROVED = "approved", _("Approved by a manager")
    REFUSED = "refused", _("Refused by a manager")


class GoodwillRequest(models.Model):
    """A concession to a customer, recorded on the ticket; above the agent's limit it waits for a manager."""

    ticket = models.ForeignKey("support.Ticket", on_delete=models.CASCADE, related_name="goodwill")
    kind = models.CharField(max_length=20, choices=GoodwillKind.choices)
    amount_vnd = models.BigIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=GoodwillStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"], name="support_goodwill_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_vnd} ({self.status})"


class MailboxCursor(models.Model):
    """Where IMAP polling of one mailbox stopped: UIDVALIDITY and the last UID stored."""

    mailbox = models.CharField(max_length=255, unique=True, help_text="user@host:port/folder")
    uid_validity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # When the worker polls next (scheduler source "support.imap"); null: at its next tick.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uid_validity}/{self.last_uid}"
