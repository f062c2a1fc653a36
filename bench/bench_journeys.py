"""Benchmark: N customers enter the birthday journey; 2 worker processes advance the runs and send e-mail.

Recreates the PostgreSQL database `haumai_bench_journeys` (or the one in DATABASE_URL), migrates it,
COPYs N customers whose birthday is today (with an e-mail address and an explicit marketing e-mail
grant), runs the birthday journey's daily enrollment (one INSERT ... SELECT), then starts 2 worker
processes that loop the scheduler tick (events, journeys, messaging sources) until every run is done,
with e-mail going to a local SMTP server on 127.0.0.1 that counts what it receives.
Prints `BENCH {json}` lines: enrollment rows/s, journey steps processed/s, e-mails accepted/s.
With --duration the workers are stopped after that many seconds (a mid-batch kill: nothing is lost or
sent twice) and the rates are measured over that window, so a million customers can be enrolled
without waiting for every run to finish on a small machine.
With --reuse an existing benchmark database that already holds exactly N customers is kept: its runs,
step runs, deliveries and attempts are emptied (TRUNCATE) and the customers enrolled again, which saves
loading a million customers again.
Usage: python bench/bench_journeys.py [--customers 100000] [--workers 2] [--duration 120] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlparse

from benchdb import recreate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/haumai_bench_journeys"
SOURCES = ("events.dispatch", "journeys.enrollment", "journeys.runs", "messaging.deliveries")


def bench(name: str, metric: str, value: float, unit: str, target: str = "") -> None:
    print("BENCH " + json.dumps({"benchmark": name, "metric": metric, "value": value, "unit": unit, "target": target}))


def _psql_args(url: str) -> tuple[str, list[str]]:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1", "haumai"}:
        raise SystemExit(f"refusing to recreate database {name!r}")
    host, port = parts.hostname or "127.0.0.1", str(parts.port or 5432)
    return name, ["-h", host, "-p", port, "-U", parts.username or "postgres"]


def existing_customers(url: str) -> int | None:
    """Customers in an existing benchmark database (None when it does not exist or has no schema)."""
    name, common = _psql_args(url)
    answer = subprocess.run(
        ["psql", *common, "-d", name, "-Atc", "SELECT count(*) FROM customers_customer"],
        capture_output=True, text=True,
    )  # fmt: skip
    return int(answer.stdout.strip()) if answer.returncode == 0 and answer.stdout.strip().isdigit() else None


def empty_journey_tables() -> None:
    """Forget the last run's work (runs, step runs, tasks, deliveries, attempts), keep the customers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE journeys_steprun, journeys_caretask, journeys_journeyrun, messaging_deliveryattempt, "
            "messaging_delivery RESTART IDENTITY"
        )


