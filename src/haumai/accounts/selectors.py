"""Reads about staff and their rights."""

from __future__ import annotations

from typing import Any


def can_see_pii(user: Any) -> bool:
    """Whether the user sees full phone numbers, e-mails and addresses (else they are masked)."""
    return bool(user and user.is_authenticated and user.has_perm("customers.view_customer_pii"))


def can_look_up_by_contact(user: Any) -> bool:
    """Whether the user may find a customer by phone or e-mail (a yes/no answer reveals personal data)."""
    return can_see_pii(user)


def shown_phone(user: Any, phone: str | None) -> str:
    """A phone number as this user may see it (masked without the PII permission)."""
    from haumai.core.phone import mask_phone

    if not phone:
        return ""
    return phone if can_see_pii(user) else mask_phone(phone)


def shown_email(user: Any, email: str | None) -> str:
    """An e-mail address as this user may see it."""
    from haumai.core.text import mask_email

    if not email:
        return ""
    return email if can_see_pii(user) else mask_email(email)
