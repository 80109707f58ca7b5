"""The ``argdown`` exporter: the source and canonical layouts, escapes, YAML, and what the notation cannot say."""

from __future__ import annotations

import pytest

import argmap
from argmap.errors import ExporterError
from argmap.exporters.argdown import EXPORTER, render
from argmap.exporters.argdown_text import data_block, escape_text
from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
    TextRange,
)
from argmap.plugins import default_registry


def S(title: str) -> Node:
    return Node(ElementKind.STATEMENT, title)


def A(title: str) -> Node:
    return Node(ElementKind.ARGUMENT, title)


def _round_trip(argument_map: ArgumentMap) -> str:
    written = render(argument_map)
    assert argmap.parse(written) == argument_map, written
    assert render(argmap.parse(written)) == written
    return written


def test_registered_as_a_text_format() -> None:
    exporter = default_registry().get("argdown")
    assert (exporter.name, exporter.suffix, exporter.binary) == ("argdown", ".arg", False)
    assert default_registry().for_suffix(".arg") == "argdown"


def test_unknown_option_is_refused() -> None:
    with pytest.raises(ExporterError, match="only 'layout'"):
        EXPORTER.export(ArgumentMap(), wrap=3)
    with pytest.raises(ExporterError, match="layout must be"):
        render(ArgumentMap(), layout="pretty")


def test_empty_map_is_empty_text() -> None:
    assert render(ArgumentMap()) == ""


def test_map_built_in_code_gets_the_canonical_layout() -> None:
    built = ArgumentMap(
        statements={
            "Rain": Statement("Rain", (Text("It will rain."),), section="s1"),
            "Clouds": Statement("Clouds", (Text("The sky is grey."),), data={"confidence": 0.8}, section="s1"),
            "Untitled 1": Statement("Untitled 1", (Text("Forecasts fail."),), section="s1", generated_title=True),
        },
        arguments={
            "Umbrella": Argument(
                "Umbrella",
                (Text("Rain, so take one."),),
                steps=(Premise(1, "Rain"), Conclusion(2, "Take", Inference(("modus ponens",)))),
                section="s1",
            )
        },
        relations=(
            Relation(S("Clouds"), S("Rain"), RelationKind.SUPPORT),
            Relation(S("Untitled 1"), A("Umbrella"), RelationKind.ATTACK),
        ),
        sections=(Section("s1", "Weather", 1),),
        metadata={"title": "Lesson"},
    )
    built = ArgumentMap(
        {**built.statements, "Take": Statement("Take")},
        built.arguments,
        built.relations,
        built.sections,
        built.metadata,
    )
    assert _round_trip(built) == (
        "===\n"
        "title: Lesson\n"
        "===\n"
        "\n"
        "# Weather\n"
        "\n"
        "[Rain]: It will rain.\n"
        "\n"
        "[Clouds]: The sky is grey.\n"
        "  {confidence: 0.8}\n"
        "\n"
        "<Umbrella>: Rain, so take one.\n"
        "\n"
        "(1) [Rain]\n"
        "-- modus ponens --\n"
        "(2) [Take]\n"
        "\n"
        "[Rain]\n"
        "  + [Clouds]\n"
        "\n"
        "<Umbrella>\n"
        "  - Forecasts fail.\n"
    )


def test_source_layout_keeps_the_authors_trees_and_comments() -> None:
    source = (
        "// about clouds\n"
        "[Clouds]: Dark clouds.\n"
        "  +> [Forecast]\n"
        "  <+ [Satellite]: Pictures show a front.\n"
        "    - [Old]: The pictures are old.\n"
        "  -> [Picnic]: Picnic outside.\n"
    )
    # '<+' is written as its canonical spelling '+'; everything else stays where it was
    assert render(argmap.parse(source)) == source.replace("<+", "+")


def test_every_relation_kind_and_direction() -> None:
    source = (
        "<Arg>: An argument.\n"
        "  + [A]: a\n"
        "  - [B]: b\n"
        "  <_ [C]: c\n"
        "  +> [D]: d\n"
        "  -> [E]: e\n"
        "  _> <Other>: other\n"
        "\n"
        "[A]\n"
        "  >< [F]: f\n"
    )
    assert _round_trip(argmap.parse(source)) == source


