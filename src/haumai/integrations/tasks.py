"""Background work of the integrations app (django-tasks; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(run_id: int) -> None:
    """Carry out an uploaded import (idempotent: a run already started or finished is left alone)."""
    from haumai.integrations import uploads

    uploads.run_queued(run_id)
