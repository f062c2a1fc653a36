"""The bot's state per support ticket and one row per turn it took (for the report)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BotMode(models.TextChoices):
    BOT = "bot", _("Bot answering")
    HANDED_OVER = "handed_over", _("Handed over to the team")
    AGENT = "agent", _("An agent took over")


class HandoverReason(models.TextChoices):
    REQUESTED = "requested", _("The customer asked for a person")
    NOT_UNDERSTOOD = "not_understood", _("Not understood twice")
    NEGATIVE = "negative", _("Upset customer")
    VERIFICATION = "verification", _("Identity not verified")
    LONG_MESSAGE = "long_message", _("Long message")
    TROUBLESHOOTING = "troubleshooting", _("Troubleshooting found no fix")
    RULE = "rule", _("Needs a person")


class SolveReason(models.TextChoices):
    THANKED = "thanked", _("The customer thanked the bot")
    QUIET = "quiet", _("No reply from the customer")


class BotConversation(models.Model):
    """Where the bot is in one ticket's conversation: mode, intents so far, the question it waits on."""

    ticket = models.OneToOneField("support.Ticket", on_delete=models.CASCADE, related_name="bot_conversation")
    mode = models.CharField(max_length=12, choices=BotMode.choices, default=BotMode.BOT)
    language = models.CharField(max_length=2, default="vi")
    intent_history = models.JSONField(default=list, blank=True, help_text="intents detected, oldest first")
    last_intent = models.CharField(max_length=20, blank=True)
    last_confidence = models.FloatField(default=0.0)
    # The question the bot asked and waits an answer to (identify, choose_centre, choose_slot, ask_serial).
    pending = models.CharField(max_length=20, blank=True)
    # What that question needs to go on (the intent to resume, offered slots, centre); may hold a typed phone.
    pending_data = models.JSONField(default=dict, blank=True)
    misunderstood_count = models.PositiveSmallIntegerField(default=0)
    failed_verifications = models.PositiveSmallIntegerField(default=0)
    turn_count = models.PositiveIntegerField(default=0)
    # Actions already taken ("showed order ORD-...", "suggested article ..."), for the hand-over note.
    tried = models.JSONField(default=list, blank=True)
    # The customer proven by phone + order code (anonymous chats), and that order.
    verified_customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_order = models.ForeignKey(
        "sales.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_reason = models.CharField(max_length=16, choices=HandoverReason.choices, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # After an answer, when the scheduler solves the ticket (the customer thanked: now; else quiet for N hours),
    # unless the customer wrote after the message answered (`answered_message_at`) or a person took it.
    solve_due_at = models.DateTimeField(null=True, blank=True)
    solve_reason = models.CharField(max_length=10, choices=SolveReason.choices, blank=True)
    answered_message_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)  # the last time the bot solved the ticket
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["mode", "-updated_at"], name="bot_conversation_mode"),
            models.Index(fields=["handed_over_at"], name="bot_conversation_handed_over"),
            models.Index(fields=["solve_due_at"], name="bot_conversation_solve_due"),
            models.Index(fields=["solved_at"], name="bot_conversation_solved"),
        ]

    def __str__(self) -> str:
        return f"bot:{self.ticket_id}:{self.mode}"


class TurnOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    ASKED = "asked", _("Asked a question")
    NOT_UNDERSTOOD = "not_understood", _("Not understood")
    HANDED_OVER = "handed_over", _("Handed over")
    DONE = "done", _("Task done")


class BotTurn(models.Model):
    """One customer message the bot answered: the intent, how sure, what came of it, how long it took."""

    conversation = models.ForeignKey(BotConversation, on_delete=models.CASCADE, related_name="turns")
    message = models.OneToOneField("support.Message", on_delete=models.CASCADE, related_name="bot_turn")
    reply = models.ForeignKey("support.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    intent = models.CharField(max_length=20)
    confidence = models.FloatField(default=0.0)
    outcome = models.CharField(max_length=16, choices=TurnOutcome.choices)
    article_slug = models.CharField(max_length=220, blank=True)
    language = models.CharField(max_length=2, default="vi")
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["created_at"], name="bot_turn_created"),
            models.Index(fields=["intent", "created_at"], name="bot_turn_intent"),
            models.Index(fields=["outcome", "created_at"], name="bot_turn_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}:{self.intent}:{self.outcome}"
