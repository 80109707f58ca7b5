"""The ``markdown`` exporter: the map as a readable CommonMark outline.

Each section becomes a heading; under it, the claims and arguments that act on
nothing else in their section are the outline's roots, with what supports,
attacks, undercuts or contradicts them nested below, and each argument's
premises, inference and conclusion listed the first time it appears. An element
met again (a cycle, or one acting on several others) is written as "(see above)".

Everything the author wrote is escaped, so it renders as the same text: a
title like ``[x](javascript:...)`` or ``<script>`` stays text, never a link or HTML.
The formatting the author marked up (a text's ranges) is written as Markdown:
bold, italic, links whose URL is http, https, mailto or relative (any other
scheme, ``javascript:`` first of all, is written as text), and mentions of
elements in bold.

With the option ``evaluate`` (docs/evaluation.md) each item and each step of a
structure starts with its label's glyph (✓ in, ✗ out, ? undecided), an element
written in full has its reason under it, an undercut inference line its label,
and a line at the top says what the glyphs mean and how many of each there are.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ExporterError
from ..model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Node,
    RangeKind,
    RelationKind,
    Statement,
    Text,
    TextRange,
)
from .mapgraph import SYMMETRIC, main_text

if TYPE_CHECKING:
    from ..evaluation import Evaluation, Verdict
    from ..quotes import QuoteCheck, QuoteReport

__all__ = ["EXPORTER", "MarkdownExporter", "escape", "render", "render_text", "safe_url"]

#: how a child acts on its parent, as written before the child
LABELS = {
    RelationKind.SUPPORT: "supports",
    RelationKind.ATTACK: "attacks",
    RelationKind.UNDERCUT: "undercuts",
    RelationKind.CONTRADICTION: "contradicts",
    RelationKind.ENTAILMENT: "entails",
    RelationKind.CONTRARINESS: "is contrary to",
}

# Characters that are markup wherever they stand; ``&`` only before an entity name,
# ``_`` only where it could open or close emphasis (not inside a word).
_INLINE = re.compile(r"[\\`*\[\]<|~]|&(?=#?[0-9A-Za-z]+;)|_")
# What turns the start of a line into a block: list markers, quotes, headings,
# setext underlines, thematic breaks. (``*`` and ``_`` are always escaped.)
_LINE_START = re.compile(r"^(?:[-+=>]|(\d{1,9})([.)]))")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
#: what may not follow ``#tag`` for it to be that tag (the name would go on)
_TAG_GOES_ON = re.compile(r"[\w-]")


def _tag_in_text(tag: str, text: str) -> bool:
    """True when ``text`` says ``#tag`` (not followed by a word character or ``-``) or ``#(tag)``.

    The regular expression ``#(?:tag(?![\\w-])|\\(tag\\))`` without compiling one per tag: a map
    may have thousands of different tags.
    """
    if f"#({tag})" in text:
        return True
    written = "#" + tag
    at = text.find(written)
    while at != -1:
        if not _TAG_GOES_ON.match(text, at + len(written)):
            return True
        at = text.find(written, at + 1)
    return False


def _escape_inline(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if char == "_":
            start = match.start()
            before = text[start - 1] if start > 0 else " "
            after = text[start + 1] if start + 1 < len(text) else " "
            if before.isalnum() and after.isalnum():
                return char
        return "\\" + char

    return _INLINE.sub(replace, text)


def escape(text: str, *, line_start: bool = False) -> str:
    """``text`` as Markdown that renders as exactly that text, on one line.

    Runs of whitespace (line breaks included) become one space. With
    ``line_start`` the text may begin a line (a heading, a quote, a paragraph),
    so block markers at its start and every ``#`` are escaped too.
    """
    text = _WHITESPACE.sub(" ", text).strip()
    escaped = _escape_inline(text)
    if line_start:
        escaped = escaped.replace("#", "\\#")
        escaped = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(), escaped)
    return escaped


#: the schemes a link may have to be written as a link; a URL without a scheme is relative
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: what browsers drop from a URL before reading its scheme (``java\tscript:`` is ``javascript:``)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_DESTINATION_ESCAPE = re.compile(r"[\\&<>()]")
_MARKERS = {RangeKind.BOLD: "**", RangeKind.ITALIC: "*"}


def safe_url(url: str) -> bool:
    """True when ``url`` may be a link: http, https, mailto, or relative (no scheme)."""
    bare = _IGNORED_IN_URL.sub("", url)
    scheme = _SCHEME.match(bare)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def _destination(url: str) -> str:
    """A link destination that means exactly ``url``: no entity, escape or space is read into it."""
    escaped = _DESTINATION_ESCAPE.sub(lambda m: "\\" + m.group(), url.strip())
    return "".join(f"%{ord(c):02X}" if ord(c) <= 0x20 or c == "\x7f" else c for c in escaped)


def _kind_of(char: str) -> str:
    """How CommonMark's flanking rules see a character: "space" (also the edge of the line), "punct" or "word"."""
    if not char or char.isspace():
        return "space"
    return "word" if char.isalnum() else "punct"


