"""The ``argdown`` exporter: any map written back as Argdown notation.

The written notation reads back as the same map (``parse(export(m)) == m``) and
writing it again gives the same text. The layout:

- front matter first (YAML as a person writes it: see :func:`.argdown_text.front_matter`),
  then the elements before the first heading, then every heading (``#`` times its level,
  its data on the same line) followed by the elements of its section;
- blocks are separated by one empty line; relation lines are indented by two spaces
  per level; a data block goes on the line after its element, two spaces further in;
- relations are written as trees with the symbols ``+``, ``-``, ``<_`` (the child acts on
  the element above it), ``+>``, ``->``, ``_>`` (the element above acts on the child), ``><``;
- untitled statements are written as plain text (once: their relations hang from
  that one place), generated argument titles are not written;
- a tag that is in no text is written on a reference ``[Title] #tag``;
- text is escaped with ``\\`` wherever it would read as syntax; bold, italic and links
  are written as ``**bold**``, ``_italic_`` and ``[text](url)``; mentions stay ``@[Title]``;
- comments are written on their own lines before the paragraph that followed them.

Two layouts. ``source`` (what ``argmap fmt`` uses) keeps the author's: blocks in source
order, each relation under the element it was written under (``Relation.parent``), nested
as its symbol's column says, definitions and data where they stood. It needs every relation's
span and parent; a map without them gets ``canonical``: each definition its own block in its
element's section, then premise-conclusion structures, then relation trees of references,
each relation under its target where a symbol allows it, else under its source.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..errors import ExporterError
from ..inline import collapse
from ..model import (
    NO_SPAN,
    Argument,
    ArgumentMap,
    Comment,
    Conclusion,
    ElementKind,
    Node,
    Relation,
    RelationKind,
    Section,
    SourceSpan,
    Statement,
    Text,
)
from .argdown_text import (
    TAG,
    argument_title,
    check_name,
    data_block,
    escape_text,
    front_matter,
    rule,
    statement_title,
    tag_name,
)

__all__ = ["EXPORTER", "ArgdownExporter", "render"]

Pos = tuple[int, int]
_INDENT = "  "

#: relation kind -> (symbol with the child acting on its parent, symbol with the parent acting on the child)
_SYMBOLS: dict[RelationKind, tuple[str | None, str]] = {
    RelationKind.SUPPORT: ("+", "+>"),
    RelationKind.ENTAILMENT: ("+", "+>"),
    RelationKind.ATTACK: ("-", "->"),
    RelationKind.CONTRARINESS: ("-", "->"),
    RelationKind.UNDERCUT: ("<_", "_>"),
    RelationKind.CONTRADICTION: (None, "><"),
}


class _PlanError(Exception):
    """This layout cannot say the map; the caller tries the canonical one."""


@attrs.define(eq=False)
class _Occ:
    """One place where an element is written: a definition, a reference, or untitled text."""

    node: Node
    text: int | None = None
    tags: tuple[str, ...] = ()
    data: bool = False
    children: list[tuple[str, _Occ]] = attrs.Factory(list)
    #: index of the relation that hangs this occurrence from its parent
    relation: int | None = None


@attrs.define(eq=False)
class _Block:
    """A paragraph of the output: an element with its relation tree, or an argument's PCS."""

    root: _Occ | None
    pcs: Argument | None = None
    steps: list[_Occ] = attrs.Factory(list)
    zone: int | None = None
    key: Pos | None = None
    order: int = 0
    relations: list[int] = attrs.Factory(list)
    numbers: list[int] = attrs.Factory(list)
    #: references carrying tags, written as paragraphs of their own right before / after the block
    before: list[_Occ] = attrs.Factory(list)
    after: list[_Occ] = attrs.Factory(list)
    #: the first section a tree that may go anywhere is written in
    min_zone: int = 0


def _pos(span: SourceSpan) -> Pos | None:
    if span == NO_SPAN or span.line <= 0 or span.source:
        return None
    return (span.line, span.column)


def _end(span: SourceSpan) -> Pos | None:
    if span == NO_SPAN or span.line <= 0 or span.source:
        return None
    return (span.end_line, span.end_column)


def _tree_node(node: Node) -> Node:
    """The element a relation end is written as (an inference is written as its argument)."""
    return Node(ElementKind.ARGUMENT, node.title) if node.kind is ElementKind.INFERENCE else node


