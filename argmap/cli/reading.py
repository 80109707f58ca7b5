"""How the commands read their inputs: a file or stdin, with the importer ``--from`` names or detection chooses,
every reading failure worded as a :class:`~argmap.errors.SourceFileError` that names the file.

Also where the commands get the installed exporters and importers when a program embedding the command gave none.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SourceFileError
from . import EXIT_USAGE, KEPT_TO_THE_END, STDIO, CommandError
from .writing import _shown_name

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

    from ..model import ArgumentMap
    from ..plugins import ExporterRegistry, ImporterRegistry


def _default_registry() -> ExporterRegistry:
    from ..plugins import default_registry

    return default_registry()


def _default_importers() -> ImporterRegistry:
    from ..plugins import default_importers

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
    """Read a file (or stdin) with the importer ``--from`` names or detection chooses (see :func:`_load_map`).

    Under the console script, the last map read is kept to the end of the process
    (:data:`argmap.cli.KEPT_TO_THE_END`); the one before it goes, so that many files read one after another (``-j 1``,
    a worker of ``-j N``, ``check`` of several files) do not pile up in memory.
    """
    loaded = _load_map(source, args, notes_printed=notes_printed)
    kept = KEPT_TO_THE_END.get()
    if kept is not None:
        kept[:] = [loaded[0]]
    return loaded


def _load_map(
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
        from ..importers import HEAD

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
        from ..api import parse

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
    from ..api import parse, parse_file

    shown = _shown_name(source)
    try:
        if source == STDIO:
            from ..reader import decode_source

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
    from ..reader import decode_source

    return decode_source(data, shown).removeprefix("\ufeff")
