"""The chosen pickup slot reaches each carrier in its documented fields; fees come from each carrier's
fee API, a failing or unserving carrier is unavailable (not a crash), an incomplete address is refused."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.core.clock import LOCAL_TZ
from haumai.core.errors import ValidationFailed
from haumai.shipping.models import Carrier
from haumai.shipping.services import Parcel, Party
from haumai.shipping.services.quotes import quote_fees
from haumai.testing.carriers import local_fee

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
AFTERNOON = (
    dt.datetime(2026, 11, 25, 13, 0, tzinfo=LOCAL_TZ),
    dt.datetime(2026, 11, 25, 17, 0, tzinfo=LOCAL_TZ),
)
MORNING = (
    dt.datetime(2026, 11, 26, 8, 0, tzinfo=LOCAL_TZ),
    dt.datetime(2026, 11, 26, 12, 0, tzinfo=LOCAL_TZ),
)


def run_worker() -> int:
    source = next(s for s in scheduler.registered() if s.name == "shipping.due")
    return scheduler.run_source(source, batch_size=50)


def booked_body(carriers: Any, carrier: str) -> dict[str, Any]:
    paths = {
        "ghn": "/v2/shipping-order/create",
        "ghtk": "/services/shipment/order/",
        "viettel_post": "/v2/order/createOrder",
        "jt": "/api/order/addOrder",
        "ninjavan": "/4.1/orders",
    }
    request = next(r for r in carriers.requests_to(carrier) if r.path == paths[carrier])
    if carrier == "jt":
        return dict(json.loads(request.form()["bizContent"]))
    return dict(request.json())


def test_ghn_gets_the_pickup_shift_that_matches_the_slot(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("ghn", pickup_window=AFTERNOON)
    run_worker()

    body = booked_body(carriers, "ghn")
    assert body["pick_shift"] == [3]  # GHN's 12h-18h shift from v2/shift/date
    assert body["pickup_time"] == int(AFTERNOON[0].timestamp())
    assert any(r.path == "/v2/shift/date" for r in carriers.requests_to("ghn"))


def test_ghn_morning_slot_is_the_morning_shift(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("ghn", pickup_window=MORNING)
    run_worker()

    assert booked_body(carriers, "ghn")["pick_shift"] == [2]


def test_ghtk_gets_pick_date_and_work_shift(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("ghtk", pickup_window=AFTERNOON)
    run_worker()

    order = booked_body(carriers, "ghtk")["order"]
    assert order["pick_date"] == "2026-11-25"
    assert order["pick_work_shift"] == 2


def test_viettel_post_gets_the_slot_start_as_delivery_date(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    shipment = make_shipment("viettel_post", pickup_window=MORNING)
    run_worker()

    body = booked_body(carriers, "viettel_post")
    assert body["DELIVERY_DATE"] == "26/11/2026 08:00:00"
    assert body["ORDER_NOTE"] == f"{shipment.reference} - Lấy hàng 26/11 08:00–12:00"


def test_jt_gets_send_start_and_end_time(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("jt", pickup_window=AFTERNOON)
    run_worker()

    biz = booked_body(carriers, "jt")
    assert biz["sendStartTime"] == "2026-11-25 13:00:00"
    assert biz["sendEndTime"] == "2026-11-25 17:00:00"


def test_ninjavan_gets_the_closest_documented_timeslot(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("ninjavan", pickup_window=MORNING)
    run_worker()

    job = booked_body(carriers, "ninjavan")["parcel_job"]
    assert job["pickup_date"] == "2026-11-26"
    assert job["pickup_timeslot"] == {"start_time": "09:00", "end_time": "12:00", "timezone": "Asia/Ho_Chi_Minh"}


def test_without_a_slot_no_slot_fields_are_sent(carriers: Any, make_shipment: Any) -> None:
    clock.freeze(NOW)
    make_shipment("ghn")
    make_shipment("ghtk")
    make_shipment("jt")
    run_worker()

    assert "pick_shift" not in booked_body(carriers, "ghn")
    assert "pick_date" not in booked_body(carriers, "ghtk")["order"]
    assert "sendStartTime" not in booked_body(carriers, "jt")


# -- fees ------------------------------------------------------------------------------------------


@pytest.fixture
def pickup(wards: list[Any], carriers: Any, settings: Any) -> dict[str, Any]:
    # Five carriers are asked at once on a shared 2-core machine: leave room (the local server's
    # simulated timeout still waits longer than this).
    settings.HAUMAI_SHIPPING_READ_TIMEOUT = 0.8
    return {
        "sender": Party(name="Nguyễn Thị Hoa", phone="0912345678", street="12 Lý Thường Kiệt", ward_code=wards[0].code),
        "recipient": Party(name="Kho Haumai", phone="02873001234", street="1 Kho Vận", ward_code=wards[1].code),
        "parcel": Parcel(weight_grams=2500, length=40, width=30, height=30, value_vnd=3_000_000),
    }


def test_every_enabled_carrier_quotes_from_its_fee_api(carriers: Any, pickup: dict[str, Any], wards: Any) -> None:
    quotes = quote_fees(**pickup)

    assert {q.carrier_code: q.fee for q in quotes} == {
        code: local_fee(code, 2500) for code in ("ghn", "ghtk", "viettel_post", "jt", "ninjavan")
    }
    assert [q.fee for q in quotes] == sorted(q.fee or 0 for q in quotes)  # cheapest first
    ghn = next(r for r in carriers.requests_to("ghn") if r.path == "/v2/shipping-order/fee").json()
    assert ghn["to_ward_name"] == wards[1].name and ghn["weight"] == 2500
    ghtk = next(r for r in carriers.requests_to("ghtk") if r.path == "/services/shipment/fee")
    assert ghtk.method == "GET" and ghtk.query["ward"] == wards[1].name and ghtk.query["weight"] == "2500"


def test_a_switched_off_carrier_is_not_asked(carriers: Any, pickup: dict[str, Any]) -> None:
    Carrier.objects.filter(code="jt").update(is_active=False)

    quotes = quote_fees(**pickup)

    assert "jt" not in {q.carrier_code for q in quotes}
    assert not carriers.requests_to("jt")


def test_fee_errors_and_unserved_addresses_are_unavailable_not_a_crash(
    carriers: Any, pickup: dict[str, Any], wards: Any
) -> None:
    carriers.fail_next("ghtk", "error")
    carriers.fail_next("viettel_post", "timeout")
    carriers.fail_next("jt", "5xx")
    carriers.refuse_ward("ninjavan", wards[1].name)

    quotes = {q.carrier_code: q for q in quote_fees(**pickup)}

    assert quotes["ghn"].available and quotes["ghn"].fee == local_fee("ghn", 2500)
    assert not quotes["ghtk"].available and quotes["ghtk"].reason == "Gave no fee for this parcel"
    assert not quotes["viettel_post"].available and quotes["viettel_post"].error_code == "timeout"
    assert not quotes["jt"].available and quotes["jt"].reason == "Did not answer; try again in a moment"
    assert not quotes["ninjavan"].available and quotes["ninjavan"].reason == "Does not serve this address"


@pytest.mark.parametrize("carrier", ["ghn", "ghtk", "viettel_post", "jt", "ninjavan"])
def test_each_carrier_can_say_it_does_not_serve_a_ward(
    carriers: Any, pickup: dict[str, Any], wards: Any, carrier: str
) -> None:
    carriers.refuse_ward(carrier, wards[1].name)

    quote = next(q for q in quote_fees(**pickup) if q.carrier_code == carrier)

    assert not quote.available
    assert quote.reason == "Does not serve this address" and quote.error_code == "unserviceable"


def test_an_address_without_ward_is_refused_before_any_carrier_is_asked(carriers: Any, pickup: dict[str, Any]) -> None:
    pickup["recipient"] = Party(name="Kho", phone="02873001234", street="1 Kho Vận", ward_code=None)

    with pytest.raises(ValidationFailed) as refused:
        quote_fees(**pickup)

    assert [e.field for e in refused.value.errors] == ["recipient.ward_code"]
    assert carriers.requests == []


def test_a_parcel_too_heavy_for_carriers_is_refused(carriers: Any, pickup: dict[str, Any]) -> None:
    pickup["parcel"] = Parcel(weight_grams=70_000, length=60, width=60, height=85)

    with pytest.raises(ValidationFailed) as refused:
        quote_fees(**pickup)

    assert "book a pickup by our own staff" in refused.value.errors[0].message
    assert carriers.requests == []
