"""What the fuzzed functions may do with any input, as checks that raise on anything else.

Notation (``argmap.parse``): return an :class:`ArgumentMap`, or raise
:class:`ArgmapSyntaxError` pointing inside the input. Lines are counted as the reader
counts them: a leading BOM is dropped and ``\\r\\n``, ``\\r`` and ``\\n`` each end a line,
so ``text`` has ``len(re.split(r"\\r\\n|\\r|\\n", text))`` lines; the end of the file is
the position after the last character of the last line (after a final newline: line
count, column 1). Columns count characters (code points) from 1, and may be one past
the line's last character (something missing at the end of the line). The quoted
``source_line`` must be that line. An error in an ``@include``d file names that file,
and its position is checked against that file.

JSON (``argmap.from_json``): return a map, or raise :class:`ArgmapError`. A map it
returns must export to JSON again, and that JSON must read back to a map that exports
to the same JSON (the JSON module's promise: values JSON lacks, such as NaN in an
object passed in, come back as their text form, so the maps themselves may differ).

Any other exception, a position outside the input, or a wrong quoted line is a
failure (:class:`WrongOutcome` for the ones that are not exceptions of argmap).
With ``deep``, a notation map that reads is also exported to every text format; its
JSON must read back to a map with the same JSON, and its notation to an equal map.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import argmap
from argmap.errors import ArgmapError, ArgmapSyntaxError
from argmap.model import ArgumentMap

from .mutate import ROOT

__all__ = ["WrongOutcome", "check_json", "check_notation", "source_lines"]

#: the formats the deep notation check exports to (the binary ones need Graphviz and are slow)
TEXT_FORMATS = ("json", "markdown", "dot", "argdown")


class WrongOutcome(AssertionError):
    """The target answered, but not as it must (a position outside the input, a wrong map...)."""


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as the reader numbers them (BOM dropped; CRLF, CR and LF end lines)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return re.split(r"\r\n|\r|\n", text)


#: what separates the problem from the error it is about, in a WrongOutcome's message
ABOUT = "\n    error: "


def _about(error: ArgmapSyntaxError) -> str:
    return f"{ABOUT}{error.message}"


def _check_position(error: ArgmapSyntaxError, text: str, origin: str) -> None:
    if error.source_name == origin:
        lines, where = source_lines(text), "the input"
    else:
        path = Path(error.source_name)
        path = path if path.is_absolute() else ROOT / path
        if not path.is_file():
            raise WrongOutcome(f"the error names {error.source_name!r}, which is neither the input nor a file")
        lines, where = source_lines(path.read_text(encoding="utf-8")), f"the included {error.source_name}"
    if not 1 <= error.line <= len(lines):
        raise WrongOutcome(f"line {error.line} is outside {where} (lines 1 to {len(lines)})" + _about(error))
    line = lines[error.line - 1]
    if not 1 <= error.column <= len(line) + 1:
        raise WrongOutcome(
            f"column {error.column} is outside line {error.line} of {where} "
            f"(columns 1 to {len(line) + 1})" + _about(error)
        )
    if error.source_line != line:
        raise WrongOutcome(
            f"the error quotes {error.source_line!r} as line {error.line} of {where}, which is {line!r}" + _about(error)
        )
    report = error.report()
    if not report.startswith(error.location):
        raise WrongOutcome(f"the report does not start with the location: {report!r}")


def check_notation(text: str, origin: str, *, deep: bool = False) -> str:
    """Parse ``text`` as the document ``origin`` (includes read from its folder); "accepted" or "rejected"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = argmap.parse(text, origin, base=ROOT / Path(origin).parent)
        except ArgmapSyntaxError as error:
            _check_position(error, text, origin)
            return "rejected"
        if not isinstance(parsed, ArgumentMap):
            raise WrongOutcome(f"parse returned {type(parsed).__name__}, not an ArgumentMap")
        if deep:
            _check_exports(parsed)
    return "accepted"


def _check_exports(parsed: ArgumentMap) -> None:
    exported = {name: argmap.export(parsed, name) for name in TEXT_FORMATS}
    if argmap.export(argmap.from_json(exported["json"]), "json") != exported["json"]:
        raise WrongOutcome("the map read back from its JSON writes different JSON")
    written = exported["argdown"]
    assert isinstance(written, str)
    if argmap.parse(written) != parsed:
        raise WrongOutcome(f"the map read back from its notation differs from the map; written:\n{written}")


def check_json(payload: Any, origin: str, *, deep: bool = False) -> str:
    """Load ``payload`` (JSON text or the decoded object) with ``argmap.from_json``; "accepted" or "rejected"."""
    del origin, deep  # the JSON checks are the same for every document
    try:
        loaded = argmap.from_json(payload)
    except ArgmapError:
        return "rejected"
    if not isinstance(loaded, ArgumentMap):
        raise WrongOutcome(f"from_json returned {type(loaded).__name__}, not an ArgumentMap")
    exported = argmap.export(loaded, "json")
    if argmap.export(argmap.from_json(exported), "json") != exported:
        raise WrongOutcome("the JSON of an accepted map does not read back to the same JSON")
    return "accepted"


CHECKS = {"notation": check_notation, "json": check_json}
