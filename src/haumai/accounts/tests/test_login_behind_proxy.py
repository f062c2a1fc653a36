"""Behind a reverse proxy every client keeps its own failure count (not one shared by the proxy)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.accounts.models import LoginFailure


@pytest.mark.django_db
def test_clients_behind_one_proxy_have_their_own_lockout(settings: Any, make_staff: Any) -> None:
    settings.HAUMAI_TRUSTED_PROXIES = 1
    manager = make_staff("manager")
    for number in range(3):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").post(
            "/console/login/", {"username": manager.username, "password": "wrong"}
        )
    addresses = set(LoginFailure.objects.values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.0", "198.51.100.1", "198.51.100.2"}
