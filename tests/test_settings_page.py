"""The 설정·백업 page's settings under streamlit's AppTest: defaults, radar filters, digest switches,
stored in the database, refused in Korean, stale forms refused, secrets never on the page."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.test_pages import click, open_page as open_in_app
from tracker import preferences
from tracker.db import connect
from tracker.ledger import STALE
from tracker.models import Company, TaskType, WithholdingKind

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "settings.py")
SECRET = "hunter2-app-password"
TOKEN = "abcdefghijklmnop-token"


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submit(at: AppTest, form: str) -> AppTest:
    """Press the 저장 button of one form ("defaults", "radar", "digest")."""
    next(b for b in at.button if b.label == "저장" and f"pref_{form}_" in b.key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def saved(url: str) -> preferences.Settings:
    engine = connect(url)
    try:
        return preferences.load(engine)
    finally:
        engine.dispose()


def everything_shown(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("text", "caption", "markdown", "code", "warning", "error", "success", "info")
             for e in at.get(kind)]
    parts += [str(w.value) for kind in ("text_input", "text_area") for w in at.get(kind)]
    return "\n".join(parts)


def test_defaults_on_an_empty_ledger(app_db):
    at = open_page()
    assert at.selectbox[0].label == "새 회사의 원천징수 종류"
    assert at.selectbox[0].value == WithholdingKind.BUSINESS
    assert at.text_input[0].label == "최소 시급 목표 (원/시간)" and at.text_input[0].value == ""
    assert at.text_input[0].placeholder == "비우면 2026년 최저시급 10,320원"
    assert "지금 목표: 시간당 10,320원 (2026년 최저시급)" in texts(at)
    assert "저장된 소득 프로필이 없습니다: 근로소득이 없다고 보고 계산합니다." in texts(at)
    assert "이메일: 없음 (환경 변수 TRACKER_SMTP_URL, TRACKER_DIGEST_TO)" in texts(at)
    assert "웹훅: 없음 (환경 변수 TRACKER_WEBHOOK_URL)" in texts(at)
    assert "아직 보낸 알림이 없습니다." in texts(at)
    assert at.multiselect[0].placeholder == "모든 작업 유형"


def test_save_the_defaults(app_db):
    at = open_page()
    at.selectbox[0].set_value(WithholdingKind.OTHER)
    at.text_input[0].input("1만 2천")
    submit(at, "defaults")
    assert at.success[0].value == "설정을 저장했습니다."
    settings = saved(app_db)
    assert settings.values.default_withholding_kind == WithholdingKind.OTHER
    assert settings.values.min_hourly_target == 12_000
    assert "지금 목표: 시간당 12,000원" in texts(at)
    assert at.text_input[0].value == "12,000", "the form reopens from what was saved"
    assert at.selectbox[0].value == WithholdingKind.OTHER
    # emptied: back to the year's minimum wage
    at.text_input[0].input("")
    submit(at, "defaults")
    assert saved(app_db).values.min_hourly_target is None
    assert "지금 목표: 시간당 10,320원 (2026년 최저시급)" in texts(at)


@pytest.mark.parametrize(("typed", "message"), [
    ("많이", "최소 시급 목표는 정수(원 단위)로 입력하세요."),
    ("0", "최소 시급 목표는 1원 이상이어야 합니다."),
    ("2,000,000", "최소 시급 목표는 1,000,000원 이하여야 합니다."),
])
def test_a_bad_target_is_refused_and_nothing_saved(app_db, typed, message):
    at = open_page()
    at.text_input[0].input(typed)
    submit(at, "defaults")
    assert [e.value for e in at.error] == [message]
    assert saved(app_db).versions == {}


def test_save_the_radar_filters(app_db):
    at = open_page()
    at.text_area[0].input("재택, 라벨링\n검수")
    at.text_area[1].input("정규직")
    at.multiselect[0].set_value([TaskType.OCR, TaskType.TRANSCRIPTION])
    next(t for t in at.toggle if t.label == "재택 공고만").set_value(True)
    submit(at, "radar")
    assert at.success[0].value == "설정을 저장했습니다."
    values = saved(app_db).values
    assert values.radar_include == ["재택", "라벨링", "검수"]
    assert values.radar_exclude == ["정규직"]
    assert values.radar_task_types == [TaskType.OCR, TaskType.TRANSCRIPTION]
    assert values.radar_remote_only is True
    assert at.text_area[0].value == "재택, 라벨링, 검수"
    assert saved(app_db).versions == {"radar_include": 1, "radar_exclude": 1, "radar_task_types": 1,
                                      "radar_remote_only": 1}, "the defaults form's settings were not touched"


def test_nothing_changed_saves_nothing(app_db):
    at = open_page()
    submit(at, "digest")
    assert at.success[0].value == "바뀐 설정이 없습니다."
    assert saved(app_db).versions == {}


def test_digest_switches_and_a_stale_form(app_db):
    at = open_page()
    toggles = {t.label: t for t in at.toggle}
    toggles["웹훅으로 받기"].set_value(False)
    toggles["세금·건강보험 경고"].set_value(False)
    engine = connect(app_db)
    preferences.save(engine, {"digest_tax": True, "digest_overdue": False})  # another tab, in between
    engine.dispose()
    submit(at, "digest")
    assert [e.value for e in at.error] == [STALE]
    values = saved(app_db).values
    assert (values.digest_webhook, values.digest_tax, values.digest_overdue) == (True, True, False)
    # the form reopened from the database: try again
    assert {t.label: t.value for t in at.toggle}["늦어진 돈"] is False
    next(t for t in at.toggle if t.label == "웹훅으로 받기").set_value(False)
    submit(at, "digest")
    assert at.success[0].value == "설정을 저장했습니다."
    assert saved(app_db).values.digest_webhook is False


def test_channels_are_shown_masked_and_secrets_never(app_db, monkeypatch):
    monkeypatch.setenv("TRACKER_SMTP_URL", f"smtp://me%40example.com:{SECRET}@smtp.example.com")
    monkeypatch.setenv("TRACKER_DIGEST_TO", "labeler@example.com")
    monkeypatch.setenv("TRACKER_WEBHOOK_URL", f"https://hooks.slack.com/services/T1/B2/{TOKEN}")
    at = open_page()
    assert ("이메일: 설정됨 · la***@example.com · 서버 smtp.example.com:587 (smtp, 서버가 지원하면 STARTTLS) · "
            "비밀번호 설정됨") in texts(at)
    assert "웹훅: 설정됨 · hooks.slack.com (주소의 나머지는 가림)" in texts(at)
    shown = everything_shown(at)
    assert SECRET not in shown and TOKEN not in shown and "labeler@" not in shown


def test_half_set_up_email_is_a_warning(app_db, monkeypatch):
    monkeypatch.setenv("TRACKER_DIGEST_TO", "labeler@example.com")
    at = open_page()
    assert [w.value for w in at.warning] == ["이메일: 설정이 덜 되었습니다."]
    assert "TRACKER_DIGEST_TO는 있지만 TRACKER_SMTP_URL이 없습니다." in texts(at)


def test_preview_on_the_demo_sends_and_records_nothing(demo_db):
    at = open_page()
    next(b for b in at.button if b.label == "지금 보낼 글 미리 보기").click().run()
    assert not at.exception
    preview = next(t for t in texts(at) if t.startswith("(미리 보기"))
    assert "제목: [라벨장부] 11월 22일 알림: " in preview
    assert "- 누리AI데이터 · CCTV 이상행동 영상 분류 · 2026-09 작업분 ₩680,850 · 예정일 2026-10-26(월), 27일 지남" in preview
    engine = connect(demo_db)
    from tracker.alerts.digest import recent

    assert recent(engine).empty
    engine.dispose()


def test_in_the_app_the_profile_is_a_page_link(app_db):
    at = open_in_app("views/settings.py")
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["세금 페이지의 소득 프로필에서 고치기"]


def test_the_default_withholding_kind_is_what_a_new_company_starts_with(app_db):
    engine = connect(app_db)
    preferences.save(engine, {"default_withholding_kind": "other"})
    at = open_in_app("views/companies.py")
    assert at.selectbox(key="add_company_withholding_kind").value == WithholdingKind.OTHER
    at.text_input(key="add_company_name").input("셀렉트스타")
    click(at, "회사 추가")
    with Session(engine) as s:
        assert [c.withholding_kind for c in s.exec(select(Company)).all()] == ["other"]
