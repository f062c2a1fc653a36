"""Surveys' writes: inviting, answering (once), closing the loop on low scores, editing surveys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code, next_codes
from haumai.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from haumai.core.text import search_key
from haumai.events.services import record_event
from haumai.privacy import restrictions
from haumai.surveys.models import (
    SCORE_RANGES,
    Answer,
    FollowUp,
    FollowUpStatus,
    Invitation,
    InvitationStatus,
    Question,
    QuestionKind,
    Response,
    SubjectKind,
    Survey,
)

COMMENT_MAX = 2000
# A domain event's subject type -> what an invitation says it rates.
SUBJECT_KINDS = {
    "sales.order": SubjectKind.ORDER,
    "returns.returnrequest": SubjectKind.RETURN,
    "support.ticket": SubjectKind.TICKET,
    "repairs.repairorder": SubjectKind.REPAIR,
}


class AlreadyAnswered(Conflict):
    """The invitation has its response already; a second one is not stored."""

    def __init__(self) -> None:
        super().__init__(
            _("This survey was already answered. Thank you, we have your answer."), code="already_answered"
        )


def is_low(kind: str, score: int | None) -> bool:
    """A score that asks for a follow-up: CSAT <= 2, NPS <= 6 (detractor), CES >= 5 (hard)."""
    if score is None:
        return False
    if kind == "csat":
        return score <= 2
    if kind == "nps":
        return score <= 6
    if kind == "ces":
        return score >= 5
    return False


@dataclass(frozen=True)
class InvitationRequest:
    """One invitation to open (journeys build these for a batch of survey steps)."""

    survey: Survey
    customer: Any
    idempotency_key: str
    subject_type: str = ""
    subject_id: str = ""
    subject_code: str = ""
    channel: str = ""
    language: str = "vi"


def open_invitations(requests: Sequence[InvitationRequest]) -> list[Invitation]:
    """Create the invitations not created yet (same idempotency key -> the same invitation), in order."""
    if not requests:
        return []
    keys = [r.idempotency_key for r in requests]
    existing = {i.idempotency_key: i for i in Invitation.objects.filter(idempotency_key__in=keys)}
    unique = {r.idempotency_key: r for r in requests}
    missing = [r for r in unique.values() if r.idempotency_key not in existing]
    if missing:
        now = clock.now()
        codes = next_codes("SV", len(missing))
        Invitation.objects.bulk_create(
            [
                Invitation(
                    code=code,
                    survey=r.survey,
                    customer=r.customer,
                    subject_kind=SUBJECT_KINDS.get(r.subject_type, SubjectKind.NONE),
                    subject_code=r.subject_code[:40],
                    subject_id=r.subject_id[:64],
                    channel=r.channel,
                    language=r.language if r.language in ("vi", "en") else "vi",
                    idempotency_key=r.idempotency_key,
                    created_at=now,
                    expires_at=now + dt.timedelta(days=r.survey.valid_days),
                )
                for code, r in zip(codes, missing, strict=True)
            ],
            ignore_conflicts=True,  # another worker opened the same key meanwhile: read it back below
        )
        existing = {i.idempotency_key: i for i in Invitation.objects.filter(idempotency_key__in=keys)}
    return [existing[key] for key in keys]


def create_invitation(
    *,
    survey: Survey,
    customer: Any,
    subject_kind: str = SubjectKind.NONE,
    subject_code: str = "",
    subject_id: str = "",
    channel: str = "",
    language: str = "vi",
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite one customer (console, API, tests); with a key, the same key gives the same invitation.

    A survey asked outside a journey is automated care like a journey's survey step: a customer whose
    processing restriction stops `automated_care` is not invited (409 `restricted`, nothing created)."""
    if idempotency_key:
        found = Invitation.objects.filter(idempotency_key=idempotency_key).first()
        if found is not None:
            return found
    if restrictions.stops(customer, restrictions.RestrictionPurpose.AUTOMATED_CARE):
        raise Conflict(_("The customer restricted this processing: no survey invitation is sent"), code="restricted")
    moment = now or clock.now()
    return Invitation.objects.create(
        code=next_code("SV"),
        survey=survey,
        customer=customer,
        subject_kind=subject_kind,
        subject_code=subject_code[:40],
        subject_id=subject_id[:64],
        channel=channel,
        language=language,
        idempotency_key=idempotency_key or None,
        created_at=moment,
        expires_at=moment + dt.timedelta(days=survey.valid_days),
    )


