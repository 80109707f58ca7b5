"""The ``argmap`` command: render a map, convert between formats, check files, evaluate a map, format files, list
the formats.

:func:`main` returns the exit status instead of exiting, so tests and other
programs can run the command in-process. Each command imports only what it
needs (lark, yaml and graphviz are not loaded by ``--help`` or by a JSON
export), which keeps the command quick to start.

Exit statuses: 0 success, 1 an error in the input, the output or an exporter
(for several files: in any of them), 2 a usage mistake (including an unknown
format), 130 interrupted, 141 the reader of stdout went away, 143 a render
stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import ArgmapError, ArgmapSyntaxError, ExporterError, SourceFileError, UnknownFormatError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from .model import ArgumentMap
    from .plugins import ExporterRegistry, ImporterRegistry
    from .quotes import QuoteReport

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
#: 128 + SIGINT, what a shell reports for a program stopped with Ctrl-C
EXIT_INTERRUPTED = 130
#: 128 + SIGTERM, what a shell reports for a program stopped by ``kill`` or ``timeout``
EXIT_TERMINATED = 143
#: 128 + SIGPIPE, what a shell reports for a program whose pipe reader went away
EXIT_BROKEN_PIPE = 141

STDIO = "-"
DEFAULT_FORMAT = "svg"


class CommandError(Exception):
    """An error already worded for the user, with the exit status it deserves."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


# -- entry points ---------------------------------------------------------


def run() -> None:
    """The console script: run :func:`main` on ``sys.argv`` and exit with its status.

    A command is a short-lived process whose objects (tokens, trees, the model) hold no cycles: the cycle
    collector only costs time here, so it is off.
    """
    import gc

    gc.disable()
    sys.exit(main())


