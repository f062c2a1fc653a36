"""Console views of journeys."""

from __future__ import annotations
