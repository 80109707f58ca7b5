"""Quotes held to their source: does every ``quote`` of a map occur in the text it claims to quote?

A map that renders a text (an article, a speech, a debate transcript) quotes it in the data of its
statements and arguments: ``{quote: "..."}`` or ``{quote: ["...", "..."]}``. :func:`check_quotes`
looks each quote up in the source text and reports where it is (character offsets, line and column)
or, when it is not there, the passage of the source that comes closest, so a typo in a transcription
is found and shown. :class:`Coverage` says how much of the source the quotes cover.

Quotes and source are compared after normalising what transcription changes without changing the
words (see :func:`normalise`): runs of white space and line breaks are one space; curly and straight
quotation marks and apostrophes are the same; every dash (hyphen, en dash, em dash, minus, ``--``)
is one ``-`` whatever the spaces around it; ``…`` is ``...``; soft hyphens and zero-width characters
vanish. Letters, case, digits and other punctuation must match.

>>> source = "He said: “It’s time – now.”\\nThen he left."
>>> import argmap
>>> m = argmap.parse('[A]: Time.\\n  {quote: "It\\'s time - now."}')
>>> report = check_quotes(m, source, "speech.txt")
>>> [(q.quote, q.found.line, q.found.column, q.found.text) for q in report.quotes]
[("It's time - now.", 1, 11, 'It’s time – now.')]
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import heapq
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import ExporterError, SourceFileError
from .model import Argument, ArgumentMap, ElementKind, Node, SourceSpan, Statement

__all__ = [
    "Coverage",
    "NormalisedText",
    "Passage",
    "QuoteCheck",
    "QuoteReport",
    "check_quotes",
    "front_matter_source",
    "normalise",
    "quotes_of",
    "read_source_text",
    "report_for_export",
]

#: how similar (0..1, difflib's ratio) the closest passage must be to be offered as "did you mean"
SUGGEST_AT = 0.6
#: how many unquoted stretches a coverage report keeps, longest first
LONGEST_STRETCHES = 5

# -- normalising ----------------------------------------------------------------

_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02\u301d\u301e"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u02bc\uff07`\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
#: characters that vanish: soft hyphen, zero-width space and joiners, word joiner, byte order mark, NUL
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\x00"


def _translation() -> dict[int, str]:
    table = {ord(c): '"' for c in _DOUBLE_QUOTES}
    table.update({ord(c): "'" for c in _SINGLE_QUOTES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(c): "\x00" for c in _INVISIBLE})
    # every character Python calls white space (line and paragraph separators, no-break and thin spaces...)
    table.update({c: " " for c in range(0x3000 + 1) if chr(c).isspace()})
    return table


#: one character for one character, so offsets survive: marks and dashes to ASCII, spaces to ' ', invisibles to NUL
_TABLE = _translation()
#: after the table: a run of dashes with the spaces around it, a run of spaces (or invisibles), an ellipsis
_RUN = re.compile(r"[ \x00]*-[- \x00]*|[ \x00]+|\u2026")


@attrs.frozen
class NormalisedText:
    """A text in normalised form, with the way back to offsets in the original.

    ``text[i]`` came from ``original[start_of(i):end_of(i)]``.
    """

    original: str
    text: str
    #: per stretch of ``text``: where it starts in ``text``, where it came from in ``original``, and
    #: whether it was copied (offsets map one to one) or replaced (every character maps to the whole run)
    _starts: tuple[int, ...] = attrs.field(repr=False)
    _origins: tuple[int, ...] = attrs.field(repr=False)
    _ends: tuple[int, ...] = attrs.field(repr=False)
    _copied: tuple[bool, ...] = attrs.field(repr=False)

    def start_of(self, index: int) -> int:
        """The offset in ``original`` where character ``index`` of ``text`` starts."""
        k = bisect.bisect_right(self._starts, index) - 1
        if self._copied[k]:
            return self._origins[k] + index - self._starts[k]
        return self._origins[k]

    def end_of(self, index: int) -> int:
        """The offset in ``original`` just after character ``index`` of ``text``."""
        k = bisect.bisect_right(self._starts, index) - 1
        if self._copied[k]:
            return self._origins[k] + index - self._starts[k] + 1
        return self._ends[k]

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """``text[start:end]`` (not empty) as offsets in ``original``, without white space at the ends."""
        first, last = self.start_of(start), self.end_of(end - 1)
        while first < last and (self.original[first].isspace() or self.original[first] in _INVISIBLE):
            first += 1
        while last > first and (self.original[last - 1].isspace() or self.original[last - 1] in _INVISIBLE):
            last -= 1
        return first, last


def normalise(text: str) -> NormalisedText:
    """``text`` with white space, quotation marks, dashes, ellipses and invisible characters normalised.

    >>> normalise("It’s  late —\\nreally…").text
    "It's late-really..."
    """
    translated = text.translate(_TABLE)
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    ends: list[int] = []
    copied: list[bool] = []
    length = 0
    position = 0

    def add(piece: str, origin: int, end: int, is_copy: bool) -> None:
        nonlocal length
        if not piece:
            return
        pieces.append(piece)
        starts.append(length)
        origins.append(origin)
        ends.append(end)
        copied.append(is_copy)
        length += len(piece)

    for match in _RUN.finditer(translated):
        start, end = match.span()
        add(translated[position:start], position, start, True)
        run = match.group()
        if "-" in run:
            replacement = "-"
        elif run == "\u2026":
            replacement = "..."
        else:
            replacement = " " if " " in run else ""
        add(replacement, start, end, False)
        position = end
    add(translated[position:], position, len(text), True)
    normalised = "".join(pieces)
    if not starts:
        starts, origins, ends, copied = [0], [0], [0], [True]
    return NormalisedText(text, normalised, tuple(starts), tuple(origins), tuple(ends), tuple(copied))


# -- positions ------------------------------------------------------------------


class _Lines:
    """Line and column (1-based, in characters) of offsets in a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer(r"\r\n|\r|\n", text))

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        if line < 1 or line > len(self.starts):
            return 0
        return self.starts[line - 1] + max(column - 1, 0)


