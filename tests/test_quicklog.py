"""The dashboard's quick entry and week editor, without Streamlit: one save per submit, rows through the ledger."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tracker import ledger, quicklog
from tracker.errors import LedgerError
from tracker.models import WorkLog

DAY = date(2026, 11, 2)


def _logs(engine) -> list[tuple]:
    with Session(engine) as session:
        return [(w.project_id, w.work_date, w.minutes, w.items_submitted, w.items_rejected, w.rate, w.note)
                for w in session.exec(select(WorkLog).order_by(WorkLog.id))]


def _hourly(engine, company_id) -> int:
    return ledger.create_project(engine, {"company_id": company_id, "name": "음성 전사", "pay_scheme": "per_hour",
                                          "unit_price": 12_000, "status": "in_progress"})


def test_quick_entry_reads_typed_time_and_counts_and_freezes_the_rate(engine, project_id):
    saved = quicklog.save(engine, {"project_id": project_id, "work_date": DAY, "minutes": "1시간 30분",
                                   "items_submitted": "1,200", "items_rejected": "3"})
    assert (saved.minutes, saved.items_submitted, saved.items_rejected, saved.earnings) == (90, 1200, 3, 59_850)
    assert saved.sentence == ("작업 기록을 저장했습니다: 크라우드웍스 · 간판 OCR, 2026-11-02, "
                              "1:30 (90분), 제출 1,200건, 반려 3건 → ₩59,850")
    assert _logs(engine) == [(project_id, DAY, 90, 1200, 3, 50, "")]


def test_hourly_entry_earns_by_the_minute(engine, company_id):
    hourly = _hourly(engine, company_id)
    saved = quicklog.save(engine, {"project_id": hourly, "work_date": DAY, "minutes": "1:45"})
    assert (saved.minutes, saved.items_submitted, saved.earnings) == (105, 0, 21_000)


def test_identical_second_submit_is_refused_then_allowed_after_the_window(engine, project_id):
    form = {"project_id": project_id, "work_date": DAY, "minutes": "90", "items_submitted": "100", "items_rejected": ""}
    quicklog.save(engine, form)
    with pytest.raises(LedgerError) as caught:
        quicklog.save(engine, form | {"minutes": "1:30"})  # the same minutes however typed
    assert caught.value.message == (
        "방금 같은 작업 기록을 저장했습니다 (크라우드웍스 · 간판 OCR, 2026-11-02, 1:30 (90분), 제출 100건, 반려 0건). "
        "두 번 저장하지 않았습니다. 하나 더 적으려면 10초 뒤에 다시 저장하세요.")
    assert len(_logs(engine)) == 1
    # A different entry is saved at once; the same one again once the window has passed.
    quicklog.save(engine, form | {"items_submitted": "101"})
    later = datetime.now(UTC) + timedelta(seconds=quicklog.DUPLICATE_SECONDS + 1)
    quicklog.save(engine, form, now=later)
    assert [row[3] for row in _logs(engine)] == [100, 101, 100]


@pytest.mark.parametrize("form, message, field", [
    ({"minutes": "", "items_submitted": ""}, "작업 시간이나 제출 건수를 입력하세요.", "minutes"),
    ({"minutes": "1:75"}, "작업 시간(분)은 정수(분 단위)로 입력하세요.", "minutes"),
    ({"minutes": "25시간"}, "작업 시간(분)은 1,440 이하여야 합니다.", "minutes"),
    ({"minutes": "10", "items_submitted": "열 개"}, "제출 건수는 정수(건 단위)로 입력하세요.", "items_submitted"),
    ({"minutes": "10", "items_submitted": "3", "items_rejected": "5"},
     "반려 건수(5)는 제출 건수(3)보다 많을 수 없습니다.", "items_rejected"),
    ({"minutes": "10", "project_id": None}, "프로젝트를 선택하세요.", "project_id"),
    ({"minutes": "10", "project_id": 999}, "프로젝트를 찾을 수 없습니다 (id 999).", "project_id"),
])
def test_refused_entries_name_the_field_and_write_nothing(engine, project_id, form, message, field):
    with pytest.raises(LedgerError) as caught:
        quicklog.save(engine, {"project_id": project_id, "work_date": DAY} | form)
    assert (caught.value.message, caught.value.field) == (message, field)
    assert _logs(engine) == []


def test_the_day_cannot_pass_24_hours(engine, project_id):
    quicklog.save(engine, {"project_id": project_id, "work_date": DAY, "minutes": "20시간"})
    with pytest.raises(LedgerError) as caught:
        quicklog.save(engine, {"project_id": project_id, "work_date": DAY, "minutes": "5시간"})
    assert caught.value.message.startswith("작업 시간(분)이 하루 24시간을 넘습니다: 2026-11-02에 이미 1,200분")
    assert len(_logs(engine)) == 1


# ---------------------------------------------------------------- the week editor


def _shown(engine) -> list[dict]:
    with Session(engine) as session:
        return [{"id": w.id, "version": w.version, "work_date": w.work_date, "project_id": w.project_id,
                 "minutes": f"{w.minutes // 60}:{w.minutes % 60:02d}", "items_submitted": w.items_submitted,
                 "items_rejected": w.items_rejected, "note": w.note}
                for w in session.exec(select(WorkLog).order_by(WorkLog.work_date, WorkLog.id))]


def test_week_editor_adds_edits_and_deletes_through_the_ledger(engine, project_id):
    first = ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 60,
                                           "items_submitted": 10})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY + timedelta(days=1), "minutes": 30})
    shown = _shown(engine)
    result = quicklog.save_week(
        engine, shown,
        edited={0: {"minutes": "2:15", "items_rejected": 2.0, "note": "재작업"}},
        added=[{"work_date": "2026-11-04T00:00:00", "project_id": project_id, "minutes": "45분",
                "items_submitted": 7, "items_rejected": None, "note": None}],
        deleted=[1],
    )
    assert result.errors == []
    assert (result.created, result.updated, result.deleted) == (1, 1, 1)
    assert result.sentence == "이번 주 작업 기록을 저장했습니다: 추가 1건, 수정 1건, 삭제 1건."
    assert _logs(engine) == [(project_id, DAY, 135, 10, 2, 50, "재작업"),
                             (project_id, date(2026, 11, 4), 45, 7, 0, 50, "")]
    with Session(engine) as session:
        assert session.get(WorkLog, first).version == 2


def test_week_editor_saves_nothing_when_a_line_is_refused(engine, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 60})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 60})
    before = _logs(engine)
    result = quicklog.save_week(
        engine, _shown(engine),
        edited={0: {"minutes": "1:30"}, 1: {"items_submitted": 3, "items_rejected": 4}},
        added=[{"work_date": DAY, "project_id": project_id, "minutes": "1.33시간"},
               {"work_date": DAY, "project_id": project_id}],
        deleted=[],
    )
    assert result.errors == [
        "2번째 줄: 반려 건수(4)는 제출 건수(3)보다 많을 수 없습니다.",
        "3번째 줄: 작업 시간(분)은 정수(분 단위)로 입력하세요.",
        "4번째 줄: 작업 시간이나 제출 건수를 입력하세요.",
    ]
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert _logs(engine) == before


def test_week_editor_checks_each_days_total_before_writing(engine, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 1000})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY + timedelta(days=1), "minutes": 400})
    shown = _shown(engine)
    # Moving 400 minutes onto a day that holds 1,000 (and is not in the editor's shown rows) passes 24 hours.
    result = quicklog.save_week(engine, shown[1:], edited={0: {"work_date": DAY.isoformat(), "minutes": "8:00"}},
                                added=[], deleted=[])
    assert result.errors == ["1번째 줄: 2026-11-02의 작업 시간 합계가 1,480분으로 하루 최대 1,440분을 넘습니다."]
    # Shortening the long day in the same save makes room.
    result = quicklog.save_week(engine, shown, edited={0: {"minutes": "16:00"},
                                                       1: {"work_date": DAY.isoformat(), "minutes": "8:00"}},
                                added=[], deleted=[])
    assert result.errors == [] and result.updated == 2
    assert sorted(row[2] for row in _logs(engine)) == [480, 960]


def test_week_editor_refuses_a_line_changed_in_another_tab_and_saves_the_rest(engine, project_id):
    one = ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 60})
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 30})
    shown = _shown(engine)
    ledger.update_worklog(engine, one, {"note": "다른 탭"})  # version 2 now
    result = quicklog.save_week(engine, shown, edited={0: {"minutes": "0:50"}, 1: {"minutes": "0:40"}},
                                added=[], deleted=[])
    assert result.errors == [f"1번째 줄: {ledger.STALE} (이 줄은 저장하지 않았습니다)"]
    assert result.updated == 1
    assert [row[2] for row in _logs(engine)] == [60, 40]


def test_unchanged_editor_saves_nothing(engine, project_id):
    ledger.create_worklog(engine, {"project_id": project_id, "work_date": DAY, "minutes": 60})
    shown = _shown(engine)
    result = quicklog.save_week(engine, shown, edited={0: {"minutes": "60"}}, added=[], deleted=[])
    assert (result.errors, result.updated, result.sentence) == ([], 0, "바뀐 줄이 없습니다.")


def test_week_bounds_are_monday_to_sunday():
    assert quicklog.week_bounds(date(2026, 11, 22)) == (date(2026, 11, 16), date(2026, 11, 22))
    assert quicklog.week_bounds(date(2026, 11, 16)) == (date(2026, 11, 16), date(2026, 11, 22))
