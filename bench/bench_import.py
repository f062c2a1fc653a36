"""Benchmark: `haumai import orders` from CSV on PostgreSQL (target >= 20,000 order lines/s).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/haumai_bench_import .venv/bin/python bench/bench_import.py
Options: --lines N (default 200000), --xlsx-lines N (default 0: skip the XLSX measurement),
--fresh (drop and recreate the database first; only one that `make bench` created, see benchdb.py).
Without --fresh every run adds its orders to the same database, so later runs insert into bigger indexes.
The database is created and migrated when missing. Products are seeded through catalog.bulk; customers
are created by the import itself from customer_phone/customer_name. Each run uses fresh external ids
and serials (prefix B<run>-), then re-imports the same file to measure the idempotent path.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from benchdb import ensure_database, recreate_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
# 200,000 order lines make a ~22 MB CSV: above the 20 MB default upload limit, so the bench raises it.
os.environ.setdefault("HAUMAI_MAX_IMPORT_MB", "64")

HEADER = [
    "channel", "external_id", "placed_at", "status", "customer_phone", "customer_name", "store",
    "sku", "quantity", "unit_price", "serial", "imei", "delivered_at",
]  # fmt: skip
SKUS = 500
SERIALIZED_EVERY = 5  # every 5th SKU is tracked by serial number
CUSTOMERS = 40_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khánh", "Linh", "Nam", "Phúc", "Quân", "Tâm"]
CHANNELS = [("shopee", "Shopee", "marketplace"), ("lazada", "Lazada", "marketplace"), ("web", "Website", "website")]
STATUSES = ["delivered", "completed", "completed", "delivered", "cancelled"]


def seed(prefix: str) -> None:
    """Channels and products (idempotent)."""
    from haumai.catalog.bulk import ProductRecord, upsert_products
    from haumai.sales.bulk import ensure_channel

    for code, name, kind in CHANNELS:
        ensure_channel(code=code, name=name, kind=kind)
    upsert_products(
        records=[
            ProductRecord(
                sku=f"SKU-{n:05d}",
                name=f"Sản phẩm {n}",
                brand=["Samsung", "Apple", "Xiaomi", "Oppo", "Sony"][n % 5],
                category=["Điện thoại", "Phụ kiện", "Tai nghe", "Đồng hồ"][n % 4],
                price=(n % 97 + 1) * 99_000,
                is_serialized=n % SERIALIZED_EVERY == 0,
                warranty_months=12,
            )
            for n in range(SKUS)
        ]
    )


def write_orders_csv(path: Path, lines: int, prefix: str, seed_value: int = 42) -> int:
    """Write a deterministic orders file of `lines` order lines; returns the number of orders."""
    rng = random.Random(seed_value)
    mobile = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "070", "077", "079"]
    people = [
        (
            f"{mobile[i % len(mobile)]}{1_000_000 + i * 37 % 8_999_999:07d}",
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        )
        for i in range(CUSTOMERS)
    ]
    written = orders = serial = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while written < lines:
            orders += 1
            channel = CHANNELS[orders % len(CHANNELS)][0]
            phone, name = people[rng.randrange(CUSTOMERS)]
            day = 1 + orders % 28
            placed = f"{day:02d}/{1 + orders % 12:02d}/2025 {rng.randrange(8, 22):02d}:{rng.randrange(60):02d}"
            status = STATUSES[orders % len(STATUSES)]
            delivered = f"2025-{1 + orders % 12:02d}-{min(day + 2, 28):02d} 10:00" if status != "cancelled" else ""
            skus = rng.sample(range(SKUS), min(rng.randint(1, 5), lines - written))
            for sku in skus:
                serialized = sku % SERIALIZED_EVERY == 0
                serial += serialized
                writer.writerow(
                    [
                        channel, f"{prefix}{orders:07d}", placed, status, phone, name, "",
                        f"SKU-{sku:05d}", 1 if serialized else rng.randint(1, 3), (sku % 97 + 1) * 99_000,
                        f"{prefix}SN{serial:08d}" if serialized else "", "", delivered,
                    ]
                )  # fmt: skip
                written += 1
    return orders


class ServerClock:
    """CPU time used by this connection's PostgreSQL backend (same host), read from /proc.

    Wall time on a shared machine depends on the neighbours; CPU time (client + server) is what
    the import itself costs, and approximates the wall time on an idle machine.
    """

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.start = self._ticks()

    def _ticks(self) -> float:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        """Server CPU seconds since this clock started."""
        return self._ticks() - self.start


def bench(name: str, value: float, unit: str, target: str = "") -> None:
    """Print one BENCH line."""
    row = {"benchmark": "import", "metric": name, "value": round(value, 1), "unit": unit}
    if target:
        row["target"] = target
    print("BENCH " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--xlsx-lines", type=int, default=0)
    parser.add_argument(
        "--fresh", action="store_true", help="drop and recreate the (bench) database first: repeatable numbers"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/haumai_bench_import"
        )
    (recreate_database if args.fresh else ensure_database)(url)
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from haumai.integrations.models import ImportRun
    from haumai.integrations.services import import_file

    prefix = f"B{ImportRun.objects.filter(kind='orders').count() + 1}-"
    seed(prefix)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        orders = write_orders_csv(path, args.lines, prefix)
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"file: {args.lines} lines, {orders} orders, {size_mb:.1f} MB", flush=True)
        server = ServerClock()
        started, cpu = time.perf_counter(), time.process_time()
        result = import_file(kind="orders", path=path)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_cpu = server.seconds()
        if result.status != "completed":
            sys.exit(f"import failed: {result.status} {result.rejection} {[str(e) for e in result.errors[:5]]}")
        print(json.dumps(result.summary(), ensure_ascii=False), flush=True)
        print("phases (s): " + json.dumps({k: round(v, 2) for k, v in result.timings.items()}), flush=True)
        bench("order lines/s (CSV)", args.lines / wall, "lines/s", ">= 20000")
        bench("import seconds (CSV)", wall, "s")
        print(f"cpu seconds: client {cpu:.2f}, server {server_cpu:.2f}; load average {os.getloadavg()}", flush=True)
        bench("order lines/s (CSV, client + server CPU time)", args.lines / (cpu + server_cpu), "lines/s")
        started = time.perf_counter()
        again = import_file(kind="orders", path=path)
        wall = time.perf_counter() - started
        assert again.unchanged == orders and again.created == 0, again.summary()
        bench("order lines/s (CSV re-import, all unchanged)", args.lines / wall, "lines/s")
        if args.xlsx_lines:
            bench_xlsx(Path(folder), args.xlsx_lines, prefix + "X")


def bench_xlsx(folder: Path, lines: int, prefix: str) -> None:
    """Import the same kind of file saved as XLSX (openpyxl read-only)."""
    from openpyxl import Workbook

    from haumai.integrations.services import import_file

    source = folder / "orders-x.csv"
    write_orders_csv(source, lines, prefix, seed_value=7)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    with source.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    path = folder / "orders.xlsx"
    workbook.save(path)
    started = time.perf_counter()
    result = import_file(kind="orders", path=path)
    wall = time.perf_counter() - started
    assert result.status == "completed", result.summary()
    bench("order lines/s (XLSX)", lines / wall, "lines/s")


if __name__ == "__main__":
    main()
