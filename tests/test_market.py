"""시세: stated unit prices per month and task type, mine beside them, and the openings above my rate."""
from datetime import date, datetime

import pandas as pd
import pytest
from sqlmodel import Session, select

from tests.test_fit import me  # noqa: F401  (the ledger fixture: 음성 전사 ₩18,139/h at 170원/건, 박스 ₩15,000/h)
from tracker.db import session_scope
from tracker.market import above_usual, above_usual_rate, earned_prices, figure, posted_prices
from tracker.models import Posting
from tracker.scrapers.text import KST


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=KST)


ROWS = [  # title, task types, amount, unit, published, first seen, status
    ("A", "transcription", 100, "item", at(3, 10), at(3, 10), "new"),
    ("B", "transcription", 150, "item", at(10, 10), at(10, 10), "new"),
    ("C", "transcription", 200, "item", None, at(30, 10), "new"),
    ("D", "transcription", 120, "item", at(2), at(2), "new"),
    ("E", "transcription", 185, "item", at(5), at(5), "saved"),
    ("F", "", 70, "item", at(6), at(6), "new"),
    ("G", "bounding_box", 20_000, "hour", at(7), at(7), "new"),
    ("H", "transcription", 30_000, "hour", at(8), at(8), "hidden"),
    ("I", "ocr", None, None, at(9), at(9), "new"),
]


@pytest.fixture
def market(engine, me):  # noqa: F811
    with session_scope(engine) as session:
        for title, types, amount, unit, published, seen, status in ROWS:
            session.add(Posting(source="뉴스", source_kind="rss", url=f"https://example.com/{title}", title=title,
                                organization="크라우드웍스", dedupe_key=title, published=published, first_seen=seen,
                                last_seen=seen, task_types=types, pay_amount=amount, pay_unit=unit, status=status,
                                pay_text=f"{amount}원" if amount else ""))
    return engine


def test_stated_prices_per_month_and_task_type(market):
    items = posted_prices(market, "item")
    assert items.to_dict("records") == [
        {"month": pd.Timestamp(2026, 10, 1), "task_type": "transcription", "task_label": "음성 전사",
         "median": 150, "low": 100, "high": 200, "postings": 3},
        {"month": pd.Timestamp(2026, 11, 1), "task_type": "other", "task_label": "기타",
         "median": 70, "low": 70, "high": 70, "postings": 1},
        {"month": pd.Timestamp(2026, 11, 1), "task_type": "transcription", "task_label": "음성 전사",
         "median": 152, "low": 120, "high": 185, "postings": 2},  # (120 + 185) / 2 = 152.5, floored
    ]
    hours = posted_prices(market, "hour")
    assert list(zip(hours["task_type"], hours["median"])) == [("bounding_box", 20_000), ("transcription", 30_000)]


def test_my_own_prices_on_the_same_scale(market):
    assert earned_prices(market, "item").to_dict("records") == [
        {"month": pd.Timestamp(2026, 11, 1), "task_type": "transcription", "task_label": "음성 전사",
         "price": 170, "amount": 1_067}]
    hours = earned_prices(market, "hour")
    assert list(zip(hours["task_type"], hours["price"], hours["amount"])) == [
        ("bounding_box", 15_000, 2.0), ("transcription", 18_139, 10.0)]


def test_the_chart_puts_mine_beside_the_postings_in_one_colour_per_task(market):
    fig = figure(posted_prices(market, "item"), earned_prices(market, "item"), "item")
    names = [t.name for t in fig.data]
    assert names == ["기타 · 공고", "음성 전사 · 공고", "음성 전사 · 내가 받은"]
    assert list(fig.data[1].y) == [150, 152] and list(fig.data[2].y) == [170]
    assert fig.data[1].line.color == fig.data[2].line.color and fig.data[2].line.dash == "dot"
    assert fig.layout.yaxis.title.text == "건당 단가 (원)"


def test_openings_above_my_usual_rate(market):
    found = above_usual(market, date(2026, 11, 1))
    assert found[["title", "hourly", "my_rate", "reason"]].to_dict("records") == [
        {"title": "G", "hourly": 20_000, "my_rate": 15_000,
         "reason": "바운딩 박스 시간당 20,000원: 내 시급 ₩15,000보다 ₩5,000 많습니다"},
        {"title": "E", "hourly": 185 * 1_067 * 60 // 600, "my_rate": 18_139,
         "reason": "음성 전사 건당 185원: 약 ₩19,700/시간, 내 시급 ₩18,139보다 높습니다"},
    ]  # D pays less than mine, F (no task type) cannot be converted, H is hidden, I states no pay
    assert list(found["url"]) == ["https://example.com/G", "https://example.com/E"]
    assert list(above_usual(market, at(6))["title"]) == ["G"]
    with Session(market) as s:
        ids = {p.title: p.id for p in s.exec(select(Posting)).all()}
    notes = above_usual_rate(market, [*ids.values(), 999])  # every posting asked about, and one that is not there
    assert notes == {ids["G"]: "바운딩 박스 시간당 20,000원: 내 시급 ₩15,000보다 ₩5,000 많습니다",
                     ids["H"]: "음성 전사 시간당 30,000원: 내 시급 ₩18,139보다 ₩11,861 많습니다",  # hidden, but asked about
                     ids["C"]: "음성 전사 건당 200원: 약 ₩21,300/시간, 내 시급 ₩18,139보다 높습니다",  # from October
                      ids["E"]: "음성 전사 건당 185원: 약 ₩19,700/시간, 내 시급 ₩18,139보다 높습니다"}
    assert above_usual_rate(market, []) == {}


def test_an_empty_ledger_has_no_usual_rate_and_no_market(engine):
    assert above_usual(engine, date(2026, 11, 1)).empty
    assert posted_prices(engine).empty and earned_prices(engine).empty
    assert len(figure(posted_prices(engine), earned_prices(engine)).data) == 0
