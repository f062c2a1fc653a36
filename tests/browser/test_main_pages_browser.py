"""The main console and portal pages with demo data, in real Chromium and in Vietnamese:
0 serious/critical accessibility violations (axe-core) and no English msgid left untranslated on screen.

axe-core is vendored for the tests only (`tests/browser/vendor/axe.min.js`, from the npm package
`axe-core`, MPL-2.0; the product never serves it). The pages keep their strict CSP: an injected
<script> would be refused, so the script's source is evaluated through the DevTools protocol
(`page.evaluate`), which CSP does not govern. Every page must have 0 serious or critical violations;
all findings (any impact) are written to test-artifacts/axe/ for a reviewer.

Untranslated text: every English msgid of the catalogue that has a different Vietnamese translation is
looked for in what the page shows (each text line and table cell, placeholders, titles, ARIA labels);
one found means a string that skipped gettext or a template that was not translated.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from haumai.accounts.models import User
from haumai.console.navigation import allowed_entries

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.vietnamese]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe"
SCREENSHOTS = ARTIFACTS / "screenshots"
BLOCKING = ("serious", "critical")
DEMO_PASSWORD = "haumai-demo"  # the demo staff password (demo/README.md)
RUN_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then(result => result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 6).map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
})))"""


# Content marked as another language is not UI text: an English template's name, "English" in the
# language switcher (each language named in itself), both with lang="en".
SHOWN_TEXT = """() => {
  const english = element => {
    const marked = element.closest("[lang]");
    return marked && !marked.lang.startsWith("vi");
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("script, style, template") || english(element)) { continue; }
    if (element.closest("option") || element.checkVisibility()) { texts.push(node.data); }
  }
  for (const element of document.querySelectorAll("[placeholder], [title], [aria-label], img[alt]")) {
    if (english(element)) { continue; }
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (element.hasAttribute(name)) { texts.push(element.getAttribute(name)); }
    }
  }
  return texts.map(text => text.trim()).filter(text => text);
}"""
PO = Path(__file__).resolve().parents[2] / "src" / "haumai" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


@cache
def english_msgids() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The msgids whose Vietnamese differs: plain texts, and patterns for those with placeholders."""
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in catalog:
        msgid = message.id if isinstance(message.id, str) else (message.id or [""])[0]
        translated = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        msgid = (msgid or "").strip()
        if not msgid or not translated or translated.strip() == msgid or not re.search("[A-Za-z]{2}", msgid):
            continue
        if PLACEHOLDER.search(msgid):
            literal = PLACEHOLDER.sub(" ", msgid)
            if len(re.findall("[A-Za-z]{2,}", literal)) >= 2:  # enough English to recognise
                parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
                patterns.append(re.compile(".+?".join(parts)))
        else:
            plain.add(msgid)
    return frozenset(plain), tuple(patterns)


def untranslated(page: Any) -> list[str]:
    """English msgids on the page as it is shown now."""
    plain, patterns = english_msgids()
    found = []
    for text in page.evaluate(SHOWN_TEXT):
        if text in plain or any(pattern.fullmatch(text) for pattern in patterns):
            found.append(text)
    return sorted(set(found))


def violations(page: Any, url: str, english: dict[str, list[str]], name: str) -> list[dict[str, Any]]:
    """axe-core's violations on one page (loaded fully first); its untranslated texts go to `english`.

    A screenshot of the page goes to test-artifacts/axe/screenshots/ for a reviewer."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    left = untranslated(page)
    if left:
        english[name] = left
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{page.viewport_size['width']}-{name}.png"), full_page=True)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return found


def blocking(found: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}" for v in found
            if v["impact"] in BLOCKING]


def write_report(name: str, report: dict[str, Any]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.fixture
def demo() -> dict[str, Any]:
    """The demo data `make run` shows, plus one open return (the demo has none)."""
    from haumai.returns.services import LineInput, create_return
    from haumai.sales.models import Order

    call_command("demo", "--customers", "150", verbosity=0)
    # The most recently delivered order: inside every return window.
    order = Order.objects.select_related("customer").filter(status="delivered").order_by("-delivered_at").first()
    assert order is not None
    line = order.lines.order_by("pk").first()
    assert line is not None
    rma, _created = create_return(
        actor=None, customer=order.customer, order=order, lines=[LineInput(order_line_id=line.pk)],
        reason="defective", resolution="store_credit", logistics="store_dropoff", origin="portal",
    )  # fmt: skip
    return {"order": order, "customer": order.customer, "rma": rma}


def console_pages(demo: dict[str, Any]) -> list[tuple[str, str]]:
    manager = User.objects.get(username="manager")
    entries = [entry for entry in allowed_entries(manager) if entry.key != "accounts.admin"]
    return [
        *[(entry.key, reverse(entry.url_name)) for entry in entries],
        ("customer-360", reverse("customers:detail", args=[demo["customer"].code])),
        ("return-detail", reverse("returns:detail", args=[demo["rma"].code])),
        ("search", reverse("console:search") + "?q=nguyen"),
    ]


def test_console_pages_are_accessible_and_in_vietnamese(
    live_server: Any, browser: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    report: dict[str, list[dict[str, Any]]] = {}
    english: dict[str, list[str]] = {}
    try:
        page.goto(live_server.url + reverse("console:login"))
        report["login"] = violations(page, live_server.url + reverse("console:login"), english, "login")
        page.fill("#id_username", "manager")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/")
        for name, path in console_pages(demo):
            report[name] = violations(page, live_server.url + path, english, name)
    finally:
        write_report("console", report)
        write_report("console-untranslated", english)
        context.close()
    problems = {name: blocking(found) for name, found in report.items() if blocking(found)}
    assert problems == {}
    assert english == {}


def test_portal_pages_are_accessible_and_in_vietnamese(
    live_server: Any, browser: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    order, rma = demo["order"], demo["rma"]
    report: dict[str, list[dict[str, Any]]] = {}
    english: dict[str, list[str]] = {}
    # The detector itself: English UI text is found, the same text marked lang="en" is not.
    page.set_content('<p>Customers</p><p lang="en">Refund sent</p><p>Đã hoàn tiền</p>')
    assert untranslated(page) == ["Customers"]
    try:
        for name, path in [("login", reverse("portal:login")), ("warranty-lookup", reverse("portal:warranty_lookup"))]:
            report[name] = violations(page, live_server.url + path, english, name)
        # Signed in as the demo customer (the code-by-e-mail login itself is tested in test_portal_journey).
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store["portal_customer_id"] = demo["customer"].pk
        store.create()
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}
        context.add_cookies([cookie])
        for name, path in [
            ("home", reverse("portal:home")),
            ("orders", reverse("portal:orders")),
            ("order-detail", reverse("portal:order_detail", args=[order.code])),
            ("return-form", reverse("portal:new_return", args=[order.code])),
            ("returns", reverse("portal:returns")),
            ("return-detail", reverse("portal:return_detail", args=[rma.code])),
            ("my-warranties", reverse("portal:my_warranties")),
            ("privacy", reverse("portal:privacy")),
        ]:
            report[name] = violations(page, live_server.url + path, english, name)
    finally:
        write_report("portal", report)
        write_report("portal-untranslated", english)
        context.close()
    problems = {name: blocking(found) for name, found in report.items() if blocking(found)}
    assert problems == {}
    assert english == {}
