"""`python -m tracker migrate | demo`: exit codes, messages, and what they write."""
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import count_rows
from tracker.__main__ import main
from tracker.db import connect, current_revision, head_revision, make_engine

ROOT = Path(__file__).resolve().parent.parent


def test_migrate_creates_the_schema(db_url, capsys):
    assert main(["--db", db_url, "migrate"]) == 0
    assert current_revision(make_engine(db_url)) == head_revision()
    assert capsys.readouterr().out.startswith(f"스키마 최신: {db_url.split(':')[0]}:")


def test_demo_with_pinned_end(db_url, capsys):
    assert main(["--db", db_url, "demo", "--end", "2023-03"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("데모 데이터: 2021-10 ~ 2023-03, 회사 9곳, ")
    assert out.rstrip().endswith("실수령 합계 ₩18,436,370")
    assert count_rows(connect(db_url))["company"] == 9


def test_demo_refuses_a_database_with_data(db_url, capsys):
    assert main(["--db", db_url, "demo", "--end", "2023-03"]) == 0
    before = count_rows(connect(db_url))
    capsys.readouterr()
    assert main(["--db", db_url, "demo", "--end", "2023-03"]) == 1
    assert "--force" in capsys.readouterr().err
    assert count_rows(connect(db_url)) == before
    assert main(["--db", db_url, "demo", "--end", "2023-03", "--force"]) == 0
    assert count_rows(connect(db_url)) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--end", "2023/03"], "월은 YYYY-MM 형식으로 입력하세요: '2023/03'"),
        (["demo", "--scale", "0"], "--scale은 1 이상의 정수여야 합니다: '0'"),
    ],
)
def test_bad_arguments_are_explained(db_url, capsys, args, message):
    with pytest.raises(SystemExit) as info:
        main(["--db", db_url, *args])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_runs_as_a_module(db_url):
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", db_url, "migrate"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "스키마 최신" in done.stdout
