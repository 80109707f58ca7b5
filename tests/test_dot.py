"""The DOT exporter: which boxes and arrows, how they look, escaping, determinism."""

from __future__ import annotations

import gc
import html
import itertools
import json
import os
import re
import subprocess
import sys
import weakref
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import pytest
from graphviz_maps import (
    ATTACK,
    CONTRADICTION,
    SUPPORT,
    UNDERCUT,
    A,
    I,
    S,
    argument,
    build,
    congestion_debate,
    rel,
    statement,
)

import argmap
from argmap.exporters.dot import EXPORTER, closed_sections, to_dot
from argmap.exporters.mapgraph import MapGraph, build_graph
from argmap.exporters.text import wrap, wrap_styled
from argmap.model import Argument, Conclusion, ElementKind, Premise, RangeKind, RelationKind, Section, Text, TextRange
from argmap.plugins import Exporter

EDGE_LINE = re.compile(r"^\t*(\w+) -> (\w+) \[(.*)\]$")
NODE_LINE = re.compile(r"^\t*(\w+) \[label=(<.*>) .*\]$")


def edges(dot: str) -> list[tuple[str, str, str]]:
    """``(tail, head, attributes)`` of every edge line."""
    return [m.groups() for m in map(EDGE_LINE.match, dot.splitlines()) if m]  # type: ignore[misc]


def titled(graph: MapGraph) -> dict[str, str]:
    """Node id by title."""
    return {n.title: n.id for n in graph.nodes}


def kinds(graph: MapGraph) -> set[tuple[str, str, RelationKind]]:
    ids = {n.id: n.title for n in graph.nodes}
    return {(ids[e.source], ids[e.target], e.kind) for e in graph.edges}


def test_is_an_exporter_registered_as_dot() -> None:
    assert isinstance(EXPORTER, Exporter)
    assert (EXPORTER.name, EXPORTER.suffix, EXPORTER.binary) == ("dot", ".dot", False)
    m = congestion_debate()
    assert argmap.export(m, "dot") == to_dot(m)


# -- which nodes --------------------------------------------------------------------


def test_every_argument_and_every_titled_statement_is_a_node() -> None:
    m = build([statement("Lone", "Nobody relates to me."), statement("Claim", "c")], [argument("Sketch", "d")])
    assert [(n.id, n.title, n.kind) for n in build_graph(m).nodes] == [
        ("s1", "Lone", S),
        ("s2", "Claim", S),
        ("a1", "Sketch", A),
    ]


def test_untitled_statements_in_arguments_are_drawn_through_the_argument() -> None:
    # Argdown draws no box for an untitled premise or conclusion: its relations
    # leave from the arguments concluding it and enter the arguments using it.
    m = build(
        [
            statement("Untitled 1", "premise text", generated=True),
            statement("Untitled 2", "conclusion text", generated=True),
            statement("Target", "t"),
            statement("Critic", "k"),
        ],
        [argument("Arg", premises=("Untitled 1",), conclusion="Untitled 2")],
        [rel((S, "Untitled 2"), (S, "Target"), ATTACK), rel((S, "Critic"), (S, "Untitled 1"), ATTACK)],
    )
    graph = build_graph(m)
    assert set(titled(graph)) == {"Target", "Critic", "Arg"}
    assert kinds(graph) == {("Arg", "Target", ATTACK), ("Critic", "Arg", ATTACK)}


def test_untitled_statement_gets_a_box_when_no_argument_can_carry_its_relation() -> None:
    m = build(
        [
            statement("Untitled 1", "free-standing reason", generated=True),
            statement("Untitled 2", "x", generated=True),
            statement("Claim", "c"),
            statement("Critic", "k"),
        ],
        [argument("Arg", premises=("Claim",), conclusion="Untitled 2")],
        # nothing uses Untitled 2 as a premise, so the attack on it needs its own box
        [rel((S, "Untitled 1"), (S, "Claim"), SUPPORT), rel((S, "Critic"), (S, "Untitled 2"), ATTACK)],
    )
    graph = build_graph(m)
    nodes = {n.title: n for n in graph.nodes}
    assert set(nodes) == {"Untitled 1", "Untitled 2", "Claim", "Critic", "Arg"}
    assert not nodes["Untitled 1"].show_title and nodes["Untitled 1"].text == "free-standing reason"
    assert ("Critic", "Untitled 2", ATTACK) in kinds(graph)
    assert ("Arg", "Untitled 2", SUPPORT) in kinds(graph)


def test_untitled_unrelated_statements_and_bare_intermediate_conclusions_are_hidden() -> None:
    chain = Argument("Chain", steps=(Premise(1, "P"), Conclusion(2, "Step"), Premise(3, "Q"), Conclusion(4, "C")))
    m = build(
        [
            statement("P", "p"),
            statement("Step", "intermediate"),
            statement("Q", "q"),
            statement("C", "c"),
            statement("Untitled 1", "nothing", generated=True),
        ],
        [chain],
    )
    graph = build_graph(m)
    assert set(titled(graph)) == {"P", "Q", "C", "Chain"}
    assert kinds(graph) == {("P", "Chain", SUPPORT), ("Q", "Chain", SUPPORT), ("Chain", "C", SUPPORT)}


