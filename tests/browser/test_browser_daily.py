"""The day's work in a real browser (issue 11 §7): demo → quick entry → the dashboard figure → a sheet
imported → everything exported, then the dashboard and the quick entry on a 390 px phone.

This module serves the app on a database of its own (module-scoped `app_db_url`/`app_url` below
override the session ones): the "데모 데이터 채우기" button only shows on an empty ledger, and the other
browser modules write into the session database. The tests run in file order: the phone test adds its
own project, so it works alone as well as after the journey.

Every expected figure is worked out here from the database rows (unit price × accepted items, or
hourly rate × minutes / 60), not read from the app's queries. Screenshots of each step go to the
artifacts directory (conftest.artifact_dir: test-artifacts/browser/, or $TRACKER_TEST_ARTIFACTS/browser/).
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser.conftest import TODAY, choose, serve_app, settle
from tracker import ledger
from tracker.db import connect, make_engine
from tracker.models import Company, Project, WorkLog

pytestmark = pytest.mark.browser

MONTH_START, MONTH_STOP = date(2026, 11, 1), date(2026, 12, 1)  # TRACKER_TODAY's month
EARNINGS_LABEL = "11월 작업 수입"
METRICS = (EARNINGS_LABEL, "받을 돈", "그중 지연", "진행 중 프로젝트")
PHONE = {"width": 390, "height": 844}
SHEET_COMPANY, SHEET_PROJECT = "시트데이터랩", "음성 전사 검수"
PHONE_COMPANY, PHONE_PROJECT, PHONE_RATE = "모바일데이터랩", "현장 녹음 검수", 12_000
EXPORT_SHEETS = ["회사", "프로젝트", "작업 기록", "지급", "입금", "모집 공고"]
RAW_VALUES = ("None", "nan", "NaN", "NaT", "<NA>")
# st.dataframe draws on a canvas; its cells are also in an accessibility table (hidden from
# get_by_role, so found by CSS). Only the rows on screen are there: enough for small tables.
GRID_CELLS = 'td[role="gridcell"]'
FRESH = '[data-testid="stElementContainer"]:not([data-stale="true"])'  # drawn by the current run
DEMO_TIMEOUT_MS = 60_000  # 18 months of rows written by one click: slower than a step on a busy machine
MAX_SHOT_HEIGHT = 6_000  # px: a screenshot is cut there (the dashboard is about 2,000)


# ---------------------------------------------------------------- this module's own app and database


@pytest.fixture(scope="module")
def app_db_url(shared_db_url_factory) -> str:
    url = shared_db_url_factory("browser_daily")
    connect(url).dispose()  # migrated, as `make run` does
    return url


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("streamlit_daily") / "server.log"


@pytest.fixture(scope="module")
def app_url(chromium, app_db_url, server_log) -> str:
    with serve_app(app_db_url, server_log) as url:
        yield url


@pytest.fixture(scope="module")
def ledger_engine(app_db_url):
    engine = make_engine(app_db_url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- helpers


def krw(amount: int) -> str:
    return f"₩{amount:,}"


def code(value) -> str:
    """An enum column as its stored code ("per_hour"), whichever way the backend hands it back."""
    return str(getattr(value, "value", value))


def earned(scheme: str, rate: int, minutes: int, submitted: int, rejected: int) -> int:
    if scheme == "per_item":
        return (submitted - rejected) * rate
    if scheme == "per_hour":
        return minutes * rate // 60
    return 0  # fixed price: counted by its payments


def month_earnings(engine) -> int:
    """The 11월 작업 수입 figure, summed here row by row."""
    w = WorkLog.__table__.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(w.pay_scheme, w.rate, w.minutes, w.items_submitted, w.items_rejected)
                            .where(w.work_date >= MONTH_START, w.work_date < MONTH_STOP)).all()
    return sum(earned(code(s), r, m, sub, rej) for s, r, m, sub, rej in rows)


def last_worklog_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(WorkLog.__table__.c.id), 0))).scalar_one()


def worklogs_after(engine, after_id: int) -> list[tuple]:
    w = WorkLog.__table__.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(w.project_id, w.work_date, w.minutes, w.items_submitted, w.items_rejected,
                                      w.rate, w.pay_scheme, w.note).where(w.id > after_id).order_by(w.id)).all()
    return [(*r[:6], code(r[6]), r[7]) for r in rows]


def no_raw_values(page) -> None:
    """No table cell on screen shows a raw empty value ("None", "nan", …) instead of a blank. The grids
    fill their cells lazily: first wait (a little) until every table on the page has some."""
    from playwright.sync_api import Error, expect

    try:
        page.wait_for_function(
            "sel => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')]"
            ".every(grid => grid.querySelector(sel))", arg=GRID_CELLS, timeout=3_000)
    except Error:
        pass  # an empty table has no cells: check what is there
    for raw in RAW_VALUES:
        cells = page.locator(GRID_CELLS).filter(has_text=re.compile(rf"^\s*{re.escape(raw)}\s*$"))
        expect(cells, f"a table cell shows {raw!r}").to_have_count(0)


def shot(page, artifacts: Path, name: str) -> None:
    """The whole page as a PNG, its tables checked for raw empty values. Streamlit scrolls inside its
    main element, not the document (so full_page alone shows one screen): the viewport is made as tall
    as the page, which also puts every table on screen."""
    settle(page)
    size = page.viewport_size
    tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"]')]"
                         ".map(e => e.scrollHeight), document.documentElement.scrollHeight)")
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), MAX_SHOT_HEIGHT)})
    try:
        settle(page)
        no_raw_values(page)
        page.screenshot(path=str(artifacts / f"daily-{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def metric_value(page, label: str):
    """The metric's figure. While a rerun moves things, Streamlit keeps the old elements (marked stale)
    beside the new ones: only the current one counts."""
    box = page.locator(f"{FRESH} [data-testid=\"stMetric\"]").filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return box.locator('[data-testid="stMetricValue"]')


def quick_form(page):
    return page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("작업 시간", exact=True))


def active_per_item_project(engine) -> tuple[int, str, int]:
    """(id, '회사 · 프로젝트', unit price) of the demo's first active per-item project."""
    p, c = Project.__table__.c, Company.__table__.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(p.id, c.name, p.name, p.unit_price).join(Company.__table__, c.id == p.company_id)
                           .where(p.status.in_(["in_progress", "inspecting"]), p.pay_scheme == "per_item")
                           .order_by(p.id).limit(1)).one()
    return row[0], f"{row[1]} · {row[2]}", row[3]


