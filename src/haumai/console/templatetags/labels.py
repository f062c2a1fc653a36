"""Template filters that show labels instead of raw codes: channels, channel chains, languages, carriers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.conf import settings

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