def _left_flanking(before: str, after: str) -> bool:
    """CommonMark: a ``*`` run between ``before`` and ``after`` may open emphasis."""
    return _kind_of(after) == "word" or (_kind_of(after) == "punct" and _kind_of(before) != "word")


def _right_flanking(before: str, after: str) -> bool:
    """CommonMark: a ``*`` run between ``before`` and ``after`` may close emphasis."""
    return _kind_of(before) == "word" or (_kind_of(before) == "punct" and _kind_of(after) != "word")


_Span = tuple[int, int, TextRange]


class _Rich:
    """Renders one text with its ranges as CommonMark that shows exactly the text.

    Ranges that cross are cut to nest. Emphasis is written only where its markers
    touch no other marker, its opening run can open and its closing run can close;
    inside other emphasis the opening run must also be unable to close (or it
    would close the outer one). Elsewhere the text stays plain: formatting may be
    lost in odd places, the text never.
    """

    def __init__(self, text: Text, line_start: bool) -> None:
        self.text = text.text
        self.line_start = line_start
        ranges: list[_Span] = []
        for r in sorted(text.ranges, key=lambda r: (r.start, -r.end)):
            start, end = max(r.start, 0), min(r.end, len(self.text))
            # whitespace at the edges goes outside the markers, where CommonMark wants it
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
            if start < end:
                ranges.append((start, end, r))
        self.ranges = ranges

    def plain(self, start: int, end: int) -> str:
        chunk = _WHITESPACE.sub(" ", self.text[start:end])
        escaped = _escape_inline(chunk)
        if escaped.endswith(("&", "!")):  # what follows might complete an entity, or make a link an image
            escaped = escaped[:-1] + "\\" + escaped[-1]
        return escaped.replace("#", "\\#") if self.line_start else escaped

    def render(self, start: int, end: int, ranges: list[_Span], before: str, after: str, depth: int = 0) -> str:
        """``text[start:end]`` with ``ranges`` nested in it, between the characters ``before`` and ``after``."""
        out: list[str] = []
        position = start
        index = 0
        while index < len(ranges):
            r_start, r_end, r = ranges[index]
            inner = []
            index += 1
            while index < len(ranges) and ranges[index][0] < r_end:
                s, e, nested = ranges[index]
                inner.append((s, min(e, r_end), nested))
                index += 1
            inner = [(s, e, n) for s, e, n in inner if s < e]
            if r.kind is RangeKind.LINK:  # links do not nest
                inner = [(s, e, n) for s, e, n in inner if n.kind is not RangeKind.LINK]
            out.append(self.plain(position, r_start))
            written = before + "".join(out)
            if r_end == end:
                next_char = after
            elif index < len(ranges) and ranges[index][0] == r_end and ranges[index][2].kind is RangeKind.LINK:
                next_char = "["
            else:
                next_char = self.text[r_end]
            out.append(self.range(r_start, r_end, r, inner, written[-1:], next_char, depth))
            position = r_end
        out.append(self.plain(position, end))
        return "".join(out)

    def range(self, start: int, end: int, r: TextRange, inner: list[_Span], before: str, after: str, depth: int) -> str:
        if r.kind is RangeKind.LINK:
            if r.url is not None and safe_url(r.url):
                return f"[{self.render(start, end, inner, '[', ']', depth)}]({_destination(r.url)})"
            content = self.render(start, end, inner, before, " " if r.url else after, depth)
            return content + (f" ({escape(r.url)})" if r.url else "")
        # a mention is bold, so it reads as a name
        marker = _MARKERS.get(r.kind, "**")
        # rendered as if this range stayed plain: if a marker inside touches the edge, it does stay plain
        content = self.render(start, end, inner, before, after, depth + 1)
        first, last = content[:1], content[-1:]
        touching = before == "*" or first == "*" or last == "*"
        opens = _left_flanking(before, first) and (depth == 0 or not _right_flanking(before, first))
        if not touching and opens and _right_flanking(last, after):
            return f"{marker}{content}{marker}"
        return content

    def __str__(self) -> str:
        rendered = self.render(0, len(self.text), self.ranges, "", "").strip()
        if self.line_start:
            rendered = _LINE_START.sub(
                lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(), rendered
            )
        return rendered


