"""data/sources.toml: a list of [[source]] tables. A bad table is reported and skipped, not fatal."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tracker.config import DATA_DIR
from tracker.scrapers.base import SourceConfig

DEFAULT_SOURCES = DATA_DIR / "sources.toml"


def sources_path() -> Path:
    """`TRACKER_SOURCES`, or data/sources.toml."""
    return Path(os.environ.get("TRACKER_SOURCES") or DEFAULT_SOURCES)
COMMON_KEYS = {"name", "kind", "url", "enabled", "include", "exclude"}
# Optional limits any source may set (tracker.scrapers.fetch has the defaults): key → (largest, example)
LIMIT_KEYS = {"max_response_mb": (100, 10), "request_deadline": (300, 30), "source_deadline": (900, 120)}


class ConfigError(ValueError):
    """The file as a whole cannot be read (not TOML, no [[source]] list)."""


@dataclass(frozen=True)
class ConfigProblem:
    name: str  # the source's name, or "[[source]] #N" when it has none
    message: str  # a Korean sentence


def _keywords(value, name: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{name}': {key}는 문자열 목록이어야 합니다 (예: {key} = [\"라벨링\", \"재택\"]).")
    return tuple(v.strip() for v in value)


def _check_limits(options: dict, name: str) -> None:
    for key, (largest, example) in LIMIT_KEYS.items():
        if key not in options:
            continue
        value = options[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= largest:
            raise ValueError(f"'{name}': {key}는 0보다 크고 {largest} 이하인 숫자여야 합니다 (예: {key} = {example}).")


def load_sources(path: Path | str | None = None, kinds: dict | None = None) -> tuple[list[SourceConfig], list[ConfigProblem]]:
    """Every well-formed source, and one problem per malformed one."""
    if kinds is None:
        from tracker.scrapers.registry import KINDS as kinds
    path = Path(path) if path else sources_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"소스 설정 파일이 없습니다: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"소스 설정 파일을 읽을 수 없습니다 ({path}): {exc}") from None
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: [[source]] 표의 목록이 있어야 합니다.")

    sources: list[SourceConfig] = []
    problems: list[ConfigProblem] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        name = str(table.get("name") or "").strip()
        label = name or f"[[source]] #{number}"
        try:
            if not name:
                raise ValueError(f"{number}번째 [[source]]에 name이 없습니다.")
            if name in seen:
                raise ValueError(f"'{name}': 같은 이름의 소스가 이미 있습니다.")
            kind = table.get("kind")
            if kind not in kinds:
                raise ValueError(f"'{name}': 알 수 없는 kind {kind!r}입니다 (가능: {', '.join(sorted(kinds))}).")
            options = {k: v for k, v in table.items() if k not in COMMON_KEYS}
            _check_limits(options, name)
            url = str(table.get("url") or "").strip()
            for key in kinds[kind].required:
                present = url if key == "url" else options.get(key)
                if not present and not (key != "url" and url):  # an explicit url always wins
                    raise ValueError(f"'{name}': kind '{kind}'에는 {key}가 필요합니다.")
            enabled = table.get("enabled", True)
            if not isinstance(enabled, bool):
                raise ValueError(f"'{name}': enabled는 true 또는 false여야 합니다.")
            sources.append(SourceConfig(
                name=name, kind=kind, url=url, enabled=enabled,
                include=_keywords(table.get("include"), name, "include"),
                exclude=_keywords(table.get("exclude"), name, "exclude"),
                options=options,
            ))
            seen.add(name)
        except ValueError as exc:
            problems.append(ConfigProblem(label, str(exc)))
    return sources, problems
