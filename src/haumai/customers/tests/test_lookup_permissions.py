"""Separation of duties: finding a customer by phone or e-mail needs the PII permission (not warehouse)."""

from __future__ import annotations

from typing import Any

import pytest

from haumai.customers import services

URL = "/api/v1/customers"
pytestmark = pytest.mark.django_db


@pytest.fixture
def known_phone(make_staff: Any) -> str:
    services.create_customer(actor=make_staff("agent"), full_name="Nguyễn Văn An", phone="0912345678", email="an@x.vn")
    return "0912345678"


def test_warehouse_cannot_tell_whether_a_phone_is_a_customer(api_client_for: Any, known_phone: str) -> None:
    warehouse = api_client_for("warehouse")
    known = warehouse.get(f"{URL}/by-phone/{known_phone}")
    unknown = warehouse.get(f"{URL}/by-phone/0987000111")
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()
    assert known.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "query", ["phone=0912345678", "q=0912%20345%20678", "q=%2B84912345678", "email=an@x.vn", "q=an@x.vn"]
)
def test_warehouse_cannot_search_the_list_by_phone_or_email(api_client_for: Any, known_phone: str, query: str) -> None:
    response = api_client_for("warehouse").get(f"{URL}?{query}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_warehouse_still_lists_and_searches_by_name(api_client_for: Any, known_phone: str) -> None:
    warehouse = api_client_for("warehouse")
    assert len(warehouse.get(f"{URL}?q=nguyen").json()["items"]) == 1
    assert len(warehouse.get(URL).json()["items"]) == 1


@pytest.mark.parametrize("role", ["agent", "technician", "manager"])
def test_roles_with_pii_look_up_by_phone(api_client_for: Any, known_phone: str, role: str) -> None:
    client = api_client_for(role)
    assert client.get(f"{URL}/by-phone/{known_phone}").status_code == 200
    assert len(client.get(f"{URL}?phone={known_phone}").json()["items"]) == 1


@pytest.mark.parametrize("query", ["0912345678", "0912 345 678", "+84912345678", "an@x.vn"])
def test_warehouse_console_search_finds_no_one_by_phone_or_email(
    client: Any, make_staff: Any, known_phone: str, query: str
) -> None:
    from haumai.console.selectors import global_search

    warehouse, agent = make_staff("warehouse"), make_staff("agent")
    assert not [hit for hit in global_search(query, warehouse).hits if "/customers/" in hit.url]
    assert [hit.title for hit in global_search(query, agent).hits if "/customers/" in hit.url] == ["Nguyễn Văn An"]
    assert "Nguyễn Văn An" not in str(global_search(f"doi tra {query}", warehouse).hits)
    client.force_login(warehouse)
    page = client.get("/console/customers/", {"q": query}).content.decode()
    assert "Nguyễn Văn An" not in page and "needs access to personal data" in page
    assert "Nguyễn Văn An" in client.get("/console/customers/", {"q": "nguyen van an"}).content.decode()
    client.force_login(agent)
    assert "Nguyễn Văn An" in client.get("/console/customers/", {"q": query}).content.decode()
