"""Disposition rules: inspection applies the proposal, overrides need the permission and a reason."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.catalog.models import Category
from haumai.core.errors import ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import ChannelAllocation, ChannelStock, StockLevel, Warehouse
from haumai.inventory.services import move_stock
from haumai.returns import dispositions, services
from haumai.returns.models import DispositionRule, Inspection, ReturnRequest
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_lifecycle import dropoff
from haumai.sales.models import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet(shop: Shop) -> Warehouse:
    outlet = Warehouse.objects.create(code="kho-outlet", name="Kho hàng trưng bày")
    DispositionRule.objects.create(grade="A", disposition="restock")
    DispositionRule.objects.create(grade="B", disposition="restock", warehouse=outlet)
    DispositionRule.objects.create(grade="C", disposition="refurbish")
    DispositionRule.objects.create(grade="D", disposition="vendor_return")
    phone = shop.order.lines.get(product__sku="PHONE-1").product
    move_stock(actor=None, product=phone, warehouse=shop.warehouse, grade="new", quantity=3, reason="receipt")
    return outlet


def _received(shop: Shop, keeper: Any, **kwargs: Any) -> ReturnRequest:
    request = dropoff(shop, **kwargs)
    services.receive_return(actor=keeper, request=request)
    return request


def test_graded_b_lands_in_the_outlet_channel(shop: Shop, outlet: Warehouse, make_staff: Any) -> None:
    channel = Channel.objects.create(code="outlet", name="Outlet Shopee", kind="marketplace")
    ChannelAllocation.objects.create(channel=channel, grades="B")
    keeper = make_staff("warehouse")
    request = _received(shop, keeper)
    inspection = services.inspect_line(actor=keeper, line=request.lines.get(), grade="B", disposition="")
    assert inspection.disposition == "restock" and inspection.proposed_disposition == "restock"
    assert inspection.warehouse == outlet and inspection.override_reason == ""
    phone = request.lines.get().product
    assert StockLevel.objects.get(product=phone, warehouse=outlet, grade="B").quantity == 1
    assert ChannelStock.objects.get(product=phone, channel=channel).available == 1
    event = Event.objects.get(name="stock.available_changed")
    assert event.payload["channel"] == "outlet" and event.payload["available"] == 1


def test_a_clerk_cannot_override_and_nothing_is_written(shop: Shop, outlet: Warehouse, make_staff: Any) -> None:
    keeper = make_staff("warehouse")
    request = _received(shop, keeper)
    with pytest.raises(ValidationFailed) as caught:
        services.inspect_line(actor=keeper, line=request.lines.get(), grade="C", disposition="restock")
    assert caught.value.errors[0].code == "override_not_allowed"
    assert "Send to refurbishment" in caught.value.errors[0].message
    assert not Inspection.objects.exists() and not StockLevel.objects.filter(grade="C").exists()


def test_a_manager_overrides_with_a_reason(shop: Shop, outlet: Warehouse, make_staff: Any) -> None:
    keeper = make_staff("warehouse")
    manager = make_staff("manager")
    request = _received(shop, keeper)
    line = request.lines.get()
    with pytest.raises(ValidationFailed) as caught:
        services.inspect_line(actor=manager, line=line, grade="C", disposition="restock", warehouse_code="wh-hcm")
    assert caught.value.errors[0].field == "override_reason"
    inspection = services.inspect_line(actor=manager, line=line, grade="C", disposition="restock",
                                       warehouse_code="wh-hcm", override_reason="Chỉ trầy nhẹ, bán được")  # fmt: skip
    assert inspection.proposed_disposition == "refurbish" and inspection.override_reason == "Chỉ trầy nhẹ, bán được"
    assert StockLevel.objects.get(product=line.product, warehouse=shop.warehouse, grade="C").quantity == 1
    event = Event.objects.get(name="return.line_inspected")
    assert event.payload["proposed_disposition"] == "refurbish" and event.payload["override_reason"]


def test_following_the_rule_needs_no_reason_and_no_rule_needs_a_choice(shop: Shop, make_staff: Any) -> None:
    keeper = make_staff("warehouse")
    request = _received(shop, keeper)
    with pytest.raises(ValidationFailed) as caught:
        services.inspect_line(actor=keeper, line=request.lines.get(), grade="B", disposition="")
    assert caught.value.errors[0].code == "required"  # no rule: staff choose
    DispositionRule.objects.create(grade="D", disposition="scrap")
    inspection = services.inspect_line(actor=keeper, line=request.lines.get(), grade="D", disposition="scrap")
    assert inspection.override_reason == "" and inspection.proposed_disposition == "scrap"


def test_the_most_specific_rule_wins(shop: Shop) -> None:
    phones = Category.objects.get(code="phones")
    smartphones = Category.objects.create(code="smartphones", name="Smartphones", parent=phones)
    general = DispositionRule.objects.create(grade="A", disposition="restock")
    defective = DispositionRule.objects.create(grade="A", reason="defective", disposition="refurbish")
    by_category = DispositionRule.objects.create(
        grade="A", reason="defective", category=phones, disposition="vendor_return"
    )
    DispositionRule.objects.create(disposition="scrap", is_active=False)
    assert dispositions.propose(grade="A", reason="changed_mind", category=smartphones).rule == general  # type: ignore[union-attr]
    assert dispositions.propose(grade="A", reason="defective", category=None).rule == defective  # type: ignore[union-attr]
    assert dispositions.propose(grade="A", reason="defective", category=smartphones).rule == by_category  # type: ignore[union-attr]
    assert dispositions.propose(grade="B", reason="defective", category=smartphones) is None