def render_text(text: Text, *, line_start: bool = False) -> str:
    """``text`` as Markdown on one line: plain parts escaped as by :func:`escape`, its ranges as markup."""
    if not text.ranges:
        return escape(text.text, line_start=line_start)
    return str(_Rich(text, line_start))


def _section_sort_key(indexed: tuple[int, Statement | Argument]) -> tuple[int, int, int]:
    index, element = indexed
    return (element.span.line, element.span.column, index)


class _Outline:
    """Builds the outline of one map; remembers what it has already written."""

    def __init__(
        self, argmap: ArgumentMap, quotes: QuoteReport | None = None, verdicts: Mapping[Node, Verdict] | None = None
    ) -> None:
        self.map = argmap
        #: each element's label and reason, when the outline shows an evaluation
        self.verdicts = verdicts
        #: where each quote is in the source text, by (element, position in its quote list), when asked
        self.quotes_in_source = {(q.element, q.index): q for q in quotes.quotes} if quotes is not None else None
        #: the source text's file name without its folders, as a reader wants to see it
        self.source_name = re.split(r"[\\/]", quotes.source_name)[-1] if quotes is not None else ""
        #: elements written in full so far
        self.expanded: set[Node] = set()
        #: the section whose outline is being written (None: before any heading)
        self.current: str | None = None
        self.section_ids = {s.id for s in argmap.sections}
        self.children: dict[Node, list[tuple[RelationKind, Node]]] = {}
        self.parents: dict[Node, list[Node]] = {}
        #: (parent, kind, child) of every link made: a claim may have thousands of children
        self._linked: set[tuple[Node, RelationKind, Node]] = set()
        for relation in argmap.relations:
            target = relation.target
            if target.kind is ElementKind.INFERENCE:
                target = Node(ElementKind.ARGUMENT, target.title)
            source = relation.source
            if source.kind is ElementKind.INFERENCE:
                source = Node(ElementKind.ARGUMENT, source.title)
            self._link(source, target, relation.kind)
            if relation.kind in SYMMETRIC:
                self._link(target, source, relation.kind)
        # an argument for a claim supports it, written or not
        for argument in argmap.arguments.values():
            if argument.conclusion is not None and argument.conclusion in argmap.statements:
                claim = Node(ElementKind.STATEMENT, argument.conclusion)
                self._link(Node(ElementKind.ARGUMENT, argument.title), claim, RelationKind.SUPPORT)
        in_structures = {step.title for a in argmap.arguments.values() for step in a.steps}
        statements = (Node(ElementKind.STATEMENT, title) for title in in_structures)
        self.structure_only = {s for s in statements if s not in self.children and s not in self.parents}

    def _link(self, child: Node, parent: Node, kind: RelationKind) -> None:
        if child == parent:
            return
        link = (parent, kind, child)
        if link not in self._linked:
            self._linked.add(link)
            self.children.setdefault(parent, []).append((kind, child))
            self.parents.setdefault(child, []).append(parent)

    # -- one element ------------------------------------------------------------

    def home(self, element: Statement | Argument) -> str | None:
        """The section an element is written in full under."""
        return element.section if element.section in self.section_ids else None

    def _element(self, node: Node) -> Statement | Argument | None:
        if node.kind is ElementKind.STATEMENT:
            return self.map.statements.get(node.title)
        return self.map.arguments.get(node.title)

    def _reference(self, node: Node, element: Statement | Argument | None) -> str:
        """The element's name: ``**[Title]**`` / ``**<Title>**``, or the text of an untitled statement."""
        text = main_text(element) if element is not None else None
        if isinstance(element, Statement) and element.generated_title and text is not None:
            return render_text(text)
        if node.kind is ElementKind.STATEMENT:
            return f"**[{escape(node.title)}]**"
        return f"**\\<{escape(node.title)}>**"

    def _head(self, node: Node, element: Statement | Argument | None) -> str:
        line = self._reference(node, element)
        if element is None:
            return line
        main = main_text(element)
        text = main.text if main is not None else ""
        if main is not None and not (isinstance(element, Statement) and element.generated_title):
            line += ": " + render_text(main)
        # a tag written inline is already in the text; show only those added elsewhere
        tags = [t for t in dict.fromkeys(element.tags) if not _tag_in_text(t, text)]
        if tags:
            line += " " + " ".join(_tag(t) for t in tags)
        return line

    def _quotes(self, node: Node, data: Mapping[str, Any]) -> Iterator[list[str]]:
        quote = data.get("quote")
        quotes = quote if isinstance(quote, list) else [quote]
        index = 0
        for q in quotes:
            if q is None or q == "":
                continue
            lines = [escape(line, line_start=True) for line in str(q).strip().splitlines()]
            block = [f"> {line}".rstrip() if line else ">" for line in lines]
            if self.quotes_in_source is not None:  # a paragraph of its own inside the quote
                block.extend([">", self._quote_source(self.quotes_in_source.get((node, index)))])
            index += 1
            yield block

    def _quote_source(self, check: QuoteCheck | None) -> str:
        """The line under a quote that says where the source text has it (or that it does not)."""
        name = escape(self.source_name)
        if check is None or check.problem is not None:
            return f"> — not text: not looked up in {name}"
        if check.found is None:
            return f"> — **not found** in {name}"
        return f"> — {name}, line {check.found.line}"

    def _other_texts(self, element: Statement | Argument) -> list[str]:
        texts = element.texts if isinstance(element, Statement) else element.descriptions
        first = main_text(element)
        seen = {first.text if first is not None else ""}
        others = []
        for t in texts:
            if t.text and t.text not in seen:
                seen.add(t.text)
                others.append(render_text(t, line_start=True))
        return others

    def _structure(self, argument: Argument) -> Iterator[list[str]]:
        """The premise-conclusion structure: numbered lists split by inference lines."""
        run: list[str] = []
        for step in argument.steps:
            statement = self.map.statements.get(step.title)
            node = Node(ElementKind.STATEMENT, step.title)
            line = self._mark(node) + self._reference(node, statement)
            text = main_text(statement) if statement is not None else None
            if statement is not None and text is not None and not statement.generated_title:
                line += ": " + render_text(text)
            if isinstance(step, Conclusion):
                if run:
                    yield run
                run = []
                inference = _inference_line(step)
                if step is argument.steps[-1] and self.verdicts is not None:  # an undercut's target
                    verdict = self.verdicts.get(Node(ElementKind.INFERENCE, argument.title))
                    if verdict is not None:
                        inference += f" {verdict.label.glyph} *inference {verdict.label.value}*"
                yield [inference]
            run.append(f"{step.number}. {line}")
        if run:
            yield run

    def item(self, node: Node, kind: RelationKind | None, indent: str) -> list[str]:
        """The list item for ``node``; in its own section, the first time, everything below it too."""
        element = self._element(node)
        label = f"*{LABELS[kind]}* " if kind is not None else ""
        line = f"{indent}- {label}{self._mark(node)}{self._head(node, element)}"
        if element is None:
            return [line]
        if node in self.expanded:
            return [line + " (see above)"]
        if self.home(element) != self.current:
            return [line + " (see below)"]
        self.expanded.add(node)
        lines = [line]
        inner = indent + "  "
        blocks: list[list[str]] = [[t] for t in self._other_texts(element)]
        verdict = self.verdicts.get(node) if self.verdicts is not None else None
        if verdict is not None:
            blocks.insert(0, [f"*{escape(verdict.reason, line_start=True)}*"])
        blocks.extend(self._quotes(node, element.data))
        if isinstance(element, Argument):
            blocks.extend(self._structure(element))
        for block in blocks:
            lines.append("")
            lines.extend(inner + line if line else "" for line in block)
        children = self.children.get(node, [])
        if children and blocks:
            lines.append("")
        for child_kind, child in children:
            lines.extend(self.item(child, child_kind, inner))
        return lines

    def _mark(self, node: Node) -> str:
        """The glyph of the element's label and a space, when the outline shows an evaluation."""
        verdict = self.verdicts.get(node) if self.verdicts is not None else None
        return f"{verdict.label.glyph} " if verdict is not None else ""

    # -- the whole map ---------------------------------------------------------

    def groups(self) -> Iterator[tuple[str | None, list[Node]]]:
        """Elements by section id (None first: before any heading), each in document order."""
        ordered = sorted(enumerate(self.map.elements()), key=_section_sort_key)
        by_section: dict[str | None, list[Node]] = {None: []}
        by_section.update({s.id: [] for s in self.map.sections})
        for _, element in ordered:
            kind = ElementKind.STATEMENT if isinstance(element, Statement) else ElementKind.ARGUMENT
            by_section[self.home(element)].append(Node(kind, element.title))
        yield from by_section.items()

    def roots(self, section_id: str | None, nodes: list[Node]) -> list[list[str]]:
        """Items for one section: its roots, then whatever only a cycle reaches."""
        self.current = section_id
        members = set(nodes)
        items = []
        for node in nodes:
            if node in self.structure_only:
                continue
            if any(parent in members for parent in self.parents.get(node, [])):
                continue
            items.append(self.item(node, None, ""))
        for node in nodes:
            if node not in self.expanded and node not in self.structure_only:
                items.append(self.item(node, None, ""))
        return items


