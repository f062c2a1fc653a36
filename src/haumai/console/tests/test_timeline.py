"""Readable timelines: every event the code writes has a sentence; pages of events read without queries."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from haumai.console.timeline import actor_name, build_timeline, can_see_payload, describe
from haumai.core import clock
from haumai.core.registry import sentence_for
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.sales.models import OrderStatus
from haumai.shipping.services.tracking import EVENT_STATUSES

SOURCE = Path(__file__).resolve().parents[2]  # src/haumai
# Event names built at run time, and every value they take.
DYNAMIC_NAMES = {
    "order.": [f"order.{status}" for status in OrderStatus.values],
    "shipment.": [f"shipment.{status}" for status in EVENT_STATUSES],
}
WRITERS = {"record_event", "emit"}


def _module_of(path: Path) -> str:
    return ".".join(("haumai", *path.relative_to(SOURCE).with_suffix("").parts))


def _names_of(node: ast.expr, path: Path) -> list[str]:
    """The event names an expression passed as `name` can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        prefix = head.value if isinstance(head, ast.Constant) else ""
        if prefix not in DYNAMIC_NAMES:
            raise AssertionError(f"{path}: event name f-string {ast.unparse(node)}: add its values to DYNAMIC_NAMES")
        return DYNAMIC_NAMES[str(prefix)]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        table = getattr(importlib.import_module(_module_of(path)), node.value.id)
        return list(table.values())
    if isinstance(node, ast.IfExp):  # "a" if cond else "b": both can be written
        return _names_of(node.body, path) + _names_of(node.orelse, path)
    if isinstance(node, ast.Name):  # a parameter (e.g. emit(refund, name)): its callers are walked instead
        return []
    raise AssertionError(f"{path}: cannot read the event name {ast.unparse(node)}")


