"""The example maps stay honest: every quote is the article's own words, and every example says what it claims.

The notation reference's snippets are checked here too: each must parse.

Quotes are collected twice: through ``argmap.parse_file`` and, independently of
argmap's parser, from the YAML flow data blocks with a regular expression and
PyYAML; both must find the same quotes.
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

import argmap
from argmap.model import ArgumentMap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NORTH_KOREA = EXAMPLES / "north-korea.arg"
NOTATION_DOC = ROOT / "docs" / "notation.md"
ARTICLE_CANDIDATES = (
    ROOT.parent / "shared" / "article" / "north-korea-defection.txt",
    ROOT / "examples" / "sources" / "north-korea-defection.txt",
)
ARGDOWN = ROOT / ".cache" / "argdown" / "node_modules" / ".bin" / "argdown"

#: a data block on a line of its own: ``{...}`` (indented like a relation)
DATA_LINE = re.compile(r"^[ \t]*(\{.*\})[ \t]*$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A\s*===\n.*?\n===\n", re.DOTALL)
WHITESPACE = re.compile(r"\s+")


DOC_SNIPPET = re.compile(r"^```argdown\n(.*?)^```", re.DOTALL | re.MULTILINE)


def doc_snippets() -> list[str]:
    """The Argdown snippets of docs/notation.md, in order."""
    return DOC_SNIPPET.findall(NOTATION_DOC.read_text(encoding="utf-8"))


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


def parsed_quotes(argument_map: ArgumentMap) -> list[str]:
    """Every quote string on the map's statements and arguments, as argmap's parser read it."""
    found: list[str] = []
    for element in argument_map.elements():
        quote = element.data.get("quote")
        if quote is None:
            continue
        items = quote if isinstance(quote, list) else [quote]
        assert all(isinstance(item, str) for item in items), f"{element.title}: {quote!r}"
        found.extend(items)
    return found


def in_ci() -> bool:
    """Under CI a missing tool is a failure, not a reason to skip (same rule as conftest)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def test_committed_article_copy_is_unchanged() -> None:
    shared, copy = ARTICLE_CANDIDATES
    if not shared.is_file():
        pytest.skip("the shared article folder is not beside this checkout; the committed copy stands alone")
    assert copy.read_bytes() == shared.read_bytes(), "examples/sources must hold the article unchanged (CC BY-ND)"


def article_text() -> str:
    for candidate in ARTICLE_CANDIDATES:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.fail(f"article text not found in {[str(c) for c in ARTICLE_CANDIDATES]}")


def test_every_quote_is_verbatim_in_the_article() -> None:
    body = collapse(article_text())
    quotes = parsed_quotes(argmap.parse_file(NORTH_KOREA))
    assert len(quotes) >= 40, f"expected the map to quote the article throughout, found {len(quotes)} quotes"
    assert [q for q in quotes if collapse(q) not in body] == []


def test_the_parser_and_the_plain_reading_find_the_same_quotes() -> None:
    arg_text = NORTH_KOREA.read_text(encoding="utf-8")
    assert missing_quotes(arg_text, article_text()) == []
    assert sorted(parsed_quotes(argmap.parse(arg_text))) == sorted(q for _line, q in quotes_of(arg_text))


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
    meta = argmap.parse_file(NORTH_KOREA).metadata
    assert meta["author"] == "Sojin Lim"
    assert str(meta["date"]) == "2019-01-08"
    assert meta["source"] == "The Conversation, 8 January 2019"
    assert meta["licence"] == "CC BY-ND 4.0"
    assert meta["title"].startswith("North Korea: what latest defection")


def test_north_korea_map_has_the_intended_shape() -> None:
    m = argmap.parse_file(NORTH_KOREA)
    assert 30 <= len(m.statements) <= 40
    assert 6 <= len(m.arguments) <= 12
    assert [s.title for s in m.sections] == [
        "North Korea: what latest defection tells us about hopes for peace on peninsula",
        "Introduction",
        "Bargaining chip",
        "Accountability",
    ]
    # Every statement renders a passage of the article (an argument may be quoted through its steps only).
    assert [s.title for s in m.statements.values() if "quote" not in s.data] == []
    assert sum("quote" in a.data for a in m.arguments.values()) >= 5
    assert all(a.is_reconstructed for a in m.arguments.values())
    main = {t for t, s in m.statements.items() if "main claim" in s.tags}
    assert main == {"Long process", "Way forward", "Defectors only insight"}
    relations = {str(r) for r in m.relations}
    assert {
        "[Personal reasons] undercut <Defection as a sign> (inference)",
        "[As bad as ever] contradiction [Kim open to change]",
        "[Cannot abandon nukes] support [Long process]",
        "[Gesture politics] attack [Way forward]",
        "[More promising] attack [Cannot abandon nukes]",
        "[UN sanctions] attack [Bargaining chip]",
    } <= relations
    assert m.arguments["Twofold answer"].conclusion == "Way forward"
    assert m.arguments["Imaginative deal"].premises == ("Dilemma", "Cannot abandon nukes", "Clusters ease both")