def _tag(tag: str) -> str:
    if tag and all(c.isalnum() or c in "-_" for c in tag):
        return "#" + escape(tag)
    return f"#({escape(tag)})"


def _inference_line(conclusion: Conclusion) -> str:
    inference = conclusion.inference
    parts = []
    if inference.rules:
        parts.append("*" + escape(", ".join(inference.rules)) + "*")
    if inference.uses:
        parts.append("uses " + ", ".join(f"({n})" for n in inference.uses))
    return "—— " + " ".join(parts) + " ——" if parts else "————"


def _metadata_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_metadata_text(v) for v in value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return "" if value is None else str(value)


def _blocks(
    argmap: ArgumentMap, quotes: QuoteReport | None = None, evaluation: Evaluation | None = None
) -> Iterable[list[str]]:
    title = _metadata_text(argmap.metadata.get("title")).strip()
    if title:
        yield [f"# {escape(title, line_start=True)}"]
    byline = [_metadata_text(argmap.metadata.get(k)).strip() for k in ("author", "date", "source")]
    byline = [b for b in byline if b]
    if byline:
        yield [escape(" · ".join(byline), line_start=True)]
    verdicts = None
    if evaluation is not None:
        from ..evaluation import Label

        labelling = evaluation.labelling
        verdicts = labelling.verdicts
        counts = labelling.counts()
        shown = ", ".join(f"{label.glyph} {label.value} ({counts[label]})" for label in Label)
        yield [f"Evaluated with {evaluation.semantics} semantics: {shown}."]
    outline = _Outline(argmap, quotes, verdicts)
    # a top-level heading that repeats the map's title is the title itself: printed once
    repeated = next((s.id for s in argmap.sections if s.level == 1 and title and s.title == title), None)
    offset = 1 if title and repeated is None else 0
    sections = {s.id: s for s in argmap.sections}
    for section_id, nodes in outline.groups():
        if section_id is not None and section_id != repeated:
            section = sections[section_id]
            level = min(section.level + offset, 6)
            heading = escape(section.title, line_start=True)
            yield [f"{'#' * level} {heading}".rstrip()]
        items = outline.roots(section_id, nodes)
        if items:
            yield [line for item in items for line in item]