class _Planner:
    """Decides which blocks to write, in which order (see the module docstring)."""

    def __init__(self, argmap: ArgumentMap, use_spans: bool) -> None:
        self.map = argmap
        # a map built in code has no positions: it gets the canonical layout, whatever was asked
        self.use_spans = use_spans and any(_pos(e.span) is not None for e in argmap.elements())
        self.zones: dict[str | None, int] = {None: 0}
        for index, section in enumerate(argmap.sections, start=1):
            self.zones[section.id] = index
        self.section_starts = sorted((p, self.zones[s.id]) for s in argmap.sections if (p := _pos(s.span)) is not None)
        self.numbers: dict[Node, int] = {}
        generated = [
            *(Node(ElementKind.STATEMENT, s.title) for s in argmap.statements.values() if s.generated_title),
            *(Node(ElementKind.ARGUMENT, a.title) for a in argmap.arguments.values() if a.generated_title),
        ]
        for fallback, node in enumerate(generated):
            found = re.fullmatch(r"Untitled (\d+)", node.title)
            self.numbers[node] = int(found.group(1)) if found else 10**9 + fallback
        self._sorted_numbers = sorted(self.numbers.values())
        self._by_number = {number: node for node, number in self.numbers.items()}
        self._last_relation: dict[Node, int] = {}
        for index, relation in enumerate(argmap.relations):
            for end in (relation.source, relation.target):
                self._last_relation[_tree_node(end)] = index
        self._places_index: dict[Node, list[tuple[_Occ, Pos]]] | None = None
        self._block_index: dict[int, _Block] = {}
        self.occurred: dict[Node, _Occ] = {}
        self.blocks: list[_Block] = []
        #: the block holding each argument's premise-conclusion structure, by argument title (it may move in blocks)
        self._pcs_blocks: dict[str, _Block] = {}
        self.step_of: dict[Node, tuple[Argument, int]] = {}
        for argument in argmap.arguments.values():
            for index, step in enumerate(argument.steps):
                node = Node(ElementKind.STATEMENT, step.title)
                if self._untitled(node):
                    self.step_of.setdefault(node, (argument, index))

    # -- facts ----------------------------------------------------------------

    def element(self, node: Node) -> Statement | Argument:
        if node.kind is ElementKind.STATEMENT:
            statement = self.map.statements.get(node.title)
            if statement is not None:
                return statement
        else:
            argument = self.map.arguments.get(node.title)
            if argument is not None:
                return argument
        raise ExporterError(f"a relation or step names {node}, which the map does not have")

    def _untitled(self, node: Node) -> bool:
        return node in self.numbers

    def texts(self, node: Node) -> tuple[Text, ...]:
        element = self.element(node)
        return element.texts if isinstance(element, Statement) else element.descriptions

    def zone_at(self, pos: Pos | None) -> int | None:
        if pos is None or not self.use_spans:
            return None
        zone = 0
        for start, index in self.section_starts:
            if start <= pos:
                zone = index
        return zone

    def home_zone(self, node: Node) -> int:
        return self.zones.get(self.element(node).section, 0)

    # -- occurrences -------------------------------------------------------------

    def occurrence(self, node: Node, block_numbers: list[int]) -> _Occ:
        occ = _Occ(node)
        if self._untitled(node):
            if node in self.occurred:
                raise _PlanError(f"untitled {node} would be written twice")
            occ.text = 0
            occ.data = True
            block_numbers.append(self.numbers[node])
        self.occurred.setdefault(node, occ)
        return occ

    # -- relation trees --------------------------------------------------------------

    def plan_relations(self) -> None:
        if not self.use_spans:
            self._greedy_forest()
        elif self.map.relations:
            self._forest_from_spans()

    # -- trees as the source wrote them --------------------------------------------------

    def _forest_from_spans(self) -> None:
        """Rebuild the source's trees: each relation's ``parent`` and symbol column say where it hangs.

        Relations sorted by position are the trees in pre-order; a relation hangs from the nearest
        relation above it with a smaller symbol column, or from the root (its parent) at the first level.
        """
        relations = self.map.relations
        where: list[Pos] = []
        parents: list[Node] = []
        for r in relations:
            p = _pos(r.span)
            if p is None or r.parent is None:
                raise _PlanError("a relation without its source position or parent")
            where.append(p)
            parents.append(r.parent)
        owner = [self._pcs_owner(r) for r in relations]
        block_heads = sorted(p[0] for p in self.all_positions if p[1] == 1)
        block: _Block | None = None
        root: _Occ | None = None
        stack: list[int] = []
        child_occ: dict[int, _Occ] = {}
        last_end = 0
        for i in sorted(range(len(relations)), key=lambda i: where[i]):
            relation, (line, column), parent = relations[i], where[i], parents[i]
            while stack and where[stack[-1]][1] >= column:
                stack.pop()
            between = bisect.bisect_left(block_heads, line) - bisect.bisect_right(block_heads, last_end)
            if between > 0 or self._gap(last_end, line) > 1:
                stack = []  # another paragraph (its root line is a reference, which the map does not record)
                block = None
            if not stack and (
                block is None or root is None or root.node != parent or owner[i] != owner[block.relations[0]]
            ):
                block, root = self._tree_block(parent, owner[i])
            assert block is not None and root is not None
            above = child_occ[stack[-1]] if stack else root
            if above.node != parent:
                raise _PlanError(f"the source's tree does not explain {relation}")
            ends = (_tree_node(relation.source), _tree_node(relation.target))
            child = ends[1] if ends[0] == above.node else ends[0]
            symbol = self._symbol(relation, above.node, child)
            if symbol is None:
                raise _PlanError(f"the source's tree does not explain {relation}")
            occ = self.occurrence(child, block.numbers)
            occ.relation = i
            above.children.append((symbol, occ))
            child_occ[i] = occ
            block.relations.append(i)
            stack.append(i)
            last_end = relation.span.end_line
        self._join_pcs()
        written = [i for block in self.blocks for i in self._post_order(block)]
        if written != list(range(len(relations))):
            raise _PlanError("the source's trees do not give the relations in their order")

    def _tree_block(self, parent: Node, owner: tuple[Argument, int] | None) -> tuple[_Block, _Occ]:
        """The block and root occurrence a first-level relation hangs from: a PCS step or a new block."""
        if owner is not None:
            argument, step = owner
            block = self.pcs_block(argument)
            return block, block.steps[step]
        block = self.new_block()
        occ = self.occurrence(parent, block.numbers)
        block.root = occ
        return block, occ

    def _join_pcs(self) -> None:
        """A tree of an argument that its PCS follows directly (comments aside) is one block with it, as written."""
        for tree in [b for b in self.blocks if b.pcs is None]:
            assert tree.root is not None
            node = tree.root.node
            argument = self.map.arguments.get(node.title) if node.kind is ElementKind.ARGUMENT else None
            if argument is None or argument.generated_title:
                continue
            last = max(self.map.relations[i].span.end_line for i in tree.relations)
            first = _pos(argument.steps[0].span) if argument.steps else None
            everywhere = self.all_positions
            after = bisect.bisect_right(everywhere, (last, 10**9))
            if first is None or after >= len(everywhere) or everywhere[after] != first:
                continue
            # between them: an empty line, a data line, comments each with an empty line; a reference takes two
            comments = sum(1 for c in self.map.comments if last < c.span.line < first[0])
            if self._gap(last, first[0]) > 2 + comments:
                continue
            pcs = self.pcs_block(argument)
            if pcs.root is None or pcs.root.children:
                continue
            self.blocks.remove(pcs)
            self.blocks[self.blocks.index(tree)] = pcs
            pcs.root = tree.root
            pcs.relations[:0] = tree.relations
            pcs.order = tree.order

    def _post_order(self, block: _Block) -> list[int]:
        found: list[int] = []
        for top in [*([block.root] if block.root is not None else []), *block.steps]:
            todo: list[tuple[_Occ, bool]] = [(child, False) for _, child in reversed(top.children)]
            while todo:
                occ, expanded = todo.pop()
                if expanded:
                    assert occ.relation is not None
                    found.append(occ.relation)
                    continue
                todo.append((occ, True))
                todo.extend((child, False) for _, child in reversed(occ.children))
        return found

    def _greedy_forest(self) -> None:
        relations = self.map.relations
        owner = [self._pcs_owner(r) for r in relations]
        stack: list[tuple[_Block, list[_Occ]]] = []  # open blocks: block and its subtree stack
        index = 0
        while index < len(relations):
            pcs = owner[index]
            if pcs is not None:
                stack = []
                index = self._plan_pcs(pcs, index, owner)
                continue
            self._grow(stack, index, fixed=0)
            index += 1

    def _pcs_owner(self, relation: Relation) -> tuple[Argument, int] | None:
        """The PCS step a relation is written under, if any."""
        if self.use_spans and (pos := _pos(relation.span)) is not None:
            regions = self._step_regions
            at = bisect.bisect_left(regions, (pos[0], -1)) - 1  # the last step starting on an earlier line
            if at >= 0 and regions[at][0] < pos[0] <= regions[at][1]:
                return self._step_owners[at]
        for node in (relation.source, relation.target):
            found = self.step_of.get(_tree_node(node))
            if found is not None:
                return found
        return None

    def _plan_pcs(self, pcs: tuple[Argument, int], index: int, owner: Sequence[tuple[Argument, int] | None]) -> int:
        argument = pcs[0]
        block = self.pcs_block(argument)
        current = -1
        stack: list[tuple[_Block, list[_Occ]]] = []
        while index < len(owner) and owner[index] is not None and owner[index][0] is argument:  # type: ignore[index]
            step_index = owner[index][1]  # type: ignore[index]
            if step_index < current:
                raise _PlanError("relations under PCS steps are out of order")
            if step_index != current:
                if stack and len(stack[0][1]) != 1:
                    raise _PlanError("a relation under a PCS step does not reach the step")
                current = step_index
                stack = [(block, [block.steps[step_index]])]
            self._grow(stack, index, fixed=1)
            index += 1
        if stack and len(stack[0][1]) != 1:
            raise _PlanError("a relation under a PCS step does not reach the step")
        return index

    def _writings(self, relation: Relation) -> list[tuple[Node, Node, str, bool]]:
        """(parent, child, symbol, under its target) for each way of writing the relation."""
        incoming, outgoing = _SYMBOLS[relation.kind]
        source, target = _tree_node(relation.source), _tree_node(relation.target)
        options = []
        if incoming is not None:
            options.append((target, source, incoming, True))
        options.append((source, target, outgoing, False))
        return options

    @property
    def _step_regions(self) -> list[tuple[int, int]]:
        """(first line, last line) of every PCS step with known lines, sorted; owners in ``_step_owners``."""
        cached: list[tuple[int, int]] | None = getattr(self, "_regions", None)
        if cached is None:
            found = []
            for argument in self.map.arguments.values():
                for index, step in enumerate(argument.steps):
                    if _pos(step.span) is not None:
                        found.append(((step.span.line, step.span.end_line), (argument, index)))
            found.sort(key=lambda item: item[0])
            cached = [region for region, _ in found]
            self._regions = cached
            self._step_owners = [owner for _, owner in found]
        return cached

    def _symbol(self, relation: Relation, parent: Node, child: Node) -> str | None:
        """The symbol that writes ``relation`` with ``child`` under ``parent``, if there is one."""
        return next((sym for p, c, sym, _ in self._writings(relation) if p == parent and c == child), None)

    def _later(self, node: Node, index: int) -> bool:
        """Does ``node`` take part in a relation after relation ``index``?"""
        return self._last_relation.get(node, -1) > index

    def _grow(self, stack: list[tuple[_Block, list[_Occ]]], index: int, fixed: int) -> None:
        """Add relation ``index`` to the open trees (see the module docstring for the preferences)."""
        relation = self.map.relations[index]
        top_block, subtrees = stack[-1] if stack else (None, [])
        top = subtrees[-1] if subtrees else None
        candidates: list[tuple[int, str, Node, Node, str]] = []  # (preference, move, parent, child, symbol)
        for parent, child, symbol, inward in self._writings(relation):
            rank = 0 if inward else 2
            if top is not None and top.node == parent and self._leaf_ok(child, index, top_block):
                candidates.append((rank, "append", parent, child, symbol))
            if (
                top is not None
                and top.node == child
                and len(subtrees) > fixed
                and not self._closes(child, index)
                and self._parent_ok(parent, top_block.numbers if top_block is not None else [])
            ):
                candidates.append((rank + 1, "nest", parent, child, symbol))
            child_numbers = [self.numbers[child]] if self._untitled(child) else []
            if self._parent_ok(parent, child_numbers) and self._leaf_ok(child, index, None):
                candidates.append((8 + rank, "new", parent, child, symbol))
        if not candidates:
            raise _PlanError(f"cannot place the relation {relation}")
        following = self.map.relations[index + 1] if index + 1 < len(self.map.relations) else None
        ends = {_tree_node(following.source), _tree_node(following.target)} if following is not None else set()

        def preference(candidate: tuple[int, str, Node, Node, str]) -> tuple[int, int]:
            # keep open the tree the next relation can grow from
            rank, _, parent, _, _ = candidate
            return (0 if not ends or parent in ends else 1, rank)

        _, move, parent, child, symbol = min(candidates, key=preference)
        if move == "append":
            assert top is not None and top_block is not None
            leaf = self.occurrence(child, top_block.numbers)
            leaf.relation = index
            top.children.append((symbol, leaf))
            top_block.relations.append(index)
        elif move == "nest":
            assert top is not None and top_block is not None
            subtrees.pop()
            top.relation = index
            below = subtrees[-1] if len(subtrees) > 0 else None
            if (
                below is None
                and not fixed
                and len(stack) > 1
                and stack[-2][1][-1].node == parent
                and self._can_merge(stack[-2][0], top_block)
            ):
                self._merge_into_previous(stack)
                top_block, subtrees = stack[-1]
                below = subtrees[-1]
            if below is not None and below.node == parent:
                below.children.append((symbol, top))
                top_block.relations.append(index)
            else:
                if fixed and not subtrees:
                    raise _PlanError("a relation under a PCS step does not reach the step")
                new_parent = self.occurrence(parent, top_block.numbers)
                new_parent.children.append((symbol, top))
                if subtrees:
                    subtrees.append(new_parent)
                else:
                    top_block.root = new_parent
                    subtrees.append(new_parent)
                top_block.relations.append(index)
        else:
            if fixed:
                if top_block is None:
                    raise _PlanError("a relation under a PCS step without its step")
                numbers = top_block.numbers
                block = top_block
            else:
                block = self.new_block()
                numbers = block.numbers
            root = self.occurrence(parent, numbers)
            leaf = self.occurrence(child, numbers)
            leaf.relation = index
            root.children.append((symbol, leaf))
            if fixed:
                subtrees.append(root)
            else:
                block.root = root
                stack.append((block, [root]))
            block.relations.append(index)

    def _can_merge(self, previous: _Block, block: _Block) -> bool:
        """Can ``block``'s tree join ``previous``'s? Their untitled text must be numbered on, in one section."""
        if not previous.numbers or not block.numbers:
            return True
        last, first = max(previous.numbers), min(block.numbers)
        if self.home_zone(self._by_number[last]) != self.home_zone(self._by_number[first]):
            return False
        at = bisect.bisect_right(self._sorted_numbers, last)
        return at < len(self._sorted_numbers) and self._sorted_numbers[at] == first

    def _merge_into_previous(self, stack: list[tuple[_Block, list[_Occ]]]) -> None:
        """The top block's tree becomes a child of the block before it: drop the top block, keep its facts."""
        block, _ = stack.pop()
        previous, _ = stack[-1]
        previous.relations.extend(block.relations)
        previous.numbers.extend(block.numbers)
        self.blocks.remove(block)

    def _leaf_ok(self, child: Node, index: int, block: _Block | None) -> bool:
        """Can ``child`` be written here as a leaf (a first and only place for untitled text)?"""
        if not self._untitled(child):
            return True
        if child in self.occurred or self._later(child, index):
            return False
        if block is not None and block.numbers:
            if self.home_zone(self._by_number[max(block.numbers)]) != self.home_zone(child):
                return False  # untitled text is written in its own section
            at = bisect.bisect_right(self._sorted_numbers, max(block.numbers))
            return at < len(self._sorted_numbers) and self._sorted_numbers[at] == self.numbers[child]
        return True

    def _parent_ok(self, parent: Node, below: Sequence[int]) -> bool:
        """Can ``parent`` be written (once) above a tree holding untitled ``below``? They are numbered after it."""
        if not self._untitled(parent):
            return True
        if parent in self.occurred:
            return False
        if not below:
            return True
        if self.home_zone(self._by_number[min(below)]) != self.home_zone(parent):
            return False
        at = bisect.bisect_right(self._sorted_numbers, self.numbers[parent])
        return at < len(self._sorted_numbers) and self._sorted_numbers[at] == min(below)

    def _closes(self, child: Node, index: int) -> bool:
        """Nesting ``child`` under a parent closes its subtree: wrong for untitled text with more relations."""
        return self._untitled(child) and self._later(child, index)

    def new_block(self, root: _Occ | None = None) -> _Block:
        block = _Block(root, order=len(self.blocks))
        self.blocks.append(block)
        return block

    # -- PCS ---------------------------------------------------------------------------

    def pcs_block(self, argument: Argument) -> _Block:
        block = self._pcs_blocks.get(argument.title)
        if block is not None:
            return block
        block = self._pcs_blocks[argument.title] = self.new_block()
        block.pcs = argument
        node = Node(ElementKind.ARGUMENT, argument.title)
        if self._untitled(node):
            block.numbers.append(self.numbers[node])
            self.occurred[node] = _Occ(node)
        else:
            block.root = _Occ(node)
            self.occurred.setdefault(node, block.root)
        for step in argument.steps:
            block.steps.append(self.occurrence(Node(ElementKind.STATEMENT, step.title), block.numbers))
        block.zone = self.home_zone(node)
        return block

    # -- definitions, tags, data ---------------------------------------------------------

    def plan_elements(self) -> None:
        for argument in self.map.arguments.values():
            if argument.steps:
                self.pcs_block(argument)
        for element in self.map.elements():
            kind = ElementKind.STATEMENT if isinstance(element, Statement) else ElementKind.ARGUMENT
            node = Node(kind, element.title)
            if self._untitled(node):
                self._place_untitled(node)
            else:
                self._place_titled(node)

    def _place_untitled(self, node: Node) -> None:
        if node.kind is ElementKind.ARGUMENT:
            return  # only a PCS can make one, and its block writes it
        if node not in self.occurred:
            block = self.new_block()
            block.root = self.occurrence(node, block.numbers)
            block.zone = self.home_zone(node)

    def _inline_places(self, node: Node) -> dict[int, _Occ]:
        """Text index -> the occurrence in a tree or PCS where the source wrote that definition."""
        if not self.use_spans:
            return {}
        if self._places_index is None:
            self._places_index = {}
            for block in self.blocks:
                for occ, end in self._occurrences_with_end(block):
                    self._block_index[id(occ)] = block
                    if end is not None and occ.text is None:
                        self._places_index.setdefault(occ.node, []).append((occ, end))
        by_end: dict[Pos, int] = {}
        for i, text in enumerate(self.texts(node)):
            if (end := _end(text.span)) is not None:
                by_end.setdefault(end, i)
        places: dict[int, _Occ] = {}
        for occ, end in self._places_index.get(node, []):
            i = by_end.get(end)  # type: ignore[assignment]
            if i is not None and i not in places and occ.text is None:
                places[i] = occ
                occ.text = i
        return places

    def _occurrences_with_end(self, block: _Block) -> Iterable[tuple[_Occ, Pos | None]]:
        """Occurrences of a block with where the source's head of that element ended (when known)."""
        if block.root is not None:
            yield block.root, self._head_before(block)
            yield from self._children_with_end(block.root)
        if block.pcs is not None:
            for step, occ in zip(block.pcs.steps, block.steps, strict=True):
                yield occ, self._step_head_end(step.title, step.span)
                yield from self._children_with_end(occ)

    def _children_with_end(self, occ: _Occ) -> Iterable[tuple[_Occ, Pos | None]]:
        todo = [child for _, child in reversed(occ.children)]
        while todo:
            child = todo.pop()
            yield child, self._relation_end_of(child)
            todo.extend(grandchild for _, grandchild in reversed(child.children))

    def _relation_end_of(self, child: _Occ) -> Pos | None:
        return _end(self.map.relations[child.relation].span) if child.relation is not None else None

    def _step_head_end(self, title: str, span: SourceSpan) -> Pos | None:
        start = _pos(span)
        if start is None:
            return None
        statement = self.map.statements.get(title)
        if statement is None:
            return None
        for text in statement.texts:
            p = _pos(text.span)
            if p is not None and p[0] == start[0] and p[1] > start[1]:
                return _end(text.span)
        return None

    def _head_before(self, block: _Block) -> Pos | None:
        """The end of the root's definition just before the block's first relation or step, if the source had one."""
        assert block.root is not None
        children = [c.relation for _, c in block.root.children if c.relation is not None]
        if children:
            first = _pos(self.map.relations[children[0]].span)
        else:
            first = _pos(block.pcs.steps[0].span) if block.pcs is not None and block.pcs.steps else None
        if first is None:
            return None
        candidates = [t for t in self.texts(block.root.node) if (e := _end(t.span)) is not None and e <= first]
        if not candidates:
            return None
        text = max(candidates, key=lambda t: _end(t.span) or (0, 0))
        end = _end(text.span)
        assert end is not None
        everywhere = self.all_positions
        if bisect.bisect_right(everywhere, end) < bisect.bisect_left(everywhere, first):
            return None
        # a tree's relations follow their root directly (a data line may come between); a PCS after the
        # definition is the argument's, whatever stands between (a reference there says nothing more)
        if children and self._gap(end[0], first[0]) > 1:
            return None
        return end

    def _gap(self, after: int, before: int) -> int:
        """How many lines strictly between two lines are not comment lines."""
        comments = self.comment_lines
        return sum(1 for n in range(after + 1, before) if n not in comments)

    @property
    def comment_lines(self) -> set[int]:
        cached: set[int] | None = getattr(self, "_comment_lines", None)
        if cached is None:
            cached = {
                line
                for c in self.map.comments
                if _pos(c.span) is not None
                for line in range(c.span.line, c.span.end_line + 1)
            }
            self._comment_lines = cached
        return cached

    @property
    def all_positions(self) -> list[Pos]:
        cached: list[Pos] | None = getattr(self, "_all_positions", None)
        if cached is None:
            cached = []
            for element in self.map.elements():
                texts = element.texts if isinstance(element, Statement) else element.descriptions
                cached.extend(p for t in texts if (p := _pos(t.span)) is not None)
                if isinstance(element, Argument):
                    cached.extend(p for s in element.steps if (p := _pos(s.span)) is not None)
            cached.extend(p for r in self.map.relations if (p := _pos(r.span)) is not None)
            cached.extend(p for s in self.map.sections if (p := _pos(s.span)) is not None)
            cached.sort()
            self._all_positions = cached
        return cached

    def _place_titled(self, node: Node) -> None:
        element = self.element(node)
        texts = self.texts(node)
        places = self._inline_places(node)
        if not self.use_spans and texts:
            pcs = self._pcs_blocks.get(node.title)
            if pcs is not None and node.kind is ElementKind.ARGUMENT and pcs.root is not None:
                pcs.root.text = len(texts) - 1
                places[len(texts) - 1] = pcs.root
        # definitions in written order, each placed in a block; a reference carrying tags that no text
        # has yet is written right before the definition it must precede (or after the last one)
        items: list[tuple[_Occ, _Block]] = []
        emitted: list[str] = []
        for i, text in enumerate(texts):
            before: tuple[str, ...] = ()
            written = [tag_name(m.group()) for m in TAG.finditer(text.text) if tag_name(m.group()) in element.tags]
            new = [t for t in dict.fromkeys(written) if t not in emitted]
            if new:
                upto = max(element.tags.index(t) for t in new)
                missing = [t for t in element.tags[: upto + 1] if t not in emitted]
                if missing != new:
                    # the text's own tags can follow the reference when they come last, in order
                    own = len(missing) - len(new)
                    before = tuple(missing if own < 0 or missing[own:] != new else missing[:own])
                emitted.extend(missing)
            if i in places:
                occ, block = places[i], self._block_of(places[i])
            else:
                occ = _Occ(node, text=i)
                block = self.new_block(occ)
                block.key = _pos(text.span) if self.use_spans else None
                block.zone = self.zone_at(block.key) if block.key is not None else self.home_zone(node)
            if before:
                block.before.append(_Occ(node, tags=before))
            items.append((occ, block))
        rest = tuple(t for t in element.tags if t not in emitted)
        first = self.occurred.get(node)
        if items:
            if rest:
                items[-1][1].after.append(_Occ(node, tags=rest))
            items[self._data_home(texts)][0].data = bool(element.data)
        elif first is not None:
            # tags and data of an element written only as references go on its first reference (once ordered)
            self.late[node] = (rest, bool(element.data))
        else:
            occ = _Occ(node, tags=rest, data=bool(element.data))
            block = self.new_block(occ)
            block.key = _pos(element.span) if self.use_spans else None
            self.occurred[node] = occ
        self.chains.append([block for _, block in items])

    def _data_home(self, texts: Sequence[Text]) -> int:
        """Which definition the source wrote the data under: the first one with room for a data line after it.

        A data line is the only line between a definition and an indented line below it (a relation), and
        makes two lines before the next paragraph (with the empty line); the first definition when unknown.
        """
        if not self.use_spans or len(texts) < 2:
            return 0
        starts = sorted({*self.all_positions, *(p for c in self.map.comments if (p := _pos(c.span)) is not None)})
        for index, text in enumerate(texts):
            end = _end(text.span)
            if end is None:
                continue
            at = bisect.bisect_right(starts, (end[0], 10**9))
            if at == len(starts):
                return index
            line, column = starts[at]
            if self._gap(end[0], line) >= (2 if column == 1 else 1):
                return index
        return 0

    def _block_of(self, occ: _Occ) -> _Block:
        if id(occ) in self._block_index:
            return self._block_index[id(occ)]
        for block in self.blocks:
            if block.root is occ or occ in block.steps or any(o is occ for o, _ in self._all_occurrences(block)):
                return block
        raise AssertionError("an occurrence outside every block")

    def _all_occurrences(self, block: _Block) -> Iterable[tuple[_Occ, None]]:
        roots = [block.root] if block.root is not None else []
        stack = [*roots, *block.steps]
        while stack:
            occ = stack.pop()
            yield occ, None
            stack.extend(child for _, child in occ.children)

    # -- order ------------------------------------------------------------------------

    def plan(self) -> list[_Block]:
        self.chains: list[list[_Block]] = []
        self.late: dict[Node, tuple[tuple[str, ...], bool]] = {}
        self.plan_relations()
        self.plan_elements()
        for block in self.blocks:
            if block.key is None and self.use_spans:
                block.key = self._block_position(block)
            if block.key is not None and (block.relations or block.pcs is not None):
                block.zone = self.zone_at(block.key)
            if block.numbers and block.zone is None:
                block.zone = min(
                    (self.home_zone(o.node) for o, _ in self._all_occurrences(block) if self._untitled(o.node)),
                    default=None,
                )
        self._tree_sections()
        ordered = self._order()
        for block in ordered:
            for occ in self._written_order(block):
                if occ.node in self.late:
                    occ.tags, occ.data = self.late.pop(occ.node)
        return ordered

    def _tree_sections(self) -> None:
        """A tree that may go anywhere is written in the last section that defines one of its elements.

        Never later than a tree written after it that must stand in an earlier section.
        """
        cap = len(self.zones) - 1
        for block in reversed([b for b in self.blocks if b.relations]):
            if block.zone is not None:
                cap = min(cap, block.zone)
                continue
            defined = [
                self.home_zone(occ.node)
                for occ, _ in self._all_occurrences(block)
                if self.texts(occ.node) or getattr(self.element(occ.node), "steps", ())
            ]
            block.min_zone = min(max(defined, default=0), cap)

    def _written_order(self, block: _Block) -> Iterable[_Occ]:
        yield from block.before
        tops = [block.root] if block.root is not None else []
        for top in [*tops, *block.steps]:
            todo = [top]
            while todo:
                occ = todo.pop()
                yield occ
                todo.extend(child for _, child in reversed(occ.children))
        yield from block.after

    def _block_position(self, block: _Block) -> Pos | None:
        positions = [p for i in block.relations if (p := _pos(self.map.relations[i].span)) is not None]
        if block.pcs is not None:
            positions.extend(p for s in block.pcs.steps if (p := _pos(s.span)) is not None)
        for occ, _ in self._all_occurrences(block):
            if occ.text is not None:
                texts = self.texts(occ.node)
                if occ.text < len(texts) and (p := _pos(texts[occ.text].span)) is not None:
                    positions.append(p)
        root = block.root
        if (
            root is not None
            and root.text is None
            and root.children
            and (child := root.children[0][1]).relation is not None
        ):
            # a reference root is not recorded: it stood on the line above its first relation
            if (p := _pos(self.map.relations[child.relation].span)) is not None:
                positions.append((p[0] - 1, 1))
        return min(positions) if positions else None

    def _order(self) -> list[_Block]:
        """The blocks in writing order: every chain kept, zones in order, the source's order where known."""
        edges: dict[int, set[int]] = {id(b): set() for b in self.blocks}
        indegree: dict[int, int] = {id(b): 0 for b in self.blocks}

        def chain(blocks: Iterable[_Block]) -> None:
            previous: _Block | None = None
            for block in blocks:
                if previous is not None and previous is not block and id(block) not in edges[id(previous)]:
                    edges[id(previous)].add(id(block))
                    indegree[id(block)] += 1
                previous = block

        chain(b for b in self.blocks if b.relations)
        chain(sorted((b for b in self.blocks if b.numbers), key=lambda b: min(b.numbers)))
        for items in self.chains:
            chain(items)
        by_id = {id(b): b for b in self.blocks}

        def priority(block: _Block) -> tuple[float, float, int]:
            if self.use_spans and block.key is not None:
                return (block.key[0], block.key[1], block.order)
            # definitions first, then premise-conclusion structures, then trees
            category = 2 if block.relations and block.pcs is None else 1 if block.pcs is not None else 0
            return (math.inf, math.inf, category * 10**9 + block.order)

        ready = [(priority(b), id(b)) for b in self.blocks if indegree[id(b)] == 0]
        heapq.heapify(ready)
        ordered: list[_Block] = []
        zone = 0
        waiting: list[tuple[tuple[float, float, int], int]] = []
        while ready or waiting:
            chosen = None
            held: list[tuple[tuple[float, float, int], int]] = []
            while ready:
                item = heapq.heappop(ready)
                block = by_id[item[1]]
                if (block.zone is None and block.min_zone <= zone) or block.zone == zone:
                    chosen = block
                    break
                if block.zone is not None and block.zone < zone:
                    raise _PlanError("a block belongs to a section already written")
                held.append(item)
            for item in held:
                heapq.heappush(ready, item)
            if chosen is None:
                if zone >= len(self.zones) - 1:
                    raise _PlanError("the blocks cannot be ordered")
                zone += 1
                continue
            if chosen.zone is None:
                chosen.zone = zone
            ordered.append(chosen)
            for after in edges[id(chosen)]:
                indegree[after] -= 1
                if indegree[after] == 0:
                    heapq.heappush(ready, (priority(by_id[after]), after))
        if len(ordered) != len(self.blocks):
            raise _PlanError("the blocks cannot be ordered")
        return ordered


