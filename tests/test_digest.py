"""The digest (`python -m tracker digest`): exact subject and text, sent to a real SMTP server and a
webhook on 127.0.0.1, remembered so a second run sends nothing, a failing channel apart from the
other, secrets never printed, --dry-run sending and recording nothing."""
from __future__ import annotations

import logging
import re
import socket
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from tests.mailserver import PASSWORD, USER, MailServer, WebhookSink, make_cert
from tests.test_fit import me  # noqa: F401  (a ledger with 음성 전사 ₩18,139/h and 박스 ₩15,000/h)
from tracker import ledger, preferences
from tracker.__main__ import main
from tracker.alerts import NO_CHANNEL, NOTHING_NEW, ChannelError, channels, chat_safe, collect, parse_smtp_url, render
from tracker.alerts import send_email, webhook_body
from tracker.alerts.compose import tax_items
from tracker.db import session_scope
from tracker.models import Posting
from tracker.timeutil import now_kst

TODAY = date(2026, 11, 22)  # a Sunday
TOKEN = "xoxb-very-secret-token-123"
ENV = ("TRACKER_SMTP_URL", "TRACKER_DIGEST_TO", "TRACKER_DIGEST_FROM", "TRACKER_WEBHOOK_URL",
       "TRACKER_ALLOW_PRIVATE_URLS", "SSL_CERT_FILE")

SUBJECT = "[라벨장부] 11월 22일 알림: 새 공고 1건 · 늦어진 돈 1건 · 입금 예정 1건"
LINES = [
    "라벨장부 알림 · 2026년 11월 22일(일)",
    "",
    "■ 새 모집 공고 1건",
    "- 데이터 라벨러 재택 모집 · 에이모 · 건당 150원 · 재택 · 마감 2026-12-05(토)",
    "  https://example.com/jobs/1",
    "",
    "■ 늦어진 돈 (지급 예정일이 지남) 1건, 합계 ₩43,515",
    "- 크라우드웍스 · 간판 OCR · 2026-10 작업분 ₩43,515 · 예정일 2026-11-10(화), 12일 지남",
    "",
    "■ 7일 안에 들어올 돈 1건, 합계 ₩96,700",
    "- 2026-11-25(수) 에이모 (프로젝트 없이 기록한 지급) · 2026-10 작업분 ₩96,700",
    "",
    "— python -m tracker digest가 보냈습니다. 받을 내용은 설정·백업 페이지의 '알림'에서 고릅니다.",
]
TEXT = "\n".join(LINES)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_TODAY", TODAY.isoformat())


def add_posting(engine, n: int, title: str, *, org="에이모", pay="건당 150원", kinds="bounding_box", remote=True,
                deadline=date(2026, 12, 5), status="new", first_seen: datetime | None = None,
                amount: int | None = None, unit: str | None = None) -> int:
    with session_scope(engine) as session:
        row = Posting(source="test", source_kind="rss", url=f"https://example.com/jobs/{n}", title=title,
                      organization=org, dedupe_key=f"k{n}", pay_text=pay, task_types=kinds, remote=remote,
                      deadline=deadline, status=status, first_seen=first_seen or now_kst(), pay_amount=amount,
                      pay_unit=unit)
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def ledger_db(engine, company_id, project_id):
    """One overdue payment (₩43,515 due 11-10), one due in 3 days (₩96,700 on 11-25), three postings of
    which one passes the filters (the others: hidden; '정규직', which the settings exclude)."""
    ledger.create_payment(engine, {"company_id": company_id, "project_id": project_id, "work_month": date(2026, 10, 1),
                                   "gross": 45_000, "income_tax": 1_350, "local_tax": 135, "net": 43_515,
                                   "expected_date": date(2026, 11, 10)})
    other = ledger.create_company(engine, {"name": "에이모", "pay_months_after": 1, "pay_day": 25})
    ledger.create_payment(engine, {"company_id": other, "work_month": date(2026, 10, 1), "gross": 100_000,
                                   "income_tax": 3_000, "local_tax": 300, "net": 96_700,
                                   "expected_date": date(2026, 11, 25)})
    add_posting(engine, 1, "데이터 라벨러 재택 모집")
    add_posting(engine, 2, "라벨링 정규직 채용")
    add_posting(engine, 3, "숨긴 공고", status="hidden")
    preferences.save(engine, {"radar_exclude": "정규직"})
    return engine


