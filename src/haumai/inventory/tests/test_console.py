"""Console pages of inventory: transfers (list, create with validation, ship/receive/cancel) and available-to-sell."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haumai.catalog.models import Product
from haumai.inventory.availability import refresh_product
from haumai.inventory.models import ChannelAllocation, StockLevel, Transfer, TransferStatus, Warehouse
from haumai.inventory.services import move_stock
from haumai.inventory.transfers import TransferLineInput, request_transfer, ship_transfer
from haumai.sales.models import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi(db: Any) -> Warehouse:
    return Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")


@pytest.fixture
def keeper(make_staff: Any) -> Any:
    return make_staff("warehouse")


@pytest.fixture
def stocked(keeper: Any, product: Product, warehouse: Warehouse) -> Product:
    move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=10, reason="receipt")
    return product


def _level(product: Product, warehouse: Warehouse) -> int:
    level = StockLevel.objects.filter(product=product, warehouse=warehouse, grade="new").first()
    return level.quantity if level else 0


def _form(source: str, destination: str, sku: str, quantity: str) -> dict[str, Any]:
    return {
        "source": source, "destination": destination, "sku": [sku, ""], "grade": ["new", "new"],
        "quantity": [quantity, ""], "serial": ["", ""], "note": "Bổ sung hàng", "idempotency_key": "console:t1",
    }  # fmt: skip


def test_create_ship_and_receive_from_the_console(
    client: Client, keeper: Any, stocked: Product, warehouse: Warehouse, hanoi: Warehouse
) -> None:
    client.force_login(keeper)
    assert client.get("/console/inventory/transfers/new/").status_code == 200
    created = client.post("/console/inventory/transfers/new/", _form("kho-hcm", "kho-hn", "FAN-1", "4"))
    transfer = Transfer.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/console/inventory/transfers/{transfer.code}/"
    page = client.get(created["Location"]).content.decode()
    assert 'id="ship-transfer"' in page and 'id="cancel-transfer"' in page and 'id="receive-transfer"' not in page

    client.post(f"/console/inventory/transfers/{transfer.code}/ship/")
    assert _level(stocked, warehouse) == 6 and _level(stocked, hanoi) == 0
    page = client.get(f"/console/inventory/transfers/{transfer.code}/").content.decode()
    assert 'id="receive-transfer"' in page and 'id="ship-transfer"' not in page

    client.post(f"/console/inventory/transfers/{transfer.code}/receive/")
    assert _level(stocked, hanoi) == 4
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    # Cancelling a received transfer is refused with a message; nothing changes.
    refused = client.post(f"/console/inventory/transfers/{transfer.code}/cancel/", follow=True)
    assert "cannot be" in refused.content.decode()
    assert Transfer.objects.get().status == TransferStatus.RECEIVED and _level(stocked, hanoi) == 4


def test_more_than_in_stock_is_refused_beside_the_form_and_nothing_is_written(
    client: Client, keeper: Any, stocked: Product
) -> None:
    Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    client.force_login(keeper)
    response = client.post("/console/inventory/transfers/new/", _form("kho-hcm", "kho-hn", "FAN-1", "11"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Not enough stock of FAN-1" in body and "10 on hand, 11 asked" in body
    assert 'value="11"' in body  # what was typed is kept
    unknown = client.post("/console/inventory/transfers/new/", _form("kho-hcm", "kho-hn", "NOPE-9", "1"))
    assert unknown.status_code == 400 and "No product with SKU" in unknown.content.decode()
    same = client.post("/console/inventory/transfers/new/", _form("kho-hcm", "kho-hcm", "FAN-1", "1"))
    assert same.status_code == 400 and "other than the source" in same.content.decode()
    assert not Transfer.objects.exists()


def test_permissions_are_checked(client: Client, make_staff: Any, keeper: Any, stocked: Product,
                                 warehouse: Warehouse, hanoi: Warehouse) -> None:  # fmt: skip
    transfer, _ = request_transfer(
        actor=keeper, source=warehouse, destination=hanoi, lines=[TransferLineInput(product=stocked, quantity=2)]
    )
    agent = make_staff("agent")  # sees stock, moves none
    client.force_login(agent)
    assert client.get("/console/inventory/transfers/").status_code == 200
    assert 'id="ship-transfer"' not in client.get(f"/console/inventory/transfers/{transfer.code}/").content.decode()
    assert client.post(f"/console/inventory/transfers/{transfer.code}/ship/").status_code == 403
    assert client.get("/console/inventory/transfers/new/").status_code == 403
    assert client.post("/console/inventory/transfers/new/", _form("kho-hcm", "kho-hn", "FAN-1", "1")).status_code == 403
    assert Transfer.objects.get().status == TransferStatus.REQUESTED and _level(stocked, warehouse) == 10
    client.logout()
    assert client.get("/console/inventory/transfers/").status_code == 302  # to the login page


def test_the_transfer_list_filters_pages_and_keeps_its_query_budget(
    client: Client, keeper: Any, stocked: Product, warehouse: Warehouse, hanoi: Warehouse,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for _ in range(30):
        transfer, _created = request_transfer(
            actor=keeper, source=warehouse, destination=hanoi, lines=[TransferLineInput(product=stocked, quantity=1)]
        )
    ship_transfer(actor=keeper, transfer=transfer)
    client.force_login(keeper)
    client.get("/console/inventory/transfers/")  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        first = client.get("/console/inventory/transfers/")
    body = first.content.decode()
    assert body.count("/console/inventory/transfers/TR-") == 25 and "page=2" in body
    with django_assert_max_num_queries(12):
        second = client.get("/console/inventory/transfers/?page=2")
    assert second.content.decode().count("/console/inventory/transfers/TR-") == 5
    moving = client.get("/console/inventory/transfers/?status=in_transit").content.decode()
    assert moving.count("/console/inventory/transfers/TR-") == 1 and transfer.code in moving
    assert client.get("/console/inventory/transfers/?warehouse=kho-x").status_code == 200  # unknown: no filter


def test_availability_per_sku_and_channel(
    client: Client, keeper: Any, warehouse: Warehouse, django_assert_max_num_queries: Any
) -> None:
    website = Channel.objects.create(code="website", name="Website", kind="website")
    outlet = Channel.objects.create(code="outlet", name="Outlet", kind="store")
    ChannelAllocation.objects.create(channel=website, grades="new,A", share_percent=100)
    ChannelAllocation.objects.create(channel=outlet, grades="B", share_percent=100)
    products = [
        Product.objects.create(sku=f"SKU-{n:02d}", name=f"Sản phẩm {n}", search_key=f"san pham {n}", price=100_000)
        for n in range(30)
    ]
    for n, product in enumerate(products):
        move_stock(actor=keeper, product=product, warehouse=warehouse, grade="new", quantity=n + 1, reason="receipt")
        if n == 0:
            move_stock(actor=keeper, product=product, warehouse=warehouse, grade="B", quantity=2, reason="receipt")
        refresh_product(product=product, actor=None)
    client.force_login(keeper)
    client.get("/console/inventory/availability/")
    with django_assert_max_num_queries(12):
        page = client.get("/console/inventory/availability/")
    body = page.content.decode()
    assert body.count("<tr><td>SKU-") == 25 and "Website" in body and "Outlet" in body and "page=2" in body
    only = client.get("/console/inventory/availability/?q=SKU-00&channel=outlet").content.decode()
    assert only.count("<tr><td>SKU-") == 1 and "Website</th>" not in only
    assert '<span title="Sent' in only and ">2</span>" in only
    assert client.get("/console/inventory/availability/?channel=nope").status_code == 200
    client.force_login(make_customerless_staff(client))
    assert client.get("/console/inventory/availability/").status_code == 403


def make_customerless_staff(client: Client) -> Any:
    """A signed-in staff account without any role (no inventory permission)."""
    from haumai.accounts.models import User

    return User.objects.create_user(username="norole", password="s3cret-pass-123", is_staff=True)
