"""Automatic assignment: one rule per team (on/off, mode, load cap, the channels it receives) and agents' skills.

`AssignmentRule.last_assigned` is the round-robin pointer; the rule row is locked while a ticket is placed, so
parallel new tickets take turns and never push an agent over the cap (services/assignment.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentMode(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_OPEN = "least_open", _("Fewest open tickets")


class AssignmentRule(models.Model):
    """How a team's new and unassigned tickets find an agent."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="assignment_rule",
                                verbose_name=_("team"))
    enabled = models.BooleanField(_("automatic assignment on"), default=False)
    mode = models.CharField(_("mode"), max_length=20, choices=AssignmentMode.choices,
                            default=AssignmentMode.ROUND_ROBIN)
    max_open_per_agent = models.PositiveIntegerField(_("open tickets per agent at most"), null=True, blank=True)
    # New tickets from these channels that have no team yet join this team's queue.
    channels = models.JSONField(_("channels received"), default=list, blank=True)
    last_assigned = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.team_id)


class AgentSkill(models.Model):
    """What one agent handles: channels and tag keys (empty = everything) and an optional own shift calendar."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_skill")
    channels = models.JSONField(_("channels"), default=list, blank=True)
    tag_keys = models.JSONField(_("tags"), default=list, blank=True)
    calendar = models.ForeignKey("support.BusinessCalendar", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("shifts"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.user_id)
