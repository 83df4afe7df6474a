"""data/sources.toml: the shipped defaults, and problems reported per source."""
import pytest

from tracker.scrapers.config import ConfigError, load_sources


def test_the_shipped_defaults():
    sources, problems = load_sources()
    assert problems == []
    enabled = {s.name: s for s in sources if s.enabled}
    assert sorted(s.options["query"] for s in enabled.values() if s.kind == "google_news") == sorted(
        ["데이터 라벨러 모집", "데이터 라벨링 작업자 모집", "크라우드웍스 프로젝트 모집", "인공지능 학습용 데이터 구축"])
    assert sorted(s.url for s in enabled.values() if s.kind == "nia") == [
        "https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=78336",
        "https://www.nia.or.kr/site/nia_kor/ex/bbs/List.do?cbIdx=99835",
    ]
    assert {s.kind for s in sources if not s.enabled} == {"work24", "saramin_api", "naver_search", "email"}
    cafe = next(s for s in sources if s.kind == "naver_search" and s.options["target"] == "cafearticle")
    assert cafe.options["query"] == "데이터 라벨링 작업자 모집"
    mail = next(s for s in sources if s.kind == "email")
    assert mail.options["senders"][0] == "crowdworks.kr" and mail.options["since_days"] == 30


def test_problems_are_per_source(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "좋음"\nkind = "rss"\nurl = "https://example.com/rss"\n\n'
        '[[source]]\nkind = "rss"\nurl = "https://example.com/x"\n\n'
        '[[source]]\nname = "이상한 종류"\nkind = "ftp"\n\n'
        '[[source]]\nname = "키 없음"\nkind = "google_news"\n\n'
        '[[source]]\nname = "좋음"\nkind = "rss"\nurl = "https://example.com/y"\n\n'
        '[[source]]\nname = "낱말"\nkind = "rss"\nurl = "https://e.com"\ninclude = "라벨링"\nexclude = [1]\n\n'
        '[[source]]\nname = "주소 우선"\nkind = "google_news"\nurl = "https://example.com/news.xml"\n',
        encoding="utf-8")
    sources, problems = load_sources(path)
    assert [s.name for s in sources] == ["좋음", "주소 우선"]
    assert [(p.name, p.message) for p in problems] == [
        ("[[source]] #2", "2번째 [[source]]에 name이 없습니다."),
        ("이상한 종류", "'이상한 종류': 알 수 없는 kind 'ftp'입니다 (가능: email, google_news, html, naver_blog, "
                   "naver_search, nia, rss, saramin_api, tistory, work24)."),
        ("키 없음", "'키 없음': kind 'google_news'에는 query가 필요합니다."),
        ("좋음", "'좋음': 같은 이름의 소스가 이미 있습니다."),
        ("낱말", "'낱말': exclude는 문자열 목록이어야 합니다 (예: exclude = [\"라벨링\", \"재택\"])."),
    ]


def test_a_broken_file_is_one_clear_error(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text("[[source]\nname = ", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    assert str(info.value).startswith(f"소스 설정 파일을 읽을 수 없습니다 ({path}): ")
    with pytest.raises(ConfigError, match="소스 설정 파일이 없습니다"):
        load_sources(tmp_path / "none.toml")
