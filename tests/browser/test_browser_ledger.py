"""The ledger's guards in a real browser: an amount too large to hold, and two tabs editing one payment."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.browser.conftest import choose, settle
from tracker import ledger
from tracker.db import make_engine

pytestmark = pytest.mark.browser


@pytest.fixture
def ledger_engine(app_db_url):
    engine = make_engine(app_db_url)
    yield engine
    engine.dispose()


def company_named(engine, name: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT id FROM company WHERE name = :n"), {"n": name}).scalar()
    return found or ledger.create_company(engine, {"name": name})


def open_payments(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/payments")
    expect(page.get_by_role("heading", name="지급", level=1)).to_be_visible()
    settle(page)


def type_into(page, label: str, text: str) -> None:
    box = page.locator('[role="tabpanel"]:visible').get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")  # a text box outside a form sends its value on Enter
    page.wait_for_timeout(300)


def payments(engine) -> list[tuple]:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT gross, net, note, version FROM payment ORDER BY id")).all()


def test_a_30_digit_payment_is_refused_in_the_browser_and_nothing_is_saved(page, app_url, ledger_engine):
    from playwright.sync_api import expect

    company_named(ledger_engine, "크라우드웍스")  # written outside the app: it shows without a restart
    before = payments(ledger_engine)
    open_payments(page, app_url)
    type_into(page, "지급액 (세전, 원)", "1" * 30)
    type_into(page, "실수령액", "1" * 30)
    page.get_by_role("button", name="지급 기록").click()
    expect(page.get_by_text("지급액(세전)은", exact=False).first).to_be_visible()
    expect(page.get_by_text("지급을 기록했습니다.")).to_have_count(0)
    assert payments(ledger_engine) == before


def test_two_tabs_editing_one_payment_in_the_browser(browser, app_url, ledger_engine):
    from playwright.sync_api import expect

    company = company_named(ledger_engine, "누리AI데이터")
    payment = ledger.create_payment(ledger_engine, {"company_id": company, "work_month": date(2026, 9, 1),
                                                    "gross": 704_080, "income_tax": 21_120, "local_tax": 2_110,
                                                    "net": 680_850})
    label = "2026-09 · 누리AI데이터 · — · 680,850원"
    tabs = []
    for _ in range(2):
        tab = browser.new_context(locale="ko-KR").new_page()
        open_payments(tab, app_url)
        tab.get_by_role("tab", name="수정").click()
        choose(tab, tab.locator('[role="tabpanel"]:visible'), "수정할 지급 (위 표에 보이는 지급)", label)
        tabs.append(tab)
    first, second = tabs

    type_into(first, "메모", "11/21 입금 확인")
    first.locator('[role="tabpanel"]:visible').get_by_role("button", name="저장").click()
    expect(first.get_by_text("지급을 저장했습니다.").first).to_be_visible()

    type_into(second, "메모", "늦게 연 탭의 메모")
    second.locator('[role="tabpanel"]:visible').get_by_role("button", name="저장").click()
    expect(second.get_by_text("다른 화면에서 먼저 바뀌었습니다. 새로 불러온 뒤 다시 고쳐 주세요.")).to_be_visible()
    with ledger_engine.connect() as conn:
        saved = conn.execute(sa.text("SELECT note, version FROM payment WHERE id = :i"), {"i": payment}).one()
    assert tuple(saved) == ("11/21 입금 확인", 2)
    for tab in tabs:
        tab.context.close()