@attrs.frozen
class Passage:
    """A stretch ``source[start:end]`` of a source text, with its line and column (1-based; end column exclusive)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    #: the passage as the source writes it
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
        }


def _passage(text: str, lines: _Lines, start: int, end: int) -> Passage:
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    return Passage(start, end, line, column, end_line, end_column, text[start:end])


# -- the report -------------------------------------------------------------------


@attrs.frozen
class QuoteCheck:
    """One quote of one element, looked up in the source."""

    #: the statement or argument whose data holds the quote
    element: Node
    #: its position in the element's quote list (0 for a single quote)
    index: int
    #: the quote as the map writes it
    quote: str
    #: where the quote is written in the map (the element's span when it could not be placed more exactly)
    span: SourceSpan
    #: where the source has it; None when it does not
    found: Passage | None = None
    #: for a quote not found: the passage of the source that comes closest (None when nothing is close at all)
    closest: Passage | None = None
    #: how similar ``closest`` is to the quote, 0..1 (1.0 when found)
    similarity: float = 0.0
    #: for a quote not found: the first differences between quote and closest passage, in words
    differences: tuple[str, ...] = ()
    #: why the quote could not be looked up at all (it is not text), else None
    problem: str | None = None

    @property
    def missing(self) -> bool:
        """True when the quote is text the source does not contain."""
        return self.found is None and self.problem is None

    @property
    def suggestion(self) -> Passage | None:
        """The closest passage when it is close enough to offer as "did you mean"."""
        return self.closest if self.closest is not None and self.similarity >= SUGGEST_AT else None


@attrs.frozen
class Coverage:
    """How much of the source the found quotes cover.

    Sentences are split at ``.``, ``!``, ``?`` and ``…`` followed by white space, and at blank lines;
    a sentence without a letter or digit is not counted. A sentence is *quoted* when quotes cover at
    least half of its characters, *partly quoted* when they cover less but some. Characters are counted
    without white space.
    """

    sentences: int
    quoted_sentences: int
    partly_quoted_sentences: int
    characters: int
    quoted_characters: int
    #: the longest stretches of the source no quote touches, longest first
    unquoted: tuple[Passage, ...]

    @property
    def sentence_share(self) -> float:
        return self.quoted_sentences / self.sentences if self.sentences else 0.0

    @property
    def character_share(self) -> float:
        return self.quoted_characters / self.characters if self.characters else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "quoted_sentences": self.quoted_sentences,
            "partly_quoted_sentences": self.partly_quoted_sentences,
            "characters": self.characters,
            "quoted_characters": self.quoted_characters,
            "unquoted": [p.to_json() for p in self.unquoted],
        }

    def summary(self) -> str:
        """One line: the shares of sentences and characters quoted."""
        return (
            f"quotes cover {self.quoted_sentences} of {self.sentences} sentences ({self.sentence_share:.0%}; "
            f"{self.partly_quoted_sentences} more partly) and {self.character_share:.0%} of the characters"
        )

    def describe(self) -> list[str]:
        """The report as lines of text: the summary, then the longest unquoted stretches."""
        lines = [self.summary()]
        if self.unquoted:
            lines.append("longest unquoted stretches:")
        for p in self.unquoted:
            where = f"line {p.line}" if p.line == p.end_line else f"lines {p.line}-{p.end_line}"
            size = sum(not c.isspace() for c in p.text)
            lines.append(f"  {where} ({size} characters): {_preview(p.text)}")
        return lines


def _preview(text: str, width: int = 72) -> str:
    flat = " ".join(text.split())
    if len(flat) <= width:
        return f'"{flat}"'
    head = width * 2 // 3
    return f'"{flat[:head].rstrip()} … {flat[-(width - head - 3) :].lstrip()}"'


@attrs.frozen
class QuoteReport:
    """Every quote of a map looked up in one source text, and how much of the source they cover."""

    source_name: str
    quotes: tuple[QuoteCheck, ...]
    coverage: Coverage

    @property
    def missing(self) -> tuple[QuoteCheck, ...]:
        """The quotes the source does not contain."""
        return tuple(q for q in self.quotes if q.missing)

    @property
    def found(self) -> tuple[QuoteCheck, ...]:
        return tuple(q for q in self.quotes if q.found is not None)

    def of(self, element: Node) -> tuple[QuoteCheck, ...]:
        """The checks of one element's quotes, in order."""
        return tuple(q for q in self.quotes if q.element == element)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready objects (what ``export(m, "json", source=...)`` writes under ``quotes``)."""
        items = []
        for q in self.quotes:
            item: dict[str, Any] = {
                "element": {"kind": q.element.kind.value, "title": q.element.title},
                "index": q.index,
                "text": q.quote,
                "found": q.found is not None,
            }
            if q.found is not None:
                item.update({k: v for k, v in q.found.to_json().items() if k != "text"})
            if q.closest is not None:
                item["closest"] = {**q.closest.to_json(), "similarity": round(q.similarity, 3)}
            if q.problem is not None:
                item["problem"] = q.problem
            items.append(item)
        return {"source": self.source_name, "items": items, "coverage": self.coverage.to_json()}


# -- collecting the quotes ----------------------------------------------------------


def quotes_of(data: Mapping[str, Any]) -> list[tuple[str | None, str | None]]:
    """The quotes in an element's data as (text, problem) pairs: a list gives one per item.

    Numbers and dates are read as their text; an empty quote is left out; a mapping, a nested list or
    a boolean is a problem, not a quote.
    """
    if "quote" not in data:
        return []
    value = data["quote"]
    items = value if isinstance(value, list) else [value]
    found: list[tuple[str | None, str | None]] = []
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, str):
            found.append((item, None))
        elif isinstance(item, (int, float, datetime.date, datetime.time)) and not isinstance(item, bool):
            found.append((item.isoformat() if isinstance(item, (datetime.date, datetime.time)) else str(item), None))
        else:
            kind = {dict: "a mapping", list: "a list", bool: "true or false"}.get(type(item), type(item).__name__)
            found.append((None, f"a quote must be text, not {kind}"))
    return found


#: what comes right before a quote written in a data block: an opening mark, the ``quote:`` key, a flow list's
#: ``[`` or ``,``, a block list's ``-``, or the indentation of a block scalar's line
_BEFORE_QUOTE = re.compile(r"(?:[\"']|\bquote[ \t]*:[ \t]*|[\[,][ \t]*|^[ \t]*-[ \t]+|^[ \t]*)\Z", re.MULTILINE)
_QUOTE_KEY = re.compile(r"\bquote\s*:")


def _locate(map_text: str, lines: _Lines, span: SourceSpan, quote: str | None) -> SourceSpan | None:
    """Where ``quote`` is written in the map's notation, looking from the element's span on."""
    if span.source or span.line <= 0:
        return None
    begin = lines.offset(span.line, span.column)
    forms = [] if quote is None else [quote, json.dumps(quote, ensure_ascii=False)[1:-1], quote.replace("'", "''")]
    for start in (begin, 0):
        best: int | None = None
        best_form = ""
        for form in dict.fromkeys(forms):
            at = map_text.find(form, start) if form else -1
            while at >= 0 and not _BEFORE_QUOTE.search(map_text, max(at - 80, 0), at):
                at = map_text.find(form, at + 1)
            if at >= 0 and (best is None or at < best):
                best, best_form = at, form
        if best is not None:
            line, column = lines.position(best)
            end_line, end_column = lines.position(best + len(best_form))
            return SourceSpan(line, column, end_line, end_column)
    key = _QUOTE_KEY.search(map_text, begin)
    if key is not None:
        line, column = lines.position(key.start())
        return SourceSpan(line, column, line, column + len("quote"))
    return None


# -- finding the closest passage ------------------------------------------------------

_WORD = re.compile(r"\w+")
#: a word this frequent in the source says nothing about where a quote is
_COMMON = 2000


class _Finder:
    """The source's words and an index of them, built once, to find the passage closest to a quote."""

    def __init__(self, source: NormalisedText) -> None:
        self.source = source
        self.words = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(source.text)]
        self.index: dict[str, list[int]] = {}
        for i, (_, _, word) in enumerate(self.words):
            self.index.setdefault(word, []).append(i)

    def closest(self, quote: str) -> tuple[int, int, float] | None:
        """The normalised source range closest to the normalised ``quote`` and its similarity, or None."""
        qwords = [m.group().casefold() for m in _WORD.finditer(quote)]
        if not qwords or not self.words:
            return None
        n = len(qwords)
        votes: dict[int, int] = {}
        rare = [(i, w) for i, w in enumerate(qwords) if len(self.index.get(w, ())) <= _COMMON]
        for i, word in rare or list(enumerate(qwords)):
            for position in self.index.get(word, ()):
                diagonal = position - i
                votes[diagonal] = votes.get(diagonal, 0) + 1
        if not votes:
            return None
        # a word added or dropped shifts the rest of the quote by one: count neighbouring diagonals together
        smoothed = {d: sum(votes.get(d + k, 0) for k in (-2, -1, 0, 1, 2)) for d in votes}
        candidates = heapq.nlargest(5, smoothed, key=lambda d: (smoothed[d], votes[d], -d))
        best: tuple[float, int, int] | None = None
        last = len(self.words) - 1
        for diagonal in candidates:
            start = min(max(diagonal, 0), last)
            end = min(max(diagonal + n - 1, start), last)
            start = self._best(quote, [(s, end) for s in range(max(start - 2, 0), min(start + 3, end + 1))])[1]
            score, start, end = self._best(
                quote, [(start, e) for e in range(max(end - 2, start), min(end + 3, last + 1))]
            )
            if best is None or score > best[0]:
                best = (score, start, end)
        assert best is not None
        score, first, last_word = best
        begin, finish = self._range(quote, first, last_word)
        return begin, finish, score

    def _range(self, quote: str, first: int, last: int) -> tuple[int, int]:
        """Words ``first..last`` as a normalised range, with the punctuation the quote has at its ends."""
        text = self.source.text
        begin, finish = self.words[first][0], self.words[last][1]
        lead = len(quote) - len(quote.lstrip("\"'([-.,;:!?"))
        trail = len(quote) - len(quote.rstrip("\"')]-.,;:!?"))
        while lead and begin > 0 and not text[begin - 1].isspace() and not text[begin - 1].isalnum():
            begin, lead = begin - 1, lead - 1
        while trail and finish < len(text) and not text[finish].isspace() and not text[finish].isalnum():
            finish, trail = finish + 1, trail - 1
        return begin, finish

    def _best(self, quote: str, spans: Iterable[tuple[int, int]]) -> tuple[float, int, int]:
        best = (-1.0, 0, 0)
        for first, last in spans:
            begin, finish = self._range(quote, first, last)
            score = difflib.SequenceMatcher(None, quote, self.source.text[begin:finish], autojunk=False).ratio()
            if score > best[0]:
                best = (score, first, last)
        return best


