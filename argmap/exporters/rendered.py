"""SVG, PNG and PDF pictures of the map, rendered by the Graphviz programs.

The DOT source comes from :mod:`argmap.exporters.dot` (same options, plus
``engine``: the Graphviz layout program, ``"dot"`` by default). Rendering needs
the Graphviz executables on ``PATH``; without them a :class:`GraphvizNotFoundError`
says how to install Graphviz, and that ``-f dot`` works without it.

Graphviz runs as a child process that argmap waits on: :func:`watching` lets a
caller hear, every so often, how long it has been running (the command shows the
elapsed time on a terminal), and an interruption (Ctrl-C, or any exception while
waiting) kills the child before it is passed on, so no layout goes on in the
background. The child runs in a session of its own, so a Ctrl-C typed on the
terminal reaches argmap only: Graphviz would take it as a request to write what
it has so far and exit with success.
"""

from __future__ import annotations

import contextlib
import contextvars
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import graphviz

from ..errors import ArgmapError, ExporterError
from ..model import ArgumentMap
from .dot import DotOptions, build_digraph

__all__ = ["ENGINES", "PDF", "PNG", "SVG", "GraphvizNotFoundError", "RenderedExporter", "render", "run", "watching"]

ENGINES = tuple(sorted(graphviz.ENGINES))
#: the program that runs every layout engine (``dot -K ENGINE``), as the graphviz package runs it
DOT_PROGRAM = "dot"

#: ``(callback, interval)``: the watcher of the Graphviz runs in this context, see :func:`watching`
_WATCHER: contextvars.ContextVar[tuple[Callable[[str, float], None], float] | None] = contextvars.ContextVar(
    "argmap_graphviz_watcher", default=None
)


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


@contextlib.contextmanager
def watching(callback: Callable[[str, float], None], interval: float = 0.5) -> Iterator[None]:
    """Call ``callback(engine, seconds)`` about every ``interval`` seconds while Graphviz runs in this context.

    ``seconds`` is the time since the Graphviz program started. The callback is not called once the
    program has finished, however long it took.
    """
    token = _WATCHER.set((callback, interval))
    try:
        yield
    finally:
        _WATCHER.reset(token)


def render(argmap: ArgumentMap, graphviz_format: str, **options: Any) -> bytes:
    """Lay out and render ``argmap`` with Graphviz into ``graphviz_format`` (``"svg"``, ``"png"``...)."""
    engine = str(options.get("engine", "dot"))
    if engine not in ENGINES:
        raise ValueError(f"option 'engine' must be one of {', '.join(ENGINES)}, not {engine!r}")
    layout = DotOptions.from_options({k: v for k, v in options.items() if k != "engine"}, extra=("engine",))
    source: str = build_digraph(argmap, layout).source
    return run(source, graphviz_format, engine)


def run(source: str, graphviz_format: str, engine: str = "dot") -> bytes:
    """Run Graphviz's ``dot -K engine -T format`` on the DOT ``source`` and return what it wrote.

    Raises :class:`GraphvizNotFoundError` without Graphviz, :class:`ExporterError` when it fails.
    Whatever stops the wait (KeyboardInterrupt included) kills the Graphviz process first.
    """
    program = shutil.which(DOT_PROGRAM)
    if program is None:
        raise GraphvizNotFoundError(engine)
    data = source.encode("utf-8")
    watcher = _WATCHER.get()
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            [program, f"-K{engine}", f"-T{graphviz_format}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # out of the terminal's process group: Ctrl-C must not reach Graphviz, which would answer it by
            # writing what it has laid out so far and exiting with success; argmap kills it instead
            start_new_session=True,
        )
    except FileNotFoundError as exc:  # removed between which() and here
        raise GraphvizNotFoundError(engine) from exc
    except OSError as exc:
        raise ExporterError(f"cannot run Graphviz {engine!r}: {exc.strerror or exc}") from exc
    try:
        if watcher is None:
            out, err = process.communicate(data)
        else:
            callback, interval = watcher
            pending: bytes | None = data
            while True:
                try:
                    out, err = process.communicate(pending, timeout=interval)
                    break
                except subprocess.TimeoutExpired:
                    pending = None  # sent already: communicate() goes on from where it was
                    callback(engine, time.monotonic() - started)
    except BaseException:
        _stop(process)
        raise
    if process.returncode != 0:
        message = err.decode("utf-8", "replace").strip() or f"exit status {process.returncode}"
        raise ExporterError(f"Graphviz {engine!r} could not render {graphviz_format}: {message}")
    return out


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the Graphviz process and reap it (its pipes are closed, so nothing is left behind)."""
    with contextlib.suppress(OSError):
        process.kill()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    process.wait()


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
