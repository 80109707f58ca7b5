"""The fast paths of the exporters and the model's query helpers agree with the straightforward versions.

For large maps, several exporters write their text directly instead of going through a general-purpose
library, and the model computes its derived relations and query indexes once per map. Each fast path is
checked here against a reference that is obviously right: the standard library (``json.dumps``,
``textwrap.wrap``, ``unicodedata``), the ``graphviz`` package's own ``Digraph``, and plain scans of the map
written as the model used to compute them.
"""

from __future__ import annotations

import gc
import json
import re
import textwrap
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import attrs
import graphviz
import pytest
from conftest import in_ci
from exporter_maps import cycle_map, full_map, hostile_map, rich_map, yaml_values_map
from fuzz.strategies import layout_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import argument_maps

import argmap
from argmap import model
from argmap.cli import main
from argmap.exporters import dot, markdown
from argmap.exporters import json as argmap_json
from argmap.exporters.text import clean, is_clean, wrap, wrap_styled
from argmap.model import (
    STRICT_KINDS,
    ArgumentMap,
    Comment,
    ElementKind,
    Node,
    Relation,
    RelationKind,
    SourceSpan,
    Statement,
    Text,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("examples/*.arg"), *ROOT.glob("tests/notation/*.arg")])

MAPS = {
    "full": full_map,
    "yaml-values": yaml_values_map,
    "cycle": cycle_map,
    "hostile": hostile_map,
    "rich": rich_map,
    "empty": ArgumentMap,
}

#: derandomised without a database under CI, as the other property tests, so CI runs are reproducible
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=in_ci(),
    database=None if in_ci() else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow],
)


def parsed_sources() -> list[ArgumentMap]:
    return [argmap.parse_file(path) for path in SOURCES]


# -- text: clean and wrap ----------------------------------------------------------------------------


def reference_clean(text: str) -> str:
    def printable(char: str) -> str:
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff":
            return "\ufffd"
        return char

    return "".join(printable(c) for c in " ".join(text.split()))


def reference_wrap(text: str, width: int) -> list[str]:
    cleaned = reference_clean(text)
    if not cleaned:
        return []
    if width <= 0:
        return [cleaned]
    return textwrap.wrap(cleaned, width=width, break_long_words=True, break_on_hyphens=True)


def test_clean_replaces_exactly_the_controls_and_surrogates_of_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert clean(every) == reference_clean(every)


WRAP_PIECES = st.sampled_from(
    ["a", "bb", "word", "x" * 13, "-", "--", "well-known", "a-b-c", " ", "  ", "\n", "\t", "\u00a0", "\u3000",
     "é", "\x01", "\x85", "\ud800", ".", ",", "\u2014", "(x)", "—", "e\u0301", "group-1", "#g-3", "-2", "x-",
     "1-a", "_-_", "a-1-b", "-\u00e9", "9-9"]
)  # fmt: skip


@SETTINGS
@given(st.lists(WRAP_PIECES, max_size=30).map("".join), st.integers(min_value=0, max_value=16))
def test_wrap_gives_what_textwrap_gives(text: str, width: int) -> None:
    assert wrap(text, width) == reference_wrap(text, width)


def test_clean_passes_plain_ascii_as_it_is_and_cleans_every_other_ascii_character() -> None:
    # is_clean's quick test in C lets most text through untouched: it must say True only where nothing changes
    for code in range(0x80):
        for text in (chr(code), f"a{chr(code)}b", f"{chr(code)}ab", f"ab{chr(code)}", f"a {chr(code)} b"):
            assert clean(text) == reference_clean(text), repr(text)
            if is_clean(text):
                assert reference_clean(text) == text, repr(text)
    assert is_clean("Two words.") and not is_clean("Two  words.") and not is_clean(" Two") and not is_clean("é")
    assert not is_clean("a&b", b"&") and is_clean("a&b")


