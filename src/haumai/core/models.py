"""Domain-free models shared by every app."""

from __future__ import annotations

from django.db import models


class CodeSequence(models.Model):
    """Counter behind human-readable codes such as ORD-2026-000123, one row per prefix and year."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="core_codesequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class TimeStampedModel(models.Model):
    """Adds created_at / updated_at."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
