"""AIF JSON: the ``aif`` exporter and importer.

- goldens: every example exported (tests/golden/aif/), and the AIFdb-shaped debate with its
  dialogue nodes (tests/formats/aif/radio-debate.json) imported, with what was dropped;
- export then import over the whole corpus (and generated maps) gives the map back, but for
  exactly what :func:`aif_view` takes away: the formatting of texts (bold, italic, links; the
  text itself is kept), and data values YAML has but JSON has not (dates), which become
  text as in argmap JSON. Positions and comments are not part of a map's equality anyway;
- without argmap's notes (``extensions=false``) the AIF is plain AIFdb: reading it and
  writing it again gives the same graph;
- a second implementation, arguebuf, loads argmap's AIF with the same counts of nodes and edges;
- bad input is reported at its line and column.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import in_ci
from hypothesis import given
from strategies import EXAMPLES, argument_maps, property_settings
from test_golden import compare

import argmap
from argmap.errors import ArgmapSyntaxError, ExporterError
from argmap.exporters.aif import EXPORTER, inference_uses, to_aif
from argmap.exporters.json import _value
from argmap.importers import Importer
from argmap.importers.aif import IMPORTER, read_aif, title_from_text
from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    Relation,
    RelationKind,
    Statement,
    Text,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "aif"
DEBATE = ROOT / "tests" / "formats" / "aif" / "radio-debate.json"
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.arg"))


def _corpus() -> list[Path]:
    found = [*ROOT.glob("tests/notation/*.arg"), *ROOT.glob("examples/*.arg"), *ROOT.glob("tests/conformance/**/*.arg")]
    readable = []
    for path in sorted(found):
        try:
            argmap.parse_file(path)
        except ArgmapSyntaxError:
            continue  # the conformance suite's rejected documents
        readable.append(path)
    return readable


CORPUS = _corpus()


def export(m: ArgumentMap, **options: Any) -> str:
    out = EXPORTER.export(m, **options)
    assert isinstance(out, str)
    return out


def aif_view(m: ArgumentMap) -> ArgumentMap:
    """``m`` less what AIF JSON does not keep even with argmap's notes: text formatting, YAML-only data types."""

    def texts(found: tuple[Text, ...]) -> tuple[Text, ...]:
        return tuple(Text(t.text) for t in found)

    def step(s: Premise | Conclusion) -> Premise | Conclusion:
        if isinstance(s, Conclusion):
            return attrs.evolve(s, inference=attrs.evolve(s.inference, data=_value(s.inference.data, "")))
        return s

    return attrs.evolve(
        m,
        statements={t: attrs.evolve(s, texts=texts(s.texts), data=_value(s.data, "")) for t, s in m.statements.items()},
        arguments={
            t: attrs.evolve(
                a, descriptions=texts(a.descriptions), data=_value(a.data, ""), steps=tuple(step(s) for s in a.steps)
            )
            for t, a in m.arguments.items()
        },
        sections=tuple(attrs.evolve(s, data=_value(s.data, "")) for s in m.sections),
        metadata=_value(m.metadata, ""),
    )


# -- the exporter -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_goldens(example: Path, update_golden: bool) -> None:
    m = argmap.parse(example.read_text(encoding="utf-8"), f"examples/{example.name}")
    compare(GOLDEN / f"{example.stem}.json", export(m), update_golden)


def test_plain_golden(update_golden: bool) -> None:
    m = argmap.parse_file(ROOT / "examples" / "03-arguments.arg")
    compare(GOLDEN / "03-arguments.plain.json", export(m, extensions=False), update_golden)


