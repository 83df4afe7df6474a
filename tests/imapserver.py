"""A small IMAP4rev1 server on 127.0.0.1 for the email source's tests: real sockets, real TLS.

It speaks what imaplib needs to read a mailbox: CAPABILITY, LOGIN, SELECT/EXAMINE, UID SEARCH
(ALL, SINCE dd-Mon-yyyy), UID FETCH (BODY.PEEK[] / BODY[] / RFC822), NOOP, LOGOUT. Anything that
would change the mailbox (STORE, COPY, MOVE, EXPUNGE, DELETE, APPEND, UID STORE …) is refused with
NO and recorded in `writes`, and a FETCH without PEEK marks the message \\Seen (`seen`), so a test
can prove the client only looked.

TLS: `ImapServer(tls=True)` makes a self-signed certificate for 127.0.0.1 with the `openssl`
command (`self_signed_cert`); the client must trust `server.certfile` (TRACKER_IMAP_CAFILE).
"""
from __future__ import annotations

import re
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path

MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"], start=1)}
_WRITES = {"STORE", "COPY", "MOVE", "EXPUNGE", "DELETE", "APPEND", "CREATE", "RENAME", "SUBSCRIBE"}


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) for CN/SAN 127.0.0.1, made with the openssl command."""
    cert, key = directory / "imap-cert.pem", directory / "imap-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


def have_openssl() -> bool:
    return shutil.which("openssl") is not None


@dataclass
class Stored:
    uid: int
    content: bytes
    flags: set[str] = field(default_factory=set)

    @property
    def day(self) -> date | None:
        match = re.search(rb"^Date:\s*(.+?)\r?$", self.content, re.MULTILINE | re.IGNORECASE)
        if not match:
            return None
        try:
            return parsedate_to_datetime(match.group(1).decode("ascii", "replace")).date()
        except (TypeError, ValueError):
            return None


def _tokens(line: str) -> list[str]:
    """IMAP arguments: atoms and "quoted strings" (\\" and \\\\ unescaped)."""
    out, i = [], 0
    while i < len(line):
        if line[i] == " ":
            i += 1
        elif line[i] == '"':
            j, buf = i + 1, []
            while j < len(line) and line[j] != '"':
                if line[j] == "\\" and j + 1 < len(line):
                    j += 1
                buf.append(line[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
        elif line[i] == "(":
            depth, j = 0, i
            while j < len(line):
                depth += line[j] == "("
                depth -= line[j] == ")"
                j += 1
                if depth == 0:
                    break
            out.append(line[i:j])
            i = j
        else:
            j = line.find(" ", i)
            j = len(line) if j < 0 else j
            out.append(line[i:j])
            i = j
    return out


def _uid_set(spec: str, uids: list[int]) -> list[int]:
    chosen: set[int] = set()
    top = max(uids) if uids else 0
    for piece in spec.split(","):
        if ":" in piece:
            low, high = piece.split(":", 1)
            low_n = top if low == "*" else int(low)
            high_n = top if high == "*" else int(high)
            chosen |= {u for u in uids if min(low_n, high_n) <= u <= max(low_n, high_n)}
        elif piece:
            chosen.add(top if piece == "*" else int(piece))
    return sorted(u for u in uids if u in chosen)


class ImapServer:
    """`with ImapServer(user, password, {"INBOX": [bytes, …]}) as server:` → server.url (imap[s]://…)."""

    def __init__(self, user: str = "labeler@example.net", password: str = "app-pass-1234",
                 folders: dict[str, list[bytes]] | None = None, *, tls: bool = True, tmpdir: Path | None = None,
                 greeting_delay: float = 0.0):
        self.user, self.password = user, password
        self.folders = {name: [Stored(uid, content) for uid, content in enumerate(items, start=1)]
                        for name, items in (folders or {"INBOX": []}).items()}
        self.tls = tls
        self.tmpdir = tmpdir
        self.greeting_delay = greeting_delay
        self.commands: list[str] = []  # every command line received (LOGIN's password masked)
        self.writes: list[str] = []
        self.logins = 0
        self.certfile: Path | None = None
        self._server: socketserver.ThreadingTCPServer | None = None
        self._thread: threading.Thread | None = None
        self._context: ssl.SSLContext | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> ImapServer:
        if self.tls:
            assert self.tmpdir is not None, "TLS needs a tmpdir for the certificate"
            cert, key = self_signed_cert(self.tmpdir)
            self.certfile = cert
            self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._context.load_cert_chain(cert, key)
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def setup(self):
                if outer._context is not None:
                    try:
                        self.request = outer._context.wrap_socket(self.request, server_side=True)
                    except (ssl.SSLError, OSError):
                        self.request.close()
                        raise
                super().setup()

            def handle(self):
                outer._session(self.rfile, self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request, client_address):  # a client that hung up: not a test failure
                pass

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def url(self, user: str | None = None, password: str | None = None) -> str:
        from urllib.parse import quote

        scheme = "imaps" if self.tls else "imap"
        return (f"{scheme}://{quote(user or self.user, safe='')}:{quote(password or self.password, safe='')}"
                f"@127.0.0.1:{self.port}")

    def seen(self, folder: str = "INBOX") -> list[int]:
        return [m.uid for m in self.folders[folder] if "\\Seen" in m.flags]

    # -- one connection --------------------------------------------------------------------------
    def _session(self, rfile, wfile) -> None:
        def send(text: str | bytes) -> None:
            wfile.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            wfile.flush()

        if self.greeting_delay:
            threading.Event().wait(self.greeting_delay)
        send("* OK [CAPABILITY IMAP4rev1] test IMAP server ready\r\n")
        selected: str | None = None
        authenticated = False
        while True:
            try:
                raw = rfile.readline()
            except (OSError, ssl.SSLError):
                return
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            parts = line.split(" ", 2)
            if len(parts) < 2:
                send("* BAD no tag\r\n")
                continue
            tag, command = parts[0], parts[1].upper()
            rest = parts[2] if len(parts) > 2 else ""
            self.commands.append(f"{tag} LOGIN ***" if command == "LOGIN" else line)
            if command == "CAPABILITY":
                send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK CAPABILITY completed\r\n")
            elif command == "NOOP":
                send(f"{tag} OK NOOP completed\r\n")
            elif command == "LOGOUT":
                send(f"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n")
                return
            elif command == "LOGIN":
                args = _tokens(rest)
                if len(args) == 2 and args[0] == self.user and args[1] == self.password:
                    authenticated = True
                    self.logins += 1
                    send(f"{tag} OK LOGIN completed\r\n")
                else:
                    send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            elif not authenticated:
                send(f"{tag} BAD log in first\r\n")
            elif command in ("SELECT", "EXAMINE"):
                args = _tokens(rest)
                name = args[0] if args else ""
                if name not in self.folders:
                    send(f"{tag} NO [NONEXISTENT] no such mailbox\r\n")
                    continue
                selected = name
                if command == "SELECT":
                    self.writes.append("SELECT (read-write)")
                messages = self.folders[name]
                top = max((m.uid for m in messages), default=0)
                mode = "READ-ONLY" if command == "EXAMINE" else "READ-WRITE"
                send(f"* {len(messages)} EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 7] ok\r\n"
                     f"* OK [UIDNEXT {top + 1}] ok\r\n* FLAGS (\\Seen \\Deleted)\r\n{tag} OK [{mode}] {command} completed\r\n")
            elif command == "UID" and selected is not None:
                sub, _, args = rest.partition(" ")
                sub = sub.upper()
                if sub == "SEARCH":
                    send(self._search(tag, selected, _tokens(args)))
                elif sub == "FETCH":
                    spec, _, items = args.partition(" ")
                    self._fetch(tag, selected, spec, items.upper(), send)
                else:
                    self.writes.append(f"UID {sub}")
                    send(f"{tag} NO read-only test server\r\n")
            elif command in _WRITES:
                self.writes.append(command)
                send(f"{tag} NO read-only test server\r\n")
            else:
                send(f"{tag} BAD unknown command\r\n")

    def _search(self, tag: str, folder: str, args: list[str]) -> str:
        messages = self.folders[folder]
        found = [m.uid for m in messages]
        i = 0
        while i < len(args):
            key = args[i].upper()
            if key == "SINCE" and i + 1 < len(args):
                day_s, month_s, year_s = args[i + 1].split("-")
                since = date(int(year_s), MONTHS[month_s.capitalize()], int(day_s))
                found = [m.uid for m in messages if m.uid in found and (m.day is None or m.day >= since)]
                i += 2
            elif key == "ALL":
                i += 1
            else:
                return f"{tag} BAD unsupported search key {key}\r\n"
        return f"* SEARCH{''.join(' ' + str(u) for u in found)}\r\n{tag} OK SEARCH completed\r\n"

    def _fetch(self, tag: str, folder: str, spec: str, items: str, send) -> None:
        messages = self.folders[folder]
        by_uid = {m.uid: m for m in messages}
        peek = "BODY.PEEK[]" in items
        if not (peek or "BODY[]" in items or "RFC822" in items):
            send(f"{tag} BAD unsupported fetch items\r\n")
            return
        for number, uid in enumerate(_uid_set(spec, list(by_uid)), start=1):
            message = by_uid[uid]
            if not peek:
                message.flags.add("\\Seen")
            send(f"* {number} FETCH (UID {uid} BODY[] {{{len(message.content)}}}\r\n".encode("ascii")
                 + message.content + b")\r\n")
        send(f"{tag} OK FETCH completed\r\n")


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on (for 'connection refused')."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
