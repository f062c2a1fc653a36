"""Every call to the AI provider (its cost in tokens, how long, how it ended) and the month's token counter.

An `AICall` row never holds what was sent or answered: no prompt, no completion, no customer text. The
subject is a public reference (a ticket code) so an administrator can see what a call was for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    DRAFT_REPLY = "draft_reply", _("Drafted reply")
    SUMMARY = "summary", _("Conversation summary")
    TRANSLATION = "translation", _("Translation")
    BOT_ANSWER = "bot_answer", _("Bot answer")
    EMBEDDING = "embedding", _("Embeddings")


class Outcome(models.TextChoices):
    OK = "ok", _("Answered")
    TIMEOUT = "timeout", _("Timed out")
    RATE_LIMITED = "rate_limited", _("Rate limited (429)")
    SERVER_ERROR = "server_error", _("Provider error (5xx)")
    REFUSED = "refused", _("Refused by the provider (4xx)")
    BAD_RESPONSE = "bad_response", _("Unreadable answer")
    CONNECTION_ERROR = "connection_error", _("Provider unreachable")
    BUDGET_EXHAUSTED = "budget_exhausted", _("Monthly budget reached")


class AICall(models.Model):
    """One call to the provider (or one refused by the budget): purpose, model, tokens, latency, outcome, actor."""

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    model = models.CharField(max_length=100)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    # Staff who asked (agent actions); empty for the bot, whose calls say actor_label "bot".
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=40, blank=True)
    subject = models.CharField(max_length=40, blank=True, help_text="public reference, e.g. a ticket code")
    masked = models.BooleanField(default=True, help_text="personal data was masked before sending")
    detail = models.CharField(max_length=200, blank=True, help_text="technical reason of a failure, no content")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="assist_call_created"),
            models.Index(fields=["purpose", "-created_at"], name="assist_call_purpose"),
            models.Index(fields=["outcome", "-created_at"], name="assist_call_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.outcome}:{self.prompt_tokens + self.completion_tokens}"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class MonthlyUsage(models.Model):
    """Tokens counted against one calendar month's budget (reserved before a call, settled after it)."""

    month = models.CharField(max_length=7, unique=True, help_text="YYYY-MM in Asia/Ho_Chi_Minh")
    tokens = models.BigIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.month}:{self.tokens}"
