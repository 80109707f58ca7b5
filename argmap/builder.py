"""Stage two: the parse tree to the frozen model, with Argdown's meaning.

The builder walks the tree top-down in document order (sections, the argument a
premise-conclusion structure belongs to and generated titles all depend on what
came before), collecting mutable drafts that become frozen model objects at the end.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .inline import _MARKUP, collapse, inline_text
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

__all__ = ["build"]

_TITLE_TOKENS = {"STATEMENT_DEFINITION", "STATEMENT_REFERENCE", "ARGUMENT_DEFINITION", "ARGUMENT_REFERENCE"}

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


@attrs.define
class _Draft:
    """A statement or argument while the document is being read."""

    title: str
    generated: bool
    span: SourceSpan
    section: str | None
    texts: list[Text] = attrs.Factory(list)
    tags: list[str] = attrs.Factory(list)
    data: dict[str, Any] = attrs.Factory(dict)
    defined: bool = False
    steps: tuple[Step, ...] = ()
    pcs_span: SourceSpan | None = None

    def add(
        self, text: Text | None, tags: list[str], data: dict[str, Any] | None, span: SourceSpan, section: str | None
    ) -> None:
        if text is not None:
            if not self.defined:
                self.span = span
                self.defined = True
            if self.section is None:  # Argdown: the first definition written inside a section places it
                self.section = section
            self.texts.append(text)
        for tag in tags:
            if tag not in self.tags:
                self.tags.append(tag)
        if data:
            self.data = merge(self.data, data)


_BLOCK_DATA = re.compile(r"\{[ \t]*\n")


def _sub(tree: Tree[Token], index: int) -> Tree[Token]:
    """Child ``index`` of ``tree``, which the grammar guarantees is a subtree."""
    child = tree.children[index]
    assert not isinstance(child, str)
    return child


def _tok(tree: Tree[Token], index: int) -> Token:
    """Child ``index`` of ``tree``, which the grammar guarantees is a token."""
    child = tree.children[index]
    assert isinstance(child, str)
    return child


def _relation_lines(tree: Tree[Token]) -> Iterator[Tree[Token]]:
    """The ``relation`` subtrees under a statement or argument, in written order."""
    relations = _find(tree, "relations")
    if relations is not None:
        for child in relations.children:
            assert not isinstance(child, str)
            yield child


def _find(tree: Tree[Token], rule: str) -> Tree[Token] | None:
    """The first direct subtree named ``rule`` after the head, if any."""
    for child in tree.children[1:]:
        if not isinstance(child, str) and child.data == rule:
            return child
    return None


def _tokens(tree: Tree[Token]) -> Iterator[Token]:
    """Every token under ``tree``, without recursion (relation trees may nest thousands deep)."""
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        else:
            stack.extend(reversed(node.children))


def _last_token(tree: Tree[Token]) -> Token | None:
    """The last token under ``tree``: follow the last child down, stepping back past empty subtrees."""
    node: Tree[Token] | Token = tree
    while not isinstance(node, str) and node.children:  # the usual case, no stack needed
        node = node.children[-1]
    if isinstance(node, str):
        return node
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            return node
        stack.extend(node.children)
    return None


def _first_token(tree: Tree[Token]) -> Token | None:
    """The first token under ``tree``, following first children down."""
    node: Tree[Token] | Token = tree
    while not isinstance(node, str) and node.children:  # the usual case, no stack needed
        node = node.children[0]
    if isinstance(node, str):
        return node
    stack: list[Tree[Token] | Token] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            return node
        stack.extend(reversed(node.children))
    return None


def _start(token: Token) -> tuple[int, int]:
    """Where a token's visible text starts: line-start tokens carry the line break and indentation before it."""
    value = str(token)
    if "\n" not in value and not value[:1].isspace():
        return token.line or 1, token.column or 1
    visible = value.rsplit("\n", 1)[-1].lstrip(" \t")
    return token.end_line or 1, (token.end_column or 1) - len(visible)


