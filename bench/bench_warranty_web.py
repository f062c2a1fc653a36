"""Benchmark: the public warranty lookup page ("tra cứu bảo hành") and the API lookup against `haumai web`,
as a ratio of /healthz on the same server in the same run (PostgreSQL).

Recreates `haumai_bench_warranty_web` (or HAUMAI_BENCH_WARRANTY_WEB_URL), migrates it and imports
`--units` warranties (the import service). Starts `haumai web --workers 2` on loopback with one trusted
proxy, so each request carries its own visitor address in X-Forwarded-For: the portal's lookup rate limit
(10 per address per 10 minutes) is counted as in production without blocking the run. Each page request is
a real form POST (CSRF cookie and token from the GET). Latency on millions of rows is `bench_warranty.py`'s
job (in-process selectors on the 5M-unit database); this one measures the whole HTTP path.
Usage: python bench/bench_warranty_web.py [--units 2000] [--requests 1500] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchdb import recreate_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_warranty_web"


def bench(metric: str, value: float, unit: str, target: str = "") -> None:
    row = {"benchmark": "warranty_web", "metric": metric, "value": round(value, 1), "unit": unit, "target": target}
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def seed(units: int) -> tuple[list[str], str]:
    """Import `units` warranties; return their serials and an API token."""
    from haumai.accounts.services import create_api_token, create_staff_user
    from haumai.catalog.services import create_product
    from haumai.warranty.services import import_warranties
    from haumai.warranty.services.importing import ImportRow

    create_product(actor=None, sku="BENCH-TV", name="Smart TV 55", price=12_000_000, is_serialized=True,
                   warranty_months=24, warranty_start="purchase")  # fmt: skip
    serials = [f"BWW{n:07d}" for n in range(units)]
    for start in range(0, units, 500):
        rows = [
            ImportRow(serial=s, sku="BENCH-TV", phone=f"+8491{n:07d}", full_name=f"Khách {n}",
                      purchased_on=dt.date(2026, 1, 1) - dt.timedelta(days=n % 600))
            for n, s in enumerate(serials[start : start + 500], start=start)
        ]
        import_warranties(actor=None, rows=rows)
    user = create_staff_user(username="bench-warranty", password=os.urandom(16).hex(), role="manager")
    _, raw = create_api_token(actor=user, user=user, name="bench", days=1)
    return serials, raw


def start_server(port: int) -> subprocess.Popen[bytes]:
    import httpx

    haumai = str(Path(sys.executable).with_name("haumai"))
    env = {**os.environ, "LOG_LEVEL": "WARNING", "DEBUG": "0", "HAUMAI_TRUSTED_PROXIES": "1"}
    process = subprocess.Popen([haumai, "web", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)], env=env)
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


async def run(base: str, requests: list[tuple[str, str, dict[str, str] | None]], concurrency: int,
              token: str = "") -> tuple[list[float], float, int, str]:  # fmt: skip
    """Issue (method, path, form) requests with `concurrency` clients; each client keeps its CSRF cookie."""
    import httpx

    latencies: list[float] = []
    errors = 0
    sample = ""
    queue = iter(enumerate(requests))

    async def client_loop() -> None:
        nonlocal errors, sample
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as client:
            csrf = ""
            for index, (method, path, form) in queue:
                visitor = {"X-Forwarded-For": f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"}
                if method == "POST" and not csrf:
                    page = await client.get(path, headers=visitor)
                    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                    csrf = found.group(1) if found else ""
                started = time.perf_counter()
                if method == "POST":
                    response = await client.post(path, data={**(form or {}), "csrfmiddlewaretoken": csrf},
                                                 headers={**visitor, "Referer": base + path})  # fmt: skip
                else:
                    response = await client.get(path, headers=visitor)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors += 1
                    if errors <= 3:
                        print(f"  {response.status_code} {path}: {response.text[:200]}", flush=True)
                elif not sample:
                    sample = response.text

    started = time.perf_counter()
    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started, errors, sample


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    url = os.environ.get("HAUMAI_BENCH_WARRANTY_WEB_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    import logging
    import random

    import django

    logging.getLogger("httpx").setLevel(logging.WARNING)

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    serials, token = seed(args.units)
    bench("warranties imported", len(serials), "rows")
    bench("seeding", time.perf_counter() - started, "s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    rng = random.Random(11)
    server = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        asyncio.run(run(base, [("GET", "/healthz", None)] * 200, args.concurrency))  # warm up
        baseline = [("GET", "/healthz", None)] * args.requests
        health, health_wall, _, _ = asyncio.run(run(base, baseline, args.concurrency))
        health_rate = len(health) / health_wall
        bench("/healthz requests/s (the baseline)", health_rate, "req/s")
        scenarios = [
            ("public lookup page (GET form)", [("GET", "/portal/warranty/", None)] * args.requests, ""),
            ("public lookup by serial (POST)",
             [("POST", "/portal/warranty/", {"serial": rng.choice(serials)}) for _ in range(args.requests)], ""),
            ("public lookup, unknown serial (POST)",
             [("POST", "/portal/warranty/", {"serial": f"NOPE{n}"}) for n in range(args.requests // 2)], ""),
            ("API lookup by serial",
             [("GET", f"/api/v1/warranties?serial={rng.choice(serials)}", None) for _ in range(args.requests)], token),
        ]  # fmt: skip
        for name, requests, use_token in scenarios:
            asyncio.run(run(base, requests[:50], args.concurrency, use_token if name.startswith("API") else ""))
            latencies, wall, errors, sample = asyncio.run(
                run(base, requests, args.concurrency, use_token if name.startswith("API") else "")
            )
            if name == "public lookup by serial (POST)" and "BWW" not in sample:
                print("  the lookup page did not show the unit", flush=True)
                errors += 1
            rate = len(latencies) / wall
            bench(f"{name} p50", statistics.median(latencies), "ms")
            bench(f"{name} p95", percentile(latencies, 0.95), "ms")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
