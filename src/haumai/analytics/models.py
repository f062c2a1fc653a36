"""Daily KPI rollups: one row per local day (Asia/Ho_Chi_Minh) and metric, maintained by the worker."""

from __future__ import annotations

from django.db import models


class DailyMetric(models.Model):
    """The day's counts and sums for one metric; KPIs over a range add rows up (see analytics.kpis).

    n: how many (responses, units, refunds); hits / misses: CSAT 4-5 or NPS promoters / NPS detractors;
    total: sum of scores (CES), of cycle seconds (refunds) or of VND (value tied up, a snapshot at day end).
    """

    day = models.DateField()
    metric = models.CharField(max_length=30)
    n = models.BigIntegerField(default=0)
    hits = models.BigIntegerField(default=0)
    misses = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metric", "day"], name="dailymetric_once")]
        permissions = [("view_dashboard", "Can view KPI dashboards and exports")]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}"


class RollupSchedule(models.Model):
    """When the worker refreshes the rollups next (one row; the scheduler claims it when due)."""

    key = models.CharField(max_length=30, unique=True)
    due_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class SummaryOptOut(models.Model):
    """A staff member who asked not to receive the weekly KPI e-mail (no row: they receive it)."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="+")
    opted_out_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}"
