"""Every KPI formula against a dataset computed by hand (conftest.py), with local day boundaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haumai.analytics import kpis, rollups
from haumai.analytics.models import DailyMetric, RollupSchedule
from haumai.analytics.tests.conftest import D1, D2
from haumai.core import clock

pytestmark = pytest.mark.django_db


def values(first: dt.date, last: dt.date) -> dict[str, kpis.Value]:
    return {kpi.key: value for kpi, value in kpis.evaluate(first, last)}


def test_csat_counts_local_days(dataset: Any) -> None:
    assert values(D1, D1)["csat"].number == pytest.approx(50.0)
    assert values(D2, D2)["csat"].number == pytest.approx(100 * 2 / 3)
    both = values(D1, D2)["csat"]
    assert both.number == pytest.approx(100 * 4 / 7)
    assert (both.display, both.parts) == ("57.1%", "4 / 7")


def test_nps_and_ces(dataset: Any) -> None:
    result = values(D1, D2)
    assert result["nps"].number == pytest.approx(100 * (3 - 2) / 6)
    assert result["nps"].display == "+17"
    assert result["ces"].number == pytest.approx(4.0)
    assert result["ces"].display == "4.00"


def test_returns_kpis(dataset: Any) -> None:
    result = values(D1, D2)
    assert result["return_rate"].number == pytest.approx(30.0)
    assert result["return_rate"].parts == "3 / 10"
    assert result["cycle_time"].number == pytest.approx(5.25)
    assert result["tied_up"].number == 500_000
    assert values(D1, D1)["tied_up"].number == 500_000
    assert values(D1, D1)["return_rate"].number == pytest.approx(25.0)  # 1 of 4


def test_no_data_says_so(dataset: Any) -> None:
    empty = values(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert empty["csat"].number is None and empty["csat"].display == "—"
    assert empty["return_rate"].number is None


def test_refresh_is_idempotent_and_worker_schedules_the_next(dataset: Any) -> None:
    count = DailyMetric.objects.count()
    rollups.refresh_day(D1)
    assert DailyMetric.objects.count() == count
    rollups.ensure_schedule()
    RollupSchedule.objects.update(due_at=clock.now())  # made at migrate time, on the real clock
    from haumai.core import scheduler

    handled = scheduler.run_source(
        next(s for s in scheduler.registered() if s.name == "analytics.rollups"), batch_size=10
    )
    assert handled == 1
    assert rollups.pending().get().due_at == clock.now() + dt.timedelta(minutes=rollups.REFRESH_MINUTES)
    assert (
        scheduler.run_source(next(s for s in scheduler.registered() if s.name == "analytics.rollups"), batch_size=10)
        == 0
    )


def test_daily_series(dataset: Any) -> None:
    series = kpis.daily_series(D1, D2, ("csat", "return_rate"))
    assert series["csat"] == [pytest.approx(50.0), pytest.approx(100 * 2 / 3)]
    assert series["return_rate"] == [pytest.approx(25.0), pytest.approx(100 * 2 / 6)]


def test_refresh_of_named_sources_leaves_the_other_rows(dataset: Any) -> None:
    DailyMetric.objects.filter(day=D2, metric="csat").update(n=99)
    DailyMetric.objects.filter(day=D2, metric="units_sold").update(n=99)
    assert rollups.refresh_day(D2, ("returns",)) == 4
    assert DailyMetric.objects.get(day=D2, metric="units_sold").n == 6
    assert DailyMetric.objects.get(day=D2, metric="csat").n == 99
