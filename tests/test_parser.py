"""Every construct of the notation, parsed into the model with Argdown's meaning."""

from __future__ import annotations

import datetime

import pytest

import argmap
from argmap import ElementKind, Node, Premise, RelationKind, SourceSpan


def rels(text: str) -> set[str]:
    return {str(r) for r in argmap.parse(text).relations}


def test_statement_definition_and_reference_are_the_same_statement() -> None:
    m = argmap.parse("[Rain]: It will rain.\n\n[Rain]\n\n[Rain]: Rain is coming.")
    assert list(m.statements) == ["Rain"]
    assert [t.text for t in m.statements["Rain"].texts] == ["It will rain.", "Rain is coming."]
    assert m.statements["Rain"].text == "Rain is coming."  # the last definition, as in Argdown
    assert m.statements["Rain"].span == SourceSpan(1, 1, 1, 22)


def test_a_statement_changed_after_its_element_closed_keeps_every_change() -> None:
    """The builder makes a statement when its element closes; a later mention that adds a text, a tag, data
    or a section makes it again (a mention that adds nothing keeps the one made)."""
    text = (
        "[Rain]: It will rain.\n"
        "  + [Clouds]\n"
        "\n"
        "# Weather\n"
        "\n"
        "[Clouds] #sky\n"
        "\n"
        "[Rain]\n"
        "\n"
        "[Clouds]: The sky is grey.\n"
        "\n"
        "[Clouds] {source: radar}\n"
    )
    m = argmap.parse(text)
    rain, clouds = m.statements["Rain"], m.statements["Clouds"]
    assert [t.text for t in rain.texts] == ["It will rain."] and rain.section is None
    assert [t.text for t in clouds.texts] == ["The sky is grey."]
    assert clouds.tags == ("sky",)
    assert dict(clouds.data) == {"source": "radar"}
    assert clouds.section == "s1"  # placed by its first definition, written inside the section
    assert clouds.span == SourceSpan(10, 1, 10, 27)


def test_untitled_statements_get_titles_that_cannot_collide() -> None:
    m = argmap.parse("A plain paragraph.\n\n[Untitled 1]: the author's own title\n\nAnother one.")
    generated = [s for s in m.statements.values() if s.generated_title]
    assert [s.text for s in generated] == ["A plain paragraph.", "Another one."]
    assert "Untitled 1" not in {s.title for s in generated}
    assert m.statements["Untitled 1"].text == "the author's own title"
    assert not m.statements["Untitled 1"].generated_title


def test_argument_definition_and_reference() -> None:
    m = argmap.parse("<Arg>: It is so.\n\n<Arg>")
    assert list(m.arguments) == ["Arg"]
    assert m.arguments["Arg"].description == "It is so."
    assert not m.arguments["Arg"].is_reconstructed


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("+", "[B] support [A]"),
        ("<+", "[B] support [A]"),
        ("-", "[B] attack [A]"),
        ("<-", "[B] attack [A]"),
        ("+>", "[A] support [B]"),
        ("->", "[A] attack [B]"),
        ("><", "[A] contradiction [B]"),
        ("_", "[B] undercut [A]"),
        ("_>", "[A] undercut [B]"),
    ],
)
def test_relation_symbols_between_statements(symbol: str, expected: str) -> None:
    assert rels(f"[A]: a\n  {symbol} [B]: b") == {expected}


def test_undercut_targets_the_inference_of_an_argument() -> None:
    m = argmap.parse("<Arg>: a\n  <_ [Doubt]: d\n  _> <Other>")
    assert {str(r) for r in m.relations} == {
        "[Doubt] undercut <Arg> (inference)",
        "<Arg> undercut <Other> (inference)",
    }
    assert m.relations[0].target == Node(ElementKind.INFERENCE, "Arg")
    assert m.undercutters("Arg") == (Node(ElementKind.STATEMENT, "Doubt"),)


def test_relation_trees_nest_to_any_depth_and_dedent() -> None:
    text = "[A]: a\n  + [B]: b\n    - <C>: c\n      + [D]\n        - [E]\n  - [F]\n    + [G]"
    assert rels(text) == {
        "[B] support [A]",
        "<C> attack [B]",
        "[D] support <C>",
        "[E] attack [D]",
        "[F] attack [A]",
        "[G] support [F]",
    }


def test_dedent_to_an_unknown_column_is_a_sibling_as_in_argdown() -> None:
    # levels 0, 2, 6: the line at column 5 closes level 6 and becomes a sibling of [B]
    assert rels("[A]: a\n  + [B]\n      - [C]\n    - [D]") == {"[B] support [A]", "[C] attack [B]", "[D] attack [A]"}


def test_dedent_below_the_first_relation_level_is_an_error_as_in_argdown() -> None:
    with pytest.raises(argmap.ArgmapSyntaxError) as info:
        argmap.parse("[A]: a\n    + [B]\n  - [C]")
    assert (info.value.line, info.value.column) == (3, 3)
    assert "indentation" in info.value.message


