"""The rest of Argdown: lists, inline formatting, mentions, expanded inferences, block data, strict mode, includes."""

from __future__ import annotations

from pathlib import Path

import pytest

import argmap
from argmap import RangeKind, RelationKind


def ranges(text: str) -> list[tuple[str, str, str | None]]:
    m = argmap.parse(f"[A]: {text}")
    t = m.statements["A"].texts[0]
    return [(r.kind.value, t.text[r.start : r.end], r.url or r.title) for r in t.ranges]


def test_bold_italic_links_and_mentions_become_plain_text_with_ranges() -> None:
    m = argmap.parse("[A]: Some **bold**, *italic*, __b__ and _i_ with a [link](https://x.org) and @[B] and @<C>.")
    t = m.statements["A"].texts[0]
    assert t.text == "Some bold, italic, b and i with a link and @[B] and @<C>."
    assert [(r.kind, t.text[r.start : r.end]) for r in t.ranges] == [
        (RangeKind.BOLD, "bold"),
        (RangeKind.ITALIC, "italic"),
        (RangeKind.BOLD, "b"),
        (RangeKind.ITALIC, "i"),
        (RangeKind.LINK, "link"),
        (RangeKind.STATEMENT_MENTION, "@[B]"),
        (RangeKind.ARGUMENT_MENTION, "@<C>"),
    ]
    assert t.ranges[4].url == "https://x.org"
    assert (t.ranges[5].title, t.ranges[6].title) == ("B", "C")
    assert m.relations == ()  # a mention is a link, not a relation


@pytest.mark.parametrize(
    "text",
    ["snake_case_word here", "a lone * star", "2 * 3 * 4", "price_in_usd_", "a*b", "unclosed **bold", "_unclosed"],
)
def test_argdowns_emphasis_traps_are_text(text: str) -> None:
    m = argmap.parse(f"[A]: {text}")
    assert m.statements["A"].text == text
    assert m.statements["A"].texts[0].ranges == ()


def test_escaped_markup_is_text() -> None:
    assert ranges(r"\*not italic\* and \_no\_") == []
    assert argmap.parse(r"[A]: \*x\* \[y\]").statements["A"].text == "*x* [y]"


def test_formatting_across_a_line_break() -> None:
    assert ranges("one **two\nthree** four") == [("bold", "two three", None)]


def test_lists_hold_statements_and_arguments() -> None:
    m = argmap.parse("* [L1]: one\n* <L2>: two\n  + [S]: s\n\n1. [O1]: first\n2. plain item")
    assert m.statements["L1"].text == "one"
    assert m.arguments["L2"].description == "two"
    assert m.statements["O1"].text == "first"
    assert any(s.text == "plain item" and s.generated_title for s in m.statements.values())
    assert {str(r) for r in m.relations} == {"[S] support <L2>"}


def test_expanded_inference_with_rules_and_data() -> None:
    m = argmap.parse("<A>\n\n(1) p\n(2) q\n--\nmodus ponens, other\n{uses: [1, 2], logic: classical}\n--\n(3) c")
    inference = m.arguments["A"].conclusions[0].inference
    assert inference.rules == ("modus ponens", "other")
    assert inference.uses == (1, 2)
    assert dict(inference.data) == {"uses": [1, 2], "logic": "classical"}


def test_inference_data_on_one_line() -> None:
    m = argmap.parse("<A>\n\n(1) p\n-- rule {uses: [1]} --\n(2) c")
    assert m.arguments["A"].conclusions[0].inference.uses == (1,)


def test_block_style_data_on_statements_and_headings() -> None:
    m = argmap.parse("# H\n{\n  isGroup: false\n  color: red\n}\n\n[A]: a\n{\n  quote:\n    - one\n    - two\n}")
    assert dict(m.sections[0].data) == {"isGroup": False, "color": "red"}
    assert dict(m.statements["A"].data) == {"quote": ["one", "two"]}


def test_invalid_block_data_is_positioned_inside_the_block() -> None:
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse("[A]: a\n{\n  key: value\n  : bad\n}")
    assert info.value.line == 4


STRICT = "===\nmodel: {mode: strict}\n===\n\n"


