"""What the pages share: the engine, cached reads, flash messages, money formatting.

Only ids and plain values go into st.session_state; sessions and ORM objects never do.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from tracker import dataversion, ledger, queries
from tracker import receivables as receivables_module
from tracker.config import database_url
from tracker.db import UPGRADE_COPIES, connect
from tracker.errors import LedgerError
from tracker.inputs import parse_amount, show_amount
from tracker.markdown import escape
from tracker.timeutil import today_kst

FLASH_KEY = "_flash"


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> sa.Engine:
    # Runs once per database URL and process: the schema is upgraded here, not on every rerun.
    return connect(url)


def engine_for(url: str) -> sa.Engine:
    found = _engine(url)
    copy = UPGRADE_COPIES.pop(str(found.url), None)
    if copy is not None:  # said once, to the first page drawn after the upgrade
        st.info(f"장부를 새 버전으로 올리기 전에 원래 파일을 복사해 두었습니다: {escape(copy)}")
    return found


def engine() -> sa.Engine:
    return engine_for(database_url())


def krw(amount: int) -> str:
    return f"₩{amount:,}"


def krw_signed(amount: int) -> str:
    """₩1,000 or −₩1,000 (a real minus sign in front of the currency)."""
    return f"−₩{-amount:,}" if amount < 0 else f"₩{amount:,}"


def money_column(label: str) -> Any:
    return st.column_config.NumberColumn(label, format="₩%,d")


DATE_COLUMNS = ("work_date", "work_month", "start_date", "end_date", "deadline", "expected_date", "received_date")


def labeled(frame: pd.DataFrame, enums: dict[str, type]) -> pd.DataFrame:
    """A copy for display: enum codes as Korean labels, empty dates blank (not "None")."""
    shown = frame.copy()
    for column, enum in enums.items():
        shown[column] = shown[column].map(enum.labels())
    for column in DATE_COLUMNS:
        if column in shown:
            shown[column] = pd.to_datetime(shown[column])
    return shown


def date_column(label: str) -> Any:
    return st.column_config.DateColumn(label, format="YYYY-MM-DD")


def flash(kind: str, text: str) -> None:
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    """The last action's message. It may echo a typed or scraped name: shown with Markdown escaped."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        kind, text = message
        (st.success if kind == "success" else st.error)(escape(text))
        if kind == "success":
            st.toast(escape(toast_text(text)), icon="✅")


TOAST_CHARS = 40  # longer toasts get Streamlit's English "view more"


def toast_text(text: str) -> str:
    """The toast's short form of a success message (the full one is on the page): its first clause."""
    short = text.split(": ", 1)[0].split(" (", 1)[0].strip()
    return short if len(short) <= TOAST_CHARS else short[:TOAST_CHARS - 1] + "…"


def act(action: Callable[..., Any], *args: Any, success: str, **kwargs: Any) -> bool:
    """Run one write; show a refused input as its Korean message. No cache to clear: the write bumps
    its tables' data versions, and the reads keyed on them miss on the next rerun."""
    try:
        action(engine(), *args, **kwargs)
    except LedgerError as exc:
        flash("error", exc.message)
        return False
    flash("success", success)
    return True


def values(prefix: str, fields: list[str], amounts: tuple[str, ...] = ()) -> dict[str, Any]:
    """The form's widget values, read from session state by key; `amounts` are typed text
    ("45,000원") read as whole won (tracker.inputs.parse_amount)."""
    data = {field: st.session_state.get(prefix + field) for field in fields}
    for field in amounts:
        if field in data:
            data[field] = parse_amount(data[field])
    return data


def amount_input(label: str, key: str, value: Any = None, *, container: Any = None, help: str | None = None,
                 placeholder: str = "예: 45,000", unit: str | None = None) -> None:
    """A money or count field as text: what a person types ("45,000원", "4만 5천") is read by the model's
    rules, so a value too large to hold is refused by name instead of becoming ₩0 or the default.
    Under a filled field, what was read is echoed formatted ("읽은 값: ₩45,000", counts "읽은 값: 1,200건";
    `unit` "원" or "건", by default "건" for a label with 건수), or "읽을 수 없는 금액" (never saved)."""
    place = container or st
    typed = place.text_input(label, value=show_amount(value), key=key, help=help, placeholder=placeholder)
    if isinstance(typed, str) and typed.strip():
        read = parse_amount(typed)
        count = (unit or ("건" if "건수" in label else "원")) == "건"
        if isinstance(read, int) and not isinstance(read, bool):
            place.caption(f"읽은 값: {read:,}건" if count else f"읽은 값: {krw_signed(read)}")
        else:
            place.caption(f"⚠️ 읽을 수 없는 {'건수' if count else '금액'}입니다 (예: 45,000 · 4만 5천). 저장하지 않습니다.")


