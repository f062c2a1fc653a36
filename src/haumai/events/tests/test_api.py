"""Events API: customer timeline, subject and name filters, paging."""

from __future__ import annotations

from typing import Any

from haumai.customers import services as customer_services
from haumai.events.models import Event
from haumai.events.services import record_event


def test_list_events_filters(api_client_for: Any, make_staff: Any) -> None:
    actor = make_staff("agent")
    an = customer_services.create_customer(actor=actor, full_name="An", phone="0912345678")
    binh = customer_services.create_customer(actor=actor, full_name="Bình", phone="0987654321")
    record_event(name="ticket.solved", customer=an, subject=an, actor=actor, payload={"code": "TK-1"})
    client = api_client_for("agent")

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 200, response.content
        return [e["name"] for e in response.json()["items"]]

    assert names(f"customer={an.code}") == ["ticket.solved", "customer.created"]
    assert names(f"customer={binh.code.lower()}") == ["customer.created"]
    assert names("name=customer.created") == ["customer.created", "customer.created"]
    assert names("name=ticket.*") == ["ticket.solved"]
    assert names(f"subject_type=customers.customer&subject_id={binh.pk}") == ["customer.created"]
    first = client.get(f"/api/v1/events?customer={an.code}").json()["items"][0]
    assert first["customer_code"] == an.code
    assert first["actor"] == actor.username
    assert first["payload"] == {"code": "TK-1"}


def test_events_paging_and_query_count(
    api_client_for: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    actor = make_staff("agent")
    customer = customer_services.create_customer(actor=actor, full_name="An", phone="0912345678")
    for index in range(30):
        record_event(name="note.added", customer=customer, actor=actor, payload={"n": index})
    client = api_client_for("technician")
    client.get("/api/v1/events")
    with django_assert_max_num_queries(4):
        page = client.get("/api/v1/events?limit=20").json()
    assert len(page["items"]) == 20
    assert page["next_offset"] == 20
    assert [e["payload"]["n"] for e in page["items"][:2]] == [29, 28]
    rest = client.get("/api/v1/events?limit=20&offset=20").json()
    assert len(rest["items"]) == 11 and rest["next_offset"] is None
    assert client.get("/api/v1/events?limit=1000").status_code == 422


def test_events_need_permission(client: Any, make_staff: Any) -> None:
    from django.contrib.auth.models import Group

    from haumai.accounts.services import create_api_token

    user = make_staff("agent")
    user.groups.set([Group.objects.create(name="nobody")])
    _, raw = create_api_token(actor=user, user=user, name="t")
    response = client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Event.objects.count() == 0


def test_payload_pii_is_masked_for_warehouse(api_client_for: Any, make_staff: Any) -> None:
    actor = make_staff("agent")
    customer = customer_services.create_customer(actor=actor, full_name="An", phone="0912345678")
    record_event(
        name="message.sent", customer=customer, actor=actor,
        payload={"to_phone": "+84912345678", "contact": {"email": "an.nguyen@example.vn"}, "code": "X"},
    )  # fmt: skip
    url = f"/api/v1/events?customer={customer.code}&name=message.sent"
    masked = api_client_for("warehouse").get(url).json()["items"][0]["payload"]
    assert masked == {"to_phone": "+8491****678", "contact": {"email": "a*******n@example.vn"}, "code": "X"}
    full = api_client_for("agent").get(url).json()["items"][0]["payload"]
    assert full["to_phone"] == "+84912345678"
