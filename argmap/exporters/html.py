"""The ``html`` exporter: the map as one self-contained web page to explore.

The page holds the diagram (the SVG that the ``svg`` exporter renders with Graphviz), a
small hand-written script and style sheet, and the map's content as a JSON data island;
it loads nothing else, so it works offline, from a file, attached to an e-mail. In it
one can pan and zoom (mouse wheel, drag, the buttons, the keyboard; "fit" shows the
whole map), click or tab to a box to read, in a side panel, its full text, quotes, tags,
data, premise-conclusion structure, and what supports, attacks, undercuts or
contradicts it (each a link to that element), and search titles and texts, the matches
highlighted in the diagram. With ``evaluate`` the boxes carry their labels (as in the
``svg`` exporter) and the panel says why each element is in, out or undecided.

Options (keyword arguments of ``export``; strings are accepted, as a command line gives
them): the layout options of the Graphviz exporters, ``rankdir``, ``wrap``, ``legend``,
``engine`` and ``evaluate`` (see :mod:`argmap.exporters.dot` and
:mod:`argmap.exporters.rendered`), and ``title``, the page's title (by default the front
matter's ``title``, else the source file's name). Rendering needs Graphviz, as ``svg`` does.

Author text never becomes markup or script: the page's few interpolated strings are
HTML-escaped; the data island is JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``,
``\\u003e`` and ``\\u0026`` (so no ``</script>`` or comment can end it early), read with
``JSON.parse`` and put into the page with ``textContent`` only; Graphviz escapes what it
writes into the SVG; and a Content-Security-Policy allows the page's own script and
style sheet (by their SHA-256 hashes) and nothing else: no other script, no loads.
Links in texts are links only for http, https and mailto URLs (relative ones too).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..model import Argument, ArgumentMap, Conclusion, ElementKind, Node, RangeKind, Statement, Text
from .dot import closed_sections
from .json import _value as json_value
from .mapgraph import build_graph
from .markdown import safe_url
from .text import clean

if TYPE_CHECKING:
    from ..evaluation import Evaluation

__all__ = ["EXPORTER", "HtmlExporter", "page", "script_json", "to_html", "view_data"]

#: the page's own files, shipped in the package next to this module
ASSETS = "html_view"
#: the id of the data island the script reads
DATA_ID = "argmap-data"
#: what a page title falls back to
DEFAULT_TITLE = "Argument map"


@functools.cache
def _asset(name: str) -> str:
    return (
        resources.files(__package__ or "argmap.exporters").joinpath(ASSETS).joinpath(name).read_text(encoding="utf-8")
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: what a JSON text escapes on top of ``json.dumps`` to sit inside ``<script>``: every ``<`` (no ``</script>``,
#: no ``<!--``), ``>`` and ``&``, and the line separators (harmless to JSON.parse, kept out for old parsers)
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> str:
    """``value`` as JSON that can stand between ``<script type="application/json">`` and ``</script>`` as is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text)


def _plain(value: Any) -> Any:
    """Data as JSON values, in the text forms argmap JSON gives YAML's other types; never fails."""
    return json_value(value, "", strict=False)


_RANGE_CODES = {
    RangeKind.BOLD: "b",
    RangeKind.ITALIC: "i",
    RangeKind.LINK: "link",
    RangeKind.STATEMENT_MENTION: "s",
    RangeKind.ARGUMENT_MENTION: "a",
}


