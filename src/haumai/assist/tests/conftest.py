"""Fixtures: a local OpenAI-compatible server, a shop with a customer who has an order, a warranty-style serial
and a Zalo ticket, and the demo help articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from haumai.bot.tests.helpers import publish_demo_articles
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.services import add_identity, create_customer
from haumai.sales.models import Channel
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order
from haumai.support.channels.inbound import InboundMessage
from haumai.support.models import Message
from haumai.support.services.ingest import ingest_inbound
from haumai.testing.ai_provider import LocalAIProvider, local_ai_provider

NOW = dt.datetime(2026, 6, 10, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _assist_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HAUMAI_PUBLIC_URL = "https://shop.example.vn"
    settings.HAUMAI_AI_BASE_URL = ""
    settings.HAUMAI_AI_SEND_PERSONAL_DATA = "0"
    settings.HAUMAI_AI_MONTHLY_TOKEN_BUDGET = "1000000"
    with clock.frozen(NOW):
        yield


@pytest.fixture
def ai(settings: Any) -> Iterator[LocalAIProvider]:
    with local_ai_provider() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def articles(make_staff: Any) -> int:
    return publish_demo_articles(make_staff("manager"))


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": "website"})
    create_product(actor=None, sku="WASHER-1", name="Máy giặt LG 9 kg", price=9_000_000, is_serialized=True)
    buyer = create_customer(actor=None, full_name="Nguyễn Văn An", phone="0901234567", email="an.nguyen@example.vn")
    placed = clock.now() - dt.timedelta(days=3)
    line = OrderLineInput(sku="WASHER-1", quantity=1, unit_price=9_000_000, serial="LGW12345678")
    order, _ = upsert_order(
        actor=None,
        channel_code="website",
        customer=CustomerRef(code=buyer.code),
        lines=[line],
        placed_at=placed,
        status="shipped",
        payment_method="cod",
    )
    add_identity(actor=None, customer=buyer, kind="zalo", value="zalo-an")
    return {"buyer": buyer, "order": order}


def zalo(text: str, *, number: int = 1, visitor: str = "zalo-an") -> InboundMessage:
    """An inbound Zalo message from the shop's customer."""
    return InboundMessage(
        channel="zalo",
        external_id=f"zalo-{visitor}-{number}",
        sender_kind="zalo_user_id",
        sender_value=visitor,
        sender_name="An",
        sent_at=clock.now(),
        text=text,
    )


def receive(text: str, *, number: int = 1) -> Message:
    """Store one inbound message on the customer's ticket."""
    stored = ingest_inbound(zalo(text, number=number))
    assert stored is not None
    return stored
