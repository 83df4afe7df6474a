"""시세: what postings say they pay, month by month and task type by task type, beside what I earned.

- `posted_prices`: the unit prices stated in postings (건당 or 시간당), per month (of publication,
  else of first sight, Korean time) and task type: median, lowest, highest, how many postings. A
  posting naming two task types counts for both; one naming none counts as 기타. Ranges and
  "이상/미만" never became a flat price (tracker.scrapers.normalize), so only stated prices count.
- `earned_prices`: mine on the same scale: KRW per accepted item on per-item work, or KRW per hour
  over all work with minutes, per work month and task type (summed in SQL).
- `figure`: both in one plotly chart, one colour per task type (fixed), postings solid, mine dotted.
- `above_usual(engine, since)`: openings first seen since then whose pay, as KRW per hour
  (tracker.fit), is above my own rate on that task (else my usual rate); `above_usual_rate(engine,
  ids)`: the same for given postings, id → one sentence, which the digest (tracker.alerts) adds.

Every amount is whole won (medians of an even count are floored).
"""
from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from tracker.fit import BASIS, assess, profile
from tracker.models import PayScheme, Posting, PostingStatus, Project, TaskType, WorkLog
from tracker.models.enums import PayUnit
from tracker.queries import WORK_EARNINGS
from tracker.scrapers.text import KST

POSTED_COLUMNS = ["month", "task_type", "task_label", "median", "low", "high", "postings"]
EARNED_COLUMNS = ["month", "task_type", "task_label", "price", "amount"]  # amount: accepted items, or hours
ABOVE_COLUMNS = ["id", "title", "organization", "url", "task_type", "pay_amount", "pay_unit", "hourly", "my_rate",
                 "reason"]
#: one colour per task type, whatever else is in the chart (readable on light and dark backgrounds)
TASK_COLOURS = dict(zip([t.value for t in TaskType], [
    "#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#EECA3B", "#9D755D", "#FF9DA6", "#A0A0A0"]))
UNIT_TITLES = {PayUnit.ITEM.value: "건당 단가 (원)", PayUnit.HOUR.value: "시간당 (원)"}


def _labels(codes: pd.Series) -> pd.Series:
    return codes.map(TaskType.labels()).fillna(codes)