class _Data:
    """Builds the data island: elements by short ids (``S1``, ``A1``, ``U1`` for a title the map does not define)."""

    def __init__(self, argmap: ArgumentMap) -> None:
        self.argmap = argmap
        self.ids: dict[tuple[str, str], str] = {}
        #: the elements the map does not define, by id
        self.elements: dict[str, dict[str, Any]] = {}
        for number, title in enumerate(argmap.statements, start=1):
            self.ids["statement", title] = f"S{number}"
        for number, title in enumerate(argmap.arguments, start=1):
            self.ids["argument", title] = f"A{number}"

    def id_of(self, kind: ElementKind, title: str) -> str:
        """The id of a statement or argument (an inference is its argument's), added as unknown if need be."""
        key = ("statement" if kind is ElementKind.STATEMENT else "argument", title)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = f"U{len(self.elements) + 1}"
            self.elements[found] = {"kind": key[0], "title": title, "unknown": True}
        return found

    def text(self, text: Text) -> dict[str, Any]:
        written: dict[str, Any] = {"text": text.text}
        ranges = []
        for r in text.ranges:
            code = _RANGE_CODES[r.kind]
            if code == "link":
                # a URL that may not be followed (javascript:...) is no link: kept fifth, to be shown as text
                url = r.url or ""
                ranges.append([code, r.start, r.end, url] if safe_url(url) else [code, r.start, r.end, None, url])
            elif code in ("s", "a"):
                kind = ElementKind.STATEMENT if code == "s" else ElementKind.ARGUMENT
                ranges.append([code, r.start, r.end, self.id_of(kind, r.title) if r.title is not None else None])
            else:
                ranges.append([code, r.start, r.end])
        if ranges:
            written["ranges"] = ranges
        return written

    def common(self, element: Statement | Argument, kind: str, texts: tuple[Text, ...]) -> dict[str, Any]:
        from ..quotes import quotes_of

        written: dict[str, Any] = {"kind": kind, "title": element.title}
        if element.generated_title:
            written["generated"] = True
        shown = [self.text(t) for t in texts if t.text]
        if shown:
            written["texts"] = shown
        if element.tags:
            written["tags"] = list(element.tags)
        quotes = [quote for quote, _problem in quotes_of(element.data) if quote is not None]
        if quotes:
            written["quotes"] = quotes
        data = {k: v for k, v in element.data.items() if k != "quote"}
        if data:
            written["data"] = _plain(data)
        if element.section is not None:
            written["section"] = element.section
        return written

    def statement(self, statement: Statement) -> dict[str, Any]:
        return self.common(statement, "statement", statement.texts)

    def argument(self, argument: Argument) -> dict[str, Any]:
        written = self.common(argument, "argument", argument.descriptions)
        steps = []
        for step in argument.steps:
            entry: dict[str, Any] = {"n": step.number, "ref": self.id_of(ElementKind.STATEMENT, step.title)}
            if isinstance(step, Conclusion):
                entry["conclusion"] = True
                if step.inference.rules:
                    entry["rules"] = list(step.inference.rules)
                if step.inference.uses:
                    entry["uses"] = list(step.inference.uses)
            steps.append(entry)
        if steps:
            written["steps"] = steps
        return written

    def end(self, node: Node) -> str:
        """A relation end: the element's id, with ``>`` after an argument's for its inference."""
        found = self.id_of(node.kind, node.title)
        return f"{found}>" if node.kind is ElementKind.INFERENCE else found


def _title(argmap: ArgumentMap) -> str:
    title = argmap.metadata.get("title")
    if isinstance(title, str) and clean(title):
        return clean(title)
    name = argmap.source_name
    if name and not (name.startswith("<") and name.endswith(">")):
        return PurePath(name).name
    return DEFAULT_TITLE


def view_data(argmap: ArgumentMap, evaluation: Evaluation | None = None, *, title: str | None = None) -> dict[str, Any]:
    """What the page's script reads: the elements, relations, sections, the diagram's boxes, the labels.

    Elements are keyed by short ids (``S1``... statements, ``A1``... arguments, in map order; ``U1``... titles
    that relations or structures name but the map does not define). ``nodes`` maps the diagram's node ids
    (``s1``, ``a1``, the SVG's ``<title>`` of each box) to element ids; ``closed``, when the map closes a section
    (``isClosed: true``), maps each box that stands for one (``g1``...) to the section's id and the ids of the
    elements it holds.
    """
    data = _Data(argmap)
    elements: dict[str, dict[str, Any]] = {}
    for statement in argmap.statements.values():
        elements[data.id_of(ElementKind.STATEMENT, statement.title)] = data.statement(statement)
    for argument in argmap.arguments.values():
        elements[data.id_of(ElementKind.ARGUMENT, argument.title)] = data.argument(argument)
    relations = []
    seen = set()
    for r in argmap.relations:
        entry = (data.end(r.source), data.end(r.target), r.kind.value)
        if entry not in seen:
            seen.add(entry)
            relations.append(list(entry))
    graph = build_graph(argmap)
    nodes = {node.id: data.id_of(node.kind, node.title) for node in graph.nodes}
    closed = {
        box: {"section": section, "members": [data.id_of(node.kind, node.title) for node in members]}
        for box, (section, members) in closed_sections(argmap, graph.nodes).items()
    }
    elements.update(data.elements)  # the unknown ones, last
    written: dict[str, Any] = {
        "title": clean(title) if title is not None else _title(argmap),
        "metadata": _plain(argmap.metadata),
        "elements": elements,
        "relations": relations,
        "sections": {
            s.id: {"title": s.title, **({"parent": s.parent} if s.parent is not None else {})} for s in argmap.sections
        },
        "nodes": nodes,
    }
    if closed:  # the boxes standing for closed sections: what each holds
        written["closed"] = closed
    if evaluation is not None:
        labelling = evaluation.labelling
        labels = {}
        for node, verdict in labelling.verdicts.items():
            labels[data.end(node)] = [verdict.label.value, verdict.reason]
        counts = labelling.counts()
        written["evaluation"] = {
            "semantics": evaluation.semantics,
            "counts": {label.value: count for label, count in counts.items()},
            "labels": labels,
        }
    return written