def written_event_names() -> dict[str, str]:
    """Every event name the code can write (record_event/emit calls, record_events rows) -> where."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "conftest.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Dict):
                # A row for record_events(rows): a dict literal with a name and a payload.
                keys = {key.value: value for key, value in zip(node.keys, node.values, strict=True)
                        if isinstance(key, ast.Constant)}  # fmt: skip
                name_node = keys.get("name")
                if "payload" in keys and isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
                    found.setdefault(name_node.value, where)
                continue
            if not isinstance(node, ast.Call):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if func in WRITERS:
                keyword = next((k.value for k in node.keywords if k.arg == "name"), None)
                if keyword is None and func == "emit" and len(node.args) >= 2:
                    keyword = node.args[1]
                if keyword is not None:
                    for name in _names_of(keyword, path):
                        found.setdefault(name, where)
    return found


def test_the_walk_finds_the_event_names_of_every_app() -> None:
    names = written_event_names()
    for expected in ("order.delivered", "order.cancelled", "customer.created", "return.requested", "return.closed",
                     "refund.failed", "shipment.delivered", "message.given_up", "import.completed", "stock.moved",
                     "care_task.completed", "order.imported", "store_credit.granted"):  # fmt: skip
        assert expected in names, expected
    assert len(names) > 60


def test_every_event_written_anywhere_has_a_sentence() -> None:
    missing = {name: where for name, where in written_event_names().items() if sentence_for(name) is None}
    assert not missing, f"add a sentence in the app's sentences.py for: {missing}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_sentence_copes_with_an_empty_payload_and_never_shows_the_raw_name(language: str) -> None:
    with translation.override(language):
        for name in written_event_names():
            entry = describe(Event(name=name, payload={}, occurred_at=clock.now()))
            assert entry.text and name not in entry.text, name
            assert entry.tone in ("neutral", "success", "warning", "danger", "info")


@pytest.mark.vietnamese
def test_sentences_read_like_vietnamese_staff_talk() -> None:
    delivered = describe(Event(name="order.delivered", payload={"code": "ORD-2026-002260"}))
    assert delivered.text == "Đơn ORD-2026-002260 đã giao"
    payload = {"return_code": "RMA-2026-000001", "origin": "portal", "lines": [{"sku": "A", "quantity": 1}]}
    requested = describe(Event(name="return.requested", payload=payload))
    assert requested.text.startswith("Khách yêu cầu đổi trả RMA-2026-000001 — 1 sản phẩm")
    assert requested.url == "/console/returns/RMA-2026-000001/" and requested.link_text == "RMA-2026-000001"


@pytest.mark.django_db
def test_a_page_of_events_is_described_without_a_query(make_staff: Any, django_assert_num_queries: Any) -> None:
    agent = make_staff("agent")
    customer = create_customer(actor=agent, full_name="Lê Thị Hoa", phone="0912000111")
    names = list(written_event_names())
    Event.objects.bulk_create(
        Event(name=name, customer=customer, occurred_at=clock.now(), actor=agent if i % 2 else None,
              actor_label=["customer", "import", "api:pos", "carrier:ghn", "system"][i % 5],
              payload={"code": "ORD-1", "return_code": "RMA-1", "shipment_code": "SHP-1", "refund_code": "RF-1"})
        for i, name in enumerate(names)
    )  # fmt: skip
    events = list(Event.objects.filter(customer=customer).select_related("actor").order_by("-occurred_at", "-id"))
    agent.has_perm("events.view_event")  # permissions are cached per user: load them before counting
    with django_assert_num_queries(0):
        days = build_timeline(events, user=agent, customer=customer)
    items = [item for day in days for item in day.items]
    assert len(items) == len(events)
    assert all(item.payload for item in items)  # an agent may open the details
    order = next(item for item in items if item.name == "order.delivered")
    assert order.entry.url == f"/console/customers/{customer.code}/#order-ORD-1" and order.link == "ORD-1"


@pytest.mark.django_db
def test_actors_are_people_or_plain_words(make_staff: Any) -> None:
    agent = make_staff("agent")
    agent.first_name, agent.last_name = "An", "Nguyễn"
    agent.save()
    event = Event.objects.create(name="return.approved", occurred_at=clock.now(), actor=agent, actor_label="x")
    assert actor_name(Event.objects.select_related("actor").get(pk=event.pk)) == "An Nguyễn"
    said = {label: actor_name(Event(name="x", actor_label=label)) for label in
            ("", "system", "customer", "import", "api:pos-1", "carrier:ghn", "carrier:viettel_post")}  # fmt: skip
    assert said == {"": "System", "system": "System", "customer": "Customer", "import": "Data import",
                    "api:pos-1": "API", "carrier:ghn": "Carrier GHN", "carrier:viettel_post": "Carrier Viettel Post"}


@pytest.mark.django_db
def test_days_are_vietnamese_calendar_days(make_staff: Any) -> None:
    clock.freeze(dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC))  # 10:00 on 02/12 in Vietnam
    late = Event(name="customer.created", occurred_at=dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC), payload={})
    evening = Event(name="customer.created", occurred_at=dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC), payload={})
    older = Event(name="customer.created", occurred_at=dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC), payload={})
    days = build_timeline([late, evening, older], user=make_staff("agent"))
    assert [day.label for day in days][:2] == ["Today", "Yesterday"]  # 00:30 on 02/12 is today in Vietnam
    assert [len(day.items) for day in days] == [1, 1, 1]
    assert days[0].items[0].at.strftime("%H:%M") == "00:30" and "20/11/2026" in days[2].label


@pytest.mark.django_db
def test_raw_payload_only_for_staff_who_see_personal_data(make_staff: Any) -> None:
    assert can_see_payload(make_staff("agent"))
    assert not can_see_payload(make_staff("warehouse"))
    event = Event(name="stock.moved", occurred_at=clock.now(), payload={"sku": "X"})
    assert build_timeline([event], user=make_staff("warehouse"))[0].items[0].payload == ""


def test_a_broken_sentence_does_not_take_the_page_down() -> None:
    entry = describe(Event(name="return.requested", payload={"lines": "not a list", "return_code": "RMA-1"}))
    assert entry.text
    assert "Recorded" in describe(Event(name="nobody.knows", payload={})).text
