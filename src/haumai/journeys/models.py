"""Proactive care journeys: triggers, conditions, steps, runs advanced by the scheduler."""

from __future__ import annotations

from django.db import models  # noqa: F401
