"""SLA recalculation after a calendar change: clocks of 100,000 synthetic open-ticket timelines.

Pure function path (`compute_clocks` on a `WorkingCalendar`, no database): the time the worker spends
computing when every open ticket must be recalculated, e.g. after a team's shifts or closed days change.
Timelines are seeded-random: created over the last 30 days, 0-6 status changes (pending pauses included),
0-4 agent replies and 1-5 customer messages. The calendar has a lunch break, Saturday mornings and the
Vietnamese public holidays (Tết included). The change adds a closed day, so the calendar's per-day cache
starts cold, as it does in the worker. Prints `BENCH {json}`. (`python bench/run.py --only sla`)
No /healthz ratio: nothing here goes through HTTP.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from haumai.support.sla.calendar import WorkingCalendar
from haumai.support.sla.clocks import SlaTargets, TicketTimeline, compute_clocks
from haumai.support.sla.holidays_vn import vietnam_holiday_dates

SHIFTS = {**{day: [("08:00", "12:00"), ("13:30", "17:30")] for day in range(5)}, 5: [("08:00", "12:00")]}
NOW = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)


def emit(metric: str, value: float, unit: str, target: str = "") -> None:
    row = {"benchmark": "sla", "metric": metric, "value": round(value, 2), "unit": unit, "target": target}
    print("BENCH " + json.dumps(row), flush=True)


def timelines(count: int, seed: int = 12) -> list[TicketTimeline]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        created = NOW - dt.timedelta(seconds=rng.randint(60, 30 * 86400))
        span = int((NOW - created).total_seconds())

        def at() -> dt.datetime:
            return created + dt.timedelta(seconds=rng.randint(0, span))  # noqa: B023

        statuses = sorted(
            (at(), rng.choice(["open", "pending", "open", "pending", "open"])) for _ in range(rng.randint(0, 6))
        )
        rows.append(
            TicketTimeline(
                created_at=created,
                status_changes=statuses,
                agent_replies=sorted(at() for _ in range(rng.randint(0, 4))),
                customer_messages=sorted([created, *(at() for _ in range(rng.randint(0, 4)))]),
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()
    holidays = vietnam_holiday_dates(range(2025, 2028))
    rows = timelines(args.tickets)
    targets = SlaTargets(first_response_minutes=240, next_response_minutes=480, resolution_minutes=2400)
    before = WorkingCalendar.build(time_zone="Asia/Ho_Chi_Minh", shifts=SHIFTS, closed_dates=holidays)
    for row in rows[:1000]:
        compute_clocks(timeline=row, targets=targets, calendar=before, now=NOW)
    changed = WorkingCalendar.build(
        time_zone="Asia/Ho_Chi_Minh", shifts=SHIFTS, closed_dates=holidays | {dt.date(2026, 11, 27)}
    )
    started = time.perf_counter()
    breached = 0
    for row in rows:
        clocks = compute_clocks(timeline=row, targets=targets, calendar=changed, now=NOW)
        if clocks.resolution is not None and clocks.resolution.breached:
            breached += 1
    elapsed = time.perf_counter() - started
    emit("open tickets recalculated", args.tickets, "tickets")
    emit("recalculation after a calendar change", elapsed, "s", "(time)")
    emit("recalculation throughput (1 process)", args.tickets / elapsed, "tickets/s")
    emit("per ticket (3 clocks)", elapsed / args.tickets * 1e6, "µs")
    emit("resolution breached after the change", breached, "tickets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
