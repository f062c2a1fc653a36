"""Surveys: what is asked (Survey, Question), who is asked about what (Invitation), what they said (Response)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (CSAT, 1-5)")
    NPS = "nps", _("Net Promoter Score (NPS, 0-10)")
    CES = "ces", _("Customer effort (CES, 1-7)")
    CUSTOM = "custom", _("Custom questions")


# The score range of each kind; custom surveys have no headline score.
SCORE_RANGES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


class SubjectKind(models.TextChoices):
    ORDER = "order", _("Order")
    RETURN = "return", _("Return")
    TICKET = "ticket", _("Support ticket")
    REPAIR = "repair", _("Repair")
    NONE = "none", _("The relationship")


class Survey(models.Model):
    """A questionnaire in Vietnamese and English; CSAT/NPS/CES ask one score and why, custom ask questions."""

    key = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    name = models.CharField(_("name"), max_length=120)
    question_vi = models.CharField(max_length=300, blank=True)
    question_en = models.CharField(max_length=300, blank=True)
    why_vi = models.CharField(max_length=300, blank=True, help_text="label of the comment box")
    why_en = models.CharField(max_length=300, blank=True)
    valid_days = models.PositiveIntegerField(default=14, help_text="how long an invitation link works")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def score_range(self) -> tuple[int, int] | None:
        """(lowest, highest) score, or None for a custom survey."""
        return SCORE_RANGES.get(self.kind)


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    TEXT = "text", _("Text")
    SCALE = "scale", _("Scale")


class Question(models.Model):
    """One question of a custom survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text_vi = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300, blank=True)
    # single choice: [{"value": "fast", "vi": "Nhanh", "en": "Fast"}, ...]
    choices = models.JSONField(default=list, blank=True)
    scale_min = models.IntegerField(default=1)
    scale_max = models.IntegerField(default=5)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="surveyquestion_position_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.position}"


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class Invitation(models.Model):
    """One customer asked once about one thing; the signed link to the form names it by code."""

    code = models.CharField(max_length=24, unique=True)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_invitations")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices, default=SubjectKind.NONE)
    subject_code = models.CharField(max_length=40, blank=True, help_text="public code of what is rated")
    subject_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, default="vi")
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.OPEN)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    delivery_id = models.BigIntegerField(null=True, blank=True, help_text="the message that carried the link")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="invitation_customer_recent"),
            models.Index(fields=["subject_kind", "subject_code"], name="invitation_subject"),
            models.Index(fields=["-created_at", "-id"], name="invitation_recent"),
        ]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    """What the customer answered; at most one per invitation (a database constraint)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="responses")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_responses")
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    comment_key = models.TextField(blank=True, help_text="comment without diacritics, for search")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices, default=SubjectKind.NONE)
    subject_code = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=5, default="vi")
    is_low = models.BooleanField(default=False, help_text="CSAT <= 2, NPS <= 6, CES >= 5")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation"], name="surveyresponse_one_per_invitation")]
        indexes = [
            models.Index(fields=["-submitted_at", "-id"], name="response_recent"),
            models.Index(fields=["kind", "submitted_at"], name="response_kind_time"),
            models.Index(fields=["customer", "-submitted_at"], name="response_customer_recent"),
            models.Index(fields=["subject_kind", "subject_code"], name="response_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.score}"


class Answer(models.Model):
    """The answer to one question of a custom survey."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=60, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="surveyanswer_once")]

    def __str__(self) -> str:
        return f"{self.response_id}#{self.question_id}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUp(models.Model):
    """Closing the loop on a low score: someone calls the customer back and notes what was done."""

    code = models.CharField(max_length=24, unique=True)
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_follow_ups")
    status = models.CharField(max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "created_at", "id"], name="followup_queue")]

    def __str__(self) -> str:
        return self.code
