"""Broken notation: argmap refuses it with the position a writer would look at and a useful message.

Each file in tests/bad_input/ holds one kind of mistake. ``EXPECTED`` says where the error must point
(1-based line and column of the offending token; for something missing, the place right after the last
thing written, where the missing part belongs) and words the message or its hint must contain. The comment after each
entry records what the Argdown CLI 1.7.5 says about the same file (checked by ``test_argdown_verdict``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from oracle import argdown

import argmap

BAD_INPUT = Path(__file__).resolve().parent / "bad_input"


class Expected(NamedTuple):
    line: int
    column: int
    #: words the message or its hint must contain (case-insensitive)
    words: tuple[str, ...]
    #: Argdown's position "line:column" when it rejects the file too, None when it accepts it
    argdown: str | None
    #: why argmap's message misses the words today (the message test is then a strict xfail), else None
    known_bug: str | None = None


EXPECTED: dict[str, Expected] = {
    # Argdown 2:1 "Expecting token of type EOF but found '+'"
    "relation-without-indentation.arg": Expected(2, 1, ("relation", "indent"), "2:1"),
    # Argdown 3:1 "Invalid paragraph start ... may not start with an outgoing support relation"
    "relation-after-empty-line.arg": Expected(3, 3, ("relation",), "3:1"),
    # Argdown accepts: the relation gets an empty untitled statement as its source
    "relation-without-statement.arg": Expected(2, 4, ("relation",), None),
    # Argdown 2:1 "expecting at least one iteration ..." (`*` starts a list item, not in argmap's release)
    "unknown-relation-symbol.arg": Expected(2, 3, ("relation",), "2:1"),
    # Argdown accepts: "[]: Nothing here." becomes the text of an untitled statement.
    # argmap rejects it on purpose: an empty title is a slip, not text (docs/argdown-compatibility.md)
    "empty-title.arg": Expected(1, 1, ("title",), None),
    # Argdown 1:5 "Missing text content. Please add a line of text or refer to an existing statement"
    "definition-without-text.arg": Expected(1, 1, ("text",), "1:5"),
    # Argdown 5:5 "Expecting (Statement Number) but found ''"
    "pcs-without-conclusion.arg": Expected(5, 5, ("conclusion",), "5:5"),
    # Argdown 4:22 "Missing inference. Use four hyphens (----) between two numbered statements"
    "pcs-without-inference.arg": Expected(4, 22, ("conclusion",), "4:22"),
    # Argdown 3:1 "Invalid paragraph start ... may not start with an outgoing attack relation"
    "inference-before-premise.arg": Expected(3, 1, ("premise",), "3:1"),
    # Argdown 5:1 "Invalid inference syntax. Please end your inference with two hyphens (--)"
    "unclosed-inference-rules.arg": Expected(4, 1, ("inference",), "5:1"),
    # Argdown: exception "Multiple premise-conclusion-structures assigned to argument <A>" (no position)
    "second-pcs-for-argument.arg": Expected(9, 1, ("<A>",), "exception"),
    # Argdown 2:9 "Expecting token of type Dedent but found '[B]:'" ("(1) " is read as text)
    "statement-number-in-relation.arg": Expected(2, 5, ("number",), "2:9"),
    # Argdown: exception "bad indentation of a mapping entry (2:9)" from js-yaml
    "front-matter-invalid-yaml.arg": Expected(2, 9, ("front matter", "yaml"), "exception 2:9"),
    # Argdown: exception "missed comma between flow collection entries (1:24)" (column inside the block)
    "data-invalid-yaml.arg": Expected(1, 42, ("data", "yaml"), "exception 1:42"),
    # Argdown accepts: "/* never closed" becomes the text of an untitled statement.
    # argmap rejects it on purpose: an unclosed comment would silently publish a private note
    "unterminated-block-comment.arg": Expected(3, 1, ("comment",), None),
    # Argdown 2:1 "Expecting token of type EOF but found '[A]:'" (a heading needs an empty line after it)
    "heading-followed-by-statement.arg": Expected(2, 1, ("heading",), "2:1"),
    # Argdown 1:23 "Expecting token of type EOF but found '[the source]'" (a link without its ')' is a reference)
    "unclosed-link.arg": Expected(1, 23, ("escape",), "1:23"),
    # Argdown 3:1 "Expecting token of type EOF but found '  -'" (a dedent to a level no relation above has)
    "relation-indentation-mismatch.arg": Expected(3, 3, ("indentation",), "3:1"),
    # Argdown 3:1: the same with a tab, which counts one column (less than the two spaces above)
    "tab-indentation-mismatch.arg": Expected(3, 2, ("indentation",), "3:1"),
    # Argdown accepts: "<>: Nothing here." becomes the text of an untitled statement (as empty-title.arg)
    "empty-argument-title.arg": Expected(1, 1, ("title",), None),
    # Argdown accepts: "{source: report, page: 12" becomes text. argmap rejects it: half a data block is a slip
    "unclosed-data-block.arg": Expected(1, 19, ("data", "}"), None),
    # Argdown 1:3 "expecting at least one iteration ... but found '\\n\\n'"
    "empty-heading.arg": Expected(1, 3, ("heading",), "1:3"),
}


def test_every_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD_INPUT.glob("*.arg")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 22


def _with_known_bugs() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=e.known_bug)) if e.known_bug else name
        for name, e in sorted(EXPECTED.items())
    ]


@pytest.mark.parametrize("name", _with_known_bugs())
def test_parse_file_reports_position_and_line(name: str) -> None:
    path = BAD_INPUT / name
    expected = EXPECTED[name]
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse_file(path)
    error = caught.value
    assert (error.line, error.column) == (expected.line, expected.column), str(error)
    explanation = f"{error.message} (hint: {error.hint})"
    for word in expected.words:
        assert word.lower() in explanation.lower(), f"{word!r} not in {explanation!r}"
    report = str(error)
    assert report.startswith(f"{path}:{expected.line}:{expected.column}: error:"), report
    source_line = path.read_text(encoding="utf-8").splitlines()[expected.line - 1]
    lines = report.splitlines()
    shown = "    " + source_line.expandtabs(1).rstrip()
    assert shown in [line.rstrip() for line in lines], report
    caret_line = lines[[line.rstrip() for line in lines].index(shown) + 1]
    assert caret_line == "    " + " " * (expected.column - 1) + "^", report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_command_fails_cleanly(name: str) -> None:
    relative = Path("tests") / "bad_input" / name
    expected = EXPECTED[name]
    completed = subprocess.run(
        [sys.executable, "-m", "argmap", "check", str(relative)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=argdown.ROOT,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert f"{relative}:{expected.line}:{expected.column}" in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout


@pytest.mark.oracle
def test_argdown_verdict() -> None:
    """The Argdown CLI rejects exactly the files recorded as rejected, at the recorded position."""
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    paths = [BAD_INPUT / name for name in sorted(EXPECTED)]
    verdicts = {}
    for path, result in argdown.run(paths).items():
        if result["ok"]:
            verdicts[path.name] = None
        elif result["errors"]:
            first = result["errors"][0]
            verdicts[path.name] = f"{first['line']}:{first['column']}"
        else:
            verdicts[path.name] = "exception"
    recorded = {name: e.argdown.split(" ")[0] if e.argdown else None for name, e in EXPECTED.items()}
    assert verdicts == recorded
