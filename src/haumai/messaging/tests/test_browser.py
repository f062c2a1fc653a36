"""A manager edits a template in a real browser (system Chromium): live preview, refused error, new version."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.messaging.models import Template
from haumai.testing.browser import console_login

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.vietnamese,
]




def test_manager_edits_a_template_with_live_preview(live_server: Any, page: Any, make_staff: Any) -> None:
    make_staff("manager", username="mai.quanly")
    template = Template.objects.get(key="refund.sent", channel="sms", language="vi")
    console_login(page, live_server, "mai.quanly")

    page.goto(live_server.url + f"/console/messaging/templates/{template.pk}/edit/")
    page.fill("#f-text", "Hoàn {{ refund.amount | vnd }} cho {{ customer.first_name }}")
    # A locator wait, not wait_for_function("..."): the page's CSP forbids evaluating strings.
    page.locator("#preview", has_text="cho Lan").wait_for()
    assert "Hoàn 12.990.000 ₫ cho Lan" in page.inner_text("#preview")

    page.fill("#f-text", "Hoàn {{ refund.tien }}")
    page.locator("#preview", has_text="tien").wait_for()
    assert "tien" in page.inner_text("#preview .alert-danger")

    page.fill("#f-text", "Đã hoàn {{ refund.amount | vnd }} (mã {{ refund.code }}).")
    with page.expect_navigation():
        page.click("button:has-text('Lưu thành phiên bản mới')")
    assert "Đã lưu thành phiên bản 2." in page.inner_text("main")
    assert "Đã hoàn 12.990.000 ₫ (mã RF-2026-000067)." in page.inner_text("main")
    template.refresh_from_db()
    assert template.current_version is not None and template.current_version.number == 2
