"""Global search and command palette: name ranking, codes of every kind, permissions, query counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.accounts.models import User
from haumai.console.selectors import global_search
from haumai.core import clock
from haumai.customers.selectors import customer_search
from haumai.customers.services import create_customer
from haumai.payments.models import Refund, RefundMethod
from haumai.returns.tests.conftest import Shop
from haumai.returns.tests.test_console import open_return
from haumai.shipping.models import Carrier, Shipment

pytestmark = pytest.mark.django_db
NAMES = [
    "Nguyễn Thị Anh",
    "Nguyễn Văn An",
    "Lê An Nguyên",
    "Nguyễn Anh Tuấn",
    "An Thị Nguyệt",
    "Trần Văn Bình",
    "Nguyễn Hoàng Văn An Khang",
]


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {name: create_customer(actor=None, full_name=name) for name in NAMES}


def names_for(query: str) -> list[str]:
    return [customer.full_name for customer in customer_search(query, limit=10)]


def hit_titles(html: str) -> list[str]:
    return re.findall(r'<strong class="hm-hit-title">([^<]+)</strong>', html)


def client_for(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


class TestNameRanking:
    @pytest.mark.parametrize(
        "query", ["nguyen an", "Nguyễn An", "NGUYEN AN", "an nguyen", "An Nguyễn", "nguyen van an", "van an nguyen"]
    )
    def test_family_and_given_name_find_nguyen_van_an_first(self, people: dict[str, Any], query: str) -> None:
        found = names_for(query)
        assert found[0] == "Nguyễn Văn An", found

    def test_words_left_out_in_any_order_and_prefixes(self, people: dict[str, Any]) -> None:
        assert set(names_for("nguyen an")) == {
            "Nguyễn Thị Anh", "Nguyễn Văn An", "Lê An Nguyên", "Nguyễn Anh Tuấn", "Nguyễn Hoàng Văn An Khang",
        }  # fmt: skip
        assert names_for("binh tran") == ["Trần Văn Bình"]
        assert names_for("anh nguyen")[:2] == ["Nguyễn Thị Anh", "Nguyễn Anh Tuấn"]
        assert "An Thị Nguyệt" in names_for("nguyet")
        assert names_for("nguyen khang")[0] == "Nguyễn Hoàng Văn An Khang"

    def test_the_exact_name_beats_a_longer_one(self, people: dict[str, Any]) -> None:
        create_customer(actor=None, full_name="Nguyễn An")
        assert names_for("nguyen an")[:2] == ["Nguyễn An", "Nguyễn Văn An"]

    def test_nothing_matches_a_word_no_name_has(self, people: dict[str, Any]) -> None:
        assert names_for("nguyen zzz") == []
        assert names_for("%") == []
        assert names_for("_") == []

    def test_the_endpoint_shows_them_in_that_order(self, make_staff: Any, people: dict[str, Any]) -> None:
        html = (
            client_for(make_staff, "agent")
            .get(reverse("console:search"), {"q": "an nguyen"}, HTTP_HX_REQUEST="true")
            .content.decode()
        )
        assert hit_titles(html)[0] == "Nguyễn Văn An"


class TestCodes:
    def test_rma_code_any_case_and_drop_off_code(self, make_staff: Any, shop: Shop) -> None:
        rma = open_return(shop)
        client = client_for(make_staff, "agent")
        for query in (rma.code, rma.code.lower()):
            html = client.get(reverse("console:search"), {"q": query}, HTTP_HX_REQUEST="true").content.decode()
            assert hit_titles(html)[0] == rma.code
            assert reverse("returns:detail", args=[rma.code]) in html
        if rma.dropoff_code:
            html = client.get(reverse("console:search"), {"q": rma.dropoff_code}, HTTP_HX_REQUEST="true")
            assert rma.code in html.content.decode()

    def test_shipment_by_code_and_carrier_tracking_code(self, make_staff: Any, shop: Shop) -> None:
        carrier = Carrier.objects.order_by("id").first()
        assert carrier is not None
        shipment = Shipment.objects.create(
            code="SHP-2026-000042", carrier=carrier, direction="reverse", tracking_code="GHN8842QX7",
            reference="RMA-2026-000001", customer=shop.customer, idempotency_key="test-shipment",
        )  # fmt: skip
        client = client_for(make_staff, "warehouse")
        for query in ("GHN8842QX7", "shp-2026-000042"):
            html = client.get(reverse("console:search"), {"q": query}, HTTP_HX_REQUEST="true").content.decode()
            assert hit_titles(html)[0] == shipment.code
            assert carrier.name in html

    def test_refund_order_and_serial(self, make_staff: Any, shop: Shop) -> None:
        Refund.objects.create(
            code="RF-2026-000007", order=shop.order, customer=shop.customer, method=RefundMethod.CASH,
            amount_vnd=200_000, idempotency_key="test-refund", requested_at=clock.now(),
        )  # fmt: skip
        client = client_for(make_staff, "agent")

        def titles(query: str) -> list[str]:
            response = client.get(reverse("console:search"), {"q": query}, HTTP_HX_REQUEST="true")
            return hit_titles(response.content.decode())

        assert titles("RF-2026-000007") == ["RF-2026-000007"]
        assert titles(shop.order.code)[:2] == [shop.order.code, f"New return for order {shop.order.code}"]
        assert titles("SN-0001") == ["SN-0001"]

    def test_actions_new_return_for_a_customer_and_go_to_a_page(self, make_staff: Any, shop: Shop) -> None:
        client = client_for(make_staff, "manager")
        html = client.get(reverse("console:search"), {"q": "new return for nguyen an"}, HTTP_HX_REQUEST="true")
        body = html.content.decode()
        assert f"?customer={shop.customer.code}" in body
        assert "New return for Nguyễn Văn An" in body
        body = client.get(reverse("console:search"), {"q": "receiv"}, HTTP_HX_REQUEST="true").content.decode()
        assert reverse("returns:receiving") in body


class TestPermissions:
    def test_each_provider_checks_its_permission(self, make_staff: Any, shop: Shop) -> None:
        rma = open_return(shop)
        nobody = User.objects.create_user(username="nobody", password="x-123456789")
        client = Client()
        client.force_login(nobody)
        for query in ("nguyen van an", rma.code, shop.order.code, "SN-0001"):
            html = client.get(reverse("console:search"), {"q": query}, HTTP_HX_REQUEST="true").content.decode()
            assert hit_titles(html) == [], query
        # A technician may look at returns but not open one: no "new return" actions.
        technician = client_for(make_staff, "technician")
        body = technician.get(reverse("console:search"), {"q": shop.order.code}, HTTP_HX_REQUEST="true")
        assert "returns/new/" not in body.content.decode()

    def test_phone_is_masked_for_roles_without_pii(self, make_staff: Any, shop: Shop) -> None:
        body = (
            client_for(make_staff, "warehouse")
            .get(reverse("console:search"), {"q": "nguyen van an"}, HTTP_HX_REQUEST="true")
            .content.decode()
        )
        assert "Nguyễn Văn An" in body
        assert shop.customer.phone not in body

    def test_search_needs_login(self) -> None:
        assert Client().get(reverse("console:search"), {"q": "nguyen"}).status_code == 302


class TestQueryCount:
    def test_a_name_search_is_a_bounded_number_of_queries(
        self, make_staff: Any, people: dict[str, Any], django_assert_max_num_queries: Any
    ) -> None:
        for n in range(30):
            create_customer(actor=None, full_name=f"Nguyễn Văn An {chr(65 + n % 26)}{n}")
        client = client_for(make_staff, "manager")
        # session, user, permissions (2), one ranked customer query, segments by name, one help-article query
        # (knowledge); the other providers skip a name.
        with django_assert_max_num_queries(7):
            client.get(reverse("console:search"), {"q": "nguyen an"}, HTTP_HX_REQUEST="true")

    def test_a_code_search_is_a_bounded_number_of_queries(
        self,
        make_staff: Any,
        shop: Shop,
        django_assert_max_num_queries: Any,
    ) -> None:
        client = client_for(make_staff, "manager")
        # session, user, permissions (2); returns, shipments (code, tracking), serial/IMEI, repairs, vouchers: one each.
        with django_assert_max_num_queries(11):
            client.get(reverse("console:search"), {"q": "GHN8842QX7"}, HTTP_HX_REQUEST="true")
        with django_assert_max_num_queries(6):
            client.get(reverse("console:search"), {"q": "RMA-2026-000001"}, HTTP_HX_REQUEST="true")

    def test_results_are_grouped_with_the_exact_code_first(self, make_staff: Any, shop: Shop) -> None:
        user = make_staff("manager")
        results = global_search(shop.order.code, user)
        assert results.groups[0].key == "sales.orders"
        assert global_search("a", user).groups == []
