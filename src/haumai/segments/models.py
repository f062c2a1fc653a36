"""Saved customer segments (rules, materialized members) and RFM scores per customer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _empty_rules() -> dict[str, object]:
    return {}


class Segment(models.Model):
    """A saved rule over customers; its members are materialized on each refresh."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    search_key = models.CharField(max_length=120, db_index=True, help_text="name without diacritics")
    description = models.CharField(_("description"), max_length=300, blank=True)
    rules = models.JSONField(default=_empty_rules, blank=True)
    size = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        permissions = [("export_segment", "Can export a segment's members as CSV")]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="segment_updated")]

    def __str__(self) -> str:
        return self.name


class SegmentMember(models.Model):
    """One customer in a segment as of the segment's last refresh."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["segment", "customer"], name="segmentmember_unique")]
        indexes = [models.Index(fields=["customer"], name="segmentmember_customer")]

    def __str__(self) -> str:
        return f"{self.segment_id}:{self.customer_id}"


class CustomerRfm(models.Model):
    """Recency, frequency and monetary scores (1-5, quintiles of the buying customers), recomputed nightly."""

    customer = models.OneToOneField(
        "customers.Customer", primary_key=True, on_delete=models.CASCADE, related_name="rfm"
    )
    last_order_at = models.DateTimeField()
    orders = models.PositiveIntegerField()
    spend = models.BigIntegerField(help_text="VND, orders not cancelled")
    recency_score = models.PositiveSmallIntegerField()
    frequency_score = models.PositiveSmallIntegerField()
    monetary_score = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["recency_score", "frequency_score", "monetary_score"], name="rfm_scores"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} R{self.recency_score}F{self.frequency_score}M{self.monetary_score}"

    @property
    def code(self) -> str:
        return f"{self.recency_score}{self.frequency_score}{self.monetary_score}"


class RefreshSchedule(models.Model):
    """When the worker recomputes RFM and refreshes every segment next (one row, claimed when due)."""

    key = models.CharField(max_length=30, unique=True)
    due_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_seconds = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
