"""Where the radar may connect: public http(s) addresses only, checked on every hop and every connection.

A source URL, or a redirect a server sends, may point inside the machine or the home network
(127.0.0.1, the router at 192.168.0.1, a cloud metadata service at 169.254.169.254). The radar
refuses those unless the environment variable TRACKER_ALLOW_PRIVATE_URLS=1 is set:

- `AddressGuard.check_url` runs before the first request and before every redirect hop: the scheme
  must be http or https, and every address the host resolves to must be public;
- `GuardedBackend` (the connection layer under httpx) resolves the host again when it opens a
  connection, checks those addresses and connects to one of them, so a name that resolved to a
  public address a moment ago cannot switch to a private one in between (DNS rebinding).

Every refusal is a ScrapeError whose message is a Korean sentence naming the address.
"""
from __future__ import annotations

import contextvars
import ipaddress
import logging
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpcore
import httpx

from tracker.scrapers.base import ScrapeError

log = logging.getLogger(__name__)

ALLOW_PRIVATE_ENV = "TRACKER_ALLOW_PRIVATE_URLS"
SCHEMES = ("http", "https")
ALLOW_HINT = f" 이 컴퓨터나 내부망의 주소를 일부러 읽으려면 환경 변수 {ALLOW_PRIVATE_ENV}=1을 설정하세요."
REDIRECT = "다른 주소로 보냈지만(리디렉션) "

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: host, port → the addresses it resolves to, as strings; socket.gaierror when it does not resolve
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedUrl(ScrapeError):
    """A URL the radar does not open: not http(s), no host, or a host at a non-public address."""


class BlockedAddress(BlockedUrl):
    def __init__(self, host: str, address: str, kind: str, *, redirect: bool = False):
        self.host, self.address, self.kind = host, address, kind
        where = address if _same_address(host, address) else f"{host} → {address}"
        lead = REDIRECT + "내부망 주소라 따라가지 않았습니다" if redirect else "내부망 주소라 연결하지 않았습니다"
        super().__init__(f"{lead}: {where} ({kind}).{ALLOW_HINT}")


class HostNotFound(ScrapeError):
    def __init__(self, host: str):
        self.host = host
        super().__init__(f"서버에 연결하지 못했습니다: 주소 {host}를 찾지 못했습니다 (DNS).")


