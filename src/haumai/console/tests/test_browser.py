"""The console shell in a real browser (system Chromium) at 1280x800 and 390x844.

Every main page of each role: no horizontal overflow, the sidebar shows exactly the entries the role
may open, exactly one of them active (none on the search page), no console errors;
Ctrl+K opens the palette and finds an RMA code; the
phone's off-canvas menu opens and closes. Screenshots go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from haumai.console.navigation import allowed_entries
from haumai.returns.models import ReturnPolicy
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_console import open_return
from haumai.testing.browser import console_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.vietnamese]
SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
VIEWPORTS = [(1280, 800), (390, 844)]
SKIP = {"accounts.admin"}  # the admin site has its own layout


def check_page(
    page: Any, url: str, *, expected_keys: list[str], active: str, shot: str, errors: list[str]
) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{url}: {scroll_width}px wide in a {inner_width}px window"
    keys = page.eval_on_selector_all("#hm-sidebar [data-nav-key]", "links => links.map(a => a.dataset.navKey)")
    assert keys == expected_keys, url
    active_keys = page.eval_on_selector_all("#hm-sidebar .is-active", "links => links.map(a => a.dataset.navKey)")
    assert active_keys == ([active] if active else []), url
    assert errors == [], (url, errors)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)


def login_as(page: Any, live_server: Any, make_staff: Any, role: str) -> tuple[Any, list[str]]:
    user = make_staff(role, username=f"{role}.browser")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    console_login(page, live_server, user.username)
    return user, errors


@pytest.mark.parametrize("role", ["manager", "agent", "warehouse"])
def test_main_pages_fit_and_show_the_role_its_sidebar(
    live_server: Any, page: Any, make_staff: Any, shop: Shop, role: str
) -> None:
    ReturnPolicy.objects.update(auto_approve=False)
    rma = open_return(shop)
    user, errors = login_as(page, live_server, make_staff, role)
    entries = allowed_entries(user)
    expected = [entry.key for entry in entries]
    # (screenshot name, path, the entry that must be the one active; "" for pages outside the sidebar)
    pages = [(entry.key, reverse(entry.url_name), entry.key) for entry in entries if entry.key not in SKIP]
    if role != "manager":  # every page for one role, the first ones for the others
        pages = pages[:3]
    pages += [
        ("return-detail", reverse("returns:detail", args=[rma.code]), "returns.queue"),
        ("customer-360", reverse("customers:detail", args=[shop.customer.code]), "customers.list"),
        ("search", reverse("console:search") + "?q=nguyen+an", ""),
    ]
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path, active in pages:
            shot = f"{role}-{name}-{width}"
            check_page(page, live_server.url + path, expected_keys=expected, active=active, shot=shot, errors=errors)


def test_ctrl_k_opens_the_palette_and_finds_an_rma_code(
    live_server: Any, page: Any, make_staff: Any, shop: Shop
) -> None:
    ReturnPolicy.objects.update(auto_approve=False)
    rma = open_return(shop)
    _user, errors = login_as(page, live_server, make_staff, "agent")
    # The waiting-work badge arrives after the page: one return to approve.
    badge = page.locator('[data-nav-key="returns.queue"] [data-nav-count]')
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1"

    page.keyboard.press("Control+k")
    assert page.evaluate("document.activeElement.id") == "hm-search"
    page.keyboard.type(rma.code.lower())
    hit = page.locator("#hm-search-results [role=option]", has_text=rma.code)
    hit.wait_for()
    box = page.locator("#hm-search").bounding_box()
    results = page.locator("#hm-search-results").bounding_box()
    assert results["y"] >= box["y"] + box["height"], "the type-ahead must not cover the box"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "palette-rma-1280.png"))
    page.keyboard.press("Escape")
    assert page.locator("#hm-search-results").is_hidden()
    page.keyboard.press("ArrowDown")
    assert page.locator("#hm-search-results [role=option].is-active").count() == 1
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(reverse("returns:detail", args=[rma.code]))
    assert page.locator('#hm-sidebar .hm-nav-link.is-active[data-nav-key="returns.queue"]').count() == 1
    assert errors == []


def test_phone_menu_is_off_canvas_and_the_sidebar_collapse_is_remembered(
    live_server: Any, page: Any, make_staff: Any
) -> None:
    _user, errors = login_as(page, live_server, make_staff, "agent")
    toggle = page.locator("[data-sidebar-toggle]")
    toggle.click()
    page.reload()
    assert "hm-sidebar-collapsed" in (page.locator("body").get_attribute("class") or "")
    assert page.locator("#hm-sidebar").bounding_box()["width"] < 80
    page.locator("[data-sidebar-toggle]").click()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    sidebar = page.locator("#hm-sidebar")
    assert not sidebar.is_visible()
    page.click("[data-sidebar-open]")
    page.wait_for_timeout(300)
    assert sidebar.is_visible() and sidebar.bounding_box()["x"] >= 0
    page.screenshot(path=str(SCREENSHOTS / "phone-menu-390.png"))
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert not sidebar.is_visible()
    page.click("#hm-user-menu summary")
    assert page.locator("#hm-language-menu").is_visible()
    assert page.get_by_role("menuitem").is_visible()  # log out, inside the user menu
    assert errors == []


def test_a_destructive_action_asks_first_in_a_dialog(live_server: Any, page: Any, make_staff: Any, shop: Shop) -> None:
    from haumai.returns.models import ReturnRequest, Status

    rma = open_return(shop)
    _user, errors = login_as(page, live_server, make_staff, "manager")
    page.goto(live_server.url + reverse("returns:detail", args=[rma.code]))
    cancel = page.locator("button[data-confirm]", has_text="Hủy yêu cầu")
    cancel.click()
    dialog = page.locator("#hm-confirm")
    assert dialog.is_visible()
    assert "Hủy yêu cầu đổi trả này?" in dialog.inner_text()
    dialog.get_by_role("button", name="Hủy", exact=True).click()  # changed my mind
    assert not dialog.is_visible()
    assert ReturnRequest.objects.get(pk=rma.pk).status == rma.status  # nothing changed
    cancel.click()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Xác nhận").click()
    assert ReturnRequest.objects.get(pk=rma.pk).status == Status.CANCELLED
    assert page.locator(".hm-toast").count() == 1
    assert errors == []
