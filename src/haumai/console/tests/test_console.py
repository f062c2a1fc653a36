"""Console pages through the Django test client: login + lockout, search, customer 360, masking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.accounts.models import LoginFailure
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.customers.services import create_customer
from haumai.events.models import Event
from haumai.sales.models import Channel, ChannelKind
from haumai.sales.services import CustomerRef, OrderLineInput, upsert_order

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"


@pytest.fixture
def customer(make_staff: Any) -> Customer:
    manager = make_staff("manager")
    Channel.objects.get_or_create(code="website", defaults={"name": "Website", "kind": ChannelKind.WEBSITE})
    create_product(actor=manager, sku="SM-S24", name="Samsung Galaxy S24", price=20_990_000, is_serialized=True)
    found = create_customer(actor=manager, full_name="Nguyễn Văn An", phone="0912 345 678", email="an@example.vn")
    for n in range(12):
        upsert_order(
            actor=manager,
            channel_code="website",
            external_id=f"W-{n}",
            customer=CustomerRef(code=found.code),
            lines=[OrderLineInput(sku="SM-S24", quantity=1, unit_price=20_990_000, serial=f"SN-{n:04d}")],
            placed_at=clock.now() - dt.timedelta(days=n),
        )
    return found


def logged_in(make_staff: Any, role: str) -> Client:
    client = Client()
    user = make_staff(role)
    assert client.login(username=user.username, password=PASSWORD)
    return client


class TestLogin:
    def test_staff_logs_in_and_sees_home(self, make_staff: Any) -> None:
        user = make_staff("agent")
        client = Client()
        response = client.post(reverse("console:login"), {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("console:home")).status_code == 200

    def test_wrong_password_gives_a_clear_message(self, make_staff: Any) -> None:
        user = make_staff("agent")
        response = Client().post(reverse("console:login"), {"username": user.username, "password": "nope"})
        assert response.status_code == 200
        assert (
            "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
            or "Wrong username" in response.content.decode()
        )

    def test_lockout_after_five_failures_even_with_the_right_password(self, make_staff: Any) -> None:
        user = make_staff("agent")
        client = Client()
        for _ in range(5):
            client.post(reverse("console:login"), {"username": user.username, "password": "wrong"})
        response = client.post(reverse("console:login"), {"username": user.username, "password": PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        clock.freeze(clock.now() + dt.timedelta(minutes=16))
        response = client.post(reverse("console:login"), {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert LoginFailure.objects.filter(username=user.username).count() == 0

    def test_pages_need_login(self) -> None:
        for name in ("console:home", "console:search", "customers:list"):
            response = Client().get(reverse(name))
            assert response.status_code == 302
            assert "/console/login/" in response["Location"]


@pytest.mark.vietnamese
def test_console_speaks_vietnamese_by_default_and_english_on_request(make_staff: Any) -> None:
    login_page = Client().get(reverse("console:login")).content.decode()
    assert "Đăng nhập nhân viên" in login_page
    client = logged_in(make_staff, "agent")
    client.post(reverse("set_language"), {"language": "en", "next": "/console/"})
    assert "Staff login" not in client.get(reverse("console:home")).content.decode()
    assert "Log out" in client.get(reverse("console:home")).content.decode()


class TestSearch:
    @pytest.mark.parametrize(
        "query", ["nguyen van an", "Nguyễn Văn An", "0912 345 678", "+84912345678", "84912345678", "an@example.vn"]
    )
    def test_finds_the_customer_any_way(self, make_staff: Any, customer: Customer, query: str) -> None:
        response = logged_in(make_staff, "agent").get(reverse("console:search"), {"q": query}, HTTP_HX_REQUEST="true")
        assert customer.code in response.content.decode()

    def test_finds_by_order_code_and_serial(self, make_staff: Any, customer: Customer) -> None:
        client = logged_in(make_staff, "agent")
        order = customer.orders.order_by("id").first()
        assert order is not None
        assert order.code in client.get(reverse("console:search"), {"q": order.code}).content.decode()
        assert "SN-0003" in client.get(reverse("console:search"), {"q": "SN-0003"}).content.decode()

    @pytest.mark.parametrize("query", ["x" * 10_000, "' OR 1=1 --", "<script>alert(1)</script>", "%_%", "\x00"])
    def test_hostile_queries_are_harmless(self, make_staff: Any, customer: Customer, query: str) -> None:
        response = logged_in(make_staff, "agent").get(reverse("console:search"), {"q": query})
        # A NUL byte cannot be stored or searched: the edge refuses it (core.edge) before the view.
        assert response.status_code == (400 if "\x00" in query else 200)
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert customer.code not in body

    def test_search_is_a_bounded_number_of_queries(
        self, make_staff: Any, customer: Customer, django_assert_max_num_queries: Any
    ) -> None:
        client = logged_in(make_staff, "agent")
        with django_assert_max_num_queries(8):
            client.get(reverse("console:search"), {"q": "nguyen"}, HTTP_HX_REQUEST="true")


class TestCustomer360:
    def test_shows_profile_orders_serials_and_timeline(self, make_staff: Any, customer: Customer) -> None:
        response = logged_in(make_staff, "agent").get(reverse("customers:detail", args=[customer.code]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Nguyễn Văn An" in body
        assert "+84912345678" in body
        assert "SN-0000" in body
        assert "20.990.000 ₫" in body
        assert "was placed — 20.990.000 ₫" in body  # the timeline says the event, not its raw name

    def test_warehouse_sees_a_masked_phone(self, make_staff: Any, customer: Customer) -> None:
        body = (
            logged_in(make_staff, "warehouse").get(reverse("customers:detail", args=[customer.code])).content.decode()
        )
        assert "+84912345678" not in body
        assert "+8491****678" in body
        assert "an@example.vn" not in body

    def test_query_count_does_not_grow_with_orders(
        self, make_staff: Any, customer: Customer, django_assert_max_num_queries: Any
    ) -> None:
        client = logged_in(make_staff, "agent")
        assert Event.objects.filter(customer=customer).count() > 10
        # A fixed number per panel (repairs, appointments, tickets, survey scores and data requests added 6;
        # segments and RFM 2, what to offer 3; the processing restriction 1, read once for privacy and offers).
        with django_assert_max_num_queries(45):  # 3 of them: the cashback summary, not-recovered total, rows
            client.get(reverse("customers:detail", args=[customer.code]))

    def test_order_pages_and_unknown_customer(self, make_staff: Any, customer: Customer) -> None:
        client = logged_in(make_staff, "agent")
        first = client.get(reverse("customers:detail", args=[customer.code])).content.decode()
        assert "orders_after=" in first
        assert client.get(reverse("customers:detail", args=["CUS-0000-999999"])).status_code == 404

    def test_list_and_query_count(
        self, make_staff: Any, customer: Customer, django_assert_max_num_queries: Any
    ) -> None:
        client = logged_in(make_staff, "agent")
        with django_assert_max_num_queries(8):
            response = client.get(reverse("customers:list"), {"q": "an"})
        assert customer.code in response.content.decode()
