"""The email kind: notification mails read from a real IMAP server on 127.0.0.1 (tests/imapserver.py),
over TLS with a self-signed certificate, strictly read-only; and saved .eml files read offline."""
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.imapserver import ImapServer, free_port, have_openssl
from tracker.models.enums import Certificate, PayUnit
from tracker.scrapers.base import ScrapeError, SourceConfig
from tracker.scrapers.mail import MailSource, first_link, header_text, read_message
from tracker.scrapers.normalize import dedupe_key, normalize
from tracker.scrapers.registry import KINDS
from tracker.timeutil import KST

ROOT = Path(__file__).resolve().parent.parent
MAIL = ROOT / "tests" / "fixtures" / "mail"
TODAY = date(2026, 12, 1)
PLATFORMS = ["crowdworks.kr", "selectstar.ai", "aimo.ai"]
needs_openssl = pytest.mark.skipif(not have_openssl(), reason="openssl command not installed")


def eml(name: str) -> bytes:
    return (MAIL / f"{name}.eml").read_bytes()


def all_mails() -> list[bytes]:
    # UIDs in arrival order: 셀렉트스타 (11/20), 에이모 (11/24), 쇼핑몰 (11/28), 크라우드웍스 (11/30)
    return [eml("selectstar_euckr"), eml("aimo_qp"), eml("shop_newsletter"), eml("crowdworks_new_project")]


def source(env: dict, **options) -> MailSource:
    return MailSource(SourceConfig(name="플랫폼 메일", kind="email", options=options), env)


def tls_env(server: ImapServer, **extra) -> dict:
    return {"TRACKER_IMAP_URL": server.url(), "TRACKER_IMAP_CAFILE": str(server.certfile), **extra}


# -- one saved mail ------------------------------------------------------------------------------

def test_crowdworks_mail_multipart_quoted_printable_and_base64():
    raw = read_message(eml("crowdworks_new_project"))
    assert raw.title == "[크라우드웍스] 새 프로젝트가 열렸어요: 간판 이미지 OCR 텍스트 입력"
    assert raw.organization == "크라우드웍스"
    assert raw.published == datetime(2026, 11, 30, 10, 3, 5, tzinfo=KST)
    # not the logo's home-page link, not the click tracker, not the unsubscribe link; utm_* removed
    assert raw.url == "https://www.crowdworks.kr/project/detail/58213"
    assert raw.external_id == "20261130010305.58213.newproject@crowdworks.kr"
    assert "수신거부" not in raw.summary and "unsubscribe" not in raw.summary  # the footer is cut
    row = normalize(raw, SourceConfig(name="메일", kind="email"), TODAY)
    assert (row["pay_text"], row["pay_amount"], row["pay_unit"]) == ("건당 50원", 50, PayUnit.ITEM)
    assert row["deadline"] == date(2026, 12, 11)  # "마감일: 2026.12.11(금)"
    assert (row["task_types"], row["remote"], row["certificate"]) == ("ocr", True, Certificate.AIDE_2)
    # the platform's tag stays in the title but not in the comparison key
    assert row["dedupe_key"] == dedupe_key("새 프로젝트가 열렸어요: 간판 이미지 OCR 텍스트 입력", "크라우드웍스")


def test_euc_kr_mail_with_a_cp949_only_syllable():
    raw = read_message(eml("selectstar_euckr"))
    assert raw.title == "[셀렉트스타] 캐시미션 신규 녹음 미션 오픈 안내"
    assert raw.organization == "셀렉트스타"
    assert "똠방각하" in raw.summary  # 똠 is in CP949, not in strict EUC-KR
    assert raw.url == "https://cashmission.selectstar.ai/missions/voice-2611?ref=mail"
    row = normalize(raw, SourceConfig(name="메일", kind="email"), TODAY)
    assert row["deadline"] == date(2026, 12, 9)  # "지원 기간: 11월 20일 ~ 12월 9일", year from Date
    assert (row["pay_amount"], row["pay_unit"], row["remote"], row["task_types"]) == (
        100, PayUnit.ITEM, True, "text_collection")


def test_html_only_mail_tracking_link_skipped_and_range_pay_kept_as_range():
    raw = read_message(eml("aimo_qp"))
    assert raw.title == "(광고)[에이모] 바운딩박스 검수자 모집"
    assert raw.organization == "에이모"
    assert raw.url == "https://app.aimo.ai/projects/4471"  # stibee click link skipped, mkt_tok/utm gone
    row = normalize(raw, SourceConfig(name="메일", kind="email"), TODAY)
    assert (row["pay_text"], row["pay_amount"], row["pay_unit"]) == ("건당 30~50원", None, PayUnit.ITEM)
    assert row["deadline"] == date(2026, 12, 5)  # "접수마감일: 2026-12-05"
    assert (row["task_types"], row["remote"]) == ("bounding_box,inspection", True)
    assert row["dedupe_key"] == "바운딩박스검수자모집|에이모"


