"""받을 돈 for a company paying 일용근로: the deposit form asks how many days the money pays for."""
from __future__ import annotations

from datetime import date

from tests.test_pages import open_page
from tracker import ledger
from tracker.db import connect


def test_a_daily_deposit_is_split_per_day(app_db):
    engine = connect(app_db)
    company = ledger.create_company(engine, {"name": "데이터일용", "withholding_kind": "daily"})
    ledger.create_payment(engine, {"company_id": company, "work_month": date(2026, 10, 1), "gross": 600_000,
                                   "income_tax": 4_050, "local_tax": 400, "net": 595_550})
    at = open_page("views/receivables.py")
    at.number_input(key="deposit_days_0").set_value(3).run()
    prefix = f"deposit_0_595550_2026-11-22_3_"
    assert [at.text_input(key=prefix + k).value for k in ("gross", "income_tax", "local_tax")] == [
        "600,000", "4,050", "400"]
    assert not at.warning
