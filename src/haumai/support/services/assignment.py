"""Automatic assignment of new and unassigned tickets: round robin (or fewest open) among a team's agents.

An agent qualifies when they are active, may reply to tickets, belong to the ticket's team, are on shift now
(their own calendar, else the team's SLA calendar, else the default one), handle the ticket's channel and tags
(skills; empty = everything) and hold fewer active tickets than the rule's cap. The team's rule row is locked
(`select_for_update`) for the whole choice, inside the transaction that creates or unassigns the ticket: two
parallel tickets take turns, so the pointer moves once per ticket and nobody goes over the cap. When nobody
qualifies the ticket stays unassigned in the team's queue and an event says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Forbidden
from haumai.core.text import search_key
from haumai.events.services import record_event
from haumai.support.models import (
    ACTIVE_STATUSES,
    AgentSkill,
    AssignmentMode,
    AssignmentRule,
    BusinessCalendar,
    Ticket,
    TicketChannel,
)
from haumai.support.services.common import refuse, touch
from haumai.support.sla.calendar import WorkingCalendar
from haumai.support.sla.selectors import calendar_for_team, working_calendar

MAX_CAP = 500
MAX_SKILL_TAGS = 20
MANAGE_PERMISSION = "support.change_assignmentrule"


@dataclass(frozen=True)
class Candidate:
    """One team member and why they can or cannot take the ticket."""

    user: Any
    open_tickets: int
    reason: str  # "" when they qualify, else off_shift / skills / cap


def on_shift(calendar: WorkingCalendar, at: dt.datetime) -> bool:
    """Whether `at` falls inside one of the calendar's open intervals (shifts minus closed days)."""
    day = calendar.local_date(at)
    return any(start <= at < end for start, end in calendar.intervals_on(day))


def _agents(team_id: int) -> list[Any]:
    """Active team members who may reply to tickets, in a stable order (the round-robin ring)."""
    may_reply = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="reply_ticket", groups__permissions__content_type__app_label="support")
        | Q(user_permissions__codename="reply_ticket", user_permissions__content_type__app_label="support")
    )
    ids = get_user_model().objects.filter(may_reply, team_id=team_id, is_active=True).values("pk").distinct()
    return list(get_user_model().objects.filter(pk__in=ids).select_related("assignment_skill").order_by("pk"))


def _skill(user: Any) -> AgentSkill | None:
    try:
        return user.assignment_skill
    except AgentSkill.DoesNotExist:
        return None


def _handles(skill: AgentSkill | None, channel: str, tag_keys: set[str]) -> bool:
    if skill is None:
        return True
    if skill.channels and channel not in skill.channels:
        return False
    return not skill.tag_keys or bool(tag_keys & set(skill.tag_keys))


def candidates(ticket: Ticket, team_id: int, *, cap: int | None, at: dt.datetime | None = None) -> list[Candidate]:
    """Every member of the team with their open-ticket count and the reason they are skipped ('' = qualifies)."""
    moment = at or clock.now()
    agents = _agents(team_id)
    if not agents:
        return []
    loads = dict(
        Ticket.objects.filter(assignee_id__in=[a.pk for a in agents], status__in=ACTIVE_STATUSES)
        .values("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n")
    )  # fmt: skip
    tag_keys = set(ticket.tags.values_list("key", flat=True)) if ticket.pk else set()
    team_calendar = calendar_for_team(team_id)
    own: dict[int, WorkingCalendar] = {}
    calendar_ids = {s.calendar_id for a in agents if (s := _skill(a)) is not None and s.calendar_id}
    if calendar_ids:
        for stored in BusinessCalendar.objects.filter(pk__in=calendar_ids).prefetch_related("shifts", "closed_days"):
            own[stored.pk] = working_calendar(stored)
    result = []
    for agent in agents:
        skill = _skill(agent)
        calendar = own.get(skill.calendar_id, team_calendar) if skill and skill.calendar_id else team_calendar
        load = loads.get(agent.pk, 0)
        if not on_shift(calendar, moment):
            reason = "off_shift"
        elif not _handles(skill, ticket.channel, tag_keys):
            reason = "skills"
        elif cap is not None and load >= cap:
            reason = "cap"
        else:
            reason = ""
        result.append(Candidate(agent, load, reason))
    return result


def _pick(rule: AssignmentRule, ready: Sequence[Candidate]) -> Candidate:
    """The next agent after the pointer in the ring (fewest open first in that mode, the ring breaking ties)."""
    pointer = rule.last_assigned_id or 0
    ring = sorted(ready, key=lambda c: (c.user.pk <= pointer, c.user.pk))
    if rule.mode == AssignmentMode.LEAST_OPEN:
        return min(ring, key=lambda c: c.open_tickets)
    return ring[0]


def route_new_ticket(ticket: Ticket) -> Any:
    """A new ticket without a team joins the team whose rule receives its channel; then auto-assign it."""
    if ticket.team_id is None:
        rule = _first_rule_for(ticket.channel)
        if rule is None:
            return None
        ticket.team_id = rule.team_id
        touch(ticket, ["team"])
    return auto_assign(ticket)


