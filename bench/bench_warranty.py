"""Warranty lookup timings on PostgreSQL (default: the haumai_bench DB, which `bench/scale_warranty.py` grows
to 5M units): by serial, by IMEI,
by phone and by order code, through the selectors behind the API and the public page. Prints `BENCH {json}`.
(`python bench/run.py --only warranty`; not in the default ORDER of run.py.)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/haumai_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")

import django

django.setup()

from haumai.warranty import selectors
from haumai.warranty.models import Warranty


def timed(fn: Callable[[], object], repeat: int = 200) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def emit(metric: str, value: float, unit: str = "ms", target: str = "") -> None:
    row = {"benchmark": "warranty", "metric": metric, "value": round(value, 2), "unit": unit, "target": target}
    print("BENCH " + json.dumps(row))


def main() -> int:
    total = Warranty.objects.count()
    if total < 100:
        print("too few warranties; run `haumai demo` first", file=sys.stderr)
        return 1
    emit("warranties in the database", total, "rows")
    sample = Warranty.objects.select_related("unit", "customer", "order_line__order").order_by("pk")[total // 2]
    with_imei = Warranty.objects.filter(unit__imei__isnull=False).select_related("unit").order_by("pk").first()
    order_code = sample.order_line.order.code if sample.order_line else ""
    phone = sample.customer.phone or ""
    cases: list[tuple[str, Callable[[], object]]] = [
        ("by serial (public)", lambda: selectors.public_by_serial(sample.unit.serial)),
        ("by IMEI (public)", lambda: selectors.public_by_serial(with_imei.unit.imei if with_imei else "")),
        ("by phone + order code (public)", lambda: selectors.public_by_order(phone=phone, order_code=order_code)),
        ("by phone (API list)", lambda: list(selectors.warranty_list(q=phone)[:21])),
        ("by order code (API list)", lambda: list(selectors.warranty_list(order_code=order_code)[:21])),
    ]
    # The machine is shared: a one-row round trip in the same run says how loaded it was.
    from django.db import connection

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    base50, _base95 = timed(round_trip)
    emit("SELECT 1 round trip p50 (load baseline)", base50)
    for name, fn in cases:
        p50, p95 = timed(fn)
        emit(f"{name} p50", p50)
        emit(f"{name} p95", p95, target="<= 20 ms")
        emit(f"{name} p50 / SELECT 1 p50", p50 / base50 if base50 else 0.0, unit="x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
