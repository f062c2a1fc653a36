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


@pytest.mark.django_db
def test_forecast_per_category_counts_lines_and_claims_count_their_units_product(
    client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    from haumai.catalog.models import Category, Product, Unit
    from haumai.sales.models import OrderLine
    from haumai.warranty.models import Claim, Warranty

    today = dt.date(2026, 6, 3)
    clock.freeze(local(today, 12))
    channel = Channel.objects.create(code="web", name="Website", kind="website")
    phones = Category.objects.create(code="dien-thoai", name="Điện thoại")
    cases = Category.objects.create(code="phu-kien", name="Phụ kiện")
    phone = Product.objects.create(sku="PH-1", name="Điện thoại A", search_key="dien thoai a", price=1, category=phones)
    case = Product.objects.create(sku="CASE-1", name="Ốp lưng", search_key="op lung", price=1, category=cases)
    customer = Customer.objects.create(code="CUS-2026-000071", full_name="Đỗ Hà", search_key="do ha")
    last_monday = dt.date(2026, 5, 25)
    year = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2027, 1, 1), "source": "import"}
    for k in range(12):  # each week one order of a phone and a case; the last 4 weeks two cases instead of one
        monday = last_monday - dt.timedelta(weeks=11 - k)
        order = Order.objects.create(code=f"ORD-2026-{k + 1:06d}", channel=channel, customer=customer,
                                     placed_at=local(monday, 10), status="delivered", total=2)  # fmt: skip
        OrderLine.objects.create(order=order, product=phone, quantity=1, unit_price=1, line_total=1)
        for _ in range(2 if k >= 8 else 1):
            OrderLine.objects.create(order=order, product=case, quantity=1, unit_price=1, line_total=1)
        unit = Unit.objects.create(product=phone, serial=f"SN-F{k}")
        warranty = Warranty.objects.create(code=f"WR-2026-{k + 1:06d}", unit=unit, customer=customer, **year)
        Claim.objects.create(code=f"CL-2026-{k + 1:06d}", warranty=warranty, customer=customer, origin="console",
                             description="Không lên nguồn", submitted_at=local(monday, 15))  # fmt: skip
    with django_assert_max_num_queries(1):
        rows = forecast.weekly("orders", by="category", today=today)
    assert [(r.province, r.last_week, r.forecast) for r in rows] == [("Phụ kiện", 2, 2.0), ("Điện thoại", 1, 1.0)]
    assert rows[1].mape == 0 and rows[1].naive_mape == 0
    (claims,) = forecast.weekly("claims", by="category", today=today)
    assert (claims.province, claims.last_week, claims.forecast) == ("Điện thoại", 1, 1.0)
    (by_province,) = forecast.weekly("claims", today=today)
    assert by_province.province == "" and by_province.forecast == 1.0  # the customer has no address
    assert forecast.weekly("returns", by="category", today=today) == []
    with pytest.raises(ValueError, match="forecast of 'refunds'"):
        forecast.weekly("refunds", today=today)
    client.force_login(make_staff("manager"))
    body = client.get("/console/analytics/?forecast_by=category").content.decode()
    assert "Weekly forecast per product category" in body and "Phụ kiện" in body
    assert 'value="category" selected' in body
