"""views/guard.py under AppTest: the password gate of the whole app, the refusal page, the error boundary."""
from __future__ import annotations

import logging
import re
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from tracker import auth, markdown
from views import guard

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
TODAY = date(2026, 11, 22)
PASSWORD = "라벨 장부 2026!"
ROUTED = re.findall(r'st\.Page\("(views/\w+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))
LOGIN_FORM = [("subheader", "🔒 라벨장부"), ("text_input", "비밀번호"), ("button", "들어가기")]


@pytest.fixture
def password(demo_db, monkeypatch):
    """TRACKER_PASSWORD set, on the demo (so any leak would show rows and metrics); no wait per wrong try."""
    monkeypatch.setenv("TRACKER_PASSWORD", PASSWORD)
    monkeypatch.setattr(guard, "WRONG_PASSWORD_DELAY", 0.0)
    return PASSWORD


def elements(at: AppTest, root=None) -> list[tuple[str, object]]:
    """Every element drawn (main area and sidebar), as (type, label or value)."""
    out = []
    for node in at if root is None else root:
        if isinstance(node, Block):
            continue
        shown = getattr(node, "label", None)
        if shown is None:
            shown = getattr(node, "value", None)
        out.append((node.type, shown))
    return out


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, typed: str) -> AppTest:
    at.text_input(key=guard.PASSWORD_KEY).input(typed)
    next(b for b in at.button if b.label == "들어가기").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_only_the_login_form(at: AppTest, *extra: tuple[str, object]) -> None:
    assert elements(at) == [*LOGIN_FORM, *extra]
    assert not at.dataframe and not at.metric and not at.title and not at.sidebar.button
    assert at.text_input(key=guard.PASSWORD_KEY).proto.type == at.text_input(key=guard.PASSWORD_KEY).proto.PASSWORD
    # the menu the browser gets names no page of the ledger and no page script
    pages = at._registered_pages.values()
    assert {p["page_name"] for p in pages} == {"라벨장부"}
    assert {p["script_path"] for p in pages} == {""}


# With a password


def test_the_first_run_shows_the_password_form_and_nothing_of_the_ledger(password):
    at = start()
    assert_only_the_login_form(at)


def test_a_wrong_password_shows_the_error_and_still_nothing(password):
    at = sign_in(start(), "틀린 비밀번호")
    assert_only_the_login_form(at, ("error", "비밀번호가 맞지 않습니다."))
    assert [e.value for e in at.error] == ["비밀번호가 맞지 않습니다."]
    assert at.session_state[guard.PASSWORD_KEY] == "", "the typed password does not stay in the session"
    assert at.session_state.get(guard.SIGNED_IN_KEY) is not True
    assert "틀린 비밀번호" not in [v for v in at.session_state.values() if isinstance(v, str)]


def test_a_wrong_password_waits_a_moment(password, monkeypatch):
    monkeypatch.setattr(guard, "WRONG_PASSWORD_DELAY", 1.0)
    at = start()
    began = time.monotonic()
    sign_in(at, "틀린 비밀번호")
    assert time.monotonic() - began >= 1.0
    assert [e.value for e in at.error] == ["비밀번호가 맞지 않습니다."]


