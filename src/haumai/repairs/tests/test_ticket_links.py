"""A warranty claim or a repair opened from a support ticket: both link back to the ticket."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from haumai.events.models import Event
from haumai.repairs.models import RepairOrder
from haumai.repairs.tests.conftest import Workshop
from haumai.support.models import Ticket
from haumai.support.services.tickets import open_ticket
from haumai.warranty.models import Claim

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ticket_for(shop: Workshop, *, customer: Any = None, with_warranty: bool = True) -> Ticket:
    ticket = open_ticket(actor=shop.agent, customer=customer or shop.an, subject="Điện thoại bị sọc màn hình")
    if with_warranty:
        Ticket.objects.filter(pk=ticket.pk).update(warranty=shop.warranty)
    return Ticket.objects.get(pk=ticket.pk)


def intake_form(shop: Workshop, **extra: str) -> dict[str, str]:
    return {"serial": shop.unit.serial, "service_center": shop.center.code, "description": "Màn hình sọc", **extra}


def user_with(username: str, codenames: list[str]) -> Any:
    user = get_user_model().objects.create_user(username=username, password="s3cret-pass-123", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_a_claim_filed_from_the_ticket_links_both_ways(shop: Workshop) -> None:
    ticket = ticket_for(shop, with_warranty=False)
    client = login(shop.agent)
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    listing = reverse("warranty:list") + f"?customer={shop.an.code}&amp;ticket={ticket.code}"
    assert f'href="{listing}"' in page
    found = client.get(reverse("warranty:list") + f"?customer={shop.an.code}&ticket={ticket.code}").content.decode()
    detail_url = reverse("warranty:detail", args=[shop.warranty.code])
    assert f'href="{detail_url}?ticket={ticket.code}"' in found
    detail = client.get(f"{detail_url}?ticket={ticket.code}").content.decode()
    assert f'name="ticket" value="{ticket.code}"' in detail
    response = client.post(
        reverse("warranty:file_claim", args=[shop.warranty.code]),
        {"description": "Màn hình bị sọc xanh", "ticket": ticket.code},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("warranty:claim", args=[claim.code])
    ticket.refresh_from_db()
    assert ticket.warranty == shop.warranty
    event = Event.objects.get(name="ticket.linked")
    assert event.payload == {"code": ticket.code, "kind": "claim", "record": claim.code}
    shown = client.get(reverse("warranty:claim", args=[claim.code])).content.decode()
    assert 'id="from-ticket"' in shown and reverse("support:ticket", args=[ticket.code]) in shown
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert reverse("warranty:detail", args=[shop.warranty.code]) in page


def test_a_bad_ticket_on_a_claim_is_refused_and_nothing_is_filed(shop: Workshop) -> None:
    other = ticket_for(shop, customer=shop.binh, with_warranty=False)
    client = login(shop.agent)
    for code, message in (("TK-2026-999999", "No ticket"), (other.code, "belongs to another customer")):
        response = client.post(
            reverse("warranty:file_claim", args=[shop.warranty.code]),
            {"description": "Màn hình bị sọc xanh", "ticket": code},
            follow=True,
        )
        assert message in response.content.decode()
        assert f'name="ticket" value="{code}"' in response.content.decode()  # back on the form, still for the ticket
    assert not Claim.objects.exists() and not Event.objects.filter(name="ticket.linked").exists()


def test_a_repair_taken_in_from_the_ticket_links_both_ways(shop: Workshop, django_assert_max_num_queries: Any) -> None:
    ticket = ticket_for(shop)
    client = login(shop.agent)
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    start = (
        reverse("repairs:intake") + f"?customer={shop.an.code}&amp;ticket={ticket.code}&amp;serial={shop.unit.serial}"
    )
    assert f'href="{start}"' in page  # the unit of the ticket's warranty is prefilled
    form = client.get(start.replace("&amp;", "&")).content.decode()
    assert f'name="ticket" value="{ticket.code}"' in form and f'value="{shop.unit.serial}"' in form
    response = client.post(reverse("repairs:intake"), intake_form(shop, ticket=ticket.code))
    order = RepairOrder.objects.get()
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.repair_code == order.code
    assert Event.objects.get(name="ticket.linked").payload == {
        "code": ticket.code,
        "kind": "repair",
        "record": order.code,
    }
    with django_assert_max_num_queries(30):
        page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert f'href="{reverse("repairs:detail", args=[order.code])}"' in page
    detail = client.get(reverse("repairs:detail", args=[order.code])).content.decode()
    assert 'id="from-ticket"' in detail and reverse("support:ticket", args=[ticket.code]) in detail


def test_a_bad_ticket_on_an_intake_is_refused_and_nothing_is_received(shop: Workshop) -> None:
    other = ticket_for(shop, customer=shop.binh, with_warranty=False)
    client = login(shop.agent)
    for code, message in (("TK-2026-999999", "No ticket"), (other.code, "belongs to another customer")):
        response = client.post(reverse("repairs:intake"), intake_form(shop, ticket=code))
        assert response.status_code == 422 and message in response.content.decode()
    assert not RepairOrder.objects.exists() and not Event.objects.filter(name="ticket.linked").exists()
    other.refresh_from_db()
    assert other.repair_code == ""


def test_without_the_permission_there_is_no_button_and_a_post_is_refused(shop: Workshop) -> None:
    ticket = ticket_for(shop)
    support_only = user_with("chi.cskh", ["view_ticket", "reply_ticket", "view_customer"])
    client = login(support_only)
    page = client.get(reverse("support:ticket", args=[ticket.code])).content.decode()
    assert 'id="start-repair"' not in page and 'id="start-claim"' not in page
    assert client.post(reverse("repairs:intake"), intake_form(shop, ticket=ticket.code)).status_code == 403
    claim_post = {"description": "Màn hình bị sọc xanh", "ticket": ticket.code}
    assert client.post(reverse("warranty:file_claim", args=[shop.warranty.code]), claim_post).status_code == 403
    # May take units in but not see tickets: the link is refused, and the repair page does not name the ticket.
    counter = user_with(
        "quay.tiep.nhan", ["add_repairorder", "view_repairorder", "view_customer", "view_servicecenter"]
    )
    refused = login(counter).post(reverse("repairs:intake"), intake_form(shop, ticket=ticket.code))
    assert refused.status_code == 422 and "You may not link records to tickets" in refused.content.decode()
    assert not RepairOrder.objects.exists() and not Claim.objects.exists()
    login(shop.agent).post(reverse("repairs:intake"), intake_form(shop, ticket=ticket.code))
    order = RepairOrder.objects.get()
    assert 'id="from-ticket"' not in login(counter).get(reverse("repairs:detail", args=[order.code])).content.decode()
