"""Where the digest goes: e-mail over SMTP and a chat webhook. Each raises ChannelError, a Korean
sentence with every secret masked, and nothing else.

E-mail (`TRACKER_SMTP_URL`): `smtp://user:pass@host:port` (port 587 when left out) upgrades to TLS
with STARTTLS whenever the server offers it; `smtps://…` (port 465) speaks TLS from the start. The
server's certificate is checked against the system's CAs (SSL_CERT_FILE works as usual). A password
is never sent unencrypted to another computer: a server that offers no STARTTLS gets the password
only on 127.0.0.1/localhost, otherwise use smtps://. User name and password may be percent-encoded
(an address as user name: `smtp://me%40example.com:pw@…`, or unencoded — the last @ ends them).

Webhook (`TRACKER_WEBHOOK_URL`): one JSON POST `{"text": …, "content": …}` — Slack-style hooks read
"text", Discord-style ones "content" (cut to 2,000 characters) — plus `"allowed_mentions": {"parse":
[]}` so a scraped title cannot ping a whole Discord channel. The URL goes through the radar's
address guard: loopback and private-network hooks need TRACKER_ALLOW_PRIVATE_URLS=1, and redirects
are not followed. The URL's path (its token) is a secret: only the host is ever shown.
"""
from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

import httpx

from tracker.scrapers.redact import MASK, install_log_masking, mask, remember

SMTP_TIMEOUT = 20.0
WEBHOOK_TIMEOUT = 15.0
DISCORD_LIMIT = 2000
SLACK_LIMIT = 39_000
USER_AGENT = "LabelerLedger/0.1 (digest of one data labeler)"


class ChannelError(Exception):
    """A channel that did not send; `str()` is a Korean sentence without secrets."""


