"""The weekly moving-average forecast and its backtest, against hand-computed weekly counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import forecast
from haumai.analytics.tests.conftest import local
from haumai.core import clock
from haumai.customers.models import Address, Customer, Province
from haumai.sales.models import Channel, Order


def test_fit_matches_the_hand_computed_backtest() -> None:
    # 12 weeks: 10 x 4, then 20 x 8. Forecast = mean of the last 4 = 20. Backtest weeks 5-12 (all 20):
    # moving averages 10, 12.5, 15, 17.5, 20, 20, 20, 20 -> errors 50 %, 37.5 %, 25 %, 12.5 %, 0 x 4 -> 15.625 %;
    # naive: 10 then 20 x 7 -> 50 % / 8 = 6.25 %.
    weekly = [10] * 4 + [20] * 8
    value, mape, naive = forecast.fit(weekly)
    assert value == 20 and mape == pytest.approx(15.625) and naive == pytest.approx(6.25)
    assert forecast.fit([5] * 11) == (None, None, None)  # too little history


@pytest.mark.django_db
def test_forecast_per_province_from_local_weeks(client: Any, make_staff: Any) -> None:
    today = dt.date(2026, 6, 3)  # a Wednesday: the last complete week ends Sunday 31 May
    clock.freeze(local(today, 12))
    channel = Channel.objects.create(code="store", name="Cửa hàng", kind="store")
    hanoi = Province.objects.filter(name__icontains="Hà Nội").first()
    assert hanoi is not None
    customer = Customer.objects.create(code="CUS-2026-000061", full_name="Vũ Thị Lan", search_key="vu thi lan")
    Address.objects.create(customer=customer, street="5 Lý Thái Tổ", province=hanoi, is_default=True)
    last_monday = dt.date(2026, 5, 25)
    serial = 0
    for k in range(12):  # 12 weeks back: 1 order a week, then 3 a week for the last 4
        monday = last_monday - dt.timedelta(weeks=11 - k)
        for n in range(3 if k >= 8 else 1):
            serial += 1
            # Monday 00:30 local is Sunday 17:30 UTC: it must count in the local week that starts that Monday.
            placed = local(monday, 0, 30) + dt.timedelta(hours=n)
            Order.objects.create(code=f"ORD-2026-{serial:06d}", channel=channel, customer=customer, placed_at=placed,
                                 status="delivered", total=1)  # fmt: skip
    Order.objects.create(code="ORD-2026-000999", channel=channel, customer=customer, placed_at=local(today, 9),
                         status="delivered", total=1)  # this week: not complete, left out  # fmt: skip
    (row,) = forecast.by_province("orders", today)
    assert (row.province, row.last_week, row.forecast) == (hanoi.name, 3, 3.0)
    # backtest weeks 5-12 actual 1,1,1,1,3,3,3,3; moving averages 1,1,1,1,1,1.5,2,2.5
    # -> errors 0,0,0,0, 66.7 %, 50 %, 33.3 %, 16.7 % -> 20.83 %; naive: 0,0,0,0, 66.7 %, 0,0,0 -> 8.33 %
    assert row.mape == pytest.approx(500 / 24) and row.naive_mape == pytest.approx(200 / 24)
    assert forecast.by_province("returns", today) == []
    client.force_login(make_staff("manager"))
    body = client.get("/console/analytics/").content.decode()
    assert 'id="forecasts"' in body and hanoi.name in body
