"""``argmap fmt``: tidy notation files in place (or print a diff with ``--check``), leaving a file with an error
untouched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArgmapError, ArgmapSyntaxError, SourceFileError
from . import EXIT_ERROR, EXIT_OK, STDIO
from .reading import _read_text
from .writing import _error, _error_report, _shown_name, _write_stdout, _write_whole

if TYPE_CHECKING:
    import argparse

    from ..plugins import ExporterRegistry


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Tidy each FILE; one with an error is reported and left as it is, and the others go on."""
    from ..formatter import format_text

    failed = False
    for source in args.files:
        shown = _shown_name(source)
        try:
            text = _read_text(source)
            formatted = format_text(text, shown)
        except ArgmapSyntaxError as exc:
            _error_report(exc.report())
            failed = True
            continue
        except SourceFileError as exc:
            _error_report(str(exc))
            failed = True
            continue
        except ArgmapError as exc:
            _error(str(exc))
            failed = True
            continue
        if args.check:
            if formatted != text:
                _write_stdout(_diff(text, formatted, shown).encode("utf-8"))
                failed = True
        elif source == STDIO:
            _write_stdout(formatted.encode("utf-8"))
        elif formatted != text:
            _write_whole(Path(os.path.realpath(source)), formatted.encode("utf-8"))
    return EXIT_ERROR if failed else EXIT_OK


def _diff(before: str, after: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{name}", f"{name} (formatted)"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
