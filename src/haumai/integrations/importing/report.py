"""What an import found and did: row errors, counts and the rejection of a whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or the whole row when column is empty)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return self.message
        if not self.column:
            return f"line {self.line}: {self.message}"
        return f"line {self.line}, column {self.column}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """JSON form stored on the ImportRun."""
        return {"line": self.line, "column": self.column, "message": self.message}


class FileRejected(Exception):
    """The file as a whole cannot be imported (size, format, headers); nothing was read or written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    """Counts and errors of one import run."""

    kind: str
    file_name: str
    dry_run: bool = False
    skip_invalid: bool = False
    rows_total: int = 0
    rows_valid: int = 0
    rows_invalid: int = 0
    rows_imported: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    status: str = "running"
    seconds: float = 0.0
    rejection: str = ""
    run_id: int | None = None
    report_path: str = ""
    report_error: str = ""

    @property
    def rows_per_second(self) -> float:
        """Throughput over the whole run (reading, validating and writing)."""
        return self.rows_total / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        """The counts as a JSON-friendly mapping (ImportRun payload and event payload)."""
        return {
            "kind": self.kind,
            "file": self.file_name,
            "status": self.status,
            "dry_run": self.dry_run,
            "rows": self.rows_total,
            "valid": self.rows_valid,
            "invalid": self.rows_invalid,
            "problems": len(self.errors),
            "imported": self.rows_imported,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            **self.extra,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second),
        }
