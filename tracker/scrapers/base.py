"""One contract for every source: build the request, then a pure `parse(content, url)`.

Fetching (HTTP, retries, conditional GET, politeness) lives in tracker.scrapers.fetch and is the
same for every source; a source module only says what to ask for and how to read the answer.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar


@dataclass(frozen=True)
class RawPosting:
    """One opening as a source reports it, before normalisation. Text is untrusted."""

    title: str
    url: str
    published: datetime | None = None  # timezone-aware (Asia/Seoul), or None when unknown
    organization: str = ""  # who recruits (or, for news, the outlet)
    deadline: date | None = None
    pay_text: str = ""  # pay as written ("건당 50원", "시급 12,000원")
    summary: str = ""  # plain text, no HTML
    external_id: str = ""  # the source's own id (guid, wantedAuthNo, bcIdx, …)
    region: str = ""


@dataclass(frozen=True)
class SourceConfig:
    """One `[[source]]` table of data/sources.toml."""

    name: str
    kind: str
    url: str = ""
    enabled: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)  # kind-specific keys (query, selectors, …)


@dataclass(frozen=True)
class Request:
    url: str
    params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)


class ScrapeError(Exception):
    """A source failed. `str(error)` is a Korean sentence for the source's health line."""


class ParseError(ScrapeError):
    """The content could not be read as this source's format (garbage, truncated, changed layout)."""


class SourceDisabled(ScrapeError):
    """The source cannot run as configured (e.g. an API key is missing)."""


class Source:
    """Base class: subclasses set `kind` and implement `parse`; most override `request` too."""

    kind: ClassVar[str] = ""
    #: configuration keys this kind requires besides `name` and `kind`
    required: ClassVar[tuple[str, ...]] = ("url",)
    #: environment variables that must be set (API keys), checked before any request
    env_keys: ClassVar[tuple[str, ...]] = ()
    #: True for a source that reads its own channel (the mailbox) through `collect(today, timeout=…)`
    #: instead of one HTTP request: the runner then skips request/fetch/parse
    fetches_itself: ClassVar[bool] = False

    def __init__(self, config: SourceConfig, env: Mapping[str, str] | None = None):
        self.config = config
        self.env = dict(env or {})

    def disabled_reason(self) -> str | None:
        """Why this source cannot run, in Korean, or None when it can."""
        missing = [key for key in self.env_keys if not self.env.get(key)]
        if missing:
            return f"API 키가 없습니다: 환경 변수 {', '.join(missing)}를 설정하면 켜집니다."
        return None

    def option(self, key: str, *, missing: str, pattern: str | None = None, wrong: str = "") -> str:
        """A kind-specific option, stripped; SourceDisabled with `missing` (or `wrong`) when unusable."""
        value = str(self.config.options.get(key) or "").strip()
        if not value:
            raise SourceDisabled(missing)
        if pattern is not None and not re.fullmatch(pattern, value):
            raise SourceDisabled(wrong.format(value=value))
        return value

    def request(self) -> Request:
        """What to fetch. The default is the configured URL as is."""
        return Request(self.config.url)

    def parse(self, content: bytes, url: str) -> list[RawPosting]:  # pragma: no cover - abstract
        """Read the fetched bytes. Pure: no network, no clock, no database. Raises ParseError."""
        raise NotImplementedError
