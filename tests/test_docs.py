"""The README stays true: every setting, page and command in the code is documented."""
import re

import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


def test_every_environment_variable_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("views/*.py"),
                                                              *ROOT.glob("data/*.toml")])
    names = set(re.findall(r"\b(TRACKER_[A-Z_]+|[A-Z0-9]+_API_KEY|[A-Z]+_ACCESS_KEY)\b", code))
    assert names, "the code reads its settings from environment variables"
    assert sorted(n for n in names if f"`{n}`" not in README) == []


def test_every_page_is_documented():
    titles = re.findall(r'st\.Page\("[^"]+", title="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
    assert len(titles) >= 5
    assert [t for t in titles if f"| {t} |" not in README] == []


@pytest.mark.parametrize(("module", "program"), [("tracker/__main__.py", "python -m tracker"),
                                                 ("tracker/scrapers/__main__.py", "python -m tracker.scrapers")])
def test_every_cli_command_is_documented(module, program):
    source = (ROOT / module).read_text(encoding="utf-8")
    commands = re.findall(r'sub\.add_parser\(\s*"([a-z-]+)"', source)
    options = re.findall(r'add_argument\("(--[a-z-]+)"', source)
    assert commands and options
    assert [c for c in commands if f"{program} {c}" not in README] == []
    assert [o for o in options if o not in README] == []


def test_every_source_kind_is_documented():
    from tracker.scrapers.registry import KINDS

    assert [k for k in KINDS if f"| `{k}` |" not in README] == []


def test_every_data_file_is_documented():
    files = sorted(p.name for p in (ROOT / "data").glob("*.toml"))
    assert "season_prior.toml" in files
    assert [f for f in files if f"`data/{f}`" not in README] == []
