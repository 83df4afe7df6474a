"""The real app in a real browser: `streamlit run app.py` on a free port, Debian's Chromium through Playwright.

Playwright's own browsers are never downloaded (`playwright install` is not needed): Chromium is
/usr/bin/chromium (`apt-get install chromium`). Without it the browser tests are skipped, except under
CI (CI set), where a missing browser fails them. The app gets its own database of the backend under
test (a SQLite file, or a PostgreSQL database beside TRACKER_TEST_DATABASE_URL's) and TRACKER_TODAY; a
module that needs a ledger of its own overrides app_db_url/server_log/app_url and starts it with serve_app.
Screenshots (each step's, and a failed test's page) go to artifact_dir().
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tracker.db import connect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TODAY = "2026-11-22"
START_TIMEOUT_S = 60
TIMEOUT_MS = 15_000  # any one browser step (click, fill, expect)


def artifact_dir() -> Path:
    """Where the browser tests put their screenshots (and a failed test's page): `browser/` under
    TRACKER_TEST_ARTIFACTS when set (CI keeps that directory), else test-artifacts/browser/ in the repo
    (git ignores it). Created on first use; files are overwritten by the next run."""
    base = os.environ.get("TRACKER_TEST_ARTIFACTS", "").strip()
    directory = (Path(base) if base else ROOT / "test-artifacts") / "browser"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="session")
def artifacts() -> Path:
    return artifact_dir()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is missing: .venv/bin/pip install -r requirements.txt")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_db_url(shared_db_url_factory) -> str:
    """The served app's database, migrated (as `make run` does before starting the app)."""
    url = shared_db_url_factory("browser")
    connect(url).dispose()
    return url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test reports what the page showed (text and a screenshot) and the server log."""
    report = yield
    if report.when == "call" and report.failed:
        tab, log = item.funcargs.get("page"), item.funcargs.get("server_log")
        if tab is not None:
            try:
                shot = artifact_dir() / f"failed-{item.name}.png"
                tab.screenshot(path=str(shot), full_page=True)
                report.sections.append((f"page {tab.url} (screenshot {shot})", tab.inner_text("body")[:3000]))
            except Exception as exc:  # noqa: BLE001 - the server log must still be reported
                report.sections.append(("page", f"unavailable: {exc}"))
        if log is not None and log.exists():
            report.sections.append(("streamlit log (tail)", log.read_text(errors="replace")[-3000:]))
    return report


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("streamlit") / "server.log"


@contextmanager
def serve_app(db_url: str, log_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1 and a free port against `db_url`, healthy; stopped on exit."""
    port = _free_port()
    env = {**os.environ, "TRACKER_DATABASE_URL": db_url, "TRACKER_TODAY": TODAY}
    env.pop("TRACKER_PASSWORD", None)  # a password would put the login form in front of every page
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with {server.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=2).text.strip() == "ok":
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def settle(page) -> None:
    """Wait until Streamlit has finished the current run (no 'running' indicator, no stale elements)."""
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
    expect(page.locator('[data-stale="true"]')).to_have_count(0)


def choose(page, scope, label: str, option: str, *, attempts: int = 3) -> None:
    """Pick `option` in the selectbox labelled `label` (inside `scope`). The page is settled first; a rerun
    that lands while the list is open closes it, so the list is opened again (up to `attempts` times)."""
    from playwright.sync_api import Error

    wanted = page.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        settle(page)
        scope.get_by_label(label, exact=True).click()
        try:
            wanted.wait_for(state="visible", timeout=5_000)
        except Error:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            continue
        wanted.click()
        return


@pytest.fixture(scope="session")
def app_url(chromium, app_db_url, server_log) -> str:
    """The app on the session's database (a module that needs an empty ledger starts its own: serve_app)."""
    with serve_app(app_db_url, server_log) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    """Headless Chromium; module-scoped so Playwright's event loop is gone before the next test module."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # 5 s by default: too short on a busy 2-core CI machine
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, app_url, server_log):
    """A fresh browser context (no cookies, no Streamlit session) on the app."""
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()
