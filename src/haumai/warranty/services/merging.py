"""Customer merge: warranties, extended plans and claims of a merged customer follow them."""

from __future__ import annotations

from typing import Any

from haumai.warranty.models import Claim, ExtendedCoverage, Warranty


def reassign_customer_warranties(*, source: Any, target: Any) -> int:
    """Move warranties, extended coverages and claims of `source` to `target`; returns the warranties moved."""
    moved = Warranty.objects.filter(customer=source).update(customer=target)
    ExtendedCoverage.objects.filter(customer=source).update(customer=target)
    Claim.objects.filter(customer=source).update(customer=target)
    return moved
