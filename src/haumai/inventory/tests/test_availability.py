"""Available-to-sell per channel: derived from levels and allocations, published with the move, announced."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.catalog.models import Product
from haumai.events.models import Event
from haumai.inventory import availability
from haumai.inventory.models import ChannelAllocation, ChannelStock, Warehouse
from haumai.inventory.services import move_stock
from haumai.inventory.transfers import TransferLineInput, receive_transfer, request_transfer, ship_transfer
from haumai.sales.models import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(db: Any, warehouse: Warehouse) -> dict[str, Channel]:
    website = Channel.objects.create(code="web-main", name="Website", kind="website")
    outlet = Channel.objects.create(code="outlet", name="Outlet", kind="marketplace")
    ChannelAllocation.objects.create(channel=website, grades="new,A", share_percent=100, buffer=2)
    ChannelAllocation.objects.create(channel=outlet, grades="B", share_percent=50)
    return {"website": website, "outlet": outlet}


def _available(product: Product, channel: Channel) -> int | None:
    row = ChannelStock.objects.filter(product=product, channel=channel).first()
    return row.available if row else None


def test_restock_publishes_per_channel_with_share_and_buffer(channels: dict[str, Channel], product: Product,
                                                             warehouse: Warehouse) -> None:  # fmt: skip
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    assert _available(product, channels["website"]) == 3  # 5 less the buffer of 2
    assert _available(product, channels["outlet"]) is None  # a grade the outlet does not sell: not touched
    move_stock(actor=None, product=product, warehouse=warehouse, grade="B", quantity=3, reason="return_restock",
               reference="RMA-2026-000001")  # fmt: skip
    assert _available(product, channels["outlet"]) == 1  # half of 3, rounded down
    assert _available(product, channels["website"]) == 3
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=-4, reason="sale")
    assert _available(product, channels["website"]) == 0  # never below zero
    events = list(Event.objects.filter(name="stock.available_changed").order_by("pk"))
    assert [(e.payload["channel"], e.payload["previous"], e.payload["available"]) for e in events] == [
        ("web-main", 0, 3),
        ("outlet", 0, 1),
        ("web-main", 3, 0),
    ]
    assert events[1].payload["sku"] == "FAN-1" and events[1].payload["channel_name"] == "Outlet"


def test_a_move_that_leaves_availability_unchanged_announces_nothing(
    channels: dict[str, Channel], product: Product, warehouse: Warehouse
) -> None:
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=1, reason="receipt")
    assert _available(product, channels["website"]) == 0  # within the buffer
    assert not Event.objects.filter(name="stock.available_changed").exists()


def test_warehouse_scoped_allocation_and_transfer_landing(make_staff: Any, channels: dict[str, Channel],
                                                          product: Product, warehouse: Warehouse) -> None:  # fmt: skip
    keeper = make_staff("warehouse")
    hanoi = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    shop = Channel.objects.create(code="store-hn", name="Cửa hàng Hà Nội", kind="store")
    ChannelAllocation.objects.create(channel=shop, warehouse=hanoi, grades="new")
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=6, reason="receipt")
    assert _available(product, shop) is None
    transfer, _ = request_transfer(actor=keeper, source=warehouse, destination=hanoi,
                                   lines=[TransferLineInput(product=product, quantity=2)])  # fmt: skip
    ship_transfer(actor=keeper, transfer=transfer)
    assert _available(product, channels["website"]) == 2  # 4 left, less the buffer: in transit sells nowhere
    receive_transfer(actor=keeper, transfer=transfer)
    assert _available(product, shop) == 2
    assert _available(product, channels["website"]) == 4  # the website draws from every warehouse


def test_rule_change_recomputes_everything(
    channels: dict[str, Channel], product: Product, warehouse: Warehouse
) -> None:
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=5, reason="receipt")
    ChannelAllocation.objects.filter(channel=channels["website"]).update(buffer=0)
    ChannelAllocation.objects.filter(channel=channels["outlet"]).update(grades="new,B")
    assert availability.refresh_all() == 2
    assert _available(product, channels["website"]) == 5 and _available(product, channels["outlet"]) == 2
    ChannelAllocation.objects.filter(channel=channels["outlet"]).update(is_active=False)
    availability.refresh_all()
    assert _available(product, channels["outlet"]) == 0


def test_api_reads_available_and_checks_permission(api_client_for: Any, channels: dict[str, Channel],
                                                   product: Product, warehouse: Warehouse,
                                                   django_assert_max_num_queries: Any) -> None:  # fmt: skip
    move_stock(actor=None, product=product, warehouse=warehouse, grade="new", quantity=7, reason="receipt")
    for n in range(30):
        other = Product.objects.create(sku=f"SKU-{n}", name=f"P{n}", search_key=f"p{n}", price=1)
        move_stock(actor=None, product=other, warehouse=warehouse, grade="new", quantity=3, reason="receipt")
    client = api_client_for("warehouse")
    with django_assert_max_num_queries(8):
        page = client.get("/api/v1/stock/available?channel=web-main&limit=50").json()
    assert len(page["items"]) == 31
    one = client.get("/api/v1/stock/available?sku=FAN-1").json()["items"]
    assert one == [{"sku": "FAN-1", "channel": "web-main", "available": 5, "updated_at": one[0]["updated_at"]}]
    from django.test import Client

    denied = Client().get("/api/v1/stock/available")
    assert denied.status_code in (401, 403) and "items" not in denied.json()


def test_channel_webhook_receives_the_new_quantity(channels: dict[str, Channel], product: Product,
                                                   warehouse: Warehouse) -> None:  # fmt: skip
    from haumai.messaging.models import Delivery, WebhookSubscription
    from haumai.messaging.webhooks import forget_cached_subscriptions

    WebhookSubscription.objects.create(
        name="Outlet shop", url="http://127.0.0.1:9/stock", secret="s", event_patterns="stock.available_changed"
    )
    forget_cached_subscriptions()
    from haumai.events.services import dispatch_events

    move_stock(actor=None, product=product, warehouse=warehouse, grade="B", quantity=4, reason="return_restock",
               reference="RMA-2026-000009")  # fmt: skip
    dispatch_events(list(Event.objects.filter(name="stock.available_changed")))
    delivery = Delivery.objects.get(template_key="stock.available_changed")
    assert delivery.payload["payload"] == {
        "sku": "FAN-1", "product_name": "Quạt đứng", "channel": "outlet", "channel_name": "Outlet",
        "previous": 0, "available": 2,
    }  # fmt: skip
    forget_cached_subscriptions()
