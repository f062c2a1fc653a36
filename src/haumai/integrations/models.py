"""Integrations: import runs (outbound webhooks arrive with the messaging issue)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """A record of one import file: what, who, how many rows, and the errors reported."""

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="the first problems (all of them: report_file)")
    problems_total = models.PositiveIntegerField(default=0)
    report_file = models.CharField(max_length=500, blank=True, help_text="CSV with every problem of the run")
    counts = models.JSONField(default=dict, blank=True, help_text="created, updated, unchanged, seconds ...")
    status = models.CharField(max_length=20, default="running")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.status}"
