"""Importing customers, products and orders from CSV/XLSX files: all-or-nothing by default."""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path
from typing import Any, Protocol

from django.db import transaction

from haumai.core import clock
from haumai.events.services import record_event, record_events
from haumai.integrations.importing import customers, orders, products, progress
from haumai.integrations.importing.files import Column, Table, read_table
from haumai.integrations.importing.problems import default_report_path, write_problems
from haumai.integrations.importing.report import FileRejected, ImportResult
from haumai.integrations.models import ImportRun
from haumai.sales.models import Order

KINDS = ("customers", "products", "orders")
# The run keeps the first problems inline for a quick look; every problem goes to the run's CSV report.
MAX_STORED_ERRORS = 1000
logger = logging.getLogger(__name__)
ACTOR_LABEL = "import"


class _Importer(Protocol):
    def validate(self) -> None: ...

    def write(self) -> Any: ...


_SPECS: dict[str, tuple[tuple[Column, ...], tuple[tuple[str, ...], ...], Any]] = {
    "customers": (customers.COLUMNS, customers.ONE_OF, customers.CustomersImport),
    "products": (products.COLUMNS, (), products.ProductsImport),
    "orders": (orders.COLUMNS, (), orders.OrdersImport),
}


def columns_of(kind: str) -> tuple[Column, ...]:
    """The documented columns of one kind of import file."""
    return _SPECS[kind][0]


def import_file(
    *,
    kind: str,
    path: Path | str,
    actor: Any = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    file_format: str | None = None,
    file_name: str | None = None,
    order_events: bool = False,
    report_path: Path | str | None = None,
    run: ImportRun | None = None,
) -> ImportResult:
    """Validate a file and import it in one transaction; any invalid row rejects it unless skip_invalid.

    Every problem found is written to a CSV report (`report_path`, by default
    import-reports/import-run-<id>-problems.csv under the data directory), named on the result and the run.

    `run` is a queued run (an upload from the console or the API) to carry out instead of a new one.

    One `import.completed` event summarises the run. Imported orders are history, so they do not
    fire one `order.imported` event each unless `order_events` is set (journeys and webhooks would
    otherwise react to years-old purchases, and the events would cost more than the orders).
    """
    if kind not in _SPECS:
        raise ValueError(f"unknown import kind '{kind}' (use one of: {', '.join(KINDS)})")
    # A big file allocates millions of small objects that all stay alive until the end; the cyclic
    # garbage collector would rescan them again and again (a third of the run time at 200,000 lines).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_file(
            kind=kind, path=Path(path), actor=actor, dry_run=dry_run, skip_invalid=skip_invalid,
            file_format=file_format, file_name=file_name, order_events=order_events,
            report_path=Path(report_path) if report_path else None, run=run,
        )  # fmt: skip
    finally:
        if collecting:
            gc.enable()


def _import_file(
    *,
    kind: str,
    path: Path,
    actor: Any,
    dry_run: bool,
    skip_invalid: bool,
    file_format: str | None,
    file_name: str | None,
    order_events: bool,
    report_path: Path | None,
    run: ImportRun | None,
) -> ImportResult:
    started = time.perf_counter()
    result = ImportResult(kind=kind, file_name=file_name or path.name, dry_run=dry_run, skip_invalid=skip_invalid)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if run is None:
        run = ImportRun.objects.create(
            kind=kind, file_name=result.file_name[:255], dry_run=dry_run, actor=user, started_at=clock.now()
        )
    else:
        run.status, run.started_at = "running", clock.now()
        run.save(update_fields=["status", "started_at"])
    result.run_id = run.pk
    with progress.reporting(run.pk):
        return _run(run, result, path, kind, actor, file_format, order_events, report_path, started)