def _same_address(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")) == ipaddress.ip_address(address)
    except ValueError:
        return False


def private_allowed(env: Mapping[str, str] | None = None) -> bool:
    """TRACKER_ALLOW_PRIVATE_URLS=1 (or true/yes/on): private and local addresses are allowed."""
    value = (os.environ if env is None else env).get(ALLOW_PRIVATE_ENV, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def blocked_kind(address: IPAddress) -> str | None:
    """Why the radar never connects to `address` (a Korean phrase), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        # IPv6 spellings of an IPv4 address are judged by that address.
        embedded = address.ipv4_mapped
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
        if embedded is not None:
            return blocked_kind(embedded)
        if address.sixtofour is not None:
            kind = blocked_kind(address.sixtofour)
            if kind:
                return kind
    if address.is_unspecified:
        return "지정되지 않은 주소"
    if address.is_loopback:
        return "루프백 주소: 이 컴퓨터 자신"
    if address.is_link_local:
        return "링크 로컬 주소: 클라우드 메타데이터 주소 등"
    if address.is_multicast:
        return "멀티캐스트 주소"
    if address.is_private:
        return "사설망 주소"
    if address.is_reserved:
        return "예약된 주소"
    if not address.is_global:
        return "공용 인터넷 주소가 아님"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _origin(url: str) -> tuple[str, int]:
    parsed = httpx.URL(url)
    return parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80)


class AddressGuard:
    """The checks, with what they depend on made explicit (for tests and for the backend).

    `allow_private`: None reads TRACKER_ALLOW_PRIVATE_URLS at every check. `resolver`: the DNS
    lookup (tests pass a fixed map). `trusted`: origins ("http://127.0.0.1:8000") exempt from the
    address check, e.g. a test server; their names are resolved with `resolver` too.
    """

    def __init__(self, *, allow_private: bool | None = None, resolver: Resolver | None = None,
                 trusted: Iterable[str] = ()):
        self._allow_private = allow_private
        self.resolver = resolver or system_resolver
        self.trusted = {_origin(url) for url in trusted}

    @property
    def allow_private(self) -> bool:
        return private_allowed() if self._allow_private is None else self._allow_private

    def is_trusted(self, host: str, port: int) -> bool:
        return (host, port) in self.trusted

    def check_url(self, url: str | httpx.URL, *, redirect: bool = False) -> None:
        """Refuse (BlockedUrl) a URL that is not http(s) or whose host is not public."""
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except httpx.InvalidURL:
            raise BlockedUrl(f"{REDIRECT if redirect else ''}주소를 읽을 수 없습니다: {str(url)[:200]}") from None
        scheme = parsed.scheme.lower()
        if scheme not in SCHEMES:
            shown = f"'{scheme}:'" if scheme else "상대"
            raise BlockedUrl(f"{REDIRECT}http·https가 아닌 {shown} 주소라 따라가지 않았습니다." if redirect
                             else f"http·https 주소만 읽습니다: {shown} 주소는 읽지 않았습니다.")
        if not parsed.host:
            raise BlockedUrl(f"{REDIRECT if redirect else ''}주소에 호스트가 없습니다: {str(parsed)[:200]}")
        port = parsed.port or (443 if scheme == "https" else 80)
        if self.allow_private or self.is_trusted(parsed.host, port):
            return
        self.public_addresses(parsed.host, port, redirect=redirect)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of `host` (an IP literal is its own address); HostNotFound when none."""
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            pass
        try:
            addresses = self.resolver(host, port)
        except (socket.gaierror, UnicodeError, OSError):
            raise HostNotFound(host) from None
        if not addresses:
            raise HostNotFound(host)
        return addresses

    def public_addresses(self, host: str, port: int, *, redirect: bool = False) -> list[str]:
        """The addresses of `host`, all of them public; BlockedAddress naming the first that is not."""
        addresses = self.resolve(host, port)
        for address in addresses:
            try:
                kind = blocked_kind(ipaddress.ip_address(address))
            except ValueError:
                kind = "주소로 읽을 수 없음"
            if kind:
                raise BlockedAddress(host, address, kind, redirect=redirect)
        return addresses


# The wall-clock deadline (time.monotonic()) of the request running in this thread: every read,
# write and connect below httpx is cut to what is left of it.
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("radar_deadline", default=None)


def _within_deadline(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the request's deadline (a dripping server
    sends a byte just before each read timeout; this cuts it off at the deadline, headers included)."""

    def __init__(self, inner: httpcore.NetworkStream):
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _within_deadline(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _within_deadline(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname,
                                                   _within_deadline(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Opens connections only to checked addresses, and bounds every socket operation by the deadline."""

    def __init__(self, guard: AddressGuard, inner: httpcore.NetworkBackend | None = None):
        self.guard = guard
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        timeout = _within_deadline(timeout, httpcore.ConnectTimeout)
        if self.guard.allow_private:
            addresses = [host]  # the system connects as usual
        elif self.guard.is_trusted(host, port):
            addresses = self.guard.resolve(host, port)
        else:
            addresses = self.guard.public_addresses(host, port)
        failure: Exception | None = None
        for address in addresses:  # the checked addresses, in order, not a fresh lookup
            try:
                return DeadlineStream(self.inner.connect_tcp(address, port, timeout, local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the radar connects over TCP only")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def guarded_transport(guard: AddressGuard) -> httpx.HTTPTransport:
    """httpx's own transport with `GuardedBackend` underneath its connection pool."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = GuardedBackend(guard)
    else:  # pragma: no cover - an httpx/httpcore upgrade moved the pool; tests/test_radar_guard.py says so
        log.warning("httpx의 연결 계층을 찾지 못해 연결할 때의 주소 확인과 읽기 마감을 쓰지 못합니다: "
                    "요청 전 주소 확인만 합니다.")
    return transport
