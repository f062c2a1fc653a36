"""Demo chat conversations answered by the bot: an order status after the visitor proves who they are, a
help article, a hand-over with its note, centre hours on Zalo, a message it did not understand.

Messages go through support's ingestion like the widget's and Zalo's would, then the bot answers each one
(its listener is silenced meanwhile, so the order of turns is the script's whether or not the ingestion
committed); skipped when the bot has conversations already or the demo has no customer with a phone and an
order. The chat visitors are new contacts, so `haumai demo` runs this only for worlds of 1,000 customers or
more (the default 2,000) and stamps those contacts with the demo clock."""

from __future__ import annotations

from haumai.bot import conf, services
from haumai.bot.models import BotConversation
from haumai.core import clock
from haumai.core.phone import try_normalize_phone
from haumai.sales.models import Order
from haumai.support.channels.inbound import InboundMessage
from haumai.support.services.ingest import ingest_inbound


def _say(channel: str, visitor: str, number: int, text: str) -> None:
    kind = "web_visitor" if channel == "web_chat" else "zalo_user_id"
    with conf.silenced():
        stored = ingest_inbound(InboundMessage(
            channel=channel, external_id=f"demo-{visitor}-{number}", sender_kind=kind,  # type: ignore[arg-type]
            sender_value=visitor, sent_at=clock.now(), text=text,
        ))  # fmt: skip
    if stored is not None:
        services.handle_message(message=stored)


def seed_bot() -> dict[str, int]:
    """A few bot conversations, one handed over (once)."""
    if BotConversation.objects.exists():
        return {}
    order = (
        Order.objects.filter(customer__phone__isnull=False, status__in=["shipped", "delivered", "completed"])
        .select_related("customer")
        .order_by("-placed_at", "-id")
        .first()
    )
    if order is None or not try_normalize_phone(order.customer.phone or ""):
        return {}
    visitor = "demo-web-visitor"
    script = [
        ("web_chat", visitor, "don hang cua toi giao chua"),
        ("web_chat", visitor, f"sdt {order.customer.phone}, ma don {order.code}"),
        ("web_chat", visitor, "cách vệ sinh lưới lọc điều hòa"),
        ("web_chat", visitor, "gặp nhân viên"),
        ("web_chat", f"{visitor}-2", "bảo hành có mất phí không"),
        ("web_chat", f"{visitor}-2", "cảm ơn shop"),
        ("zalo", f"{visitor}-zalo", "giờ mở cửa trung tâm bảo hành"),
        ("web_chat", f"{visitor}-3", "mua vé máy bay ở đâu"),
    ]
    for number, (channel, who, text) in enumerate(script):
        _say(channel, who, number, text)
    return {"bot.conversation": BotConversation.objects.count()}
