"""Segment reads: lists, members, a customer's segments and RFM, and the live preview of a rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When

from haumai.core.errors import NotFound
from haumai.core.text import search_key
from haumai.customers.models import Customer
from haumai.segments import rules as segment_rules
from haumai.segments.models import CustomerRfm, RefreshSchedule, Segment, SegmentMember

SAMPLE_SIZE = 10


def segment_list(*, query: str = "") -> QuerySet[Segment]:
    """Saved segments, last changed first; `query` matches the name without diacritics."""
    rows = Segment.objects.all()
    if query.strip():
        rows = rows.filter(search_key__contains=search_key(query)[:120])
    return rows.order_by("-updated_at", "-id")


def segment_by_key(key: str) -> Segment:
    """One segment by its key."""
    segment = Segment.objects.filter(key=key[:60]).first()
    if segment is None:
        raise NotFound("Segment not found")
    return segment


def segments_by_key(keys: set[str]) -> dict[str, Segment]:
    """Segments for a set of keys (journeys check branch values with it)."""
    return {s.key: s for s in Segment.objects.filter(key__in=keys)}


def entry_triggers(limit: int = 50) -> list[tuple[str, str]]:
    """(journey trigger event, segment name) for the newest saved segments (the journey builder offers them)."""
    rows = Segment.objects.order_by("-updated_at", "-id").values_list("key", "name")[:limit]
    return [(f"segment.entered.{key}", name) for key, name in rows]


def members(segment: Segment) -> QuerySet[Customer]:
    """The segment's customers as of its last refresh, by code (paginated by the caller)."""
    member_ids = SegmentMember.objects.filter(segment=segment).values("customer_id")
    return Customer.objects.filter(id__in=member_ids).select_related("rfm").order_by("code")


def is_member(*, segment_key: str, customer_id: int) -> bool:
    """Whether the customer was in the segment at its last refresh."""
    return SegmentMember.objects.filter(segment__key=segment_key, customer_id=customer_id).exists()


def customer_segments(customer: Customer) -> list[Segment]:
    """The segments a customer is in, by name."""
    return list(Segment.objects.filter(members__customer=customer).order_by("name"))


def customer_rfm(customer: Customer) -> CustomerRfm | None:
    """The customer's RFM scores (None before they bought, or before the first nightly run)."""
    return CustomerRfm.objects.filter(customer=customer).first()


def schedule() -> RefreshSchedule | None:
    """The nightly run's schedule row."""
    return RefreshSchedule.objects.filter(key="nightly").first()


@dataclass
class Preview:
    """How many customers a rule matches now, out of how many, and a few of them."""

    size: int
    total: int
    sample: list[Customer]

    @property
    def matches_nothing(self) -> bool:
        return self.size == 0

    @property
    def matches_everyone(self) -> bool:
        return self.total > 0 and self.size >= self.total


def preview(rules: dict[str, Any]) -> Preview:
    """Count and sample the customers a cleaned rule matches (three queries)."""
    matching = segment_rules.matching(rules)
    size = matching.count()
    total = Customer.objects.filter(merged_into__isnull=True).count()
    sample = list(matching.order_by("-id")[:SAMPLE_SIZE]) if size else []
    return Preview(size=size, total=total, sample=sample)


def keys_by_customer(customer_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The saved segments' keys per customer, in one query (support's SLA policies match them)."""
    found: dict[int, list[str]] = {}
    rows = SegmentMember.objects.filter(customer_id__in=list(customer_ids)).values_list("customer_id", "segment__key")
    for customer_id, key in rows:
        found.setdefault(customer_id, []).append(key)
    return {customer_id: tuple(sorted(keys)) for customer_id, keys in found.items()}


# Named RFM groups from the recency and frequency scores (the first rule that matches wins); the dashboard
# shows how many buying customers are in each (analytics). Monetary is shown as the group's spend.
RFM_GROUPS: tuple[tuple[str, Any], ...] = (
    ("champions", Q(recency_score__gte=4, frequency_score__gte=4)),
    ("loyal", Q(recency_score__gte=3, frequency_score__gte=3)),
    ("recent", Q(recency_score__gte=4)),
    ("at_risk", Q(recency_score__lte=2, frequency_score__gte=3)),
    ("hibernating", Q(recency_score__lte=2)),
    ("needs_attention", Q()),
)


def rfm_distribution() -> list[dict[str, Any]]:
    """Per named RFM group: customers, orders and spend (VND), from the last nightly scores (one query)."""
    group = Case(
        *(When(rule, then=Value(name)) for name, rule in RFM_GROUPS[:-1]),
        default=Value(RFM_GROUPS[-1][0]),
        output_field=CharField(),
    )
    rows = (
        CustomerRfm.objects.annotate(group=group)
        .values("group")
        .annotate(customers=Count("customer_id"), orders=Sum("orders"), spend=Sum("spend"))
        .order_by()
    )
    found = {row["group"]: row for row in rows}
    empty: dict[str, Any] = {}
    return [
        {
            "group": name,
            "customers": found.get(name, empty).get("customers", 0),
            "orders": found.get(name, empty).get("orders") or 0,
            "spend": found.get(name, empty).get("spend") or 0,
        }
        for name, _rule in RFM_GROUPS
    ]


def member_ids_after(*, segment_key: str, after_id: int, limit: int) -> list[int]:
    """Member ids of a segment above `after_id`, ascending (a worker walks a segment in chunks)."""
    return list(
        SegmentMember.objects.filter(segment__key=segment_key, customer_id__gt=after_id)
        .order_by("customer_id")
        .values_list("customer_id", flat=True)[:limit]
    )
