"""Which boxes and arrows a map diagram shows: Argdown's map, independent of Graphviz.

The rules follow Argdown's MapPlugin and statement selection (``with-title``):

* Every argument is a node.
* A statement with a title the author gave is a node, unless it only occurs as an
  intermediate conclusion and takes part in no relation (Argdown hides it too).
  Unlike Argdown, a titled statement that is connected to nothing is still shown:
  argmap does not make named claims disappear.
* An untitled statement is a node when it takes part in a relation that cannot be
  drawn through an argument. Otherwise, as in Argdown, its relations are drawn
  from the arguments that conclude it (outgoing) or into the arguments that use it
  as a premise (incoming).
* Edges come from :meth:`ArgumentMap.derived_relations` (Argdown's model: a
  relation written from a reconstructed argument leaves from its main
  conclusion). A contradiction or contrariness becomes an attack, and an
  entailment a support, when an argument node is at one end; the symmetric two
  are drawn both ways between statement nodes; an undercut points at the
  argument whose inference it attacks.
* Implicit support edges from the premise-conclusion structures: a premise that
  is a node supports its argument; an argument supports its main conclusion when
  that is a node, otherwise the arguments that use the conclusion as a premise.
* A relation end that names no element of the map still gets a node (title only).
* Repeated edges and edges from a node to itself are dropped.
* The data key ``isInMap`` decides as in Argdown: ``false`` keeps an element out
  of the map (a statement's relations are then drawn through the arguments that
  use it, if any; an argument's are dropped), ``true`` draws a statement that
  would otherwise be hidden. Any other value is ignored with a warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import attrs

from ..model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Node,
    Relation,
    RelationKind,
    Statement,
    Text,
    TextRange,
)

__all__ = ["SYMMETRIC", "MapEdge", "MapGraph", "MapNode", "build_graph", "data_flag", "element_node", "main_text"]

#: relations that hold both ways: drawn once between statements, routed either way
SYMMETRIC = frozenset({RelationKind.CONTRADICTION, RelationKind.CONTRARINESS})
#: what a statement-only relation becomes when an argument is at one end (as in Argdown's map)
_NEXT_TO_ARGUMENT = {
    RelationKind.CONTRADICTION: RelationKind.ATTACK,
    RelationKind.CONTRARINESS: RelationKind.ATTACK,
    RelationKind.ENTAILMENT: RelationKind.SUPPORT,
}


def data_flag(data: Mapping[str, Any], key: str, where: str) -> bool | None:
    """The boolean data key ``key`` (``isInMap``, ``isGroup``...), or None when absent.

    Any other value warns and counts as absent: Argdown would read ``"false"`` as true.
    """
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if isinstance(value, bool):
        return value
    warnings.warn(f"{where}: data {key!r} must be true or false, not {value!r}; ignored", stacklevel=3)
    return None


def main_text(element: Statement | Argument) -> Text | None:
    """The text that stands for the element (the last non-empty one, as in Argdown), with its ranges."""
    for text in reversed(element.texts if isinstance(element, Statement) else element.descriptions):
        if text.text:
            return text
    return None


#: a record made without the Python-level ``__new__`` of a named tuple
_new_tuple = tuple.__new__


class MapNode(NamedTuple):
    """One box: a statement (id ``s<n>``) or an argument (id ``a<n>``).

    A plain record (a named tuple, made in C): a map of 50,000 statements has some 70,000 boxes.
    """

    id: str
    kind: ElementKind
    title: str
    text: str = ""
    #: False for an untitled element that has a text to show instead
    show_title: bool = True
    section: str | None = None
    #: False when a relation names an element that the map does not define
    known: bool = True
    #: the formatting of ``text`` (bold, italic, links, mentions)
    ranges: tuple[TextRange, ...] = ()


def element_node(node_id: str, kind: ElementKind, element: Statement | Argument) -> MapNode:
    """The box of a statement or argument the map defines: its main text under its title (or in its place)."""
    return _box(node_id, kind, element, element.texts if isinstance(element, Statement) else element.descriptions)


def _box(node_id: str, kind: ElementKind, element: Statement | Argument, texts: tuple[Text, ...]) -> MapNode:
    """:func:`element_node` with the element's texts at hand; the record made in C (a map has thousands)."""
    for text in reversed(texts):  # the main text: the last non-empty one, as in Argdown
        if text.text:
            fields = (node_id, kind, element.title, text.text, not element.generated_title, element.section)
            return _new_tuple(MapNode, (*fields, True, text.ranges))
    return _new_tuple(MapNode, (node_id, kind, element.title, "", True, element.section, True, ()))


class MapEdge(NamedTuple):
    """One arrow between node ids; ``implicit`` when it comes from a premise-conclusion structure."""

    source: str
    target: str
    kind: RelationKind
    implicit: bool = False


@attrs.frozen
class MapGraph:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]


