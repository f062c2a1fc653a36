"""Catalog API: products and units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haumai.catalog.models import Product, Unit
from haumai.catalog.tests.conftest import send
from haumai.core import clock
from haumai.events.models import Event


def test_create_and_get_product(api_client_for: Any, phones: Any) -> None:
    client = api_client_for("manager")
    body = {
        "sku": "SS-S24",
        "name": "Samsung Galaxy S24",
        "brand": "Samsung",
        "category_code": "phones",
        "price": 15_990_000,
    }
    response = send(client, "post", "/api/v1/products", body)
    assert response.status_code == 201, response.content
    assert response.json()["category_code"] == "phones"
    got = client.get("/api/v1/products/SS-S24").json()
    assert got["price"] == 15_990_000
    assert got["warranty_start"] == "purchase"


def test_create_product_bad_input_changes_nothing(api_client_for: Any, db: Any) -> None:
    client = api_client_for("manager")
    response = send(client, "post", "/api/v1/products", {"sku": "X", "name": "X", "price": -5})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "price", "message": "Price must be a whole number of VND, 0 or more", "code": "invalid_amount"}
    ]
    too_big = send(
        client, "post", "/api/v1/products", {"sku": "X", "name": "X", "price": 10**15, "warranty_months": 10**6}
    )
    assert [f["field"] for f in too_big.json()["error"]["fields"]] == ["price", "warranty_months"]
    not_int = send(client, "post", "/api/v1/products", {"sku": "X", "name": "X", "price": 1.5})
    assert not_int.status_code == 422
    assert not_int.json()["error"]["fields"][0]["field"] == "price"
    assert Product.objects.count() == 0
    assert Event.objects.count() == 0


def test_product_permissions(api_client_for: Any, phone_product: Any) -> None:
    agent = api_client_for("agent")
    assert agent.get("/api/v1/products/IP15-128").status_code == 200
    response = send(agent, "post", "/api/v1/products", {"sku": "X", "name": "X"})
    assert response.status_code == 403
    assert send(agent, "patch", "/api/v1/products/IP15-128", {"price": 1}).status_code == 403
    phone_product.refresh_from_db()
    assert phone_product.price == 19_990_000
    assert Product.objects.count() == 1


def test_expired_token(make_staff: Any, phone_product: Any) -> None:
    from django.test import Client

    from haumai.accounts.services import create_api_token

    user = make_staff("manager")
    _, raw = create_api_token(actor=user, user=user, name="t", days=1)
    clock.freeze(clock.now() + dt.timedelta(days=3))
    response = send(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), "patch", "/api/v1/products/IP15-128", {"price": 1})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]
    phone_product.refresh_from_db()
    assert phone_product.price == 19_990_000


def test_update_product(api_client_for: Any, phone_product: Any) -> None:
    client = api_client_for("manager")
    response = send(client, "patch", "/api/v1/products/IP15-128", {"price": 18_000_000, "category_code": None})
    assert response.status_code == 200, response.content
    assert response.json()["price"] == 18_000_000
    assert response.json()["category_code"] is None
    assert response.json()["name"] == "iPhone 15 128GB"


def test_list_products(api_client_for: Any, phone_product: Any, django_assert_max_num_queries: Any) -> None:
    for index in range(25):
        Product.objects.create(sku=f"CASE-{index:02d}", name=f"Ốp lưng {index}", search_key=f"op lung {index}")
    client = api_client_for("agent")
    client.get("/api/v1/products")
    with django_assert_max_num_queries(4):
        page = client.get("/api/v1/products?limit=100").json()
    assert len(page["items"]) == 26
    assert [p["sku"] for p in client.get("/api/v1/products?q=iphone").json()["items"]] == ["IP15-128"]
    assert [p["sku"] for p in client.get("/api/v1/products?q=ip15").json()["items"]] == ["IP15-128"]
    assert len(client.get("/api/v1/products?q=ốp lưng&limit=10").json()["items"]) == 10
    assert client.get("/api/v1/products?category=phones").json()["items"][0]["sku"] == "IP15-128"
    assert client.get("/api/v1/products?limit=0").status_code == 422
    assert client.get("/api/v1/products/NOPE").status_code == 404


def test_units(api_client_for: Any, phone_product: Any) -> None:
    client = api_client_for("manager")
    url = "/api/v1/products/IP15-128/units"
    created = send(client, "post", url, {"serial": "F2LX1", "imei": "356789012345678"})
    assert created.status_code == 201, created.content
    assert created.json() == {**created.json(), "serial": "F2LX1", "sku": "IP15-128", "status": "in_stock"}
    duplicate = send(client, "post", url, {"serial": "F2LX1"})
    assert duplicate.status_code == 409
    assert "F2LX1" in duplicate.json()["error"]["message"]
    bad = send(client, "post", url, {"serial": "", "imei": "xx"})
    assert bad.status_code == 422
    assert Unit.objects.count() == 1
    assert client.get("/api/v1/units/F2LX1").json()["sku"] == "IP15-128"
    assert client.get("/api/v1/units/356789012345678").json()["serial"] == "F2LX1"
    assert client.get("/api/v1/units/NOPE").status_code == 404
    assert [u["serial"] for u in client.get(url).json()["items"]] == ["F2LX1"]
    forbidden = send(api_client_for("agent"), "post", url, {"serial": "Z"})
    assert forbidden.status_code == 403
    assert Unit.objects.count() == 1