@SETTINGS
@given(
    st.lists(
        st.one_of(WRAP_PIECES, st.sampled_from(["&", "<", ">", '"', "'", "\\", "]", "[", "&amp;"])), max_size=30
    ).map("".join),
    st.integers(min_value=0, max_value=16),
)
def test_a_label_line_is_the_wrapped_text_escaped(text: str, width: int) -> None:
    assert dot._lines(text, width) == "<BR/>".join(dot._escape(line) for line in reference_wrap(text, width))


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("First premise of argument 1 about things.", 40),  # the fast fill
        ("one two three four five six seven eight nine ten", 9),
        ("exactly ten", 11),
        ("exactly tenx", 11),
        ("a well-known fact, so to speak, is here", 10),  # textwrap's hyphen rules
        ("Argument 12 of the map, in part 1, reasons from two premises. #group-5", 40),  # a hyphen before a digit
        ("https://example.org/a/very/long/path/indeed", 12),  # a word longer than the line
        ("short then averyveryverylongword", 10),
    ],
)
def test_wrap_examples(text: str, width: int) -> None:
    assert wrap(text, width) == reference_wrap(text, width)


def reference_wrap_styled(text: str, styles: list[int], width: int) -> list[list[tuple[str, int]]]:
    """wrap_styled as first written: whitespace folded with the style of its first character, runs grown by one."""
    chars: list[str] = []
    kept: list[int] = []
    pending: int | None = None
    for char, style in zip(text, styles, strict=True):
        if char.isspace():
            if chars and pending is None:
                pending = style
            continue
        if pending is not None:
            chars.append(" ")
            kept.append(pending)
            pending = None
        chars.append(reference_clean(char))  # one character that is not white space: itself, or U+FFFD
        kept.append(style)
    cleaned = "".join(chars)
    result = []
    position = 0
    for line in reference_wrap(cleaned, width):
        start = cleaned.index(line, position)
        position = start + len(line)
        runs: list[tuple[str, int]] = []
        for offset, char in enumerate(line):
            style = kept[start + offset]
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + char, style)
            else:
                runs.append((char, style))
        result.append(runs)
    return result


@SETTINGS
@given(
    st.lists(st.tuples(WRAP_PIECES, st.integers(0, 2)), max_size=30),
    st.integers(min_value=0, max_value=16),
)
def test_wrap_styled_gives_the_runs_of_the_reference(pieces: list[tuple[str, int]], width: int) -> None:
    text = "".join(piece for piece, _ in pieces)
    styles = [style for piece, style in pieces for _ in piece]
    assert wrap_styled(text, styles, width) == reference_wrap_styled(text, styles, width)


# -- markdown: is a tag written in the text ------------------------------------------------------------------

_TAG_PIECES = st.sampled_from(["#", "(", ")", "-", "_", "a", "B", "7", "é", "٣", " ", ".", "t", "ag"])


def _tag_pattern_finds(tag: str, text: str) -> bool:
    """The regular expression the markdown exporter first used (one compiled per tag)."""
    return re.search(r"#(?:{0}(?![\w-])|\({0}\))".format(re.escape(tag)), text) is not None


@settings(SETTINGS, max_examples=300)
@given(st.lists(_TAG_PIECES, max_size=3).map("".join), st.lists(_TAG_PIECES, max_size=20).map("".join))
def test_a_tag_in_text_is_found_as_the_regular_expression_finds_it(tag: str, text: str) -> None:
    assert markdown._tag_in_text(tag, text) == _tag_pattern_finds(tag, text)


@pytest.mark.parametrize(
    ("tag", "text", "found"),
    [("t", "x #t", True), ("t", "#t_", False), ("t", "#tt #t.", True), ("t", "#té", False), ("t", "#t٣", False),
     ("t", "#t-x", False), ("a b", "#(a b)", True), ("t", "#(t", False), ("", "# x", True)],
)  # fmt: skip
def test_a_tag_in_text_examples(tag: str, text: str, found: bool) -> None:
    assert markdown._tag_in_text(tag, text) is found is _tag_pattern_finds(tag, text)


# -- DOT: the statement writer against graphviz.Digraph -------------------------------------------------

_IDS = st.sampled_from(
    ["s1", "a12", "g3", "legend_support_from", "node", "Edge", "x y", "1.5", "-2", "", 'q"t', "é", "a:b", "x y:p:n"]
)
_VALUES = st.sampled_from(
    ["rounded,filled", "#2F7BC4", "0.16,0.09", "2", "white", "", "<<B>x</B>>", "<a>b", "BT", "a\\b", 'say "hi"']
)
_KEYS = ["style", "color", "fillcolor", "penwidth", "arrowhead", "shape", "group"]
#: a node's or an edge's attributes (its label is an argument of its own); an attribute statement's, label included
_ATTRIBUTES = st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=5)
_STATEMENT_ATTRIBUTES = st.dictionaries(st.sampled_from([*_KEYS, "label", "rankdir"]), _VALUES, max_size=5)
_LABELS = st.one_of(st.none(), st.sampled_from(["<<B>T</B><BR/>text>", "<>", "", "plain", "<x>\n"]))


