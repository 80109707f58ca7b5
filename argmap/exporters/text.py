"""Plain-text helpers shared by exporters: make user text printable and wrap it."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["clean", "is_clean", "wrap", "wrap_clean", "wrap_styled"]

_REPLACEMENT = "\ufffd"

# Control characters (Unicode category Cc), lone surrogates (Cs) and the noncharacters U+FFFE and U+FFFF are not
# allowed in XML (SVG, Graphviz HTML labels): they are shown as U+FFFD, so that something was there, instead of
# failing the render. Both categories are fixed by Unicode's stability policy, so a character class is exact.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _printable(char: str) -> str:
    return _REPLACEMENT if _UNPRINTABLE.match(char) else char


#: the ASCII characters that :func:`clean` changes: the controls, which hold every white space but the space
_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"


def is_clean(text: str, avoid: bytes = b"") -> bool:
    """A quick test, in C, that ``clean(text)`` is ``text`` and that it holds none of the ASCII characters ``avoid``.

    True only for ASCII text with single spaces between words (most text); False says nothing.
    """
    return (
        text.isascii()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and len(text.encode("ascii").translate(None, _ASCII_CONTROLS + avoid)) == len(text)
    )


def clean(text: str) -> str:
    """``text`` on one line: runs of whitespace (newlines too) become one space, controls become U+FFFD."""
    if is_clean(text):
        return text
    return _UNPRINTABLE.sub(_REPLACEMENT, " ".join(text.split()))


#: where textwrap may break a word at a hyphen: before a letter (``well-known``) or in a dash (``--``)
_HYPHEN_BREAK = re.compile(r"-(?:-|[^\W\d])")


def _fill_words(cleaned: str, width: int) -> list[str] | None:
    """What ``textwrap.wrap`` gives for ``cleaned`` when no word is longer than ``width`` or breaks at a hyphen.

    Then textwrap's chunks are the words and the single spaces between them, and it fills each
    line greedily: a line ends at the last space that leaves it at most ``width`` long. None when
    the text needs textwrap's rules for long or hyphenated words (a hyphen before a digit, as in
    ``#group-3``, never breaks a word).
    """
    if "-" in cleaned and _HYPHEN_BREAK.search(cleaned):
        return None
    lines: list[str] = []
    start, end = 0, len(cleaned)
    while end - start > width:
        cut = cleaned.rfind(" ", start, start + width + 1)
        if cut < start:
            return None  # the next word is longer than a line
        lines.append(cleaned[start:cut])
        start = cut + 1
    lines.append(cleaned[start:])
    return lines


def wrap(text: str, width: int) -> list[str]:
    """The cleaned ``text`` cut into lines of at most ``width`` characters; ``width <= 0`` keeps one line.

    Long words (URLs) are broken too, so no node grows wider than ``width``.
    """
    return wrap_clean(clean(text), width)


def wrap_clean(cleaned: str, width: int) -> list[str]:
    """:func:`wrap` for text that :func:`clean` has made (or that :func:`is_clean` passed)."""
    if not cleaned:
        return []
    if width <= 0 or len(cleaned) <= width:
        return [cleaned]
    filled = _fill_words(cleaned, width)
    if filled is not None:
        return filled
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
        # a run ends where the style changes; each is sliced once (adding a character at a time is quadratic)
        runs: list[tuple[str, _S]] = []
        run_start = start
        for at in range(start + 1, position):
            if kept[at] != kept[at - 1]:
                runs.append((cleaned[run_start:at], kept[run_start]))
                run_start = at
        runs.append((cleaned[run_start:position], kept[run_start]))
        result.append(runs)
    return result
