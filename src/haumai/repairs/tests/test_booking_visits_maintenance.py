"""On-site visits (windows, technicians, outcomes) and maintenance schedules (derived from the product's
plan when the warranty starts, reminded by the tick with a signed booking link, moved when done)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.catalog.models import Category
from haumai.catalog.services import create_product, create_unit
from haumai.core import clock, scheduler
from haumai.core.errors import DomainError, Forbidden
from haumai.customers.services import AddressInput, add_address
from haumai.events.models import Event
from haumai.events.selectors import pending_dispatch
from haumai.events.services import dispatch_events
from haumai.repairs.booking import links, maintenance, visits
from haumai.repairs.models import MaintenancePlan, MaintenanceSchedule, OnSiteVisit, VisitOutcome, VisitStatus
from haumai.repairs.tests.booking_helpers import at

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture
def address(customer: Any) -> Any:
    return add_address(actor=None, customer=customer, address=AddressInput(street="12 Láng Hạ", province_code=1))


def _plan(customer: Any, address: Any, technician: Any, agent: Any, hour: int = 9) -> Any:
    return visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=at(TUESDAY, hour),
                                 window_end=at(TUESDAY, hour + 2), technician=technician,
                                 reason="Tủ lạnh không lạnh")  # fmt: skip


def test_a_visit_is_planned_and_the_technician_records_the_outcome(customer: Any, address: Any, monday: Any,
                                                                     make_staff: Any) -> None:  # fmt: skip
    technician, agent = make_staff("technician"), make_staff("agent")
    visit = _plan(customer, address, technician, agent)
    assert visit.code.startswith("VS-2026-") and visit.status == VisitStatus.SCHEDULED
    other = make_staff("technician")
    with clock.frozen(at(TUESDAY, 10)):
        with pytest.raises(Forbidden):
            visits.record_outcome(actor=other, visit=visit, outcome=VisitOutcome.FIXED)
        done = visits.record_outcome(actor=technician, visit=visit, outcome=VisitOutcome.PARTS_ORDERED,
                                     notes="Thay block, chờ linh kiện")  # fmt: skip
    assert done.status == VisitStatus.DONE and done.outcome == "parts_ordered"
    assert Event.objects.filter(name="visit.completed").count() == 1
    with clock.frozen(at(TUESDAY, 10)), pytest.raises(DomainError):
        visits.record_outcome(actor=technician, visit=visit, outcome=VisitOutcome.FIXED)


def test_overlapping_windows_for_one_technician_are_refused(customer: Any, address: Any, monday: Any,
                                                             make_staff: Any) -> None:  # fmt: skip
    technician, agent = make_staff("technician"), make_staff("agent")
    _plan(customer, address, technician, agent, hour=9)
    with pytest.raises(DomainError) as caught:
        _plan(customer, address, technician, agent, hour=10)
    assert caught.value.code == "technician_busy" and OnSiteVisit.objects.count() == 1
    _plan(customer, address, technician, agent, hour=11)  # back to back is fine


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [((TUESDAY, 9), (TUESDAY, 9, 15), "window_end"), ((dt.date(2026, 12, 4), 9), (dt.date(2026, 12, 4), 11),
                                                       "window_start")],
)  # fmt: skip
def test_bad_windows_and_addresses(customer: Any, address: Any, monday: Any, make_staff: Any, start: Any,
                                   end: Any, field: str) -> None:  # fmt: skip
    agent = make_staff("agent")
    with pytest.raises(DomainError) as caught:
        visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=at(*start),
                              window_end=at(*end))  # fmt: skip
    assert caught.value.errors[0].field == field and not OnSiteVisit.objects.exists()


def test_a_non_technician_cannot_be_assigned(customer: Any, address: Any, monday: Any, make_staff: Any) -> None:
    agent = make_staff("agent")
    with pytest.raises(DomainError) as caught:
        _plan(customer, address, agent, agent)
    assert caught.value.errors[0].code == "not_technician"


def _water_purifier(customer: Any) -> Any:
    category = Category.objects.create(code="may-loc-nuoc", name="Máy lọc nước")
    product = create_product(actor=None, sku="KANG-9", name="Máy lọc nước Kangaroo", is_serialized=True,
                             category_code=category.code, warranty_months=12)  # fmt: skip
    MaintenancePlan.objects.create(name="Thay lõi lọc", category=category, interval_months=3, onsite=True)
    return create_unit(actor=None, product=product, serial="KG9-0001")


def test_schedules_start_with_the_unit_and_remind_with_a_booking_link(customer: Any, monday: Any,
                                                                        make_staff: Any) -> None:  # fmt: skip
    unit = _water_purifier(customer)
    created = maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 11, 30))
    assert [s.next_due_on for s in created] == [dt.date(2027, 2, 28)]
    assert maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 11, 30)) == []
    schedule = created[0]
    assert schedule.due_at == at(dt.date(2027, 2, 21), 9)
    with clock.frozen(at(dt.date(2027, 2, 21), 9, 5)):
        scheduler.tick()
        scheduler.tick()
    due = Event.objects.filter(name="maintenance.due")
    assert due.count() == 1 and due.get().subject_type == "catalog.unit"
    assert due.get().payload["schedule"] == schedule.pk and "link" not in due.get().payload
    token = links.maintenance_links(due.get())["booking"].rstrip("/").rsplit("/", 1)[-1]
    assert maintenance.schedule_from_token(token) == schedule
    with clock.frozen(at(dt.date(2027, 3, 2), 10)):
        record = maintenance.record_done(actor=make_staff("technician"), schedule=schedule, note="Đã thay 3 lõi")
    schedule.refresh_from_db()
    assert record.schedule == schedule and schedule.next_due_on == dt.date(2027, 6, 2)
    assert schedule.due_at == at(dt.date(2027, 5, 26), 9)


def test_a_started_warranty_starts_the_schedule(customer: Any, monday: Any) -> None:
    from haumai.sales.models import Channel
    from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    _water_purifier(customer)
    upsert_order(actor=None, channel_code="website", customer=CustomerRef(code=customer.code),
                 lines=[OrderLineInput(sku="KANG-9", quantity=1, unit_price=5_000_000, serial="KG9-0002")],
                 placed_at=clock.now(), status="delivered", delivered_at=clock.now(), external_id="W-KG9")  # fmt: skip
    for _round in range(3):
        dispatch_events(list(pending_dispatch().order_by("id")))
    schedule = MaintenanceSchedule.objects.get(unit__serial="KG9-0002")
    assert schedule.customer == customer and schedule.next_due_on == dt.date(2027, 3, 7)


def test_maintenance_visit_moves_the_schedule(customer: Any, address: Any, monday: Any, make_staff: Any) -> None:
    unit = _water_purifier(customer)
    schedule = maintenance.ensure_schedules(unit=unit, customer=customer, start=dt.date(2026, 9, 1))[0]
    technician, agent = make_staff("technician"), make_staff("agent")
    visit = visits.schedule_visit(actor=agent, customer=customer, address=address, window_start=at(TUESDAY, 9),
                                  window_end=at(TUESDAY, 11), technician=technician, schedule=schedule)  # fmt: skip
    with clock.frozen(at(TUESDAY, 10)):
        visits.record_outcome(actor=technician, visit=visit, outcome=VisitOutcome.MAINTAINED)
    schedule.refresh_from_db()
    assert schedule.next_due_on == dt.date(2027, 3, 8) and schedule.records.get().visit == visit


def test_add_months_clamps_to_the_month_end() -> None:
    assert maintenance.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert maintenance.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