def sheet_bytes() -> bytes:
    """A labeler's own sheet: typed dates and an Excel date, hours as text and as a number, money with 원,
    and a totals row (skipped and reported)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "11월 작업"
    ws.append(["작업일", "업체", "작업명", "시간", "금액", "비고"])
    ws.append(["2026.11.18", SHEET_COMPANY, SHEET_PROJECT, "1시간 30분", "18,000원", "첫 주"])
    ws.append([datetime(2026, 11, 19), SHEET_COMPANY, SHEET_PROJECT, 2, 24_000, None])
    ws.append(["합계", None, None, 3.5, 42_000, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the journey


def test_demo_quick_entry_import_and_export_in_the_browser(page, app_url, ledger_engine, artifacts):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    # 1. An empty ledger: the demo button fills it.
    page.goto(app_url)
    expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()
    expect(page.get_by_text("장부가 비어 있습니다.", exact=False)).to_be_visible()
    expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(0))
    shot(page, artifacts, "01-empty-dashboard")

    page.get_by_role("button", name="데모 데이터 채우기").click()
    expect(page.get_by_text("데모 데이터를 채웠습니다:", exact=False).first).to_be_visible(timeout=DEMO_TIMEOUT_MS)
    with ledger_engine.connect() as conn:
        projects = conn.execute(sa.text("SELECT COUNT(*) FROM project")).scalar_one()
        worklogs = conn.execute(sa.text("SELECT COUNT(*) FROM worklog")).scalar_one()
    expect(page.get_by_text(f"데모 데이터를 채웠습니다: 프로젝트 {projects}개, 작업 기록 {worklogs:,}건.").first).to_be_visible()
    before = month_earnings(ledger_engine)
    assert before > 0
    expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(before))
    expect(page.get_by_role("button", name="데모 데이터 채우기")).to_have_count(0)
    shot(page, artifacts, "02-demo-dashboard")

    # 2. Today's work through the quick entry, saved with Enter; the figure moves by exactly its earnings.
    project_id, label, rate = active_per_item_project(ledger_engine)
    last = last_worklog_id(ledger_engine)
    form = quick_form(page)
    choose(page, form, "프로젝트", label)
    form.get_by_label("작업 시간", exact=True).fill("1:30")
    form.get_by_label("제출 건수", exact=True).fill("120")
    rejected = form.get_by_label("반려 건수", exact=True)
    rejected.fill("3")
    shot(page, artifacts, "03-quick-entry-typed")
    rejected.press("Enter")
    gain = (120 - 3) * rate
    expect(page.get_by_text(f"작업 기록을 저장했습니다: {label}, {TODAY}, 1:30 (90분), 제출 120건, 반려 3건 → "
                            f"{krw(gain)}").first).to_be_visible()
    expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(before + gain))
    assert month_earnings(ledger_engine) == before + gain
    assert worklogs_after(ledger_engine, last) == [(project_id, date(2026, 11, 22), 90, 120, 3, rate, "per_item", "")]
    for field in ("작업 시간", "제출 건수", "반려 건수"):  # the form starts again empty
        expect(form.get_by_label(field, exact=True)).to_have_value("")
    shot(page, artifacts, "04-quick-entry-saved")

    # 3. A sheet imported on 가져오기·내보내기: upload, preview (unknown company), create it, commit.
    page.locator('[data-testid="stSidebarNav"] a[href$="/sheets"]').click()
    expect(page.get_by_role("heading", name="가져오기·내보내기", level=1)).to_be_visible()
    shot(page, artifacts, "05-sheets-page")
    last = last_worklog_id(ledger_engine)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "내 작업표.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": sheet_bytes()})
    expect(page.get_by_text("장부에 없는 회사·프로젝트가 있습니다.", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="가져오기")).to_be_disabled()
    shot(page, artifacts, "06-import-preview-unknown")

    page.get_by_text("장부에 없는 회사·프로젝트 만들기", exact=True).click()
    expect(page.get_by_text("문제없습니다. 아래 '가져오기'를 누르면 씁니다.")).to_be_visible()
    expect(page.get_by_text("가져오면: 작업 기록 2건, 지급 0건, 새 회사 1곳, 새 프로젝트 1개")).to_be_visible()
    expect(page.get_by_text("합계 행 1개: 4행", exact=False).first).to_be_visible()
    assert last_worklog_id(ledger_engine) == last  # the preview wrote nothing
    shot(page, artifacts, "07-import-preview-ok")

    page.get_by_role("button", name="가져오기").click()
    expect(page.get_by_text("가져왔습니다.", exact=True).first).to_be_visible()
    expect(page.get_by_text("내 작업표.xlsx: 작업 기록 2건, 지급 0건, 새 회사 1곳, 새 프로젝트 1개", exact=False)).to_be_visible()
    # The file is still in the uploader: its preview now finds every row already imported.
    expect(page.get_by_text("가져오면: 작업 기록 0건, 지급 0건", exact=True)).to_be_visible()
    expect(page.get_by_text("이미 가져온 행 2개: 2–3행", exact=False).first).to_be_visible()
    shot(page, artifacts, "08-imported")

    p, c = Project.__table__.c, Company.__table__.c
    with ledger_engine.connect() as conn:
        made = conn.execute(sa.select(p.id, c.name, p.name, p.pay_scheme, p.unit_price, p.status)
                            .join(Company.__table__, c.id == p.company_id).where(c.name == SHEET_COMPANY)).all()
    assert [(company, name, code(scheme), price, code(status)) for _, company, name, scheme, price, status in made] == [
        (SHEET_COMPANY, SHEET_PROJECT, "per_hour", 12_000, "in_progress")]
    sheet_project = made[0][0]
    assert worklogs_after(ledger_engine, last) == [
        (sheet_project, date(2026, 11, 18), 90, 0, 0, 12_000, "per_hour", "첫 주"),
        (sheet_project, date(2026, 11, 19), 120, 0, 0, 12_000, "per_hour", ""),
    ]

    # 4. Everything out: the xlsx download has the six sheets and the rows written above.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Excel(xlsx)로 받기").click()
    download = download_info.value
    assert download.suggested_filename.startswith("labeler-ledger-") and download.suggested_filename.endswith(".xlsx")
    saved = artifacts / "daily-export.xlsx"
    download.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames == EXPORT_SHEETS
    sheet = book["작업 기록"]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("작업일", "회사", "프로젝트", "작업 시간(분)", "제출 건수", "반려 건수", "단가 방식", "단가", "금액", "메모")
    imported_row = (datetime(2026, 11, 18), SHEET_COMPANY, SHEET_PROJECT, 90, 0, 0, "시급", 12_000, 18_000, "첫 주")
    assert imported_row in rows
    cells = sheet[rows.index(imported_row) + 1]
    assert [cells[0].number_format, cells[7].number_format, cells[8].number_format] == [
        "yyyy-mm-dd", '"₩"#,##0;-"₩"#,##0', '"₩"#,##0;-"₩"#,##0']  # a date and two ₩ amounts, as numbers
    company, project = label.split(" · ", 1)
    assert (datetime(2026, 11, 22), company, project, 90, 120, 3, "건당", rate, gain, None) in rows
    assert len(rows) - 1 == worklogs + 3  # the demo's, the quick entry, two imported
    shot(page, artifacts, "09-exported")

    # 5. Back on the dashboard the figure counts the imported hours too (90 + 120 minutes at ₩12,000).
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="대시보드").click()
    expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()
    expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(before + gain + 18_000 + 24_000))
    assert month_earnings(ledger_engine) == before + gain + 42_000
    shot(page, artifacts, "10-dashboard-after-import")

    # 6. The export's row counts on 가져오기·내보내기 count what was written since the page was first opened.
    page.locator('[data-testid="stSidebarNav"] a[href$="/sheets"]').click()
    expect(page.get_by_role("heading", name="가져오기·내보내기", level=1)).to_be_visible()
    with ledger_engine.connect() as conn:
        counted = [conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                   for table in ("company", "project", "worklog", "payment", "deposit", "posting")]
    assert counted[2] == worklogs + 3
    cells = [text for name, n in zip(EXPORT_SHEETS, counted, strict=True) for text in (name, str(n))]
    expect(page.locator('[data-testid="stDataFrame"]').first.locator(GRID_CELLS),
           "the export's row counts are stale").to_have_text(cells)
    shot(page, artifacts, "11-sheets-counts")


# ---------------------------------------------------------------- a phone


def fits(page, locator, width: int) -> None:
    """Visible, inside the viewport's width, and its text not cut off (no ellipsis, no overflow)."""
    from playwright.sync_api import expect

    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box)
    clipped = locator.evaluate("el => el.scrollWidth > el.clientWidth + 1")
    assert not clipped, f"{locator} is cut off: {locator.inner_text()!r}"


