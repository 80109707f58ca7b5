"""The DOT exporter: which boxes and arrows, how they look, escaping, determinism."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

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
from argmap.exporters.dot import EXPORTER, to_dot
from argmap.exporters.mapgraph import MapGraph, build_graph
from argmap.model import Argument, Conclusion, ElementKind, Premise, RelationKind, Section
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
ARGDOWN_KIND = {"entails": "support", "contrary": "attack", "contradictory": "contradiction"}


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
