"""The console shell: registered navigation per role, one active entry, waiting-work counts, icons."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.core.registry import AREAS, registry
from haumai.core.templatetags.haumai import icon, icon_names
from haumai.returns.models import ReturnPolicy
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_console import open_return

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2]
NAV_KEY = re.compile(r'data-nav-key="([^"]+)"')


def client_for(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def nav_keys(html: str) -> list[str]:
    return NAV_KEY.findall(html)


def active_keys(html: str) -> list[str]:
    return re.findall(r'class="hm-nav-link is-active" href="[^"]*" data-nav-key="([^"]+)"', html)


def test_apps_register_their_pages_and_search_providers() -> None:
    assert {
        "console.home", "customers.list", "returns.queue", "returns.receiving", "returns.metrics", "shipping.list",
        "shipping.failed", "payments.list", "payments.attention", "journeys.list", "journeys.tasks",
        "messaging.templates", "messaging.deliveries", "accounts.admin",
    } <= set(registry.nav)  # fmt: skip
    assert {"customers", "sales.orders", "returns", "shipping", "payments", "catalog.units"} <= set(registry.search)
    assert all(entry.area in AREAS for entry in registry.nav.values())


@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        ("agent", {"customers.list", "returns.queue", "journeys.tasks", "payments.attention"},
         {"returns.receiving", "accounts.admin"}),
        ("warehouse", {"returns.receiving", "shipping.failed", "returns.queue"},
         {"journeys.list", "journeys.tasks", "messaging.templates", "accounts.admin"}),
        ("technician", {"customers.list", "returns.queue"}, {"returns.receiving", "journeys.list", "accounts.admin"}),
        ("manager", {"accounts.admin", "returns.receiving", "journeys.list", "messaging.deliveries"}, set()),
    ],
)  # fmt: skip
def test_sidebar_shows_only_what_the_role_may_open(
    make_staff: Any, role: str, present: set[str], absent: set[str]
) -> None:
    html = client_for(make_staff, role).get(reverse("console:home")).content.decode()
    keys = set(nav_keys(html))
    assert present <= keys
    assert not keys & absent


def test_every_entry_shown_opens_for_that_role(make_staff: Any) -> None:
    for role in ("agent", "warehouse", "technician", "manager"):
        client = client_for(make_staff, role)
        html = client.get(reverse("console:home")).content.decode()
        for key in nav_keys(html):
            url = reverse(registry.nav[key].url_name)
            assert client.get(url, follow=True).status_code == 200, (role, key)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/console/", "console.home"),
        ("/console/returns/", "returns.queue"),
        ("/console/returns/receiving/", "returns.receiving"),
        ("/console/returns/metrics/", "returns.metrics"),
        ("/console/shipping/failed-bookings/", "shipping.failed"),
        ("/console/shipping/", "shipping.list"),
        ("/console/payments/attention/", "payments.attention"),
        ("/console/journeys/tasks/", "journeys.tasks"),
        ("/console/journeys/", "journeys.list"),
        ("/console/messaging/deliveries/", "messaging.deliveries"),
        ("/console/messaging/templates/", "messaging.templates"),
        ("/console/customers/", "customers.list"),
    ],
)
def test_exactly_one_entry_is_active_the_longest_prefix(make_staff: Any, path: str, expected: str) -> None:
    html = client_for(make_staff, "manager").get(path).content.decode()
    assert active_keys(html) == [expected]


def test_a_page_below_an_entry_activates_it_and_names_it_in_the_breadcrumbs(
    make_staff: Any,
    shop: Shop,
) -> None:
    rma = open_return(shop)
    html = client_for(make_staff, "manager").get(f"/console/returns/{rma.code}/").content.decode()
    assert active_keys(html) == ["returns.queue"]
    assert 'class="hm-breadcrumbs"' in html
    assert '<a href="/console/returns/">' in html


def test_search_page_has_no_active_entry_but_home_is_not_claimed(make_staff: Any) -> None:
    html = client_for(make_staff, "agent").get(reverse("console:search")).content.decode()
    assert active_keys(html) == []


def test_counts_of_waiting_work_per_role(make_staff: Any, shop: Shop) -> None:
    ReturnPolicy.objects.update(auto_approve=False)
    open_return(shop)
    agent = client_for(make_staff, "agent").get(reverse("console:nav_counts")).json()["counts"]
    assert agent["returns.queue"] == {"count": 1, "label": "1"}
    assert agent["payments.attention"]["count"] == 0
    assert "messaging.deliveries" not in agent  # agents cannot settle deliveries: no badge
    technician = client_for(make_staff, "technician").get(reverse("console:nav_counts")).json()["counts"]
    assert "returns.queue" not in technician  # may look at returns, may not approve them
    assert "journeys.tasks" not in technician  # not in the technician's sidebar at all


def test_counts_are_capped_and_need_login(make_staff: Any) -> None:
    from haumai.console.navigation import count_label

    assert count_label(0) == "" and count_label(7) == "7" and count_label(100) == "99+"
    response = Client().get(reverse("console:nav_counts"))
    assert response.status_code == 302


def test_console_page_query_count_does_not_grow_with_modules(
    make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(make_staff, "manager")
    client.get(reverse("console:home"))
    # session, user, permissions (2) and the home page's three queues; the sidebar adds none.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("console:home")).status_code == 200
    # The badges: one capped COUNT per entry that counts (five for a manager), plus session/user/permissions.
    # One indexed count per badge (warranty claims added the tenth, repairs the eleventh, today's
    # appointments and the technician's visits the twelfth and thirteenth, survey follow-ups the fourteenth,
    # data requests the fifteenth, the support inbox and goodwill approvals the sixteenth and seventeenth);
    # the pages themselves stay at 8.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("console:nav_counts")).status_code == 200


def test_sidebar_is_built_once_per_request(rf: Any, make_staff: Any, django_assert_num_queries: Any) -> None:
    from haumai.console.navigation import sidebar

    request = rf.get("/console/")
    request.user = make_staff("agent")
    first = sidebar(request)
    with django_assert_num_queries(0):
        assert sidebar(request) is first


@pytest.mark.vietnamese
def test_area_titles_are_in_vietnamese(make_staff: Any) -> None:
    html = client_for(make_staff, "manager").get(reverse("console:home")).content.decode()
    for title in ("Chăm sóc khách hàng", "Vận hành hậu mãi", "Chăm sóc chủ động", "Báo cáo", "Cài đặt"):
        assert title in html


def test_layout_has_the_shell_components_and_no_inline_script(make_staff: Any) -> None:
    html = client_for(make_staff, "agent").get(reverse("console:home")).content.decode()
    for marker in ('id="hm-sidebar"', 'id="hm-search"', 'id="hm-language"', 'id="hm-user-menu"', 'id="hm-confirm"',
                   "console/console.js", "console/tokens.css"):  # fmt: skip
        assert marker in html
    assert "<script>" not in html and not re.search(r"\son[a-z]+=", html)


def test_icon_tag_uses_the_sprite_and_falls_back_on_unknown_names() -> None:
    svg = icon("truck")
    assert 'href="/static/vendor/lucide/sprite.svg#truck"' in svg and 'aria-hidden="true"' in svg
    labelled = icon("x", label="Đóng")
    assert 'aria-label="Đóng"' in labelled and 'role="img"' in labelled
    assert "#circle" in icon("no-such-icon")


def test_every_icon_used_exists_in_the_vendored_sprite() -> None:
    names = icon_names()
    used = {entry.icon for entry in registry.nav.values()}
    for template in SRC.glob("*/templates/**/*.html"):
        used |= set(re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', template.read_text()))
    for sentences in SRC.glob("*/sentences.py"):  # timeline icons
        used |= set(re.findall(r'\bicon="([a-z0-9-]+)"', sentences.read_text()))
    assert used and used <= names, used - names


EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u2b50\u2b06\u2b07]")


def test_console_and_portal_templates_use_icons_not_emoji() -> None:
    offenders = []
    for template in SRC.glob("*/templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if EMOJI.search(line):
                offenders.append(f"{template.relative_to(SRC)}:{number}")
    assert offenders == []
