"""Goodwill on a paid repair: within the giver's approval limit at once, above it a manager decides first."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

from haumai.accounts.models import ApprovalLimit
from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.events.models import Event
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop

S = RepairStatus
LINES = [
    QuoteLineInput(kind="part", sku="PART-A55-LCD", quantity=1, unit_cost=1_200_000),  # 1.800.000 list
    QuoteLineInput(kind="labour", description="Thay màn hình", unit_price=200_000, unit_cost=100_000),
]


def _diagnosing(shop: Workshop) -> RepairOrder:
    order = services.receive_unit(
        actor=shop.agent, unit=shop.unit, customer=shop.an, service_center=shop.center,
        description="Rơi vỡ màn hình", condition="Vỡ góc", accessories=[],
    )  # fmt: skip
    return services.start_diagnosis(actor=shop.technician, order=order)


def _quote(shop: Workshop, order: RepairOrder, amount: int, reason: str = "Khách quen, lỗi lần hai") -> RepairOrder:
    return services.send_quote(
        actor=shop.technician, order=order, diagnosis="Vỡ màn hình", lines=LINES,
        goodwill_vnd=amount, goodwill_reason=reason,
    )  # fmt: skip


def _limit(role: str, amount: int) -> None:
    ApprovalLimit.objects.update_or_create(role=Group.objects.get(name=role), defaults={"max_goodwill_vnd": amount})


def test_goodwill_within_the_limit_lowers_the_quote_at_once(shop: Workshop) -> None:
    _limit("technician", 500_000)
    order = _quote(shop, _diagnosing(shop), 300_000)
    assert order.status == S.QUOTED and order.goodwill_status == "granted"
    assert services.quote_totals(order) == {"cost": 1_300_000, "list": 2_000_000, "goodwill": 300_000,
                                            "customer": 1_700_000}  # fmt: skip
    quoted = Event.objects.get(name="repair.quoted")
    assert quoted.payload["total"] == 1_700_000 and quoted.payload["goodwill"] == 300_000
    assert Event.objects.filter(name="repair.goodwill_granted").count() == 1


def test_a_free_repair_within_the_limit_needs_no_answer(shop: Workshop) -> None:
    _limit("technician", 5_000_000)
    order = _quote(shop, _diagnosing(shop), 2_000_000)
    assert order.status == S.APPROVED and order.quote_decided_by == "no_charge"
    assert services.quote_totals(order)["customer"] == 0


def test_goodwill_above_the_limit_waits_for_a_manager(shop: Workshop) -> None:
    order = _quote(shop, _diagnosing(shop), 400_000)  # technicians' limit is 0
    assert order.status == S.DIAGNOSING and order.goodwill_status == "pending"
    assert not Event.objects.filter(name="repair.quoted").exists()
    assert Event.objects.filter(name="repair.goodwill_requested").count() == 1
    with pytest.raises(Conflict) as pending:
        _quote(shop, order, 0)
    assert pending.value.code == "goodwill_pending"
    with pytest.raises(Forbidden):
        services.decide_goodwill(actor=shop.technician, order=order, approve=True)
    with pytest.raises(ValidationFailed):
        services.decide_goodwill(actor=shop.manager, order=order, approve=False, note="  ")
    assert RepairOrder.objects.get(pk=order.pk).goodwill_status == "pending"
    approved = services.decide_goodwill(actor=shop.manager, order=order, approve=True, note="Đồng ý")
    assert approved.status == S.QUOTED and approved.goodwill_status == "approved"
    assert approved.goodwill_decided_by == shop.manager
    assert Event.objects.get(name="repair.quoted").payload["total"] == 1_600_000
    with pytest.raises(Conflict) as twice:
        services.decide_goodwill(actor=shop.manager, order=order, approve=True)
    assert twice.value.code == "already_decided"


def test_a_refused_goodwill_leaves_the_order_for_a_new_quote(shop: Workshop) -> None:
    order = _quote(shop, _diagnosing(shop), 400_000)
    refused = services.decide_goodwill(actor=shop.manager, order=order, approve=False, note="Không đủ điều kiện")
    assert refused.status == S.DIAGNOSING and refused.goodwill_status == "refused"
    assert services.quote_totals(refused)["customer"] == 2_000_000
    again = _quote(shop, refused, 0)
    assert again.status == S.QUOTED and again.quote_version == 2 and again.goodwill_status == ""


def test_a_manager_approves_only_within_their_own_limit(shop: Workshop, make_staff: Any) -> None:
    _limit("technician", 0)
    order = _quote(shop, _diagnosing(shop), 1_500_000)
    _limit("manager", 1_000_000)
    with pytest.raises(ValidationFailed) as over:
        services.decide_goodwill(actor=shop.manager, order=order, approve=True)
    assert over.value.errors[0].code == "over_approval_limit"
    assert RepairOrder.objects.get(pk=order.pk).status == S.DIAGNOSING
    admin = make_staff("admin", "quantri.ha")
    assert services.decide_goodwill(actor=admin, order=order, approve=True).status == S.QUOTED


@pytest.mark.parametrize(
    ("amount", "reason", "code"),
    [(-1, "x", "invalid_amount"), (2_000_001, "x", "above_total"), (100_000, "  ", "required")],
)
def test_bad_goodwill_is_refused_and_nothing_changes(shop: Workshop, amount: int, reason: str, code: str) -> None:
    order = _diagnosing(shop)
    with pytest.raises(ValidationFailed) as refused:
        _quote(shop, order, amount, reason)
    assert refused.value.errors[0].code == code
    fresh = RepairOrder.objects.get(pk=order.pk)
    assert fresh.quote_version == 0 and fresh.goodwill_vnd == 0 and fresh.lines.count() == 0
    assert not Event.objects.filter(name__startswith="repair.goodwill").exists()


def test_goodwill_on_a_quote_the_customer_pays_nothing_for_is_refused(shop: Workshop) -> None:
    order = _diagnosing(shop)
    RepairOrder.objects.filter(pk=order.pk).update(under_warranty=True)
    with pytest.raises(ValidationFailed) as refused:
        _quote(shop, order, 100_000)
    assert refused.value.errors[0].code == "nothing_due"


def test_the_console_quote_form_sends_goodwill_to_a_manager(shop: Workshop, client: Any) -> None:
    order = _diagnosing(shop)
    client.force_login(shop.technician)
    form = {"diagnosis": "Vỡ màn", "kind": ["labour"], "sku": [""], "line_description": ["Thay màn"],
            "quantity": ["1"], "unit_cost": ["100000"], "unit_price": ["500000"],
            "goodwill_vnd": "200.000", "goodwill_reason": "Khách VIP"}  # fmt: skip
    client.post(f"/console/repairs/{order.code}/actions/quote/", form)
    assert RepairOrder.objects.get(pk=order.pk).goodwill_status == "pending"
    assert "goodwill-pending" in client.get(f"/console/repairs/{order.code}/").content.decode()
    client.force_login(shop.manager)
    queue = client.get("/console/repairs/?queue=goodwill").content.decode()
    assert order.code in queue
    client.post(f"/console/repairs/{order.code}/actions/goodwill_approve/")
    assert RepairOrder.objects.get(pk=order.pk).status == S.QUOTED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_decide_once(shop: Workshop, make_staff: Any) -> None:
    order = _quote(shop, _diagnosing(shop), 400_000)
    managers = [shop.manager, make_staff("manager", "quanly.hai"), make_staff("manager", "quanly.ba")]
    barrier = threading.Barrier(len(managers), timeout=60)
    outcomes: list[str] = []

    def decide(manager: Any, approve: bool) -> None:
        try:
            barrier.wait()
            services.decide_goodwill(actor=manager, order=order, approve=approve, note="Quyết định")
            outcomes.append("decided")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(m, i % 2 == 0)) for i, m in enumerate(managers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused", "refused"]
    decided = Event.objects.filter(name__in=("repair.goodwill_approved", "repair.goodwill_refused")).count()
    assert decided == 1
    assert Event.objects.filter(name="repair.quoted").count() <= 1