def test_the_shape_is_aifdbs() -> None:
    document = json.loads(export(argmap.parse_file(ROOT / "examples" / "north-korea.arg"), extensions=False))
    assert set(document) == {"nodes", "edges", "locutions"}
    assert document["locutions"] == []
    ids = [n["nodeID"] for n in document["nodes"]]
    assert ids == [str(i) for i in range(1, len(ids) + 1)]
    for node in document["nodes"]:
        assert list(node) == ["nodeID", "text", "type", "timestamp"]
        assert node["type"] in {"I", "RA", "CA"}
        assert node["timestamp"] == "2019-01-08 00:00:00"  # the front matter's date, at midnight
    known = set(ids)
    for i, edge in enumerate(document["edges"], start=1):
        assert edge == {"edgeID": str(i), "fromID": edge["fromID"], "toID": edge["toID"], "formEdgeID": None}
        assert edge["fromID"] in known and edge["toID"] in known
    # every S-node has premises and exactly one conclusion, as AIF requires
    types = {n["nodeID"]: n["type"] for n in document["nodes"]}
    for node_id, kind in types.items():
        if kind != "I":
            assert sum(e["fromID"] == node_id for e in document["edges"]) == 1
            assert sum(e["toID"] == node_id for e in document["edges"]) >= 1
    assert not any(types[e["fromID"]] == "I" and types[e["toID"]] == "I" for e in document["edges"])


def _ends(document: dict[str, Any], node_id: str, kind: str | None = None) -> tuple[list[str], list[str]]:
    """The nodes with an edge into ``node_id`` (of type ``kind``, if given) and those it has an edge to."""
    types = {n["nodeID"]: n["type"] for n in document["nodes"]}
    into = [e["fromID"] for e in document["edges"] if e["toID"] == node_id and kind in (None, types[e["fromID"]])]
    out = [e["toID"] for e in document["edges"] if e["fromID"] == node_id]
    return into, out


def test_structures_relations_and_undercuts() -> None:
    m = argmap.parse(
        "<A>: Rain, so umbrella.\n\n(1) [P1]: one\n(2) [P2]: two\n----\n(3) [C1]: three\n(4) [P4]: four\n"
        "-- modus ponens --\n(5) [C]: five\n\n"
        "<A>\n  <_ [U]: undercut\n  - [X]: attacks the argument\n  + [S]: supports the argument\n\n"
        "[K]: k\n  >< [C]\n\n<Sketch>: no structure\n  +> [C]\n"
    )
    document = to_aif(m)
    by_id = {n["nodeID"]: n for n in document["nodes"]}
    notes = {n["nodeID"]: n.get("argmap", {}) for n in document["nodes"]}
    title = {n["argmap"].get("statement"): n["nodeID"] for n in document["nodes"] if "statement" in n.get("argmap", {})}
    ra = [i for i, n in by_id.items() if n["type"] == "RA" and "step" in notes[i]]
    assert [notes[i]["step"] for i in ra] == [3, 5]
    first, main = ra
    assert _ends(document, first) == ([title["P1"], title["P2"]], [title["C1"]])
    assert _ends(document, main, "I") == ([title["C1"], title["P4"]], [title["C"]])
    assert by_id[main]["text"] == "modus ponens" and by_id[first]["text"] == "Default Inference"
    # relations: each its own S-node
    relation_nodes = {notes[i]["relation"]: i for i in by_id if "relation" in notes[i] and not notes[i].get("mirror")}
    assert _ends(document, relation_nodes["undercut"]) == ([title["U"]], [main])
    assert _ends(document, relation_nodes["attack"]) == ([title["X"]], [main])
    assert by_id[relation_nodes["attack"]]["type"] == "CA"
    assert _ends(document, relation_nodes["support"])[1] in ([main], [title["C"]])
    # a contradiction is two CA-nodes, one each way
    contradiction = [i for i in by_id if notes[i].get("relation") == "contradiction"]
    assert [by_id[i]["type"] for i in contradiction] == ["CA", "CA"]
    assert _ends(document, contradiction[0]) == ([title["K"]], [title["C"]])
    assert _ends(document, contradiction[1]) == ([title["C"]], [title["K"]])
    # an argument without a structure is an I-node standing for it
    sketch = next(i for i in by_id if notes[i].get("argument") == "Sketch")
    assert by_id[sketch] | {"argmap": None} == {
        "nodeID": sketch,
        "text": "no structure",
        "type": "I",
        "timestamp": "",
        "argmap": None,
    }


