"""Graphviz DOT source of the argument map, in the look of Argdown's map.

Statements are white rounded boxes with a bold blue border, arguments are
blue-filled rounded boxes; the title is bold on top, the text wrapped below it.
Support, attack, undercut and contradiction differ in line style and arrowhead as
well as colour, so a greyscale print still tells them apart. Sections become
(nested) clusters; the front matter ``title`` labels the graph. Which nodes and
edges are drawn is decided in :mod:`argmap.exporters.mapgraph`.

Every piece of user text goes into an HTML-like label that this module builds
itself: ``html.escape`` plus doubled backslashes (Graphviz expands ``\\N``,
``\\G``... even inside HTML labels). Node ids are generated (``s1``, ``a3``),
never user text. The output is deterministic: the same map gives the same bytes.

Options (keyword arguments of ``export``; strings are accepted, as a command
line gives them): ``rankdir`` (``"BT"``: supporters below, as Argdown; or
``TB``, ``LR``, ``RL``), ``wrap`` (characters per line, 40; 0 turns wrapping
off), ``legend`` (False). An unknown option raises ``TypeError``, a bad value
``ValueError``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import attrs
import graphviz

from ..model import ArgumentMap, ElementKind, RelationKind, Section
from .mapgraph import MapGraph, MapNode, build_graph
from .text import clean, wrap

__all__ = ["EXPORTER", "DotExporter", "DotOptions", "build_digraph", "to_dot"]

FONT = "Helvetica,Arial,sans-serif"
BLUE = "#2F7BC4"
ARGUMENT_FILL = "#A9CFF3"
#: fill of a cluster by nesting depth (deeper is darker), then repeated
CLUSTER_FILLS = ("#F3F3F3", "#E6E6E6", "#D9D9D9", "#CCCCCC")
CLUSTER_BORDER = "#B0B0B0"

NODE_STYLE: Mapping[ElementKind, Mapping[str, str]] = {
    ElementKind.STATEMENT: {"style": "rounded,filled", "fillcolor": "white", "color": BLUE, "penwidth": "2"},
    ElementKind.ARGUMENT: {"style": "rounded,filled", "fillcolor": ARGUMENT_FILL, "color": BLUE, "penwidth": "1"},
}
UNKNOWN_STYLE: Mapping[str, str] = {"style": "rounded,filled,dashed", "fillcolor": "white", "color": "#888888"}

EDGE_STYLE: Mapping[RelationKind, Mapping[str, str]] = {
    RelationKind.SUPPORT: {"color": "#2E7D32", "style": "solid", "arrowhead": "normal", "penwidth": "1.5"},
    RelationKind.ATTACK: {"color": "#C62828", "style": "dashed", "arrowhead": "tee", "penwidth": "1.5"},
    RelationKind.UNDERCUT: {"color": "#6A1B9A", "style": "dotted", "arrowhead": "teeodot", "penwidth": "2"},
    RelationKind.CONTRADICTION: {
        "color": "#E65100",
        "style": "bold",
        "dir": "both",
        "arrowhead": "diamond",
        "arrowtail": "diamond",
        "penwidth": "2.5",
    },
}
EDGE_VERB: Mapping[RelationKind, str] = {
    RelationKind.SUPPORT: "supports",
    RelationKind.ATTACK: "attacks",
    RelationKind.UNDERCUT: "undercuts",
    RelationKind.CONTRADICTION: "contradicts",
}

RANKDIRS = ("BT", "TB", "LR", "RL")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"option {name!r} must be true or false, not {value!r}")


def _as_width(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"option 'wrap' must be a whole number of characters (0: no wrapping), not {value!r}")
    return value


@attrs.frozen
class DotOptions:
    """The layout options of the Graphviz exporters, checked."""

    rankdir: str = "BT"
    wrap: int = 40
    legend: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, Any], extra: tuple[str, ...] = ()) -> DotOptions:
        """Check ``options``; names in ``extra`` belong to the caller and are skipped."""
        known = ("rankdir", "wrap", "legend")
        unknown = sorted(set(options) - set(known) - set(extra))
        if unknown:
            raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(known + extra)}")
        checked: dict[str, Any] = {}
        if "rankdir" in options:
            checked["rankdir"] = str(options["rankdir"]).upper()
            if checked["rankdir"] not in RANKDIRS:
                raise ValueError(f"option 'rankdir' must be one of {', '.join(RANKDIRS)}, not {options['rankdir']!r}")
        if "wrap" in options:
            checked["wrap"] = _as_width(options["wrap"])
        if "legend" in options:
            checked["legend"] = _as_bool("legend", options["legend"])
        return cls(**checked)


# -- labels ---------------------------------------------------------------------


def _escape(line: str) -> str:
    """One line of user text made inert inside a Graphviz HTML-like label."""
    return html.escape(line, quote=True).replace("\\", "\\\\")


def _lines(text: str, width: int) -> str:
    return "<BR/>".join(_escape(line) for line in wrap(text, width))


def node_label(node: MapNode, width: int) -> str:
    """``<<B>title</B><BR/>text>``: title bold on the first line(s), wrapped text below."""
    parts = []
    if node.show_title and clean(node.title):
        parts.append(f"<B>{_lines(node.title, width)}</B>")
    if node.text:
        parts.append(_lines(node.text, width))
    return "<" + "<BR/>".join(parts) + ">"


def _graph_label(metadata: Mapping[str, Any], width: int) -> str | None:
    title = metadata.get("title")
    if not isinstance(title, str) or not clean(title):
        return None
    label = f'<FONT POINT-SIZE="20"><B>{_lines(title, max(2 * width, 60) if width else 0)}</B></FONT>'
    byline = ", ".join(clean(str(metadata[k])) for k in ("author", "date") if metadata.get(k) not in (None, ""))
    if byline:
        label += f'<BR/><FONT POINT-SIZE="12">{_escape(byline)}</FONT>'
    return f"<{label}>"


# -- graph ----------------------------------------------------------------------


def _add_node(graph: Any, node: MapNode, width: int) -> None:
    style = NODE_STYLE[node.kind] if node.known else UNKNOWN_STYLE
    graph.node(node.id, label=node_label(node, width), **style)


def _cluster_labelloc(options: DotOptions) -> str:
    """Where a cluster label goes for it to show on top: Graphviz flips ``labelloc`` in BT."""
    return "b" if options.rankdir == "BT" else "t"


def _add_clusters(graph: Any, argmap: ArgumentMap, by_section: dict[str, list[MapNode]], options: DotOptions) -> None:
    """Nested clusters for sections that hold a node directly or further down."""
    width = options.wrap
    labelloc = _cluster_labelloc(options)
    children: dict[str | None, list[Section]] = {}
    for section in argmap.sections:
        children.setdefault(section.parent, []).append(section)
    count = 0

    def holds_nodes(section: Section) -> bool:
        return bool(by_section.get(section.id)) or any(holds_nodes(c) for c in children.get(section.id, ()))

    def add(parent: Any, section: Section, depth: int) -> None:
        nonlocal count
        count += 1
        with parent.subgraph(name=f"cluster_{count}") as cluster:
            cluster.attr(
                label=f"<<B>{_lines(section.title, max(width, 30) if width else 0)}</B>>",
                style="rounded,filled",
                fillcolor=CLUSTER_FILLS[depth % len(CLUSTER_FILLS)],
                color=CLUSTER_BORDER,
                fontsize="13",
                labeljust="l",
                labelloc=labelloc,
                margin="12",
            )
            for node in by_section.get(section.id, ()):
                _add_node(cluster, node, width)
            for child in children.get(section.id, ()):
                if holds_nodes(child):
                    add(cluster, child, depth + 1)

    known = {s.id for s in argmap.sections}
    roots = [s for s in argmap.sections if s.parent is None or s.parent not in known]
    title = argmap.metadata.get("title")
    for section in roots:
        if isinstance(title, str) and clean(section.title).casefold() == clean(title).casefold():
            # A heading that repeats the map's title would box the whole map under a
            # second copy of the graph label: draw its contents without the box.
            for node in by_section.get(section.id, ()):
                _add_node(graph, node, width)
            for child in children.get(section.id, ()):
                if holds_nodes(child):
                    add(graph, child, 0)
        elif holds_nodes(section):
            add(graph, section, 0)


def _add_legend(graph: Any, labelloc: str) -> None:
    """A small cluster showing the two box kinds and one short arrow of each kind."""
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="<<B>Legend</B>>", labelloc=labelloc, style="rounded", color=CLUSTER_BORDER, margin="10")
        # Graphviz lays the pieces out right to left, so they are declared in reverse.
        for kind, style in reversed(list(EDGE_STYLE.items())):
            tail, head = f"legend_{kind.value}_from", f"legend_{kind.value}_to"
            legend.node(tail, label=f"<{EDGE_VERB[kind]}>", shape="plaintext", fontsize="10", group=kind.value)
            legend.node(head, label="", shape="point", width="0.05", color="#777777", group=kind.value)
            legend.edge(tail, head, **style)
        legend.node("legend_argument", label="<<B>argument</B>>", **NODE_STYLE[ElementKind.ARGUMENT])
        legend.node("legend_statement", label="<<B>statement</B>>", **NODE_STYLE[ElementKind.STATEMENT])


def build_digraph(argmap: ArgumentMap, options: DotOptions | None = None) -> Any:
    """The ``graphviz.Digraph`` of ``argmap`` (deterministic: same map, same source)."""
    options = options or DotOptions()
    mapgraph: MapGraph = build_graph(argmap)
    graph = graphviz.Digraph(name="argmap")
    graph.attr(rankdir=options.rankdir, fontname=FONT, nodesep="0.35", ranksep="0.55", newrank="true")
    label = _graph_label(argmap.metadata, options.wrap)
    if label:
        graph.attr(label=label, labelloc="t", labeljust="c")
    graph.attr("node", shape="box", fontname=FONT, fontsize="11", margin="0.16,0.09")
    graph.attr("edge", fontname=FONT, arrowsize="0.9")
    sections = {s.id for s in argmap.sections}
    by_section: dict[str, list[MapNode]] = {}
    for node in mapgraph.nodes:
        if node.section in sections:
            by_section.setdefault(node.section, []).append(node)
        else:
            _add_node(graph, node, options.wrap)
    _add_clusters(graph, argmap, by_section, options)
    for edge in mapgraph.edges:
        graph.edge(edge.source, edge.target, **EDGE_STYLE[edge.kind])
    if options.legend:
        _add_legend(graph, _cluster_labelloc(options))
    return graph


def to_dot(argmap: ArgumentMap, **options: Any) -> str:
    """The DOT source of ``argmap``; see the module docstring for the options."""
    source: str = build_digraph(argmap, DotOptions.from_options(options)).source
    return source


@attrs.frozen
class DotExporter:
    name: str = "dot"
    description: str = "Graphviz DOT source of the argument map (no Graphviz needed)"
    suffix: str = ".dot"
    binary: bool = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        return to_dot(argmap, **options)


EXPORTER = DotExporter()