def test_relation_children_may_be_untitled_statements() -> None:
    m = argmap.parse("[A]: a\n  + just some text")
    (relation,) = m.relations
    assert m.statements[relation.source.title].text == "just some text"
    assert m.statements[relation.source.title].generated_title


def test_premise_conclusion_structure_attaches_to_the_argument_before_it() -> None:
    m = argmap.parse(
        "<Arg>: desc\n\n(1) [P1]: first\n(2) second\n-- modus ponens, other rule --\n(3) [Mid]: middle\n"
        "(4) fourth\n----\n(5) [C]: end"
    )
    arg = m.arguments["Arg"]
    assert arg.premises[0] == "P1" and len(arg.premises) == 3
    assert arg.conclusion == "C"
    assert arg.intermediate_conclusions == ("Mid",)
    assert arg.conclusions[0].inference.rules == ("modus ponens", "other rule")
    assert arg.conclusions[1].inference.rules == ()
    assert [s.number for s in arg.steps] == [1, 2, 3, 4, 5]
    assert isinstance(arg.steps[0], Premise)
    assert m.statements["Mid"].text == "middle"
    assert m.main_conclusions() == ("C",)
    assert m.arguments_for("C") == (arg,)


def test_pcs_without_an_argument_before_it_is_anonymous() -> None:
    m = argmap.parse("[X]: x\n\n(1) p\n----\n(2) c")
    (arg,) = m.arguments.values()
    assert arg.generated_title and arg.premises and arg.conclusion


def test_pcs_after_an_argument_reference() -> None:
    m = argmap.parse("<A>: a\n\n# Later\n\n<A>\n\n(1) p\n----\n(2) [C]: c")
    assert m.arguments["A"].conclusion == "C"
    assert m.arguments["A"].description == "a"


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("<A>: a\n  + <B>: b\n  - <D>: d\n\n(1) [P]: p\n----\n(2) [C]: c\n", "A"),  # not an argument of its tree
        ("<A>: a\n\n(1) [P]: p\n  + <B>: b\n----\n(2) [C]: c\n", "A"),  # nor one under its own premises
        ("* [S]: s\n* <L>: in a list\n\n(1) [P]: p\n----\n(2) [C]: c\n", "Untitled 1"),  # nor a list's item
        ("<A>: a\n\n# H\n\n(1) [P]: p\n----\n(2) [C]: c\n", "Untitled 1"),  # a heading between
        ("<A>: a\n\n[S]: s\n\n(1) [P]: p\n----\n(2) [C]: c\n", "Untitled 1"),  # a statement between
        ("===\ntitle: t\n===\n\n(1) [P]: p\n----\n(2) [C]: c\n", "Untitled 1"),  # front matter before it
    ],
)
def test_pcs_joins_only_the_argument_that_is_the_block_just_before_it(text: str, owner: str) -> None:
    m = argmap.parse(text)
    assert [a.title for a in m.arguments.values() if a.steps] == [owner]


def test_a_second_pcs_for_one_argument_is_an_error_reported_before_later_ones() -> None:
    # the errors of a document come in its order: the structure's before the data block's further down
    text = "<A>: a\n\n(1) [P]: p\n----\n(2) [C]: c\n\n<A>\n\n(1) [Q]: q\n----\n(2) [D]: d\n\n[X]: x {bad: [}\n"
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse(text, "m.arg")
    assert str(caught.value).startswith(
        "m.arg:9:1: error: argument <A> already has a premise-conclusion structure (line 3)"
    )
    assert "give this one its own argument title" in str(caught.value)


def test_relations_under_pcs_statements() -> None:
    m = argmap.parse("<A>\n\n(1) [P]: p\n  - [Objection]: o\n----\n(2) [C]: c\n  +> [Further]")
    assert {str(r) for r in m.relations} == {"[Objection] attack [P]", "[C] support [Further]"}


def test_derived_relations_re_express_reconstructed_arguments() -> None:
    m = argmap.parse("[S]: s\n  <+ <X>\n\n<X>\n\n(1) p\n----\n(2) [C]: c")
    assert {str(r) for r in m.relations} == {"<X> support [S]"}
    assert {str(r) for r in m.derived_relations()} == {"[C] support [S]"}


def test_headings_nest_as_sections() -> None:
    m = argmap.parse("# One\n\n[A]: a\n\n## Two #t\n\n[B]: b\n\n### Three\n\n# Four\n\n[C]: c")
    assert [(s.id, s.title, s.level, s.parent) for s in m.sections] == [
        ("s1", "One", 1, None),
        ("s2", "Two #t", 2, "s1"),
        ("s3", "Three", 3, "s2"),
        ("s4", "Four", 1, None),
    ]
    assert m.sections[1].tags == ("t",)
    assert [m.statements[t].section for t in "ABC"] == ["s1", "s2", "s4"]