def test_inference_uses() -> None:
    steps = (
        Premise(1, "a"),
        Premise(2, "b"),
        Conclusion(3, "c"),
        Premise(4, "d"),
        Conclusion(5, "e", Inference(uses=(1, 4))),
        Conclusion(6, "f"),
    )
    assert inference_uses(Argument("A", steps=steps)) == {3: (1, 2), 5: (1, 4), 6: (3, 5)}


def test_options() -> None:
    m = argmap.parse("===\ndate: 2024-02-29\n===\n\n[A]: a\n")
    assert json.loads(export(m))["nodes"][0]["timestamp"] == "2024-02-29 00:00:00"
    assert json.loads(export(m, timestamp="2020-01-02 03:04:05"))["nodes"][0]["timestamp"] == "2020-01-02 03:04:05"
    assert "argmap" not in export(m, extensions="false")
    assert export(m) == export(m), "the same map gives the same bytes"
    with pytest.raises(ExporterError, match="timestamp"):
        export(m, timestamp="yesterday")
    with pytest.raises(ExporterError, match="extensions"):
        export(m, extensions="maybe")
    with pytest.raises(ExporterError, match="takes only"):
        export(m, indent=4)


def test_registered() -> None:
    assert argmap.export(argmap.parse("[A]: a\n"), "aif") == export(argmap.parse("[A]: a\n"))
    assert isinstance(IMPORTER, Importer)


# -- round trips --------------------------------------------------------------------------------------------


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) > 60


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_export_then_import_gives_the_map_back(path: Path) -> None:
    original = argmap.parse_file(path)
    imported = IMPORTER.read(export(original), source_name=str(path))
    assert imported.dropped == ()
    assert aif_view(imported.map) == aif_view(original)


