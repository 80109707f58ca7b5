"""argmap.lalr against Lark: the fast loop gives Lark's tree, token for token, or hands the input back.

The reader parses with :func:`argmap.lalr.parse` and falls back to Lark's own parser when it returns
``None``. That is only sound if, on every input, the loop either builds exactly Lark's tree (same rules,
same tokens with the same types and positions) or gives up exactly where Lark raises. This test holds
the two side by side on the whole notation corpus, on thousands of fixed-seed mutations of it (the fuzzer's
cases) and on documents built to reach the loop's corners (deep relation trees, comments, CRLF-free
line ends, the end of input inside a construct).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fuzz.mutate import notation_case, notation_corpus

from argmap import lalr, reader

SEED = 424242
MUTATIONS = 4_000

CORNERS = {
    "empty": "",
    "only-newlines": "\n\n\n",
    "no-final-newline": "[A]: a",
    "deep": "[A]: a\n" + "".join("  " * (i + 1) + f"+ [S{i}]: s\n" for i in range(300)),
    "dedent-at-end": "[A]: a\n  + [B]: b\n    - <C>: c",
    "comments": "// one\n[A]: a /* two */ text\n<!-- three -->\n\n/* four\nlines */\n\n<B>: b // five",
    "pcs-at-end": "(1) [P]: p\n----\n(2) [C]: c",
    "unfinished-pcs": "(1) [P]: p\n----\n",
    "unclosed-data": "[A]: a {x: 1",
    "bad-dedent": "[A]: a\n    + [B]: b\n  + [C]: c",
    "stray-symbol": "[A]: a\n\n  + [B]: b",
    "front-matter": "===\ntitle: T\n===\n\n# H {a: 1}\n\n[A]: a #t #(long tag)",
    "inference": "(1) p\n-- rule one, rule two {uses: [1]} --\n(2) c",
}


def _lark(text: str) -> Any:
    """Lark's own tree of ``text``, or the exception class it raises."""
    parser, postlexer = reader._parser()
    postlexer.start(text, "<test>")
    try:
        return parser.parse(text)
    except Exception as exc:  # the comparison is on what is raised
        return type(exc)


def _fast(text: str) -> Any:
    parser, postlexer = reader._parser()
    postlexer.start(text, "<test>")
    try:
        return lalr.parse(parser, text)
    except Exception as exc:  # the post-lexer's own errors, which both paths raise
        return type(exc)


def _shape(tree: Any) -> list[tuple[Any, ...]]:
    """Every rule and token of ``tree`` in order, tokens with their positions (no recursion: trees may be deep)."""
    out: list[tuple[Any, ...]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            t = node
            out.append((t.type, str(t), t.start_pos, t.line, t.column, t.end_line, t.end_column, t.end_pos))
        else:
            out.append((node.data, len(node.children)))
            stack.extend(reversed(node.children))
    return out


def _agree(text: str) -> None:
    text = reader.normalise_newlines(text)
    expected, got = _lark(text), _fast(text)
    if isinstance(expected, type):  # Lark raises: the loop must give up (None) or raise the same error
        assert got is None or got is expected, f"Lark raises {expected.__name__}, the loop gives {got!r}"
        return
    assert got is not None, "the loop gave up on a document Lark parses"
    assert not isinstance(got, type), f"the loop raised {got.__name__} on a document Lark parses"
    assert _shape(got) == _shape(expected)


def _corpus() -> Iterator[Any]:
    for seed in notation_corpus():
        yield pytest.param(seed.text, id=seed.name)


@pytest.mark.parametrize("text", list(_corpus()))
def test_corpus_document(text: str) -> None:
    _agree(text)


@pytest.mark.parametrize("name", sorted(CORNERS))
def test_corner(name: str) -> None:
    _agree(CORNERS[name])


def test_fixed_seed_mutations() -> None:
    gave_up = 0
    for index in range(MUTATIONS):
        case = notation_case(SEED, index)
        try:
            _agree(case.payload)
        except AssertionError as error:
            raise AssertionError(f"case {index} (from {case.origin}, {case.mutations}): {error}") from None
        gave_up += _fast(reader.normalise_newlines(case.payload)) is None
    # the mutations must reach both paths: documents the loop parses and documents it hands back
    assert MUTATIONS // 10 < gave_up < MUTATIONS - MUTATIONS // 10, gave_up
