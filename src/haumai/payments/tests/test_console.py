"""Console pages: refunds list, needs-attention queue, detail, confirm and resolve forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.payments.models import Refund, RefundStatus
from haumai.payments.services import request_refund


def _login(make_staff: Any, role: str) -> tuple[Client, Any]:
    user = make_staff(role)
    client = Client()
    client.force_login(user)
    return client, user


def _manual(order: Any, key: str, method: str = "bank_transfer") -> Refund:
    return request_refund(
        order=order, amount_vnd=120_000, method=method, reference="RMA-2026-000042", reason="Wrong size",
        actor=None, idempotency_key=key, bank_account={"bank": "ACB", "number": "123456789", "name": "TRAN VAN B"},
    )  # fmt: skip


def test_list_filters_and_query_count(make_staff: Any, paid_order: Any, django_assert_max_num_queries: Any) -> None:
    client, _user = _login(make_staff, "agent")
    order, _payment = paid_order("cod", total=5_000_000)
    for n in range(30):
        _manual(order, f"k{n}", method="cash" if n % 2 else "bank_transfer")
    with django_assert_max_num_queries(8):
        page = client.get("/console/payments/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("/console/payments/refunds/RF-") == 25 and "page=2" in html
    cash = client.get("/console/payments/?method=cash").content.decode()
    assert cash.count("/console/payments/refunds/RF-") == 15
    assert client.get("/console/payments/?status=bogus").status_code == 200  # bad filter: ignored, not a crash
    attention = client.get("/console/payments/attention/")
    assert attention.status_code == 200 and "RF-" in attention.content.decode()


def test_confirm_manual_refund_from_the_console(make_staff: Any, paid_order: Any) -> None:
    client, user = _login(make_staff, "agent")
    order, _payment = paid_order("cod")
    refund = _manual(order, "c1")
    detail = client.get(f"/console/payments/refunds/{refund.code}/")
    assert detail.status_code == 200 and "Confirm paid" in detail.content.decode()
    empty = client.post(f"/console/payments/refunds/{refund.code}/confirm/", {"transfer_reference": ""})
    assert empty.status_code == 200
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.AWAITING_CONFIRMATION
    done = client.post(f"/console/payments/refunds/{refund.code}/confirm/", {"transfer_reference": "FT26327"})
    assert done.status_code == 302
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT and refund.confirmed_by == user


def test_bank_account_masked_without_pii_permission(make_staff: Any, paid_order: Any) -> None:
    order, _payment = paid_order("cod")
    refund = _manual(order, "m1")
    warehouse, _user = _login(make_staff, "warehouse")
    html = warehouse.get(f"/console/payments/refunds/{refund.code}/").content.decode()
    assert "123456789" not in html and "6789" in html
    assert "Confirm paid" not in html  # no payments.add_refund
    assert warehouse.post(f"/console/payments/refunds/{refund.code}/confirm/", {"transfer_reference": "x"}).status_code == 403  # noqa: E501
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.AWAITING_CONFIRMATION


def test_resolve_needs_attention(make_staff: Any, paid_order: Any) -> None:
    client, _user = _login(make_staff, "manager")
    order, _payment = paid_order("vnpay")
    refund = request_refund(order=order, amount_vnd=50_000, method="original", reference="", reason="",
                            actor=None, idempotency_key="na")  # fmt: skip
    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.NEEDS_ATTENTION, due_at=None)
    url = f"/console/payments/refunds/{refund.code}/resolve/"
    assert "Ask the provider again" in client.get(f"/console/payments/refunds/{refund.code}/").content.decode()
    missing_note = client.post(url, {"outcome": "sent"})
    assert missing_note.status_code == 200 and "Say what you checked" in missing_note.content.decode()
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.NEEDS_ATTENTION
    assert client.post(url, {"outcome": "sent", "note": "Seen in VNPay portal", "provider_refund_ref": "1442"}).status_code == 302  # noqa: E501
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SENT and refund.provider_refund_ref == "1442"
    assert refund.payment.refunded_vnd == 50_000


@pytest.mark.vietnamese
def test_pages_render_in_vietnamese(make_staff: Any, paid_order: Any) -> None:
    client, _user = _login(make_staff, "agent")
    order, _payment = paid_order("cod")
    refund = _manual(order, "vi")
    assert client.get("/console/payments/").status_code == 200
    assert client.get(f"/console/payments/refunds/{refund.code}/").status_code == 200
    assert client.get("/console/payments/refunds/RF-2026-999999/").status_code == 404
