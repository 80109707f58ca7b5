"""SVG, PNG and PDF rendered by the real Graphviz, and the error when Graphviz is missing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from graphviz_maps import congestion_debate

import argmap
from argmap.errors import ArgmapError
from argmap.exporters.rendered import PDF, PNG, SVG, GraphvizNotFoundError
from argmap.plugins import Exporter


@pytest.mark.parametrize(
    ("exporter", "name", "suffix", "binary"),
    [
        (SVG, "svg", ".svg", False),
        (PNG, "png", ".png", True),
        (PDF, "pdf", ".pdf", True),
    ],
)
def test_are_exporters(exporter: Exporter, name: str, suffix: str, binary: bool) -> None:
    assert isinstance(exporter, Exporter)
    assert (exporter.name, exporter.suffix, exporter.binary) == (name, suffix, binary)


def test_svg_is_text_that_parses_as_svg(require_dot: str) -> None:
    svg = SVG.export(congestion_debate())
    assert isinstance(svg, str) and "<svg" in svg
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Congestion charge", "Clean air argument", "Should the city charge cars?"} <= texts


def test_png_is_a_png(require_dot: str) -> None:
    png = PNG.export(congestion_debate())
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 800 and height > 300


def test_pdf_is_a_pdf(require_dot: str) -> None:
    pdf = PDF.export(congestion_debate())
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_registry_renders_with_options(require_dot: str) -> None:
    svg = argmap.export(congestion_debate(), "svg", legend=True, rankdir="TB", engine="dot")
    assert isinstance(svg, str) and ">contradicts<" in svg


def test_other_layout_engine(require_dot: str) -> None:
    assert "<svg" in SVG.export(congestion_debate(), engine="neato")


def test_unknown_engine_and_option_are_refused() -> None:
    with pytest.raises(ValueError, match="engine"):
        SVG.export(congestion_debate(), engine="rm -rf")
    with pytest.raises(TypeError, match="colour"):
        SVG.export(congestion_debate(), colour="red")


@pytest.mark.parametrize("exporter", [SVG, PNG, PDF])
def test_missing_graphviz_says_how_to_install_it(
    exporter: Exporter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot anywhere
    with pytest.raises(GraphvizNotFoundError) as caught:
        exporter.export(congestion_debate())
    message = str(caught.value)
    assert isinstance(caught.value, ArgmapError)
    assert "apt-get install graphviz" in message
    assert "brew install graphviz" in message
    assert "-f dot" in message


def test_missing_graphviz_passes_through_the_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFoundError):
        argmap.export(congestion_debate(), "png")
    assert argmap.export(congestion_debate(), "dot").startswith("digraph argmap {")
