"""Demo tickets: conversations across e-mail, Zalo, Facebook, phone and website chat on demo customers, with
replies, notes, pending and solved tickets, a reopened one, an upset customer, goodwill waiting for a
manager, and customers who write from a second channel and land on the same record."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from haumai.core import clock
from haumai.customers.models import Customer
from haumai.customers.services import add_identity
from haumai.support.channels.inbound import InboundMessage
from haumai.support.models import Ticket
from haumai.support.services import goodwill, links, tickets
from haumai.support.services.ingest import ingest_inbound

QUESTIONS = [
    ("Máy giặt không vắt được", "Máy giặt nhà tôi mua tháng trước giờ không vắt được nữa, nhờ shop kiểm tra giúp."),
    ("Hỏi thời hạn bảo hành", "Cho mình hỏi tủ lạnh mua ở cửa hàng Quận 7 còn bảo hành không ạ?"),
    ("Đổi size áo", "Áo mình nhận bị rộng, đổi sang size M được không shop?"),
    ("Xin hóa đơn VAT", "Công ty mình cần hóa đơn VAT cho đơn hàng hôm qua."),
    ("Giao hàng chậm", "Đơn của tôi chờ mãi chưa thấy giao, tôi rất thất vọng."),
    ("Điều hòa kêu to", "Điều hòa chạy kêu to vào ban đêm, có kỹ thuật qua xem được không?"),
    ("Hủy đơn hàng", "Mình muốn hủy đơn vừa đặt vì đặt nhầm màu."),
]
REPLIES = [
    "Dạ em chào anh/chị, em đã nhận thông tin và chuyển bộ phận kỹ thuật kiểm tra ngay ạ.",
    "Dạ anh/chị gửi giúp em số serial và ảnh hóa đơn để em kiểm tra bảo hành nhé.",
    "Dạ bên em đã xử lý xong, anh/chị kiểm tra giúp em ạ. Cảm ơn anh/chị!",
]
CHANNELS = ["email", "zalo", "facebook", "phone"]


def _digits(customer: Customer) -> str:
    """A stable number per customer (year + sequence of the code) for demo channel ids."""
    return "".join(ch for ch in customer.code if ch.isdigit())


HOUR = dt.timedelta(hours=1)
DEMO_PAGE = "104857261234567"  # the demo shop's Facebook page id
FOLLOW_UP = "Cảm ơn shop, cho mình hỏi thêm: bao lâu thì có linh kiện?"


def _message(channel: str, customer: Customer, key: str, subject: str, text: str, at: dt.datetime) -> InboundMessage:
    if channel == "email" and not customer.email:
        channel = "phone"  # no address to write from: the customer called instead
    if channel == "email":
        sender_kind, value = "email", str(customer.email)
    elif channel == "zalo":
        sender_kind, value = "zalo_user_id", f"84{_digits(customer)}"
    elif channel == "facebook":
        sender_kind, value = "facebook_psid", f"7{_digits(customer)}"
    else:
        sender_kind, value = "phone", customer.phone or "+84900000000"
    # A Messenger conversation is keyed by the page and the person's page-scoped id, as the webhook gives it.
    messenger = channel == "facebook"
    return InboundMessage(
        channel=channel,  # type: ignore[arg-type]
        external_id=f"demo-{key}",
        sender_kind=sender_kind,  # type: ignore[arg-type]
        sender_value=value,
        sender_name=customer.full_name,
        sent_at=at,
        subject=subject if channel == "email" else "",
        text=text,
        account_id=DEMO_PAGE if messenger else "",
        thread_keys=(f"facebook:{DEMO_PAGE}:{value}",) if messenger else (),
    )


def seed_support(*, count: int = 40, seed: int = 7) -> dict[str, int]:
    """Create the demo tickets once (skipped when tickets exist or there are no customers)."""
    if Ticket.objects.exists():
        return {}
    people = list(Customer.objects.filter(phone__isnull=False, merged_into__isnull=True).order_by("id")[:count])
    User = get_user_model()
    agent = User.objects.filter(groups__name="agent").order_by("id").first()
    if not people or agent is None:
        return {}
    from haumai.support.assignment.demo import seed_assignment

    assignment = seed_assignment()  # new Zalo, Messenger and web chat tickets find an agent on shift
    rng = random.Random(seed)
    now = clock.now()
    made = 0
    for index, customer in enumerate(people):
        channel = CHANNELS[index % len(CHANNELS)]
        subject, text = QUESTIONS[index % len(QUESTIONS)]
        at = now - dt.timedelta(hours=rng.randint(1, 96))
        probe = _message(channel, customer, f"{index}-1", subject, text, at)
        channel = probe.channel
        if channel in ("zalo", "facebook"):  # the customer followed the shop's OA / page before
            add_identity(actor=None, customer=customer, kind=channel, value=probe.sender_value)
        with clock.frozen(at):
            first = ingest_inbound(_message(channel, customer, f"{index}-1", subject, text, at))
        if first is None:
            continue
        made += 1
        ticket = first.ticket
        fate = index % 5
        if fate == 0:
            continue  # new, unassigned
        tickets.assign(actor=agent, ticket=ticket, assignee=agent)
        follow_up = fate == 1 and channel != "phone" and at + 3 * HOUR <= now
        # Messenger takes a reply only within 24 hours of the customer's message: the agent answered in time.
        with clock.frozen(at + HOUR if follow_up or channel == "facebook" else now):
            tickets.reply(actor=agent, ticket=ticket, body=REPLIES[index % len(REPLIES)],
                          then_status="pending" if fate == 2 else "solved" if fate == 3 else "")  # fmt: skip
        if fate == 1:
            tickets.reply(actor=agent, ticket=ticket, body="Khách hẹn kỹ thuật sau 17h.", visibility="note")
        if follow_up:  # the customer asks again and the agent answers: a next-response time for the KPIs
            with clock.frozen(at + 2 * HOUR):
                ingest_inbound(_message(channel, customer, f"{index}-3", subject, FOLLOW_UP, at + 2 * HOUR))
            ticket.refresh_from_db()
            with clock.frozen(at + 2 * HOUR + dt.timedelta(minutes=rng.randint(10, 55))):
                tickets.reply(actor=agent, ticket=ticket, body="Dạ linh kiện về trong 3-5 ngày làm việc ạ.")
        if fate == 4 and channel != "phone":
            ingest_inbound(_message(channel, customer, f"{index}-2", subject, "Vẫn chưa được, tôi rất bực mình!", now))
            goodwill.request_goodwill(actor=agent, ticket=ticket, kind="free_repair", amount_vnd=1_200_000,
                                      reason="Khách chờ lâu, sửa miễn phí phần linh kiện")  # fmt: skip
    # Three customers write again from Zalo: their Zalo id is linked, so it lands on the same customer.
    linked = 0
    for index, customer in enumerate(people[:3]):
        value = f"99{_digits(customer)}"
        add_identity(actor=None, customer=customer, kind="zalo", value=value)
        message = ingest_inbound(InboundMessage(
            channel="zalo", external_id=f"demo-second-{index}", sender_kind="zalo_user_id", sender_value=value,
            sender_name=customer.full_name, sent_at=now, text="Shop ơi cho mình hỏi thêm về đơn hàng với",
        ))  # fmt: skip
        linked += int(message is not None and message.ticket.customer_id == customer.pk)
    chats = _seed_web_chat(people, agent, now)
    records = _seed_links(agent)
    return {"support.ticket": Ticket.objects.count(), "support.second_channel": linked, "support.seeded": made,
            "support.web_chat": chats, "support.linked": records, **assignment}  # fmt: skip


LINK_SUBJECTS = {
    "return": "Khách gọi hỏi về yêu cầu đổi trả",
    "claim": "Khách báo lỗi sản phẩm còn bảo hành",
    "repair": "Khách hỏi tiến độ sửa máy",
}


def _seed_links(agent: object) -> int:
    """A return, a warranty claim and a repair opened from a ticket (the ticket's customer's, else a call's)."""
    from haumai.repairs.models import RepairOrder
    from haumai.returns.models import ReturnRequest
    from haumai.warranty.models import Claim

    open_tickets = list(Ticket.objects.exclude(status="merged").order_by("id")[:200])
    by_customer = {ticket.customer_id: ticket for ticket in reversed(open_tickets)}
    made = 0
    for model, kind in ((ReturnRequest, "return"), (Claim, "claim"), (RepairOrder, "repair")):
        records = model.objects.select_related("customer").order_by("-id")
        record = records.filter(customer_id__in=list(by_customer)).first() or records.first()
        if record is None:
            continue
        ticket = by_customer.pop(record.customer_id, None) or tickets.open_ticket(
            actor=agent, customer=record.customer, subject=LINK_SUBJECTS[kind], channel="phone"
        )
        links.link_ticket(
            actor=agent,
            ticket=ticket,
            kind=kind,
            subject=record,
            record_code=record.code,
            return_request=record if kind == "return" else None,
            warranty=getattr(record, "warranty", None) if kind == "claim" else None,
            repair_code=record.code if kind == "repair" else "",
        )
        made += 1
    return made


def _seed_web_chat(people: list[Customer], agent: object, now: dt.datetime) -> int:
    """Website chat: a visitor answered by an agent, a logged-in portal customer, an offline message.

    The visitors are demo customers who chatted before (their web identity is on the record), so the demo's
    customer count stays what was asked for."""
    from haumai.support.channels import web_chat

    if len(people) < 8:
        return 0
    visitors = {index: f"v_demowebvisitor{index:08d}" for index in (5, 6, 7)}
    for index, visitor in visitors.items():
        add_identity(actor=None, customer=people[index], kind="web", value=visitor)
    made = 0
    asking = visitors[6]
    with clock.frozen(now - dt.timedelta(minutes=20)):
        first = ingest_inbound(web_chat.visitor_message(
            visitor_id=asking, client_id="demo-chat-0001", text="Shop ơi, nồi cơm điện có bảo hành tận nhà không?",
        ))  # fmt: skip
    if first is not None:
        made += 1
        with clock.frozen(now - dt.timedelta(minutes=18)):
            tickets.reply(actor=agent, ticket=first.ticket,
                          body="Dạ có ạ, anh/chị để lại số điện thoại để kỹ thuật liên hệ nhé.")  # fmt: skip
        with clock.frozen(now - dt.timedelta(minutes=15)):
            ingest_inbound(web_chat.visitor_message(visitor_id=asking, client_id="demo-chat-0002",
                                                    text="Số của mình là 0903 222 333"))  # fmt: skip
    message = ingest_inbound(web_chat.visitor_message(
        visitor_id=visitors[5], client_id="demo-chat-0003", name=people[5].full_name,
        text="Mình vừa gửi yêu cầu đổi trả trên cổng, bao lâu thì có người đến lấy hàng?",
    ))  # fmt: skip
    made += int(message is not None)
    offline = ingest_inbound(web_chat.offline_message(
        visitor_id=visitors[7], client_id="demo-chat-0004", name=people[7].full_name,
        phone=people[7].phone or "", email="", text="Tối nay mình cần hỏi về máy lạnh, sáng mai gọi lại giúp mình.",
        heading="Tin nhắn ngoài giờ từ chat website",
    ))  # fmt: skip
    return made + int(offline is not None)
