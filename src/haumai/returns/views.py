"""Console views of returns."""

from __future__ import annotations
