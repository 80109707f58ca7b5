"""What ``render`` does for big maps: export part of a map (``--focus``, ``--depth``, ``--select``, with the
whole map's evaluation), lay it out with another Graphviz engine (``--engine``), warn before a layout that will
take long, and show on a terminal how long Graphviz has been at it.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from typing import TYPE_CHECKING, Any

from . import EXIT_USAGE, CommandError
from .options import DEFAULT_DEPTH
from .writing import _shown_name, _warn

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from ..model import ArgumentMap


#: seconds Graphviz (or a batch of files) runs before the elapsed time is shown on a terminal
PROGRESS_AFTER = 2.0
#: boxes above which a layout engine takes more than about half a minute of CPU to render SVG (measured with
#: benchmarks/engines.py, docs/performance.md "Big maps"); above them ``render`` warns and suggests a way out
SLOW_LAYOUT = {"dot": 12000, "sfdp": 22000, "neato": 2200, "fdp": 9500, "twopi": 26000, "circo": 800}

#: what :func:`_graphviz_kind` says of an exporter
_PICTURE = "picture"
_SOURCE = "source"


def _graphviz_kind(exporter: object) -> str | None:
    """``"picture"`` for what argmap lays out with Graphviz (svg, png, pdf, and the html page around its SVG),
    ``"source"`` for its DOT exporter, else None.

    Checked without importing anything: an exporter of those classes has loaded their modules already.
    """
    rendered = sys.modules.get("argmap.exporters.rendered")
    if rendered is not None and isinstance(exporter, rendered.RenderedExporter):
        return _PICTURE
    page = sys.modules.get("argmap.exporters.html")
    if page is not None and isinstance(exporter, page.HtmlExporter):
        return _PICTURE
    dot = sys.modules.get("argmap.exporters.dot")
    if dot is not None and isinstance(exporter, dot.DotExporter):
        return _SOURCE
    return None


def _engine_options(args: argparse.Namespace, name: str, graphviz_kind: str | None) -> dict[str, Any]:
    """The exporter options, with ``--engine`` checked and added for the pictures (and ``--evaluate`` added)."""
    options = dict(args.options)
    if getattr(args, "evaluate", False) and "evaluate" not in options:
        options["evaluate"] = True
    engine: str | None = args.engine
    if engine is None:
        return options
    if graphviz_kind is None:
        raise CommandError(
            f"--engine applies to the Graphviz formats (svg, png, pdf, html, dot), not to {name}", EXIT_USAGE
        )
    if "engine" in options and options["engine"] != engine:
        raise CommandError(f"two engines given: --engine {engine} and -O engine={options['engine']}", EXIT_USAGE)
    if graphviz_kind == _PICTURE:
        options["engine"] = engine
    return options


def _with_layout(source: str, engine: str) -> str:
    """The DOT source with the graph attribute ``layout=ENGINE``: Graphviz then lays it out with that engine."""
    start = source.find("{\n")
    if start < 0:
        return source
    return f"{source[: start + 2]}\tlayout={engine}\n{source[start + 2 :]}"


def _part_of(argmap: ArgumentMap, args: argparse.Namespace) -> ArgumentMap:
    """The part of the map that --focus, --depth and --select keep (the whole map without them)."""
    if args.focus is None and not args.selections:
        return argmap
    from ..selection import select

    return select(
        argmap,
        focus=args.focus,
        depth=DEFAULT_DEPTH if args.depth is None else args.depth,
        tags=[value for kind, value in args.selections if kind == "tag"],
        sections=[value for kind, value in args.selections if kind == "section"],
    )


def _warn_if_slow(argmap: ArgumentMap, engine: str, source: str) -> None:
    """Warn when ``engine`` will take long on the map's boxes, and say what is quicker."""
    limit = SLOW_LAYOUT.get(engine)
    if limit is None or len(argmap.statements) + len(argmap.arguments) <= limit:
        return  # a parsed map draws at most one box per statement and argument: no need to count
    from ..exporters.mapgraph import build_graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the export shows the map's warnings
        boxes = len(build_graph(argmap).nodes)
    if boxes <= limit:
        return
    quicker = "" if engine == "sfdp" else ", or lay it out with --engine sfdp"
    _warn(
        f"{_shown_name(source)} draws {boxes:,} boxes: Graphviz's {engine} layout takes more than half a minute "
        f"above about {limit:,}, and minutes for many more. For a quicker picture, draw part of the map with "
        f"--focus TITLE or --select{quicker}."
    )


class _StatusLine:
    """One line on a terminal, rewritten in place and erased when done (``\\r`` and the ANSI erase-line code)."""

    ERASE = "\r\x1b[K"

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.shown = False

    def show(self, text: str) -> None:
        import shutil

        width = max(shutil.get_terminal_size().columns - 1, 20)
        if len(text) > width:
            text = text[: width - 1] + "…"
        self.stream.write(self.ERASE + text)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the line (and a ``^C`` the terminal echoed after it)."""
        if self.shown:
            self.stream.write(self.ERASE)
            self.stream.flush()
            self.shown = False


@contextlib.contextmanager
def _graphviz_progress(source: str, enabled: bool) -> Iterator[None]:
    """Show how long Graphviz has been laying out ``source`` once it takes more than :data:`PROGRESS_AFTER`."""
    if not enabled:
        yield
        return
    from ..exporters.rendered import watching

    line = _StatusLine(sys.stderr)

    def show(engine: str, seconds: float) -> None:
        if seconds >= PROGRESS_AFTER:
            line.show(f"argmap: Graphviz {engine} is laying out {_shown_name(source)}: {seconds:.0f} s (Ctrl-C stops)")

    try:
        with watching(show):
            yield
    finally:
        line.clear()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _evaluation_of_whole(whole: ArgumentMap, part: ArgumentMap, value: Any) -> Any:
    """What ``evaluate`` becomes when part of a map is exported: the whole map's labels, for the part's elements.

    An element of the part stands or falls by the whole map, not by what the part happens to hold.
    """
    from ..evaluation import Evaluation, Labelling, evaluation_for_export
    from ..model import ElementKind

    try:
        evaluation = evaluation_for_export(whole, {"evaluate": value}, "the export", several=True)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    if evaluation is None:
        return value

    def kept(labelling: Labelling) -> Labelling:
        statements, arguments = part.statements, part.arguments
        return Labelling(
            labelling.semantics,
            {
                node: verdict
                for node, verdict in labelling.verdicts.items()
                if (node.title in statements if node.kind is ElementKind.STATEMENT else node.title in arguments)
            },
        )

    return Evaluation(evaluation.semantics, tuple(kept(labelling) for labelling in evaluation.labellings))
