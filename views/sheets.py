"""가져오기·내보내기: bring in the spreadsheet a labeler already keeps, and take everything out.

Import: upload → sheet and kind → column mapping (automatic, each column overridable) → a preview
(a dry run through the ledger: per-row problems, unknown companies and projects, skipped rows) →
"가져오기" writes it all in one transaction, or nothing. The logic is tracker.sheets; this page only
calls it. Everything that comes from the file (names, headers, cells, messages quoting them) is shown
with st.dataframe / st.text, or escaped in a widget label, never as Markdown.
"""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from tracker import sheets as sh
from tracker.errors import LedgerError
from tracker.markdown import escape
from tracker.sheets import columns as cols
from views import common as ui

UPLOAD_KEY = "sheets_upload"
KIND_KEY = "sheets_kind"
CREATE_KEY = "sheets_create_missing"
RESULT_KEY = "sheets_result"  # (ok, fixed Korean title, detail lines shown as plain text)
NAMED = "__named__"  # read our export's sheets by name
SKIP_COLUMN = "(쓰지 않음)"
KINDS = {"자동": None, "작업 기록": "worklogs", "지급": "payments"}
EXPORT_TABLES = ("company", "project", "worklog", "payment", "deposit", "posting")


@st.cache_data(show_spinner=False)
def _export_counts(url: str, stamp: tuple[int, ...]) -> pd.DataFrame:  # `stamp` (no _): part of the cache key
    counts = sh.counts(ui.engine_for(url))
    return pd.DataFrame([{"시트": name, "행": n} for name, n in counts.items()])


def _xlsx() -> bytes:
    return sh.xlsx_bytes(ui.engine())


def _zip() -> bytes:
    return sh.csv_zip(ui.engine())


def _tables(upload) -> list[sh.Table]:
    return sh.read_tables(upload.getvalue(), upload.name)


def _token(upload) -> str:
    """Per file content: the choices made for one file are not carried over to the next."""
    return hashlib.sha256(upload.getvalue()).hexdigest()[:12]


def _sheet_key(token: str) -> str:
    return f"sheets_sheet_{token}"


def _sheet_options(tables: list[sh.Table]) -> list[str]:
    names = [t.name for t in tables]
    return ([NAMED] if any(sh.sheet_kind(n) for n in names) else []) + names


def _sheet_label(option: str) -> str:
    return "시트 이름대로 모두 (라벨장부에서 내보낸 파일: 회사·프로젝트·작업 기록·지급)" if option == NAMED else option


def _auto(tables: list[sh.Table], token: str) -> tuple[list[sh.SheetPlan], list[str]]:
    options = _sheet_options(tables)
    chosen = st.session_state.get(_sheet_key(token))
    chosen = chosen if chosen in options else options[0]
    kind = KINDS.get(st.session_state.get(KIND_KEY) or "자동")
    return sh.plan_tables(tables, kind=kind, sheet=None if chosen == NAMED else chosen)


def _map_key(token: str, plan: sh.SheetPlan, position: int) -> str:
    return f"sheets_map_{token}_{plan.kind}_{plan.sheet}_{position}"


def _final(tables: list[sh.Table], auto: list[sh.SheetPlan], token: str) -> list[sh.SheetPlan]:
    """The plans with the user's column choices (the selectboxes' values) applied."""
    by_name = {t.name: t for t in tables}
    out = []
    for plan in auto:
        if plan.header_row is None:
            out.append(plan)
            continue
        override = {}
        for position, header in enumerate(plan.headers):
            choice = st.session_state.get(_map_key(token, plan, position))
            if not header or choice is None:
                continue
            auto_label = cols.label_of(plan.kind, plan.mapping[position]) if position in plan.mapping else SKIP_COLUMN
            if choice != auto_label:
                override[cols.normalize(header)] = cols.IGNORE if choice == SKIP_COLUMN else choice
        out.append(sh.plan_sheet(by_name[plan.sheet], plan.kind, override) if override else plan)
    return out


