"""A claim resolved by refund opens a return in the returns app; the money goes back through payments (the
same code path as every return: VNPay to the local provider server, store credit), once per claim, also when
the agent double-clicks (PostgreSQL, parallel threads)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections

from haumai.core import clock, scheduler
from haumai.core.errors import Conflict, DomainError, ValidationFailed
from haumai.inventory.models import Warehouse
from haumai.payments.models import Refund
from haumai.returns import services as returns_services
from haumai.returns.models import ReturnRequest, Status
from haumai.testing.payments import LocalPayments, local_payments
from haumai.warranty import services
from haumai.warranty.models import Claim, ClaimStatus, VoidReason, Warranty, WarrantyStatus
from haumai.warranty.services.refunding import refund_key
from haumai.warranty.tests.conftest import PLACED, Shop, deliver, dispatch


@pytest.fixture
def pay(settings: Any) -> Iterator[LocalPayments]:
    with local_payments(slow_seconds=1.0) as state:
        state.configure(settings, http_timeout=0.4)
        yield state


def _accepted_refund(shop: Shop, serial: str = "SN-RF-001", *, vnpay: bool = False) -> Claim:
    Warehouse.objects.get_or_create(code="wh-hn", defaults={"name": "Kho Hà Nội"})
    order = deliver(shop.an, sku="IP15", serial=serial)
    if vnpay:
        from haumai.payments.services import record_payment

        record_payment(order=order, method="vnpay", amount_vnd=order.total, provider_transaction_ref=f"{order.code}-P",
                       provider_transaction_no="70000001", paid_at=PLACED)  # fmt: skip
    warranty = Warranty.objects.get(unit__serial=serial)
    claim = services.file_claim(actor=None, warranty=warranty, description="Mainboard cháy, không sửa được",
                                origin="console")  # fmt: skip
    return services.decide_claim(actor=None, claim=claim, accept=True, resolution="refund", note="Hết linh kiện")


def _receive_and_inspect(request: ReturnRequest) -> None:
    returns_services.receive_return(actor=None, request=request)
    returns_services.inspect_line(actor=None, line=request.lines.get(), grade="D", disposition="vendor_return")


def test_the_refund_goes_through_a_return_and_store_credit(shop: Shop, make_staff: Any) -> None:
    manager = make_staff("manager")
    claim = _accepted_refund(shop)
    resolved = services.resolve_claim(actor=manager, claim=claim, refund_method="store_credit")
    request = ReturnRequest.objects.get(code=resolved.return_code)
    assert resolved.status == ClaimStatus.RESOLVED and request.idempotency_key == refund_key(claim)
    assert (request.reason, request.resolution, request.customer_id) == ("defective", "store_credit", shop.an.pk)
    assert claim.code in request.override_note  # outside the return window: the claim is the exception
    warranty = Warranty.objects.get(pk=claim.warranty_id)
    assert warranty.status == WarrantyStatus.ACTIVE  # covered until the money is back
    assert not Refund.objects.exists()
    _receive_and_inspect(request)
    (refund,) = Refund.objects.all()
    assert (refund.method, refund.amount_vnd, refund.reference) == ("store_credit", 1_000_000, request.code)
    request.refresh_from_db()
    assert request.status == Status.STORE_CREDITED
    dispatch()
    warranty.refresh_from_db()
    assert warranty.status == WarrantyStatus.VOID and warranty.void_reason == VoidReason.CLAIM_REFUNDED


def test_vnpay_refund_through_the_provider(
    shop: Shop, make_staff: Any, pay: LocalPayments, django_capture_on_commit_callbacks: Any
) -> None:
    claim = _accepted_refund(shop, vnpay=True)
    resolved = services.resolve_claim(actor=make_staff("manager"), claim=claim)  # default: the original payment
    request = ReturnRequest.objects.get(code=resolved.return_code)
    assert request.resolution == "refund_original"
    _receive_and_inspect(request)
    for _round in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            scheduler.tick()
    request.refresh_from_db()
    assert request.status == Status.REFUNDED, request.problem
    assert [r.amount_vnd for r in pay.refunds] == [1_000_000]  # the VNPay server got one refund
    assert Warranty.objects.get(pk=claim.warranty_id).status == WarrantyStatus.VOID


def test_a_refund_method_the_order_cannot_take_is_refused_and_nothing_changes(shop: Shop, make_staff: Any) -> None:
    manager = make_staff("manager")
    claim = _accepted_refund(shop)
    for method, code in (
        ("refund_original", "refund_method_not_possible"),
        ("gold", "invalid_choice"),
        ("", "required"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.resolve_claim(actor=manager, claim=claim, refund_method=method)
        assert refused.value.errors[0].field == "refund_method" and refused.value.errors[0].code == code
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED and claim.return_code == "" and not ReturnRequest.objects.exists()


def test_an_agent_without_the_limit_is_refused_and_a_second_click_changes_nothing(
    shop: Shop, make_staff: Any, django_user_model: Any
) -> None:
    claim = _accepted_refund(shop)
    with pytest.raises(DomainError):  # outside the window, above nothing: a plain user may not accept it
        services.resolve_claim(actor=django_user_model.objects.create(username="clerk"), claim=claim,
                               refund_method="store_credit")  # fmt: skip
    assert not ReturnRequest.objects.exists() and Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACCEPTED
    manager = make_staff("manager")
    services.resolve_claim(actor=manager, claim=claim, refund_method="store_credit")
    with pytest.raises(Conflict):
        services.resolve_claim(actor=manager, claim=claim, refund_method="store_credit")
    assert ReturnRequest.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_parallel_double_click_opens_one_return_and_one_refund(shop: Shop, make_staff: Any) -> None:
    manager = make_staff("manager")
    claim = _accepted_refund(shop)
    barrier = threading.Barrier(4, timeout=60)
    outcomes: list[str] = []

    def click() -> None:
        try:
            with clock.frozen(clock.now()):
                barrier.wait()
                try:
                    services.resolve_claim(actor=manager, claim=claim, refund_method="store_credit")
                    outcomes.append("resolved")
                except Conflict:
                    outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "resolved"]
    (request,) = ReturnRequest.objects.all()
    assert Claim.objects.get(pk=claim.pk).return_code == request.code
    _receive_and_inspect(request)
    returns_services.resolve_return(actor=None, request=request)  # a second resolution asks for nothing more
    assert Refund.objects.count() == 1 and Refund.objects.get().reference == request.code