def digest_rows(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT channel, subject FROM digest_log ORDER BY id"))]


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\S+ [A-Z]+ ")


def run_cli(capsys, db_url, *extra) -> tuple[int, str, str]:
    """Exit code, stdout, and stderr without the timestamped log lines (those are checked through caplog)."""
    code = main(["--db", db_url, "digest", *extra])
    out, err = capsys.readouterr()
    return code, out, "".join(line for line in err.splitlines(keepends=True) if not LOG_LINE.match(line))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- what it says


def test_subject_and_text_exactly(ledger_db):
    prefs = preferences.load(ledger_db).values
    items = collect(ledger_db, prefs, TODAY, now_kst() - timedelta(days=7))
    assert [i.key.split(":")[0] for i in items] == ["posting", "overdue", "due"]
    assert render(items, TODAY) == (SUBJECT, TEXT)


def test_sections_follow_the_settings(ledger_db):
    preferences.save(ledger_db, {"digest_postings": False, "digest_pay_dates": False})
    items = collect(ledger_db, preferences.load(ledger_db).values, TODAY, now_kst() - timedelta(days=7))
    assert [i.section for i in items] == ["overdue"]
    assert render(items, TODAY)[0] == "[라벨장부] 11월 22일 알림: 늦어진 돈 1건"


def test_radar_filters_choose_the_postings(engine):
    add_posting(engine, 1, "음성 전사 작업자 모집", kinds="transcription", remote=False)
    add_posting(engine, 2, "바운딩 박스 재택 라벨러", kinds="bounding_box", remote=True)
    add_posting(engine, 3, "OCR 검수 재택", kinds="ocr,inspection", remote=True, org="셀렉트스타")

    def titles(**settings) -> list[str]:
        prefs = preferences.validate(settings)
        items = collect(engine, prefs.model_copy(update={"digest_overdue": False, "digest_pay_dates": False,
                                                         "digest_tax": False}),
                        TODAY, now_kst() - timedelta(days=1))
        return [i.lines[0].removeprefix("- ").split(" · ")[0] for i in items]

    assert titles() == ["OCR 검수 재택", "바운딩 박스 재택 라벨러", "음성 전사 작업자 모집"]
    assert titles(radar_remote_only=True) == ["OCR 검수 재택", "바운딩 박스 재택 라벨러"]
    assert titles(radar_task_types=["transcription", "ocr"]) == ["OCR 검수 재택", "음성 전사 작업자 모집"]
    assert titles(radar_include="셀렉트스타, 음성") == ["OCR 검수 재택", "음성 전사 작업자 모집"]
    assert titles(radar_exclude="검수") == ["바운딩 박스 재택 라벨러", "음성 전사 작업자 모집"]


def test_postings_first_seen_before_the_window_are_not_news(engine):
    add_posting(engine, 1, "지난달 공고", first_seen=now_kst() - timedelta(days=30))
    add_posting(engine, 2, "오늘 공고")
    items = collect(engine, preferences.DEFAULTS, TODAY, now_kst() - timedelta(days=7))
    assert [i.lines[0].split(" · ")[0] for i in items if i.section == "postings"] == ["- 오늘 공고"]


def test_an_opening_above_my_usual_rate_says_so(engine, me):  # noqa: F811 (tests.test_fit's ledger)
    add_posting(engine, 1, "차량 박스 재택 검수자", pay="시급 20,000원", amount=20_000, unit="hour", deadline=None)
    add_posting(engine, 2, "박스 작업 시급 12,000원", pay="시급 12,000원", amount=12_000, unit="hour", deadline=None)
    items = collect(engine, preferences.DEFAULTS.model_copy(update={"digest_overdue": False, "digest_pay_dates": False,
                                                                    "digest_tax": False}),
                    TODAY, now_kst() - timedelta(days=1))
    assert [i.lines for i in items] == [
        ("- 박스 작업 시급 12,000원 · 에이모 · 시급 12,000원 · 재택", "  https://example.com/jobs/2"),
        ("- 차량 박스 재택 검수자 · 에이모 · 시급 20,000원 · 재택",
         "  ↑ 바운딩 박스 시간당 20,000원: 내 시급 ₩15,000보다 ₩5,000 많습니다", "  https://example.com/jobs/1")]


def test_the_may_return_countdown_and_the_health_meter(engine, company_id):
    # 2025 income is filed by 2026-06-01 (May 31 is a Sunday): D-7 on 2026-05-25
    items = tax_items(engine, date(2026, 5, 25))
    assert [(i.key, i.lines) for i in items] == [
        ("filing:2025:d7", ("- 2025년 귀속 종합소득세 신고·납부 마감 D-7: 2026-06-01(월)까지",))]
    assert tax_items(engine, date(2026, 4, 20))[0].key == "filing:2025:open"
    assert tax_items(engine, date(2026, 5, 2))[0].key == "filing:2025:d30"
    assert tax_items(engine, date(2026, 11, 22)) == []  # no countdown, and no income near the line
    # ₩14,000,000 received this year without 사업자등록: 피부양자 is lost (README's worked example)
    ledger.create_payment(engine, {"company_id": company_id, "work_month": date(2026, 9, 1), "gross": 14_000_000,
                                   "income_tax": 420_000, "local_tax": 42_000, "net": 13_538_000,
                                   "expected_date": date(2026, 10, 10), "received_date": date(2026, 10, 10)})
    (health,) = tax_items(engine, TODAY)
    assert health.key == "health:2026:dependent:over"
    assert health.lines[0].startswith("- 건강보험 피부양자 선. 2026년 사업소득 수입: 지금까지 14,000,000원")
    assert health.lines[0].endswith(": 이미 넘었습니다.")


def test_chat_markup_from_scraped_titles_is_inert():
    body = webhook_body("제목", "- @everyone <!channel> 모집 <https://evil.example|여기>")
    assert body == {"text": "제목\n\n- @\u200beveryone ‹!channel› 모집 ‹https://evil.example|여기›",
                    "content": "제목\n\n- @\u200beveryone ‹!channel› 모집 ‹https://evil.example|여기›",
                    "allowed_mentions": {"parse": []}}
    long = webhook_body("제목", "가" * 3000)
    assert len(long["content"]) == 2000 and long["content"].endswith("…") and len(long["text"]) == 3004


# ---------------------------------------------------------------- e-mail


def test_email_over_plain_smtp_then_nothing_new(ledger_db, db_url, capsys, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    with MailServer("plain") as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
        monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com, partner@example.org")
        code, out, err = run_cli(capsys, db_url)
        assert (code, err) == (0, "")
        assert out == (f"이메일로 보냈습니다: 항목 3개 · 받는 사람 me***@example.com, pa***@example.org, "
                       f"서버 127.0.0.1:{server.port} (암호화 없음)\n")
        (mail,) = server.received
        assert mail.rcpt_tos == ["me@example.com", "partner@example.org"]
        assert mail.mail_from == USER and mail.login == USER and not mail.encrypted
        assert mail.message["Subject"] == SUBJECT
        assert mail.message["From"] == USER
        assert mail.message["To"] == "me@example.com, partner@example.org"
        assert mail.message.get_content_type() == "text/plain"
        assert mail.message.get_content().rstrip("\n").splitlines() == LINES
        assert digest_rows(ledger_db) == [("email", SUBJECT)]

        code, out, err = run_cli(capsys, db_url)  # the same items again: nothing goes out
        assert (code, out, err) == (0, NOTHING_NEW + "\n", "")
        assert len(server.received) == 1 and len(digest_rows(ledger_db)) == 1

        add_posting(ledger_db, 4, "새로 올라온 검수자 모집", kinds="inspection", deadline=None, pay="", remote=False)
        code, out, err = run_cli(capsys, db_url)
        assert code == 0 and out.startswith("이메일로 보냈습니다: 항목 1개")
        assert server.received[1].message["Subject"] == "[라벨장부] 11월 22일 알림: 새 공고 1건"
        assert server.received[1].message.get_content().splitlines()[2:5] == [
            "■ 새 모집 공고 1건", "- 새로 올라온 검수자 모집 · 에이모", "  https://example.com/jobs/4"]
    assert PASSWORD not in out + err + caplog.text


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    made = make_cert(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("openssl is not installed: no certificate for the TLS tests")
    return made


def test_starttls_is_used_when_the_server_offers_it(ledger_db, db_url, capsys, monkeypatch, cert):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))  # trust the test's self-signed certificate
    with MailServer("starttls", cert=cert) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
        monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com")
        code, out, err = run_cli(capsys, db_url)
    assert (code, err) == (0, "")
    assert out.endswith(f"서버 127.0.0.1:{server.port} (STARTTLS)\n")
    (mail,) = server.received
    assert mail.encrypted and mail.login == USER and mail.message["Subject"] == SUBJECT


def test_smtps_speaks_tls_from_the_start(ledger_db, db_url, capsys, monkeypatch, cert):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))
    with MailServer("smtps", cert=cert) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
        monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com")
        monkeypatch.setenv("TRACKER_DIGEST_FROM", "라벨장부 <ledger@example.com>")
        code, out, err = run_cli(capsys, db_url)
    assert (code, err) == (0, "")
    assert out.endswith(f"서버 127.0.0.1:{server.port} (smtps)\n")
    (mail,) = server.received
    assert mail.encrypted and mail.mail_from == "ledger@example.com"
    assert mail.message["From"] == "라벨장부 <ledger@example.com>"
    assert mail.message.get_content().rstrip("\n").splitlines() == LINES