def _span(tree: Tree[Token]) -> SourceSpan:
    """From the tree's first visible character to the end of its last kept token (not the line breaks after it).

    Computed from the tokens, so the parser need not track positions on every tree node (it is faster without).
    """
    first, last = _first_token(tree), _last_token(tree)
    if first is None or last is None:
        return SourceSpan(0, 0, 0, 0)
    line, column = _start(first)
    return SourceSpan(line, column, last.end_line or line, last.end_column or column)


def _token_span(token: Token) -> SourceSpan:
    return SourceSpan(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def _line_col(token: Token) -> tuple[int, int]:
    return token.line or 1, token.column or 1


def _title(token: Token) -> str:
    value = str(token)
    if token.type.endswith("DEFINITION"):
        value = value[:-1]  # the ':'
    return collapse(value[1:-1])


def _tag_name(value: str) -> str:
    name = value[1:]
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    return collapse(name)


class _Builder:
    def __init__(self, text: str, source_name: str, tree: Tree[Token]) -> None:
        self.text = text
        self.source_name = source_name
        self.statements: dict[str, _Draft] = {}
        self.arguments: dict[str, _Draft] = {}
        self.relations: list[Relation] = []
        self.sections: list[Section] = []
        self.metadata: dict[str, Any] = {}
        self._open_sections: list[Section] = []
        self._tree = tree
        self._taken: set[str] | None = None  # every title written in the document, found when first needed
        self._untitled = 0

    # -- helpers -----------------------------------------------------------

    def error(self, message: str, line: int, column: int, hint: str | None = None) -> Exception:
        return syntax_error(self.text, self.source_name, message, line, column, hint)

    @property
    def section(self) -> str | None:
        return self._open_sections[-1].id if self._open_sections else None

    def generated_title(self) -> str:
        """'Untitled N', skipping any title the author wrote anywhere in the document."""
        while True:
            self._untitled += 1
            title = f"Untitled {self._untitled}"
            if self._taken is None:
                self._taken = {_title(t) for t in _tokens(self._tree) if t.type in _TITLE_TOKENS}
            if title not in self._taken:
                return title

    def content(self, tree: Tree[Token] | None) -> tuple[str, list[str], tuple[TextRange, ...]]:
        """The plain text of a content node (tags kept, as Argdown does), its tag names and its ranges."""
        if tree is None:
            return "", [], ()
        children = tree.children
        if len(children) == 1:
            only = children[0]
            if isinstance(only, str) and only.type == "TEXT" and not _MARKUP.search(only):
                return collapse(only), [], ()  # plain text on one line, the usual case
        pieces: list[tuple[str, ...]] = []
        tags: list[str] = []
        previous_end: int | None = None
        for index in range(len(tree.children)):
            token = _tok(tree, index)
            value = str(token)
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
        return text, tags, ranges

    def data(self, tree: Tree[Token] | None) -> dict[str, Any]:
        if tree is None:
            return {}
        token = _tok(tree, 0)
        source = str(token)
        block = _BLOCK_DATA.match(source)
        if block:  # "{" then a line break: block-style YAML between the braces, as Argdown reads it
            inner = source[block.end() :].rstrip()
            inner = inner[:-1] if inner.endswith("}") else inner
            return self.yaml_mapping(textwrap.dedent(inner), token, "data block", line_offset=1, block=True)
        return self.yaml_mapping(source, token, "data block")

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
            last_line = start_line + str(token).count("\n")
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

    # -- elements ------------------------------------------------------------

    def head(self, tree: Tree[Token], span: SourceSpan) -> tuple[str | None, Text | None, list[str], Token | None]:
        """Title (None when untitled), text, tags and title token of a statement or argument head at ``span``."""
        head = _sub(tree, 0)
        if head.data == "untitled_statement":
            body, tags, ranges = self.content(_sub(head, 0))
            return None, Text(body, span, ranges), tags, None
        token = _tok(head, 0)
        title = _title(token)
        if not title:
            what = "statement" if token.type.startswith("STATEMENT") else "argument"
            raise self.error(f"a {what} title cannot be empty", *_line_col(token))
        if head.data.endswith("_definition"):
            body_tree = _sub(head, 1) if len(head.children) > 1 else None
            body, tags, ranges = self.content(body_tree)
            if not body:
                line, column = _line_col(token)
                raise self.error(
                    "a definition needs text after the colon",
                    line,
                    column,
                    f"add the text, or refer to the element without the colon: {str(token)[:-1]}",
                )
            return title, Text(body, span, ranges), tags, token
        return title, None, [_tag_name(str(t)) for t in head.children[1:]], token

    def element_head(self, tree: Tree[Token]) -> Node:
        """A statement's or argument's head and data, without its relation tree; returns its node."""
        data = self.data(_find(tree, "data"))
        span = _span(_sub(tree, 0))
        title, text, tags, _ = self.head(tree, span)
        generated = title is None  # only a statement can be untitled
        if title is None:
            title = self.generated_title()
        kind = ElementKind.STATEMENT if tree.data == "statement" else ElementKind.ARGUMENT
        drafts = self.statements if kind is ElementKind.STATEMENT else self.arguments
        draft = drafts.get(title)
        if draft is None:
            draft = drafts[title] = _Draft(title, generated, span, None)
        draft.add(text, tags, data, span, self.section)
        return Node(kind, title)

    def element(self, tree: Tree[Token]) -> Node:
        """A statement or argument with its whole relation tree, walked without recursion (trees may be deep)."""
        root = self.element_head(tree)
        # each frame: the element, its remaining relation lines, and the relation that led to it
        stack: list[tuple[Node, Iterator[Tree[Token]], tuple[Node, Token, Tree[Token]] | None]] = [
            (root, _relation_lines(tree), None)
        ]
        while stack:
            node, lines, via = stack[-1]
            line = next(lines, None)
            if line is None:
                stack.pop()
                if via is not None:
                    self.relation(*via, node)
                continue
            symbol, child_tree = _tok(line, 0), _sub(line, 1)
            child = self.element_head(child_tree)
            stack.append((child, _relation_lines(child_tree), (node, symbol, child_tree)))
        return root

    def relation(self, parent: Node, symbol: Token, child_tree: Tree[Token], child: Node) -> None:
        """The relation written as ``symbol`` between ``parent`` and its child line."""
        kind, child_acts = _SYMBOLS[str(symbol)]
        source, target = (child, parent) if child_acts else (parent, child)
        if kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
            target = Node(ElementKind.INFERENCE, target.title)
        head = _span(_sub(child_tree, 0))
        line, column = _line_col(symbol)
        span = SourceSpan(line, column, head.end_line, head.end_column)
        self.relations.append(Relation(source, target, kind, span, parent=parent))

    # -- blocks ----------------------------------------------------------------

    def heading(self, tree: Tree[Token]) -> None:
        level = len(str(_tok(tree, 0)).strip())
        title, tags, _ = self.content(_sub(tree, 1))
        while self._open_sections and self._open_sections[-1].level >= level:
            self._open_sections.pop()
        parent = self._open_sections[-1].id if self._open_sections else None
        section = Section(
            id=f"s{len(self.sections) + 1}",
            title=title,
            level=level,
            parent=parent,
            tags=tuple(tags),
            data=self.data(_find(tree, "data")),
            span=_span(tree),
        )
        self.sections.append(section)
        self._open_sections.append(section)

    def pcs(self, tree: Tree[Token], argument_title: str | None) -> None:
        span = _span(tree)
        if argument_title is None:  # titled before its statements, as Argdown numbers them
            argument_title = self.generated_title()
            self.arguments[argument_title] = _Draft(argument_title, True, span, self.section)
        steps: list[Step] = []
        pending: Inference | None = None
        for index in range(len(tree.children)):
            child = _sub(tree, index)
            if child.data == "inference":
                pending = self.inference(child)
                continue
            number_token = _tok(child, 0)
            statement_tree = _sub(child, 1)
            marker = str(number_token).strip()
            number = int(marker.strip("()"))
            node = self.element(statement_tree)
            statement_span = _span(statement_tree)
            step_span = SourceSpan(
                number_token.end_line or 1,
                (number_token.end_column or 1) - len(marker),
                statement_span.end_line,
                statement_span.end_column,
            )
            if pending is None:
                steps.append(Premise(number, node.title, step_span))
            else:
                steps.append(Conclusion(number, node.title, pending, step_span))
                pending = None
        draft = self.arguments[argument_title]
        if draft.steps:
            assert draft.pcs_span is not None
            raise self.error(
                f"argument <{argument_title}> already has a premise-conclusion structure (line {draft.pcs_span.line})",
                span.line,
                span.column,
                "an argument has one premise-conclusion structure; give this one its own argument title",
            )
        draft.steps = tuple(steps)
        draft.pcs_span = span
        if self.section is not None:  # Argdown: an argument lives where its structure is written
            draft.section = self.section

    def inference(self, tree: Tree[Token]) -> Inference:
        first = _tok(tree, 0)
        rules: list[str] = []
        data: dict[str, Any] = {}
        for child in tree.children[1:]:
            if isinstance(child, str):  # the closing '--'
                continue
            if child.data == "inference_rules":
                rules = [r for r in (collapse(str(t)) for t in child.children) if r]
            elif child.data == "inference_data":
                data = self.data(child)
        line = first.end_line or 1
        dashes = re.split(r"\r\n|\r|\n", str(first))[-1].lstrip(" \t")
        column = (first.end_column or 1) - len(dashes)
        end = _span(tree)
        span = SourceSpan(line, column, end.end_line, end.end_column)
        uses = data.get("uses", ())
        if not isinstance(uses, (list, tuple)) or not all(isinstance(u, int) for u in uses):
            raise self.error("'uses' must be a list of premise numbers, e.g. {uses: [1, 2]}", line, column)
        return Inference(tuple(rules), tuple(uses), data, span)

    def front_matter(self, tree: Tree[Token]) -> None:
        token = _tok(tree, 0)
        body = re.split(r"\r\n|\r|\n", str(token))
        self.metadata = self.yaml_mapping("\n".join(body[1:-1]), token, "front matter", line_offset=1)

    def document(self, tree: Tree[Token]) -> ArgumentMap:
        previous_argument: str | None = None
        for index in range(len(tree.children)):
            block = _sub(tree, index)
            argument_before, previous_argument = previous_argument, None
            if block.data == "front_matter":
                self.front_matter(block)
            elif block.data == "heading":
                self.heading(block)
            elif block.data == "statement":
                self.element(block)
            elif block.data == "argument":
                previous_argument = self.element(block).title
            elif block.data == "pcs":
                self.pcs(block, argument_before)
            elif block.data == "list":
                for item in block.children:
                    if not isinstance(item, str):  # the markers are tokens
                        self.element(item)
        return self.finish()

    def finish(self) -> ArgumentMap:
        statements = {
            t: Statement(
                title=d.title,
                texts=tuple(d.texts),
                tags=tuple(d.tags),
                data=d.data,
                span=d.span,
                section=d.section,
                generated_title=d.generated,
            )
            for t, d in self.statements.items()
        }
        arguments = {
            t: Argument(
                title=d.title,
                descriptions=tuple(d.texts),
                tags=tuple(d.tags),
                data=d.data,
                steps=d.steps,
                span=d.span if d.defined or d.pcs_span is None else d.pcs_span,
                section=d.section,
                generated_title=d.generated,
            )
            for t, d in self.arguments.items()
        }
        relations = self.relations
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


def build(tree: Tree[Token], text: str, source_name: str = "<string>", comments: Sequence[Token] = ()) -> ArgumentMap:
    """Stage two alone: a parse tree of ``text`` (and its comment tokens) to an :class:`ArgumentMap`."""
    argument_map = _Builder(text, source_name, tree).document(tree)
    if not comments:
        return argument_map
    ordered = sorted(comments, key=lambda c: c.start_pos or 0)
    return attrs.evolve(argument_map, comments=tuple(Comment(str(c), _token_span(c)) for c in ordered))
