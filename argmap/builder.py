"""Stage two: the parse tree to the frozen model, with Argdown's meaning.

The builder is a set of callbacks, one per grammar rule, each taking a rule's children once they are built: the
same calls whether :mod:`argmap.lalr` makes them as it reduces (no tree is built at all) or :func:`build` makes
them walking a Lark tree bottom-up. Both orders are the document's: a statement's or argument's head is complete
before its relation tree, and a heading before what follows it, so sections and drafts fill in as the text is
read, and a premise-conclusion structure joins the argument written just before it as soon as it is reduced (the
block before it is known by then). What depends on later text waits for :meth:`_Builder.finish`: the titles
"Untitled N", which skip every title written anywhere in the document.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from .inline import _MARKUP, collapse, inline_text
from .lalr import ChildWork
from .model import (
    STRICT_KINDS,
    Argument,
    ArgumentMap,
    Comment,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    Relation,
    RelationKind,
    Section,
    SourceSpan,
    Statement,
    Step,
    Text,
    TextRange,
)
from .reader import source_line, syntax_error
from .yamldata import load as load_yaml
from .yamldata import merge

if TYPE_CHECKING:
    from lark import Token, Tree

__all__ = ["CHILD_WORK", "RULES", "build", "callbacks", "with_comments"]

#: relation symbol -> (kind, True when the child acts on the parent)
_SYMBOLS: dict[str, tuple[RelationKind, bool]] = {
    "+": (RelationKind.SUPPORT, True),
    "<+": (RelationKind.SUPPORT, True),
    "+>": (RelationKind.SUPPORT, False),
    "-": (RelationKind.ATTACK, True),
    "<-": (RelationKind.ATTACK, True),
    "->": (RelationKind.ATTACK, False),
    "_": (RelationKind.UNDERCUT, True),
    "<_": (RelationKind.UNDERCUT, True),
    "_>": (RelationKind.UNDERCUT, False),
    "><": (RelationKind.CONTRADICTION, False),
}


class _Draft:
    """A statement or argument while the document is being read.

    A statement's model object is made when its element closes (:meth:`statement`), an argument's when its
    premise-conclusion structure joins it (:meth:`argument`), while the reading process works on, not all at the
    end; whatever changes the draft afterwards unmakes it.
    """

    __slots__ = (
        "data",
        "defined",
        "generated",
        "made",
        "node",
        "pcs_span",
        "position",
        "section",
        "span",
        "steps",
        "tags",
        "texts",
        "title",
    )

    def __init__(
        self, kind: ElementKind, title: str, generated: bool, span: SourceSpan, section: str | None, position: int
    ) -> None:
        self.title = title
        #: the node every head naming it gets (a node is immutable: one serves them all)
        self.node = Node(kind, title)
        self.generated = generated
        self.span = span
        self.section = section
        #: where it first appears in the text
        self.position = position
        # tuples and None, not fresh containers: most drafts get one text and nothing else
        self.texts: tuple[Text, ...] = ()
        self.tags: tuple[str, ...] = ()
        self.data: dict[str, Any] | None = None
        self.defined = False
        self.steps: tuple[Step, ...] = ()
        self.pcs_span: SourceSpan | None = None
        #: the statement or argument made from this draft as it stands (None: not made, or changed since)
        self.made: Statement | Argument | None = None

    def add(self, text: Text | None, tags: Sequence[str], span: SourceSpan, section: str | None) -> None:
        self.made = None
        if text is not None:
            if not self.defined:
                self.span = span
                self.defined = True
            if self.section is None:  # Argdown: the first definition written inside a section places it
                self.section = section
            self.texts += (text,)
        for tag in tags:
            if tag not in self.tags:
                self.tags += (tag,)

    def statement(self) -> Statement:
        """The draft as a :class:`Statement`, made once until the draft changes."""
        made = self.made
        if made is None:  # the fields in order, by position (a keyword call costs more, fifty thousand times)
            made = self.made = Statement(
                self.title, self.texts, self.tags, self.data, self.span, self.section, self.generated
            )  # title, texts, tags, data, span, section, generated_title
        assert made.__class__ is Statement
        return made

    def argument(self) -> Argument:
        """The draft as an :class:`Argument`, made once until the draft changes."""
        made = self.made
        if made is None:
            made = self.made = Argument(
                self.title,
                self.texts,  # descriptions
                self.tags,
                self.data,
                self.steps,
                self.span if self.defined or self.pcs_span is None else self.pcs_span,
                self.section,
                self.generated,  # generated_title
            )
        assert made.__class__ is Argument
        return made


_BLOCK_DATA = re.compile(r"\{[ \t]*\n")

#: a title no author can write (control characters are refused): an untitled element's name until the end
_PLACEHOLDER = "\x00untitled "


def _start(token: Token) -> tuple[int, int]:
    """Where a token's visible text starts: line-start tokens carry the line break and indentation before it."""
    value = token.value
    if "\n" not in value and not value[:1].isspace():
        return token.line or 1, token.column or 1
    visible = value.rsplit("\n", 1)[-1].lstrip(" \t")
    return token.end_line or 1, (token.end_column or 1) - len(visible)


