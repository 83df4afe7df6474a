"""Demo data: one part-time labeler's ledger over 18 months, shaped like seed post 000.

Nine companies, about thirty projects, daily work entries on Korean working days and one
payment per project and work month. The net of all payments is exactly DEMO_NET_TOTAL
(the seed's 18,436,370 KRW): everything else is generated a little below it and the one
fixed-price project absorbs the rest.

`scale` N (up to 100, for load tests) makes a team's ledger: N copies of the companies and everything
under them, ten to an 18-month period and each further ten in the 18 months before (×100: 900
companies over 15 years), so days never hold more than 24 hours of work.

Deterministic: the same arguments give the same rows (its own `random.Random`, no clock
except the documented defaults). Money is integer KRW; floats only shape the plan.
"""
from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from pydantic import ValidationError

from tracker.db import session_scope
from tracker.errors import from_validation_error
from tracker.ledger import has_records
from tracker.models import (
    Certificate,
    Company,
    CompanyCreate,
    CompanyKind,
    Deposit,
    Payment,
    PaymentCreate,
    PayScheme,
    Project,
    ProjectCreate,
    ProjectStatus,
    Role,
    TaskType,
    WithholdingKind,
    WorkLog,
    WorkLogCreate,
    earnings,
)
from tracker.schedule import expected_pay_date, is_business_day, shift_to_business_day
from tracker.tax import gross_from_net, withhold
from tracker.timeutil import KST, add_months, month_range, month_start, today_kst

DEMO_NET_TOTAL = 18_436_370
MONTHS = 18
MAX_SCALE = 200
WAVE = 10  # copies that share one period (see _waves)
REFUSED_MESSAGE = "데이터베이스에 이미 기록이 있습니다. 덮어쓰려면 --force를 쓰세요."

# Daily time budget (minutes). Per-hour work stays within PER_HOUR_DAY so that WAVE copies
# of it still fit in one day (the ledger allows 1,440 minutes per date over all entries).
DAY_CAP = 660
PER_HOUR_DAY = 120
FIRST_MONTH_NET = 105_000
FIXED_NET_PLAN = 750_000
PEAK_NET = 3_350_000
# Share of a payment left after withholding, to turn net targets into gross ones (a plan only).
KEEP = {WithholdingKind.BUSINESS: 0.967, WithholdingKind.OTHER: 0.912, WithholdingKind.NONE: 1.0}
# Work-month weights: government data projects bunch in July–December; January–June is lean.
SEASON = {1: 0.40, 2: 0.30, 3: 0.15, 4: 0.22, 5: 0.28, 6: 0.38,
          7: 0.72, 8: 0.95, 9: 1.00, 10: 1.00, 11: 1.05, 12: 0.85}


class DemoRefused(Exception):
    """The demo was not written; the message is a Korean sentence for the user."""


@dataclass(frozen=True)
class DemoSummary:
    start: date  # first day of the first work month
    end: date  # last day of the last work month
    companies: int
    projects: int
    worklogs: int
    payments: int
    net_total: int
    gross_total: int


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _CompanySpec:
    key: str
    name: str
    kind: CompanyKind
    pay_months_after: int
    pay_day: int
    withholding_kind: WithholdingKind = WithholdingKind.BUSINESS
    website: str = ""
    notes: str = ""


_EXAMPLE = "데모 데이터: 지급 조건은 예시입니다."
_COMPANIES = (
    _CompanySpec("cw", "크라우드웍스", CompanyKind.PLATFORM, 1, 10, website="https://www.crowdworks.kr",
                 notes=f"처음 시작한 플랫폼. 아카데미 교육 수료 후 가입. {_EXAMPLE}"),
    _CompanySpec("aimmo", "에이모", CompanyKind.PLATFORM, 1, 15,
                 notes=f"자율주행 데이터 프로젝트가 많음. {_EXAMPLE}"),
    _CompanySpec("tw", "테스트웍스", CompanyKind.AGENCY, 1, 25, website="https://www.testworks.co.kr",
                 notes=f"에이아이웍스 플랫폼. 음성 전사·검수 시급제. {_EXAMPLE}"),
    _CompanySpec("ss", "셀렉트스타", CompanyKind.PLATFORM, 1, 31, website="https://selectstar.ai",
                 notes=f"캐시미션 앱으로 수집 작업. 말일 지급. {_EXAMPLE}"),
    _CompanySpec("labeler", "레이블러", CompanyKind.PLATFORM, 1, 15,
                 notes=f"텍스트·OCR 작업 위주. {_EXAMPLE}"),
    _CompanySpec("mw", "메트웍스", CompanyKind.AGENCY, 1, 25,
                 notes=f"가산·판교 현장 작업 있음. 계약서를 프로젝트마다 새로 씀. {_EXAMPLE}"),
    _CompanySpec("flitto", "플리토", CompanyKind.PLATFORM, 1, 15, WithholdingKind.OTHER,
                 website="https://www.flitto.com", notes=f"기타소득(8.8%)으로 원천징수. {_EXAMPLE}"),
    _CompanySpec("hanbit", "한빛데이터랩", CompanyKind.AGENCY, 2, 10,
                 notes="데모용 가상 업체. 작업월 2개월 뒤 10일 지급. 의료 데이터 전문."),
    _CompanySpec("nuri", "누리AI데이터", CompanyKind.AGENCY, 1, 25,
                 notes="데모용 가상 업체. 지급이 자주 밀림 — 입금 확인 필수."),
)
_LATE_PAYER = "nuri"


