"""Grow a demo database on PostgreSQL to N sold units with warranties (default 5,000,000), for the warranty
lookup benchmark at the issue's scale: one customer per 5 units (phones +84599xxxxxxx, a range the demo
does not use), one order per 2 units, one order line, unit and warranty per unit, generated in SQL
(generate_series) in batches. Safe to re-run: it adds what is missing up to N.
Usage: python bench/scale_warranty.py [N] [--bootstrap]  (DATABASE_URL, default haumai_bench; --bootstrap seeds
a freshly migrated database with a channel, products and a few warranties instead of `haumai demo`).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haumai_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")

import django

django.setup()

from django.db import connection, transaction

BATCH = 250_000
UNITS_PER_CUSTOMER = 5
UNITS_PER_ORDER = 2


def scalar(sql: str, params: tuple[object, ...] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return int(row[0] or 0) if row else 0


def execute(sql: str, params: dict[str, object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


CUSTOMERS = """
INSERT INTO customers_customer (id, code, full_name, search_key, phone, gender, preferred_language,
    preferred_channel, created_at, updated_at)
SELECT %(base)s + c, 'CUS-S' || lpad(c::text, 9, '0'), 'Khách hàng ' || c, 'khach hang ' || c,
    '+84599' || lpad(c::text, 7, '0'), '', 'vi', 'sms', now(), now()
FROM generate_series(%(start)s, %(stop)s) AS c
"""
ORDERS = """
INSERT INTO sales_order (id, code, status, placed_at, delivered_at, total, payment_method, content_hash,
    created_at, updated_at, channel_id, customer_id)
SELECT %(base)s + o, 'ORD-S' || lpad(o::text, 9, '0'), 'delivered', now() - (o %% 540) * interval '1 day',
    now() - (o %% 540) * interval '1 day' + interval '2 days', 0, 'cod', '', now(), now(), %(channel)s,
    %(customer_base)s + ((o - 1) * %(per_order)s) / %(per_customer)s + 1
FROM generate_series(%(start)s, %(stop)s) AS o
"""
UNITS = """
INSERT INTO catalog_unit (id, serial, imei, status, created_at, product_id)
SELECT %(base)s + g, 'SN-S' || lpad(g::text, 10, '0'),
    CASE WHEN g %% 2 = 1 THEN '35' || lpad(g::text, 13, '0') END, 'sold', now(),
    (%(products)s::bigint[])[1 + g %% cardinality(%(products)s::bigint[])]
FROM generate_series(%(start)s, %(stop)s) AS g
"""
LINES = """
INSERT INTO sales_orderline (id, quantity, unit_price, line_total, order_id, product_id, unit_id)
SELECT %(base)s + g, 1, 0, 0, %(order_base)s + ((g - 1) / 2) + 1, u.product_id, u.id
FROM generate_series(%(start)s, %(stop)s) AS g JOIN catalog_unit u ON u.id = %(unit_base)s + g
"""
WARRANTIES = """
INSERT INTO warranty_warranty (id, code, terms, source, status, purchased_on, starts_on, base_ends_on, ends_on,
    covered_until, activation_phone, proof_photo, proof_content_type, void_reason, void_note, created_at, updated_at,
    customer_id, order_line_id, unit_id, policy_id)
SELECT %(base)s + g, 'WR-S' || lpad(g::text, 10, '0'), %(terms)s::jsonb, 'delivery', 'active',
    o.placed_at::date, o.delivered_at::date, (o.delivered_at + interval '12 months')::date,
    (o.delivered_at + interval '12 months')::date, (o.delivered_at + interval '12 months')::date,
    '', '', '', '', '', now(), now(),
    o.customer_id, l.id, l.unit_id, %(policy)s
