"""Console registration: the bot's report in the Care area."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        key="bot.report",
        area="care",
        label=_("Chat bot"),
        url_name="bot:report",
        icon="bot",
        permission="support.view_ticket",
        order=65,
        active_prefixes=("/console/bot/",),
    ),
)
