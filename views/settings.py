"""설정·백업: where the ledger lives, a backup to download, a restore from a file, and the copies
made before schema upgrades. The logic is tracker.backup; this page only calls it.

File names (uploaded or on disk) and messages that may quote a file's content are shown with
st.text / st.code / st.dataframe, never through Markdown.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from tracker import backup as bk
from tracker.timeutil import KST
from views import common as ui

BACKUP_KEY = "settings_backup"  # (file name, bytes, description) of the backup last made
RESULT_KEY = "settings_result"  # (ok, fixed Korean title, detail shown as plain text)
UPLOAD_KEY = "settings_restore_file"
CONFIRM_KEY = "settings_restore_confirm"


def _file_name(summary: bk.Summary) -> str:
    made = datetime.fromisoformat(summary.created_at)
    return f"ledger-{made:%Y%m%d-%H%M%S}.json.gz"


def _make_backup() -> None:
    try:
        data, summary = bk.backup_bytes(ui.engine())
    except bk.BackupError as exc:
        st.session_state[RESULT_KEY] = (False, "백업을 만들지 못했습니다.", exc.message)
        return
    st.session_state[BACKUP_KEY] = (_file_name(summary), data, bk.describe(summary.counts))


def _restore() -> None:
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return
    try:
        summary = bk.restore(ui.engine(), upload, force=bool(st.session_state.get(CONFIRM_KEY)))
    except bk.LedgerNotEmpty as exc:
        result = (False, "복원하지 않았습니다.",
                  f"{exc.message} 기존 기록을 지우고 복원하려면 '기존 기록을 모두 지우고 복원합니다'를 체크하세요.")
    except bk.BackupError as exc:
        result = (False, "복원하지 못했습니다. 장부는 그대로입니다.", exc.message)
    else:  # the restored rows bump their tables' data versions: every cached read misses by itself
        st.session_state.pop(BACKUP_KEY, None)  # a backup made before no longer matches the ledger
        st.session_state[CONFIRM_KEY] = False
        result = (True, "복원했습니다.", f"{summary.created_at}에 만든 백업 · {bk.describe(summary.counts)}")
    st.session_state[RESULT_KEY] = result


st.title("설정·백업")
engine = ui.engine()
result = st.session_state.pop(RESULT_KEY, None)
if result:
    ok, title, detail = result
    (st.success if ok else st.error)(title)
    st.text(detail)

st.subheader("장부")
db_file = bk.sqlite_file(engine)
if db_file is not None:
    st.text("장부 파일 (SQLite): 옆의 -wal·-shm 파일과 함께 모든 기록이 있습니다. 복사할 때는 위의 백업을 쓰세요.")
    st.code(str(db_file), language=None)
else:
    st.text("데이터베이스 주소:")
    st.code(engine.url.render_as_string(hide_password=True), language=None)
counts = bk.ledger_counts(engine)
st.dataframe(pd.DataFrame([{"기록": bk.label(t), "개수": n} for t, n in bk.ordered(counts)]),
             hide_index=True)

st.subheader("백업")
st.caption("장부 전체를 파일 하나(.json.gz)로 받습니다. SQLite와 PostgreSQL 어느 쪽 장부로도 복원할 수 있습니다. "
           "명령줄에서는 python -m tracker backup 입니다.")
st.button("백업 만들기", on_click=_make_backup, key="settings_make_backup")
made = st.session_state.get(BACKUP_KEY)
if made:
    name, data, description = made
    st.download_button("백업 파일 받기", data=data, file_name=name, mime="application/gzip", on_click="ignore",
                       type="primary", key="settings_download")
    st.text(f"{name} ({len(data) / 1024:,.0f} KB): {description}")

st.subheader("복원")
st.caption("백업 파일의 기록으로 장부를 채웁니다. 모두 들어가거나, 문제가 있으면 아무것도 바뀌지 않습니다.")
upload = st.file_uploader("백업 파일 (.json.gz)", type=["gz"], key=UPLOAD_KEY)
ready = False
if upload is not None:
    try:
        found = bk.inspect_backup(upload)
    except bk.BackupError as exc:
        st.error("이 파일은 복원할 수 없습니다.")
        st.text(f"{upload.name}: {exc.message}")
    else:
        ready = True
        st.text(f"{upload.name}: {found.created_at}에 만든 백업 (스키마 {found.schema_revision})\n"
                f"{bk.describe(found.counts)}")
if any(counts.values()):
    st.warning(f"장부에 이미 기록이 있습니다: {bk.describe(counts, nonzero=True)}. 복원하면 지금 기록은 모두 "
               "지워지고 백업의 기록으로 바뀝니다.")
    confirmed = st.checkbox("기존 기록을 모두 지우고 복원합니다", key=CONFIRM_KEY)
else:
    confirmed = True
st.button("복원", on_click=_restore, disabled=not (ready and confirmed), key="settings_restore")

if db_file is not None:
    st.subheader("업그레이드 전 사본")
    folder = bk.backup_dir(engine)
    st.caption(f"새 버전이 장부의 스키마를 올리기 전에, 기록이 있는 장부 파일을 아래 폴더에 복사해 둡니다(최근 {bk.KEEP}개). "
               "되돌리려면 앱을 끄고 사본을 장부 파일 자리에 복사하세요.")
    st.code(str(folder), language=None)
    copies = bk.pre_upgrade_copies(engine)
    if copies:
        st.dataframe(pd.DataFrame([{"파일": p.name, "크기(KB)": round(p.stat().st_size / 1024),
                                    "만든 때": datetime.fromtimestamp(p.stat().st_mtime, KST).strftime("%Y-%m-%d %H:%M")}
                                   for p in reversed(copies)]), hide_index=True)
    else:
        st.text("아직 없습니다.")
