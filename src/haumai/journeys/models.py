"""Proactive care journeys: triggers, conditions, steps, runs advanced by the scheduler."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriggerKind(models.TextChoices):
    EVENT = "event", _("Domain event")
    BIRTHDAY = "birthday", _("Birthday")
    WARRANTY_EXPIRY = "warranty_expiry", _("Days before warranty expiry")
    MAINTENANCE_DUE = "maintenance_due", _("Maintenance due (days after purchase, by category)")


class Purpose(models.TextChoices):
    SERVICE = "service", _("Service message")
    MARKETING = "marketing", _("Marketing")


class Journey(models.Model):
    """A trigger, entry conditions, ordered steps and rules for one kind of proactive care."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    trigger_kind = models.CharField(max_length=20, choices=TriggerKind.choices, default=TriggerKind.EVENT)
    trigger_event = models.CharField(max_length=80, blank=True, help_text="event name or fnmatch pattern")
    trigger_days = models.PositiveIntegerField(
        default=0, help_text="days before warranty expiry, or days after purchase for maintenance"
    )
    trigger_category = models.CharField(max_length=60, blank=True, help_text="catalog category code")
    # Entry conditions (empty = no condition).
    condition_min_order_total = models.BigIntegerField(null=True, blank=True)
    condition_category = models.CharField(max_length=60, blank=True)
    condition_sales_channel = models.CharField(max_length=40, blank=True)
    condition_language = models.CharField(max_length=5, blank=True)
    condition_reachable_channel = models.CharField(max_length=20, blank=True)
    # Rules.
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SERVICE)
    channel_order = models.JSONField(default=list, blank=True, help_text='fallback order, e.g. ["zalo", "sms"]')
    allow_quiet_hours = models.BooleanField(default=False, help_text="service messages may go out in quiet hours")
    allow_reentry = models.BooleanField(default=False)
    exit_event = models.CharField(max_length=80, blank=True, help_text="an event that ends the customer's run")
    next_enrollment_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["next_enrollment_at"],
                name="journey_enrollment_due",
                condition=models.Q(next_enrollment_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    WAIT = "wait", _("Wait")
    SEND = "send", _("Send a message")
    SURVEY = "survey", _("Send a survey")
    TASK = "task", _("Create a care task")
    VOUCHER = "voucher", _("Give a voucher")
    BRANCH = "branch", _("Branch on a condition")
    EXIT = "exit", _("Exit")


class BranchCondition(models.TextChoices):
    ORDER_TOTAL_AT_LEAST = "order_total_at_least", _("Order total at least (VND)")
    REACHABLE_CHANNEL = "reachable_channel", _("Customer reachable on channel")
    LANGUAGE = "language", _("Customer language is")
    CATEGORY = "category", _("Order has a product in category")
    PREVIOUS_SEND_SKIPPED = "previous_send_skipped", _("Previous message was not sent")
    IN_SEGMENT = "in_segment", _("Customer is in saved segment")


class JourneyStep(models.Model):
    """One step; positions are 1..n without gaps (services keep them so)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    wait_hours = models.PositiveIntegerField(default=0)
    template_key = models.CharField(max_length=80, blank=True)
    survey_key = models.CharField(max_length=60, blank=True, help_text="survey step: which survey to invite to")
    voucher_campaign = models.CharField(
        max_length=40, blank=True, help_text="voucher step: the loyalty campaign whose code the customer gets"
    )
    task_title = models.CharField(max_length=200, blank=True)
    branch_condition = models.CharField(max_length=40, choices=BranchCondition.choices, blank=True)
    branch_value = models.CharField(max_length=80, blank=True)
    branch_target = models.PositiveIntegerField(null=True, blank=True, help_text="position to jump to when true")

    class Meta:
        ordering = ["journey", "position"]
        constraints = [models.UniqueConstraint(fields=["journey", "position"], name="journeystep_position_unique")]

    def __str__(self) -> str:
        return f"{self.journey_id}#{self.position} {self.kind}"


class RunStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    EXITED = "exited", _("Exited")
    NOT_ENTERED = "not_entered", _("Not entered (condition false)")


class JourneyRun(models.Model):
    """One customer going through one journey for one subject; due rows are advanced by the tick."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="runs")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="journey_runs")
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_label = models.CharField(max_length=80, blank=True)
    entry_key = models.CharField(max_length=40, blank=True, help_text="'' unless re-entry is allowed")
    event_id = models.BigIntegerField(null=True, blank=True, help_text="the triggering event")
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.ACTIVE)
    position = models.PositiveIntegerField(default=1, help_text="next step to run")
    due_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "customer", "subject_type", "subject_id", "entry_key"], name="journeyrun_once"
            )
        ]
        indexes = [
            # (due_at, id): the claim orders by both; on due_at alone a million runs due at once were sorted
            # in full (1.3 s) for every batch of 500.
            models.Index(fields=["due_at", "id"], name="journeyrun_due", condition=models.Q(due_at__isnull=False)),
            models.Index(fields=["journey", "-started_at", "-id"], name="journeyrun_journey_recent"),
            models.Index(fields=["customer", "-started_at", "-id"], name="journeyrun_customer_recent"),
            models.Index(
                fields=["customer", "subject_type", "subject_id"],
                name="journeyrun_active_subject",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journey_id}:{self.customer_id}:{self.subject_label}"


class Outcome(models.TextChoices):
    SENT = "sent", _("Sent")
    WAITING = "waiting", _("Waiting")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    DEFERRED = "deferred", _("Deferred")
    EXITED = "exited", _("Exited")
    NOT_DELIVERED = "not_delivered", _("Not delivered")


class Reason(models.TextChoices):
    NO_CONSENT = "no_consent", _("No consent")
    QUIET_HOURS = "quiet_hours", _("Quiet hours")
    CAPPED = "capped", _("Frequency cap reached")
    NO_REACHABLE_CHANNEL = "no_reachable_channel", _("No reachable channel")
    CONDITION_FALSE = "condition_false", _("Condition false")
    TEMPLATE_MISSING = "template_missing", _("Template missing")
    EXIT_EVENT = "exit_event", _("Exit event")
    JOURNEY_INACTIVE = "journey_inactive", _("Journey switched off")
    STEP_REMOVED = "step_removed", _("Step removed")
    SEND_REFUSED = "send_refused", _("Messaging refused the send")
    DELIVERY_FAILED = "delivery_failed", _("The message could not be delivered")
    SURVEY_MISSING = "survey_missing", _("Survey missing or switched off")
    VOUCHER_UNAVAILABLE = "voucher_unavailable", _("No voucher could be given")
    RESTRICTED = "restricted", _("The customer restricted this processing")


class StepRun(models.Model):
    """What one step did for one run, or why it did nothing."""

    run = models.ForeignKey(JourneyRun, on_delete=models.CASCADE, related_name="step_runs")
    step = models.ForeignKey(JourneyStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_id = models.BigIntegerField(help_text="denormalised for the frequency cap")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    message = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    template_key = models.CharField(max_length=80, blank=True)
    delivery_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["run", "id"], name="steprun_run"),
            models.Index(
                fields=["customer_id", "created_at"],
                name="steprun_marketing_sent",
                condition=models.Q(outcome="sent", purpose="marketing"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.position} {self.outcome} {self.reason}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class CareTask(models.Model):
    """A follow-up for an agent, created by a journey step."""

    run = models.ForeignKey(JourneyRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="care_tasks")
    title = models.CharField(max_length=200)
    subject_label = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "created_at", "id"], name="caretask_queue")]

    def __str__(self) -> str:
        return self.title
