"""Importers: other formats read into an :class:`~argmap.model.ArgumentMap`.

An importer is any object with a ``name``, a ``description``, the file ``suffixes`` it reads, ``sniff(head)``
(True when the first 4096 characters of a text clearly are its format) and ``read(text, source_name=...)``
returning :class:`Imported`: the map, and one plain sentence per kind of thing the source had that the model
cannot hold. Bad input raises :class:`~argmap.errors.ArgmapSyntaxError` with a line and column, so the command
prints ``FILE:LINE:COLUMN: error: ...`` under the offending line.

argmap's own importers (``argdown``, ``json``, ``argdown-json``, ``kialo``, ``aif``) are registered in the
``argmap.importers`` entry-point group exactly like a plugin's; :class:`argmap.plugins.ImporterRegistry`
finds them. This module also holds the helpers importers share: positioned errors, JSON decoding with
positions, locating a JSON path in the text.

>>> from argmap.importers import Imported
>>> from argmap.importers.kialo import IMPORTER
>>> imported = IMPORTER.read("Discussion Title: Tea\\n\\n1. Tea is good.\\n1.1. Pro: It is warm.\\n")
>>> [str(r) for r in imported.map.relations]
['[It is warm] support [Tea is good]']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from json.scanner import make_scanner
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, runtime_checkable

import attrs

from ..errors import ArgmapSyntaxError

if TYPE_CHECKING:
    from ..model import ArgumentMap, Text, TextRange

__all__ = [
    "HEAD",
    "Imported",
    "Importer",
    "JsonPath",
    "decode_json",
    "fail",
    "folded",
    "json_position",
    "parse_path",
    "plural",
]

#: how many characters of a text ``sniff`` is given
HEAD = 4096


@attrs.frozen
class Imported:
    """What an importer read: the map, and what the source had that the model cannot hold.

    ``dropped`` holds one plain sentence per kind of thing left out, with counts, e.g.
    ``"dropped 14 locution nodes (L) and 14 YA nodes: dialogue structure is not part of the model"``.
    """

    map: ArgumentMap
    dropped: tuple[str, ...] = ()


@runtime_checkable
class Importer(Protocol):
    """What an importer provides. Any object with these attributes will do."""

    #: the format's name, as ``--from`` takes it: ``"kialo"``, ``"argdown-json"``
    name: str
    description: str
    #: the file suffixes it reads, with the dot (``(".aif", ".json")``); a suffix several importers share is
    #: settled by ``sniff``
    suffixes: tuple[str, ...]

    def sniff(self, head: str) -> bool:
        """True when ``head``, the first :data:`HEAD` characters of a text, clearly is this format."""
        ...

    def read(self, text: str, *, source_name: str = "<input>") -> Imported:
        """Read the whole text; raise :class:`~argmap.errors.ArgmapSyntaxError` at the first problem."""
        ...


# -- errors -----------------------------------------------------------------------------------------------------


def _line_of(text: str, line: int) -> str:
    """Line ``line`` (1-based) of ``text``, without its end; "" past the end."""
    lines = text.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""


def fail(
    message: str, text: str, source_name: str, line: int = 1, column: int = 1, *, hint: str | None = None
) -> NoReturn:
    """Raise the :class:`ArgmapSyntaxError` that points at ``line``:``column`` of ``text``."""
    raise ArgmapSyntaxError(
        message, source_name=source_name, line=line, column=column, source_line=_line_of(text, line), hint=hint
    )


def plural(count: int, word: str, words: str | None = None) -> str:
    """``"1 node"``, ``"3 nodes"``."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


# -- text ------------------------------------------------------------------------------------------------------

_FOLD = re.compile(r"[ \t\n\r\f\v]+")


