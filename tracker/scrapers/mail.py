"""The platforms' own notification mails (new-project and recruitment mails), kind "email".

Read over IMAP from the mailbox in TRACKER_IMAP_URL, `imaps://user:app-password@host[:port]` (TLS,
port 993 by default). Plain `imap://` is refused unless TRACKER_ALLOW_PRIVATE_URLS=1 (local tests
only). TRACKER_IMAP_CAFILE names a PEM certificate to trust besides the system's (a self-hosted server).

Strictly read-only: the folder is opened with EXAMINE (read-only SELECT), messages are fetched with
BODY.PEEK[] (no \\Seen flag is set), nothing is stored, copied, moved, flagged or deleted.

Options of the [[source]] table:
    folder        the mailbox folder (default "INBOX")
    senders       mails are kept only when the From address or name contains one of these
                  (e.g. ["crowdworks.kr", "셀렉트스타"]); none: every sender
    subjects      and only when the subject contains one of these (e.g. ["모집", "프로젝트"])
    since_days    how far back to look (default 30)
    max_messages  at most this many of the newest matching mails per run (default 50)

One mail → one posting: Subject → title (a "Re:"/"Fwd:" removed; tags such as "[크라우드웍스]" or
"(광고)" stay in the title and are left out of the comparison key by normalize.dedupe_key), the
sender's display name → organisation, Date → published, the first http(s) link that is neither an
unsubscribe link nor a click-tracking redirect nor the bare home page → link (tracking parameters
removed; a tracking link only when there is no other), the body (text/plain, else the HTML's text, up
to the footer) → summary, from which normalize reads pay, deadline, task type, remote and AIDE.
Multipart, quoted-printable, base64, UTF-8 and EUC-KR/CP949 (bodies and RFC 2047 headers) are read.

The runner fetches HTTP for every other kind; this kind reads its own mailbox: `collect()`.
`parse(content, url)` reads one saved .eml file (`python -m tracker.scrapers parse email FILE.eml`).
"""
from __future__ import annotations

import email
import imaplib
import os
import re
import socket
import ssl
from datetime import date, timedelta
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from tracker.scrapers.base import ParseError, RawPosting, ScrapeError, Source, SourceDisabled
from tracker.scrapers.redact import mask, remember
from tracker.scrapers.text import canonical_url, plain_text, python_codec, to_kst

IMAP_URL_ENV = "TRACKER_IMAP_URL"
CAFILE_ENV = "TRACKER_IMAP_CAFILE"
ALLOW_PLAIN_ENV = "TRACKER_ALLOW_PRIVATE_URLS"
DEFAULT_FOLDER = "INBOX"
DEFAULT_SINCE_DAYS = 30
DEFAULT_MAX_MESSAGES = 50
TIMEOUT = 20.0
SUMMARY_LIMIT = 2000
MAX_MESSAGE_BYTES = 5 * 1024 * 1024

_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|회신|전달)\s*:\s*)+", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_UNSUBSCRIBE = re.compile(r"unsub|opt-?out|수신\s*거부|수신\s*차단|구독\s*(?:취소|해지)|메일\s*설정|알림\s*설정|"
                          r"email[-_]?pref|/preferences", re.IGNORECASE)
# Click-tracking redirectors (a mailing service's host or path), never the posting itself.
_TRACKING_HOST = re.compile(r"^(?:click|clicks|track|tracking|link|links|email|mail|em|e|go|t|r|url\d*)\.|"
                            r"list-manage\.com$|sendgrid\.net$|mailchimp|stibee\.com$|hubspotlinks\.com$|"
                            r"mandrillapp\.com$|mailgun|sparkpostmail|awstrack\.me$|exacttarget|rs6\.net$",
                            re.IGNORECASE)
_TRACKING_PATH = re.compile(r"/(?:track|tracking|click|clicks|ls/click|wf/click|open|redirect|r)(?:/|$|\?)",
                            re.IGNORECASE)
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|ico)$", re.IGNORECASE)
# Where a notification mail's footer starts: nothing after it describes the opening.
_FOOTER = re.compile(r"본\s*메일은\s*발신\s*전용|수신을\s*원하지\s*않으시면|수신\s*거부|더\s*이상\s*메일을\s*받지|"
                     r"this\s+email\s+was\s+sent|to\s+unsubscribe|unsubscribe", re.IGNORECASE)


# -- decoding -----------------------------------------------------------------------------------

