"""Console forms: the staff login (the login policy lives in haumai.accounts)."""

from __future__ import annotations

from haumai.accounts.forms import StaffLoginForm

__all__ = ["StaffLoginForm"]
