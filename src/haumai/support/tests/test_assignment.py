"""Automatic assignment: round robin, load cap, shifts, inactive users, skills, nobody qualifies, parallel PG."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from haumai.accounts.models import Team
from haumai.core import clock
from haumai.core.registry import sentence_for
from haumai.events.models import Event
from haumai.support.models import AgentSkill, AssignmentRule, BusinessCalendar, CalendarShift, Ticket
from haumai.support.services import tickets
from haumai.support.services.assignment import save_skills
from haumai.support.services.ingest import ingest_inbound
from haumai.support.tests.conftest import inbound

pytestmark = pytest.mark.django_db


def setup_team(make_staff: Any, agents: int = 3, **rule: Any) -> tuple[Team, list[Any]]:
    team = Team.objects.create(code="cskh", name="Chăm sóc khách hàng")
    people = []
    for _ in range(agents):
        user = make_staff("agent")
        user.team = team
        user.save(update_fields=["team"])
        people.append(user)
    AssignmentRule.objects.create(team=team, enabled=True, channels=["zalo"], **rule)
    return team, people


def new_ticket(number: int) -> Ticket:
    message = ingest_inbound(inbound(external_id=f"m-{number}", sender_value=f"84900{number:05d}"))
    assert message is not None
    return Ticket.objects.get(pk=message.ticket_id)


def test_round_robin_takes_turns_and_joins_the_team(make_staff: Any) -> None:
    team, people = setup_team(make_staff)
    got = [new_ticket(n) for n in range(6)]
    assert [t.assignee_id for t in got] == [p.pk for p in people] * 2
    assert {t.team_id for t in got} == {team.pk}
    event = Event.objects.filter(name="ticket.auto_assigned").order_by("id").first()
    assert event is not None and event.payload["assignee"] == people[0].username
    sentence = sentence_for("ticket.auto_assigned")
    assert sentence is not None
    entry = sentence.describe(event)
    assert people[0].username in entry.text and entry.url.endswith(f"/{event.payload['code']}/")


def test_load_cap_then_nobody_qualifies_and_the_ticket_waits_in_the_team_queue(make_staff: Any) -> None:
    team, people = setup_team(make_staff, agents=2, max_open_per_agent=2)
    got = [new_ticket(n) for n in range(5)]
    assert [t.assignee_id for t in got[:4]] == [people[0].pk, people[1].pk] * 2
    waiting = got[4]
    assert waiting.assignee_id is None and waiting.team_id == team.pk
    skipped = Event.objects.get(name="ticket.auto_assign_skipped")
    assert skipped.payload["reasons"] == ["cap"]
    # Solving one frees a seat: the next new ticket goes to that agent.
    tickets.change_status(actor=people[1], ticket=got[1], status="solved")
    assert new_ticket(9).assignee_id == people[1].pk


def test_off_shift_and_inactive_agents_are_skipped(make_staff: Any) -> None:
    _team, people = setup_team(make_staff)
    night = BusinessCalendar.objects.create(code="dem", name="Ca đêm", vietnam_holidays=False)
    for day in range(7):
        CalendarShift.objects.create(calendar=night, weekday=day, start=dt.time(22), end=dt.time(23, 59))
    AgentSkill.objects.create(user=people[0], calendar=night)  # 10:00 in Hà Nội: not their shift
    people[1].is_active = False
    people[1].save(update_fields=["is_active"])
    got = [new_ticket(n) for n in range(3)]
    assert {t.assignee_id for t in got} == {people[2].pk}


def test_whole_team_off_shift_leaves_it_unassigned(make_staff: Any) -> None:
    team, _people = setup_team(make_staff)
    with clock.frozen(dt.datetime(2026, 6, 10, 16, 0, tzinfo=dt.UTC)):  # 23:00 in Hà Nội
        ticket = new_ticket(1)
    assert ticket.assignee_id is None and ticket.team_id == team.pk
    assert Event.objects.get(name="ticket.auto_assign_skipped").payload["reasons"] == ["off_shift"]


def test_rule_off_or_other_channel_assigns_nothing(make_staff: Any) -> None:
    team, _people = setup_team(make_staff)
    AssignmentRule.objects.filter(team=team).update(enabled=False)
    assert new_ticket(1).assignee_id is None
    AssignmentRule.objects.filter(team=team).update(enabled=True)
    message = ingest_inbound(
        inbound(channel="facebook", sender_kind="facebook_psid", external_id="fb-1", sender_value="5550001")
    )
    assert message is not None and message.ticket.team_id is None and message.ticket.assignee_id is None


def test_skills_by_channel_and_tag_and_unassign_hands_it_on(make_staff: Any) -> None:
    manager = make_staff("manager")
    team, people = setup_team(make_staff)
    AssignmentRule.objects.filter(team=team).update(channels=["zalo", "email"])
    save_skills(actor=manager, user=people[0], channels=["email"], tags=[], calendar=None)
    save_skills(actor=manager, user=people[1], channels=[], tags=["Bảo hành"], calendar=None)
    first = new_ticket(1)  # zalo, no tags: only people[2] handles it
    assert first.assignee_id == people[2].pk
    tickets.set_tags(actor=people[2], ticket=first, names=["bao hanh"])
    back = tickets.assign(actor=people[2], ticket=first, assignee=None)
    assert back.assignee_id == people[1].pk  # the tag specialist; the agent who gave it back is skipped
    assert Event.objects.filter(name="ticket.auto_assigned").count() == 2


def test_least_open_mode_prefers_the_lightest_load(make_staff: Any) -> None:
    _team, people = setup_team(make_staff, mode="least_open")
    busy = new_ticket(1)
    assert busy.assignee_id == people[0].pk
    tickets.assign(actor=people[0], ticket=new_ticket(2), assignee=people[0])
    assert new_ticket(3).assignee_id == people[2].pk  # people[1] got ticket 2 first, then it moved to people[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_new_tickets_respect_the_cap_and_spread_evenly(make_staff: Any) -> None:
    _team, people = setup_team(make_staff, agents=3, max_open_per_agent=4)
    workers, per_worker = 8, 2  # 16 tickets for 12 seats
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            for index in range(per_worker):
                new_ticket(number * 100 + index)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Ticket.objects.count() == 16
    loads = {p.pk: Ticket.objects.filter(assignee=p).count() for p in people}
    assert loads == {p.pk: 4 for p in people}
    assert Ticket.objects.filter(assignee__isnull=True).count() == 4
    assert Event.objects.filter(name="ticket.auto_assigned").count() == 12


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_round_robin_without_cap_is_even(make_staff: Any) -> None:
    _team, people = setup_team(make_staff, agents=3)
    workers = 6
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            new_ticket(number * 10)
            new_ticket(number * 10 + 1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Ticket.objects.filter(assignee=p).count() for p in people) == [4, 4, 4]


def test_a_ticket_opened_by_staff_is_assigned_by_the_rule_of_its_channel(make_staff: Any) -> None:
    team, people = setup_team(make_staff)
    opener = make_staff("agent")  # not in the team: opening a ticket does not make it theirs
    customer = new_ticket(1).customer  # people[0] took this Zalo ticket
    AssignmentRule.objects.filter(team=team).update(channels=["zalo", "console", "phone"])
    walk_in = tickets.open_ticket(actor=opener, customer=customer, subject="Khách mang máy đến cửa hàng")
    call = tickets.open_ticket(actor=opener, customer=customer, subject="Khách gọi hỏi bảo hành", channel="phone")
    assert (walk_in.team_id, walk_in.assignee_id) == (team.pk, people[1].pk)
    assert (call.team_id, call.assignee_id) == (team.pk, people[2].pk)
    assert Ticket.objects.get(pk=walk_in.pk).assignee_id == people[1].pk  # stored, not only on the object
    event = Event.objects.filter(name="ticket.auto_assigned", payload__code=walk_in.code).get()
    assert event.payload["team"] == team.name


def test_a_staff_ticket_without_a_rule_for_its_channel_stays_unassigned(make_staff: Any) -> None:
    setup_team(make_staff)  # the rule receives Zalo only
    opener = make_staff("agent")
    customer = new_ticket(1).customer
    opened = tickets.open_ticket(actor=opener, customer=customer, subject="Khách gọi lại")
    assert opened.team_id is None and opened.assignee_id is None
    assert not Event.objects.filter(name="ticket.auto_assigned", payload__code=opened.code).exists()


def test_a_follow_up_stays_with_the_closed_tickets_team_and_is_assigned_there(make_staff: Any) -> None:
    team, people = setup_team(make_staff)
    first = new_ticket(1)
    assert first.assignee_id == people[0].pk
    tickets.change_status(actor=people[0], ticket=first, status="solved")
    tickets.change_status(actor=people[0], ticket=Ticket.objects.get(pk=first.pk), status="closed")
    follow = tickets.open_follow_up(actor=people[0], ticket=Ticket.objects.get(pk=first.pk))
    assert follow.channel == "zalo" and follow.team_id == team.pk and follow.assignee_id == people[1].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_staff_opened_tickets_respect_the_cap(make_staff: Any) -> None:
    team, people = setup_team(make_staff, agents=2, max_open_per_agent=3)
    AssignmentRule.objects.filter(team=team).update(channels=["console"])
    opener = make_staff("agent")
    customer = new_ticket(1).customer
    workers = 8
    start = threading.Barrier(workers, timeout=30)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            tickets.open_ticket(actor=opener, customer=customer, subject=f"Khách tại quầy {number}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    console = Ticket.objects.filter(channel="console")
    assert console.count() == workers
    # The Zalo ticket is no longer the team's channel, so it waits unrouted and takes no agent's slot.
    assert Ticket.objects.get(channel="zalo").assignee_id is None
    loads = {p.pk: Ticket.objects.filter(assignee=p).count() for p in people}
    assert loads == {p.pk: 3 for p in people}
    assert console.filter(assignee__isnull=True).count() == workers - 6  # past the cap: in the team queue