#: a word (with inner apostrophes), a run of dashes, an ellipsis, or one other mark: what differences are told in
_TOKEN = re.compile(r"\w+(?:'\w+)*|-+|\.\.\.|[^\w\s\x00]")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """``text`` as tokens to compare (marks and dashes normalised), each with where it is in ``text``."""
    found = []
    for m in _TOKEN.finditer(text.translate(_TABLE)):
        token = m.group()
        key = "-" if token[0] == "-" else "..." if token == "\u2026" else token
        found.append((key, m.start(), m.end()))
    return found


def _differences(quote: str, passage: str, limit: int = 3) -> tuple[str, ...]:
    """The first differences between a quote and a passage, in words as each writes them."""
    q, p = _tokens(quote), _tokens(passage)

    def shown(text: str, tokens: list[tuple[str, int, int]], first: int, last: int) -> str:
        return " ".join(text[tokens[first][1] : tokens[last - 1][2]].split())

    found = []
    matcher = difflib.SequenceMatcher(None, [t[0] for t in q], [t[0] for t in p], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            found.append(
                f'the source has "{shown(passage, p, j1, j2)}" where the quote has "{shown(quote, q, i1, i2)}"'
            )
        elif tag == "delete":
            found.append(f'the quote adds "{shown(quote, q, i1, i2)}"')
        elif tag == "insert":
            found.append(f'the quote leaves out "{shown(passage, p, j1, j2)}"')
    if len(found) > limit:
        found = [*found[:limit], f"{len(found) - limit} more differences"]
    return tuple(found)


# -- coverage ------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, white space trimmed."""
    position = 0
    for boundary in [*(m for m in _PARAGRAPH.finditer(text)), None]:
        end = boundary.start() if boundary is not None else len(text)
        start = position
        for m in _SENTENCE_END.finditer(text, position, end):
            yield from _trimmed(text, start, m.start())
            start = m.end()
        yield from _trimmed(text, start, end)
        position = boundary.end() if boundary is not None else len(text)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _after_punctuation(text: str, start: int, end: int) -> int:
    while start < end and text[start] in ".,;:!?)]\"'\u2019\u201d":
        start += 1
    return start


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _coverage(text: str, lines: _Lines, covered: Sequence[tuple[int, int]], longest: int) -> Coverage:
    # prefix[i]: characters other than white space in text[:i]
    prefix = [0]
    total = 0
    for c in text:
        total += not c.isspace()
        prefix.append(total)
    merged = _merge(covered)
    starts = [s for s, _ in merged]

    def covered_in(start: int, end: int) -> int:
        count = 0
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        while k < len(merged) and merged[k][0] < end:
            lo, hi = max(merged[k][0], start), min(merged[k][1], end)
            if lo < hi:
                count += prefix[hi] - prefix[lo]
            k += 1
        return count

    sentences = quoted = partly = 0
    for start, end in _sentences(text):
        if not _WORD.search(text, start, end):
            continue
        sentences += 1
        size = prefix[end] - prefix[start]
        inside = covered_in(start, end)
        if inside * 2 >= size:
            quoted += 1
        elif inside:
            partly += 1
    gaps: list[tuple[int, int]] = []
    position = 0
    for start, end in [*merged, (len(text), len(text))]:
        gaps.extend(_trimmed(text, position, start))
        position = end
    # a stretch that starts where a quote stopped short of its sentence's end starts with that punctuation
    gaps = [g for start, end in gaps for g in _trimmed(text, _after_punctuation(text, start, end), end)]
    gaps = [g for g in gaps if _WORD.search(text, *g)]
    longest_gaps = heapq.nlargest(longest, gaps, key=lambda g: (prefix[g[1]] - prefix[g[0]], -g[0]))
    return Coverage(
        sentences=sentences,
        quoted_sentences=quoted,
        partly_quoted_sentences=partly,
        characters=total,
        quoted_characters=covered_in(0, len(text)),
        unquoted=tuple(_passage(text, lines, s, e) for s, e in longest_gaps),
    )


# -- the check -------------------------------------------------------------------------


def check_quotes(
    argument_map: ArgumentMap,
    source_text: str,
    source_name: str = "<source>",
    *,
    map_text: str | None = None,
    longest: int = LONGEST_STRETCHES,
) -> QuoteReport:
    """Look up every quote of ``argument_map``'s statements and arguments in ``source_text``.

    ``map_text``, the notation the map was read from, places each quote at its own line and column;
    without it a quote is placed at its element. ``longest`` is how many unquoted stretches the
    coverage keeps.
    """
    source = normalise(source_text)
    source_lines = _Lines(source_text)
    map_lines = _Lines(map_text) if map_text is not None else None
    finder: _Finder | None = None
    checks: list[QuoteCheck] = []
    covered: list[tuple[int, int]] = []
    elements: list[tuple[ElementKind, Statement | Argument]] = [
        (ElementKind.STATEMENT, s) for s in argument_map.statements.values()
    ]
    elements.extend((ElementKind.ARGUMENT, a) for a in argument_map.arguments.values())
    for kind, element in elements:
        node = Node(kind, element.title)
        for index, (quote, problem) in enumerate(quotes_of(element.data)):
            span = element.span
            if map_text is not None and map_lines is not None:
                span = _locate(map_text, map_lines, element.span, quote) or element.span
            if quote is None:
                checks.append(QuoteCheck(node, index, "", span, problem=problem))
                continue
            wanted = normalise(quote).text.strip(" ")
            at = source.text.find(wanted) if wanted else -1
            if at >= 0:
                start, end = source.original_range(at, at + len(wanted))
                covered.append((start, end))
                passage = _passage(source_text, source_lines, start, end)
                checks.append(QuoteCheck(node, index, quote, span, found=passage, similarity=1.0))
                continue
            if not wanted:
                checks.append(QuoteCheck(node, index, quote, span, problem="the quote is only white space"))
                continue
            finder = finder or _Finder(source)
            near = finder.closest(wanted)
            if near is None:
                checks.append(QuoteCheck(node, index, quote, span))
                continue
            begin, finish, score = near
            start, end = source.original_range(begin, finish)
            closest = _passage(source_text, source_lines, start, end)
            differences = _differences(quote, closest.text)
            checks.append(
                QuoteCheck(node, index, quote, span, closest=closest, similarity=score, differences=differences)
            )
    return QuoteReport(source_name, tuple(checks), _coverage(source_text, source_lines, covered, longest))


# -- where the source text is -------------------------------------------------------------


def front_matter_source(
    argument_map: ArgumentMap, base: str | os.PathLike[str] | None = None, *, allow_outside: bool = False
) -> Path | None:
    """The source text file the map's front matter names, or None.

    ``argmap: {source: PATH}`` names it outright: a missing file raises :class:`argmap.errors.SourceFileError`.
    Else the top-level ``source: PATH`` (Argdown's usual citation key) counts when it names an existing file;
    otherwise it is taken for a citation ("The Conversation, 8 January 2019") and ignored. A relative path is
    read from ``base``, by default the folder of the file the map was read from. As with ``@include``, a file
    outside that folder's tree is refused (a :class:`argmap.errors.SourceFileError`) unless ``allow_outside``:
    a map from elsewhere must not make a command print passages of any file it likes.
    """
    if base is None:
        named = Path(argument_map.source_name)
        base = named.parent if argument_map.source_name not in ("", "<string>", "<stdin>") else Path()
    settings = argument_map.metadata.get("argmap")
    explicit = settings.get("source") if isinstance(settings, Mapping) else None
    if isinstance(explicit, str) and explicit.strip():
        path = Path(base, explicit.strip())
        if not path.is_file():
            raise SourceFileError(str(path), "no such file (named by the front matter's argmap.source)")
        return _inside(path, base, allow_outside)
    cited = argument_map.metadata.get("source")
    if isinstance(cited, str) and cited.strip() and "\n" not in cited:
        try:
            path = Path(base, cited.strip())
            if path.is_file():
                return _inside(path, base, allow_outside)
        except (OSError, ValueError):  # not a possible path name: a citation
            pass
    return None


def _inside(path: Path, base: str | os.PathLike[str], allow_outside: bool) -> Path:
    root = Path(base).resolve()
    if not allow_outside and not path.resolve().is_relative_to(root):
        raise SourceFileError(
            str(path), f"the front matter's source text is outside {root} (--allow-include-outside allows it)"
        )
    return path


def read_source_text(path: str | os.PathLike[str]) -> str:
    """A source text file's text: UTF-8 (a BOM is dropped); problems raise :class:`argmap.errors.SourceFileError`."""
    from .errors import ArgmapSyntaxError
    from .reader import read_source

    try:
        return read_source(path).removeprefix("\ufeff")
    except ArgmapSyntaxError as exc:
        raise SourceFileError(os.fspath(path), f"not UTF-8 text ({exc.message})") from None


def report_for_export(argument_map: ArgumentMap, options: MutableMapping[str, Any]) -> QuoteReport | None:
    """The quote report an exporter was asked for, taking its options out of ``options``.

    ``source=PATH`` reads the source text from a file, ``source=True`` from the file the front matter names
    (see :func:`front_matter_source`), ``source_text=TEXT`` takes the text itself. None when none is given.
    """
    source = options.pop("source", None)
    text = options.pop("source_text", None)
    if source is None and text is None:
        return None
    if text is not None:
        if not isinstance(text, str):
            raise ExporterError(f"the source_text option must be text, not {type(text).__name__}")
        name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "<source>"
        return check_quotes(argument_map, text, name)
    if source is True:
        path = front_matter_source(argument_map)
        if path is None:
            raise ExporterError("source=true, but the front matter names no source text file (argmap: {source: PATH})")
    elif isinstance(source, (str, os.PathLike)) and os.fspath(source):
        path = Path(source)
    else:
        raise ExporterError(f"the source option must be a file path or true, not {source!r}")
    return check_quotes(argument_map, read_source_text(path), os.fspath(path))