def test_strict_mode_statement_relations_are_entailment_and_contrariness() -> None:
    m = argmap.parse(STRICT + "[A]: a\n  + [B]: b\n  - [C]: c\n  >< [D]: d\n  <- <X>: x")
    assert {str(r) for r in m.relations} == {
        "[B] entailment [A]",
        "[C] contrariness [A]",
        "[A] contradiction [D]",
        "<X> attack [A]",
    }
    assert m.strict and not argmap.parse("[A]: a").strict


def test_strict_mode_derives_from_conclusions() -> None:
    m = argmap.parse(STRICT + "[A]: a\n  <+ <X>\n\n<X>\n\n(1) p\n----\n(2) [Q]: q")
    assert {str(r) for r in m.derived_relations()} == {"[Q] entailment [A]"}
    assert {r.kind for r in m.relations} == {RelationKind.SUPPORT}


def test_contrariness_is_symmetric_in_the_derived_view() -> None:
    m = argmap.parse(STRICT + "[E]: e\n  - [F]: f\n\n[F]\n  - [E]")
    assert len(m.relations) == 2
    assert [str(r) for r in m.derived_relations()] == ["[F] contrariness [E]"]


# -- @include ---------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "main.arg").write_text("# Main\n\n[A]: a\n  + [B]\n\n@include(sub/b.arg)\n\n[C]: c\n")
    (tmp_path / "sub" / "b.arg").write_text("[B]: from b\n  - [D]: d\n\n@include(c.arg)\n")
    (tmp_path / "sub" / "c.arg").write_text("[E]: e\n")
    return tmp_path


def test_include_reads_files_relative_to_the_including_file(tree: Path) -> None:
    m = argmap.parse_file(tree / "main.arg")
    assert list(m.statements) == ["A", "B", "D", "E", "C"]
    assert {str(r) for r in m.relations} == {"[B] support [A]", "[D] attack [B]"}
    b, e, c = m.statements["B"].span, m.statements["E"].span, m.statements["C"].span
    assert (Path(b.source).name, b.line) == ("b.arg", 1)
    assert (Path(e.source).name, e.line) == ("c.arg", 1)
    assert (c.source, c.line) == ("", 8)


def test_a_file_included_twice_is_read_once(tree: Path) -> None:
    (tree / "main.arg").write_text("@include(sub/c.arg)\n\n@include(sub/c.arg)\n\n[A]: a\n")
    assert list(argmap.parse_file(tree / "main.arg").statements) == ["E", "A"]


def test_include_loop_is_an_error_naming_the_chain(tree: Path) -> None:
    (tree / "sub" / "c.arg").write_text("[E]: e\n\n@include(../main.arg)\n")
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse_file(tree / "main.arg")
    assert "main.arg -> b.arg -> c.arg -> main.arg" in info.value.message
    assert Path(info.value.source_name).name == "c.arg" and info.value.line == 3


def test_include_outside_the_folder_tree_is_refused_unless_allowed(
    tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.arg"
    outside.write_text("[X]: outside\n")
    (tree / "main.arg").write_text(f"[A]: a\n\n@include({outside})\n")
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse_file(tree / "main.arg")
    assert "outside" in info.value.message and (info.value.line, info.value.column) == (3, 10)
    assert "X" in argmap.parse_file(tree / "main.arg", allow_include_outside=True).statements


def test_missing_include_and_errors_inside_included_files_are_positioned(tree: Path) -> None:
    (tree / "main.arg").write_text("[A]: a\n\n@include(nope.arg)\n")
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse_file(tree / "main.arg")
    assert "nope.arg" in info.value.message and info.value.line == 3
    (tree / "main.arg").write_text("[A]: a\n\n@include(sub/c.arg)\n")
    (tree / "sub" / "c.arg").write_text("[E]: e\n\n  + [F]: f\n")
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse_file(tree / "main.arg")
    assert Path(info.value.source_name).name == "c.arg"
    assert (info.value.line, info.value.column) == (3, 3)
    assert info.value.source_line == "  + [F]: f"


def test_link_url_keeps_a_no_break_space_at_its_end() -> None:
    """Only ASCII blanks around a URL are dropped: a no-break space is part of it, as everywhere in the reader."""
    ranges = argmap.parse("[p]: see [l](a\u00a0) and [k]( b )").statements["p"].texts[0].ranges
    assert [r.url for r in ranges] == ["a\u00a0", "b"]
