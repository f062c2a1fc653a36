"""Background work of the privacy app (django-tasks; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_export_task(request_id: int) -> None:
    """Build the export ZIP of one request (idempotent: a built or closed request is left alone)."""
    from haumai.privacy import services

    services.build_export(request_id=request_id)
