"""The client's address behind trusted proxies: lockouts count clients, not the proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from haumai.core.network import client_ip


def request(remote: str, forwarded: str | None = None) -> Any:
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.HAUMAI_TRUSTED_PROXIES = 0
    assert client_ip(request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # A client that forges the header only adds entries on the left: the proxy's entry wins.
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.5"),  # fewer hops than proxies: the header is not trusted
        (1, "not-an-address", None),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_is_counted_from_the_right(settings: Any, trusted: int, forwarded: str, expected: Any) -> None:
    settings.HAUMAI_TRUSTED_PROXIES = trusted
    assert client_ip(request("10.0.0.5", forwarded)) == expected
