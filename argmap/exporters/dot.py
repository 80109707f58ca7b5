"""Graphviz DOT source of the argument map, in the look of Argdown's map.

Statements are white rounded boxes with a bold blue border, arguments are
blue-filled rounded boxes; the title is bold on top, the text wrapped below it,
with its bold, italic and links (underlined) kept. Support, attack, undercut,
contradiction and the strict-mode entailment and contrariness differ in line
style and arrowhead as well as colour, so a greyscale print still tells them
apart. Sections become (nested) clusters; the front matter ``title`` labels the
graph. Which nodes and edges are drawn is decided in
:mod:`argmap.exporters.mapgraph` (including the data key ``isInMap``).

The data keys Argdown gives meaning to in a map are honoured: ``color`` on a
statement (its border), an argument (its fill) or a heading (its section's fill),
checked by :mod:`argmap.exporters.colors`; ``isGroup: false`` on a heading (the
section is not boxed: its elements join the enclosing box); ``isClosed: true``
on a heading (the whole section is drawn as one folder-shaped node, and arrows
into or out of it attach to that node, as in Argdown's ClosedGroupPlugin). A
colour or flag that is not valid is ignored with a warning.

Every piece of user text goes into an HTML-like label that this module builds
itself: ``html.escape`` plus doubled backslashes (Graphviz expands ``\\N``,
``\\G``... even inside HTML labels). Node ids are generated (``s1``, ``a3``),
never user text. The output is deterministic: the same map gives the same bytes.

Options (keyword arguments of ``export``; strings are accepted, as a command
line gives them): ``rankdir`` (``"BT"``: supporters below, as Argdown; or
``TB``, ``LR``, ``RL``), ``wrap`` (characters per line, 40; 0 turns wrapping
off), ``legend`` (False), ``evaluate`` (False: true, a semantics' name, an
``Evaluation`` or a ``Labelling`` marks each box by its label; see below). An
unknown option raises ``TypeError``, a bad value ``ValueError``.

Evaluated (docs/evaluation.md), each box shows its label three ways, so a
greyscale print reads as well as a colour screen: the border colour (green in,
red out, amber undecided), the border style (solid, dashed, dotted) and a glyph
before the title (✓, ✗, ?); an argument is tinted by its label too, and the
reason is the box's tooltip. The label's colours take the place of the author's
``color`` data. Without ``evaluate`` the output is byte for byte what it was.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import graphviz
from graphviz import quoting

from ..model import Argument, ArgumentMap, ElementKind, RangeKind, RelationKind, Section, Statement, TextRange
from .colors import is_dark, parse_color
from .mapgraph import MapEdge, MapGraph, MapNode, build_graph, data_flag, element_node
from .text import clean, is_clean, wrap, wrap_clean, wrap_styled

if TYPE_CHECKING:
    from ..evaluation import Verdict
    from ..model import Node
    from ..parallel import Ahead, Pending

__all__ = ["EXPORTER", "DotExporter", "DotOptions", "build_digraph", "closed_sections", "to_dot"]

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
    # strict mode: a double line for "entails" (as in logic's double arrow); open diamonds at both
    # ends of a dashed line for "is contrary to": symmetric like a contradiction, weaker than it
    RelationKind.ENTAILMENT: {
        "color": "#1B5E20:invis:#1B5E20",
        "style": "solid",
        "arrowhead": "normal",
        "penwidth": "1.5",
    },
    RelationKind.CONTRARINESS: {
        "color": "#AD1457",
        "style": "dashed",
        "dir": "both",
        "arrowhead": "odiamond",
        "arrowtail": "odiamond",
        "penwidth": "2",
    },
}
EDGE_VERB: Mapping[RelationKind, str] = {
    RelationKind.SUPPORT: "supports",
    RelationKind.ATTACK: "attacks",
    RelationKind.UNDERCUT: "undercuts",
    RelationKind.CONTRADICTION: "contradicts",
    RelationKind.ENTAILMENT: "entails",
    RelationKind.CONTRARINESS: "is contrary to",
}
#: relation kinds the legend always shows; the strict-mode ones only when the map has them
BASIC_KINDS = (RelationKind.SUPPORT, RelationKind.ATTACK, RelationKind.UNDERCUT, RelationKind.CONTRADICTION)
#: a closed section: one node standing for everything in it
CLOSED_STYLE: Mapping[str, str] = {"shape": "folder", "style": "filled", "color": "#777777", "penwidth": "1.5"}

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
    #: as given (see :func:`argmap.evaluation.evaluation_for_export`); read when the map is drawn
    evaluate: Any = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any], extra: tuple[str, ...] = ()) -> DotOptions:
        """Check ``options``; names in ``extra`` belong to the caller and are skipped."""
        known = ("rankdir", "wrap", "legend", "evaluate")
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
        if "evaluate" in options:
            checked["evaluate"] = options["evaluate"]
        return cls(**checked)


# -- labels ---------------------------------------------------------------------


#: the characters :func:`_escape` rewrites
_SPECIAL = re.compile(r"[&<>\"'\\\]]")


def _escape(line: str) -> str:
    """One line of user text made inert inside a Graphviz HTML-like label."""
    if _SPECIAL.search(line) is None:
        return line  # most lines: nothing to rewrite
    # "]" as a character reference: Graphviz's HTML-label lexer rejects a label of closing brackets alone
    return html.escape(line, quote=True).replace("\\", "\\\\").replace("]", "&#93;")


#: the same characters as bytes, for :func:`is_clean`
_SPECIAL_BYTES = b"&<>\"'\\]"


def _lines(text: str, width: int) -> str:
    if is_clean(text, _SPECIAL_BYTES):  # the usual text: nothing to clean or escape
        return "<BR/>".join(wrap_clean(text, width))
    lines = wrap(text, width)
    if _SPECIAL.search(text) is None:
        return "<BR/>".join(lines)  # wrapping only removes white space and stands in for controls: nothing to escape
    return "<BR/>".join(_escape(line) for line in lines)


#: the HTML-like tag that shows each kind of range; mentions stay plain text (they read as ``@[Title]``)
_RANGE_TAGS: Mapping[RangeKind, str] = {RangeKind.BOLD: "B", RangeKind.ITALIC: "I", RangeKind.LINK: "U"}


def _styled_lines(text: str, ranges: tuple[TextRange, ...], width: int) -> str:
    """Wrapped ``text`` with its bold, italic and link ranges as ``<B>``, ``<I>``, ``<U>``; every run escaped."""
    if not ranges:
        return _lines(text, width)
    # count the ranges of each tag open at every character: one pass over range starts and ends, not ranges x text
    delta: dict[str, list[int]] = {tag: [0] * (len(text) + 1) for tag in ("B", "I", "U")}
    for r in ranges:
        tag = _RANGE_TAGS.get(r.kind)
        if tag is not None and r.start < r.end:
            delta[tag][max(r.start, 0)] += 1
            delta[tag][min(r.end, len(text))] -= 1
    open_count = {tag: 0 for tag in delta}
    styles: list[tuple[str, ...]] = []
    for i in range(len(text)):
        for tag in ("B", "I", "U"):
            open_count[tag] += delta[tag][i]
        styles.append(tuple(tag for tag in ("B", "I", "U") if open_count[tag] > 0))
    lines = []
    for runs in wrap_styled(text, styles, width):
        parts = []
        for run, tags in runs:
            opening = "".join(f"<{t}>" for t in tags)
            closing = "".join(f"</{t}>" for t in reversed(tags))
            parts.append(f"{opening}{_escape(run)}{closing}")
        lines.append("".join(parts))
    return "<BR/>".join(lines)


def node_label(node: MapNode, width: int) -> str:
    """``<<B>title</B><BR/>text>``: title bold on the first line(s), wrapped text below."""
    parts = []
    title = _lines(node.title, width) if node.show_title else ""
    if title:  # empty when the title is only white space
        parts.append(f"<B>{title}</B>")
    if node.text:
        parts.append(_styled_lines(node.text, node.ranges, width))
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


# -- data: colours and groups ----------------------------------------------------------


def _color(data: Mapping[str, Any], where: str) -> str | None:
    """The checked ``color`` of some data, or None; a value that is not a colour warns and is ignored."""
    value = data.get("color")
    if value is None:
        return None
    color = parse_color(value)
    if color is None:
        warnings.warn(
            f"{where}: data 'color' {value!r} is not a colour (a CSS colour name, #rgb, #rrggbb or #rrggbbaa); ignored",
            stacklevel=4,
        )
    return color


#: sections nested deeper than this are drawn inside their ancestor box, not as boxes of their own
MAX_CLUSTER_DEPTH = 12


@attrs.frozen
class _Groups:
    """How sections are drawn: which are boxes (clusters), which are closed into one node."""

    sections: Mapping[str, Section]
    #: sections drawn as a box or a closed node (``isGroup`` is not false)
    groups: frozenset[str]
    #: groups drawn as one node, by section id: the node id
    closed: Mapping[str, str]
    colors: Mapping[str, str]

    @classmethod
    def of(cls, argmap: ArgumentMap) -> _Groups:
        sections = {s.id: s for s in argmap.sections}
        groups: set[str] = set()
        closed: dict[str, str] = {}
        colors: dict[str, str] = {}
        depth: dict[str, int] = {}
        for section in argmap.sections:
            where = f"section {section.title!r}"
            depth[section.id] = depth.get(section.parent, -1) + 1 if section.parent is not None else 0
            if depth[section.id] >= MAX_CLUSTER_DEPTH:
                continue  # drawn inside its ancestor: boxes nested deeper say nothing and cannot be laid out
            if data_flag(section.data, "isGroup", where) is not False:
                groups.add(section.id)
                if data_flag(section.data, "isClosed", where):
                    closed[section.id] = f"g{len(closed) + 1}"
            color = _color(section.data, where)
            if color is not None:
                colors[section.id] = color
        return cls(sections, frozenset(groups), closed, colors)

    def parent(self, section_id: str | None) -> str | None:
        """The nearest enclosing group of a section (not the section itself)."""
        section = self.sections.get(section_id) if section_id is not None else None
        parent = section.parent if section is not None else None
        while parent is not None and parent not in self.groups:
            known = self.sections.get(parent)
            parent = known.parent if known is not None else None
        return parent if parent in self.sections else None

    def container(self, section_id: str | None) -> str | None:
        """The group an element of ``section_id`` is drawn in: the section, or its nearest group ancestor."""
        if section_id is None or section_id not in self.sections:
            return None
        return section_id if section_id in self.groups else self.parent(section_id)

    def placement(self, section_id: str | None) -> tuple[str | None, str | None]:
        """Where an element of ``section_id`` goes: the group it is drawn in, and the closed group standing for it."""
        group = self.container(section_id)
        return group, self.closed_owner(group)

    def closed_owner(self, group: str | None) -> str | None:
        """The outermost closed group at or above ``group``: what stands for an element drawn in it."""
        owner = None
        while group is not None:
            if group in self.closed:
                owner = group
            group = self.parent(group)
        return owner


# -- graph ----------------------------------------------------------------------


#: a DOT identifier that needs no quotes (unless it is a keyword): graphviz's own ``quoting.ID``, the name form
_PLAIN_ID = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def _quote(identifier: str) -> str:
    """``identifier`` as ``graphviz.Digraph`` writes it: an HTML-like label ``<...>`` as is, else quoted if needed."""
    if identifier.startswith("<") and identifier.endswith(">"):
        return identifier
    quoted: str = quoting.quote(identifier)
    return quoted


@functools.lru_cache(maxsize=512)
def _attributes(items: tuple[tuple[str, str | None], ...]) -> str:
    """``key=value ...`` as ``graphviz.Digraph`` writes keyword attributes: sorted, quoted, None left out.

    Cached: a map's thousands of nodes and edges share a few styles.
    """
    return " ".join(f"{_quote(key)}={_quote(value)}" for key, value in sorted(items) if value is not None)


def _attr_list(label: str | None, attributes: Mapping[str, str | None]) -> str:
    """`` [label=... key=value ...]`` as ``graphviz.Digraph`` writes it: the label first, then the rest sorted."""
    written = _attributes(tuple(attributes.items())) if attributes else ""
    if label is not None:
        written = f"label={_quote(label)} {written}" if written else f"label={_quote(label)}"
    return f" [{written}]" if written else ""


class _Writer:
    """DOT statements exactly as ``graphviz.Digraph`` writes them (quoting, attribute order, indentation), faster.

    The Digraph methods quote and sort on every call behind a wrapper that checks their
    arguments, which made writing the DOT of a large map take seconds; this writes each
    statement with one f-string and caches what styles repeat. ``build_digraph`` hands
    the lines to a real ``graphviz.Digraph`` as its body, so the source is the same bytes.
    """

    def __init__(self, lines: list[str], indent: str = "\t") -> None:
        self.lines = lines
        self.indent = indent

    @staticmethod
    def _id(name: str) -> str:
        """A node id as a node statement writes it."""
        if _PLAIN_ID.fullmatch(name) and name.lower() not in quoting.KEYWORDS:
            return name  # the ids written here (s1, a2, g3, legend_...): as they are
        return _quote(name)

    @staticmethod
    def _end(name: str) -> str:
        """A node id as an edge statement writes it (where ``node:port:compass`` is read)."""
        if _PLAIN_ID.fullmatch(name) and name.lower() not in quoting.KEYWORDS:
            return name
        quoted: str = quoting.quote_edge(name)
        return quoted

    def node(self, name: str, label: str | None, attributes: Mapping[str, str]) -> None:
        self.lines.append(f"{self.indent}{self._id(name)}{_attr_list(label, attributes)}\n")

    def styled_node(self, name: str, label: str, attributes: str) -> None:
        """:meth:`node` with its attributes (not empty) already written by :func:`_attributes`."""
        self.lines.append(f"{self.indent}{self._id(name)} [label={_quote(label)} {attributes}]\n")

    def edge(self, tail: str, head: str, attributes: Mapping[str, str]) -> None:
        self.lines.append(f"{self.indent}{self._end(tail)} -> {self._end(head)}{_attr_list(None, attributes)}\n")

    def attr(self, kw: str | None = None, **attributes: str) -> None:
        """A ``graph``/``node``/``edge`` attribute statement, or with no ``kw`` a bare ``key=value`` one."""
        if not attributes:
            return
        if kw is None:
            self.lines.append(f"{self.indent}{_attr_list(None, attributes)[2:-1]}\n")
        else:
            self.lines.append(f"{self.indent}{kw}{_attr_list(None, attributes)}\n")

    @contextlib.contextmanager
    def subgraph(self, name: str) -> Iterator[_Writer]:
        """A named subgraph whose statements are written one tab further in, as Digraph.subgraph nests them."""
        self.lines.append(f"{self.indent}subgraph {_quote(name)} {{\n")
        yield _Writer(self.lines, self.indent + "\t")
        self.lines.append(f"{self.indent}}}\n")


#: the attributes of a statement's and an argument's box in their usual style, as a node statement writes them
_STATEMENT_ATTRIBUTES = _attributes(tuple(NODE_STYLE[ElementKind.STATEMENT].items()))
_ARGUMENT_ATTRIBUTES = _attributes(tuple(NODE_STYLE[ElementKind.ARGUMENT].items()))


#: how an evaluated box shows its label (docs/evaluation.md): border colour and style, an argument's tint
LABEL_STYLE: Mapping[str, Mapping[str, str]] = {
    "in": {"color": "#2E7D32", "style": "rounded,filled", "penwidth": "2.5", "tint": "#C8E6C9"},
    "out": {"color": "#C62828", "style": "rounded,filled,dashed", "penwidth": "2.5", "tint": "#FFCDD2"},
    "undecided": {"color": "#B26A00", "style": "rounded,filled,dotted", "penwidth": "2.5", "tint": "#FFE9A8"},
}


def _tooltip(text: str) -> str:
    """Text for a tooltip, on one line, controls shown as U+FFFD.

    A tooltip is a quoted string (Graphviz reads ``\\\\`` in it as one backslash, and drops the
    backslash of any other pair) holding an escString (where ``\\N``, ``\\G``... are expanded and
    ``\\\\`` is one backslash again): a backslash is written as four. ``quoting.quote`` escapes quotes.
    """
    return clean(text).replace("\\", "\\" * 4)


def _evaluated_style(kind: ElementKind, label: str, reason: str | None) -> dict[str, str]:
    look = LABEL_STYLE[label]
    style = {"style": look["style"], "color": look["color"], "penwidth": look["penwidth"]}
    style["fillcolor"] = look["tint"] if kind is ElementKind.ARGUMENT else "white"
    if reason is not None:
        style["tooltip"] = _tooltip(reason)
    return style


def _add_evaluated_node(graph: _Writer, node: MapNode, width: int, verdict: Verdict) -> None:
    label = node_label(node, width)[1:-1]  # inside the <...>
    glyph = verdict.label.glyph
    if label.startswith("<B>") and node.show_title and node.title.strip():
        label = f"<B>{glyph} {label[3:]}"
    else:
        label = f"<B>{glyph}</B><BR/>{label}" if label else f"<B>{glyph}</B>"
    graph.node(node.id, f"<{label}>", _evaluated_style(node.kind, verdict.label.value, verdict.reason))


#: the labels written before the nodes: statements' and arguments' by title (see :func:`_labels`)
_Labels = tuple[Mapping[str, str], Mapping[str, str]]


def _add_node(
    graph: _Writer,
    argmap: ArgumentMap,
    node: MapNode,
    width: int,
    verdicts: Mapping[Node, Verdict] | None = None,
    labels: _Labels | None = None,
) -> None:
    if verdicts is not None:
        from ..model import Node

        verdict = verdicts.get(Node(node.kind, node.title))
        if verdict is not None:
            _add_evaluated_node(graph, node, width, verdict)
            return
    if not node.known:
        graph.node(node.id, node_label(node, width), UNKNOWN_STYLE)
        return
    label = None
    if labels is not None:
        label = labels[node.kind is not ElementKind.STATEMENT].get(node.title)
    if label is None:
        label = node_label(node, width)
    if node.kind is ElementKind.STATEMENT:
        data = argmap.statements[node.title].data
        color = _color(data, f"statement {node.title!r}") if "color" in data else None
        if color is None:
            graph.styled_node(node.id, label, _STATEMENT_ATTRIBUTES)
            return
        style = {**NODE_STYLE[ElementKind.STATEMENT], "color": color}
    else:
        data = argmap.arguments[node.title].data
        color = _color(data, f"argument {node.title!r}") if "color" in data else None
        if color is None:
            graph.styled_node(node.id, label, _ARGUMENT_ATTRIBUTES)
            return
        style = {**NODE_STYLE[ElementKind.ARGUMENT], "fillcolor": color, "color": color}
        if is_dark(color):
            style["fontcolor"] = "white"
    graph.node(node.id, label, style)


#: from this many statements and arguments on, a second process may write the labels (see :func:`build_digraph`)
LABELS_IN_A_CHILD_FROM = 10_000


#: labels still to write, from which a second process writes them (see :func:`build_digraph`): fewer cost this
#: process less than the copy-on-write page faults a second process brings
LABELS_LEFT_FOR_A_CHILD = 20_000


def _element_label(kind: ElementKind, element: Statement | Argument, width: int) -> str:
    """The label of the box of a statement or argument the map defines."""
    return node_label(element_node("", kind, element), width)


def _labels_key(width: int) -> tuple[str, int]:
    """The key of the labels written ahead for a diagram of this width (see :func:`labels_ahead`)."""
    return ("dot: labels", width)


def labels_ahead(options: Mapping[str, Any]) -> Ahead | None:
    """The statements' and arguments' labels, written while the command reads a long map (when the reading process
    would wait) for an export with these options: :func:`build_digraph` takes them (see
    :class:`argmap.parallel.Ahead`); None for options the export refuses, and for an evaluated diagram."""
    from ..parallel import Ahead

    try:
        dot_options = DotOptions.from_options(options)
    except (TypeError, ValueError):  # options the export refuses, and reports
        return None
    if dot_options.evaluate is not None:
        return None
    width = dot_options.wrap

    def work(element: Statement | Argument) -> str:
        kind = ElementKind.STATEMENT if isinstance(element, Statement) else ElementKind.ARGUMENT
        return _element_label(kind, element, width)

    return Ahead(_labels_key(width), work)


def _labels(argmap: ArgumentMap, width: int, ahead: Ahead | None) -> tuple[dict[str, str], dict[str, str]]:
    """Every statement's and argument's label (the node's, where it is one): those written ahead, the rest here."""
    written = ahead.get if ahead is not None else None
    labels: list[dict[str, str]] = []
    for kind, elements in ((ElementKind.STATEMENT, argmap.statements), (ElementKind.ARGUMENT, argmap.arguments)):
        found = {}
        for title, element in elements.items():
            label = written(element) if written is not None else None
            found[title] = label if label is not None else _element_label(kind, element, width)
        labels.append(found)
    return labels[0], labels[1]


def _labels_in_a_child(argmap: ArgumentMap, width: int, ahead: Ahead | None) -> Pending | None:
    """Start a child writing :func:`_labels`."""
    import marshal

    from .. import parallel

    return parallel.start(lambda: marshal.dumps(_labels(argmap, width, ahead)))


def _child_labels(pending: Pending) -> _Labels | None:
    import marshal

    data = pending.result()
    if data is None:
        return None
    statements, arguments = marshal.loads(data)
    return statements, arguments


def _cluster_labelloc(options: DotOptions) -> str:
    """Where a cluster label goes for it to show on top: Graphviz flips ``labelloc`` in BT."""
    return "b" if options.rankdir == "BT" else "t"


def _fill(groups: _Groups, section_id: str, depth: int) -> dict[str, str]:
    """Fill (the section's own colour, else grey by depth) and a font colour that reads on it."""
    fill = groups.colors.get(section_id, CLUSTER_FILLS[depth % len(CLUSTER_FILLS)])
    return {"fillcolor": fill, "fontcolor": "white"} if is_dark(fill) else {"fillcolor": fill}


def _section_label(title: str, width: int) -> str:
    return f"<B>{_lines(title, max(width, 30) if width else 0)}</B>"


def _add_sections(
    graph: _Writer,
    argmap: ArgumentMap,
    groups: _Groups,
    placed: _Placed,
    hidden: Mapping[str, int],
    options: DotOptions,
    verdicts: Mapping[Node, Verdict] | None = None,
    labels: _Labels | None = None,
) -> None:
    """The top-level nodes, the nested clusters of groups holding something, and closed groups as nodes."""
    _Sections(argmap, groups, placed, hidden, options, verdicts, labels).write(graph)


class _Sections:
    """Writes the sections' clusters, recursively.

    A class rather than nested functions that call each other: those would make a reference cycle holding the map,
    which only the cycle collector frees (the command runs without it, and would free it at exit, slowly).
    """

    def __init__(
        self,
        argmap: ArgumentMap,
        groups: _Groups,
        placed: _Placed,
        hidden: Mapping[str, int],
        options: DotOptions,
        verdicts: Mapping[Node, Verdict] | None,
        labels: _Labels | None,
    ) -> None:
        self.argmap, self.groups, self.placed, self.hidden = argmap, groups, placed, hidden
        self.width, self.labelloc = options.wrap, _cluster_labelloc(options)
        self.verdicts, self.labels = verdicts, labels
        self.children: dict[str | None, list[str]] = {}
        for section in argmap.sections:
            if section.id in groups.groups:
                self.children.setdefault(groups.parent(section.id), []).append(section.id)
        self.count = 0

    def holds(self, group: str) -> bool:
        return (
            bool(self.placed.get(group))
            or self.hidden.get(group, 0) > 0
            or any(self.holds(c) for c in self.children.get(group, ()))
        )

    def nodes(self, graph: _Writer, nodes: Iterable[MapNode]) -> None:
        """:func:`_add_node` for each node, the usual box (its label written beforehand, no colour) inline:
        a large map has tens of thousands."""
        argmap, width, verdicts, labels = self.argmap, self.width, self.verdicts, self.labels
        if labels is None or verdicts is not None:
            for node in nodes:
                _add_node(graph, argmap, node, width, verdicts, labels)
            return
        write, indent = graph.lines.append, graph.indent
        statement_labels, argument_labels = labels
        statements, arguments, statement = argmap.statements, argmap.arguments, ElementKind.STATEMENT
        for node in nodes:
            node_id, kind, title = node.id, node.kind, node.title
            elements: Mapping[str, Statement] | Mapping[str, Argument]
            if kind is statement:
                label, attributes, elements = statement_labels.get(title), _STATEMENT_ATTRIBUTES, statements
            else:
                label, attributes, elements = argument_labels.get(title), _ARGUMENT_ATTRIBUTES, arguments
            # a label came for each element the map defines (a box for an unknown title has none)
            if label is None or "color" in elements[title].data:
                _add_node(graph, argmap, node, width, verdicts, labels)
            elif node_id[1:].isdigit() and node_id[0] in "as":  # an id build_graph made: never quoted
                write(f"{indent}{node_id} [label={_quote(label)} {attributes}]\n")
            else:
                graph.styled_node(node_id, label, attributes)

    def fill(self, parent: _Writer, group: str | None, depth: int) -> None:
        self.nodes(parent, self.placed.get(group, ()))
        for child in self.children.get(group, ()):
            if self.holds(child):
                self.add(parent, child, depth)

    def add(self, parent: _Writer, group: str, depth: int) -> None:
        groups, width = self.groups, self.width
        section = groups.sections[group]
        if group in groups.closed:
            elements = self.hidden.get(group, 0)
            label = _section_label(section.title, width)
            label += f'<BR/><FONT POINT-SIZE="9">{elements} element{"" if elements == 1 else "s"}</FONT>'
            parent.node(groups.closed[group], f"<{label}>", {**CLOSED_STYLE, **_fill(groups, group, depth)})
            return
        self.count += 1
        with parent.subgraph(name=f"cluster_{self.count}") as cluster:
            cluster.attr(
                label=f"<{_section_label(section.title, width)}>",
                style="rounded,filled",
                **_fill(groups, group, depth),
                color=CLUSTER_BORDER,
                fontsize="13",
                labeljust="l",
                labelloc=self.labelloc,
                margin="12",
            )
            self.fill(cluster, group, depth + 1)

    def write(self, graph: _Writer) -> None:
        self.nodes(graph, self.placed.get(None, ()))
        title = self.argmap.metadata.get("title")
        for group in self.children.get(None, ()):
            section = self.groups.sections[group]
            repeats_title = isinstance(title, str) and clean(section.title).casefold() == clean(title).casefold()
            if repeats_title and group not in self.groups.closed:
                # A heading that repeats the map's title would box the whole map under a
                # second copy of the graph label: draw its contents without the box.
                self.fill(graph, group, 0)
            elif self.holds(group):
                self.add(graph, group, 0)


def _add_legend(graph: _Writer, labelloc: str, kinds: set[RelationKind], evaluated: bool = False) -> None:
    """A small cluster showing the two box kinds and one short arrow of each kind the map may hold
    (and, for an evaluated map, the three labels)."""
    with graph.subgraph(name="cluster_legend") as legend:
        if evaluated:
            from ..evaluation import Label

            for label in reversed(Label):
                legend.node(
                    f"legend_{label.value}",
                    f"<<B>{label.glyph} {label.value}</B>>",
                    _evaluated_style(ElementKind.STATEMENT, label.value, None),
                )
        legend.attr(label="<<B>Legend</B>>", labelloc=labelloc, style="rounded", color=CLUSTER_BORDER, margin="10")
        shown = [k for k in EDGE_STYLE if k in BASIC_KINDS or k in kinds]
        # Graphviz lays the pieces out right to left, so they are declared in reverse.
        for kind in reversed(shown):
            tail, head = f"legend_{kind.value}_from", f"legend_{kind.value}_to"
            legend.node(tail, f"<{EDGE_VERB[kind]}>", {"shape": "plaintext", "fontsize": "10", "group": kind.value})
            legend.node(head, "", {"shape": "point", "width": "0.05", "color": "#777777", "group": kind.value})
            legend.edge(tail, head, EDGE_STYLE[kind])
        legend.node("legend_argument", "<<B>argument</B>>", NODE_STYLE[ElementKind.ARGUMENT])
        legend.node("legend_statement", "<<B>statement</B>>", NODE_STYLE[ElementKind.STATEMENT])


_Placed = dict[str | None, list[MapNode]]


def closed_sections(argmap: ArgumentMap, nodes: Iterable[MapNode]) -> dict[str, tuple[str, list[MapNode]]]:
    """The boxes that stand for closed sections (``isClosed: true``): box id -> (section id, the nodes it stands for,
    in map order). Sections closed inside a closed one are part of the outer box; one that holds nothing is no box.
    """
    groups = _Groups.of(argmap)
    found: dict[str, tuple[str, list[MapNode]]] = {}
    if not groups.closed:
        return found
    where: dict[str | None, tuple[str | None, str | None]] = {}  # by section: the same for all its elements
    for node in nodes:
        place = where.get(node.section)
        if place is None:
            place = where[node.section] = groups.placement(node.section)
        owner = place[1]
        if owner is not None:
            found.setdefault(groups.closed[owner], (owner, []))[1].append(node)
    return found


def _close(mapgraph: MapGraph, groups: _Groups) -> tuple[_Placed, dict[str, int], list[MapEdge]]:
    """Nodes by the group they are drawn in, how many each closed group stands for, the edges between what is drawn.

    An edge between an element of a closed group and one outside it attaches to the
    group's node; an edge inside a closed group is not drawn.
    """
    placed: _Placed = {}
    hidden: dict[str, int] = {}
    standing_for: dict[str, str] = {}
    #: section id -> (the group its elements are drawn in, the closed group standing for them)
    where: dict[str | None, tuple[str | None, str | None]] = {}
    for node in mapgraph.nodes:
        found = where.get(node.section)
        if found is None:
            found = where[node.section] = groups.placement(node.section)
        group, owner = found
        if owner is None:
            placed.setdefault(group, []).append(node)
        else:
            hidden[owner] = hidden.get(owner, 0) + 1
            standing_for[node.id] = groups.closed[owner]
    if not standing_for:
        return placed, hidden, list(mapgraph.edges)  # already one per (source, target, kind), none to itself
    edges: dict[tuple[str, str, RelationKind], MapEdge] = {}
    for edge in mapgraph.edges:
        source = standing_for.get(edge.source, edge.source)
        target = standing_for.get(edge.target, edge.target)
        if source != target and (source, target, edge.kind) not in edges:
            moved = source != edge.source or target != edge.target
            edges[source, target, edge.kind] = edge._replace(source=source, target=target) if moved else edge
    return placed, hidden, list(edges.values())


def build_digraph(argmap: ArgumentMap, options: DotOptions | None = None) -> Any:
    """The ``graphviz.Digraph`` of ``argmap`` (deterministic: same map, same source)."""
    from .. import parallel

    options = options or DotOptions()
    pending = None
    ahead = parallel.ahead_for(_labels_key(options.wrap)) if options.evaluate is None else None
    labels: _Labels | None = None
    if ahead is not None and len(argmap.statements) + len(argmap.arguments) - len(ahead) < LABELS_LEFT_FOR_A_CHILD:
        labels = _labels(argmap, options.wrap, ahead)
    elif (
        options.evaluate is None
        and len(argmap.statements) + len(argmap.arguments) >= LABELS_IN_A_CHILD_FROM
        and parallel.may_fork()
    ):  # the labels are written meanwhile by a second process
        pending = _labels_in_a_child(argmap, options.wrap, ahead)
    try:
        return _build_digraph(argmap, options, pending, labels)
    finally:
        if pending is not None:
            pending.cancel()


def _build_digraph(
    argmap: ArgumentMap, options: DotOptions, pending: Pending | None, labels: _Labels | None = None
) -> Any:
    mapgraph: MapGraph = build_graph(argmap)
    lines: list[str] = []
    graph = _Writer(lines)
    graph.attr(rankdir=options.rankdir, fontname=FONT, nodesep="0.35", ranksep="0.55", newrank="true")
    label = _graph_label(argmap.metadata, options.wrap)
    if label:
        graph.attr(label=label, labelloc="t", labeljust="c")
    graph.attr("node", shape="box", fontname=FONT, fontsize="11", margin="0.16,0.09")
    graph.attr("edge", fontname=FONT, arrowsize="0.9")
    verdicts = None
    if options.evaluate is not None:
        from ..evaluation import evaluation_for_export

        evaluation = evaluation_for_export(argmap, {"evaluate": options.evaluate}, "a diagram")
        verdicts = evaluation.labelling.verdicts if evaluation is not None else None
    groups = _Groups.of(argmap)
    placed, hidden, edges = _close(mapgraph, groups)
    if pending is not None:
        labels = _child_labels(pending)
    _add_sections(graph, argmap, groups, placed, hidden, options, verdicts, labels)
    # by the kind's value: an enum member hashes in Python
    styles = {kind._value_: _attr_list(None, style) for kind, style in EDGE_STYLE.items()}
    write, indent, end = lines.append, graph.indent, graph._end
    ends: dict[str, str] = {}  # each node id as an edge end, worked out once (a node has two edges on average)
    for source, target, kind, _ in edges:  # what graph.edge writes, with each kind's attributes written once
        tail = ends.get(source)
        if tail is None:
            tail = ends[source] = end(source)
        head = ends.get(target)
        if head is None:
            head = ends[target] = end(target)
        write(f"{indent}{tail} -> {head}{styles[kind._value_]}\n")
    if options.legend:
        _add_legend(graph, _cluster_labelloc(options), {e.kind for e in edges}, verdicts is not None)
    return graphviz.Digraph(name="argmap", body=lines)


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
