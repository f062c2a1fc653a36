"""A return opened from a support ticket: the ticket links to it and the return says where it came from."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from haumai.events.models import Event
from haumai.returns.models import ReturnRequest
from haumai.returns.tests.conftest import Shop
from haumai.support.models import Ticket
from haumai.support.services.tickets import open_ticket

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ticket_for(shop: Shop, actor: Any, *, customer: Any = None, with_order: bool = True) -> Ticket:
    ticket = open_ticket(actor=actor, customer=customer or shop.customer, subject="Muốn đổi điện thoại")
    if with_order:
        Ticket.objects.filter(pk=ticket.pk).update(order=shop.order)
    return Ticket.objects.get(pk=ticket.pk)


def return_form(shop: Shop, **extra: str) -> dict[str, str]:
    line = shop.order.lines.get(product__sku="PHONE-1")
    return {
        "order": shop.order.code, f"quantity_{line.pk}": "1", "reason": "changed_mind",
        "resolution": "store_credit", "logistics": "store_dropoff", "warehouse": "wh-hcm", **extra,
    }  # fmt: skip


def support_only_user() -> Any:
    """Someone who works tickets but may not open returns."""
    user = get_user_model().objects.create_user(username="chi.cskh", password="s3cret-pass-123", is_staff=True)
    wanted = ["view_ticket", "reply_ticket", "view_customer", "view_returnrequest"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=wanted))
    return user


def test_a_return_opened_from_the_ticket_links_both_ways(
    shop: Shop, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    agent = make_staff("agent")
    ticket = ticket_for(shop, agent)
    client = login(agent)
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    start = reverse("returns:create") + f"?order={shop.order.code}&amp;ticket={ticket.code}"
    assert f'href="{start}"' in page
    form = client.get(reverse("returns:create") + f"?order={shop.order.code}&ticket={ticket.code}").content.decode()
    assert f'name="ticket" value="{ticket.code}"' in form and "SN-0001" in form  # the order is preselected
    done = client.post(reverse("returns:create"), return_form(shop, ticket=ticket.code, idempotency_key="t-1"))
    assert done.status_code == 302
    created = ReturnRequest.objects.get()
    ticket.refresh_from_db()
    assert ticket.return_request == created and ticket.version > 1
    event = Event.objects.get(name="ticket.linked")
    assert event.customer == shop.customer and event.payload == {
        "code": ticket.code, "kind": "return", "record": created.code,
    }  # fmt: skip
    with django_assert_max_num_queries(30):
        page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert reverse("returns:detail", args=[created.code]) in page
    detail = client.get(reverse("returns:detail", args=[created.code])).content.decode()
    assert 'id="from-ticket"' in detail and reverse("support:ticket", args=[ticket.code]) in detail
    assert f"</a> linked to return {created.code}" in detail  # the timeline sentence
    # A replay of the same form creates nothing and links nothing twice.
    again = client.post(reverse("returns:create"), return_form(shop, ticket=ticket.code, idempotency_key="t-1"))
    assert again.status_code == 302 and Event.objects.filter(name="ticket.linked").count() == 1


def test_a_ticket_without_an_order_opens_the_return_for_its_customer(shop: Shop, make_staff: Any) -> None:
    agent = make_staff("agent")
    ticket = ticket_for(shop, agent, with_order=False)
    page = login(agent).get(reverse("support:ticket", args=[ticket.code])).content.decode()
    start = reverse("returns:create") + f"?customer={shop.customer.code}&amp;ticket={ticket.code}"
    assert f'href="{start}"' in page


@pytest.mark.parametrize("which", ["unknown", "other_customer"])
def test_a_bad_ticket_code_is_refused_and_nothing_is_created(shop: Shop, make_staff: Any, which: str) -> None:
    agent = make_staff("agent")
    other = ticket_for(shop, agent, customer=shop.other, with_order=False)
    code = "TK-2026-999999" if which == "unknown" else other.code
    response = login(agent).post(reverse("returns:create"), return_form(shop, ticket=code))
    assert response.status_code == 422
    text = response.content.decode()
    assert ("No ticket" in text) if which == "unknown" else ("belongs to another customer" in text)
    assert not ReturnRequest.objects.exists() and not Event.objects.filter(name="ticket.linked").exists()
    other.refresh_from_db()
    assert other.return_request is None and other.order is None


def test_permissions_on_both_sides(shop: Shop, make_staff: Any) -> None:
    agent = make_staff("agent")
    ticket = ticket_for(shop, agent)
    support_only = support_only_user()
    client = login(support_only)
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert 'id="start-return"' not in page
    refused = client.post(reverse("returns:create"), return_form(shop, ticket=ticket.code))
    assert refused.status_code == 403 and not ReturnRequest.objects.exists()
    # Someone who may open returns but not see tickets cannot link one, and does not see where a return came from.
    warehouse_agent = get_user_model().objects.create_user(username="kho.an", password="x-pass-123456", is_staff=True)
    codes = ["add_returnrequest", "view_returnrequest", "view_customer", "view_order"]
    warehouse_agent.user_permissions.add(*Permission.objects.filter(codename__in=codes))
    no_link = login(warehouse_agent).post(reverse("returns:create"), return_form(shop, ticket=ticket.code))
    assert no_link.status_code == 422 and "You may not link records to tickets" in no_link.content.decode()
    assert not ReturnRequest.objects.exists()
    login(agent).post(reverse("returns:create"), return_form(shop, ticket=ticket.code))
    created = ReturnRequest.objects.get()
    hidden = login(warehouse_agent).get(reverse("returns:detail", args=[created.code])).content.decode()
    assert 'id="from-ticket"' not in hidden
