"""The client's address behind zero or more reverse proxies.

Lockouts and lookup limits count per address, so behind a proxy REMOTE_ADDR is the proxy and every
client would share one counter. `HAUMAI_TRUSTED_PROXIES` says how many proxies in front of Haumai
append to `X-Forwarded-For`; the client is the entry that many places from the right (entries further
left are whatever the client sent and cannot be trusted). With 0 (the default) REMOTE_ADDR is used.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """The client's IP address as a normalized string, or None when it is missing or not an address."""
    if request is None:
        return None
    trusted = int(getattr(settings, "HAUMAI_TRUSTED_PROXIES", 0) or 0)
    value = str(request.META.get("REMOTE_ADDR") or "")
    if trusted > 0:
        hops = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
        hops = [hop for hop in hops if hop]
        # Each trusted proxy appended the address it saw; the last one's peer is REMOTE_ADDR itself.
        if len(hops) >= trusted:
            value = hops[-trusted]
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
