"""Forms of the assignment settings page: the team's rule and one small form per agent (shapes only)."""

from __future__ import annotations

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
    calendar = forms.ModelChoiceField(label=_("shifts"), required=False, empty_label=_("Team calendar"),
                                      queryset=BusinessCalendar.objects.order_by("name"))

    def tag_list(self) -> list[str]:
        return [part.strip() for part in str(self.cleaned_data.get("tags") or "").split(",") if part.strip()]
