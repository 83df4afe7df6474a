"""Local servers on 127.0.0.1 for the digest's tests: a real SMTP server (aiosmtpd) in three modes,
a webhook sink that records JSON POSTs, and a throwaway self-signed certificate (openssl CLI).

- `MailServer("plain")`: no TLS; AUTH allowed without it (the client may log in on loopback only);
- `MailServer("starttls", cert=…)`: offers STARTTLS and refuses mail before it (require_starttls);
- `MailServer("smtps", cert=…)`: TLS from the first byte.
Each received message is kept with its envelope, whether the session was encrypted, and who logged in.
"""
from __future__ import annotations

import email
import email.policy
import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

USER, PASSWORD = "labeler@example.com", "s3cret-app-pass"
SERVER_LOG = logging.getLogger("mail.log")


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_cert(directory: Path) -> Cert | None:
    """A self-signed certificate for 127.0.0.1 and localhost (None when openssl is missing)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return Cert(cert, key)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    encrypted: bool
    login: str | None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    def __init__(self, mode: str = "plain", *, cert: Cert | None = None, reject_login: bool = False):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.mode = mode
        self.received: list[Received] = []
        self.logins: list[tuple[str, str]] = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                message = email.message_from_bytes(envelope.original_content or envelope.content,
                                                   policy=email.policy.default)
                login = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
                encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
                outer.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, encrypted, login))
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            outer.logins.append((login, password))
            ok = not reject_login and (login, password) == (USER, PASSWORD)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        self.port = _free_port()
        # AUTH only over TLS when STARTTLS is offered; smtps is TLS from the start (aiosmtpd sees only STARTTLS)
        kwargs = {"authenticator": authenticator, "auth_require_tls": mode == "starttls"}
        if mode == "starttls":
            kwargs |= {"tls_context": cert.server_context(), "require_starttls": True}
        elif mode == "smtps":
            kwargs |= {"ssl_context": cert.server_context()}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def url(self, scheme: str | None = None, *, user: str = USER, password: str = PASSWORD) -> str:
        scheme = scheme or ("smtps" if self.mode == "smtps" else "smtp")
        auth = f"{user}:{password}@" if user else ""
        return f"{scheme}://{auth}127.0.0.1:{self.port}"

    def __enter__(self) -> MailServer:
        # the server's own log (its side of a refused handshake, with a traceback) would mix into the CLI's stderr
        self._log_level = SERVER_LOG.level
        SERVER_LOG.setLevel(logging.CRITICAL)
        self.controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.controller.stop()
        SERVER_LOG.setLevel(self._log_level)


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class WebhookSink:
    """`with WebhookSink() as hook:` POSTs to hook.url(...) are kept in `hook.posts`; `status` is the reply."""

    status: int = 200
    reply: bytes = b"ok"
    posts: list[Post] = field(default_factory=list)

    def __post_init__(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                outer.posts.append(Post(self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(outer.status)
                self.send_header("Content-Length", str(len(outer.reply)))
                self.end_headers()
                self.wfile.write(outer.reply)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str = "/hooks/T0001/B0002/xoxb-very-secret-token-123") -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
