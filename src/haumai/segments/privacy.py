"""Personal data held by segments (haumai.privacy): which saved segments a customer is in, and their RFM
scores (derived from orders: profiling). Both are exported; a deletion removes them (they are recomputed
from the anonymized orders only if the person buys again)."""

from __future__ import annotations

from typing import Any

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.segments.models import CustomerRfm, SegmentMember


def export(person: Person) -> ExportPart:
    """The person's segments and RFM scores."""
    customer = person.customer
    return ExportPart(
        tables={
            "segments.segmentmember": rows(
                SegmentMember.objects.filter(customer=customer).order_by("id"), ("segment__name", "segment__key")
            ),
            "segments.customerrfm": rows(
                CustomerRfm.objects.filter(customer=customer),
                ("last_order_at", "orders", "spend", "recency_score", "frequency_score", "monetary_score",
                 "computed_at"),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Drop the person's memberships and scores (profiling of an erased person stops)."""
    customer = person.customer
    members, _ = SegmentMember.objects.filter(customer=customer).delete()
    scores, _ = CustomerRfm.objects.filter(customer=customer).delete()
    return {"segments.segmentmember": members, "segments.customerrfm": scores}


register(
    PersonalDataSource(
        app="segments",
        models=(
            PersonalModel("segments.SegmentMember", ("customer",), handling="exported; deleted"),
            PersonalModel(
                "segments.CustomerRfm",
                ("customer", "last_order_at", "orders", "spend", "recency_score", "frequency_score",
                 "monetary_score"),
                handling="exported; deleted",
            ),
        ),
        not_personal={
            "segments.Segment": ("name", "search_key", "description", "rules"),  # a marketing audience's name
            "segments.RefreshSchedule": (),
        },
        export=export,
        anonymize=anonymize,
    )
)
