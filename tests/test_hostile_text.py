"""Text stays text: every hostile string, in every place the author can write it, through every exporter.

One systematic table: ``HOSTILE`` (strings that are syntax in DOT, Graphviz labels, Markdown, HTML, JSON or
Argdown, plus control characters and odd whitespace) × ``PLACES`` (statement and argument titles, texts, tags,
data keys and values, section titles, the front matter title and author, inference rules, link URLs, mention
titles) × the exporters ``json``, ``markdown``, ``dot`` (run through the real Graphviz) and ``argdown``.

Each case is a small map with the string in one place, built in code, and the same map written with the argdown
exporter and parsed back (the notation path). For each map:

- **argdown**: the output parses back to the same map, or the exporter refuses with an ``ExporterError``; the
  refusals are exactly the ones ``notation_refuses`` predicts from the notation's rules (so a regression that
  refuses more, or writes something it should refuse, fails); ``KNOWN_BUGS`` lists the cases argmap gets wrong
  today, as strict xfails;
- **json**: ``from_json(export) == map``, and ``json.loads`` gives the string unchanged in the right place;
- **markdown**: renders (markdown-it-py, CommonMark, HTML enabled) without any raw HTML, image or code span,
  with no link except the one the author wrote, and the string shows as text, whitespace collapsed;
- **dot**: Graphviz reads it without a warning and draws exactly the nodes, edges and clusters that
  :func:`argmap.exporters.mapgraph.build_graph` selects, and the SVG shows the string literally (whitespace
  collapsed; control characters, which XML cannot hold, as U+FFFD).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from markdown_it import MarkdownIt

import argmap
from argmap.errors import ExporterError
from argmap.exporters.mapgraph import build_graph
from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
    TextRange,
)

S, A = ElementKind.STATEMENT, ElementKind.ARGUMENT

HOSTILE: dict[str, str] = {
    "dot-quote": 'He said "no" \\"',
    "dot-backslash": "back\\slash \\N \\G \\L \\l \\n \\E \\",
    "dot-close": 'x"]; evil [shape=box]; y -> z [label="',
    "dot-arrow": "a -> b -- c",
    "dot-html": "<b>bold</b> <BR/> <script>alert(1)</script> </TABLE>",
    "dot-braces": "{ braces } {x: 1} }",
    "dot-entities": "&amp; &lt; &#65; &#x41; & alone",
    "md-heading": "# not a heading ##",
    "md-list": "1. not a list",
    "md-quote": "> not a quote",
    "md-emphasis": "*star* _under_ __strong__ ~~strike~~ a*b*c",
    "md-table": "| a | b |",
    "md-link": "[x](javascript:alert(1)) ![i](x.png) <http://evil.invalid> [r]: /u",
    "md-backticks": "`code` ``` fence ~~~",
    "md-break": "---",
    "json": '"}], "x": {"a": null} \\u0000 \\/ </script>',
    "unicode": "Ünïcödé ☃ 𝄞 \u200b zero-width \u202e RTL \ufeff",
    "nbsp": "10\u00a0km « oui »",
    "spaces": "  padded  and\ttab  ",
    "newline": "line one\nline two",
    "line-separators": "one\u2028two\u2029three",
    "control": "bell\x07 nul\x00 esc\x1b[31m del\x7f",
}

PLACES = (
    "statement title",
    "statement text",
    "argument title",
    "argument description",
    "tag",
    "data key",
    "data value",
    "section title",
    "front matter title",
    "front matter author",
    "inference rule",
    "link url",
    "statement mention",
    "argument mention",
)


def _text(place: str, h: str) -> Text:
    """The text of statement X: the hostile string as text, a link's URL or a mention's title."""
    if place == "statement text":
        return Text(h)
    if place == "link url":
        return Text("see the page now", ranges=(TextRange(RangeKind.LINK, 4, 12, url=h),))
    if place in ("statement mention", "argument mention"):
        written = f"@[{h}]" if place == "statement mention" else f"@<{h}>"
        kind = RangeKind.STATEMENT_MENTION if place == "statement mention" else RangeKind.ARGUMENT_MENTION
        return Text(f"about {written} here", ranges=(TextRange(kind, 6, 6 + len(written), title=h),))
    return Text("Statement X.")


def hostile_map(place: str, h: str) -> ArgumentMap:
    """A small map with ``h`` in ``place``: statements X, Q, P, C in one section, argument A for C from P.

    A supports X, Q attacks X, so the diagram has statement and argument nodes, written and implicit edges.
    """

    def at(name: str, default: str) -> str:
        return h if place == name else default

    x, a = at("statement title", "X"), at("argument title", "A")
    data: dict[str, Any] = {}
    if place == "data key":
        data = {h: "value"}
    elif place == "data value":
        data = {"note": h, "list": [h]}
    statements = [
        Statement(x, (_text(place, h),), tags=(h,) if place == "tag" else (), data=data, section="s1"),
        Statement("Q", (Text("Statement Q."),), section="s1"),
        Statement("P", (Text("Premise P."),), section="s1"),
        Statement("C", (Text("Conclusion C."),), section="s1"),
    ]
    argument = Argument(
        a,
        (Text(at("argument description", "Argument A.")),),
        steps=(Premise(1, "P"), Conclusion(2, "C", Inference((at("inference rule", "modus ponens"),)))),
        section="s1",
    )
    relations = (
        Relation(Node(A, a), Node(S, x), RelationKind.SUPPORT),
        Relation(Node(S, "Q"), Node(S, x), RelationKind.ATTACK),
    )
    return ArgumentMap(
        {s.title: s for s in statements},
        {a: argument},
        relations,
        (Section("s1", at("section title", "Section"), 1),),
        {"title": at("front matter title", "Map"), "author": at("front matter author", "Me")},
    )


CASES = [(place, name) for place in PLACES for name in HOSTILE]


# -- the notation path -----------------------------------------------------------------------------

#: a line break, a tab or a run of spaces in a text is one space in the notation (Argdown joins a text's lines);
#: other white space (a no-break space, U+2028, U+2029) is text, to the Argdown CLI as to argmap's reader
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
#: JavaScript's line terminators besides \n and \r: text to Argdown, but they end its title and mention patterns
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" ")


#: places written as YAML double-quoted strings, which hold anything (control characters as \u escapes)
_YAML_PLACES = frozenset({"data key", "data value", "front matter title", "front matter author"})
#: places whose whitespace the notation normalises (a text's lines are joined)
_TEXT_PLACES = frozenset({"statement text", "argument description", "section title"})
#: per place, the characters the notation has no way to write there
_CANNOT_HOLD: dict[str, Callable[[str], bool]] = {
    "statement title": lambda h: bool(re.search(r"[]\\]", h)) or h.startswith("-"),
    "argument title": lambda h: bool(re.search(r"[>\\]", h)) or h[:1] in ("-", "!"),
    "tag": lambda h: ")" in h,
    "inference rule": lambda h: bool(re.search(r"[,{}]|--|^-|-$", h)),
    "statement mention": lambda h: "]" in h,
    "argument mention": lambda h: ">" in h,
}


def notation_refuses(place: str, h: str) -> bool:
    """What the notation cannot say, from its rules (docs/notation.md), independently of the exporter.

    Control characters cannot appear in notation (except inside YAML's escapes); a title, tag, rule or mention
    cannot keep doubled, leading or trailing whitespace or a line break (U+2028 and U+2029 included); a link's URL
    is kept raw up to the first ``)`` or line break, its ends stripped; and each place has its own syntax.
    """
    if place in _YAML_PLACES:
        return False
    if _CONTROL.search(h):
        return True
    if place in _TEXT_PLACES:
        return False
    if place == "link url":
        return bool(re.search(r"[)\n\r]", h)) or h != h.strip() or not 0 < len(h) <= 2000
    if one_line(h) != h or _LINE_SEPARATORS.search(h):
        return True
    check = _CANNOT_HOLD.get(place)
    return bool(check and check(h))


def written_back(place: str, h: str) -> str:
    """What the notation keeps of ``h`` in ``place`` when it can write it: texts on one line, the rest as it is."""
    if place in _TEXT_PLACES:
        return one_line(h)
    return h


def through_notation(m: ArgumentMap) -> ArgumentMap | None:
    """``m`` written as notation and parsed back, or None when the exporter refuses it (clearly)."""
    try:
        written = argmap.export(m, "argdown")
    except ExporterError:
        return None
    assert isinstance(written, str)
    return argmap.parse(written)


#: (place, string) -> why argmap does not do yet what the table expects; each case is a strict xfail
#: (it fails the suite when it starts passing: then remove it from here)
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# -- checks shared by the two paths ---------------------------------------------------------------


def strings(value: Any) -> Iterator[str]:
    """Every string in loaded JSON, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def json_place(loaded: dict[str, Any], place: str) -> list[str]:
    """The strings written where ``place`` is, in argmap's JSON."""
    x = loaded["statements"][0]
    a = loaded["arguments"][0]
    return {
        "statement title": lambda: [x["title"]],
        "statement text": lambda: [t["text"] for t in x["texts"]],
        "argument title": lambda: [a["title"]],
        "argument description": lambda: [t["text"] for t in a["descriptions"]],
        "tag": lambda: x["tags"],
        "data key": lambda: list(x["data"]),
        "data value": lambda: [x["data"]["note"], *x["data"]["list"]],
        "section title": lambda: [loaded["sections"][0]["title"]],
        "front matter title": lambda: [loaded["metadata"]["title"]],
        "front matter author": lambda: [loaded["metadata"]["author"]],
        "inference rule": lambda: [r for s in a["steps"] if s["type"] == "conclusion" for r in s["inference"]["rules"]],
        "link url": lambda: [r["url"] for t in x["texts"] for r in t.get("ranges", [])],
        "statement mention": lambda: [r["title"] for t in x["texts"] for r in t.get("ranges", [])],
        "argument mention": lambda: [r["title"] for t in x["texts"] for r in t.get("ranges", [])],
    }[place]()


