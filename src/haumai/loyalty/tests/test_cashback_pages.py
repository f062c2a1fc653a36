"""Cashback on pages: the console rule pages (create with clear errors, enable/disable), the 360 panel and the
portal page show pending and released cashback, within a query budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.loyalty.models import CashbackRule
from haumai.loyalty.services.cashback_rules import CashbackRuleInput, create_rule
from haumai.loyalty.tests.conftest import Shop, deliver
from haumai.loyalty.tests.test_pages import portal, staff

pytestmark = pytest.mark.django_db


def _rule() -> CashbackRule:
    now = clock.now()
    return create_rule(actor=None, data=CashbackRuleInput(
        name="Hoàn tiền hè", percent=5, cap_vnd=200_000, starts_at=now - dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=30),
    ))  # fmt: skip


def _released_and_pending(shop: Shop) -> None:
    _rule()
    deliver(shop.an, total=1_000_000)  # 50.000, released below
    source = next(s for s in scheduler.registered() if s.name == "loyalty.cashback_release")
    with clock.frozen(clock.now() + dt.timedelta(days=40)):
        scheduler.run_source(source, batch_size=100)
    deliver(shop.an, total=2_000_000)  # 100.000 pending


def test_rule_pages_create_refuse_bad_terms_and_disable(shop: Shop, make_staff: Any) -> None:
    manager = staff(make_staff, "manager")
    form = {"name": "Hoàn 3%", "percent": "0", "cap_vnd": "0", "min_order_vnd": "0", "scope": "all",
            "starts_on": "2026-06-01", "ends_on": "2026-05-01"}  # fmt: skip
    page = manager.post("/console/loyalty/cashback/new/", form).content.decode()
    assert "The percent must be a whole number from 1 to 100" in page
    assert "The cap per order must be a whole amount of VND above 0" in page
    assert "The rule must end after it starts" in page
    assert not CashbackRule.objects.exists()
    form.update(percent="3", cap_vnd="100000", ends_on="2026-12-31")
    assert manager.post("/console/loyalty/cashback/new/", form).status_code == 302
    rule = CashbackRule.objects.get()
    assert (rule.percent, rule.cap_vnd, rule.active) == (3, 100_000, True)
    listing = manager.get("/console/loyalty/cashback/").content.decode()
    assert "Hoàn 3%" in listing and 'id="cashback-rule-table"' in listing
    manager.post(f"/console/loyalty/cashback/{rule.pk}/active/", {"active": "0"})
    assert CashbackRule.objects.get().active is False
    agent = staff(make_staff, "agent")
    assert agent.get("/console/loyalty/cashback/").status_code == 200
    assert agent.get("/console/loyalty/cashback/new/").status_code == 403
    assert agent.post(f"/console/loyalty/cashback/{rule.pk}/active/", {"active": "1"}).status_code == 403


def test_the_360_panel_shows_pending_and_released_cashback(
    shop: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    _released_and_pending(shop)
    client = staff(make_staff, "agent")
    with django_assert_max_num_queries(80):
        page = client.get(f"/console/customers/{shop.an.code}/").content.decode()
    assert 'id="loyalty-cashback"' in page
    assert "Pending 100.000" in page and "released as store credit 50.000" in page
    assert "next release 10/07/2026" in page


def test_the_portal_shows_my_pending_cashback_and_when_it_is_released(
    shop: Shop, django_assert_max_num_queries: Any
) -> None:
    _released_and_pending(shop)
    deliver(shop.binh, total=9_000_000)  # someone else's cashback is not shown
    client = portal(shop.an)
    with django_assert_max_num_queries(20):
        page = client.get("/portal/rewards/").content.decode()
    assert 'id="my-cashback"' in page
    assert "Pending: 100.000" in page and "becomes store credit on 10/07/2026" in page
    assert "added to your store credit on" in page
    assert "200.000" not in page.split('id="my-cashback"')[1].split("</section>")[0]  # Bình's 9.000.000 x 5%, capped
