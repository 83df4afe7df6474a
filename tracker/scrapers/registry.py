"""Source kinds by name: the `kind` of a [[source]] table picks its class here."""
from __future__ import annotations

from tracker.scrapers.base import Source
from tracker.scrapers.google_news import GoogleNewsSource
from tracker.scrapers.html_list import HtmlListSource
from tracker.scrapers.mail import MailSource
from tracker.scrapers.naver_blog import NaverBlogSource
from tracker.scrapers.naver_search import NaverSearchSource
from tracker.scrapers.nia import NiaBoardSource
from tracker.scrapers.rss import RssSource
from tracker.scrapers.saramin_api import SaraminApiSource
from tracker.scrapers.tistory import TistorySource
from tracker.scrapers.work24 import Work24Source

KINDS: dict[str, type[Source]] = {
    cls.kind: cls
    for cls in (RssSource, GoogleNewsSource, NaverBlogSource, TistorySource, NiaBoardSource, Work24Source,
                SaraminApiSource, HtmlListSource, NaverSearchSource, MailSource)
}
