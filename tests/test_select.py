"""argmap.select: the neighbourhood of one element, elements by tag or section, always a valid smaller map."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import pytest
from fuzz.strategies import layout_maps
from hypothesis import given
from hypothesis import strategies as st
from strategies import EXAMPLES, argument_maps, property_settings

import argmap
from argmap import ArgmapError, ArgumentMap, select
from argmap.exporters.mapgraph import build_graph
from argmap.model import ElementKind, Node, Relation, RelationKind

# -- small maps from notation -------------------------------------------------------------------

CHAIN = """\
[A]: The first claim.
  + [B]: The second claim.
    + [C]: The third claim.
      + [D]: The fourth claim.
"""

ARGUMENTS = """\
# Part one

<Left>: An argument. #blue

(1) [P1]: A premise.
(2) [P2]: Another premise.
----
(3) [C1]: A conclusion.

## Inside

<Right>: An argument that supports a premise of Left. #red
  +> [P1]

(1) [Q1]: A premise of Right.
----
(2) [C2]: The conclusion of Right.

# Part two

[Lone]: A statement in part two. #blue
  - [C1]

<Far>: Far away. #red
  _> <Left>
"""


def titles(m: ArgumentMap) -> tuple[set[str], set[str]]:
    return set(m.statements), set(m.arguments)


def written(m: ArgumentMap) -> list[str]:
    return [str(r) for r in m.relations]


def test_focus_on_a_statement_keeps_what_is_within_depth_steps() -> None:
    m = argmap.parse(CHAIN)
    assert titles(select(m, focus="A", depth=0)) == ({"A"}, set())
    assert titles(select(m, focus="A", depth=1)) == ({"A", "B"}, set())
    assert titles(select(m, focus="B", depth=1)) == ({"A", "B", "C"}, set())
    assert titles(select(m, focus="A")) == ({"A", "B", "C"}, set())  # depth 2 by default
    assert titles(select(m, focus="A", depth=10)) == ({"A", "B", "C", "D"}, set())
    assert sorted(written(select(m, focus="A"))) == ["[B] support [A]", "[C] support [B]"]


def test_an_argument_is_one_step_from_its_premises_and_conclusions() -> None:
    m = argmap.parse(ARGUMENTS)
    # depth 0: the argument with its whole premise-conclusion structure
    assert titles(select(m, focus="Left", depth=0)) == ({"P1", "P2", "C1"}, {"Left"})
    # one step: its statements are at step 1 already, then what acts on the argument itself (<Far> undercuts it)
    assert titles(select(m, focus="Left", depth=1)) == ({"P1", "P2", "C1"}, {"Left", "Far"})
    # two steps: through P1 to C2 (Right's conclusion supports P1, as Argdown's model says), through C1 to Lone
    two = select(m, focus="Left", depth=2)
    assert titles(two) == ({"P1", "P2", "C1", "C2", "Lone"}, {"Left", "Far"})
    # <Right> is left out, so its support of P1 is kept as the model states it: from its conclusion
    assert written(two) == ["[C2] support [P1]", "[C1] attack [Lone]", "<Far> undercut <Left> (inference)"]
    # three steps reach <Right> and its structure; then the relation is kept as written
    three = select(m, focus="Left", depth=3)
    assert titles(three) == ({"P1", "P2", "C1", "Q1", "C2", "Lone"}, {"Left", "Right", "Far"})
    assert "<Right> support [P1]" in written(three)


def assert_draws_what_the_whole_map_draws(part: ArgumentMap, whole: ArgumentMap) -> None:
    """The diagram of ``part`` has the edges the diagram of ``whole`` has between the boxes ``part`` draws."""
    big, small = build_graph(whole), build_graph(part)
    big_ids = {n.id: (n.kind, n.title) for n in big.nodes}
    small_ids = {n.id: (n.kind, n.title) for n in small.nodes}
    kept = set(small_ids.values())
    assert kept <= set(big_ids.values())
    big_edges = {(big_ids[e.source], big_ids[e.target], e.kind) for e in big.edges}
    small_edges = {(small_ids[e.source], small_ids[e.target], e.kind) for e in small.edges}
    assert small_edges == {e for e in big_edges if e[0] in kept and e[1] in kept}


def test_the_diagram_of_a_neighbourhood_draws_the_edges_the_whole_map_draws_between_its_boxes() -> None:
    m = argmap.parse(ARGUMENTS)
    for depth in range(4):
        assert_draws_what_the_whole_map_draws(select(m, focus="Left", depth=depth), m)


def test_a_relation_from_an_untitled_conclusion_is_not_drawn_without_its_argument() -> None:
    # the whole map draws <A> -> [T]: its untitled conclusion is no box, as in Argdown
    m = argmap.parse("<A>: a\n  +> [T]: target\n\n(1) [P]: p\n----\n(2) The conclusion, untitled.\n")
    part = select(m, focus="T", depth=1)  # reaches the untitled conclusion, not <A>
    assert titles(part) == ({"T", "Untitled 1"}, set())
    assert written(part) == []
    assert_draws_what_the_whole_map_draws(part, m)
    assert written(select(m, focus="T", depth=2)) == ["<A> support [T]"]


def test_a_statement_and_an_argument_with_one_title_are_told_apart_by_brackets() -> None:
    m = argmap.parse("[Rain]: It rains.\n  + <Clouds>: Clouds.\n\n<Rain>: An argument.\n  +> [Sun]: Sunny.\n")
    with pytest.raises(ArgmapError, match=r"both a statement and an argument are titled 'Rain': write \[Rain\]"):
        select(m, focus="Rain")
    assert titles(select(m, focus="[Rain]", depth=0)) == ({"Rain"}, set())
    assert titles(select(m, focus="<Rain>", depth=0)) == (set(), {"Rain"})
    assert titles(select(m, focus="<Rain>", depth=1)) == ({"Sun"}, {"Rain"})


def test_an_unknown_focus_lists_close_titles() -> None:
    m = argmap.parse(ARGUMENTS)
    with pytest.raises(ArgmapError, match=r"no statement or argument is titled 'left'; did you mean <Left>") as error:
        select(m, focus="left")
    assert "Right" not in str(error.value)
    with pytest.raises(ArgmapError, match=r"titled 'Lonely'; did you mean \[Lone\]\?$"):
        select(m, focus="Lonely")
    with pytest.raises(ArgmapError, match=r"titled 'xyzzy'$"):
        select(m, focus="xyzzy")
    with pytest.raises(ArgmapError, match=r"titled '\[Left\]'; did you mean <Left>"):
        select(m, focus="[Left]")  # the kind is named: a statement [Left] there is not


def test_tags_choose_elements_and_the_structures_of_chosen_arguments() -> None:
    m = argmap.parse(ARGUMENTS)
    blue = select(m, tags=["blue"])
    assert titles(blue) == ({"P1", "P2", "C1", "Lone"}, {"Left"})
    assert written(blue) == ["[C1] attack [Lone]"]
    red = select(m, tags=["red"])
    assert titles(red) == ({"Q1", "C2"}, {"Right", "Far"})
    assert written(red) == []  # <Right> supports P1 and <Far> undercuts <Left>: neither is kept
    # several tags: an element with any of them (as Argdown's selectedTags)
    assert titles(select(m, tags=["blue", "red"])) == titles(m)


def test_sections_choose_elements_in_them_and_in_the_sections_below() -> None:
    m = argmap.parse(ARGUMENTS)
    one = select(m, sections=["Part one"])
    assert titles(one) == ({"P1", "P2", "C1", "Q1", "C2"}, {"Left", "Right"})
    assert [s.title for s in one.sections] == ["Part one", "Inside"]
    inside = select(m, sections=["Inside"])
    assert titles(inside) == ({"Q1", "C2"}, {"Right"})
    assert [s.title for s in inside.sections] == ["Part one", "Inside"]  # the parent stays, so the nesting does
    # tags and sections together: both must hold
    assert titles(select(m, sections=["Part two"], tags=["blue"])) == ({"Lone"}, set())


def test_focus_within_a_selection_steps_only_through_chosen_elements() -> None:
    m = argmap.parse(ARGUMENTS)
    # without the selection, Lone reaches C1 and then Left; within part two, C1 is not there to step through
    assert titles(select(m, focus="Lone", depth=3, sections=["Part two"])) == ({"Lone"}, set())
    with pytest.raises(ArgmapError, match=r"<Left> is not among the elements chosen: those with the tag #red"):
        select(m, focus="Left", tags=["red"])


def test_naming_a_tag_or_section_the_map_does_not_have_is_an_error_with_suggestions() -> None:
    m = argmap.parse(ARGUMENTS)
    with pytest.raises(ArgmapError, match=r"no statement or argument carries the tag #bleu; did you mean #blue\?"):
        select(m, tags=["bleu"])
    with pytest.raises(ArgmapError, match=r"no section is titled 'Part three'; did you mean 'Part three'|'Part t"):
        select(m, sections=["Part three"])
    with pytest.raises(ArgmapError, match=r"no section is titled 'Nowhere'$"):
        select(m, sections=["Nowhere"])


def test_without_focus_tags_or_sections_the_map_is_returned_and_depth_must_be_a_count() -> None:
    m = argmap.parse(CHAIN)
    assert select(m) is m
    for depth in (-1, 1.5, True):
        with pytest.raises(ValueError, match="depth must be a whole number"):
            select(m, focus="A", depth=depth)  # type: ignore[arg-type]


def test_front_matter_stays_and_comments_go() -> None:
    m = argmap.parse("===\ntitle: A map\n===\n\n// a comment\n[A]: a\n  + [B]: b\n")
    part = select(m, focus="A", depth=0)
    assert part.metadata == m.metadata and part.metadata["title"] == "A map"
    assert part.source_name == m.source_name
    assert m.comments and not part.comments


def test_in_strict_mode_a_relation_kept_from_a_conclusion_takes_the_strict_kind() -> None:
    m = argmap.parse("===\nmodel:\n  mode: strict\n===\n\n<A>: a\n  +> [T]: target\n\n(1) [P]: p\n----\n(2) [C]: c\n")
    part = select(m, focus="T", depth=1)
    assert titles(part) == ({"T", "C"}, set())
    assert part.relations == (
        Relation(Node(ElementKind.STATEMENT, "C"), Node(ElementKind.STATEMENT, "T"), RelationKind.ENTAILMENT),
    )
    assert [str(r) for r in part.derived_relations()] == [str(r) for r in m.derived_relations()]


def test_select_is_public_and_every_exporter_takes_its_result() -> None:
    m = argmap.parse(ARGUMENTS)
    part = argmap.select(m, focus="Left", depth=2)
    for name in ("json", "markdown", "dot", "argdown"):
        assert isinstance(argmap.export(part, name), str)
    assert argmap.parse(argmap.export(part, "argdown")) == part


# -- properties -------------------------------------------------------------------------------


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # isInMap values that are not booleans
        yield


@st.composite
def maps_with_a_focus(draw: st.DrawFn) -> tuple[ArgumentMap, str, int]:
    m = draw(st.one_of(argument_maps(), layout_maps()))
    names = [f"[{t}]" for t in m.statements] + [f"<{t}>" for t in m.arguments]
    if not names:
        m = argmap.parse("[A]: a")
        names = ["[A]"]
    return m, draw(st.sampled_from(names)), draw(st.integers(0, 4))


def _relation_key(r: Relation) -> tuple[str, str, str]:
    return (str(r.source), str(r.target), r.kind.value)


def _path(m: ArgumentMap, section_id: str | None) -> tuple[tuple[str, int], ...]:
    """The titles and levels of a section and the sections around it, outermost first."""
    by_id = {s.id: s for s in m.sections}
    path = []
    while section_id is not None:
        section = by_id[section_id]
        path.append((section.title, section.level))
        section_id = section.parent
    return tuple(reversed(path))


def assert_sub_map(part: ArgumentMap, whole: ArgumentMap) -> None:
    """``part`` holds elements of ``whole`` unchanged, whole structures, and draws no relation ``whole`` does not.

    Sections are numbered again in ``part``: they are compared by what they are and where they sit.
    """
    for title, statement in part.statements.items():
        original = whole.statements[title]
        assert attrs.evolve(statement, section=None) == attrs.evolve(original, section=None)
        assert _path(part, statement.section) == _path(whole, original.section)
    for title, argument in part.arguments.items():
        original = whole.arguments[title]
        assert attrs.evolve(argument, section=None) == attrs.evolve(original, section=None)
        assert _path(part, argument.section) == _path(whole, original.section)
        assert all(step.title in part.statements for step in argument.steps)
    derived = {_relation_key(r) for r in whole.derived_relations()}
    assert {_relation_key(r) for r in part.derived_relations()} <= derived
    written = set(whole.relations)
    for relation in part.relations:
        assert relation in written or _relation_key(relation) in derived
    # the sections are some of the whole map's, in order, numbered s1, s2...; each one's parent is kept
    assert [s.id for s in part.sections] == [f"s{n}" for n in range(1, len(part.sections) + 1)]
    remaining = iter(whole.sections)
    for section in part.sections:
        assert any(
            attrs.evolve(w, id="", parent=None) == attrs.evolve(section, id="", parent=None)
            and _path(whole, w.id) == _path(part, section.id)
            for w in remaining
        ), section
    assert part.metadata == whole.metadata


def assert_exported(part: ArgumentMap) -> None:
    """Every text exporter takes ``part``; its notation reads back as ``part`` (renumbered sections included).

    Generated titles (``Untitled 3``) keep their numbers in a smaller map, where reading its notation
    would number them from 1 again: such maps are only exported.
    """
    with _quiet():
        for name in ("json", "markdown", "dot"):
            assert isinstance(argmap.export(part, name), str), name
        notation = argmap.export(part, "argdown")
    assert isinstance(notation, str)
    if not any(e.generated_title for e in part.elements()):
        assert argmap.parse(notation) == part, notation


@property_settings(EXAMPLES)
@given(maps_with_a_focus())
def test_a_neighbourhood_is_a_sub_map_every_exporter_takes_and_grows_with_depth(
    case: tuple[ArgumentMap, str, int],
) -> None:
    m, focus, depth = case
    part = select(m, focus=focus, depth=depth)
    assert_sub_map(part, m)
    assert_exported(part)
    # depth 0 is the element alone, with its premise-conclusion structure for an argument
    node = m.node(focus)
    zero = select(m, focus=focus, depth=0)
    if node.kind is ElementKind.STATEMENT:
        assert titles(zero) == ({node.title}, set())
    else:
        assert titles(zero) == ({s.title for s in m.arguments[node.title].steps}, {node.title})
    # one more step keeps everything and maybe more
    smaller, larger = titles(part), titles(select(m, focus=focus, depth=depth + 1))
    assert smaller[0] <= larger[0] and smaller[1] <= larger[1]


@property_settings(EXAMPLES)
@given(st.one_of(argument_maps(), layout_maps()), st.data())
def test_a_selection_by_tag_or_section_is_a_sub_map_of_the_chosen_elements(m: ArgumentMap, data: st.DataObject) -> None:
    tags = sorted({t for e in m.elements() for t in e.tags})
    sections = sorted({s.title for s in m.sections})
    chosen_tags = data.draw(st.lists(st.sampled_from(tags), max_size=2) if tags else st.just([]))
    chosen_sections = data.draw(st.lists(st.sampled_from(sections), max_size=2) if sections else st.just([]))
    part = select(m, tags=chosen_tags, sections=chosen_sections)
    assert_sub_map(part, m)
    structure = {step.title for a in part.arguments.values() for step in a.steps}
    for element in part.elements():
        has_tag = not chosen_tags or bool(set(chosen_tags) & set(element.tags))
        assert has_tag or element.title in structure
    assert_exported(part)
