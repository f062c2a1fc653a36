"""A repair claim in service opens its order; the intake then completes that order, not a second one."""

from __future__ import annotations

import pytest

from haumai.core.errors import ValidationFailed
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, RepairStatus
from haumai.repairs.tests.conftest import Workshop, accepted_claim, dispatch
from haumai.warranty import services as warranty_services


def test_claim_in_service_opens_an_order_waiting_for_the_unit(shop: Workshop) -> None:
    claim = warranty_services.resolve_claim(actor=None, claim=accepted_claim(shop.warranty))
    dispatch()
    order = RepairOrder.objects.get(claim=claim)
    assert order.status == RepairStatus.RECEIVED and order.intake_done is False and order.under_warranty
    with pytest.raises(ValidationFailed):
        services.start_diagnosis(actor=shop.technician, order=order)
    completed = services.receive_unit(
        actor=shop.agent,
        unit=shop.unit,
        customer=shop.an,
        service_center=shop.center,
        description="Màn hình sọc",
        condition="Nguyên vẹn",
        accessories="Hộp",
    )
    assert completed.pk == order.pk and completed.intake_done and completed.claim == claim
    assert RepairOrder.objects.count() == 1
    dispatch()  # replaying the events changes nothing
    assert RepairOrder.objects.count() == 1
    services.start_diagnosis(actor=shop.technician, order=completed)
