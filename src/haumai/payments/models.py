"""Payments on orders and refunds through VNPay, MoMo, bank transfer, cash and store credit."""

from __future__ import annotations

from django.db import models  # noqa: F401
