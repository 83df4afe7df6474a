"""Korean everywhere: no "None" in an empty cell, no "Choose options" in an empty picker, on every page."""
from __future__ import annotations

import pytest

from tests.test_pages import PAGES, open_page


def english_defaults(at) -> list[str]:
    found = []
    for frame in at.dataframe:  # st.dataframe and st.data_editor
        if not frame.proto.HasField("placeholder"):
            found.append(f"표 {frame.proto.id or ''}: 빈 칸이 'None'으로 보입니다 (placeholder 없음)")
    for widget in at.multiselect:
        if not widget.proto.placeholder:
            found.append(f"'{widget.label}': 'Choose options'가 보입니다")
    for widget in at.selectbox:  # nothing chosen, or nothing to choose: Streamlit's own English text shows
        unset = not widget.proto.HasField("default") or not widget.proto.options
        if unset and not widget.proto.placeholder:
            found.append(f"'{widget.label}': 'Choose an option' 또는 'No options to select'가 보입니다")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_english_placeholders_on_an_empty_ledger(app_db, page):
    assert english_defaults(open_page(page)) == []


@pytest.mark.parametrize("page", PAGES)
def test_no_english_placeholders_on_the_demo(demo_db, page):
    assert english_defaults(open_page(page)) == []


def test_a_toast_keeps_to_its_first_clause_so_streamlit_adds_no_english_view_more():
    from views.common import TOAST_CHARS, toast_text

    assert toast_text("작업 기록을 저장했습니다: 에이모 · 세그멘테이션, 2026-11-22, 1:30 (90분) → ₩44,460") == \
        "작업 기록을 저장했습니다"
    assert toast_text("회사 '에이모'를 추가했습니다.") == "회사 '에이모'를 추가했습니다."
    assert toast_text("입금을 기록했습니다 (일부 입금으로 남겨 두었습니다)") == "입금을 기록했습니다"
    long = "가" * 60
    assert toast_text(long) == "가" * (TOAST_CHARS - 1) + "…" and len(toast_text(long)) == TOAST_CHARS
