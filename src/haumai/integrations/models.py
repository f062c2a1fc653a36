"""Integrations: import runs (outbound webhooks arrive with the messaging issue)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"customers": _("Customers"), "products": _("Products"), "orders": _("Orders")}


class ImportRun(models.Model):
    """A record of one import file: what, who, how many rows, and the errors reported.

    A run started from the command line runs at once. A file uploaded in the console or through the API is
    stored (`stored_file`) and waits as `queued` until the worker runs it; its progress while running is in
    a small file in the data directory (haumai.integrations.importing.progress), since the import's own transaction
    hides its rows from every other connection until it commits.
    """

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
    skip_invalid = models.BooleanField(default=False)
    stored_file = models.CharField(max_length=500, blank=True, help_text="the uploaded file, kept for the worker")
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-started_at"], name="importrun_recent")]
        constraints = [
            # The same file uploaded twice while the first is still waiting or running is refused.
            models.UniqueConstraint(
                fields=["kind", "file_sha256", "dry_run"],
                condition=models.Q(status__in=("queued", "running")) & ~models.Q(file_sha256=""),
                name="importrun_one_live_per_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.status}"

    @property
    def kind_label(self) -> str:
        """What the file holds, in the reader's language ("Khách hàng", not "customers")."""
        return str(KIND_LABELS.get(self.kind, self.kind))
