"""An agent works from the inbox in a real browser (Vietnamese UI): a Zalo message and an e-mail of one
customer land on that customer; the agent signs in (lands on the inbox), moves with j, opens the ticket,
presses r, writes and sends; the reply is stored, the ticket opens and its first response is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.accounts.services import create_staff_user
from haumai.customers.services import add_identity, create_customer
from haumai.support.channels.inbound import InboundMessage
from haumai.support.models import Message, Ticket
from haumai.support.services.ingest import ingest_inbound

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agent_replies_from_the_inbox(live_server: Any, page: Any) -> None:
    import datetime as dt

    from haumai.core import clock

    customer = create_customer(actor=None, full_name="Phạm Thị Hoa", email="hoa@example.vn", phone="0903111222")
    add_identity(actor=None, customer=customer, kind="zalo", value="4411")
    now = clock.now() - dt.timedelta(minutes=5)
    zalo = ingest_inbound(InboundMessage(channel="zalo", external_id="z-1", sender_kind="zalo_user_id",
                                         sender_value="4411", sent_at=now, text="Máy lọc nước bị rò rỉ"))  # fmt: skip
    mail = ingest_inbound(InboundMessage(channel="email", external_id="e-1@example.vn", sender_kind="email",
                                         sender_value="hoa@example.vn", sent_at=now, subject="Hóa đơn VAT",
                                         text="Cho tôi xin hóa đơn"))  # fmt: skip
    assert zalo and mail and zalo.ticket.customer_id == mail.ticket.customer_id == customer.pk
    create_staff_user(username="mai.cskh", password="s3cret-pass-123", role="agent", full_name="Lê Mai")

    page.goto(live_server.url + "/console/login/")
    page.fill("#id_username", "mai.cskh")
    page.fill("#id_password", "s3cret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/inbox/")
    page.locator("[data-queue=unassigned]").click()
    page.locator("#inbox-table").get_by_text(zalo.ticket.code).wait_for()
    rows = page.locator("#inbox-table tr[data-row]")
    assert rows.count() == 2
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/console/inbox/{zalo.ticket.code}/")
    page.locator("#conversation").get_by_text("Máy lọc nước bị rò rỉ").wait_for()
    page.keyboard.press("r")
    page.keyboard.type("Dạ chị Hoa, em gửi kỹ thuật qua kiểm tra trong hôm nay ạ.")
    page.get_by_role("button", name="Gửi").click()
    page.locator("#conversation").get_by_text("em gửi kỹ thuật qua kiểm tra").wait_for()
    page.locator(".hm-toast").get_by_text("Đã gửi trả lời").wait_for()
    reply = Message.objects.get(ticket=zalo.ticket, direction="out")
    assert reply.visibility == "public" and reply.author.username == "mai.cskh"
    ticket = Ticket.objects.get(pk=zalo.ticket_id)
    assert ticket.status == "open" and ticket.first_response_at is not None
    # n switches the box to an internal note.
    page.keyboard.press("n")
    assert page.locator("#vis-note").is_checked()
