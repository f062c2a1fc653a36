"""SLA models: business calendars (weekly shifts, closed days, Vietnamese public holidays) and policies.

A calendar belongs to at most one team (`team`); the calendar flagged `is_default` serves teams without
their own. A policy matches tickets by priority, channel and customer segment code (blank = any) and
sets the first-response, next-response and resolution targets in business minutes; the most specific
active policy wins (see `haumai.support.sla.selectors.targets_for`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SlaPriority(models.TextChoices):
    """Ticket priorities a policy can target (the ticket model uses the same values)."""

    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SlaChannel(models.TextChoices):
    """Channels a policy can target (the `InboundMessage.channel` values)."""

    EMAIL = "email", _("E-mail")
    ZALO = "zalo", _("Zalo OA")
    FACEBOOK = "facebook", _("Facebook Messenger")
    WEB_CHAT = "web_chat", _("Website chat")
    PHONE = "phone", _("Phone")


class BusinessCalendar(models.Model):
    """Working hours of a support team: time zone, weekly shifts, closed days, public holidays."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")
    team = models.OneToOneField(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_calendar",
        verbose_name=_("team"),
    )
    is_default = models.BooleanField(_("default calendar"), default=False)
    vietnam_holidays = models.BooleanField(_("closed on Vietnamese public holidays"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="support_one_default_calendar"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarShift(models.Model):
    """One working range of a weekday (a day may have several: morning and afternoon around lunch)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "weekday", "start"], name="support_shift_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class ClosedDay(models.Model):
    """An extra date the calendar is closed (company holiday, inventory day)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="support_closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}".strip()


class SlaPolicy(models.Model):
    """Targets for tickets of a priority, channel and customer segment (blank = any)."""

    name = models.CharField(_("name"), max_length=120)
    priority = models.CharField(_("priority"), max_length=20, choices=SlaPriority.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=SlaChannel.choices, blank=True)
    segment_code = models.SlugField(_("customer segment"), max_length=60, blank=True, help_text="a saved segment's key")
    first_response_minutes = models.PositiveIntegerField(_("first response (business minutes)"), null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(_("next response (business minutes)"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolution (business minutes)"), null=True, blank=True)
    warn_percent = models.PositiveSmallIntegerField(_("near-breach warning at (% of target)"), default=80)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "channel", "segment_code", "name"]
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "channel", "segment_code"],
                condition=Q(active=True),
                name="support_sla_policy_unique_scope",
            ),
            models.CheckConstraint(
                condition=Q(warn_percent__gte=1) & Q(warn_percent__lte=100), name="support_sla_warn_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name
