"""Done-when in a real browser: a customer answers a CSAT survey from the signed link on a phone-sized page;
after the worker's rollup the manager sees it on the KPI dashboard with its formula, the chart draws under
the CSP, and the number drills down to the answer."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.analytics import rollups
from haumai.analytics.days import local_day
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.surveys import links
from haumai.surveys.models import Response
from haumai.surveys.services import create_invitation
from haumai.surveys.tests.conftest import ensure_surveys

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "s3cret-pass-123"


def test_customer_answers_and_manager_sees_it_on_the_dashboard(live_server: Any, page: Any, browser: Any) -> None:
    surveys = ensure_surveys()
    customer = Customer.objects.create(code="CUS-2026-000123", full_name="Lê Thị Hoa", search_key="le thi hoa",
                                       phone="+84905111222")
    invitation = create_invitation(survey=surveys["csat-order"], customer=customer, subject_kind="order",
                                   subject_code="ORD-2026-000456", channel="zalo")
    create_staff_user(username="ha.manager", password=PASSWORD, role="manager")
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    mobile = phone.new_page()
    mobile.goto(live_server.url + links.path_for(invitation))
    assert "ORD-2026-000456" in mobile.locator("main").inner_text()
    mobile.locator("label[for=score-5]").click()
    mobile.fill("#survey-comment", "Giao hàng nhanh, nhân viên dễ thương")
    mobile.locator("#survey-form button[type=submit]").click()
    mobile.locator("#survey-done").wait_for()
    assert Response.objects.get().score == 5
    mobile.goto(live_server.url + links.path_for(invitation))  # the link again: already answered, not a new form
    mobile.locator("#survey-done").wait_for()
    assert mobile.locator("#survey-form").count() == 0
    phone.close()

    rollups.refresh_day(local_day(clock.now()))  # what the worker's tick does every 15 minutes
    page.goto(live_server.url + "/console/login/")
    page.fill("#id_username", "ha.manager")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    page.goto(live_server.url + "/console/analytics/")
    card = page.locator("#kpi-csat")
    assert "100.0%" in card.inner_text() and "1 / 1" in card.inner_text()
    assert card.locator("[data-kpi-formula]").inner_text().strip() != ""
    page.locator("#kpi-chart[data-ready='1']").wait_for()  # Chart.js ran from the vendored file
    card.locator("[data-kpi-value]").click()
    page.wait_for_url("**/console/analytics/drill/csat/**")
    assert invitation.code in page.locator("#drill-table").inner_text()
    assert violations == []
