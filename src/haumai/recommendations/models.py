"""Product associations learned from order lines: bought together, and bought X then later Y."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationKind(models.TextChoices):
    TOGETHER = "together", _("Frequently bought together")
    LATER = "later", _("Bought later")


class Association(models.Model):
    """A rule product -> other with its support, confidence and lift (a full retrain replaces them all).

    together: baskets are orders; later: baskets are customers, `other` bought within the window after `product`.
    """

    kind = models.CharField(max_length=10, choices=AssociationKind.choices)
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    pair_count = models.PositiveIntegerField()
    support = models.FloatField()
    confidence = models.FloatField()
    lift = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "product", "other"], name="association_unique"),
        ]
        indexes = [models.Index(fields=["product", "kind", "-confidence"], name="association_product")]

    def __str__(self) -> str:
        return f"{self.kind} {self.product_id}->{self.other_id}"


class PopularProduct(models.Model):
    """A best seller of the last 90 days at training time, with the share of buying customers who bought it
    (what a customer is offered when no learned rule beats it)."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="+")
    share = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["-share"], name="popular_share")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.share:.3f}"


class TrainingSchedule(models.Model):
    """When the worker retrains next (one row), and what the last run took."""

    key = models.CharField(max_length=30, unique=True)
    due_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_seconds = models.FloatField(null=True, blank=True)
    last_rules = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.key
