"""Manager builds a journey in a real browser: add steps, reorder, get a validation error, save."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.journeys.models import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_builds_a_journey(live_server: Any, page: Any) -> None:
    create_staff_user(username="minh.manager", password="s3cret-pass-123", role="manager", full_name="Lê Minh")
    page.goto(live_server.url + "/console/")
    page.fill("#id_username", "minh.manager")
    page.fill("#id_password", "s3cret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")
    page.goto(live_server.url + "/console/journeys/new/")
    page.fill("#key", "goi-dien-vip")
    page.fill("#name", "Gọi điện khách VIP")
    page.fill("#trigger_event", "order.delivered")
    page.select_option("select[name=step-0-kind]", "task")
    page.fill("input[name=step-0-task_title]", "Gọi điện hỏi thăm")
    page.click("button[name=action][value=add]")
    page.select_option("select[name=step-1-kind]", "wait")
    page.fill("input[name=step-1-wait_hours]", "0")
    page.click("button[name=action][value=save]:not(.visually-hidden)")
    page.locator("#step-2 .invalid-feedback").wait_for()
    assert not Journey.objects.filter(key="goi-dien-vip").exists()
    page.fill("input[name=step-1-wait_hours]", "24")
    page.click("button[name=action][value=up-2]")  # the wait first, then the task
    page.click("button[name=action][value=save]:not(.visually-hidden)")
    page.wait_for_url("**/console/journeys/goi-dien-vip/")
    journey = Journey.objects.get(key="goi-dien-vip")
    assert list(journey.steps.values_list("kind", "wait_hours", "task_title")) == [
        ("wait", 24, ""),
        ("task", 0, "Gọi điện hỏi thăm"),
    ]