#: everything before the ``<svg`` element in Graphviz's output: the XML declaration, DOCTYPE and comments
_SVG_START = re.compile(r"<svg\b")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _inline_svg(svg: str) -> str:
    """Graphviz's SVG document as an element to put in HTML: no prolog, no comments (only ids are in them)."""
    start = _SVG_START.search(svg)
    if start is None:
        raise ValueError("not an SVG document: no <svg> element")
    return _COMMENT.sub("", svg[start.start() :]).strip()


def _policy(script: str, style: str) -> str:
    """The page's Content-Security-Policy: its own script and style sheet, nothing else, no loads at all."""
    return (
        f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def page(argmap: ArgumentMap, svg: str, evaluation: Evaluation | None = None, *, title: str | None = None) -> str:
    """The page for ``argmap`` around an SVG diagram of it (Graphviz's output for the same map and evaluation)."""
    script, style = _asset("view.js"), _asset("view.css")
    data = view_data(argmap, evaluation, title=title)
    shown_title = html.escape(data["title"], quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_policy(script, style)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="argmap {html.escape(__version__)}">\n'
        f"<title>{shown_title}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n"
        "<body>\n"
        '<header class="bar">\n'
        f'<h1 id="map-title">{shown_title}</h1>\n'
        '<div class="search" role="search">\n'
        '<input id="search" type="search" placeholder="Search  ( / )" autocomplete="off" spellcheck="false" '
        'aria-label="Search titles and texts" aria-describedby="search-count">\n'
        '<span id="search-count" class="count" aria-live="polite"></span>\n'
        "</div>\n"
        '<div class="zoom" role="group" aria-label="Zoom">\n'
        '<button type="button" id="zoom-out" title="Zoom out ( - )" aria-label="Zoom out">\u2212</button>\n'
        '<button type="button" id="zoom-in" title="Zoom in ( + )" aria-label="Zoom in">+</button>\n'
        '<button type="button" id="zoom-fit" title="Fit to window ( 0 )">Fit</button>\n'
        '<button type="button" id="zoom-one" title="Actual size ( 1 )">1:1</button>\n'
        "</div>\n"
        "</header>\n"
        "<main>\n"
        '<div id="viewport" class="viewport" tabindex="0" role="region" aria-roledescription="argument map" '
        f'aria-label="Diagram of {shown_title}. Tab to a box and press Enter to read it; drag or arrow keys pan, '
        'plus and minus zoom, 0 fits.">\n'
        f"{_inline_svg(svg)}\n"
        "</div>\n"
        '<aside id="panel" class="panel" aria-label="Details" aria-live="polite" tabindex="-1"></aside>\n'
        "</main>\n"
        f'<script type="application/json" id="{DATA_ID}">{script_json(data)}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n"
        "</html>\n"
    )


#: the options of the page: the diagram's (see :mod:`argmap.exporters.rendered`), and its title
OPTIONS = ("rankdir", "wrap", "legend", "evaluate", "engine", "title")


def to_html(argmap: ArgumentMap, **options: Any) -> str:
    """The page for ``argmap``; see the module docstring for the options."""
    from ..evaluation import evaluation_for_export
    from .rendered import render

    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(OPTIONS)}")
    options = dict(options)
    title = options.pop("title", None)
    if title is not None and not isinstance(title, str):
        raise ValueError(f"option 'title' must be text, not {title!r}")
    evaluation = evaluation_for_export(argmap, options, "the HTML view")
    if evaluation is not None:
        options["evaluate"] = evaluation
    svg = render(argmap, "svg", **options).decode("utf-8")
    return page(argmap, svg, evaluation, title=title)


class HtmlExporter:
    """The ``html`` exporter: :func:`to_html` behind the Exporter protocol."""

    name = "html"
    description = "a web page to explore the map: the diagram, pan and zoom, search, details (needs Graphviz)"
    suffix = ".html"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        return to_html(argmap, **options)


EXPORTER = HtmlExporter()
