"""Reads for the assignment settings pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from haumai.accounts.models import Team
from haumai.support.models import ACTIVE_STATUSES, AssignmentRule, Ticket


def teams() -> QuerySet[Team]:
    """Teams with their rule, member count and the tickets waiting unassigned in their queue (one query)."""
    waiting = Count("tickets", filter=Q(tickets__assignee__isnull=True, tickets__status__in=ACTIVE_STATUSES),
                    distinct=True)  # fmt: skip
    return (Team.objects.select_related("assignment_rule").annotate(
        members_count=Count("members", filter=Q(members__is_active=True), distinct=True), waiting_count=waiting,
    ).order_by("name"))  # fmt: skip


def rule_for(team: Team) -> AssignmentRule | None:
    return AssignmentRule.objects.filter(team=team).first()


def members(team: Team) -> list[Any]:
    """The team's users (active first), with their skills."""
    return list(get_user_model().objects.filter(team=team).select_related("assignment_skill")
                .order_by("-is_active", "pk"))  # fmt: skip


def waiting_in_queue(team: Team) -> int:
    return Ticket.objects.filter(team=team, assignee__isnull=True, status__in=ACTIVE_STATUSES).count()