def test_strict_mode_relations_are_written_with_plus_and_minus() -> None:
    strict = ArgumentMap(
        statements={"A": Statement("A", (Text("a"),)), "B": Statement("B", (Text("b"),))},
        relations=(
            Relation(S("B"), S("A"), RelationKind.ENTAILMENT),
            Relation(S("A"), S("B"), RelationKind.CONTRARINESS),
        ),
        metadata={"model": {"mode": "strict"}},
    )
    written = _round_trip(strict)
    assert "[B]\n  - [A]\n    + [B]\n" in written  # the front matter makes these entailment and contrariness


def test_a_value_two_front_matter_keys_share_is_written_in_full_under_each() -> None:
    # long enough for block style, where PyYAML numbers its anchors per key: two keys defined "&id001" twice
    shared = {f"key{i}": f"value number {i}" for i in range(8)}
    sharing = ArgumentMap(
        statements={"A": Statement("A", (Text("a"),))},
        metadata={"title": [shared, {"x": shared}], "author": [shared]},
    )
    written = _round_trip(sharing)
    assert "&" not in written and "*" not in written
    assert written.count("value number 7") == 3


def test_untitled_statements_are_written_once_as_text() -> None:
    source = "[Bridge]: Build it.\n  + It helps trade.\n  - It is expensive.\n    + Costs always overrun.\n"
    written = _round_trip(argmap.parse(source))
    assert written == source
    assert "Untitled" not in written


def test_tag_in_no_text_goes_on_a_reference() -> None:
    tagged = ArgumentMap(statements={"T": Statement("T", (Text("text #a"),), tags=("b", "a", "c"))})
    assert _round_trip(tagged) == "[T] #b\n\n[T]: text #a\n\n[T] #c\n"


def test_a_statement_with_two_texts_is_two_definitions() -> None:
    twice = ArgumentMap(statements={"T": Statement("T", (Text("one"), Text("two")))})
    assert _round_trip(twice) == "[T]: one\n\n[T]: two\n"


def test_text_that_looks_like_syntax_is_escaped() -> None:
    hostile = "(1) [x]: <y> #z {a: 1} // c /* d */ ** _e_ @[F] -- \\"
    written = _round_trip(ArgumentMap(statements={"T": Statement("T", (Text(hostile),))}))
    assert (
        written
        == "[T]: \\(1) \\[x\\]: \\<y\\> \\#z \\{a: 1\\} \\// c \\/\\* d \\*/ \\*\\* \\_e\\_ \\@\\[F\\] -- \\\\\n"
    )


def test_untitled_text_that_starts_like_a_relation_or_front_matter() -> None:
    for text in ("+ plus", "- minus", "=== rule", "-- dashes", ", comma", "# not a heading"):
        lone = ArgumentMap(statements={"Untitled 1": Statement("Untitled 1", (Text(text),), generated_title=True)})
        _round_trip(lone)


def test_ranges_are_written_as_markup() -> None:
    text = Text(
        "bold and it and link and @[B]",
        ranges=(
            TextRange(RangeKind.BOLD, 0, 4),
            TextRange(RangeKind.ITALIC, 9, 11),
            TextRange(RangeKind.LINK, 16, 20, url="https://example.org/x"),
            TextRange(RangeKind.STATEMENT_MENTION, 25, 29, title="B"),
        ),
    )
    assert (
        escape_text(text.text, (), text.ranges, line_start=False)
        == "**bold** and _it_ and [link](https://example.org/x) and @[B]"
    )
    marked = ArgumentMap(statements={"A": Statement("A", (text,)), "B": Statement("B", (Text("b"),))})
    _round_trip(marked)


def test_data_is_flow_yaml_that_survives_braces_and_dates() -> None:
    import datetime

    data = {"quote": "a } b", "n": [1, 2.5, None, True], "when": datetime.date(2019, 1, 8), "yes": "no"}
    written = data_block(data)
    assert written == '{quote: "a \\u007d b", n: [1, 2.5, null, true], when: 2019-01-08, "yes": "no"}'
    _round_trip(ArgumentMap(statements={"T": Statement("T", (Text("t"),), data=data)}))


