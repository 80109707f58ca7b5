"""Properties of every exporter over generated maps and generated notation documents.

The maps come from tests/strategies.py (maps the notation can say) and
tests/fuzz/strategies.py (the same with the data keys the diagram obeys; documents
written from scratch). Every built-in exporter succeeds on every map; the DOT source is
accepted by Graphviz's ``dot`` and draws exactly the nodes and edges that
:mod:`argmap.exporters.mapgraph` decides, closed sections standing for what they hold;
the JSON validates against the shipped schema and reads back to the same map and the
same JSON. The rendered formats run ``dot`` for real, so they get fewer examples.

Hypothesis picks new examples on each run; under CI (env CI set) the examples are
derandomised, so a CI run is reproducible. ``HYPOTHESIS_PROFILE=thorough`` is not
needed here: raise ``PROPERTY_EXAMPLES`` to run more (e.g. 2000).
"""

from __future__ import annotations

import json
import math
import subprocess
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import jsonschema
import pytest
from fuzz.strategies import layout_maps, notation_documents
from hypothesis import given
from hypothesis import strategies as st
from strategies import EXAMPLES, argument_maps, property_settings

import argmap
from argmap.exporters.dot import EDGE_STYLE
from argmap.exporters.json import schema
from argmap.exporters.mapgraph import build_graph
from argmap.model import ArgumentMap, RelationKind


