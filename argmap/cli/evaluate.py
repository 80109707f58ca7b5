"""``argmap evaluate``: which claims and arguments of a map stand, and why, as text or JSON on stdout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import EXIT_OK
from .reading import _load
from .writing import _shown_name, _write_stdout

if TYPE_CHECKING:
    import argparse

    from ..plugins import ExporterRegistry


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Label the map's elements with ``--semantics`` and write the labelling to stdout, as text or JSON."""
    from ..evaluation import evaluate, render_text, to_data

    shown = _shown_name(args.file)
    evaluation = evaluate(_load(args.file, args)[0], args.semantics)
    if args.format == "json":
        import json

        text = json.dumps({"source": shown, **to_data(evaluation)}, ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_text(evaluation, shown)
    _write_stdout(text.encode("utf-8"))
    return EXIT_OK
