"""The per-year income profile (소득 프로필): read it, save it, turn it into the tax estimate's wage.

Plain functions, one action per session (tracker.db.session_scope), validated with
IncomeProfileCreate; a save carrying `version` (what the form showed) is refused with
tracker.ledger.STALE when the profile changed since, exactly like ledger.update_*.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.db import session_scope
from tracker.errors import LedgerError
from tracker.ledger import STALE, _edit, validate
from tracker.models.profile import FIRST_YEAR, LAST_YEAR, HealthStatus, IncomeProfile, IncomeProfileCreate, WageMode

FIELDS = ["has_wage", "wage_mode", "wage_taxable_base", "wage_determined_tax", "wage_tax_credits", "total_salary",
          "health_status", "business_registered"]
AMOUNTS = ("wage_taxable_base", "wage_determined_tax", "wage_tax_credits", "total_salary")

__all__ = ["AMOUNTS", "FIELDS", "STALE", "HealthStatus", "WageMode", "as_dict", "defaults", "get", "latest", "save",
           "wage_income", "wage_summary"]


def _year(year: Any) -> int:
    valid = validate(IncomeProfileCreate, {"year": year})
    return valid.year


def get(engine: sa.Engine, year: int) -> IncomeProfile | None:
    """The profile of income year `year`, or None when none was saved."""
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    with Session(engine) as session:
        row = session.get(IncomeProfile, year)
        if row is not None:
            session.expunge(row)
        return row


def latest(engine: sa.Engine, year: int) -> IncomeProfile | None:
    """The profile of `year`, else the latest earlier one (a health-insurance status usually carries on)."""
    with Session(engine) as session:
        row = session.exec(select(IncomeProfile).where(IncomeProfile.year <= year)
                           .order_by(IncomeProfile.year.desc()).limit(1)).first()
        if row is not None:
            session.expunge(row)
        return row


def defaults(year: int) -> dict[str, Any]:
    """What a form shows for a year without a profile: version 0 means 'not saved yet'."""
    return {"year": year, "has_wage": False, "wage_mode": WageMode.RECEIPT.value, "wage_taxable_base": None,
            "wage_determined_tax": None, "wage_tax_credits": None, "total_salary": None,
            "health_status": HealthStatus.NONE.value, "business_registered": False, "version": 0}


def as_dict(profile: IncomeProfile | None, year: int) -> dict[str, Any]:
    """The profile as plain values (enum codes as str), or `defaults(year)` when there is none."""
    if profile is None:
        return defaults(year)
    plain = {f: getattr(profile, f) for f in FIELDS}
    plain["wage_mode"] = str(WageMode(plain["wage_mode"]))
    plain["health_status"] = str(HealthStatus(plain["health_status"]))
    return {"year": profile.year, **plain, "version": profile.version}


def save(engine: sa.Engine, year: int, changes: dict[str, Any]) -> None:
    """Create or edit the profile of `year`: only the fields in `changes`.

    With `changes["version"]` (the version the form showed) a profile changed since is refused with
    ledger.STALE and nothing is written. Version 0 means the form showed no saved profile: one created
    elsewhere since is stale too (ledger._check_version compares 0 with its version)."""
    year = _year(year)
    changes = {k: v for k, v in changes.items() if k != "year"}
    with session_scope(engine) as session:
        row = session.get(IncomeProfile, year, with_for_update=True)
        if row is None:
            version = changes.get("version")
            if version not in (None, 0, "0"):
                raise LedgerError(STALE, field="version")  # the form showed a profile that is gone
            data = {k: v for k, v in changes.items() if k in IncomeProfileCreate.model_fields}
            valid = validate(IncomeProfileCreate, {**data, "year": year})
            session.add(IncomeProfile.model_validate(valid))
            return
        _edit(session, row, changes, IncomeProfileCreate, writable=set(FIELDS))


def wage_income(profile: IncomeProfile | dict | None):
    """The tax estimate's `tracker.tax.WageIncome` for this profile, or None without wage income:
    the receipt's 과세표준·결정세액(·세액공제 합계), or `wage_from_salary(총급여, year)` in quick mode."""
    if isinstance(profile, dict):  # a cached read's plain copy
        profile = SimpleNamespace(**profile)
    if profile is None or not profile.has_wage:
        return None
    from tracker import tax

    if WageMode(profile.wage_mode) == WageMode.QUICK:
        return tax.wage_from_salary(int(profile.total_salary), profile.year)
    return tax.WageIncome(int(profile.wage_taxable_base), int(profile.wage_determined_tax),
                          None if profile.wage_tax_credits is None else int(profile.wage_tax_credits))


def wage_summary(profile: IncomeProfile | dict | None) -> str:
    """One line saying what the profile holds, for the page."""
    if isinstance(profile, dict):
        profile = SimpleNamespace(**profile)
    if profile is None:
        return "저장된 소득 프로필이 없습니다: 근로소득이 없다고 보고 계산합니다."
    parts = []
    if not profile.has_wage:
        parts.append("근로소득 없음")
    elif WageMode(profile.wage_mode) == WageMode.QUICK:
        parts.append(f"근로소득: 총급여 {int(profile.total_salary):,}원 (간편 계산)")
    else:
        credits = ("" if profile.wage_tax_credits is None
                   else f", 세액공제·감면 합계 {int(profile.wage_tax_credits):,}원")
        parts.append(f"근로소득: 과세표준 {int(profile.wage_taxable_base):,}원, 결정세액 "
                     f"{int(profile.wage_determined_tax):,}원{credits} (원천징수영수증)")
    parts.append(f"건강보험 {HealthStatus(profile.health_status).label}")
    parts.append("사업자등록 있음" if profile.business_registered else "사업자등록 없음")
    return f"{profile.year}년 소득 프로필 — " + " · ".join(parts)