@st.composite
def dot_programs(draw: st.DrawFn, depth: int = 0) -> list[tuple[Any, ...]]:
    """Statements for a graph: nodes, edges, attribute statements and nested subgraphs."""
    operations = st.one_of(
        st.tuples(st.just("node"), _IDS, _LABELS, _ATTRIBUTES),
        st.tuples(st.just("edge"), _IDS, _IDS, _ATTRIBUTES),
        st.tuples(st.just("attr"), st.sampled_from([None, "graph", "node", "edge"]), _STATEMENT_ATTRIBUTES),
        *([st.tuples(st.just("subgraph"), st.sampled_from(["cluster_1", "cluster_legend"]), dot_programs(depth + 1))]
          if depth < 3 else []),
    )  # fmt: skip
    return draw(st.lists(operations, max_size=6))


def _play(program: list[tuple[Any, ...]], writer: Any, is_graphviz: bool) -> None:
    for operation, *arguments in program:
        if operation == "node":
            name, label, attributes = arguments
            if is_graphviz:
                writer.node(name, label=label, **attributes)
            else:
                writer.node(name, label, attributes)
        elif operation == "edge":
            tail, head, attributes = arguments
            if is_graphviz:
                writer.edge(tail, head, **attributes)
            else:
                writer.edge(tail, head, attributes)
        elif operation == "attr":
            kw, attributes = arguments
            writer.attr(kw, **attributes)
        else:
            name, inner = arguments
            with writer.subgraph(name=name) as sub:
                _play(inner, sub, is_graphviz)


@SETTINGS
@given(dot_programs())
def test_the_dot_writer_writes_what_graphviz_digraph_writes(program: list[tuple[Any, ...]]) -> None:
    expected = graphviz.Digraph(name="argmap")
    lines: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # graphviz warns about a quoted id ending in a backslash: both do
        _play(program, expected, is_graphviz=True)
        _play(program, dot._Writer(lines), is_graphviz=False)
    assert graphviz.Digraph(name="argmap", body=lines).source == expected.source


def test_build_digraph_is_a_real_digraph_with_the_dot_source() -> None:
    m = full_map()
    graph = dot.build_digraph(m)
    assert isinstance(graph, graphviz.Digraph)
    assert graph.source == dot.to_dot(m) == argmap.export(m, "dot")


# -- JSON: the direct writer against json.dumps ------------------------------------------------------------


def reference_json(m: ArgumentMap) -> str:
    return json.dumps(argmap_json.dump_map(m), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def assert_json_agrees(m: ArgumentMap) -> None:
    text = argmap_json.dumps(m)
    assert text == reference_json(m)
    assert "".join(argmap_json.iter_dumps(m)) == text


@pytest.mark.parametrize("name", sorted(MAPS))
def test_json_writer_agrees_with_json_dumps(name: str) -> None:
    assert_json_agrees(MAPS[name]())


def test_json_writer_agrees_with_json_dumps_on_parsed_files() -> None:
    for m in parsed_sources():
        assert_json_agrees(m)


@SETTINGS
@given(st.one_of(argument_maps(), layout_maps()))
def test_json_writer_agrees_with_json_dumps_on_random_maps(m: ArgumentMap) -> None:
    assert_json_agrees(m)


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)
_JSON_DATA = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(st.dictionaries(st.text(max_size=6), _JSON_DATA, max_size=4), st.text(max_size=6))
def test_json_writer_agrees_with_json_dumps_on_any_data(data: dict[str, Any], source: str) -> None:
    span = SourceSpan(1, 2, 3, 4, source)
    statement = Statement("T", (Text('t\n"x"\\ \x00 \u2028', span),), data=data, span=span)
    m = ArgumentMap(statements={"T": statement}, metadata=data, comments=(Comment("// c", span),))
    assert_json_agrees(m)


def test_json_writer_writes_spans_built_in_code_as_json_dumps_does() -> None:
    odd = SourceSpan(True, 2.5, None, "4")  # type: ignore[arg-type]  # nonsense a program could build
    assert_json_agrees(ArgumentMap(statements={"T": Statement("T", span=odd)}))