def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset (EUC-KR read as CP949), else UTF-8, else CP949."""
    for codec in (python_codec(charset or "") if charset else None, "utf-8", "cp949"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def header_text(value) -> str:
    """A header as text: RFC 2047 words decoded in their charset, raw 8-bit headers as UTF-8 or CP949."""
    if value is None:
        return ""
    value = str(value)
    if re.search(r"[\udc80-\udcff]", value):  # undecodable 8-bit bytes the parser kept as surrogates
        value = _decode_bytes(value.encode("ascii", "surrogateescape"), None)
    parts = []
    try:
        chunks = decode_header(value)
    except Exception:  # a malformed encoded word: show the header as it is
        chunks = [(value, None)]
    for chunk, charset in chunks:
        parts.append(_decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)  # undoes quoted-printable and base64
    if payload is None:
        return ""
    return _decode_bytes(payload, part.get_content_charset())


def _bodies(message: Message) -> tuple[str, str]:
    """(text/plain, text/html) of the message, attachments skipped."""
    plain = html = ""
    for part in message.walk():
        if part.is_multipart():
            continue
        if (part.get_content_disposition() or "") == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and not plain:
            plain = _part_text(part)
        elif kind == "text/html" and not html:
            html = _part_text(part)
    return plain, html


class _Links(HTMLParser):
    """The <a href> links of an HTML body, in order, with their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._open.append([href, ""])

    def handle_data(self, data):
        if self._open:
            self._open[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href.strip(), re.sub(r"\s+", " ", text).strip()))


def _is_unsubscribe(url: str, text: str) -> bool:
    return bool(_UNSUBSCRIBE.search(unquote(url)) or _UNSUBSCRIBE.search(text))


def _is_tracking(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_TRACKING_HOST.search(parts.hostname or "") or _TRACKING_PATH.search(parts.path))


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def first_link(plain: str, html: str) -> str:
    """The first http(s) link that is the opening: not unsubscribe, not tracking, not a bare home
    page, not an image. Tracking links only when nothing else is there; '' when there is no link."""
    candidates: list[tuple[str, str]] = []
    if html:
        parser = _Links()
        try:
            parser.feed(html)
            parser.close()
        except Exception:  # broken markup: whatever was read so far
            pass
        candidates += parser.links
    candidates += [(url.rstrip(".,;:!?"), "") for url in _URL_IN_TEXT.findall(plain or "")]
    fallback = ""
    home = ""
    for href, text in candidates:
        url = canonical_url(href)
        if not url or _IMAGE.search(urlsplit(url).path) or _is_unsubscribe(href, text):
            continue
        if _is_tracking(url):
            fallback = fallback or url
            continue
        if _is_home(url):
            home = home or url
            continue
        return url
    return fallback or home


def _summary(plain: str, html: str) -> str:
    text = plain_text(plain) if plain.strip() else plain_text(html)
    footer = _FOOTER.search(text)
    if footer and footer.start() > 0:
        text = text[: footer.start()].rstrip()
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"


def _sender(message: Message) -> tuple[str, str]:
    """(display name, address) of From."""
    raw = header_text(message.get("From"))
    pairs = getaddresses([raw])
    name, address = pairs[0] if pairs else ("", "")
    return plain_text(name.strip().strip('"')), address.strip().lower()


def read_message(content: bytes) -> RawPosting | None:
    """One RFC 822 message as a posting, or None when it has no subject or no link."""
    if not content or not content.strip():
        raise ParseError("메일 내용이 비어 있습니다.")
    message = email.message_from_bytes(content)
    if not message.keys():
        raise ParseError("메일로 읽지 못했습니다: 머리글(From, Subject …)이 없습니다.")
    title = plain_text(_REPLY_PREFIX.sub("", header_text(message.get("Subject"))))
    plain, html = _bodies(message)
    link = first_link(plain, html)
    if not title or not link:
        return None
    name, address = _sender(message)
    published = None
    try:
        moment = parsedate_to_datetime(header_text(message.get("Date")))
        published = to_kst(moment) if moment else None
    except (TypeError, ValueError, IndexError):
        published = None
    return RawPosting(
        title=title,
        url=link,
        published=published,
        organization=name or address.rpartition("@")[2],
        summary=_summary(plain, html),
        external_id=header_text(message.get("Message-ID")).strip("<> ")[:300],
    )


def _matches(message_sender: tuple[str, str], subject: str, senders: tuple[str, ...],
             subjects: tuple[str, ...]) -> bool:
    name, address = message_sender
    who = f"{name} {address}".lower()
    if senders and not any(s.lower() in who for s in senders):
        return False
    return not subjects or any(s.lower() in subject.lower() for s in subjects)