@dataclass(frozen=True)
class _ProjectSpec:
    company: str
    name: str
    task: TaskType
    scheme: PayScheme
    price: int  # KRW per item or per hour; a fixed project's price is set from the residual
    secs: int  # seconds per item (minutes of per-item work, throughput of per-hour work)
    first: int | None  # month index 0..17; None: the fixed project, placed in a heavy month
    last: int | None
    role: Role = Role.WORKER
    remote: bool = True
    cert: Certificate = Certificate.NONE
    weight: float = 1.0
    notes: str = ""
    stopped: bool = False  # 중단: ends early in its last month
    ends_early: bool = False  # work ends in the first half of its last month


W, I = Role.WORKER, Role.INSPECTOR
ITEM, HOUR, FIXED = PayScheme.PER_ITEM, PayScheme.PER_HOUR, PayScheme.FIXED
T = TaskType
_PROJECTS = (
    _ProjectSpec("cw", "상품 이미지 분류", T.CLASSIFICATION, ITEM, 30, 10, 0, 1,
                 notes="첫 프로젝트. 교육 과정 수료 후 참여."),
    _ProjectSpec("cw", "생활 사진 촬영·업로드 수집", T.OTHER, ITEM, 300, 100, 0, 2, weight=0.8,
                 notes="휴대폰으로 촬영해 앱으로 업로드."),
    _ProjectSpec("ss", "한국어 일상 대화 문장 수집", T.TEXT_COLLECTION, ITEM, 100, 35, 1, 3),
    _ProjectSpec("cw", "보행자 바운딩 박스 (입문)", T.BOUNDING_BOX, ITEM, 50, 16, 1, 2),
    _ProjectSpec("aimmo", "자율주행 차량 바운딩 박스 (중급)", T.BOUNDING_BOX, ITEM, 120, 30, 2, 4, weight=1.3,
                 notes="사전 테스트 통과 후 선발"),
    _ProjectSpec("labeler", "뉴스 기사 주제 분류", T.CLASSIFICATION, ITEM, 35, 9, 3, 4, stopped=True,
                 notes="업체 사정으로 프로젝트가 조기 종료됨."),
    _ProjectSpec("flitto", "한영 번역 문장 검수", T.INSPECTION, ITEM, 80, 20, 3, 5, role=I),
    _ProjectSpec("tw", "콜센터 상담 음성 전사", T.TRANSCRIPTION, HOUR, 11_000, 120, 4, 5,
                 notes="시급제. 하루 2시간 이내로 배정."),
    _ProjectSpec("ss", "영수증 OCR 텍스트 입력", T.OCR, ITEM, 60, 15, 5, 6),
    _ProjectSpec("hanbit", "얼굴 랜드마크 키포인트", T.KEYPOINT, ITEM, 200, 45, 6, 7, cert=Certificate.AIDE_2,
                 notes="AIDE 2급 소지자 우대. 사전 테스트 통과 후 선발"),
    _ProjectSpec("cw", "도로 객체 폴리곤 (중급)", T.POLYGON, ITEM, 250, 55, 7, 8, weight=1.2),
    _ProjectSpec("aimmo", "실내 공간 세그멘테이션", T.SEGMENTATION, ITEM, 400, 80, 8, 10, weight=1.3,
                 cert=Certificate.AIDE_2),
    _ProjectSpec("mw", "동작 키포인트 스켈레톤 추출", T.KEYPOINT, ITEM, 220, 40, 9, 11, remote=False, weight=1.5,
                 notes="가산 센터 출근 작업. 성실함을 어필해 다음 프로젝트로 연결됨."),
    _ProjectSpec("nuri", "농작물 병해 이미지 바운딩 박스", T.BOUNDING_BOX, ITEM, 90, 18, 9, 10),
    _ProjectSpec("tw", "음성 전사 검수", T.INSPECTION, HOUR, 15_000, 90, 10, 12, role=I, cert=Certificate.AIDE_1,
                 notes="AIDE 1급 필요. 시급제 검수."),
    _ProjectSpec("mw", "스포츠 영상 동작 구간 분류", T.CLASSIFICATION, ITEM, 150, 27, 11, 12, weight=1.2),
    _ProjectSpec("aimmo", "자율주행 바운딩 박스 검수", T.INSPECTION, ITEM, 40, 7, 11, 13, role=I, weight=1.2),
    _ProjectSpec("labeler", "의료 문서 개체명 태깅", T.OTHER, ITEM, 180, 30, 12, 13, stopped=True,
                 notes="물량 소진으로 중단."),
    _ProjectSpec("mw", "판교 상주 데이터 정제 (고정 금액)", T.OTHER, FIXED, 0, 40, None, None, remote=False,
                 notes="한 달 단기 계약, 고정 금액 일괄 지급."),
    _ProjectSpec("nuri", "CCTV 이상행동 영상 분류", T.CLASSIFICATION, ITEM, 130, 22, 14, 15,
                 notes="작업은 끝났는데 지급이 밀리는 중."),
    _ProjectSpec("ss", "식품 이미지 폴리곤", T.POLYGON, ITEM, 230, 38, 13, 14),
    _ProjectSpec("cw", "법률 상담 문장 분류 (전문)", T.CLASSIFICATION, ITEM, 120, 19, 14, 16, weight=1.3,
                 notes="법률 분야 전문 프로젝트. 사전 테스트 통과 후 선발"),
    _ProjectSpec("hanbit", "의료 영상 바운딩 박스 검수", T.INSPECTION, HOUR, 16_000, 60, 13, 15, role=I,
                 cert=Certificate.AIDE_1, notes="AIDE 1급 필요. 시급제."),
    _ProjectSpec("flitto", "다국어 음성 녹음 검수", T.INSPECTION, ITEM, 60, 9, 15, 16, role=I),
    _ProjectSpec("aimmo", "자율주행 야간 영상 세그멘테이션", T.SEGMENTATION, ITEM, 380, 55, 15, 17, weight=1.4),
    _ProjectSpec("labeler", "손글씨 OCR 바운딩 박스", T.OCR, ITEM, 45, 7, 16, 17, ends_early=True),
    _ProjectSpec("cw", "AI 챗봇 답변 품질 평가", T.CLASSIFICATION, ITEM, 300, 45, 17, 17,
                 notes="사전 테스트 통과 후 선발"),
)


