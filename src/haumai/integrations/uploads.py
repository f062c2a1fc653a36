"""Imports uploaded from the console or the API: store the file, queue the run, let the worker carry it out.

A dry run is the preview: the worker checks every row and counts what would be created, updated or left
unchanged, writing nothing; "import this file" then queues the real run from the same stored file. The same
file (by SHA-256) cannot be queued twice for the same kind while the first run waits or runs (a partial
unique constraint, so two parallel uploads cannot both pass). A run that ended is history: uploading the
file again imports it again, which for orders and customers is an upsert (unchanged rows stay unchanged).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from haumai.integrations.importing.files import FORMATS
from haumai.integrations.models import ImportRun
from haumai.integrations.services import KINDS, import_file

logger = logging.getLogger(__name__)
PERMISSION = "integrations.add_importrun"
SUFFIXES = {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "xlsm": "xlsx"}
LIVE = ("queued", "running")


def uploads_dir() -> Path:
    """Where uploaded files wait for the worker: <data dir>/import-uploads (shared by web and worker)."""
    configured = getattr(settings, "HAUMAI_IMPORT_UPLOADS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "import-uploads"


def _check(actor: Any, kind: str, name: str, size: int) -> str:
    if actor is None or not actor.has_perm(PERMISSION):
        raise Forbidden(_("You do not have permission to import files."))
    problems = []
    if kind not in KINDS:
        problems.append(FieldError("kind", _("Choose what the file holds: customers, products or orders."), "invalid"))
    suffix = SUFFIXES.get(Path(name).suffix.lower().lstrip("."), "")
    if not suffix:
        problems.append(FieldError("file", _("Upload a CSV (UTF-8) or Excel .xlsx file."), "wrong_format"))
    limit = int(settings.HAUMAI_MAX_IMPORT_BYTES)
    if size == 0:
        problems.append(FieldError("file", _("The file is empty."), "empty"))
    elif size > limit:
        problems.append(
            FieldError(
                "file",
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {"size": size / 1024 / 1024, "limit": limit / 1024 / 1024},
                "too_large",
            )
        )
    if problems:
        raise ValidationFailed(_("The file cannot be imported."), problems)
    return suffix


def _store(stream: IO[bytes], suffix: str) -> tuple[Path, str, int]:
    """Copy the upload to the uploads folder in chunks; returns (path, sha256, size)."""
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clock.now():%Y%m%d}-{secrets.token_hex(8)}.{suffix}"
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as handle:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    path.chmod(0o600)
    return path, digest.hexdigest(), size


def queue_upload(
    *, actor: Any, kind: str, name: str, size: int, stream: IO[bytes], dry_run: bool = True, skip_invalid: bool = False
) -> ImportRun:
    """Store an uploaded file and queue its run (a dry run by default: the preview)."""
    name = "".join(ch for ch in name if ch.isprintable())  # a NUL or a control character cannot be stored
    suffix = _check(actor, kind, name, size)
    path, digest, stored_size = _store(stream, suffix)
    if stored_size > int(settings.HAUMAI_MAX_IMPORT_BYTES):  # the declared size was wrong
        path.unlink(missing_ok=True)
        _check(actor, kind, name, stored_size)
    return _queue(
        actor=actor, kind=kind, name=Path(name).name[:255], path=path, digest=digest, size=stored_size,
        dry_run=dry_run, skip_invalid=skip_invalid,
    )  # fmt: skip


def import_previewed(*, actor: Any, run: ImportRun) -> ImportRun:
    """Queue the real import of a file whose dry run passed (or passed with skipped rows)."""
    if actor is None or not actor.has_perm(PERMISSION):
        raise Forbidden(_("You do not have permission to import files."))
    if not run.dry_run or run.status != "dry_run":
        raise Conflict(_("Only a preview that found the file importable can be imported."), code="not_previewed")
    if run.rows_invalid and not run.skip_invalid:
        raise Conflict(_("The preview found problems; fix the file and upload it again."), code="has_problems")
    path = Path(run.stored_file)
    if not run.stored_file or not path.exists():
        raise Conflict(_("The uploaded file is no longer kept; upload it again."), code="file_gone")
    return _queue(
        actor=actor, kind=run.kind, name=run.file_name, path=path, digest=run.file_sha256, size=run.file_size,
        dry_run=False, skip_invalid=run.skip_invalid,
    )  # fmt: skip


def _queue(
    *, actor: Any, kind: str, name: str, path: Path, digest: str, size: int, dry_run: bool, skip_invalid: bool
) -> ImportRun:
    from haumai.integrations.tasks import run_import_task

    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                kind=kind, file_name=name, dry_run=dry_run, skip_invalid=skip_invalid, actor=actor,
                started_at=clock.now(), status="queued", stored_file=str(path), file_sha256=digest, file_size=size,
            )  # fmt: skip
    except IntegrityError:
        waiting = ImportRun.objects.filter(kind=kind, file_sha256=digest, dry_run=dry_run, status__in=LIVE).first()
        if not ImportRun.objects.filter(stored_file=str(path)).exists():
            path.unlink(missing_ok=True)
        raise Conflict(
            _("This file is already being imported (run #%(run)s); wait for it to finish.")
            % {"run": waiting.pk if waiting else "?"},
            code="already_queued",
        ) from None
    transaction.on_commit(lambda: run_import_task.enqueue(run.pk))
    return run


def run_queued(run_id: int) -> ImportRun | None:
    """Worker: carry out a queued run (idempotent: a run already started or finished is left alone)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != "queued":
            return run
        run.status = "running"
        run.save(update_fields=["status"])
    fmt = Path(run.stored_file).suffix.lstrip(".")
    import_file(
        kind=run.kind, path=run.stored_file, actor=run.actor, dry_run=run.dry_run, skip_invalid=run.skip_invalid,
        file_format=fmt if fmt in FORMATS else None, file_name=run.file_name, run=run,
    )  # fmt: skip
    run.refresh_from_db()
    return run


def run_for(*, actor: Any, run_id: int) -> ImportRun:
    """One run, for someone who may see imports."""
    if actor is None or not actor.has_perm("integrations.view_importrun"):
        raise Forbidden(_("You do not have permission to see imports."))
    run = ImportRun.objects.select_related("actor").filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("There is no import #%(run)s.") % {"run": run_id})
    return run
