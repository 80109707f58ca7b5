"""The typed premise/conclusion model that every exporter reads.

All classes are frozen attrs classes holding tuples and read-only mappings, so a
parsed map can be shared, cached and compared without defensive copies.
"""

from __future__ import annotations

import enum
import functools
import weakref
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, Union

import attrs

if TYPE_CHECKING:
    from .evaluation import Evaluation

__all__ = [
    "Argument",
    "ArgumentMap",
    "Comment",
    "Conclusion",
    "ElementKind",
    "Inference",
    "Node",
    "Premise",
    "RangeKind",
    "Relation",
    "RelationKind",
    "Section",
    "SourceSpan",
    "Statement",
    "Step",
    "Text",
    "TextRange",
]


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """Copy ``value`` into a read-only mapping (keeps the order); every empty one is the same object."""
    if not value:
        return _EMPTY
    return MappingProxyType(dict(value))


@attrs.frozen(order=True)
class SourceSpan:
    """Where an element was written: 1-based lines and columns; the end column is one past the last character.

    Spans do not take part in comparing model objects: two maps are equal when they say the same thing,
    wherever it was written.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    #: the file it was written in when that is not the map's own source (an ``@include``d file), else ""
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.source}:" if self.source else ""
        return f"{where}{self.line}:{self.column}-{self.end_line}:{self.end_column}"


#: The span given to elements that were not written in any source (built in code).
NO_SPAN = SourceSpan(0, 0, 0, 0)


class RelationKind(enum.Enum):
    """How the source of a relation acts on its target.

    ``ENTAILMENT`` and ``CONTRARINESS`` are the strict-mode readings of ``+`` and ``-`` between two
    statements (front matter ``model: {mode: strict}``): the source entails the target / the two cannot
    both be true (but may both be false).
    """

    SUPPORT = "support"
    ATTACK = "attack"
    UNDERCUT = "undercut"
    CONTRADICTION = "contradiction"
    ENTAILMENT = "entailment"
    CONTRARINESS = "contrariness"


class ElementKind(enum.Enum):
    """What a relation end points at."""

    STATEMENT = "statement"
    ARGUMENT = "argument"
    #: the (last) inference of an argument: the target of an undercut
    INFERENCE = "inference"


@attrs.frozen
class Node:
    """One end of a relation: a statement, an argument, or an argument's inference."""

    kind: ElementKind
    title: str

    def __str__(self) -> str:
        if self.kind is ElementKind.STATEMENT:
            return f"[{self.title}]"
        if self.kind is ElementKind.ARGUMENT:
            return f"<{self.title}>"
        return f"<{self.title}> (inference)"


class RangeKind(enum.Enum):
    """What a stretch of text is: formatting, a link, or a mention of an element."""

    BOLD = "bold"
    ITALIC = "italic"
    LINK = "link"
    STATEMENT_MENTION = "statement-mention"
    ARGUMENT_MENTION = "argument-mention"


@attrs.frozen
class TextRange:
    """A typed stretch ``text[start:end]`` of a :class:`Text`: bold, italic, a link, a mention.

    A link has its ``url``; a mention names the element's ``title`` (the text keeps ``@[Title]``,
    as in Argdown). A mention is a link to the element, not a relation.
    """

    kind: RangeKind
    start: int
    end: int
    url: str | None = None
    title: str | None = None


@attrs.frozen
class Text:
    """One piece of text written for an element: plain text, its formatting ranges, where it was written."""

    text: str
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)
    ranges: tuple[TextRange, ...] = ()


@attrs.frozen(eq=True)
class Statement:
    """A claim. Every definition with the same title adds a text to the same statement."""

    title: str
    texts: tuple[Text, ...] = ()
    tags: tuple[str, ...] = ()
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)
    section: str | None = None
    #: True when argmap made the title up (an untitled statement)
    generated_title: bool = False

    @property
    def text(self) -> str:
        """The text that stands for the statement: the last non-empty one, as in Argdown; ``""`` if none."""
        return next((t.text for t in reversed(self.texts) if t.text), "")