class _Builder:
    """Holds the indexes one ``build_graph`` call needs.

    Indexes are keyed by titles (plain strings): hashing a node hashes its kind, an enum,
    in Python, which made these lookups most of the time spent on a large map. The loops over every
    statement, argument and step are written out (no call per element): they are most of a big diagram's time.
    """

    def __init__(self, argmap: ArgumentMap) -> None:
        self.argmap = argmap
        #: the valid ``isInMap`` flags of statements and arguments, by title (None, the usual case, is not kept)
        self.statement_in_map = self._in_map(ElementKind.STATEMENT, argmap.statements.values())
        self.argument_in_map = self._in_map(ElementKind.ARGUMENT, argmap.arguments.values())
        relations = argmap.derived_relations()
        self.relations = tuple(r for r in relations if self._selectable(r)) if self.argument_in_map else relations
        # relations by the statements at their ends, so deciding each statement's box is not a scan of all relations
        self.relations_of: dict[str, list[Relation]] = {}
        relations_of, statement = self.relations_of, ElementKind.STATEMENT
        for r in self.relations:
            source, target = r.source, r.target
            if source.kind is statement:
                relations_of.setdefault(source.title, []).append(r)
            if target.kind is statement and not (source.kind is statement and source.title == target.title):
                relations_of.setdefault(target.title, []).append(r)
        # argument titles by statement title, in order, each once (an argument is met once: only a premise
        # written twice in one structure could repeat, and those are folded first)
        self.premise_of: dict[str, list[str]] = {}
        self.concluded_by: dict[str, list[str]] = {}
        self.intermediate: set[str] = set()
        #: each argument's main conclusion (the property computes it on every call)
        self.conclusion: dict[str, str | None] = {}
        premise_of, concluded_by, argument_in_map = self.premise_of, self.concluded_by, self.argument_in_map
        conclusion_of = self.conclusion
        for argument in argmap.arguments.values():
            title = argument.title
            # the premises' and conclusions' titles in one pass (the model's properties make a tuple per call)
            premises: list[str] = []
            conclusions: list[str] = []
            for step in argument.steps:
                (conclusions if step.__class__ is Conclusion else premises).append(step.title)
            main = conclusions[-1] if conclusions else None
            conclusion_of[title] = main
            if len(conclusions) > 1:
                self.intermediate.update(conclusions[:-1])
            if argument_in_map and argument_in_map.get(title) is False:
                continue
            for premise in dict.fromkeys(premises) if len(premises) > 1 else premises:
                if premise in premise_of:
                    premise_of[premise].append(title)
                else:
                    premise_of[premise] = [title]
            if main is not None:
                if main in concluded_by:
                    concluded_by[main].append(title)
                else:
                    concluded_by[main] = [title]
        self.statement_ids: dict[str, str] = {}
        self.argument_ids: dict[str, str] = {}
        self.nodes: list[MapNode] = []
        #: by (source id, target id, kind value): an enum hashes in Python, its value in C
        self.edges: dict[tuple[str, str, str], MapEdge] = {}

    @staticmethod
    def _in_map(kind: ElementKind, elements: Iterable[Statement | Argument]) -> dict[str, bool]:
        flags = {}
        for element in elements:
            if "isInMap" in element.data:  # data_flag warns about a value that is not true or false
                flag = data_flag(element.data, "isInMap", f"{kind.value} {element.title!r}")
                if flag is not None:
                    flags[element.title] = flag
        return flags

    def _selectable(self, relation: Relation) -> bool:
        """False when an end is an argument (or its inference) kept out of the map by ``isInMap: false``."""
        hidden = self.argument_in_map
        return not any(
            end.kind is not ElementKind.STATEMENT and hidden.get(end.title) is False
            for end in (relation.source, relation.target)
        )

    # -- nodes ----------------------------------------------------------------

    def _routable(self, title: str, relation: Relation) -> bool:
        """True when ``relation`` of untitled statement ``title`` can be drawn through arguments."""
        if relation.kind in SYMMETRIC:
            return bool(self.concluded_by.get(title) or self.premise_of.get(title))
        if relation.source == Node(ElementKind.STATEMENT, title):
            return bool(self.concluded_by.get(title))
        return bool(self.premise_of.get(title))

    def _statement_is_node(self, statement: Statement) -> bool:
        title = statement.title
        in_map = self.statement_in_map.get(title)
        if in_map is not None:
            return in_map
        if not statement.generated_title:  # a titled statement: hidden only as an unused intermediate conclusion
            return (
                title not in self.intermediate
                or title in self.relations_of
                or title in self.premise_of
                or title in self.concluded_by
            )
        return any(not self._routable(title, r) for r in self.relations_of.get(title, ()))

    def _add_unknown(self, kind: ElementKind, title: str, ids: dict[str, str], prefix: str) -> None:
        """A box for a title the map does not define, saying it is unknown."""
        node_id = ids[title] = f"{prefix}{len(ids) + 1}"
        self.nodes.append(MapNode(node_id, kind, title, known=False))

    def add_nodes(self) -> None:
        ends = [end for r in self.relations for end in (r.source, r.target)]
        statements, arguments = self.argmap.statements, self.argmap.arguments
        statement, argument = ElementKind.STATEMENT, ElementKind.ARGUMENT
        statement_ids, argument_ids = self.statement_ids, self.argument_ids
        append, is_node = self.nodes.append, self._statement_is_node
        for title, claim in statements.items():
            if is_node(claim):
                node_id = statement_ids[title] = f"s{len(statement_ids) + 1}"
                append(_box(node_id, statement, claim, claim.texts))
        for end in ends:
            if end.kind is statement and end.title not in statements and end.title not in statement_ids:
                self._add_unknown(statement, end.title, statement_ids, "s")
        hidden = self.argument_in_map
        for title, element in arguments.items():
            if hidden and hidden.get(title) is False:
                continue
            node_id = argument_ids[title] = f"a{len(argument_ids) + 1}"
            append(_box(node_id, argument, element, element.descriptions))
        for end in ends:
            if end.kind is not statement and end.title not in argument_ids:
                self._add_unknown(argument, end.title, argument_ids, "a")

    # -- edges ----------------------------------------------------------------

    def _arguments(self, titles: Iterable[str]) -> list[str]:
        return [self.argument_ids[t] for t in titles if t in self.argument_ids]

    def _froms(self, end: Node, reverse: bool) -> list[str]:
        if end.kind is ElementKind.STATEMENT:
            if end.title in self.statement_ids:
                return [self.statement_ids[end.title]]
            return self._arguments(self.concluded_by.get(end.title, ()))
        return [] if reverse else [self.argument_ids[end.title]]

    def _tos(self, end: Node, reverse: bool) -> list[str]:
        if end.kind is ElementKind.STATEMENT:
            if end.title in self.statement_ids:
                return [] if reverse else [self.statement_ids[end.title]]
            return self._arguments(self.premise_of.get(end.title, ()))
        return [] if reverse else [self.argument_ids[end.title]]

    def _edge(self, source: str, target: str, kind: RelationKind, implicit: bool = False) -> None:
        if source == target:
            return
        if kind is not RelationKind.SUPPORT and kind is not RelationKind.ATTACK:  # the common two stay as they are
            if kind in _NEXT_TO_ARGUMENT and not (source.startswith("s") and target.startswith("s")):
                kind = _NEXT_TO_ARGUMENT[kind]
            elif kind in SYMMETRIC and (target, source, kind._value_) in self.edges:
                return
        key = (source, target, kind._value_)
        if key not in self.edges:
            self.edges[key] = MapEdge(source, target, kind, implicit)

    def _draw(self, source: Node, target: Node, kind: RelationKind, reverse: bool) -> None:
        for from_id in self._froms(source, reverse):
            for to_id in self._tos(target, reverse):
                self._edge(from_id, to_id, kind)

    def add_edges(self) -> None:
        edges, new = self.edges, _new_tuple
        support, attack = RelationKind.SUPPORT, RelationKind.ATTACK
        for r in self.relations:
            kind = r.kind
            if kind is not support and kind is not attack:
                self._draw(r.source, r.target, kind, reverse=False)
                if kind in SYMMETRIC:
                    self._draw(r.target, r.source, kind, reverse=True)
                continue
            # a support or an attack (most relations): what _edge does for them, written out
            froms, tos = self._froms(r.source, False), self._tos(r.target, False)
            for from_id in froms:
                for to_id in tos:
                    edge = (from_id, to_id, kind._value_)
                    if from_id != to_id and edge not in edges:
                        edges[edge] = new(MapEdge, (from_id, to_id, kind, False))
        # the implicit supports: what _edge(source, target, SUPPORT, implicit=True) does, inline (one per step)
        value = support._value_
        argument_ids, statement_ids, premise_of = self.argument_ids, self.statement_ids, self.premise_of
        for title, conclusion in self.conclusion.items():
            if conclusion is None or title not in argument_ids:
                continue
            source = argument_ids[title]
            if conclusion in statement_ids:
                targets: Iterable[str] = (statement_ids[conclusion],)
            elif conclusion in premise_of:
                targets = self._arguments(premise_of[conclusion])
            else:
                continue
            for target in targets:
                key = (source, target, value)
                if source != target and key not in edges:
                    edges[key] = new(MapEdge, (source, target, support, True))
        for title, statement_id in statement_ids.items():
            users = premise_of.get(title)
            if users is None:
                continue
            for user in users:
                user_id = argument_ids.get(user)
                if user_id is None or user_id == statement_id:
                    continue
                key = (statement_id, user_id, value)
                if key not in edges:
                    edges[key] = new(MapEdge, (statement_id, user_id, support, True))


def build_graph(argmap: ArgumentMap) -> MapGraph:
    """The nodes and edges of ``argmap``'s diagram, in a stable order (document order)."""
    builder = _Builder(argmap)
    builder.add_nodes()
    builder.add_edges()
    return MapGraph(tuple(builder.nodes), tuple(builder.edges.values()))
