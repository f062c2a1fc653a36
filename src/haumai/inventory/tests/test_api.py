"""Stock API: levels and moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haumai.catalog.models import Product, Unit
from haumai.core import clock
from haumai.inventory.models import StockLevel, StockMove, Warehouse
from haumai.inventory.services import move_stock
from haumai.inventory.tests.conftest import post

URL = "/api/v1/stock"


def body(**overrides: Any) -> dict[str, Any]:
    return {"sku": "FAN-1", "warehouse": "kho-hcm", "grade": "new", "quantity": 5, "reason": "receipt", **overrides}


def test_post_move_and_read_levels(api_client_for: Any, product: Any, warehouse: Any) -> None:
    client = api_client_for("warehouse")
    response = post(client, f"{URL}/moves", body(reference="PO-7"))
    assert response.status_code == 201, response.content
    assert response.json()["quantity"] == 5
    assert response.json()["actor"].startswith("warehouse")
    levels = client.get(f"{URL}?sku=FAN-1").json()["items"]
    assert [(lv["warehouse"], lv["grade"], lv["quantity"]) for lv in levels] == [("kho-hcm", "new", 5)]
    moves = client.get(f"{URL}/moves?reference=PO-7").json()["items"]
    assert len(moves) == 1


def test_post_move_bad_input_changes_nothing(api_client_for: Any, product: Any, warehouse: Any) -> None:
    client = api_client_for("warehouse")
    post(client, f"{URL}/moves", body(quantity=2))
    cases = [
        (
            body(quantity=-3, reason="sale"),
            "quantity",
            "Not enough stock of FAN-1 (New) in Kho Hồ Chí Minh: 2 on hand, cannot take 3",
        ),
        (body(quantity=0), "quantity", "Quantity must be a whole number other than 0"),
        (body(sku="NOPE"), "sku", "No product with SKU NOPE"),
        (body(warehouse="nowhere"), "warehouse", "No warehouse with code nowhere"),
        (body(grade="Z"), "grade", "Unknown grade 'Z'"),
        (body(serial="NOPE"), "serial", "No unit with serial or IMEI NOPE"),
    ]
    for payload, field, message in cases:
        response = post(client, f"{URL}/moves", payload)
        assert response.status_code == 422, (payload, response.content)
        error = response.json()["error"]["fields"][0]
        assert error["field"] == field
        assert error["message"].startswith(message)
    assert StockMove.objects.count() == 1
    assert StockLevel.objects.get().quantity == 2


def test_serial_move(api_client_for: Any, product: Any, warehouse: Any) -> None:
    Unit.objects.create(product=product, serial="Q-1")
    client = api_client_for("warehouse")
    assert post(client, f"{URL}/moves", body(quantity=1, serial="Q-1")).json()["serial"] == "Q-1"
    too_many = post(client, f"{URL}/moves", body(quantity=2, serial="Q-1"))
    assert too_many.status_code == 422
    assert StockMove.objects.count() == 1


def test_move_needs_permission(api_client_for: Any, product: Any, warehouse: Any) -> None:
    response = post(api_client_for("agent"), f"{URL}/moves", body())
    assert response.status_code == 403
    assert "inventory.add_stockmove" in response.json()["error"]["message"]
    assert StockMove.objects.count() == 0
    assert StockLevel.objects.count() == 0


def test_move_with_expired_token(make_staff: Any, product: Any, warehouse: Any) -> None:
    from django.test import Client

    from haumai.accounts.services import create_api_token

    user = make_staff("warehouse")
    _, raw = create_api_token(actor=user, user=user, name="scanner", days=1)
    clock.freeze(clock.now() + dt.timedelta(days=2))
    response = post(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), f"{URL}/moves", body())
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]
    assert StockMove.objects.count() == 0


def test_levels_filters_and_query_count(
    api_client_for: Any, make_staff: Any, product: Any, warehouse: Any, django_assert_max_num_queries: Any
) -> None:
    actor = make_staff("warehouse")
    other = Warehouse.objects.create(code="kho-hn", name="Kho Hà Nội")
    for index in range(15):
        item = Product.objects.create(sku=f"P-{index:02d}", name=f"P {index}", search_key=f"p {index}")
        for place in (warehouse, other):
            move_stock(actor=actor, product=item, warehouse=place, grade="A", quantity=index + 1, reason="receipt")
    client = api_client_for("agent")
    client.get(URL)
    with django_assert_max_num_queries(4):
        page = client.get(f"{URL}?limit=100").json()
    assert len(page["items"]) == 30
    assert len(client.get(f"{URL}?warehouse=kho-hn").json()["items"]) == 15
    assert client.get(f"{URL}?sku=P-03&warehouse=kho-hcm&grade=A").json()["items"][0]["quantity"] == 4
    assert client.get(f"{URL}?grade=new").json()["items"] == []
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{URL}/moves?limit=30").json()["items"]) == 30
    assert client.get(f"{URL}?limit=500").status_code == 422
