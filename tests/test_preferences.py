"""tracker.preferences: typed settings with Korean refusals, stored one row per key with versions."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker import preferences
from tracker.db import session_scope
from tracker.errors import LedgerError
from tracker.ledger import STALE
from tracker.models import AppSetting, TaskType, WithholdingKind


def stored(engine) -> dict[str, tuple[str, int]]:
    with engine.connect() as conn:
        return {k: (v, n) for k, v, n in conn.execute(sa.text("SELECT key, value, version FROM app_setting"))}


def test_defaults_without_any_row(engine):
    settings = preferences.load(engine)
    assert settings.versions == {}
    assert settings.plain() == {
        "default_withholding_kind": "business", "min_hourly_target": None, "radar_include": [], "radar_exclude": [],
        "radar_task_types": [], "radar_remote_only": False, "digest_email": True, "digest_webhook": True,
        "digest_postings": True, "digest_overdue": True, "digest_pay_dates": True, "digest_tax": True}
    # the hourly target follows data/minimum_wage.toml until one is saved
    assert settings.values.hourly_target(2026) == 10_320
    assert settings.values.hourly_target(2025) == 10_030
    assert preferences.hourly_target(engine, date(2026, 11, 22)) == 10_320


def test_save_writes_only_the_changes_and_counts_versions(engine):
    saved = preferences.save(engine, {"radar_include": "재택, 라벨링\n재택 ,  검수 ", "min_hourly_target": "12000",
                                      "radar_task_types": ["ocr", TaskType.TRANSCRIPTION, "ocr"],
                                      "default_withholding_kind": "other", "not_a_setting": 1})
    assert saved.values.radar_include == ["재택", "라벨링", "검수"]
    assert saved.values.min_hourly_target == 12_000
    assert saved.values.radar_task_types == [TaskType.OCR, TaskType.TRANSCRIPTION]
    assert saved.values.default_withholding_kind == WithholdingKind.OTHER
    assert stored(engine) == {
        "radar_include": ('["재택", "라벨링", "검수"]', 1), "min_hourly_target": ("12000", 1),
        "radar_task_types": ('["ocr", "transcription"]', 1), "default_withholding_kind": ('"other"', 1)}
    again = preferences.save(engine, {"min_hourly_target": 13_000, "radar_include": ["재택", "라벨링", "검수"]},
                             saved.versions)
    assert again.versions == {"radar_include": 1, "min_hourly_target": 2, "radar_task_types": 1,
                              "default_withholding_kind": 1}, "an unchanged value keeps its version"
    loaded = preferences.load(engine)
    assert loaded.values == again.values and loaded.versions == again.versions
    assert loaded.values.hourly_target(2026) == 13_000
    preferences.save(engine, {"min_hourly_target": None})
    assert preferences.load(engine).values.hourly_target(2026) == 10_320


@pytest.mark.parametrize(("changes", "message"), [
    ({"min_hourly_target": 0}, "최소 시급 목표는 1원 이상이어야 합니다."),
    ({"min_hourly_target": 1_000_001}, "최소 시급 목표는 1,000,000원 이하여야 합니다."),
    ({"min_hourly_target": "12,000원"}, "최소 시급 목표는 정수(원 단위)로 입력하세요."),
    ({"min_hourly_target": 1.5}, "최소 시급 목표는 정수(원 단위)로 입력하세요."),
    ({"min_hourly_target": True}, "최소 시급 목표는 정수(원 단위)로 입력하세요."),
    ({"default_withholding_kind": "vat"}, "새 회사의 원천징수 종류 값이 올바르지 않습니다: 'vat'"),
    ({"radar_task_types": ["ocr", "drawing"]}, "작업 유형 값이 올바르지 않습니다: 'drawing'"),
    ({"radar_exclude": ",".join(f"w{i}" for i in range(31))}, "뺄 낱말은 30개까지 넣을 수 있습니다 (지금 31개)."),
    ({"radar_include": "가" * 51}, "포함할 낱말은 하나에 50자까지입니다: '가가가가가가가가가가가가가가가가가가가가…'"),
    ({"digest_email": "maybe"}, "이메일로 받기 값이 올바르지 않습니다."),
    ({"radar_remote_only": None}, "재택만을 입력하세요."),
])
def test_bad_values_are_refused_in_korean_and_nothing_is_written(engine, changes, message):
    with pytest.raises(LedgerError) as refused:
        preferences.save(engine, {"radar_remote_only": True, **changes})
    assert refused.value.message == message
    assert stored(engine) == {}


def test_a_setting_saved_elsewhere_since_is_stale(engine):
    shown = preferences.load(engine)
    preferences.save(engine, {"radar_include": "재택"}, shown.versions)  # another tab
    with pytest.raises(LedgerError) as stale:
        preferences.save(engine, {"radar_include": "검수", "radar_remote_only": True}, shown.versions)
    assert stale.value.message == STALE and stale.value.field == "version"
    assert preferences.load(engine).values.radar_include == ["재택"]
    assert "radar_remote_only" not in stored(engine), "nothing of the refused save was written"
    # a setting nobody touched saves fine from the same old form
    preferences.save(engine, {"radar_remote_only": True}, shown.versions)
    assert preferences.load(engine).values.radar_remote_only is True


def test_an_unreadable_stored_value_falls_back_to_its_default(engine):
    with session_scope(engine) as session:
        session.add(AppSetting(key="min_hourly_target", value='"lots"'))
        session.add(AppSetting(key="radar_exclude", value="{not json"))
        session.add(AppSetting(key="retired_setting", value="1"))
        session.add(AppSetting(key="radar_remote_only", value="true"))
    values = preferences.load(engine).values
    assert (values.min_hourly_target, values.radar_exclude, values.radar_remote_only) == (None, [], True)
    saved = preferences.save(engine, {"min_hourly_target": 11_000}, {"min_hourly_target": 1})
    assert saved.values.min_hourly_target == 11_000


def test_matches_the_radar_filters():
    prefs = preferences.validate({"radar_include": "라벨링, OCR", "radar_exclude": "정규직",
                                  "radar_task_types": ["ocr", "bounding_box"], "radar_remote_only": True})
    assert prefs.matches("재택 OCR 검수 모집", "ocr", True)
    assert prefs.matches("데이터 라벨링 작업자", ["bounding_box"], True)
    assert not prefs.matches("데이터 라벨링 작업자", "bounding_box", False), "remote only"
    assert not prefs.matches("라벨링 정규직 채용", "ocr", True), "an exclude word"
    assert not prefs.matches("음성 전사 모집", "ocr", True), "no include word"
    assert not prefs.matches("라벨링 모집", "transcription", True), "another task type"
    assert preferences.DEFAULTS.matches("", "", False), "no filter lets everything through"
