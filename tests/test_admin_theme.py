"""The admin (Unfold) looks like the console: teal accent, "Haumai", a Vietnamese sidebar by area."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"


def _client(make_staff: Any, role: str) -> Client:
    client = Client()
    assert client.login(username=make_staff(role).username, password=PASSWORD)
    return client


@pytest.mark.vietnamese
def test_the_admin_has_the_console_teal_and_vietnamese_navigation(make_staff: Any) -> None:
    html = _client(make_staff, "admin").get("/admin/").content.decode()
    assert "Haumai" in html
    assert re.search(r"--color-primary-600:\s*oklch\(52\.4% \.088 189\.7\)", html)  # the console's #0b7a75
    assert "302.321" not in html  # Unfold's purple is gone
    for label in ("Vận hành hậu mãi", "Đổi trả", "Tài khoản nhân viên", "Kho hàng", "Sổ phiếu mua hàng"):
        assert label in html, label


@pytest.mark.vietnamese
def test_every_sidebar_link_of_a_manager_opens(make_staff: Any) -> None:
    client = _client(make_staff, "manager")
    html = client.get("/admin/").content.decode()
    links = set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', html))
    assert len(links) >= 10
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