def posted_prices(engine: sa.Engine, unit: str = PayUnit.ITEM.value) -> pd.DataFrame:
    """Stated prices per month and task type (POSTED_COLUMNS), oldest month first."""
    query = select(Posting.published, Posting.first_seen, Posting.task_types, Posting.pay_amount).where(
        Posting.pay_unit == unit, Posting.pay_amount.is_not(None), Posting.pay_amount > 0)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return pd.DataFrame(columns=POSTED_COLUMNS)
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["published", "first_seen", "task_types", "amount"])
    when = pd.to_datetime(frame["published"].where(frame["published"].notna(), frame["first_seen"]), utc=True)
    frame["month"] = when.dt.tz_convert(KST).dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    frame["task_type"] = frame["task_types"].fillna("").replace("", TaskType.OTHER.value).str.split(",")
    frame = frame.explode("task_type")
    frame = frame[frame["task_type"] != ""]
    grouped = frame.groupby(["month", "task_type"], sort=True)["amount"]
    out = grouped.agg(low="min", high="max", postings="count").reset_index()
    out["median"] = (grouped.median() // 1).astype("int64").to_numpy()
    out["task_label"] = _labels(out["task_type"])
    return out.astype({"low": "int64", "high": "int64", "median": "int64", "postings": "int64"})[POSTED_COLUMNS]


def earned_prices(engine: sa.Engine, unit: str = PayUnit.ITEM.value) -> pd.DataFrame:
    """My price per month and task type (EARNED_COLUMNS): per accepted item, or per hour."""
    year, month = (sa.extract(part, WorkLog.work_date) for part in ("year", "month"))
    if unit == PayUnit.ITEM.value:
        amount = sa.func.sum(WorkLog.items_submitted - WorkLog.items_rejected)
        where = [WorkLog.pay_scheme == PayScheme.PER_ITEM]
    else:
        amount = sa.func.sum(WorkLog.minutes)
        where = [WorkLog.minutes > 0, WorkLog.pay_scheme != PayScheme.FIXED]
    query = (select(year, month, Project.task_type, amount, sa.func.sum(WORK_EARNINGS))
             .join(Project, Project.id == WorkLog.project_id).where(*where)
             .group_by(year, month, Project.task_type).order_by(year, month, Project.task_type))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for y, m, task, done, earned in rows:
        done, earned = int(done or 0), int(earned or 0)
        if not done:
            continue
        price = earned // done if unit == PayUnit.ITEM.value else earned * 60 // done
        out.append((pd.Timestamp(int(y), int(m), 1), str(task), price,
                    done if unit == PayUnit.ITEM.value else round(done / 60, 1)))
    frame = pd.DataFrame(out, columns=["month", "task_type", "price", "amount"])
    frame.insert(2, "task_label", _labels(frame["task_type"]))
    return frame.astype({"price": "int64"})[EARNED_COLUMNS]


def figure(posted: pd.DataFrame, earned: pd.DataFrame, unit: str = PayUnit.ITEM.value):
    """Postings' median price (solid, with the lowest–highest range on hover) and mine (dotted) per task type."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for task in sorted(set(posted["task_type"]) | set(earned["task_type"])):
        colour = TASK_COLOURS.get(task, "#A0A0A0")
        label = TaskType(task).label if task in TaskType._value2member_map_ else task
        mine = earned[earned["task_type"] == task]
        theirs = posted[posted["task_type"] == task]
        if not theirs.empty:
            fig.add_trace(go.Scatter(
                x=theirs["month"], y=theirs["median"], name=f"{label} · 공고", mode="lines+markers",
                line={"color": colour, "width": 2}, customdata=theirs[["low", "high", "postings"]].to_numpy(),
                hovertemplate="%{x|%Y-%m} 공고 가운데값 ₩%{y:,}<br>₩%{customdata[0]:,}–₩%{customdata[1]:,}, "
                              "%{customdata[2]}건<extra></extra>"))
        if not mine.empty:
            fig.add_trace(go.Scatter(
                x=mine["month"], y=mine["price"], name=f"{label} · 내가 받은", mode="lines+markers",
                line={"color": colour, "width": 3, "dash": "dot"}, marker={"symbol": "diamond", "size": 9},
                hovertemplate="%{x|%Y-%m} 내가 받은 ₩%{y:,}<extra></extra>"))
    fig.update_layout(yaxis_title=UNIT_TITLES.get(unit, "원"), yaxis_tickformat=",d", xaxis_tickformat="%Y-%m",
                      legend_title_text="작업 유형", hovermode="closest", margin={"t": 30})
    return fig


def _since(since: date | datetime) -> datetime:
    if isinstance(since, datetime):
        return since if since.tzinfo else since.replace(tzinfo=KST)
    return datetime.combine(since, time(), KST)


def _round100(value: int) -> int:
    return (value + 50) // 100 * 100


def _reason(row) -> str:
    label = TaskType(row.task_type).label if row.task_type in TaskType._value2member_map_ else "작업"
    pay = f"{label} {PayUnit(row.pay_unit).label} {int(row.pay_amount):,}원"
    if row.pay_unit == PayUnit.HOUR.value:
        return f"{pay}: 내 시급 ₩{row.my_rate:,}보다 ₩{row.hourly - row.my_rate:,} 많습니다"
    basis = BASIS.get(row.pay_unit, "")
    return f"{pay}: 약 ₩{_round100(row.hourly):,}/시간{basis}, 내 시급 ₩{row.my_rate:,}보다 높습니다"


def _above(engine: sa.Engine, *where) -> pd.DataFrame:
    me = profile(engine)
    query = select(Posting.id, Posting.title, Posting.organization, Posting.url, Posting.task_types,
                   Posting.pay_amount, Posting.pay_unit, Posting.remote, Posting.certificate).where(
        *where, Posting.pay_amount.is_not(None), Posting.pay_unit.is_not(None)).order_by(Posting.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["id", "title", "organization", "url", "task_types",
                                                            "pay_amount", "pay_unit", "remote", "certificate"])
    if frame.empty or me.usual_rate is None:
        return pd.DataFrame(columns=ABOVE_COLUMNS)
    scored = assess(frame, me)
    keep = scored["hourly"].notna() & scored["my_rate"].notna()
    keep &= (scored["hourly"].fillna(0) > scored["my_rate"].fillna(0))
    frame, scored = frame[keep.to_numpy()], scored[keep]
    out = frame.assign(
        task_type=scored["fit_task"].where(scored["fit_task"] != "", frame["task_types"].str.split(",").str[0]),
        hourly=scored["hourly"].astype("int64"), my_rate=scored["my_rate"].astype("int64"),
    )
    out = out.assign(pay_amount=out["pay_amount"].astype("int64"), pay_unit=out["pay_unit"].astype(str))
    out["reason"] = [_reason(row) for row in out.itertuples()]
    out = out.sort_values(["hourly", "id"], ascending=[False, True], ignore_index=True)
    return out[ABOVE_COLUMNS]


def above_usual(engine: sa.Engine, since: date | datetime) -> pd.DataFrame:
    """Openings first seen at or after `since` (a day: from its start, Korean time), not hidden,
    whose pay as KRW per hour is above my own rate on their task type (else my usual rate), the
    best first (ABOVE_COLUMNS; `reason` is one sentence in Korean)."""
    return _above(engine, Posting.first_seen >= _since(since), Posting.status != PostingStatus.HIDDEN)


def above_usual_rate(engine: sa.Engine, posting_ids: list[int]) -> dict[int, str]:
    """Of these postings, the ones paying above my usual rate: id → the sentence (for the digest)."""
    if not posting_ids:
        return {}
    found = _above(engine, Posting.id.in_([int(i) for i in posting_ids]))
    return {int(i): reason for i, reason in zip(found["id"], found["reason"])}
