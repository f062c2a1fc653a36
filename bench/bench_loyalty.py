"""Benchmark: loyalty operations per second through the REST API (earn, spend, redeem, standing) on PostgreSQL,
each as a ratio of `/healthz` in the same run.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_loyalty .venv/bin/python bench/bench_loyalty.py
Options: --requests N per scenario (default 2000), --concurrency N (default 16), --port (default 8766).

Seeds its own members (set-based SQL): customers with a lot of points, delivered orders not yet earned, and a
voucher campaign with one unique code per request. Starts `haumai web --workers 2` on loopback.
Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

from bench_api import percentile, run_scenario, start_server
from benchdb import ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_loyalty"
MEMBERS = 2_000


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    row: dict[str, object] = {"benchmark": "loyalty", "metric": metric, "value": round(value, 1), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def seed(requests: int, run: str) -> tuple[list[str], list[str], list[str]]:
    """Members with points, delivered orders to earn on, and unique voucher codes; returns their codes."""
    import datetime as dt

    from django.db import transaction

    from haumai.catalog.models import Product
    from haumai.catalog.services import create_product
    from haumai.core import clock
    from haumai.customers.models import Customer
    from haumai.loyalty.models import EntryKind, PointsEntry, Voucher
    from haumai.loyalty.services.vouchers import CampaignInput, create_campaign
    from haumai.sales.models import Channel, Order, OrderLine

    now = clock.now()
    with transaction.atomic():
        channel, _ = Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
        product = Product.objects.filter(sku="BENCH-LOYALTY").first() or create_product(
            actor=None, sku="BENCH-LOYALTY", name="Quạt bench", price=1_000_000, warranty_months=0
        )
        customers = Customer.objects.bulk_create(
            [
                Customer(code=f"CUS-2017-{run}{n:05d}", full_name=f"Thành viên {n}", search_key=f"thanh vien {n}")
                for n in range(MEMBERS)
            ],
            batch_size=2000,
        )
        PointsEntry.objects.bulk_create(
            [
                PointsEntry(
                    customer=c,
                    kind=EntryKind.ADJUSTMENT,
                    points=1_000_000,
                    reason="bench",
                    expires_at=now + dt.timedelta(days=365),
                    created_at=now,
                )
                for c in customers
            ],
            batch_size=2000,
        )
        orders = Order.objects.bulk_create(
            [
                Order(
                    code=f"ORD-2017-{run}{n:06d}",
                    channel=channel,
                    customer=customers[n % MEMBERS],
                    status="delivered",
                    placed_at=now - dt.timedelta(days=2),
                    delivered_at=now - dt.timedelta(days=1),
                    total=1_000_000,
                )
                for n in range(requests)
            ],
            batch_size=2000,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(order=o, product=product, quantity=1, unit_price=1_000_000, line_total=1_000_000)
                for o in orders
            ],
            batch_size=2000,
        )
        campaign = create_campaign(
            actor=None,
            data=CampaignInput(
                code=f"BENCH-{run}",
                name="Bench",
                code_kind="unique",
                discount_kind="amount",
                amount_vnd=50_000,
                percent=0,
                max_discount_vnd=0,
                min_order_vnd=0,
                starts_at=now - dt.timedelta(days=1),
                ends_at=now + dt.timedelta(days=30),
                per_customer_limit=1000,
                batch_size=min(requests, 10_000),
            ),
        )
        codes = list(Voucher.objects.filter(campaign=campaign).values_list("code", flat=True))
    return [c.code for c in customers], [o.code for o in orders], codes


def make_token() -> str:
    from haumai.accounts.services import create_api_token, create_staff_user

    user = create_staff_user(username="bench-loyalty", password=os.urandom(16).hex(), role="manager")
    _, raw = create_api_token(actor=user, user=user, name="bench", days=1)
    return raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. " + DEFAULT_URL)
    ensure_database(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    run = f"{int(time.time()) % 100000:05d}"
    started = time.perf_counter()
    members, orders, codes = seed(args.requests, run)
    print(
        f"seeded {len(members)} members, {len(orders)} orders, {len(codes)} codes in "
        f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, concurrency {args.concurrency}",
        flush=True,
    )
    token = make_token()
    connection.close()
    n = args.requests
    scenarios = [
        ("earn (delivered order)", ["/api/v1/loyalty/points/earn"] * n, [{"order": orders[i]} for i in range(n)]),
        (
            "spend points",
            ["/api/v1/loyalty/points/spend"] * n,
            [
                {
                    "customer": members[i % len(members)],
                    "points": 1,
                    "order_reference": f"POS-{i}",
                    "idempotency_key": f"bench-{run}-spend-{i}",
                }
                for i in range(n)
            ],
        ),
        (
            "redeem voucher",
            ["/api/v1/loyalty/vouchers/redeem"] * len(codes),
            [
                {
                    "code": codes[i],
                    "customer": members[i % len(members)],
                    "order_reference": f"WEB-{i}",
                    "order_total_vnd": 900_000,
                    "idempotency_key": f"bench-{run}-redeem-{i}",
                }
                for i in range(len(codes))
            ],
        ),
        ("member standing", [f"/api/v1/loyalty/customers/{members[i % len(members)]}" for i in range(n)], None),
    ]
    server = start_server(args.port, os.environ.get("HAUMAI_WEB_INTERFACE", "wsgi"))
    base = f"http://127.0.0.1:{args.port}"
    try:
        asyncio.run(run_scenario(base, token, ["/healthz"] * 200, args.concurrency))  # warm up
        health, health_wall, _ = asyncio.run(run_scenario(base, token, ["/healthz"] * n, args.concurrency))
        health_rate = len(health) / health_wall
        bench("/healthz requests/s (the baseline)", health_rate, "req/s")
        for name, paths, bodies in scenarios:
            latencies, wall, errors = asyncio.run(run_scenario(base, token, paths, args.concurrency, bodies))
            rate = len(latencies) / wall
            bench(f"{name} ops/s", rate, "req/s")
            bench(f"{name} as % of /healthz", 100 * rate / health_rate, "%")
            bench(f"{name} p50", statistics.median(latencies), "ms")
            bench(f"{name} p95", percentile(latencies, 0.95), "ms")
            if errors:
                bench(f"{name} errors", errors, "requests", "0")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except Exception:
            server.kill()


if __name__ == "__main__":
    main()
