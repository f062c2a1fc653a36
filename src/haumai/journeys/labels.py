"""What staff read instead of raw codes on the journeys pages: trigger events and message templates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The domain events a journey is usually started by (the builder offers them; others can still be typed).
TRIGGER_EVENTS: dict[str, Any] = {
    "order.created": _("An order is placed"),
    "order.delivered": _("An order is delivered"),
    "order.cancelled": _("An order is cancelled"),
    "shipment.delayed": _("A parcel is late"),
    "shipment.delivered": _("A parcel is delivered"),
    "shipment.failed": _("A delivery attempt failed"),
    "delivery.late": _("A delivery is later than promised"),
    "delivery.stuck": _("A delivery has no carrier news"),
    "delivery.failed": _("A delivery to the customer failed an attempt"),
    "delivery.returned": _("A delivery went back to the sender"),
    "return.requested": _("A return is requested"),
    "return.approved": _("A return is approved"),
    "return.rejected": _("A return is rejected"),
    "return.picked_up": _("A return parcel is picked up"),
    "return.received": _("A return is received at the warehouse"),
    "refund.sent": _("A refund is paid"),
    "store_credit.granted": _("Store credit is added"),
    "warranty.activated": _("A warranty is activated"),
    "warranty.expiring": _("A warranty ends soon"),
    "warranty.claimed": _("A warranty claim is filed"),
    "customer.created": _("A customer is added"),
}
# "return.*": every event of one kind of record.
PATTERN_SUBJECTS: dict[str, Any] = {
    "order": _("Any order event"),
    "shipment": _("Any parcel event"),
    "delivery": _("Any delivery care event"),
    "return": _("Any return event"),
    "refund": _("Any refund event"),
    "warranty": _("Any warranty event"),
    "customer": _("Any customer event"),
}


def trigger_event_label(pattern: str) -> str:
    """'order.delivered' -> 'An order is delivered'; an unknown name or pattern as it is."""
    if pattern in TRIGGER_EVENTS:
        return str(TRIGGER_EVENTS[pattern])
    if pattern.startswith("segment.entered.") and len(pattern) > len("segment.entered."):
        return str(_("A customer enters segment %(key)s") % {"key": pattern.removeprefix("segment.entered.")})
    subject, _dot, rest = pattern.partition(".")
    if rest == "*" and subject in PATTERN_SUBJECTS:
        return str(PATTERN_SUBJECTS[subject])
    return pattern


def trigger_event_choices() -> list[tuple[str, str]]:
    """(event name, label) for the builder's suggestions, with "a customer enters segment X" per saved segment."""
    from haumai.segments.selectors import entry_triggers

    return [(name, str(label)) for name, label in TRIGGER_EVENTS.items()] + [
        (name, str(_("A customer enters segment %(key)s") % {"key": segment_name}))
        for name, segment_name in entry_triggers()
    ]


def template_labels() -> dict[str, str]:
    """Template key -> its name in the current language (one query); the pages show names, not keys."""
    from haumai.messaging.selectors import template_names

    return template_names(language=(get_language() or "vi")[:2])


def category_labels() -> dict[str, str]:
    """Product category code -> name (one query), for maintenance triggers and category conditions."""
    from haumai.catalog.models import Category

    return dict(Category.objects.values_list("code", "name"))
