"""The dashboard's quick entry, timers and week editor under AppTest, on an empty ledger and on the demo."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from tests.test_pages import click, metric, open_page
from tracker import ledger
from tracker.db import connect
from tracker.markdown import escape
from tracker.models import Timer, WorkLog, worklog_earnings

TODAY = date(2026, 11, 22)  # APP_TODAY


def _ledger_with_a_project(url: str) -> tuple[sa.Engine, int]:
    engine = connect(url)
    company = ledger.create_company(engine, {"name": "에이모", "pay_months_after": 1, "pay_day": 10})
    project = ledger.create_project(engine, {"company_id": company, "name": "간판 OCR", "pay_scheme": "per_item",
                                             "unit_price": 50, "status": "in_progress"})
    return engine, project


def _logs(engine) -> list[WorkLog]:
    with Session(engine) as session:
        return list(session.exec(select(WorkLog).order_by(WorkLog.id)))


def _type(at, minutes: str, submitted: str, rejected: str = ""):
    at.text_input(key="quick_minutes").set_value(minutes)
    at.text_input(key="quick_submitted").set_value(submitted)
    at.text_input(key="quick_rejected").set_value(rejected)
    return click(at, "저장")


def test_empty_ledger_offers_the_projects_page_instead_of_the_form(app_db):
    at = open_page("views/dashboard.py")
    assert "진행 중(또는 검수 중)인 프로젝트가 있어야 여기서 바로 적을 수 있습니다." in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label == "저장"]


def test_quick_entry_saves_one_worklog_resets_and_refuses_the_double_submit(app_db):
    engine, project = _ledger_with_a_project(app_db)
    at = open_page("views/dashboard.py")
    assert at.selectbox(key="quick_project").value == project
    assert at.date_input(key="quick_date").value == TODAY
    _type(at, "1:30", "120", "3")
    [log] = _logs(engine)
    assert (log.project_id, log.work_date, log.minutes, log.items_submitted, log.items_rejected, log.rate) == (
        project, TODAY, 90, 120, 3, 50)
    assert worklog_earnings(log) == 5_850
    saved = "작업 기록을 저장했습니다: 에이모 · 간판 OCR, 2026-11-22, 1:30 (90분), 제출 120건, 반려 3건 → ₩5,850"
    assert [s.value for s in at.success] == [escape(saved)]  # shown as literal text: "1\\:30"
    assert [t.value for t in at.toast] == ["작업 기록을 저장했습니다"]  # the toast: the first clause only
    assert [at.text_input(key=k).value for k in ("quick_minutes", "quick_submitted", "quick_rejected")] == ["", "", ""]
    assert metric(at, "11월 작업 수입") == "₩5,850"

    _type(at, "90", "120", "3")  # the same again, typed differently, within seconds
    assert [e.value for e in at.error] == [escape(
        "방금 같은 작업 기록을 저장했습니다 (에이모 · 간판 OCR, 2026-11-22, 1:30 (90분), 제출 120건, 반려 3건). "
        "두 번 저장하지 않았습니다. 하나 더 적으려면 10초 뒤에 다시 저장하세요.")]
    assert len(_logs(engine)) == 1
    assert at.text_input(key="quick_minutes").value == "90"  # a refused entry keeps what was typed


def test_quick_entry_refusal_is_korean_and_writes_nothing(app_db):
    engine, _ = _ledger_with_a_project(app_db)
    at = open_page("views/dashboard.py")
    _type(at, "1:75", "10")
    assert [e.value for e in at.error] == ["작업 시간(분)은 정수(분 단위)로 입력하세요."]
    assert _logs(engine) == []


def test_timer_survives_a_rerun_and_a_new_tab_and_stop_fills_the_time(app_db):
    engine, project = _ledger_with_a_project(app_db)
    at = open_page("views/dashboard.py")
    click(at, "타이머 시작")
    assert "타이머를 시작했습니다. 탭을 닫아도 계속 돕니다." in [s.value for s in at.success]
    with engine.begin() as conn:  # 90 minutes pass
        conn.execute(sa.update(Timer).values(started_at=datetime.now(UTC) - timedelta(minutes=90, seconds=5)))
    at.run()  # a rerun
    [shown] = [t.value for t in at.text if "지남" in t.value]
    assert shown.startswith("⏱️ 에이모 · 간판 OCR · ") and shown.endswith("부터 1:30 지남")
    fresh = open_page("views/dashboard.py")  # the tab was closed and opened again
    assert any("에이모 · 간판 OCR" in t.value and "1:30 지남" in t.value for t in fresh.text)
    click(fresh, "멈추고 시간 채우기")
    assert fresh.text_input(key="quick_minutes").value == "1:30"
    assert fresh.selectbox(key="quick_project").value == project
    with Session(engine) as session:
        assert session.exec(select(Timer)).all() == []
    fresh.text_input(key="quick_submitted").set_value("40")
    click(fresh, "저장")
    [log] = _logs(engine)
    assert (log.minutes, log.items_submitted, worklog_earnings(log)) == (90, 40, 2_000)


def test_a_second_timer_on_the_same_project_is_refused_from_another_tab(app_db):
    engine, _ = _ledger_with_a_project(app_db)
    one, two = open_page("views/dashboard.py"), open_page("views/dashboard.py")
    click(one, "타이머 시작")
    click(two, "타이머 시작")  # the second tab still shows the start button
    assert len(two.error) == 1 and two.error[0].value.endswith("멈춘 뒤 다시 시작하세요.")
    with Session(engine) as session:
        assert len(session.exec(select(Timer)).all()) == 1


def test_week_editor_edit_adds_and_saves_through_the_ledger(app_db):
    engine, project = _ledger_with_a_project(app_db)
    first = ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 11, 17), "minutes": 60,
                                           "items_submitted": 10})
    ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 11, 9), "minutes": 30})  # last week
    at = open_page("views/dashboard.py")
    [editor] = at.data_editor
    shown = editor.value
    assert list(shown["minutes"]) == ["1:00"] and list(shown["note"]) == [""]
    assert "None" not in shown.astype(str).to_numpy().ravel().tolist()
    at.session_state[editor.key] = {
        "edited_rows": {0: {"minutes": "2:00", "items_rejected": 1}},
        "added_rows": [{"work_date": "2026-11-20", "project": "에이모 · 간판 OCR", "minutes": "45분",
                        "items_submitted": 5}],
        "deleted_rows": [],
    }
    at.run()
    click(at, "이번 주 저장")
    assert [s.value for s in at.success] == ["이번 주 작업 기록을 저장했습니다: 추가 1건, 수정 1건."]
    logs = _logs(engine)
    assert [(w.id == first, w.work_date, w.minutes, w.items_submitted, w.items_rejected) for w in logs] == [
        (True, date(2026, 11, 17), 120, 10, 1), (False, date(2026, 11, 9), 30, 0, 0),
        (False, date(2026, 11, 20), 45, 5, 0)]
    assert logs[0].version == 2
    assert list(at.data_editor[0].value["minutes"]) == ["2:00", "0:45"]


def test_week_editor_lists_refused_lines_and_saves_nothing(app_db):
    engine, project = _ledger_with_a_project(app_db)
    ledger.create_worklog(engine, {"project_id": project, "work_date": date(2026, 11, 17), "minutes": 60})
    at = open_page("views/dashboard.py")
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {0: {"items_submitted": 2, "items_rejected": 3}},
                             "added_rows": [{"work_date": "2026-11-18", "project": "에이모 · 간판 OCR", "minutes": "abc"}],
                             "deleted_rows": []}
    at.run()
    click(at, "이번 주 저장")
    assert [e.value for e in at.error] == [
        "저장하지 않았습니다. 고칠 줄:  \n1번째 줄: 반려 건수(3)는 제출 건수(2)보다 많을 수 없습니다.  \n"
        "2번째 줄: 작업 시간(분)은 정수(분 단위)로 입력하세요."]
    assert [(w.minutes, w.items_submitted) for w in _logs(engine)] == [(60, 0)]


def test_quick_entry_on_the_demo_adds_exactly_its_earnings_to_the_month(demo_db):
    engine = connect(demo_db)
    at = open_page("views/dashboard.py")
    before = metric(at, "11월 작업 수입")
    project = at.selectbox(key="quick_project").value
    count = len(_logs(engine))
    _type(at, "2시간", "100", "0")
    logs = _logs(engine)
    assert len(logs) == count + 1
    new = logs[-1]
    assert (new.project_id, new.work_date, new.minutes, new.items_submitted) == (project, TODAY, 120, 100)
    earned = worklog_earnings(new)
    assert metric(at, "11월 작업 수입") == f"₩{int(before.lstrip('₩').replace(',', '')) + earned:,}"
    assert at.success[0].value.endswith(escape(f"→ ₩{earned:,}"))
