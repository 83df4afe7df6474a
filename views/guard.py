"""The Streamlit side of who may see the ledger, and the page-level error boundary.

app.py calls, in this order:

- `gate(pages)` before `st.navigation`: decides with `tracker.auth.access` whether this session sees
  the ledger. If not, it hands `st.navigation` stand-ins of the same URLs that all draw the password
  form (or the refusal page), hides the menu and stops the run: no page of the ledger is named, drawn
  or run. Same URLs so that a bookmarked or reloaded page opens again once signed in, and a sign-out
  replaces the menu the browser still shows.
- `run_page(page)` on the page `st.navigation` chose: an exception escaping the page becomes one
  Korean sentence (the traceback goes to the log); a refused input (`LedgerError`) shows its message.

Only plain values go into st.session_state: a bool for "signed in", a count and a time for wrong
tries. The typed password is cleared from the session as soon as it is checked.
"""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from tracker import auth, dataversion, markdown
from tracker.errors import LedgerError

logger = logging.getLogger(__name__)

SIGNED_IN_KEY = "_auth_signed_in"
FAILURES_KEY = "_auth_failures"
LAST_FAILURE_KEY = "_auth_last_failure"
MESSAGE_KEY = "_auth_message"
PASSWORD_KEY = "_auth_password"
REFUSAL_LOGGED_KEY = "_auth_refusal_logged"
WRONG_PASSWORD_DELAY = 1.0  # seconds each wrong password waits (this session only)

WRONG_PASSWORD = "비밀번호가 맞지 않습니다."
PAGE_FAILED = "이 화면을 그리다 문제가 생겼습니다. 다른 화면은 그대로 쓸 수 있습니다. 자세한 내용은 서버 로그에 남겼습니다."
SIGNED_OUT = "로그아웃했습니다."


def locked_message(seconds: float) -> str:
    return f"비밀번호를 여러 번 틀렸습니다. {math.ceil(seconds)}초 뒤에 다시 넣어 주세요."


# Who is asking


def client_ip() -> str | None:
    """`st.context.ip_address`: None for a 127.0.0.1/::1 peer or a session without a network client.

    Streamlit types it `str | None`; under AppTest the runtime is a mock whose answer is not a string,
    which is no address either."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None


def request_host() -> str | None:
    """The `Host` header of the browser's connection (None when there is no connection, as in AppTest)."""
    host = st.context.headers.get("Host")
    return host if isinstance(host, str) else None


def signed_in() -> bool:
    return st.session_state.get(SIGNED_IN_KEY) is True


# The gate


def gate(pages: Mapping[str, Sequence[st.Page]] | Sequence[st.Page]) -> None:
    """Return when this session may see the ledger; otherwise draw the form or the refusal and stop."""
    password = auth.configured_password()
    decision = auth.access(client_ip(), password is not None, signed_in(), request_host())
    if decision == "open":
        if password is not None:
            st.sidebar.button("로그아웃", on_click=sign_out, key="_auth_sign_out")
        return
    if decision == "refuse" and not st.session_state.get(REFUSAL_LOGGED_KEY):
        st.session_state[REFUSAL_LOGGED_KEY] = True
        logger.warning("Refused a connection from %s (host %s): TRACKER_PASSWORD is not set",
                       client_ip(), request_host())
    draw = draw_login if decision == "login" else draw_refusal
    st.navigation(_stand_ins(pages, draw), position="hidden").run()
    st.stop()


def _stand_ins(pages: Mapping[str, Sequence[st.Page]] | Sequence[st.Page],
               draw: Callable[[], None]) -> list[st.Page]:
    """One hidden page per URL of the app, each drawing `draw`, titled only with the app's name."""
    listed = [p for section in pages.values() for p in section] if isinstance(pages, Mapping) else list(pages)
    stand_ins = []
    for page in listed:
        if page.url_path == "":  # the default page
            stand_ins.append(st.Page(draw, title="라벨장부", default=True))
        else:
            stand_ins.append(st.Page(draw, title="라벨장부", url_path=page.url_path, visibility="hidden"))
    return stand_ins


