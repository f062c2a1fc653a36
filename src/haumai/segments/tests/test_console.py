"""Console pages: list, live preview with warnings, editor errors, members, CSV export, permissions, 360, search."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.console.selectors import global_search
from haumai.journeys.conditions import branch_holds
from haumai.privacy.models import AccessLog
from haumai.segments import services
from haumai.segments.models import Segment

pytestmark = pytest.mark.django_db


def make_segment(world: Any, make_staff: Any, buyers: int = 30) -> Segment:
    phone = world.product("PHONE", 20_000_000, world.phones)
    for n in range(buyers):
        world.order(world.customer(f"Trần Thị Bích {n}"), phone)
    world.customer("Không mua gì")
    return services.save_segment(actor=make_staff("manager"), data=services.SegmentInput(
        name="Khách mua điện thoại", rules={"category": "dien-thoai"}))  # fmt: skip


def test_list_detail_and_export(world: Any, make_staff: Any, client: Any, django_assert_max_num_queries: Any) -> None:
    segment = make_segment(world, make_staff)
    client.force_login(make_staff("manager", "manager2"))
    with django_assert_max_num_queries(15):
        page = client.get("/console/segments/")
    assert page.status_code == 200 and "Khách mua điện thoại" in page.content.decode()
    assert "Khách mua" in client.get("/console/segments/", {"q": "khach mua dien"}).content.decode()
    with django_assert_max_num_queries(16):
        detail = client.get(f"/console/segments/{segment.key}/")
    body = detail.content.decode()
    assert detail.status_code == 200 and "Không mua gì" not in body and "?page=2" in body
    second = client.get(f"/console/segments/{segment.key}/", {"page": "2"}).content.decode()
    assert "Trần Thị Bích" in second and "?page=3" not in second
    export = client.get(f"/console/segments/{segment.key}/export.csv")
    assert export.status_code == 200 and export.streaming
    text = b"".join(export.streaming_content).decode()
    assert text.count("\n") == 31 and "+8491" in text
    assert AccessLog.objects.filter(action="csv_export", target=segment.key).count() == 1


def test_agent_sees_masked_phones_and_cannot_export_or_edit(world: Any, make_staff: Any, client: Any) -> None:
    segment = make_segment(world, make_staff, buyers=2)
    client.force_login(make_staff("warehouse"))
    assert client.get("/console/segments/").status_code == 403
    client.force_login(make_staff("agent"))
    assert client.get(f"/console/segments/{segment.key}/").status_code == 200
    assert client.get(f"/console/segments/{segment.key}/export.csv").status_code == 403
    assert client.get(f"/console/segments/{segment.key}/edit/").status_code == 403
    assert client.post("/console/segments/new/", {"name": "X", "min_orders": "1"}).status_code == 403
    assert AccessLog.objects.filter(action="csv_export").count() == 0 and Segment.objects.count() == 1


def test_preview_warns_about_nothing_and_everyone_and_editor_keeps_input(
    world: Any, make_staff: Any, client: Any
) -> None:
    make_segment(world, make_staff, buyers=3)
    client.force_login(make_staff("manager", "m2"))
    some = client.get("/console/segments/preview/", {"category": "dien-thoai"}).content.decode()
    assert 'id="preview-size">3 ' in some and "preview-warning" not in some and "Trần Thị Bích" in some
    nothing = client.get("/console/segments/preview/", {"min_orders": "50"}).content.decode()
    assert 'id="preview-size">0 ' in nothing and "matches no customer" in nothing
    everyone = client.get("/console/segments/preview/", {"max_orders": "100"}).content.decode()
    assert "matches every customer" in everyone
    bad = client.get("/console/segments/preview/", {"min_orders": "nhiều"}).content.decode()
    assert "Enter a whole number." in bad
    refused = client.post("/console/segments/new/", {"name": "Thử", "min_orders": "abc"})
    assert refused.status_code == 422 and 'value="abc"' in refused.content.decode()
    assert Segment.objects.count() == 1
    saved = client.post("/console/segments/new/", {"name": "Hai đơn", "min_orders": "2"})
    assert saved.status_code == 302 and Segment.objects.filter(key="hai-don", size=0).exists()


def test_journey_branch_panel_and_search(world: Any, make_staff: Any, client: Any) -> None:
    segment = make_segment(world, make_staff, buyers=1)
    member = segment.members.select_related("customer").get().customer
    outsider = world.customer("Ngoài")

    def holds(customer: Any) -> bool:
        return branch_holds(condition="in_segment", value=segment.key, customer=customer, order=None,
                            reachable=list, last_send_outcome=lambda: None)  # fmt: skip

    assert holds(member) and not holds(outsider)
    services.refresh_all()
    manager = make_staff("manager", "m3")
    client.force_login(manager)
    page = client.get(f"/console/customers/{member.code}/").content.decode()
    assert "customer-segments" in page and "Khách mua điện thoại" in page
    assert "R1 F1 M1" in page  # the only buyer is in the lowest quintile of every score
    results = global_search("khach mua dien thoai", manager)
    assert any(hit.title == "Khách mua điện thoại" for group in results.groups for hit in group.hits)
