"""Benchmark: carrier webhook ingestion on PostgreSQL (events/s with ~20% replayed duplicates).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_webhooks .venv/bin/python bench/bench_webhooks.py
Options: --shipments N (default 3000; 4 status webhooks each), --duplicates 0.2, --concurrency 32, --port 8767.

The database is created and migrated when missing. Each run seeds its own booked shipments (one fifth per
carrier: GHN, GHTK, Viettel Post, J&T, Ninja Van) with set-based inserts, builds the carriers' documented,
authenticated webhooks (picked up -> in transit -> out for delivery -> delivered), mixes in ~20% replays,
shuffles, and POSTs them to `haumai web --workers 2` on loopback with httpx (asyncio). It then checks that
the database holds exactly one tracking event per distinct webhook and that every shipment ended delivered.
Prints `BENCH {json}` lines for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchdb import ensure_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_webhooks"
CARRIERS = ["ghn", "ghtk", "viettel_post", "jt", "ninjavan"]
STEPS = {
    "ghn": ["picked", "transporting", "delivering", "delivered"],
    "ghtk": ["3", "4", "45", "5"],
    "viettel_post": ["200", "300", "500", "501"],
    "jt": ["106", "109", "112", "113"],
    "ninjavan": ["Picked Up", "Arrived at Sorting Hub", "On Vehicle for Delivery", "Delivered, Left at Doorstep"],
}


def seed_shipments(count: int, run: str) -> list[tuple[str, str, str]]:
    """Booked shipments for this run: (carrier, tracking code, shipment code)."""
    from django.db import transaction

    from haumai.core import clock
    from haumai.shipping.models import Carrier, Shipment

    carriers = {c.code: c for c in Carrier.objects.filter(code__in=CARRIERS)}
    now = clock.now()
    rows = []
    for i in range(count):
        carrier = CARRIERS[i % len(CARRIERS)]
        code = f"SHP-B{run}-{i:06d}"
        rows.append(
            Shipment(
                code=code,
                carrier=carriers[carrier],
                direction="reverse",
                status="pickup_scheduled",
                raw_status="booked",
                tracking_code=f"BENCH{run}{carrier[:3].upper()}{i:07d}",
                label_text=code,
                reference=f"RMA-B{run}-{i:06d}",
                sender={"name": "Khách", "phone": "+84912345678"},
                recipient={"name": "Kho", "phone": "+842873001234"},
                parcel={"weight_grams": 1000, "items": []},
                booked_at=now,
                last_tracking_at=now,
                due_at=now + dt.timedelta(hours=48),
                idempotency_key=f"bench:{run}:{i}",
            )
        )
    with transaction.atomic():
        Shipment.objects.bulk_create(rows, batch_size=2000)
    return [(s.carrier.code, s.tracking_code, s.code) for s in rows]


def build_requests(
    shipments: list[tuple[str, str, str]], duplicates: float, seed: int
) -> tuple[list[dict[str, Any]], int]:
    """Every status webhook of every shipment plus replays, shuffled; returns (requests, distinct count)."""
    from haumai.testing.carriers import WEBHOOK_SECRETS, build_webhook

    start = dt.datetime(2026, 11, 22, 1, 0, tzinfo=dt.UTC)
    distinct: list[dict[str, Any]] = []
    for carrier, tracking, code in shipments:
        for step, raw in enumerate(STEPS[carrier]):
            hook = build_webhook(
                carrier, tracking, raw, secrets=WEBHOOK_SECRETS, at=start + dt.timedelta(hours=step), shipment_code=code
            )
            headers: dict[str, str] = {"Content-Type": hook.content_type, **hook.headers}
            distinct.append(
                {
                    "url": hook.url_for("/hooks/shipping/"),
                    "body": hook.body,
                    "headers": headers,
                }
            )
    rng = random.Random(seed)
    replays = [rng.choice(distinct) for _ in range(round(len(distinct) * duplicates / (1 - duplicates)))]
    everything = distinct + replays
    rng.shuffle(everything)
    return everything, len(distinct)


def start_server(port: int, env: dict[str, str], interface: str = "wsgi") -> subprocess.Popen[bytes]:
    import httpx

    haumai = str(Path(sys.executable).with_name("haumai"))
    process = subprocess.Popen(
        [haumai, "web", "--workers", "2", "--interface", interface, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
    )
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


async def send_all(
    base: str, requests: list[dict[str, Any]], concurrency: int
) -> tuple[list[float], float, dict[int, int]]:
    """POST every request with `concurrency` workers; return latencies (ms), wall seconds, status counts."""
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue = iter(requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            for request in queue:
                started = time.perf_counter()
                response = await client.post(request["url"], content=request["body"], headers=request["headers"])
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code != 200 and statuses[response.status_code] <= 3:
                    print(f"  {response.status_code} {request['url']}: {response.text[:200]}", flush=True)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall, statuses


async def health_rate(base: str, count: int, concurrency: int) -> float:
    """Requests/s of GET /healthz (one SELECT 1): what this machine serves at best right now."""
    import httpx

    queue = iter(range(count))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            for _ in queue:
                await client.get("/healthz")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row: dict[str, object] = {"benchmark": "webhooks", "metric": metric, "value": round(value, 1), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=3000)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of replayed webhooks in the stream")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--async-commit", action="store_true", help="HAUMAI_SHIPPING_WEBHOOK_ASYNC_COMMIT=1 (no WAL flush wait)"
    )
    parser.add_argument("--interface", choices=["asgi", "wsgi"], default="wsgi", help="haumai web --interface")
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

    from haumai.events.models import Event
    from haumai.shipping.models import Shipment, TrackingEvent
    from haumai.testing.carriers import carrier_settings

    call_command("migrate", verbosity=0)
    run = f"{int(time.time()) % 10_000_000:07d}"
    shipments = seed_shipments(args.shipments, run)
    requests, distinct = build_requests(shipments, args.duplicates, seed=7)
    events_before = Event.objects.filter(name__startswith="shipment.").count()
    print(
        f"{len(shipments)} shipments, {len(requests)} webhooks ({len(requests) - distinct} replays), "
        f"{os.cpu_count()} CPUs, concurrency {args.concurrency}",
        flush=True,
    )
    connection.close()

    env = {**os.environ, **carrier_settings(), "LOG_LEVEL": "WARNING", "DEBUG": "0"}
    env["HAUMAI_SHIPPING_WEBHOOK_ASYNC_COMMIT"] = "1" if args.async_commit else "0"
    commit = "async commit" if args.async_commit else "durable commit"
    server = start_server(args.port, env, args.interface)
    base = f"http://127.0.0.1:{args.port}"
    try:
        warm = [r for r in requests if "ghn" in r["url"]][:50]
        asyncio.run(send_all(base, warm, 4))  # warm up (these are replayed again below: counted as duplicates)
        latencies, wall, statuses = asyncio.run(send_all(base, requests, args.concurrency))
        baseline = asyncio.run(health_rate(base, 2000, args.concurrency))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    stored = TrackingEvent.objects.filter(shipment__code__startswith=f"SHP-B{run}-").count()
    delivered = Shipment.objects.filter(code__startswith=f"SHP-B{run}-", status="delivered").count()
    events = Event.objects.filter(name__startswith="shipment.").count() - events_before
    bench(
        f"webhooks ingested (20% replays), 2 web workers, {args.interface}, {commit}",
        len(latencies) / wall,
        "events/s",
        ">= 1000",
    )
    bench("baseline: GET /healthz (SELECT 1) on the same server", baseline, "req/s")
    bench("webhook latency p50", statistics.median(latencies), "ms")
    bench("webhook latency p95", percentile(latencies, 0.95), "ms")
    bench("non-200 answers", sum(n for code, n in statuses.items() if code != 200), "requests", "0")
    bench("tracking events stored minus distinct webhooks", stored - distinct, "rows", "0")
    bench("shipment.* domain events written (status moves; shuffled order skips some)", events, "events")
    bench("shipments not delivered at the end", len(shipments) - delivered, "shipments", "0")


if __name__ == "__main__":
    main()
