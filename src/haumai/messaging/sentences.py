"""Timeline sentences of messages and templates (message.*, delivery.*, template.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import label, said, url, value
from haumai.messaging.models import Channel

# What staff decided about a delivery whose outcome was unknown (messaging.services.resolve_delivery).
RESOLUTIONS = {
    "sent": gettext_lazy("marked as sent"),
    "resend": gettext_lazy("queued to send again"),
    "give_up": gettext_lazy("given up"),
}


def _delivery_url(event: Any) -> str:
    raw = value(event, "delivery")
    return url("messaging:delivery_detail", int(raw)) if raw.isdigit() else ""


def message_given_up(event: Any) -> TimelineEntry:
    params = {"channel": label(Channel, value(event, "channel")) or "—"}
    text = _("A %(channel)s message could not be delivered; sending stopped") % params
    return said(text, icon="circle-x", tone="danger", url=_delivery_url(event))


def delivery_settled(event: Any) -> TimelineEntry:
    resolution = value(event, "resolution")
    params = {
        "channel": label(Channel, value(event, "channel")) or "—",
        "resolution": str(RESOLUTIONS.get(resolution, resolution)) or "—",
    }
    text = _("A %(channel)s message was checked by staff: %(resolution)s") % params
    return said(text, icon="mail", url=_delivery_url(event))


def template_changed(event: Any) -> TimelineEntry:
    params = {
        "key": value(event, "key") or "—",
        "channel": label(Channel, value(event, "channel")) or "—",
        "version": value(event, "version") or "—",
    }
    text = _("Message template %(key)s (%(channel)s) saved as version %(version)s") % params
    return said(text, icon="file-text")


register_sentence("message.given_up", message_given_up)
register_sentence("delivery.settled", delivery_settled)
register_sentence("template.changed", template_changed)
