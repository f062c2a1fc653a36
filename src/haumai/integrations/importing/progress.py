"""How far a running import is, readable from another process while its transaction is still open.

An import writes everything in one transaction, so its rows (and any progress stored in the database) are
invisible to the console until it commits; and on SQLite a second writer would wait for that same
transaction. The worker therefore writes its progress to a small JSON file in the data directory
(`<data dir>/import-progress/import-run-<id>.json`), replaced atomically and at most a few times a
second; the console's progress bar reads it. The uploaded file already lives in the data directory the web
and the worker share, so this adds no new requirement.

Phases and their share of the bar: reading the file 0-30 %, checking the rows 30-50 %, writing 50-100 %.
"""

from __future__ import annotations

import contextvars
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

PHASES = {"queued": (0, 0), "read": (0, 30), "validate": (30, 50), "write": (50, 100)}
MIN_INTERVAL_SECONDS = 0.25


class _Reporter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = 0.0

    def report(self, phase: str, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < MIN_INTERVAL_SECONDS:
            return
        self.last = now
        start, end = PHASES.get(phase, (0, 100))
        share = min(done / total, 1.0) if total > 0 else 0.0
        data = {"phase": phase, "done": done, "total": total, "percent": round(start + (end - start) * share)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, self.path)


_current: contextvars.ContextVar[_Reporter | None] = contextvars.ContextVar("import_progress", default=None)


def progress_path(run_id: int) -> Path:
    """<data dir>/import-progress/import-run-<id>.json (HAUMAI_IMPORT_PROGRESS_DIR overrides the folder)."""
    configured = getattr(settings, "HAUMAI_IMPORT_PROGRESS_DIR", None)
    folder = Path(configured) if configured else Path(settings.DATA_DIR) / "import-progress"
    return folder / f"import-run-{run_id}.json"


@contextmanager
def reporting(run_id: int) -> Iterator[None]:
    """Within this block, `report()` writes the progress of run `run_id`; the file is removed at the end."""
    reporter = _Reporter(progress_path(run_id))
    token = _current.set(reporter)
    try:
        yield
    finally:
        _current.reset(token)
        reporter.path.unlink(missing_ok=True)


def report(phase: str, done: int = 0, total: int = 0, *, force: bool = False) -> None:
    """Tell the console how far the import is (a no-op outside `reporting`, e.g. for the command line)."""
    reporter = _current.get()
    if reporter is not None:
        reporter.report(phase, done, total, force=force)


def read_progress(run_id: int) -> dict[str, Any] | None:
    """The last progress written for a running import, or None (not started, finished, or unreadable)."""
    try:
        data = json.loads(progress_path(run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
