"""Reads about staff and their rights."""

from __future__ import annotations

from typing import Any


def can_see_pii(user: Any) -> bool:
    """Whether the user sees full phone numbers, e-mails and addresses (else they are masked)."""
    return bool(user and user.is_authenticated and user.has_perm("customers.view_customer_pii"))
