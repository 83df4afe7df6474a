"""Work timers stored in the database: one per project, stop gives the minutes, nothing lost in between."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from tracker import ledger, timer
from tracker.db import connect
from tracker.errors import LedgerError
from tracker.models import Timer

START = datetime(2026, 11, 2, 0, 5, tzinfo=UTC)  # 09:05 in Korea


def test_start_survives_a_new_connection_and_stop_gives_rounded_minutes(engine, db_url, project_id):
    assert timer.start(engine, project_id, now=START) == START
    other = connect(db_url)  # another tab, another process: the same running timer
    try:
        [running] = timer.running(other, now=START + timedelta(minutes=10, seconds=29))
    finally:
        other.dispose()
    assert (running.project_id, running.project, running.minutes, running.version) == (
        project_id, "크라우드웍스 · 간판 OCR", 10, 1)
    assert running.started_at == START and f"{running.started_kst:%H:%M}" == "09:05"
    stopped = timer.stop(engine, project_id, now=START + timedelta(minutes=89, seconds=30))
    assert (stopped.minutes, stopped.elapsed_minutes, stopped.clipped, stopped.work_date) == (90, 90, False,
                                                                                               date(2026, 11, 2))
    assert stopped.sentence == ("크라우드웍스 · 간판 OCR 타이머를 멈췄습니다: 11-02 09:05부터 1:30 (90분)."
                                " 제출·반려 건수를 적고 저장하세요.")
    assert timer.running(engine) == []


def test_a_second_timer_on_the_same_project_is_refused(engine, project_id):
    timer.start(engine, project_id, now=START)
    with pytest.raises(LedgerError) as caught:
        timer.start(engine, project_id, now=START + timedelta(minutes=1))
    assert caught.value.message == ("'크라우드웍스 · 간판 OCR'의 타이머가 이미 11-02 09:05부터 돌고 있습니다. "
                                    "멈춘 뒤 다시 시작하세요.")
    assert len(timer.running(engine)) == 1


def test_timers_on_two_projects_run_side_by_side(engine, company_id, project_id):
    other = ledger.create_project(engine, {"company_id": company_id, "name": "음성 전사", "status": "in_progress"})
    timer.start(engine, other, now=START + timedelta(minutes=5))
    timer.start(engine, project_id, now=START)
    assert [(r.project, r.minutes) for r in timer.running(engine, now=START + timedelta(minutes=20))] == [
        ("크라우드웍스 · 간판 OCR", 20), ("크라우드웍스 · 음성 전사", 15)]


def test_a_timer_forgotten_overnight_gives_at_most_a_day_and_says_so(engine, project_id):
    timer.start(engine, project_id, now=START)
    stopped = timer.stop(engine, project_id, now=START + timedelta(hours=30))
    assert (stopped.minutes, stopped.elapsed_minutes, stopped.clipped) == (1440, 1800, True)
    assert "하루 넘게 돌아 작업 시간은 하루 최대 1,440분으로 줄여 채웠습니다." in stopped.sentence


def test_under_half_a_minute_is_zero_minutes(engine, project_id):
    timer.start(engine, project_id, now=START)
    stopped = timer.stop(engine, project_id, now=START + timedelta(seconds=29))
    assert stopped.minutes == 0
    assert "1분이 안 되어 0분입니다." in stopped.sentence


def test_stopping_twice_or_a_timer_never_started_is_refused(engine, project_id):
    with pytest.raises(LedgerError) as caught:
        timer.stop(engine, project_id)
    assert caught.value.message == "'크라우드웍스 · 간판 OCR'의 타이머가 돌고 있지 않습니다 (다른 화면에서 이미 멈췄을 수 있습니다)."
    with pytest.raises(LedgerError) as caught:
        timer.start(engine, 999)
    assert caught.value.message == "프로젝트를 찾을 수 없습니다 (id 999)."


def test_stop_refuses_a_timer_restarted_elsewhere(engine, project_id):
    timer.start(engine, project_id, now=START)
    with Session(engine) as session:  # as if another tab stopped and started it again
        row = session.get(Timer, project_id)
        row.version = 2
        session.add(row)
        session.commit()
    with pytest.raises(LedgerError) as caught:
        timer.stop(engine, project_id, version=1)
    assert caught.value.message == ledger.STALE
    assert timer.stop(engine, project_id, version=2, now=START + timedelta(minutes=3)).minutes == 3


def test_cancel_records_nothing_and_deleting_the_project_removes_its_timer(engine, project_id, company_id):
    timer.start(engine, project_id, now=START)
    timer.cancel(engine, project_id)
    assert timer.running(engine) == []
    timer.start(engine, project_id, now=START)
    ledger.delete_project(engine, project_id)
    assert timer.running(engine) == []