# -- writing ------------------------------------------------------------------------------


class _Writer:
    def __init__(self, argmap: ArgumentMap) -> None:
        self.map = argmap

    def texts(self, node: Node) -> tuple[Text, ...]:
        if node.kind is ElementKind.STATEMENT:
            return self.map.statements[node.title].texts
        return self.map.arguments[node.title].descriptions

    def element(self, node: Node) -> Statement | Argument:
        if node.kind is ElementKind.STATEMENT:
            return self.map.statements[node.title]
        return self.map.arguments[node.title]

    def head(self, occ: _Occ) -> str:
        element = self.element(occ.node)
        texts = self.texts(occ.node)
        if element.generated_title:
            text = texts[0] if texts else Text("")
            if not text.text:
                raise ExporterError(f"untitled {occ.node} has no text to write")
            return escape_text(text.text, element.tags, text.ranges)
        if occ.node.kind is ElementKind.STATEMENT:
            head = f"[{statement_title(occ.node.title)}]"
        else:
            head = f"<{argument_title(occ.node.title)}>"
        if occ.text is not None:
            text = texts[occ.text]
            if not collapse(text.text):
                raise ExporterError(f"{occ.node} has an empty definition, which the notation cannot write")
            head += ": " + escape_text(text.text, element.tags, text.ranges, line_start=False)
        for tag in occ.tags:
            head += " " + _tag(tag)
        return head

    def occurrence(self, occ: _Occ, indent: str, symbol: str | None, lines: list[str]) -> None:
        """Write ``occ`` and its tree (without recursion: trees may be thousands of levels deep)."""
        todo: list[tuple[_Occ, str, str | None]] = [(occ, indent, symbol)]
        while todo:
            current, at, sym = todo.pop()
            prefix = f"{sym} " if sym else ""
            lines.append(at + prefix + self.head(current))
            inner = at + _INDENT
            element = self.element(current.node)
            if current.data and element.data:
                lines.append(inner + data_block(element.data))
            todo.extend((child, inner, child_symbol) for child_symbol, child in reversed(current.children))

    def block(self, block: _Block) -> list[tuple[Pos | None, str]]:
        """The block's paragraphs with the source position each starts at (comments go before them)."""
        parts: list[tuple[Pos | None, str]] = [(None, self._paragraph(occ)) for occ in block.before]
        if block.root is not None:
            parts.append((block.key, self._paragraph(block.root)))
        if block.pcs is not None:
            lines: list[str] = []
            for step, occ in zip(block.pcs.steps, block.steps, strict=True):
                if isinstance(step, Conclusion):
                    lines.append(_inference_line(step))
                step_lines: list[str] = []
                self.occurrence(occ, "", None, step_lines)
                step_lines[0] = f"({step.number}) {step_lines[0]}"
                lines.extend(step_lines)
            first = _pos(block.pcs.steps[0].span) if block.root is not None and block.pcs.steps else block.key
            parts.append((first, "\n".join(lines)))
        parts.extend((None, self._paragraph(occ)) for occ in block.after)
        return parts

    def _paragraph(self, occ: _Occ) -> str:
        lines: list[str] = []
        self.occurrence(occ, "", None, lines)
        return "\n".join(lines)

    def heading(self, section: Section) -> str:
        head = "#" * max(section.level, 1) + " " + escape_text(section.title, section.tags, line_start=False)
        if not collapse(section.title):
            raise ExporterError(f"section {section.id} has an empty title, which a heading cannot have")
        if section.data:
            head += " " + data_block(section.data)
        return head