@attrs.frozen
class Inference:
    """The inference line before a conclusion: ``----`` or ``-- rule, rule --``."""

    rules: tuple[str, ...] = ()
    #: numbers of the steps this inference uses, when the author said so
    uses: tuple[int, ...] = ()
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)


@attrs.frozen
class Premise:
    """A numbered premise line ``(n) ...`` of a premise-conclusion structure."""

    number: int
    title: str
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)


@attrs.frozen
class Conclusion:
    """A numbered line after an inference line: intermediate or main conclusion."""

    number: int
    title: str
    inference: Inference = attrs.field(factory=Inference)
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)


Step = Union[Premise, Conclusion]  # noqa: UP007 - a runtime alias must work on Python 3.10


@attrs.frozen
class Argument:
    """An argument: descriptions, and possibly its premise-conclusion structure."""

    title: str
    descriptions: tuple[Text, ...] = ()
    tags: tuple[str, ...] = ()
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    #: the premise-conclusion structure, in written order (empty for a sketch)
    steps: tuple[Step, ...] = ()
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)
    section: str | None = None
    generated_title: bool = False

    @property
    def description(self) -> str:
        """The last non-empty description, as in Argdown, or ``""``."""
        return next((d.text for d in reversed(self.descriptions) if d.text), "")

    @property
    def premises(self) -> tuple[str, ...]:
        """Titles of the premises (not the conclusions), in order."""
        return tuple(s.title for s in self.steps if isinstance(s, Premise))

    @property
    def conclusions(self) -> tuple[Conclusion, ...]:
        """Every conclusion, intermediate ones first; the last is the main one."""
        return tuple(s for s in self.steps if isinstance(s, Conclusion))

    @property
    def conclusion(self) -> str | None:
        """Title of the main conclusion, or None when there is no structure."""
        conclusions = self.conclusions
        return conclusions[-1].title if conclusions else None

    @property
    def intermediate_conclusions(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.conclusions[:-1])

    @property
    def is_reconstructed(self) -> bool:
        """True when the argument has a premise-conclusion structure."""
        return bool(self.steps)


@attrs.frozen
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level."""

    id: str
    title: str
    level: int
    parent: str | None = None
    tags: tuple[str, ...] = ()
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)


#: what ``+`` and ``-`` between two statements mean in strict mode
STRICT_KINDS = {RelationKind.SUPPORT: RelationKind.ENTAILMENT, RelationKind.ATTACK: RelationKind.CONTRARINESS}


@attrs.frozen
class Comment:
    """A comment as written (``// ...``, ``/* ... */`` or ``<!-- ... -->``), kept so the notation can be rewritten."""

    text: str
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)


@attrs.frozen
class Relation:
    """``source`` acts on ``target`` (supports, attacks, undercuts or contradicts it)."""

    source: Node
    target: Node
    kind: RelationKind
    span: SourceSpan = attrs.field(default=NO_SPAN, eq=False)
    #: the element the relation line was written under (its source or target; for an undercut of an argument,
    #: the argument): layout, not meaning, so it takes no part in comparisons; None when built in code
    parent: Node | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        return f"{self.source} {self.kind.value} {self.target}"


_T = TypeVar("_T")

#: a derived relation's ends and kind as plain strings: hashing those is much cheaper than hashing nodes and enums
_RelationKey = tuple[str, str, str, str, str]


def _relation_key(
    source_kind: ElementKind, source: str, target_kind: ElementKind, target: str, kind: RelationKind
) -> _RelationKey:
    return (source_kind._value_, source, target_kind._value_, target, kind._value_)


#: what the query helpers derived from a map, by the map's identity: a map is immutable, so this is
#: computed once; the entry goes when the map does (see :func:`_derived`)
_DERIVED: dict[int, tuple[weakref.ReferenceType[ArgumentMap], dict[str, Any]]] = {}


