"""The Pygments lexer of the notation (argmap/lexer.py), found by Pygments through its own plugin entry point.

Every document of the corpus (examples, tests/notation, the conformance suite, the bad
inputs) lexes without an ``Error`` token into tokens that add up to the document; on
every document argmap reads, the titles the lexer marks are exactly the titles the
reader finds; a golden token stream covers every construct; and Hypothesis checks the
same on random text and on the notation of generated maps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pygments.lexers import (
    find_lexer_class_by_name,
    get_lexer_by_name,
    get_lexer_for_filename,
    get_lexer_for_mimetype,
)
from pygments.lexers.data import YamlLexer
from pygments.token import Error, Generic, Text, _TokenType
from strategies import EXAMPLES, HOSTILE, argument_maps, property_settings

import argmap
from argmap.errors import ArgmapError
from argmap.exporters.argdown import render
from argmap.lexer import (
    _DATA,
    _LONG_TAG,
    _STRONG_STARS,
    _STRONG_UNDERSCORES,
    ARGUMENT,
    ATTACK,
    MENTION,
    STATEMENT,
    SUPPORT,
    ArgdownLexer,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "lexer" / "every-construct.arg"
DOCUMENTS = sorted(
    {
        *ROOT.glob("examples/*.arg"),
        *ROOT.glob("tests/notation/*.arg"),
        *ROOT.glob("tests/conformance/**/*.arg"),
        *ROOT.glob("tests/bad_input/*.arg"),
        *ROOT.glob("tests/lexer/*.arg"),
    }
)
SUBPROCESS_TIMEOUT = 120

Token = tuple[int, _TokenType, str]


def lex(text: str) -> list[Token]:
    return list(ArgdownLexer().get_tokens_unprocessed(text))


def assert_well_formed(text: str, tokens: list[Token]) -> None:
    """No Error token, no empty token, each token where the previous one ended, and all of them the text."""
    errors = [(position, value) for position, token, value in tokens if token in Error]
    assert not errors, f"Error tokens at {errors[:5]}"
    position = 0
    for start, token, value in tokens:
        assert start == position, f"{token} {value!r} at {start}, expected {position}"
        assert value, f"an empty {token} token at {start}"
        position += len(value)
    assert "".join(value for _, _, value in tokens) == text


def titles(tokens: Iterable[Token]) -> tuple[set[str], set[str]]:
    """The statement and argument titles the lexer marks where an element is written (mentions left out)."""
    statements: set[str] = set()
    arguments: set[str] = set()
    before: _TokenType | None = None
    for _, token, value in tokens:
        if before is not MENTION:
            if token is STATEMENT:
                statements.add(value)
            elif token is ARGUMENT:
                arguments.add(value)
        before = token
    return statements, arguments


def reader_titles(argument_map: argmap.ArgumentMap) -> tuple[set[str], set[str]]:
    statements = {f"[{title}]" for title, s in argument_map.statements.items() if not s.generated_title}
    arguments = {f"<{title}>" for title, a in argument_map.arguments.items() if not a.generated_title}
    return statements, arguments


# -- the corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_document_lexes_without_error_tokens_into_itself(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")  # line ends as written: CRLF and CR documents too
    assert_well_formed(text, lex(text))
    # Pygments' usual entry, which pygmentize, Sphinx and MkDocs use: line ends made "\n", a final "\n" added
    processed = list(ArgdownLexer(stripnl=False).get_tokens(text))
    assert not [value for token, value in processed if token in Error]
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # a BOM is dropped too
    assert "".join(value for _, value in processed) == (expected if expected.endswith("\n") else expected + "\n")


def test_the_corpus_is_all_there() -> None:
    """The corpus the tests above lex: if a folder moved, they would pass on nothing."""
    for folder in ("examples", "tests/notation", "tests/conformance", "tests/bad_input", "tests/lexer"):
        assert any(path.is_relative_to(ROOT / folder) for path in DOCUMENTS), folder
    assert len(DOCUMENTS) > 350


def test_the_titles_marked_are_the_titles_the_reader_finds() -> None:
    """On every document argmap reads (without includes): each title token is a title, and each title has one."""
    compared, mismatches = 0, []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        if "@include(" in text:
            continue  # the included files' titles are not in this text
        try:
            argument_map = argmap.parse(text, str(path))
        except ArgmapError:
            continue
        compared += 1
        found, expected = titles(lex(text)), reader_titles(argument_map)
        if found != expected:
            mismatches.append((path.name, found[0] ^ expected[0], found[1] ^ expected[1]))
    assert not mismatches
    assert compared > 300


# -- found through Pygments' plugin entry point -----------------------------------------------------


def test_pygments_finds_the_lexer_through_argmap_s_installed_entry_point() -> None:
    (entry,) = metadata.distribution("argmap").entry_points.select(group="pygments.lexers")
    assert (entry.name, entry.value) == ("argdown", "argmap.lexer:ArgdownLexer")
    assert entry.load() is ArgdownLexer
    # Pygments has no lexer of its own for these names: it can only have found argmap's plugin
    for name in ("argdown", "argmap", "Argdown"):
        assert type(get_lexer_by_name(name)) is ArgdownLexer
    assert find_lexer_class_by_name("argdown") is ArgdownLexer
    for filename in ("map.arg", "notes/debate.argdown"):
        assert type(get_lexer_for_filename(filename)) is ArgdownLexer
    assert type(get_lexer_for_mimetype("text/x-argdown")) is ArgdownLexer


def _pygmentize() -> str:
    script = Path(sys.executable).parent / ("pygmentize.exe" if os.name == "nt" else "pygmentize")
    assert script.is_file(), f"{script} is missing: the test extra installs Pygments with its pygmentize script"
    return str(script)


def test_pygmentize_highlights_a_map_in_a_process_of_its_own(tmp_path: Path) -> None:
    article = ROOT / "examples" / "north-korea.arg"
    shown = subprocess.run(
        [_pygmentize(), "-l", "argdown", "-f", "html", str(article)],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert '<span class="nc">[Kim open to change]</span>' in shown.stdout  # a statement title
    assert '<span class="gd">&gt;&lt;</span>' in shown.stdout  # a contradiction
    assert 'class="err"' not in shown.stdout
    # the lexer chosen by the file name alone, a whole page written to a file
    page = tmp_path / "map.html"
    written = subprocess.run(
        [_pygmentize(), "-f", "html", "-O", "full", "-o", str(page), str(article)],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert '<span class="nc">[Kim open to change]</span>' in page.read_text(encoding="utf-8")
    named = subprocess.run(
        [_pygmentize(), "-N", "debate.argdown"], capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT
    )
    assert named.stdout.strip() == "argdown"


def test_argmap_does_not_import_pygments() -> None:
    """Pygments is an extra: reading, exporting and the command never load it (only Pygments loads the lexer)."""
    code = (
        "import sys, argmap\n"
        "from argmap.cli import main\n"
        "from argmap.plugins import default_registry\n"
        "m = argmap.parse_file(sys.argv[1])\n"
        "for name in default_registry().names():\n"
        "    if name not in ('svg', 'png', 'pdf'):\n"
        "        argmap.export(m, name)\n"
        "assert main(['check', '-q', sys.argv[1]]) == 0\n"
        "print(sorted(k for k in sys.modules if k.startswith(('pygments', 'argmap.lexer', 'IPython'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "north-korea.arg")],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


# -- what the tokens are ----------------------------------------------------------------------------


def _golden_lines(text: str) -> str:
    """One line per token but white space: LINE:COLUMN, the token type, the text."""
    lines = []
    for start, token, value in lex(text):
        if str(token) == "Token.Text.Whitespace":
            continue
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        lines.append(f"{line}:{column}\t{str(token).removeprefix('Token.')}\t{value!r}")
    return "\n".join(lines) + "\n"


def test_golden_token_stream_of_every_construct(update_golden: bool) -> None:
    """tests/lexer/every-construct.tokens was reviewed token by token; a change to it must be reviewed again."""
    text = GOLDEN.read_text(encoding="utf-8")
    produced = _golden_lines(text)
    golden = GOLDEN.with_suffix(".tokens")
    if update_golden:
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("symbol", "kind"),
    [("+", SUPPORT), ("<+", SUPPORT), ("+>", SUPPORT)]
    + [(symbol, ATTACK) for symbol in ("-", "<-", "->", "_", "<_", "_>", "><")],
)
def test_relation_symbols_support_in_green_the_others_in_red(symbol: str, kind: _TokenType) -> None:
    text = f"[A]: a\n  {symbol} [B]: b\n"
    tokens = [(token, value) for _, token, value in lex(text) if str(token) != "Token.Text.Whitespace"]
    assert tokens[3:5] == [(kind, symbol), (STATEMENT, "[B]")]


def test_a_heading_starts_a_block_only() -> None:
    assert (Generic.Heading, "#") in [(t, v) for _, t, v in lex("# Title\n")]
    inside = lex("[A]: a line\n# that goes on\n")
    assert not [value for _, token, value in inside if token in Generic.Heading]


def test_a_yaml_slip_in_a_data_block_is_plain_text() -> None:
    """Pygments' YAML lexer marks the stray "}" as an error; the Argdown lexer shows it as text."""
    assert any(token in Error for _, token, _ in YamlLexer().get_tokens_unprocessed("{a: 1}}"))
    tokens = lex("[A]: a {a: 1}} b\n")
    assert_well_formed("[A]: a {a: 1}} b\n", tokens)
    assert (Text, "}") in [(token, value) for _, token, value in tokens]