FROM generate_series(%(start)s, %(stop)s) AS g
JOIN sales_orderline l ON l.id = %(line_base)s + g
JOIN sales_order o ON o.id = l.order_id
"""


def bootstrap() -> None:
    """A migrated, empty database: one channel, two products and a few imported warranties (the policy and
    terms the synthetic rows copy), through the services, instead of the whole demo."""
    import datetime as dt

    from haumai.catalog.services import create_product
    from haumai.sales.models import Channel
    from haumai.warranty.services import import_warranties
    from haumai.warranty.services.importing import ImportRow

    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    for sku, name in (("BENCH-TV", "Smart TV 55"), ("BENCH-PHONE", "Điện thoại X")):
        create_product(actor=None, sku=sku, name=name, price=12_000_000, is_serialized=True, warranty_months=12,
                       warranty_start="purchase")  # fmt: skip
    rows = [ImportRow(serial=f"BOOT{n:04d}", sku="BENCH-TV", phone=f"+8491{n:07d}", full_name=f"Khách {n}",
                      purchased_on=dt.date(2026, 1, 1)) for n in range(10)]  # fmt: skip
    import_warranties(actor=None, rows=rows)


def main() -> int:
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    target = int(numbers[0]) if numbers else 5_000_000
    have = scalar("SELECT count(*) FROM warranty_warranty WHERE code LIKE 'WR-S%%'")
    if have >= target:
        print(f"already {have:,} synthetic warranties")
        return 0
    sample = scalar("SELECT id FROM warranty_warranty ORDER BY id LIMIT 1")
    if not sample and "--bootstrap" in sys.argv:
        bootstrap()
        sample = scalar("SELECT id FROM warranty_warranty ORDER BY id LIMIT 1")
    if not sample:
        print("run `haumai demo` first (or pass --bootstrap on a freshly migrated database)", file=sys.stderr)
        return 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT terms::text, policy_id FROM warranty_warranty WHERE id = %s", (sample,))
        terms, policy = cursor.fetchone()
        cursor.execute("SELECT array_agg(id) FROM catalog_product")
        products = cursor.fetchone()[0]
    channel = scalar("SELECT min(id) FROM sales_channel")
    # Fixed id ranges far above the demo's; batches align with both ratios (BATCH divisible by 5 and 2),
    # so each batch adds whole customers and orders and a re-run continues after the last committed one.
    bases = {"customer": 100_000_000, "order": 100_000_000, "unit": 100_000_000, "line": 100_000_000}
    started = time.perf_counter()
    for start in range(have + 1, target + 1, BATCH):
        stop = min(start + BATCH - 1, target)
        with transaction.atomic():
            c_start, c_stop = (start - 1) // UNITS_PER_CUSTOMER + 1, (stop - 1) // UNITS_PER_CUSTOMER + 1
            o_start, o_stop = (start - 1) // UNITS_PER_ORDER + 1, (stop - 1) // UNITS_PER_ORDER + 1
            execute(CUSTOMERS, {"base": bases["customer"], "start": c_start, "stop": c_stop})
            execute(
                ORDERS,
                {
                    "base": bases["order"],
                    "start": o_start,
                    "stop": o_stop,
                    "channel": channel,
                    "customer_base": bases["customer"],
                    "per_order": UNITS_PER_ORDER,
                    "per_customer": UNITS_PER_CUSTOMER,
                },
            )
            execute(UNITS, {"base": bases["unit"], "start": start, "stop": stop, "products": products})
            execute(
                LINES,
                {
                    "base": bases["line"],
                    "start": start,
                    "stop": stop,
                    "order_base": bases["order"],
                    "unit_base": bases["unit"],
                },
            )
            execute(
                WARRANTIES,
                {
                    "base": 100_000_000,
                    "start": start,
                    "stop": stop,
                    "terms": terms,
                    "policy": policy,
                    "line_base": bases["line"],
                },
            )
        print(f"{stop:,} units ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        for table in ("customers_customer", "sales_order", "catalog_unit", "sales_orderline", "warranty_warranty"):
            cursor.execute(f"ANALYZE {table}")
    print(f"done: {target:,} synthetic units and warranties in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
