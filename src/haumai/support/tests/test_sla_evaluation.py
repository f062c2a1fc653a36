"""Evaluating many tickets: one policy/calendar lookup per scope, states and transitions per ticket."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from haumai.support.models import SlaPolicy
from haumai.support.sla.clocks import TicketTimeline
from haumai.support.sla.evaluation import TicketSlaInput, evaluate

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_many_tickets_few_queries(django_assert_max_num_queries: Any) -> None:
    SlaPolicy.objects.create(name="Khẩn", priority="urgent", first_response_minutes=30, warn_percent=50)
    created = dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN)
    rows = [TicketSlaInput(key=n, timeline=TicketTimeline(created_at=created + dt.timedelta(minutes=n % 40)),
                           priority="urgent" if n % 2 else "normal", channel="zalo",
                           previous_states={"first_response": "ok"}) for n in range(400)]
    with django_assert_max_num_queries(12):
        results = list(evaluate(rows, now=dt.datetime(2026, 12, 2, 9, 50, tzinfo=VN)))
    assert len(results) == 400
    urgent = {r.key: r for r in results if r.key % 2}  # type: ignore[operator]
    late = urgent[1]  # created 09:01, 30 min target: breached at 09:50
    assert late.states["first_response"] == "breached"
    assert [(t.clock, t.event) for t in late.transitions] == [("first_response", "sla.breached")]
    warned = urgent[39]  # created 09:39: 11 of 30 minutes used, under the 50 % warning
    assert warned.states["first_response"] == "ok" and warned.transitions == []
    near = urgent[33]  # created 09:33: 17 of 30 minutes, past the policy's 50 % warning
    assert [(t.clock, t.event) for t in near.transitions] == [("first_response", "sla.warning")]
    normal = next(r for r in results if r.key == 0)
    # Default 4 business hours from 09:00: 3 h before lunch, 1 h after 13:30.
    assert normal.states["first_response"] == "ok"
    assert normal.next_due_at == dt.datetime(2026, 12, 2, 14, 30, tzinfo=VN)