def check_json(m: ArgumentMap, place: str, h: str) -> None:
    written = argmap.export(m, "json")
    assert isinstance(written, str)
    assert argmap.from_json(written) == m
    loaded = json.loads(written)
    assert json_place(loaded, place) == ([h, h] if place == "data value" else [h])
    assert h in set(strings(loaded))


MD = MarkdownIt("commonmark", {"html": True})


def collapse(text: str) -> str:
    """What a reader sees of ``text`` on one line: whitespace runs (Markdown's and Python's) as one space."""
    return " ".join(text.split())


def markdown_view(source: str) -> tuple[str, list[str]]:
    """The text the Markdown shows (inline texts, one per line) and the hrefs of its links; fails on HTML."""
    tokens = MD.parse(source)
    bad = [t.type for t in tokens if t.type in ("html_block", "code_block", "fence")]
    assert not bad, (bad, source)
    shown, links = [], []
    for token in tokens:
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            assert child.type not in ("html_inline", "image", "code_inline"), (child.type, child.content, source)
            if child.type == "text":
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "link_open":
                links.append(str(child.attrGet("href")))
        shown.append(collapse("".join(parts)))
    return "\n".join(shown), links


#: where the Markdown outline shows each place (data other than ``quote`` is not shown)
MARKDOWN_SHOWS = set(PLACES) - {"data key", "data value"}


