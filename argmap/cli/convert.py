"""``argmap convert``: read a map in one format and write it in another; a render of one file to a named output,
with the formats named by the suffixes or by ``--from`` and ``--to``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import EXIT_USAGE, STDIO, CommandError
from .reading import _default_registry
from .render import _render_file, _terminated_like_interrupted

if TYPE_CHECKING:
    import argparse

    from ..plugins import ExporterRegistry


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Read IN with its importer, write OUT with its exporter: a render of one file to a named output."""
    registry = registry or _default_registry()
    if args.output == STDIO:
        if args.format is None:
            raise CommandError(
                "writing to stdout ('-') needs --to FORMAT: there is no suffix to tell the format", EXIT_USAGE
            )
    elif args.format is None:
        suffix = Path(args.output).suffix
        implied = registry.for_suffix(suffix) if suffix else None
        if implied is None:
            what = f"the suffix {suffix!r} of {args.output}" if suffix else f"{args.output}, which has no suffix,"
            raise CommandError(
                f"no exporter writes {what}; name the format with --to (available formats: "
                f"{', '.join(registry.names())})",
                EXIT_USAGE,
            )
        args.format = implied
    with _terminated_like_interrupted():
        return _render_file(args.input, args.output, args, registry, show_progress=True)
