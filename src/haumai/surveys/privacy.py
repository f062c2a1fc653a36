"""Personal data held by surveys (haumai.privacy): the customer's comments and free-text answers, and the
staff note of a follow-up. Responses stay after a deletion with the texts cleared, so scores keep counting
in the KPIs (an anonymous score is not personal)."""

from __future__ import annotations

from typing import Any

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED
from haumai.surveys.models import Answer, FollowUp, Invitation, Response


def export(person: Person) -> ExportPart:
    """The person's invitations, answers and follow-ups."""
    customer = person.customer
    return ExportPart(
        tables={
            "surveys.invitation": rows(
                Invitation.objects.filter(customer=customer).order_by("id"),
                (
                    "code",
                    "survey__name",
                    "subject_kind",
                    "subject_code",
                    "channel",
                    "created_at",
                    "expires_at",
                    "status",
                ),
            ),
            "surveys.response": rows(
                Response.objects.filter(customer=customer).order_by("id"),
                ("invitation__code", "survey__name", "kind", "score", "comment", "subject_code", "submitted_at"),
            ),
            "surveys.answer": rows(
                Answer.objects.filter(response__customer=customer).order_by("id"),
                ("response__invitation__code", "question__text_vi", "choice", "number", "text"),
            ),
            "surveys.followup": rows(
                FollowUp.objects.filter(customer=customer).order_by("id"),
                ("code", "status", "note", "created_at", "closed_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear comments, free-text answers and follow-up notes; scores stay for the aggregates."""
    customer = person.customer
    responses = Response.objects.filter(customer=customer).update(comment=REDACTED, comment_key="")
    answers = Answer.objects.filter(response__customer=customer).exclude(text="").update(text=REDACTED)
    notes = FollowUp.objects.filter(customer=customer).update(note=REDACTED)
    return {"surveys.response": responses, "surveys.answer": answers, "surveys.followup": notes}


register(
    PersonalDataSource(
        app="surveys",
        models=(
            PersonalModel(
                "surveys.Response",
                ("comment", "comment_key"),
                legal_hold="scores feed CSAT/NPS/CES: the row stays with the comment cleared",
                handling="exported; comment cleared",
            ),
            PersonalModel("surveys.Answer", ("text",), handling="exported; free text cleared"),
            PersonalModel("surveys.FollowUp", ("note",), handling="exported; note cleared"),
        ),
        not_personal={
            "surveys.Survey": ("name",),
            "surveys.Question": ("choices",),
        },
        export=export,
        anonymize=anonymize,
    )
)