def folded(text: str, ranges: Sequence[TextRange] = ()) -> Text:
    """``text`` as the notation keeps a text: runs of ASCII white space one space, the ends stripped; the ranges
    (offsets into ``text``) moved with their characters, and dropped when nothing of them is left."""
    from ..model import Text, TextRange

    pieces: list[str] = []
    #: new offset of each old offset (one past the end included)
    where = [0] * (len(text) + 1)
    length = 0
    position = 0
    for match in _FOLD.finditer(text):
        for offset in range(position, match.start()):
            where[offset] = length + offset - position
        pieces.append(text[position : match.start()])
        length += match.start() - position
        space = 1 if length and match.end() < len(text) else 0  # no space at either end
        for offset in range(match.start(), match.end()):
            where[offset] = length
        pieces.append(" " * space)
        length += space
        position = match.end()
    for offset in range(position, len(text) + 1):
        where[offset] = length + offset - position
    pieces.append(text[position:])
    result = "".join(pieces)
    moved = []
    for r in ranges:
        start, end = where[min(r.start, len(text))], min(where[min(r.end, len(text))], len(result))
        while start < end and result[start] == " ":  # a range covers characters, not the space around them
            start += 1
        while end > start and result[end - 1] == " ":
            end -= 1
        if end > start:
            moved.append(TextRange(r.kind, start, end, r.url, r.title))
    return Text(result, ranges=tuple(moved))


# -- JSON with positions ----------------------------------------------------------------------------------------

#: a path into a JSON document: object keys and array indexes, from the top
JsonPath = tuple["str | int", ...]

_STEP = re.compile(r"\.?([\w-]+)|\[(\d+)\]")


def parse_path(where: str) -> JsonPath | None:
    """``"statements[2].span.line"`` as ``("statements", 2, "span", "line")``; None if it is not such a path."""
    steps: list[str | int] = []
    position = 0
    while position < len(where):
        match = _STEP.match(where, position)
        if match is None:
            return None
        steps.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    return tuple(steps) if steps else None


def decode_json(text: str, source_name: str, what: str) -> Any:
    """The JSON value of ``text``; invalid JSON raises an :class:`ArgmapSyntaxError` at its line and column.

    ``NaN`` and ``Infinity`` are refused (they are not JSON); ``what`` names the format in messages.
    """
    text = text.removeprefix("\ufeff")

    def reject_constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not a JSON value")

    try:
        return json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        fail(f"invalid JSON: {exc.msg}", text, source_name, exc.lineno, exc.colno)
    except RecursionError:
        fail(f"invalid {what}: nested too deeply", text, source_name)
    except ValueError as exc:  # NaN, Infinity, an integer longer than Python converts
        fail(f"invalid JSON: {exc}", text, source_name)


_WHITESPACE = re.compile(r"[ \t\n\r]*")


def json_position(text: str, path: Sequence[str | int]) -> tuple[int, int]:
    """The line and column where the value at ``path`` starts in the JSON ``text`` (valid JSON).

    Follows the path as far as the text has it: a key or index it lacks gives the position of the deepest
    value found (the object that misses the key). Values off the path are skipped by the C scanner, so
    this costs about one pass over the text up to the value.
    """
    scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # typeshed types it oddly
    offset = _WHITESPACE.match(text, 1 if text.startswith("\ufeff") else 0).end()  # type: ignore[union-attr]

    def skip(at: int) -> int:
        return _WHITESPACE.match(text, at).end()  # type: ignore[union-attr]

    try:
        for step in path:
            if offset >= len(text):
                break
            opening = text[offset]
            found = None
            if opening == "{" and isinstance(step, str):
                at = skip(offset + 1)
                while at < len(text) and text[at] == '"':
                    key, at = scan(text, at)
                    at = skip(skip(at) + 1)  # past the colon
                    if key == step:
                        found = at
                        break
                    _, at = scan(text, at)
                    at = skip(at)
                    if text[at] != ",":
                        break
                    at = skip(at + 1)
            elif opening == "[" and isinstance(step, int):
                at = skip(offset + 1)
                index = 0
                while at < len(text) and text[at] != "]":
                    if index == step:
                        found = at
                        break
                    _, at = scan(text, at)
                    at = skip(at)
                    if text[at] != ",":
                        break
                    at = skip(at + 1)
                    index += 1
            if found is None:
                break
            offset = found
    except (StopIteration, ValueError, IndexError):  # not valid JSON after all: the deepest place found
        pass
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
