"""A list page described by CSS selectors (kind "html"): community boards, agency notice lists.

The `[[source]]` options name the selectors:

    item          (required) one element per posting, e.g. "table.board tbody tr"
    title         (required) inside an item, e.g. "td.subject a"
    link          the element whose href is the posting (default: the title if it is an <a href>,
                  else the item's first <a href>)
    date          posting date cell; deadline: deadline cell; pay: pay cell
    organization  a cell naming who recruits, or organization_name: a fixed name for every item
    remove        elements dropped from each item before reading (comment counts, "new" badges)
    date_format   a strptime format tried before the built-in ones
    year          the year for dates written without one ("10.31"); by default the latest year
                  written in full on the same page

The HTML helpers the board parsers share (charset, truncation, dates) are in text.py.
"""
from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from tracker.scrapers.base import ParseError, RawPosting, Source, SourceDisabled
from tracker.scrapers.text import kst_midnight, parse_board_date, plain_text, read_html, safe_date

def _usable_href(href: str | None) -> bool:
    href = (href or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith(("javascript:", "mailto:"))


class HtmlListSource(Source):
    """Any list page whose rows can be pointed at with CSS selectors."""

    kind = "html"
    required = ("url", "item", "title")

    # -- configuration --------------------------------------------------------------------------
    def _option(self, key: str) -> str:
        value = self.config.options.get(key, "")
        return str(value).strip() if value is not None else ""

    def _config_problem(self) -> str | None:
        for key in ("item", "title"):
            if not self._option(key):
                return f"CSS 선택자 '{key}'가 설정되지 않았습니다: data/sources.toml에 적어 주세요."
        probe = BeautifulSoup("<div></div>", "html.parser")
        for key in ("item", "title", "link", "date", "deadline", "pay", "organization", "remove"):
            selector = self._option(key)
            if not selector:
                continue
            try:
                probe.select(selector)
            except (SelectorSyntaxError, ValueError, NotImplementedError):
                return f"CSS 선택자 '{key}'({selector})를 읽을 수 없습니다: 문법을 확인해 주세요."
        return None

    def disabled_reason(self) -> str | None:
        return super().disabled_reason() or self._config_problem()

    # -- parsing ----------------------------------------------------------------------------------
    def _cell(self, item: Tag, key: str) -> Tag | None:
        selector = self._option(key)
        return item.select_one(selector) if selector else None

    def _cell_text(self, item: Tag, key: str) -> str:
        element = self._cell(item, key)
        return plain_text(element.decode_contents()) if element is not None else ""

    def _link(self, item: Tag, title: Tag) -> str:
        if self._option("link"):
            element = self._cell(item, "link")
            if element is None:
                return ""
            if element.name == "a" or element.has_attr("href"):
                return element.get("href", "") if _usable_href(element.get("href")) else ""
            inner = element.find("a", href=True)
            return inner["href"] if inner is not None and _usable_href(inner["href"]) else ""
        if title.name == "a" and _usable_href(title.get("href")):
            return title["href"]
        for anchor in item.find_all("a", href=True):
            if _usable_href(anchor["href"]):
                return anchor["href"]
        return ""

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        problem = self._config_problem()
        if problem:
            raise SourceDisabled(problem)
        soup = read_html(content, "목록")
        items = soup.select(self._option("item"))
        if not items:
            return []  # the runner reports a source that suddenly yields nothing

        fmt = self._option("date_format")
        year_option = self._option("year")
        rows: list[dict] = []
        titled = 0
        remove = self._option("remove")
        for item in items:
            if remove:
                for extra in item.select(remove):
                    extra.decompose()
            title_el = self._cell(item, "title")
            title = plain_text(title_el.decode_contents()) if title_el is not None else ""
            if not title:
                continue
            titled += 1
            href = self._link(item, title_el)
            if not href:
                continue
            rows.append({
                "title": title,
                "url": urljoin(url, href.strip()),
                "date_text": self._cell_text(item, "date"),
                "deadline_text": self._cell_text(item, "deadline"),
                "pay": self._cell_text(item, "pay"),
                "organization": self._cell_text(item, "organization") or self._option("organization_name"),
            })
        if not titled:
            raise ParseError(
                f"목록 항목 {len(items)}개에서 제목(선택자 '{self._option('title')}')을 찾지 못했습니다: "
                "페이지 구조가 바뀌었을 수 있습니다."
            )
        if not rows:
            which = self._option("link") or "a[href]"
            raise ParseError(
                f"제목은 {titled}개 읽었지만 링크(선택자 '{which}')를 찾지 못했습니다: "
                "페이지 구조가 바뀌었을 수 있습니다."
            )

        # The year for "MM.DD" dates: the option, else the latest year written in full on this page.
        page_year = int(year_option) if year_option.isdigit() else None
        if page_year is None:
            years = [d.year for row in rows for key in ("date_text", "deadline_text")
                     for d, full in [parse_board_date(row[key], fmt=fmt)] if d and full]
            page_year = max(years) if years else None

        postings: list[RawPosting] = []
        for row in rows:
            published, _ = parse_board_date(row["date_text"], fmt=fmt, year=page_year)
            deadline, full = parse_board_date(row["deadline_text"], fmt=fmt,
                                              year=published.year if published else page_year)
            if deadline and not full and published and deadline < published:
                deadline = safe_date(deadline.year + 1, deadline.month, deadline.day)
            postings.append(RawPosting(
                title=row["title"],
                url=row["url"],
                published=kst_midnight(published),
                organization=row["organization"],
                deadline=deadline,
                pay_text=row["pay"],
            ))
        return postings
