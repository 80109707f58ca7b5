"""The public functions: parse notation, export a map, read argmap JSON back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import ArgumentMap
    from .plugins import ExporterRegistry

__all__ = ["export", "from_json", "parse", "parse_file"]


def parse(text: str, source_name: str = "<string>") -> ArgumentMap:
    """Read Argdown notation into an :class:`ArgumentMap`.

    Raises :class:`argmap.ArgmapSyntaxError` with the position of the first problem.
    """
    from .reader import read

    return read(text, source_name)


def parse_file(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read a ``.arg`` / ``.argdown`` file (UTF-8; a BOM is allowed)."""
    from .reader import read_file

    return read_file(path)


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
