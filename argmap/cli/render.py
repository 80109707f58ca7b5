"""``argmap render``: export maps to files or stdout, one file here and several through :mod:`.workers`.

Also what ``convert`` shares with it: rendering one file to a named output, choosing the format from ``-f`` or
the output's suffix, refusing outputs that must not be written, and SIGTERM handled like Ctrl-C while rendering.
The big-map options (``--focus``, ``--select``, ``--engine``, the slow-layout warning) are in :mod:`.bigmaps`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArgmapError, ExporterError
from . import EXIT_OK, EXIT_USAGE, STDIO, CommandError, _Terminated
from .bigmaps import (
    _PICTURE,
    _SOURCE,
    _engine_options,
    _evaluation_of_whole,
    _graphviz_kind,
    _graphviz_progress,
    _is_terminal,
    _part_of,
    _warn_if_slow,
    _with_layout,
)
from .reading import _PROCESSES, _default_registry, _load
from .writing import _warn, _write_stdout, _write_whole

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from ..model import ArgumentMap
    from ..parallel import Ahead
    from ..plugins import ExporterRegistry

#: the format of a render with neither -f nor an output suffix
DEFAULT_FORMAT = "svg"


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """``argmap render``: one file here, several in worker processes."""
    if args.depth is not None and args.focus is None:
        raise CommandError("--depth needs --focus: the element whose neighbourhood is exported", EXIT_USAGE)
    with _terminated_like_interrupted():
        if len(args.files) > 1:
            from .workers import _render_many  # here, not above: .workers imports this module

            return _render_many(args, registry)
        return _render_file(args.files[0], args.output, args, registry or _default_registry(), show_progress=True)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated


@contextlib.contextmanager
def _terminated_like_interrupted() -> Iterator[None]:
    """While rendering, SIGTERM (``kill``, ``timeout``) stops the command as Ctrl-C does; exit status 143.

    Only in the main thread, where Python can handle signals, and only when SIGTERM has its default action.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _render_file(
    source: str, output_name: str | None, args: argparse.Namespace, registry: ExporterRegistry, *, show_progress: bool
) -> int:
    """Render one file to ``output_name`` (None: next to the source; ``-``: stdout)."""
    to_stdout = output_name == STDIO
    output = None if to_stdout or output_name is None else Path(output_name)
    if output is not None and source != STDIO and _same_file(output, Path(source)):
        raise CommandError(f"refusing to write to {output}: it is the input file (the source is never overwritten)")

    name = _choose_format(args.format, output, registry)
    exporter = registry.get(name)
    graphviz_kind = _graphviz_kind(exporter)
    options = _engine_options(args, name, graphviz_kind)
    if output is None and not to_stdout:
        if source == STDIO:
            raise CommandError("reading stdin needs -o (a file, or '-' for stdout)", EXIT_USAGE)
        output = _output_next_to(Path(source), exporter.suffix, name)

    from ..parallel import working_ahead

    with working_ahead(_work_ahead(registry, name, output, options, graphviz_kind)):
        return _read_and_export(source, output, args, registry, name, options, graphviz_kind, show_progress)


def _work_ahead(
    registry: ExporterRegistry, name: str, output: Path | None, options: dict[str, Any], graphviz_kind: str | None
) -> Ahead | None:
    """What the export can do on each element while a long map is read (see :class:`argmap.parallel.Ahead`)."""
    if output is not None and not options and _is_builtin_json(registry, name):
        from ..exporters.json import statements_ahead

        return statements_ahead()
    if graphviz_kind is not None:  # the DOT source of a diagram or picture
        from ..exporters.dot import labels_ahead

        return labels_ahead({k: v for k, v in options.items() if k != "engine"})
    return None


