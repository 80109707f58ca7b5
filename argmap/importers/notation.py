"""The ``argdown`` importer: argmap's notation, read by :func:`argmap.parse`.

Nothing is dropped: the model is what the notation says. ``@include`` paths are relative to the
folder of the file ``source_name`` names (the current folder for ``<stdin>`` and the like), as
:func:`argmap.parse_file` reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from . import Imported

__all__ = ["IMPORTER", "NotationImporter"]


def _base(source_name: str) -> Path | None:
    """The folder includes are relative to: the folder of the file ``source_name`` names, if it names one."""
    if source_name.startswith("<") and source_name.endswith(">"):
        return None
    return Path(source_name).parent


@attrs.frozen
class NotationImporter:
    name: str = "argdown"
    description: str = "Argdown notation, argmap's own (docs/notation.md)"
    suffixes: tuple[str, ...] = (".arg", ".argdown")

    def sniff(self, head: str) -> bool:
        """Any text can be notation; one that opens like a JSON object is not."""
        return not head.lstrip("\ufeff \t\r\n").startswith("{")

    def read(
        self,
        text: str,
        *,
        source_name: str = "<input>",
        base: str | os.PathLike[str] | None = None,
        allow_include_outside: bool = False,
    ) -> Imported:
        """Parse ``text``; ``base`` (default: the folder of ``source_name``) is where includes are found."""
        from ..api import parse

        folder = _base(source_name) if base is None else base
        return Imported(
            parse(text.removeprefix("\ufeff"), source_name, base=folder, allow_include_outside=allow_include_outside)
        )


IMPORTER = NotationImporter()