# The tutorials' comments say who acts on whom; these are those sentences.
TUTORIAL_RELATIONS = {
    "02-relations.arg": {
        "[Forecast] support [Umbrella]",
        "[Heavy] attack [Umbrella]",
        "[Accurate] support [Forecast]",
        "[Last week] attack [Accurate]",
        "[Clouds] support [Forecast]",
        "[Satellite] support [Clouds]",
        "[Clouds] attack [Picnic]",
        "[Picnic] contradiction [Indoors]",
    },
    "03-arguments.arg": {
        "[Dry route] undercut <Umbrella argument> (inference)",
        "[Wind] undercut <Umbrella argument> (inference)",
        "[Last year] support [Reliable]",
    },
}


@pytest.mark.parametrize("name", sorted(TUTORIAL_RELATIONS))
def test_tutorial_relations_mean_what_the_comments_say(name: str) -> None:
    m = argmap.parse_file(EXAMPLES / name)
    assert {str(r) for r in m.relations} == TUTORIAL_RELATIONS[name]


def test_tutorial_statements_and_arguments() -> None:
    first = argmap.parse_file(EXAMPLES / "01-statements.arg")
    assert [t.text for t in first.statements["Rain"].texts] == [
        "It will rain tomorrow.",
        "Tomorrow will be a rainy day.",
    ]
    assert first.statements["Umbrella"].text == "We should take an umbrella."
    assert set(first.statements["Forecast"].tags) == {"evidence", "weather service"}
    assert [s.text for s in first.statements.values() if s.generated_title] == ["The forecast was right last week."]
    third = argmap.parse_file(EXAMPLES / "03-arguments.arg")
    umbrella = third.arguments["Umbrella argument"]
    assert umbrella.intermediate_conclusions == ("Rain",)
    assert umbrella.conclusion == "Umbrella"
    assert umbrella.conclusions[-1].inference.rules == ("modus ponens",)
    assert third.statements["Last year"].data["quote"] == "Our forecasts were right on 9 days in 10 last year."
    assert third.metadata["title"] == "Lesson 3, arguments"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.arg")), ids=lambda p: p.name)
def test_example_data_blocks_are_yaml_mappings(path: Path) -> None:
    data_blocks(path.read_text(encoding="utf-8"))


def test_notation_reference_has_its_snippets() -> None:
    assert len(doc_snippets()) >= 15


@pytest.mark.parametrize("index", range(len(doc_snippets())))
def test_notation_snippet_parses(index: int) -> None:
    argmap.parse(doc_snippets()[index], f"docs/notation.md snippet {index + 1}")


def test_notation_relation_table_examples() -> None:
    # The "Both directions" snippet: arrows towards the child turn the direction around.
    both = next(s for s in doc_snippets() if "+> [Forecast]" in s)
    assert {str(r) for r in argmap.parse(both).relations} == {
        "[Clouds] support [Forecast]",
        "[Satellite] support [Clouds]",
        "[Clouds] attack [Picnic]",
    }


def require_argdown() -> None:
    if not ARGDOWN.exists() or shutil.which("node") is None:
        if in_ci():
            pytest.fail("the Argdown CLI is required when CI is set")
        pytest.skip("the Argdown CLI is not installed")


def run_argdown(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ARGDOWN), "json", str(path), "--stdout", "--silent"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.oracle
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.arg")), ids=lambda p: p.name)
def test_example_is_valid_argdown(path: Path) -> None:
    require_argdown()
    result = run_argdown(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.oracle
@pytest.mark.parametrize("index", range(len(doc_snippets())))
def test_notation_snippet_is_valid_argdown(index: int, tmp_path: Path) -> None:
    require_argdown()
    snippet = tmp_path / f"snippet-{index + 1}.arg"
    snippet.write_text(doc_snippets()[index], encoding="utf-8")
    result = run_argdown(snippet)
    assert result.returncode == 0, result.stdout + result.stderr
