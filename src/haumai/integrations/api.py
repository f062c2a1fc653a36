"""REST API v1: imports uploaded as files (multipart), queued for the worker, followed by id."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as HttpStatus
from pydantic import Field

from haumai.core import openapi as doc
from haumai.core.permissions import require
from haumai.integrations import uploads
from haumai.integrations.importing.progress import read_progress
from haumai.integrations.models import ImportRun
from haumai.integrations.services import KINDS

router = Router(tags=["imports"])


class ProblemOut(Schema):
    line: int
    column: str
    message: str


class ImportRunOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str = Field(description="queued, running, dry_run (preview passed), completed, partial, rejected, failed")
    dry_run: bool
    skip_invalid: bool
    percent: int = Field(description="progress of a queued or running import, 100 once it ended")
    phase: str = Field(description="queued, read, validate or write while it runs; empty once it ended")
    rows_total: int
    rows_imported: int
    rows_invalid: int
    problems_total: int
    problems: list[ProblemOut] = Field(description="the first problems (every one: the console's CSV report)")
    counts: dict[str, Any]
    started_at: str
    finished_at: str | None


class ImportRunPage(Schema):
    items: list[ImportRunOut]
    has_more: bool


class ImportForm(Schema):
    kind: str = Field(max_length=20, json_schema_extra=doc.one_of(list(KINDS)))
    dry_run: bool = Field(True, description="check every row and write nothing (the preview)")
    skip_invalid: bool = Field(False, description="import the valid rows and report the others")


class RunPath(Schema):
    run_id: int = Field(ge=1, le=2_147_483_647)


class ImportFilters(Schema):
    offset: int = Field(0, ge=0, le=100_000)
    limit: int = Field(20, ge=1, le=100)


def _out(run: ImportRun, *, problems: int = 50) -> dict[str, Any]:
    live = run.status in uploads.LIVE
    progress = (read_progress(run.pk) if live else None) or {}
    return {
        "id": run.pk,
        "kind": run.kind,
        "file_name": run.file_name,
        "status": run.status,
        "dry_run": run.dry_run,
        "skip_invalid": run.skip_invalid,
        "percent": int(progress.get("percent", 0)) if live else 100,
        "phase": str(progress.get("phase", "queued" if run.status == "queued" else "read")) if live else "",
        "rows_total": run.rows_total,
        "rows_imported": run.rows_imported,
        "rows_invalid": run.rows_invalid,
        "problems_total": run.problems_total,
        "problems": run.errors[:problems],
        "counts": run.counts or {},
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


@router.post("", response={202: ImportRunOut}, summary="Upload a CSV or XLSX file to import (the worker runs it)")
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    form: Form[ImportForm],
) -> HttpStatus[dict[str, Any]]:
    user = require(request, uploads.PERMISSION)
    run = uploads.queue_upload(
        actor=user, kind=form.kind, name=file.name or "", size=file.size or 0, stream=file,
        dry_run=form.dry_run, skip_invalid=form.skip_invalid,
    )  # fmt: skip
    return HttpStatus(202, _out(run))


@router.get("", response=ImportRunPage, summary="List import runs, newest first")
def list_imports(request: HttpRequest, filters: Query[ImportFilters]) -> dict[str, Any]:
    require(request, "integrations.view_importrun")
    rows = list(ImportRun.objects.order_by("-started_at", "-pk")[filters.offset : filters.offset + filters.limit + 1])
    return {"items": [_out(r, problems=5) for r in rows[: filters.limit]], "has_more": len(rows) > filters.limit}


@router.get("/{run_id}", response=ImportRunOut, summary="Get one import run with its progress and first problems")
def get_import(request: HttpRequest, path: Path[RunPath]) -> dict[str, Any]:
    user = require(request, "integrations.view_importrun")
    return _out(uploads.run_for(actor=user, run_id=path.run_id))


@router.post("/{run_id}/import", response={202: ImportRunOut}, summary="Import the file a passed preview checked")
def confirm_import(request: HttpRequest, path: Path[RunPath]) -> HttpStatus[dict[str, Any]]:
    user = require(request, uploads.PERMISSION)
    run = uploads.import_previewed(actor=user, run=uploads.run_for(actor=user, run_id=path.run_id))
    return HttpStatus(202, _out(run))
