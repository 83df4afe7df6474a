"""Fixtures: a fresh SQLite database file per test, migrated to head."""
from __future__ import annotations

import os
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import ledger
from tracker.db import connect


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh SQLite file, or, when TRACKER_TEST_DATABASE_URL names a PostgreSQL database, that
    database emptied (its public schema dropped and recreated) for this test."""
    server = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = sa.create_engine(server)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return server


@pytest.fixture
def db_url_factory(tmp_path):
    """More databases of the backend under test: `make("b")` gives a fresh SQLite file, or on
    PostgreSQL a fresh database beside TRACKER_TEST_DATABASE_URL's (dropped after the test)."""
    server = os.environ.get("TRACKER_TEST_DATABASE_URL")
    made: list[str] = []
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT") if server else None

    def make(name: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / f'{name}.db'}"
        database = f"{sa.make_url(server).database}_{name}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
        made.append(database)
        return sa.make_url(server).set(database=database).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for database in made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url) -> sa.Engine:
    eng = connect(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def company_id(engine) -> int:
    return ledger.create_company(engine, {"name": "크라우드웍스", "pay_months_after": 1, "pay_day": 10})


@pytest.fixture
def project_id(engine, company_id) -> int:
    return ledger.create_project(
        engine,
        {"company_id": company_id, "name": "간판 OCR", "task_type": "ocr", "pay_scheme": "per_item", "unit_price": 50,
         "status": "in_progress", "start_date": date(2026, 10, 1)},
    )


def count_rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("company", "project", "worklog", "payment")
        }
