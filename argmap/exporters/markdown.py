"""The ``markdown`` exporter: the map as a readable CommonMark outline.

Each section becomes a heading; under it, the claims and arguments that act on
nothing else in their section are the outline's roots, with what supports,
attacks, undercuts or contradicts them nested below, and each argument's
premises, inference and conclusion listed the first time it appears. An element
met again (a cycle, or one acting on several others) is written as "(see above)".

Everything the author wrote is escaped, so it renders as the same text: a
title like ``[x](javascript:...)`` or ``<script>`` stays text, never a link or HTML.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import ExporterError
from ..model import Argument, ArgumentMap, Conclusion, ElementKind, Node, RelationKind, Statement

__all__ = ["EXPORTER", "MarkdownExporter", "escape", "render"]

#: how a child acts on its parent, as written before the child
LABELS = {
    RelationKind.SUPPORT: "supports",
    RelationKind.ATTACK: "attacks",
    RelationKind.UNDERCUT: "undercuts",
    RelationKind.CONTRADICTION: "contradicts",
}

# Characters that are markup wherever they stand; ``&`` only before an entity name,
# ``_`` only where it could open or close emphasis (not inside a word).
_INLINE = re.compile(r"[\\`*\[\]<|~]|&(?=#?[0-9A-Za-z]+;)|_")
# What turns the start of a line into a block: list markers, quotes, headings,
# setext underlines, thematic breaks. (``*`` and ``_`` are always escaped.)
_LINE_START = re.compile(r"^(?:[-+=>]|(\d{1,9})([.)]))")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
#: how a tag appears in a text: ``#tag`` or ``#(tag)``
_TAG_IN_TEXT = r"#(?:{0}(?![\w-])|\({0}\))"


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


def _section_sort_key(indexed: tuple[int, Statement | Argument]) -> tuple[int, int, int]:
    index, element = indexed
    return (element.span.line, element.span.column, index)


class _Outline:
    """Builds the outline of one map; remembers what it has already written."""

    def __init__(self, argmap: ArgumentMap) -> None:
        self.map = argmap
        #: elements written in full so far
        self.expanded: set[Node] = set()
        #: the section whose outline is being written (None: before any heading)
        self.current: str | None = None
        self.section_ids = {s.id for s in argmap.sections}
        self.children: dict[Node, list[tuple[RelationKind, Node]]] = {}
        self.parents: dict[Node, list[Node]] = {}
        for relation in argmap.relations:
            target = relation.target
            if target.kind is ElementKind.INFERENCE:
                target = Node(ElementKind.ARGUMENT, target.title)
            source = relation.source
            if source.kind is ElementKind.INFERENCE:
                source = Node(ElementKind.ARGUMENT, source.title)
            self._link(source, target, relation.kind)
            if relation.kind is RelationKind.CONTRADICTION:
                self._link(target, source, relation.kind)
        # an argument for a claim supports it, written or not
        for argument in argmap.arguments.values():
            if argument.conclusion is not None and argument.conclusion in argmap.statements:
                claim = Node(ElementKind.STATEMENT, argument.conclusion)
                self._link(Node(ElementKind.ARGUMENT, argument.title), claim, RelationKind.SUPPORT)
        in_structures = {step.title for a in argmap.arguments.values() for step in a.steps}
        self.structure_only = {
            Node(ElementKind.STATEMENT, title)
            for title in in_structures
            if Node(ElementKind.STATEMENT, title) not in self.children
            and Node(ElementKind.STATEMENT, title) not in self.parents
        }

    def _link(self, child: Node, parent: Node, kind: RelationKind) -> None:
        if child == parent:
            return
        children = self.children.setdefault(parent, [])
        if (kind, child) not in children:
            children.append((kind, child))
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
        if isinstance(element, Statement) and element.generated_title and element.text:
            return escape(element.text)
        if node.kind is ElementKind.STATEMENT:
            return f"**[{escape(node.title)}]**"
        return f"**\\<{escape(node.title)}>**"

    def _head(self, node: Node, element: Statement | Argument | None) -> str:
        line = self._reference(node, element)
        if element is None:
            return line
        text = element.text if isinstance(element, Statement) else element.description
        if text and not (isinstance(element, Statement) and element.generated_title):
            line += ": " + escape(text)
        # a tag written inline is already in the text; show only those added elsewhere
        tags = [t for t in dict.fromkeys(element.tags) if not re.search(_TAG_IN_TEXT.format(re.escape(t)), text)]
        if tags:
            line += " " + " ".join(_tag(t) for t in tags)
        return line

    def _quotes(self, data: Mapping[str, Any]) -> Iterator[list[str]]:
        quote = data.get("quote")
        quotes = quote if isinstance(quote, list) else [quote]
        for q in quotes:
            if q is None or q == "":
                continue
            lines = [escape(line, line_start=True) for line in str(q).strip().splitlines()]
            yield [f"> {line}".rstrip() if line else ">" for line in lines]

    def _other_texts(self, element: Statement | Argument) -> list[str]:
        texts = element.texts if isinstance(element, Statement) else element.descriptions
        first = element.text if isinstance(element, Statement) else element.description
        seen = {first}
        others = []
        for t in texts:
            if t.text and t.text not in seen:
                seen.add(t.text)
                others.append(escape(t.text, line_start=True))
        return others

    def _structure(self, argument: Argument) -> Iterator[list[str]]:
        """The premise-conclusion structure: numbered lists split by inference lines."""
        run: list[str] = []
        for step in argument.steps:
            statement = self.map.statements.get(step.title)
            node = Node(ElementKind.STATEMENT, step.title)
            line = self._reference(node, statement)
            if statement is not None and statement.text and not statement.generated_title:
                line += ": " + escape(statement.text)
            if isinstance(step, Conclusion):
                if run:
                    yield run
                run = []
                yield [_inference_line(step)]
            run.append(f"{step.number}. {line}")
        if run:
            yield run

    def item(self, node: Node, kind: RelationKind | None, indent: str) -> list[str]:
        """The list item for ``node``; in its own section, the first time, everything below it too."""
        element = self._element(node)
        label = f"*{LABELS[kind]}* " if kind is not None else ""
        line = f"{indent}- {label}{self._head(node, element)}"
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
        blocks.extend(self._quotes(element.data))
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


def _blocks(argmap: ArgumentMap) -> Iterable[list[str]]:
    title = _metadata_text(argmap.metadata.get("title")).strip()
    if title:
        yield [f"# {escape(title, line_start=True)}"]
    byline = [_metadata_text(argmap.metadata.get(k)).strip() for k in ("author", "date", "source")]
    byline = [b for b in byline if b]
    if byline:
        yield [escape(" · ".join(byline), line_start=True)]
    outline = _Outline(argmap)
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


def render(argmap: ArgumentMap) -> str:
    """The map as a Markdown outline, ending with one newline."""
    return "\n\n".join("\n".join(block) for block in _blocks(argmap)) + "\n"


class MarkdownExporter:
    """The ``markdown`` exporter: :func:`render` behind the Exporter protocol."""

    name = "markdown"
    description = "a readable Markdown outline: sections, claims with their supporters and attackers, arguments"
    suffix = ".md"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        if options:
            raise ExporterError(f"the markdown exporter takes no options (got {', '.join(sorted(options))})")
        return render(argmap)


EXPORTER = MarkdownExporter()