def test_dashboard_metrics_and_quick_entry_on_a_390px_phone(browser, app_url, ledger_engine, artifacts):
    from playwright.sync_api import expect

    company = ledger.create_company(ledger_engine, {"name": PHONE_COMPANY})  # outside the app: shows without a restart
    project_id = ledger.create_project(ledger_engine, {
        "company_id": company, "name": PHONE_PROJECT, "task_type": "other", "pay_scheme": "per_hour",
        "unit_price": PHONE_RATE, "status": "in_progress", "start_date": date(2026, 11, 1)})
    before = month_earnings(ledger_engine)
    last = last_worklog_id(ledger_engine)

    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport=PHONE, is_mobile=True,
                                  has_touch=True)
    try:
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(app_url)
        expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()
        expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(before))
        settle(page)
        for label in METRICS:
            fits(page, metric_value(page, label), PHONE["width"])
            fits(page, page.locator(f"{FRESH} [data-testid=\"stMetricLabel\"]", has_text=label), PHONE["width"])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        shot(page, artifacts, "12-phone-dashboard")

        form = quick_form(page)
        form.scroll_into_view_if_needed()
        for field in ("작업 시간", "제출 건수", "반려 건수"):
            fits(page, form.get_by_label(field, exact=True), PHONE["width"])
        save = form.get_by_role("button", name="저장")
        fits(page, save, PHONE["width"])
        label = f"{PHONE_COMPANY} · {PHONE_PROJECT}"
        choose(page, form, "프로젝트", label)
        form.get_by_label("작업 시간", exact=True).fill("45분")
        shot(page, artifacts, "13-phone-quick-entry-typed")
        save.tap()
        gain = 45 * PHONE_RATE // 60
        expect(page.get_by_text(f"작업 기록을 저장했습니다: {label}, {TODAY}, 0:45 (45분), 제출 0건, 반려 0건 → "
                                f"{krw(gain)}").first).to_be_visible()
        expect(metric_value(page, EARNINGS_LABEL)).to_have_text(krw(before + gain))
        fits(page, metric_value(page, EARNINGS_LABEL), PHONE["width"])
        assert worklogs_after(ledger_engine, last) == [
            (project_id, date(2026, 11, 22), 45, 0, 0, PHONE_RATE, "per_hour", "")]
        assert month_earnings(ledger_engine) == before + gain
        shot(page, artifacts, "14-phone-quick-entry-saved")
    finally:
        context.close()
