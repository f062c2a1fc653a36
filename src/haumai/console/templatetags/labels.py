"""Template filters that show labels instead of raw codes: channels, channel chains, languages, carriers,
journey trigger events and message template keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings

from haumai.journeys.labels import trigger_event_label
from haumai.journeys.rules import DEFAULT_CHANNEL_ORDER
from haumai.messaging.models import Channel
from haumai.shipping.sentences import carrier_name

register = template.Library()


@register.filter
def channel_label(code: Any) -> str:
    """'zns' -> 'Zalo ZNS' (a messaging channel's label); an unknown code as it is."""
    if not code:
        return ""
    try:
        return str(Channel(code).label)
    except ValueError:
        return str(code)


@register.filter
def channel_chain(codes: Iterable[Any] | None) -> str:
    """['zalo', 'sms'] -> 'Zalo OA message → SMS' (the fallback order of a journey)."""
    return " → ".join(channel_label(code) for code in codes or [])


@register.filter
def journey_channels(codes: Iterable[Any] | None) -> str:
    """A journey's fallback channels as labels; the default order when the journey sets none."""
    return channel_chain(list(codes or []) or DEFAULT_CHANNEL_ORDER)


@register.filter
def language_label(code: Any) -> str:
    """'vi' -> 'Tiếng Việt' in the current language."""
    return str(dict(settings.LANGUAGES).get(code, code or ""))


@register.filter
def carrier_label(code: Any) -> str:
    """'ghn' -> 'GHN', 'viettel_post' -> 'Viettel Post'."""
    return carrier_name(str(code)) if code else ""


@register.filter
def trigger_label(pattern: Any) -> str:
    """'order.delivered' -> 'An order is delivered' (a journey's trigger event)."""
    return trigger_event_label(str(pattern)) if pattern else ""


@register.filter
def template_label(key: Any, names: dict[str, str] | None) -> str:
    """A template key as its name, from the `template_labels` the view passed (no query here)."""
    if not key:
        return ""
    return (names or {}).get(str(key), str(key))


@register.filter
def named(code: Any, names: dict[str, str] | None) -> str:
    """A code as its name from a dict the view passed (e.g. product categories); unknown codes as they are."""
    return template_label(code, names)