# -- the mailbox --------------------------------------------------------------------------------

def _strings(value, key: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourceDisabled(f"메일 소스의 {key}는 문자열 목록이어야 합니다 (예: {key} = [\"crowdworks.kr\"]).")
    return tuple(v.strip() for v in value)


def _number(value, key: str, default: int, largest: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= largest:
        raise SourceDisabled(f"메일 소스의 {key}는 1부터 {largest}까지의 정수여야 합니다.")
    return value


_FETCH_UID = re.compile(rb"\bUID\s+(\d+)", re.IGNORECASE)


def _newest_first(data) -> list[bytes]:
    """The message bodies of a UID FETCH answer, highest UID first (servers answer in any order)."""
    found = []
    for item in data or []:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            match = _FETCH_UID.search(item[0] if isinstance(item[0], bytes) else b"")
            found.append((int(match.group(1)) if match else 0, item[1]))
    return [content for _uid, content in sorted(found, key=lambda pair: pair[0], reverse=True)]


def _quote_mailbox(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """Where TRACKER_IMAP_URL points: host, port, user, password, TLS or not."""

    def __init__(self, url: str, env):
        self.url = url.strip()
        parts = urlsplit(self.url)
        scheme = parts.scheme.lower()
        if scheme not in ("imaps", "imap"):
            raise SourceDisabled(f"{IMAP_URL_ENV}는 imaps://사용자:앱비밀번호@서버 꼴이어야 합니다.")
        if scheme == "imap" and env.get(ALLOW_PLAIN_ENV) != "1":
            raise SourceDisabled(f"{IMAP_URL_ENV}가 암호화하지 않는 imap://입니다: imaps://(TLS)로 적어 주세요.")
        try:
            port = parts.port
        except ValueError:
            raise SourceDisabled(f"{IMAP_URL_ENV}의 포트 번호가 올바르지 않습니다.") from None
        if not parts.hostname or not parts.username or parts.password is None:
            raise SourceDisabled(f"{IMAP_URL_ENV}에 서버, 사용자 이름, 앱 비밀번호가 모두 있어야 합니다 "
                                 "(imaps://사용자:앱비밀번호@서버).")
        self.tls = scheme == "imaps"
        self.host = parts.hostname
        self.port = port or (993 if self.tls else 143)
        self.user = unquote(parts.username)
        self.password = unquote(parts.password)
        self.cafile = (env.get(CAFILE_ENV) or "").strip()
        self.where = f"{self.host}:{self.port}"

    def secrets(self) -> set[str]:
        return {s for s in (self.url, self.password) if s}

    def connect(self, timeout: float) -> imaplib.IMAP4:
        if not self.tls:
            return imaplib.IMAP4(self.host, self.port, timeout=timeout)
        context = ssl.create_default_context()
        if self.cafile:
            try:
                context.load_verify_locations(cafile=self.cafile)
            except (OSError, ssl.SSLError):
                raise ScrapeError(f"{CAFILE_ENV}의 인증서 파일을 읽지 못했습니다: {self.cafile}") from None
        return imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=timeout)


class MailSource(Source):
    kind = "email"
    required = ()
    env_keys = (IMAP_URL_ENV,)
    #: the runner calls `collect()` instead of fetching a URL
    fetches_itself = True

    def disabled_reason(self) -> str | None:
        if not (self.env.get(IMAP_URL_ENV) or "").strip():
            return (f"메일함 주소가 없습니다: 환경 변수 {IMAP_URL_ENV}에 imaps://사용자:앱비밀번호@서버를 "
                    "넣으면 켜집니다.")
        try:
            self._settings()
            Mailbox(self.env[IMAP_URL_ENV], self._env())
        except SourceDisabled as exc:
            return str(exc)
        return None

    def _env(self):
        merged = dict(os.environ)
        merged.update(self.env)
        return merged

    def _settings(self) -> dict:
        options = self.config.options
        folder = str(options.get("folder") or DEFAULT_FOLDER).strip()
        if not folder or any(ch in folder for ch in "\r\n\x00"):
            raise SourceDisabled("메일 소스의 folder가 올바르지 않습니다.")
        return {
            "folder": folder,
            "senders": _strings(options.get("senders"), "senders"),
            "subjects": _strings(options.get("subjects"), "subjects"),
            "since_days": _number(options.get("since_days"), "since_days", DEFAULT_SINCE_DAYS, 3650),
            "max_messages": _number(options.get("max_messages"), "max_messages", DEFAULT_MAX_MESSAGES, 500),
        }

    def secrets(self) -> set[str]:
        """The mailbox URL and its password, masked in errors and logs."""
        try:
            return Mailbox(self.env.get(IMAP_URL_ENV, ""), self._env()).secrets()
        except SourceDisabled:
            return {self.env[IMAP_URL_ENV]} if self.env.get(IMAP_URL_ENV) else set()

    def request(self):
        """Never fetched over HTTP: a runner that does not know `fetches_itself` gets this sentence."""
        raise ScrapeError("메일 소스는 HTTP로 받지 않고 메일함에서 직접 읽습니다 (MailSource.collect).")

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        posting = read_message(content)
        return [posting] if posting else []

    def collect(self, today: date, *, timeout: float = TIMEOUT) -> list[RawPosting]:
        """Read the matching mails of the last `since_days` days from the mailbox. Raises ScrapeError."""
        settings = self._settings()
        box = Mailbox(self.env.get(IMAP_URL_ENV, ""), self._env())
        secrets = box.secrets()
        remember(secrets)
        try:
            return self._read(box, settings, today, timeout)
        except ScrapeError as exc:
            raise ScrapeError(mask(str(exc), secrets)) from None
        except ssl.SSLCertVerificationError as exc:
            raise ScrapeError(f"메일 서버({box.where})의 TLS 인증서를 확인하지 못했습니다: {exc.verify_message or exc}. "
                              f"자체 서버라면 {CAFILE_ENV}에 인증서 파일을 적어 주세요.") from None
        except ssl.SSLError as exc:
            raise ScrapeError(f"메일 서버({box.where})와 TLS 연결을 맺지 못했습니다: {mask(str(exc), secrets)}") from None
        except (socket.timeout, TimeoutError):
            raise ScrapeError(f"메일 서버({box.where})가 {timeout:g}초 안에 답하지 않았습니다.") from None
        except (ConnectionError, OSError) as exc:
            reason = exc.strerror or type(exc).__name__
            raise ScrapeError(f"메일 서버({box.where})에 연결하지 못했습니다: {mask(str(reason), secrets)}") from None
        except imaplib.IMAP4.error as exc:
            raise ScrapeError(f"메일 서버가 예상하지 못한 답을 했습니다: {mask(str(exc), secrets)}") from None

    def _read(self, box: Mailbox, settings: dict, today: date, timeout: float) -> list[RawPosting]:
        connection = box.connect(timeout)
        try:
            try:
                connection.login(box.user, box.password)
            except imaplib.IMAP4.error:
                raise ScrapeError("메일함에 로그인하지 못했습니다: 사용자 이름과 앱 비밀번호를 확인하세요.") from None
            status, _ = connection.select(_quote_mailbox(settings["folder"]), readonly=True)  # EXAMINE
            if status != "OK":
                raise ScrapeError(f"메일함 폴더 '{settings['folder']}'를 열지 못했습니다: 폴더 이름을 확인하세요.")
            since = (today - timedelta(days=settings["since_days"])).strftime("%d-%b-%Y")
            status, data = connection.uid("SEARCH", None, "SINCE", since)
            if status != "OK":
                raise ScrapeError("메일함에서 메일을 찾지 못했습니다 (UID SEARCH가 거절되었습니다).")
            uids = [u for u in (data[0] or b"").split() if u.isdigit()]
            postings: list[RawPosting] = []
            # newest first, in batches, until max_messages matching mails were read
            uids = sorted(uids, key=int, reverse=True)
            for start in range(0, len(uids), 20):
                if len(postings) >= settings["max_messages"]:
                    break
                batch = b",".join(uids[start:start + 20]).decode("ascii")
                status, data = connection.uid("FETCH", batch, "(BODY.PEEK[])")  # PEEK: no \Seen flag
                if status != "OK":
                    raise ScrapeError("메일을 받아 오지 못했습니다 (UID FETCH가 거절되었습니다).")
                for content in _newest_first(data):
                    if len(content) > MAX_MESSAGE_BYTES:
                        continue
                    posting = self._matching(content, settings)
                    if posting is not None:
                        postings.append(posting)
                        if len(postings) >= settings["max_messages"]:
                            break
            return postings
        finally:
            try:
                connection.logout()
            except (imaplib.IMAP4.error, OSError):
                pass

    def _matching(self, content: bytes, settings: dict) -> RawPosting | None:
        try:
            message = email.message_from_bytes(content)
            subject = header_text(message.get("Subject"))
            if not _matches(_sender(message), subject, settings["senders"], settings["subjects"]):
                return None
            return read_message(content)
        except ParseError:
            return None
