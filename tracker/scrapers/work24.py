"""고용24 (Worknet) 채용정보 Open API, kind "work24". Needs WORK24_API_KEY.

    GET https://www.work24.go.kr/cm/openApi/call/wk/callOpenApiSvcInfo210L01.do
        ?authKey=…&callTp=L&returnType=XML&startPage=1&display=100&keyword=…

Answer: <wantedRoot><total/><startPage/><display/><wanted>…</wanted>…</wantedRoot>, each <wanted> with
wantedAuthNo, company, title, sal, region, regDt, closeDt, wantedInfoUrl (and more).
closeDt comes as "26-10-01", "20261004", "채용시까지  26-11-30" or just "채용시까지".
No result: <wantedRoot>…<message>정보가 존재하지 않습니다.</message><messageCd>006</messageCd>.
Errors come with HTTP 200: <GO24><error>신청하신 OpenApi 서비스가 존재하지 않습니다</error></GO24>, or
a <message>/<messageCd> other than "no result". Titles sometimes arrive entity-escaped twice.

`sal` may come without its unit ("4100만원"); the unit is in `salTpNm` (연봉/월급/시급/일급) and is put
in front. Some items have no `wantedInfoUrl`: the detail page is then built from `wantedAuthNo`
(DETAIL_URL, with `infoSvc` as infoTypeCd).
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from xml.etree.ElementTree import Element

from tracker.scrapers.base import ParseError, RawPosting, Request, Source
from tracker.scrapers.text import kst_midnight, plain_text, python_codec, safe_date

API_URL = "https://www.work24.go.kr/cm/openApi/call/wk/callOpenApiSvcInfo210L01.do"
DETAIL_URL = "https://www.work24.go.kr/wk/a/b/1500/empDetailAuthView.do"
_AUTH_NO = re.compile(r"[A-Za-z0-9]{6,40}")
NO_RESULT_CODES = {"006"}
NO_RESULT_TEXT = "정보가 존재하지 않습니다"

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.IGNORECASE)


def read_xml(content: bytes, what: str) -> Element:
    """Parse untrusted XML: no DTD or entity declarations; the declared encoding honoured."""
    if not content or not content.strip():
        raise ParseError(f"{what} 응답이 비어 있습니다.")
    upper = content.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ParseError(f"{what} 응답에 DTD/엔티티 선언이 있어 읽지 않았습니다.")
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    codec = "utf-8"
    declaration = _XML_DECL.match(content)
    if declaration:
        declared = _XML_ENCODING.search(declaration.group(0))
        if declared:
            codec = python_codec(declared.group(1).decode("ascii")) or "utf-8"
        content = content[declaration.end():]
    try:
        text = content.decode(codec)
    except (LookupError, UnicodeDecodeError):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = content.decode("cp949", errors="replace")
    try:
        return ET.fromstring(text)
    except ET.ParseError as error:
        raise ParseError(f"{what} 응답을 XML로 읽지 못했습니다({error}): 잘렸거나 XML이 아닙니다.") from None


def _unescape_fully(value: str) -> str:
    """고용24 titles arrive escaped twice or three times ("&amp;amp;"); undo until stable."""
    for _ in range(4):
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    return value


def _text(item: Element, tag: str) -> str:
    return plain_text(_unescape_fully(item.findtext(tag) or ""))


_YYYYMMDD = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_SHORT = re.compile(r"(?<!\d)(\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")


def work24_date(value: str) -> date | None:
    """'26-10-01', '20261004', '2026-10-01', '채용시까지  26-11-30' → date; '채용시까지' → None."""
    value = (value or "").strip()
    for pattern, century in ((_ISO, 0), (_YYYYMMDD, 0), (_SHORT, 2000)):
        match = pattern.search(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            if (year, month, day) == (9999, 12, 31):  # "always open" sentinel
                return None
            return safe_date(century + year, month, day)
    return None


def pay_text(item: Element) -> str:
    """`sal` with the unit of `salTpNm` in front when `sal` does not already say it: "연봉 4100만원"."""
    sal = _text(item, "sal")
    unit = _text(item, "salTpNm")
    if not sal or not unit or sal.startswith(unit) or unit in ("회사내규에 따름", "면접 후 결정"):
        return sal
    return f"{unit} {sal}"


def detail_link(item: Element) -> str:
    """`wantedInfoUrl` (else the mobile one), else the detail page built from `wantedAuthNo`, else ''."""
    link = (item.findtext("wantedInfoUrl") or item.findtext("wantedMobileInfoUrl") or "").strip()
    if link:
        return html.unescape(link)
    number = (item.findtext("wantedAuthNo") or "").strip()
    if not _AUTH_NO.fullmatch(number):
        return ""
    info = (item.findtext("infoSvc") or "").strip()
    info = info if re.fullmatch(r"[A-Za-z_]{1,30}", info) else "VALIDATION"
    return f"{DETAIL_URL}?wantedAuthNo={number}&infoTypeCd={info}&infoTypeGroup=tb_workinfoworknet"


class Work24Source(Source):
    kind = "work24"
    required = ()
    env_keys = ("WORK24_API_KEY",)

    def request(self) -> Request:
        options = self.config.options
        return Request(
            self.config.url or API_URL,
            params={
                "authKey": self.env.get("WORK24_API_KEY", ""),
                "callTp": "L",
                "returnType": "XML",
                "startPage": "1",
                "display": str(options.get("display", 100)),
                "keyword": str(options.get("keyword", "데이터 라벨링")),
            },
        )

    def parse(self, content: bytes, url: str) -> list[RawPosting]:
        root = read_xml(content, "고용24")
        error = root if root.tag == "error" else root.find("error")
        if error is not None:
            raise ParseError(f"고용24 API 오류: {plain_text(error.text or '') or '(내용 없음)'}")

        items = list(root.iter("wanted"))
        if not items:
            message = plain_text(root.findtext("message") or "")
            code = (root.findtext("messageCd") or "").strip()
            if code in NO_RESULT_CODES or NO_RESULT_TEXT in message:
                return []
            if message or code:
                detail = f"{message} (코드 {code})" if message and code else message or f"코드 {code}"
                raise ParseError(f"고용24 API 오류: {detail}")
            if root.tag == "wantedRoot":
                return []
            raise ParseError(f"고용24 응답 형식을 알 수 없습니다: 최상위 요소가 <{root.tag}>입니다.")

        postings: list[RawPosting] = []
        for item in items:
            title = _text(item, "title")
            link = detail_link(item)
            if not title or not link:
                continue
            postings.append(RawPosting(
                title=title,
                url=link,
                published=kst_midnight(work24_date(item.findtext("regDt") or "")),
                organization=_text(item, "company"),
                deadline=work24_date(item.findtext("closeDt") or ""),
                pay_text=pay_text(item),
                external_id=(item.findtext("wantedAuthNo") or "").strip(),
                region=_text(item, "region"),
            ))
        return postings
