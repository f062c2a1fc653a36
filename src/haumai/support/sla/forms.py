"""Forms of the SLA settings pages (validation of shapes; the rules live in services)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from haumai.accounts.models import Team
from haumai.segments import selectors as segment_selectors
from haumai.support.models import SlaChannel, SlaPolicy, SlaPriority, Weekday

RANGE = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*[-–]\s*(\d{1,2})[:h.](\d{2})\s*$")


class CalendarForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    code = forms.SlugField(label=_("code"), max_length=60)
    time_zone = forms.CharField(label=_("time zone"), max_length=64, initial="Asia/Ho_Chi_Minh")
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.order_by("name"), required=False)
    is_default = forms.BooleanField(label=_("default calendar"), required=False)
    vietnam_holidays = forms.BooleanField(label=_("closed on Vietnamese public holidays"), required=False, initial=True)

    def clean_time_zone(self) -> str:
        value = str(self.cleaned_data["time_zone"]).strip()
        if value not in available_timezones():
            raise forms.ValidationError(_("Unknown time zone, e.g. Asia/Ho_Chi_Minh."))
        return value


def parse_ranges(text: str) -> list[tuple[dt.time, dt.time]]:
    """'08:00-12:00, 13:30-17:30' -> [(08:00, 12:00), (13:30, 17:30)]; '24:00' or '00:00' ends at midnight."""
    ranges = []
    for part in [p for p in re.split(r"[,;\n]", text) if p.strip()]:
        match = RANGE.match(part)
        if not match:
            raise forms.ValidationError(_("Write shifts as 08:00-12:00, 13:30-17:30."))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h2 == 24 and m2 == 0:
            h2 = 0
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise forms.ValidationError(_("Write shifts as 08:00-12:00, 13:30-17:30."))
        ranges.append((dt.time(h1, m1), dt.time(h2, m2)))
    return ranges


class ShiftsForm(forms.Form):
    """One text field per weekday: its shifts as '08:00-12:00, 13:30-17:30' (empty = closed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Weekday.choices:
            self.fields[f"day_{value}"] = forms.CharField(label=label, required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shifts: list[tuple[int, dt.time, dt.time]] = []
        for value, _label in Weekday.choices:
            try:
                shifts += [(value, start, end) for start, end in parse_ranges(data.get(f"day_{value}", ""))]
            except forms.ValidationError as error:
                self.add_error(f"day_{value}", error)
        data["shifts"] = shifts
        return data

    @staticmethod
    def initial_for(shift_rows: Any) -> dict[str, str]:
        """The form's initial text from stored shifts."""
        texts: dict[int, list[str]] = {}
        for shift in shift_rows:
            end = "24:00" if shift.end == dt.time(0) else f"{shift.end:%H:%M}"
            texts.setdefault(shift.weekday, []).append(f"{shift.start:%H:%M}-{end}")
        return {f"day_{day}": ", ".join(parts) for day, parts in texts.items()}


class ClosedDayForm(forms.Form):
    date = forms.DateField(label=_("date"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(label=_("reason"), max_length=120, required=False)


class PolicyForm(forms.ModelForm):
    priority = forms.ChoiceField(
        label=_("priority"), required=False, choices=[("", _("Any priority")), *SlaPriority.choices]
    )
    channel = forms.ChoiceField(
        label=_("channel"), required=False, choices=[("", _("Any channel")), *SlaChannel.choices]
    )

    segment_code = forms.ChoiceField(
        label=_("customer segment"),
        required=False,
        help_text=_("The policy applies to customers in this saved segment."),
    )

    class Meta:
        model = SlaPolicy
        fields = [
            "name",
            "priority",
            "channel",
            "segment_code",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "warn_percent",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Any segment")))]
        choices += [(s.key, s.name) for s in segment_selectors.segment_list().order_by("name")]
        current = self.instance.segment_code if self.instance and self.instance.pk else ""
        if current and current not in {key for key, _label in choices}:  # its segment was deleted since
            choices.append((current, str(_("%(code)s (segment deleted)") % {"code": current})))
        field = self.fields["segment_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