@property_settings(max(1, EXAMPLES // 2))
@given(argument_maps())
def test_generated_maps_come_back(generated: ArgumentMap) -> None:
    imported = read_aif(export(generated))
    assert imported.dropped == ()
    assert aif_view(imported.map) == aif_view(generated)


def _graph(document: dict[str, Any]) -> tuple[Counter[tuple[str, str]], Counter[tuple[tuple[str, str], ...]]]:
    """The nodes (type, text) and edges between them, as multisets: the graph whatever the ids and order."""
    nodes = {n["nodeID"]: (n["type"], n["text"]) for n in document["nodes"]}
    return Counter(nodes.values()), Counter((nodes[e["fromID"]], nodes[e["toID"]]) for e in document["edges"])


@pytest.mark.parametrize("path", [*EXAMPLE_FILES, DEBATE], ids=lambda p: p.name)
def test_plain_aif_survives_a_second_pass(path: Path) -> None:
    if path.suffix == ".json":
        first = export(read_aif(path.read_text(encoding="utf-8")).map, extensions=False)
    else:
        first = export(argmap.parse_file(path), extensions=False)
    again = export(read_aif(first).map, extensions=False)
    assert _graph(json.loads(again)) == _graph(json.loads(first))


def test_plain_import_of_an_example() -> None:
    m = argmap.parse_file(ROOT / "examples" / "02-relations.arg")
    plain = read_aif(export(m, extensions=False)).map
    # every statement, by its text; every relation between the same texts
    assert sorted(s.text for s in plain.statements.values()) == sorted(s.text for s in m.statements.values())
    text_of = {t: s.text for t, s in m.statements.items()}
    plain_text = {t: s.text for t, s in plain.statements.items()}
    assert [(text_of[r.source.title], r.kind, text_of[r.target.title]) for r in m.relations] == [
        (plain_text[r.source.title], r.kind, plain_text[r.target.title]) for r in plain.relations
    ]


# -- a second implementation ------------------------------------------------------------------------------------


def _arguebuf() -> Any:
    try:
        import arguebuf
    except ImportError:
        message = "arguebuf is not installed (pip install -e '.[test]'; it needs Python 3.11 or newer)"
        if in_ci() and sys.version_info >= (3, 11):
            pytest.fail(message)
        pytest.skip(message)
    return arguebuf


@pytest.mark.parametrize("extensions", [True, False], ids=["notes", "plain"])
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_arguebuf_loads_the_output(example: Path, extensions: bool, tmp_path: Path) -> None:
    arguebuf = _arguebuf()
    written = export(argmap.parse_file(example), extensions=extensions)
    path = tmp_path / f"{example.stem}.json"
    path.write_text(written, encoding="utf-8")
    graph = arguebuf.load.file(path)
    document = json.loads(written)
    assert len(graph.nodes) == len(document["nodes"])
    assert len(graph.edges) == len(document["edges"])
    atoms = sorted(n.plain_text for n in graph.atom_nodes.values())
    assert atoms == sorted(n["text"] for n in document["nodes"] if n["type"] == "I")
    assert len(graph.scheme_nodes) == sum(n["type"] != "I" for n in document["nodes"])


# -- the importer -----------------------------------------------------------------------------------------------


def _debate_report() -> str:
    imported = IMPORTER.read(DEBATE.read_text(encoding="utf-8"), source_name="radio-debate.json")
    written = argmap.export(imported.map, "argdown")
    assert isinstance(written, str)
    return "".join(f"// {line}\n" for line in imported.dropped) + "\n" + written


def test_debate_golden(update_golden: bool) -> None:
    compare(GOLDEN / "radio-debate.arg", _debate_report(), update_golden)


def test_debate_reads_what_the_model_holds() -> None:
    imported = IMPORTER.read(DEBATE.read_text(encoding="utf-8"))
    m = imported.map
    assert len(m.statements) == 10  # every I-node, the restated one too
    kinds = Counter(r.kind for r in m.relations)
    assert kinds == {
        RelationKind.CONTRADICTION: 1,  # two CA-nodes, each way
        RelationKind.ATTACK: 1,
        RelationKind.SUPPORT: 1,  # a single premise, the default scheme
        RelationKind.UNDERCUT: 1,  # a CA-node pointing at an RA-node
    }
    linked = m.arguments["Argument for The town should move its schools to a four-day week"]
    assert len(linked.premises) == 2 and linked.conclusion == "The town should move its schools to a four-day week"
    example = m.arguments["Argument From Example"]
    assert example.conclusions[0].inference.rules == ("Argument From Example",)
    undercut = next(r for r in m.relations if r.kind is RelationKind.UNDERCUT)
    assert undercut.target == Node(ElementKind.INFERENCE, "Argument From Example")
    assert imported.dropped == (
        "dropped 10 entries of 'locutions': speakers and times are not part of the model",
        "dropped 10 locution nodes (L), 17 illocutionary nodes (YA) and 9 transition nodes (TA): "
        "the dialogue is not part of the model",
        "dropped 1 rephrase node (MA): the model has no relation for saying a claim again in other words",
        "dropped 1 preference node (PA): the model has no preferences",
    )


def test_ova_wrapper() -> None:
    graph = json.loads(DEBATE.read_text(encoding="utf-8"))
    ova = {"AIF": {**graph, "participants": [{"participantID": "4101", "firstname": "Host", "surname": ""}]}}
    ova["OVA"] = {"firstname": "A", "surname": "B", "nodes": [], "edges": []}
    ova["text"] = "<p>the transcript</p>"
    text = json.dumps(ova, indent=1)
    assert IMPORTER.sniff(text[:4096])
    imported = IMPORTER.read(text)
    assert imported.map == IMPORTER.read(DEBATE.read_text(encoding="utf-8")).map
    assert (
        imported.dropped[0]
        == "dropped the keys 'OVA', 'text' beside 'AIF': OVA's layout and the analysed text are not part of the model"
    )
    assert "dropped 1 entry of 'participants': speakers and times are not part of the model" in imported.dropped


def _aif(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "nodes": [{"nodeID": i, "text": text, "type": kind} for i, kind, text in nodes],
            "edges": [{"edgeID": str(n), "fromID": a, "toID": b} for n, (a, b) in enumerate(edges)],
        },
        indent=1,
    )


def test_rules_for_plain_aif() -> None:
    text = _aif(
        [
            ("1", "I", "Premise one"),
            ("2", "I", "Conclusion"),
            ("3", "RA", "Default Inference"),
            ("4", "I", "Backing"),
            ("5", "RA", "Default Inference"),  # supports the inference of 7
            ("6", "I", "Second premise"),
            ("7", "RA", "Default Inference"),  # supported: an argument, though it has one premise
            ("8", "CA", "Default Conflict"),
            ("9", "I", "Premise one"),  # the same text as node 1
            ("10", "CA", "Default Conflict"),  # to an RA-node with no argument: 3 is a support relation
        ],
        [("1", "3"), ("3", "2"), ("4", "5"), ("5", "7"), ("6", "7"), ("7", "2"), ("9", "8"), ("8", "6"), ("99", "1")],
    )
    imported = read_aif(text)
    m = imported.map
    assert list(m.statements) == ["Premise one", "Conclusion", "Backing", "Second premise", "Premise one (node 9)"]
    assert list(m.arguments) == ["Argument for Conclusion"]
    assert [str(r) for r in m.relations] == [
        "[Premise one] support [Conclusion]",
        "[Backing] support <Argument for Conclusion>",
        "[Premise one (node 9)] attack [Second premise]",
    ]
    assert imported.dropped == (
        "dropped 1 edge to or from a node the file does not have",
        "dropped 1 CA-node without a conflicting node or without exactly one node it points at",
    )


def test_titles_from_text() -> None:
    assert title_from_text("  short\n text ") == "short text"
    long = "word " * 30
    title = title_from_text(long)
    assert title.endswith("…") and len(title) <= 61 and title[:-1] == title[:-1].rstrip()
    assert title_from_text("x" * 100) == "x" * 60 + "…"
    # an empty text: the node's id
    m = read_aif(_aif([("n1", "I", ""), ("n2", "I", "  ")], [])).map
    assert list(m.statements) == ["node n1", "node n2"]
    assert [s.texts for s in m.statements.values()] == [(), (Text("  "),)]


def test_notes_that_disagree_are_ignored() -> None:
    m = argmap.parse("(1) [A]: a\n(2) [B]: b\n----\n(3) [C]: c\n\n[D]: d\n  -> [C]\n")
    m = attrs.evolve(m, arguments={"Arg": attrs.evolve(next(iter(m.arguments.values())), title="Arg")})
    document = to_aif(m)
    # another tool removed premise B from the inference
    b = next(n["nodeID"] for n in document["nodes"] if n.get("argmap", {}).get("statement") == "B")
    document["edges"] = [e for e in document["edges"] if e["fromID"] != b]
    imported = read_aif(json.dumps(document))
    assert imported.dropped == (
        "ignored argmap's notes on 1 argument: they disagree with the graph (edited by another tool?), "
        "so its RA-nodes were read as plain AIF",
    )
    # still an argument, with the title the notes give, as the graph has it now
    assert list(imported.map.arguments) == ["Arg"]
    assert imported.map.arguments["Arg"].premises == ("A",)
    assert [str(r) for r in imported.map.relations] == ["[D] attack [C]"]


def test_sniff() -> None:
    assert IMPORTER.sniff(DEBATE.read_text(encoding="utf-8")[:4096])
    m = argmap.parse_file(ROOT / "examples" / "03-arguments.arg")
    assert IMPORTER.sniff(export(m)[:4096])
    assert not IMPORTER.sniff(argmap.export(m, "json")[:4096])  # type: ignore[index]
    assert not IMPORTER.sniff('{"statements": {}, "arguments": {}, "map": {"nodes": [], "edges": []}}')
    assert not IMPORTER.sniff("Discussion Title: Tea\n\n1. Tea is good.\n")
    assert not IMPORTER.sniff("[A]: nodeID")


BAD = [
    ('{"nodes": [}', 1, 12, "invalid JSON"),
    ("[1, 2]", 1, 1, "an AIF document is a JSON object"),
    ('{"edges": []}', 1, 1, 'needs "nodes"'),
    ('{"nodes": {}, "edges": []}', 1, 11, "nodes must be a list"),
    ('{"nodes": [\n  {"nodeID": "1", "type": "I", "text": "a"},\n  "oops"\n], "edges": []}', 3, 3, "nodes[1] must be"),
    ('{"nodes": [\n  {"type": "I", "text": "a"}\n], "edges": []}', 2, 3, 'nodes[0] has no "nodeID"'),
    ('{"nodes": [\n  {"nodeID": true, "type": "I"}\n], "edges": []}', 2, 14, "nodes[0].nodeID must be a string or"),
    (
        '{"nodes": [\n  {"nodeID": "1", "type": "I"},\n  {"nodeID": 1, "type": "I"}\n], "edges": []}',
        3,
        14,
        "nodes[1].nodeID '1' is the id of nodes[0] too",
    ),
    ('{"nodes": [\n  {"nodeID": "1", "type": 3}\n], "edges": []}', 2, 27, "nodes[0].type must be a string"),
    ('{"nodes": [{"nodeID": "1", "type": "I", "text": []}], "edges": []}', 1, 49, "nodes[0].text must be"),
    ('{"nodes": [], "edges": [\n  {"fromID": "1"}\n]}', 2, 3, 'edges[0] has no "toID"'),
    (
        '{"nodes": [\n  {"nodeID": "1", "type": "I", "argmap": {"tags": "x"}}\n], "edges": []}',
        2,
        51,
        "nodes[0].argmap.tags must be a list",
    ),
    ('{"nodes": [], "edges": [], "argmap": {"sections": [{"id": 1}]}}', 1, 52, "argmap.sections[0] must have"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), BAD, ids=[b[3] for b in BAD])
def test_bad_input_is_reported_where_it_is(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(ArgmapSyntaxError) as caught:
        read_aif(text, source_name="bad.json")
    error = caught.value
    assert message in error.message
    assert (error.source_name, error.line, error.column) == ("bad.json", line, column)


def test_hostile_text_round_trips() -> None:
    hostile = [
        '"quoted" \\ back',
        "<script>alert(1)</script>",
        "line\nbreak\ttab",
        "\u202eRTL",
        "😀 ümlaut",
        "\x00\x7f",
    ]
    statements = {f"T{i} {h}": Statement(f"T{i} {h}", (Text(h),)) for i, h in enumerate(hostile)}
    titles = list(statements)
    relations = tuple(
        Relation(Node(ElementKind.STATEMENT, a), Node(ElementKind.STATEMENT, b), RelationKind.ATTACK)
        for a, b in itertools.pairwise(titles)
    )
    m = ArgumentMap(statements=statements, relations=relations)
    assert read_aif(export(m)).map == m
    plain = read_aif(export(m, extensions=False)).map
    assert [s.text for s in plain.statements.values()] == hostile


def test_section_notes_that_make_no_headings_are_ignored() -> None:
    m = argmap.parse_file(ROOT / "examples" / "03-arguments.arg")
    document = to_aif(m)
    document["argmap"]["sections"].append(document["argmap"]["sections"][1])  # an id twice
    imported = read_aif(json.dumps(document))
    assert imported.dropped == (
        "ignored argmap's notes on 4 sections: their ids, levels and parents do not make headings, "
        "so no element is in a section",
    )
    assert imported.map.sections == ()
    assert all(s.section is None for s in imported.map.statements.values())
    assert isinstance(argmap.export(imported.map, "argdown"), str)  # a map the notation can say
