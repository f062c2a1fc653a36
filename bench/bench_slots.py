"""Benchmark: slot search for a month at 50 service centres (PostgreSQL).

Recreates the database `haumai_bench_slots` (or HAUMAI_BENCH_SLOTS_URL), migrates it, creates 50 centres
in one province (Mon-Fri two ranges around lunch, Saturday morning, 30-minute slots, capacity 4/hour)
and books about a third of next month's places (AppointmentSlot counters written in bulk). Then times:
the month's slots of the 50 centres in one call (`province_slots`), the same centre by centre
(`month_slots` x 50), and the API endpoint `/api/v1/appointments/slots?province=...` through Django's
test client against `/healthz` through the same client (requests/s and the ratio to /healthz).
Usage: python bench/bench_slots.py [--centers 50] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from benchdb import recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_slots"


def bench(name: str, metric: str, value: float, unit: str, target: str = "") -> None:
    print("BENCH " + json.dumps({"benchmark": name, "metric": metric, "value": value, "unit": unit, "target": target}))


def _timed(call: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--centers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("HAUMAI_BENCH_SLOTS_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    import django

    django.setup()
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from haumai.accounts.services import create_api_token, create_staff_user
    from haumai.core import clock
    from haumai.repairs.booking import slots
    from haumai.repairs.booking.centers import HoursRange, save_center
    from haumai.repairs.models import AppointmentSlot

    week = [HoursRange(d, dt.time(8), dt.time(12)) for d in range(6)]
    week += [HoursRange(d, dt.time(13, 30), dt.time(17, 30)) for d in range(5)]
    centers = [
        save_center(
            actor=None,
            code=f"bench-{n:03d}",
            hours=week,
            values={
                "name": f"Trung tâm {n:03d}",
                "province": "Hà Nội",
                "capacity_per_hour": 4,
                "slot_minutes": 30,
                "booking_horizon_days": 62,
            },
        )
        for n in range(args.centers)
    ]
    today = clock.today()
    year, month = (today.year + (today.month == 12), today.month % 12 + 1)
    rng = random.Random(7)
    counters = []
    for center in centers:
        for slot in slots.month_slots(center, year, month):
            if rng.random() < 0.35:
                counters.append(AppointmentSlot(center=center, starts_at=slot.starts_at, booked=rng.randint(1, 2)))
    AppointmentSlot.objects.bulk_create(counters, batch_size=5000)
    found = slots.province_slots("Hà Nội", year, month)
    total = sum(len(rows) for rows in found.values())
    full = sum(1 for rows in found.values() for s in rows if not s.is_free)
    bench("slots", f"slots in the month at {args.centers} centres", total, "slots")
    bench("slots", "booked slot counters", len(counters), "rows")

    with CaptureQueriesContext(connection) as queries:
        slots.province_slots("Hà Nội", year, month)
    province = _timed(lambda: slots.province_slots("Hà Nội", year, month), args.repeat)
    bench("slots", f"month at {args.centers} centres, one call p50", statistics.median(province), "ms")
    bench("slots", f"month at {args.centers} centres, one call max", max(province), "ms")
    bench("slots", "queries per search", len(queries), "queries", "fixed")
    each = _timed(lambda: [slots.month_slots(c, year, month) for c in centers], max(3, args.repeat // 4))
    bench("slots", f"month centre by centre x{args.centers} p50", statistics.median(each), "ms")
    bench("slots", "full slots seen", full, "slots")

    user = create_staff_user(username="bench-agent", password="bench-pass-123", role="agent")
    _, raw = create_api_token(actor=user, user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="127.0.0.1")
    path = f"/api/v1/appointments/slots?province=H%C3%A0%20N%E1%BB%99i&month={year:04d}-{month:02d}"
    first = client.get(path)
    assert first.status_code == 200, (first.status_code, first.content[:300])
    api = _timed(lambda: client.get(path), args.repeat)
    health = _timed(lambda: client.get("/healthz"), args.repeat * 10)
    api_rate = 1000 / statistics.median(api)
    health_rate = 1000 / statistics.median(health)
    bench("slots", "API month search (50 centres) p50", statistics.median(api), "ms")
    bench("slots", "API month search requests/s", api_rate, "req/s")
    bench("slots", "/healthz requests/s (same client)", health_rate, "req/s")
    bench("slots", "API search throughput as % of /healthz", 100 * api_rate / health_rate, "%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
