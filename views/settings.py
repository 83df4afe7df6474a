"""설정·백업: where the ledger lives, a backup to download, a restore from a file, and the copies
made before schema upgrades (tracker.backup); the settings — default withholding kind for new
companies, the minimum hourly target, the radar's filters, the digest's channels and contents
(tracker.preferences, stored in the database) — and the digest's state (tracker.alerts). This page
only calls them.

Secrets (the SMTP password, the webhook URL's token) stay in the environment: the page says only
whether they are set, and shows addresses masked.

File names (uploaded or on disk) and messages that may quote a file's content are shown with
st.text / st.code / st.dataframe, never through Markdown.
"""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from tracker import backup as bk
from tracker import preferences
from tracker import profile as profiles
from tracker.alerts import digest as digests
from tracker.errors import LedgerError
from tracker.inputs import parse_amount
from tracker.models import TaskType, WithholdingKind
from tracker.tax import minimum_wage
from tracker.timeutil import KST
from views import common as ui

BACKUP_KEY = "settings_backup"  # (file name, bytes, description) of the backup last made
RESULT_KEY = "settings_result"  # (ok, fixed Korean title, detail shown as plain text)
UPLOAD_KEY = "settings_restore_file"
CONFIRM_KEY = "settings_restore_confirm"
GENERATION_KEY = "settings_form_generation"  # bumped after each save: the forms reopen from the database
PREVIEW_KEY = "settings_digest_preview"


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


def _save_settings(prefix: str, fields: list[str], shown: dict, versions: dict[str, int]) -> None:
    """Send only the settings the user changed, with the versions the form showed."""
    typed = {f: st.session_state.get(prefix + f) for f in fields}
    if "min_hourly_target" in typed:
        typed["min_hourly_target"] = parse_amount(typed["min_hourly_target"] or "")
    if "radar_task_types" in typed:
        typed["radar_task_types"] = [str(t) for t in typed["radar_task_types"] or []]
    try:
        valid = preferences.validate(typed, preferences.Preferences.model_validate(shown))
    except LedgerError as exc:
        ui.flash("error", exc.message)
    else:
        plain = valid.model_dump(mode="json")
        changes = {f: plain[f] for f in fields if plain[f] != shown.get(f)}
        if changes:
            ui.act(preferences.save, changes, versions, success="설정을 저장했습니다.")
        else:
            ui.flash("success", "바뀐 설정이 없습니다.")
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def _preview_digest() -> None:
    try:
        outcome = digests.run(ui.engine(), dry_run=True, today=ui.today())
    except LedgerError as exc:
        st.session_state[PREVIEW_KEY] = exc.message
        return
    st.session_state[PREVIEW_KEY] = "\n".join([*outcome.errors, *outcome.lines]).strip()


st.title("설정·백업")
engine = ui.engine()
ui.show_flash()
result = st.session_state.pop(RESULT_KEY, None)
if result:
    ok, title, detail = result
    (st.success if ok else st.error)(title)
    st.text(detail)

ledger_tab, defaults_tab, radar_tab, digest_tab = st.tabs(["장부·백업", "기본값·세금", "모집 공고 거르기", "알림"])

with ledger_tab:
    st.subheader("장부")
    db_file = bk.sqlite_file(engine)
    if db_file is not None:
        st.text("장부 파일 (SQLite): 옆의 -wal·-shm 파일과 함께 모든 기록이 있습니다. 복사할 때는 아래의 백업을 쓰세요.")
        st.code(str(db_file), language=None)
    else:
        st.text("데이터베이스 주소:")
        st.code(engine.url.render_as_string(hide_password=True), language=None)
    counts = bk.ledger_counts(engine)
    st.dataframe(pd.DataFrame([{"기록": bk.label(t), "개수": n} for t, n in bk.ordered(counts)]),
                 hide_index=True, placeholder="")

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
                                       for p in reversed(copies)]), hide_index=True, placeholder="")
        else:
            st.text("아직 없습니다.")

settings = preferences.load(engine)
shown = settings.plain()
generation = st.session_state.get(GENERATION_KEY, 0)
today = ui.today()