def _read_and_export(
    source: str,
    output: Path | None,
    args: argparse.Namespace,
    registry: ExporterRegistry,
    name: str,
    options: dict[str, Any],
    graphviz_kind: str | None,
    show_progress: bool,
) -> int:
    argmap = _load(source, args)[0]  # first, so that a missing input is reported as such
    if output is not None:
        output = _check_output(output, source)
    whole, argmap = argmap, _part_of(argmap, args)
    if "evaluate" in options and argmap is not whole:
        options["evaluate"] = _evaluation_of_whole(whole, argmap, options["evaluate"])
    if output is not None and not options and _is_builtin_json(registry, name):
        # argmap's JSON is written piece by piece as it is made: the text of a large map (hundreds of
        # megabytes for 100,000 statements) is never whole in memory. The temporary file keeps the write
        # atomic: a value JSON cannot hold stops the export and leaves no file behind.
        _write_whole(output, _json_pieces(argmap, name))
        return EXIT_OK
    from ..parallel import second_process_allowed

    if graphviz_kind == _PICTURE:
        _warn_if_slow(argmap, str(options.get("engine", "dot")), source)
        with _graphviz_progress(source, show_progress and _is_terminal(sys.stderr)), second_process_allowed():
            result = registry.export(argmap, name, **options)
    else:
        with second_process_allowed():  # a built-in exporter may write part of a large map in a second process
            result = registry.export(argmap, name, **options)
        if graphviz_kind == _SOURCE and args.engine is not None and isinstance(result, str):
            result = _with_layout(result, args.engine)
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    if output is None:
        _write_stdout(data)
    else:
        _write_whole(output, data)
    return EXIT_OK


def _json_pieces(argmap: ArgumentMap, name: str) -> Iterator[bytes | bytearray]:
    """argmap's JSON of the map as UTF-8 pieces; a failure is reported as ``registry.export`` reports it."""
    from ..exporters.json import iter_encoded

    try:
        yield from iter_encoded(argmap, processes=_PROCESSES)
    except ArgmapError:
        raise
    except Exception as exc:  # e.g. data nested too deeply: an error message, not a traceback
        text = str(exc)
        raise ExporterError(f"exporter {name!r} failed: {type(exc).__name__}{': ' + text if text else ''}") from exc


def _is_builtin_json(registry: ExporterRegistry, name: str) -> bool:
    """True when ``name`` is argmap's own JSON exporter (not a plugin's or one registered in code)."""
    from ..exporters.json import JsonExporter

    return type(registry.get(name)) is JsonExporter


def _choose_format(requested: str | None, output: Path | None, registry: ExporterRegistry) -> str:
    """-f wins; else the output's suffix names the format; else svg."""
    suffix = output.suffix if output is not None else ""
    if requested is not None:
        if suffix and requested in registry and not _suffix_matches(registry, requested, suffix):
            implied = registry.for_suffix(suffix)
            if implied is not None and implied != requested:
                _warn(f"writing {requested} to {output} although its suffix means {implied} (-f wins)")
        return requested
    if not suffix:
        return DEFAULT_FORMAT
    implied = registry.for_suffix(suffix)
    if implied is None:
        raise CommandError(
            f"no format uses the suffix {suffix!r} of {output}; name one with -f "
            f"(available formats: {', '.join(registry.names())})",
            EXIT_USAGE,
        )
    return implied


def _suffix_matches(registry: ExporterRegistry, name: str, suffix: str) -> bool:
    """True when ``suffix`` is the requested exporter's own (checked without loading the others)."""
    try:
        own = registry.get(name).suffix
    except ArgmapError:
        return True  # the export will report the broken plugin itself
    return own.lower() == suffix.lower()


def _output_next_to(source: Path, suffix: str, name: str) -> Path:
    """``example.arg`` -> ``example.svg``: the default output of a render."""
    if not suffix.strip("."):
        raise CommandError(f"format {name} has no file suffix; name the output with -o")
    if not suffix.startswith("."):
        suffix = "." + suffix
    return source.with_name(source.stem + suffix) if source.suffix else source.with_name(source.name + suffix)


def _check_output(output: Path, source: str) -> Path:
    """Refuse outputs that cannot or must not be written, before exporting.

    Returns the path to write: a symbolic link is followed, so its target is replaced.
    """
    target = Path(os.path.realpath(output))
    if source != STDIO and _same_file(target, Path(source)):
        raise CommandError(f"refusing to write to {output}: it is the input file (the source is never overwritten)")
    if target.is_dir():
        raise CommandError(f"cannot write {output}: it is a folder")
    folder = target.parent
    if not folder.is_dir():
        shown = output.parent if str(output.parent) != "." else folder
        raise CommandError(f"cannot write {output}: the folder {shown} does not exist")
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
