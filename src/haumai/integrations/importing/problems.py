"""The full list of an import's problems as a CSV file (the run keeps only the first ones inline)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from haumai.integrations.importing.report import RowError

HEADER = ("line", "column", "message")


def reports_dir() -> Path:
    """Where problem reports go: HAUMAI_IMPORT_REPORTS_DIR, by default <data dir>/import-reports."""
    configured = getattr(settings, "HAUMAI_IMPORT_REPORTS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "import-reports"


def default_report_path(run_id: int | None) -> Path:
    """import-reports/import-run-<id>-problems.csv."""
    return reports_dir() / f"import-run-{run_id}-problems.csv"


def write_problems(path: Path, errors: Iterable[RowError]) -> int:
    """Stream every problem to `path` (UTF-8 with BOM, so spreadsheet apps show Vietnamese); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for error in errors:
            writer.writerow((error.line, error.column, error.message))
            written += 1
    partial.replace(path)  # a reader never sees half a report
    return written