def test_inference_data_and_uses() -> None:
    argument = Argument(
        "A",
        steps=(
            Premise(1, "P"),
            Conclusion(2, "C", Inference(("r1", "r2"), (1,), {"uses": [1]})),
        ),
    )
    written = _round_trip(ArgumentMap({"P": Statement("P"), "C": Statement("C")}, {"A": argument}))
    assert "-- r1, r2 {uses: [1]} --" in written


def test_untitled_pcs_after_an_argument_stays_untitled() -> None:
    source = "<A>: a\n\n[P]\n\n(1) [P]\n----\n(2) [C]\n"
    parsed = argmap.parse(source)
    assert parsed.arguments["Untitled 1"].generated_title
    assert _round_trip(parsed) == source


@pytest.mark.parametrize(
    ("title", "argument"),
    [("a]b", False), ("-a", False), ("a>b", True), ("!a", True), ("a\x01", False), ("", False)],
)
def test_titles_the_notation_cannot_write_are_refused(title: str, argument: bool) -> None:
    if argument:
        unwritable = ArgumentMap(arguments={title: Argument(title, (Text("x"),))})
    else:
        unwritable = ArgumentMap(statements={title: Statement(title, (Text("x"),))})
    with pytest.raises(ExporterError, match="title"):
        render(unwritable)


def test_deep_trees_are_written_without_recursion() -> None:
    depth = 3000
    source = "[A0]: a\n" + "".join("  " * (i + 1) + f"+ [A{i + 1}]: t{i}\n" for i in range(depth))
    assert render(argmap.parse(source)) == source


def test_data_strings_are_quoted_only_when_needed() -> None:
    data = {"mode": "strict", "quote": "Two words.", "yes": "no", "octal": "0o17", "date": "2019-01-08", "x-y": "a,b"}
    assert (
        data_block(data)
        == '{mode: strict, quote: "Two words.", "yes": "no", octal: "0o17", date: "2019-01-08", x-y: "a,b"}'
    )


def test_a_comment_between_an_argument_and_its_pcs_stays_there() -> None:
    source = "<A>: An argument.\n\n// its structure\n(1) [P]: p\n----\n(2) [C]: c\n"
    assert _round_trip(argmap.parse(source)) == source


def test_data_stays_on_the_definition_it_was_written_under() -> None:
    source = '[A]: first\n\n// more\n\n[A]: second\n  {quote: "Said twice."}\n\n[B]: b\n'
    assert _round_trip(argmap.parse(source)) == source


def test_a_reference_paragraph_is_not_merged_into_the_tree_above() -> None:
    source = "[A]: a\n  + [B]: b\n\n[A]\n  - [C]: c\n"
    assert _round_trip(argmap.parse(source)) == source


def test_a_reference_between_an_argument_tree_and_its_pcs_is_kept() -> None:
    # found by Hypothesis: reading the canonical layout back must not join the tree and the PCS
    source = "<U>\n  {s: 1}\n  + text\n    {k: 2}\n\n<U>\n\n(1) [A]: a\n----\n(2) [B]: b\n"
    assert _round_trip(argmap.parse(source)) == source


# -- white space, links and mentions as the reader reads them ----------------------------------------


def test_unicode_spaces_and_line_separators_are_text() -> None:
    # the reader folds ASCII white space only: a no-break space, U+202F, U+3000, U+2028 stay in texts and names
    source = (
        "===\ntitle: Map\n===\n\n# \u00a0Sec\u2028tion\n\n"
        "[10\u00a0km]: a\u2028b \u202fc\u3000d #(n\u00a0b) @<a\u00a0b>\n\n"
        "<a\u00a0b>: t\n\n[Only]: \u00a0\n\n<A>\n\n(1) [P]: p\n-- r\u00a0s --\n(2) [C]: c\n"
    )
    assert _round_trip(argmap.parse(source)) == source