def draw_login() -> None:
    """The password form: nothing of the ledger, only the app's name, one field and one button."""
    with st.form("_auth_login"):
        st.subheader("🔒 라벨장부")
        st.text_input("비밀번호", type="password", key=PASSWORD_KEY, autocomplete="current-password")
        st.form_submit_button("들어가기", type="primary", on_click=_sign_in)
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        (st.success if message == SIGNED_OUT else st.error)(message)


def _sign_in() -> None:
    """The form's callback: runs before the page, so a right password opens the ledger in the same run."""
    given = st.session_state.get(PASSWORD_KEY) or ""
    st.session_state[PASSWORD_KEY] = ""  # the typed password never stays in the session
    expected = auth.configured_password()
    if expected is None:  # the password was taken away meanwhile: the gate decides afresh
        return
    failures = int(st.session_state.get(FAILURES_KEY, 0))
    wait = auth.retry_after(failures, st.session_state.get(LAST_FAILURE_KEY), time.monotonic())
    if wait > 0:
        st.session_state[MESSAGE_KEY] = locked_message(wait)
        return
    if auth.password_matches(given, expected):
        st.session_state[SIGNED_IN_KEY] = True
        st.session_state[FAILURES_KEY] = 0
        return
    time.sleep(WRONG_PASSWORD_DELAY)
    failures += 1
    st.session_state[FAILURES_KEY] = failures
    st.session_state[LAST_FAILURE_KEY] = time.monotonic()
    logger.warning("Wrong password (%d in this session) from %s", failures, client_ip() or "this computer")
    message = WRONG_PASSWORD
    if failures >= auth.MAX_FAILURES:
        message += " " + locked_message(auth.LOCKOUT_SECONDS)
    st.session_state[MESSAGE_KEY] = message


def sign_out() -> None:
    st.session_state[SIGNED_IN_KEY] = False
    st.session_state[MESSAGE_KEY] = SIGNED_OUT


def draw_refusal() -> None:
    """What another device sees while no password is set: how to set one, and nothing else."""
    st.subheader("🔒 이 장부는 앱을 실행한 컴퓨터에서만 열립니다")
    st.markdown(
        "비밀번호를 정하지 않으면 라벨장부는 다른 기기에 아무것도 보여 주지 않습니다. "
        "다른 기기에서 열려면 앱을 실행하는 컴퓨터에서 환경 변수 `TRACKER_PASSWORD`로 비밀번호를 정하고 "
        "앱을 다시 시작하세요. 그러면 모든 기기가 먼저 비밀번호를 묻습니다."
    )
    st.code("TRACKER_PASSWORD='나만 아는 긴 비밀번호' STREAMLIT_SERVER_ADDRESS=0.0.0.0 make run", language="bash")
    st.caption("Windows PowerShell")
    st.code("$env:TRACKER_PASSWORD = '나만 아는 긴 비밀번호'\n"
            ".venv\\Scripts\\python -m streamlit run app.py --server.address 0.0.0.0", language="powershell")
    st.caption("앱을 실행한 그 컴퓨터에서는 http://localhost:8501 로 엽니다.")


# The error boundary


def run_page(page: st.Page) -> None:
    """Run the page st.navigation chose. Streamlit's own control flow (st.rerun, st.stop, st.switch_page,
    an error a fragment already showed) passes through; a refused input shows its Korean message; any
    other exception shows one Korean sentence and leaves its traceback in the log."""
    try:
        with dataversion.pinned():  # one reading of the data versions for the run (until it writes)
            page.run()
    except (ScriptControlException, FragmentHandledException):
        raise
    except LedgerError as exc:
        logger.warning("A refused input escaped page %r: %s", page.title, exc.message, exc_info=True)
        st.error(markdown.escape(exc.message))  # it may echo a typed name
    except Exception:
        logger.exception("Page %r (%s) failed", page.title, page.url_path or "/")
        st.error(PAGE_FAILED)
