"""SVG, PNG and PDF pictures of the map, rendered by the Graphviz programs.

The DOT source comes from :mod:`argmap.exporters.dot` (same options, plus
``engine``: the Graphviz layout program, ``"dot"`` by default). Rendering needs
the Graphviz executables on ``PATH``; without them a :class:`GraphvizNotFoundError`
says how to install Graphviz, and that ``-f dot`` works without it.
"""

from __future__ import annotations

from typing import Any

import attrs
import graphviz

from ..errors import ArgmapError, ExporterError
from ..model import ArgumentMap
from .dot import DotOptions, build_digraph

__all__ = ["PDF", "PNG", "SVG", "GraphvizNotFoundError", "RenderedExporter", "render"]

ENGINES = tuple(sorted(graphviz.ENGINES))


class GraphvizNotFoundError(ArgmapError):
    """The Graphviz program that renders pictures is not installed (or not on PATH)."""

    def __init__(self, engine: str = "dot") -> None:
        self.engine = engine
        super().__init__(
            f"the Graphviz program {engine!r} was not found on PATH; it is needed for SVG, PNG and PDF.\n"
            "Install Graphviz: Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; "
            "elsewhere: install Graphviz and put its bin folder on PATH.\n"
            "Without Graphviz, '-f dot' still writes the DOT source, which any Graphviz viewer can render."
        )


def render(argmap: ArgumentMap, graphviz_format: str, **options: Any) -> bytes:
    """Lay out and render ``argmap`` with Graphviz into ``graphviz_format`` (``"svg"``, ``"png"``...)."""
    engine = str(options.get("engine", "dot"))
    if engine not in ENGINES:
        raise ValueError(f"option 'engine' must be one of {', '.join(ENGINES)}, not {engine!r}")
    layout = DotOptions.from_options({k: v for k, v in options.items() if k != "engine"}, extra=("engine",))
    graph = build_digraph(argmap, layout)
    try:
        data: bytes = graph.pipe(format=graphviz_format, engine=engine, quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizNotFoundError(engine) from exc
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace").strip() if isinstance(exc.stderr, bytes) else str(exc.stderr)
        raise ExporterError(f"Graphviz {engine!r} could not render {graphviz_format}: {stderr}") from exc
    return data


@attrs.frozen
class RenderedExporter:
    """A picture format Graphviz renders; SVG is returned as text, the others as bytes."""

    name: str
    description: str
    suffix: str
    binary: bool
    graphviz_format: str

    def export(self, argmap: ArgumentMap, **options: Any) -> str | bytes:
        data = render(argmap, self.graphviz_format, **options)
        return data if self.binary else data.decode("utf-8")


SVG = RenderedExporter("svg", "SVG picture of the argument map (needs Graphviz)", ".svg", False, "svg")
PNG = RenderedExporter("png", "PNG picture of the argument map (needs Graphviz)", ".png", True, "png")
PDF = RenderedExporter("pdf", "PDF of the argument map (needs Graphviz)", ".pdf", True, "pdf")
