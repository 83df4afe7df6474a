"""Typed amounts and untrusted text shown through Markdown."""
from __future__ import annotations

import pytest

from tracker.inputs import parse_amount, show_amount
from tracker.markdown import escape


@pytest.mark.parametrize("typed, value", [
    ("45000", 45_000), ("45,000", 45_000), (" 45,000원 ", 45_000), ("₩45,000", 45_000), ("４５,０００", 45_000),
    ("0", 0), ("-1", -1), ("", None), ("   ", None), ("1" * 30, int("1" * 30)), (12, 12),
    ("4.5만", "4.5만"), ("1.5", "1.5"), ("abc", "abc"), ("1e9", "1e9"),
])
def test_parse_amount(typed, value):
    assert parse_amount(typed) == value


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
