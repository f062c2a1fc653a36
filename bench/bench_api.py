"""Benchmark: REST API latency under concurrency (GET customer by phone, list orders) on PostgreSQL.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_api .venv/bin/python bench/bench_api.py
Options: --requests N per scenario (default 3000), --concurrency N (default 16), --port (default 8765),
--seed-customers / --seed-orders (used only when the database has no customers/orders yet).

The database is created and migrated when missing. When `haumai demo` has filled it, that data is
used as it is; otherwise the script seeds customers and orders itself with set-based SQL (fast).
It starts `haumai web --workers 2` on loopback, issues an API token and measures with httpx (asyncio).
Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from benchdb import ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_api"
SEED_YEAR = 2019  # seeded codes (CUS-2019-..., ORD-2019-...) never collide with codes issued now


def seed_if_empty(customers: int, orders: int) -> None:
    """Seed customers / orders with INSERT ... SELECT generate_series when the tables are empty."""
    from django.db import connection, transaction

    from haumai.catalog.models import Product
    from haumai.core.models import CodeSequence
    from haumai.customers.models import Customer
    from haumai.sales.models import Channel, Order

    with transaction.atomic(), connection.cursor() as cursor:
        if not Customer.objects.exists():
            started = time.perf_counter()
            cursor.execute(
                """
                INSERT INTO customers_customer
                    (code, full_name, search_key, phone, email, gender, preferred_language, preferred_channel,
                     created_at, updated_at)
                SELECT 'CUS-%(year)s-' || lpad(i::text, 7, '0'),
                       'Khách Hàng ' || i, 'khach hang ' || i,
                       '+849' || (array['0','1','3','4','6','7','8'])[1 + i %% 7]
                           || lpad((i * 7919 %% 10000000)::text, 7, '0'),
                       NULL, '', 'vi', '', now() - (i || ' seconds')::interval, now()
                FROM generate_series(1, %(n)s) AS i
                ON CONFLICT DO NOTHING
                """,
                {"year": SEED_YEAR, "n": customers},
            )
            CodeSequence.objects.update_or_create(prefix="CUS", year=SEED_YEAR, defaults={"last_value": customers})
            print(f"seeded {customers} customers in {time.perf_counter() - started:.1f} s", flush=True)
        if not Order.objects.exists():
            started = time.perf_counter()
            channels = [
                Channel.objects.get_or_create(code=code, defaults={"name": code.title(), "kind": kind})[0].pk
                for code, kind in (("shopee", "marketplace"), ("lazada", "marketplace"), ("web", "website"))
            ]
            for n in range(50):
                Product.objects.get_or_create(
                    sku=f"BENCH-{n:03d}",
                    defaults={"name": f"Sản phẩm {n}", "search_key": f"san pham {n}", "price": (n + 1) * 99_000},
                )
            product_ids = list(Product.objects.order_by("id").values_list("id", flat=True)[:50])
            low, high = (
                Customer.objects.order_by("id").values_list("id", flat=True)[0],
                Customer.objects.order_by("-id").values_list("id", flat=True)[0],
            )
            cursor.execute(
                """
                INSERT INTO sales_order
                    (code, channel_id, external_id, customer_id, status, placed_at, delivered_at, total,
                     payment_method, content_hash, created_at, updated_at)
                SELECT 'ORD-%(year)s-' || lpad(i::text, 7, '0'),
                       (%(channels)s::bigint[])[1 + i %% 3], 'BENCH-' || i,
                       c.id,
                       (array['placed','confirmed','shipped','delivered','completed','cancelled'])[1 + i %% 6],
                       now() - (i * 37 || ' seconds')::interval, NULL, 0, 'cod', '', now(), now()
                FROM generate_series(1, %(n)s) AS i
                JOIN customers_customer c ON c.id = %(low)s + (i::bigint * 7919) %% (%(high)s - %(low)s + 1)
                """,
                {"year": SEED_YEAR, "channels": channels, "n": orders, "low": low, "high": high},
            )
            cursor.execute(
                """
                INSERT INTO sales_orderline (order_id, product_id, quantity, unit_price, line_total)
                SELECT o.id, (%(products)s::bigint[])[1 + (o.id + k) %% %(count)s], 1 + k, 99000, 99000 * (1 + k)
                FROM sales_order o CROSS JOIN generate_series(0, 1) AS k
                WHERE o.external_id LIKE 'BENCH-%%'
                """,
                {"products": product_ids, "count": len(product_ids)},
            )
            cursor.execute("UPDATE sales_order SET total = 99000 * 3 WHERE external_id LIKE 'BENCH-%%'")
            CodeSequence.objects.update_or_create(prefix="ORD", year=SEED_YEAR, defaults={"last_value": orders})
            print(f"seeded {orders} orders in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer; ANALYZE sales_order; ANALYZE sales_orderline")


def sample_inputs() -> tuple[list[str], list[str]]:
    """Phones of existing customers (in mixed formats) and customer codes that have orders."""
    from django.db import connection

    phones: list[str] = []
    codes: list[str] = []
    with connection.cursor() as cursor:
        # TABLESAMPLE keeps sampling cheap on millions of rows; small tables fall back to a plain scan.
        for sample in ("TABLESAMPLE SYSTEM (5)", ""):
            if len(phones) < 100:
                cursor.execute(f"SELECT phone FROM customers_customer {sample} WHERE phone IS NOT NULL LIMIT 2000")  # noqa: S608
                phones = [row[0] for row in cursor.fetchall()]
            if len(codes) < 100:
                cursor.execute(
                    f"SELECT c.code FROM (SELECT DISTINCT customer_id FROM sales_order {sample} LIMIT 1000) o "  # noqa: S608
                    "JOIN customers_customer c ON c.id = o.customer_id"
                )
                codes = [row[0] for row in cursor.fetchall()]
    if not phones or not codes:
        sys.exit("no customers with a phone, or no orders: run `haumai demo`, or use an empty database")
    formats: list[Callable[[str], str]] = [
        lambda p: p,  # +84912345678
        lambda p: p[1:],  # 84912345678
        lambda p: f"0{p[3:6]} {p[6:9]} {p[9:]}",  # 0912 345 678
    ]
    return [formats[i % 3](phone) for i, phone in enumerate(phones)], codes


def make_token() -> str:
    from haumai.accounts.services import create_api_token, create_staff_user

    user = create_staff_user(username="bench-api", password=os.urandom(16).hex(), role="manager")
    _, raw = create_api_token(actor=user, user=user, name="bench", days=1)
    return raw


def start_server(port: int, interface: str) -> subprocess.Popen[bytes]:
    import httpx

    haumai = str(Path(sys.executable).with_name("haumai"))
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "0"}
    command = [haumai, "web", "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--interface", interface]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"haumai web exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    sys.exit("haumai web did not become healthy within 60 s")


async def run_scenario(
    base: str, token: str, paths: list[str], concurrency: int, bodies: list[dict[str, str]] | None = None
) -> tuple[list[float], float, int]:
    """Issue every path (a POST of bodies[i] when given) with `concurrency` workers.

    Returns latencies (ms), wall seconds and the error count.
    """
    import httpx

    latencies: list[float] = []
    errors = 0
    queue = iter(enumerate(paths))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=30
    ) as client:

        async def worker() -> None:
            nonlocal errors
            for index, path in queue:
                started = time.perf_counter()
                if bodies is None:
                    response = await client.get(path)
                else:
                    response = await client.post(path, json=bodies[index])
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code not in (200, 201):
                    errors += 1
                    if errors <= 3:
                        print(f"  {response.status_code} {path}: {response.text[:200]}", flush=True)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall, errors


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "api", "metric": metric, "value": round(value, 1), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000, help="requests per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed-customers", type=int, default=200_000)
    parser.add_argument("--seed-orders", type=int, default=400_000)
    parser.add_argument("--interface", choices=["asgi", "wsgi"], default=os.environ.get("HAUMAI_WEB_INTERFACE", "wsgi"))
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

    from haumai.customers.models import Customer
    from haumai.sales.models import Order

    call_command("migrate", verbosity=0)
    seed_if_empty(args.seed_customers, args.seed_orders)
    phones, codes = sample_inputs()
    token = make_token()
    print(
        f"data: ~{Customer.objects.order_by('-id').values_list('id', flat=True).first()} customers, "
        f"~{Order.objects.order_by('-id').values_list('id', flat=True).first()} orders (max ids); "
        f"{len(phones)} sample phones, {len(codes)} sample customers with orders; {os.cpu_count()} CPUs, "
        f"concurrency {args.concurrency}",
        flush=True,
    )
    connection.close()

    rng = random.Random(7)
    statuses = ["placed", "confirmed", "delivered", "completed"]
    scenarios = [
        (
            "GET customer by phone",
            [f"/api/v1/customers/by-phone/{quote(rng.choice(phones))}" for _ in range(args.requests)],
            "<= 50",
        ),
        ("list orders (newest 20, with lines)", ["/api/v1/orders?limit=20"] * args.requests, "<= 100"),
        (
            "list orders (filtered: customer or status)",
            [
                f"/api/v1/orders?customer={rng.choice(codes)}" if i % 2 else f"/api/v1/orders?status={statuses[i % 4]}"
                for i in range(args.requests)
            ],
            "<= 100",
        ),
    ]
    run = f"{os.getpid()}{int(time.time()) % 100000}"
    creates = [
        {"full_name": f"Khách Bench {n}", "phone": f"+8490{int(run) % 1000:03d}{n:04d}"} for n in range(args.requests)
    ]
    server = start_server(args.port, args.interface)
    base = f"http://127.0.0.1:{args.port}"
    print(f"interface {args.interface}", flush=True)
    try:
        asyncio.run(run_scenario(base, token, ["/healthz"] * 200, args.concurrency))  # warm up
        health, health_wall, _ = asyncio.run(run_scenario(base, token, ["/healthz"] * args.requests, args.concurrency))
        health_rate = len(health) / health_wall
        alone, _, _ = asyncio.run(run_scenario(base, token, ["/healthz"] * (args.requests // 10), 1))
        bench("/healthz requests/s (the baseline)", health_rate, "req/s")
        bench("/healthz p50, one client at a time", statistics.median(alone), "ms")
        create_paths = ["/api/v1/customers"] * args.requests
        for name, paths, target, bodies in [
            *((n, p, t, None) for n, p, t in scenarios),
            ("create customer", create_paths, "", creates),
        ]:
            if bodies is None:
                asyncio.run(run_scenario(base, token, paths[:100], args.concurrency))  # warm up
            tenth = args.requests // 10
            alone, _wall, _errors = asyncio.run(
                run_scenario(base, token, paths[:tenth], 1, bodies[:tenth] if bodies else None)
            )
            bench(f"{name} p50, one client at a time", statistics.median(alone), "ms")
            bench(f"{name} p95, one client at a time", percentile(alone, 0.95), "ms")
            rest = bodies[tenth:] if bodies else None
            latencies, wall, errors = asyncio.run(
                run_scenario(base, token, paths[tenth:] if bodies else paths, args.concurrency, rest)
            )
            bench(f"{name} p50", statistics.median(latencies), "ms")
            bench(f"{name} p95", percentile(latencies, 0.95), "ms", target)
            rate = len(latencies) / wall
            bench(f"{name} requests/s", rate, "req/s")
            bench(f"{name} as % of /healthz", 100 * rate / health_rate, "%")
            if errors:
                bench(f"{name} errors", errors, "requests", "0")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
