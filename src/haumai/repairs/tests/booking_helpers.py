"""Shared fixtures of the booking tests: a centre with a lunch break, a customer, a frozen Monday."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock
from haumai.customers.services import create_customer
from haumai.repairs.booking.centers import HoursRange, save_center
from haumai.repairs.models import ServiceCenter

LOCAL = clock.LOCAL_TZ
# Monday 7 December 2026, 08:00 in Hà Nội.
MONDAY = dt.datetime(2026, 12, 7, 8, 0, tzinfo=LOCAL)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A local (Vietnam) moment as UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL).astimezone(dt.UTC)


def week_hours() -> list[HoursRange]:
    """Mon-Fri 08:00-12:00 and 13:30-17:30 (lunch break), Saturday morning, Sunday closed."""
    ranges = []
    for weekday in range(5):
        ranges.append(HoursRange(weekday, dt.time(8), dt.time(12)))
        ranges.append(HoursRange(weekday, dt.time(13, 30), dt.time(17, 30)))
    ranges.append(HoursRange(5, dt.time(8), dt.time(12)))
    return ranges


def make_center(
    code: str = "hn-cau-giay", *, capacity: int = 2, province: str = "Hà Nội", **values: Any
) -> ServiceCenter:
    """A centre with the week's hours (as the system, no permission check)."""
    fields = {"name": f"Trung tâm {code}", "province": province, "capacity_per_hour": capacity, **values}
    return save_center(actor=None, code=code, values=fields, hours=week_hours())


@pytest.fixture
def monday() -> Any:
    with clock.frozen(MONDAY.astimezone(dt.UTC)):
        yield MONDAY


@pytest.fixture
def center(db: Any) -> ServiceCenter:
    return make_center()


@pytest.fixture
def customer(db: Any) -> Any:
    return create_customer(actor=None, full_name="Nguyễn Văn An", phone="0912345678")