@dataclass(frozen=True)
class _PlannedSpec:
    """A project with no work yet; `days` places its dates relative to the period's end."""

    company: str
    name: str
    task: TaskType
    scheme: PayScheme
    price: int
    status: ProjectStatus
    deadline_days: int
    role: Role = Role.WORKER
    remote: bool = True
    cert: Certificate = Certificate.NONE
    start_days: int | None = None
    notes: str = ""


_PLANNED = (
    _PlannedSpec("cw", "의료 상담 대화 텍스트 검수", T.INSPECTION, ITEM, 150, ProjectStatus.SELECTED, 45, role=I,
                 start_days=10, notes="사전 테스트 통과 후 선발. 다음 달 작업 시작 예정."),
    _PlannedSpec("tw", "감정 음성 태깅", T.CLASSIFICATION, ITEM, 70, ProjectStatus.PRETEST, 7,
                 notes="사전 테스트 제출 완료, 결과 발표 대기."),
    _PlannedSpec("aimmo", "자동차 번호판 OCR (가산 상주)", T.OCR, HOUR, 12_000, ProjectStatus.APPLIED, 12,
                 remote=False, notes="현장 근무 조건. 지원서 제출함."),
    _PlannedSpec("hanbit", "3D 의료 영상 폴리곤", T.POLYGON, ITEM, 600, ProjectStatus.REJECTED, -20,
                 cert=Certificate.AIDE_1, notes="사전 테스트 탈락 — 경계선 기준 미달."),
    _PlannedSpec("ss", "법률 문서 요약 검수", T.INSPECTION, ITEM, 250, ProjectStatus.INTERESTED, 20, role=I,
                 cert=Certificate.AIDE_1, notes="모집 공고 확인. AIDE 1급 우대."),
)
del W, I, T


# ---------------------------------------------------------------- generated rows (one copy)


@dataclass
class _Log:
    project: int  # index into _Data.projects
    work_date: date
    minutes: int
    items_submitted: int
    items_rejected: int
    rate: int
    pay_scheme: PayScheme
    note: str = ""


@dataclass
class _Pay:
    company: int
    project: int
    work_month: date
    gross: int
    income_tax: int
    local_tax: int
    net: int
    expected_date: date
    received_date: date | None = None
    note: str = ""


@dataclass
class _Data:
    months: list[date]
    as_of: date
    companies: list[dict]
    projects: list[dict]
    logs: list[_Log] = field(default_factory=list)
    payments: list[_Pay] = field(default_factory=list)
    fixed_project: int = -1
    fixed_payment: int = -1


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=KST)


def _working_days(month: date) -> list[date]:
    return [d for n in range(1, _month_end(month).day + 1) if is_business_day(d := month.replace(day=n))]


def _targets(rng: random.Random, months: list[date]) -> list[float]:
    """Relative weight of each work month: seasonal, growing over the period, a little noisy."""
    weights = []
    for i, month in enumerate(months):
        growth = 0.10 + 0.90 * min(1.0, i / 11) ** 1.5
        weights.append(SEASON[month.month] * growth * rng.uniform(0.9, 1.1))
    return weights