def test_links_headers_and_garbage():
    assert first_link("", '<a href="https://x.kr/">home</a><a href="https://x.kr/p/1">p</a>') == "https://x.kr/p/1"
    assert first_link("", '<a href="https://click.x.kr/ls/click?u=1">go</a>') == "https://click.x.kr/ls/click?u=1"
    assert first_link("see https://x.kr/unsubscribe?u=1 or https://x.kr/job/7.", "") == "https://x.kr/job/7"
    assert first_link("", '<a href="javascript:go()">x</a><a href="mailto:a@b.kr">m</a>') == ""
    assert header_text("=?EUC-KR?B?vL+3usauvbrFuA==?=") == "셀렉트스타"
    with pytest.raises(ScrapeError, match="메일 내용이 비어 있습니다"):
        read_message(b"")
    assert read_message(b"Subject: no link\r\n\r\njust text") is None


def test_parse_email_command_reads_one_eml_offline():
    done = subprocess.run([sys.executable, "-m", "tracker.scrapers", "parse", "email",
                           str(MAIL / "crowdworks_new_project.eml")], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert (row["title"], row["organization"], row["url"], row["deadline"], row["pay_amount"]) == (
        "[크라우드웍스] 새 프로젝트가 열렸어요: 간판 이미지 OCR 텍스트 입력", "크라우드웍스",
        "https://www.crowdworks.kr/project/detail/58213", "2026-12-11", 50)


# -- the mailbox over IMAP -----------------------------------------------------------------------

@needs_openssl
def test_reads_the_platforms_mails_over_tls_without_changing_anything(tmp_path):
    with ImapServer(folders={"INBOX": all_mails()}, tmpdir=tmp_path) as server:
        raws = source(tls_env(server), senders=PLATFORMS).collect(TODAY)
    assert [r.organization for r in raws] == ["크라우드웍스", "에이모", "셀렉트스타"]  # newest first
    assert [r.url for r in raws] == ["https://www.crowdworks.kr/project/detail/58213",
                                     "https://app.aimo.ai/projects/4471",
                                     "https://cashmission.selectstar.ai/missions/voice-2611?ref=mail"]
    # read-only: EXAMINE, BODY.PEEK[], nothing stored, flagged, moved or deleted
    assert server.writes == [] and server.seen() == []
    verbs = [c.split(" ")[1].upper() for c in server.commands]
    assert "EXAMINE" in verbs and "SELECT" not in verbs
    assert all("BODY.PEEK[]" in c for c in server.commands if " FETCH " in c.upper())
    assert not any(server.password in c for c in server.commands)


@needs_openssl
def test_subject_filter_folder_and_since_days(tmp_path):
    folders = {"INBOX": [], "Labeling": all_mails()}
    with ImapServer(folders=folders, tmpdir=tmp_path) as server:
        env = tls_env(server)
        raws = source(env, folder="Labeling", subjects=["모집"]).collect(TODAY)
        assert [r.organization for r in raws] == ["에이모"]
        recent = source(env, folder="Labeling", senders=PLATFORMS, since_days=5).collect(TODAY)
        assert [r.organization for r in recent] == ["크라우드웍스"]  # 11/26 onward only
        few = source(env, folder="Labeling", max_messages=1).collect(TODAY)
        assert [r.organization for r in few] == ["크라우드웍스"]
        with pytest.raises(ScrapeError, match="메일함 폴더 'Archive'를 열지 못했습니다"):
            source(env, folder="Archive").collect(TODAY)


@needs_openssl
def test_wrong_password_is_a_korean_error_without_the_password(tmp_path):
    with ImapServer(folders={"INBOX": all_mails()}, tmpdir=tmp_path) as server:
        env = tls_env(server)
        env["TRACKER_IMAP_URL"] = server.url(password="wrong-secret-99")
        with pytest.raises(ScrapeError) as caught:
            source(env).collect(TODAY)
    assert str(caught.value) == "메일함에 로그인하지 못했습니다: 사용자 이름과 앱 비밀번호를 확인하세요."
    assert server.logins == 0


@needs_openssl
def test_an_untrusted_certificate_is_refused(tmp_path):
    with ImapServer(folders={"INBOX": all_mails()}, tmpdir=tmp_path) as server:
        with pytest.raises(ScrapeError, match=r"TLS 인증서를 확인하지 못했습니다.*TRACKER_IMAP_CAFILE"):
            source({"TRACKER_IMAP_URL": server.url()}).collect(TODAY)
        assert server.logins == 0


def test_plain_imap_only_when_private_urls_are_allowed():
    with ImapServer(folders={"INBOX": all_mails()}, tls=False) as server:
        url = server.url()
        refused = source({"TRACKER_IMAP_URL": url})
        assert refused.disabled_reason() == (
            "TRACKER_IMAP_URL가 암호화하지 않는 imap://입니다: imaps://(TLS)로 적어 주세요.")
        allowed = source({"TRACKER_IMAP_URL": url, "TRACKER_ALLOW_PRIVATE_URLS": "1"}, senders=["aimo.ai"])
        assert allowed.disabled_reason() is None
        assert [r.title for r in allowed.collect(TODAY)] == ["(광고)[에이모] 바운딩박스 검수자 모집"]
        assert server.writes == [] and server.seen() == []


def test_off_with_a_reason_and_bad_settings():
    assert source({}).disabled_reason() == (
        "메일함 주소가 없습니다: 환경 변수 TRACKER_IMAP_URL에 imaps://사용자:앱비밀번호@서버를 넣으면 켜집니다.")
    assert source({"TRACKER_IMAP_URL": "https://mail.example.com"}).disabled_reason() == (
        "TRACKER_IMAP_URL는 imaps://사용자:앱비밀번호@서버 꼴이어야 합니다.")
    assert source({"TRACKER_IMAP_URL": "imaps://imap.example.com"}).disabled_reason().startswith(
        "TRACKER_IMAP_URL에 서버, 사용자 이름, 앱 비밀번호가 모두 있어야 합니다")
    good = {"TRACKER_IMAP_URL": "imaps://me:pw12345@imap.example.com"}
    assert source(good, senders="crowdworks.kr").disabled_reason() is None
    assert source(good, senders=[1]).disabled_reason() == (
        '메일 소스의 senders는 문자열 목록이어야 합니다 (예: senders = ["crowdworks.kr"]).')
    assert source(good, max_messages=0).disabled_reason() == "메일 소스의 max_messages는 1부터 500까지의 정수여야 합니다."
    assert KINDS["email"] is MailSource and source(good).secrets() == {
        "imaps://me:pw12345@imap.example.com", "pw12345"}


def test_a_server_that_is_not_there(tmp_path):
    port = free_port()
    env = {"TRACKER_IMAP_URL": f"imaps://me:pw12345@127.0.0.1:{port}"}
    with pytest.raises(ScrapeError) as caught:
        source(env).collect(TODAY, timeout=5)
    assert str(caught.value).startswith(f"메일 서버(127.0.0.1:{port})에 연결하지 못했습니다: ")
    assert "pw12345" not in str(caught.value)


@needs_openssl
def test_mails_are_stored_once_however_often_they_are_read(tmp_path, engine):
    from sqlmodel import Session, select

    from tracker.models import Posting
    from tracker.scrapers.store import save_postings

    config = SourceConfig(name="플랫폼 메일", kind="email", options={"senders": PLATFORMS})
    now = datetime(2026, 12, 1, 8, tzinfo=KST)
    with ImapServer(folders={"INBOX": all_mails()}, tmpdir=tmp_path) as server:
        mail = MailSource(config, tls_env(server))
        for expected_new in (3, 0):
            rows = [normalize(raw, config, TODAY) for raw in mail.collect(TODAY)]
            with Session(engine) as session:
                assert save_postings(session, rows, now) == expected_new
                session.commit()
    with Session(engine) as session:
        stored = session.exec(select(Posting).order_by(Posting.published)).all()
    assert [(p.organization, p.deadline, p.pay_amount, p.source_kind) for p in stored] == [
        ("셀렉트스타", date(2026, 12, 9), 100, "email"),
        ("에이모", date(2026, 12, 5), None, "email"),
        ("크라우드웍스", date(2026, 12, 11), 50, "email"),
    ]


@needs_openssl
def test_the_radar_run_reads_the_mailbox_and_saves_its_postings(tmp_path, engine):
    from sqlmodel import Session, select

    from tracker.models import Posting, SourceState
    from tracker.scrapers.runner import run_sources

    config = SourceConfig(name="플랫폼 메일", kind="email", options={"senders": PLATFORMS})
    with ImapServer(folders={"INBOX": all_mails()}, tmpdir=tmp_path) as server:
        (first,) = run_sources(engine, [config], env=tls_env(server))
        (again,) = run_sources(engine, [config], env=tls_env(server))
        assert server.writes == [] and server.seen() == []
    assert (first.ok, first.error, first.items, first.new) == (True, "", 3, 3)
    assert (again.ok, again.new, again.layout_warning) == (True, 0, "")
    with Session(engine) as session:
        assert sorted(p.organization for p in session.exec(select(Posting)).all()) == ["셀렉트스타", "에이모", "크라우드웍스"]
        state = session.get(SourceState, "플랫폼 메일")
        assert (state.kind, state.consecutive_failures, state.item_count) == ("email", 0, 3)
