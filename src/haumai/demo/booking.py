"""Booking demo data: opening hours for the service centres in Hà Nội, TP.HCM and Đà Nẵng (plus two
counters), appointments in the coming weeks (through the booking services, so slots and events are
real), a few on-site visits, and maintenance plans (air conditioners, washing machines, fridges) with a
schedule per sold unit."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from haumai.catalog.models import Category
from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.customers.models import Address, Customer
from haumai.repairs.booking import maintenance, services, slots, visits
from haumai.repairs.booking.centers import HoursRange, save_center
from haumai.repairs.models import MaintenancePlan, MaintenanceSchedule, OpeningHours, ServiceCenter, ServiceCenterKind
from haumai.warranty.models import Warranty, WarrantyStatus

# Besides the repairs demo's centres (which get these hours), two more counters in the big cities.
CENTERS = [
    ("hn-hoang-mai", "Trung tâm bảo hành Sao Việt Hoàng Mai", "Hà Nội", "45 Giải Phóng, Phường Hoàng Mai, Hà Nội",
     "+842436681234", 2),
    ("hcm-thu-duc", "Trung tâm bảo hành Sao Việt Thủ Đức", "TP. Hồ Chí Minh",
     "18 Võ Văn Ngân, Phường Thủ Đức, TP. Hồ Chí Minh", "+842837221234", 2),
]  # fmt: skip
PLANS = [
    ("dieu-hoa", "Vệ sinh, bảo dưỡng điều hòa", 6, True),
    ("may-giat", "Vệ sinh lồng giặt", 12, True),
    ("tu-lanh", "Bảo dưỡng tủ lạnh", 12, False),
]
REASONS = (
    "Điện thoại sạc không vào pin", "Laptop quạt kêu to, nóng máy", "Kiểm tra máy trước khi hết bảo hành",
    "Thay pin điện thoại", "Màn hình bị sọc", "Tư vấn gói bảo hành mở rộng",
)  # fmt: skip
APPOINTMENTS = 40
VISITS = 10


def _week() -> list[HoursRange]:
    """Mon-Fri 08:00-12:00 and 13:30-17:30, Saturday 08:00-12:00, Sunday closed."""
    ranges = []
    for weekday in range(5):
        ranges += [HoursRange(weekday, dt.time(8), dt.time(12)), HoursRange(weekday, dt.time(13, 30), dt.time(17, 30))]
    return [*ranges, HoursRange(5, dt.time(8), dt.time(12))]


def _centers() -> list[ServiceCenter]:
    """Our own active centres get the week's hours; the two extra counters are created."""
    made = []
    for own in ServiceCenter.objects.filter(kind=ServiceCenterKind.OWN, is_active=True, opening_hours__isnull=True):
        made.append(save_center(actor=None, code=own.code, values={"capacity_per_hour": 3}, hours=_week(),
                                center=own))  # fmt: skip
    for code, name, province, address, phone, capacity in CENTERS:
        existing = ServiceCenter.objects.filter(code=code).first()
        if existing is None:
            values = {"name": name, "province": province, "address": address, "phone": phone,
                      "capacity_per_hour": capacity, "booking_horizon_days": 60}  # fmt: skip
            made.append(save_center(actor=None, code=code, values=values, hours=_week()))
    return list(ServiceCenter.objects.filter(is_active=True, pk__in=OpeningHours.objects.values("center_id")))


def _plans() -> int:
    created = 0
    for code, name, months, onsite in PLANS:
        category = Category.objects.filter(code=code).first()
        if category is not None and not MaintenancePlan.objects.filter(category=category).exists():
            MaintenancePlan.objects.create(name=name, category=category, interval_months=months, onsite=onsite)
            created += 1
    return created


def _schedules() -> int:
    """One schedule per active warranty of a unit with a plan, next due after today (bulk)."""
    today = clock.today()
    plans = {plan.category_id: plan for plan in MaintenancePlan.objects.filter(category__isnull=False)}
    rows = []
    warranties = (
        Warranty.objects.filter(status=WarrantyStatus.ACTIVE, starts_on__isnull=False,
                                unit__product__category_id__in=list(plans))
        .values_list("unit_id", "customer_id", "starts_on", "unit__product__category_id")
    )  # fmt: skip
    for unit_id, customer_id, starts_on, category_id in warranties.iterator(chunk_size=5_000):
        plan = plans[category_id]
        if starts_on is None:
            continue
        due = maintenance.add_months(starts_on, plan.interval_months)
        while due < today:
            due = maintenance.add_months(due, plan.interval_months)
        rows.append(MaintenanceSchedule(unit_id=unit_id, customer_id=customer_id, plan=plan, next_due_on=due,
                                        due_at=maintenance.remind_moment(due)))  # fmt: skip
    MaintenanceSchedule.objects.bulk_create(rows, batch_size=5_000, ignore_conflicts=True)
    return len(rows)


def _appointments(rng: random.Random, centers: list[ServiceCenter]) -> int:
    customers = list(Customer.objects.filter(phone__isnull=False).order_by("id")[: APPOINTMENTS * 3])
    if not customers or not centers:
        return 0
    free = slots.slots_for_days(centers, [clock.today() + dt.timedelta(days=n) for n in range(1, 22)])
    booked = 0
    for customer in rng.sample(customers, min(APPOINTMENTS, len(customers))):
        center = rng.choice(centers)
        choices = [slot for slot in free.get(center.pk, []) if slot.is_free]
        if not choices:
            continue
        slot = rng.choice(choices)
        try:
            services.book_appointment(actor=None, customer=customer, center=center, starts_at=slot.starts_at,
                                      reason=rng.choice(REASONS), origin=rng.choice(["portal", "console", "api"]),
                                      actor_label="demo")  # fmt: skip
        except DomainError:
            continue
        booked += 1
    return booked


def _visits(rng: random.Random) -> int:
    technician = get_user_model().objects.filter(username="technician").first()
    addresses = list(Address.objects.select_related("customer").order_by("id")[: VISITS * 5])
    planned = 0
    tomorrow = clock.today() + dt.timedelta(days=1)
    for index, address in enumerate(rng.sample(addresses, min(VISITS, len(addresses)))):
        day = tomorrow + dt.timedelta(days=index // 3)
        if day.weekday() == 6:
            day += dt.timedelta(days=1)
        start = dt.datetime.combine(day, dt.time(8 + 3 * (index % 3)), tzinfo=clock.LOCAL_TZ)
        try:
            visits.schedule_visit(actor=None, customer=address.customer, address=address, window_start=start,
                                  window_end=start + dt.timedelta(hours=2), technician=technician,
                                  reason="Điều hòa chảy nước, cần kỹ thuật viên đến kiểm tra")  # fmt: skip
        except DomainError:
            continue
        planned += 1
    return planned


def seed_booking(*, seed: int) -> dict[str, Any]:
    """Centres, plans and schedules, appointments and visits (idempotent for centres and plans)."""
    rng = random.Random(seed * 13 + 5)
    with transaction.atomic():
        centers = _centers()
        plans = _plans()
        schedules = _schedules()
    return {
        "repairs_servicecenter": len(centers), "repairs_maintenanceplan": plans,
        "repairs_maintenanceschedule": schedules, "repairs_appointment": _appointments(rng, centers),
        "repairs_onsitevisit": _visits(rng),
    }  # fmt: skip
