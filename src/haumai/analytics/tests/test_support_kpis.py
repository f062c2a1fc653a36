"""Support KPIs (FRT calendar and business hours, resolution, FCR, reopen rate, SLA attainment, backlog)
against tickets whose figures were computed by hand, on local days (D1 = Sunday 1 March 2026, D2 = Monday).

T1: created D2 09:00, first reply 10:30 (1.5 h, all in office hours), solved 11:00 (2 h), one reply (FCR),
    SLA clocks met and met.
T2: created D1 20:00 (Sunday: closed), first reply D2 08:30 (12.5 h calendar; 0.5 h business: Monday opens
    08:00), solved D2 16:00 (20 h), reopened D2 17:00 (FCR false), clocks met and met late.
T3: created D2 12:00, never answered: in the backlog.
T4: merged into T1: left out of everything.
D2: FRT 7.0 h calendar ((1.5 + 12.5) / 2), 1.0 h business ((1.5 + 0.5) / 2); resolution 11.0 h ((2 + 20) / 2);
FCR 1 / 2; reopen rate 1 / 2; SLA 3 / 4; backlog at the end of D2: T2 (reopened) and T3 = 2; at the end of
D1: T2 = 1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import kpis, rollups
from haumai.analytics.models import DailyMetric
from haumai.analytics.tests.conftest import D1, D2, local
from haumai.core import clock
from haumai.customers.models import Customer
from haumai.support.models import Ticket, TicketStatusChange

pytestmark = pytest.mark.django_db
RANGE = {"since": D2.isoformat(), "until": D2.isoformat()}


def _ticket(code: str, created: dt.datetime, states: list[tuple[dt.datetime, str, str]], **fields: Any) -> Ticket:
    customer, _ = Customer.objects.get_or_create(
        code="CUS-2026-000031", defaults={"full_name": "Lê Thị Hoa", "search_key": "le thi hoa"}
    )
    ticket = Ticket.objects.create(
        code=code, subject=code, channel="email", customer=customer, created_at=created, updated_at=created,
        last_message_at=created, status=states[-1][2] if states else "new", **fields,
    )  # fmt: skip
    TicketStatusChange.objects.create(ticket=ticket, at=created, old_status="", new_status="new")
    for at, old, new in states:
        TicketStatusChange.objects.create(ticket=ticket, at=at, old_status=old, new_status=new)
    return ticket


@pytest.fixture
def tickets(db: Any) -> dict[str, Ticket]:
    clock.freeze(local(D2, 23, 59) + dt.timedelta(days=5))
    t1 = _ticket(
        "TK-2026-000001", local(D2, 9),
        [(local(D2, 10, 30), "new", "open"), (local(D2, 11), "open", "solved")],
        first_response_at=local(D2, 10, 30), first_response_seconds=5400, solved_at=local(D2, 11),
        first_contact_resolution=True, public_reply_count=1,
        sla_states={"first_response": "met", "resolution": "met"},
    )  # fmt: skip
    t2 = _ticket(
        "TK-2026-000002", local(D1, 20),
        [(local(D2, 8, 30), "new", "open"), (local(D2, 16), "open", "solved"), (local(D2, 17), "solved", "open")],
        first_response_at=local(D2, 8, 30), first_response_seconds=45000, solved_at=local(D2, 16),
        first_contact_resolution=False, reopen_count=1, public_reply_count=2,
        sla_states={"first_response": "met", "resolution": "met_late"},
    )  # fmt: skip
    t3 = _ticket("TK-2026-000003", local(D2, 12), [])
    t4 = _ticket(
        "TK-2026-000004", local(D2, 9), [(local(D2, 9, 20), "open", "merged")],
        first_response_at=local(D2, 9, 10), first_response_seconds=600, merged_into=t1,
    )  # fmt: skip
    rollups.refresh_days(D1, D2)
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4}


def values(first: dt.date, last: dt.date) -> dict[str, kpis.Value]:
    return {kpi.key: value for kpi, value in kpis.evaluate(first, last)}


def test_support_kpis_match_the_hand_computed_figures(tickets: Any) -> None:
    result = values(D2, D2)
    assert result["frt"].number == pytest.approx(7.0)
    assert result["frt"].display == "7.0 h"
    assert result["frt_business"].number == pytest.approx(1.0)
    assert result["resolution"].number == pytest.approx(11.0)
    assert (result["fcr"].number, result["fcr"].parts) == (pytest.approx(50.0), "1 / 2")
    assert (result["reopen_rate"].number, result["reopen_rate"].parts) == (pytest.approx(50.0), "1 / 2")
    assert (result["sla"].number, result["sla"].parts) == (pytest.approx(75.0), "3 / 4")
    assert result["backlog"].number == 2


def test_support_kpis_follow_local_days(tickets: Any) -> None:
    d1 = values(D1, D1)
    assert d1["frt"].number is None and d1["frt"].display == "—"
    assert d1["backlog"].number == 1  # T2 was waiting over the Sunday night
    both = values(D1, D2)
    assert both["frt"].number == pytest.approx(7.0) and both["backlog"].number == 2
    stored = DailyMetric.objects.get(day=D2, metric="frt_business")
    assert (stored.n, stored.total) == (2, 7200)


def test_refresh_is_idempotent_and_sees_later_changes(tickets: Any) -> None:
    rollups.refresh_day(D2)
    assert DailyMetric.objects.filter(day=D2, metric="backlog").count() == 1
    t3 = tickets["t3"]
    TicketStatusChange.objects.create(ticket=t3, at=local(D2, 13), old_status="new", new_status="solved")
    Ticket.objects.filter(pk=t3.pk).update(status="solved", solved_at=local(D2, 13))
    rollups.refresh_day(D2)
    result = values(D2, D2)
    assert result["backlog"].number == 1
    assert result["resolution"].parts.endswith("/ 3")


def test_dashboard_shows_support_section_and_agents(
    tickets: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any
) -> None:
    agent = make_staff("agent")
    Ticket.objects.filter(pk__in=[tickets["t1"].pk, tickets["t2"].pk]).update(assignee=agent)
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(25):
        page = client.get("/console/analytics/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="section-support"' in body and 'id="kpi-frt_business"' in body
    assert "7.0 h" in body and "75.0%" in body and "Not computed yet" not in body
    agents = body[body.index('id="support-agents"'):]
    assert agent.username in agents or agent.get_full_name() in agents
    assert ">2<" in agents and "50%" in agents


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("first_responses", ["TK-2026-000001", "TK-2026-000002"], ["TK-2026-000003", "TK-2026-000004"]),
        ("solved", ["TK-2026-000001", "TK-2026-000002"], ["TK-2026-000003", "TK-2026-000004"]),
        ("reopened", ["TK-2026-000002"], ["TK-2026-000001"]),
        ("backlog", ["TK-2026-000002", "TK-2026-000003"], ["TK-2026-000001", "TK-2026-000004"]),
    ],
)
def test_drill_downs_list_the_tickets(
    tickets: Any, client: Any, make_staff: Any, django_assert_max_num_queries: Any,
    name: str, present: list[str], absent: list[str],
) -> None:  # fmt: skip
    client.force_login(make_staff("manager"))
    with django_assert_max_num_queries(20):
        page = client.get(f"/console/analytics/drill/{name}/", RANGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert all(code in body for code in present) and not any(code in body for code in absent)
    assert "/console/inbox/TK-2026-" in body
    export = client.get(f"/console/analytics/export/{name}.csv", RANGE)
    lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + len(present)


def test_an_agent_may_not_open_the_dashboard(tickets: Any, client: Any, make_staff: Any) -> None:
    client.force_login(make_staff("agent"))
    assert client.get("/console/analytics/", RANGE).status_code == 403
    assert client.get("/console/analytics/drill/backlog/", RANGE).status_code == 403


def test_backlog_of_an_earlier_day_counts_a_ticket_solved_since(db: Any) -> None:
    from haumai.support.metrics import backlog_at

    clock.freeze(local(D2, 23, 59))
    later = _ticket("TK-2026-000011", local(D1, 12), [(local(D2, 9), "new", "solved")],
                    solved_at=local(D2, 9))  # fmt: skip
    Ticket.objects.filter(pk=later.pk).update(updated_at=local(D2, 9))  # the solve moved it, as services do
    before = _ticket("TK-2026-000012", local(D1, 8), [(local(D1, 10), "new", "solved")], solved_at=local(D1, 10))
    Ticket.objects.filter(pk=before.pk).update(updated_at=local(D1, 10))
    end_of_d1 = local(D2, 0)
    assert [t.code for t in backlog_at(end_of_d1)] == ["TK-2026-000011"]
    assert list(backlog_at(local(D2, 23))) == []