def _commit() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    try:
        tables = _tables(upload)
        token = _token(upload)
        auto, ignored = _auto(tables, token)
        report = sh.run_plans(ui.engine(), _final(tables, auto, token), ignored=ignored,
                              create_missing=bool(st.session_state.get(CREATE_KEY)))
    except LedgerError as exc:
        st.session_state[RESULT_KEY] = (False, "가져오지 못했습니다. 장부는 그대로입니다.", [exc.message])
        return
    if report.committed:
        lines = [f"{upload.name}: {report.summary()}"]
        if report.created_companies:
            lines.append(f"새 회사: {', '.join(report.created_companies)} (지급 조건은 기본값이니 회사 페이지에서 확인하세요)")
        if report.created_projects:
            lines.append(f"새 프로젝트: {', '.join(f'{c} / {p}' for c, p in report.created_projects)}")
        lines += [f"건너뜀: {line}" for line in report.skip_summary()]
        st.session_state[RESULT_KEY] = (True, "가져왔습니다.", lines)
    else:
        st.session_state[RESULT_KEY] = (False, "가져오지 않았습니다. 장부는 그대로입니다.", report.issue_lines())


def _issues_frame(report: sh.ImportReport) -> pd.DataFrame:
    return pd.DataFrame([{"시트": i.sheet, "행": i.row, "열": i.column, "이유": i.reason} for i in report.all_issues])


UPLOAD_MB = 20  # a labeler's sheet is kilobytes; the whole file is read in memory
MONEY_FIELDS = frozenset({"rate", "amount", "gross", "income_tax", "local_tax", "net", "unit_price"})


def _shown(name: str, value) -> str:
    """A parsed cell as the preview shows it: money as ₩18,000, nothing as an empty cell."""
    if value is None:
        return ""
    if name in MONEY_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return ui.krw(value)
    return str(value)


def _preview_frame(plan: sh.SheetPlan, dry_run: bool) -> pd.DataFrame:
    fields = list(dict.fromkeys(f if f != "hours" else "minutes" for f in plan.mapping.values()))
    rows = []
    for record in plan.records:
        status = record.status or "확인 전"
        if dry_run and status == "새로 씀":
            status = "가져올 행"
        row = {"행": record.row, "결과": status}
        for name in fields:
            value = record.values.get(name)
            row[cols.label_of(plan.kind, name)] = _shown(name, value)
        rows.append(row)
    return pd.DataFrame(rows)


