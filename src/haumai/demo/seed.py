"""Seed the database with deterministic Vietnamese demo data (the engine behind `haumai demo`).

Reference rows (staff, channels, stores, warehouses, catalogue) go through the ORM and are
idempotent. Customers and everything hanging off them are generated in chunks by the pure
generator (in parallel worker processes for large runs) and written with COPY (PostgreSQL) or
executemany (SQLite), so memory stays flat at a million customers. Timeline events are written for the oldest and the
newest `event_customers` customers only (events for every order would double the run time at
scale and add nothing to a demo).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from haumai.core import clock
from haumai.core.codes import next_codes
from haumai.core.phone import normalize_phone
from haumai.customers.models import Customer
from haumai.demo import reference
from haumai.demo.assembly import GENERATED_TABLES, CustomerGenerator
from haumai.demo.booking import seed_booking
from haumai.demo.generator import BLOCK
from haumai.demo.identifiers import MOBILE_PREFIXES
from haumai.demo.parallel import ChunkSource, default_workers
from haumai.demo.personal_data import PERSONAL_DATA_FROM, seed_personal_data
from haumai.demo.plan import Plan
from haumai.demo.repairs import seed_repairs
from haumai.demo.stock import stock_rows
from haumai.demo.surveys import seed_surveys
from haumai.demo.warranties import seed_warranties
from haumai.demo.writer import (
    CUSTOMER,
    EVENT,
    ORDER,
    ORDER_LINE,
    TABLES,
    UNIT,
    Rows,
    Table,
    deferred_indexes,
    empty_tables,
    next_ids,
    reset_sequences,
    write_rows,
)
from haumai.inventory.models import StockLevel

DEFAULT_CUSTOMERS = 2_000
DEFAULT_SEED = 42
DEFAULT_MONTHS = 18
DEFAULT_CHUNK = 10_000
# From this many customers on, PostgreSQL indexes of the (empty) customer tables are built after the load.
REINDEX_FROM = 50_000


class DemoRefused(Exception):
    """The database already has customers (demo data is for empty databases)."""


@dataclass
class DemoResult:
    """What a run produced (counts of rows written) and how long it took."""

    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bulk_seconds: float = 0.0
    staff: list[reference.StaffLogin] = field(default_factory=list)
    sample: dict[str, str] = field(default_factory=dict)

    @property
    def customers(self) -> int:
        return self.counts.get(CUSTOMER.name, 0)

    @property
    def orders(self) -> int:
        return self.counts.get(ORDER.name, 0)

    @property
    def customers_per_second(self) -> float:
        return self.customers / self.seconds if self.seconds else 0.0

    @property
    def orders_per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def allocate_codes(prefix: str, years: list[int]) -> list[str]:
    """Reserve codes with haumai.core.codes.next_codes, one batch per calendar year, in input order."""
    reserved = {year: iter(next_codes(prefix, years.count(year), year)) for year in sorted(set(years))}
    return [next(reserved[year]) for year in years]


def seed_demo(
    *,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    months: int = DEFAULT_MONTHS,
    if_empty: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    event_customers: int = 2_500,
    reindex_from: int = REINDEX_FROM,
    workers: int | None = None,
    out: Callable[[str], None] = print,
) -> DemoResult:
    """Create demo data; refuse (or skip with if_empty) when customers already exist."""
    if customers < 0 or months < 1:
        raise ValueError("customers must be >= 0 and months >= 1")
    if Customer.objects.exists():
        if if_empty:
            out("Demo data skipped: the database already has customers.")
            return DemoResult(skipped=True)
        raise DemoRefused("The database already has customers; demo data is only added to an empty database.")
    started = time.monotonic()
    for prefix in MOBILE_PREFIXES:  # the generator relies on every prefix being valid
        normalize_phone(f"+84{prefix}0000000")
    result = DemoResult(counts=dict.fromkeys((table.name for table in TABLES), 0))
    with transaction.atomic():
        result.staff = reference.ensure_staff()
        channels = reference.ensure_channels()
        stores, warehouses = reference.ensure_stores_and_warehouses()
        products, _ = reference.ensure_catalog()
    plan = Plan(
        seed=seed, customers=customers, months=months, now=clock.now(), products=tuple(products),
        channels=channels, stores=stores, warehouses=warehouses, provinces=tuple(reference.province_refs()),
        first_ids=next_ids(), unit_counters=reference.unit_counters(products),
        event_customers=event_customers, chunk_size=max(BLOCK, chunk_size // BLOCK * BLOCK),
    )
    generator = CustomerGenerator(plan, allocate_codes)
    workers = default_workers(customers) if workers is None else workers
    out(
        f"Seeding {customers:,} customers (seed {seed}, {months} months up to {plan.now:%Y-%m-%d %H:%M} UTC"
        f"{f', {workers} generator processes' if workers > 1 else ''})…"
    )
    bulk_started = time.monotonic()
    try:
        _tune_session()
        reindex = empty_tables(GENERATED_TABLES) if customers >= reindex_from else []
        if not StockLevel.objects.filter(product_id__in=[p.id for p in products]).exists():
            with transaction.atomic():
                stock = stock_rows(generator)
                write_rows(stock)
            _add_counts(result, stock)
        _write_customers(generator, result, out, bulk_started, reindex, workers)
    finally:
        reset_sequences()
        _restore_session()
    result.counts.update(seed_warranties(seed=seed))
    result.counts.update(seed_repairs(seed=seed))
    result.counts.update(seed_booking(seed=seed))
    result.counts.update(seed_surveys(seed=seed))
    from haumai.loyalty.demo import seed_loyalty

    result.counts.update(seed_loyalty(seed=seed))
    from haumai.demo.birthday import wire_birthday_voucher

    result.counts.update(wire_birthday_voucher())
    if customers >= PERSONAL_DATA_FROM:  # small test worlds stay as they were (exact consent counts, resets)
        result.counts.update(seed_personal_data(seed=seed))
    from haumai.support.sla.demo import seed_sla

    result.counts.update(seed_sla())
    from haumai.bot.conf import silenced
    from haumai.support.demo import seed_support

    with silenced():  # the demo tickets are agents' conversations; the bot plays its own ones below
        result.counts.update(seed_support())
    from haumai.analytics import rollups
    from haumai.shipping.demo import DAYS, seed_shipping

    result.counts.update(seed_shipping(seed=seed))
    today = clock.today()  # tickets and deliveries came after the surveys' rollups: their figures of recent days
    recent = rollups.refresh_days(today - dt.timedelta(days=DAYS), today, sources=("support", "shipping"))
    result.counts["analytics.recent_rollups"] = recent
    from haumai.recommendations.services import retrain
    from haumai.segments.demo import seed_segments

    result.counts.update(seed_segments())
    result.counts["recommendations.association"] = retrain()

    from haumai.returns.demo import seed_return_terms

    result.counts.update(seed_return_terms())
    from haumai.inventory.demo import seed_inventory

    result.counts.update(seed_inventory(seed=seed))
    from haumai.shipping.demo_deliveries import seed_forward_shipments

    result.counts.update(seed_forward_shipments(seed=seed))
    from haumai.knowledge.demo import seed_knowledge

    result.counts.update(seed_knowledge(seed=seed))
    from haumai.integrations.demo import seed_imports

    result.counts.update(seed_imports())
    if customers >= PERSONAL_DATA_FROM:  # the bot's chat visitors are new contacts: not in exact-count test worlds
        result.counts.update(_seed_bot())
    _analyze()
    result.bulk_seconds = time.monotonic() - bulk_started
    result.seconds = time.monotonic() - started
    result.sample = _sample()
    _report(result, out)
    return result


def _seed_bot() -> dict[str, int]:
    """The bot's demo conversations; the contacts its chat visitors became get the demo clock's time.

    `Customer.created_at` is filled by Django from the wall clock (auto_now_add), not the product clock the
    demo runs on, so without this two runs with the same seed differed in those contacts' creation times."""
    from haumai.bot.demo import seed_bot

    newest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    counts = seed_bot()
    Customer.objects.filter(pk__gt=newest).update(created_at=clock.now())
    return counts