# -- the model: derived relations and query helpers ----------------------------------------------------------


def reference_derived_relations(m: ArgumentMap) -> tuple[Relation, ...]:
    """derived_relations as a plain loop, keyed by nodes (how the model first computed them)."""
    derived: dict[tuple[Node, Node, RelationKind], Relation] = {}
    for r in m.relations:
        source, kind = r.source, r.kind
        if source.kind is ElementKind.ARGUMENT:
            argument = m.arguments.get(source.title)
            if argument is not None and argument.conclusion is not None:
                source = Node(ElementKind.STATEMENT, argument.conclusion)
                if m.strict and r.target.kind is ElementKind.STATEMENT:
                    kind = STRICT_KINDS.get(kind, kind)
        if source == r.target:
            continue
        if kind is RelationKind.CONTRARINESS and (r.target, source, kind) in derived:
            continue
        derived.setdefault((source, r.target, kind), attrs.evolve(r, source=source, kind=kind))

    def repeats_premise_attack(relation: Relation) -> bool:
        if relation.kind is not RelationKind.ATTACK or relation.source.kind is not ElementKind.STATEMENT:
            return False
        argument = m.arguments.get(relation.target.title) if relation.target.kind is ElementKind.ARGUMENT else None
        if argument is None or not argument.is_reconstructed:
            return False
        for premise in argument.premises:
            node = Node(ElementKind.STATEMENT, premise)
            if (relation.source, node, RelationKind.ATTACK) in derived:
                return True
            for kind in (RelationKind.CONTRADICTION, RelationKind.CONTRARINESS):
                if (relation.source, node, kind) in derived or (node, relation.source, kind) in derived:
                    return True
        return False

    return tuple(r for r in derived.values() if not repeats_premise_attack(r))


def _ends(node: Node) -> set[Node]:
    return {node, Node(ElementKind.INFERENCE, node.title)} if node.kind is ElementKind.ARGUMENT else {node}


def reference_relations_of(m: ArgumentMap, node: Node) -> tuple[Relation, ...]:
    ends = _ends(node)
    return tuple(r for r in m.relations if r.source in ends or r.target in ends)


def reference_incoming(m: ArgumentMap, node: Node, kind: RelationKind) -> tuple[Node, ...]:
    ends = _ends(node)
    found = []
    for r in m.relations:
        if r.kind is kind and r.target in ends:
            found.append(r.source)
        elif kind is RelationKind.CONTRADICTION and r.kind is kind and r.source == node:
            found.append(r.target)
    return tuple(dict.fromkeys(found))


def assert_queries_agree(m: ArgumentMap) -> None:
    derived = m.derived_relations()
    assert derived == reference_derived_relations(m)
    # the relation objects themselves: spans and parents (not compared by ==) are kept
    assert [(r.span, r.parent) for r in derived] == [(r.span, r.parent) for r in reference_derived_relations(m)]
    nodes = {Node(ElementKind.STATEMENT, t) for t in m.statements}
    nodes |= {Node(ElementKind.ARGUMENT, t) for t in m.arguments}
    nodes |= {end for r in m.relations for end in (r.source, r.target) if end.kind is not ElementKind.INFERENCE}
    for node in nodes:
        assert m.relations_of(node) == reference_relations_of(m, node)
        assert m.supporters(node) == reference_incoming(m, node, RelationKind.SUPPORT)
        assert m.attackers(node) == reference_incoming(m, node, RelationKind.ATTACK)
        assert m.undercutters(node) == reference_incoming(m, node, RelationKind.UNDERCUT)
        assert m.contradictions(node) == reference_incoming(m, node, RelationKind.CONTRADICTION)
    for title in [*m.statements, "no such statement"]:
        assert m.arguments_for(title) == tuple(a for a in m.arguments.values() if a.conclusion == title)
    for section in m.sections:
        assert m.section(section.id) == next(s for s in m.sections if s.id == section.id)
    with pytest.raises(KeyError):
        m.section("no such section")


@pytest.mark.parametrize("name", sorted(MAPS))
def test_queries_agree_with_plain_scans(name: str) -> None:
    assert_queries_agree(MAPS[name]())


def test_queries_agree_with_plain_scans_on_parsed_files() -> None:
    for m in parsed_sources():
        assert_queries_agree(m)


@SETTINGS
@given(argument_maps())
def test_queries_agree_with_plain_scans_on_random_maps(m: ArgumentMap) -> None:
    assert_queries_agree(m)