def test_an_untrusted_certificate_is_refused_and_nothing_recorded(ledger_db, db_url, capsys, monkeypatch, cert):
    with MailServer("starttls", cert=cert) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
        monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com")
        code, out, err = run_cli(capsys, db_url)
    assert (code, out) == (1, "")
    assert err == (f"이메일로 보내지 못했습니다: 이메일 서버 127.0.0.1:{server.port}의 인증서를 믿을 수 없어 보내지 "
                   "않았습니다: self-signed certificate\n")
    assert server.received == [] and server.logins == [] and digest_rows(ledger_db) == []


def test_a_password_is_not_sent_unencrypted_to_another_computer(monkeypatch):
    monkeypatch.setattr(channels, "_loopback", lambda host: False)
    with MailServer("plain") as server:
        with pytest.raises(ChannelError) as refused:
            send_email(parse_smtp_url(server.url()), USER, ["me@example.com"], "제목", "본문")
    assert str(refused.value) == (f"이메일 서버 127.0.0.1:{server.port}가 STARTTLS를 지원하지 않아 비밀번호를 암호화 "
                                  "없이 보내지 않았습니다. 서버가 지원하면 smtps://로 쓰세요.")
    assert server.logins == [] and server.received == []


def test_a_refused_login_shows_no_password(ledger_db, db_url, capsys, monkeypatch):
    with MailServer("plain", reject_login=True) as server:
        monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
        monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com")
        code, out, err = run_cli(capsys, db_url)
    assert (code, out) == (1, "")
    assert err == (f"이메일로 보내지 못했습니다: 이메일 서버 127.0.0.1:{server.port}가 로그인을 거절했습니다 (535). "
                   "사용자 이름과 비밀번호(Gmail·네이버는 앱 비밀번호)를 확인하세요.\n")
    assert PASSWORD not in err and digest_rows(ledger_db) == []


