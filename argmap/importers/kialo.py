"""The ``kialo`` importer: the text export of a Kialo discussion.

Kialo writes two shapes of export, both read:

- one line per claim (older exports)::

      Discussion Title: Should hate speech be illegal?

      1. Hate speech should be banned.
      1.1. Con: It is better to challenge bad ideas than to ban them.
      1.1.1. Pro: -> See 1.2.2.

- a line per claim number and the text below it, indented by depth, footnotes at the end (newer exports)::

      Discussion Name:
      Do children need a father?

      1. Thesis:
      Children need a father.

        1.1. Pro:
        85% [1] of imprisoned youths grew up in a fatherless home.

      Sources:
      [1] https://example.org/statistics

The mapping (docs/formats.md, "Kialo text export"):

- every claim is a statement; its text is the claim's text, lines joined, Kialo's escapes (``\\(``) undone, a
  Markdown link ``[text](url)`` a link, a footnote ``[1]`` a link to its source; the claim's number is kept as
  its data ``kialo: 1.1.2``;
- ``Pro:`` is a support of the claim above, ``Con:`` an attack;
- a cross link ``-> See 1.2.2.`` is the same relation from the claim numbered 1.2.2 (no new statement); a link
  into another discussion ``-> See discussion #123: text`` is a statement with that text (data
  ``kialo: discussion #123``), one per discussion and text;
- the discussion's title is the map's front matter ``title``;
- a multi-thesis discussion's question (``1. Question:``) is a statement and each ``Thesis:`` below it a
  statement with its own pros and cons, not related to the question (the model has no relation for "answers");
- titles are made from the first words of the claim's text (at most 40 characters, whole words, letters,
  digits, apostrophes and hyphens); a title another claim took already gets the claim's number:
  ``Hate speech should be banned (1.4)``; a text without words gets ``Claim 1.4``. Titles depend only on the
  texts and their order, so an export read twice gives the same titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NoReturn

import attrs

from ..model import ArgumentMap, ElementKind, Node, RangeKind, Relation, RelationKind, SourceSpan, Statement
from . import Imported, fail, folded, plural

__all__ = ["IMPORTER", "KialoImporter"]

_HEADER = re.compile(r"\A[ \t]*Discussion (Title|Name):[ \t]*(.*)\Z")
_SNIFF = re.compile(r"\A\s*Discussion (?:Title|Name):")
#: a claim's first line: its number, then (except the old shape's thesis) its kind
_LABEL = re.compile(r"\A([ \t]*)((?:\d+\.)+)(?:[ \t]+(Pro|Con|Thesis|Question):[ \t]*|[ \t]+|\Z)(.*)\Z")
_CROSS_LINK = re.compile(r"\A->[ \t]*See[ \t]+((?:\d+\.)+)[ \t]*\Z")
_OTHER_DISCUSSION = re.compile(r"\A->[ \t]*See[ \t]+discussion[ \t]+#(\d+):?[ \t]*(.*)\Z", re.S)
_FOOTNOTE = re.compile(r"\A[ \t]*\[(\d+)\][ \t]+(\S.*?)[ \t]*\Z")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_FOOTNOTE_REF = re.compile(r"\[(\d+)\]")
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?%?")
#: what the notation keeps of a link (argmap.exporters.argdown_text): longer texts and URLs stay plain text
_LABEL_MAX = 100
_URL_MAX = 2000
_TITLE_MAX = 40
#: words a shortened title does not end with (English: Kialo's most common language)
_DANGLING = frozenset(
    "a an the and or but nor than then to of in on at by for from with as that which who whose if is are was "
    "were be been not no so its their his her our your my this these those there".split()
)


@attrs.define
class _Claim:
    number: str
    kind: str | None
    line: int
    column: int
    lines: list[str]
    end_line: int
    title: str = ""

    @property
    def parent(self) -> str:
        return self.number[: self.number.rstrip(".").rfind(".") + 1]

    @property
    def raw(self) -> str:
        return "\n".join(line.strip() for line in self.lines).strip()


def _split_sources(lines: list[str]) -> tuple[int, dict[str, str]]:
    """Where the footnotes (``Sources:`` then ``[n] url`` lines to the end) start, and the URL of each number."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() == "Sources:":
            sources: dict[str, str] = {}
            for line in lines[i + 1 :]:
                if not line.strip():
                    continue
                match = _FOOTNOTE.match(line)
                if match is None:
                    return len(lines), {}
                sources[match.group(1)] = match.group(2)
            return i, sources
    return len(lines), {}


def _url(url: str) -> str:
    """A URL as the notation can write it: parentheses percent-encoded."""
    return url.replace("(", "%28").replace(")", "%29")


def _linkable(label: str, url: str) -> bool:
    return bool(label.strip()) and len(label) <= _LABEL_MAX and 0 < len(url) <= _URL_MAX and not re.search(r"\s", url)


