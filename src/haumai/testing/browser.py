"""Browser fixtures for the apps' own browser tests (pytest plugin, registered in the root conftest.py).

`page`: a fresh Playwright page on the system Chromium (no browser download), desktop size, Vietnamese
locale, closed after the test. tests/browser/ overrides it with a session-wide browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls tests make around it
# (fixtures) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("HAUMAI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
STAFF_PASSWORD = "s3cret-pass-123"  # noqa: S105 - the root conftest's make_staff password


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def console_login(page: Any, live_server: Any, username: str) -> None:
    """Log a staff user (made by make_staff) in to the console."""
    # Through the home page, so the login returns there (agents would otherwise land on their inbox).
    page.goto(live_server.url + "/console/login/?next=/console/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
