"""Customers are told through journeys: received, quote to approve (with the signed link), ready."""

from __future__ import annotations

from haumai.journeys.models import Journey
from haumai.messaging.models import Delivery
from haumai.repairs import services
from haumai.repairs.services import QuoteLineInput
from haumai.repairs.tests.conftest import Workshop, dispatch


def _run_journeys() -> None:
    from haumai.journeys.engine import advance_runs
    from haumai.journeys.models import JourneyRun

    dispatch()
    advance_runs(list(JourneyRun.objects.filter(due_at__isnull=False)))


def test_built_in_journeys_exist_for_the_repair_notices(db: object) -> None:
    notices = Journey.objects.filter(trigger_event__startswith="repair.").exclude(key__startswith="survey-")
    keys = set(notices.values_list("trigger_event", flat=True))
    assert keys == {"repair.received", "repair.quoted", "repair.parts_awaited", "repair.ready", "repair.returned"}


def test_received_and_quote_messages_are_queued(shop: Workshop) -> None:
    order = services.receive_unit(
        actor=shop.agent, unit=shop.unit, customer=shop.an, service_center=shop.center,
        description="Không nhận sạc", condition="", accessories=[],
    )
    services.start_diagnosis(actor=shop.technician, order=order)
    services.send_quote(
        actor=shop.technician, order=order, diagnosis="Hỏng cổng sạc",
        lines=[QuoteLineInput(kind="labour", description="Thay cổng sạc", unit_price=350_000)],
    )
    _run_journeys()
    bodies = {d.template_key: d.body_text for d in Delivery.objects.filter(customer=shop.an)}
    assert order.code in bodies["repair.received"]
    assert "/portal/repairs/quote/" in bodies["repair.quoted"] and "350.000" in bodies["repair.quoted"]


def test_the_quote_link_is_built_at_send_time_and_never_stored_in_the_event(shop: Workshop) -> None:
    import json
    import re

    from haumai.events.models import Event
    from haumai.repairs.services.quotes import QUOTE_SALT, order_from_token

    order = services.receive_unit(
        actor=shop.agent, unit=shop.unit, customer=shop.an, service_center=shop.center,
        description="Không nhận sạc", condition="", accessories=[],
    )  # fmt: skip
    services.start_diagnosis(actor=shop.technician, order=order)
    services.send_quote(
        actor=shop.technician, order=order, diagnosis="Hỏng cổng sạc",
        lines=[QuoteLineInput(kind="labour", description="Thay cổng sạc", unit_price=350_000)],
    )  # fmt: skip
    event = Event.objects.get(name="repair.quoted")
    stored = json.dumps(event.payload)
    # The timeline and webhooks get the code and the version, never a link or a token.
    assert event.payload["code"] == order.code and event.payload["version"] == 1
    assert "quote_link" not in event.payload and "/portal/" not in stored and QUOTE_SALT not in stored
    _run_journeys()
    body = Delivery.objects.get(customer=shop.an, template_key="repair.quoted").body_text
    token = re.search(r"/portal/repairs/quote/([^/\s]+)/", body)
    assert token is not None, body
    linked, version = order_from_token(token.group(1))
    assert linked.pk == order.pk and version == 1
    # The message is the only place the link exists: no other event row carries it either.
    assert not any(token.group(1) in json.dumps(e.payload) for e in Event.objects.all())
