"""Returns, exchanges and refunds: policies, RMA lifecycle, receiving and restock."""

from __future__ import annotations

from django.db import models  # noqa: F401
