"""Assignment settings page: managers only, field errors beside the field, nothing saved on error."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.accounts.models import Team
from haumai.support.models import AgentSkill, AssignmentRule, BusinessCalendar

pytestmark = pytest.mark.django_db


def login(make_staff: Any, role: str) -> tuple[Client, Any]:
    user = make_staff(role)
    client = Client()
    client.force_login(user)
    return client, user


def test_agents_get_403(make_staff: Any) -> None:
    team = Team.objects.create(code="cskh", name="CSKH")
    client, _ = login(make_staff, "agent")
    assert client.get(reverse("support_assignment:teams")).status_code == 403
    url = reverse("support_assignment:team", args=[team.pk])
    assert client.post(url, {"enabled": "on", "mode": "round_robin"}).status_code == 403
    assert not AssignmentRule.objects.exists()


def test_manager_turns_it_on_with_skills_and_sees_field_errors(
    make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    team = Team.objects.create(code="cskh", name="CSKH")
    other = Team.objects.create(code="hotline", name="Tổng đài")
    AssignmentRule.objects.create(team=other, enabled=True, channels=["phone"])
    client, _manager = login(make_staff, "manager")
    agent = make_staff("agent")
    agent.team = team
    agent.save(update_fields=["team"])
    url = reverse("support_assignment:team", args=[team.pk])
    prefix = f"agent-{agent.pk}"
    bad_cap = client.post(url, {"enabled": "on", "mode": "round_robin", "max_open_per_agent": "0"})
    assert bad_cap.status_code == 422 and b'id="id_max_open_per_agent_error"' in bad_cap.content
    taken = client.post(url, {"enabled": "on", "mode": "round_robin", "channels": ["zalo", "phone"]})
    assert taken.status_code == 422 and "already goes to team Tổng đài".encode() in taken.content
    bad_mode = client.post(url, {"mode": "random"})
    assert bad_mode.status_code == 422 and b"is-invalid" in bad_mode.content
    assert not AssignmentRule.objects.filter(team=team).exists() and not AgentSkill.objects.exists()
    ok = client.post(url, {"enabled": "on", "mode": "least_open", "max_open_per_agent": "5",
                           "channels": ["zalo", "email"], f"{prefix}-channels": ["email"],
                           f"{prefix}-tags": "Bảo hành, đổi trả"})
    assert ok.status_code == 302
    rule = AssignmentRule.objects.get(team=team)
    assert (rule.enabled, rule.mode, rule.max_open_per_agent, rule.channels) == (True, "least_open", 5,
                                                                                  ["email", "zalo"])
    skill = AgentSkill.objects.get(user=agent)
    assert skill.channels == ["email"] and skill.tag_keys == ["bao hanh", "doi tra"]
    night = BusinessCalendar.objects.create(code="dem", name="Ca đêm")
    for _ in range(4):  # more agents cost no more queries
        extra = make_staff("agent")
        extra.team = team
        extra.save(update_fields=["team"])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.status_code == 200 and b"bao hanh, doi tra" in page.content and "Ca đêm".encode() in page.content
    assert client.post(url, {"mode": "round_robin", f"{prefix}-calendar": "999999"}).status_code == 422
    assert client.post(url, {"mode": "round_robin", f"{prefix}-calendar": str(night.pk)}).status_code == 302
    assert AgentSkill.objects.get(user=agent).calendar_id == night.pk
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("support_assignment:teams"))
    assert listing.status_code == 200 and "Tổng đài".encode() in listing.content
