"""Separation of duties: whoever requested a refund may not confirm or settle that same refund."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haumai.accounts.services import create_api_token
from haumai.core.errors import Forbidden
from haumai.events.models import Event
from haumai.payments.models import Payment, Refund, RefundStatus
from haumai.payments.services import confirm_manual_refund, request_refund, resolve_refund

BANK = {"bank": "Vietcombank", "number": "0071000123456", "name": "NGUYEN THI LAN"}


def _request(order: Any, actor: Any, method: str = "bank_transfer", key: str = "sod-1") -> Refund:
    return request_refund(
        order=order, amount_vnd=300_000, method=method, reference="RMA-2026-000007", reason="Broken screen",
        actor=actor, idempotency_key=key, bank_account=BANK,
    )  # fmt: skip


def _unchanged(refund: Refund, status: str) -> None:
    stored = Refund.objects.get(pk=refund.pk)
    assert stored.status == status and stored.confirmed_by is None and stored.transfer_reference == ""
    assert not Event.objects.filter(name__in=["refund.sent", "refund.failed"]).exists()
    assert Payment.objects.get(pk=refund.payment_id).refunded_vnd == 0 if refund.payment_id else True


def test_the_requester_cannot_confirm_their_own_bank_transfer(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("cod")
    agent = make_staff("agent")
    refund = _request(order, agent)
    with pytest.raises(Forbidden, match="requested this refund"):
        confirm_manual_refund(refund=refund, actor=agent, transfer_reference="FT2632712345")
    _unchanged(refund, RefundStatus.AWAITING_CONFIRMATION)
    colleague = make_staff("agent")
    confirm_manual_refund(refund=refund, actor=colleague, transfer_reference="FT2632712345")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT and refund.confirmed_by == colleague


@pytest.mark.parametrize("outcome", ["sent", "failed"])
def test_the_requester_cannot_settle_their_own_provider_refund(paid_order: Any, make_staff: Any, outcome: str) -> None:
    order, _payment = paid_order("vnpay")
    manager = make_staff("manager")
    refund = _request(order, manager, method="original")
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.NEEDS_ATTENTION, due_at=None)
    with pytest.raises(Forbidden, match="requested this refund"):
        resolve_refund(refund=refund, actor=manager, outcome=outcome, note="Seen in the VNPay portal")
    _unchanged(refund, RefundStatus.NEEDS_ATTENTION)
    resolve_refund(refund=refund, actor=make_staff("manager"), outcome=outcome, note="Seen in the VNPay portal")
    assert Refund.objects.get(pk=refund.pk).status == outcome


def test_the_requester_cannot_cancel_their_own_manual_refund(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("cash")
    manager = make_staff("manager")
    refund = _request(order, manager, method="cash")
    with pytest.raises(Forbidden):
        resolve_refund(refund=refund, actor=manager, outcome="failed", note="Customer chose an exchange")
    _unchanged(refund, RefundStatus.AWAITING_CONFIRMATION)


def test_the_requester_may_ask_the_provider_again(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("vnpay")
    manager = make_staff("manager")
    refund = _request(order, manager, method="original")
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.NEEDS_ATTENTION, due_at=None)
    resolve_refund(refund=refund, actor=manager, outcome="query", note="")
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.SENDING  # asking settles nothing


def test_superusers_are_bound_too(paid_order: Any, make_staff: Any) -> None:
    from haumai.accounts.services import create_staff_user

    order, _payment = paid_order("cod")
    boss = create_staff_user(username="boss", password="s3cret-pass-123", role="admin", superuser=True)
    refund = _request(order, boss)
    with pytest.raises(Forbidden):
        confirm_manual_refund(refund=refund, actor=boss, transfer_reference="FT1")
    _unchanged(refund, RefundStatus.AWAITING_CONFIRMATION)


def test_the_api_refuses_the_requester_with_403(paid_order: Any, make_staff: Any) -> None:
    order, _payment = paid_order("cod")
    agent = make_staff("agent")
    _, raw = create_api_token(actor=agent, user=agent, name="till")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    created = client.post(
        "/api/v1/payments/refunds",
        data=json.dumps({"order": order.code, "amount_vnd": 300_000, "method": "cash", "idempotency_key": "api-1"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    response = client.post(
        f"/api/v1/payments/refunds/{code}/confirm",
        data=json.dumps({"transfer_reference": "PC-001"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "separation_of_duties"
    _unchanged(Refund.objects.get(code=code), RefundStatus.AWAITING_CONFIRMATION)


def test_the_refund_page_hides_the_settle_forms_from_the_requester(
    paid_order: Any, make_staff: Any, client: Client
) -> None:
    order, _payment = paid_order("cod")
    agent = make_staff("agent")
    refund = _request(order, agent, key="sod-page")
    url = f"/console/payments/refunds/{refund.code}/"
    client.force_login(agent)
    page = client.get(url).content.decode()
    assert 'id="settle-refused"' in page
    assert "/confirm/" not in page and 'value="failed"' not in page
    client.force_login(make_staff("agent"))
    page = client.get(url).content.decode()
    assert 'id="settle-refused"' not in page and 'name="transfer_reference"' in page and 'value="failed"' in page
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.NEEDS_ATTENTION, due_at=None)
    client.force_login(agent)
    page = client.get(url).content.decode()
    assert 'value="query"' in page and 'value="sent"' not in page and 'value="failed"' not in page