def test_relation_to_an_unknown_element_still_gets_a_box() -> None:
    m = build(
        [statement("Known", "k")],
        [],
        [
            rel((S, "Known"), (S, "Ghost"), SUPPORT),
            rel((A, "Phantom"), (S, "Known"), ATTACK),
            rel((S, "Known"), (I, "Spectre"), UNDERCUT),
        ],
    )
    graph = build_graph(m)
    unknown = {(n.title, n.kind) for n in graph.nodes if not n.known}
    assert unknown == {("Ghost", S), ("Phantom", A), ("Spectre", A)}
    assert kinds(graph) == {("Known", "Ghost", SUPPORT), ("Phantom", "Known", ATTACK), ("Known", "Spectre", UNDERCUT)}
    assert 'style="rounded,filled,dashed"' in to_dot(m)


# -- which edges ----------------------------------------------------------------------


def test_sample_debate_edges() -> None:
    graph = build_graph(congestion_debate())
    assert kinds(graph) == {
        ("Fairness objection", "Congestion charge", ATTACK),
        ("Regressive", "Fairness objection", SUPPORT),
        ("Rebates", "Fairness objection", UNDERCUT),  # an undercut points at the argument
        ("Business objection", "Congestion charge", ATTACK),  # from its untitled conclusion
        ("No decline", "Retail decline", CONTRADICTION),
        ("Untitled 1", "No decline", SUPPORT),
        ("Evidence is old", "Less traffic", ATTACK),
        # implicit: premises support their argument, the argument its conclusion
        ("Clean air argument", "Congestion charge", SUPPORT),
        ("Less traffic", "Clean air argument", SUPPORT),
        ("Cleaner air", "Clean air argument", SUPPORT),
        ("Health", "Clean air argument", SUPPORT),
        ("Retail decline", "Business objection", SUPPORT),
    }
    assert [e.implicit for e in graph.edges].count(True) == 5


def test_argument_supports_the_arguments_using_its_untitled_conclusion() -> None:
    m = build(
        [statement("P", "p"), statement("Untitled 1", "mid", generated=True), statement("C", "c")],
        [
            argument("First", premises=("P",), conclusion="Untitled 1"),
            argument("Second", premises=("Untitled 1",), conclusion="C"),
        ],
    )
    assert kinds(build_graph(m)) == {("P", "First", SUPPORT), ("First", "Second", SUPPORT), ("Second", "C", SUPPORT)}


def test_written_relation_from_reconstructed_argument_leaves_from_its_conclusion() -> None:
    # derived_relations re-expresses it from the titled conclusion, which is a box
    m = build(
        [statement("P", "p"), statement("C", "c"), statement("T", "t")],
        [argument("Arg", premises=("P",), conclusion="C")],
        [rel((A, "Arg"), (S, "T"), ATTACK)],
    )
    assert kinds(build_graph(m)) == {("C", "T", ATTACK), ("P", "Arg", SUPPORT), ("Arg", "C", SUPPORT)}


def test_contradiction_is_one_two_headed_edge_or_an_attack_next_to_an_argument() -> None:
    m = build(
        [statement("X", "x"), statement("Y", "y"), statement("Untitled 1", "u", generated=True), statement("Z", "z")],
        [argument("Arg", premises=("Z",), conclusion="Untitled 1"), argument("User", premises=("X",))],
        [
            rel((S, "X"), (S, "Y"), CONTRADICTION),
            rel((S, "Y"), (S, "X"), CONTRADICTION),
            rel((S, "Untitled 1"), (S, "Y"), CONTRADICTION),
        ],
    )
    found = kinds(build_graph(m))
    assert ("X", "Y", CONTRADICTION) in found and ("Y", "X", CONTRADICTION) not in found
    assert ("Arg", "Y", ATTACK) in found
    dot = to_dot(m)
    assert sum("dir=both" in attrs for _, _, attrs in edges(dot)) == 1


def test_repeated_and_self_edges_are_dropped() -> None:
    m = build(
        [statement("P", "p"), statement("C", "c")],
        [argument("Arg", premises=("P",), conclusion="C")],
        [rel((S, "P"), (A, "Arg"), SUPPORT), rel((S, "P"), (A, "Arg"), SUPPORT)],
    )
    assert len(build_graph(m).edges) == 2


# -- how it looks -------------------------------------------------------------------------


