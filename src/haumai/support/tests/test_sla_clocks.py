"""SLA clocks from a ticket's history: examples from the issue and Hypothesis properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from haumai.support.sla.calendar import business_time_between, default_calendar
from haumai.support.sla.clocks import SlaTargets, TicketTimeline, compute_clocks

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = default_calendar()  # Mon–Fri 08–12, 13:30–17:30; Sat 08–12
TARGETS = SlaTargets(first_response_minutes=60, next_response_minutes=120, resolution_minutes=8 * 60)


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)  # type: ignore[misc]


def test_first_response_due_skips_lunch_and_is_met_in_time() -> None:
    created = vn(2026, 12, 2, 11, 30)  # Wednesday
    timeline = TicketTimeline(created_at=created, agent_replies=[vn(2026, 12, 2, 13, 45)])
    clocks = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 15, 0))
    first = clocks.first_response
    assert first is not None
    assert first.due_at == vn(2026, 12, 2, 14, 0)  # 30 min before lunch, 30 min after
    assert first.met_at == vn(2026, 12, 2, 13, 45)
    assert not first.breached and first.late_by_business_seconds == 0
    assert first.state(0.8) == "met"
    assert clocks.next_response is None  # no customer message after the reply


def test_unanswered_ticket_breaches_and_late_by_is_business_time() -> None:
    created = vn(2026, 12, 4, 16, 0)  # Friday
    now = vn(2026, 12, 5, 9, 0)  # Saturday morning
    clocks = compute_clocks(timeline=TicketTimeline(created_at=created), targets=TARGETS, calendar=CAL, now=now)
    first = clocks.first_response
    assert first is not None and first.due_at == vn(2026, 12, 4, 17, 0)
    assert first.breached and first.state(0.8) == "breached"
    # Late from Fri 17:00: 30 min Friday + 1 h Saturday (not the 15.5 wall hours).
    assert first.late_by_business_seconds == 90 * 60
    assert first.elapsed_ratio == 2.5


def test_near_breach_is_a_warning() -> None:
    created = vn(2026, 12, 2, 9, 0)
    clocks = compute_clocks(timeline=TicketTimeline(created_at=created), targets=TARGETS, calendar=CAL,
                            now=vn(2026, 12, 2, 9, 50))
    assert clocks.first_response is not None
    assert clocks.first_response.state(0.8) == "warning"
    assert clocks.next_due_at() == vn(2026, 12, 2, 10, 0)


def test_pending_pauses_every_clock_and_moves_the_due_date() -> None:
    created = vn(2026, 12, 2, 9, 0)
    changes = [(vn(2026, 12, 2, 9, 30), "pending"), (vn(2026, 12, 2, 14, 0), "open")]
    timeline = TicketTimeline(created_at=created, status_changes=changes)
    during = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 11, 0))
    assert during.first_response is not None
    assert during.first_response.paused and during.first_response.due_at is None
    assert during.first_response.elapsed_ratio == 0.5
    after = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 14, 10))
    assert after.first_response is not None and not after.first_response.paused
    assert after.first_response.due_at == vn(2026, 12, 2, 14, 30)
    assert after.resolution is not None
    # 8 h target, 30 min used before the pause; 14:00 + 7.5 h of office time = Thu 12:00 (3.5 h Wed, 4 h Thu).
    assert after.resolution.due_at == vn(2026, 12, 3, 12, 0)


def test_breach_before_a_pause_stays_breached() -> None:
    created = vn(2026, 12, 2, 8, 0)
    timeline = TicketTimeline(created_at=created, status_changes=[(vn(2026, 12, 2, 10, 0), "pending")])
    clocks = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 3, 10, 0))
    first = clocks.first_response
    assert first is not None and first.paused and first.breached
    assert first.late_by_business_seconds == 3600


def test_next_response_cycles_after_each_customer_follow_up() -> None:
    created = vn(2026, 12, 2, 8, 0)
    timeline = TicketTimeline(
        created_at=created,
        customer_messages=[created, vn(2026, 12, 2, 9, 0), vn(2026, 12, 2, 9, 10), vn(2026, 12, 2, 15, 0)],
        agent_replies=[vn(2026, 12, 2, 8, 20), vn(2026, 12, 2, 10, 0)],
    )
    mid = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 9, 30))
    assert mid.next_response is not None
    assert mid.next_response.due_at == vn(2026, 12, 2, 11, 0)  # from 9:00, not 9:10
    assert mid.next_response.met_at is None
    answered = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 12, 0))
    assert answered.next_response is not None and answered.next_response.met_at == vn(2026, 12, 2, 10, 0)
    latest = compute_clocks(timeline=timeline, targets=TARGETS, calendar=CAL, now=vn(2026, 12, 2, 16, 0))
    assert latest.next_response is not None and latest.next_response.met_at is None
    assert latest.next_response.due_at == vn(2026, 12, 2, 17, 0)


def test_solved_stops_resolution_and_reopen_resumes_it() -> None:
    created = vn(2026, 12, 2, 8, 0)
    solved = [(vn(2026, 12, 2, 10, 0), "solved")]
    clocks = compute_clocks(timeline=TicketTimeline(created_at=created, status_changes=solved),
                            targets=TARGETS, calendar=CAL, now=vn(2026, 12, 9, 10, 0))
    assert clocks.resolution is not None and clocks.resolution.met_at == vn(2026, 12, 2, 10, 0)
    assert clocks.resolution.elapsed_ratio == 0.25 and not clocks.resolution.breached
    reopened = [*solved, (vn(2026, 12, 3, 8, 0), "open"), (vn(2026, 12, 3, 9, 0), "closed")]
    again = compute_clocks(timeline=TicketTimeline(created_at=created, status_changes=reopened),
                           targets=TARGETS, calendar=CAL, now=vn(2026, 12, 9, 10, 0))
    assert again.resolution is not None and again.resolution.met_at == vn(2026, 12, 3, 9, 0)
    assert again.resolution.elapsed_ratio == 3 / 8  # 2 h + 1 h, the solved night not counted


def test_missing_targets_give_no_clock() -> None:
    targets = SlaTargets(first_response_minutes=None, next_response_minutes=None, resolution_minutes=30)
    clocks = compute_clocks(timeline=TicketTimeline(created_at=vn(2026, 12, 2, 8, 0)), targets=targets,
                            calendar=CAL, now=vn(2026, 12, 2, 8, 10))
    assert clocks.first_response is None and clocks.next_response is None and clocks.resolution is not None


# --- properties -------------------------------------------------------------------------------

instants = st.datetimes(min_value=dt.datetime(2026, 11, 1), max_value=dt.datetime(2027, 3, 1),
                        timezones=st.just(dt.UTC))


@st.composite
def timelines(draw: st.DrawFn) -> tuple[TicketTimeline, dt.datetime]:
    created = draw(instants)
    offsets = st.integers(min_value=0, max_value=20 * 86400).map(lambda s: created + dt.timedelta(seconds=s))
    changes = draw(st.lists(st.tuples(offsets, st.sampled_from(["open", "pending", "solved", "closed", "new"])),
                            max_size=8))
    timeline = TicketTimeline(created_at=created, status_changes=changes,
                              agent_replies=draw(st.lists(offsets, max_size=6)),
                              customer_messages=draw(st.lists(offsets, max_size=6)))
    return timeline, draw(offsets)


targets = st.builds(SlaTargets, st.integers(1, 3000), st.integers(1, 3000), st.integers(1, 20000),
                    st.floats(min_value=0.1, max_value=1.0))


@settings(max_examples=300, deadline=None)
@given(case=timelines(), target=targets)
def test_clock_invariants(case: tuple[TicketTimeline, dt.datetime], target: SlaTargets) -> None:
    timeline, now = case
    clocks = compute_clocks(timeline=timeline, targets=target, calendar=CAL, now=now)
    for clock, minutes in ((clocks.first_response, target.first_response_minutes),
                           (clocks.next_response, target.next_response_minutes),
                           (clocks.resolution, target.resolution_minutes)):
        if clock is None:
            continue
        assert minutes is not None
        assert clock.breached == (clock.late_by_business_seconds > 0 or clock.elapsed_ratio > 1)
        assert clock.elapsed_ratio >= 0
        if clock.met_at is not None:
            assert not clock.paused
            if clock.due_at is not None:
                assert clock.breached == (clock.met_at > clock.due_at)
        elif clock.due_at is not None and not clock.paused:
            assert clock.breached == (now > clock.due_at)
        if clock.paused and not clock.breached:
            assert clock.due_at is None


@settings(max_examples=200, deadline=None)
@given(case=timelines(), target=targets)
def test_counted_time_never_exceeds_business_time(case: tuple[TicketTimeline, dt.datetime], target: SlaTargets) -> None:
    timeline, now = case
    clocks = compute_clocks(timeline=timeline, targets=target, calendar=CAL, now=now)
    assert clocks.resolution is not None and target.resolution_minutes is not None
    end = clocks.resolution.met_at or max(now, timeline.created_at)
    available = business_time_between(CAL, timeline.created_at, end).total_seconds()
    assert clocks.resolution.elapsed_ratio * target.resolution_minutes * 60 <= available + 1e-6


@settings(max_examples=200, deadline=None)
@given(case=timelines(), target=targets, later=st.integers(0, 5 * 86400))
def test_an_unmet_running_clock_only_gets_later(case: tuple[TicketTimeline, dt.datetime], target: SlaTargets,
                                                later: int) -> None:
    timeline, now = case
    frozen = TicketTimeline(created_at=timeline.created_at,
                            status_changes=[c for c in timeline.status_changes if c[0] <= now],
                            agent_replies=[a for a in timeline.agent_replies if a <= now],
                            customer_messages=[m for m in timeline.customer_messages if m <= now])
    before = compute_clocks(timeline=frozen, targets=target, calendar=CAL, now=now).resolution
    after = compute_clocks(timeline=frozen, targets=target, calendar=CAL,
                           now=now + dt.timedelta(seconds=later)).resolution
    assert before is not None and after is not None
    assert after.elapsed_ratio >= before.elapsed_ratio
    assert after.late_by_business_seconds >= before.late_by_business_seconds
