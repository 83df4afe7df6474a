"""Fixtures: a fresh database per test, migrated to head, on the backend under test.

The backend is SQLite (a file per test) unless TRACKER_TEST_DATABASE_URL names a PostgreSQL database
(`make test-pg` or `.ci/postgres.sh` start a throwaway one). Every test that touches a database takes it
from here: `db_url` / `engine` (one per test), `db_url_factory` (more in the same test) or
`shared_db_url_factory` (for module- and session-scoped fixtures). On PostgreSQL a test that opens a
SQLite database anyway fails, and the run ends with how many tests reached the backend.
"""
from __future__ import annotations

import os
from collections import defaultdict
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import ledger
from tracker.db import connect


def backend_server() -> str | None:
    """TRACKER_TEST_DATABASE_URL (a PostgreSQL database the tests may empty), or None for SQLite."""
    return os.environ.get("TRACKER_TEST_DATABASE_URL") or None


def on_postgresql() -> bool:
    return backend_server() is not None


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives the real app in headless Chromium (tests/browser)")
    config.addinivalue_line("markers", "sqlite_only: checks SQLite itself; skipped when the backend is PostgreSQL")


def pytest_collection_modifyitems(items) -> None:
    # Browser tests last: the quick ones report first, and the app server starts only when needed.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if on_postgresql():
        skip = pytest.mark.skip(reason="SQLite-specific (pragmas, WAL, files): the backend under test is PostgreSQL")
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(skip)


# ---------------------------------------------------------------- databases


def _sqlite_url(directory, name: str) -> str:
    return f"sqlite:///{directory / f'{name}.db'}"


def _create_database(server: str, database: str) -> str:
    """A new, empty PostgreSQL database beside `server`'s (replacing one of that name)."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()
    return sa.make_url(server).set(database=database).render_as_string(hide_password=False)


def _drop_databases(server: str, databases: list[str]) -> None:
    if not databases:
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for database in databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh SQLite file, or, when TRACKER_TEST_DATABASE_URL names a PostgreSQL database, that
    database emptied (its public schema dropped and recreated) for this test."""
    server = backend_server()
    if not server:
        return _sqlite_url(tmp_path, "ledger")
    engine = sa.create_engine(server)
    try:
        with engine.begin() as conn:
            # Connections an earlier test left open (an engine it never disposed) would hold the drop up.
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return server


@pytest.fixture
def db_url_factory(tmp_path):
    """More databases of the backend under test: `make("b")` gives a fresh SQLite file, or on
    PostgreSQL a fresh database beside TRACKER_TEST_DATABASE_URL's (dropped after the test)."""
    server = backend_server()
    made: list[str] = []

    def make(name: str) -> str:
        if not server:
            return _sqlite_url(tmp_path, name)
        database = f"{sa.make_url(server).database}_{name}"
        made.append(database)
        return _create_database(server, database)

    yield make
    if server:
        _drop_databases(server, made)


@pytest.fixture(scope="session")
def shared_db_url_factory(tmp_path_factory):
    """Databases that outlive one test, for module- and session-scoped fixtures: `make("seed")` gives a
    fresh SQLite file, or on PostgreSQL a fresh database `<test database>_shared_seed` (dropped at the
    end of the run). Use each name once per run."""
    server = backend_server()
    made: list[str] = []

    def make(name: str) -> str:
        if not server:
            return _sqlite_url(tmp_path_factory.mktemp(name), name)
        database = f"{sa.make_url(server).database}_shared_{name}"
        assert database not in made, f"shared database {name!r} made twice"
        made.append(database)
        return _create_database(server, database)

    yield make
    if server:
        _drop_databases(server, made)


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


# ---------------------------------------------------------------- which tests reach which database

_current: list[str] = []  # node id of the test being set up, run or torn down
_opened: dict[str, set[str]] = defaultdict(set)  # node id -> {"sqlite", "postgresql", ...}
_sqlite_files: dict[str, set[str]] = defaultdict(set)
_collected: list[int] = [0]


def _on_checkout(dbapi_connection, _record, _proxy) -> None:
    if not _current:
        return
    module = type(dbapi_connection).__module__
    kind = "sqlite" if module.startswith("sqlite3") else "postgresql" if module.startswith("psycopg") else module
    _opened[_current[0]].add(kind)
    if kind == "sqlite":
        try:
            (_seq, _name, path), *_ = dbapi_connection.execute("PRAGMA database_list").fetchall()
        except Exception:  # noqa: BLE001 - only for the message
            path = "?"
        _sqlite_files[_current[0]].add(path or ":memory:")


sa.event.listen(sa.pool.Pool, "checkout", _on_checkout)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    _current[:] = [item.nodeid]
    try:
        return (yield)
    finally:
        _current.clear()


def pytest_collection_finish(session) -> None:
    _collected[0] = len(session.items)


@pytest.fixture(autouse=True)
def _stays_on_the_backend(request):
    """On PostgreSQL, a test that opens a SQLite database bypassed the backend fixtures: fail it."""
    yield
    if on_postgresql() and not request.node.get_closest_marker("sqlite_only") and _sqlite_files.get(request.node.nodeid):
        pytest.fail(f"opened SQLite {sorted(_sqlite_files[request.node.nodeid])} while the backend under test is "
                    "PostgreSQL: take the database from db_url / engine / db_url_factory / shared_db_url_factory",
                    pytrace=False)


def pytest_terminal_summary(terminalreporter) -> None:
    backend = "postgresql" if on_postgresql() else "sqlite"
    reached = sum(backend in kinds for kinds in _opened.values())
    terminalreporter.write_line(
        f"database backend {backend}: {reached} of {_collected[0]} collected tests opened a connection to it")


APP_TODAY = date(2026, 11, 22)


@pytest.fixture
def app_db(db_url, monkeypatch):
    """The app pointed at a fresh database, with today pinned, no password and Streamlit's caches empty."""
    import streamlit as st

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_TODAY", APP_TODAY.isoformat())
    monkeypatch.delenv("TRACKER_PASSWORD", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def demo_db(app_db):
    """app_db holding the 18-month demo."""
    from tracker.demo import generate

    engine = connect(app_db)
    generate(engine, end=date(2026, 11, 1), today=APP_TODAY)
    engine.dispose()
    return app_db
