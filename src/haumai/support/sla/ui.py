"""Console registration of the SLA settings pages (calendars and policies, under Settings)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="support.sla_calendars",
        area="settings",
        label=_("Business calendars"),
        url_name="support_sla:calendars",
        icon="calendar-clock",
        permission="support.view_businesscalendar",
        order=40,
        active_prefixes=("/console/support/sla/calendars/",),
    ),
    NavEntry(
        key="support.sla_policies",
        area="settings",
        label=_("SLA policies"),
        url_name="support_sla:policies",
        icon="timer",
        permission="support.view_slapolicy",
        order=41,
        active_prefixes=("/console/support/sla/policies/",),
    ),
)