# ---------------------------------------------------------------- e-mail


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool  # smtps://
    username: str = ""
    password: str = ""

    @property
    def secrets(self) -> set[str]:
        return {self.password} if self.password else set()

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpConfig:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ChannelError("TRACKER_SMTP_URL을 읽을 수 없습니다: smtp://사용자:비밀번호@서버:포트 또는 smtps://… 형식으로 "
                           "쓰세요.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ChannelError("TRACKER_SMTP_URL은 smtp:// 또는 smtps://로 시작해야 합니다.")
    if not parts.hostname:
        raise ChannelError("TRACKER_SMTP_URL에 서버 주소가 없습니다: smtp://사용자:비밀번호@서버:포트")
    return SmtpConfig(parts.hostname, port or (465 if scheme == "smtps" else 587), scheme == "smtps",
                      unquote(parts.username or ""), unquote(parts.password or ""))


def smtp_secrets(url: str) -> set[str]:
    """The password of an SMTP URL, raw and as written (percent-encoded), even when it does not parse."""
    try:
        parts = urlsplit(url.strip())
        password = parts.password or ""
    except ValueError:
        return set()
    return {p for p in (password, unquote(password)) if p}


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mask_address(address: str) -> str:
    """'labeler@example.com' → 'la***@example.com' (the settings page and the CLI show no more)."""
    local, at, domain = address.strip().partition("@")
    if not at:
        return local[:2] + MASK
    return f"{local[:2]}{MASK}@{domain}"


def build_message(sender: str, recipients: list[str], subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="labeler-ledger.local")
    message.set_content(text)
    return message


def send_email(config: SmtpConfig, sender: str, recipients: list[str], subject: str, text: str, *,
               context: ssl.SSLContext | None = None, timeout: float = SMTP_TIMEOUT) -> bool:
    """Send one message; returns True when the connection was encrypted (smtps or STARTTLS)."""
    context = context or ssl.create_default_context()
    message = build_message(sender, recipients, subject, text)
    secrets = config.secrets
    try:
        if config.implicit_tls:
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=timeout)
        with client:
            client.ehlo()
            secure = config.implicit_tls
            if not secure and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                secure = True
            if config.username:
                if not secure and not _loopback(config.host):
                    raise ChannelError(f"이메일 서버 {config.where}가 STARTTLS를 지원하지 않아 비밀번호를 암호화 없이 "
                                       "보내지 않았습니다. 서버가 지원하면 smtps://로 쓰세요.")
                client.login(config.username, config.password)
            client.send_message(message, from_addr=sender, to_addrs=recipients)
            return secure
    except ChannelError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise ChannelError(mask(f"이메일 서버 {config.where}가 로그인을 거절했습니다 ({exc.smtp_code}). 사용자 이름과 "
                                "비밀번호(Gmail·네이버는 앱 비밀번호)를 확인하세요.", secrets)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(mask_address(a) for a in exc.recipients)
        raise ChannelError(f"이메일 서버 {config.where}가 받는 사람을 거절했습니다: {refused}") from None
    except smtplib.SMTPNotSupportedError:
        raise ChannelError(f"이메일 서버 {config.where}가 로그인(AUTH)을 지원하지 않습니다. TRACKER_SMTP_URL에서 "
                           "사용자 이름과 비밀번호를 빼 보세요.") from None
    except ssl.SSLCertVerificationError as exc:
        raise ChannelError(mask(f"이메일 서버 {config.where}의 인증서를 믿을 수 없어 보내지 않았습니다: "
                                f"{exc.verify_message}", secrets)) from None
    except ssl.SSLError as exc:
        raise ChannelError(f"이메일 서버 {config.where}와 암호화 연결(TLS)을 맺지 못했습니다: "
                           f"{exc.reason or type(exc).__name__}. smtp://와 smtps://, 포트를 확인하세요.") from None
    except (TimeoutError, socket.timeout):
        raise ChannelError(f"이메일 서버 {config.where}가 {timeout:g}초 안에 답하지 않았습니다.") from None
    except smtplib.SMTPServerDisconnected:
        raise ChannelError(f"이메일 서버 {config.where}가 연결을 끊었습니다. smtp://와 smtps://, 포트를 "
                           "확인하세요.") from None
    except smtplib.SMTPException as exc:
        raise ChannelError(mask(f"이메일 서버 {config.where}가 보내기를 거절했습니다: {exc}", secrets)) from None
    except socket.gaierror:
        raise ChannelError(f"이메일 서버 주소 {config.host}를 찾지 못했습니다 (DNS).") from None
    except OSError as exc:
        raise ChannelError(f"이메일 서버 {config.where}에 연결하지 못했습니다: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- webhook


def webhook_secrets(url: str) -> set[str]:
    """What of a webhook URL is secret: everything after the host (the token lives there)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return {url.strip()} if url.strip() else set()
    found: set[str] = set()
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    if len(tail) > 1:
        found.add(tail)
    found.update(segment for segment in parts.path.split("/") if len(segment) >= 8)
    if parts.query:
        found.add(parts.query)
    return {s for s in found if s}


def webhook_host(url: str) -> str:
    """The part of a webhook URL that may be shown: its host."""
    try:
        return urlsplit(url.strip()).hostname or "?"
    except ValueError:
        return "?"


def chat_safe(text: str) -> str:
    """Chat markup made inert: Slack's <!channel>/<url|label> and @mentions do nothing."""
    return text.replace("<", "‹").replace(">", "›").replace("@", "@\u200b")


def webhook_body(subject: str, text: str) -> dict:
    whole = chat_safe(f"{subject}\n\n{text}")
    content = whole if len(whole) <= DISCORD_LIMIT else whole[:DISCORD_LIMIT - 1] + "…"
    return {"text": whole[:SLACK_LIMIT], "content": content, "allowed_mentions": {"parse": []}}


def send_webhook(url: str, subject: str, text: str, *, timeout: float = WEBHOOK_TIMEOUT) -> int:
    """POST the digest; returns the HTTP status (2xx)."""
    from tracker.scrapers.base import ScrapeError
    from tracker.scrapers.guard import AddressGuard, guarded_transport

    secrets = webhook_secrets(url)
    remember(secrets)
    install_log_masking()
    host = webhook_host(url)
    guard = AddressGuard()
    try:
        guard.check_url(url)
        with httpx.Client(transport=guarded_transport(guard), timeout=timeout, follow_redirects=False,
                          headers={"User-Agent": USER_AGENT}) as client:
            response = client.post(url, json=webhook_body(subject, text))
    except ScrapeError as exc:
        raise ChannelError(mask(f"웹훅 주소로 보내지 않았습니다: {exc}", secrets)) from None
    except httpx.TimeoutException:
        raise ChannelError(f"웹훅 서버 {host}가 {timeout:g}초 안에 답하지 않았습니다.") from None
    except httpx.HTTPError as exc:
        raise ChannelError(mask(f"웹훅 서버 {host}에 보내지 못했습니다: {type(exc).__name__}", secrets)) from None
    if not 200 <= response.status_code < 300:
        said = " ".join(response.text.split())[:200]
        raise ChannelError(mask(f"웹훅 서버 {host}가 HTTP {response.status_code}로 거절했습니다"
                                + (f": {said}" if said else "."), secrets))
    return response.status_code