def main(
    argv: Sequence[str] | None = None,
    *,
    registry: ExporterRegistry | None = None,
    importers: ImporterRegistry | None = None,
) -> int:
    """Run the ``argmap`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    ``registry`` replaces the installed exporters and ``importers`` the installed importers, for programs that
    embed the command.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage mistakes
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    args.importer_registry = importers
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            status: int = args.handler(args, registry)
            return status
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        except _Terminated:
            return EXIT_TERMINATED
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except (ArgmapError, CommandError, UnicodeDecodeError, OSError) as exc:
            return _report(exc)


def _report(exc: ArgmapError | CommandError | UnicodeDecodeError | OSError, source: str | None = None) -> int:
    """Print the error on stderr as the command words it; return the exit status it deserves.

    ``source``, when several files are rendered, names the input in messages that do not already.
    """
    where = f"{_shown_name(source)}: " if source is not None else ""
    if isinstance(exc, ArgmapSyntaxError):
        _error_report(exc.report())
    elif isinstance(exc, SourceFileError):
        _error_report(str(exc))
    elif isinstance(exc, UnknownFormatError):
        _error(f"{where}{exc}")
        return EXIT_USAGE
    elif isinstance(exc, CommandError):
        _error(f"{where}{exc}")
        return exc.status
    elif isinstance(exc, ArgmapError):
        _error(f"{where}{exc}")
    elif isinstance(exc, UnicodeDecodeError):  # a last line of defence; reading reports its own
        _error(f"{where}cannot decode text as {exc.encoding}: {exc.reason}")
    else:
        _error(f"{where}{_describe_os_error(exc)}")
    return EXIT_ERROR


def _from_option(command: argparse.ArgumentParser, what: str = "FILE") -> None:
    command.add_argument(
        "--from",
        dest="source_format",
        metavar="FORMAT",
        help=f"the importer that reads {what} (see 'argmap formats'); without it the format follows from the "
        "suffix and, where a suffix is shared (.json) or unknown, from the content; .arg is the notation",
    )


def _notes_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="do not print the notes on what an importer left out (FILE: note: ...)",
    )


def _exporter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-O",
        "--option",
        dest="options",
        metavar="KEY=VALUE",
        action="append",
        type=_option,
        default=[],
        help="an exporter option; VALUE is read as JSON when it parses, else as a string (repeatable)",
    )


def _include_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--allow-include-outside",
        action="store_true",
        help=(
            "let @include, and the source text a front matter names, read files outside the input file's "
            "folder tree (refused by default)"
        ),
    )


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (``COLUMNS``, then stdout's terminal, else 80),
    without importing shutil: argparse asks for it once per option while the parser is built."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized by :func:`_columns` (the same width, measured without shutil)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else _columns() - 2)


class _ArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (building it imports nothing heavy)."""
    parser = _ArgumentParser(
        prog="argmap",
        description=(
            "Argument maps from Argdown notation (and AIF, Kialo and Argdown JSON): render them, convert them, "
            "check them, format them, list the formats."
        ),
        epilog="Run 'argmap COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"argmap {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True, parser_class=_ArgumentParser)

    render = commands.add_parser(
        "render",
        help="export maps to files (svg by default) or to stdout",
        description=(
            "Read FILE and export the map. Without -o the output goes next to FILE with the format's suffix "
            "(example.arg -> example.svg). The format is -f, else the suffix of -o, else svg. "
            "Several files are rendered in parallel (-j), each next to itself or into the folder -o names; "
            "a file that fails is reported and the others go on (exit status 1 if any failed). "
            "For maps too big to lay out, draw part of them (--focus, --select) or choose a faster "
            "Graphviz layout (--engine sfdp); see docs/performance.md."
        ),
    )
    render.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="the maps to read: Argdown files, or any format an importer reads ('-' reads stdin, as the only file)",
    )
    render.add_argument("-f", "--format", metavar="FORMAT", help="the exporter to use (see 'argmap formats')")
    _from_option(render)
    _notes_option(render)
    render.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="where to write ('-' writes to stdout); with several files, an existing folder",
    )
    _exporter_option(render)
    _include_option(render)
    part = render.add_argument_group("big maps")
    part.add_argument(
        "--focus",
        metavar="TITLE",
        help="export only this statement or argument and what is within --depth steps of it "
        "(write [TITLE] or <TITLE> when a statement and an argument share the title)",
    )
    part.add_argument(
        "--depth",
        metavar="K",
        type=_depth,
        help=f"relation steps around --focus (default {DEFAULT_DEPTH}; 0: the element alone)",
    )
    part.add_argument(
        "--select",
        metavar="EXPR",
        dest="selections",
        action="append",
        type=_selection,
        default=[],
        help="export only the elements with a tag ('#TAG' or 'tag:TAG') or in a section and its subsections "
        "('section:TITLE'); repeatable: any of the tags, in any of the sections",
    )
    part.add_argument(
        "--engine",
        metavar="NAME",
        type=_engine,
        help="the Graphviz layout for svg, png, pdf, html and dot: dot (layered, the default), sfdp (fast on big "
        "maps), neato, fdp, twopi, circo...",
    )
    render.add_argument(
        "--evaluate",
        action="store_true",
        help="show which claims and arguments stand (grounded semantics; -O evaluate=preferred picks another) "
        "in formats that can: json, markdown, dot, svg, png, pdf (docs/evaluation.md)",
    )
    part.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_jobs,
        help="how many files to render at once (default: the number of cores)",
    )
    render.set_defaults(handler=_render)

    check = commands.add_parser(
        "check",
        help="read files and report problems: syntax, lint rules, quotes against their source",
        description=(
            "Read each FILE and run the lint rules on it ('--list-rules' describes them). Findings go to stderr as "
            "FILE:LINE:COLUMN: severity: message [CODE] with a hint, and a summary line per file to stdout. "
            "With a source text (--source, or the front matter's argmap: {source: PATH}) every quote must occur "
            "in it. Exit status 1 when any file has an error (with --strict, also a warning)."
        ),
    )
    check.add_argument("files", metavar="FILE", nargs="*", help="Argdown files to check ('-' reads stdin)")
    check.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print problems only, not a line per file (nor an importer's notes on what it left out)",
    )
    _from_option(check, "each FILE")
    check.add_argument("--strict", action="store_true", help="count warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): compiler-style lines; json: one JSON list of every finding on stdout",
    )
    check.add_argument(
        "--disable",
        metavar="RULE",
        action="append",
        default=[],
        help="switch a rule off by code or name, e.g. AM102 or argument-sketch (repeatable, or comma-separated)",
    )
    check.add_argument("--list-rules", action="store_true", help="describe every rule and exit")
    check.add_argument(
        "--source",
        metavar="TEXT",
        help="a text file the map quotes: every quote must occur in it (default: the one the front matter names)",
    )
    check.add_argument(
        "--coverage", action="store_true", help="also report how much of the source text the quotes cover"
    )
    _include_option(check)
    check.set_defaults(handler=_check, usage=check.format_usage())

    fmt = commands.add_parser(
        "fmt",
        help="tidy notation files, keeping their layout",
        description=(
            "Tidy each FILE: spacing, indentation, relation symbols, escapes and YAML quoting are normalised; "
            "blocks, relation trees and definitions stay where they were written; what the map says never changes. "
            "'-' reads stdin and writes the result to stdout. A file with an error is left untouched."
        ),
    )
    fmt.add_argument("files", metavar="FILE", nargs="+", help="Argdown files to rewrite ('-' reads stdin)")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; print a diff and exit 1 when a file would change"
    )
    fmt.set_defaults(handler=_fmt)

    evaluate = commands.add_parser(
        "evaluate",
        help="say which claims and arguments of a map stand, and why",
        description=(
            "Read FILE and label each statement, argument and undercut inference in (it stands), out (it falls) "
            "or undecided, each with its reason (docs/evaluation.md). Preferred and stable semantics need "
            "pip install 'argmap[semantics]'."
        ),
    )
    evaluate.add_argument("file", metavar="FILE", help="the Argdown file to read ('-' reads stdin)")
    _from_option(evaluate)
    _notes_option(evaluate)
    evaluate.add_argument(
        "--semantics",
        choices=EVALUATION_SEMANTICS,
        default=EVALUATION_SEMANTICS[0],
        help="grounded (the default: one labelling), preferred (one or more) or stable (any number)",
    )
    evaluate.add_argument(
        "--format", choices=("text", "json"), default="text", help="a line per element (text) or JSON"
    )
    _include_option(evaluate)
    evaluate.set_defaults(handler=_evaluate)

    convert = commands.add_parser(
        "convert",
        help="read a map in one format and write it in another",
        description=(
            "Read IN and write it to OUT. The formats follow from the suffixes (IN: as for render; OUT: the "
            "exporter whose suffix it is), or are named with --from and --to. OUT is written whole or not at all; "
            "'-' reads stdin (IN) or writes to stdout (OUT, which needs --to). What the importer leaves out is "
            "noted on stderr as IN: note: ..."
        ),
    )
    convert.add_argument("input", metavar="IN", help="the map to read ('-' reads stdin)")
    convert.add_argument("output", metavar="OUT", help="where to write ('-' writes to stdout)")
    _from_option(convert, "IN")
    convert.add_argument("--to", dest="format", metavar="FORMAT", help="the exporter that writes OUT")
    _exporter_option(convert)
    _notes_option(convert)
    _include_option(convert)
    convert.set_defaults(
        handler=_convert, focus=None, depth=None, selections=[], engine=None, evaluate=False, jobs=None
    )

    formats = commands.add_parser(
        "formats",
        help="list the installed importers and exporters, plugins included",
        description=(
            "List every installed exporter and importer; a plugin that fails to load is shown as broken with its error."
        ),
    )
    only = formats.add_mutually_exclusive_group()
    only.add_argument("--exporters", action="store_true", help="list the exporters only (one table, no heading)")
    only.add_argument("--importers", action="store_true", help="list the importers only (one table, no heading)")
    formats.set_defaults(handler=_formats)
    return parser


