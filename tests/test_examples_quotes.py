"""The example maps stay honest: every quote is the article's own words, and every example is valid Argdown.

The quotes are read from the YAML flow data blocks with a regular expression and
PyYAML, so this check does not depend on argmap's own parser.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NORTH_KOREA = EXAMPLES / "north-korea.arg"
ARTICLE_CANDIDATES = (
    ROOT.parent / "shared" / "article" / "north-korea-defection.txt",
    ROOT / "tests" / "data" / "north-korea-defection.txt",
)
ARGDOWN = ROOT / ".cache" / "argdown" / "node_modules" / ".bin" / "argdown"

#: a data block on a line of its own: ``{...}`` (indented like a relation)
DATA_LINE = re.compile(r"^[ \t]*(\{.*\})[ \t]*$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A\s*===\n.*?\n===\n", re.DOTALL)
WHITESPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Runs of whitespace become one space, so line breaks in the source do not matter."""
    return WHITESPACE.sub(" ", text).strip()


def data_blocks(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Every data block after the front matter, with its line number, as YAML reads it."""
    front = FRONT_MATTER.match(text)
    offset = front.end() if front else 0
    blocks = []
    for match in DATA_LINE.finditer(text, offset):
        line = text.count("\n", 0, match.start()) + 1
        value = yaml.safe_load(match.group(1))
        assert isinstance(value, dict), f"line {line}: data block is not a mapping"
        blocks.append((line, value))
    return blocks


def quotes_of(text: str) -> list[tuple[int, str]]:
    """Every quote string with the line of its data block (a quote may be a list)."""
    found = []
    for line, data in data_blocks(text):
        quote = data.get("quote")
        if quote is None:
            continue
        items = quote if isinstance(quote, list) else [quote]
        for item in items:
            assert isinstance(item, str), f"line {line}: quote {item!r} is not a string"
            found.append((line, item))
    return found


def missing_quotes(arg_text: str, article: str) -> list[tuple[int, str]]:
    """The quotes that do not occur verbatim (up to whitespace) in ``article``."""
    body = collapse(article)
    return [(line, q) for line, q in quotes_of(arg_text) if collapse(q) not in body]


def article_text() -> str:
    for candidate in ARTICLE_CANDIDATES:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.fail(f"article text not found in {[str(c) for c in ARTICLE_CANDIDATES]}")


def test_every_quote_is_verbatim_in_the_article() -> None:
    arg_text = NORTH_KOREA.read_text(encoding="utf-8")
    quotes = quotes_of(arg_text)
    assert len(quotes) >= 40, f"expected the map to quote the article throughout, found {len(quotes)} quotes"
    assert missing_quotes(arg_text, article_text()) == []


def test_the_check_catches_a_changed_character() -> None:
    # A straight apostrophe where the article has a curly one must not pass.
    article = "it’s not just the US"
    assert missing_quotes('[A]: a\n  {quote: "it’s not just"}\n', article) == []
    assert missing_quotes('[A]: a\n  {quote: "it\'s not just"}\n', article) == [(2, "it's not just")]


def test_no_quote_spans_the_sidebar() -> None:
    # The author box interrupts the second paragraph; text on both sides of it is not one passage.
    for _line, quote in quotes_of(NORTH_KOREA.read_text(encoding="utf-8")):
        assert not ("or is it an" in quote and "indication" in quote)
        assert "Disclosure statement" not in quote and "EPA Images" not in quote


def test_front_matter_names_the_article() -> None:
    text = NORTH_KOREA.read_text(encoding="utf-8")
    front = FRONT_MATTER.match(text)
    assert front is not None
    meta = yaml.safe_load(front.group(0).strip().strip("=").strip())
    assert meta["author"] == "Sojin Lim"
    assert str(meta["date"]) == "2019-01-08"
    assert meta["source"] == "The Conversation, 8 January 2019"
    assert meta["licence"] == "CC BY-ND 4.0"
    assert meta["title"].startswith("North Korea: what latest defection")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.arg")), ids=lambda p: p.name)
def test_example_data_blocks_are_yaml_mappings(path: Path) -> None:
    data_blocks(path.read_text(encoding="utf-8"))


@pytest.mark.oracle
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.arg")), ids=lambda p: p.name)
def test_example_is_valid_argdown(path: Path) -> None:
    if not ARGDOWN.exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("the Argdown CLI is required when CI is set")
        pytest.skip("the Argdown CLI is not installed")
    result = subprocess.run(
        [str(ARGDOWN), "json", str(path), "--stdout", "--silent"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
