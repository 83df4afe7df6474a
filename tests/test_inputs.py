"""Typed amounts and times, and untrusted text shown through Markdown."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from tracker.errors import LedgerError
from tracker.inputs import parse_amount, parse_minutes, show_amount, show_minutes
from tracker.models.worklog import WorkLogCreate
from tracker.ledger import validate
from tracker.markdown import escape


@pytest.mark.parametrize("typed, value", [
    ("45000", 45_000), ("45,000", 45_000), (" 45,000원 ", 45_000), ("₩45,000", 45_000), ("４５,０００", 45_000),
    ("0", 0), ("-1", -1), ("", None), ("   ", None), ("1" * 30, int("1" * 30)), (12, 12),
    ("1.5", "1.5"), ("abc", "abc"), ("1e9", "1e9"),
    # Korean units
    ("4만 5천", 45_000), ("4만5천원", 45_000), ("45만", 450_000), ("1억 2천만", 120_000_000),
    ("4.5만", 45_000), ("만원", 10_000), ("2천5백", 2_500), ("2천500", 2_500), ("₩4만 5,000원", 45_000),
    ("3천만원", 30_000_000), ("12,345만", 123_450_000), ("-4만", -40_000), ("1조", 10**12),
    # not a whole number of won, or units that do not make a number: unchanged, so the model refuses
    ("2천5000", "2천5000"), ("4만 50000", "4만 50000"), ("5백2천", "5백2천"), ("1만만", "1만만"),
    ("1억1억", "1억1억"), ("1.23456만", "1.23456만"), ("4만 0.5", "4만 0.5"), ("4만 원정", "4만 원정"),
])
def test_parse_amount(typed, value):
    assert parse_amount(typed) == value


@pytest.mark.parametrize("typed, minutes", [
    (90, 90), ("90", 90), ("90분", 90), ("1:30", 90), ("1시간 30분", 90), ("1시간30분", 90), ("1시간 30", 90),
    ("2시간", 120), ("45분", 45), ("1.5시간", 90), ("1.25시간", 75), ("1시간 반", 90), ("2 시간 15 분", 135),
    ("0:45", 45), ("10:05", 605), ("1:30:30", 91), ("1:30:29", 90), ("1h30m", 90), ("90m", 90), ("2h", 120),
    ("３０분", 30), (90.0, 90), (time(1, 30), 90), (timedelta(minutes=90), 90), ("", None), ("  ", None),
    ("-30", -30), ("25시간", 1500),  # the model refuses these with the bound
    # cannot be read: unchanged
    ("1.5", "1.5"), ("1:75", "1:75"), ("1.33시간", "1.33시간"), ("abc", "abc"), ("30분 1시간", "30분 1시간"),
    ("1.5시간 반", "1.5시간 반"), ("1시간 0.5", "1시간 0.5"), (1.5, 1.5), (True, True), ("시간", "시간"),
])
def test_parse_minutes(typed, minutes):
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed, message", [
    ("1:75", "작업 시간(분)은 정수(분 단위)로 입력하세요."),
    ("25시간", "작업 시간(분)은 1,440 이하여야 합니다."),
    ("-30", "작업 시간(분)은 0 이상이어야 합니다."),
])
def test_unreadable_minutes_are_refused_by_the_model(typed, message):
    with pytest.raises(LedgerError) as caught:
        validate(WorkLogCreate, {"project_id": 1, "work_date": "2026-11-02", "minutes": parse_minutes(typed)})
    assert caught.value.message == message
    assert caught.value.field == "minutes"


def test_show_minutes():
    assert [show_minutes(v) for v in (90, 45, 0, 605, None)] == ["1:30", "0:45", "0:00", "10:05", ""]


def test_show_amount():
    assert [show_amount(v) for v in (45_000, 0, None, "")] == ["45,000", "0", "", ""]


@pytest.mark.parametrize("text, shown", [
    ("[클릭](javascript:alert(1))", "\\[클릭\\](javascript\\:alert(1))"),
    ("![x](http://evil/p.png)", "!\\[x\\](http\\://evil/p.png)"),
    (":red[경고] $x$", "\\:red\\[경고\\] \\$x\\$"),
    ("회사 '에이모'를 추가했습니다.", "회사 '에이모'를 추가했습니다."),
    ("같은 이름의 회사가 이미 있습니다: 에이모", "같은 이름의 회사가 이미 있습니다: 에이모"),
    ("# 제목\n- 목록\n1. 번호", "\\# 제목  \n\\- 목록  \n\\1. 번호"),
    ("<img src=x>", "\\<img src=x\\>"),
])
def test_escape_makes_markdown_literal(text, shown):
    assert escape(text) == shown
