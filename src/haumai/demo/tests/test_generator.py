"""The pure generator: deterministic, realistic and internally consistent (no database needed)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from typing import Any

import pytest

from haumai.core.phone import normalize_phone
from haumai.core.text import search_key
from haumai.demo.assembly import CustomerGenerator, merge
from haumai.demo.identifiers import luhn_valid
from haumai.demo.names import FAMILY_NAMES
from haumai.demo.parallel import ChunkSource, can_fork
from haumai.demo.plan import counting_allocator
from haumai.demo.stock import stock_rows
from haumai.demo.tests.conftest import NOW, make_plan
from haumai.demo.writer import (
    ADDRESS,
    CONSENT,
    CUSTOMER,
    EVENT,
    IDENTITY,
    ORDER,
    ORDER_LINE,
    STOCK_LEVEL,
    STOCK_MOVE,
    UNIT,
    Rows,
)


def generate(chunk_size: int = 1_000, **plan_options: Any) -> Rows:
    plan = make_plan(**plan_options)
    generator = CustomerGenerator(plan, counting_allocator())
    rows: Rows = stock_rows(generator)
    for first in range(0, plan.customers, chunk_size):
        for name, batch in generator.chunk(first, min(chunk_size, plan.customers - first)).items():
            rows.setdefault(name, []).extend(batch)
    return rows


def records(rows: Rows, table: Any) -> list[dict[str, Any]]:
    return [dict(zip(table.columns, row, strict=True)) for row in rows[table.name]]


@cache
def default_rows() -> Rows:
    return generate()


def test_same_seed_same_rows_and_chunking_does_not_matter() -> None:
    assert generate(chunk_size=2_000) == default_rows()
    again = generate(chunk_size=3_000)
    assert again == default_rows()


def test_another_seed_gives_other_people() -> None:
    other = generate(seed=7)
    assert [r[2] for r in other[CUSTOMER.name][:50]] != [r[2] for r in default_rows()[CUSTOMER.name][:50]]


def test_customers_look_vietnamese_and_are_consistent() -> None:
    customers = records(default_rows(), CUSTOMER)
    assert len(customers) == 3_000
    families = Counter(c["full_name"].split(" ")[0] for c in customers)
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert set(families) <= {name for name, _ in FAMILY_NAMES}
    assert {c["gender"] for c in customers} == {"female", "male", ""}
    for customer in customers:
        assert customer["search_key"] == search_key(customer["full_name"])
        assert normalize_phone(customer["phone"]) == customer["phone"]
        assert re.fullmatch(r"CUS-20(25|26)-\d{6}", customer["code"])
        assert customer["created_at"] <= NOW
        if customer["birth_date"]:
            age = (customer["created_at"].date() - customer["birth_date"]).days / 365.25
            assert 17 <= age <= 72
    assert len({c["phone"] for c in customers}) == len(customers)
    emails = [c["email"] for c in customers if c["email"]]
    assert 0.25 < len(emails) / len(customers) < 0.45
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z._]+\d+@[a-z.]+", email) for email in emails)
    # Ids, codes and sign-up times all run in the same order.
    created = [c["created_at"] for c in customers]
    assert created == sorted(created)
    assert [c["code"] for c in customers] == sorted(c["code"] for c in customers)


def test_identities_addresses_and_consent() -> None:
    customers = {c["id"]: c for c in records(default_rows(), CUSTOMER)}
    identities = records(default_rows(), IDENTITY)
    assert len({(i["kind"], i["value"]) for i in identities}) == len(identities)
    phones = {i["customer_id"]: i["value"] for i in identities if i["kind"] == "phone"}
    assert phones == {cid: c["phone"] for cid, c in customers.items()}
    emails = {i["customer_id"]: i["value"] for i in identities if i["kind"] == "email"}
    assert emails == {cid: c["email"] for cid, c in customers.items() if c["email"]}
    addresses = records(default_rows(), ADDRESS)
    assert sorted(a["customer_id"] for a in addresses) == sorted(customers)
    for address in addresses:
        assert address["ward_id"] // 1000 == address["province_id"]
        assert address["street"] and address["is_default"]
    consents = records(default_rows(), CONSENT)
    keys = [(c["customer_id"], c["purpose"], c["channel"]) for c in consents]
    assert len(set(keys)) == len(keys)
    service = [c for c in consents if c["purpose"] == "service"]
    assert len(service) == 2 * len(customers) and all(c["granted"] for c in service)
    marketing = [c for c in consents if c["purpose"] == "marketing" and c["granted"]]
    assert 0.3 < len({c["customer_id"] for c in marketing}) / len(customers) < 0.8


def test_orders_totals_statuses_and_timing() -> None:
    customers = {c["id"]: c for c in records(default_rows(), CUSTOMER)}
    orders = records(default_rows(), ORDER)
    lines = records(default_rows(), ORDER_LINE)
    assert 1.3 < len(orders) / len(customers) < 1.8
    by_order: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
        assert line["line_total"] == line["unit_price"] * line["quantity"]
        assert line["unit_price"] % 1_000 == 0 and line["unit_price"] > 0
    window_start = NOW - dt.timedelta(days=18 * 31)
    statuses = Counter(o["status"] for o in orders)
    assert (statuses["delivered"] + statuses["completed"]) / len(orders) > 0.85
    assert 0 < statuses["cancelled"] / len(orders) < 0.08
    assert len({o["code"] for o in orders}) == len(orders)
    for order in orders:
        assert 1 <= len(by_order[order["id"]]) <= 3
        assert order["total"] == sum(line["line_total"] for line in by_order[order["id"]])
        assert window_start <= order["placed_at"] <= NOW
        assert order["placed_at"] >= customers[order["customer_id"]]["created_at"]
        assert re.fullmatch(r"ORD-20(25|26)-\d{6}", order["code"])
        if order["status"] in ("delivered", "completed"):
            lag = order["delivered_at"] - order["placed_at"]
            assert dt.timedelta(days=1) <= lag <= dt.timedelta(days=5)
            assert order["delivered_at"] <= NOW
        else:
            assert order["delivered_at"] is None
        if order["status"] in ("placed", "confirmed", "shipped"):
            assert NOW - order["placed_at"] <= dt.timedelta(days=5)
        assert (order["store_id"] is not None) == (order["channel_id"] == 1)
    external = [(o["channel_id"], o["external_id"]) for o in orders if o["external_id"]]
    assert len(set(external)) == len(external)
    assert len({o["channel_id"] for o in orders}) == 6


def test_serialised_lines_get_sold_units_with_valid_imeis() -> None:
    products = {p.id: p for p in make_plan().products}
    units = {u["id"]: u for u in records(default_rows(), UNIT)}
    orders = {o["id"]: o for o in records(default_rows(), ORDER)}
    assert len({u["serial"] for u in units.values()}) == len(units)
    imeis = [u["imei"] for u in units.values() if u["imei"]]
    assert len(set(imeis)) == len(imeis) > 100
    assert all(len(imei) == 15 and luhn_valid(imei) for imei in imeis)
    sold_units = set()
    for line in records(default_rows(), ORDER_LINE):
        product = products[line["product_id"]]
        cancelled = orders[line["order_id"]]["status"] == "cancelled"
        if product.is_serialized and not cancelled:
            unit = units[line["unit_id"]]
            assert unit["status"] == "sold" and unit["product_id"] == product.id and line["quantity"] == 1
            assert (unit["imei"] is not None) == (product.department == "phone")
            sold_units.add(unit["id"])
        else:
            assert line["unit_id"] is None
    assert len(sold_units) == sum(1 for u in units.values() if u["status"] == "sold")


def test_stock_ledger_adds_up_to_levels() -> None:
    moves = records(default_rows(), STOCK_MOVE)
    levels = records(default_rows(), STOCK_LEVEL)
    ledger: Counter[tuple[int, int, str]] = Counter()
    for move in moves:
        assert move["quantity"] != 0
        ledger[(move["product_id"], move["warehouse_id"], move["grade"])] += move["quantity"]
    assert {(lv["product_id"], lv["warehouse_id"], lv["grade"]): lv["quantity"] for lv in levels} == dict(ledger)
    assert all(level["quantity"] > 0 for level in levels)
    in_stock = [u for u in records(default_rows(), UNIT) if u["status"] == "in_stock"]
    assert len(in_stock) == sum(1 for m in moves if m["unit_id"] is not None)


def test_timeline_events_for_the_oldest_and_newest_customers() -> None:
    events = records(default_rows(), EVENT)
    names = Counter(e["name"] for e in events)
    assert names["customer.created"] == 200  # event_customers=100 at each end
    assert names["order.created"] > 200 and names["order.delivered"] > 150
    customers = [c["id"] for c in records(default_rows(), CUSTOMER)]
    with_events = {e["customer_id"] for e in events}
    assert with_events == set(customers[:100] + customers[-100:])
    assert all(e["occurred_at"] <= NOW and e["due_at"] is None for e in events)
    assert len({e["id"] for e in events}) == len(events)


def test_ids_are_consecutive_per_table() -> None:
    for table in (CUSTOMER, IDENTITY, ADDRESS, CONSENT, UNIT, ORDER, ORDER_LINE, EVENT, STOCK_MOVE, STOCK_LEVEL):
        ids = sorted(row[0] for row in default_rows()[table.name])
        assert ids == list(range(1, len(ids) + 1)), table.name


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked (Linux)")
def test_worker_processes_give_exactly_the_in_process_rows() -> None:
    def collect(workers: int) -> Rows:
        plan = make_plan(customers=4_500, chunk_size=2_000)
        rows: Rows = {}
        with ChunkSource(CustomerGenerator(plan, counting_allocator()), workers) as source:
            for chunk in source:
                merge(rows, chunk)
        return rows

    in_process = collect(0)
    assert collect(2) == in_process
    assert len(in_process[CUSTOMER.name]) == 4_500


def test_names_never_repeat_the_middle_name_as_given_name() -> None:
    for customer in records(default_rows(), CUSTOMER):
        parts = customer["full_name"].split(" ")
        assert len(parts) >= 3
        assert parts[-1] != parts[-2] or len(parts) > 3


def test_a_later_clock_moves_time_but_keeps_people_and_purchases() -> None:
    later = generate(now=NOW + dt.timedelta(hours=5))
    base = default_rows()
    assert [r[2:5] for r in later[CUSTOMER.name]] == [r[2:5] for r in base[CUSTOMER.name]]
    assert [(r[1], r[2], r[4]) for r in later[ORDER_LINE.name]] == [(r[1], r[2], r[4]) for r in base[ORDER_LINE.name]]
