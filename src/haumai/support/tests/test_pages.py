"""Console pages: the inbox (queues, search, paging, no N+1), the ticket page and its actions, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.support.models import Message, Presence, Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import assign
from haumai.support.tests.conftest import inbound

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def make_tickets(count: int) -> list[Ticket]:
    tickets = []
    for n in range(count):
        message = ingest_inbound(
            inbound(external_id=f"m{n}", sender_value=f"z{n}", sender_name=f"Khách Hàng {n}", text=f"Câu hỏi số {n}")
        )
        assert message is not None
        tickets.append(message.ticket)
    return tickets


def test_agents_land_on_the_inbox_after_login(make_staff: Any) -> None:
    agent = make_staff("agent")
    response = Client().post(reverse("console:login"), {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("support:inbox")
    manager = make_staff("manager")
    response = Client().post(reverse("console:login"), {"username": manager.username, "password": PASSWORD})
    assert response["Location"] == reverse("console:home")


def test_inbox_queues_search_and_query_count(make_staff: Any, django_assert_max_num_queries: Any) -> None:
    agent = make_staff("agent")
    tickets = make_tickets(30)
    for ticket in tickets[:3]:
        assign(actor=agent, ticket=ticket, assignee=agent)
    client = login(agent)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("support:inbox") + "?queue=unassigned").content.decode()
    assert tickets[-1].code in html and tickets[0].code not in html
    assert "Next" in html  # 27 unassigned, 25 a page
    mine = client.get(reverse("support:inbox")).content.decode()
    assert tickets[0].code in mine and tickets[5].code not in mine
    found = client.get(reverse("support:inbox") + "?queue=all&q=khach hang 7").content.decode()
    assert tickets[7].code in found and tickets[8].code not in found
    by_code = client.get(reverse("support:inbox") + f"?queue=all&q={tickets[4].code.lower()}").content.decode()
    assert tickets[4].code in by_code and tickets[5].code not in by_code
    assert "<script>" not in html


def test_ticket_page_reply_note_and_query_count(make_staff: Any, django_assert_max_num_queries: Any) -> None:
    agent = make_staff("agent")
    (ticket,) = make_tickets(1)
    for n in range(10):
        ingest_inbound(inbound(external_id=f"more-{n}", sender_value="z0", text=f"thêm {n}"))
    client = login(agent)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("support:ticket", args=[ticket.code]))
    assert response.status_code == 200
    response = client.post(
        reverse("support:reply", args=[ticket.code]), {"body": "Dạ em chào anh", "visibility": "public"}
    )
    assert response.status_code == 302
    client.post(reverse("support:reply", args=[ticket.code]), {"body": "Khách VIP", "visibility": "note"})
    kinds = list(Message.objects.filter(ticket=ticket, direction="out").values_list("visibility", flat=True))
    assert kinds == ["public", "note"]
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.first_response_at is not None and ticket.public_reply_count == 1
    empty = client.post(reverse("support:reply", args=[ticket.code]), {"body": "  "}, follow=True)
    assert "Write a message" in empty.content.decode()


def test_side_panel_actions(make_staff: Any) -> None:
    agent = make_staff("agent")
    (ticket,) = make_tickets(1)
    client = login(agent)
    url = reverse("support:update", args=[ticket.code])
    client.post(url, {"action": "assign", "assignee": "me"})
    client.post(url, {"action": "priority", "priority": "urgent"})
    client.post(url, {"action": "tags", "tags": "Đổi trả, bảo hành"})
    client.post(url, {"action": "status", "status": "solved"})
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.priority == "urgent" and ticket.status == "solved"
    assert sorted(t.key for t in ticket.tags.all()) == ["bao hanh", "doi tra"]
    assert ticket.first_contact_resolution is False  # FCR needs exactly one agent reply
    refused = client.post(url, {"action": "status", "status": "pending"}, follow=True)
    assert "cannot go from" in refused.content.decode()


def test_a_closed_ticket_offers_a_follow_up_instead_of_a_reply(make_staff: Any) -> None:
    agent = make_staff("agent")
    (ticket,) = make_tickets(1)
    client = login(agent)
    url = reverse("support:update", args=[ticket.code])
    client.post(url, {"action": "status", "status": "solved"})
    client.post(url, {"action": "status", "status": "closed"})
    html = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert "follow-up" in html and 'id="reply-form"' not in html
    refused = client.post(reverse("support:reply", args=[ticket.code]), {"body": "x"}, follow=True)
    assert "is closed" in refused.content.decode()
    response = client.post(url, {"action": "follow_up"})
    follow = Ticket.objects.exclude(pk=ticket.pk).get()
    assert response["Location"] == reverse("support:ticket", args=[follow.code])


def test_two_agents_see_each_other(make_staff: Any) -> None:
    first, second = make_staff("agent"), make_staff("agent")
    (ticket,) = make_tickets(1)
    login(first).get(reverse("support:ticket", args=[ticket.code]))
    html = login(second).get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert 'id="ticket-collision"' in html and first.username in html
    state = login(first).post(reverse("support:presence", args=[ticket.code]), {"composing": "1"}).json()
    assert state["others"][0]["name"] == second.username
    assert Presence.objects.get(user=first).composing


@pytest.mark.parametrize("role", ["warehouse", "technician"])
def test_roles_without_support_permissions_are_refused(make_staff: Any, role: str) -> None:
    (ticket,) = make_tickets(1)
    client = login(make_staff(role))
    assert client.get(reverse("support:inbox")).status_code == 403
    assert client.get(reverse("support:ticket", args=[ticket.code])).status_code == 403
    assert client.post(reverse("support:reply", args=[ticket.code]), {"body": "x"}).status_code == 403
    assert Message.objects.filter(direction="out").count() == 0


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("support:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_ticket_starts_a_return_a_claim_or_a_repair_for_its_customer(make_staff: Any) -> None:
    """Issue 12: from the ticket, one click opens each form with the customer already chosen."""
    (ticket,) = make_tickets(1)
    client = login(make_staff("agent"))
    html = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    code = ticket.customer.code
    urls = {
        "return": reverse("returns:create") + f"?customer={code}&ticket={ticket.code}",
        "claim": reverse("warranty:list") + f"?customer={code}&ticket={ticket.code}",
        "repair": reverse("repairs:intake") + f"?customer={code}&ticket={ticket.code}",
    }
    for url in urls.values():
        assert f'href="{url.replace("&", "&amp;")}"' in html, url
    assert code in client.get(urls["return"]).content.decode()
    intake = client.get(urls["repair"]).content.decode()
    assert f'value="{code}"' in intake  # the intake form's customer field is filled in
    assert client.get(urls["claim"]).status_code == 200
    assert login(make_staff("warehouse")).get(reverse("support:ticket", args=[ticket.code])).status_code == 403
