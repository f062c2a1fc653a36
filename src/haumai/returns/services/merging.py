"""Customer merge: the returns of a merged customer follow them."""

from __future__ import annotations

from typing import Any

from haumai.returns.models import ReturnRequest


def reassign_customer_returns(*, source: Any, target: Any) -> int:
    """Move every return request of `source` to `target`; returns how many moved."""
    return ReturnRequest.objects.filter(customer=source).update(customer=target)