def _allocate(need: float, days: list[date], room: dict[date, float], rng: random.Random) -> dict[date, float]:
    """Spread `need` minutes over `days` with random weights, never beyond each day's room."""
    weights = {d: rng.uniform(0.5, 1.5) for d in days}
    given = dict.fromkeys(days, 0.0)
    remaining = need
    for _ in range(8):
        open_days = [d for d in days if room[d] - given[d] > 0.5]
        if remaining < 1 or not open_days:
            break
        total = sum(weights[d] for d in open_days)
        spent = 0.0
        for d in open_days:
            g = min(remaining * weights[d] / total, room[d] - given[d])
            given[d] += g
            spent += g
        remaining -= spent
    return given


def _thin(days: list[date], need: float, rng: random.Random, sitting: float = 75) -> list[date]:
    """Light months are a few real sittings, not minutes every day: keep about need / sitting
    days (the first and last stay, so the project's dates do not move)."""
    share = need / sitting / max(1, len(days))
    if share >= 0.88 or len(days) <= 2:
        return days
    middle = [d for d in days[1:-1] if rng.random() < max(share, 0.15)]
    return [days[0], *middle, days[-1]]


def _build(months: list[date], as_of: date, today: date, seed: int, factor: float) -> _Data:
    """One copy of the dataset. `factor` scales every month's target but the first."""
    rng = random.Random(seed)
    last = len(months) - 1

    def sub_rng(*key) -> random.Random:
        return random.Random("-".join(str(k) for k in (seed, *key)))

    companies = [
        {"key": c.key, "name": c.name, "kind": c.kind, "website": c.website, "pay_months_after": c.pay_months_after,
         "pay_day": c.pay_day, "withholding_kind": c.withholding_kind, "active": True, "notes": c.notes}
        for c in _COMPANIES
    ]
    company_index = {c.key: n for n, c in enumerate(_COMPANIES)}

    # Month targets (net KRW). The last month counts only the working days up to as_of.
    weights = _targets(rng, months)
    days_of = [_working_days(m) for m in months]
    open_days = [[d for d in days if d <= as_of] for days in days_of]
    weights[last] *= len(open_days[last]) / max(1, len(days_of[last]))
    # The best month of the second half-year (not the cut last month) is the peak, above
    # ₩3,000,000 net; the fixed-price project sits in the best other month from the 7th on.
    heavy = [i for i in range(9, last) if months[i].month >= 7]
    peak = max(heavy, key=lambda i: (weights[i], i))
    fixed_month = max((i for i in range(6, last - 1) if i != peak), key=lambda i: weights[i])
    rest = DEMO_NET_TOTAL - FIRST_MONTH_NET - FIXED_NET_PLAN
    scale = rest / sum(weights[1:])
    if weights[peak] * scale < PEAK_NET:
        others = sum(weights[1:]) - weights[peak]
        scale = (rest - PEAK_NET) / others
        weights[peak] = PEAK_NET / scale
    target = [FIRST_MONTH_NET] + [w * scale * factor for w in weights[1:]]
    target[fixed_month] += FIXED_NET_PLAN

    # Project windows.
    specs = [replace(s, first=fixed_month, last=fixed_month) if s.scheme == FIXED else s for s in _PROJECTS]
    projects: list[dict] = []
    windows: list[tuple[date, date]] = []
    for n, s in enumerate(specs):
        r = sub_rng("window", n)
        first_days, last_days = days_of[s.first], days_of[s.last]
        if s.scheme == FIXED:
            start = first_days[r.randint(2, 5)]
            stop = first_days[min(len(first_days) - 1, first_days.index(start) + r.randint(8, 10))]
        else:
            start = first_days[r.randint(0, 4)] if s.first == 0 else first_days[r.randint(0, 9)]
            if s.stopped or s.ends_early:
                stop = last_days[r.randint(5, 10)]
            else:
                stop = last_days[-r.randint(1, 6)]
            if stop < start:
                stop = first_days[min(len(first_days) - 1, first_days.index(start) + 8)]
        windows.append((start, stop))
        company = _COMPANIES[company_index[s.company]]
        projects.append({
            "company": company_index[s.company], "name": s.name, "task_type": s.task, "role": s.role,
            "pay_scheme": s.scheme, "unit_price": s.price, "remote": s.remote, "certificate": s.cert,
            "notes": s.notes, "spec": s, "keep": KEEP[company.withholding_kind],
        })
        if s.scheme == FIXED:
            fixed_project = n

    # Work entries, month by month.
    logs: list[_Log] = []
    started: set[int] = set()
    for i, month in enumerate(months):
        active = [n for n, s in enumerate(specs) if s.first <= i <= s.last]
        room = {d: float(DAY_CAP) for d in open_days[i]}
        hour_room = {d: float(PER_HOUR_DAY) for d in open_days[i]}
        project_days: dict[int, list[date]] = {}
        for n in active:
            r = sub_rng("days", n, i)
            start, stop = windows[n]
            days = [d for d in open_days[i] if start <= d <= stop]
            kept = [d for d in days if r.random() < 0.88] or days[:1]
            if days:
                kept = sorted(set(kept) | {days[0]} | ({days[-1]} if stop <= as_of else set()))
            project_days[n] = kept
        # Split the month's target by weight and by the share of the month each project covers.
        n_days = max(1, len(days_of[i]))
        share = {n: specs[n].weight * len(project_days[n]) / n_days for n in active if specs[n].scheme != FIXED}
        total_share = sum(share.values()) or 1.0
        month_target = target[i] - (FIXED_NET_PLAN if i == fixed_month else 0)
        goal = {n: month_target * share[n] / total_share for n in share}
        # Per-hour work is capped per day; what it cannot take goes to the per-item projects.
        hourly = [n for n in goal if specs[n].scheme == HOUR]
        spill = 0.0
        for n in hourly:
            cap = len(project_days[n]) * PER_HOUR_DAY * 0.8 / max(1, len(hourly)) * specs[n].price / 60 * 0.967
            if goal[n] > cap:
                spill += goal[n] - cap
                goal[n] = cap
        per_item = [n for n in goal if specs[n].scheme == ITEM]
        item_share = sum(share[n] for n in per_item) or 1.0
        for n in per_item:
            goal[n] += spill * share[n] / item_share

        order = [n for n in active if specs[n].scheme == FIXED] + hourly + per_item
        for n in order:
            s, days = specs[n], project_days[n]
            if not days:
                continue
            r = sub_rng("logs", n, i)
            first_log = n not in started
            started.add(n)
            if s.scheme == FIXED:
                for d in days:
                    minutes = min(int(room[d]), r.randrange(300, 460, 10))
                    room[d] -= minutes
                    logs.append(_Log(n, d, minutes, minutes * 60 // s.secs, 0, 0, FIXED,
                                     "판교 현장 작업" if d == days[0] else ""))
                continue
            if s.scheme == HOUR:
                need = goal[n] / projects[n]["keep"] * 60 / s.price
                days = _thin(days, need, r)
                limit = {d: min(room[d], hour_room[d]) for d in days}
                for d, m in _allocate(need, days, limit, r).items():
                    minutes = int(m // 10) * 10
                    if minutes < 30:
                        continue
                    room[d] -= minutes
                    hour_room[d] -= minutes
                    note = "가이드 교육 수강 후 첫 작업" if first_log else ""
                    first_log = False
                    logs.append(_Log(n, d, minutes, minutes * 60 // s.secs, 0, s.price, HOUR, note))
                continue
            reject_rate = sub_rng("reject", n).uniform(0.01, 0.08)
            per_hour = 3600 / s.secs * s.price * (1 - reject_rate)
            need = goal[n] / projects[n]["keep"] * 60 / per_hour
            days = _thin(days, need, r)
            for d, m in _allocate(need, days, room, r).items():
                submitted = round(m * 60 / s.secs)
                if submitted < 1 or m < 5 or room[d] < 1:
                    continue
                rate = min(0.08, max(0.01, reject_rate + r.uniform(-0.02, 0.02)))
                rejected = round(submitted * rate)
                minutes = max(1, min(int(room[d]), round(submitted * s.secs * r.uniform(0.95, 1.05) / 60)))
                room[d] -= minutes
                if first_log:
                    note = "가이드 교육 수강 후 첫 작업"
                elif rejected >= 5 and rejected / submitted >= 0.075:
                    note = f"반려 {rejected:,}건 — 가이드 재확인 후 재작업"
                elif r.random() < 0.03:
                    note = r.choice(("작업 툴 오류로 잠시 중단", "가이드 개정본 반영", "물량 적게 배정됨"))
                else:
                    note = ""
                first_log = False
                logs.append(_Log(n, d, minutes, submitted, rejected, s.price, ITEM, note))
    logs.sort(key=lambda log: (log.work_date, log.project))

    data = _Data(months, as_of, companies, projects, logs, fixed_project=fixed_project)
    _payments(data, today, seed)
    _statuses(data, windows)
    return data


def _payments(data: _Data, today: date, seed: int) -> None:
    """One payment per (project, work month) with earnings; the fixed project's gross is set later."""
    gross: dict[tuple[int, date], int] = defaultdict(int)
    for log in data.logs:
        key = (log.project, month_start(log.work_date))
        gross[key] += earnings(log.pay_scheme, log.rate, log.minutes, log.items_submitted, log.items_rejected)
    fixed = data.fixed_project
    fixed_month = next(month_start(log.work_date) for log in data.logs if log.project == fixed)
    gross[(fixed, fixed_month)] = 0
    last = data.months[-1]
    near = month_start(today) <= add_months(last, 3)
    late_payer = next(n for n, c in enumerate(data.companies) if c["key"] == _LATE_PAYER)
    late_payer_months = sorted({m for (p, m) in gross if data.projects[p]["company"] == late_payer})
    overdue_month = add_months(last, -2)
    late_months = [m for m in late_payer_months if m < add_months(last, -5)][:2]

    for (p, month), amount in sorted(gross.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if amount == 0 and p != fixed:
            continue
        c = data.projects[p]["company"]
        company = data.companies[c]
        expected = expected_pay_date(month, company["pay_months_after"], company["pay_day"])
        pay = _Pay(c, p, month, amount, 0, 0, amount, expected)
        _withhold(pay, company)
        r = random.Random(f"{seed}-pay-{p}-{month.isoformat()}")
        if expected > today:
            pay.note = "지급 예정"
        elif c == late_payer and month == overdue_month and near:
            pay.note = "지급 예정일이 지났는데 아직 입금되지 않음. 담당자에게 문의함."
        elif c == late_payer and (month in late_months or month == overdue_month):
            pay.received_date = min(today, expected + timedelta(days=r.randint(15, 45)))
            pay.note = f"{(pay.received_date - expected).days}일 늦게 입금됨. 여러 번 문의함."
        else:
            received = expected  # already a business day
            if r.random() < 0.12:
                received = shift_to_business_day(received + timedelta(days=r.randint(1, 3)))
            pay.received_date = min(today, received)
            if company["withholding_kind"] == WithholdingKind.OTHER:
                pay.note = "기타소득 8.8% 원천징수"
        if p == fixed:
            pay.note = "고정 금액 계약, 일괄 지급" + (" · 입금 완료" if pay.received_date else "")
            data.fixed_payment = len(data.payments)
        data.payments.append(pay)


def _withhold(pay: _Pay, company: dict) -> None:
    w = withhold(pay.gross, company["withholding_kind"].value, paid_on=pay.expected_date)
    pay.income_tax, pay.local_tax, pay.net = w.income_tax, w.local_tax, w.net


def _statuses(data: _Data, windows: list[tuple[date, date]]) -> None:
    last = len(data.months) - 1
    first_log: dict[int, date] = {}
    last_log: dict[int, date] = {}
    for log in data.logs:
        first_log.setdefault(log.project, log.work_date)
        last_log[log.project] = log.work_date
    for n, project in enumerate(data.projects):
        s: _ProjectSpec = project["spec"]
        start, stop = windows[n]
        project["deadline"] = stop
        if n not in first_log:
            project.update(status=ProjectStatus.SELECTED, start_date=start, end_date=None,
                           notes=(project["notes"] + " 작업 시작 전.").strip())
            continue
        project["start_date"] = first_log[n]
        if s.last < last:
            project["status"] = ProjectStatus.STOPPED if s.stopped else ProjectStatus.COMPLETED
            project["end_date"] = last_log[n]
        elif s.ends_early and stop <= data.as_of:
            project["status"] = ProjectStatus.INSPECTING
            project["end_date"] = last_log[n]
            project["notes"] = (project["notes"] + " 작업 완료, 검수 결과 대기 중.").strip()
        else:
            project["status"] = ProjectStatus.IN_PROGRESS
            project["end_date"] = None
            project["deadline"] = stop + timedelta(days=3)


def _net_without_fixed(data: _Data) -> int:
    return sum(p.net for n, p in enumerate(data.payments) if n != data.fixed_payment)


def _close_the_total(data: _Data) -> None:
    """Give the fixed-price project the gross whose net makes the total exactly DEMO_NET_TOTAL."""
    fixed = data.payments[data.fixed_payment]
    company = data.companies[fixed.company]
    kind = company["withholding_kind"].value
    per_item = [n for n, log in enumerate(data.logs)
                if log.pay_scheme == ITEM and log.items_submitted > log.items_rejected]
    for attempt in range(200):
        residual = DEMO_NET_TOTAL - _net_without_fixed(data)
        grosses = gross_from_net(residual, kind, paid_on=fixed.expected_date) if residual > 0 else []
        if grosses:
            fixed.gross = grosses[0]
            _withhold(fixed, company)
            data.projects[data.fixed_project]["unit_price"] = fixed.gross
            for log in data.logs:  # entries carry the project's price, as the ledger would copy it
                if log.project == data.fixed_project:
                    log.rate = fixed.gross
            return
        # No gross leaves exactly this net: one item fewer somewhere, and try again.
        log = data.logs[per_item[-1 - attempt % len(per_item)]]
        log.items_submitted -= 1
        log.items_rejected = min(log.items_rejected, log.items_submitted)
        month = month_start(log.work_date)
        pay = next(p for p in data.payments if p.project == log.project and p.work_month == month)
        pay.gross = sum(earnings(g.pay_scheme, g.rate, g.minutes, g.items_submitted, g.items_rejected)
                        for g in data.logs if g.project == log.project and month_start(g.work_date) == month)
        _withhold(pay, data.companies[pay.company])
    raise RuntimeError("데모 데이터의 실수령 합계를 맞추지 못했습니다.")


def _plan(end: date, today: date, seed: int = 2021) -> _Data:
    """The rows of one copy, before any database: calibrated so the fixed project stays modest."""
    last = month_start(end)
    months = month_range(add_months(last, -(MONTHS - 1)), MONTHS)
    as_of = _month_end(last)
    if last <= today < as_of:
        as_of = today  # the current month: no work entries after today
    wanted = DEMO_NET_TOTAL - FIXED_NET_PLAN
    factor = 1.0
    for _ in range(4):
        data = _build(months, as_of, today, seed, factor)
        got = _net_without_fixed(data)
        if abs(got - wanted) <= 30_000:
            break
        factor *= (wanted - FIRST_MONTH_NET) / max(1, got - FIRST_MONTH_NET)
    _close_the_total(data)
    return data


# ---------------------------------------------------------------- writing


def _validated(data: _Data) -> None:
    """Every row passes the ledger's Create models (placeholders stand in for ids)."""
    for c in data.companies:
        CompanyCreate.model_validate({k: v for k, v in c.items() if k != "key"})
    for p in data.projects:
        ProjectCreate.model_validate(_project_row(p, 1))
    for log in data.logs:
        WorkLogCreate.model_validate(_log_row(log, 1, log.minutes))
    for pay in data.payments:
        PaymentCreate.model_validate(_payment_row(pay, 1, 1))
    per_day: dict[date, int] = defaultdict(int)
    for log in data.logs:
        per_day[log.work_date] += log.minutes
    if max(per_day.values(), default=0) > DAY_CAP:
        raise RuntimeError("데모 데이터의 하루 작업 시간이 계획보다 깁니다.")


def _project_row(p: dict, company_id: int) -> dict:
    return {
        "company_id": company_id, "name": p["name"], "task_type": p["task_type"], "role": p["role"],
        "pay_scheme": p["pay_scheme"], "unit_price": p["unit_price"], "status": p["status"],
        "start_date": p.get("start_date"), "end_date": p.get("end_date"), "deadline": p.get("deadline"),
        "remote": p["remote"], "certificate": p["certificate"], "notes": p["notes"],
    }


def _log_row(log: _Log, project_id: int, minutes: int) -> dict:
    return {
        "project_id": project_id, "work_date": log.work_date, "minutes": minutes,
        "items_submitted": log.items_submitted, "items_rejected": log.items_rejected,
        "rate": log.rate, "pay_scheme": log.pay_scheme, "note": log.note,
    }


def _payment_row(pay: _Pay, company_id: int, project_id: int) -> dict:
    return {
        "company_id": company_id, "project_id": project_id, "work_month": pay.work_month, "gross": pay.gross,
        "income_tax": pay.income_tax, "local_tax": pay.local_tax, "net": pay.net,
        "expected_date": pay.expected_date, "received_date": pay.received_date, "note": pay.note,
    }


def _planned_projects(data: _Data) -> list[dict]:
    index = {c["key"]: n for n, c in enumerate(data.companies)}
    rows = []
    for s in _PLANNED:
        rows.append({
            "company": index[s.company], "name": s.name, "task_type": s.task, "role": s.role,
            "pay_scheme": s.scheme, "unit_price": s.price, "status": s.status,
            "start_date": data.as_of + timedelta(days=s.start_days) if s.start_days is not None else None,
            "end_date": None, "deadline": data.as_of + timedelta(days=s.deadline_days),
            "remote": s.remote, "certificate": s.cert, "notes": s.notes,
        })
    return rows


def _minutes_per_copy(data: _Data, scale: int) -> list[int]:
    """Each entry's minutes when `scale` copies share the days: per-hour minutes never change
    (they make the earnings); other minutes shrink only as far as 1,440 minutes a day needs,
    each keeping at least one minute (work was done)."""
    hourly: dict[date, int] = defaultdict(int)
    other: dict[date, int] = defaultdict(int)
    entries: dict[date, int] = defaultdict(int)
    for log in data.logs:
        (hourly if log.pay_scheme == HOUR else other)[log.work_date] += log.minutes
        entries[log.work_date] += log.pay_scheme != HOUR
    out = []
    for log in data.logs:
        d = log.work_date
        if log.pay_scheme == HOUR or scale * (hourly[d] + other[d]) <= 1440:
            out.append(log.minutes)
        else:  # one minute each, and the rest of the copy's share of the day by length
            spare = (1440 - scale * hourly[d]) // scale - entries[d]
            out.append(1 + log.minutes * spare // other[d])
    return out


def _waves(end: date, today: date, seed: int, scale: int) -> list[tuple[_Data, int]]:
    """The periods a scaled demo covers: up to WAVE copies share one 18-month period (their per-item
    minutes shrink to fit the day), and every further WAVE copies work the 18 months before, so a
    team-sized ledger has more companies and projects over more months, never more than a day's minutes.
    Returns (plan, copies) per period, the latest first; the first period is exactly the unscaled demo."""
    out = []
    for wave in range((scale + WAVE - 1) // WAVE):
        data = _plan(add_months(month_start(end), -MONTHS * wave), today, seed)
        if wave:
            _finished(data)
        out.append((data, min(WAVE, scale - WAVE * wave)))
    return out


def _finished(data: _Data) -> None:
    """An earlier period of a team's ledger: whatever was still running then has long ended."""
    last_log: dict[int, date] = {}
    for log in data.logs:
        last_log[log.project] = log.work_date
    for n, project in enumerate(data.projects):
        if project["status"] in (ProjectStatus.IN_PROGRESS, ProjectStatus.INSPECTING):
            project["status"] = ProjectStatus.COMPLETED
            project["end_date"] = last_log[n]
            project["deadline"] = last_log[n]


def generate(
    engine: sa.Engine,
    *,
    end: date | None = None,
    scale: int = 1,
    force: bool = False,
    today: date | None = None,
    seed: int = 2021,
) -> DemoSummary:
    """Fill the ledger with 18 work months ending in `end`'s month (default: this month in Korea).

    `today` (default: today in Korea) decides which payments have landed. Refuses a database that
    already holds records unless `force`, which deletes them first, in the same transaction.
    `scale` N writes N copies of the companies and everything under them ("이름 #2", …): up to ten
    in the same 18 months, each further ten in the 18 months before (see _waves). All rows go in
    with bulk inserts in one transaction.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise DemoRefused(f"배수(scale)는 1에서 {MAX_SCALE} 사이의 정수여야 합니다: {scale!r}")
    today = today or today_kst()
    end = end or today
    try:
        waves = _waves(end, today, seed, scale)
    except LookupError as exc:  # no withholding rate for the period's pay days
        raise DemoRefused(f"{end:%Y-%m}에 끝나는 데모 데이터는 만들 수 없습니다: {exc}") from None
    try:
        for data, _copies in waves:
            _validated(data)
        for p in _planned_projects(waves[0][0]):
            ProjectCreate.model_validate(_project_row(p, 1))
    except ValidationError as exc:  # e.g. an end month whose work days are still to come
        raise DemoRefused(f"{end:%Y-%m}에 끝나는 데모 데이터는 만들 수 없습니다: "
                          f"{from_validation_error(exc).message}") from None

    with session_scope(engine) as session:
        conn = session.connection()
        if has_records(session):
            if not force:
                raise DemoRefused(REFUSED_MESSAGE)
            for table in (Deposit, WorkLog, Payment, Project, Company):
                conn.execute(sa.delete(table))

        log_rows, pay_rows = [], []
        n_projects = 0
        copy = 0
        for wave, (data, copies) in enumerate(waves):
            minutes = _minutes_per_copy(data, copies)
            planned = _planned_projects(data) if wave == 0 else []  # plans of long ago are gone
            first_start = min(p["start_date"] for p in data.projects)
            for _ in range(copies):
                copy += 1
                suffix = "" if copy == 1 else f" #{copy}"
                company_rows = []
                for c in data.companies:
                    starts = [p["start_date"] for p in data.projects if p["company"] == len(company_rows)]
                    created = _at((min(starts) if starts else first_start) - timedelta(days=3), 20)
                    row = Company(**{k: v for k, v in c.items() if k != "key"}, created_at=created)
                    row.name += suffix
                    company_rows.append(row)
                session.add_all(company_rows)
                session.flush()
                project_rows = []
                for p in data.projects + planned:
                    created_on = p["start_date"] - timedelta(days=2) if p["start_date"] and p["status"] not in (
                        ProjectStatus.SELECTED,) else data.as_of - timedelta(days=14)
                    project_rows.append(Project(**_project_row(p, company_rows[p["company"]].id),
                                                created_at=_at(min(created_on, data.as_of), 21)))
                session.add_all(project_rows)
                session.flush()
                n_projects += len(project_rows)
                for log, m in zip(data.logs, minutes):
                    row = _log_row(log, project_rows[log.project].id, m)
                    row["created_at"] = _at(log.work_date, 22, log.project % 60)
                    log_rows.append(row)
                for pay in data.payments:
                    row = _payment_row(pay, company_rows[pay.company].id, project_rows[pay.project].id)
                    entered = pay.received_date or min(add_months(pay.work_month, 1), data.as_of)
                    row["created_at"] = _at(entered, 9 if pay.received_date is None else 12)
                    pay_rows.append(row)
        conn.execute(sa.insert(WorkLog), log_rows)
        conn.execute(sa.insert(Payment), pay_rows)

    return DemoSummary(
        start=waves[-1][0].months[0],
        end=_month_end(waves[0][0].months[-1]),
        companies=len(waves[0][0].companies) * scale,
        projects=n_projects,
        worklogs=len(log_rows),
        payments=len(pay_rows),
        net_total=sum(p["net"] for p in pay_rows),
        gross_total=sum(p["gross"] for p in pay_rows),
    )


__all__ = ["DEMO_NET_TOTAL", "DemoRefused", "DemoSummary", "generate"]
