"""Writes of shipping."""

from __future__ import annotations