def _text(raw: str, sources: dict[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    """Kialo's text as plain text and its links ``(start, end, url)``: escapes undone, Markdown links and footnotes."""
    out: list[str] = []
    links: list[tuple[int, int, str]] = []
    length = 0
    position = 0
    pattern = re.compile(f"{_ESCAPE.pattern}|{_LINK.pattern}|{_FOOTNOTE_REF.pattern}")
    for match in pattern.finditer(raw):
        out.append(raw[position : match.start()])
        length += match.start() - position
        escaped, label, url, footnote = match.groups()
        if escaped is not None:
            piece = escaped
        elif label is not None:
            piece = _ESCAPE.sub(r"\1", label)
            if _linkable(piece, _url(url)):
                links.append((length, length + len(piece), _url(url)))
        else:
            piece = match.group()
            source = sources.get(footnote)
            if source is not None and _linkable(footnote, _url(source)):
                links.append((length + 1, length + 1 + len(footnote), _url(source)))  # the number in [n]
        out.append(piece)
        length += len(piece)
        position = match.end()
    out.append(raw[position:])
    return "".join(out), links


def _without_footnotes(text: str, sources: dict[str, str]) -> str:
    return _FOOTNOTE_REF.sub(lambda m: " " if m.group(1) in sources else m.group(), text)


def _title_words(text: str) -> str:
    """The first words of ``text``, at most :data:`_TITLE_MAX` characters (a longer first word is cut)."""
    words: list[str] = []
    length = 0
    for match in _WORD.finditer(text):
        word = match.group()
        if words and length + 1 + len(word) > _TITLE_MAX:
            break
        words.append(word[:_TITLE_MAX])
        length += len(word) + (1 if len(words) > 1 else 0)
    shortened = len(words) < sum(1 for _ in _WORD.finditer(text))
    while shortened and len(words) > 2 and words[-1].lower() in _DANGLING:  # "... bad ideas than" reads cut off
        words.pop()
    return " ".join(words)


@attrs.define
class _Parse:
    text: str
    source_name: str
    lines: list[str]
    claims: dict[str, _Claim] = attrs.Factory(dict)
    title: str = ""
    #: the line the claims start after (the header's last line)
    body: int = 0

    def fail(self, message: str, line: int, column: int = 1, hint: str | None = None) -> NoReturn:
        fail(message, self.text, self.source_name, line, column, hint=hint)

    def header(self) -> None:
        first = next((i for i, line in enumerate(self.lines) if line.strip()), None)
        match = _HEADER.match(self.lines[first]) if first is not None else None
        if first is None or match is None:
            self.fail(
                "not a Kialo text export: it starts with neither 'Discussion Title:' nor 'Discussion Name:'",
                (first or 0) + 1,
                hint="export a discussion from Kialo as text, or name the format of this file with --from",
            )
        self.title, self.body = match.group(2).strip(), first + 1
        if not self.title:  # the newer shape: the title is on the next line
            following = next((i for i in range(first + 1, len(self.lines)) if self.lines[i].strip()), None)
            if following is not None and not _LABEL.match(self.lines[following]):
                self.title, self.body = self.lines[following].strip(), following + 1

    def claims_in(self, end: int) -> None:
        current: _Claim | None = None
        for index in range(self.body, end):
            line = self.lines[index]
            match = _LABEL.match(line)
            is_label = match is not None and (
                match.group(3) is not None or (not self.claims and match.group(2) == "1.")
            )
            if match is not None and is_label:
                indent, number, kind, rest = match.groups()
                column = len(indent) + 1
                if number in self.claims:
                    self.fail(f"claim {number} appears twice", index + 1, column)
                if "." in number.rstrip(".") and number[: number.rstrip(".").rfind(".") + 1] not in self.claims:
                    parent = number[: number.rstrip(".").rfind(".") + 1]
                    self.fail(
                        f"claim {number} comes before any claim {parent}, the claim it answers", index + 1, column
                    )
                if "." not in number.rstrip(".") and self.claims:
                    self.fail(f"a second top claim {number}: a discussion has one", index + 1, column)
                current = self.claims[number] = _Claim(number, kind, index + 1, column, [rest or ""], index + 1)
            elif current is not None:
                current.lines.append(line)
                if line.strip():
                    current.end_line = index + 1
            elif line.strip():
                self.fail("expected the first claim, '1.', here", index + 1, len(line) - len(line.lstrip()) + 1)
        if not self.claims:
            self.fail("the export has no claims: expected '1.' and the thesis", len(self.lines) or 1)


@attrs.frozen
class KialoImporter:
    name: str = "kialo"
    description: str = "Kialo's text export of a discussion (Discussion Title: ..., 1.1. Pro: ...)"
    suffixes: tuple[str, ...] = (".txt",)

    def sniff(self, head: str) -> bool:
        """A text that starts with ``Discussion Title:`` (or the newer export's ``Discussion Name:``)."""
        return _SNIFF.match(head.removeprefix("\ufeff")) is not None

    def read(self, text: str, *, source_name: str = "<input>") -> Imported:
        text = text.removeprefix("\ufeff")
        lines = text.splitlines()
        parse = _Parse(text, source_name, lines)
        parse.header()
        end, sources = _split_sources(lines)
        parse.claims_in(end)
        return _build(parse, sources)


def _resolve(parse: _Parse) -> dict[str, str]:
    """Each position's claim: itself, or for a cross link the claim it points to (links to links followed)."""
    targets: dict[str, str] = {}
    for number, claim in parse.claims.items():
        match = _CROSS_LINK.match(claim.raw)
        if match is not None:
            target = match.group(1)
            if target not in parse.claims:
                parse.fail(
                    f"the cross link of claim {number} points to {target}, which the export does not have",
                    claim.line,
                    claim.column,
                )
            targets[number] = target
    resolved: dict[str, str] = {}
    for number in parse.claims:
        seen = [number]
        while seen[-1] in targets:
            following = targets[seen[-1]]
            if following in seen:
                claim = parse.claims[number]
                parse.fail(f"the cross links from claim {number} go round in a circle", claim.line, claim.column)
            seen.append(following)
        resolved[number] = seen[-1]
    return resolved


def _unique(title: str, number: str, taken: set[str]) -> str:
    if not title:
        title = f"Claim {number.rstrip('.')}"
    if title in taken:
        title = f"{title} ({number.rstrip('.')})"
    candidate, n = title, 2
    while candidate in taken:
        candidate, n = f"{title} {n}", n + 1
    taken.add(candidate)
    return candidate


def _build(parse: _Parse, sources: dict[str, str]) -> Imported:
    from ..model import Text, TextRange

    resolved = _resolve(parse)
    taken: set[str] = set()
    statements: dict[str, Statement] = {}
    others: dict[tuple[str, str], str] = {}  # (discussion, text) -> title
    links_out = 0  # positions linking into other discussions
    #: the statement each position stands for
    title_of: dict[str, str] = {}
    for number, claim in parse.claims.items():
        if resolved[number] != number:
            continue
        raw = claim.raw
        other = _OTHER_DISCUSSION.match(raw)
        links_out += other is not None
        if other is not None and (other.group(1), other.group(2).strip()) in others:
            title_of[number] = others[(other.group(1), other.group(2).strip())]
            continue
        plain, links = _text(other.group(2) if other is not None else raw, sources)
        ranges = tuple(TextRange(RangeKind.LINK, start, end, url) for start, end, url in links)
        text = folded(plain, ranges)
        if not text.text:
            parse.fail(f"claim {number} has no text", claim.line, claim.column)
        title = _unique(_title_words(_without_footnotes(text.text, sources)), number, taken)
        data = {"kialo": f"discussion #{other.group(1)}" if other is not None else number.rstrip(".")}
        span = SourceSpan(claim.line, claim.column, claim.end_line, len(parse.lines[claim.end_line - 1]) + 1)
        statements[title] = Statement(title, (Text(text.text, span, text.ranges),), data=data, span=span)
        title_of[number] = title
        if other is not None:
            others[(other.group(1), other.group(2).strip())] = title
    for number in parse.claims:
        title_of.setdefault(number, title_of[resolved[number]])

    relations: dict[Relation, None] = {}
    unrelated: list[str] = []
    for number, claim in parse.claims.items():
        if not claim.parent:
            continue
        if claim.kind not in ("Pro", "Con"):
            unrelated.append(number)
            continue
        source, target = title_of[number], title_of[claim.parent]
        if source == target:
            continue
        kind = RelationKind.SUPPORT if claim.kind == "Pro" else RelationKind.ATTACK
        relations[Relation(Node(ElementKind.STATEMENT, source), Node(ElementKind.STATEMENT, target), kind)] = None
    argmap = ArgumentMap(
        statements=statements,
        relations=tuple(relations),
        metadata={"title": parse.title} if parse.title else {},
        source_name=parse.source_name,
    )
    return Imported(argmap, tuple(_notes(parse, unrelated, others, links_out)))


def _notes(parse: _Parse, unrelated: list[str], others: dict[tuple[str, str], str], links_out: int) -> Iterator[str]:
    if unrelated:
        kinds = sorted({parse.claims[n].kind or "no kind" for n in unrelated})
        yield (
            f"dropped how {plural(len(unrelated), 'claim')} ({', '.join(kinds)}) relate to the claim above them "
            f"(first: {unrelated[0].rstrip('.')}): only Pro and Con are relations in the model"
        )
    if others:
        discussions = sorted({discussion for discussion, _ in others}, key=int)
        yield (
            f"dropped the rest of {plural(len(discussions), 'other discussion')} (#{', #'.join(discussions)}) "
            f"that {plural(links_out, 'cross link')} {'leads' if links_out == 1 else 'lead'} into: "
            f"only the linked {'claim is' if len(others) == 1 else 'claims are'} in the map"
        )


IMPORTER = KialoImporter()
