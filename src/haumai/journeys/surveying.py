"""The seam between journeys and surveys: a survey step opens an invitation and puts its link in the message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def known_survey_keys() -> set[str]:
    """Active surveys a journey step may send (validation and the builder's choices)."""
    from haumai.surveys import selectors

    return set(selectors.active_survey_keys())


@dataclass(frozen=True)
class SurveyAsk:
    """One survey step of one run, about the run's subject."""

    survey_key: str
    customer: Any
    idempotency_key: str
    subject_type: str
    subject_id: str
    subject_code: str
    channel: str
    language: str


def open_invitations(asks: Sequence[SurveyAsk]) -> list[dict[str, Any] | None]:
    """Per ask the template values {"survey": {...}, "link": url, "invitation_id": id}, or None when the survey
    is missing or switched off. The same idempotency key gives the same invitation (a repeated tick)."""
    from haumai.surveys import links, selectors, services

    surveys = selectors.surveys_by_key({a.survey_key for a in asks})
    usable = [a for a in asks if a.survey_key in surveys and surveys[a.survey_key].is_active]
    invitations = services.open_invitations(
        [
            services.InvitationRequest(
                survey=surveys[a.survey_key], customer=a.customer, idempotency_key=a.idempotency_key,
                subject_type=a.subject_type, subject_id=a.subject_id, subject_code=a.subject_code,
                channel=a.channel, language=a.language,
            )
            for a in usable
        ]
    )
    by_key = {inv.idempotency_key: inv for inv in invitations}
    answers: list[dict[str, Any] | None] = []
    for ask in asks:
        invitation = by_key.get(ask.idempotency_key) if ask in usable else None
        if invitation is None:
            answers.append(None)
            continue
        survey = surveys[ask.survey_key]
        answers.append({
            "invitation_id": invitation.pk,
            "link": links.url_for(invitation),
            "survey": {
                "code": invitation.code,
                "name": survey.name,
                "question": survey.question_en if ask.language == "en" and survey.question_en else survey.question_vi,
                "subject_code": invitation.subject_code,
                "expires_at": invitation.expires_at.isoformat(),
            },
        })
    return answers


def attach_deliveries(pairs: dict[int, tuple[int, str]]) -> None:
    """Record which Delivery carried which invitation: {invitation id: (delivery id, channel)}."""
    if pairs:
        from haumai.surveys import services

        services.attach_deliveries(pairs)