def _forget(key: int, ref: weakref.ReferenceType[ArgumentMap]) -> None:
    entry = _DERIVED.get(key)
    if entry is not None and entry[0] is ref:
        del _DERIVED[key]


def _derived(argmap: ArgumentMap, name: str, compute: Callable[[], _T]) -> _T:
    """``compute()``, once per map and ``name``: the derived relations and indexes of a map do not change.

    Kept outside the map (a frozen, slotted class whose fields are its public content) and keyed by
    identity: equal maps are compared field by field, which would cost more than computing again.
    """
    key = id(argmap)
    entry = _DERIVED.get(key)
    if entry is None or entry[0]() is not argmap:
        ref = weakref.ref(argmap, functools.partial(_forget, key))
        entry = _DERIVED[key] = (ref, {})
    cache = entry[1]
    if name not in cache:
        cache[name] = compute()
    value: _T = cache[name]
    return value


def node_named(element: Node | Statement | Argument | str, known: Callable[[Node], bool]) -> Node | None:
    """The node ``element`` stands for: a node, a statement or argument, ``"[T]"`` or ``"<T>"`` (the brackets pick
    the kind), or a bare title, a statement's if ``known`` has it, else an argument's; None for an unknown bare title.
    """
    if isinstance(element, Node):
        return element
    if isinstance(element, Statement):
        return Node(ElementKind.STATEMENT, element.title)
    if isinstance(element, Argument):
        return Node(ElementKind.ARGUMENT, element.title)
    if element.startswith("<") and element.endswith(">"):
        return Node(ElementKind.ARGUMENT, element[1:-1])
    if element.startswith("[") and element.endswith("]"):
        return Node(ElementKind.STATEMENT, element[1:-1])
    for kind in (ElementKind.STATEMENT, ElementKind.ARGUMENT):
        if known(Node(kind, element)):
            return Node(kind, element)
    return None


