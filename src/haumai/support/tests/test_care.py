"""Care scripts, goodwill within and above the limit, call logs, ticket and customer merge, the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.core.errors import Conflict, Forbidden, ValidationFailed
from haumai.customers.models import Customer, Identity
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.support.models import CallLog, GoodwillRequest, Macro, Message, Ticket
from haumai.support.services import calls, goodwill, macros, merge
from haumai.support.services.ingest import ingest_inbound
from haumai.support.tests.conftest import email, inbound

pytestmark = pytest.mark.django_db


def new_ticket(**overrides: Any) -> Ticket:
    message = ingest_inbound(inbound(**overrides))
    assert message is not None
    return message.ticket


def test_the_last_script_fills_variables_and_raises_priority(make_staff: Any) -> None:
    agent = make_staff("agent", username="thu.cskh")
    ticket = new_ticket()
    applied = macros.apply_macro(actor=agent, ticket=ticket, macro=Macro.objects.get(key="last"))
    assert "Nguyễn Văn An" in applied.text and ticket.code in applied.text and "thu.cskh" in applied.text
    assert "{{" not in applied.text
    ticket.refresh_from_db()
    assert ticket.priority == "high" and [t.name for t in ticket.tags.all()] == ["L-A-S-T"]
    english = macros.apply_macro(actor=agent, ticket=ticket, macro=Macro.objects.get(key="last"), language="en")
    assert english.text.startswith("Hello Nguyễn Văn An")


def test_a_script_with_an_unknown_variable_is_refused(make_staff: Any) -> None:
    manager = make_staff("manager")
    with pytest.raises(ValidationFailed) as refused:
        macros.save_macro(
            actor=manager, key="x-1", name_vi="X", name_en="X", body_vi="{{customer.password}}", body_en="ok"
        )
    assert refused.value.errors[0].code == "unknown_variable"
    with pytest.raises(Forbidden):
        macros.save_macro(actor=make_staff("agent"), key="x-1", name_vi="X", name_en="X", body_vi="a", body_en="b")


def test_goodwill_within_the_limit_is_granted_above_it_goes_to_a_manager(make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    ticket = new_ticket()
    small = goodwill.request_goodwill(
        actor=agent, ticket=ticket, kind="free_shipping", amount_vnd=30_000, reason="Giao trễ"
    )
    assert small.status == "granted"
    big = goodwill.request_goodwill(actor=agent, ticket=ticket, kind="refund", amount_vnd=2_000_000, reason="Lỗi")
    assert big.status == "pending"
    with pytest.raises(Forbidden):
        goodwill.decide_goodwill(actor=agent, request=big, approve=True)
    with pytest.raises(ValidationFailed):
        goodwill.decide_goodwill(actor=manager, request=big, approve=False)  # a refusal says why
    decided = goodwill.decide_goodwill(actor=manager, request=big, approve=True, note="OK")
    assert decided.status == "approved"
    with pytest.raises(Conflict):
        goodwill.decide_goodwill(actor=manager, request=big, approve=False, note="late")
    notes = list(Message.objects.filter(ticket=ticket, visibility="note").values_list("body_text", flat=True))
    assert len(notes) == 3 and "approved" in notes[-1]
    names = set(Event.objects.filter(name__startswith="ticket.goodwill").values_list("name", flat=True))
    assert names == {"ticket.goodwill_granted", "ticket.goodwill_requested", "ticket.goodwill_approved"}


def test_manager_approves_from_the_queue(make_staff: Any) -> None:
    agent, manager = make_staff("agent"), make_staff("manager")
    ticket = new_ticket()
    request = goodwill.request_goodwill(actor=agent, ticket=ticket, kind="free_repair", amount_vnd=900_000, reason="x")
    client = Client()
    client.force_login(manager)
    assert ticket.code in client.get("/console/inbox/approvals/").content.decode()
    client.post(f"/console/inbox/approvals/{request.pk}/", {"decision": "refuse", "note": "Ngoài chính sách"})
    assert GoodwillRequest.objects.get().status == "refused"
    agent_client = Client()
    agent_client.force_login(agent)
    assert agent_client.get("/console/inbox/approvals/").status_code == 403


def test_a_call_from_a_known_number_lands_on_that_customer_and_replays(make_staff: Any) -> None:
    agent = make_staff("agent")
    customer = create_customer(actor=None, full_name="Đỗ Minh", phone="0987654321")
    call, created = calls.log_call(actor=agent, phone="+84 987 654 321", direction="in", outcome="answered",
                                   duration_seconds=95, external_id="pbx-1")  # fmt: skip
    assert created and call.customer == customer
    again, created_again = calls.log_call(actor=agent, phone="0987654321", direction="in", outcome="answered",
                                          external_id="pbx-1")  # fmt: skip
    assert again == call and not created_again
    unknown, _ = calls.log_call(actor=agent, phone="0911222333", direction="in", outcome="missed")
    assert unknown.customer.phone == "+84911222333" and Customer.objects.count() == 2
    with pytest.raises(ValidationFailed) as refused:
        calls.log_call(actor=agent, phone="abc", direction="sideways", outcome="answered", recording_url="ftp://x")
    assert {e.field for e in refused.value.errors} == {"phone", "direction", "recording_url"}
    assert CallLog.objects.count() == 2


def test_merging_customers_moves_tickets_identities_and_events(make_staff: Any) -> None:
    agent = make_staff("agent")
    zalo_ticket = new_ticket(sender_value="555", sender_name="Anh Tuấn")
    mail = ingest_inbound(email(sender_value="tuan@example.vn", sender_name="Tuấn"))
    assert mail is not None
    source, target = zalo_ticket.customer, mail.ticket.customer
    assert source != target
    moved = merge.merge_customers(actor=agent, source=source, target=target)
    assert moved["support"] == 1 and moved["identities"] == 1
    assert set(Identity.objects.filter(customer=target).values_list("kind", flat=True)) == {"email", "zalo"}
    source.refresh_from_db()
    assert source.merged_into == target
    assert Event.objects.filter(name="customer.merged", customer=target).exists()
    assert not Event.objects.filter(customer=source).exists()
    # A later Zalo message lands on the kept customer.
    later = ingest_inbound(inbound(external_id="after", sender_value="555"))
    assert later is not None and later.ticket.customer == target
    with pytest.raises(Forbidden):
        merge.merge_customers(actor=make_staff("warehouse"), source=target, target=source)


def test_merging_tickets_moves_the_conversation(make_staff: Any) -> None:
    agent = make_staff("agent")
    first = ingest_inbound(email())
    second = ingest_inbound(email(external_id="other@x", subject="Cũng về tủ lạnh"))
    assert first and second
    target = merge.merge_tickets(actor=agent, source=second.ticket, target=first.ticket)
    assert Message.objects.filter(ticket=target).count() == 2
    old = Ticket.objects.get(pk=second.ticket_id)
    assert old.status == "merged" and old.merged_into == target
    answer = ingest_inbound(email(external_id="r@x", thread_keys=("other@x",)))
    assert answer is not None and answer.ticket_id == target.pk


class TestApi:
    def test_tickets_messages_calls_and_macros(self, api_client_for: Any) -> None:
        client = api_client_for("agent")
        ticket = new_ticket()
        listed = client.get("/api/v1/support/tickets?queue=unassigned").json()
        assert listed["items"][0]["code"] == ticket.code
        body = {"body": "Dạ em chào anh", "visibility": "public"}
        response = client.post(f"/api/v1/support/tickets/{ticket.code}/messages", body, content_type="application/json")
        assert response.status_code == 201, response.content
        assert client.get(f"/api/v1/support/tickets/{ticket.code}").json()["status"] == "open"
        messages = client.get(f"/api/v1/support/tickets/{ticket.code}/messages").json()
        assert [m["direction"] for m in messages] == ["in", "out"]
        body = {"phone": "0912345678", "direction": "in", "outcome": "answered", "external_id": "c-1"}
        call = client.post("/api/v1/support/calls", body, content_type="application/json")
        assert call.status_code == 201
        replay = client.post("/api/v1/support/calls", body, content_type="application/json")
        assert replay.status_code == 200 and replay.json()["id"] == call.json()["id"]
        assert any(m["key"] == "last" for m in client.get("/api/v1/support/macros").json())

    def test_errors_are_field_level(self, api_client_for: Any) -> None:
        client = api_client_for("agent")
        ticket = new_ticket()
        bad = client.post(
            f"/api/v1/support/tickets/{ticket.code}/status", {"status": "sideways"}, content_type="application/json"
        )
        assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "status"
        missing = client.get("/api/v1/support/tickets/TK-2026-999999")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert api_client_for("warehouse").get("/api/v1/support/tickets").status_code == 403
        assert Client().get("/api/v1/support/tickets").status_code == 401