def test_edge_kinds_differ_in_more_than_colour() -> None:
    dot = to_dot(congestion_debate())
    by_pair = {(t, h): a for t, h, a in edges(dot)}
    graph = build_graph(congestion_debate())
    looks = {}
    for e in graph.edges:
        attrs = dict(re.findall(r'(\w+)=("[^"]*"|\S+)', by_pair[(e.source, e.target)]))
        looks[e.kind] = (attrs["style"], attrs["arrowhead"], attrs.get("dir", "forward"))
    assert len(looks) == 4
    assert len({style for style, _, _ in looks.values()}) == 4
    assert len({head for _, head, _ in looks.values()}) == 4
    assert looks[CONTRADICTION][2] == "both"


def test_statements_and_arguments_look_different() -> None:
    dot = to_dot(congestion_debate())
    statement_line = next(line for line in dot.splitlines() if line.strip().startswith("s1 "))
    argument_line = next(line for line in dot.splitlines() if line.strip().startswith("a1 "))
    assert "fillcolor=white" in statement_line and "penwidth=2" in statement_line
    assert 'fillcolor="#A9CFF3"' in argument_line


def test_label_has_bold_title_then_text() -> None:
    m = build([statement("Title", "Some text.")])
    assert "[label=<<B>Title</B><BR/>Some text.> " in to_dot(m)


def test_untitled_element_shows_its_text_only() -> None:
    m = build(
        [statement("Untitled 1", "Just text.", generated=True), statement("T", "t")],
        [],
        [rel((S, "Untitled 1"), (S, "T"), SUPPORT)],
    )
    assert "[label=<Just text.> " in to_dot(m)


def test_rankdir_default_and_option() -> None:
    m = congestion_debate()
    assert "rankdir=BT" in to_dot(m)
    assert "rankdir=LR" in to_dot(m, rankdir="lr")


def test_graph_label_is_the_front_matter_title() -> None:
    m = build([statement("T", "t")], metadata={"title": "The <Debate>", "author": "Ann & Bo"})
    assert 'label=<<FONT POINT-SIZE="20"><B>The &lt;Debate&gt;</B></FONT>' in to_dot(m)
    assert "Ann &amp; Bo" in to_dot(m)
    assert "labelloc=t" in to_dot(m)
    assert "POINT-SIZE" not in to_dot(build([statement("T", "t")]))


# -- sections -------------------------------------------------------------------------


def cluster_of(dot: str) -> dict[str, tuple[str, ...]]:
    """Node id -> the cluster path it is declared in (outermost first)."""
    stack: list[str] = []
    found: dict[str, tuple[str, ...]] = {}
    for line in dot.splitlines():
        opened = re.match(r"^\t*subgraph (cluster_\w+) \{$", line)
        if opened:
            stack.append(opened.group(1))
        elif line.strip() == "}":
            if stack:
                stack.pop()
        elif m := NODE_LINE.match(line):
            found[m.group(1)] = tuple(stack)
    return found


def test_sections_are_nested_clusters() -> None:
    dot = to_dot(congestion_debate())
    ids = titled(build_graph(congestion_debate()))
    where = cluster_of(dot)
    assert where[ids["Congestion charge"]] == ()
    assert where[ids["Less traffic"]] == ("cluster_1",)
    assert where[ids["Cleaner air"]] == ("cluster_1", "cluster_2")
    assert where[ids["Clean air argument"]] == ("cluster_1", "cluster_2")
    assert where[ids["Fairness objection"]] == ("cluster_3",)
    assert "<<B>Air quality</B>>" in dot


def test_empty_sections_make_no_cluster_but_their_children_do() -> None:
    sections = [Section("s1", "Empty parent", 1), Section("s2", "Child", 2, parent="s1"), Section("s3", "Unused", 1)]
    m = build([statement("Inner", "i", section="s2")], sections=sections)
    dot = to_dot(m)
    assert cluster_of(dot)["s1"] == ("cluster_1", "cluster_2")
    assert "Unused" not in dot


# -- wrapping ---------------------------------------------------------------------------


LONG = (
    "Most of the respondents said that they would take the bus more often if it ran every ten minutes; "
    "see https://example.org/a-very-long-address-that-does-not-fit-on-one-line-at-all"
)


def label_lines(dot: str, node_id: str) -> list[str]:
    line = next(x for x in dot.splitlines() if x.strip().startswith(f"{node_id} [label="))
    label = NODE_LINE.match(line).group(2)  # type: ignore[union-attr]
    return [html.unescape(re.sub(r"</?B>", "", part)) for part in label[1:-1].split("<BR/>")]


@pytest.mark.parametrize("width", [40, 25, "30"])
def test_long_text_is_wrapped(width: int | str) -> None:
    m = build([statement("A rather long title that needs more than one line", LONG)])
    lines = label_lines(to_dot(m, wrap=width), "s1")
    assert len(lines) > 4
    assert max(map(len, lines)) <= int(width)
    title = "A rather long title that needs more than one line"
    assert "".join(lines).replace(" ", "") == (title + LONG).replace(" ", "")


def test_wrap_zero_keeps_one_line_each() -> None:
    m = build([statement("Title", LONG)])
    assert label_lines(to_dot(m, wrap=0), "s1") == ["Title", LONG]