def _tag(name: str) -> str:
    check_name(name, "tag")
    plain = "#" + name
    if TAG.fullmatch(plain) and tag_name(plain) == name:
        return plain
    if ")" in name:
        raise ExporterError(f"tag {name!r} cannot be written in the notation")
    return f"#({name})"


def _inference_line(step: Conclusion) -> str:
    inference = step.inference
    data: dict[str, Any] = dict(inference.data)
    if inference.uses and "uses" not in data:
        data["uses"] = list(inference.uses)
    if not inference.rules and not data:
        return "----"
    inside = ", ".join(rule(r) for r in inference.rules)
    if data:
        inside = f"{inside} {data_block(data)}".strip()
    return f"-- {inside} --"


def _is_argument_block(block: _Block) -> bool:
    """Does the block end with an argument paragraph (which a following PCS would belong to)?"""
    if block.after:
        return block.after[-1].node.kind is ElementKind.ARGUMENT
    return block.pcs is None and block.root is not None and block.root.node.kind is ElementKind.ARGUMENT


def render(argmap: ArgumentMap, *, layout: str = "source") -> str:
    """The map as notation. ``layout="source"`` follows the source positions where the map has them;
    ``"canonical"`` ignores them."""
    if layout not in ("source", "canonical"):
        raise ExporterError(f"layout must be 'source' or 'canonical', not {layout!r}")
    if layout == "source" and _has_included_spans(argmap):
        layout = "canonical"  # positions in two files do not order one document
    try:
        blocks = _Planner(argmap, use_spans=layout == "source").plan()
    except _PlanError as first:
        if layout == "canonical":
            raise ExporterError(f"this map cannot be written as notation: {first}") from None
        try:
            blocks = _Planner(argmap, use_spans=False).plan()
        except _PlanError as exc:
            raise ExporterError(f"this map cannot be written as notation: {exc}") from None
    return _write(argmap, blocks)


