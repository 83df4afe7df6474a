"""Smoke test in a real browser: the dashboard opens, and a company added through the 회사 form is stored."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.db import make_engine

pytestmark = pytest.mark.browser

NAME = "브라우저데이터랩"


def test_dashboard_loads_and_a_company_added_in_the_form_is_stored(page, app_url, app_db_url):
    from playwright.sync_api import expect  # here: the `chromium` fixture explains a missing playwright

    page.goto(app_url)
    expect(page.get_by_role("heading", name="대시보드", level=1)).to_be_visible()

    page.locator('[data-testid="stSidebarNav"] a[href$="/companies"]').click()
    expect(page.get_by_role("heading", name="회사·플랫폼", level=1)).to_be_visible()
    form = page.locator('[data-testid="stForm"]').first  # the 추가 tab's form (수정 has one once a company exists)
    form.get_by_label("이름", exact=True).fill(NAME)
    form.get_by_role("button", name="회사 추가").click()
    # The message can show twice (the page's success box and a toast): either one will do.
    expect(page.get_by_text(f"회사 '{NAME}'를 추가했습니다.").first).to_be_visible()

    engine = make_engine(app_db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, pay_months_after, pay_day FROM company WHERE name = :n"),
                                {"n": NAME}).all()
    finally:
        engine.dispose()
    assert rows == [(NAME, 1, 10)]
