"""The schema comes from Alembic migrations, and they match the models exactly."""
from datetime import date

import pytest
import sqlalchemy as sa

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from tracker import ledger
from tracker.db import connect, current_revision, downgrade, head_revision, make_engine, upgrade
from tracker.demo import generate


def test_empty_database_upgrades_to_head(db_url):
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0013"
    tables = set(sa.inspect(engine).get_table_names())
    assert {"company", "project", "worklog", "payment", "alembic_version"} <= tables


def test_migrated_schema_matches_the_models(db_url):
    engine = connect(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(db_url):
    engine = connect(db_url)
    downgrade(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_connecting_again_keeps_the_data(db_url):
    engine = connect(db_url)
    ledger.create_company(engine, {"name": "셀렉트스타"})
    engine.dispose()
    again = connect(db_url)
    with again.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM company")).scalars().all() == ["셀렉트스타"]


def test_sqlite_pragmas(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced_by_the_database(engine):
    with engine.connect() as conn:
        try:
            conn.execute(sa.text(
                "INSERT INTO project (company_id, name, task_type, role, pay_scheme, unit_price, status, remote, "
                "certificate, notes, created_at) VALUES (42, 'x', 'ocr', 'worker', 'per_item', 1, 'applied', true, "
                "'none', '', '2026-01-01')"
            ))
            conn.commit()
        except sa.exc.IntegrityError as exc:
            assert "foreign key" in str(exc).lower()
        else:
            raise AssertionError("the database accepted a project of a missing company")


def test_upgrade_from_0001_keeps_companies_and_defaults_the_pay_shift(db_url):
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO company (name, kind, website, pay_months_after, pay_day, withholding_kind, active, notes, "
            "created_at) VALUES ('에이모', 'platform', '', 1, 15, 'business', true, '', '2026-01-01')"
        ))
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name, pay_day, pay_shift FROM company")).all() == [("에이모", 15, "next")]


def test_upgrading_a_full_ledger_loses_nothing(db_url):
    """Revision 0003 recreates the project table on SQLite: that must not cascade into work logs."""
    engine = connect(db_url)
    generate(engine, end=date(2023, 3, 1), today=date(2026, 11, 22))
    before = table_counts(engine)
    downgrade(engine, "0002")
    upgrade(engine)
    assert table_counts(engine) == before
    assert before["worklog"] > 500 and before["payment"] > 50


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                for t in ("company", "project", "worklog", "payment")}
