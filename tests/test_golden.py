"""Golden files: every built-in exporter on every example, reviewed in git.

``make golden`` (pytest --update-golden) rewrites them; the diff is then read
like any other change. Text formats are compared byte for byte. Rendered
formats depend on the installed Graphviz, so the SVG golden is what a reader
sees in it (the text of every node and how many shapes and edges there are),
and PNG/PDF are checked to be real files rendered from the same graph.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import argmap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.arg"))
GOLDEN = Path(__file__).resolve().parent / "golden"
TEXT_FORMATS = {"json": ".json", "markdown": ".md", "dot": ".dot"}
SVG_NS = "{http://www.w3.org/2000/svg}"


def compare(path: Path, actual: str, update: bool) -> None:
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} is missing: run `make golden` and review the new file"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the exporter's output: review, then `make golden`"


def svg_summary(svg: str) -> str:
    """What the SVG shows, independent of Graphviz's coordinates: node texts and counts."""
    root = ET.fromstring(svg)
    lines = []
    for group in root.iter(f"{SVG_NS}g"):
        kind = group.get("class")
        if kind not in {"node", "edge", "cluster"}:
            continue
        texts = [" ".join((t.text or "").split()) for t in group.iter(f"{SVG_NS}text")]
        lines.append(f"{kind}: {' | '.join(t for t in texts if t)}")
    counts = {k: sum(1 for line in lines if line.startswith(k + ":")) for k in ("cluster", "node", "edge")}
    header = [f"{k}s: {v}" for k, v in counts.items()]
    return "\n".join([*header, *sorted(lines)]) + "\n"


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 4
    assert (ROOT / "examples" / "north-korea.arg") in EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", sorted(TEXT_FORMATS))
def test_text_formats(example: Path, fmt: str, update_golden: bool) -> None:
    # a relative source name, so the golden files do not depend on where the checkout is
    m = argmap.parse(example.read_text(encoding="utf-8"), f"examples/{example.name}")
    output = argmap.export(m, fmt)
    assert isinstance(output, str)
    compare(GOLDEN / f"{example.stem}{TEXT_FORMATS[fmt]}", output, update_golden)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_svg_shows_the_map(example: Path, update_golden: bool, require_dot: str) -> None:
    m = argmap.parse_file(example)
    svg = argmap.export(m, "svg")
    assert isinstance(svg, str)
    summary = svg_summary(svg)
    compare(GOLDEN / f"{example.stem}.svg.txt", summary, update_golden)
    # the SVG has exactly the nodes and edges of the DOT it was rendered from
    dot = argmap.export(m, "dot")
    assert isinstance(dot, str)
    dot_nodes = len(re.findall(r"^\t+[sa]\d+ \[", dot, re.M))
    assert f"nodes: {dot_nodes}\n" in summary


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_png_and_pdf_are_real_renders(example: Path, require_dot: str) -> None:
    m = argmap.parse_file(example)
    png = argmap.export(m, "png")
    pdf = argmap.export(m, "pdf")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 100 and height > 100
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
