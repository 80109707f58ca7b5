"""``@include(other.arg)``: other files' notation, read in place, as Argdown does.

An include line is replaced by the included file's text before parsing. Paths
are relative to the including file; a file is included once (a second include of
it elsewhere is skipped, as in Argdown), an include loop is an error naming the
chain, and a file outside the top-level file's folder tree is refused unless the
caller allows it. A :class:`LineMap` takes positions in the combined text back
to the file and line they came from, for errors and for every span of the model.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from .errors import ArgmapSyntaxError
from .model import SourceSpan

__all__ = ["LineMap", "expand"]

INCLUDE = re.compile(r"^[ \t]*@include\(([^)\n]+)\)[ \t]*$", re.MULTILINE)


@attrs.frozen
class _Segment:
    """Lines ``first .. first+count-1`` of the combined text are lines ``line ..`` of ``source``."""

    first: int
    count: int
    source: str
    line: int
    text: str


@attrs.frozen
class LineMap:
    """Where each line of the combined text was written."""

    segments: tuple[_Segment, ...]
    top: str

    def locate(self, line: int) -> tuple[str, int, str]:
        """(source name, line in that source, the source's text) for a line of the combined text."""
        for segment in self.segments:
            if segment.first <= line < segment.first + segment.count:
                return segment.source, segment.line + (line - segment.first), segment.text
        # a line no text claims (an empty line, or just past the end): count on from the segment before it
        before = [segment for segment in self.segments if segment.first <= line]
        if not before:
            return self.top, line, ""
        segment = before[-1]
        return segment.source, segment.line + (line - segment.first), segment.text

    def span(self, span: SourceSpan) -> SourceSpan:
        source, line, _ = self.locate(span.line)
        end_source, end_line, _ = self.locate(span.end_line)
        if end_source != source:  # an element cannot straddle files; keep its start
            end_line, end_column = line, span.column
        else:
            end_column = span.end_column
        return SourceSpan(line, span.column, end_line, end_column, "" if source == self.top else source)

    def error(self, error: ArgmapSyntaxError) -> ArgmapSyntaxError:
        source, line, text = self.locate(error.line)
        lines = text.split("\n")
        return ArgmapSyntaxError(
            error.message,
            source_name=source,
            line=line,
            column=error.column,
            source_line=lines[line - 1] if 0 < line <= len(lines) else "",
            hint=error.hint,
        )


def _problem(text: str, source: str, offset: int, message: str, hint: str | None = None) -> ArgmapSyntaxError:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    column = offset - start + 1
    end = text.find("\n", offset)
    return ArgmapSyntaxError(
        message,
        source_name=source,
        line=line,
        column=column,
        source_line=text[start : end if end >= 0 else len(text)],
        hint=hint,
    )


def expand(
    text: str,
    source_name: str,
    base: Path | None,
    *,
    allow_outside: bool = False,
    read: Callable[[Path], str] | None = None,
) -> tuple[str, LineMap | None]:
    """The text with every include replaced, and the map back to the files (None when nothing was included)."""
    if "@include(" not in text or INCLUDE.search(text) is None:
        return text, None
    if read is None:
        from .reader import read_source

        read = read_source
    root = (base or Path.cwd()).resolve()
    top_file = (root / Path(source_name).name).resolve() if base else None
    state: dict[str, Any] = {"line": 1, "done": set(), "segments": []}
    parts: list[str] = []

    def emit(chunk: str, source: str, line: int, source_text: str) -> None:
        """Append ``chunk``, whose first line is ``line`` of ``source``; claim the lines it has text on."""
        breaks = chunk.count("\n")
        skip_first = chunk.startswith("\n")  # its first line is the end of the line before
        first = state["line"] + skip_first
        last = state["line"] + breaks - chunk.endswith("\n")
        if chunk and last >= first:
            state["segments"].append(_Segment(first, last - first + 1, source, line + skip_first, source_text))
        state["line"] += breaks
        parts.append(chunk)

    def walk(current: str, source: str, folder: Path, chain: list[Path]) -> None:
        position, line = 0, 1
        for match in INCLUDE.finditer(current):
            before = current[position : match.start()]
            emit(before, source, line, current)
            line += before.count("\n")
            offset = match.start(1)
            try:
                target = (folder / match.group(1).strip()).resolve()
            except (OSError, ValueError, UnicodeError):
                raise _problem(
                    current, source, offset, f"cannot include {match.group(1).strip()!r}: not a path"
                ) from None
            if not allow_outside and not target.is_relative_to(root):
                raise _problem(
                    current,
                    source,
                    offset,
                    f"@include of {match.group(1).strip()!r} reaches outside {root}",
                    "include files from this folder or below, or allow it (--allow-include-outside)",
                )
            if target in chain:
                names = " -> ".join(p.name for p in [*chain, target])
                raise _problem(current, source, offset, f"include loop: {names}", "remove one of the includes")
            if target not in state["done"]:
                state["done"].add(target)
                try:
                    included = read(target)
                except ArgmapSyntaxError:
                    raise
                except Exception as exc:  # missing, a folder, unreadable: say so at the include
                    message = getattr(exc, "problem", None) or str(exc)
                    quoted = repr(match.group(1).strip())
                    raise _problem(current, source, offset, f"cannot include {quoted}: {message}") from None
                # named as the user would reach it: from the top file's folder as they wrote it
                name = (
                    os.path.normpath(os.path.join(os.path.dirname(source_name), target.relative_to(root)))
                    if target.is_relative_to(root)
                    else str(target)
                )
                walk(included.rstrip("\n"), name, target.parent, [*chain, target])
            position = match.end()
        emit(current[position:], source, line, current)

    walk(text, source_name, root, [top_file] if top_file else [])
    combined = "".join(parts)
    return combined, LineMap(tuple(state["segments"]), source_name)
