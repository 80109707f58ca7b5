"""The errors argmap raises for its users: one base class, positioned syntax errors."""

from __future__ import annotations

import re

#: how much of a long source line a report shows
_SHOWN = 160
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")

__all__ = [
    "ArgmapError",
    "ArgmapSyntaxError",
    "ExporterError",
    "ImporterError",
    "SourceFileError",
    "UnknownFormatError",
]


class ArgmapError(Exception):
    """Base class of every error argmap raises on purpose."""


class ArgmapSyntaxError(ArgmapError):
    """The notation cannot be read. Carries the position and the offending line.

    ``str(error)`` is the whole report a compiler would print::

        north-korea.arg:12:5: error: unknown relation symbol
            + [A]
            ^
        hint: ...
    """

    def __init__(
        self,
        message: str,
        *,
        source_name: str = "<string>",
        line: int = 1,
        column: int = 1,
        source_line: str = "",
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.source_name = source_name
        self.line = line
        self.column = column
        self.source_line = source_line
        self.hint = hint
        super().__init__(self.report())

    @property
    def location(self) -> str:
        """``SOURCE:LINE:COLUMN``, as the report starts."""
        return f"{self.source_name}:{self.line}:{self.column}"

    def report(self) -> str:
        """The full multi-line report: location, message, line, caret, hint."""
        lines = [_CONTROL.sub("\ufffd", f"{self.location}: error: {self.message}")]
        if self.source_line:
            # control characters are shown as U+FFFD: a report must not drive the reader's terminal
            shown = _CONTROL.sub("\ufffd", self.source_line.rstrip("\r\n").expandtabs(1))
            caret = max(self.column - 1, 0)
            if len(shown) > _SHOWN:  # a long line is clipped around the column, so a report stays readable
                start = max(0, min(caret - _SHOWN // 2, len(shown) - _SHOWN))
                end = start + _SHOWN
                shown = ("…" if start else "") + shown[start:end] + ("…" if end < len(shown) else "")
                caret = caret - start + (1 if start else 0)
            lines.append(f"    {shown}")
            lines.append("    " + " " * caret + "^")
        if self.hint:
            lines.append(_CONTROL.sub("\ufffd", f"hint: {self.hint}"))
        return "\n".join(lines)


class UnknownFormatError(ArgmapError):
    """No exporter (or importer) is installed under the requested name."""

    def __init__(self, name: str, available: tuple[str, ...]) -> None:
        self.name = name
        self.available = available
        super().__init__(f"unknown format {name!r}; available formats: {', '.join(available)}")


class ExporterError(ArgmapError):
    """An exporter could not be loaded or failed while exporting."""


class ImporterError(ArgmapError):
    """An importer could not be loaded or failed while reading, or no importer can tell what an input is."""


class SourceFileError(ArgmapError):
    """A source file cannot be read: missing, a directory, unreadable, or not UTF-8."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: error: {problem}")