def _has_included_spans(argmap: ArgumentMap) -> bool:
    """True when part of the map was read from an ``@include``d file."""
    spans: list[SourceSpan] = [r.span for r in argmap.relations] + [s.span for s in argmap.sections]
    for element in argmap.elements():
        spans.append(element.span)
        spans.extend(t.span for t in (element.texts if isinstance(element, Statement) else element.descriptions))
    return any(span.source for span in spans)


def _write(argmap: ArgumentMap, blocks: Sequence[_Block]) -> str:
    writer = _Writer(argmap)
    parts: list[tuple[Pos | None, str]] = []  # (source position for comments, text)
    if argmap.metadata:
        parts.append(((0, 0), front_matter(argmap.metadata)))
    zone = 0
    titled = sorted(s.title for s in argmap.statements.values() if not s.generated_title)
    previous: _Block | None = None
    for block in blocks:
        while block.zone is not None and block.zone > zone:
            zone += 1
            section = argmap.sections[zone - 1]
            parts.append((_pos(section.span), writer.heading(section)))
            previous = None
        if block.pcs is not None and block.root is None and previous is not None and _is_argument_block(previous):
            # a PCS right after an argument would belong to it: a reference to a statement stands between
            own = [s.title for s in block.pcs.steps if not argmap.statements[s.title].generated_title]
            separator = own[0] if own else titled[0] if titled else None
            if separator is None:
                raise ExporterError("an untitled argument's PCS cannot follow an argument block without a statement")
            parts.append((None, f"[{statement_title(separator)}]"))
        parts.extend(writer.block(block))
        previous = block
    for section in argmap.sections[zone:]:
        parts.append((_pos(section.span), writer.heading(section)))
    return _with_comments(argmap, parts)


