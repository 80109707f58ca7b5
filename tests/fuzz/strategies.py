"""More hypothesis strategies: notation documents written from scratch, maps with the data keys maps obey.

``notation_documents()`` writes valid notation the way a person would: front matter,
headings, statements and arguments with relation trees (every relation symbol, where
it may stand), premise-conclusion structures with inference rules, tags, data,
formatting, mentions and comments. Every document it makes must read.

``layout_maps()`` takes the maps of ``tests/strategies.py`` and gives their elements
and sections the data keys the diagram exporters act on: ``isInMap``, ``color``,
``isGroup``, ``isClosed`` (valid values, and some that are ignored with a warning).
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import strategies as st
from strategies import argument_maps

from argmap.model import ArgumentMap

__all__ = ["layout_maps", "notation_documents"]

_TITLES = st.sampled_from(["A", "B", "C", "Rain", "Wet street", "Cost 2", "Über", "X y z"])
_WORD = st.from_regex(r"[a-z]{1,8}", fullmatch=True)
_TAG = st.one_of(st.from_regex(r"#[a-z][a-z0-9_-]{0,5}", fullmatch=True), st.just("#(two words)"))
_DATA = st.sampled_from(
    ["{a: 1}", '{quote: "Bring it."}', "{certainty: 0.8, checked: true}", "{nested: {deep: [1, 2]}}", "{color: red}"]
)


@st.composite
def _text(draw: st.DrawFn) -> str:
    """Words, sometimes with formatting, a link, a mention or tags (never a tag first: that is a heading)."""
    pieces = draw(st.lists(_WORD, min_size=1, max_size=6))
    extras = draw(
        st.lists(
            st.one_of(
                _WORD.map(lambda w: f"**{w}**"),
                _WORD.map(lambda w: f"_{w}_"),
                _WORD.map(lambda w: f"[{w}](https://example.org/{w})"),
                _TITLES.map(lambda t: f"@[{t}]"),
                _TAG,
            ),
            max_size=2,
        )
    )
    for extra in extras:
        pieces.insert(draw(st.integers(1, len(pieces))), extra)
    text = " ".join(pieces)
    if draw(st.booleans()):
        text += "."
    return text


@st.composite
def _statement(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["definition", "reference", "untitled"]))
    if kind == "untitled":
        return draw(_text())
    title = draw(_TITLES)
    if kind == "reference":
        return f"[{title}]"
    data = f" {draw(_DATA)}" if draw(st.integers(0, 4)) == 0 else ""
    return f"[{title}]: {draw(_text())}{data}"


@st.composite
def _argument(draw: st.DrawFn) -> str:
    title = draw(_TITLES)
    if draw(st.booleans()):
        return f"<{title}>"
    return f"<{title}>: {draw(_text())}"


#: relation symbols that may stand between a parent and a child of the given kinds ("s" statement, "a" argument)
def _symbols(parent: str, child: str) -> list[str]:
    symbols = ["+", "-", "<+", "<-", "+>", "->"]
    if parent == "s" and child == "s":
        symbols.append("><")
    if parent == "a":
        symbols += ["_", "<_"]
    if child == "a":
        symbols.append("_>")
    return symbols


@st.composite
def _tree(draw: st.DrawFn) -> str:
    """An element with relation lines under it, up to three levels deep."""
    root_kind = draw(st.sampled_from(["s", "a"]))
    lines = [draw(_statement()) if root_kind == "s" else draw(_argument())]

    def children(parent: str, depth: int) -> None:
        for _ in range(draw(st.integers(0, 3 if depth == 1 else 1))):
            kind = draw(st.sampled_from(["s", "a"]))
            symbol = draw(st.sampled_from(_symbols(parent, kind)))
            element = draw(_statement()) if kind == "s" else draw(_argument())
            lines.append(f"{'  ' * depth}{symbol} {element}")
            if depth < 3:
                children(kind, depth + 1)

    children(root_kind, 1)
    return "\n".join(lines)


@st.composite
def _pcs(draw: st.DrawFn, argument_titles: set[str]) -> str:
    """A premise-conclusion structure, after its argument's title line or anonymous."""
    lines = []
    free = [t for t in ("Pa", "Pb", "Pc", "Pd") if t not in argument_titles]
    if free and draw(st.booleans()):
        title = draw(st.sampled_from(free))
        argument_titles.add(title)
        lines.append(f"<{title}>" if draw(st.booleans()) else f"<{title}>: {draw(_text())}")
        lines.append("")
    titles = iter(draw(st.lists(st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]), unique=True)))
    number = 0
    for step in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(1 if step == 0 else 0, 3))):
            number += 1
            title = next(titles, None)
            lines.append(f"({number}) " + (f"[{title}]: {draw(_text())}" if title else draw(_text())))
        rules = draw(st.lists(_WORD, max_size=2))
        lines.append(f"-- {', '.join(rules)} --" if rules else "----")
        number += 1
        title = next(titles, None)
        lines.append(f"({number}) " + (f"[{title}]: {draw(_text())}" if title else draw(_text())))
    return "\n".join(lines)


@st.composite
def notation_documents(draw: st.DrawFn) -> str:
    """A valid notation document (see the module docstring)."""
    blocks = []
    if draw(st.booleans()):
        title = " ".join(draw(st.lists(_WORD, min_size=1, max_size=3)))
        extra = draw(st.sampled_from(["", "\nauthor: someone", '\ndate: "2024-03-01"', "\nmodel: {mode: strict}"]))
        blocks.append(f"===\ntitle: {title}{extra}\n===")
    argument_titles: set[str] = set()
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["tree", "tree", "tree", "pcs", "heading", "comment"]))
        if kind == "tree":
            blocks.append(draw(_tree()))
        elif kind == "pcs":
            blocks.append(draw(_pcs(argument_titles)))
        elif kind == "heading":
            level = draw(st.integers(1, 3))
            tag = f" {draw(_TAG)}" if draw(st.booleans()) else ""
            blocks.append(f"{'#' * level} {' '.join(draw(st.lists(_WORD, min_size=1, max_size=3)))}{tag}")
        else:
            blocks.append(draw(st.sampled_from(["// a line comment", "/* a block\ncomment */", "<!-- html -->"])))
    return "\n\n".join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))


# -- maps with layout data ---------------------------------------------------------------------

_FLAG = st.sampled_from([True, False, None, "no"])  # None: key left out; "no": not a flag, ignored with a warning
_COLOR = st.sampled_from([None, "red", "#336699", "#abc", "#11223380", "notacolour", 3])


def _with(data: Any, **keys: Any) -> dict[str, Any]:
    merged = dict(data)
    merged.update({k: v for k, v in keys.items() if v is not None})
    return merged


@st.composite
def layout_maps(draw: st.DrawFn) -> ArgumentMap:
    """A map of ``argument_maps()`` whose sections and elements carry ``isGroup``/``isClosed``/``isInMap``/``color``."""
    base: ArgumentMap = draw(argument_maps())
    sections = tuple(
        attrs.evolve(s, data=_with(s.data, isGroup=draw(_FLAG), isClosed=draw(_FLAG), color=draw(_COLOR)))
        for s in base.sections
    )
    statements = {
        t: attrs.evolve(s, data=_with(s.data, isInMap=draw(_FLAG), color=draw(_COLOR)))
        for t, s in base.statements.items()
    }
    arguments = {
        t: attrs.evolve(a, data=_with(a.data, isInMap=draw(_FLAG), color=draw(_COLOR)))
        for t, a in base.arguments.items()
    }
    return attrs.evolve(base, sections=sections, statements=statements, arguments=arguments)
