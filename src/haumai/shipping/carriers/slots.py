"""The pickup slot the customer chose, in the forms each carrier documents.

A shipment keeps the slot as two aware moments (`pickup_from`, `pickup_until`); carriers want it as a
local date plus a shift number (GHTK `pick_work_shift`, GHN `pick_shift` ids from its shift list), a
local "yyyy-MM-dd HH:mm:ss" pair (J&T `sendStartTime`/`sendEndTime`), a "dd/MM/yyyy HH:mm:ss" moment
(Viettel Post `DELIVERY_DATE`) or one of Ninja Van's fixed `pickup_timeslot` windows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from haumai.core.clock import LOCAL_TZ

if TYPE_CHECKING:
    from haumai.shipping.models import Shipment

# The pickup windows Ninja Van accepts for a scheduled pickup (local time).
NINJAVAN_TIMESLOTS = (
    ("09:00", "12:00"),
    ("09:00", "18:00"),
    ("09:00", "22:00"),
    ("12:00", "15:00"),
    ("15:00", "18:00"),
    ("18:00", "22:00"),
)


@dataclass(frozen=True)
class PickupSlot:
    """A pickup window in Vietnam time."""

    start: dt.datetime
    end: dt.datetime

    @property
    def date(self) -> dt.date:
        return self.start.date()

    @property
    def work_shift(self) -> int:
        """1 morning, 2 afternoon, 3 evening: the shift the window mostly falls in (GHTK's numbers)."""
        middle = self.start + (self.end - self.start) / 2
        if middle.hour < 12:
            return 1
        return 2 if middle.hour < 18 else 3

    def seconds_of_day(self) -> tuple[int, int]:
        """Start and end as seconds after local midnight (GHN shifts are given so)."""
        start = self.start.hour * 3600 + self.start.minute * 60
        end = start + int((self.end - self.start).total_seconds())
        return start, end

    def label(self) -> str:
        """'05/12 08:00–12:00', for notes printed on the carrier's order."""
        return f"{self.start:%d/%m} {self.start:%H:%M}–{self.end:%H:%M}"


def pickup_slot(shipment: Shipment) -> PickupSlot | None:
    """The shipment's chosen window in local time, or None when no slot was chosen."""
    if shipment.pickup_from is None or shipment.pickup_until is None:
        return None
    return PickupSlot(shipment.pickup_from.astimezone(LOCAL_TZ), shipment.pickup_until.astimezone(LOCAL_TZ))


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> float:
    """Overlap over union of two [start, end) ranges (1.0 = the same range)."""
    inter = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    union = max(first[1], second[1]) - min(first[0], second[0])
    return inter / union if union else 0.0


def best_shift(slot: PickupSlot, shifts: list[tuple[int, int, int]]) -> int | None:
    """Of (id, from second, to second) shifts, the id closest to the slot; None when none overlaps."""
    wanted = slot.seconds_of_day()
    scored = [(_overlap(wanted, (start, end)), -start, shift_id) for shift_id, start, end in shifts]
    scored = [row for row in scored if row[0] > 0]
    return max(scored)[2] if scored else None


def ninjavan_timeslot(slot: PickupSlot) -> tuple[str, str]:
    """The documented Ninja Van window closest to the chosen slot (ties: the earlier window)."""

    def seconds(text: str) -> int:
        hours, minutes = text.split(":")
        return int(hours) * 3600 + int(minutes) * 60

    wanted = slot.seconds_of_day()
    best = max(
        NINJAVAN_TIMESLOTS,
        key=lambda pair: (_overlap(wanted, (seconds(pair[0]), seconds(pair[1]))), -seconds(pair[0])),
    )
    return best
