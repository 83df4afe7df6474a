"""`demo --scale N` up to 100: ten copies share one 18-month period, every further ten work the 18 months
before, so a team-sized ledger has more companies, projects and months, and no day over 24 hours."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker.db import connect
from tracker.demo import DEMO_NET_TOTAL, MAX_SCALE, DemoRefused, generate

END = date(2026, 11, 1)
TODAY = date(2026, 11, 22)


def table(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


@pytest.fixture(scope="module")
def scaled(shared_db_url_factory):
    engine = connect(shared_db_url_factory("demo_scale_25"))
    summary = generate(engine, end=END, today=TODAY, scale=25)
    yield engine, summary
    engine.dispose()


def test_25_copies_cover_three_periods_of_18_months(scaled):
    engine, summary = scaled
    assert (summary.start, summary.end) == (date(2022, 6, 1), date(2026, 11, 30))  # 3 × 18 months
    assert summary.companies == 225 == table(engine, "SELECT COUNT(*) FROM company")[0][0]
    assert summary.net_total == 25 * DEMO_NET_TOTAL == table(engine, "SELECT SUM(net) FROM payment")[0][0]
    spans = table(engine, "SELECT MIN(work_date), MAX(work_date) FROM worklog GROUP BY project_id")
    bounds = [date(2022, 6, 1), date(2023, 12, 1), date(2025, 6, 1), date(2026, 12, 1)]
    for first, last in spans:  # every project works inside one period
        first, last = (d if isinstance(d, date) else date.fromisoformat(d) for d in (first, last))
        assert any(a <= first and last < b for a, b in zip(bounds, bounds[1:])), (first, last)
    periods = dict(table(engine, """
        SELECT CASE WHEN work_date >= '2025-06-01' THEN 'now' WHEN work_date >= '2023-12-01' THEN 'before'
                    ELSE 'earliest' END AS period, COUNT(DISTINCT c.name)
        FROM worklog w JOIN project p ON p.id = w.project_id JOIN company c ON c.id = p.company_id
        GROUP BY period"""))
    assert periods == {"now": 90, "before": 90, "earliest": 45}


def test_every_day_stays_within_24_hours_and_every_entry_has_minutes(scaled):
    engine, _ = scaled
    longest = table(engine, "SELECT MAX(total) FROM (SELECT SUM(minutes) AS total FROM worklog GROUP BY work_date) AS d")
    assert longest[0][0] <= 1440
    assert table(engine, "SELECT COUNT(*) FROM worklog WHERE pay_scheme = 'per_item' AND minutes < 1") == [(0,)]
    assert table(engine, "SELECT COUNT(*) FROM payment WHERE net != gross - income_tax - local_tax") == [(0,)]


def test_earlier_periods_are_finished(scaled):
    engine, _ = scaled
    # Only the latest period has work in progress, plans and money still to come.
    assert table(engine, """
        SELECT COUNT(*) FROM project p JOIN company c ON c.id = p.company_id
        WHERE p.status IN ('in_progress', 'inspecting', 'selected', 'pretest', 'applied', 'interested')
          AND p.end_date IS NOT NULL AND p.end_date < '2025-06-01'""") == [(0,)]
    assert table(engine, "SELECT COUNT(*) FROM payment WHERE received_date IS NULL AND work_month < '2025-06-01'") \
        == [(0,)]
    running = table(engine, """SELECT DISTINCT c.name FROM project p JOIN company c ON c.id = p.company_id
                               WHERE p.status IN ('in_progress', 'inspecting', 'selected', 'pretest')""")
    copies = {int(name.rsplit(" #", 1)[1]) if " #" in name else 1 for (name,) in running}
    assert copies == set(range(1, 11))  # the ten copies of the latest period, none of the earlier ones


def test_the_same_seed_gives_the_same_rows(scaled, db_url_factory):
    engine, _ = scaled
    other = connect(db_url_factory("again"))
    generate(other, end=END, today=TODAY, scale=25)
    query = ("SELECT project_id, work_date, minutes, items_submitted, items_rejected, rate FROM worklog "
             "ORDER BY id")
    assert table(other, query) == table(engine, query)
    other.dispose()


def test_the_first_ten_copies_are_todays_scale_ten(scaled, db_url_factory):
    engine, _ = scaled
    ten = connect(db_url_factory("ten"))
    generate(ten, end=END, today=TODAY, scale=10)
    query = "SELECT work_date, minutes, items_submitted FROM worklog WHERE work_date >= '2025-06-01' ORDER BY id"
    assert table(ten, query) == table(engine, query)[: len(table(ten, query))]
    ten.dispose()


def test_more_than_200_is_refused(engine):
    assert MAX_SCALE == 200  # ×152 is about 100,000 work logs (benchmarks/ui.py)
    with pytest.raises(DemoRefused, match="1에서 200 사이"):
        generate(engine, end=END, today=TODAY, scale=201)