def attach_deliveries(pairs: Mapping[int, tuple[int, str]]) -> None:
    """Remember which message (and channel) carried each invitation: {invitation id: (delivery id, channel)}."""
    for invitation_id, (delivery_id, channel) in pairs.items():
        Invitation.objects.filter(pk=invitation_id).update(delivery_id=delivery_id, channel=channel)


@dataclass(frozen=True)
class Submission:
    """A validated answer to a survey form."""

    score: int | None
    comment: str
    answers: dict[int, dict[str, Any]]


def _integer(raw: Any) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def validate_submission(survey: Survey, data: Mapping[str, Any]) -> Submission:
    """Check a form's values; raise ValidationFailed with one message per bad field (nothing stored)."""
    errors: list[FieldError] = []
    score: int | None = None
    span = SCORE_RANGES.get(survey.kind)
    if span is not None:
        raw = data.get("score")
        score = _integer(raw)
        if raw in (None, ""):
            errors.append(FieldError("score", _("Please choose a score."), "required"))
        elif score is None or not span[0] <= score <= span[1]:
            errors.append(
                FieldError(
                    "score",
                    _("Choose a score from %(low)s to %(high)s.") % {"low": span[0], "high": span[1]},
                    "out_of_range",
                )
            )
            score = None
    comment = str(data.get("comment") or "").strip()
    if len(comment) > COMMENT_MAX:
        errors.append(FieldError("comment", _("At most %(n)s characters, please.") % {"n": COMMENT_MAX}, "too_long"))
    answers: dict[int, dict[str, Any]] = {}
    for question in survey.questions.all():
        name = f"q{question.pk}"
        raw_value = str(data.get(name) or "").strip()
        if not raw_value:
            if question.required:
                errors.append(FieldError(name, _("Please answer this question."), "required"))
            continue
        if question.kind == QuestionKind.SINGLE_CHOICE:
            values = {str(c.get("value")) for c in question.choices}
            if raw_value not in values:
                errors.append(FieldError(name, _("Choose one of the options."), "invalid_choice"))
                continue
            answers[question.pk] = {"choice": raw_value}
        elif question.kind == QuestionKind.SCALE:
            number = _integer(raw_value)
            if number is None or not question.scale_min <= number <= question.scale_max:
                errors.append(
                    FieldError(
                        name,
                        _("Choose a score from %(low)s to %(high)s.")
                        % {"low": question.scale_min, "high": question.scale_max},
                        "out_of_range",
                    )
                )
                continue
            answers[question.pk] = {"number": number}
        else:
            if len(raw_value) > COMMENT_MAX:
                errors.append(FieldError(name, _("At most %(n)s characters, please.") % {"n": COMMENT_MAX}, "too_long"))
                continue
            answers[question.pk] = {"text": raw_value}
    if errors:
        raise ValidationFailed(_("Some answers need another look."), errors)
    return Submission(score=score, comment=comment, answers=answers)


def submit_response(*, invitation: Invitation, data: Mapping[str, Any], language: str = "vi") -> Response:
    """Store the customer's answer once: a second (even concurrent) submission raises AlreadyAnswered."""
    survey = invitation.survey
    submission = validate_submission(survey, data)
    try:
        with transaction.atomic():
            # The row lock orders concurrent submissions; the unique constraint is the guarantee.
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.status == InvitationStatus.ANSWERED or Response.objects.filter(invitation=locked).exists():
                raise AlreadyAnswered()
            response = _store(locked, survey, submission, language)
    except IntegrityError as exc:
        raise AlreadyAnswered() from exc
    return response


def _store(invitation: Invitation, survey: Survey, submission: Submission, language: str) -> Response:
    now = clock.now()
    low = is_low(survey.kind, submission.score)
    response = Response.objects.create(
        invitation=invitation,
        survey=survey,
        customer_id=invitation.customer_id,
        kind=survey.kind,
        score=submission.score,
        comment=submission.comment,
        comment_key=search_key(submission.comment),
        subject_kind=invitation.subject_kind,
        subject_code=invitation.subject_code,
        channel=invitation.channel,
        language=language if language in ("vi", "en") else "vi",
        is_low=low,
        submitted_at=now,
    )
    if submission.answers:
        Answer.objects.bulk_create(
            [Answer(response=response, question_id=qid, **values) for qid, values in submission.answers.items()]
        )
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.ANSWERED)
    payload = {
        "code": invitation.code,
        "survey": survey.key,
        "kind": survey.kind,
        "score": submission.score,
        "subject_kind": invitation.subject_kind,
        "subject_code": invitation.subject_code,
        "low": low,
    }
    record_event(
        name="survey.answered", customer=invitation.customer, subject=response, actor_label="customer", payload=payload
    )
    if low:
        follow_up = FollowUp.objects.create(
            code=next_code("FU"), response=response, customer_id=invitation.customer_id, created_at=now
        )
        record_event(
            name="survey.follow_up_opened",
            customer=invitation.customer,
            subject=follow_up,
            payload={
                "code": follow_up.code,
                "invitation": invitation.code,
                "kind": survey.kind,
                "score": submission.score,
                "subject_code": invitation.subject_code,
            },
        )
    return response


