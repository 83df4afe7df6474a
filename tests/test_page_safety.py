"""Pages under AppTest: two tabs editing one row, values a form cannot hold, writes from outside."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import count_rows
from tests.test_pages import click, open_page
from tracker import ledger
from tracker.db import connect


def payment_row(engine, payment_id):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT gross, net, note, received_date, version FROM payment WHERE id = :i"),
                            {"i": payment_id}).one()


def one_payment(engine) -> int:
    company = ledger.create_company(engine, {"name": "누리AI데이터", "pay_day": 25})
    return ledger.create_payment(engine, {"company_id": company, "work_month": date(2026, 9, 1), "gross": 704_080,
                                          "income_tax": 21_120, "local_tax": 2_110, "net": 680_850})


def test_two_tabs_editing_one_payment_never_revert_each_other(app_db):
    engine = connect(app_db)
    payment = one_payment(engine)
    first, second = open_page("views/payments.py"), open_page("views/payments.py")
    prefix = f"edit_payment_{payment}_1_"
    first.date_input(key=prefix + "received_date").set_value(date(2026, 11, 21))
    first.text_input(key=prefix + "note").input("11/21 입금 확인")
    click(first, "저장")
    assert first.success[0].value == "지급을 저장했습니다."

    second.text_input(key=prefix + "note").input("늦게 연 탭의 메모")
    click(second, "저장")
    assert [e.value for e in second.error] == ["다른 화면에서 먼저 바뀌었습니다. 새로 불러온 뒤 다시 고쳐 주세요."]
    saved = payment_row(engine, payment)
    assert (str(saved.received_date), saved.note, saved.version) == ("2026-11-21", "11/21 입금 확인", 2)
    # After the refusal the form shows the row as it is now, ready to edit again.
    assert second.date_input(key=f"edit_payment_{payment}_2_received_date").value == date(2026, 11, 21)


def test_a_stale_form_cannot_un_receive_a_deposited_payment(app_db):
    engine = connect(app_db)
    payment = one_payment(engine)
    tab = open_page("views/payments.py")
    ledger.record_deposit(engine, {"payment_id": payment, "received_on": date(2026, 11, 20), "gross": 704_080,
                                   "income_tax": 21_120, "local_tax": 2_110, "net": 680_850})
    tab.text_input(key=f"edit_payment_{payment}_1_note").input("메모만 고침")
    click(tab, "저장")
    assert tab.error[0].value.startswith("다른 화면에서 먼저 바뀌었습니다.")
    assert str(payment_row(engine, payment).received_date) == "2026-11-20"


def test_a_30_digit_payment_is_refused_by_name_and_nothing_is_written(app_db):
    engine = connect(app_db)
    ledger.create_company(engine, {"name": "크라우드웍스"})
    at = open_page("views/payments.py")
    at.text_input(key="add_payment_gross").input("1" * 30)
    at.text_input(key="add_payment_net").input("1" * 30)
    click(at, "지급 기록")
    assert len(at.error) == 1 and at.error[0].value.startswith("지급액(세전)은")
    assert not at.success
    assert count_rows(engine)["payment"] == 0


def test_an_amount_that_is_not_a_number_is_refused_by_name(app_db):
    engine = connect(app_db)
    ledger.create_company(engine, {"name": "크라우드웍스"})
    at = open_page("views/payments.py")
    at.text_input(key="add_payment_gross").input("사만오천")
    click(at, "지급 기록")
    assert at.error[0].value.startswith("지급액(세전)")
    assert count_rows(engine)["payment"] == 0


def test_a_typed_amount_with_commas_and_won_is_saved_exactly(app_db):
    engine = connect(app_db)
    ledger.create_company(engine, {"name": "크라우드웍스"})
    at = open_page("views/payments.py")
    at.date_input(key="add_payment_work_month").set_value(date(2026, 10, 1))
    at.text_input(key="add_payment_gross").input("₩45,000")
    at.text_input(key="add_payment_income_tax").input("1,350원")
    at.text_input(key="add_payment_local_tax").input("130")
    at.text_input(key="add_payment_net").input("43,520")
    click(at, "지급 기록")
    assert at.success[0].value == "지급을 기록했습니다."
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT gross, income_tax, local_tax, net FROM payment")).all() == [
            (45_000, 1_350, 130, 43_520)]


def test_a_30_digit_deposit_is_refused_and_the_payment_stays_open(app_db):
    engine = connect(app_db)
    payment = one_payment(engine)
    at = open_page("views/receivables.py")
    at.text_input(key="deposit_net_input_0").input("9" * 30).run()
    assert at.error[0].value == "통장에 들어온 금액은 1원부터 100,000,000,000원까지의 정수로 입력하세요."
    assert not [b for b in at.button if b.label == "입금 기록"]
    assert count_rows(engine)["payment"] == 1
    assert payment_row(engine, payment).received_date is None


def test_work_logged_with_huge_counts_is_refused_and_every_page_still_opens(app_db):
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "테스트웍스"})
    ledger.create_project(engine, {"company_id": company, "name": "바운딩 박스", "unit_price": 40})
    at = open_page("views/worklogs.py")
    at.text_input(key="add_worklog_items_submitted").input(str(2 ** 53))
    click(at, "작업 기록 추가")
    assert at.error[0].value.startswith("제출 건수는")
    assert count_rows(engine)["worklog"] == 0
    for page in ("views/dashboard.py", "views/income.py", "views/receivables.py", "views/worklogs.py"):
        assert not open_page(page).exception


def test_a_company_written_elsewhere_shows_on_the_next_rerun(app_db):
    """The CLI, the cron radar or another tab writes: the running page shows it without a restart."""
    engine = connect(app_db)
    at = open_page("views/companies.py")
    assert at.dataframe == [] or at.dataframe[0].value.empty
    ledger.create_company(connect(app_db), {"name": "셀렉트스타"})
    at.run()
    assert at.dataframe[0].value["name"].tolist() == ["셀렉트스타"]
    ledger.update_company(engine, 1, {"name": "셀렉트스타(SelectStar)"})
    at.run()
    assert at.dataframe[0].value["name"].tolist() == ["셀렉트스타(SelectStar)"]


def test_a_name_with_markdown_is_shown_as_typed(app_db):
    at = open_page("views/companies.py")
    at.text_input(key="add_company_name").input("[클릭](javascript:alert(1))")
    click(at, "회사 추가")
    assert at.success[0].value == "회사 '\\[클릭\\](javascript\\:alert(1))'를 추가했습니다."


@pytest.mark.sqlite_only
def test_a_damaged_ledger_file_gives_a_korean_page_not_a_traceback(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import APP, TODAY

    path = tmp_path / "ledger.db"
    path.write_bytes(b"not a ledger at all " * 500)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value.startswith("장부 파일을 열 수 없습니다")
    assert path.read_bytes() == b"not a ledger at all " * 500
    st.cache_resource.clear()


def test_what_a_stale_tab_typed_survives_reruns_and_its_save_is_still_refused(app_db):
    """In a browser, Enter in a text box reruns the page: the typed value stays and the form still
    belongs to the version it was opened at."""
    engine = connect(app_db)
    payment = one_payment(engine)
    first, second = open_page("views/payments.py"), open_page("views/payments.py")
    prefix = f"edit_payment_{payment}_1_"
    first.text_input(key=prefix + "note").input("먼저 저장한 메모")
    click(first, "저장")
    second.text_input(key=prefix + "note").input("늦게 연 탭의 메모").run()
    assert second.text_input(key=prefix + "note").value == "늦게 연 탭의 메모"
    click(second, "저장")
    assert second.error[0].value == "다른 화면에서 먼저 바뀌었습니다. 새로 불러온 뒤 다시 고쳐 주세요."
    assert payment_row(engine, payment).note == "먼저 저장한 메모"


def test_a_work_entry_from_2019_opens_every_page(app_db):
    """Years before the data files' first entry use the nearest year's values (issue: LookupError)."""
    from tests.test_pages import PAGES

    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "오래된회사"})
    project = ledger.create_project(engine, {"company_id": company, "name": "2019 OCR", "unit_price": 50,
                                             "pay_scheme": "per_item"})
    ledger.create_worklog(engine, {"project_id": project, "work_date": date(2019, 3, 4), "minutes": 60,
                                   "items_submitted": 100})
    for page in PAGES:
        at = open_page(page)
        assert not at.exception, page
        assert not [e.value for e in at.error if "문제가 생겼습니다" in e.value], page
