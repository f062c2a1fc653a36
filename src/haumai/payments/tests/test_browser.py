"""A manager settles refunds in a real browser (system Chromium): the needs-attention queue and a bank transfer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.payments.models import Refund, RefundStatus
from haumai.payments.sending import SOURCE
from haumai.payments.services import request_refund
from haumai.testing.browser import console_login

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.vietnamese,
]





def test_manager_asks_again_then_confirms_a_bank_transfer(
    live_server: Any, page: Any, pay: Any, paid_order: Any, make_staff: Any
) -> None:
    make_staff("manager", username="minh.manager")
    order, _payment = paid_order("momo")
    lost = request_refund(order=order, amount_vnd=300_000, method="original", reference="RMA-2026-000101",
                          reason="Lỗi màn hình", actor=None, idempotency_key="b-1")  # fmt: skip
    pay.fail_next("momo.refund", "drop_after_record")
    scheduler.run_source(SOURCE, batch_size=10)  # money moved, answer lost
    Refund.objects.filter(pk=lost.pk).update(status=RefundStatus.NEEDS_ATTENTION, due_at=None)
    transfer = request_refund(
        order=order, amount_vnd=200_000, method="bank_transfer", reference="RMA-2026-000102", reason="Đổi ý",
        actor=None, idempotency_key="b-2",
        bank_account={"bank": "Vietcombank", "number": "0071000123456", "name": "NGUYEN THI LAN"},
    )  # fmt: skip

    console_login(page, live_server, "minh.manager")
    page.goto(live_server.url + "/console/payments/attention/")
    page.click(f"text={lost.code}")
    page.wait_for_url(f"**/console/payments/refunds/{lost.code}/")
    assert "Cần xử lý" in page.inner_text("main")
    page.check("input[name=outcome][value=query]")
    with page.expect_navigation():
        page.click("form[action$='/resolve/'] button[type=submit]")
    assert "Đang gửi" in page.inner_text("main")

    with clock.frozen(clock.now() + dt.timedelta(seconds=1)):
        scheduler.run_source(SOURCE, batch_size=10)  # the worker queries MoMo: the refund went through
    page.reload()
    assert "Đã hoàn tiền" in page.inner_text("main")
    assert len(pay.refunds) == 1

    page.goto(live_server.url + f"/console/payments/refunds/{transfer.code}/")
    page.fill("#id_transfer_reference", "FT26327001234")
    with page.expect_navigation():
        page.click("form[action$='/confirm/'] button[type=submit]")
    assert "FT26327001234" in page.inner_text("main")
    transfer.refresh_from_db()
    assert transfer.status == RefundStatus.SENT
