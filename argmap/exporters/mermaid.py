"""The ``mermaid`` exporter: the argument map as a Mermaid flowchart, for GitHub and GitLab Markdown.

The boxes and arrows are the ones the DOT exporter draws (:mod:`argmap.exporters.mapgraph`:
Argdown's map). Statements are rectangles, arguments stadiums (pill shapes) filled blue;
an element a relation names but the map does not define has a dashed grey border. Each
kind of relation has its own line and arrowhead, so a reader without colour tells them
apart too, and its own colour:

==============  ==========  =========================================
relation        written     drawn
==============  ==========  =========================================
support         ``-->``     solid line, arrowhead (green)
attack          ``--x``     solid line, cross (red)
undercut        ``-.-x``    dotted line, cross (purple)
contradiction   ``x==x``    thick line, a cross at both ends (orange)
entailment      ``==>``     thick line, arrowhead (dark green)
contrariness    ``x-.-x``   dotted line, a cross at both ends (pink)
==============  ==========  =========================================

A box shows its title in bold over its text. Mermaid wraps a label at 200 pixels itself;
``wrap`` (characters per line, 0 by default: leave it to Mermaid) breaks lines beforehand, for
renderers that do not wrap. Sections become (nested) subgraphs titled with their heading, unless
``sections=false``. Node ids are generated (``s1``, ``a2``, ``sec3``), never user text,
and every piece of user text is written inside a quoted label with the characters
Mermaid or HTML would read (``" # & < > ` %``) as Mermaid's entity codes (``#quot;``,
``#35;``...): a title like ``<img src=x onerror=...>``, ``**bold**`` or ``end`` is shown as
written. (One exception, invisible: Mermaid's own escapes pass through the character
pairs ``ﬂ°`` and ``¶ß``, so a zero-width space is put between the two of such a pair.) The
output is deterministic.

Options: ``rankdir`` (``"BT"``: supporters below, as Argdown's map; or ``TB``, ``LR``,
``RL``), ``wrap`` (0), ``sections`` (true), ``fenced`` (false: true wraps the flowchart in
a ```` ```mermaid ```` fence, ready to paste into Markdown). A ``.mmd`` file is the bare
flowchart, as Mermaid's own tools read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import ExporterError
from ..model import ArgumentMap, ElementKind, RelationKind, Section
from .mapgraph import MapEdge, MapNode, build_graph
from .text import wrap

__all__ = ["EXPORTER", "MermaidExporter", "escape", "to_mermaid"]

RANKDIRS = ("BT", "TB", "LR", "RL")

#: how each relation is written: the link and its colour
LINKS: Mapping[RelationKind, tuple[str, str]] = {
    RelationKind.SUPPORT: ("-->", "stroke:#2E7D32,stroke-width:1.5px"),
    RelationKind.ATTACK: ("--x", "stroke:#C62828,stroke-width:1.5px"),
    RelationKind.UNDERCUT: ("-.-x", "stroke:#6A1B9A,stroke-width:2px"),
    RelationKind.CONTRADICTION: ("x==x", "stroke:#E65100,stroke-width:2.5px"),
    RelationKind.ENTAILMENT: ("==>", "stroke:#1B5E20,stroke-width:2px"),
    RelationKind.CONTRARINESS: ("x-.-x", "stroke:#AD1457,stroke-width:2px"),
}
CLASSES = {
    "statement": "fill:#FFFFFF,stroke:#2F7BC4,stroke-width:2px,color:#000000",
    "argument": "fill:#A9CFF3,stroke:#2F7BC4,stroke-width:1px,color:#000000",
    "unknown": "fill:#FFFFFF,stroke:#888888,stroke-width:1px,stroke-dasharray:4 3,color:#555555",
}
SECTION_STYLE = "fill:#F3F3F3,stroke:#B0B0B0"

#: what Mermaid or an HTML label would read in a quoted label
_SPECIAL = re.compile('["#&<>`%]')
_NAMED = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;"}
#: Mermaid turns its entity codes into placeholders made of these pairs (``#35;`` is ``ﬂ°°35¶ß``) and back, and
#: reads them in the shown text once more: a zero-width space keeps a text's own pair from being read so
_PLACEHOLDER = re.compile("(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def escape(text: str) -> str:
    """One line of user text made inert inside a quoted Mermaid label (``"..."``)."""
    if "\ufb02" in text or "\u00b6" in text:
        text = _PLACEHOLDER.sub("\u200b", text)
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(lambda m: _NAMED.get(m.group(), f"#{ord(m.group())};"), text)


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ExporterError(f"the mermaid exporter's option {name!r} must be true or false, not {value!r}")


@attrs.frozen
class MermaidOptions:
    rankdir: str = "BT"
    #: 0: Mermaid wraps labels itself (at 200 pixels), which reads better than lines broken twice
    wrap: int = 0
    sections: bool = True
    fenced: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> MermaidOptions:
        known = ("rankdir", "wrap", "sections", "fenced")
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise ExporterError(f"the mermaid exporter takes only {', '.join(known)} (got {', '.join(unknown)})")
        checked: dict[str, Any] = {}
        if "rankdir" in options:
            rankdir = str(options["rankdir"]).upper()
            if rankdir not in RANKDIRS:
                raise ExporterError(
                    f"the mermaid exporter's option 'rankdir' must be one of {', '.join(RANKDIRS)}, "
                    f"not {options['rankdir']!r}"
                )
            checked["rankdir"] = rankdir
        if "wrap" in options:
            value = options["wrap"]
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ExporterError(
                    f"the mermaid exporter's option 'wrap' must be a whole number of characters "
                    f"(0: no wrapping), not {options['wrap']!r}"
                )
            checked["wrap"] = value
        for flag in ("sections", "fenced"):
            if flag in options:
                checked[flag] = _as_bool(flag, options[flag])
        return cls(**checked)


def _lines(text: str, width: int) -> str:
    return "<br>".join(escape(line) for line in wrap(text, width))


def _label(node: MapNode, width: int) -> str:
    parts = []
    if node.show_title or not node.text:
        parts.append(f"<b>{_lines(node.title, width)}</b>")
    if node.text:
        parts.append(_lines(node.text, width))
    return "<br>".join(parts)


def _node(node: MapNode, width: int) -> str:
    label = _label(node, width)
    if node.kind is ElementKind.ARGUMENT:
        return f'{node.id}(["{label}"])'
    return f'{node.id}["{label}"]'


def _class(node: MapNode) -> str:
    if not node.known:
        return "unknown"
    return "argument" if node.kind is ElementKind.ARGUMENT else "statement"


class _Sections:
    """Which sections get a subgraph (those with a box in them or below them) and their generated ids."""

    def __init__(self, sections: tuple[Section, ...], nodes: tuple[MapNode, ...]) -> None:
        self.sections = {s.id: s for s in sections}
        self.ids = {s.id: f"sec{i}" for i, s in enumerate(sections, start=1)}
        self.members: dict[str | None, list[MapNode]] = {}
        for node in nodes:
            section = node.section if node.section in self.sections else None
            self.members.setdefault(section, []).append(node)
        self.children: dict[str | None, list[str]] = {}
        for s in sections:
            parent = s.parent if s.parent in self.sections else None
            self.children.setdefault(parent, []).append(s.id)
        self.used: set[str] = set()
        for s in reversed(sections):  # children come after their parents: mark bottom-up
            if self.members.get(s.id) or any(c in self.used for c in self.children.get(s.id, ())):
                self.used.add(s.id)

    def write(self, lines: list[str], section: str | None, depth: int, width: int) -> None:
        indent = "  " * depth
        for node in self.members.get(section, ()):
            lines.append(f"{indent}{_node(node, width)}")
        for child in self.children.get(section, ()):
            if child not in self.used:
                continue
            title = _lines(self.sections[child].title, width) or " "
            lines.append(f'{indent}subgraph {self.ids[child]} ["{title}"]')
            self.write(lines, child, depth + 1, width)
            lines.append(f"{indent}end")


def _edge(edge: MapEdge) -> str:
    return f"  {edge.source} {LINKS[edge.kind][0]} {edge.target}"


def to_mermaid(argmap: ArgumentMap, **options: Any) -> str:
    """The Mermaid flowchart of ``argmap``; see the module docstring for the options."""
    checked = MermaidOptions.from_options(options)
    graph = build_graph(argmap)
    lines = [f"flowchart {checked.rankdir}"]
    if checked.sections:
        sections = _Sections(argmap.sections, graph.nodes)
        sections.write(lines, None, 1, checked.wrap)
    else:
        lines.extend(f"  {_node(node, checked.wrap)}" for node in graph.nodes)
    lines.extend(_edge(edge) for edge in graph.edges)
    for name, style in CLASSES.items():
        members = [node.id for node in graph.nodes if _class(node) == name]
        if members:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(members)} {name}")
    if checked.sections:
        for section in argmap.sections:
            if section.id in sections.used:
                lines.append(f"  style {sections.ids[section.id]} {SECTION_STYLE}")
    by_kind: dict[RelationKind, list[str]] = {}
    for index, edge in enumerate(graph.edges):
        by_kind.setdefault(edge.kind, []).append(str(index))
    for kind, indexes in by_kind.items():
        lines.append(f"  linkStyle {','.join(indexes)} {LINKS[kind][1]}")
    body = "\n".join(lines) + "\n"
    return f"```mermaid\n{body}```\n" if checked.fenced else body


class MermaidExporter:
    """The ``mermaid`` exporter: :func:`to_mermaid` behind the Exporter protocol."""

    name = "mermaid"
    description = "Mermaid flowchart of the argument map (renders in GitHub and GitLab Markdown)"
    suffix = ".mmd"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        return to_mermaid(argmap, **options)


EXPORTER = MermaidExporter()