@contextmanager
def _quiet() -> Iterator[None]:
    """The diagram exporters warn about data values they ignore (``isInMap: "no"``): expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


any_map = st.one_of(argument_maps(), layout_maps())
TEXT_FORMATS = ("json", "markdown", "dot", "argdown")


@property_settings(EXAMPLES)
@given(any_map)
def test_every_text_exporter_succeeds_on_every_map(generated: ArgumentMap) -> None:
    with _quiet():
        for name in TEXT_FORMATS:
            output = argmap.export(generated, name)
            assert isinstance(output, str) and output, name


@property_settings(EXAMPLES)
@given(notation_documents())
def test_generated_documents_read_and_export(document: str) -> None:
    parsed = argmap.parse(document)
    with _quiet():
        for name in TEXT_FORMATS:
            assert isinstance(argmap.export(parsed, name), str)
    _assert_json_round_trip(parsed)
    written = argmap.export(parsed, "argdown")
    assert isinstance(written, str)
    assert argmap.parse(written) == parsed, f"the notation written back reads differently:\n{written}"


# -- JSON -------------------------------------------------------------------------------------

_VALIDATOR = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def _assert_json_round_trip(generated: ArgumentMap) -> None:
    exported = argmap.export(generated, "json")
    assert isinstance(exported, str)
    errors = sorted(_VALIDATOR.iter_errors(json.loads(exported)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    loaded = argmap.from_json(exported)
    assert argmap.export(loaded, "json") == exported


@property_settings(EXAMPLES)
@given(any_map)
def test_json_validates_and_round_trips(generated: ArgumentMap) -> None:
    _assert_json_round_trip(generated)
    if _json_native(generated):
        # a map holding only what JSON can say comes back itself (an infinite number comes back as its text)
        assert argmap.from_json(argmap.export(generated, "json")) == generated


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Mapping):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    return True


def _json_native(generated: ArgumentMap) -> bool:
    """True when every data value of the map is one JSON has (the strategies make no dates or binary)."""
    holders: list[Any] = [*generated.statements.values(), *generated.arguments.values(), *generated.sections]
    inferences = [s.inference for a in generated.arguments.values() for s in a.conclusions]
    return _finite(generated.metadata) and all(_finite(h.data) for h in [*holders, *inferences])


# -- DOT, checked by Graphviz -----------------------------------------------------------------


def _flag(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    return value if isinstance(value, bool) else None


def expected_drawing(generated: ArgumentMap) -> tuple[set[str], Counter[tuple[str, str, RelationKind]]]:
    """The node ids and edges a DOT drawing of ``generated`` has, from the map graph and the sections' data.

    A section whose ``isGroup`` is not false and whose ``isClosed`` is true is drawn as one node
    ``g<n>`` (numbered in document order among the closed ones): every node in it, or in a
    section inside it, is drawn as the outermost such section, which is drawn when it stands for
    at least one node. Edges follow their ends; an edge whose ends became one node, or that repeats
    one already drawn, is not drawn.
    """
    graph = build_graph(generated)
    sections = {s.id: s for s in generated.sections}
    closed = [s.id for s in generated.sections if _flag(s.data, "isGroup") is not False and _flag(s.data, "isClosed")]
    node_of_section = {section_id: f"g{n}" for n, section_id in enumerate(closed, start=1)}

    def drawn_as(node_id: str, section_id: str | None) -> str:
        owner = None
        while section_id is not None and section_id in sections:
            if section_id in node_of_section:
                owner = node_of_section[section_id]
            section_id = sections[section_id].parent
        return owner or node_id

    where = {node.id: drawn_as(node.id, node.section) for node in graph.nodes}
    edges: Counter[tuple[str, str, RelationKind]] = Counter()
    for edge in graph.edges:
        key = (where[edge.source], where[edge.target], edge.kind)
        if key[0] != key[1] and key not in edges:
            edges[key] = 1
    return set(where.values()), edges


_KIND_BY_COLOR = {style["color"].lower(): kind for kind, style in EDGE_STYLE.items()}


def graphviz_drawing(dot: str, source: str) -> tuple[set[str], Counter[tuple[str, str, RelationKind]]]:
    """The nodes and edges Graphviz reads from ``source`` (``dot -Tjson``, which must succeed cleanly)."""
    done = subprocess.run([dot, "-Tjson"], input=source.encode("utf-8"), capture_output=True, timeout=120)
    problems = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0 and "Error" not in problems, f"dot refused the source:\n{problems}\n{source}"
    drawn = json.loads(done.stdout)
    objects = drawn.get("objects", [])
    nodes = objects[drawn.get("_subgraph_cnt", 0) :]
    names = {node["_gvid"]: node["name"] for node in nodes}
    edges: Counter[tuple[str, str, RelationKind]] = Counter(
        (names[e["tail"]], names[e["head"]], _KIND_BY_COLOR[e["color"].lower()]) for e in drawn.get("edges", [])
    )
    return set(names.values()), edges


@property_settings(max(1, EXAMPLES // 2))
@given(any_map)
def test_graphviz_reads_the_dot_source_and_draws_the_map(require_dot: str, generated: ArgumentMap) -> None:
    with _quiet():
        source = argmap.export(generated, "dot")
        expected = expected_drawing(generated)
    assert isinstance(source, str)
    assert graphviz_drawing(require_dot, source) == expected


@property_settings(max(1, EXAMPLES // 10))
@given(any_map, st.sampled_from(["BT", "LR"]), st.booleans(), st.sampled_from([0, 12, 40]))
def test_graphviz_reads_the_dot_source_with_every_option(
    require_dot: str, generated: ArgumentMap, rankdir: str, legend: bool, wrap: int
) -> None:
    with _quiet():
        source = argmap.export(generated, "dot", rankdir=rankdir, legend=legend, wrap=wrap)
        expected_nodes, expected_edges = expected_drawing(generated)
    assert isinstance(source, str)
    nodes, edges = graphviz_drawing(require_dot, source)
    assert {n for n in nodes if not n.startswith("legend_")} == expected_nodes
    assert Counter({k: v for k, v in edges.items() if not k[0].startswith("legend_")}) == expected_edges


@pytest.mark.parametrize("document", ["[A]: a\n  + ]\n", "[A]: a\n  - ]]\n", "] {isInMap: true}\n"])
def test_graphviz_reads_a_label_of_closing_brackets_alone(require_dot: str, document: str) -> None:
    # found by the property above: Graphviz refuses the HTML-like label <]> (and <]]>), which is all
    # an untitled statement whose text is "]" gets
    parsed = argmap.parse(document)
    source = argmap.export(parsed, "dot")
    assert isinstance(source, str)
    assert graphviz_drawing(require_dot, source) == expected_drawing(parsed)


MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


@pytest.mark.parametrize("name", sorted(MAGIC))
def test_rendered_formats_succeed(require_dot: str, name: str) -> None:
    @property_settings(max(1, EXAMPLES // 25))
    @given(any_map)
    def renders(generated: ArgumentMap) -> None:
        with _quiet():
            output = argmap.export(generated, name)
        data = output.encode("utf-8") if isinstance(output, str) else output
        assert data.startswith(MAGIC[name]), data[:40]

    renders()
