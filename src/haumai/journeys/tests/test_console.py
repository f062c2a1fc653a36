"""Console: permissions, the builder (validation, row actions), runs pages with query counts, care tasks."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from haumai.journeys.models import CareTask, Journey, JourneyRun, JourneyStep
from haumai.journeys.tests.conftest import deliver, only, place_order, tick

pytestmark = pytest.mark.django_db


def builder_post(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": "vip-follow-up",
        "name": "VIP follow-up",
        "is_active": "on",
        "trigger_kind": "event",
        "trigger_event": "order.delivered",
        "purpose": "service",
        "channel_order": "zalo, email",
        "condition_min_order_total": "5000000",
        "step_count": "3",
        "step-0-kind": "wait",
        "step-0-wait_hours": "24",
        "step-1-kind": "send",
        "step-1-template_key": "order.thank_you",
        "step-2-kind": "task",
        "step-2-task_title": "Call the customer",
        "action": "save",
    }
    body.update(overrides)
    return body


def test_pages_need_permissions(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("warehouse"))
    for url in ["/console/journeys/", "/console/journeys/order-thank-you/", "/console/journeys/new/",
                "/console/journeys/order-thank-you/runs/", "/console/journeys/tasks/"]:  # fmt: skip
        assert client.get(url).status_code == 403, url
    client.force_login(make_staff("agent"))
    assert client.get("/console/journeys/").status_code == 200
    assert client.get("/console/journeys/order-thank-you/edit/").status_code == 403
    before = Journey.objects.count()
    assert client.post("/console/journeys/new/", builder_post()).status_code == 403
    assert Journey.objects.count() == before


def test_manager_creates_a_journey_with_the_builder(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    response = client.post("/console/journeys/new/", builder_post())
    assert response.status_code == 302
    journey = Journey.objects.get(key="vip-follow-up")
    assert journey.condition_min_order_total == 5_000_000
    assert journey.channel_order == ["zalo", "email"]
    assert list(journey.steps.values_list("position", "kind")) == [(1, "wait"), (2, "send"), (3, "task")]
    page = client.get("/console/journeys/vip-follow-up/").content.decode()
    assert "Call the customer" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"step_count": "0"}, "at least one step"),
        ({"step-0-wait_hours": "0"}, "wait more than 0 hours"),
        ({"step-0-wait_hours": "-5"}, "Enter a whole number"),
        ({"step-1-template_key": "no.such"}, "unknown template key"),
        (
            {"step-2-kind": "branch", "step-2-branch_condition": "language", "step-2-branch_value": "vi",
             "step-2-branch_target": "1"},
            "loops are not allowed",
        ),
        ({"trigger_event": ""}, "Name the trigger event"),
        ({"channel_order": "fax"}, "Unknown channel"),
        ({"purpose": "marketing", "allow_quiet_hours": "on"}, "never go out in quiet hours"),
        ({"key": "order-thank-you"}, "exists"),
    ],
)  # fmt: skip
def test_builder_refuses_bad_journeys_and_changes_nothing(
    client: Any, make_staff: Any, overrides: dict[str, Any], message: str
) -> None:
    client.force_login(make_staff("manager"))
    journeys, steps = Journey.objects.count(), JourneyStep.objects.count()
    response = client.post("/console/journeys/new/", builder_post(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (Journey.objects.count(), JourneyStep.objects.count()) == (journeys, steps)


def test_builder_row_actions_do_not_save(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    response = client.post("/console/journeys/new/", builder_post(action="up-3"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index('value="Call the customer"') < page.index('name="step-2-wait_hours"')
    assert 'name="step-3-kind"' not in page
    added = client.post("/console/journeys/new/", builder_post(action="add")).content.decode()
    assert 'name="step-3-kind"' in added
    assert not Journey.objects.filter(key="vip-follow-up").exists()


def test_editing_keeps_step_ids_and_removes_extra_steps(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    journey = Journey.objects.get(key="order-thank-you")
    first_step = journey.steps.get(position=1).pk
    body = builder_post(**{"step_count": "2", "step-1-template_key": "survey.satisfaction"})
    del body["key"]
    assert client.post("/console/journeys/order-thank-you/edit/", body).status_code == 302
    assert list(journey.steps.values_list("pk", "position", "template_key")) == [
        (first_step, 1, ""),
        (journey.steps.get(position=2).pk, 2, "survey.satisfaction"),
    ]


def test_runs_pages_show_why_and_keep_query_counts_flat(
    catalog: Any, morning: Any, capture: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    only("order-thank-you")
    Journey.objects.filter(key="order-thank-you").update(condition_min_order_total=10_000_000)
    for index in range(5):
        deliver(place_order(phone=f"091200000{index}"))
    tick(capture)
    client.force_login(make_staff("agent"))
    with django_assert_max_num_queries(9):  # one of them reads the template names (labels, not keys)
        page = client.get("/console/journeys/order-thank-you/runs/").content.decode()
    assert page.count("Condition false") == 5
    customer = JourneyRun.objects.first().customer  # type: ignore[union-attr]
    with django_assert_max_num_queries(11):
        assert client.get(f"/console/journeys/customers/{customer.code}/").status_code == 200
    with django_assert_max_num_queries(9):  # one reads the category names
        assert client.get("/console/journeys/").status_code == 200
    assert client.get("/console/journeys/order-thank-you/runs/?page=abc&status=bogus").status_code == 200
    assert client.get("/console/journeys/no-such/runs/").status_code == 404


def test_care_task_queue_and_done(
    catalog: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    order = place_order()
    for index in range(3):
        CareTask.objects.create(customer=order.customer, title=f"Call {index}", created_at=order.placed_at)
    agent = make_staff("agent")
    agent.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="journeys", codename__in=["view_caretask", "change_caretask"]
        )
    )
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        page = client.get("/console/journeys/tasks/").content.decode()
    assert "Call 2" in page
    task = CareTask.objects.first()
    assert task is not None
    assert client.post(f"/console/journeys/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_by) == ("done", agent)
    client.post(f"/console/journeys/tasks/{task.pk}/done/")  # twice: a warning, nothing changes
    task.refresh_from_db()
    assert task.status == "done"
    assert client.post("/console/journeys/tasks/999999/done/").status_code == 404
    client.force_login(make_staff("warehouse"))
    other = CareTask.objects.filter(status="open").first()
    assert other is not None
    assert client.post(f"/console/journeys/tasks/{other.pk}/done/").status_code == 403
    other.refresh_from_db()
    assert other.status == "open"


@pytest.mark.vietnamese
def test_builder_speaks_vietnamese(client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    page = client.get("/console/journeys/order-thank-you/edit/").content.decode()
    assert "Lưu hành trình" in page and "Thêm bước" in page
    response = client.post("/console/journeys/new/", builder_post(step_count="0"))
    assert "Hành trình cần ít nhất một bước" in response.content.decode()


def test_journey_pages_show_trigger_and_template_names_not_codes(client: Any, make_staff: Any) -> None:
    from haumai.catalog.models import Category

    Category.objects.update_or_create(code="dieu-hoa", defaults={"name": "Điều hòa"})
    client.force_login(make_staff("manager"))
    listing = client.get("/console/journeys/").content.decode()
    assert "An order is delivered" in listing and "A parcel is late" in listing
    assert ">order.delivered<" not in listing and "<code>" not in listing
    assert "(Điều hòa)" in listing and "(dieu-hoa)" not in listing  # the maintenance trigger's category
    detail = client.get("/console/journeys/order-thank-you/").content.decode()
    assert "An order is delivered" in detail and "Thank you for your order" in detail
    assert "order.thank_you" not in detail
    builder = client.get("/console/journeys/order-thank-you/edit/").content.decode()
    assert '<option value="order.thank_you" selected>Thank you for your order</option>' in builder
    assert '<option value="shipment.delayed">A parcel is late</option>' in builder