def test_the_right_password_opens_the_dashboard_and_keeps_the_session_signed_in(password):
    at = sign_in(start(), PASSWORD)
    assert [t.value for t in at.title] == ["대시보드"]
    assert at.metric, "the demo's money is shown once signed in"
    assert not at.error
    assert not [w for w in at.text_input if w.key == guard.PASSWORD_KEY]
    assert at.session_state[guard.SIGNED_IN_KEY] is True  # a plain bool, never the password
    assert PASSWORD not in [v for v in at.session_state.values() if isinstance(v, str)]
    assert [b.label for b in at.sidebar.button] == ["로그아웃"]

    at.switch_page("views/companies.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["회사·플랫폼"]
    assert at.dataframe, "the companies page lists the demo's companies"
    assert [b.label for b in at.sidebar.button] == ["로그아웃"]


def test_the_password_is_compared_as_typed(password):
    at = sign_in(start(), PASSWORD + " ")
    assert [e.value for e in at.error] == ["비밀번호가 맞지 않습니다."]
    assert not at.title


def test_signing_out_hides_the_ledger_again_and_signing_in_returns_to_the_same_page(password):
    at = sign_in(start(), PASSWORD)
    at.switch_page("views/companies.py").run()
    next(b for b in at.sidebar.button if b.label == "로그아웃").click().run()
    assert not at.exception
    assert_only_the_login_form(at, ("success", "로그아웃했습니다."))
    assert at.session_state[guard.SIGNED_IN_KEY] is False

    sign_in(at, PASSWORD)
    assert [t.value for t in at.title] == ["회사·플랫폼"], "the page the user was on, not the dashboard"


@pytest.mark.parametrize("page", ROUTED)
def test_every_page_hides_behind_the_form_once_signed_out(password, page):
    at = sign_in(start(), PASSWORD)
    at.switch_page(page).run()
    assert not at.exception and at.title, f"{page} opens once signed in"
    next(b for b in at.sidebar.button if b.label == "로그아웃").click().run()
    assert not at.exception
    assert_only_the_login_form(at, ("success", "로그아웃했습니다."))


def test_too_many_wrong_passwords_lock_the_form_for_a_while(password):
    at = start()
    for _ in range(auth.MAX_FAILURES - 1):
        sign_in(at, "아니")
        assert [e.value for e in at.error] == ["비밀번호가 맞지 않습니다."]
    sign_in(at, "아니")
    assert [e.value for e in at.error] == ["비밀번호가 맞지 않습니다. 비밀번호를 여러 번 틀렸습니다. 30초 뒤에 다시 넣어 주세요."]

    sign_in(at, PASSWORD)  # even the right one waits
    assert_only_the_login_form(at, ("error", at.error[0].value))
    assert at.error[0].value.startswith("비밀번호를 여러 번 틀렸습니다.")

    at.session_state[guard.LAST_FAILURE_KEY] = time.monotonic() - auth.LOCKOUT_SECONDS - 1
    sign_in(at, PASSWORD)
    assert [t.value for t in at.title] == ["대시보드"]


# Without a password


def test_without_a_password_this_computer_opens_the_pages_as_before(demo_db):
    at = start()
    assert [t.value for t in at.title] == ["대시보드"]
    assert at.metric
    assert not [w for w in at.text_input if w.key == guard.PASSWORD_KEY]
    assert not at.sidebar.button, "no sign-out button without a password"
    at.switch_page("views/companies.py").run()
    assert [t.value for t in at.title] == ["회사·플랫폼"]


def test_an_empty_password_is_no_password(demo_db, monkeypatch):
    monkeypatch.setenv("TRACKER_PASSWORD", "")
    at = start()
    assert [t.value for t in at.title] == ["대시보드"]


REFUSAL = [
    ("subheader", "🔒 이 장부는 앱을 실행한 컴퓨터에서만 열립니다"),
    ("markdown", "비밀번호를 정하지 않으면 라벨장부는 다른 기기에 아무것도 보여 주지 않습니다. "
                 "다른 기기에서 열려면 앱을 실행하는 컴퓨터에서 환경 변수 `TRACKER_PASSWORD`로 비밀번호를 정하고 "
                 "앱을 다시 시작하세요. 그러면 모든 기기가 먼저 비밀번호를 묻습니다."),
    ("code", "TRACKER_PASSWORD='나만 아는 긴 비밀번호' STREAMLIT_SERVER_ADDRESS=0.0.0.0 make run"),
    ("caption", "Windows PowerShell"),
    ("code", "$env:TRACKER_PASSWORD = '나만 아는 긴 비밀번호'\n"
             ".venv\\Scripts\\python -m streamlit run app.py --server.address 0.0.0.0"),
    ("caption", "앱을 실행한 그 컴퓨터에서는 http://localhost:8501 로 엽니다."),
]


def _refusal_page() -> None:
    from views import guard

    guard.draw_refusal()


def test_the_refusal_page_says_how_to_set_a_password_and_nothing_else():
    at = AppTest.from_function(_refusal_page).run()
    assert not at.exception
    assert elements(at) == REFUSAL


@pytest.mark.parametrize(("ip", "host"), [("192.168.0.7", "192.168.0.5:8501"), (None, "abcd.ngrok-free.app")])
def test_another_computer_without_a_password_gets_only_the_refusal(demo_db, monkeypatch, caplog, ip, host):
    # AppTest has no client address; stand in for what st.context would report for such a visitor.
    monkeypatch.setattr(guard, "client_ip", lambda: ip)
    monkeypatch.setattr(guard, "request_host", lambda: host)
    caplog.set_level(logging.WARNING, logger="views.guard")
    at = start()
    assert elements(at) == REFUSAL
    assert {p["page_name"] for p in at._registered_pages.values()} == {"라벨장부"}
    assert any("TRACKER_PASSWORD is not set" in r.getMessage() for r in caplog.records)


def test_another_computer_with_a_password_gets_the_form(password, monkeypatch):
    monkeypatch.setattr(guard, "client_ip", lambda: "192.168.0.7")
    at = start()
    assert_only_the_login_form(at)
    sign_in(at, PASSWORD)
    assert [t.value for t in at.title] == ["대시보드"]


# The error boundary


def _guarded(pages: list[str]) -> None:
    import streamlit as st

    from views import guard

    guard.run_page(st.navigation([st.Page(p, default=(i == 0)) for i, p in enumerate(pages)]))


def guarded(*names: str) -> AppTest:
    pages = [str(FIXTURE_PAGES / name) for name in names]
    return AppTest.from_function(_guarded, kwargs={"pages": pages}, default_timeout=30).run()


def test_an_exception_in_a_page_becomes_one_korean_sentence_and_a_logged_traceback(caplog):
    caplog.set_level(logging.ERROR, logger="views.guard")
    at = guarded("raises.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["부서지는 화면"], "what the page drew before it broke stays"
    assert [e.value for e in at.error] == [
        "이 화면을 그리다 문제가 생겼습니다. 다른 화면은 그대로 쓸 수 있습니다. 자세한 내용은 서버 로그에 남겼습니다."]
    assert "boom" not in str([e.value for e in at.error])
    (record,) = [r for r in caplog.records if r.name == "views.guard"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is ValueError
    assert "boom: the detail that belongs in the log only" in caplog.text
    assert "raises.py" in caplog.text, "the traceback names the line that broke"


def test_a_refused_input_escaping_a_page_shows_its_message_as_plain_text(caplog):
    caplog.set_level(logging.WARNING, logger="views.guard")
    at = guarded("refused.py")
    assert not at.exception
    message = "회사 '[눌러 보세요](http://example.com) :red[빨강] $x^2$'를 찾을 수 없습니다."
    assert [e.value for e in at.error] == [markdown.escape(message)]
    shown = at.error[0].value
    assert "\\[눌러 보세요\\]" in shown and "\\:red\\[" in shown and "\\$x^2\\$" in shown
    assert any(r.levelno == logging.WARNING and message in r.getMessage() for r in caplog.records)


def test_st_rerun_inside_a_guarded_page_still_reruns():
    at = guarded("reruns.py")
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["3번째 실행에서 멈춤"]
    assert at.session_state["runs"] == 3


def test_st_stop_inside_a_guarded_page_still_stops():
    at = guarded("stops.py")
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["멈추기 전"]


def test_st_switch_page_inside_a_guarded_page_still_switches():
    at = guarded("switches.py", "target.py")
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["옮겨 온 화면"]


def test_the_app_routes_through_the_gate_and_the_boundary():
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    assert source.index("guard.gate(PAGES)") < source.index("st.navigation(PAGES)")
    assert "guard.run_page(st.navigation(PAGES))" in source
    assert ".run()" not in source, "every page runs inside the boundary"


def test_the_config_hides_error_details_and_the_deploy_button():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["client"] == {"showErrorDetails": "none", "toolbarMode": "minimal"}
