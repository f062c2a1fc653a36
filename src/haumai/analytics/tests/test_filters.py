"""Dashboard filters (channel, province, team, category) on the hand-computed datasets of test_customer_kpis
and test_breakdowns.

Customers with channel = store (C's two orders moved to the website): buyers A, B, D, F, G; repeat A, F -> 2 / 5;
active before A, B, lost B -> 1 / 2. Province Hà Nội (A and B have an address there): repeat 1 / 2, churn 1 / 2.
Carriers in Hà Nội (S1 delivered by GHN, S3 picked up and lost by GHTK): GHN 1 delivered on time; GHTK 1 created,
pickup 1 / 1, 1 lost.
"""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.models import Team
from haumai.analytics import customers, tables
from haumai.analytics.filters import Filters
from haumai.analytics.tests.conftest import D2
from haumai.analytics.tests.test_breakdowns import shipments  # noqa: F401 (fixture)
from haumai.analytics.tests.test_customer_kpis import LAST, orders  # noqa: F401 (fixture)
from haumai.customers.models import Address, Province
from haumai.sales.models import Channel, Order
from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db


def _hanoi() -> Province:
    province = Province.objects.filter(name__icontains="Hà Nội").first()
    assert province is not None
    return province


def _figures(**narrow: Any) -> dict[str, str]:
    return {card.key: value.parts for card, value, _formula in customers.customer_kpis(LAST, 90, **narrow)}


def test_customer_kpis_by_channel_and_province(orders: Any) -> None:  # noqa: F811
    website = Channel.objects.create(code="website", name="Website", kind="website")
    Order.objects.filter(customer=orders["C"]).update(channel=website)
    by_store = _figures(channel="store")
    assert (by_store["repeat"], by_store["churn"]) == ("2 / 5", "1 / 2")
    hanoi = _hanoi()
    for name in "AB":
        Address.objects.create(customer=orders[name], street="1 Tràng Tiền", province=hanoi)
    by_province = _figures(province=hanoi.code)
    assert (by_province["repeat"], by_province["churn"]) == ("1 / 2", "1 / 2")
    assert {row.size for row in customers.cohorts(LAST, province=hanoi.code)} == {2}  # A and B: January


def test_carrier_table_by_province(shipments: Any) -> None:  # noqa: F811
    hanoi = _hanoi()
    s1, s3 = shipments["s1"], shipments["s3"]
    Shipment.objects.filter(pk=s1.pk).update(recipient={**s1.recipient, "province_code": hanoi.code})
    Shipment.objects.filter(pk=s3.pk).update(sender={**s3.sender, "province_code": hanoi.code})
    rows = {row["carrier"]: row for row in tables.carrier_rows(D2, D2, "carrier", Filters(province=hanoi.code))}
    assert set(rows) == {"Giao Hàng Nhanh (GHN)", "Giao Hàng Tiết Kiệm (GHTK)"}
    assert (rows["Giao Hàng Nhanh (GHN)"]["delivery"], rows["Giao Hàng Nhanh (GHN)"]["created"]) == ("100%", 0)
    ghtk = rows["Giao Hàng Tiết Kiệm (GHTK)"]
    assert (ghtk["created"], ghtk["pickup"], ghtk["lost"], ghtk["delivered"]) == (1, "100%", 1, 0)


def test_dashboard_filters_keep_the_query_budget_and_refuse_unknown_values(
    orders: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any  # noqa: F811
) -> None:
    client.force_login(make_staff("manager"))
    team = Team.objects.create(code="cskh", name="CSKH")
    hanoi = _hanoi()
    query = {"since": "2026-06-01", "until": LAST.isoformat(), "channel": "store", "province": hanoi.code,
             "team": team.pk}  # fmt: skip
    with django_assert_max_num_queries(30):
        page = client.get("/console/analytics/", query)
    body = page.content.decode()
    assert page.status_code == 200 and 'id="filters-note"' in body
    assert f'<option value="{hanoi.code}" selected>' in body and '<option value="store" selected>' in body
    for bad in ({"channel": "nowhere"}, {"province": "99999"}, {"team": "abc"}, {"category": "-1"}):
        refused = client.get("/console/analytics/", {"since": "2026-06-01", "until": LAST.isoformat(), **bad})
        assert refused.status_code == 400 and 'id="range-error"' in refused.content.decode()
        assert 'id="filters-note"' not in refused.content.decode()
