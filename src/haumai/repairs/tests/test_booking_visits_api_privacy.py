"""The API's on-site visits show the visit address masked by role, like a customer's addresses, and an
unmasked list is recorded in the access log (issue 9, access audit); a masked reader leaves no entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from haumai.accounts.services import create_api_token
from haumai.customers.services import AddressInput, add_address
from haumai.privacy.models import AccessLog
from haumai.repairs.booking import visits
from haumai.repairs.tests.booking_helpers import at

pytest_plugins = ["haumai.repairs.tests.booking_helpers"]
pytestmark = pytest.mark.django_db
STREET = "12 Láng Hạ"


def _client(user: Any) -> Client:
    _, raw = create_api_token(actor=user, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def visit(customer: Any, monday: Any, make_staff: Any) -> Any:
    address = add_address(actor=None, customer=customer, address=AddressInput(street=STREET, province_code=1))
    day = dt.date(2026, 12, 8)
    return visits.schedule_visit(actor=make_staff("agent"), customer=customer, address=address,
                                 window_start=at(day, 9), window_end=at(day, 11), technician=make_staff("technician"),
                                 reason="Tủ lạnh không lạnh")  # fmt: skip


def test_a_reader_with_contact_rights_sees_the_street_and_is_recorded(visit: Any, api_client_for: Any) -> None:
    for role in ("technician", "agent"):
        rows = api_client_for(role).get("/api/v1/appointments/visits").json()
        assert [(r["code"], r["address"].split(",")[0]) for r in rows] == [(visit.code, STREET)]
    assert list(AccessLog.objects.values_list("action", "target", "detail")) == [
        ("view_list", "visits", {"page": "api", "rows": 1}),
    ] * 2


def test_a_reader_without_contact_rights_sees_the_street_masked_and_leaves_no_entry(
    visit: Any, make_staff: Any, api_client_for: Any
) -> None:
    assert api_client_for("warehouse").get("/api/v1/appointments/visits").status_code == 403
    planner = make_staff("warehouse")  # a custom role: may see visits, not customers' contact details
    planner.user_permissions.add(Permission.objects.get(codename="view_onsitevisit", content_type__app_label="repairs"))
    response = _client(planner).get("/api/v1/appointments/visits")
    assert response.status_code == 200 and STREET not in response.content.decode()
    assert [r["address"] for r in response.json()] == [f"***, {visit.address.province.name}"]
    assert not AccessLog.objects.exists()
