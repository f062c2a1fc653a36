"""Outbound messages: versioned templates, channel clients (email, Zalo OA/ZNS, SMS, webhooks) and deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    ZALO = "zalo", _("Zalo OA message")
    ZNS = "zns", _("Zalo ZNS")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")


class Purpose(models.TextChoices):
    SERVICE = "service", _("Service messages")
    MARKETING = "marketing", _("Marketing")


class Template(models.Model):
    """One message (key) on one channel in one language; its text lives in versions."""

    key = models.CharField(max_length=80, help_text="e.g. order.thank_you")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    language = models.CharField(max_length=5, default="vi")
    name = models.CharField(_("name"), max_length=160)
    current_version = models.ForeignKey(
        "TemplateVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "channel", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "channel", "language"], name="template_key_channel_language")
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.channel}/{self.language}]"


class TemplateVersion(models.Model):
    """An immutable text of a template; editing a template adds a version, deliveries keep theirs."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    provider_template_id = models.CharField(
        _("provider template id"), max_length=64, blank=True, help_text="ZNS template_id registered with Zalo"
    )
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_number")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CLAIMED = "claimed", _("Claimed by a worker")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GIVEN_UP = "given_up", _("Given up")
    UNKNOWN = "unknown", _("Unknown — check provider")


class Delivery(models.Model):
    """One message to one destination on one channel, from queue to sent (or given up)."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SERVICE)
    template_key = models.CharField(max_length=80, blank=True)
    template_version = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    language = models.CharField(max_length=5, blank=True)
    destination = models.CharField(max_length=500)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="ZNS template_data or webhook body")
    subscription = models.ForeignKey(
        "WebhookSubscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    # Due for a send (queued/failed); while claimed, when the claim expires (then it returns to the queue);
    # while sending, for reconciliation after the sending timeout.
    due_at = models.DateTimeField(null=True, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    tracking_id = models.CharField(max_length=64, help_text="Our id sent to the provider (dedup on resend)")
    provider_message_id = models.CharField(max_length=120, blank=True)
    last_error_code = models.CharField(max_length=60, blank=True)
    last_error_message = models.TextField(blank=True)
    source = models.CharField(max_length=120, blank=True, help_text="journey run, event, staff ...")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Committed right before the provider call of the latest attempt: only a started send can be "unknown".
    send_started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        permissions = [("resolve_delivery", "Can settle deliveries whose outcome is unknown")]
        indexes = [
            # (due_at, id): the scheduler claims in that order (no sort of every due row per batch).
            models.Index(fields=["due_at", "id"], name="delivery_due", condition=models.Q(due_at__isnull=False)),
            models.Index(fields=["-created_at", "-id"], name="delivery_created"),
            models.Index(fields=["status", "-created_at"], name="delivery_status_created"),
            models.Index(fields=["customer", "-created_at"], name="delivery_customer_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template_key or self.destination} ({self.status})"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown")


class DeliveryAttempt(models.Model):
    """One call to the provider for a delivery, with the provider's answer or error."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    http_status = models.PositiveIntegerField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number} {self.outcome}"


class WebhookSubscription(models.Model):
    """An outside system that wants our domain events POSTed to it, signed with a shared secret."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=200, help_text="HMAC-SHA256 key for X-Haumai-Signature")
    event_patterns = models.CharField(
        _("event patterns"), max_length=500, default="*", help_text="Comma-separated, e.g. return.*, refund.sent"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} -> {self.url}"

    def patterns(self) -> list[str]:
        """The event name patterns as a list."""
        return [p.strip() for p in self.event_patterns.split(",") if p.strip()]


class ZaloCredential(models.Model):
    """The Zalo Official Account's OAuth tokens; the refresh token rotates on every refresh."""

    oa_id = models.CharField(_("OA id"), max_length=64, unique=True)
    app_id = models.CharField(_("app id"), max_length=64)
    access_token = models.TextField(blank=True)
    refresh_token = models.TextField()
    access_expires_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Zalo OA {self.oa_id}"
