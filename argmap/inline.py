"""Text inside an element: plain text plus typed ranges (bold, italic, links, mentions).

The grammar hands over the pieces of a text: free text, tags, links and mentions.
Bold and italic are found here, in the free text, with Markdown's rule for
delimiters: ``*`` or ``_`` opens when a non-space follows it and closes when a
non-space precedes it, and ``_`` never opens or closes inside a word. So
``snake_case_word`` and a lone ``*`` stay text instead of being errors, as they
are in Argdown. Backslash escapes (``\\*``, ``\\[``, ``\\#`` ...) give the character itself.

>>> text, ranges = inline_text([("text", "a **bold** and _it_ and snake_case")])
>>> text
'a bold and it and snake_case'
>>> [(r.kind.value, text[r.start:r.end]) for r in ranges]
[('bold', 'bold'), ('italic', 'it')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from .model import RangeKind, TextRange

__all__ = ["collapse", "inline_text"]

#: the white space the notation folds: ASCII only, so a no-break space (U+00A0) stays, as in Argdown
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_SPACE_CHARS = " \t\n\r\f\v"


def collapse(text: str) -> str:
    """Runs of ASCII white space become one space; the ends are stripped."""
    if "  " in text or "\t" in text or "\n" in text or "\r" in text or "\f" in text or "\v" in text:
        return _SPACE.sub(" ", text).strip(_SPACE_CHARS)
    return text.strip(" ")  # single spaces only (the usual case): nothing to fold


_PLAIN = frozenset({"text", "literal", "gap"})
_MARKUP = re.compile(r"[*_\\]")

#: a piece of text: ("text", raw), ("literal", s), ("link", label, url), ("mention", s, title, kind) or ("gap",)
Piece = tuple[str, ...]


@attrs.define
class _Run:
    """A run of ``*`` or ``_`` delimiters at ``index`` in the character list."""

    index: int
    char: str
    length: int
    can_open: bool
    can_close: bool


def _chars(pieces: Iterable[Piece]) -> tuple[list[str], list[bool], list[TextRange]]:
    """Characters, whether each may be a delimiter, and the link/mention ranges over character indices."""
    chars: list[str] = []
    markup: list[bool] = []
    ranges: list[TextRange] = []
    for piece in pieces:
        kind = piece[0]
        if kind == "gap":
            chars.append(" ")
            markup.append(False)
        elif kind == "text":
            raw = piece[1]
            i = 0
            while i < len(raw):
                if raw[i] == "\\" and i + 1 < len(raw):
                    chars.append(raw[i + 1])
                    markup.append(False)
                    i += 2
                    continue
                chars.append(raw[i])
                markup.append(raw[i] in "*_")
                i += 1
        else:
            start = len(chars)
            shown = piece[1]
            chars.extend(shown)
            markup.extend([False] * len(shown))
            if kind == "link":
                ranges.append(TextRange(RangeKind.LINK, start, len(chars), url=piece[2]))
            elif kind == "mention":
                ranges.append(TextRange(RangeKind(piece[3]), start, len(chars), title=piece[2]))
    return chars, markup, ranges


def _runs(chars: Sequence[str], markup: Sequence[bool]) -> list[_Run]:
    runs: list[_Run] = []
    i = 0
    while i < len(chars):
        if not markup[i]:
            i += 1
            continue
        j = i
        while j < len(chars) and markup[j] and chars[j] == chars[i]:
            j += 1
        before = chars[i - 1] if i > 0 else " "
        after = chars[j] if j < len(chars) else " "
        left_flanking = after not in _SPACE_CHARS
        right_flanking = before not in _SPACE_CHARS
        if chars[i] == "_":
            can_open = left_flanking and not before.isalnum()
            can_close = right_flanking and not after.isalnum()
        else:
            can_open = left_flanking
            can_close = right_flanking and not after.isalnum()
        if j - i <= 2:
            runs.append(_Run(i, chars[i], j - i, can_open, can_close))
        i = j
    return runs


def _emphasis(runs: list[_Run]) -> tuple[list[TextRange], set[int]]:
    """Pair openers with closers of the same character and length; returns ranges and removed indices."""
    openers: list[_Run] = []
    ranges: list[TextRange] = []
    removed: set[int] = set()
    for run in runs:
        match = None
        if run.can_close:
            for k in range(len(openers) - 1, -1, -1):
                if openers[k].char == run.char and openers[k].length == run.length:
                    match = k
                    break
        if match is not None:
            opener = openers[match]
            del openers[match:]
            kind = RangeKind.BOLD if run.length == 2 else RangeKind.ITALIC
            ranges.append(TextRange(kind, opener.index + opener.length, run.index))
            removed.update(range(opener.index, opener.index + opener.length))
            removed.update(range(run.index, run.index + run.length))
        elif run.can_open:
            openers.append(run)
    return ranges, removed


def inline_text(pieces: Iterable[Piece]) -> tuple[str, tuple[TextRange, ...]]:
    """Plain text (white space collapsed, ends stripped) and its ranges, in order of their start."""
    pieces = list(pieces)
    if all(p[0] in _PLAIN and not (p[0] == "text" and _MARKUP.search(p[1])) for p in pieces):
        # the common case, no formatting at all: skip the character-by-character work
        return collapse("".join(" " if p[0] == "gap" else p[1] for p in pieces)), ()
    chars, markup, ranges = _chars(pieces)
    emphasis, removed = _emphasis(_runs(chars, markup))
    # copy the characters that stay, collapsing white space; remember where each index went
    out: list[str] = []
    position = [0] * (len(chars) + 1)
    for i, char in enumerate(chars):
        position[i] = len(out)
        if i in removed:
            continue
        if char in _SPACE_CHARS:
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(char)
    position[len(chars)] = len(out)
    while out and out[-1] == " ":
        out.pop()
    text = "".join(out)
    result = []
    for r in sorted([*ranges, *emphasis], key=lambda r: (r.start, -r.end)):
        start, end = min(position[r.start], len(text)), min(position[r.end], len(text))
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            result.append(attrs.evolve(r, start=start, end=end))
    return text, tuple(result)
