"""The demo has a warranty for every delivered serialised line (none for undelivered ones) and a few claims."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.demo.seed import seed_demo
from haumai.sales.models import OrderLine
from haumai.warranty.models import Claim, Warranty


@pytest.mark.django_db
def test_demo_creates_warranties_for_delivered_units(settings: Any) -> None:
    result = seed_demo(customers=200, out=lambda line: None)
    delivered = OrderLine.objects.filter(
        unit__isnull=False, order__status__in=("delivered", "completed"), product__warranty_months__gt=0
    ).count()
    assert delivered > 0 and Warranty.objects.count() == delivered == result.counts["warranty_warranty"]
    assert not Warranty.objects.exclude(order_line__order__status__in=("delivered", "completed")).exists()
    assert Warranty.objects.filter(status="pending").exists() and Warranty.objects.filter(status="active").exists()
    assert len(set(Warranty.objects.values_list("code", flat=True))) == delivered
    repair_claims = result.counts.get("repairs_warranty_claim", 0)  # the demo repairs file their own claims
    assert Claim.objects.count() == result.counts["warranty_claim"] + repair_claims > 0
