"""The Content-Security-Policy in a real browser: htmx, Bootstrap and the allowed inline code still run."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.customers.services import create_customer

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "s3cret-pass-123"


def watch_violations(page: Any) -> list[str]:
    found: list[str] = []

    def collect(message: Any) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", collect)
    return found


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(live_server.url + "/console/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")


def test_console_works_under_the_policy(live_server: Any, page: Any) -> None:
    manager = create_staff_user(username="minh.manager", password=PASSWORD, role="manager")
    create_customer(actor=manager, full_name="Nguyễn Văn Ân", phone="0987 654 321")
    violations = watch_violations(page)
    log_in(page, live_server, "minh.manager")
    page.fill("#hm-search", "nguyen van an")  # htmx from the vendored static file
    page.locator("#hm-search-results a", has_text="Nguyễn Văn Ân").wait_for()
    page.goto(live_server.url + "/console/returns/receiving/")
    assert page.evaluate("document.activeElement.id") == "scan"  # the allowed inline script ran
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # the allowed onchange handler submits
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/admin/")
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_an_injected_inline_script_is_blocked(live_server: Any, page: Any) -> None:
    violations = watch_violations(page)
    page.goto(live_server.url + "/console/login/")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.injected") is None
    assert violations
