"""Exchange for another product: the policy says which, the portal offers the in-stock ones, the server checks
the choice, and the replacement order, stock move and shipment carry the chosen product."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haumai.catalog.models import Category, Product
from haumai.catalog.services import create_product
from haumai.customers.models import Ward
from haumai.inventory.models import StockMove
from haumai.inventory.services import move_stock
from haumai.returns import logistics, services
from haumai.returns.models import ReturnPolicy, ReturnRequest, Status
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_integration import ghn_pickup, push
from haumai.returns.tests.test_portal import form, portal
from haumai.sales.models import Order
from haumai.testing.carriers import LocalCarriers

pytestmark = pytest.mark.django_db


@pytest.fixture
def choices(shop: Shop) -> Shop:
    """A same-category policy; phones in the category: cheaper in stock, cheaper sold out, dearer in stock."""
    ReturnPolicy.objects.create(
        name="Đổi sản phẩm khác", window_days=30, auto_approve=True, exchange_for_other="same_category"
    )
    phones = Category.objects.get(code="phones")
    for sku, name, price, stock in (
        ("PHONE-3", "Phone Three", 9_000_000, 2), ("PHONE-4", "Phone Four", 8_000_000, 0),
        ("PHONE-5", "Phone Five", 11_000_000, 2),
    ):
        create_product(actor=None, sku=sku, name=name, price=price, category_code=phones.code)
        if stock:
            move_stock(
                actor=None, product=Product.objects.get(sku=sku), warehouse=shop.warehouse, grade="new",
                quantity=stock, reason="receipt",
            )  # fmt: skip
    move_stock(
        actor=None, product=Product.objects.get(sku="CASE-1"), warehouse=shop.warehouse, grade="new", quantity=5,
        reason="receipt",
    )  # fmt: skip
    return shop


def url(shop: Shop) -> str:
    return f"/portal/orders/{shop.order.code}/return/"


def test_the_portal_offers_only_eligible_products_in_stock(
    choices: Shop, django_assert_max_num_queries: Any
) -> None:
    client = portal(choices.customer)
    with django_assert_max_num_queries(17):  # 16: three per order line for the choices
        page = client.get(url(choices))
    html = page.content.decode()
    assert page.status_code == 200 and 'value="exchange_other"' in html
    assert '<option value="PHONE-3"' in html
    assert 'value="PHONE-4"' not in html  # sold out
    assert 'value="PHONE-5"' not in html  # dearer than the phone
    assert 'value="CASE-1"' not in html  # another category
    assert 'value="PHONE-1"' not in html  # the returned product itself
    assert "No price difference is charged" in html


def test_without_the_policy_option_another_product_is_not_offered_nor_accepted(choices: Shop) -> None:
    ReturnPolicy.objects.update(exchange_for_other="off")
    client = portal(choices.customer)
    assert 'value="exchange_other"' not in client.get(url(choices)).content.decode()

    response = client.post(url(choices), form(choices, resolution="exchange_other", exchange_sku="PHONE-3"))

    assert response.status_code == 422
    assert "The return policy does not offer another product for these items" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_choosing_an_eligible_product_records_it(choices: Shop) -> None:
    client = portal(choices.customer)

    response = client.post(url(choices), form(choices, resolution="exchange_other", exchange_sku="PHONE-3"))

    assert response.status_code == 302, response.content.decode()[-3000:]
    request = ReturnRequest.objects.get()
    assert (request.resolution, request.exchange_sku) == ("exchange_other", "PHONE-3")


@pytest.mark.parametrize(
    ("sku", "message"),
    [
        ("PHONE-5", "Phone Five cannot be chosen for this exchange"),
        ("CASE-1", "Case cannot be chosen for this exchange"),
        ("NOPE", "Choose the item to exchange for"),
        ("PHONE-4", "Phone Four is out of stock: choose another product"),
    ],
)
def test_an_ineligible_or_sold_out_choice_is_refused_and_nothing_is_created(
    choices: Shop, sku: str, message: str, django_assert_max_num_queries: Any
) -> None:
    client = portal(choices.customer)
    moves = StockMove.objects.count()

    with django_assert_max_num_queries(34):
        response = client.post(url(choices), form(choices, resolution="exchange_other", exchange_sku=sku))

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'id="err-exchange"' in html
    assert not ReturnRequest.objects.exists() and StockMove.objects.count() == moves


def test_the_replacement_order_stock_and_shipment_carry_the_chosen_product(
    choices: Shop, ward: Ward, settings: Any, carriers: LocalCarriers, tick: Callable[[], None], make_staff: Any
) -> None:
    request = ghn_pickup(choices, ward, settings, resolution="exchange_other", exchange_sku="PHONE-3")
    tick()
    request.refresh_from_db()
    push(carriers, request.tracking_code, "picked")
    push(carriers, request.tracking_code, "delivered")
    tick()
    request.refresh_from_db()
    services.receive_return(actor=None, request=request)
    services.inspect_line(actor=None, line=request.lines.get(), grade="A", disposition="restock")
    request.refresh_from_db()

    assert request.status == Status.EXCHANGED, request.problem
    replacement_order = Order.objects.get(code=request.exchange_order_code)
    assert [line.product.sku for line in replacement_order.lines.all()] == ["PHONE-3"]
    taken = StockMove.objects.filter(reference=request.code, quantity__lt=0).get()
    assert taken.product.sku == "PHONE-3" and taken.quantity == -1
    (shipment,) = logistics.replacement_shipments(request)
    assert [item["sku"] for item in shipment.parcel["items"]] == ["PHONE-3"]

    agent = Client()
    agent.force_login(make_staff("agent"))
    page = agent.get(f"/console/returns/{request.code}/").content.decode()
    assert "Exchange for Phone Three (PHONE-3)" in page
