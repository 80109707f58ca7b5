"""Stage two: the parse tree to the frozen model, with Argdown's meaning.

The builder walks the tree top-down in document order (sections, the argument a
premise-conclusion structure belongs to and generated titles all depend on what
came before), collecting mutable drafts that become frozen model objects at the end.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from .model import (
    Argument,
    ArgumentMap,
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
)
from .reader import syntax_error

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

    def add(self, text: Text | None, tags: list[str], data: dict[str, Any] | None, span: SourceSpan) -> None:
        if text is not None:
            if not self.defined:
                self.span = span
                self.defined = True
            self.texts.append(text)
        for tag in tags:
            if tag not in self.tags:
                self.tags.append(tag)
        if data:
            self.data.update(data)


def _span(meta: Any) -> SourceSpan:
    return SourceSpan(meta.line, meta.column, meta.end_line, meta.end_column)


def _token_span(token: Token) -> SourceSpan:
    return SourceSpan(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)


def _title(token: Token) -> str:
    value = str(token)
    if token.type.endswith("DEFINITION"):
        value = value[:-1]  # the ':'
    return " ".join(value[1:-1].split())


def _tag_name(value: str) -> str:
    name = value[1:]
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    return " ".join(name.split())


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
        self._taken = {_title(t) for t in tree.scan_values(lambda v: getattr(v, "type", None) in _TITLE_TOKENS)}
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
            if title not in self._taken:
                return title

    def content(self, tree: Tree[Token] | None) -> tuple[str, list[str]]:
        """The text of a content node (tags kept, as Argdown does) and its tag names."""
        if tree is None:
            return "", []
        parts: list[str] = []
        tags: list[str] = []
        previous_end: int | None = None
        for token in tree.children:
            assert not isinstance(token, str) or hasattr(token, "type")
            value = str(token)
            if previous_end is not None and token.start_pos != previous_end:  # type: ignore[union-attr]
                parts.append(" ")
            parts.append(value)
            previous_end = token.end_pos  # type: ignore[union-attr]
            if token.type == "TAG":  # type: ignore[union-attr]
                tags.append(_tag_name(value))
        return " ".join("".join(parts).split()), tags

    def data(self, tree: Tree[Token] | None) -> dict[str, Any]:
        if tree is None:
            return {}
        token = tree.children[0]
        return self.yaml_mapping(str(token), token, "data block")  # type: ignore[arg-type]

    def yaml_mapping(self, source: str, token: Token, what: str, line_offset: int = 0) -> dict[str, Any]:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            value = yaml.load(source, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = (token.line or 1) + line_offset
            column = token.column or 1
            if mark is not None:
                line += mark.line
                column = mark.column + 1 if mark.line else column + mark.column
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise self.error(f"invalid YAML in {what}: {problem}", line, column) from None
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

    def statement(self, tree: Tree[Token]) -> Node:
        """A statement block or relation child; returns its node."""
        head = tree.children[0]
        data_tree = next((c for c in tree.children[1:] if getattr(c, "data", None) == "data"), None)
        data = self.data(data_tree)  # type: ignore[arg-type]
        text: Text | None = None
        tags: list[str] = []
        rule = head.data  # type: ignore[union-attr]
        span = _span(head.meta)  # type: ignore[union-attr]
        if rule == "untitled_statement":
            body, tags = self.content(head.children[0])  # type: ignore[union-attr,arg-type]
            title, generated = self.generated_title(), True
            text = Text(body, span)
        else:
            token = head.children[0]  # type: ignore[union-attr]
            title, generated = _title(token), False  # type: ignore[arg-type]
            if not title:
                raise self.error("a statement title cannot be empty", token.line, token.column)  # type: ignore[union-attr]
            if rule == "statement_definition":
                body, tags = self.content(head.children[1] if len(head.children) > 1 else None)  # type: ignore[union-attr,arg-type]
                text = Text(body, span)
            else:
                tags = [_tag_name(str(t)) for t in head.children[1:]]  # type: ignore[union-attr]
        draft = self.statements.get(title)
        if draft is None:
            draft = self.statements[title] = _Draft(title, generated, span, self.section)
        draft.add(text, tags, data, span)
        node = Node(ElementKind.STATEMENT, title)
        self.relation_tree(node, tree)
        return node

    def argument(self, tree: Tree[Token]) -> Node:
        head = tree.children[0]
        data_tree = next((c for c in tree.children[1:] if getattr(c, "data", None) == "data"), None)
        data = self.data(data_tree)  # type: ignore[arg-type]
        token = head.children[0]  # type: ignore[union-attr]
        title = _title(token)  # type: ignore[arg-type]
        if not title:
            raise self.error("an argument title cannot be empty", token.line, token.column)  # type: ignore[union-attr]
        span = _span(head.meta)  # type: ignore[union-attr]
        text: Text | None = None
        if head.data == "argument_definition":  # type: ignore[union-attr]
            body, tags = self.content(head.children[1] if len(head.children) > 1 else None)  # type: ignore[union-attr,arg-type]
            text = Text(body, span)
        else:
            tags = [_tag_name(str(t)) for t in head.children[1:]]  # type: ignore[union-attr]
        draft = self.arguments.get(title)
        if draft is None:
            draft = self.arguments[title] = _Draft(title, False, span, self.section)
        draft.add(text, tags, data, span)
        node = Node(ElementKind.ARGUMENT, title)
        self.relation_tree(node, tree)
        return node

    def relation_tree(self, parent: Node, tree: Tree[Token]) -> None:
        relations = next((c for c in tree.children[1:] if getattr(c, "data", None) == "relations"), None)
        if relations is None:
            return
        for relation in relations.children:  # type: ignore[union-attr]
            symbol_token, child_tree = relation.children  # type: ignore[union-attr]
            child = self.element(child_tree)  # type: ignore[arg-type]
            kind, child_acts = _SYMBOLS[str(symbol_token)]
            source, target = (child, parent) if child_acts else (parent, child)
            if kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
                target = Node(ElementKind.INFERENCE, target.title)
            head_meta = child_tree.children[0].meta  # type: ignore[union-attr]
            span = SourceSpan(symbol_token.line, symbol_token.column, head_meta.end_line, head_meta.end_column)  # type: ignore[union-attr]
            self.relations.append(Relation(source, target, kind, span))

    def element(self, tree: Tree[Token]) -> Node:
        return self.statement(tree) if tree.data == "statement" else self.argument(tree)

    # -- blocks ----------------------------------------------------------------

    def heading(self, tree: Tree[Token]) -> None:
        marker = tree.children[0]
        level = len(str(marker).strip())
        title, tags = self.content(tree.children[1])  # type: ignore[arg-type]
        data_tree = tree.children[2] if len(tree.children) > 2 else None
        while self._open_sections and self._open_sections[-1].level >= level:
            self._open_sections.pop()
        parent = self._open_sections[-1].id if self._open_sections else None
        section = Section(
            id=f"s{len(self.sections) + 1}",
            title=title,
            level=level,
            parent=parent,
            tags=tuple(tags),
            data=self.data(data_tree),  # type: ignore[arg-type]
            span=_span(tree.meta),
        )
        self.sections.append(section)
        self._open_sections.append(section)

    def pcs(self, tree: Tree[Token], argument_title: str | None) -> None:
        steps: list[Step] = []
        pending: Inference | None = None
        numbers: dict[int, int] = {}
        for child in tree.children:
            rule = child.data  # type: ignore[union-attr]
            if rule == "inference":
                pending = self.inference(child)  # type: ignore[arg-type]
                continue
            number_token, statement_tree = child.children  # type: ignore[union-attr]
            number = int(str(number_token).strip().strip("()"))
            if number in numbers:
                pass  # Argdown accepts repeated numbers; the order of lines is what counts
            numbers[number] = len(steps)
            node = self.statement(statement_tree)  # type: ignore[arg-type]
            span = SourceSpan(
                number_token.end_line or number_token.line,  # type: ignore[union-attr]
                (number_token.end_column or 1) - len(str(number_token).strip()),  # type: ignore[union-attr]
                statement_tree.meta.end_line,  # type: ignore[union-attr]
                statement_tree.meta.end_column,  # type: ignore[union-attr]
            )
            if pending is None:
                steps.append(Premise(number, node.title, span))
            else:
                steps.append(Conclusion(number, node.title, pending, span))
                pending = None
        span = _span(tree.meta)
        if argument_title is None:
            title = self.generated_title()
            draft = self.arguments[title] = _Draft(title, True, span, self.section)
        else:
            draft = self.arguments[argument_title]
            if draft.steps:
                assert draft.pcs_span is not None
                raise self.error(
                    f"argument <{argument_title}> already has a premise-conclusion structure "
                    f"(line {draft.pcs_span.line})",
                    span.line,
                    span.column,
                    "an argument has one premise-conclusion structure; give this one its own argument title",
                )
        draft.steps = tuple(steps)
        draft.pcs_span = span

    def inference(self, tree: Tree[Token]) -> Inference:
        first = tree.children[0]
        rules: list[str] = []
        data: dict[str, Any] = {}
        for child in tree.children[1:]:
            rule = getattr(child, "data", None)
            if rule == "inference_rules":
                rules = [" ".join(str(t).split()) for t in child.children]  # type: ignore[union-attr]
                rules = [r for r in rules if r]
            elif rule == "data":
                data = self.data(child)  # type: ignore[arg-type]
        line = first.end_line or 1  # type: ignore[union-attr]
        dashes = str(first).split("\n")[-1].lstrip(" \t")
        column = (first.end_column or 1) - len(dashes)  # type: ignore[union-attr]
        span = SourceSpan(line, column, tree.meta.end_line, tree.meta.end_column)
        uses = data.get("uses", ())
        if not isinstance(uses, (list, tuple)) or not all(isinstance(u, int) for u in uses):
            raise self.error("'uses' must be a list of premise numbers, e.g. {uses: [1, 2]}", line, column)
        return Inference(tuple(rules), tuple(uses), data, span)

    def front_matter(self, tree: Tree[Token]) -> None:
        token = tree.children[0]
        body = re.split(r"\r\n|\r|\n", str(token))
        self.metadata = self.yaml_mapping("\n".join(body[1:-1]), token, "front matter", line_offset=1)  # type: ignore[arg-type]

    def document(self, tree: Tree[Token]) -> ArgumentMap:
        previous_argument: str | None = None
        for block in tree.children:
            rule = block.data  # type: ignore[union-attr]
            argument_before, previous_argument = previous_argument, None
            if rule == "front_matter":
                self.front_matter(block)  # type: ignore[arg-type]
            elif rule == "heading":
                self.heading(block)  # type: ignore[arg-type]
            elif rule == "statement":
                self.statement(block)  # type: ignore[arg-type]
            elif rule == "argument":
                previous_argument = self.argument(block).title  # type: ignore[arg-type]
            elif rule == "pcs":
                self.pcs(block, argument_before)  # type: ignore[arg-type]
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
        return ArgumentMap(
            statements=statements,
            arguments=arguments,
            relations=tuple(self.relations),
            sections=tuple(self.sections),
            metadata=self.metadata,
            source_name=self.source_name,
        )


def build(tree: Tree[Token], text: str, source_name: str = "<string>") -> ArgumentMap:
    """Stage two alone: a parse tree of ``text`` to an :class:`ArgumentMap`."""
    return _Builder(text, source_name, tree).document(tree)
