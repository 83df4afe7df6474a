"""NIA (한국지능정보사회진흥원) boards, kind "nia".

    공지     https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=99835
    입찰공고 https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=78336   (&pageIndex=N)

A row is `div.board_type01 li > a[onclick]`; the anchor has no real href but
`onclick="doBbsFView('99835','29538','16010100','29538');return false;"` (cbIdx, bcIdx, menu, parentSeq),
which the site turns into View.do?cbIdx=…&bcIdx=…&parentSeq=…. Inside the anchor:
`span.subject` (the title, followed by badge <em>s: "첨부파일 있음", "new"), `span.src` (<em>2026.10.01</em>
<em>조회수 308</em>) and `span.writer` (<em>name</em><em>team</em>). Pinned rows are `li.nia_noti` and
repeat on every page; an empty board shows a row without a link.
"""
from __future__ import annotations

import copy
import re
from urllib.parse import urljoin

from bs4 import Tag

from tracker.scrapers.base import ParseError, RawPosting, Source
from tracker.scrapers.text import kst_midnight, parse_board_date, plain_text, read_html

ORGANIZATION = "한국지능정보사회진흥원"
VIEW_PATH = "https://www.nia.or.kr/site/nia_kor/ex/bbs/View.do"
_ON_CLICK = re.compile(
    r"doBbsFView\(\s*'(?P<cb>\d+)'\s*,\s*'(?P<bc>\d+)'\s*,\s*'(?P<menu>[^']*)'\s*,\s*'(?P<parent>\d+)'\s*\)"
)
_TITLE_ATTR_TAIL = re.compile(r"(?:\(새\s*글\))?\s*-\s*첨부파일\s*(?:있음|없음)\s*$|\(새\s*글\)\s*$")
_LAYOUT_CHANGED = "NIA 게시판 목록(div.board_type01)을 찾지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."


def _title(anchor: Tag) -> str:
    subject = anchor.select_one("span.subject")
    if subject is not None:
        subject = copy.copy(subject)
        for badge in subject.find_all(["em", "img"]):
            badge.decompose()
        title = plain_text(subject.decode_contents())
        if title:
            return title
    # Fallback: the anchor's title attribute, "제목(새 글)-첨부파일 있음".
    title = plain_text(anchor.get("title", ""))
    return plain_text(_TITLE_ATTR_TAIL.sub("", title))


def _team(anchor: Tag) -> str:
    names = [plain_text(em.decode_contents()) for em in anchor.select("span.writer em")]
    names = [name for name in names if name]
    if not names:
        return ""
    return names[1] if len(names) >= 2 else names[0]


class NiaBoardSource(Source):
    kind = "nia"

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        soup = read_html(content, "NIA 게시판")
        boards = soup.select("div.board_type01")
        if not boards:
            raise ParseError(_LAYOUT_CHANGED)
        anchors = [a for board in boards for a in board.select("li > a[onclick]")]
        base = url or VIEW_PATH
        postings: list[RawPosting] = []
        seen: set[str] = set()
        matched = 0
        for anchor in anchors:
            match = _ON_CLICK.search(anchor.get("onclick", ""))
            if not match:
                continue
            matched += 1
            bc_idx = match.group("bc")
            if bc_idx in seen:  # a pinned row can also appear in the normal list
                continue
            title = _title(anchor)
            if not title:
                continue
            seen.add(bc_idx)
            published = None
            for em in anchor.select("span.src em"):
                day, full = parse_board_date(plain_text(em.decode_contents()))
                if day and full:
                    published = kst_midnight(day)
                    break
            team = _team(anchor)
            detail = urljoin(
                base,
                f"View.do?cbIdx={match.group('cb')}&bcIdx={bc_idx}&parentSeq={match.group('parent')}",
            )
            postings.append(RawPosting(
                title=title,
                url=detail,
                published=published,
                organization=f"{ORGANIZATION} · {team}" if team else ORGANIZATION,
                external_id=bc_idx,
            ))
        if anchors and not matched:
            raise ParseError(
                "NIA 게시판 행에서 doBbsFView(…) 링크를 읽지 못했습니다: 페이지 구조가 바뀌었을 수 있습니다."
            )
        return postings
