"""How the command reads the values of its options (``-O KEY=VALUE``, ``--depth``, ``-j``, ``--select``,
``--engine``), and the defaults ``--help`` shows.

argparse calls these while it parses, so they import nothing until they run; :mod:`argmap.notebook` reads its
``select`` strings with :func:`_selection` too.
"""

from __future__ import annotations

import argparse
from typing import Any

#: relation steps around --focus when --depth is not given
DEFAULT_DEPTH = 2
#: the semantics ``argmap evaluate`` offers (argmap.evaluation.SEMANTICS; written out so --help imports nothing)
EVALUATION_SEMANTICS = ("grounded", "preferred", "stable")


def _option(text: str) -> tuple[str, Any]:
    """Read ``-O KEY=VALUE``: VALUE as JSON when it parses (numbers, true, lists...), else as a string."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE with KEY a name, got {text!r}")
    import json

    def no_constants(name: str) -> Any:
        raise ValueError(name)  # NaN and Infinity stay strings

    try:
        value: Any = json.loads(raw, parse_constant=no_constants)
    except ValueError:
        value = raw
    return key, value


def _depth(text: str) -> int:
    """Read ``--depth K``: a whole number of steps, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of steps (0 or more), got {text!r}")
    return value


def _jobs(text: str) -> int:
    """Read ``-j N``: 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of files at once (1 or more), got {text!r}")
    return value


def _selection(text: str) -> tuple[str, str]:
    """Read ``--select EXPR``: ``#TAG`` or ``#(TAG)``, ``tag:TAG``, ``section:TITLE``."""
    kind, value = "", ""
    if text.startswith("#(") and text.endswith(")"):
        kind, value = "tag", text[2:-1]
    elif text.startswith("#"):
        kind, value = "tag", text[1:]
    else:
        prefix, sep, rest = text.partition(":")
        if sep and prefix.strip().lower() in ("tag", "section"):
            kind, value = prefix.strip().lower(), rest
    value = value.strip()
    if kind == "tag":
        value = value.removeprefix("#")
    if not kind or not value:
        raise argparse.ArgumentTypeError(f"expected '#TAG', 'tag:TAG' or 'section:TITLE', got {text!r}")
    return kind, value


def _engine(text: str) -> str:
    """Read ``--engine NAME``: one of Graphviz's layout programs."""
    from ..exporters.rendered import ENGINES

    if text not in ENGINES:
        raise argparse.ArgumentTypeError(f"unknown Graphviz layout {text!r}; choose one of {', '.join(ENGINES)}")
    return text
