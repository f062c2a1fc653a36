"""Vietnamese public holidays, Tết (lunar new year) included, from the maintained `holidays` library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    is_tet: bool


def _language(language: str) -> str:
    return "vi" if language.startswith("vi") else "en_US"


@lru_cache(maxsize=64)
def _year(year: int, language: str) -> tuple[Holiday, ...]:
    names = holidays.country_holidays("VN", years=year, language=_language(language))
    english = holidays.country_holidays("VN", years=year, language="en_US")
    return tuple(
        Holiday(date=day, name=str(name), is_tet="Lunar New Year" in str(english.get(day, "")))
        for day, name in sorted(names.items())
    )


def vietnam_holidays(years: Iterable[int], *, language: str = "vi") -> list[Holiday]:
    """The official days off of the given years, in date order, with their names in vi or en."""
    return [holiday for year in sorted(set(years)) for holiday in _year(year, language)]


def vietnam_holiday_dates(years: Iterable[int]) -> frozenset[dt.date]:
    """Just the dates, for a WorkingCalendar's closed days."""
    return frozenset(holiday.date for holiday in vietnam_holidays(years, language="en"))


def tet_dates(year: int) -> list[dt.date]:
    """The Tết days off of one year (the lunar new year holiday block)."""
    return [holiday.date for holiday in _year(year, "en") if holiday.is_tet]
