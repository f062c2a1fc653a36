"""Segment rules: validation with field messages, what each condition matches, materialized members, RFM."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import ValidationFailed
from haumai.customers.models import Consent, Province
from haumai.segments import rules, selectors, services
from haumai.segments.models import CustomerRfm, RefreshSchedule, Segment, SegmentMember
from haumai.segments.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def fields_of(problems: list[Any]) -> dict[str, str]:
    return {p.field: p.code for p in problems}


def test_bad_rules_get_a_message_per_field(world: Any) -> None:
    _, problems = rules.clean({"min_orders": "abc", "max_spend": "-5", "category": "khong-co",
                               "has_returns": "maybe", "preferred_channel": "fax"})  # fmt: skip
    assert fields_of(problems) == {"min_orders": "not_a_number", "max_spend": "not_a_number",
                                   "category": "unknown", "has_returns": "invalid_choice",
                                   "preferred_channel": "invalid_choice"}  # fmt: skip
    _, problems = rules.clean({"min_orders": "5", "max_orders": "2", "survey_min_score": "4"})
    assert fields_of(problems) == {"max_orders": "contradiction", "survey": "required"}
    assert fields_of(rules.clean({})[1]) == {"rules": "empty"}
    assert fields_of(rules.clean({"bought_within_days": "30", "not_bought_for_days": "60"})[1]) == {
        "not_bought_for_days": "contradiction"}  # fmt: skip
    cleaned, problems = rules.clean({"min_spend": "1.500.000", "category": "dien-thoai"})
    assert problems == [] and cleaned == {"min_spend": 1_500_000, "category": "dien-thoai"}


def test_each_condition_matches_the_right_customers(world: Any) -> None:
    phone = world.product("PHONE", 20_000_000, world.phones)
    purifier = world.product("RO", 5_000_000, world.purifiers)
    big, lapsed, fresh = (world.customer(n) for n in ("Big", "Lapsed", "Fresh"))
    world.customer("Idle")
    world.order(big, phone, days_ago=10)
    world.order(big, phone, days_ago=5)
    world.order(lapsed, purifier, days_ago=300)
    world.order(fresh, purifier, days_ago=2)
    world.order(fresh, phone, days_ago=1, status="cancelled")  # cancelled orders count for nothing
    hanoi = Province.objects.order_by("code").first()
    assert hanoi is not None
    world.address(lapsed, hanoi)
    Consent.objects.create(customer=fresh, purpose="marketing", channel="zalo", granted=True, recorded_at=NOW)

    def names(**rule: Any) -> set[str]:
        cleaned, problems = rules.clean(rule)
        assert problems == []
        return {c.full_name for c in rules.matching(cleaned)}

    assert names(min_orders=2) == {"Big"}
    assert names(max_orders=0) == {"Idle"}
    assert names(min_spend=30_000_000) == {"Big"}
    assert names(max_spend=10_000_000) == {"Lapsed", "Fresh", "Idle"}
    assert names(category="may-loc-nuoc") == {"Lapsed", "Fresh"}
    assert names(category="dien-thoai") == {"Big"}
    assert names(province=hanoi.code) == {"Lapsed"}
    assert names(not_bought_for_days=180) == {"Lapsed"}
    assert names(bought_within_days=7) == {"Big", "Fresh"}
    assert names(marketing_consent="yes") == {"Fresh"}
    assert names(marketing_consent="no") == {"Big", "Lapsed", "Idle"}


def test_saving_materializes_members_and_a_bad_rule_changes_nothing(world: Any, make_staff: Any) -> None:
    phone = world.product("PHONE", 20_000_000, world.phones)
    buyers = [world.customer(f"Khách {n}") for n in range(3)]
    for buyer in buyers:
        world.order(buyer, phone)
    world.customer("Chưa mua")
    manager = make_staff("manager")
    segment = services.save_segment(actor=manager, data=services.SegmentInput(
        name="Mua điện thoại", rules={"category": "dien-thoai"}))  # fmt: skip
    assert segment.size == 3 and SegmentMember.objects.filter(segment=segment).count() == 3
    assert segment.key == "mua-dien-thoai"
    with pytest.raises(ValidationFailed) as refused:
        services.save_segment(actor=manager, segment=segment, data=services.SegmentInput(
            name="", rules={"min_orders": "x"}))  # fmt: skip
    assert {e.field for e in refused.value.errors} == {"name", "min_orders"}
    segment.refresh_from_db()
    assert segment.name == "Mua điện thoại" and segment.rules == {"category": "dien-thoai"}
    assert SegmentMember.objects.filter(segment=segment).count() == 3
    with pytest.raises(ValidationFailed):
        services.save_segment(actor=manager, data=services.SegmentInput(name="mua dien thoai", rules={"min_orders": 1}))
    assert Segment.objects.count() == 1
    world.order(world.customer("Khách mới"), phone)
    assert services.refresh_segment(segment=segment) == 4
    assert selectors.is_member(segment_key=segment.key, customer_id=buyers[0].pk)


def test_rfm_quintiles_and_the_nightly_run(world: Any) -> None:
    product = world.product("P", 1_000_000)
    customers = [world.customer(f"K{n}") for n in range(10)]
    for n, customer in enumerate(customers):  # K9: most recent, most orders, most spend
        for _ in range(n + 1):
            world.order(customer, product, days_ago=100 - n * 10)
    services.ensure_schedule()
    services.handle_due(list(RefreshSchedule.objects.all()))
    scores = {r.customer.full_name: r for r in CustomerRfm.objects.select_related("customer")}
    assert len(scores) == 10
    assert (scores["K9"].recency_score, scores["K9"].frequency_score, scores["K9"].monetary_score) == (5, 5, 5)
    assert (scores["K0"].recency_score, scores["K0"].frequency_score, scores["K0"].monetary_score) == (1, 1, 1)
    assert scores["K9"].orders == 10 and scores["K9"].spend == 10_000_000
    assert sorted(r.recency_score for r in scores.values()) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    schedule = RefreshSchedule.objects.get()
    assert schedule.due_at is not None and schedule.due_at > NOW and schedule.last_seconds is not None
    local = schedule.due_at.astimezone(__import__("haumai.core.clock", fromlist=["LOCAL_TZ"]).LOCAL_TZ)
    assert local.hour == 2
    cleaned, _ = rules.clean({"min_recency_score": "5"})
    assert {c.full_name for c in rules.matching(cleaned)} == {"K8", "K9"}
