"""Property tests of the return-window arithmetic (hypothesis) and of the explained decisions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haumai.returns.policy import explain, window_last_day, within_window

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
windows = st.integers(min_value=0, max_value=3650)


@given(start=days, window=windows)
def test_last_day_is_inside_and_the_next_day_is_outside(start: dt.date, window: int) -> None:
    last = window_last_day(start, window)
    assert within_window(start, window, last)
    assert not within_window(start, window, last + dt.timedelta(days=1))
    assert (last - start).days == window


@given(start=days, window=windows, offset=st.integers(min_value=-400, max_value=4000))
def test_inside_exactly_when_days_since_start_at_most_window(start: dt.date, window: int, offset: int) -> None:
    today = start + dt.timedelta(days=offset)
    assert within_window(start, window, today) == (offset <= window)


@given(start=days, window=windows, longer=st.integers(min_value=0, max_value=365), offset=st.integers(0, 4000))
def test_a_longer_window_never_refuses_what_a_shorter_accepts(
    start: dt.date, window: int, longer: int, offset: int
) -> None:
    today = start + dt.timedelta(days=offset)
    if within_window(start, window, today):
        assert within_window(start, window + longer, today)


def test_seven_day_example_from_the_brief() -> None:
    delivered = dt.date(2026, 11, 1)
    assert window_last_day(delivered, 7) == dt.date(2026, 11, 8)
    assert not within_window(delivered, 7, dt.date(2026, 11, 12))
    note = {"code": "window_passed", "params": {"days": 7, "start": "01/11/2026", "today": "12/11/2026"}}
    assert explain(note) == "Return window of 7 days has passed: delivered on 01/11, today is 12/11"