def test_link_urls_and_texts_are_written_as_the_reader_keeps_them() -> None:
    # no escapes or markup inside a link, spaces and backslashes in a URL as they are
    source = "[X]: see [RFC_2119 *is* \\ #x [a](https://x.example/a b\\c<d>) and [p](u)\\-- then [q](v)\\(1)\n"
    assert _round_trip(argmap.parse(source)) == source
    label = "y" * 100
    linked = Text(f"see {label}", ranges=(TextRange(RangeKind.LINK, 4, 104, url='a"\\b'),))
    assert _round_trip(ArgumentMap(statements={"X": Statement("X", (linked,))})) == f'[X]: see [{label}](a"\\b)\n'


def _one_text(text: Text) -> ArgumentMap:
    return ArgumentMap(statements={"X": Statement("X", (text,)), "B": Statement("B", (Text("b"),))})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("a)b", "holds '\\)'"),
        ("a\nb", "holds '\\\\n'"),
        ("a\rb", "holds '\\\\r'"),
        (" a", "white space at an end"),
        ("a\t", "white space at an end"),
        ("a\u00a0", "white space at an end"),  # the reader strips a URL's ends, Unicode spaces too
        ("", "is empty"),
        ("a" * 2001, "longer than 2000"),
        ("a\x1b", "control character"),
    ],
)
def test_urls_the_notation_cannot_hold_are_refused(url: str, message: str) -> None:
    with pytest.raises(ExporterError, match=message):
        render(_one_text(Text("see p", ranges=(TextRange(RangeKind.LINK, 4, 5, url=url),))))


@pytest.mark.parametrize(
    ("text", "ranges", "message"),
    [
        ("see a]b", (TextRange(RangeKind.LINK, 4, 7, url="u"),), "holds '\\]'"),
        ("see " + "y" * 101, (TextRange(RangeKind.LINK, 4, 105, url="u"),), "longer than the 100"),
        ("see   ", (TextRange(RangeKind.LINK, 4, 6, url="u"),), "is empty"),
        (
            "see bold",
            (TextRange(RangeKind.LINK, 4, 8, url="u"), TextRange(RangeKind.BOLD, 5, 8)),
            "inside a link or mention",
        ),
        (
            "see @<B>",
            (TextRange(RangeKind.LINK, 4, 8, url="u"), TextRange(RangeKind.ARGUMENT_MENTION, 4, 8, title="B")),
            "overlap",
        ),
        ("about B", (TextRange(RangeKind.STATEMENT_MENTION, 6, 7, title="B"),), "is not written @\\[B\\]"),
        ("about @[C]", (TextRange(RangeKind.STATEMENT_MENTION, 6, 10, title="B"),), "does not name that title"),
        ("about @<B>", (TextRange(RangeKind.STATEMENT_MENTION, 6, 10, title="B"),), "is not written @\\[B\\]"),
        ("about @[a b]", (TextRange(RangeKind.STATEMENT_MENTION, 6, 12, title="a  b"),), "spaces or line breaks"),
        ("about @<a>b>", (TextRange(RangeKind.ARGUMENT_MENTION, 6, 12, title="a>b"),), "holds '>'"),
        (f"about @[{'m' * 501}]", (TextRange(RangeKind.STATEMENT_MENTION, 6, 510, title="m" * 501),), "longer than"),
    ],
)
def test_links_and_mentions_the_notation_cannot_hold_are_refused(
    text: str, ranges: tuple[TextRange, ...], message: str
) -> None:
    with pytest.raises(ExporterError, match=message):
        render(_one_text(Text(text, ranges=ranges)))


def test_a_mention_reads_back_with_its_own_spacing() -> None:
    source = "[X]: about @[ B ] and @<A\u00a0b> here\n\n[B]: b\n"
    assert _round_trip(argmap.parse(source)) == source


@pytest.mark.parametrize("tag", ["a\x07b", "a\u2028b", "a  b", " a", "a)b", ""])
def test_tags_the_notation_cannot_write_are_refused(tag: str) -> None:
    with pytest.raises(ExporterError, match="tag"):
        render(ArgumentMap(statements={"X": Statement("X", (Text("x"),), tags=(tag,))}))


def test_a_tag_with_a_no_break_space_is_written_in_parentheses() -> None:
    tagged = ArgumentMap(statements={"X": Statement("X", (Text("x"),), tags=("10\u00a0km",))})
    assert _round_trip(tagged) == "[X]: x\n\n[X] #(10\u00a0km)\n"