# -- properties ---------------------------------------------------------------------------------------

#: characters that mean something in the notation, a few letters, white space of every kind, and beyond ASCII
_ALPHABET = HOSTILE + "ab1 \t\n\r=" + "é\u00a0\u2028"


@property_settings(EXAMPLES * 4)
@given(st.text(alphabet=_ALPHABET, max_size=400))
def test_any_text_lexes_into_itself_without_error_tokens(text: str) -> None:
    assert_well_formed(text, lex(text))


#: pieces of text that open and close data, long tags and bold, or fail to
_PIECES = ["{", "}", "{a: 1}", "}  ,", "#(", ")", "#(b c)", "**", "**d**", "__", "__e__", "_", "*", " ", ",", "a", "\n"]


@property_settings(EXAMPLES * 4)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
@example("{a}  , b {x: 1}")  # the first "{" cannot close; the second can
@example("#( a\n#(b)")
@example("** a\n**b**")
def test_an_opening_shown_as_text_really_opens_nothing(text: str) -> None:
    """The lexer remembers where an unclosed construct cannot close; that memory never hides a real one."""
    patterns = {"{": _DATA, "#(": _LONG_TAG, "**": _STRONG_STARS, "__": _STRONG_UNDERSCORES}
    for start, token, value in lex(text):
        if value in patterns and token in (Text, Generic.Heading, Generic.Subheading):
            assert patterns[value].match(text, start) is None, (value, start)


# a quarter of the usual examples: generating maps is what takes the time, and the corpus test above reads more
@property_settings(EXAMPLES // 4)
@given(argument_maps())
def test_the_notation_of_any_map_lexes_to_its_titles(argument_map: argmap.ArgumentMap) -> None:
    text = render(argument_map)
    tokens = lex(text)
    assert_well_formed(text, tokens)
    assert titles(tokens) == reader_titles(argmap.parse(text))