def check_markdown(m: ArgumentMap, place: str, h: str) -> None:
    source = argmap.export(m, "markdown")
    assert isinstance(source, str)
    shown, links = markdown_view(source)
    expected = collapse(h.replace("\x00", "\ufffd"))  # CommonMark itself replaces NUL
    if place == "link url":
        if argmap.exporters.markdown.safe_url(h):
            assert links == [MD.normalizeLink(h.strip())], source
            assert "see the page now" in shown
        else:
            assert links == [], source
            assert expected in shown, (expected, shown)
    else:
        assert links == [], source
        if place == "tag":
            assert f"#({expected})" in shown or f"#{expected}" in shown, (expected, shown)
        elif place in MARKDOWN_SHOWS and expected:
            assert expected in shown, (expected, shown)
    rendered = MD.render(source)
    for tag in ("<script", "<b>", "<img", "<code", "<pre", "<table", "<br", "<h3"):
        assert tag not in rendered.lower(), (tag, rendered)


def _xml_safe(text: str) -> str:
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)


def svg_groups(svg: str) -> dict[str, list[tuple[str, str]]]:
    """For each kind of ``<g>`` (node, edge, cluster, graph): (its <title>, its texts joined by spaces)."""
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    groups: dict[str, list[tuple[str, str]]] = {}
    for g in root.iter(f"{ns}g"):
        title = g.find(f"{ns}title")
        texts = [t.text or "" for t in g.iter(f"{ns}text") if g.get("class") != "graph" or t in list(g)]
        groups.setdefault(g.get("class") or "", []).append(
            ("" if title is None else title.text or "", collapse(" ".join(texts)))
        )
    return groups