def test_smtp_url_forms():
    assert parse_smtp_url("smtp://me%40example.com:p%40ss@smtp.example.com") == channels.SmtpConfig(
        "smtp.example.com", 587, False, "me@example.com", "p@ss")
    assert parse_smtp_url("smtps://me@example.com:pw@smtp.example.com") == channels.SmtpConfig(
        "smtp.example.com", 465, True, "me@example.com", "pw")
    for bad in ("http://x", "smtp://", "smtp://host:port"):
        with pytest.raises(ChannelError):
            parse_smtp_url(bad)


# ---------------------------------------------------------------- webhook


def test_webhook_post_then_nothing_new(ledger_db, db_url, capsys, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
        code, out, err = run_cli(capsys, db_url)
        assert (code, err) == (0, "")
        assert out == "웹훅으로 보냈습니다: 항목 3개 · 127.0.0.1 (HTTP 200)\n"
        (post,) = hook.posts
        port = hook.httpd.server_address[1]
        assert post.path == f"/hooks/T0001/B0002/{TOKEN}"
        assert post.headers["Content-Type"] == "application/json"
        whole = f"{SUBJECT}\n\n{TEXT}"
        assert post.json() == {"text": whole, "content": whole, "allowed_mentions": {"parse": []}}
        assert chat_safe(whole) == whole
        assert digest_rows(ledger_db) == [("webhook", SUBJECT)]

        assert run_cli(capsys, db_url) == (0, NOTHING_NEW + "\n", "")
        assert len(hook.posts) == 1
    assert TOKEN not in out + err + caplog.text
    assert f"POST http://127.0.0.1:{port}*** " in caplog.text  # httpx's own request line, the path masked


def test_a_private_webhook_address_needs_the_switch(ledger_db, db_url, capsys, monkeypatch):
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        code, out, err = run_cli(capsys, db_url)
    assert (code, out) == (1, "")
    assert err == ("웹훅으로 보내지 못했습니다: 웹훅 주소로 보내지 않았습니다: 내부망 주소라 연결하지 않았습니다: 127.0.0.1 "
                   "(루프백 주소: 이 컴퓨터 자신). 이 컴퓨터나 내부망의 주소를 일부러 읽으려면 환경 변수 "
                   "TRACKER_ALLOW_PRIVATE_URLS=1을 설정하세요.\n")
    assert hook.posts == [] and digest_rows(ledger_db) == []


def test_a_webhook_error_echoing_the_token_is_masked(ledger_db, db_url, capsys, monkeypatch):
    with WebhookSink(status=404, reply=f"no such hook: {TOKEN}".encode()) as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
        code, out, err = run_cli(capsys, db_url)
    assert (code, out) == (1, "")
    assert err == "웹훅으로 보내지 못했습니다: 웹훅 서버 127.0.0.1가 HTTP 404로 거절했습니다: no such hook: ***\n"
    assert len(hook.posts) == 1 and digest_rows(ledger_db) == []


# ---------------------------------------------------------------- both, failures, dry run


def test_a_failing_channel_does_not_stop_the_other_and_catches_up_later(ledger_db, db_url, capsys, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("TRACKER_SMTP_URL", f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}")
    monkeypatch.setenv("TRACKER_DIGEST_TO", "me@example.com")
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        code, out, err = run_cli(capsys, db_url)
        assert code == 1
        assert err == f"이메일로 보내지 못했습니다: 이메일 서버 127.0.0.1:{port}에 연결하지 못했습니다: Connection refused\n"
        assert out == "웹훅으로 보냈습니다: 항목 3개 · 127.0.0.1 (HTTP 200)\n"
        assert len(hook.posts) == 1 and digest_rows(ledger_db) == [("webhook", SUBJECT)]
        assert PASSWORD not in out + err

        with MailServer("plain") as server:  # the mail server is back: e-mail catches up, the webhook has nothing new
            monkeypatch.setenv("TRACKER_SMTP_URL", server.url())
            code, out, err = run_cli(capsys, db_url)
        assert (code, err) == (0, "")
        assert out.startswith("이메일로 보냈습니다: 항목 3개")
        assert server.received[0].message["Subject"] == SUBJECT
        assert len(hook.posts) == 1
        assert digest_rows(ledger_db) == [("webhook", SUBJECT), ("email", SUBJECT)]


def test_dry_run_prints_and_neither_sends_nor_records(ledger_db, db_url, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        code, out, err = run_cli(capsys, db_url, "--dry-run")
        assert (code, err) == (0, "")
        assert out == f"(미리 보기 · 웹훅: 보내지도, 기록하지도 않습니다.)\n제목: {SUBJECT}\n\n{TEXT}\n\n"
        assert hook.posts == [] and digest_rows(ledger_db) == []
        run_cli(capsys, db_url)  # a real run after it still has everything to send
        assert len(hook.posts) == 1
        assert run_cli(capsys, db_url, "--dry-run") == (
            0, "(미리 보기 · 웹훅: 보내지도, 기록하지도 않습니다.)\n새로 알릴 것이 없습니다.\n", "")


def test_without_any_channel(ledger_db, db_url, capsys):
    assert run_cli(capsys, db_url) == (2, "", NO_CHANNEL + "\n")
    code, out, err = run_cli(capsys, db_url, "--dry-run")
    assert (code, err) == (0, "")
    assert out.startswith(f"(미리 보기: 보낼 곳이 설정되지 않았습니다. 보내지도, 기록하지도 않습니다.)\n제목: {SUBJECT}\n")
    assert digest_rows(ledger_db) == []


def test_a_channel_switched_off_in_the_settings_is_not_used(ledger_db, db_url, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
    preferences.save(ledger_db, {"digest_webhook": False})
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        assert run_cli(capsys, db_url) == (2, "", NO_CHANNEL + "\n")
    assert hook.posts == []


def test_half_set_up_email_says_what_is_missing(ledger_db, db_url, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_SMTP_URL", f"smtp://{USER}:{PASSWORD}@127.0.0.1:25")
    code, out, err = run_cli(capsys, db_url)
    assert code == 2
    assert err == ("이메일: TRACKER_SMTP_URL은 있지만 받는 사람(TRACKER_DIGEST_TO)이 없습니다.\n" + NO_CHANNEL + "\n")


def test_digest_log_keeps_the_keys(ledger_db, db_url, capsys, monkeypatch):
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        run_cli(capsys, db_url)
    with Session(ledger_db) as session:
        from tracker.models import DigestLog

        (row,) = session.exec(sa.select(DigestLog)).scalars().all()
    assert row.channel == "webhook" and row.subject == SUBJECT and row.text == TEXT
    keys = __import__("json").loads(row.item_keys)
    assert [k.split(":")[0] for k in keys] == ["posting", "overdue", "due"]
    assert keys[1].endswith(":2026-11-10") and keys[2].endswith(":2026-11-25")
    assert len(row.items_hash) == 64


def test_a_broken_section_is_left_out_and_the_rest_goes(ledger_db, db_url, capsys, monkeypatch):
    from tracker.alerts import compose

    def broken(engine, today):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(compose, "tax_items", broken)
    monkeypatch.setenv("TRACKER_ALLOW_PRIVATE_URLS", "1")
    with WebhookSink() as hook:
        monkeypatch.setenv("TRACKER_WEBHOOK_URL", hook.url())
        code, out, err = run_cli(capsys, db_url)
    assert code == 1
    assert err == ("이번 알림에서 '세금·건강보험' 부분을 뺐습니다: 만드는 중에 오류가 났습니다 (ZeroDivisionError). "
                   "자세한 내용은 로그에 있습니다.\n")
    assert out == "웹훅으로 보냈습니다: 항목 3개 · 127.0.0.1 (HTTP 200)\n"
    assert hook.posts[0].json()["text"] == f"{SUBJECT}\n\n{TEXT}"
