"""Demo: automatic assignment on for the customer-care team (round robin, at most 8 open tickets each)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from haumai.accounts.models import Team
from haumai.support.models import AssignmentMode, AssignmentRule

DEMO_MEMBERS = ("agent", "manager")


def seed_assignment() -> dict[str, int]:
    """The demo agent and manager join team 'cskh', whose rule receives Zalo, Messenger and web chat."""
    team = Team.objects.filter(code="cskh").first()
    if team is None or AssignmentRule.objects.exists():
        return {}
    get_user_model().objects.filter(username__in=DEMO_MEMBERS, team__isnull=True).update(team=team)
    AssignmentRule.objects.create(team=team, enabled=True, mode=AssignmentMode.ROUND_ROBIN, max_open_per_agent=8,
                                  channels=["zalo", "facebook", "web_chat"])
    return {"support.assignment_rules": 1}
