"""Plain-text helpers shared by exporters: make user text printable and wrap it."""

from __future__ import annotations

import textwrap
import unicodedata

__all__ = ["clean", "wrap"]

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
