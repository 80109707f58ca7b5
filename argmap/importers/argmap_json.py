"""The ``json`` importer: argmap's own JSON (what ``argmap render -f json`` writes), read by
:func:`argmap.exporters.json.load_map`.

Nothing is dropped: the JSON is the lossless form of the model (the derived keys ``premises``,
``conclusion``, ``derived_relations``, ``quotes`` and ``evaluation`` are recomputed, not read). A problem is
reported at the line and column of the offending value in the JSON text (``statements[2].span.line``).
The map keeps the ``source`` the JSON names (the notation file it was made from), else takes the JSON
file's name.
"""

from __future__ import annotations

import re

import attrs

from ..errors import ArgmapError
from . import Imported, decode_json, fail, json_position, parse_path

__all__ = ["IMPORTER", "ArgmapJsonImporter"]

_FORMAT_KEY = re.compile(r'\A\s*\{[^{}\[\]]*?"format"\s*:\s*"argmap"')
_PLACE = re.compile(r"^invalid argmap JSON at ([\w.\[\]-]+): ")
_KEY = re.compile(r'\b(format|version)\b"? ')


@attrs.frozen
class ArgmapJsonImporter:
    name: str = "json"
    description: str = 'argmap\'s own JSON ({"format": "argmap", ...}), lossless'
    suffixes: tuple[str, ...] = (".json",)

    def sniff(self, head: str) -> bool:
        """A JSON object whose top level says ``"format": "argmap"`` before any nested value."""
        return _FORMAT_KEY.match(head.removeprefix("\ufeff")) is not None

    def read(self, text: str, *, source_name: str = "<input>") -> Imported:
        from ..exporters.json import load_map

        data = decode_json(text, source_name, "argmap JSON")
        try:
            argmap = load_map(data)
        except ArgmapError as exc:
            message = str(exc)
            place = _PLACE.match(message)
            path = parse_path(place.group(1)) if place else None
            if path is None:
                key = _KEY.search(message)
                path = (key.group(1),) if key else ()
            line, column = json_position(text, path)
            fail(message, text, source_name, line, column)
        if isinstance(data, dict) and data.get("source") is None:
            argmap = attrs.evolve(argmap, source_name=source_name)
        return Imported(argmap)


IMPORTER = ArgmapJsonImporter()
