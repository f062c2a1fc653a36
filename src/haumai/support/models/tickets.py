"""Tickets, their messages (public replies, internal notes), attachments, state history and threading keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending (waiting on customer)")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


# States in which the ticket still needs work from the team.
ACTIVE_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


class TicketChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    ZALO = "zalo", _("Zalo OA")
    FACEBOOK = "facebook", _("Facebook Messenger")
    WEB_CHAT = "web_chat", _("Website chat")
    PHONE = "phone", _("Phone")
    CONSOLE = "console", _("Opened by staff")


class SlaStatus(models.TextChoices):
    NONE = "", _("No SLA")
    OK = "ok", _("On time")
    WARNING = "warning", _("Breaching soon")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")


class Tag(models.Model):
    """A label agents put on tickets (free text, folded for lookup)."""

    name = models.CharField(max_length=40)
    key = models.CharField(max_length=40, unique=True, help_text="name folded: lowercase, no diacritics")

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    """One customer issue, from its first message to solved/closed; messages of every channel thread onto it."""

    code = models.CharField(max_length=20, unique=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    search_key = models.CharField(max_length=255, blank=True, help_text="code + subject folded")
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=10, choices=TicketChannel.choices)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    # What the conversation is about (explicit links; repairs are linked by code until that app has orders).
    order = models.ForeignKey("sales.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_request = models.ForeignKey(
        "returns.ReturnRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    warranty = models.ForeignKey(
        "warranty.Warranty", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repair_code = models.CharField(max_length=24, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    negative_sentiment = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    public_reply_count = models.PositiveIntegerField(default=0)
    # FCR: solved with one public agent reply and never reopened; set when solved, cleared on reopen.
    first_contact_resolution = models.BooleanField(null=True, blank=True)
    # FRT: created -> first public agent reply (calendar seconds; business time comes from the SLA clocks).
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    # SLA clocks (filled by services.sla_refresh once the SLA policies are wired; null = no target).
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    sla_status = models.CharField(max_length=10, choices=SlaStatus.choices, blank=True, default="")
    breached_at = models.DateTimeField(null=True, blank=True)
    # The clock states stored last time (name -> ok/warning/breached/met/met_late/paused): what changed since.
    sla_states = models.JSONField(default=dict, blank=True)
    # When the clocks must be looked at again without any change (the scheduler's due field).
    sla_check_at = models.DateTimeField(null=True, blank=True)
    # Optimistic version, bumped by every change: a form posted on an old page is told what changed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-last_message_at", "-id"], name="ticket_status_recent"),
            models.Index(fields=["assignee", "status", "-last_message_at"], name="ticket_assignee_queue"),
            models.Index(fields=["team", "status", "-last_message_at"], name="ticket_team_queue"),
            models.Index(fields=["customer", "-last_message_at"], name="ticket_customer"),
            models.Index(fields=["search_key"], name="ticket_search_key"),
            # The support KPIs read tickets by the moment of their first reply (solves come from the history).
            models.Index(fields=["first_response_at"], name="ticket_first_response"),
            models.Index(
                fields=["sla_check_at", "id"], name="ticket_sla_check", condition=models.Q(sla_check_at__isnull=False)
            ),
            models.Index(
                fields=["first_response_due_at"],
                name="ticket_frt_due",
                condition=models.Q(status__in=["new", "open"]),
            ),
        ]
        permissions = [
            ("reply_ticket", "Can reply to customers and write notes on tickets"),
            ("assign_ticket", "Can assign tickets"),
            ("merge_ticket", "Can merge tickets and customers"),
            ("approve_goodwill", "Can approve goodwill above the agent's limit"),
        ]

    def __str__(self) -> str:
        return self.code


class Direction(models.TextChoices):
    INBOUND = "in", _("From the customer")
    OUTBOUND = "out", _("To the customer")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public reply")
    NOTE = "note", _("Internal note")


class DeliveryState(models.TextChoices):
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    NOT_SENT = "not_sent", _("Not sent (no channel)")
    FAILED = "failed", _("Not delivered")


class Message(models.Model):
    """One message of a ticket: a customer's inbound message, an agent's public reply or an internal note."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    visibility = models.CharField(max_length=6, choices=Visibility.choices, default=Visibility.PUBLIC)
    channel = models.CharField(max_length=10, choices=TicketChannel.choices)
    # The provider's id (Message-ID, Zalo msg_id, Facebook mid); unique per channel: the idempotency key.
    external_id = models.CharField(max_length=255, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_label = models.CharField(max_length=160, blank=True, help_text="the customer's display name or address")
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True, help_text="sanitized (nh3) before storage")
    negative_sentiment = models.BooleanField(default=False)
    delivery_state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.RECEIVED)
    delivery_id = models.BigIntegerField(null=True, blank=True, help_text="messaging Delivery of an outbound reply")
    # Channels this app sends itself (Facebook): the next attempt, how many were made, the provider's refusal.
    delivery_due_at = models.DateTimeField(null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    delivery_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="support_message_channel_external_id"),
        ]
        indexes = [
            models.Index(fields=["ticket", "sent_at", "id"], name="support_message_ticket"),
            models.Index(
                fields=["delivery_due_at"], name="support_message_delivery_due",
                condition=models.Q(delivery_due_at__isnull=False),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.ticket_id}:{self.direction}:{self.pk}"


class Attachment(models.Model):
    """A file of a message, stored under MEDIA_ROOT/support/; one over the size limit keeps only its name."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="support/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    refused_reason = models.CharField(max_length=40, blank=True, help_text="too_large: the file was not kept")

    def __str__(self) -> str:
        return self.filename


class TicketStatusChange(models.Model):
    """The ticket's state history: the SLA clocks are computed from it (pending pauses)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField()
    old_status = models.CharField(max_length=10, blank=True)
    new_status = models.CharField(max_length=10, choices=TicketStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="support_status_change_ticket"),
            models.Index(fields=["at"], name="support_status_change_at"),  # reopens per day (support KPIs)
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.old_status} -> {self.new_status}"


class ThreadKey(models.Model):
    """A key that threads later messages onto a ticket: an e-mail Message-ID or a provider conversation id."""

    channel = models.CharField(max_length=10, choices=TicketChannel.choices)
    key = models.CharField(max_length=255)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="thread_keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="support_thread_key_unique")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.key}"


class Presence(models.Model):
    """Who has a ticket open right now (refreshed by the ticket page's polling): the collision notice."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    composing = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="support_presence_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.ticket_id}"