# -- options ----------------------------------------------------------------------------


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="rankdr"):
        to_dot(congestion_debate(), rankdr="LR")


@pytest.mark.parametrize("options", [{"rankdir": "up"}, {"wrap": -1}, {"wrap": "many"}, {"legend": "maybe"}])
def test_bad_option_values_are_value_errors(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        to_dot(congestion_debate(), **options)


def test_legend_is_optional() -> None:
    assert "cluster_legend" not in to_dot(congestion_debate())
    dot = to_dot(congestion_debate(), legend="yes")
    assert "cluster_legend" in dot
    for verb in ("supports", "attacks", "undercuts", "contradicts"):
        assert f"<{verb}>" in dot


# -- determinism ----------------------------------------------------------------------


def test_same_map_gives_identical_bytes_across_processes(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests');"
        "from graphviz_maps import congestion_debate; from argmap.exporters.dot import to_dot;"
        "sys.stdout.write(to_dot(congestion_debate(), legend=True))"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, env=env, check=True, cwd=Path(__file__).parent.parent
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert outputs.pop().decode() == to_dot(congestion_debate(), legend=True)


# -- escaping: run through the real dot ------------------------------------------------------


NASTY = [
    'He said "no"',
    "back\\slash \\N \\G \\n \\l \\",
    "close ]; evil=1 [",
    "a -> b",
    "<b>not bold</b>",
    "{ braces }",
    "line one\nline two",
    "<< double >>",
    "&amp; is not &",
    "it's > 3 < 4",
]


def nasty_map() -> argmap.ArgumentMap:
    statements = [statement(f"T{i} {title}", f"text {i}: {title}") for i, title in enumerate(NASTY)]
    arguments = [
        argument(
            f"Arg {NASTY[0]}", NASTY[1], premises=(statements[0].title,), conclusion=statements[1].title, section="s1"
        )
    ]
    relations = [rel((S, statements[i].title), (S, statements[i + 1].title), SUPPORT) for i in range(2, len(NASTY) - 1)]
    relations.append(rel((S, statements[3].title), (I, arguments[0].title), UNDERCUT))
    return build(
        statements,
        arguments,
        relations,
        [Section("s1", 'Section "}"; \\ <i>', 1)],
        {"title": 'Map <title> "\\N" & {x}'},
    )


def svg_texts(svg: str, kind: str) -> list[str]:
    """The text of every ``<g class=kind>`` group: its <text> lines joined by spaces."""
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    return [" ".join(t.text or "" for t in g.iter(f"{ns}text")) for g in root.iter(f"{ns}g") if g.get("class") == kind]


def test_user_text_cannot_break_or_inject_into_the_dot(require_dot: str) -> None:
    m = nasty_map()
    expected = build_graph(m)
    dot = to_dot(m, wrap=0)
    plain = subprocess.run([require_dot, "-Tplain"], input=dot, capture_output=True, text=True, check=True).stdout
    assert sum(line.startswith("node ") for line in plain.splitlines()) == len(expected.nodes)
    assert sum(line.startswith("edge ") for line in plain.splitlines()) == len(expected.edges)
    graph = json.loads(
        subprocess.run([require_dot, "-Tjson"], input=dot, capture_output=True, text=True, check=True).stdout
    )
    assert graph["_subgraph_cnt"] == 1
    assert sorted(o["name"] for o in graph["objects"][1:]) == sorted(n.id for n in expected.nodes)
    assert not any("evil" in o for o in graph["objects"])

    svg = subprocess.run([require_dot, "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    nodes = svg_texts(svg, "node")
    clean = [" ".join(s.split()) for s in NASTY]
    for i, title in enumerate(clean):
        assert f"T{i} {title} text {i}: {title}" in nodes
    assert f"Arg {clean[0]} {clean[1]}" in nodes
    assert svg_texts(svg, "cluster") == ['Section "}"; \\ <i>']
    assert svg_texts(svg, "graph")[0].startswith('Map <title> "\\N" & {x}')


def test_control_characters_do_not_break_the_render(require_dot: str) -> None:
    m = build([statement("Bell\x07 and\x00 null", "escape \x1b[31m red")])
    svg = subprocess.run([require_dot, "-Tsvg"], input=to_dot(m), capture_output=True, text=True, check=True).stdout
    assert svg_texts(svg, "node") == ["Bell\ufffd and\ufffd null escape \ufffd[31m red"]


def test_sample_debate_renders_with_the_expected_counts(require_dot: str) -> None:
    m = congestion_debate()
    expected = build_graph(m)
    plain = subprocess.run([require_dot, "-Tplain"], input=to_dot(m), capture_output=True, text=True, check=True).stdout
    assert sum(line.startswith("node ") for line in plain.splitlines()) == len(expected.nodes) == 13
    assert sum(line.startswith("edge ") for line in plain.splitlines()) == len(expected.edges) == 12
    assert {n.kind for n in expected.nodes} == {ElementKind.STATEMENT, ElementKind.ARGUMENT}


# -- oracle: the same boxes and arrows as Argdown's own map ------------------------------------


def _argdown_maps(paths: list[Path]) -> dict[str, dict[str, object]]:
    from oracle import argdown

    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    driver = Path(__file__).parent / "oracle" / "argdown_map.js"
    run = subprocess.run(
        ["node", str(driver), str(argdown.MODULES), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=argdown.ROOT,
    )
    maps: dict[str, dict[str, object]] = json.loads(run.stdout)
    return maps


ROOT = Path(__file__).resolve().parent.parent
MAP_DOCUMENTS = sorted((ROOT / "tests" / "notation").glob("*.arg")) + sorted((ROOT / "examples").glob("*.arg"))
#: Argdown's model drops a statement's attack on an argument when the statement already attacks one of
#: its premises; ArgumentMap.derived_relations does not (yet), so the map keeps that arrow.
KNOWN_DIFFERENCES: set[str] = set()
ARGDOWN_KIND = {"entails": "entailment", "contrary": "contrariness", "contradictory": "contradiction"}


@pytest.mark.oracle
def test_same_nodes_and_edges_as_argdowns_map() -> None:
    """Argdown hides elements connected to nothing; argmap shows them. Everything else must agree."""
    results = _argdown_maps(MAP_DOCUMENTS)
    failures = []
    for path in MAP_DOCUMENTS:
        result = results[str(path)]
        if result["error"] is not None:
            continue
        try:
            graph = build_graph(argmap.parse_file(path))
        except argmap.ArgmapError:
            continue  # the reader's tests report this
        titles = {n.id: (n.kind.value, n.title) for n in graph.nodes}
        connected = {end for e in graph.edges for end in (e.source, e.target)}
        nodes = {titles[i] for i in connected}
        edges = {(*titles[e.source], *titles[e.target], e.kind.value) for e in graph.edges}
        expected_nodes = {tuple(n) for n in result["nodes"]}  # type: ignore[attr-defined]
        expected_edges = {
            (*e[:4], ARGDOWN_KIND.get(e[4], e[4]))
            for e in result["edges"]  # type: ignore[attr-defined]
        }
        differs = nodes != expected_nodes or edges != expected_edges
        if path.name in KNOWN_DIFFERENCES:
            if not differs:
                failures.append(f"{path.name} now agrees with Argdown: remove it from KNOWN_DIFFERENCES")
        elif differs:
            failures.append(
                f"{path.name}: nodes only argdown {expected_nodes - nodes}, only argmap {nodes - expected_nodes}; "
                f"edges only argdown {expected_edges - edges}, only argmap {edges - expected_edges}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.oracle
def test_strict_mode_and_is_in_map_agree_with_argdowns_map(tmp_path: Path) -> None:
    strict = tmp_path / "strict.arg"
    strict.write_text(
        "===\nmodel:\n    mode: strict\n===\n\n"
        "[A]: a.\n  + [B]: b.\n  - [C]: c.\n  + <Arg>: d.\n\n<Arg>\n\n(1) [P]: p.\n----\n(2) [D]: d.\n  - [A]\n",
        encoding="utf-8",
    )
    in_map = tmp_path / "in-map.arg"
    in_map.write_text(
        "[A]: a.\n  + [B]: b. {isInMap: false}\n  - <Hidden>: h. {isInMap: false}\n  + <Shown>: s.\n\n"
        "<Shown>\n\n(1) [P]: p.\n(2) untitled premise {isInMap: true}\n----\n(3) [A]\n\n"
        "<Other>\n\n(1) [B]\n----\n(2) [Q]: q.\n  - [A]\n",
        encoding="utf-8",
    )
    results = _argdown_maps([strict, in_map])
    for path in (strict, in_map):
        result = results[str(path)]
        assert result["error"] is None, result
        graph = build_graph(argmap.parse_file(path))
        titles = {n.id: (n.kind.value, n.title) for n in graph.nodes}
        edges = {(*titles[e.source], *titles[e.target], e.kind.value) for e in graph.edges}
        expected = {(*e[:4], ARGDOWN_KIND.get(e[4], e[4])) for e in result["edges"]}  # type: ignore[attr-defined]
        assert edges == expected, path.name
        connected = {titles[end] for e in graph.edges for end in (e.source, e.target)}
        assert connected == {tuple(n) for n in result["nodes"]}, path.name  # type: ignore[attr-defined]
    kinds_drawn = {e.kind for e in build_graph(argmap.parse_file(strict)).edges}
    assert {RelationKind.ENTAILMENT, RelationKind.CONTRARINESS} <= kinds_drawn


# -- formatting in labels ---------------------------------------------------------------------------


def rich_statement(title: str, text: str, *ranges: TextRange) -> argmap.Statement:
    return attrs.evolve(statement(title), texts=(Text(text, ranges=ranges),))


def test_bold_italic_and_links_show_in_the_label_escaped() -> None:
    m = build(
        [
            rich_statement(
                "T",
                'a <b>"x"</b> & \\N and link',
                TextRange(RangeKind.BOLD, 2, 12),
                TextRange(RangeKind.ITALIC, 15, 17),
                TextRange(RangeKind.LINK, 22, 26, url="https://e.org/?a=1&b=<2>"),
            )
        ]
    )
    label = NODE_LINE.match(to_dot(m, wrap=0).splitlines()[4])
    assert label is not None
    assert label.group(2) == (
        "<<B>T</B><BR/>a <B>&lt;b&gt;&quot;x&quot;&lt;/b&gt;</B> &amp; <I>\\\\N</I> and <U>link</U>>"
    )
    assert "e.org" not in to_dot(m)  # a link is shown as its text


def test_formatting_survives_wrapping_run_by_run() -> None:
    text = "one two three four five six seven"
    ranges = (TextRange(RangeKind.BOLD, 4, 18), TextRange(RangeKind.ITALIC, 8, 13))
    dot = to_dot(build([rich_statement("T", text, *ranges)]), wrap=10)
    assert "<B>T</B><BR/>one <B>two</B><BR/><B><I>three</I></B><B> four</B><BR/>five six<BR/>seven>" in dot


def test_styled_wrapping_gives_the_plain_lines() -> None:
    rng = __import__("random").Random(7)
    alphabet = "ab c-\n\t\x07 xyz"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        width = rng.randint(0, 12)
        styles = [rng.randint(0, 2) for _ in text]
        lines = wrap_styled(text, styles, width)
        assert ["".join(run for run, _ in line) for line in lines] == wrap(text, width), (text, width)
        for line in lines:
            assert all(a[1] != b[1] for a, b in itertools.pairwise(line))


def test_mentions_stay_plain_text(require_dot: str) -> None:
    m = build([rich_statement("T", "see @[Other] now", TextRange(RangeKind.STATEMENT_MENTION, 4, 12, title="Other"))])
    assert "see @[Other&#93; now>" in to_dot(m)  # "]" as a character reference: the SVG shows it plainly
    svg = subprocess.run([require_dot, "-Tsvg"], input=to_dot(m), capture_output=True, text=True, check=True).stdout
    assert svg_texts(svg, "node") == ["T see @[Other] now"]


def test_formatted_labels_render_bold_and_italic(require_dot: str) -> None:
    m = build(
        [
            rich_statement(
                "T", "plain bold italic", TextRange(RangeKind.BOLD, 6, 10), TextRange(RangeKind.ITALIC, 11, 17)
            )
        ]
    )
    svg = subprocess.run([require_dot, "-Tsvg"], input=to_dot(m), capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    texts = {
        (t.text or "").strip(): t for g in root.iter(f"{ns}g") if g.get("class") == "node" for t in g.iter(f"{ns}text")
    }
    assert texts["bold"].get("font-weight") == "bold"
    assert texts["italic"].get("font-style") == "italic"
    assert texts["plain"].get("font-weight") is None


# -- strict mode: entailment and contrariness --------------------------------------------------


ENTAILMENT, CONTRARINESS = RelationKind.ENTAILMENT, RelationKind.CONTRARINESS


def strict_map() -> argmap.ArgumentMap:
    return build(
        [statement("A", "a"), statement("B", "b"), statement("C", "c"), statement("D", "d")],
        [argument("Arg", "x")],
        [
            rel((S, "B"), (S, "A"), ENTAILMENT),
            rel((S, "C"), (S, "A"), CONTRARINESS),
            rel((S, "A"), (S, "C"), CONTRARINESS),
            rel((S, "D"), (A, "Arg"), ENTAILMENT),
            rel((A, "Arg"), (S, "D"), CONTRARINESS),
        ],
    )


def test_strict_relations_between_statements_keep_their_kind_next_to_arguments_they_do_not() -> None:
    assert kinds(build_graph(strict_map())) == {
        ("B", "A", ENTAILMENT),
        ("C", "A", CONTRARINESS),  # symmetric: one edge for both directions
        ("D", "Arg", SUPPORT),
        ("Arg", "D", ATTACK),
    }


def test_every_edge_kind_looks_different_in_greyscale() -> None:
    from argmap.exporters.dot import EDGE_STYLE

    looks = {
        kind: (style["style"], style["arrowhead"], style.get("arrowtail", ""), ":" in style["color"])
        for kind, style in EDGE_STYLE.items()
    }
    assert len(set(looks.values())) == len(RelationKind) == 6
    assert EDGE_STYLE[CONTRARINESS]["dir"] == "both"  # symmetric, as contradiction
    dot = to_dot(strict_map())
    assert 'color="#1B5E20:invis:#1B5E20"' in dot and "arrowhead=odiamond" in dot


def test_the_legend_shows_strict_kinds_only_when_the_map_has_them() -> None:
    assert "is contrary to" not in to_dot(congestion_debate(), legend=True)
    legend = to_dot(strict_map(), legend=True)
    assert "<entails>" in legend and "<is contrary to>" in legend and "<undercuts>" in legend


def test_strict_map_renders(require_dot: str) -> None:
    m = strict_map()
    plain = subprocess.run(
        [require_dot, "-Tplain"], input=to_dot(m, legend=True), capture_output=True, text=True, check=True
    )
    assert plain.stderr == ""
    assert sum(line.startswith("edge s") or line.startswith("edge a") for line in plain.stdout.splitlines()) == 4


# -- data keys Argdown gives meaning to: isInMap, isGroup, isClosed, color ---------------------------


def with_data(element: argmap.Statement | Argument | Section, **data: object) -> Any:
    return attrs.evolve(element, data=data)


def test_is_in_map_false_hides_an_element_and_routes_a_statement_through_its_arguments() -> None:
    m = build(
        [statement("C", "c"), with_data(statement("P", "p"), isInMap=False), statement("X", "x")],
        [argument("Arg", "a", premises=("P",), conclusion="C"), with_data(argument("Gone", "g"), isInMap=False)],
        [rel((S, "X"), (S, "P"), ATTACK), rel((A, "Gone"), (S, "C"), ATTACK), rel((S, "X"), (I, "Gone"), UNDERCUT)],
    )
    graph = build_graph(m)
    assert [n.title for n in graph.nodes] == ["C", "X", "Arg"]
    assert kinds(graph) == {("X", "Arg", ATTACK), ("Arg", "C", SUPPORT)}


def test_is_in_map_true_draws_a_statement_that_would_be_hidden() -> None:
    hidden = statement("Untitled 1", "premise text", generated=True)
    m = build([hidden, statement("C", "c")], [argument("Arg", "a", premises=("Untitled 1",), conclusion="C")])
    assert "Untitled 1" not in titled(build_graph(m))
    forced = build(
        [with_data(hidden, isInMap=True), statement("C", "c")],
        [argument("Arg", "a", premises=("Untitled 1",), conclusion="C")],
    )
    assert kinds(build_graph(forced)) == {("Untitled 1", "Arg", SUPPORT), ("Arg", "C", SUPPORT)}


def test_a_flag_that_is_not_a_boolean_warns_and_is_ignored() -> None:
    m = build([with_data(statement("A", "a"), isInMap="false")], sections=[])
    with pytest.warns(UserWarning, match=r"statement 'A': data 'isInMap' must be true or false, not 'false'"):
        graph = build_graph(m)
    assert titled(graph) == {"A": "s1"}


def grouped_map(**section_data: dict[str, object]) -> argmap.ArgumentMap:
    sections = [Section("s1", "Outer", 1), Section("s2", "Inner", 2, parent="s1"), Section("s3", "Other", 1)]
    sections = [with_data(s, **section_data[s.id]) if s.id in section_data else s for s in sections]
    return build(
        [statement("A", "a", "s1"), statement("B", "b", "s2"), statement("C", "c", "s2"), statement("D", "d", "s3")],
        [],
        [rel((S, "B"), (S, "A"), SUPPORT), rel((S, "C"), (S, "B"), ATTACK), rel((S, "D"), (S, "C"), ATTACK)],
        sections,
    )


def clusters(dot: str) -> list[str]:
    return re.findall(r"label=<<B>(\w+)</B>>", dot)


def test_is_group_false_draws_a_section_without_its_box() -> None:
    assert clusters(to_dot(grouped_map())) == ["Outer", "Inner", "Other"]
    dot = to_dot(grouped_map(s2={"isGroup": False}))
    assert clusters(dot) == ["Outer", "Other"]
    outer = dot[dot.index("subgraph cluster_1") : dot.index("subgraph cluster_2")]
    assert all(f"{node} [label" in outer for node in ("s1", "s2", "s3"))  # B and C joined Outer's box


def test_a_closed_section_is_one_node_with_the_arrows_of_its_elements() -> None:
    dot = to_dot(grouped_map(s2={"isClosed": True}))
    assert clusters(dot) == ["Outer", "Other"]
    assert re.search(r'g1 \[label=<<B>Inner</B><BR/><FONT POINT-SIZE="9">2 elements</FONT>> .*shape=folder', dot)
    assert "s2 [" not in dot and "s3 [" not in dot
    assert [(t, h) for t, h, _ in edges(dot)] == [("g1", "s1"), ("s4", "g1")]  # C attacks B inside: not drawn


def test_closing_an_outer_section_closes_what_is_inside() -> None:
    dot = to_dot(grouped_map(s1={"isClosed": True}, s2={"isClosed": True}))
    assert clusters(dot) == ["Other"]
    assert "3 elements" in dot and "g2" not in dot
    assert [(t, h) for t, h, _ in edges(dot)] == [("s4", "g1")]


def test_a_diagram_leaves_no_reference_cycle_holding_the_map() -> None:
    """The command runs without the cycle collector: what drawing a map made must go with the last reference to it.

    (Nested functions that called each other once kept the whole map alive to the end of the command, whose
    interpreter then took half a second freeing a map of 50,000 statements.)"""
    m = grouped_map(s2={"isClosed": True})
    gc.collect()
    gc.disable()
    try:
        assert "cluster_1" in to_dot(m)
        drawn = weakref.ref(m)
        del m
        assert drawn() is None
    finally:
        gc.enable()


def test_closed_sections_say_what_each_box_stands_for() -> None:
    """What the html view shows for a closed box: the same boxes and members as the diagram draws."""
    m = grouped_map(s2={"isClosed": True})
    found = closed_sections(m, build_graph(m).nodes)
    assert {box: (section, [n.title for n in nodes]) for box, (section, nodes) in found.items()} == {
        "g1": ("s2", ["B", "C"])
    }
    m = grouped_map(s1={"isClosed": True}, s2={"isClosed": True})  # the outer box holds the inner one's too
    found = closed_sections(m, build_graph(m).nodes)
    assert {box: (section, [n.title for n in nodes]) for box, (section, nodes) in found.items()} == {
        "g1": ("s1", ["A", "B", "C"])
    }
    assert closed_sections(grouped_map(), build_graph(grouped_map()).nodes) == {}


def test_colours_fill_arguments_and_sections_and_border_statements() -> None:
    m = build(
        [with_data(statement("A", "a", "s1"), color="Teal"), with_data(statement("B", "b"), color="#abc")],
        [with_data(argument("Dark", "x"), color="navy"), with_data(argument("Light", "y"), color="#FFEEDD80")],
        [],
        [with_data(Section("s1", "Section", 1), color="darkslategray")],
    )
    dot = to_dot(m)
    lines = {line.strip().split(" ")[0]: line for line in dot.splitlines() if "[label=" in line}
    assert 'color="#008080"' in lines["s1"] and "fillcolor=white" in lines["s1"]
    assert 'color="#aabbcc"' in lines["s2"]
    assert 'fillcolor="#000080"' in lines["a1"] and "fontcolor=white" in lines["a1"]
    assert 'fillcolor="#ffeedd80"' in lines["a2"] and "fontcolor" not in lines["a2"]
    assert 'fillcolor="#2f4f4f"' in dot and "fontcolor=white" in dot.split("subgraph cluster_1")[1]


@pytest.mark.parametrize("value", ["red; evil=1", 'red" evil="1', "#12345", "#ggg", "notacolour", 3, ["red"], "red]"])
def test_an_invalid_colour_warns_and_is_ignored(value: object) -> None:
    plain = to_dot(build([statement("A", "a")], [argument("B", "b")], [], [Section("s1", "S", 1)]))
    m = build(
        [with_data(statement("A", "a"), color=value)],
        [with_data(argument("B", "b"), color=value)],
        [],
        [with_data(Section("s1", "S", 1), color=value)],
    )
    with pytest.warns(UserWarning, match="is not a colour") as caught:
        dot = to_dot(m)
    assert len(caught) == 3  # the section holds nothing and is not drawn, but its data is checked too
    assert dot == plain


def test_closed_groups_and_colours_render(require_dot: str) -> None:
    m = grouped_map(s2={"isClosed": True, "color": "gold"}, s3={"isGroup": False})
    dot = to_dot(m, legend=True)
    result = subprocess.run([require_dot, "-Tsvg"], input=dot, capture_output=True, text=True, check=True)
    assert result.stderr == ""
    assert svg_texts(result.stdout, "cluster")[0] == "Outer"
    assert "Inner 2 elements" in svg_texts(result.stdout, "node")


def test_data_keys_through_the_parser() -> None:
    m = argmap.parse(
        "# Kept {color: '#FFCC00'}\n\n[A]: a. {color: red}\n  - <Hidden>: h. {isInMap: false}\n\n"
        "## Shut {isClosed: true}\n\n[B]: b.\n  + [A]\n\n# Open {isGroup: false}\n\n[C]: c.\n  - [A]\n"
    )
    dot = to_dot(m)
    assert clusters(dot) == ["Kept"]
    assert "Hidden" not in dot and "g1 [label=<<B>Shut</B>" in dot
    assert 'fillcolor="#ffcc00"' in dot and 'color="#ff0000"' in dot
    assert {(t, h) for t, h, _ in edges(dot)} == {("s1", "g1"), ("s1", "s3")}


def test_sections_nested_deeper_than_the_limit_are_drawn_in_their_ancestor() -> None:
    from argmap.exporters.dot import MAX_CLUSTER_DEPTH

    depth = MAX_CLUSTER_DEPTH + 5
    text = "\n\n".join("#" * i + f" H{i}\n\n[S{i}]: s" for i in range(1, depth + 1))
    dot = argmap.export(argmap.parse(text), "dot")
    assert isinstance(dot, str)
    assert dot.count("subgraph cluster_") == MAX_CLUSTER_DEPTH
    assert all(f"<B>S{i}</B>" in dot for i in range(1, depth + 1))
