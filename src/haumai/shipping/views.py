"""Console views of shipping."""

from __future__ import annotations
