"""The RMA lifecycle through services: create, eligibility, approve, receive, inspect, restock, resolve."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Unit
from haumai.core import clock
from haumai.core.errors import Conflict, NotFound, ValidationFailed
from haumai.events.models import Event
from haumai.inventory.models import StockLevel, StockMove
from haumai.returns import services
from haumai.returns.models import ReturnPolicy, ReturnRequest, Status
from haumai.returns.services import LineInput
from haumai.returns.tests.conftest import DELIVERED, Shop
from haumai.sales.models import Order

pytestmark = pytest.mark.django_db


def dropoff(shop: Shop, *, lines: list[LineInput] | None = None, **kwargs: Any) -> ReturnRequest:
    values: dict[str, Any] = {
        "actor": None,
        "customer": shop.customer,
        "order": shop.order,
        "lines": lines or [LineInput(serial="SN-0001")],
        "reason": "changed_mind",
        "resolution": "exchange_same",
        "logistics": "store_dropoff",
        "origin": "portal",
        "warehouse_code": "wh-hcm",
    }
    values.update(kwargs)
    request, _created = services.create_return(**values)
    return request


def test_default_policy_auto_approves_and_issues_a_dropoff_code(shop: Shop) -> None:
    request = dropoff(shop)
    assert request.code.startswith("RMA-2026-")
    assert request.status == Status.AWAITING_DROPOFF
    assert request.dropoff_code and len(request.dropoff_code) == 8
    events = Event.objects.filter(subject_type="returns.returnrequest", subject_id=str(request.pk))
    names = list(events.order_by("id").values_list("name", flat=True))
    assert names == ["return.requested", "return.approved", "return.dropoff_ready"]
    line = request.lines.get()
    assert line.eligible and line.notes[0]["code"] == "within_window"


def test_window_passed_is_refused_with_dates_and_nothing_is_written(shop: Shop) -> None:
    clock.freeze(DELIVERED + dt.timedelta(days=11))
    with pytest.raises(services.ReturnNotEligible) as caught:
        dropoff(shop)
    message = caught.value.errors[0].message
    assert "7 days has passed: delivered on 01/11, today is 12/11" in message
    assert not ReturnRequest.objects.exists()


@pytest.mark.vietnamese
def test_window_message_in_vietnamese(shop: Shop) -> None:
    from django.utils import translation

    clock.freeze(DELIVERED + dt.timedelta(days=11))
    with translation.override("vi"), pytest.raises(services.ReturnNotEligible) as caught:
        dropoff(shop)
    assert "Quá hạn 7 ngày đổi trả: giao ngày 01/11, hôm nay 12/11" in caught.value.errors[0].message


def test_defect_is_accepted_after_the_change_of_mind_window(shop: Shop) -> None:
    clock.freeze(DELIVERED + dt.timedelta(days=20))
    request = dropoff(shop, reason="defective")
    assert request.lines.get().notes[0]["code"] == "seller_fault_window"


def test_quantity_above_what_was_bought_minus_returned(shop: Shop) -> None:
    dropoff(shop, lines=[LineInput(sku="CASE-1", quantity=1)])
    with pytest.raises(ValidationFailed) as caught:
        dropoff(shop, lines=[LineInput(sku="CASE-1", quantity=2)])
    assert caught.value.errors[0].code == "quantity_too_high"
    assert "Only 1 of 2 can still be returned (1 already in returns)" in caught.value.errors[0].message
    assert ReturnRequest.objects.count() == 1


def test_serial_not_on_the_order_and_duplicate_unit(shop: Shop) -> None:
    with pytest.raises(ValidationFailed) as caught:
        dropoff(shop, lines=[LineInput(serial="SN-9999")])
    assert caught.value.errors[0].code == "serial_not_on_order"
    first = dropoff(shop)
    with pytest.raises(ValidationFailed) as caught:
        dropoff(shop)
    assert caught.value.errors[0].code == "duplicate_return"
    assert first.code in caught.value.errors[0].message
    assert ReturnRequest.objects.count() == 1


def test_someone_elses_order_and_bad_choices(shop: Shop) -> None:
    with pytest.raises(ValidationFailed) as caught:
        dropoff(shop, customer=shop.other, reason="bored", logistics="teleport")
    fields = {error.field for error in caught.value.errors}
    assert fields == {"order", "reason", "logistics"}
    assert not ReturnRequest.objects.exists()


def test_idempotency_key_replays(shop: Shop) -> None:
    first = dropoff(shop, idempotency_key="k-1")
    request, created = services.create_return(
        actor=None, customer=shop.customer, order=shop.order, lines=[LineInput(serial="SN-0001")],
        reason="changed_mind", resolution="exchange_same", logistics="store_dropoff", idempotency_key="k-1",
    )
    assert not created and request.pk == first.pk
    assert ReturnRequest.objects.count() == 1


def test_override_needs_permission_and_limit(shop: Shop, make_staff: Any) -> None:
    clock.freeze(DELIVERED + dt.timedelta(days=40))
    agent = make_staff("agent")
    with pytest.raises(ValidationFailed) as caught:  # 10,000,000 > agent's 500,000 limit
        dropoff(shop, actor=agent, override_note="loyal customer")
    assert caught.value.errors[0].code == "over_approval_limit"
    request = dropoff(shop, actor=agent, lines=[LineInput(sku="CASE-1", quantity=1)], override_note="loyal customer")
    assert request.status == Status.REQUESTED  # exceptions wait for approval
    line = request.lines.get()
    assert line.overridden and not line.eligible and line.notes[-1]["code"] == "overridden"
    assert request.overridden_by == agent
    technician = make_staff("technician")
    with pytest.raises(ValidationFailed):
        dropoff(shop, actor=technician, lines=[LineInput(sku="CASE-1", quantity=1)], override_note="x")


def test_receive_inspect_restock_and_exchange(shop: Shop, make_staff: Any) -> None:
    from haumai.inventory.services import move_stock

    keeper = make_staff("warehouse")
    phone = shop.order.lines.get(product__sku="PHONE-1").product
    move_stock(actor=None, product=phone, warehouse=shop.warehouse, grade="new", quantity=3, reason="receipt")
    request = dropoff(shop)
    found = services.find_for_scan(request.dropoff_code.lower())
    assert found.pk == request.pk
    services.receive_return(actor=keeper, request=found)
    services.receive_return(actor=keeper, request=found)  # a second scan changes nothing
    assert Event.objects.filter(name="return.received").count() == 1
    line = request.lines.get()
    services.inspect_line(actor=keeper, line=line, grade="A", disposition="restock")
    level = StockLevel.objects.get(product=phone, warehouse=shop.warehouse, grade="A")
    assert level.quantity == 1
    assert StockMove.objects.filter(reason="return_restock", reference=request.code).count() == 1
    assert Unit.objects.get(serial="SN-0001").status == "in_stock"
    request.refresh_from_db()
    assert request.status == Status.EXCHANGED
    replacement = Order.objects.get(code=request.exchange_order_code)
    assert replacement.total == 0 and replacement.customer == shop.customer
    assert StockLevel.objects.get(product=phone, warehouse=shop.warehouse, grade="new").quantity == 2
    services.inspect_line(actor=keeper, line=line, grade="A", disposition="restock")  # repeated: no second move
    assert StockMove.objects.filter(reason="return_restock").count() == 1
    services.close_return(actor=keeper, request=request)
    request.refresh_from_db()
    assert request.status == Status.CLOSED


def test_unknown_scan_is_a_clear_error(shop: Shop) -> None:
    with pytest.raises(NotFound) as caught:
        services.find_for_scan("NOPE-123")
    assert "No return matches “NOPE-123”" in caught.value.message


def test_invalid_transitions_and_cancel(shop: Shop, make_staff: Any) -> None:
    agent = make_staff("agent")
    request = dropoff(shop)
    with pytest.raises(Conflict):
        services.reject_return(actor=agent, request=request, note="no")
    services.cancel_return(actor=None, request=request, note="changed my mind again")
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    with pytest.raises(Conflict):
        services.receive_return(actor=agent, request=request)
    again = dropoff(shop)  # a cancelled return frees the unit
    assert again.status == Status.AWAITING_DROPOFF


def test_partial_receipt_waits_then_resolves_with_what_arrived(shop: Shop, make_staff: Any) -> None:
    from haumai.core import scheduler

    keeper = make_staff("warehouse")
    request = dropoff(shop, lines=[LineInput(sku="CASE-1", quantity=2)], resolution="exchange_same")
    line = request.lines.get()
    from haumai.inventory.services import move_stock

    move_stock(actor=None, product=line.product, warehouse=shop.warehouse, grade="new", quantity=5, reason="receipt")
    services.receive_return(actor=keeper, request=request, received={line.pk: 1})
    services.inspect_line(actor=keeper, line=line, grade="B", disposition="restock")
    request.refresh_from_db()
    assert request.status == Status.INSPECTED and request.due_at is not None  # waiting for the missing case
    clock.advance(dt.timedelta(days=8))
    scheduler.tick()
    request.refresh_from_db()
    assert request.status == Status.EXCHANGED and request.due_at is None
    assert Order.objects.get(code=request.exchange_order_code).lines.get().quantity == 1


def test_refund_without_payments_app_is_flagged_not_lost(paid: Shop, make_staff: Any) -> None:
    shop = paid
    keeper = make_staff("warehouse")
    request = dropoff(shop, resolution="refund_original")
    services.receive_return(actor=keeper, request=request)
    services.inspect_line(actor=keeper, line=request.lines.get(), grade="B", disposition="restock")
    request.refresh_from_db()
    assert request.status == Status.INSPECTED
    from haumai.payments import services as payment_services

    if not hasattr(payment_services, "request_refund"):
        assert "payments module is not available" in request.problem


def test_most_specific_policy_wins(shop: Shop) -> None:
    from haumai.returns.policy import policy_for

    phone = shop.order.lines.get(product__sku="PHONE-1").product
    default = ReturnPolicy.objects.get(name="Đổi trả trong 7 ngày")
    assert policy_for(product=phone, channel_id=shop.channel.pk) == default
    by_channel = ReturnPolicy.objects.create(name="web", channel=shop.channel, window_days=14)
    assert policy_for(product=phone, channel_id=shop.channel.pk) == by_channel
    by_category = ReturnPolicy.objects.create(name="phones", category=phone.category, window_days=3)
    assert policy_for(product=phone, channel_id=shop.channel.pk) == by_category
    by_product = ReturnPolicy.objects.create(name="p1", product=phone, is_returnable=False)
    assert policy_for(product=phone, channel_id=shop.channel.pk) == by_product
    with pytest.raises(services.ReturnNotEligible) as caught:
        dropoff(shop)
    assert "cannot be returned" in caught.value.errors[0].message


def test_a_refund_needing_attention_is_never_retried_as_a_new_refund(shop: Shop) -> None:
    request = dropoff(shop, resolution="store_credit")
    ReturnRequest.objects.filter(pk=request.pk).update(
        status=Status.INSPECTED, refund_code="RF-2026-000077", refund_status="needs_attention", problem="x"
    )
    request.refresh_from_db()
    with pytest.raises(ValidationFailed) as caught:
        services.retry_resolution(actor=None, request=request)
    assert caught.value.errors[0].code == "refund_pending"
