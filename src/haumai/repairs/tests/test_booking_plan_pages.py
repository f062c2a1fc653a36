"""Console pages: maintenance plans (list, add with bad input refused, stop) and assigning a visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Category
from haumai.catalog.services import create_product
from haumai.customers.services import AddressInput, add_address
from haumai.events.models import Event
from haumai.repairs.booking import maintenance, visits
from haumai.repairs.models import MaintenancePlan, OnSiteVisit
from haumai.repairs.tests.booking_helpers import at

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture
def product(db: Any) -> Any:
    return create_product(actor=None, sku="DH-12", name="Điều hòa Daikin 12000BTU", is_serialized=True)


def test_a_manager_adds_a_plan_and_bad_input_changes_nothing(
    client: Any, make_staff: Any, product: Any, django_assert_max_num_queries: Any
) -> None:
    Category.objects.create(code="may-loc-nuoc", name="Máy lọc nước")
    client.force_login(make_staff("manager"))
    for bad, field in (
        ({"name": "", "product": "DH-12", "interval_months": "6"}, "Give the maintenance a name"),
        ({"name": "Vệ sinh", "interval_months": "6"}, "Choose a product or a category"),
        ({"name": "Vệ sinh", "product": "DH-12", "category": "may-loc-nuoc", "interval_months": "6"},
         "Choose a product or a category"),
        ({"name": "Vệ sinh", "product": "NOPE", "interval_months": "6"}, "No product with this SKU"),
        ({"name": "Vệ sinh", "product": "DH-12", "interval_months": "0"}, "Every 1 to 120 months"),
        ({"name": "Vệ sinh", "product": "DH-12", "interval_months": "sáu"}, "Every 1 to 120 months"),
    ):
        page = client.post("/console/maintenance/plans/", bad)
        assert page.status_code == 400 and field in page.content.decode(), bad
        assert 'value="Vệ sinh"' in page.content.decode() or not bad["name"]
    assert MaintenancePlan.objects.count() == 0
    page = client.post("/console/maintenance/plans/", {"name": "Vệ sinh điều hòa", "product": "DH-12",
                                                        "interval_months": "6", "onsite": "on"})  # fmt: skip
    assert page.status_code == 302
    plan = MaintenancePlan.objects.get()
    assert (plan.product_id, plan.interval_months, plan.onsite, plan.is_active) == (product.pk, 6, True, True)
    assert Event.objects.filter(name="maintenance_plan.created").count() == 1
    client.post("/console/maintenance/plans/", {"name": "Thay lõi lọc", "category": "may-loc-nuoc",
                                                 "interval_months": "12"})  # fmt: skip
    with django_assert_max_num_queries(12):
        listing = client.get("/console/maintenance/plans/").content.decode()
    assert "Vệ sinh điều hòa" in listing and "Thay lõi lọc" in listing and "Máy lọc nước" in listing
    assert maintenance.plans_for(product) == [plan]
    client.post(f"/console/maintenance/plans/{plan.pk}/active/", {"active": "0"})
    plan.refresh_from_db()
    assert not plan.is_active and maintenance.plans_for(product) == []
    client.post(f"/console/maintenance/plans/{plan.pk}/active/", {"active": "1"})
    assert maintenance.plans_for(product) == [plan]


def test_agents_see_plans_but_may_not_add_or_stop_them(client: Any, make_staff: Any, product: Any) -> None:
    plan = maintenance.create_plan(actor=make_staff("manager"), name="Vệ sinh", product=product, interval_months=6)
    client.force_login(make_staff("agent"))
    page = client.get("/console/maintenance/plans/")
    assert page.status_code == 200 and 'id="plan-form"' not in page.content.decode()
    assert client.post("/console/maintenance/plans/", {"name": "X", "product": "DH-12",
                                                        "interval_months": "6"}).status_code == 403  # fmt: skip
    assert client.post(f"/console/maintenance/plans/{plan.pk}/active/", {"active": "0"}).status_code == 403
    assert MaintenancePlan.objects.get().is_active and MaintenancePlan.objects.count() == 1


def test_an_unassigned_visit_is_given_to_a_free_technician(client: Any, make_staff: Any, customer: Any,
                                                           monday: Any) -> None:  # fmt: skip
    address = add_address(actor=None, customer=customer, address=AddressInput(street="12 Láng Hạ", province_code=1))
    agent, busy, free = make_staff("agent"), make_staff("technician"), make_staff("technician")
    visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=at(TUESDAY, 9),
                          window_end=at(TUESDAY, 11), technician=busy, reason="Bảo dưỡng")  # fmt: skip
    visit = visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=at(TUESDAY, 10),
                                  window_end=at(TUESDAY, 12), technician=None, reason="Tủ lạnh không lạnh")  # fmt: skip
    client.force_login(agent)
    page = client.get(f"/console/visits/{visit.code}/").content.decode()
    assert 'id="assign"' in page and free.username in page
    refused = client.post(f"/console/visits/{visit.code}/assign/", {"technician": str(busy.pk)}, follow=True)
    assert OnSiteVisit.objects.get(pk=visit.pk).technician_id is None
    assert "alert" in refused.content.decode()
    client.post(f"/console/visits/{visit.code}/assign/", {"technician": "999999"})
    client.post(f"/console/visits/{visit.code}/assign/", {"technician": str(agent.pk)})
    assert OnSiteVisit.objects.get(pk=visit.pk).technician_id is None
    done = client.post(f"/console/visits/{visit.code}/assign/", {"technician": str(free.pk)}, follow=True)
    assert OnSiteVisit.objects.get(pk=visit.pk).technician_id == free.pk
    assert Event.objects.filter(name="visit.assigned").count() == 1 and done.status_code == 200
    client.force_login(free)
    assert client.post(f"/console/visits/{visit.code}/assign/", {"technician": str(free.pk)}).status_code == 403
