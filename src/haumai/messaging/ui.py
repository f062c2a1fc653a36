"""Messaging in the console: templates and deliveries (with the deliveries whose outcome is unknown)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from haumai.core.paging import BADGE_CAP
from haumai.core.registry import NavEntry, register_nav
from haumai.messaging.models import DeliveryStatus
from haumai.messaging.selectors import delivery_count


def _unknown_deliveries(user: Any) -> int | None:
    # Only someone who can settle them is asked to look.
    if not user.has_perm("messaging.resolve_delivery"):
        return None
    return delivery_count(DeliveryStatus.UNKNOWN, cap=BADGE_CAP)


register_nav(
    NavEntry(
        key="messaging.templates",
        area="proactive",
        label=_("Message templates"),
        url_name="messaging:templates",
        icon="mail",
        permission="messaging.view_template",
        order=20,
    ),
    NavEntry(
        key="messaging.deliveries",
        area="proactive",
        label=_("Deliveries"),
        url_name="messaging:deliveries",
        icon="send",
        permission="messaging.view_delivery",
        order=30,
        count=_unknown_deliveries,
    ),
)
