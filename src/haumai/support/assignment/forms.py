"""Forms of the assignment settings page: the team's rule and one small form per agent (shapes only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haumai.support.models import AssignmentMode, BusinessCalendar, TicketChannel
from haumai.support.services.assignment import MAX_CAP


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("automatic assignment on"), required=False)
    mode = forms.ChoiceField(label=_("mode"), choices=AssignmentMode.choices)
    max_open_per_agent = forms.IntegerField(
        label=_("open tickets per agent at most"), required=False, min_value=1, max_value=MAX_CAP,
        help_text=_("Empty: no cap. Agents at the cap are skipped until a ticket is solved."),
    )
    channels = forms.MultipleChoiceField(
        label=_("channels received"), choices=TicketChannel.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("New tickets from these channels join this team's queue."),
    )


class SkillForm(forms.Form):
    channels = forms.MultipleChoiceField(label=_("channels"), choices=TicketChannel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    tags = forms.CharField(label=_("tags"), required=False, max_length=800,
                           help_text=_("Comma-separated; empty: every ticket."))
    calendar = forms.TypedChoiceField(label=_("shifts"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, calendars: dict[int, BusinessCalendar], **kwargs: Any) -> None:
        """`calendars`: every calendar by id, read once for all the agents' forms of the page."""
        super().__init__(*args, **kwargs)
        self.calendars = calendars
        self.fields["calendar"].choices = [("", _("Team calendar")), *((pk, c.name) for pk, c in calendars.items())]  # type: ignore[attr-defined]

    def chosen_calendar(self) -> BusinessCalendar | None:
        pk = self.cleaned_data.get("calendar")
        return self.calendars.get(pk) if pk is not None else None

    def tag_list(self) -> list[str]:
        return [part.strip() for part in str(self.cleaned_data.get("tags") or "").split(",") if part.strip()]