@attrs.frozen
class ArgumentMap:
    """A parsed map: statements and arguments by title, relations, sections, front matter."""

    statements: Mapping[str, Statement] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    arguments: Mapping[str, Argument] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    relations: tuple[Relation, ...] = ()
    sections: tuple[Section, ...] = ()
    metadata: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_mapping, hash=False)
    source_name: str = attrs.field(default="<string>", eq=False)
    #: the document's comments in order; they carry no meaning, so maps compare equal without them
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)

    # -- looking things up -------------------------------------------------

    def node(self, title: str) -> Node:
        """The node for a title: ``"<T>"`` or ``"[T]"`` pick the kind, a bare title is looked up."""
        return self._as_node(title)

    def _as_node(self, element: Node | Statement | Argument | str) -> Node:
        node = node_named(element, self._has)
        if node is None:
            raise KeyError(f"no statement or argument titled {element!r}")
        return node

    def _has(self, node: Node) -> bool:
        return node.title in (self.statements if node.kind is ElementKind.STATEMENT else self.arguments)

    def _relation_index(self) -> Mapping[Node, tuple[int, ...]]:
        """Positions in ``relations`` of the relations at each end, in order (computed once per map)."""

        def compute() -> Mapping[Node, tuple[int, ...]]:
            index: dict[Node, list[int]] = {}
            for i, r in enumerate(self.relations):
                index.setdefault(r.source, []).append(i)
                if r.target != r.source:
                    index.setdefault(r.target, []).append(i)
            return {end: tuple(positions) for end, positions in index.items()}

        return _derived(self, "relation_index", compute)

    def _relations_at(self, node: Node) -> tuple[Node, tuple[Relation, ...]]:
        """``node`` and the relations with it (or, for an argument, its inference) at either end, in order."""
        index = self._relation_index()
        positions = index.get(node, ())
        if node.kind is ElementKind.ARGUMENT:
            inference = index.get(Node(ElementKind.INFERENCE, node.title), ())
            if inference:
                positions = tuple(sorted(set(positions).union(inference)))
        return node, tuple(self.relations[i] for i in positions)

    def relations_of(self, element: Node | Statement | Argument | str) -> tuple[Relation, ...]:
        """Every relation that has ``element`` (or, for an argument, its inference) at either end."""
        return self._relations_at(self._as_node(element))[1]

    def _incoming(self, element: Node | Statement | Argument | str, kind: RelationKind) -> tuple[Node, ...]:
        node, relations = self._relations_at(self._as_node(element))
        ends = {node}
        if node.kind is ElementKind.ARGUMENT:
            ends.add(Node(ElementKind.INFERENCE, node.title))
        found: list[Node] = []
        for r in relations:
            if r.kind is kind and r.target in ends:
                found.append(r.source)
            elif kind is RelationKind.CONTRADICTION and r.kind is kind and r.source == node:
                found.append(r.target)
        return tuple(dict.fromkeys(found))

    def supporters(self, element: Node | Statement | Argument | str) -> tuple[Node, ...]:
        """What supports ``element``."""
        return self._incoming(element, RelationKind.SUPPORT)

    def attackers(self, element: Node | Statement | Argument | str) -> tuple[Node, ...]:
        """What attacks ``element`` (attacks only; see also undercutters and contradictions)."""
        return self._incoming(element, RelationKind.ATTACK)

    def undercutters(self, element: Node | Statement | Argument | str) -> tuple[Node, ...]:
        """What undercuts the inference of argument ``element``."""
        return self._incoming(element, RelationKind.UNDERCUT)

    def contradictions(self, element: Node | Statement | Argument | str) -> tuple[Node, ...]:
        """What contradicts ``element`` (the relation is symmetric)."""
        return self._incoming(element, RelationKind.CONTRADICTION)

    def arguments_for(self, statement: str) -> tuple[Argument, ...]:
        """Arguments whose main conclusion is ``statement``."""

        def compute() -> Mapping[str, tuple[Argument, ...]]:
            index: dict[str, list[Argument]] = {}
            for a in self.arguments.values():
                if a.conclusion is not None:
                    index.setdefault(a.conclusion, []).append(a)
            return {title: tuple(found) for title, found in index.items()}

        return _derived(self, "arguments_for", compute).get(statement, ())

    def main_conclusions(self) -> tuple[str, ...]:
        """Conclusions of arguments that no other argument uses as a premise: the map's upshot."""
        used_as_premise = {p for a in self.arguments.values() for p in a.premises}
        found = [a.conclusion for a in self.arguments.values() if a.conclusion is not None]
        return tuple(t for t in dict.fromkeys(found) if t not in used_as_premise)

    def derived_relations(self) -> tuple[Relation, ...]:
        """The relations as Argdown's model states them.

        A relation written from an argument that has a premise-conclusion
        structure is re-expressed from that argument's main conclusion; repeats
        and relations of a statement to itself are dropped. ``relations`` keeps
        what was written.
        """
        return _derived(self, "derived_relations", self._derive_relations)

    def _derive_relations(self) -> tuple[Relation, ...]:
        derived: dict[_RelationKey, Relation] = {}
        strict = self.strict
        #: argument title -> the node of its main conclusion (None: no structure, or not in the map)
        conclusions: dict[str, Node | None] = {}
        for r in self.relations:
            source, target, kind = r.source, r.target, r.kind
            if source.kind is ElementKind.ARGUMENT:
                title = source.title
                if title in conclusions:
                    conclusion = conclusions[title]
                else:
                    argument = self.arguments.get(title)
                    steps = argument.steps if argument is not None else ()
                    # the main conclusion is the last conclusion, usually the last step (the property looks at all)
                    main = steps[-1].title if steps and steps[-1].__class__ is Conclusion else None
                    if main is None and argument is not None:
                        main = argument.conclusion
                    conclusion = conclusions[title] = None if main is None else Node(ElementKind.STATEMENT, main)
                if conclusion is not None:
                    source = conclusion
                    if strict and target.kind is ElementKind.STATEMENT:
                        kind = STRICT_KINDS.get(kind, kind)
            if source.kind is target.kind and source.title == target.title:
                continue
            key = _relation_key(source.kind, source.title, target.kind, target.title, kind)
            if kind is RelationKind.CONTRARINESS and (
                _relation_key(target.kind, target.title, source.kind, source.title, kind) in derived
            ):
                continue  # symmetric: one relation between the two
            if key not in derived:
                unchanged = source is r.source and kind is r.kind
                # attrs.evolve(r, source=source, kind=kind), without its cost per call (tests pin the fields)
                derived[key] = r if unchanged else Relation(source, target, kind, r.span, r.parent)
        # the ordered pairs of statements with an attack, contradiction or contrariness between them (both ways for
        # the symmetric two): what _repeats_premise_attack asks of each candidate, gathered once
        against: set[tuple[str, str]] = set()
        statement = ElementKind.STATEMENT
        for r in derived.values():
            if r.source.kind is statement and r.target.kind is statement:
                if r.kind is RelationKind.ATTACK:
                    against.add((r.source.title, r.target.title))
                elif r.kind is RelationKind.CONTRADICTION or r.kind is RelationKind.CONTRARINESS:
                    against.update(((r.source.title, r.target.title), (r.target.title, r.source.title)))
        if not against:
            return tuple(derived.values())
        return tuple(r for r in derived.values() if not self._repeats_premise_attack(r, against))

    @property
    def strict(self) -> bool:
        """True in Argdown's strict mode (front matter ``model: {mode: strict}``)."""
        model = self.metadata.get("model")
        return isinstance(model, Mapping) and model.get("mode") == "strict"

    def _repeats_premise_attack(self, relation: Relation, against: set[tuple[str, str]]) -> bool:
        """A statement attacking an argument while it attacks or contradicts one of its premises: Argdown keeps one.

        ``against`` holds the ordered pairs of statements that an attack, a contradiction or a contrariness runs
        between (both ways for the last two)."""
        if relation.kind is not RelationKind.ATTACK or relation.source.kind is not ElementKind.STATEMENT:
            return False
        argument = self.arguments.get(relation.target.title) if relation.target.kind is ElementKind.ARGUMENT else None
        if argument is None or not argument.is_reconstructed:
            return False
        source = relation.source.title
        return any((source, premise) in against for premise in argument.premises)

    def evaluate(self, semantics: str = "grounded") -> Evaluation:
        """Which statements, arguments and undercut inferences stand: labelled ``in``, ``out`` or ``undecided``.

        ``semantics`` is ``"grounded"`` (one labelling, computed in linear time) or ``"preferred"`` /
        ``"stable"`` (any number of labellings; these need ``pip install 'argmap[semantics]'``). Each label
        comes with its reason in words. The rules are in docs/evaluation.md; see :mod:`argmap.evaluation`.
        """
        from .evaluation import evaluate

        return evaluate(self, semantics)

    # -- notebooks: exactly one of these is not None, so Jupyter shows the diagram or, without Graphviz, the outline

    def _repr_svg_(self) -> str | None:
        """The diagram as SVG in Jupyter; None without Graphviz (then the Markdown outline shows)."""
        from .notebook import svg_or_none

        return svg_or_none(self)

    def _repr_markdown_(self) -> str | None:
        """The Markdown outline in Jupyter when Graphviz is missing; None when the SVG diagram shows."""
        from .notebook import markdown_or_none

        return markdown_or_none(self)

    def section(self, section_id: str) -> Section:
        def compute() -> Mapping[str, Section]:
            index: dict[str, Section] = {}
            for s in self.sections:
                index.setdefault(s.id, s)
            return index

        found = _derived(self, "sections", compute).get(section_id)
        if found is None:
            raise KeyError(section_id)
        return found

    def elements(self) -> Iterator[Statement | Argument]:
        """Statements, then arguments, in document order."""
        yield from self.statements.values()
        yield from self.arguments.values()
