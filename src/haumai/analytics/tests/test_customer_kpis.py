"""Customer KPIs (churn, repeat purchases, CLV, retention cohorts, RFM groups) against hand-computed orders.

The dashboard's last day is 30/06/2026, so end = 01/07/2026 00:00 local. Churn window W = 90 days: the last
window is [02/04, 01/07), the one before it [02/01, 02/04) (local midnights). Orders (not cancelled):
  A: 10/01, 01/03 00:30 local (28/02 17:30 UTC: March, not February), 20/05   -> active before, active now
  B: 02/01 00:30 local (01/01 17:30 UTC: inside the earlier window)            -> active before, lost
  C: 05/03, 25/03                                                               -> active before, lost
  D: 10/06                                                                      -> new
  E: 01/02 cancelled                                                            -> not a buyer
  F: 15/12/2025, 01/06                                                          -> not active before (Dec)
  G: 01/01 23:30 local (before the earlier window opens)                        -> not active before
Churn = lost 2 (B, C) / active before 3 (A, B, C) = 66.7 %. Repeat = A, C, F / 6 buyers = 50.0 %.
CLV: last 365 days: 10 orders, 6 customers, 10,000,000 VND -> AOV 1,000,000, 1.67 orders a year; yearly churn
= min(1, 2/3 x 365/90) = 1 -> lifetime 1 year -> CLV 1,666,667 VND.
Cohorts (first-purchase month, then the share ordering in month +k):
  2025-12: F (1): +1..+5 0 %, +6 (June) 100 %.  2026-01: A, B, G (3): +2 (A in March) 33 %, +4 (May) 33 %,
  +1, +3, +5 0 %, +6 (July) not started.  2026-03: C (1): +1..+3 0 %.  2026-06: D (1): nothing started.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import customers
from haumai.analytics.tests.conftest import local
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.sales.models import Channel, Order
from haumai.segments.models import CustomerRfm

pytestmark = pytest.mark.django_db
LAST = dt.date(2026, 6, 30)
RANGE = {"since": "2026-06-01", "until": LAST.isoformat()}


def _day(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def orders(db: Any) -> dict[str, Customer]:
    clock.freeze(local(LAST, 23, 0))
    channel = Channel.objects.create(code="store", name="Cửa hàng", kind="store")
    plan: dict[str, list[tuple[dt.datetime, int, str]]] = {
        "A": [(local(_day(1, 10), 10), 1_000_000, "delivered"), (local(_day(3, 1), 0, 30), 1_000_000, "delivered"),
              (local(_day(5, 20), 10), 1_000_000, "completed")],
        "B": [(local(_day(1, 2), 0, 30), 2_000_000, "delivered")],
        "C": [(local(_day(3, 5), 10), 500_000, "delivered"), (local(_day(3, 25), 10), 500_000, "delivered")],
        "D": [(local(_day(6, 10), 10), 1_500_000, "placed")],
        "E": [(local(_day(2, 1), 10), 9_000_000, "cancelled")],
        "F": [(local(_day(12, 15, 2025), 10), 1_000_000, "delivered"), (local(_day(6, 1), 10), 1_000_000, "shipped")],
        "G": [(local(_day(1, 1), 23, 30), 500_000, "delivered")],
    }  # fmt: skip
    made, serial = {}, 0
    for n, (name, placed) in enumerate(plan.items(), start=1):
        customer = Customer.objects.create(code=f"CUS-2026-{n:06d}", full_name=f"Khách {name}", search_key=name)
        made[name] = customer
        for at, total, status in placed:
            serial += 1
            Order.objects.create(code=f"ORD-2026-{serial:06d}", channel=channel, customer=customer, placed_at=at,
                                 status=status, total=total)  # fmt: skip
    # A merged customer's orders are left out.
    merged = Customer.objects.create(code="CUS-2026-000099", full_name="Khách gộp", search_key="gop",
                                     merged_into=made["A"])  # fmt: skip
    Order.objects.create(code="ORD-2026-000099", channel=channel, customer=merged, placed_at=local(_day(1, 5), 9),
                         status="delivered", total=7_000_000)  # fmt: skip
    return made


def test_churn_repeat_and_clv_match_the_hand_computed_figures(orders: Any) -> None:
    found = {card.key: (value, formula) for card, value, formula in customers.customer_kpis(LAST, 90)}
    churn, formula = found["churn"]
    assert (churn.number, churn.parts) == (pytest.approx(200 / 3), "2 / 3") and "90" in formula
    assert (found["repeat"][0].number, found["repeat"][0].parts) == (pytest.approx(50.0), "3 / 6")
    clv = found["clv"][0]
    assert clv.number == 1_666_667
    assert "1.67" in clv.parts and "1.0" in clv.parts


def test_clv_lifetime_follows_the_churn(orders: Any) -> None:
    facts = {"year_orders": 4, "year_buyers": 2, "year_revenue": 4_000_000, "active_before": 10, "lost": 1}
    # churn 10 % per 90 days -> 40.6 % a year -> 2.466 years; 1,000,000 x 2 x 2.466 = 4,931,507
    assert customers.clv_value(facts, 90).number == 4_931_507
    nobody_left = {**facts, "lost": 0}
    assert customers.clv_value(nobody_left, 90).number == 2_000_000 * customers.MAX_LIFETIME_YEARS
    assert customers.clv_value({**facts, "year_orders": 0}, 90).number is None


def test_churned_customers_drill_down(orders: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    page = client.get("/console/analytics/drill/churned/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200
    codes = {orders[name].code for name in "BC"}
    assert all(code in body for code in codes)
    assert orders["A"].code not in body and orders["D"].code not in body and orders["G"].code not in body


def test_retention_cohorts_use_local_months(orders: Any) -> None:
    rows = {row.month: row for row in customers.cohorts(LAST)}
    assert set(rows) == {dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 6, 1)}
    january = rows[dt.date(2026, 1, 1)]
    assert january.size == 3
    assert january.shares[:5] == [0, pytest.approx(100 / 3), 0, pytest.approx(100 / 3), 0]
    assert january.shares[5] is None
    assert rows[dt.date(2025, 12, 1)].shares == [0, 0, 0, 0, 0, 100]
    assert rows[dt.date(2026, 3, 1)].shares == [0, 0, 0, None, None, None]
    assert rows[dt.date(2026, 6, 1)].shares == [None] * 6


def test_rfm_groups_count_the_nightly_scores(orders: Any) -> None:
    now = clock.now()
    scores = {"A": (5, 5), "B": (4, 4), "C": (3, 4), "D": (5, 1), "E": (1, 4), "F": (2, 2), "G": (3, 1)}
    for name, (recency, frequency) in scores.items():
        CustomerRfm.objects.create(customer=orders[name], last_order_at=now, orders=frequency, spend=100_000,
                                   recency_score=recency, frequency_score=frequency, monetary_score=3,
                                   computed_at=now)  # fmt: skip
    groups = {row["group"]: row for row in customers.rfm_groups()}
    assert {key: row["customers"] for key, row in groups.items()} == {
        "champions": 2, "loyal": 1, "recent": 1, "at_risk": 1, "hibernating": 1, "needs_attention": 1,
    }  # fmt: skip
    assert groups["champions"]["share"] == "28.6%" and groups["champions"]["orders"] == 9


def test_dashboard_shows_the_customer_section(
    orders: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(30):
        page = client.get("/console/analytics/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="section-customers"' in body and 'id="kpi-churn"' in body and "66.7%" in body
    assert "50.0%" in body and 'id="cohorts"' in body and "01/2026" in body and "33%" in body
    assert 'id="rfm-groups"' in body


def test_promoters_and_detractors_repeat_purchase_counts_answers_followed_by_an_order(orders: Any) -> None:
    from haumai.surveys.models import Invitation, Response
    from haumai.surveys.tests.conftest import ensure_surveys

    nps = ensure_surveys()["nps-relationship"]

    def answer(name: str, score: int, at: dt.datetime) -> None:
        invitation = Invitation.objects.create(
            code=f"SV-2026-{Invitation.objects.count() + 1:06d}", survey=nps, customer=orders[name], created_at=at,
            expires_at=at + dt.timedelta(days=14), status="answered",
        )  # fmt: skip
        Response.objects.create(invitation=invitation, survey=nps, customer=orders[name], kind=nps.kind, score=score,
                                submitted_at=at)  # fmt: skip

    # Promoters: A on 15/01 (A ordered again 01/03: followed), B on 03/01 (no order after: not), C on 26/03
    # (none after 25/03: not) -> 1 / 3. Detractors: F on 20/12/2025 (ordered 01/06: followed), D on 11/06
    # (nothing after) -> 1 / 2. A passive (8) and an answer after the period are left out.
    answer("A", 10, local(_day(1, 15), 9))
    answer("B", 9, local(_day(1, 3), 9))
    answer("C", 9, local(_day(3, 26), 9))
    answer("F", 3, local(_day(12, 20, 2025), 9))
    answer("D", 6, local(_day(6, 11), 9))
    answer("G", 8, local(_day(1, 2), 9))
    answer("A", 2, local(_day(7, 2), 9))
    found = {card.key: value for card, value, _formula in customers.customer_kpis(LAST, 90)}
    promoters, detractors = found["promoters_repeat"], found["detractors_repeat"]
    assert (promoters.number, promoters.parts) == (pytest.approx(100 / 3), "1 / 3")
    assert (detractors.number, detractors.parts) == (pytest.approx(50.0), "1 / 2")
    Response.objects.all().delete()
    found = {card.key: value for card, value, _formula in customers.customer_kpis(LAST, 90)}
    assert found["promoters_repeat"].number is None and found["promoters_repeat"].display == "—"