# -- render ---------------------------------------------------------------


def _render(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    if args.depth is not None and args.focus is None:
        raise CommandError("--depth needs --focus: the element whose neighbourhood is exported", EXIT_USAGE)
    with _terminated_like_interrupted():
        if len(args.files) > 1:
            return _render_many(args, registry)
        return _render_file(args.files[0], args.output, args, registry or _default_registry(), show_progress=True)


class _Terminated(KeyboardInterrupt):
    """SIGTERM arrived: everything an interruption cleans up (Graphviz, workers, unfinished outputs) is cleaned up."""


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
    from .parallel import second_process_allowed

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


# -- big maps: part of a map, the Graphviz engine, the slow-layout warning, progress ----------


#: relation steps around --focus when --depth is not given
DEFAULT_DEPTH = 2
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
    from .selection import select

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
    from .exporters.mapgraph import build_graph

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
    from .exporters.rendered import watching

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
    from .evaluation import Evaluation, Labelling, evaluation_for_export
    from .model import ElementKind

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


# -- several files ----------------------------------------------------------------------------


def _render_many(args: argparse.Namespace, own_registry: ExporterRegistry | None) -> int:
    """Render each file, in parallel worker processes; report each failure and go on; 1 if any failed."""
    files: list[str] = args.files
    if STDIO in files:
        raise CommandError("'-' (stdin) can only be read alone, not with other files", EXIT_USAGE)
    folder = None
    if args.output is not None:
        if args.output == STDIO or not os.path.isdir(args.output):
            raise CommandError(f"with several files, -o must name an existing folder, not {args.output}", EXIT_USAGE)
        folder = Path(args.output)
    registry = own_registry or _default_registry()
    name = _choose_format(args.format, None, registry)
    exporter = registry.get(name)
    _engine_options(args, name, _graphviz_kind(exporter))  # usage mistakes before any work
    jobs: list[tuple[str, str]] = []
    written_by: dict[str, str] = {}
    for source in files:
        output = _output_next_to(Path(source) if folder is None else folder / Path(source).name, exporter.suffix, name)
        key = os.path.normcase(os.path.abspath(output))
        if key in written_by:
            raise CommandError(f"{written_by[key]} and {source} would both be written to {output}", EXIT_USAGE)
        written_by[key] = source
        jobs.append((source, str(output)))
    workers = min(args.jobs or os.cpu_count() or 1, len(jobs))
    if workers == 1 or own_registry is not None or args.importer_registry is not None:  # made in code: stays here
        statuses = [_render_one_of_many(source, output, args, registry, show_progress=True) for source, output in jobs]
    else:
        statuses = _render_in_parallel(jobs, args, workers)
    failed = sum(status != EXIT_OK for status in statuses)
    if failed:
        _error(f"{failed} of {len(jobs)} files failed")
        return EXIT_ERROR
    return EXIT_OK


def _render_one_of_many(
    source: str, output: str, args: argparse.Namespace, registry: ExporterRegistry, *, show_progress: bool
) -> int:
    """:func:`_render_file`, its failure reported on stderr (naming the file) instead of raised."""
    try:
        return _render_file(source, output, args, registry, show_progress=show_progress)
    except (ArgmapError, CommandError, UnicodeDecodeError, OSError) as exc:
        return _report(exc, source)


def _render_in_parallel(jobs: list[tuple[str, str]], args: argparse.Namespace, workers: int) -> list[int]:
    """Run the jobs in ``workers`` processes, each fed one file at a time through its own pipe.

    The workers' messages come back through the same pipes and are shown here whole, one at a time.
    An interruption (Ctrl-C) stops the workers with SIGTERM: each kills its Graphviz process and
    removes its unfinished output before it exits.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    line = _StatusLine(sys.stderr) if _is_terminal(sys.stderr) else None
    pending = list(reversed(jobs))
    statuses: list[int] = []
    processes: list[Any] = []
    busy: dict[Any, str] = {}  # the pipe of each busy worker -> the file it renders
    started = time.monotonic()
    try:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(theirs, args), daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            _give_job(ours, pending, busy)
        while True:
            for pipe in [pipe for pipe in busy if pipe.closed]:  # a job that could not be sent
                _relay(_stopped(busy.pop(pipe)), line)
                statuses.append(EXIT_ERROR)
            if not busy:
                break
            ready: list[Any] = wait(list(busy), timeout=0.2)
            for pipe in ready:
                try:
                    kind, value = pipe.recv()
                except (EOFError, OSError):  # the worker died (killed from outside, out of memory...)
                    _relay(_stopped(busy.pop(pipe)), line)
                    statuses.append(EXIT_ERROR)
                    continue
                if kind == "message":
                    _relay(value, line)
                    continue
                statuses.append(value)
                del busy[pipe]
                _give_job(pipe, pending, busy)
            elapsed = time.monotonic() - started
            if line is not None and elapsed >= PROGRESS_AFTER:
                failed = sum(status != EXIT_OK for status in statuses)
                line.show(
                    f"argmap: {len(statuses)} of {len(jobs)} files done"
                    f"{f' ({failed} failed)' if failed else ''}, {workers} at a time: {elapsed:.0f} s (Ctrl-C stops)"
                )
        while pending:  # every worker is gone: what is left cannot be rendered
            _relay(_stopped(pending.pop()[0]), line)
            statuses.append(EXIT_ERROR)
    except BaseException:
        for process in processes:
            if process.is_alive():
                process.terminate()
        raise
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():  # a worker that did not stop: it must not outlive the command
                process.kill()
                process.join()
        if line is not None:
            line.clear()
    return statuses


def _give_job(pipe: Any, pending: list[tuple[str, str]], busy: dict[Any, str]) -> None:
    """Send the next job to the worker at ``pipe`` (or None, its signal to exit, when none is left).

    A worker that cannot be reached keeps its job, marked by its closed pipe, so the job is reported as failed.
    """
    job = pending.pop() if pending else None
    try:
        pipe.send(job)
    except OSError:
        pipe.close()
    if job is not None:
        busy[pipe] = job[0]


def _stopped(source: str) -> str:
    return f"argmap: error: {_shown_name(source)}: the process rendering it stopped unexpectedly\n"


def _relay(message: str, line: _StatusLine | None) -> None:
    """Write a worker's message to stderr (above the status line)."""
    if line is not None:
        line.clear()
    sys.stderr.write(message)
    sys.stderr.flush()


class _MessageWriter(io.TextIOBase):
    """A worker's stderr: each ``print`` goes whole to the parent, which shows it."""

    def __init__(self, pipe: Any) -> None:
        super().__init__()
        self.pipe = pipe
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        if self.pending.endswith("\n"):  # print() writes the text, then the line end
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            text, self.pending = self.pending, ""
            with contextlib.suppress(OSError):  # the parent went away: nobody to tell
                self.pipe.send(("message", text))


def _worker(pipe: Any, args: argparse.Namespace) -> None:
    """A worker process: render the files the parent sends until it sends None.

    Ctrl-C is the parent's to handle (the worker ignores SIGINT); SIGTERM, the parent stopping it,
    raises KeyboardInterrupt wherever the worker is (an exporter error handler would take SystemExit
    for a failure), so a Graphviz process is killed and an unfinished output removed on the way out.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt_worker)
    sys.stderr = _MessageWriter(pipe)
    try:
        registry = _default_registry()
        while True:
            try:
                job = pipe.recv()
            except EOFError:
                return
            if job is None:
                return
            source, output = job
            pipe.send(("done", _worker_job(source, output, args, registry)))
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None


def _interrupt_worker(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _worker_job(source: str, output: str, args: argparse.Namespace, registry: ExporterRegistry) -> int:
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return _render_one_of_many(source, output, args, registry, show_progress=False)
        except Exception as exc:  # a bug: reported against the file, and the other files go on
            _error(f"{_shown_name(source)}: unexpected {type(exc).__name__}: {exc}")
            return EXIT_ERROR
        finally:
            sys.stderr.flush()


def _json_pieces(argmap: ArgumentMap, name: str) -> Iterator[bytes | bytearray]:
    """argmap's JSON of the map as UTF-8 pieces; a failure is reported as ``registry.export`` reports it."""
    from .exporters.json import iter_encoded

    try:
        yield from iter_encoded(argmap, processes=_PROCESSES)
    except ArgmapError:
        raise
    except Exception as exc:  # e.g. data nested too deeply: an error message, not a traceback
        text = str(exc)
        raise ExporterError(f"exporter {name!r} failed: {type(exc).__name__}{': ' + text if text else ''}") from exc


def _is_builtin_json(registry: ExporterRegistry, name: str) -> bool:
    """True when ``name`` is argmap's own JSON exporter (not a plugin's or one registered in code)."""
    from .exporters.json import JsonExporter

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


def _write_whole(path: Path, data: bytes | Iterable[bytes | bytearray]) -> None:
    """Write ``data`` (or its pieces, in order) to ``path`` whole or not at all: a temporary file, then a rename.

    The temporary file is in the same folder; if anything fails before the rename, including making
    the pieces, it is removed and ``path`` is as it was. An output that is not a file (``/dev/null``, a named
    pipe) is written into, never replaced: renaming over ``/dev/null`` as root would replace the device.
    Nothing is forced to the disk (no fsync), as Graphviz and Argdown do not: an output can be made again, and
    syncing a large one took longer than writing it.
    """
    import stat
    import tempfile

    try:
        kind = path.stat().st_mode
    except OSError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        with open(path, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the output the user asked for, not the temporary file
        raise OSError(exc.errno, f"cannot write in {path.parent}: {exc.strerror}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The permissions an overwritten file keeps, or what a plain new file would get (mkstemp's are 0600)."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_stdout(data: bytes) -> None:
    """Write bytes to stdout as they are (UTF-8 for text formats, whatever the locale)."""
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    stdout.flush()
    if buffer is None:  # stdout replaced by a text-only stream
        stdout.write(data.decode("utf-8", errors="replace"))
        stdout.flush()
        return
    buffer.write(data)
    buffer.flush()


def _option(text: str) -> tuple[str, Any]:
    """Read ``-O KEY=VALUE``: VALUE as JSON when it parses (numbers, true, lists...), else as a string."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE with KEY a name, got {text!r}")
    import json

    def no_constants(name: str) -> Any:
        raise ValueError(name)  # NaN and Infinity stay strings

    try:
        value: Any = json.loads(raw, parse_constant=no_constants)
    except ValueError:
        value = raw
    return key, value


def _depth(text: str) -> int:
    """Read ``--depth K``: a whole number of steps, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of steps (0 or more), got {text!r}")
    return value


def _jobs(text: str) -> int:
    """Read ``-j N``: 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of files at once (1 or more), got {text!r}")
    return value


def _selection(text: str) -> tuple[str, str]:
    """Read ``--select EXPR``: ``#TAG`` or ``#(TAG)``, ``tag:TAG``, ``section:TITLE``."""
    kind, value = "", ""
    if text.startswith("#(") and text.endswith(")"):
        kind, value = "tag", text[2:-1]
    elif text.startswith("#"):
        kind, value = "tag", text[1:]
    else:
        prefix, sep, rest = text.partition(":")
        if sep and prefix.strip().lower() in ("tag", "section"):
            kind, value = prefix.strip().lower(), rest
    value = value.strip()
    if kind == "tag":
        value = value.removeprefix("#")
    if not kind or not value:
        raise argparse.ArgumentTypeError(f"expected '#TAG', 'tag:TAG' or 'section:TITLE', got {text!r}")
    return kind, value


def _engine(text: str) -> str:
    """Read ``--engine NAME``: one of Graphviz's layout programs."""
    from .exporters.rendered import ENGINES

    if text not in ENGINES:
        raise argparse.ArgumentTypeError(f"unknown Graphviz layout {text!r}; choose one of {', '.join(ENGINES)}")
    return text


# -- check ----------------------------------------------------------------

#: the code of findings about reading a file (syntax errors, unreadable files), which no rule can switch off
_READ_CODE = "AM000"


def _check(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    from .checks import rule

    as_json = args.format == "json"
    if args.list_rules:
        _list_rules(as_json)
        return EXIT_OK
    if not args.files:
        print(args.usage, end="", file=sys.stderr)
        print("argmap check: error: the following arguments are required: FILE (or --list-rules)", file=sys.stderr)
        return EXIT_USAGE
    disabled: list[str] = []
    for item in args.disable:
        for name in (part.strip() for part in item.split(",")):
            if not name:
                continue
            if rule(name) is None:
                raise CommandError(
                    f"--disable {name}: no rule has this code or name ('argmap check --list-rules' lists them)",
                    EXIT_USAGE,
                )
            disabled.append(name)
    given_source = None
    if args.source is not None:
        from .quotes import read_source_text

        given_source = (read_source_text(args.source), args.source)
    findings: list[dict[str, Any]] = []
    failed = False
    for source in args.files:
        if not _check_one(source, args, disabled, given_source, findings if as_json else None):
            failed = True
    if as_json:
        import json

        _write_stdout((json.dumps(findings, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return EXIT_ERROR if failed else EXIT_OK


def _check_one(
    source: str,
    args: argparse.Namespace,
    disabled: list[str],
    given_source: tuple[str, str] | None,
    findings: list[dict[str, Any]] | None,
) -> bool:
    """Check one file; print its findings (or add them to ``findings`` for JSON); True when it passes."""
    from .checks import Severity, lint

    shown = _shown_name(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            argmap, text, notes = _read_for_check(source, args)
        except (ArgmapError, CommandError) as exc:
            _check_read_error(shown, exc, findings)
            return False
    read_warnings = [str(w.message) for w in caught]
    # the findings of an imported map are placed in what its spans refer to: the notation argmap JSON was made
    # from, the Kialo file itself; a map from notation is placed in the file as named
    located = shown if notes is None else argmap.source_name
    try:
        quotes = _quote_report(argmap, text, given_source, args.coverage, args.allow_include_outside)
    except (ArgmapError, CommandError) as exc:
        _check_read_error(shown, exc, findings)
        return False
    found = lint(argmap, disabled=disabled, quotes=quotes, coverage=args.coverage and findings is not None)
    counts = {severity: sum(d.severity is severity for d in found) for severity in Severity}
    counts[Severity.WARNING] += len(read_warnings)
    passed = not counts[Severity.ERROR] and not (args.strict and counts[Severity.WARNING])
    if findings is not None:
        findings.extend(_read_finding(shown, "info", note) for note in notes or ())
        findings.extend(_read_finding(shown, "warning", message) for message in read_warnings)
        findings.extend(d.to_json(located) for d in found)
        return passed
    if not args.quiet:
        _print_notes(shown, notes or ())
    for message in read_warnings:
        print(f"{shown}: warning: {message}", file=sys.stderr)
    for d in found:
        print(d.format(located), file=sys.stderr)
    if not args.quiet:
        tally = "".join(
            f", {n} {severity.value}{'s' if n != 1 and severity is not Severity.INFO else ''}"
            for severity, n in counts.items()
            if n
        )
        quoted = ""
        if quotes is not None:
            total, missing = len(quotes.quotes), len(quotes.missing)
            quoted = f"; {total - missing} of {total} quotes found in {quotes.source_name}"
        print(f"{shown}: {'ok' if passed else 'failed'}{tally} ({_summary(argmap)}{quoted})")
    if args.coverage and quotes is not None:
        print(f"{shown}: coverage of {quotes.source_name}")
        for line in quotes.coverage.describe():
            print(f"  {line}")
    return passed


def _read_for_check(source: str, args: argparse.Namespace) -> tuple[ArgumentMap, str | None, tuple[str, ...] | None]:
    """The map of a file (or stdin), its notation, which places quotes exactly (None if it cannot be read again,
    or the map was imported from another format), and the importer's notes (None for notation)."""
    argmap, notes, text = _load(source, args, notes_printed=False)
    if notes is not None or text is not None:
        return argmap, text, notes
    try:
        from .reader import read_source

        return argmap, read_source(source).removeprefix("\ufeff"), None
    except ArgmapError:
        return argmap, None, None


def _quote_report(
    argmap: ArgumentMap, text: str | None, given_source: tuple[str, str] | None, coverage: bool, allow_outside: bool
) -> QuoteReport | None:
    """The quotes of ``argmap`` held to ``--source`` or to the file its front matter names; None without either."""
    from .quotes import check_quotes, front_matter_source, read_source_text

    if given_source is not None:
        source_text, name = given_source
    else:
        try:
            path = front_matter_source(argmap, allow_outside=allow_outside)
            read = read_source_text(path) if path is not None else None
        except SourceFileError as exc:  # named against the map whose front matter names it
            raise CommandError(f"the source text {exc.path}: {exc.problem}") from None
        if path is None or read is None:
            if coverage:
                raise CommandError(
                    "--coverage needs a source text: give --source TEXT, or name it in the front matter "
                    "(argmap: {source: PATH})"
                )
            return None
        source_text, name = read, str(path)
    return check_quotes(argmap, source_text, name, map_text=text)


def _check_read_error(shown: str, exc: ArgmapError | CommandError, findings: list[dict[str, Any]] | None) -> None:
    """Report a file that cannot be read (or checked) as the command reports errors, or as a JSON finding."""
    if findings is None:
        if isinstance(exc, ArgmapSyntaxError):
            _error_report(exc.report())
        elif isinstance(exc, SourceFileError):
            _error_report(str(exc))
        else:
            _error(f"{shown}: {exc}")
        return
    if isinstance(exc, ArgmapSyntaxError):
        finding = _read_finding(exc.source_name, "error", exc.message, exc.line, exc.column)
        finding["hint"] = exc.hint or ""
    elif isinstance(exc, SourceFileError):
        finding = _read_finding(exc.path, "error", exc.problem)
    else:
        finding = _read_finding(shown, "error", str(exc))
    findings.append(finding)


def _read_finding(file: str, severity: str, message: str, line: int = 0, column: int = 0) -> dict[str, Any]:
    """A JSON finding about reading a file, shaped like a rule's."""
    return {
        "file": file,
        "line": line,
        "column": column,
        "end_line": line,
        "end_column": column,
        "severity": severity,
        "code": _READ_CODE,
        "name": {"error": "read-error", "warning": "read-warning"}.get(severity, "import-note"),
        "message": message,
        "hint": "",
    }


def _list_rules(as_json: bool) -> None:
    from .checks import RULES

    if as_json:
        import json

        _write_stdout((json.dumps([r.to_json() for r in RULES], ensure_ascii=False, indent=2) + "\n").encode())
        return
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        print(f"{r.code}  {r.name.ljust(width)}  {r.severity.value.ljust(7)}  {r.description}")
        print(f"{'':{len(r.code) + width + 13}}fix: {r.hint}")


def _summary(argmap: ArgumentMap) -> str:
    counts = (
        (len(argmap.statements), "statement"),
        (len(argmap.arguments), "argument"),
        (len(argmap.relations), "relation"),
    )
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)


# -- evaluate -------------------------------------------------------------

#: the semantics ``argmap evaluate`` offers (argmap.evaluation.SEMANTICS; written out so --help imports nothing)
EVALUATION_SEMANTICS = ("grounded", "preferred", "stable")


def _evaluate(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    from .evaluation import evaluate, render_text, to_data

    shown = _shown_name(args.file)
    evaluation = evaluate(_load(args.file, args)[0], args.semantics)
    if args.format == "json":
        import json

        text = json.dumps({"source": shown, **to_data(evaluation)}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_text(evaluation, shown)
    _write_stdout(text.encode("utf-8"))
    return EXIT_OK


# -- fmt ------------------------------------------------------------------


def _fmt(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    from .formatter import format_text

    failed = False
    for source in args.files:
        shown = _shown_name(source)
        try:
            text = _read_text(source)
            formatted = format_text(text, shown)
        except ArgmapSyntaxError as exc:
            _error_report(exc.report())
            failed = True
            continue
        except SourceFileError as exc:
            _error_report(str(exc))
            failed = True
            continue
        except ArgmapError as exc:
            _error(str(exc))
            failed = True
            continue
        if args.check:
            if formatted != text:
                _write_stdout(_diff(text, formatted, shown).encode("utf-8"))
                failed = True
        elif source == STDIO:
            _write_stdout(formatted.encode("utf-8"))
        elif formatted != text:
            _write_whole(Path(os.path.realpath(source)), formatted.encode("utf-8"))
    return EXIT_ERROR if failed else EXIT_OK


def _read_text(source: str) -> str:
    """The text of a file (or stdin for ``-``), with the errors of :func:`_read`."""
    shown = _shown_name(source)
    try:
        data = _stdin_bytes() if source == STDIO else Path(source).read_bytes()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        if isinstance(exc, IsADirectoryError) or os.path.isdir(source):
            raise SourceFileError(shown, "is a directory, not a file") from None
        if isinstance(exc, FileNotFoundError):
            raise SourceFileError(shown, "no such file") from None
        raise SourceFileError(shown, exc.strerror or str(exc)) from None
    from .reader import decode_source

    return decode_source(data, shown).removeprefix("\ufeff")


def _diff(before: str, after: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}", f"{name} (formatted)"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


# -- formats --------------------------------------------------------------


def _formats(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Two tables, exporters and importers, each under a heading (one alone, without it, with --exporters or
    --importers); a broken plugin or a name conflict is a row of its own with the error."""
    both = not args.exporters and not args.importers
    if not args.importers:
        if both:
            print("Exporters (argmap render -f FORMAT, argmap convert --to FORMAT):")
        _print_table(_exporter_rows(registry or _default_registry()))
    if not args.exporters:
        if both:
            print()
            print("Importers (argmap render --from FORMAT, argmap convert --from FORMAT):")
        _print_table(_importer_rows(args.importer_registry or _default_importers()))
    return EXIT_OK


def _exporter_rows(registry: ExporterRegistry) -> list[tuple[str, ...]]:
    header = ("NAME", "SUFFIX", "KIND", "DISTRIBUTION", "DESCRIPTION")
    return _plugin_rows(header, registry.info(), lambda i: (i.suffix or "-", "binary" if i.binary else "text"))


def _importer_rows(importers: ImporterRegistry) -> list[tuple[str, ...]]:
    header = ("NAME", "SUFFIXES", "STATUS", "DISTRIBUTION", "DESCRIPTION")
    return _plugin_rows(header, importers.info(), lambda i: (",".join(i.suffixes) or "-", "ok"))


def _plugin_rows(
    header: tuple[str, ...], infos: Iterable[Any], columns: Callable[[Any], tuple[str, str]]
) -> list[tuple[str, ...]]:
    """``argmap formats``' table: a row per plugin; ``columns`` gives a usable one's suffix and kind columns."""
    rows: list[tuple[str, ...]] = [header]
    for info in infos:
        where = info.distribution or "-"
        if info.broken:
            state = "CONFLICT" if info.conflict else "BROKEN"
            rows.append((info.name, "-", state, where, info.error or ""))
        else:
            note = f" [{info.conflict}]" if info.conflict else ""
            rows.append((info.name, *columns(info), where, info.description + note))
    return rows


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())


# -- convert ----------------------------------------------------------------


def _convert(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Read IN with its importer, write OUT with its exporter: a render of one file to a named output."""
    registry = registry or _default_registry()
    if args.output == STDIO:
        if args.format is None:
            raise CommandError(
                "writing to stdout ('-') needs --to FORMAT: there is no suffix to tell the format", EXIT_USAGE
            )
    elif args.format is None:
        suffix = Path(args.output).suffix
        implied = registry.for_suffix(suffix) if suffix else None
        if implied is None:
            what = f"the suffix {suffix!r} of {args.output}" if suffix else f"{args.output}, which has no suffix,"
            raise CommandError(
                f"no exporter writes {what}; name the format with --to (available formats: "
                f"{', '.join(registry.names())})",
                EXIT_USAGE,
            )
        args.format = implied
    with _terminated_like_interrupted():
        return _render_file(args.input, args.output, args, registry, show_progress=True)


# -- shared ---------------------------------------------------------------


def _default_registry() -> ExporterRegistry:
    from .plugins import default_registry

    return default_registry()


def _default_importers() -> ImporterRegistry:
    from .plugins import default_importers

    return default_importers()


#: what argmap's notation importer reads without looking inside (argmap.importers.notation)
_NOTATION_SUFFIXES = (".arg", ".argdown")


def _is_notation(importer: object) -> bool:
    """True for argmap's own notation importer: the command reads notation its own way (includes, positions)."""
    notation = sys.modules.get("argmap.importers.notation")
    return notation is not None and type(importer) is notation.NotationImporter


def _load(
    source: str, args: argparse.Namespace, *, notes_printed: bool = True
) -> tuple[ArgumentMap, tuple[str, ...] | None, str | None]:
    """Read a file (or stdin) with the importer ``--from`` names or detection chooses.

    Returns the map, the importer's notes on what it left out (None for notation; printed as ``FILE: note: ...``
    unless ``-q`` or not ``notes_printed``) and the text read when it is notation read from stdin (None otherwise).
    Detection: a notation suffix (.arg, .argdown) reads notation without looking inside; otherwise the importers
    claiming the suffix (all of them, for stdin or an unknown suffix) are asked whether the text is theirs
    (:meth:`argmap.plugins.ImporterRegistry.detect`); a file nothing settles is a usage error naming --from.
    """
    requested: str | None = getattr(args, "source_format", None)
    allow = getattr(args, "allow_include_outside", False)
    shown = _shown_name(source)
    suffix = Path(source).suffix.lower() if source != STDIO else ""
    if requested is None and suffix in _NOTATION_SUFFIXES:
        return _read(source, allow), None, None
    importers: ImporterRegistry = args.importer_registry or _default_importers()
    if requested is not None and _is_notation(importers.get(requested)) and source != STDIO:
        return _read(source, allow), None, None
    text = _read_text(source)
    name = requested
    if name is None:
        from .importers import HEAD

        detection = importers.detect(text[:HEAD], suffix)
        if detection.name is None:
            raise CommandError(
                f"cannot tell the format of {shown}: {detection.problem}; name it with --from FORMAT "
                f"('argmap formats --importers' lists them)",
                EXIT_USAGE,
            )
        name = detection.name
    if _is_notation(importers.get(name)):
        if source != STDIO:
            return _read(source, allow), None, None
        from .api import parse

        return parse(text, shown, allow_include_outside=allow, processes=_PROCESSES), None, text
    imported = importers.read(name, text, source_name=shown)
    if notes_printed and not getattr(args, "quiet", False):
        _print_notes(shown, imported.dropped)
    return imported.map, imported.dropped, None


def _print_notes(shown: str, notes: Iterable[str]) -> None:
    for note in notes:
        print(f"{shown}: note: {note}", file=sys.stderr)


#: the command reads a long map with a second process where it can (argmap.parse's ``processes``)
_PROCESSES = 2


def _read(source: str, allow_include_outside: bool = False) -> ArgumentMap:
    """Parse a file (or stdin for ``-``); every reading failure becomes a SourceFileError naming the file."""
    from .api import parse, parse_file

    shown = _shown_name(source)
    try:
        if source == STDIO:
            from .reader import decode_source

            text = decode_source(_stdin_bytes(), shown)
            return parse(text, shown, allow_include_outside=allow_include_outside, processes=_PROCESSES)
        return parse_file(source, allow_include_outside=allow_include_outside, processes=_PROCESSES)
    except UnicodeDecodeError as exc:  # the reader reports its own with a position; this is a safety net
        raise SourceFileError(
            shown, f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        ) from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        if isinstance(exc, IsADirectoryError) or os.path.isdir(source):
            raise SourceFileError(shown, "is a directory, not a file") from None
        raise SourceFileError(shown, exc.strerror or str(exc)) from None


def _stdin_bytes() -> bytes:
    """All of standard input; a closed standard input is an error, not a traceback."""
    if sys.stdin is None:
        raise SourceFileError("<stdin>", "standard input is closed")
    try:
        return sys.stdin.buffer.read()
    except ValueError:  # reading a closed file
        raise SourceFileError("<stdin>", "standard input is closed") from None


def _shown_name(source: str) -> str:
    return "<stdin>" if source == STDIO else source


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _error(message: str) -> None:
    print(f"argmap: error: {message}", file=sys.stderr)


def _error_report(report: str) -> None:
    print(report, file=sys.stderr)


def _warn(message: str) -> None:
    print(f"argmap: warning: {message}", file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Show a Python warning the way the command shows its own, without a source line."""
    _warn(str(message))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain about the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