def test_tags_single_and_multi_word() -> None:
    m = argmap.parse("[A]: text #tag #(two words) more\n\n<B>: b #x\n\n[A] #extra")
    assert m.statements["A"].tags == ("tag", "two words", "extra")
    assert m.statements["A"].text == "text #tag #(two words) more"
    assert m.arguments["B"].tags == ("x",)


def test_text_continues_over_several_lines() -> None:
    m = argmap.parse("[A]: one\ntwo - three\n   four + five")
    assert m.statements["A"].text == "one two - three four + five"


@pytest.mark.parametrize(
    "text",
    [
        "[A]: a // line comment\n  + [B]: b",
        "[A]: a /* block */\n  + [B]: b",
        "[A]: a <!-- html -->\n  + [B]: b",
        "// first\n/* multi\nline */\n[A]: a\n<!-- between -->\n  + [B]: b",
    ],
)
def test_comments_are_ignored(text: str) -> None:
    m = argmap.parse(text)
    assert m.statements["A"].text == "a"
    assert {str(r) for r in m.relations} == {"[B] support [A]"}


def test_front_matter_and_data_blocks() -> None:
    m = argmap.parse(
        "===\ntitle: A map\nauthor: Me\ndate: 2019-01-08\n===\n\n"
        '[A]: a {quote: "the words", n: 2}\n\n<B>: b\n{quote: [one, two]}\n  + [A]'
    )
    assert dict(m.metadata) == {"title": "A map", "author": "Me", "date": datetime.date(2019, 1, 8)}
    assert dict(m.statements["A"].data) == {"quote": "the words", "n": 2}
    assert dict(m.arguments["B"].data) == {"quote": ["one", "two"]}
    assert {str(r) for r in m.relations} == {"[A] support <B>"}


def test_escapes_keep_the_character() -> None:
    assert argmap.parse(r"[A]: a \[b\] \<c\> \#d").statements["A"].text == "a [b] <c> #d"


def test_crlf_and_cr_give_the_same_model_as_lf() -> None:
    text = "# S\n\n[A]: a\n  + [B]: b\n\n<X>\n\n(1) p\n----\n(2) [A]"
    lf = argmap.parse(text)
    assert argmap.parse(text.replace("\n", "\r\n")) == lf
    assert argmap.parse(text.replace("\n", "\r")) == lf
    assert argmap.parse("\ufeff" + text) == lf


def test_spans_are_one_based_with_exclusive_end() -> None:
    m = argmap.parse("\n[A]: abc\n  - <B>: bb")
    assert m.statements["A"].span == SourceSpan(2, 1, 2, 9)
    assert m.arguments["B"].span == SourceSpan(3, 5, 3, 12)
    assert m.relations[0].span == SourceSpan(3, 3, 3, 12)
    assert m.relations[0].kind is RelationKind.ATTACK


def test_query_helpers() -> None:
    m = argmap.parse("[A]: a\n  + [B]: b\n  - <C>: c\n  >< [D]: d")
    assert m.supporters("A") == (Node(ElementKind.STATEMENT, "B"),)
    assert m.attackers("[A]") == (Node(ElementKind.ARGUMENT, "C"),)
    assert m.contradictions("D") == (Node(ElementKind.STATEMENT, "A"),)
    assert len(m.relations_of("A")) == 3
    with pytest.raises(KeyError):
        m.node("nothing")


def test_model_is_frozen() -> None:
    m = argmap.parse("[A]: a")
    with pytest.raises(AttributeError):
        m.relations = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.statements["B"] = m.statements["A"]  # type: ignore[index]


def test_empty_documents() -> None:
    assert argmap.parse("") == argmap.ArgumentMap()
    assert argmap.parse("\n\n// only a comment\n") == argmap.ArgumentMap()


def test_comments_are_kept_in_order_with_their_positions() -> None:
    m = argmap.parse("// top\n[A]: a /* in */\n  + [B]: b <!-- x -->\n\n/* multi\nline */\n  // two\n\n[C]: c")
    assert [c.text for c in m.comments] == ["// top", "/* in */", "<!-- x -->", "/* multi\nline */", "// two"]
    assert [(c.span.line, c.span.column) for c in m.comments] == [(1, 1), (2, 8), (3, 12), (5, 1), (7, 3)]
    assert m == argmap.parse("[A]: a\n  + [B]: b\n\n[C]: c")  # comments carry no meaning


def test_maps_compare_by_content_not_position() -> None:
    assert argmap.parse("[A]: a") == argmap.parse("\n\n[A]:    a")
    assert argmap.parse("[A]: a") != argmap.parse("[A]: b")


def test_relation_trees_thousands_deep_parse_without_recursion() -> None:
    depth = 3000
    lines = ["[S0]: root"] + [" " * (2 * i) + f"+ [S{i}]: s" for i in range(1, depth)]
    m = argmap.parse("\n".join(lines))
    assert len(m.relations) == depth - 1
    assert str(m.relations[0]) == f"[S{depth - 1}] support [S{depth - 2}]"
