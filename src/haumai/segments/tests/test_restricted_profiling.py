"""A customer who restricted profiling (privacy.restrictions) is in no segment and gets no RFM scores."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.privacy import restrictions
from haumai.segments import services
from haumai.segments.models import CustomerRfm, SegmentMember

pytestmark = pytest.mark.django_db


def test_restricted_customers_leave_segments_and_rfm(world: Any, make_staff: Any) -> None:
    phone = world.product("PHONE", 20_000_000, world.phones)
    kept, restricted, marketing_only = (world.customer(n) for n in ("Giữ", "Hạn chế", "Chỉ tiếp thị"))
    for buyer in (kept, restricted, marketing_only):
        world.order(buyer, phone)
    manager = make_staff("manager")
    segment = services.save_segment(actor=manager, data=services.SegmentInput(
        name="Mua điện thoại", rules={"category": "dien-thoai"}))  # fmt: skip
    assert segment.size == 3
    restrictions.restrict_processing(actor=manager, customer=restricted, purposes=["profiling"], evidence="Gọi 1900")
    restrictions.restrict_processing(
        actor=manager, customer=marketing_only, purposes=["marketing"], evidence="Zalo"
    )
    assert services.refresh_segment(segment=segment) == 2
    members = set(SegmentMember.objects.filter(segment=segment).values_list("customer_id", flat=True))
    assert members == {kept.pk, marketing_only.pk}  # a marketing-only restriction does not stop profiling
    assert services.compute_rfm() == 2
    assert set(CustomerRfm.objects.values_list("customer_id", flat=True)) == {kept.pk, marketing_only.pk}
    restrictions.lift_restriction(actor=manager, customer=restricted, reason="Khách đồng ý lại")
    assert services.refresh_segment(segment=segment) == 3
    assert services.compute_rfm() == 3


def test_all_purposes_stops_profiling_too(world: Any, make_staff: Any) -> None:
    phone = world.product("PHONE", 20_000_000, world.phones)
    buyer = world.customer("Tất cả")
    world.order(buyer, phone)
    restrictions.restrict_processing(actor=make_staff("manager"), customer=buyer, purposes=["all"], evidence="Thư")
    assert services.compute_rfm() == 0
