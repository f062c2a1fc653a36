"""Personal data held by integrations: import runs keep the uploaded file's name and the row errors,
which quote cell values (a phone, a name) (haumai.privacy). A file uploaded in the console or through the API
is kept for the worker and for "import after preview", then deleted by retention (7 days by default)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haumai.integrations.models import ImportRun
from haumai.privacy.registry import SUBJECT_STAFF, Person, PersonalDataSource, PersonalModel, RetentionRule, register
from haumai.privacy.scrub import mentions

BATCH = 1000


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Drop the row errors that quote the person (import runs are not linked to customers)."""
    changed = 0
    with transaction.atomic():
        for run in ImportRun.objects.exclude(errors=[]).only("id", "errors"):
            kept = [error for error in run.errors if not mentions(str(error), person)]
            if len(kept) != len(run.errors):
                run.errors = kept
                run.save(update_fields=["errors"])
                changed += 1
    return {"integrations.importrun": changed}


def purge_import_errors(cutoff: dt.datetime) -> int:
    """Clear the row errors of import runs started before the cutoff (counts stay)."""
    ids = list(ImportRun.objects.filter(started_at__lt=cutoff).exclude(errors=[]).values_list("id", flat=True)[:BATCH])
    return ImportRun.objects.filter(pk__in=ids).update(errors=[])


def purge_import_reports(cutoff: dt.datetime) -> int:
    """Delete the problem-report CSV files (they quote cell values) of runs started before the cutoff."""
    runs = list(
        ImportRun.objects.filter(started_at__lt=cutoff).exclude(report_file="").only("id", "report_file")[:BATCH]
    )
    for run in runs:
        path = Path(run.report_file)
        # Only what the run wrote: a CSV file (never a folder or another kind of file named by mistake).
        if path.suffix.lower() == ".csv" and path.is_file():
            path.unlink()
    return ImportRun.objects.filter(pk__in=[run.pk for run in runs]).update(report_file="")


def purge_uploaded_files(cutoff: dt.datetime) -> int:
    """Delete uploaded import files (whole customer lists) of runs started before the cutoff.

    A file stays while any run that reads it is waiting or running, or started after the cutoff (a preview
    whose import was queued later shares its file)."""
    from haumai.integrations.uploads import LIVE, uploads_dir

    folder = uploads_dir().resolve()
    old = ImportRun.objects.filter(started_at__lt=cutoff).exclude(stored_file="").exclude(status__in=LIVE)
    paths = list(old.values_list("stored_file", flat=True).distinct()[:BATCH])
    still_read = set(
        ImportRun.objects.filter(stored_file__in=paths)
        .filter(Q(status__in=LIVE) | Q(started_at__gte=cutoff))
        .values_list("stored_file", flat=True)
    )
    gone = [name for name in paths if name not in still_read]
    for name in gone:
        path = Path(name)
        # Only a file the upload wrote, in the uploads folder (never a path named by mistake).
        if path.resolve().parent == folder and path.is_file():
            path.unlink()
    return ImportRun.objects.filter(stored_file__in=gone).update(stored_file="")


register(
    PersonalDataSource(
        app="integrations",
        models=(
            PersonalModel(
                "integrations.ImportRun",
                ("file_name", "errors"),
                subject=SUBJECT_STAFF,
                handling="errors quoting the person dropped; errors expire (retention)",
            ),
        ),
        # Created/updated/unchanged counts and timings.
        not_personal={"integrations.ImportRun": ("counts",)},
        anonymize=anonymize,
        retention=(
            RetentionRule(
                key="integrations.import_errors",
                label=_("Import row errors"),
                setting="HAUMAI_RETENTION_IMPORT_ERRORS_DAYS",
                default_days=90,
                purge=purge_import_errors,
            ),
            RetentionRule(
                key="integrations.import_reports",
                label=_("Import problem reports (files)"),
                setting="HAUMAI_RETENTION_IMPORT_FILES_DAYS",
                default_days=90,
                purge=purge_import_reports,
            ),
            RetentionRule(
                key="integrations.uploaded_files",
                label=_("Uploaded import files"),
                setting="HAUMAI_RETENTION_IMPORT_UPLOADS_DAYS",
                default_days=7,
                purge=purge_uploaded_files,
            ),
        ),
    )
)