def _run(
    run: ImportRun,
    result: ImportResult,
    path: Path,
    kind: str,
    actor: Any,
    file_format: str | None,
    order_events: bool,
    report_path: Path | None,
    started: float,
) -> ImportResult:
    progress.report("read", force=True)
    try:
        columns, one_of, importer_class = _SPECS[kind]
        try:
            table: Table = read_table(path, columns, file_format=file_format, one_of=one_of)
        except FileRejected as exc:
            result.status, result.rejection = "rejected", exc.message
            _finish(run, result, started)
            return result
        result.timings["read"] = time.perf_counter() - started
        progress.report("validate", 0, len(table.rows), force=True)
        # Only the orders import writes through other apps' services (their deliveries), as the actor.
        extra = {"actor": actor} if kind == "orders" else {}
        importer: _Importer = importer_class(table, result, **extra)
        with transaction.atomic():
            _validate_and_write(importer, result, run, actor=actor, order_events=order_events, started=started)
            committing = time.perf_counter()
        result.timings["commit"] = time.perf_counter() - committing
    except Exception:
        run.status, run.finished_at = "failed", clock.now()
        run.save(update_fields=["status", "finished_at"])
        raise
    _write_report(result, report_path)
    _finish(run, result, started)
    return result


def _validate_and_write(
    importer: _Importer, result: ImportResult, run: ImportRun, *, actor: Any, order_events: bool, started: float
) -> None:
    step = time.perf_counter()
    importer.validate()
    result.timings["validate"] = time.perf_counter() - step
    if result.errors and not result.skip_invalid:
        result.status = "rejected"
        result.rejection = f"{len(result.errors)} problem(s) found; nothing was imported"
        return
    if result.dry_run:
        result.status = "dry_run"
        return
    step = time.perf_counter()
    progress.report("write", 0, 1, force=True)
    written = importer.write()
    result.status = "partial" if result.errors else "completed"
    if result.kind == "orders" and order_events:
        _record_order_events(written, actor)
    result.timings["write"] = time.perf_counter() - step
    result.seconds = time.perf_counter() - started
    record_event(name="import.completed", subject=run, actor=actor, actor_label=ACTOR_LABEL, payload=result.summary())
    _finish(run, result, started)


def _record_order_events(written: list[Any], actor: Any) -> None:
    from haumai.customers.models import Customer

    rows = []
    for plan, _phone in written:
        order = Order(pk=plan.id, code=plan.code)
        rows.append(
            {
                "name": "order.imported",
                "customer": Customer(pk=plan.customer_id),
                "subject": order,
                "actor": actor,
                "actor_label": ACTOR_LABEL,
                "payload": {"code": plan.code, "external_id": plan.external_id, "total": plan.total},
            }
        )
    record_events(rows)


def _write_report(result: ImportResult, requested: Path | None) -> None:
    """Every problem to the CSV report; if the disk refuses it, the run stores them all instead."""
    if not result.errors:
        return
    path = requested or default_report_path(result.run_id)
    try:
        write_problems(path, result.errors)
    except OSError as exc:
        logger.warning("import run #%s: cannot write the problem report %s: %s", result.run_id, path, exc)
        result.report_error = f"cannot write {path}: {exc.strerror or exc}"
        return
    result.report_path = str(path.resolve())


def _finish(run: ImportRun, result: ImportResult, started: float | None) -> None:
    if started is not None:
        result.seconds = time.perf_counter() - started
    run.status = result.status
    run.finished_at = clock.now()
    run.rows_total = result.rows_total
    run.rows_imported = result.rows_imported
    run.rows_invalid = result.rows_invalid
    kept = result.errors if result.report_error else result.errors[:MAX_STORED_ERRORS]
    stored = [e.as_dict() for e in kept]
    if result.rejection and not result.errors:
        stored = [{"line": 0, "column": "", "message": result.rejection}]
    run.errors = stored
    run.problems_total = len(result.errors)
    run.report_file = result.report_path
    run.counts = result.summary()
    run.save(
        update_fields=[
            "status", "finished_at", "rows_total", "rows_imported", "rows_invalid", "errors", "problems_total",
            "report_file", "counts",
        ]
    )  # fmt: skip
