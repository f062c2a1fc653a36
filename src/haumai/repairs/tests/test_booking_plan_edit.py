"""Editing a maintenance plan: validated; a new interval moves the units already scheduled (not a date the
customer was reminded of; never earlier than a week ahead); consistent with a maintenance recorded meanwhile."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.catalog.models import Category
from haumai.catalog.services import create_product, create_unit
from haumai.core import clock
from haumai.core.errors import Forbidden, ValidationFailed
from haumai.events.models import Event
from haumai.repairs.booking import maintenance
from haumai.repairs.models import MaintenancePlan, MaintenanceSchedule
from haumai.repairs.tests.booking_helpers import at

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
MONDAY = dt.date(2026, 12, 7)


def _plan_with_units(customer: Any, count: int = 3) -> tuple[MaintenancePlan, list[MaintenanceSchedule]]:
    category = Category.objects.create(code="may-loc-nuoc", name="Máy lọc nước")
    product = create_product(actor=None, sku="KANG-9", name="Máy lọc nước Kangaroo", is_serialized=True,
                             category_code=category.code, warranty_months=12)  # fmt: skip
    plan = MaintenancePlan.objects.create(name="Thay lõi lọc", category=category, interval_months=3, onsite=True)
    schedules = []
    for n in range(count):
        unit = create_unit(actor=None, product=product, serial=f"KG9-{n:04d}")
        schedules += maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 11, 1))
    return plan, schedules


@pytest.mark.django_db
def test_a_new_interval_moves_the_units_not_yet_reminded(customer: Any, monday: Any, make_staff: Any) -> None:
    plan, (plain, reminded, done) = _plan_with_units(customer)
    assert plain.next_due_on == dt.date(2027, 2, 1)
    MaintenanceSchedule.objects.filter(pk=reminded.pk).update(reminded_for=dt.date(2027, 2, 1), due_at=None)
    with clock.frozen(at(dt.date(2026, 12, 1), 10)):
        maintenance.record_done(actor=make_staff("technician"), schedule=done)
    manager = make_staff("manager")
    maintenance.update_plan(actor=manager, plan=plan, name="Thay lõi lọc định kỳ", interval_months="6", onsite=True)
    plain.refresh_from_db(), reminded.refresh_from_db(), done.refresh_from_db()
    assert plain.next_due_on == dt.date(2027, 5, 1) and plain.due_at == at(dt.date(2027, 4, 24), 9)
    assert reminded.next_due_on == dt.date(2027, 2, 1)  # the customer was told this date
    assert done.next_due_on == dt.date(2027, 6, 1)  # six months after the maintenance done
    event = Event.objects.get(name="maintenance_plan.updated")
    assert event.payload["schedules_moved"] == 2 and event.payload["previous_interval_months"] == 3
    # A shorter interval never lands before a week from today (the reminder still comes first).
    maintenance.update_plan(actor=manager, plan=plan, name="Thay lõi lọc định kỳ", interval_months="1", onsite=True)
    plain.refresh_from_db()
    assert plain.next_due_on == MONDAY + dt.timedelta(days=7)


@pytest.mark.django_db
def test_bad_edits_are_refused_and_nothing_changes(customer: Any, monday: Any, make_staff: Any) -> None:
    plan, schedules = _plan_with_units(customer, count=1)
    with pytest.raises(Forbidden):
        maintenance.update_plan(actor=make_staff("agent"), plan=plan, name="X", interval_months=6, onsite=False)
    manager = make_staff("manager")
    for name, months, code in (("", 6, "required"), ("x" * 161, 6, "too_long"), ("Vệ sinh", "sáu", "out_of_range"),
                               ("Vệ sinh", 0, "out_of_range"), ("Vệ sinh", 121, "out_of_range")):  # fmt: skip
        with pytest.raises(ValidationFailed) as refused:
            maintenance.update_plan(actor=manager, plan=plan, name=name, interval_months=months, onsite=False)
        assert refused.value.errors[0].code == code
    plan.refresh_from_db()
    assert (plan.name, plan.interval_months, plan.onsite) == ("Thay lõi lọc", 3, True)
    assert MaintenanceSchedule.objects.get().next_due_on == schedules[0].next_due_on
    assert not Event.objects.filter(name="maintenance_plan.updated").exists()


@pytest.mark.django_db
def test_the_edit_page(client: Any, customer: Any, monday: Any, make_staff: Any) -> None:
    plan, _schedules = _plan_with_units(customer, count=2)
    client.force_login(make_staff("manager"))
    page = client.get(f"/console/maintenance/plans/{plan.pk}/edit/")
    assert page.status_code == 200 and 'id="plan-edit-effect"' in page.content.decode()
    bad = client.post(f"/console/maintenance/plans/{plan.pk}/edit/", {"name": "Vệ sinh", "interval_months": "x"})
    assert bad.status_code == 400 and MaintenancePlan.objects.get().interval_months == 3
    ok = client.post(f"/console/maintenance/plans/{plan.pk}/edit/", {"name": "Vệ sinh", "interval_months": "4"})
    assert ok.status_code == 302 and MaintenancePlan.objects.get().interval_months == 4
    client.force_login(make_staff("agent"))
    assert client.get(f"/console/maintenance/plans/{plan.pk}/edit/").status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_maintenance_at_the_same_time_agree(customer: Any, make_staff: Any) -> None:
    with clock.frozen(at(MONDAY, 9)):
        plan, schedules = _plan_with_units(customer, count=6)
    manager, technician = make_staff("manager"), make_staff("technician")
    barrier = threading.Barrier(len(schedules) + 1, timeout=60)
    done_at = at(dt.date(2026, 12, 7), 8)

    def edit() -> None:
        try:
            with clock.frozen(at(MONDAY, 9)):
                barrier.wait()
                maintenance.update_plan(actor=manager, plan=plan, name=plan.name, interval_months=6, onsite=True)
        finally:
            connections.close_all()

    def record(schedule: MaintenanceSchedule) -> None:
        try:
            with clock.frozen(at(MONDAY, 9)):
                barrier.wait()
                maintenance.record_done(actor=technician, schedule=schedule, done_at=done_at)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit)] + [threading.Thread(target=record, args=(s,)) for s in schedules]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Whatever the order, every unit is due six months after its maintenance.
    assert set(MaintenanceSchedule.objects.values_list("next_due_on", flat=True)) == {dt.date(2027, 6, 7)}
