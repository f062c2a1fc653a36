"""Reads of payments."""

from __future__ import annotations
