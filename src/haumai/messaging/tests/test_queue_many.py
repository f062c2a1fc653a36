"""queue_messages: a batch in a fixed number of queries, same idempotency rules, errors per request."""

from __future__ import annotations

from typing import Any

from django.db import connection

from haumai.core.errors import ValidationFailed
from haumai.customers.models import Customer
from haumai.messaging.models import Delivery, DeliveryStatus, Template
from haumai.messaging.services import (
    MessageRequest,
    NoDestination,
    TemplateMissing,
    queue_message,
    queue_messages,
)

CONTEXT = {"order": {"code": "DH-2026-000001", "total": 1234567, "placed_at": None, "delivered_at": None,
                     "lines": []},
           "links": {"portal": "http://x/portal/"}}  # fmt: skip


def request(customer: Any, key: str, **fields: Any) -> MessageRequest:
    params: dict[str, Any] = {
        "customer": customer,
        "template_key": "order.thank_you",
        "channel": "email",
        "context": CONTEXT,
        "idempotency_key": key,
    }
    params.update(fields)
    return MessageRequest(**params)


def customers(count: int) -> list[Customer]:
    Customer.objects.bulk_create(
        [
            Customer(code=f"CUS-Q-{i:04d}", full_name=f"Khách {i}", search_key=f"khach {i}",
                     email=f"khach{i}@example.vn", preferred_language="en" if i % 2 else "vi")
            for i in range(count)
        ]
    )  # fmt: skip
    return list(Customer.objects.filter(code__startswith="CUS-Q-").prefetch_related("identities").order_by("code"))


def test_same_key_in_one_batch_and_across_batches_is_one_delivery(customer: Any) -> None:
    first = queue_messages([request(customer, "a"), request(customer, "b"), request(customer, "a")])
    assert [r.error for r in first] == [None, None, None]
    assert first[0].delivery is not None and first[1].delivery is not None and first[2].delivery is not None
    assert first[0].delivery.pk == first[2].delivery.pk != first[1].delivery.pk
    assert Delivery.objects.count() == 2
    again = queue_messages([request(customer, "b"), request(customer, "a"), request(customer, "c")])
    assert [r.delivery.pk for r in again[:2] if r.delivery] == [first[1].delivery.pk, first[0].delivery.pk]
    assert Delivery.objects.count() == 3
    # The single call is the same path: the key it is given returns the batch's Delivery.
    assert queue_message(customer=customer, template_key="order.thank_you", channel="email", context=CONTEXT,
                         idempotency_key="a").pk == first[0].delivery.pk  # fmt: skip
    assert Delivery.objects.count() == 3


def test_errors_are_per_request_and_the_rest_is_queued(customer: Any) -> None:
    template = Template.objects.get(key="refund.sent", channel="email", language="vi")
    version = template.current_version
    assert version is not None
    version.body_text = "{{ refund.nothing_here }}"  # broken as an old or imported template might be
    version.save()
    results = queue_messages(
        [
            request(customer, "ok"),
            request(customer, "bad-channel", channel="fax"),
            request(customer, "missing", template_key="no.such"),
            request(customer, "zalo", channel="zalo"),
            request(customer, "broken", template_key="refund.sent"),
            request(customer, ""),
            request(customer, "ok-too", language="en"),
        ]
    )
    assert isinstance(results[1].error, ValidationFailed)
    assert isinstance(results[2].error, TemplateMissing)
    assert isinstance(results[3].error, NoDestination)
    assert isinstance(results[5].error, ValidationFailed)
    assert [r.delivery is None for r in results] == [False, True, True, True, False, True, False]
    ok, broken, english = results[0].delivery, results[4].delivery, results[6].delivery
    assert ok is not None and broken is not None and english is not None
    assert ok.status == DeliveryStatus.QUEUED and "DH-2026-000001" in ok.subject
    assert broken.status == DeliveryStatus.GIVEN_UP and broken.last_error_code == "template_error"
    assert english.language == "en"
    stored = {d.idempotency_key: d for d in Delivery.objects.all()}
    assert set(stored) == {"ok", "broken", "ok-too"}
    assert stored["ok"].pk == ok.pk and stored["ok"].tracking_id == ok.tracking_id
    assert stored["ok"].body_text == ok.body_text and stored["broken"].status == DeliveryStatus.GIVEN_UP


def test_a_batch_of_100_takes_a_fixed_number_of_queries(db: Any, django_assert_max_num_queries: Any) -> None:
    people = customers(100)
    requests = [request(c, f"n-{c.pk}", template_key=("order.thank_you", "refund.sent")[i % 2],
                        context={**CONTEXT, "refund": {"code": "HT-1", "amount": 5, "method": "cash", "status": "x"}})
                for i, c in enumerate(people)]  # fmt: skip
    # templates, keys already used, INSERT, ids (PostgreSQL: 4; SQLite splits the INSERT at 999 parameters)
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 6):
        results = queue_messages(requests)
    assert all(r.delivery is not None and r.delivery.pk for r in results)
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 100
    with django_assert_max_num_queries(2):  # a replay: templates and keys, nothing inserted
        again = queue_messages(requests)
    assert [r.delivery.pk for r in again if r.delivery] == [r.delivery.pk for r in results if r.delivery]
    assert Delivery.objects.count() == 100


def test_a_key_taken_meanwhile_returns_the_stored_delivery(customer: Any) -> None:
    """Another worker inserted the key between our lookup and our insert: its row is the answer."""
    original = Delivery.objects.bulk_create
    winner: list[Delivery] = []

    def racing_bulk_create(objs: Any, **kwargs: Any) -> Any:
        Delivery.objects.bulk_create = original  # type: ignore[method-assign]
        winner.append(queue_message(customer=customer, template_key="order.thank_you", channel="email",
                                    context=CONTEXT, idempotency_key="race"))  # fmt: skip
        return original(objs, **kwargs)

    Delivery.objects.bulk_create = racing_bulk_create  # type: ignore[method-assign]
    try:
        (result,) = queue_messages([request(customer, "race")])
    finally:
        vars(Delivery.objects).pop("bulk_create", None)
    assert result.delivery is not None and result.delivery.pk == winner[0].pk
    assert result.delivery.tracking_id == winner[0].tracking_id
    assert Delivery.objects.count() == 1
