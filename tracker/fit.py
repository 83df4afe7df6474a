"""내게 맞는 공고: how well an opening fits this labeler, from their own ledger, in points and in words.

The profile (`profile`) is what the ledger shows of the labeler: per task type the hours and KRW
per hour earned, and on per-item work the accepted items per hour and the KRW per item earned
(tracker.income.project_rates); the roles done (작업자/검수자); the highest AIDE certificate among
the projects worked on; how many of those were remote.

A posting scores 0–100 (`assess`, vectorised over a frame of postings):

- 작업 유형 (40): a task type done before 40; no task type stated 15; only new ones 0.
- 단가 (30): the posting's pay as KRW per hour against my rate on that task (else my usual rate):
  as much or more 30, less in proportion; not stated or not convertible 10. Per-item pay becomes
  per hour through my own accepted items per hour on that task type; a monthly one over 209 hours
  (주 40시간 + 주휴); per-hour pay is per hour already.
- 역할 (10): 검수 openings against whether I have inspected, others against work as 작업자.
- 재택 (10): remote or not, as most of my projects were.
- 자격증 (10): an AIDE grade above the one my projects show gives 0, and the posting never "fits".

A posting fits (내게 맞는 공고) at FIT_AT points or more without a missing certificate. Money is whole
won; the figures in the words are the same integers, the hourly estimate rounded to ₩100 ("약").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa

from tracker.models.enums import Certificate, PayScheme, PayUnit, ProjectStatus, Role, TaskType

FIT_AT = 60
MONTH_HOURS = 209  # 월 소정근로시간 (주 40시간, 주휴 포함): a monthly pay as an hourly one
DAY_HOURS = 8  # 일급: one working day
YEAR_HOURS = MONTH_HOURS * 12  # 연봉
BASIS = {PayUnit.DAY.value: f" (하루 {DAY_HOURS}시간 기준)", PayUnit.MONTH.value: f" (월 {MONTH_HOURS}시간 기준)",
         PayUnit.YEAR.value: f" (연 {YEAR_HOURS:,}시간 기준)"}
CERT_RANK = {Certificate.NONE.value: 0, Certificate.AIDE_2.value: 1, Certificate.AIDE_1.value: 2}
WORKED = {ProjectStatus.SELECTED, ProjectStatus.IN_PROGRESS, ProjectStatus.INSPECTING, ProjectStatus.COMPLETED,
          ProjectStatus.STOPPED}
#: the columns `assess` reads
FIT_INPUTS = ["task_types", "pay_amount", "pay_unit", "remote", "certificate"]


@dataclass(frozen=True)
class TaskRecord:
    """What I have done of one task type."""

    task_type: str
    minutes: int = 0
    earned: int = 0
    item_minutes: int = 0  # minutes on per-item projects of this type
    items: int = 0  # accepted items on them
    item_earned: int = 0  # KRW earned on them

    @property
    def krw_per_hour(self) -> int | None:
        return self.earned * 60 // self.minutes if self.minutes else None

    @property
    def krw_per_item(self) -> int | None:
        return self.item_earned // self.items if self.items else None

    def hourly_from_item_price(self, price: int) -> int | None:
        """KRW per hour a per-item price makes at my own pace on this task type."""
        return price * self.items * 60 // self.item_minutes if self.items and self.item_minutes else None


@dataclass(frozen=True)
class FitProfile:
    tasks: dict[str, TaskRecord] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    certificate: str = Certificate.NONE.value
    projects: int = 0  # worked on
    remote_projects: int = 0
    minutes: int = 0
    earned: int = 0

    @property
    def usual_rate(self) -> int | None:
        """My KRW per hour over all recorded work."""
        return self.earned * 60 // self.minutes if self.minutes else None

    @property
    def prefers_remote(self) -> bool | None:
        if not self.projects:
            return None
        return self.remote_projects * 2 >= self.projects

    def rate_for(self, task: str | None) -> int | None:
        record = self.tasks.get(task) if task else None
        return (record.krw_per_hour if record is not None else None) or self.usual_rate


def profile_from(rates: pd.DataFrame, projects: pd.DataFrame) -> FitProfile:
    """The profile from tracker.income.project_rates and tracker.queries.projects frames (pure)."""
    tasks: dict[str, TaskRecord] = {}
    for task, group in rates.groupby("task_type", sort=True) if not rates.empty else ():
        items = group[group["pay_scheme"] == PayScheme.PER_ITEM.value]
        tasks[str(task)] = TaskRecord(
            task_type=str(task), minutes=int(group["minutes"].sum()), earned=int(group["earned"].sum()),
            item_minutes=int(items["minutes"].sum()),
            items=int((items["submitted"] - items["rejected"]).sum()),
            item_earned=int(items["earned"].sum()),
        )
    worked_ids = set(rates["project_id"]) if not rates.empty else set()
    worked = projects[projects["id"].isin(worked_ids) | projects["status"].isin([s.value for s in WORKED])] \
        if not projects.empty else projects
    roles = frozenset(str(r) for r in (rates["role"] if not rates.empty else [])) | frozenset(
        str(r) for r in (worked["role"] if not worked.empty else []))
    certificate = max((str(c) for c in (worked["certificate"] if not worked.empty else [])),
                      key=lambda c: CERT_RANK.get(c, 0), default=Certificate.NONE.value)
    return FitProfile(
        tasks=tasks, roles=roles, certificate=certificate, projects=len(worked),
        remote_projects=int(worked["remote"].astype(bool).sum()) if not worked.empty else 0,
        minutes=int(rates["minutes"].sum()) if not rates.empty else 0,
        earned=int(rates["earned"].sum()) if not rates.empty else 0,
    )


def profile(engine: sa.Engine) -> FitProfile:
    """My profile from the ledger (two reads through the public rate and project queries)."""
    from tracker.income import project_rates
    from tracker.queries import projects

    return profile_from(project_rates(engine), projects(engine))


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _has(wrapped: list[str], task: str) -> np.ndarray:
    """Which of the ",a,b," strings name `task`."""
    needle = "," + task + ","
    return np.fromiter((needle in w for w in wrapped), dtype=bool, count=len(wrapped))


def _round100(value: int) -> int:
    return (value + 50) // 100 * 100


def assess(frame: pd.DataFrame, me: FitProfile) -> pd.DataFrame:
    """Per posting (same index as `frame`, which has FIT_INPUTS): `fit` (0–100), `fits`,
    `fit_task` (the task type the figures compare, '' when none), `hourly` (the pay as KRW per
    hour, <NA> when unknown), `my_rate` (my KRW per hour to compare with) and `lacks_certificate`.
    Column by column in numpy (a page of 50 or every stored posting alike)."""
    n = len(frame)
    if n == 0:
        frame = pd.DataFrame({column: [] for column in FIT_INPUTS}, index=frame.index)
    types = ["" if _missing(t) else str(t) for t in frame["task_types"]]
    wrapped = ["," + t + "," for t in types]
    raw = frame["pay_amount"].to_numpy(dtype=object)
    known = np.fromiter((not _missing(a) for a in raw), dtype=bool, count=n)
    amount = np.fromiter((int(a) if k else 0 for a, k in zip(raw, known)), dtype=np.int64, count=n)
    unit = np.array(["" if _missing(u) else str(u) for u in frame["pay_unit"]], dtype=object)
    # the task to compare: the best-paid one I have done among the posting's, else none
    task = np.full(n, "", dtype=object)
    for record in sorted(me.tasks.values(), key=lambda r: -(r.krw_per_hour or 0)):
        task[(task == "") & _has(wrapped, record.task_type)] = record.task_type
    matched = task != ""
    first = np.array([t.split(",")[0] for t in types], dtype=object)

    hourly = np.zeros(n, dtype=np.int64)
    has_hourly = np.zeros(n, dtype=bool)
    rows = known & (unit == PayUnit.HOUR.value)
    hourly[rows], has_hourly[rows] = amount[rows], True
    for per, hours in ((PayUnit.DAY, DAY_HOURS), (PayUnit.MONTH, MONTH_HOURS), (PayUnit.YEAR, YEAR_HOURS)):
        rows = known & (unit == per.value)
        hourly[rows], has_hourly[rows] = amount[rows] // hours, True
    for record in me.tasks.values():
        rows = known & (unit == PayUnit.ITEM.value) & (task == record.task_type)
        if rows.any() and record.items and record.item_minutes:
            hourly[rows] = amount[rows] * record.items * 60 // record.item_minutes
            has_hourly[rows] = True
    rates = {t: me.rate_for(t) for t in set(np.where(matched, task, first))}
    mine = [rates[t] for t in np.where(matched, task, first)]
    has_rate = np.fromiter((r is not None for r in mine), dtype=bool, count=n)
    my_rate = np.fromiter((r or 0 for r in mine), dtype=np.int64, count=n)

    task_points = np.where(matched, 40, np.where(np.array(types, dtype=object) == "", 15, 0))
    both = has_hourly & has_rate & (my_rate > 0)
    ratio = np.minimum(np.divide(hourly, my_rate, out=np.zeros(n), where=both), 1.0)
    pay_points = np.where(both, np.round(ratio * 30), 10).astype(np.int64)
    inspection = _has(wrapped, TaskType.INSPECTION.value)
    if me.roles:
        role_points = np.where(inspection, 10 if Role.INSPECTOR.value in me.roles else 0,
                               10 if Role.WORKER.value in me.roles else 0)
    else:
        role_points = np.full(n, 5)
    remote = np.fromiter((not _missing(r) and bool(r) for r in frame["remote"]), dtype=bool, count=n)
    prefers = me.prefers_remote
    remote_points = np.full(n, 5) if prefers is None else np.where(remote == prefers, 10, 3)
    mine_rank = CERT_RANK.get(me.certificate, 0)
    lacks = np.fromiter((not _missing(c) and CERT_RANK.get(str(c), 0) > mine_rank
                         for c in frame["certificate"]), dtype=bool, count=n)
    fit = (task_points + pay_points + role_points + remote_points + np.where(lacks, 0, 10)).astype(np.int64)
    out = pd.DataFrame({
        "fit": fit,
        "fit_task": np.where(matched, task, ""),
        "hourly": pd.array(np.where(has_hourly, hourly, 0), dtype="Int64"),
        "my_rate": pd.array(my_rate, dtype="Int64"),
        "lacks_certificate": lacks,
    }, index=frame.index)
    out.loc[~has_hourly, "hourly"] = pd.NA
    out.loc[~has_rate, "my_rate"] = pd.NA
    out["fits"] = (fit >= FIT_AT) & ~lacks
    return out


def _krw(amount: int) -> str:
    return f"₩{amount:,}"


def explain(posting, me: FitProfile, assessed=None) -> list[str]:
    """The reasons, one sentence each, for one posting (a mapping or a frame row with FIT_INPUTS);
    `assessed`: its row of `assess` when already computed."""
    if assessed is None:
        frame = pd.DataFrame([{k: posting[k] for k in FIT_INPUTS}])
        assessed = assess(frame, me).iloc[0]
    types = [t for t in str(posting["task_types"] or "").split(",") if t]
    amount = posting["pay_amount"]
    amount = None if amount is None or pd.isna(amount) else int(amount)
    unit = posting["pay_unit"] or ""
    unit = "" if pd.isna(unit) else str(unit)
    task = assessed["fit_task"]
    hourly = None if pd.isna(assessed["hourly"]) else int(assessed["hourly"])
    reasons: list[str] = []
    pay = f"이 공고 {PayUnit(unit).label} {amount:,}원" if amount is not None and unit else ""
    if task:
        record = me.tasks[task]
        label = TaskType(task).label
        rate = record.krw_per_hour
        mine = f"{label}: 내 평균 시급 {_krw(rate)}" if rate is not None else f"{label}: 해 본 적 있음 (시간 기록 없음)"
        if not pay:
            reasons.append(mine + ", 이 공고는 단가를 적지 않았습니다")
        elif unit == PayUnit.HOUR.value:
            reasons.append(f"{mine}, {pay}")
        elif hourly is not None:
            reasons.append(f"{mine}, {pay}이면 약 {_krw(_round100(hourly))}/시간"
                           + BASIS.get(unit, ""))
        else:
            reasons.append(f"{mine}, {pay}: 이 작업을 건당으로 한 기록이 없어 시간당으로 바꾸지 못했습니다")
        if unit == PayUnit.ITEM.value and record.krw_per_item is not None and amount is not None:
            reasons.append(f"{label} 건당 단가: 내가 받아 온 평균 {record.krw_per_item:,}원, 이 공고 {amount:,}원")
    elif types:
        names = ", ".join(TaskType(t).label for t in types if t in TaskType._value2member_map_)
        reasons.append(f"{names}: 장부에 해 본 기록이 없습니다")
        if pay:
            usual = me.usual_rate
            reasons.append(pay + (f" (내 평균 시급 {_krw(usual)})" if usual is not None else ""))
    else:
        reasons.append("작업 유형이 적혀 있지 않습니다" + (f" ({pay})" if pay else ""))
    if TaskType.INSPECTION.value in types:
        reasons.append("검수자 모집: " + ("검수를 해 본 적이 있습니다" if Role.INSPECTOR.value in me.roles
                                       else "장부에 검수자로 일한 기록이 없습니다"))
    needed = str(posting["certificate"] or Certificate.NONE.value)
    if needed != Certificate.NONE.value:
        label = Certificate(needed).label
        if assessed["lacks_certificate"]:
            if me.certificate == Certificate.NONE.value:
                reasons.append(f"{label}이 필요한데 장부의 프로젝트에는 AIDE 자격증이 없습니다")
            else:
                reasons.append(f"{label}이 필요한데 장부의 프로젝트로는 {Certificate(me.certificate).label}까지입니다")
        else:
            reasons.append(f"{label} 필요: 있습니다")
    prefers = me.prefers_remote
    if prefers is not None:
        remote = bool(posting["remote"])
        usual = "내 프로젝트는 대부분 재택" if prefers else "내 프로젝트는 대부분 재택이 아님"
        reasons.append(("재택" if remote else "재택 아님") + f": {usual}")
    return reasons
