"""The README's diagram of the article is current: it was rendered from today's DOT.

The committed SVG carries the SHA-256 of the DOT it was rendered from; the DOT
itself is the golden file tests/golden/north-korea.dot. Change the example or the
exporter and this test fails until ``make golden`` renders the diagram again.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import argmap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korea.arg"
DIAGRAM = ROOT / "docs" / "images" / "north-korea.svg"
GOLDEN_DOT = Path(__file__).resolve().parent / "golden" / "north-korea.dot"
MARK = re.compile(r"<!-- argmap: rendered from DOT sha256 ([0-9a-f]{64}) -->")


def current_dot() -> str:
    dot = argmap.export(argmap.parse_file(EXAMPLE), "dot")
    assert isinstance(dot, str)
    return dot


def render_diagram(dot: str) -> str:
    """The SVG of ``dot`` with the DOT's hash recorded right after the XML declaration."""
    import graphviz

    svg = graphviz.Source(dot).pipe(format="svg", encoding="utf-8")
    mark = f"<!-- argmap: rendered from DOT sha256 {hashlib.sha256(dot.encode()).hexdigest()} -->"
    head, _, rest = svg.partition("?>")
    return f"{head}?>\n{mark}{rest}" if rest else f"{mark}\n{svg}"


def test_readme_shows_the_committed_diagram() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/images/north-korea.svg" in readme


def test_diagram_was_rendered_from_the_current_dot(update_golden: bool, require_dot: str) -> None:
    dot = current_dot()
    if update_golden:
        DIAGRAM.parent.mkdir(parents=True, exist_ok=True)
        DIAGRAM.write_text(render_diagram(dot), encoding="utf-8")
    svg = DIAGRAM.read_text(encoding="utf-8")
    found = MARK.search(svg)
    assert found, f"{DIAGRAM} has no record of its DOT: run `make golden`"
    assert found.group(1) == hashlib.sha256(dot.encode()).hexdigest(), (
        "the README diagram is stale: the example or the exporter changed; run `make golden` and review"
    )
    assert GOLDEN_DOT.read_text(encoding="utf-8") == dot
    # it is a real rendering of the map: every statement title of the article appears in it
    m = argmap.parse_file(EXAMPLE)
    shown = html.unescape(svg)
    for title in ("Long process", "Cannot abandon nukes", "Six-party talks"):
        assert title in m.statements
        assert f">{title}<" in shown