#: where the diagram shows each place: "node" (X or A), "cluster", "graph"; others are not drawn
DOT_SHOWS = {
    "statement title": "node",
    "statement text": "node",
    "argument title": "node",
    "argument description": "node",
    "statement mention": "node",
    "argument mention": "node",
    "section title": "cluster",
    "front matter title": "graph",
    "front matter author": "graph",
}


def run_dot(dot_path: str, sources: list[str]) -> list[str]:
    """Graphviz's SVG of each DOT source, in one run; fails on any warning."""
    done = subprocess.run(
        [dot_path, "-Tsvg"], input="\n".join(sources), capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    svgs = re.split(r"(?=<\?xml )", done.stdout)[1:]
    assert len(svgs) == len(sources), "a graph broke out of its DOT source"
    return svgs


def check_svg(m: ArgumentMap, svg: str, place: str, h: str) -> None:
    graph = build_graph(m)
    groups = svg_groups(svg)
    ids = {n.id for n in graph.nodes}
    assert {title for title, _ in groups.get("node", [])} == ids
    edges = sorted(title for title, _ in groups.get("edge", []))
    assert edges == sorted(f"{e.source}->{e.target}" for e in graph.edges)
    assert len(groups.get("cluster", [])) == 1
    expected = _xml_safe(collapse(h))
    where = DOT_SHOWS.get(place)
    if where is None or not expected:
        return
    texts = [text for _, text in groups[where]]
    assert any(expected in text for text in texts), (expected, texts)


# -- the table --------------------------------------------------------------------------------------


def _case_ids() -> list[str]:
    return [f"{p}-{n}".replace(" ", "-") for p, n in CASES]


def _with_known_bugs() -> list[Any]:
    return [
        pytest.param(p, n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(p, n)]))
        if (p, n) in KNOWN_BUGS
        else pytest.param(p, n)
        for p, n in CASES
    ]


def parsed_back(m: ArgumentMap) -> ArgumentMap | None:
    """The notation path for the other exporters: None when the argdown exporter refuses or its output fails."""
    try:
        return through_notation(m)
    except argmap.ArgmapSyntaxError:
        return None  # the argdown test reports this


@pytest.mark.parametrize(("place", "name"), CASES, ids=_case_ids())
def test_json_and_markdown_keep_the_text(place: str, name: str) -> None:
    h = HOSTILE[name]
    m = hostile_map(place, h)
    check_json(m, place, h)
    check_markdown(m, place, h)
    back = parsed_back(m)
    if back is not None and back == hostile_map(place, written_back(place, h)):
        check_json(back, place, written_back(place, h))
        check_markdown(back, place, written_back(place, h))


@pytest.mark.parametrize(("place", "name"), _with_known_bugs(), ids=_case_ids())
def test_argdown_writes_it_or_refuses_clearly(place: str, name: str) -> None:
    h = HOSTILE[name]
    m = hostile_map(place, h)
    back = through_notation(m)
    if notation_refuses(place, h):
        assert back is None, "the argdown exporter wrote what the notation cannot say, and it read back"
        return
    assert back is not None, "the argdown exporter refused a string the notation can hold"
    assert back == hostile_map(place, written_back(place, h))


@pytest.mark.parametrize("place", PLACES)
def test_dot_parses_draws_the_map_and_shows_the_text(place: str, require_dot: str) -> None:
    maps = [(h, hostile_map(place, h)) for h in HOSTILE.values()]
    maps += [(h, back) for h, m in maps if (back := parsed_back(m)) is not None]
    dots = []
    for _, m in maps:
        dot = argmap.export(m, "dot", wrap=0)
        assert isinstance(dot, str)
        dots.append(dot)
    for (h, m), svg in zip(maps, run_dot(require_dot, dots), strict=True):
        check_svg(m, svg, place, h)


def test_the_table_is_complete() -> None:
    assert len(HOSTILE) * len(PLACES) == len(CASES) >= 250
    refused = {(p, n) for p, n in CASES if notation_refuses(p, HOSTILE[n])}
    # the notation holds most of the table: the refusals are the exception
    assert len(refused) < len(CASES) // 3
    assert set(KNOWN_BUGS) <= set(CASES)
