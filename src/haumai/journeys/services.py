"""Writes of journeys."""

from __future__ import annotations