def _write_customers(
    generator: CustomerGenerator, result: DemoResult, out: Callable[[str], None], since: float,
    reindex: list[Table], workers: int,
) -> None:
    """Generate chunk after chunk (in `workers` processes when > 1) and write them.

    On PostgreSQL (outside an enclosing transaction) a writer thread with its own connection COPYs
    chunk k while this thread generates chunk k+1, so the database's work overlaps the generator's.
    The queue holds at most two chunks, so memory stays flat. With `reindex` (large runs) the load
    is a single transaction around deferred_indexes(); otherwise each chunk commits on its own.
    """
    plan = generator.plan
    chunk_count = -(-plan.customers // plan.chunk_size)
    report_every = max(1, chunk_count // 20)
    pipelined = connection.vendor == "postgresql" and not connection.in_atomic_block
    source = ChunkSource(generator, workers)  # forks its workers before the writer thread starts
    writer = _WriterThread(reindex) if pipelined else None
    sequential = contextlib.ExitStack()
    sequential.enter_context(source)
    if writer is None and reindex:
        sequential.enter_context(transaction.atomic())
        sequential.enter_context(deferred_indexes(reindex))
    try:
        with sequential:
            for number, rows in enumerate(source, start=1):
                if writer is not None:
                    writer.submit(rows)
                else:
                    with transaction.atomic():
                        write_rows(rows)
                _add_counts(result, rows)
                if number % report_every == 0 or number == chunk_count:
                    elapsed = time.monotonic() - since
                    done = result.customers
                    out(
                        f"  {done:>10,} customers  {result.orders:>10,} orders  {elapsed:7.1f} s"
                        f"  {done / elapsed:9,.0f} customers/s"
                    )
            if reindex:
                out(f"  building the indexes of {len(reindex)} tables…")
    finally:
        if writer is not None:
            writer.finish()


class _WriterThread:
    """Writes submitted chunks in order on the thread's own connection."""

    def __init__(self, reindex: list[Table]) -> None:
        self.reindex = reindex
        self.queue: queue.Queue[Rows | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            _tune_session()
            if self.reindex:
                with transaction.atomic(), deferred_indexes(self.reindex):
                    self._drain(per_chunk_transaction=False)
            else:
                self._drain(per_chunk_transaction=True)
        except BaseException as exc:  # handed to the generating thread
            self.error = exc
            while self.queue.get() is not None:  # let the producer finish putting
                pass
        finally:
            connection.close()

    def _drain(self, *, per_chunk_transaction: bool) -> None:
        while (rows := self.queue.get()) is not None:
            if per_chunk_transaction:
                with transaction.atomic():
                    write_rows(rows)
            else:
                write_rows(rows)

    def submit(self, rows: Rows) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(rows)

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _add_counts(result: DemoResult, rows: Rows) -> None:
    for name, batch in rows.items():
        result.counts[name] = result.counts.get(name, 0) + len(batch)


def _tune_session() -> None:
    """PostgreSQL bulk-load settings for this session only.

    Demo rows are easily recreated, so commits need not wait for the WAL flush. The generator
    links rows by construction (the test suite checks every foreign key on both databases), so
    when the role may (superuser) the per-row foreign-key triggers are skipped with
    session_replication_role = replica; they otherwise cost as much as the load itself.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET session_replication_role TO replica")


def _analyze() -> None:
    """Fresh planner statistics after a bulk load: PostgreSQL's autovacuum may not have looked at the new rows
    yet, and some pages then pick slow plans (the customer's recommendations took ~32 ms instead of ~6 ms)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _restore_session() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")
        cursor.execute("RESET session_replication_role")


def _sample() -> dict[str, str]:
    customer = Customer.objects.filter(orders__isnull=False).order_by("pk").first()
    if customer is None:
        return {}
    order = customer.orders.order_by("placed_at").first()
    return {"name": customer.full_name, "phone": customer.phone or "", "order": order.code if order else ""}


def _report(result: DemoResult, out: Callable[[str], None]) -> None:
    counts = result.counts
    out(
        f"Demo data ready: {result.customers:,} customers, {result.orders:,} orders "
        f"({counts.get(ORDER_LINE.name, 0):,} lines), {counts.get(UNIT.name, 0):,} serialised units, "
        f"{counts.get(EVENT.name, 0):,} timeline events in {result.seconds:.1f} s "
        f"({result.customers_per_second:,.0f} customers/s, {result.orders_per_second:,.0f} orders/s)."
    )
    out(f"Staff logins (password: {reference.DEMO_PASSWORD}):")
    for login in result.staff:
        extra = " (superuser)" if login.role == "admin" else ""
        out(f"  {login.username:<11} {login.role:<11} {login.full_name}{extra}")
    if result.sample:
        sample = result.sample
        out(f"Try a lookup: {sample['name']}, phone {sample['phone']}, order {sample['order']}")
