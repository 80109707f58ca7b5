"""The ``argmap`` command: render a map, check files, format files, list the formats.

:func:`main` returns the exit status instead of exiting, so tests and other
programs can run the command in-process. Each command imports only what it
needs (lark, yaml and graphviz are not loaded by ``--help`` or by a JSON
export), which keeps the command quick to start.

Exit statuses: 0 success, 1 an error in the input, the output or an exporter,
2 a usage mistake (including an unknown format), 130 interrupted, 141 the
reader of stdout went away.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import ArgmapError, ArgmapSyntaxError, ExporterError, SourceFileError, UnknownFormatError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from .model import ArgumentMap
    from .plugins import ExporterRegistry

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
#: 128 + SIGINT, what a shell reports for a program stopped with Ctrl-C
EXIT_INTERRUPTED = 130
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


def main(argv: Sequence[str] | None = None, *, registry: ExporterRegistry | None = None) -> int:
    """Run the ``argmap`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    ``registry`` replaces the installed exporters, for programs that embed the command.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage mistakes
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            status: int = args.handler(args, registry)
            return status
        except ArgmapSyntaxError as exc:
            _error_report(exc.report())
        except SourceFileError as exc:
            _error_report(str(exc))
        except UnknownFormatError as exc:
            _error(str(exc))
            return EXIT_USAGE
        except CommandError as exc:
            _error(str(exc))
            return exc.status
        except ArgmapError as exc:
            _error(str(exc))
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except UnicodeDecodeError as exc:  # a last line of defence; reading reports its own
            _error(f"cannot decode text as {exc.encoding}: {exc.reason}")
        except OSError as exc:
            _error(_describe_os_error(exc))
    return EXIT_ERROR


def _include_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--allow-include-outside",
        action="store_true",
        help="let @include read files outside the input file's folder tree (refused by default)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (building it imports nothing heavy)."""
    parser = argparse.ArgumentParser(
        prog="argmap",
        description="Argument maps from Argdown notation: render them, check them, format them, list the formats.",
        epilog="Run 'argmap COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"argmap {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    render = commands.add_parser(
        "render",
        help="export a map to a file (svg by default) or to stdout",
        description=(
            "Read FILE and export the map. Without -o the output goes next to FILE with the format's suffix "
            "(example.arg -> example.svg). The format is -f, else the suffix of -o, else svg."
        ),
    )
    render.add_argument("file", metavar="FILE", help="the Argdown file to read ('-' reads stdin)")
    render.add_argument("-f", "--format", metavar="FORMAT", help="the exporter to use (see 'argmap formats')")
    render.add_argument("-o", "--output", metavar="OUTPUT", help="where to write ('-' writes to stdout)")
    render.add_argument(
        "-O",
        "--option",
        dest="options",
        metavar="KEY=VALUE",
        action="append",
        type=_option,
        default=[],
        help="an exporter option; VALUE is read as JSON when it parses, else as a string (repeatable)",
    )
    _include_option(render)
    render.set_defaults(handler=_render)

    check = commands.add_parser(
        "check",
        help="read files and report problems",
        description="Read each FILE and report its problems. Exit status 1 when any file has an error.",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="Argdown files to check ('-' reads stdin)")
    check.add_argument("-q", "--quiet", action="store_true", help="print problems only, not a line per good file")
    check.add_argument("--strict", action="store_true", help="count warnings as errors")
    _include_option(check)
    check.set_defaults(handler=_check)

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

    formats = commands.add_parser(
        "formats",
        help="list the installed exporters, plugins included",
        description="List every installed exporter; a plugin that fails to load is shown as broken with its error.",
    )
    formats.set_defaults(handler=_formats)
    return parser


# -- render ---------------------------------------------------------------


def _render(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    registry = registry or _default_registry()
    source: str = args.file
    to_stdout = args.output == STDIO
    output = None if to_stdout or args.output is None else Path(args.output)
    if output is not None and source != STDIO and _same_file(output, Path(source)):
        raise CommandError(f"refusing to write to {output}: it is the input file (the source is never overwritten)")

    name = _choose_format(args.format, output, registry)
    exporter = registry.get(name)
    if output is None and not to_stdout:
        if source == STDIO:
            raise CommandError("reading stdin needs -o (a file, or '-' for stdout)", EXIT_USAGE)
        output = _output_next_to(Path(source), exporter.suffix, name)

    argmap = _read(source, args.allow_include_outside)  # first, so that a missing input is reported as such
    if output is not None:
        output = _check_output(output, source)
    options = dict(args.options)
    if output is not None and not options and _is_builtin_json(registry, name):
        # argmap's JSON is written piece by piece as it is made: the text of a large map (hundreds of
        # megabytes for 100,000 statements) is never whole in memory. The temporary file keeps the write
        # atomic: a value JSON cannot hold stops the export and leaves no file behind.
        _write_whole(output, _json_pieces(argmap, name))
        return EXIT_OK
    result = registry.export(argmap, name, **options)
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    if output is None:
        _write_stdout(data)
    else:
        _write_whole(output, data)
    return EXIT_OK


def _json_pieces(argmap: ArgumentMap, name: str) -> Iterator[bytes]:
    """argmap's JSON of the map as UTF-8 pieces; a failure is reported as ``registry.export`` reports it."""
    from .exporters.json import iter_dumps

    try:
        for piece in iter_dumps(argmap):
            yield piece.encode("utf-8")
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


def _write_whole(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (or its pieces, in order) to ``path`` whole or not at all: a temporary file, then a rename.

    The temporary file is in the same folder; if anything fails before the rename, including making
    the pieces, it is removed and ``path`` is as it was.
    """
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the output the user asked for, not the temporary file
        raise OSError(exc.errno, f"cannot write in {path.parent}: {exc.strerror}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
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


# -- check ----------------------------------------------------------------


def _check(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    failed = False
    for source in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                argmap = _read(source, args.allow_include_outside)
            except ArgmapSyntaxError as exc:
                _error_report(exc.report())
                failed = True
                continue
            except SourceFileError as exc:
                _error_report(str(exc))
                failed = True
                continue
            except (ArgmapError, CommandError) as exc:
                _error(str(exc))
                failed = True
                continue
        for warning in caught:
            print(f"{_shown_name(source)}: warning: {warning.message}", file=sys.stderr)
        failed = failed or (args.strict and bool(caught))
        if not args.quiet:
            print(f"{_shown_name(source)}: ok ({_summary(argmap)})")
    return EXIT_ERROR if failed else EXIT_OK


def _summary(argmap: ArgumentMap) -> str:
    counts = (
        (len(argmap.statements), "statement"),
        (len(argmap.arguments), "argument"),
        (len(argmap.relations), "relation"),
    )
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)


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
    registry = registry or _default_registry()
    rows = [("NAME", "SUFFIX", "KIND", "DISTRIBUTION", "DESCRIPTION")]
    for info in registry.info():
        where = info.distribution or "-"
        if info.broken:
            state = "CONFLICT" if info.conflict else "BROKEN"
            rows.append((info.name, "-", state, where, info.error or ""))
        else:
            kind = "binary" if info.binary else "text"
            note = f" [{info.conflict}]" if info.conflict else ""
            rows.append((info.name, info.suffix or "-", kind, where, info.description + note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
    return EXIT_OK


# -- shared ---------------------------------------------------------------


def _default_registry() -> ExporterRegistry:
    from .plugins import default_registry

    return default_registry()


def _read(source: str, allow_include_outside: bool = False) -> ArgumentMap:
    """Parse a file (or stdin for ``-``); every reading failure becomes a SourceFileError naming the file."""
    from .api import parse, parse_file

    shown = _shown_name(source)
    try:
        if source == STDIO:
            from .reader import decode_source

            text = decode_source(_stdin_bytes(), shown)
            return parse(text, shown, allow_include_outside=allow_include_outside)
        return parse_file(source, allow_include_outside=allow_include_outside)
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
