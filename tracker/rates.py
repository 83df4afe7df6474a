"""Yearly numbers read from the data files under data/ (rates, brackets, wages), never literals.

Every yearly lookup goes through `for_year` or `for_date`. A year or date the data file does not
cover is not an error: the nearest entry is used and the result says so with a note such as
"(2021년 값 적용)", which the callers put in their assumption texts. Old records (a work entry
dated 2019) and far-off forecasts therefore never crash a page; they are computed with the
nearest known figures and labelled.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from tracker.config import DATA_DIR


@lru_cache(maxsize=None)
def load(name: str, directory: Path = DATA_DIR) -> dict:
    with open(directory / name, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Lookup:
    """One data-file entry chosen for a year or a date."""

    entry: dict
    applied_year: int  # the year whose values were applied (the entry's own first year)
    note: str = ""  # "" when the entry covers the year asked for; else "(2021년 값 적용)"

    @property
    def fallback(self) -> bool:
        return bool(self.note)


def applied_note(year: int) -> str:
    """The label shown next to a figure borrowed from another year: '(2021년 값 적용)'."""
    return f"({year}년 값 적용)"


def _year_of(value) -> int:
    return value.year if isinstance(value, date) else int(value)


def _nearest(entries: list[dict], at, key: str, *, periods: bool, what: str) -> Lookup:
    if not entries:
        raise LookupError(f"{what} 데이터 파일에 항목이 하나도 없습니다.")
    if periods:
        # Each entry holds from its `key` until the next entry starts: the last one stays in force.
        valid = [e for e in entries if e[key] <= at]
        if valid:
            chosen = max(valid, key=lambda e: e[key])
            return Lookup(chosen, _year_of(chosen[key]))
        chosen = min(entries, key=lambda e: e[key])  # before the first entry: the earliest one
    else:
        # One entry per year: an exact match, else the closest year (the later one on a tie).
        exact = [e for e in entries if e[key] == at]
        if exact:
            return Lookup(exact[0], _year_of(at))
        chosen = min(entries, key=lambda e: (abs(_year_of(e[key]) - _year_of(at)), -_year_of(e[key])))
    year = _year_of(chosen[key])
    return Lookup(chosen, year, applied_note(year))


def for_year(entries: list[dict], year: int, key: str = "from_year", *, periods: bool = True,
             what: str = "") -> Lookup:
    """The entry for income/calendar year `year`.

    periods=True (the default, files whose entries say "from this year on"): the entry with the
    largest `key` ≤ year; before the first entry, the first entry with a note.
    periods=False (one entry per year, e.g. the minimum wage): that year's entry, else the
    nearest year's with a note — also after the last year, since nobody knows next year's figure.
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError("year must be an int")
    return _nearest(entries, year, key, periods=periods, what=what)


def for_date(entries: list[dict], on: date, key: str = "from", *, what: str = "") -> Lookup:
    """The entry in force on `on` (entries hold from their `key` date until the next one starts);
    before the first entry, the first entry with a note."""
    if not isinstance(on, date):
        raise TypeError("on must be a date")
    return _nearest(entries, on, key, periods=True, what=what)


def entry_for(entries: list[dict], on: date, key: str = "from") -> dict:
    """The entry in force on `on` (the earliest entry for a date before every entry)."""
    return for_date(entries, on, key).entry
