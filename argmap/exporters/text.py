"""Plain-text helpers shared by exporters: make user text printable and wrap it."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["clean", "wrap", "wrap_styled"]

_REPLACEMENT = "\ufffd"


def _printable(char: str) -> str:
    # Control characters and lone surrogates are not allowed in XML (SVG, Graphviz
    # HTML labels); show that something was there instead of failing the render.
    if unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff":
        return _REPLACEMENT
    return char


def clean(text: str) -> str:
    """``text`` on one line: runs of whitespace (newlines too) become one space, controls become U+FFFD."""
    return "".join(_printable(c) for c in " ".join(text.split()))


def wrap(text: str, width: int) -> list[str]:
    """The cleaned ``text`` cut into lines of at most ``width`` characters; ``width <= 0`` keeps one line.

    Long words (URLs) are broken too, so no node grows wider than ``width``.
    """
    cleaned = clean(text)
    if not cleaned:
        return []
    if width <= 0:
        return [cleaned]
    return textwrap.wrap(cleaned, width=width, break_long_words=True, break_on_hyphens=True)


_S = TypeVar("_S")


def wrap_styled(text: str, styles: Sequence[_S], width: int) -> list[list[tuple[str, _S]]]:
    """:func:`wrap` for text whose every character has a style (``styles[i]`` for ``text[i]``).

    Gives the same lines as ``wrap(text, width)``, each cut into runs of equally
    styled characters; a run of whitespace takes the style of its first character.
    """
    chars: list[str] = []
    kept: list[_S] = []
    pending: _S | None = None
    has_pending = False
    for char, style in zip(text, styles, strict=True):
        if char.isspace():
            if chars and not has_pending:
                pending, has_pending = style, True
            continue
        if has_pending:
            chars.append(" ")
            kept.append(pending)  # type: ignore[arg-type]
            has_pending = False
        chars.append(_printable(char))
        kept.append(style)
    cleaned = "".join(chars)
    lines = wrap(cleaned, width)
    result: list[list[tuple[str, _S]]] = []
    position = 0
    for line in lines:
        start = cleaned.index(line, position)
        position = start + len(line)
        runs: list[tuple[str, _S]] = []
        for offset, char in enumerate(line):
            style = kept[start + offset]
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + char, style)
            else:
                runs.append((char, style))
        result.append(runs)
    return result