def test_queries_of_an_argument_include_its_inference_and_contradictions_go_both_ways() -> None:
    m = argmap.parse(
        "<A>: a.\n  _> <A>\n\n<A>\n\n(1) [P]: p.\n----\n(2) [C]: c.\n\n"
        "[C]\n  >< [D]: d.\n  - <A>\n\n[X]: x.\n  _> <A>\n"
    )
    assert_queries_agree(m)
    assert m.undercutters("A") == (Node(ElementKind.ARGUMENT, "A"), Node(ElementKind.STATEMENT, "X"))
    assert m.relations_of("A").count(m.relations[0]) == 1  # at both ends (the argument, its inference): once
    assert m.contradictions("D") == (Node(ElementKind.STATEMENT, "C"),)


@pytest.mark.parametrize(
    ("relations", "kept"),
    [
        ("  -> <A>\n  -> [P]\n", ["P"]),  # attacks the argument and its premise: Argdown keeps the premise's
        ("  -> <A>\n  >< [P]\n", ["P"]),  # contradicts the premise
        ("  -> <A>\n  +> [P]\n", ["A", "P"]),  # supports the premise: both kept
        ("  -> <A>\n", ["A"]),
    ],
)
def test_a_statement_attacking_an_argument_and_its_premise_keeps_one(relations: str, kept: list[str]) -> None:
    m = argmap.parse(f"[S]: s.\n{relations}\n<A>: a.\n\n(1) [P]: p.\n----\n(2) [C]: c.\n")
    assert_queries_agree(m)
    assert [r.target.title for r in m.derived_relations()] == kept


def test_a_contradiction_written_from_the_premise_counts_too() -> None:
    m = argmap.parse("[P]: p.\n  >< [S]\n\n[S]: s.\n  -> <A>\n\n<A>: a.\n\n(1) [P]\n----\n(2) [C]: c.\n")
    assert_queries_agree(m)
    assert [r.target.title for r in m.derived_relations()] == ["S"]


def test_strict_contrariness_written_both_ways_is_derived_once() -> None:
    m = argmap.parse("===\nmodel:\n  mode: strict\n===\n\n[A]: a.\n  - [B]: b.\n\n[B]\n  - [A]\n")
    assert_queries_agree(m)
    assert [(r.source.title, r.kind, r.target.title) for r in m.derived_relations()] == [
        ("B", RelationKind.CONTRARINESS, "A")  # "- [B]" under [A]: B is contrary to A; then the same, reversed
    ]


def test_derived_relations_are_computed_once_per_map_and_forgotten_with_it() -> None:
    m = full_map()
    assert m.derived_relations() is m.derived_relations()
    key = id(m)
    assert key in model._DERIVED
    del m
    gc.collect()
    assert key not in model._DERIVED


def test_equal_maps_do_not_share_what_is_derived() -> None:
    first, second = full_map(), full_map()
    assert first == second and first.derived_relations() == second.derived_relations()
    assert first.derived_relations() is not second.derived_relations()


def test_a_relation_has_the_fields_derived_relations_copies() -> None:
    # ArgumentMap._derive_relations builds Relation(source, target, kind, span, parent) directly:
    # a new field of Relation must be copied there too
    assert [f.name for f in attrs.fields(Relation)] == ["source", "target", "kind", "span", "parent"]


# -- the command: argmap's JSON is streamed to its file -----------------------------------------------------


def test_the_command_writes_the_same_json_as_export(tmp_path: Path) -> None:
    source = ROOT / "examples" / "north-korea.arg"
    output = tmp_path / "out.json"
    assert main(["render", str(source), "-f", "json", "-o", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == argmap.export(argmap.parse_file(source), "json")


def test_a_json_export_that_fails_midway_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # data nested 990 deep: YAML (libyaml allows 999 levels) reads it, writing it as JSON runs out of recursion
    depth = 990
    source = tmp_path / "deep.arg"
    source.write_text(f"[A]: a.\n\n[B]: b. {{x: {'[' * depth}{']' * depth}}}\n", encoding="utf-8")
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    assert main(["render", str(source), "-f", "json", "-o", str(output)]) == 1
    error = capsys.readouterr().err
    assert "exporter 'json' failed: RecursionError" in error and "Traceback" not in error
    assert output.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.arg", "out.json"]  # no temporary file left
