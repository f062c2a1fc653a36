"""Benchmark: `haumai demo` into a fresh PostgreSQL database (default 1,000,000 customers).

Drops and recreates the database named in DATABASE_URL (default haumai_bench), migrates it, runs the
demo generator and prints `BENCH {json}` lines (customers/s and orders/s). The filled database is
left in place for the other benchmarks.
Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench python bench/bench_demo.py [--customers N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from benchdb import recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench"


def bench(name: str, metric: str, value: float, unit: str, target: str = "") -> None:
    print("BENCH " + json.dumps({"benchmark": name, "metric": metric, "value": value, "unit": unit, "target": target}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="do not drop and recreate the database first")
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench_demo needs a PostgreSQL DATABASE_URL")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    if not args.keep:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrate: {time.monotonic() - started:.1f} s", flush=True)

    from haumai.demo.seed import seed_demo

    result = seed_demo(customers=args.customers, seed=args.seed, out=lambda line: print(line, flush=True))
    scale = f"{args.customers:,}"
    bench("demo", f"customers/s at {scale}", round(result.customers_per_second, 1), "customers/s")
    bench("demo", f"orders/s at {scale}", round(result.orders_per_second, 1), "orders/s")
    bench("demo", f"seconds for {scale} customers", round(result.seconds, 1), "s")
    rows = sum(result.counts.values())
    bench("demo", f"rows/s at {scale} ({rows:,} rows)", round(rows / result.seconds, 1), "rows/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