def _import_section() -> None:
    st.subheader("가져오기")
    st.caption("이미 쓰고 있는 스프레드시트(xlsx, CSV: UTF-8·CP949)의 작업 기록이나 지급을 가져옵니다. 머리글(작업일, 업체, "
               "작업명, 시간, 건수, 단가 …)로 열을 알아서 맞추고, 미리 보기에서 문제가 없을 때만 가져옵니다. 같은 파일을 다시 "
               "가져와도 이미 가져온 행은 건너뜁니다. 명령줄에서는 python -m tracker import 파일 입니다.")
    upload = st.file_uploader(f"스프레드시트 파일 (.xlsx, .csv, {UPLOAD_MB}MB까지)", type=["xlsx", "csv"], key=UPLOAD_KEY,
                              max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    try:
        tables = _tables(upload)
    except LedgerError as exc:
        st.error("이 파일은 읽을 수 없습니다.")
        st.text(f"{upload.name}: {exc.message}")
        return
    token = _token(upload)
    options = _sheet_options(tables)
    if len(options) > 1:
        st.selectbox("읽을 시트", options, format_func=_sheet_label, key=_sheet_key(token))
    st.radio("무엇을 가져오나요", list(KINDS), horizontal=True, key=KIND_KEY,
             help="자동: 시트 이름(라벨장부 내보내기 파일)이나 머리글로 정합니다.")
    try:
        auto, ignored = _auto(tables, token)
    except LedgerError as exc:
        st.error("이 파일은 가져올 수 없습니다.")
        st.text(exc.message)
        return
    st.markdown("**열 맞추기**: 머리글로 알아서 맞췄습니다. 바꾸려면 시트를 펼쳐 열마다 골라 주세요.")
    for plan in auto:
        if plan.header_row is None:
            continue
        title = f"'{plan.sheet}' 시트 → {cols.KIND_LABELS[plan.kind]} (머리글: {plan.header_row}행, 맞춘 열 {len(plan.mapping)}개)"
        with st.expander(escape(title), expanded=bool(plan.issues) or len(auto) == 1):
            choices = [SKIP_COLUMN] + [c.label for c in cols.COLUMNS[plan.kind]]
            boxes = st.columns(4)
            for position, header in enumerate(plan.headers):
                if not header:
                    continue
                auto_label = (cols.label_of(plan.kind, plan.mapping[position]) if position in plan.mapping
                              else SKIP_COLUMN)
                boxes[position % 4].selectbox(escape(header), choices, index=choices.index(auto_label),
                                              key=_map_key(token, plan, position))
    st.checkbox("장부에 없는 회사·프로젝트 만들기", key=CREATE_KEY,
                help="건당 프로젝트는 그 행의 단가로, 시간만 있고 건수가 없는 행은 시급 프로젝트로 만듭니다. "
                     "새 회사의 지급 조건은 기본값(작업월 다음 달 10일, 3.3%)입니다.")
    try:
        report = sh.run_plans(ui.engine(), _final(tables, auto, token), ignored=ignored,
                              create_missing=bool(st.session_state.get(CREATE_KEY)), dry_run=True)
    except LedgerError as exc:
        st.error("미리 보기를 만들지 못했습니다.")
        st.text(exc.message)
        return

    st.markdown("**미리 보기**")
    if report.ignored_sheets:
        st.text(f"읽지 않은 시트: {', '.join(report.ignored_sheets)}")
    if report.ok:
        st.success("문제없습니다. 아래 '가져오기'를 누르면 씁니다.")
        st.text(f"가져오면: {report.summary()}")
    else:
        st.error(f"문제가 {len(report.all_issues):,}개 있어 이대로는 가져올 수 없습니다. 파일을 고치거나 열을 다시 맞춰 주세요.")
        st.dataframe(_issues_frame(report), hide_index=True, placeholder="")
    unknown = [{"종류": "회사", "이름": name} for name in report.unknown_companies] + [
        {"종류": "프로젝트", "이름": f"{c} / {p}" if c else p} for c, p in report.unknown_projects]
    if unknown:
        st.warning("장부에 없는 회사·프로젝트가 있습니다. '장부에 없는 회사·프로젝트 만들기'를 켜면 함께 만듭니다.")
        st.dataframe(pd.DataFrame(unknown), hide_index=True, placeholder="")
    if report.created_companies or report.created_projects:
        made = [{"종류": "회사", "이름": n} for n in report.created_companies] + [
            {"종류": "프로젝트", "이름": f"{c} / {p}"} for c, p in report.created_projects]
        st.text("가져오면 새로 만들 것:")
        st.dataframe(pd.DataFrame(made), hide_index=True, placeholder="")
    if report.skipped:
        st.text("건너뛸 행:\n" + "\n".join(report.skip_summary()))
    for warning in report.warnings:
        st.text(f"참고: {warning.line(report.several_sheets)}")
    for plan in report.plans:
        if plan.records:
            st.text(f"'{plan.sheet}' 시트의 행")
            st.dataframe(_preview_frame(plan, dry_run=True), hide_index=True, placeholder="")
    nothing = report.ok and not any(report.written.values())
    if nothing:
        st.caption("가져올 새 행이 없습니다.")
    st.button("가져오기", on_click=_commit, disabled=not report.ok or nothing, type="primary", key="sheets_commit")


st.title("가져오기·내보내기")
result = st.session_state.pop(RESULT_KEY, None)
if result:
    ok, title, detail = result
    (st.success if ok else st.error)(title)
    if ok:
        st.toast(title, icon="✅")
    if detail:
        st.text("\n".join(detail))

st.subheader("내보내기")
st.caption("장부 전체를 시트 여섯 개(회사, 프로젝트, 작업 기록, 지급, 입금, 모집 공고)로 받습니다. 금액은 숫자(₩ 표시), 날짜는 "
           "날짜로 들어가고, 글자는 수식으로 바뀌지 않습니다. 이 파일은 빈 장부에 그대로 다시 가져올 수 있습니다. "
           "명령줄에서는 python -m tracker export 장부.xlsx 입니다.")
url = ui.url()
st.dataframe(_export_counts(url, ui.stamp(url, EXPORT_TABLES)), hide_index=True, placeholder="")
stamp_text = ui.today().strftime("%Y%m%d")
left, right = st.columns(2)
left.download_button("Excel(xlsx)로 받기", data=_xlsx, file_name=f"labeler-ledger-{stamp_text}.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                     type="primary", key="sheets_download_xlsx")
right.download_button("CSV(zip)로 받기", data=_zip, file_name=f"labeler-ledger-{stamp_text}-csv.zip",
                      mime="application/zip", on_click="ignore", key="sheets_download_csv")

_import_section()
