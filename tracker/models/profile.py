"""IncomeProfile (소득 프로필): per income year, what the ledger cannot see — wages and health insurance.

One row per 귀속 연도: whether there is wage income (근로소득) and how it is given — "receipt": the
근로소득 원천징수영수증's 과세표준, 결정세액(소득세) and optionally its 세액공제·감면 합계; "quick": 총급여
only — the health-insurance status (피부양자 / 직장가입자 / 지역가입자·해당 없음) and whether a
사업자등록 exists. Wage fields not used by the chosen mode (or without wage income) are kept as typed
and ignored, so switching back brings them back.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from tracker.errors import label
from tracker.models.base import Withheld, created_at_field, money_field, refuse, version_field, whole_number
from tracker.models.enums import HealthStatus, WageMode, enum_type

FIRST_YEAR, LAST_YEAR = 2000, 2100
Year = whole_number(FIRST_YEAR, LAST_YEAR)


Money = Withheld  # 0 … 100,000,000,000 won


class IncomeProfileBase(SQLModel):
    year: Year = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    has_wage: bool = False
    wage_mode: WageMode = Field(default=WageMode.RECEIPT, sa_type=enum_type(WageMode))
    wage_taxable_base: Money | None = money_field(default=None, nullable=True)  # 과세표준
    wage_determined_tax: Money | None = money_field(default=None, nullable=True)  # 결정세액 (소득세)
    wage_tax_credits: Money | None = money_field(default=None, nullable=True)  # 세액공제·감면 합계 (선택)
    total_salary: Money | None = money_field(default=None, nullable=True)  # 총급여 (quick mode)
    health_status: HealthStatus = Field(default=HealthStatus.NONE, sa_type=enum_type(HealthStatus))
    business_registered: bool = False


class IncomeProfileCreate(IncomeProfileBase):
    @model_validator(mode="after")
    def _wage_fields_given(self):
        if not self.has_wage:
            return self
        if self.wage_mode == WageMode.RECEIPT:
            for field in ("wage_taxable_base", "wage_determined_tax"):
                if getattr(self, field) is None:
                    raise refuse(field, f"근로소득 원천징수영수증의 {label(field).removeprefix('근로소득 ')}을 "
                                        "입력하세요 (없으면 0).")
            if self.wage_determined_tax > self.wage_taxable_base:
                raise refuse("wage_determined_tax",
                             f"결정세액({self.wage_determined_tax:,}원)이 과세표준({self.wage_taxable_base:,}원)보다 "
                             "클 수 없습니다. 원천징수영수증의 값을 확인하세요.")
        elif not self.total_salary:
            raise refuse("total_salary", "총급여를 입력하세요 (1원 이상).")
        return self


class IncomeProfile(IncomeProfileBase, table=True):
    __tablename__ = "income_profile"

    created_at: datetime = created_at_field()
    version: int = version_field()


__all__ = ["HealthStatus", "IncomeProfile", "IncomeProfileCreate", "WageMode"]
