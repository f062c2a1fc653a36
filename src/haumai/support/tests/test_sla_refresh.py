"""SLA clocks stored on tickets: due times from the business calendar, pending pauses, breach escalates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.core import clock, scheduler
from haumai.events.models import Event
from haumai.support.models import Ticket
from haumai.support.services.ingest import ingest_inbound
from haumai.support.services.tickets import reply
from haumai.support.tests.conftest import NOW, inbound

pytestmark = pytest.mark.django_db


def run_sla_tick() -> int:
    source = next(s for s in scheduler.registered() if s.name == "support.sla")
    return scheduler.run_source(source, batch_size=100)


def test_a_new_ticket_gets_business_hour_deadlines_and_a_reply_meets_the_first(make_staff: Any) -> None:
    message = ingest_inbound(inbound())
    assert message is not None
    ticket = Ticket.objects.get(pk=message.ticket_id)
    assert ticket.first_response_due_at is not None and ticket.resolution_due_at is not None
    # Four business hours from 10:00 on a Wednesday land the same afternoon, after the lunch break.
    assert ticket.first_response_due_at - NOW >= dt.timedelta(hours=4)
    assert ticket.sla_status == "ok" and ticket.sla_check_at is not None
    reply(actor=make_staff("agent"), ticket=ticket, body="Dạ em chào anh")
    ticket.refresh_from_db()
    assert ticket.first_response_due_at is None and ticket.sla_states["first_response"] == "met"


def test_pending_pauses_the_clocks(make_staff: Any) -> None:
    message = ingest_inbound(inbound())
    assert message is not None
    reply(actor=make_staff("agent"), ticket=message.ticket, body="Anh gửi serial giúp em", then_status="pending")
    ticket = Ticket.objects.get(pk=message.ticket_id)
    assert ticket.sla_status == "paused" and ticket.resolution_due_at is None and ticket.sla_check_at is None


def test_time_passing_breaches_escalates_and_fills_the_breaching_queue(make_staff: Any) -> None:
    message = ingest_inbound(inbound())
    assert message is not None
    clock.advance(dt.timedelta(days=3))
    assert run_sla_tick() == 1
    ticket = Ticket.objects.get(pk=message.ticket_id)
    assert ticket.sla_status == "breached" and ticket.breached_at == clock.now()
    assert ticket.priority == "high"  # escalated from normal
    breach = Event.objects.get(name="sla.breached", payload__clock="first_response")
    assert breach.payload["late_by_business_seconds"] > 0
    from haumai.support import selectors

    agent = make_staff("agent")
    rows = list(selectors.inbox(agent, selectors.InboxFilters(queue="breaching")))
    assert rows == [ticket]
    run_sla_tick()
    assert Event.objects.filter(name="sla.breached", payload__clock="first_response").count() == 1


def test_a_policy_for_a_saved_segment_applies_to_its_members(make_staff: Any) -> None:
    from haumai.segments.models import Segment, SegmentMember
    from haumai.support.models import SlaPolicy
    from haumai.support.sla.services import recalculate_open_tickets

    SlaPolicy.objects.create(name="Khách VIP", segment_code="khach-vip", first_response_minutes=60,
                             next_response_minutes=120, resolution_minutes=8 * 60)  # fmt: skip
    vip = ingest_inbound(inbound())
    other = ingest_inbound(inbound(external_id="msg-2", sender_value="8419999999999", sender_name="Lê Văn Bình"))
    assert vip is not None and other is not None
    segment = Segment.objects.create(key="khach-vip", name="Khách VIP", search_key="khach vip")
    SegmentMember.objects.create(segment=segment, customer_id=vip.ticket.customer_id)
    assert recalculate_open_tickets(reason="test") >= 2
    vip_ticket, other_ticket = Ticket.objects.get(pk=vip.ticket_id), Ticket.objects.get(pk=other.ticket_id)
    assert vip_ticket.first_response_due_at == NOW + dt.timedelta(hours=1)  # Wednesday 10:00, office hours
    assert other_ticket.first_response_due_at is not None
    assert other_ticket.first_response_due_at - NOW >= dt.timedelta(hours=4)  # the default 4 business hours