with defaults_tab:
    st.subheader("기본값")
    prefix = f"pref_defaults_{generation}_"
    fields = ["default_withholding_kind", "min_hourly_target"]
    wage = minimum_wage(today.year)
    with st.form(prefix + "form"):
        kinds = list(WithholdingKind)
        st.selectbox("새 회사의 원천징수 종류", kinds, index=kinds.index(WithholdingKind(shown["default_withholding_kind"])),
                     format_func=lambda k: k.label, key=prefix + "default_withholding_kind",
                     help="회사를 추가할 때 처음 골라 두는 값입니다. 회사마다 바꿀 수 있습니다.")
        ui.amount_input("최소 시급 목표 (원/시간)", prefix + "min_hourly_target", shown["min_hourly_target"],
                        placeholder=f"비우면 {today.year}년 최저시급 {wage:,}원",
                        help="시간당 수입을 견줄 선입니다. 비우면 그해 최저시급(data/minimum_wage.toml)을 씁니다.")
        st.form_submit_button("저장", type="primary", on_click=_save_settings,
                              args=(prefix, fields, shown, settings.versions))
    target = settings.values.hourly_target(today.year)
    st.text(f"지금 목표: 시간당 {target:,}원" + ("" if settings.values.min_hourly_target is not None
                                                 else f" ({today.year}년 최저시급)"))

    st.subheader("세금·건강보험 프로필")
    st.text(profiles.wage_summary(profiles.latest(engine, today.year)))
    try:
        st.page_link("views/tax.py", label="세금 페이지의 소득 프로필에서 고치기", icon="🧾")
    except st.errors.StreamlitAPIException:  # the page opened on its own (no navigation): say where instead
        st.caption("세금 페이지의 '소득 프로필'에서 고칩니다.")

with radar_tab:
    st.subheader("모집 공고 거르기")
    st.caption("알림(다이제스트)에 넣을 새 공고를 거릅니다. 포함할 낱말이 있으면 그중 하나는 제목·기관·요약·단가에 "
               "있어야 하고, 뺄 낱말이 하나라도 있으면 뺍니다(대소문자 무시). 쉼표나 줄바꿈으로 나눠 쓰세요.")
    prefix = f"pref_radar_{generation}_"
    fields = ["radar_include", "radar_exclude", "radar_task_types", "radar_remote_only"]
    with st.form(prefix + "form"):
        st.text_area("포함할 낱말", ", ".join(shown["radar_include"]), key=prefix + "radar_include",
                     placeholder="예: 라벨링, 검수, 전사")
        st.text_area("뺄 낱말", ", ".join(shown["radar_exclude"]), key=prefix + "radar_exclude",
                     placeholder="예: 정규직, 입찰")
        st.multiselect("작업 유형 (비우면 모두)", list(TaskType), default=[TaskType(t) for t in shown["radar_task_types"]],
                       format_func=lambda t: t.label, key=prefix + "radar_task_types", placeholder="모든 작업 유형")
        st.toggle("재택 공고만", value=shown["radar_remote_only"], key=prefix + "radar_remote_only")
        st.form_submit_button("저장", type="primary", on_click=_save_settings,
                              args=(prefix, fields, shown, settings.versions))

with digest_tab:
    st.subheader("알림(다이제스트)")
    st.caption("python -m tracker digest(예: 매일 아침 cron)가 새 공고, 늦어진 돈, 7일 안에 들어올 돈, 세금·건강보험 "
               "경고를 이메일과 채팅 웹훅으로 보냅니다. 한 번 보낸 항목은 다시 보내지 않습니다.")
    for channel in digests.channel_status(settings.values):
        name = digests.NAMES[channel.name]
        if channel.problem:
            st.warning(f"{name}: 설정이 덜 되었습니다.")
            st.text(channel.problem)
        elif channel.configured:
            st.text(f"{name}: 설정됨 · {channel.shown}" + ("" if channel.enabled else " · 꺼 둠"))
        else:
            needed = "TRACKER_SMTP_URL, TRACKER_DIGEST_TO" if channel.name == "email" else "TRACKER_WEBHOOK_URL"
            st.text(f"{name}: 없음 (환경 변수 {needed})")
    prefix = f"pref_digest_{generation}_"
    fields = ["digest_email", "digest_webhook", "digest_postings", "digest_overdue", "digest_pay_dates", "digest_tax"]
    with st.form(prefix + "form"):
        left, right = st.columns(2)
        left.toggle("이메일로 받기", value=shown["digest_email"], key=prefix + "digest_email")
        left.toggle("웹훅으로 받기", value=shown["digest_webhook"], key=prefix + "digest_webhook")
        right.toggle("새 모집 공고 (위의 거르기 적용)", value=shown["digest_postings"], key=prefix + "digest_postings")
        right.toggle("늦어진 돈", value=shown["digest_overdue"], key=prefix + "digest_overdue")
        right.toggle("7일 안 지급 예정일", value=shown["digest_pay_dates"], key=prefix + "digest_pay_dates")
        right.toggle("세금·건강보험 경고", value=shown["digest_tax"], key=prefix + "digest_tax")
        st.form_submit_button("저장", type="primary", on_click=_save_settings,
                              args=(prefix, fields, shown, settings.versions))
    st.button("지금 보낼 글 미리 보기", on_click=_preview_digest, key="settings_digest_preview_button",
              help="python -m tracker digest --dry-run과 같습니다: 보내지도 기록하지도 않습니다.")
    preview = st.session_state.get(PREVIEW_KEY)
    if preview:
        st.text(preview)
    st.markdown("**최근에 보낸 알림**")
    recent = digests.recent(engine)
    if not recent.empty:
        st.dataframe(recent, hide_index=True, placeholder="")
    else:
        st.text("아직 보낸 알림이 없습니다.")
