"""The public functions: parse notation, read any format an importer reads, export a map, read argmap JSON back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .importers import Imported
    from .model import ArgumentMap
    from .plugins import ExporterRegistry, ImporterRegistry

__all__ = ["export", "from_json", "load", "loads", "parse", "parse_file"]


def parse(
    text: str,
    source_name: str = "<string>",
    *,
    base: str | os.PathLike[str] | None = None,
    allow_include_outside: bool = False,
    processes: int = 1,
) -> ArgumentMap:
    """Read Argdown notation into an :class:`ArgumentMap`.

    ``@include(file)`` is read relative to ``base`` (default: the current folder) and may not reach outside it
    unless ``allow_include_outside``. Raises :class:`argmap.ArgmapSyntaxError` at the first problem.
    ``processes=2`` lets a long text (a megabyte or more) be parsed by a child process while this one builds
    the map, where forking is safe (a program with one thread, on a machine with two cores or more); the
    ``argmap`` command does.
    """
    from .reader import read

    return read(text, source_name, base=base, allow_include_outside=allow_include_outside, processes=processes)


def parse_file(path: str | os.PathLike[str], *, allow_include_outside: bool = False, processes: int = 1) -> ArgumentMap:
    """Read a ``.arg`` / ``.argdown`` file (UTF-8; a BOM is allowed); includes are relative to its folder.

    ``processes`` as in :func:`parse`.
    """
    from .reader import read_file

    return read_file(path, allow_include_outside=allow_include_outside, processes=processes)


def export(
    argmap: ArgumentMap, format: str, *, registry: ExporterRegistry | None = None, **options: Any
) -> str | bytes:
    """Render ``argmap`` with the exporter called ``format`` (``"json"``, ``"svg"``, a plugin's name, ...).

    Returns ``str`` for text formats and ``bytes`` for binary ones.
    """
    from .plugins import default_registry

    return (registry or default_registry()).export(argmap, format, **options)


def from_json(data: str | bytes | dict[str, Any]) -> ArgumentMap:
    """Rebuild a map from argmap's JSON (a string, bytes, or the loaded object)."""
    from .exporters.json import load_map

    return load_map(data)


def load(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    allow_include_outside: bool = False,
    registry: ImporterRegistry | None = None,
) -> Imported:
    """Read a map from a file in any format an importer reads: notation, argmap JSON, AIF, Argdown's JSON, Kialo.

    ``format`` names the importer (``"kialo"``, ``"aif"``, a plugin's name; see ``argmap formats``); without it
    the format follows from the suffix and, where a suffix is shared (``.json``) or unknown, from the content,
    as the command decides (docs/formats.md). Returns :class:`argmap.importers.Imported`: the map (``.map``)
    and one sentence per kind of thing the file had that the model cannot hold (``.dropped``).

    Raises :class:`argmap.ArgmapSyntaxError` at the first problem of the file, :class:`argmap.UnknownFormatError`
    for an unknown ``format``, and :class:`argmap.ImporterError` when the format cannot be told.
    """
    from .errors import SourceFileError
    from .reader import read_source

    importers = registry or _default_importers()
    name = os.fspath(path)
    text = read_source(path).removeprefix("\ufeff")
    chosen = format or _detected(importers, text, os.path.splitext(name)[1], name)
    options: dict[str, Any] = {}
    if chosen == importers.DEFAULT and _is_notation(importers.get(chosen)):
        options = {"base": os.path.dirname(name) or ".", "allow_include_outside": allow_include_outside}
    try:
        return importers.read(chosen, text, source_name=name, **options)
    except OSError as exc:  # an @include that cannot be read
        raise SourceFileError(name, exc.strerror or str(exc)) from None


def loads(
    text: str,
    format: str | None = None,
    *,
    source_name: str = "<string>",
    registry: ImporterRegistry | None = None,
) -> Imported:
    """Read a map from text in any format an importer reads; ``format`` as for :func:`load` (without it the
    content decides, and text no importer recognises is read as notation).

    >>> import argmap
    >>> debate = "Discussion Title: Tea or coffee?\\n\\n1. Tea is better.\\n1.1. Con: Coffee wakes you up.\\n"
    >>> imported = argmap.loads(debate)
    >>> [str(r) for r in imported.map.relations]
    ['[Coffee wakes you up] attack [Tea is better]']
    >>> imported.map.metadata["title"]
    'Tea or coffee?'
    """
    importers = registry or _default_importers()
    text = text.removeprefix("\ufeff")
    chosen = format or _detected(importers, text, "", source_name)
    return importers.read(chosen, text, source_name=source_name)


def _default_importers() -> ImporterRegistry:
    from .plugins import default_importers

    return default_importers()


def _is_notation(importer: object) -> bool:
    from .importers.notation import NotationImporter

    return type(importer) is NotationImporter


def _detected(importers: ImporterRegistry, text: str, suffix: str, name: str) -> str:
    from .errors import ImporterError
    from .importers import HEAD

    detection = importers.detect(text[:HEAD], suffix)
    if detection.name is None:
        raise ImporterError(f"cannot tell the format of {name}: {detection.problem}; name it with format=")
    return detection.name