class CountingSmtp:
    """An aiosmtpd server that only counts accepted messages (a million parsed e-mails would not fit)."""

    def __init__(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        # aiosmtpd logs five INFO lines per message: at a thousand messages a second that is the
        # benchmark's own process formatting log lines on the cores the workers need.
        logging.getLogger("mail.log").setLevel(logging.WARNING)

        from haumai.testing.smtp import free_port

        self.port = free_port()
        self.count = 0
        self._lock = threading.Lock()
        outer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                with outer._lock:
                    outer.count += len(envelope.rcpt_tos)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> CountingSmtp:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def load_customers(count: int) -> None:
    """COPY customers born today (any year) with e-mail, and their marketing e-mail consent."""
    from django.db import connection

    from haumai.core import clock

    today = clock.today()
    now = clock.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY customers_customer (id, code, full_name, search_key, phone, email, birth_date, gender, "
            "preferred_language, preferred_channel, created_at, updated_at) FROM STDIN"
        ) as copy:
            for index in range(1, count + 1):
                year = 1960 + index % 45
                copy.write_row(
                    (
                        index, f"CUS-B-{index:07d}", f"Khách hàng {index}", f"khach hang {index}",
                        f"+8490{index:07d}", f"khach{index}@example.vn", today.replace(year=year), "",
                        "vi", "email", now, now,
                    )
                )  # fmt: skip
        with raw.cursor().copy(
            "COPY customers_consent (customer_id, purpose, channel, granted, source, recorded_at) FROM STDIN"
        ) as copy:
            for index in range(1, count + 1):
                copy.write_row((index, "marketing", "email", True, "bench", now))
        cursor.execute("SELECT setval('customers_customer_id_seq', %s)", [count])
        cursor.execute("ANALYZE customers_customer; ANALYZE customers_consent")


def worker(stop_when_idle_seconds: float, busy: Any, in_messaging: Any) -> None:
    """A `haumai worker`-like loop over the sources this benchmark exercises.

    Adds up (in shared values) the seconds spent advancing journey runs and, inside that, in
    messaging's queue_messages (through journeys.sending.queue_many), so the report can tell the
    journeys engine's own cost per step.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    import django

    django.setup()
    from django.db import connection

    from haumai.core import scheduler
    from haumai.journeys import engine, sending

    original_queue, original_advance = sending.queue_many, engine.advance_runs

    def timed_queue(requests: Any) -> Any:
        started = time.perf_counter()
        try:
            return original_queue(requests)
        finally:
            with in_messaging.get_lock():
                in_messaging.value += time.perf_counter() - started

    def timed_advance(runs: Any) -> None:
        started = time.perf_counter()
        try:
            original_advance(runs)
        finally:
            with busy.get_lock():
                busy.value += time.perf_counter() - started

    sending.queue_many = timed_queue
    for source in scheduler.registered():
        if source.name == "journeys.runs":
            scheduler.register(scheduler.DueSource(name=source.name, pending=source.pending, handle=timed_advance))

    connection.close()
    sources = [s for s in scheduler.registered() if s.name in SOURCES]
    idle_since = time.monotonic()
    while True:
        handled = 0
        for source in sources:
            handled += scheduler.run_source(source, batch_size=500)
        if handled:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > stop_when_idle_seconds:
            return
        else:
            time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=0, help="stop the workers after this many seconds")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database of exactly N customers")
    args = parser.parse_args()
    url = os.environ.get("HAUMAI_BENCH_JOURNEYS_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haumai.settings")
    os.environ["HAUMAI_JOURNEYS_QUIET_HOURS"] = "off"  # measure throughput at any hour of the day
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    os.environ["HAUMAI_MESSAGING_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    reuse = args.reuse and existing_customers(url) == args.customers
    if not reuse:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from haumai.core import clock
    from haumai.journeys.enrollment import enroll_for_day
    from haumai.journeys.models import Journey, JourneyRun, StepRun
    from haumai.messaging.models import Delivery

    started = time.monotonic()
    if reuse:
        empty_journey_tables()
        print(f"reusing {args.customers} customers; runs, step runs and deliveries emptied", flush=True)
    else:
        load_customers(args.customers)
        print(f"loaded {args.customers} customers in {time.monotonic() - started:.1f} s", flush=True)

    Journey.objects.exclude(key="birthday-greeting").update(is_active=False)
    journey = Journey.objects.get(key="birthday-greeting")
    started = time.monotonic()
    enrolled = enroll_for_day(journey=journey, day=clock.today())
    enroll_seconds = time.monotonic() - started
    Journey.objects.filter(pk=journey.pk).update(next_enrollment_at=None)  # enrolled: the workers only advance
    connection.cursor().execute("ANALYZE journeys_journeyrun")
    print(f"enrolled {enrolled} in {enroll_seconds:.1f} s", flush=True)
    bench("journeys", "birthday enrollment (INSERT ... SELECT)", enrolled / enroll_seconds, "runs/s")

    with CountingSmtp() as smtp:
        os.environ["EMAIL_PORT"] = str(smtp.port)
        connection.close()
        context = multiprocessing.get_context("spawn")
        busy, in_messaging = context.Value("d", 0.0), context.Value("d", 0.0)
        processes = [context.Process(target=worker, args=(3.0, busy, in_messaging)) for _ in range(args.workers)]
        print(f"load average before: {os.getloadavg()}", flush=True)
        started = time.monotonic()
        for process in processes:
            process.start()
        last = 0
        steps_done_at = None
        stopped_early = False
        while any(p.is_alive() for p in processes):
            time.sleep(2)
            if args.duration and time.monotonic() - started >= args.duration:
                # Stop the workers mid-batch, like a crash: their open transactions roll back.
                for process in processes:
                    process.terminate()
                stopped_early = True
            steps = StepRun.objects.count()
            if steps >= enrolled and steps_done_at is None:
                steps_done_at = time.monotonic()
            if steps != last:
                print(f"  {time.monotonic() - started:6.1f} s: {steps} steps, {smtp.count} e-mails", flush=True)
                last = steps
        for process in processes:
            process.join()
        # minus the idle wait before the workers stop by themselves
        elapsed = time.monotonic() - started - (0.0 if stopped_early else 3.0)
        steps = StepRun.objects.count()
        sent = Delivery.objects.filter(status="sent").count()
        received = smtp.count
    steps_seconds = (steps_done_at - started) if steps_done_at else elapsed
    remaining = JourneyRun.objects.filter(due_at__isnull=False).count()
    print(f"steps {steps}, deliveries sent {sent}, smtp received {received}, runs still due {remaining}", flush=True)
    print(f"load average after: {os.getloadavg()}", flush=True)
    target = ">= 2000"
    bench(
        "journeys",
        f"due steps processed, {args.workers} workers, N={enrolled}",
        steps / steps_seconds,
        "steps/s",
        target,
    )
    own = busy.value - in_messaging.value
    bench("journeys", "advance_runs time in messaging.queue_messages", 100 * in_messaging.value / busy.value, "%")
    bench("journeys", "journeys engine alone (excl. queue_messages), 1 core", steps / own, "steps/s")
    bench("journeys", f"steps + e-mail sent end to end, {args.workers} workers", received / elapsed, "e-mails/s")
    bench("journeys", "e-mails received by local SMTP", received, "messages", f"= deliveries sent ({sent})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