def render(argmap: ArgumentMap, *, quotes: QuoteReport | None = None, evaluation: Evaluation | None = None) -> str:
    """The map as a Markdown outline, ending with one newline.

    ``quotes`` (from :func:`argmap.quotes.check_quotes`) adds a line under each quote: the line of the source
    text that has it, or that the source does not. ``evaluation`` (one labelling: from
    :meth:`ArgumentMap.evaluate`) marks each item by its label and writes the reasons.
    """
    return "\n\n".join("\n".join(block) for block in _blocks(argmap, quotes, evaluation)) + "\n"


class MarkdownExporter:
    """The ``markdown`` exporter: :func:`render` behind the Exporter protocol."""

    name = "markdown"
    description = "a readable Markdown outline: sections, claims with their supporters and attackers, arguments"
    suffix = ".md"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        """Options: ``source`` (a source text's path, or true for the one the front matter names) or
        ``source_text`` say under each quote where the source has it (see :func:`argmap.quotes.report_for_export`)."""
        quotes = None
        if "source" in options or "source_text" in options:  # argmap.quotes (and difflib) only when asked
            from ..quotes import report_for_export

            quotes = report_for_export(argmap, options)
        evaluation = None
        if "evaluate" in options:
            from ..evaluation import evaluation_for_export

            evaluation = evaluation_for_export(argmap, options, "an outline")
        if options:
            others = ", ".join(sorted(options))
            raise ExporterError(
                f"the markdown exporter takes no options other than source and source_text (quotes) and evaluate "
                f"(got {others})"
            )
        return render(argmap, quotes=quotes, evaluation=evaluation)


EXPORTER = MarkdownExporter()