def _with_comments(argmap: ArgumentMap, parts: list[tuple[Pos | None, str]]) -> str:
    """Join the blocks; each comment goes before the first block that followed it in the source.

    A comment on the line right above a block stays right above it; others are paragraphs of their own.
    """
    known = sorted((c for c in argmap.comments if _pos(c.span) is not None), key=lambda c: c.span)
    pending = known + [c for c in argmap.comments if _pos(c.span) is None]
    out: list[str] = []
    for key, text in parts:
        comments: list[Comment] = []
        while pending and key is not None and (p := _pos(pending[0].span)) is not None and p < key:
            comments.append(pending.pop(0))
        if comments and key is not None and comments[-1].span.end_line + 1 == key[0]:
            out.append(_comment_lines(comments) + "\n" + text)  # a comment right above its block stays there
            continue
        if comments:
            out.append(_comment_lines(comments))
        out.append(text)
    if pending:
        out.append(_comment_lines(pending))
    return "\n\n".join(out) + "\n" if out else ""


def _comment_lines(comments: Sequence[Comment]) -> str:
    """Comments on their own lines; an empty line where the source had one between them."""
    text = comments[0].text
    for before, comment in itertools.pairwise(comments):
        adjacent = _pos(comment.span) is not None and comment.span.line <= before.span.end_line + 1
        text += ("\n" if adjacent else "\n\n") + comment.text
    return text


class ArgdownExporter:
    """The ``argdown`` exporter: :func:`render` behind the Exporter protocol."""

    name = "argdown"
    description = "Argdown notation in argmap's canonical layout (what 'argmap fmt' writes)"
    suffix = ".arg"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        unknown = set(options) - {"layout"}
        if unknown:
            raise ExporterError(f"the argdown exporter takes only 'layout' (got {', '.join(sorted(unknown))})")
        return render(argmap, **options)


EXPORTER = ArgdownExporter()
