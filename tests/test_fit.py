"""내게 맞는 공고: the fit score and its words, from a real ledger (exact KRW)."""
from datetime import date

import pandas as pd
import pytest

from tracker import ledger
from tracker.fit import FIT_AT, FitProfile, assess, explain, profile

DAY = date(2026, 11, 2)


@pytest.fixture
def me(engine) -> FitProfile:
    company = ledger.create_company(engine, {"name": "크라우드웍스"})
    speech = ledger.create_project(engine, {
        "company_id": company, "name": "콜센터 음성 전사", "task_type": "transcription", "pay_scheme": "per_item",
        "unit_price": 170, "status": "completed", "remote": True})
    boxes = ledger.create_project(engine, {
        "company_id": company, "name": "차량 박스 검수", "task_type": "bounding_box", "role": "inspector",
        "pay_scheme": "per_hour", "unit_price": 15_000, "status": "in_progress", "remote": False,
        "certificate": "aide2"})
    ledger.create_project(engine, {  # only applied to: says nothing about me
        "company_id": company, "name": "지원만 한 곳", "task_type": "polygon", "certificate": "aide1",
        "status": "applied"})
    ledger.create_worklog(engine, {"project_id": speech, "work_date": DAY, "minutes": 600,
                                   "items_submitted": 1_100, "items_rejected": 33})  # 1,067 × 170 = ₩181,390
    ledger.create_worklog(engine, {"project_id": boxes, "work_date": date(2026, 11, 3), "minutes": 120})  # ₩30,000
    return profile(engine)


def postings(*rows) -> pd.DataFrame:
    keys = ["task_types", "pay_amount", "pay_unit", "remote", "certificate"]
    return pd.DataFrame([dict(zip(keys, r)) for r in rows])


def test_the_profile_is_read_from_the_ledger(me):
    speech, boxes = me.tasks["transcription"], me.tasks["bounding_box"]
    assert (speech.krw_per_hour, speech.krw_per_item, speech.hourly_from_item_price(150)) == (18_139, 170, 16_005)
    assert (boxes.krw_per_hour, boxes.krw_per_item) == (15_000, None)
    assert me.usual_rate == 211_390 * 60 // 720 == 17_615
    assert me.roles == {"worker", "inspector"}
    assert me.certificate == "aide2"  # the applied-only AIDE 1급 project does not count
    assert (me.projects, me.remote_projects, me.prefers_remote) == (2, 1, True)


def test_scores_and_words(me):
    frame = postings(
        ("transcription", 150, "item", True, "none"),
        ("polygon", 12_000, "hour", False, "aide1"),
        ("", None, None, True, "none"),
        ("bounding_box,inspection", 2_000_000, "month", False, "aide2"),
    )
    got = assess(frame, me)
    assert list(got["fit"]) == [96, 33, 55, 82]
    assert list(got["fits"]) == [True, False, False, True]
    assert list(got["hourly"]) == [16_005, 12_000, pd.NA, 9_569]
    assert list(got["my_rate"]) == [18_139, 17_615, 17_615, 15_000]
    assert list(got["lacks_certificate"]) == [False, True, False, False]
    assert explain(frame.iloc[0], me) == [
        "음성 전사: 내 평균 시급 ₩18,139, 이 공고 건당 150원이면 약 ₩16,000/시간",
        "음성 전사 건당 단가: 내가 받아 온 평균 170원, 이 공고 150원",
        "재택: 내 프로젝트는 대부분 재택",
    ]
    assert explain(frame.iloc[1], me) == [
        "폴리곤: 장부에 해 본 기록이 없습니다",
        "이 공고 시간당 12,000원 (내 평균 시급 ₩17,615)",
        "AIDE 1급이 필요한데 장부의 프로젝트로는 AIDE 2급까지입니다",
        "재택 아님: 내 프로젝트는 대부분 재택",
    ]
    assert explain(frame.iloc[2], me) == ["작업 유형이 적혀 있지 않습니다", "재택: 내 프로젝트는 대부분 재택"]
    assert explain(frame.iloc[3], me, got.iloc[3]) == [
        "바운딩 박스: 내 평균 시급 ₩15,000, 이 공고 월 2,000,000원이면 약 ₩9,600/시간 (월 209시간 기준)",
        "검수자 모집: 검수를 해 본 적이 있습니다",
        "AIDE 2급 필요: 있습니다",
        "재택 아님: 내 프로젝트는 대부분 재택",
    ]
    assert FIT_AT == 60


def test_a_per_item_price_for_work_never_done_per_item_is_not_guessed(me):
    frame = postings(("bounding_box", 80, "item", True, "none"))
    got = assess(frame, me).iloc[0]
    assert pd.isna(got["hourly"]) and got["fit"] == 40 + 10 + 10 + 10 + 10
    assert explain(frame.iloc[0], me)[0] == (
        "바운딩 박스: 내 평균 시급 ₩15,000, 이 공고 건당 80원: 이 작업을 건당으로 한 기록이 없어 시간당으로 바꾸지 못했습니다")


def test_a_higher_pay_than_mine_gets_all_the_pay_points(me):
    got = assess(postings(("transcription", 200, "item", True, "none")), me).iloc[0]
    assert (got["hourly"], got["fit"]) == (200 * 1_067 * 60 // 600, 100)


def test_an_empty_ledger_still_ranks_and_says_what_is_missing(engine):
    empty = profile(engine)
    frame = postings(("ocr", 50, "item", True, "aide2"), ("", None, None, False, "none"))
    got = assess(frame, empty)
    assert list(got["fit"]) == [0 + 10 + 5 + 5 + 0, 15 + 10 + 5 + 5 + 10]
    assert list(got["fits"]) == [False, False]
    assert explain(frame.iloc[0], empty) == ["OCR: 장부에 해 본 기록이 없습니다", "이 공고 건당 50원",
                                             "AIDE 2급이 필요한데 장부의 프로젝트에는 AIDE 자격증이 없습니다"]
    assert assess(postings(), empty).empty


def test_yearly_and_daily_pay_become_hourly_by_stated_hours(me):
    frame = postings(("bounding_box", 41_000_000, "year", False, "none"), ("bounding_box", 120_000, "day", False, "none"))
    got = assess(frame, me)
    assert list(got["hourly"]) == [41_000_000 // 2_508, 15_000] == [16_347, 15_000]
    assert explain(frame.iloc[0], me)[0] == (
        "바운딩 박스: 내 평균 시급 ₩15,000, 이 공고 연봉 41,000,000원이면 약 ₩16,300/시간 (연 2,508시간 기준)")
    assert explain(frame.iloc[1], me)[0] == (
        "바운딩 박스: 내 평균 시급 ₩15,000, 이 공고 일급 120,000원이면 약 ₩15,000/시간 (하루 8시간 기준)")
