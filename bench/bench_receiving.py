"""Benchmark: warehouse receiving throughput — scans -> received, graded, restocked units per second.

Recreates the PostgreSQL database `haumai_bench_receiving` (or HAUMAI_BENCH_RECEIVING_URL), migrates it,
creates N delivered orders of one serialised unit each and opens a drop-off return for every unit
(the default 7-day policy approves them automatically). Then, like a clerk at the receiving desk, it
scans each drop-off code and runs the whole receiving path through the services: find the return by
the scanned code, confirm receipt, grade A and restock (stock move + level in the same transaction),
which resolves the return with store credit. Reports returns opened/s, scans/s to a restocked unit,
per-unit latency percentiles and queries per unit, and checks the stock level equals N.
Usage: python bench/bench_receiving.py [--returns 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from benchdb import recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_receiving"


def bench(name: str, metric: str, value: float, unit: str, target: str = "") -> None:
    print("BENCH " + json.dumps({"benchmark": name, "metric": metric, "value": value, "unit": unit, "target": target}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--returns", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("HAUMAI_BENCH_RECEIVING_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    import datetime as dt

    from haumai.catalog.services import create_product
    from haumai.core import clock
    from haumai.customers.models import Province
    from haumai.customers.services import create_customer
    from haumai.inventory.models import StockLevel, Warehouse
    from haumai.returns import services
    from haumai.returns.models import ReturnRequest
    from haumai.sales.models import Channel
    from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

    count = args.returns
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    product = create_product(actor=None, sku="BENCH-PHONE", name="Bench phone", price=5_000_000, is_serialized=True)
    warehouse = Warehouse.objects.create(code="wh-bench", name="Bench", province=Province.objects.first())
    customers = [
        create_customer(actor=None, full_name=f"Khách {n}", phone=f"09{n:08d}") for n in range(1, count // 10 + 2)
    ]
    delivered = clock.now() - dt.timedelta(days=2)
    started = time.perf_counter()
    orders = []
    for n in range(count):
        order, _created = upsert_order(
            actor=None,
            channel_code="website",
            customer=CustomerRef(code=customers[n % len(customers)].code),
            lines=[OrderLineInput(sku=product.sku, quantity=1, unit_price=5_000_000, serial=f"BSN{n:07d}")],
            external_id=f"bench-{n}",
            placed_at=delivered - dt.timedelta(days=1),
            status="delivered",
            delivered_at=delivered,
        )
        orders.append(order)
    bench("receiving", "orders created (setup)", round(count / (time.perf_counter() - started), 1), "orders/s")
    started = time.perf_counter()
    codes = []
    for order in orders:
        request, _created = services.create_return(
            actor=None,
            customer=order.customer,
            order=order,
            lines=[services.LineInput(serial=order.lines.get().unit.serial)],
            reason="changed_mind",
            resolution="store_credit",
            logistics="store_dropoff",
            origin="portal",
            warehouse_code=warehouse.code,
        )
        codes.append(request.dropoff_code)
    opened = time.perf_counter() - started
    bench("receiving", "returns opened + auto-approved", round(count / opened, 1), "returns/s")
    latencies = []
    queries = []
    started = time.perf_counter()
    for code in codes:
        begin = time.perf_counter()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            found = services.find_for_scan(code)
            services.receive_return(actor=None, request=found)
            line = found.lines.get()
            services.inspect_line(actor=None, line=line, grade="A", disposition="restock")
        queries.append(len(captured.captured_queries))
        latencies.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    level = StockLevel.objects.get(product=product, warehouse=warehouse, grade="A").quantity
    credited = ReturnRequest.objects.filter(status="store_credited").count()
    bench("receiving", "scans -> restocked units", round(count / elapsed, 1), "units/s")
    ordered = sorted(latencies)
    bench("receiving", "per unit latency p50", round(statistics.median(ordered), 1), "ms")
    bench("receiving", "per unit latency p95", round(ordered[int(len(ordered) * 0.95) - 1], 1), "ms")
    bench("receiving", "queries per unit (scan+receive+grade+restock+credit)", round(statistics.mean(queries), 1), "q")
    bench("receiving", "stock level grade A == units scanned", int(level == count), "bool", "1")
    bench("receiving", "returns resolved with store credit", credited, "returns", str(count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
