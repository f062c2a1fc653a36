"""Console search and customer 360 timings on PostgreSQL at demo scale (default: the haumai_bench DB).

Measures the selectors behind the console's global search (unaccented name, phone in several
formats, e-mail, order code, serial) and the full customer 360 page rendered by the Django test
client as an agent. Prints `BENCH {json}` lines for bench/run.py.
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
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django

django.setup()

from django.test import Client

from haumai.accounts.services import create_staff_user
from haumai.console.selectors import global_search
from haumai.customers.models import Customer
from haumai.sales.models import Order, OrderLine


def timed(fn: Callable[[], object], repeat: int = 30) -> tuple[float, float]:
    fn()  # warm up caches and the connection
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def emit(metric: str, value: float, unit: str = "ms", target: str = "") -> None:
    print(
        "BENCH "
        + json.dumps(
            {"benchmark": "search", "metric": metric, "value": round(value, 2), "unit": unit, "target": target}
        )
    )


def main() -> int:
    total = Customer.objects.count()
    if total < 1000:
        print("the database has too few customers; run `haumai demo --customers 1000000` first", file=sys.stderr)
        return 1
    emit("customers in the database", total, "rows")
    sample = Customer.objects.filter(phone__isnull=False).order_by("pk")[total // 2]
    order = Order.objects.filter(customer=sample).first() or Order.objects.order_by("pk").first()
    line = OrderLine.objects.filter(unit__isnull=False).select_related("unit").order_by("pk").first()
    surname_and_name = " ".join(sample.search_key.split()[-2:])
    local_phone = "0" + sample.phone[3:6] + " " + sample.phone[6:9] + " " + sample.phone[9:]
    cases = {
        f"name without diacritics ('{surname_and_name}')": surname_and_name,
        "phone 0xxx xxx xxx": local_phone,
        "phone +84": sample.phone,
        "order code": order.code if order else "ORD-0",
        "serial": line.unit.serial if line and line.unit else "NONE",
    }
    if sample.email:
        cases["e-mail"] = sample.email
    for label, query in cases.items():
        p50, p95 = timed(lambda q=query: (global_search(q).customers, global_search(q).orders))  # type: ignore[misc]
        emit(f"search {label} p50", p50, target="< 100")
        emit(f"search {label} p95", p95, target="< 100")

    agent = create_staff_user(username="bench-agent", password="bench-pass-123", role="agent")
    client = Client()
    client.force_login(agent)
    url = f"/console/customers/{sample.code}/"
    assert client.get(url).status_code == 200
    p50, p95 = timed(lambda: client.get(url))
    emit("customer 360 page p50", p50)
    emit("customer 360 page p95", p95)
    p50, p95 = timed(lambda: client.get("/console/search/", {"q": surname_and_name}, HTTP_HX_REQUEST="true"))
    emit("search dropdown page p95 (name)", p95, target="< 100")
    return 0


if __name__ == "__main__":
    sys.exit(main())
