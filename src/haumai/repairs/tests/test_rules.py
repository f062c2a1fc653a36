"""Consumer-law rules: the repeated-defect rule (replacement or refund through returns), the loan device,
outsourcing to the brand's centre."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.core.errors import Conflict, ValidationFailed
from haumai.events.models import Event
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop, accepted_claim
from haumai.returns.models import ReturnRequest


def _receive(shop: Workshop, repeat_of: RepairOrder | None = None) -> RepairOrder:
    return services.receive_unit(
        actor=shop.agent, unit=shop.unit, customer=shop.an, service_center=shop.center,
        description="Máy tự tắt nguồn", condition="", accessories=[], repeat_of=repeat_of,
        claim=accepted_claim(shop.warranty, "Máy tự tắt nguồn khi đang dùng"),
    )  # fmt: skip


def _repair_fully(shop: Workshop, order: RepairOrder) -> RepairOrder:
    tech = shop.technician
    services.start_diagnosis(actor=tech, order=order)
    services.send_quote(
        actor=tech, order=order, diagnosis="Lỗi main",
        lines=[QuoteLineInput(kind="labour", description="Hàn lại IC nguồn", unit_price=300_000)],
    )  # fmt: skip
    services.start_repair(actor=tech, order=order)
    services.finish_repair(actor=tech, order=order)
    services.pass_qc(actor=tech, order=order)
    services.hand_back(actor=shop.agent, order=order)
    return services.close(actor=shop.agent, order=order)


def test_fourth_intake_of_the_same_defect_offers_replacement_and_opens_a_return(
    shop: Workshop, make_staff: Any
) -> None:
    previous = None
    for _attempt in range(3):
        order = _receive(shop, repeat_of=previous)
        assert not order.replacement_due
        previous = _repair_fully(shop, order)
    fourth = _receive(shop, repeat_of=previous)
    assert fourth.attempt == 4 and fourth.replacement_due
    assert "3 repairs" in fourth.replacement_note
    assert Event.objects.filter(name="repair.replacement_offered").count() == 1
    with pytest.raises(ValidationFailed):
        services.replace_instead(actor=shop.manager, order=fourth, resolution="replacement", note=" ")
    with pytest.raises(ValidationFailed) as limit:  # a 20.000.000 ₫ phone is above a manager's approval limit
        services.replace_instead(actor=shop.manager, order=fourth, resolution="replacement", note="Đổi máy")
    assert limit.value.errors[0].code == "over_approval_limit"
    closed = services.replace_instead(
        actor=make_staff("admin"), order=fourth, resolution="replacement", note="Khách chọn đổi máy mới"
    )
    assert closed.status == RepairStatus.CLOSED and closed.outcome == "replacement"
    rma = ReturnRequest.objects.get(code=closed.replacement_return_code)
    assert rma.resolution == "exchange_same" and rma.reason == "defective"
    assert "3 repairs" in rma.customer_note


def test_replacement_before_the_limit_is_refused(shop: Workshop) -> None:
    order = _receive(shop)
    with pytest.raises(Conflict) as exc:
        services.replace_instead(actor=shop.manager, order=order, resolution="refund", note="Khách muốn hoàn tiền")
    assert exc.value.code == "not_due"
    assert not ReturnRequest.objects.exists()


def test_loan_device_is_tracked_until_it_comes_back(shop: Workshop) -> None:
    order = _receive(shop)
    loan = services.lend_device(actor=shop.agent, order=order, description="Samsung A15 máy mượn · R58LOAN01")
    with pytest.raises(Conflict):
        services.lend_device(actor=shop.agent, order=order, description="Máy thứ hai")
    services.take_back_loan(actor=shop.agent, loan=loan, condition="Nguyên vẹn")
    with pytest.raises(Conflict):
        services.take_back_loan(actor=shop.agent, loan=loan)
    names = list(Event.objects.filter(name__startswith="repair.loan").values_list("name", flat=True))
    assert names == ["repair.loan_lent", "repair.loan_returned"]


def test_outsourced_repair_records_the_shipment_and_must_come_back_first(shop: Workshop) -> None:
    order = _receive(shop)
    tech = shop.technician
    services.start_diagnosis(actor=tech, order=order)
    with pytest.raises(ValidationFailed):
        services.outsource(actor=tech, order=order, center=shop.center, carrier="GHN", tracking_code="GHN123")
    services.outsource(actor=tech, order=order, center=shop.brand_center, carrier="GHN", tracking_code="GHNVN8812")
    services.send_quote(
        actor=tech, order=order, diagnosis="Hãng thay main",
        lines=[QuoteLineInput(kind="labour", description="Hãng sửa", unit_price=0)],
    )  # fmt: skip
    services.start_repair(actor=tech, order=order)
    with pytest.raises(ValidationFailed):
        services.finish_repair(actor=tech, order=order)
    services.outsource_returned(actor=tech, order=order)
    assert services.finish_repair(actor=tech, order=order).status == RepairStatus.QC
    order.refresh_from_db()
    assert order.outsource_tracking == "GHNVN8812" and order.outsource_back_at is not None
