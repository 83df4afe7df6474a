"""A scripted HTTP server on 127.0.0.1 for fetch tests: no internet, any status, any delay.

The radar refuses loopback addresses unless TRACKER_ALLOW_PRIVATE_URLS=1 (tracker.scrapers.guard).
While a `LocalServer()` runs it sets that variable, so every radar test (the pages' too) can read
from it; `LocalServer(allow_private_urls=False)` leaves the environment alone, for the guard's tests.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ALLOW_PRIVATE_ENV = "TRACKER_ALLOW_PRIVATE_URLS"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)
    drip: float = 0.0  # seconds between the bytes of the answer, sent one at a time (a dripping server)
    drip_headers: bool = False  # drip the status line and the headers too, not only the body
    content_length: bool = True  # False: no Content-Length; the body ends when the connection closes
    gate: threading.Event | None = None  # answer only once the test sets it (a source still fetching)

    @classmethod
    def file(cls, relative: str, content_type: str = "application/xml; charset=utf-8", **kw) -> Reply:
        return cls(body=(FIXTURES / relative).read_bytes(), headers={"Content-Type": content_type, **kw.pop("headers", {})}, **kw)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class LocalServer:
    """`server.route("/feed", Reply(...), Reply(...))`: replies in order, the last one repeats.

    `requests` are the HTTP requests received; `connections` counts TCP connections accepted
    (a request refused before it was sent leaves both at zero).
    """

    def __init__(self, *, allow_private_urls: bool = True):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.connections = 0
        self.allow_private_urls = allow_private_urls
        self._saved_env: str | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                outer.requests.append(Seen(self.path, dict(self.headers), time.monotonic()))
                replies = outer.routes.get(path)
                if not replies:
                    self.send_error(404)
                    return
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.gate is not None:
                    reply.gate.wait(timeout=30)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.drip_headers:
                        self._drip(self._head(reply) + reply.body, reply.drip)
                        return
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.content_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    if reply.drip:
                        self._drip(reply.body, reply.drip)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def _head(self, reply: Reply) -> bytes:
                lines = [f"HTTP/1.0 {reply.status} {self.responses.get(reply.status, ('',))[0]}"]
                lines += [f"{k}: {v}" for k, v in reply.headers.items()]
                if reply.content_length:
                    lines.append(f"Content-Length: {len(reply.body)}")
                return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

            def _drip(self, data: bytes, pause: float) -> None:
                for i in range(len(data)):
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(pause)

            def log_message(self, *_args):
                pass

        class Server(ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                outer.connections += 1
                return True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # do not wait for a deliberately slow reply
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def __enter__(self) -> LocalServer:
        if self.allow_private_urls:
            self._saved_env = os.environ.get(ALLOW_PRIVATE_ENV)
            os.environ[ALLOW_PRIVATE_ENV] = "1"
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.allow_private_urls:
            if self._saved_env is None:
                os.environ.pop(ALLOW_PRIVATE_ENV, None)
            else:
                os.environ[ALLOW_PRIVATE_ENV] = self._saved_env