def _first_rule_for(channel: str) -> AssignmentRule | None:
    """The enabled rule receiving this channel (a handful of teams: read in Python on both databases)."""
    for rule in AssignmentRule.objects.filter(enabled=True).order_by("team_id"):
        if channel in (rule.channels or []):
            return rule
    return None


def auto_assign(ticket: Ticket, *, skip_user_id: int | None = None) -> Any:
    """Give an unassigned active ticket to the next qualified agent of its team; None when nobody qualifies.

    Call inside the transaction that created or unassigned the ticket (the ticket row is already locked or new).
    `skip_user_id`: the agent who just gave the ticket back is not chosen again."""
    if ticket.assignee_id is not None or ticket.team_id is None or ticket.status not in ACTIVE_STATUSES:
        return None
    rule = AssignmentRule.objects.select_for_update().filter(team_id=ticket.team_id, enabled=True).first()
    if rule is None:
        return None
    people = [c for c in candidates(ticket, ticket.team_id, cap=rule.max_open_per_agent)
              if c.user.pk != skip_user_id]  # fmt: skip
    ready = [c for c in people if not c.reason]
    team_name = rule.team.name
    if not ready:
        reasons = sorted({c.reason for c in people}) or ["no_agents"]
        record_event(
            name="ticket.auto_assign_skipped", customer=ticket.customer_id and ticket.customer, subject=ticket,
            actor_label="support:assignment",
            payload={"code": ticket.code, "team": team_name, "reasons": reasons},
        )  # fmt: skip
        return None
    chosen = _pick(rule, ready)
    ticket.assignee = chosen.user
    touch(ticket, ["assignee", "team"])
    rule.last_assigned = chosen.user
    rule.save(update_fields=["last_assigned", "updated_at"])
    record_event(
        name="ticket.auto_assigned", customer=ticket.customer_id and ticket.customer, subject=ticket,
        actor_label="support:assignment",
        payload={"code": ticket.code, "team": team_name, "assignee": chosen.user.get_username(),
                 "assignee_name": chosen.user.get_full_name() or chosen.user.get_username(),
                 "mode": rule.mode, "open_tickets": chosen.open_tickets + 1},
    )  # fmt: skip
    return chosen.user


# --- settings (the console page for managers) -------------------------------------------------------------


def _require_manager(actor: Any) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_perm(MANAGE_PERMISSION)):
        raise Forbidden()


def save_rule(
    *, actor: Any, team: Any, enabled: bool, mode: str, max_open_per_agent: int | None, channels: Sequence[str]
) -> AssignmentRule:
    """Create or change the team's rule; a channel is received by one team only."""
    _require_manager(actor)
    if mode not in AssignmentMode.values:
        raise refuse("mode", _("Choose a valid mode"), "invalid_choice")
    if max_open_per_agent is not None and not 1 <= max_open_per_agent <= MAX_CAP:
        raise refuse("max_open_per_agent", _("Between 1 and %(max)s, or empty for no cap") % {"max": MAX_CAP},
                     "out_of_range")  # fmt: skip
    wanted = sorted(set(channels))
    unknown = [c for c in wanted if c not in TicketChannel.values]
    if unknown:
        raise refuse("channels", _("Unknown channel %(channel)s") % {"channel": unknown[0]}, "invalid_choice")
    for other in AssignmentRule.objects.exclude(team=team).select_related("team"):
        taken = set(other.channels or []) & set(wanted)
        if taken:
            raise refuse("channels", _("Channel %(channel)s already goes to team %(team)s")
                         % {"channel": TicketChannel(sorted(taken)[0]).label, "team": other.team.name}, "taken")
    rule, _created = AssignmentRule.objects.update_or_create(
        team=team, defaults={"enabled": enabled, "mode": mode, "max_open_per_agent": max_open_per_agent,
                             "channels": wanted},
    )  # fmt: skip
    record_event(name="support.assignment_rule_changed", subject=rule, actor=actor,
                 payload={"team": team.name, "enabled": enabled, "mode": mode, "cap": max_open_per_agent,
                          "channels": wanted})  # fmt: skip
    return rule


def save_skills(
    *, actor: Any, user: Any, channels: Sequence[str], tags: Sequence[str], calendar: BusinessCalendar | None
) -> AgentSkill:
    """Set what one agent handles (field names are prefixed by the page)."""
    _require_manager(actor)
    wanted = sorted(set(channels))
    unknown = [c for c in wanted if c not in TicketChannel.values]
    if unknown:
        raise refuse("channels", _("Unknown channel %(channel)s") % {"channel": unknown[0]}, "invalid_choice")
    keys = sorted({search_key(" ".join(t.split()))[:40] for t in tags if t.strip()} - {""})
    if len(keys) > MAX_SKILL_TAGS:
        raise refuse("tags", _("At most %(count)s tags") % {"count": MAX_SKILL_TAGS}, "too_many")
    skill, _created = AgentSkill.objects.update_or_create(
        user=user, defaults={"channels": wanted, "tag_keys": keys, "calendar": calendar}
    )
    return skill
