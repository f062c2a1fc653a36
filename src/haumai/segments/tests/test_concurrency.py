"""Parallel refreshes of one segment (PostgreSQL): members are never doubled or lost."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from haumai.segments import services
from haumai.segments.models import Segment, SegmentMember

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_parallel_refreshes_leave_exactly_the_members(world: Any, make_staff: Any) -> None:
    phone = world.product("PHONE", 20_000_000, world.phones)
    for n in range(40):
        world.order(world.customer(f"Khách {n}"), phone)
    segment = services.save_segment(actor=make_staff("manager"), data=services.SegmentInput(
        name="Điện thoại", rules={"category": "dien-thoai"}))  # fmt: skip
    barrier = threading.Barrier(4, timeout=60)
    errors: list[BaseException] = []

    def refresh() -> None:
        try:
            barrier.wait()
            services.refresh_segment(segment=Segment.objects.get(pk=segment.pk))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SegmentMember.objects.filter(segment=segment).count() == 40
    assert Segment.objects.get(pk=segment.pk).size == 40
