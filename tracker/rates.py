"""Yearly numbers read from the data files under data/ (rates, brackets, wages), never literals."""
from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from tracker.config import DATA_DIR


@lru_cache(maxsize=None)
def load(name: str, directory: Path = DATA_DIR) -> dict:
    with open(directory / name, "rb") as fh:
        return tomllib.load(fh)


def entry_for(entries: list[dict], on: date, key: str = "from") -> dict:
    """The entry in force on `on`: the latest whose `key` date is not after it."""
    valid = [e for e in entries if e[key] <= on]
    if not valid:
        raise LookupError(f"{on.isoformat()}에 적용할 값이 데이터 파일에 없습니다.")
    return max(valid, key=lambda e: e[key])
