"""The state machine: every move guarded, an event per change, warranty days, QC, parts, quotes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import StockLevel, StockMove
from haumai.repairs import selectors, services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop, accepted_claim
from haumai.warranty.models import ClaimStatus, Warranty

S = RepairStatus


def _received(shop: Workshop, claim: Any = None) -> RepairOrder:
    return services.receive_unit(
        actor=shop.agent,
        unit=shop.unit,
        customer=shop.an,
        service_center=shop.center,
        description="Màn hình sọc xanh",
        condition="Còn mới",
        accessories=["Sạc"],
        claim=claim,
    )


def _stock(shop: Workshop) -> int:
    return StockLevel.objects.get(product=shop.screen, warehouse=shop.warehouse, grade="new").quantity


def _screen_quote(shop: Workshop) -> list[QuoteLineInput]:
    return [
        QuoteLineInput(kind="part", sku=shop.screen.sku, quantity=1, unit_cost=1_200_000),
        QuoteLineInput(kind="labour", description="Thay màn hình", unit_price=200_000, unit_cost=100_000),
    ]


def test_warranty_repair_end_to_end_moves_the_warranty_end_date(shop: Workshop) -> None:
    claim = accepted_claim(shop.warranty)
    order = _received(shop, claim)
    ends_before = shop.warranty.ends_on
    tech = shop.technician
    services.start_diagnosis(actor=tech, order=order)
    order = services.send_quote(actor=tech, order=order, diagnosis="Hỏng màn hình", lines=_screen_quote(shop))
    assert order.status == S.APPROVED  # nothing to pay under warranty: approved at once
    assert services.quote_totals(order) == {"cost": 1_300_000, "list": 2_000_000, "goodwill": 0, "customer": 0}
    services.start_repair(actor=tech, order=order)
    usage = services.use_part(actor=tech, order=order, part=shop.screen)
    assert _stock(shop) == 1 and usage.unit_cost == 1_200_000
    assert StockMove.objects.get(pk=usage.stock_move_id).reason == "repair_part"
    assert usage.warranty_ends_on == dt.date(2026, 12, 9)  # the part's own fresh 6 months
    services.finish_repair(actor=tech, order=order)
    services.pass_qc(actor=shop.other_technician, order=order)
    clock.advance(dt.timedelta(days=4))
    order = services.hand_back(actor=shop.agent, order=order)
    assert order.service_days == 5
    warranty = Warranty.objects.get(pk=shop.warranty.pk)
    assert warranty.ends_on == ends_before + dt.timedelta(days=5)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESOLVED
    services.close(actor=shop.agent, order=order)
    names = list(Event.objects.filter(name__startswith="repair.").order_by("id").values_list("name", flat=True))
    assert names == [
        "repair.received",
        "repair.diagnosis_started",
        "repair.diagnosed",
        "repair.approved",
        "repair.started",
        "repair.part_used",
        "repair.repaired",
        "repair.ready",
        "repair.returned",
        "repair.closed",
    ]
    assert all(e.customer_id == shop.an.pk for e in Event.objects.filter(name__startswith="repair."))
    history = [c.to_status for c in RepairOrder.objects.get(pk=order.pk).changes.all()]
    assert history == [S.RECEIVED, S.DIAGNOSING, S.APPROVED, S.REPAIRING, S.QC, S.READY, S.RETURNED, S.CLOSED]


def test_paid_repair_needs_the_customers_approval_once_and_before_expiry(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    order = services.send_quote(
        actor=shop.technician, order=order, diagnosis="Rơi vỡ, không bảo hành", lines=_screen_quote(shop), valid_days=3
    )
    assert order.status == S.QUOTED and services.quote_totals(order)["customer"] == 2_000_000
    found, version = services.order_from_token(services.quote_token(order))
    assert found == order and version == order.quote_version
    services.decide_quote(actor=None, order=order, approve=True, version=version, via="link")
    with pytest.raises(Conflict) as twice:
        services.decide_quote(actor=None, order=order, approve=False, version=version, via="link")
    assert twice.value.code == "already_decided"
    assert RepairOrder.objects.get(pk=order.pk).status == S.APPROVED


def test_expired_or_stale_quote_is_refused(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    order = services.send_quote(actor=shop.technician, order=order, diagnosis="Hỏng loa", lines=_screen_quote(shop))
    with pytest.raises(Conflict) as stale:
        services.decide_quote(actor=None, order=order, approve=True, version=order.quote_version - 1, via="link")
    assert stale.value.code == "stale_quote"
    clock.advance(dt.timedelta(days=8))
    with pytest.raises(Conflict) as expired:
        services.decide_quote(actor=None, order=order, approve=True, version=order.quote_version, via="portal")
    assert expired.value.code == "quote_expired"
    assert RepairOrder.objects.get(pk=order.pk).status == S.QUOTED
    with pytest.raises(NotFound):
        services.order_from_token("forged-token")


def test_declined_quote_returns_the_unit_unrepaired(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    services.send_quote(actor=shop.technician, order=order, diagnosis="Hỏng main", lines=_screen_quote(shop))
    services.decide_quote(actor=shop.agent, order=order, approve=False)
    with pytest.raises(Conflict):
        services.start_repair(actor=shop.technician, order=order)
    order = services.return_unrepaired(actor=shop.agent, order=order)
    assert order.status == S.READY and order.outcome == "not_repaired"
    order = services.hand_back(actor=shop.agent, order=order)
    assert order.service_days == 0  # not a warranty repair: nothing to extend


def test_out_of_stock_pauses_in_waiting_parts_and_resumes(shop: Workshop) -> None:
    order = _received(shop, accepted_claim(shop.warranty))
    tech = shop.technician
    services.start_diagnosis(actor=tech, order=order)
    services.send_quote(actor=tech, order=order, diagnosis="Hỏng màn hình", lines=_screen_quote(shop))
    services.start_repair(actor=tech, order=order)
    with pytest.raises(services.PartsOutOfStock):
        services.use_part(actor=tech, order=order, part=shop.screen, quantity=3)
    order = RepairOrder.objects.get(pk=order.pk)
    assert order.status == S.WAITING_PARTS and order.paused_from == S.REPAIRING
    assert _stock(shop) == 2 and not order.parts.exists()
    assert Event.objects.filter(name="repair.parts_awaited").count() == 1
    order = services.resume_work(actor=tech, order=order)
    assert order.status == S.REPAIRING


def test_a_technician_cannot_finish_someone_elses_repair(shop: Workshop) -> None:
    order = _received(shop, accepted_claim(shop.warranty))
    services.start_diagnosis(actor=shop.technician, order=order)
    services.send_quote(actor=shop.technician, order=order, diagnosis="Hỏng", lines=_screen_quote(shop))
    services.start_repair(actor=shop.technician, order=order)
    with pytest.raises(Forbidden) as exc:
        services.finish_repair(actor=shop.other_technician, order=order)
    assert "kythuat.minh" in exc.value.message
    with pytest.raises(Forbidden):
        services.use_part(actor=shop.agent, order=order, part=shop.screen)
    assert RepairOrder.objects.get(pk=order.pk).status == S.REPAIRING
    assert _stock(shop) == 2


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (services.start_repair, {}),
        (services.finish_repair, {}),
        (services.pass_qc, {}),
        (services.hand_back, {}),
        (services.close, {}),
        (services.resume_work, {}),
    ],
)
def test_wrong_state_is_refused_and_nothing_changes(shop: Workshop, action: Any, kwargs: dict[str, Any]) -> None:
    order = _received(shop)
    before = Event.objects.count()
    with pytest.raises(Conflict) as exc:
        action(actor=shop.technician, order=order, **kwargs)
    assert exc.value.code == "invalid_transition"
    assert RepairOrder.objects.get(pk=order.pk).status == S.RECEIVED
    assert Event.objects.count() == before


def test_qc_failure_goes_back_to_repairing_with_a_note(shop: Workshop) -> None:
    order = _received(shop, accepted_claim(shop.warranty))
    tech = shop.technician
    services.start_diagnosis(actor=tech, order=order)
    services.send_quote(actor=tech, order=order, diagnosis="Hỏng", lines=_screen_quote(shop))
    services.start_repair(actor=tech, order=order)
    services.finish_repair(actor=tech, order=order)
    with pytest.raises(ValidationFailed):
        services.fail_qc(actor=tech, order=order, note=" ")
    order = services.fail_qc(actor=tech, order=order, note="Cảm ứng chập chờn")
    assert order.status == S.REPAIRING and order.qc_failures == 1


def test_bad_quote_lines_are_refused_by_field(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    with pytest.raises(ValidationFailed) as exc:
        services.send_quote(
            actor=shop.technician,
            order=order,
            diagnosis="Hỏng",
            lines=[
                QuoteLineInput(kind="part", sku="NOPE"),
                QuoteLineInput(kind="labour", description="x", unit_price=-5),
            ],
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"lines.0.sku", "lines.1.unit_price"}
    assert RepairOrder.objects.get(pk=order.pk).status == S.DIAGNOSING
    assert not order.lines.exists()


def test_turnaround_clock_leaves_out_waiting_for_parts(shop: Workshop) -> None:
    order = _received(shop)
    services.start_diagnosis(actor=shop.technician, order=order)
    clock.advance(dt.timedelta(hours=2))
    services.wait_for_parts(actor=shop.technician, order=order, note="Chờ màn hình")
    clock.advance(dt.timedelta(hours=30))
    services.resume_work(actor=shop.technician, order=order)
    clock.advance(dt.timedelta(hours=1))
    detail = selectors.repair_by_code(order.code)
    clock_ = selectors.turnaround(detail)
    assert clock_.working_hours == pytest.approx(3.0)
    assert clock_.waiting_hours == pytest.approx(30.0)
    assert clock_.target_hours == 72 and not clock_.late
