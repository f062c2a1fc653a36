"""Next-response time, support per team/channel/tag, claim rate per product and batch, and carrier performance,
against hand-computed data (D1 = Sunday 1 March 2026, D2 = Monday, D3 = Tuesday; local days).

Next response (the tickets of test_support_kpis, plus messages):
  T2: customer D1 20:00, first reply D2 08:30 (FRT, not a next response), customer 09:00 and 09:30, internal
      note 09:45 (ignored), reply 11:00 -> 2 h from 09:00; reply 11:10 (nothing to answer: not counted);
      customer 23:30, reply D3 00:30 -> 1 h, on D3.
  T1: customer 09:00, first reply 10:30, customer 10:40, reply 10:50 -> 10 min.
  T4 (merged) has a next reply too: left out.
  D2: 2 replies, 7,800 s -> 1.08 h (shown 1.1 h); D3: 1 reply, 1.0 h.
Support breakdown (tickets solved on D2: T1 FCR, T2 not): T1 team "CSKH Hà Nội", e-mail, tags bảo hành +
  giao hàng; T2 no team, Zalo, tag giao hàng. By tag: giao hàng 2 solved (FCR 50 %), bảo hành 1 (100 %).
Claim rate on D2: TV 4 units under warranty (2 bought in January, 2 in February), 1 claim on a January unit
  -> 250 per 1,000 (January batch 500, February 0); phone 3 units (February), 2 claims on D2 (a third on D1
  is outside) -> 666.7 per 1,000.
Carriers on D2 (delivery target 4 days):
  S1 GHN to Hà Nội: created D1, picked up D1 (not D2), delivered D2 10:00 -> delivered on time.
  S2 GHN to Đà Nẵng: created D2 08:00, window until 12:00, picked up 14:00 -> late pickup.
  S3 GHTK from Hà Nội (reverse: the sender's province): created D2, picked 09:00 (window 17:00) -> on time;
     lost D2 20:00.
  S4 GHTK to Cần Thơ: created 10 days before D2, delivered D2 11:00 -> delivered late.
  S5 GHN to TP. Hồ Chí Minh: created D2, flagged stuck D2 22:00.
  S6 drop-off at a store: left out.
  D2: pickup on time 1 / 2, delivered on time 1 / 2, lost 1 / 3 created, delayed 1 / 3.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.accounts.models import Team
from haumai.analytics import kpis, rollups, tables
from haumai.analytics.tests.conftest import D1, D2, local
from haumai.analytics.tests.test_support_kpis import tickets  # noqa: F401 (the fixture)
from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.events.models import Event
from haumai.shipping.models import Carrier, Shipment, TrackingEvent
from haumai.support.models import Message, Tag, Ticket
from haumai.warranty.models import Claim, Warranty

pytestmark = pytest.mark.django_db
D3 = D2 + dt.timedelta(days=1)
RANGE = {"since": D2.isoformat(), "until": D2.isoformat()}


def _values(first: dt.date, last: dt.date) -> dict[str, kpis.Value]:
    return {kpi.key: value for kpi, value in kpis.evaluate(first, last)}


def _message(ticket: Ticket, at: dt.datetime, direction: str, visibility: str = "public") -> None:
    Message.objects.create(ticket=ticket, direction=direction, visibility=visibility, channel=ticket.channel,
                           body_text="…", sent_at=at, created_at=at)  # fmt: skip


@pytest.fixture
def conversations(tickets: dict[str, Ticket]) -> dict[str, Ticket]:  # noqa: F811
    t1, t2, t4 = tickets["t1"], tickets["t2"], tickets["t4"]
    for at, direction, visibility in (
        (local(D1, 20), "in", "public"), (local(D2, 8, 30), "out", "public"), (local(D2, 9), "in", "public"),
        (local(D2, 9, 30), "in", "public"), (local(D2, 9, 45), "out", "note"), (local(D2, 11), "out", "public"),
        (local(D2, 11, 10), "out", "public"), (local(D2, 23, 30), "in", "public"), (local(D3, 0, 30), "out", "public"),
    ):
        _message(t2, at, direction, visibility)
    for at, direction in ((local(D2, 9), "in"), (local(D2, 10, 30), "out"), (local(D2, 10, 40), "in"),
                          (local(D2, 10, 50), "out")):  # fmt: skip
        _message(t1, at, direction)
    for at, direction in ((local(D2, 9, 10), "out"), (local(D2, 9, 12), "in"), (local(D2, 9, 15), "out")):
        _message(t4, at, direction)
    team = Team.objects.create(code="cskh-hn", name="CSKH Hà Nội")
    warranty_tag = Tag.objects.create(name="bảo hành", key="bao hanh")
    delivery_tag = Tag.objects.create(name="giao hàng", key="giao hang")
    Ticket.objects.filter(pk=t1.pk).update(team=team)
    Ticket.objects.filter(pk=t2.pk).update(channel="zalo")
    t1.tags.add(warranty_tag, delivery_tag)
    t2.tags.add(delivery_tag)
    rollups.refresh_days(D1, D3)
    return tickets


def test_next_response_time_matches_the_hand_computed_figures(conversations: Any) -> None:
    d2 = _values(D2, D2)["next_response"]
    assert d2.number == pytest.approx(7800 / 2 / 3600) and d2.display == "1.1 h" and d2.parts.endswith("/ 2")
    assert _values(D3, D3)["next_response"].number == pytest.approx(1.0)
    assert _values(D1, D1)["next_response"].number is None


def test_next_response_drill_down_lists_the_replies(conversations: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    body = client.get("/console/analytics/drill/next_responses/", RANGE).content.decode()
    assert body.count(">TK-2026-000002<") == 1 and body.count(">TK-2026-000001<") == 1
    assert "TK-2026-000004" not in body and "2.0" in body


def test_support_breakdown_by_team_channel_and_tag(conversations: Any) -> None:
    by_team = {row["name"]: row for row in tables.support_rows(D2, D2, "team")}
    assert set(by_team) == {"CSKH Hà Nội", "No team"}
    assert (by_team["CSKH Hà Nội"]["solved"], by_team["CSKH Hà Nội"]["fcr"]) == (1, "100%")
    assert (by_team["No team"]["fcr"], by_team["No team"]["reopened"]) == ("0%", 1)
    by_channel = {row["name"]: row["solved"] for row in tables.support_rows(D2, D2, "channel")}
    assert by_channel == {"E-mail": 1, "Zalo OA": 1}
    by_tag = {row["name"]: row for row in tables.support_rows(D2, D2, "tag")}
    assert (by_tag["giao hàng"]["solved"], by_tag["giao hàng"]["fcr"]) == (2, "50%")
    assert (by_tag["bảo hành"]["solved"], by_tag["bảo hành"]["fcr"]) == (1, "100%")
    assert by_tag["giao hàng"]["frt"] == "7.0 h"  # (1.5 h + 12.5 h) / 2


def test_dashboard_breakdown_choice_and_unknown_value(
    conversations: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(30):
        body = client.get("/console/analytics/", {**RANGE, "support_by": "tag"}).content.decode()
    table = body[body.index('id="support-breakdown"'):]
    assert "giao hàng" in table[: table.index("</table>")]
    fallback = client.get("/console/analytics/", {**RANGE, "support_by": "nonsense'<"})
    table = fallback.content.decode().split('id="support-breakdown"')[1]
    assert fallback.status_code == 200 and "<th>Agent</th>" in table[:300]


@pytest.fixture
def claims(db: Any) -> None:
    clock.freeze(local(D2, 23, 59) + dt.timedelta(days=5))
    customer = Customer.objects.create(code="CUS-2026-000051", full_name="Đỗ Văn Nam", search_key="do van nam")
    tv = Product.objects.create(sku="TV-55", name="Tivi 55 inch", search_key="tivi", price=12_000_000)
    phone = Product.objects.create(sku="PH-1", name="Điện thoại", search_key="dien thoai", price=8_000_000)
    n = 0

    def warranty(product: Product, bought: dt.date) -> Warranty:
        nonlocal n
        n += 1
        unit = Unit.objects.create(product=product, serial=f"SN-{n}")
        return Warranty.objects.create(
            code=f"WR-2026-{n:06d}", unit=unit, customer=customer, source="import", purchased_on=bought,
            starts_on=bought, ends_on=bought + dt.timedelta(days=365),
        )  # fmt: skip

    january, february = dt.date(2026, 1, 10), dt.date(2026, 2, 10)
    tvs = [warranty(tv, january), warranty(tv, january), warranty(tv, february), warranty(tv, february)]
    phones = [warranty(phone, february), warranty(phone, february), warranty(phone, february)]
    for code, target, at in (("CL-1", tvs[0], local(D2, 9)), ("CL-2", phones[0], local(D2, 10)),
                             ("CL-3", phones[1], local(D2, 23, 30)), ("CL-4", phones[2], local(D1, 23, 30))):
        Claim.objects.create(code=code, warranty=target, customer=customer, origin="console", description="Hỏng",
                             submitted_at=at)  # fmt: skip


def test_claim_rate_per_product_and_batch(claims: Any) -> None:
    per_product = tables.claim_rows(D2, D2, "product")
    assert [(r["sku"], r["claims"], r["units"], r["rate"]) for r in per_product] == [
        ("PH-1", 2, 3, "666.7‰"), ("TV-55", 1, 4, "250.0‰"),
    ]  # fmt: skip
    rows = tables.claim_rows(D2, D2, "batch")
    per_batch = {(r["sku"], r["batch"]): (r["claims"], r["units"], r["rate"]) for r in rows}
    assert per_batch == {
        ("PH-1", "02/2026"): (2, 3, "666.7‰"), ("TV-55", "01/2026"): (1, 2, "500.0‰"),
        ("TV-55", "02/2026"): (0, 2, "0.0‰"),
    }  # fmt: skip


Reports = tuple[tuple[dt.datetime, str], ...]


def _shipment(code: str, carrier: str, created: dt.datetime, province: str, *, reverse: bool = False,
              window: dt.datetime | None = None, reports: Reports = ()) -> Shipment:  # fmt: skip
    party = {"name": "Khách", "province_name": province}
    shop = {"name": "Cửa hàng", "province_name": "Thành phố Hà Nội"}
    shipment = Shipment.objects.create(
        code=code, carrier=Carrier.objects.get(code=carrier), direction="reverse" if reverse else "forward",
        reference=f"RMA-{code}", idempotency_key=code, sender=party if reverse else shop,
        recipient=shop if reverse else party, pickup_until=window, status=reports[-1][1] if reports else "created",
    )  # fmt: skip
    for n, (at, status) in enumerate(reports):
        TrackingEvent.objects.create(shipment=shipment, raw_code=status, mapped_status=status, applied=True,
                                     occurred_at=at, received_at=at, dedupe_key=f"{code}-{n}")  # fmt: skip
    Shipment.objects.filter(pk=shipment.pk).update(created_at=created, updated_at=local(D2, 23))
    return shipment


@pytest.fixture
def shipments(db: Any) -> dict[str, Shipment]:
    clock.freeze(local(D2, 23, 59) + dt.timedelta(days=5))
    s1 = _shipment("S1", "ghn", local(D1, 8), "Thành phố Hà Nội", window=local(D1, 17),
                   reports=((local(D1, 15), "picked_up"), (local(D2, 10), "delivered")))  # fmt: skip
    s2 = _shipment("S2", "ghn", local(D2, 8), "Thành phố Đà Nẵng", window=local(D2, 12),
                   reports=((local(D2, 14), "picked_up"), (local(D2, 18), "in_transit")))  # fmt: skip
    s3 = _shipment("S3", "ghtk", local(D2, 7), "Thành phố Hà Nội", reverse=True, window=local(D2, 17),
                   reports=((local(D2, 9), "picked_up"), (local(D2, 20), "lost")))  # fmt: skip
    ten_days = dt.timedelta(days=10)
    s4 = _shipment("S4", "ghtk", local(D2, 11) - ten_days, "Thành phố Cần Thơ",
                   reports=((local(D2, 12) - ten_days, "picked_up"), (local(D2, 11), "delivered")))  # fmt: skip
    s5 = _shipment("S5", "ghn", local(D2, 6), "Thành phố Hồ Chí Minh", window=local(D2, 17),
                   reports=((local(D2, 6, 30), "pickup_scheduled"),))  # fmt: skip
    Event.objects.create(name="shipment.delayed", occurred_at=local(D2, 22), subject_type="shipping.shipment",
                         subject_id=str(s5.pk), payload={})  # fmt: skip
    _shipment("S6", "store_dropoff", local(D2, 9), "Thành phố Hà Nội", reports=((local(D2, 10), "delivered"),))
    rollups.refresh_days(D1, D2)
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4, "s5": s5}


def test_carrier_kpis_match_the_hand_computed_figures(shipments: Any) -> None:
    result = _values(D2, D2)
    assert (result["pickup_on_time"].number, result["pickup_on_time"].parts) == (pytest.approx(50.0), "1 / 2")
    assert (result["delivered_on_time"].number, result["delivered_on_time"].parts) == (pytest.approx(50.0), "1 / 2")
    assert result["lost_rate"].parts == "1 / 3" and result["delayed_rate"].parts == "1 / 3"
    d1 = _values(D1, D1)
    assert d1["pickup_on_time"].parts == "1 / 1" and d1["delivered_on_time"].number is None


def test_carrier_table_per_carrier_and_province(shipments: Any) -> None:
    by_carrier = {row["carrier"]: row for row in tables.carrier_rows(D2, D2, "carrier")}
    ghn, ghtk = by_carrier["Giao Hàng Nhanh (GHN)"], by_carrier["Giao Hàng Tiết Kiệm (GHTK)"]
    assert (ghn["created"], ghn["pickup"], ghn["delivery"], ghn["lost"], ghn["delayed"]) == (2, "0%", "100%", 0, 1)
    assert (ghtk["created"], ghtk["pickup"], ghtk["delivery"], ghtk["lost"]) == (1, "100%", "0%", 1)
    assert "Gửi tại cửa hàng" not in by_carrier
    by_province = {(r["carrier"], r["province"]): r for r in tables.carrier_rows(D2, D2, "province")}
    assert by_province[("Giao Hàng Tiết Kiệm (GHTK)", "Thành phố Hà Nội")]["lost"] == 1  # the reverse sender's
    assert by_province[("Giao Hàng Nhanh (GHN)", "Thành phố Đà Nẵng")]["pickup"] == "0%"
    assert by_province[("Giao Hàng Tiết Kiệm (GHTK)", "Thành phố Cần Thơ")]["delivery"] == "0%"


def test_lost_drill_down(shipments: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("manager"))
    body = client.get("/console/analytics/drill/lost/", RANGE).content.decode()
    assert "S3" in body and ">S2<" not in body