def _span(first: Token, last: Token) -> SourceSpan:
    """From ``first``'s visible start to the end of ``last`` (the line breaks after it are not part of a span)."""
    line, column = _start(first)
    return SourceSpan(line, column, last.end_line or line, last.end_column or column)


def _token_span(token: Token) -> SourceSpan:
    return SourceSpan(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def _line_col(token: Token) -> tuple[int, int]:
    return token.line or 1, token.column or 1


def _title(token: Token) -> str:
    value: str = token.value
    if token.type.endswith("DEFINITION"):
        value = value[:-1]  # the ':'
    return collapse(value[1:-1])


def _tag_name(value: str) -> str:
    name = value[1:]
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    return collapse(name)


class _Content(NamedTuple):
    """A ``content`` rule: plain text (tags kept, as Argdown does), tag names, ranges, first and last token."""

    text: str
    tags: list[str]
    ranges: tuple[TextRange, ...]
    first: Token
    last: Token


class _Head(NamedTuple):
    """A statement's or argument's head: its node, its span and its first and last token."""

    node: Node
    span: SourceSpan
    first: Token
    last: Token


#: a head or content made without the Python-level ``__new__`` of a named tuple (one per element line)
_new_tuple = tuple.__new__
#: the tags of a head without any
_NO_TAGS: tuple[str, ...] = ()
#: a module global is read faster than the enum's attribute, once per element
_STATEMENT = ElementKind.STATEMENT


class _Data(NamedTuple):
    """A ``data`` block: its token and its mapping."""

    token: Token
    value: dict[str, Any]


class _Inference(NamedTuple):
    inference: Inference
    last: Token


class _Pcs(NamedTuple):
    """A premise-conclusion structure, waiting for :meth:`_Builder.start` to learn its argument."""

    steps: tuple[Step, ...]
    span: SourceSpan
    section: str | None
    position: int


class _Block(enum.Enum):
    """What the other top-level blocks leave for :meth:`_Builder.start`: nothing it needs."""

    OTHER = "other"


class _Builder:
    def __init__(self, text: str, source_name: str, made: list[Statement | Argument] | None = None) -> None:
        self.text = text
        self.source_name = source_name
        #: where each statement and argument made while reading goes, when the reader asked (see :func:`callbacks`)
        self._made = made
        #: the top-level elements closed since the last other block, (start, argument title or None), and that
        #: block first: the elements of a structure or list are among them until its rule is reduced
        self._closed: list[tuple[int, str | None]] = []
        self.statements: dict[str, _Draft] = {}
        self.arguments: dict[str, _Draft] = {}
        self.relations: list[Relation] = []
        self.sections: list[Section] = []
        self.metadata: dict[str, Any] = {}
        self._open_sections: list[Section] = []
        #: the id of the innermost open section (None before the first heading)
        self._section: str | None = None
        #: the statements and arguments whose relation trees are being read, innermost last
        self._open: list[tuple[_Draft, Node]] = []
        self._titles: set[str] = set()  # every title written in the document
        #: untitled elements: (position in the text, placeholder), named in document order at the end
        self._untitled: list[tuple[int, str]] = []
        self._argument_order_changed = False

    def callbacks(self) -> dict[str, Callable[..., Any]]:
        """Rule name -> the method that builds it from its children (and :data:`CHILD_WORK`'s ``head_key``)."""
        found: dict[str, Callable[..., Any]] = {name: getattr(self, _METHODS.get(name, name)) for name in RULES}
        found[CHILD_WORK.head_key] = self.folded_head
        return found

    # -- helpers -----------------------------------------------------------

    def error(self, message: str, line: int, column: int, hint: str | None = None) -> Exception:
        return syntax_error(self.text, self.source_name, message, line, column, hint)

    def placeholder(self, position: int) -> str:
        name = f"{_PLACEHOLDER}{len(self._untitled)}"
        self._untitled.append((position, name))
        return name

    def yaml_mapping(
        self, source: str, token: Token, what: str, line_offset: int = 0, block: bool = False
    ) -> dict[str, Any]:
        import yaml

        start_line, start_column = token.line or 1, token.column or 1
        try:
            value = load_yaml(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = start_line + line_offset
            column = start_column
            if mark is not None:
                line += mark.line
                column = mark.column + 1 if mark.line or block else column + mark.column
            # YAML counts line breaks the notation does not (U+2028, U+0085) and may point past the block:
            # keep the position inside the token
            last_line = start_line + token.value.count("\n")
            if not start_line <= line <= last_line or column > len(source_line(self.text, line)) + 1:
                line, column = start_line, start_column
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise self.error(f"invalid YAML in {what}: {problem}", line, column) from None
        except (ValueError, UnicodeError) as exc:  # an impossible date, a lone surrogate
            raise self.error(f"invalid value in {what}: {exc}", start_line, start_column) from None
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(
                f"a {what} must be a mapping of keys to values, not {type(value).__name__}",
                token.line or 1,
                token.column or 1,
                "write {key: value, other: value}",
            )
        return {str(k): v for k, v in value.items()}

    def _data_block(self, token: Token) -> dict[str, Any]:
        source: str = token.value
        block = _BLOCK_DATA.match(source)
        if block:  # "{" then a line break: block-style YAML between the braces, as Argdown reads it
            inner = source[block.end() :].rstrip()
            inner = inner[:-1] if inner.endswith("}") else inner
            import textwrap  # here: its import compiles patterns, and most maps have no block data

            return self.yaml_mapping(textwrap.dedent(inner), token, "data block", line_offset=1, block=True)
        return self.yaml_mapping(source, token, "data block")

    # -- text ----------------------------------------------------------------

    def content(self, children: list[Token]) -> _Content:
        """Free text, tags, links and mentions over one or more lines."""
        first, last = children[0], children[-1]
        if len(children) == 1 and first.type == "TEXT" and not _MARKUP.search(first.value):
            return _new_tuple(_Content, (collapse(first.value), [], (), first, first))  # plain text on one line
        # plain text and tags (an argument's description, often): what inline_text makes of their pieces, directly
        parts: list[str] = []
        tags: list[str] = []
        previous_end: int | None = None
        for token in children:
            value = token.value
            if token.type == "TAG":
                tags.append(_tag_name(value))
            elif token.type != "TEXT" or _MARKUP.search(value):
                break
            if previous_end is not None and token.start_pos != previous_end:
                parts.append(" ")  # a gap: the line break, indentation or comment between two tokens
            parts.append(value)
            previous_end = token.end_pos
        else:
            return _new_tuple(_Content, (collapse("".join(parts)), tags, (), first, last))
        pieces: list[tuple[str, ...]] = []
        tags = []
        previous_end = None
        for token in children:
            value = token.value
            if previous_end is not None and token.start_pos != previous_end:
                pieces.append(("gap",))
            previous_end = token.end_pos
            if token.type == "TEXT":
                pieces.append(("text", value))
            elif token.type == "TAG":
                tags.append(_tag_name(value))
                pieces.append(("literal", value))
            elif token.type == "LINK":
                label, _, url = value[1:-1].partition("](")
                pieces.append(("link", label, url.strip(" \t")))
            else:  # MENTION
                kind = "statement-mention" if value[1] == "[" else "argument-mention"
                pieces.append(("mention", value, collapse(value[2:-1]), kind))
        text, ranges = inline_text(pieces)
        return _Content(text, tags, ranges, first, last)

    def data(self, children: list[Token]) -> _Data:
        """A data block; one written after a statement's or argument's head belongs to it at once."""
        token = children[0]
        found = _Data(token, self._data_block(token))
        if self._open and found.value:
            draft = self._open[-1][0]
            draft.data = merge(draft.data or {}, found.value)
            draft.made = None
        return found

    # -- heads: a statement or argument opens here, before its relation tree -----------

    def _open_element(
        self,
        kind: ElementKind,
        title: str | None,
        text: Text | None,
        tags: Sequence[str],
        span: SourceSpan,
        position: int,
    ) -> Node:
        drafts = self.statements if kind is ElementKind.STATEMENT else self.arguments
        generated = title is None  # only a statement can be untitled
        if title is None:
            title = self.placeholder(position)
        draft = drafts.get(title)
        if draft is None:
            draft = drafts[title] = _Draft(kind, title, generated, span, None, position)
        if text is not None or tags:
            draft.add(text, tags, span, self._section)
        self._open.append((draft, draft.node))
        return draft.node

    def _titled(self, token: Token) -> str:
        title = _title(token)
        if not title:
            what = "statement" if token.type.startswith("STATEMENT") else "argument"
            raise self.error(f"a {what} title cannot be empty", *_line_col(token))
        self._titles.add(title)
        return title

    def _definition(self, kind: ElementKind, children: list[Any]) -> _Head:
        token: Token = children[0]  # "[title]:" or "<title>:", never after white space
        title = self._titled(token)
        body: _Content | None = children[1] if len(children) > 1 else None
        if body is None or not body.text:
            line, column = _line_col(token)
            raise self.error(
                "a definition needs text after the colon",
                line,
                column,
                f"add the text, or refer to the element without the colon: {token.value[:-1]}",
            )
        last = body.last
        line, column = token.line or 1, token.column or 1
        span = SourceSpan(line, column, last.end_line or line, last.end_column or column)
        text = Text(body.text, span, body.ranges)
        node = self._open_element(kind, title, text, body.tags, span, token.start_pos or 0)
        return _Head(node, span, token, last)

    def _reference(self, kind: ElementKind, children: list[Token]) -> _Head:
        token, last = children[0], children[-1]
        title = self._titled(token)
        span = _span(token, last)
        tags = [_tag_name(t.value) for t in children[1:]] if len(children) > 1 else []
        node = self._open_element(kind, title, None, tags, span, token.start_pos or 0)
        return _Head(node, span, token, last)

    def folded_head(self, code: int, first: Token, body: Token | None, whole: bool) -> _Head:
        """A head the reader's second process sent as one event (:data:`CHILD_WORK`): a definition (``first``, and
        ``body`` its content's one token) or a reference without tags; ``whole`` when it is its whole element."""
        if code < 2:
            assert body is not None
            head = self._usual_definition(_KINDS[code], first, body)
            if head is None:
                head = self._definition(_KINDS[code], [first, self.content([body])])
        else:
            head = self._usual_reference(_KINDS[code - 2], first)
            if head is None:
                head = self._reference(_KINDS[code - 2], [first])
        if whole:  # what _element does for an element that is its head alone
            self._close(head)
        return head

    # The usual two heads, a definition with plain text and a reference on one line, built as _definition and
    # _reference build them without their intermediate values (most of a map's lines are one of these); None for
    # anything else, errors included, which those methods take.

    def _usual_definition(self, kind: ElementKind, first: Token, body: Token) -> _Head | None:
        text = body.value
        if body.type != "TEXT" or _MARKUP.search(text) or not (text := collapse(text)):
            return None
        title = collapse(first.value[1:-2])  # "[title]:" or "<title>:"
        if not title:
            return None
        self._titles.add(title)
        line, column = first.line or 1, first.column or 1
        span = SourceSpan(line, column, body.end_line or line, body.end_column or column)
        node = self._open_element(kind, title, Text(text, span), _NO_TAGS, span, first.start_pos or 0)
        head: _Head = _new_tuple(_Head, (node, span, first, body))
        return head

    def _usual_reference(self, kind: ElementKind, first: Token) -> _Head | None:
        value = first.value
        title = collapse(value[1:-1])  # "[title]" or "<title>"
        if not title or "\n" in value or value[:1].isspace():  # else the span starts at the token's own start
            return None
        self._titles.add(title)
        line, column = first.line or 1, first.column or 1
        span = SourceSpan(line, column, first.end_line or line, first.end_column or column)
        node = self._open_element(kind, title, None, _NO_TAGS, span, first.start_pos or 0)
        head: _Head = _new_tuple(_Head, (node, span, first, first))
        return head

    def statement_definition(self, children: list[Any]) -> _Head:
        return self._definition(ElementKind.STATEMENT, children)

    def argument_definition(self, children: list[Any]) -> _Head:
        return self._definition(ElementKind.ARGUMENT, children)

    def statement_reference(self, children: list[Token]) -> _Head:
        return self._reference(ElementKind.STATEMENT, children)

    def argument_reference(self, children: list[Token]) -> _Head:
        return self._reference(ElementKind.ARGUMENT, children)

    def untitled_statement(self, children: list[_Content]) -> _Head:
        body = children[0]
        span = _span(body.first, body.last)
        node = self._open_element(
            ElementKind.STATEMENT, None, Text(body.text, span, body.ranges), body.tags, span, body.first.start_pos or 0
        )
        return _Head(node, span, body.first, body.last)

    # -- whole elements: the head, its data and its relation tree --------------------

    def _close(self, head: _Head) -> None:
        """An element ends: its statement is made (see :class:`_Draft`); one at the top level may be a block."""
        draft, node = self._open.pop()
        if node.kind is _STATEMENT:
            if draft.made is None:
                statement = draft.statement()
                if self._made is not None:
                    self._made.append(statement)
            if not self._open:
                self._closed.append((head.first.start_pos or 0, None))
        elif not self._open:
            self._closed.append((head.first.start_pos or 0, node.title))

    def _block_before(self, position: int) -> str | None:
        """The title of the argument whose element is the block before the one at ``position`` (None: another
        block, or none); the elements closed inside this block are forgotten."""
        closed = self._closed
        while closed and closed[-1][0] >= position:
            closed.pop()
        return closed[-1][1] if closed else None

    def _element(self, children: list[Any]) -> _Head:
        head: _Head = children[0]
        self._close(head)
        if len(children) == 1:
            return head
        last = children[-1]
        if isinstance(last, _Data):
            last = last.token
        return _Head(head.node, head.span, head.first, last)

    statement = _element
    argument = _element

    def relation(self, children: list[Any]) -> Token:
        """The relation written as ``symbol`` between the element whose tree this is and its child line."""
        symbol: Token = children[0]
        child: _Head = children[1]
        parent_node = self._open[-1][1]
        kind, child_acts = _SYMBOLS[symbol.value]
        source, target = (child.node, parent_node) if child_acts else (parent_node, child.node)
        if kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
            target = Node(ElementKind.INFERENCE, target.title)
        line, column = _line_col(symbol)
        span = SourceSpan(line, column, child.span.end_line, child.span.end_column)
        self.relations.append(Relation(source, target, kind, span, parent=parent_node))
        return child.last

    # -- blocks ----------------------------------------------------------------

    def heading(self, children: list[Any]) -> _Block:
        marker: Token = children[0]
        body: _Content = children[1]
        data: _Data | None = children[2] if len(children) > 2 else None
        level = len(marker.value.strip())
        while self._open_sections and self._open_sections[-1].level >= level:
            self._open_sections.pop()
        parent = self._open_sections[-1].id if self._open_sections else None
        section = Section(
            id=f"s{len(self.sections) + 1}",
            title=body.text,
            level=level,
            parent=parent,
            tags=tuple(body.tags),
            data=data.value if data is not None else {},
            span=_span(marker, data.token if data is not None else body.last),
        )
        self.sections.append(section)
        self._open_sections.append(section)
        self._section = section.id
        self._closed = [(marker.start_pos or 0, None)]
        return _Block.OTHER

    def list_(self, children: list[Any]) -> _Block:
        self._closed = [(children[0].start_pos or 0, None)]  # its items were built as they were read
        return _Block.OTHER

    def pcs(self, children: list[Any]) -> _Pcs:
        """Number tokens, each followed by its statement, and the inferences between them."""
        steps: list[Step] = []
        pending: Inference | None = None
        first: Token = children[0]
        number_token, last = first, first
        for child in children:
            kind = type(child)
            if kind is _Inference:
                pending = child.inference
                continue
            if kind is not _Head:
                number_token = child
                continue
            marker = number_token.value.strip()  # "(n)", after the line break and indentation a number token carries
            element_last = child.last
            step_span = SourceSpan(
                number_token.end_line or 1,
                (number_token.end_column or 1) - len(marker),
                element_last.end_line or 1,
                element_last.end_column or 1,
            )
            if pending is None:
                steps.append(Premise(int(marker[1:-1]), child.node.title, step_span))
            else:
                steps.append(Conclusion(int(marker[1:-1]), child.node.title, pending, step_span))
                pending = None
            last = element_last
        position = first.start_pos or 0
        pcs = _Pcs(tuple(steps), _span(first, last), self._section, position)
        # it joins the argument written just before it, now: the argument is then made while reading goes on
        self._attach(pcs, self._block_before(position))
        self._closed = [(position, None)]
        return pcs

    def inference(self, children: list[Any]) -> _Inference:
        first: Token = children[0]
        rules: list[str] = []
        data: dict[str, Any] = {}
        last = first
        for child in children[1:]:
            if isinstance(child, list):  # inference_rules
                rules = [r for r in child if r]
            elif isinstance(child, _Data):  # inference_data
                data = child.value
            else:  # the closing '--'
                last = child
        line = first.end_line or 1
        value = first.value
        dashes = (value.rpartition("\n")[2] if "\r" not in value else re.split(r"\r\n|\r|\n", value)[-1]).lstrip(" \t")
        column = (first.end_column or 1) - len(dashes)
        span = SourceSpan(line, column, last.end_line or line, last.end_column or column)
        uses = data.get("uses", ())
        if not isinstance(uses, (list, tuple)) or not all(isinstance(u, int) for u in uses):
            raise self.error("'uses' must be a list of premise numbers, e.g. {uses: [1, 2]}", line, column)
        return _Inference(Inference(tuple(rules), tuple(uses), data, span), last)

    def inference_rules(self, children: list[Token]) -> list[str]:
        return [collapse(t.value) for t in children]

    def inference_data(self, children: list[Token]) -> _Data:
        return _Data(children[0], self._data_block(children[0]))

    def front_matter(self, children: list[Token]) -> _Block:
        token = children[0]
        body = re.split(r"\r\n|\r|\n", token.value)
        self.metadata = self.yaml_mapping("\n".join(body[1:-1]), token, "front matter", line_offset=1)
        return _Block.OTHER

    def start(self, children: list[Any]) -> ArgumentMap:
        """The document, every block built."""
        return self.finish()

    def _attach(self, pcs: _Pcs, argument_title: str | None) -> None:
        if argument_title is None:  # titled before its statements, as Argdown numbers them
            argument_title = self.placeholder(pcs.position)
            self.arguments[argument_title] = _Draft(
                ElementKind.ARGUMENT, argument_title, True, pcs.span, pcs.section, pcs.position
            )
            self._argument_order_changed = True
        draft = self.arguments[argument_title]
        if draft.steps:
            assert draft.pcs_span is not None
            raise self.error(
                f"argument <{argument_title}> already has a premise-conclusion structure (line {draft.pcs_span.line})",
                pcs.span.line,
                pcs.span.column,
                "an argument has one premise-conclusion structure; give this one its own argument title",
            )
        draft.steps = pcs.steps
        draft.pcs_span = pcs.span
        if pcs.section is not None:  # Argdown: an argument lives where its structure is written
            draft.section = pcs.section
        draft.made = None
        argument = draft.argument()
        if self._made is not None:
            self._made.append(argument)

    # -- the end ---------------------------------------------------------------

    def _names(self) -> dict[str, str]:
        """Placeholder -> "Untitled N", in document order, skipping every title the author wrote."""
        names: dict[str, str] = {}
        number = 0
        for _, placeholder in sorted(self._untitled):
            while True:
                number += 1
                title = f"Untitled {number}"
                if title not in self._titles:
                    break
            names[placeholder] = title
        return names

    def finish(self) -> ArgumentMap:
        names = self._names() if self._untitled else {}
        drafts: Iterable[_Draft] = self.arguments.values()
        if self._argument_order_changed:  # an untitled structure's argument comes where the structure is written
            drafts = sorted(drafts, key=lambda d: d.position)
        # mostly made already, as they were read (see _Draft); all made again where an untitled one gets its name
        if names:
            statements = {}
            for d in self.statements.values():
                title = names.get(d.title, d.title)
                statements[title] = Statement(title, d.texts, d.tags, d.data, d.span, d.section, d.generated)
        else:
            statements = {title: d.statement() for title, d in self.statements.items()}
        arguments = {}
        for d in drafts:
            if not names:
                arguments[d.title] = d.argument()
                continue
            title = names.get(d.title, d.title)
            arguments[title] = Argument(
                title,
                d.texts,  # descriptions
                d.tags,
                d.data,
                _renamed_steps(d.steps, names),
                d.span if d.defined or d.pcs_span is None else d.pcs_span,
                d.section,
                d.generated,  # generated_title
            )
        relations = self.relations if not names else [_renamed_relation(r, names) for r in self.relations]
        model = self.metadata.get("model")
        if isinstance(model, dict) and model.get("mode") == "strict":
            # strict mode: between two statements, '+' is entailment and '-' contrariness
            relations = [
                attrs.evolve(r, kind=STRICT_KINDS.get(r.kind, r.kind))
                if r.source.kind is ElementKind.STATEMENT and r.target.kind is ElementKind.STATEMENT
                else r
                for r in relations
            ]
        return ArgumentMap(
            statements=statements,
            arguments=arguments,
            relations=tuple(relations),
            sections=tuple(self.sections),
            metadata=self.metadata,
            source_name=self.source_name,
        )


def _renamed_node(node: Node, names: dict[str, str]) -> Node:
    return Node(node.kind, names[node.title]) if node.title in names else node


def _renamed_relation(relation: Relation, names: dict[str, str]) -> Relation:
    return attrs.evolve(
        relation,
        source=_renamed_node(relation.source, names),
        target=_renamed_node(relation.target, names),
        parent=_renamed_node(relation.parent, names) if relation.parent is not None else None,
    )


def _renamed_steps(steps: tuple[Step, ...], names: dict[str, str]) -> tuple[Step, ...]:
    return tuple(attrs.evolve(s, title=names[s.title]) if s.title in names else s for s in steps)


#: the grammar's rules that have a callback; every other rule is inlined into its parent (its name starts with "_")
RULES = (
    "start",
    "front_matter",
    "heading",
    "statement",
    "argument",
    "statement_definition",
    "statement_reference",
    "untitled_statement",
    "argument_definition",
    "argument_reference",
    "data",
    "content",
    "list",
    "relation",
    "pcs",
    "inference",
    "inference_data",
    "inference_rules",
)


#: element kind codes of :data:`CHILD_WORK`'s heads
_KINDS = (ElementKind.STATEMENT, ElementKind.ARGUMENT)

#: the events the reader's second process folds together (:func:`argmap.lalr.run_in_two`), which
#: :meth:`_Builder.folded_head` takes
CHILD_WORK = ChildWork(
    content="content",
    heads={
        "statement_definition": (0, True),
        "argument_definition": (1, True),
        "statement_reference": (2, False),
        "argument_reference": (3, False),
    },
    elements=frozenset({"statement", "argument"}),
    head_key="folded head",  # not a rule name: no rule has a space in it
)

#: rule name -> method name, where the rule's name is taken by Python
_METHODS = {"list": "list_"}


def callbacks(
    text: str, source_name: str = "<string>", made: list[Statement | Argument] | None = None
) -> dict[str, Callable[..., Any]]:
    """Fresh callbacks that build one document's model, by rule name; ``start`` returns the model.

    ``made`` receives each statement and argument as it is made while reading (one that changes later is made
    again, and comes again): the reader works ahead on them (:class:`argmap.parallel.Ahead`).
    """
    return _Builder(text, source_name, made).callbacks()


def build(tree: Tree[Token], text: str, source_name: str = "<string>", comments: Sequence[Token] = ()) -> ArgumentMap:
    """Stage two alone: a parse tree of ``text`` (and its comment tokens) to an :class:`ArgumentMap`.

    The tree is walked bottom-up without recursion (relation trees may nest thousands deep), calling the rules'
    callbacks in the order the parser reduces them.
    """
    from lark import Tree

    rules = callbacks(text, source_name)
    # each frame: a subtree and the values of its children so far; values[0] receives the root's
    values: list[list[Any]] = [[], []]
    stack: list[tuple[Tree[Token], Iterator[Any]]] = [(tree, iter(tree.children))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            built = values.pop()
            values[-1].append(rules[node.data](built))
        elif isinstance(child, Tree):
            stack.append((child, iter(child.children)))
            values.append([])
        else:
            values[-1].append(child)
    argument_map: ArgumentMap = values[0][0]
    return with_comments(argument_map, comments)


def with_comments(argument_map: ArgumentMap, comments: Sequence[Token]) -> ArgumentMap:
    """``argument_map`` with the document's comments, in the order they were written."""
    if not comments:
        return argument_map
    ordered = sorted(comments, key=lambda c: c.start_pos or 0)
    return attrs.evolve(argument_map, comments=tuple(Comment(c.value, _token_span(c)) for c in ordered))