def _follow_up_locked(follow_up: FollowUp) -> FollowUp:
    locked = FollowUp.objects.select_for_update().filter(pk=follow_up.pk).first()
    if locked is None:
        raise NotFound(_("No such follow-up"))
    return locked


def assign_follow_up(*, actor: Any, follow_up: FollowUp, assignee: Any = None, team: Any = None) -> FollowUp:
    """Give a follow-up to a person and/or a team; it moves to in progress when someone has it."""
    with transaction.atomic():
        locked = _follow_up_locked(follow_up)
        if locked.status == FollowUpStatus.DONE:
            raise ValidationFailed(_("This follow-up is closed."), [FieldError("status", _("Closed already."))])
        locked.assignee, locked.team = assignee, team
        if assignee is not None and locked.status == FollowUpStatus.OPEN:
            locked.status = FollowUpStatus.IN_PROGRESS
        locked.save(update_fields=["assignee", "team", "status"])
        record_event(
            name="survey.follow_up_assigned",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={
                "code": locked.code,
                "assignee": assignee.get_username() if assignee else "",
                "team": team.name if team else "",
            },
        )
    return locked


def close_follow_up(*, actor: Any, follow_up: FollowUp, note: str) -> FollowUp:
    """Close the loop: what was done for the customer (a note is required)."""
    text = (note or "").strip()
    if not text:
        raise ValidationFailed(
            _("Say what was done."), [FieldError("note", _("Please write what was done."), "required")]
        )
    if len(text) > COMMENT_MAX:
        raise ValidationFailed(
            _("Note too long."),
            [FieldError("note", _("At most %(n)s characters, please.") % {"n": COMMENT_MAX}, "too_long")],
        )
    with transaction.atomic():
        locked = _follow_up_locked(follow_up)
        if locked.status == FollowUpStatus.DONE:
            raise ValidationFailed(_("This follow-up is closed."), [FieldError("status", _("Closed already."))])
        locked.status, locked.note, locked.closed_at, locked.closed_by = FollowUpStatus.DONE, text, clock.now(), actor
        locked.save(update_fields=["status", "note", "closed_at", "closed_by"])
        record_event(
            name="survey.follow_up_closed",
            customer=locked.customer,
            subject=locked,
            actor=actor,
            payload={"code": locked.code},
        )
    return locked


@dataclass(frozen=True)
class SurveyInput:
    """What the console's survey form edits."""

    name: str
    question_vi: str
    question_en: str
    why_vi: str
    why_en: str
    valid_days: int
    is_active: bool


def save_survey(*, actor: Any, survey: Survey, data: SurveyInput) -> Survey:
    """Edit a survey's wording, link lifetime and switch (the kind and questions' identity stay)."""
    errors = []
    if not data.name.strip():
        errors.append(FieldError("name", _("A name is required."), "required"))
    if survey.kind != "custom" and not data.question_vi.strip():
        errors.append(FieldError("question_vi", _("The question in Vietnamese is required."), "required"))
    if not 1 <= data.valid_days <= 365:
        errors.append(FieldError("valid_days", _("Between 1 and 365 days."), "out_of_range"))
    for name in ("name", "question_vi", "question_en", "why_vi", "why_en"):
        if len(getattr(data, name)) > (120 if name == "name" else 300):
            errors.append(FieldError(name, _("Too long."), "too_long"))
    if errors:
        raise ValidationFailed(_("The survey was not saved."), errors)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        for name in ("name", "question_vi", "question_en", "why_vi", "why_en", "valid_days", "is_active"):
            value = getattr(data, name)
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.save()
        record_event(name="survey.changed", subject=locked, actor=actor, payload={"key": locked.key})
    return locked


def question_labels(question: Question, language: str) -> dict[str, Any]:
    """A question's text and choices in one language (English falls back to Vietnamese)."""
    english = language == "en"
    return {
        "text": (question.text_en if english and question.text_en else question.text_vi),
        "choices": [
            (str(c.get("value")), c.get("en") if english and c.get("en") else c.get("vi", c.get("value")))
            for c in question.choices
        ],
    }