def _plain(value: Any) -> Any:
    """A shown or typed value in one comparable form (no NaT/numpy/Timestamp/enum differences)."""
    if value is None or (not isinstance(value, (str, bytes, list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):
        return value.value
    return value


def changes(prefix: str, fields: list[str], shown: dict[str, Any], amounts: tuple[str, ...] = ()) -> dict[str, Any]:
    """Only what the user changed in an edit form, plus the version the form showed."""
    typed = values(prefix, fields, amounts)
    changed = {f: v for f, v in typed.items() if _plain(v) != _plain(shown.get(f))}
    return changed | {"version": int(shown["version"])}


# Cached reads. Each is keyed by the database URL and the data versions of the tables it reads
# (bumped by triggers on every write, from any process), and by "today" where the result depends on it.

LEDGER_TABLES = ("company", "project", "worklog", "payment", "deposit")


def stamp(url: str, tables: tuple[str, ...] = LEDGER_TABLES) -> tuple[int, ...]:
    """The data versions of `tables`: one small query, so outside writes show on the next rerun."""
    found = dataversion.versions(engine_for(url))
    return tuple(found.get(t, 0) for t in tables)


@st.cache_data(show_spinner=False)
def _companies(url: str, stamp: tuple) -> pd.DataFrame:
    return queries.companies(_engine(url))


def companies(url: str) -> pd.DataFrame:
    return _companies(url, stamp(url, ("company", "project")))


@st.cache_data(show_spinner=False)
def _projects(url: str, stamp: tuple, company_id: int | None) -> pd.DataFrame:
    return queries.projects(_engine(url), company_id=company_id)


def projects(url: str, company_id: int | None = None) -> pd.DataFrame:
    return _projects(url, stamp(url, ("company", "project")), company_id)


@st.cache_data(show_spinner=False)
def _worklogs(url: str, stamp: tuple, company_id: int | None, project_id: int | None, limit: int | None,
              month: date | None = None, offset: int = 0, between: tuple[date, date] | None = None) -> pd.DataFrame:
    since, until = between or (None, None)
    return queries.worklogs(_engine(url), company_id=company_id, project_id=project_id, limit=limit, month=month,
                            offset=offset, since=since, until=until)


def worklogs(url: str, company_id: int | None = None, project_id: int | None = None,
             limit: int | None = None, *, month: date | None = None, offset: int = 0,
             between: tuple[date, date] | None = None) -> pd.DataFrame:
    """Work entries newest first, filtered and paged in SQL (`limit` rows from `offset`; `between`: the
    first and last day, e.g. a week)."""
    return _worklogs(url, stamp(url, ("company", "project", "worklog")), company_id, project_id, limit, month, offset,
                     between)


@st.cache_data(show_spinner=False)
def _worklog_summary(url: str, stamp: tuple, company_id: int | None, project_id: int | None,
                     month: date | None) -> tuple[queries.WorkTotals, list[date]]:
    engine = _engine(url)
    return (queries.worklog_totals(engine, company_id=company_id, project_id=project_id, month=month),
            queries.worklog_months(engine, company_id=company_id, project_id=project_id))


def worklog_summary(url: str, company_id: int | None = None, project_id: int | None = None,
                    month: date | None = None) -> tuple[queries.WorkTotals, list[date]]:
    """The filtered entries' totals (SQL sums) and the months that have entries (for the picker)."""
    return _worklog_summary(url, stamp(url, ("project", "worklog")), company_id, project_id, month)


@st.cache_data(show_spinner=False)
def _payments(url: str, stamp: tuple, today: date, company_id: int | None, project_id: int | None,
              month: date | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    return queries.payments(_engine(url), today, company_id=company_id, project_id=project_id, month=month,
                            limit=limit, offset=offset)


def payments(url: str, today: date, company_id: int | None = None, project_id: int | None = None, *,
             month: date | None = None, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Payments newest work month first, filtered and paged in SQL."""
    return _payments(url, stamp(url, ("company", "project", "payment", "deposit")), today, company_id, project_id,
                     month, limit, offset)


@st.cache_data(show_spinner=False)
def _payment_summary(url: str, stamp: tuple, today: date, company_id: int | None, project_id: int | None,
                     month: date | None) -> tuple[queries.PaymentTotals, list[date]]:
    engine = _engine(url)
    return (queries.payment_totals(engine, today, company_id=company_id, project_id=project_id, month=month),
            queries.payment_months(engine, company_id=company_id, project_id=project_id))


def payment_summary(url: str, today: date, company_id: int | None = None, project_id: int | None = None,
                    month: date | None = None) -> tuple[queries.PaymentTotals, list[date]]:
    """The filtered payments' totals (SQL sums) and the work months that have payments."""
    return _payment_summary(url, stamp(url, ("company", "payment", "deposit")), today, company_id, project_id, month)


@st.cache_data(show_spinner=False)
def _dashboard(url: str, stamp: tuple, today: date) -> queries.Dashboard:
    return queries.dashboard(_engine(url), today, owed=receivables(url, today))


def dashboard(url: str, today: date) -> queries.Dashboard:
    return _dashboard(url, stamp(url), today)


@st.cache_data(show_spinner=False)
def _is_empty(url: str, stamp: tuple) -> bool:
    return ledger.is_empty(_engine(url))


def is_empty(url: str) -> bool:
    return _is_empty(url, stamp(url))


@st.cache_data(show_spinner=False)
def _preferences(url: str, stamp: tuple) -> dict[str, Any]:
    from tracker import preferences

    return preferences.load(_engine(url)).plain()


def preferences(url: str) -> dict[str, Any]:
    """The user's settings (설정 page) as plain values; refreshed when app_setting changes."""
    return _preferences(url, stamp(url, ("app_setting",)))


def earned(url: str) -> pd.DataFrame:
    """Gross and estimated net earned per work month and company (tracker.income.earned_by_month). The
    frame tracker.income keeps per engine and patches after writes, as it is (not a pickled copy, which
    every reader of a rerun would pay for): read-only, never change it."""
    from tracker.income import earned_by_month

    return earned_by_month(_engine(url))


@st.cache_data(show_spinner=False)
def _income_read(url: str, stamp: tuple, reader: str) -> pd.DataFrame:
    from tracker import income

    return getattr(income, reader)(_engine(url))


def received(url: str) -> pd.DataFrame:
    """Gross and net landed per month and company, deposit by deposit (tracker.income.received_by_month)."""
    return _income_read(url, stamp(url, ("company", "payment", "deposit")), "received_by_month")


def hours_by_month(url: str) -> pd.DataFrame:
    """Hours, gross earned by the entries and KRW per hour per month (tracker.income.hours_by_month)."""
    return _income_read(url, stamp(url, ("worklog",)), "hours_by_month")


def project_rates(url: str) -> pd.DataFrame:
    """Per project: hours, earned, KRW per hour, rejections (tracker.income.project_rates)."""
    return _income_read(url, stamp(url, ("company", "project", "worklog", "payment")), "project_rates")


@st.cache_data(show_spinner=False)
def _cash_flow(url: str, stamp: tuple, today: date):
    from tracker.cashflow import cash_flow as compute
    from tracker.forecast import load_prior

    return compute(_engine(url), today, prior=load_prior(), owed=receivables(url, today), earned=earned(url))


def cash_flow(url: str, today: date):
    return _cash_flow(url, stamp(url), today)


@st.cache_data(show_spinner=False)
def _receivables(url: str, stamp: tuple, today: date) -> pd.DataFrame:
    return receivables_module.receivables(_engine(url), today)


def receivables(url: str, today: date) -> pd.DataFrame:
    return _receivables(url, stamp(url), today)


@st.cache_data(show_spinner=False)
def _reliability(url: str, stamp: tuple, today: date) -> pd.DataFrame:
    return receivables_module.reliability(_engine(url), today)


def reliability(url: str, today: date) -> pd.DataFrame:
    return _reliability(url, stamp(url, ("company", "payment", "deposit")), today)



@st.cache_data(show_spinner=False)
def _status_profile(url: str, stamp: tuple, year: int) -> dict | None:
    from tracker import profile as profiles

    found = profiles.latest(_engine(url), year)
    return None if found is None else profiles.as_dict(found, found.year)


def status_profile(url: str, year: int) -> dict | None:
    """The income profile whose health-insurance status holds for `year` (that year's, else the latest
    before), as plain values."""
    return _status_profile(url, stamp(url, ("income_profile",)), year)


@st.cache_data(show_spinner=False)
def _year_projection(url: str, stamp: tuple, today: date):
    from tracker import health
    from tracker.forecast import load_prior

    return health.project_year(_engine(url), today, prior=load_prior(), owed=receivables(url, today), earned=earned(url))


def year_projection(url: str, today: date):
    """This year's 3.3% income so far and forecast to December (tracker.health.project_year)."""
    return _year_projection(url, stamp(url), today)


def content_key(*parts: Any) -> str:
    """A digest of what a figure or derived value is built from: frames and series by their values,
    index, columns and dtypes (pandas.util.hash_pandas_object), anything else by its repr. Equal
    inputs give equal keys, so a write that leaves the inputs as they were reuses what was built."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, (pd.DataFrame, pd.Series)):
            names = list(part.columns) if isinstance(part, pd.DataFrame) else [part.name]
            dtypes = list(part.dtypes) if isinstance(part, pd.DataFrame) else [part.dtype]
            digest.update(repr((type(part).__name__, part.shape, names, [str(d) for d in dtypes],
                                str(part.index.dtype))).encode())
            digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


@st.cache_resource(show_spinner=False, max_entries=256)
def _built(kind: str, key: str, _build: Callable[[], Any]) -> Any:
    return _build()


def built(kind: str, build: Callable[[], Any], *inputs: Any) -> Any:
    """`build()`, kept by `kind` and the content of `inputs` (content_key) instead of the data version:
    a write that leaves a figure's inputs equal to the kept ones reuses the figure. `inputs` must be
    everything `build` reads. Kept with st.cache_resource (a plotly figure is only read by
    st.plotly_chart; cache_data's pickling would validate it again on every rerun): never change
    what comes back."""
    return _built(kind, content_key(*inputs), build)


def url() -> str:
    return database_url()


def today() -> date:
    return today_kst()


def company_picker(label: str, key: str, *, include_all: bool, frame: pd.DataFrame | None = None) -> int | None:
    frame = companies(url()) if frame is None else frame
    names = dict(zip(frame["id"], frame["name"]))
    options: list[int | None] = ([None] if include_all else []) + list(names)
    return st.selectbox(label, options, format_func=lambda i: "전체" if i is None else names[i], key=key)


def project_labels(frame: pd.DataFrame) -> dict[int, str]:
    """Project id → '회사 · 프로젝트', for pickers."""
    return {int(i): f"{c} · {n}" for i, c, n in zip(frame["id"], frame["company"], frame["name"])}


def project_picker(label: str, key: str, *, company_id: int | None, include_all: bool) -> int | None:
    frame = projects(url(), company_id)
    names = project_labels(frame)
    options: list[int | None] = ([None] if include_all else []) + list(names)
    return st.selectbox(label, options, format_func=lambda i: "전체" if i is None else names[i], key=key)


def month_picker(label: str, key: str, months: list[date]) -> date | None:
    options: list[date | None] = [None, *sorted(set(months), reverse=True)]
    return st.selectbox(label, options, format_func=lambda m: "전체" if m is None else f"{m:%Y-%m}", key=key)


def enum_select(label: str, enum: type, key: str, current: str | None, *, container: Any = st) -> Any:
    options = list(enum)
    index = options.index(enum(current)) if current is not None else 0
    return container.selectbox(label, options, index=index, format_func=lambda e: e.label, key=key)


def confirm_delete(what: str, key: str, on_delete: Callable[..., Any], args: tuple, *, cascade_note: str | None,
                   name: str | None = None) -> None:
    """A "삭제…" button that opens a confirmation dialog; with dependents, an explicit cascade box in it.

    The dialog stays open across reruns (its state is kept under `_dialog_<key>`) until the user deletes,
    cancels or dismisses it, so it behaves the same in a browser and under AppTest."""
    flag = f"_dialog_{key}"
    st.button(f"{what} 삭제…", key=f"{key}_open", on_click=_set_flag, args=(flag, True))
    if st.session_state.get(flag):
        st.dialog(f"{what} 삭제", on_dismiss=partial(_set_flag, flag, False))(_delete_dialog)(
            what, key, on_delete, args, cascade_note, name)


def _set_flag(flag: str, value: bool) -> None:
    st.session_state[flag] = value


def _delete_dialog(what: str, key: str, on_delete: Callable[..., Any], args: tuple, cascade_note: str | None,
                   name: str | None) -> None:
    if name:
        st.text(f"{what}: {name}")  # a user-typed name: plain text, never Markdown
    st.write(f"이 {what}을(를) 삭제합니다. 되돌릴 수 없습니다.")
    if cascade_note:
        st.warning(cascade_note)
        st.checkbox("연결된 기록도 함께 삭제", key=f"{key}_cascade")
    left, right = st.columns(2)
    if left.button("삭제", type="primary", key=f"{key}_button"):
        st.session_state[f"_dialog_{key}"] = False
        on_delete(*args)
        st.rerun()
    if right.button("취소", key=f"{key}_cancel"):
        st.session_state[f"_dialog_{key}"] = False
        st.rerun()


def pager(kind: str, offset: int, shown: int, total: int, *, newest: str, size: int) -> None:
    """'← 최근 N건' / '이전 N건 →' under a table paged in SQL; the offset lives in `<kind>_offset`.
    `newest`: what the order starts from ("최근 작업일부터")."""
    if total <= shown and not offset:
        return
    newer, where, older = st.columns([1, 2, 1])
    newer.button(f"← 최근 {size}건", on_click=_set_offset, args=(kind, offset - size), disabled=offset == 0,
                 key=f"{kind}_newer")
    where.caption(f"{newest} {offset + 1:,}–{offset + shown:,}번째 / 전체 {total:,}건 (작업월을 고르면 그달만 봅니다)")
    older.button(f"이전 {size}건 →", on_click=_set_offset, args=(kind, offset + size),
                 disabled=offset + shown >= total, key=f"{kind}_older")


def _set_offset(kind: str, offset: int) -> None:
    st.session_state[f"{kind}_offset"] = max(0, offset)


def pick(label: str, names: dict[int, str], key: str, *, empty: str) -> int | None:
    """Choose one row by id (the label is only for show); a caption when there is nothing to choose."""
    if not names:
        st.caption(empty)
        return None
    return st.selectbox(label, list(names), format_func=names.get, key=key)


def edit_form(kind: str, shown: dict[str, Any], draw: Callable[[str, dict[str, Any]], None],
              save: Callable[[int, str, dict[str, Any]], None], *, form: bool = True) -> None:
    """The edit form of one row, as the row was when the form was opened.

    The first time a row's form is drawn, its values and version are kept (plain values, in session
    state): the widgets start from them and keep what the user types across reruns, and
    `save(row_id, prefix, opened)` sends only what differs from them, with that version. A row
    changed elsewhere in between is then refused (tracker.ledger.STALE) instead of reverted. After
    each save, refused or not, the form opens afresh from the row as it is now."""
    row_id = int(shown["id"])
    opened_key, generation_key, current_key = f"_edit_{kind}_opened", f"_edit_{kind}_generation", f"_edit_{kind}_row"
    if st.session_state.get(current_key) != row_id:  # another row chosen: forget the last one's form
        _reopen(kind)
        st.session_state[current_key] = row_id
    opened = st.session_state.get(opened_key)
    if opened is None:
        opened = st.session_state[opened_key] = {k: _plain(v) for k, v in shown.items()}
    prefix = f"edit_{kind}_{row_id}_{st.session_state.get(generation_key, 0)}_"
    args = (save, kind, row_id, prefix, opened)
    if not form:  # inputs that must react at once (e.g. a list that follows another choice)
        draw(prefix, opened)
        st.button("저장", on_click=_save_and_reopen, args=args, type="primary", key=prefix + "save")
        return
    with st.form(prefix + "form"):
        draw(prefix, opened)
        st.form_submit_button("저장", on_click=_save_and_reopen, args=args, type="primary")


def _reopen(kind: str) -> None:
    st.session_state.pop(f"_edit_{kind}_opened", None)
    generation_key = f"_edit_{kind}_generation"
    st.session_state[generation_key] = st.session_state.get(generation_key, 0) + 1


def _save_and_reopen(save: Callable[[int, str, dict[str, Any]], None], kind: str, row_id: int, prefix: str,
                     opened: dict[str, Any]) -> None:
    try:
        save(row_id, prefix, opened)
    finally:
        _reopen(kind)
