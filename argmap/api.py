"""The public functions: parse notation, export a map, read argmap JSON back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ArgumentMap
    from .plugins import ExporterRegistry

__all__ = ["export", "from_json", "parse", "parse_file"]


def parse(
    text: str,
    source_name: str = "<string>",
    *,
    base: str | os.PathLike[str] | None = None,
    allow_include_outside: bool = False,
) -> ArgumentMap:
    """Read Argdown notation into an :class:`ArgumentMap`.

    ``@include(file)`` is read relative to ``base`` (default: the current folder) and may not reach outside it
    unless ``allow_include_outside``. Raises :class:`argmap.ArgmapSyntaxError` at the first problem.
    """
    from .reader import read

    return read(text, source_name, base=base, allow_include_outside=allow_include_outside)


def parse_file(path: str | os.PathLike[str], *, allow_include_outside: bool = False) -> ArgumentMap:
    """Read a ``.arg`` / ``.argdown`` file (UTF-8; a BOM is allowed); includes are relative to its folder."""
    from .reader import read_file

    return read_file(path, allow_include_outside=allow_include_outside)


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
