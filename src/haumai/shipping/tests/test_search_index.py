"""The console search looks a shipment up by the carrier's tracking code alone: that lookup has an index."""

from __future__ import annotations

import pytest
from django.db import connection

from haumai.shipping.models import Shipment

pytestmark = pytest.mark.django_db


def test_tracking_code_lookup_uses_an_index() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Tiny test tables would be scanned anyway; forbid that to see whether an index can serve it.
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Shipment.objects.filter(tracking_code="GHN123456").explain()
    assert "shipment_tracking" in plan, plan
