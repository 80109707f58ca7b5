"""Part of a map: the neighbourhood of one element, or the elements with a tag or in a section.

:func:`select` returns a smaller :class:`~argmap.model.ArgumentMap` that every exporter
takes as it takes a parsed one. It is how a map too big to lay out is drawn in pieces
(``argmap render --focus``, ``--select``).

The rules:

* **Tags and sections** choose elements first. An element is chosen when it carries
  one of ``tags`` (its own tags, as in Argdown's ``selectedTags``) and lies in one of
  ``sections`` (a section with that title or any section below it; Argdown's
  ``selectedSections`` takes the named section alone). Either filter left empty lets
  everything through. Naming a tag no element carries, or a section title no heading
  has, is an error that lists the close matches.
* **Focus** then keeps the element titled ``focus`` and everything within ``depth``
  steps of it among the chosen elements. One step is one relation the map draws
  (:meth:`ArgumentMap.derived_relations`, Argdown's model: a relation written from a
  reconstructed argument leaves from its main conclusion), followed either way, or
  the link between an argument and a statement of its premise-conclusion structure
  (the diagram draws a premise into its argument and the argument into its
  conclusion). Argdown itself has no such feature (its selection has tags, sections
  and lists of excluded titles only), so steps follow the diagram.
* A kept argument keeps its whole premise-conclusion structure, so its premises and
  conclusions are kept even one step past ``depth`` or outside the chosen tags and
  sections.
* The result holds the kept statements and arguments in their order, the relations
  whose two ends are kept, the sections those elements are in (with their parents),
  and the front matter unchanged; comments are dropped. A relation written from an
  argument that is left out, whose main conclusion (titled by the author) and target
  are both kept, is kept as Argdown's model states it (from that conclusion), so the
  diagram draws the edge the whole map draws between them. Sections are numbered
  again (``s1``, ``s2``...) in document order, as reading the smaller map's notation
  would number them.

It takes time in proportion to the size of the map: about half a second of CPU for
50,000 statements, most of it computing the map's derived relations (done once per map).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from .collector import collector_paused
from .errors import ArgmapError
from .model import STRICT_KINDS, Argument, ArgumentMap, ElementKind, Node, Relation, Section, Statement

__all__ = ["select"]

#: an element as the selection keys it: ``"s"`` or ``"a"`` then the title (an inference counts as its argument)
_Key = tuple[str, str]
_STATEMENT = "s"
_ARGUMENT = "a"


def select(
    argument_map: ArgumentMap,
    *,
    focus: str | None = None,
    depth: int = 2,
    tags: Iterable[str] = (),
    sections: Iterable[str] = (),
) -> ArgumentMap:
    """The part of ``argument_map`` around ``focus`` and/or with ``tags`` / in ``sections`` (see the module).

    ``focus`` is a statement or argument title; ``"[T]"`` or ``"<T>"`` names the kind when a statement
    and an argument share the title. ``depth`` counts steps from the focus (0: the element alone, with its
    premise-conclusion structure for an argument). ``tags`` are tag names without ``#``; ``sections`` are
    section titles. With no focus, tags or sections the map is returned as it is.

    Raises :class:`ArgmapError` when the focus names no element (or two), when it is not among the
    elements the tags and sections choose, or when a tag or section title names nothing in the map;
    ``ValueError`` for a negative ``depth``.
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a whole number of steps, 0 or more, not {depth!r}")
    wanted_tags = tuple(dict.fromkeys(tags))
    wanted_sections = tuple(dict.fromkeys(sections))
    if focus is None and not wanted_tags and not wanted_sections:
        return argument_map

    with collector_paused():
        chosen: set[_Key] | None = None  # None: every element
        if wanted_tags or wanted_sections:
            chosen = _chosen(argument_map, wanted_tags, wanted_sections)
        if focus is None:
            assert chosen is not None
            kept = chosen
        else:
            start = _focus_key(argument_map, focus)
            if chosen is not None and start not in chosen:
                chosen_by = _describe(wanted_tags, wanted_sections)
                raise ArgmapError(f"{_shown(start)} is not among the elements chosen: those with {chosen_by}")
            kept = _neighbourhood(argument_map, start, depth, chosen)
        return _submap(argument_map, kept)


# -- choosing by tag and section -------------------------------------------


def _chosen(argument_map: ArgumentMap, tags: tuple[str, ...], sections: tuple[str, ...]) -> set[_Key]:
    """The elements with one of ``tags`` in one of ``sections``, and the structures of the chosen arguments."""
    if tags:
        present = {t for e in argument_map.elements() for t in e.tags}
        for tag in tags:
            if tag not in present:
                raise ArgmapError(f"no statement or argument carries the tag #{tag}{_suggest(tag, present, '#')}")
    in_sections: set[str] | None = None
    if sections:
        in_sections = _section_ids(argument_map.sections, sections)
    tag_set = frozenset(tags)
    chosen: set[_Key] = set()
    for prefix, elements in (
        (_STATEMENT, argument_map.statements.values()),
        (_ARGUMENT, argument_map.arguments.values()),
    ):
        for element in elements:
            if tag_set and tag_set.isdisjoint(element.tags):
                continue
            if in_sections is not None and element.section not in in_sections:
                continue
            chosen.add((prefix, element.title))
    _add_structures(argument_map, chosen)
    return chosen


def _section_ids(all_sections: tuple[Section, ...], titles: tuple[str, ...]) -> set[str]:
    """The ids of the sections with one of ``titles`` and of every section below them."""
    named = {s.id for s in all_sections if s.title in titles}
    for title in titles:
        if not any(s.title == title for s in all_sections):
            raise ArgmapError(
                f"no section is titled {title!r}{_suggest(title, {s.title for s in all_sections}, quote=True)}"
            )
    # a section comes after its parent in document order, so one pass collects the subsections
    found = set(named)
    for section in all_sections:
        if section.parent is not None and section.parent in found:
            found.add(section.id)
    return found


def _add_structures(argument_map: ArgumentMap, kept: set[_Key]) -> None:
    """Add the statements of every kept argument's premise-conclusion structure."""
    for prefix, title in list(kept):
        if prefix == _ARGUMENT:
            argument = argument_map.arguments.get(title)
            if argument is not None:
                kept.update((_STATEMENT, step.title) for step in argument.steps)


# -- focus ------------------------------------------------------------------


def _focus_key(argument_map: ArgumentMap, focus: str) -> _Key:
    """The element ``focus`` names: a title, or ``[T]`` / ``<T>`` for one kind."""
    statements, arguments = argument_map.statements, argument_map.arguments
    if len(focus) > 2 and focus.startswith("[") and focus.endswith("]") and focus[1:-1] in statements:
        return (_STATEMENT, focus[1:-1])
    if len(focus) > 2 and focus.startswith("<") and focus.endswith(">") and focus[1:-1] in arguments:
        return (_ARGUMENT, focus[1:-1])
    in_statements, in_arguments = focus in statements, focus in arguments
    if in_statements and in_arguments:
        raise ArgmapError(
            f"both a statement and an argument are titled {focus!r}: "
            f"write [{focus}] for the statement or <{focus}> for the argument"
        )
    if in_statements:
        return (_STATEMENT, focus)
    if in_arguments:
        return (_ARGUMENT, focus)
    bare = focus[1:-1] if len(focus) > 2 and focus[0] + focus[-1] in ("[]", "<>") else focus
    folded = bare.casefold()
    plain = list(dict.fromkeys([*statements, *arguments]))
    close = [t for t in plain if t.casefold() == folded]  # a slip of case first
    close += difflib.get_close_matches(bare, plain, n=5, cutoff=0.6)
    shown = [f"[{t}]" for t in dict.fromkeys(close) if t in statements]
    shown += [f"<{t}>" for t in dict.fromkeys(close) if t in arguments]
    shown = shown[:5]
    found = f"; did you mean {', '.join(shown)}?" if shown else ""
    raise ArgmapError(f"no statement or argument is titled {focus!r}{found}")


def _key(node: Node) -> _Key:
    return (_STATEMENT if node.kind is ElementKind.STATEMENT else _ARGUMENT, node.title)


def _neighbourhood(argument_map: ArgumentMap, start: _Key, depth: int, chosen: set[_Key] | None) -> set[_Key]:
    """``start`` and the elements within ``depth`` steps of it (inside ``chosen``), with the kept structures."""
    neighbours: dict[_Key, list[_Key]] = {}

    def link(a: _Key, b: _Key) -> None:
        if a != b:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)

    for relation in argument_map.derived_relations():
        link(_key(relation.source), _key(relation.target))
    for argument in argument_map.arguments.values():
        for step in argument.steps:
            link((_ARGUMENT, argument.title), (_STATEMENT, step.title))

    kept = {start}
    frontier = [start]
    for _ in range(depth):
        following: list[_Key] = []
        for key in frontier:
            for other in neighbours.get(key, ()):
                if other not in kept and (chosen is None or other in chosen):
                    kept.add(other)
                    following.append(other)
        if not following:
            break
        frontier = following
    _add_structures(argument_map, kept)
    return kept


# -- the smaller map ---------------------------------------------------------


def _submap(argument_map: ArgumentMap, kept: set[_Key]) -> ArgumentMap:
    statements: dict[str, Statement] = {t: s for t, s in argument_map.statements.items() if (_STATEMENT, t) in kept}
    arguments: dict[str, Argument] = {t: a for t, a in argument_map.arguments.items() if (_ARGUMENT, t) in kept}
    relations: list[Relation] = []
    strict = argument_map.strict
    for relation in argument_map.relations:
        source, target = relation.source, relation.target
        if _key(target) not in kept:
            continue
        if _key(source) not in kept:
            # drawn from the argument's main conclusion: keep that edge when the conclusion is kept
            argument = argument_map.arguments.get(source.title) if source.kind is ElementKind.ARGUMENT else None
            conclusion = argument.conclusion if argument is not None else None
            if conclusion is None or (_STATEMENT, conclusion) not in kept or _key(target) == (_STATEMENT, conclusion):
                continue
            statement = argument_map.statements.get(conclusion)
            if statement is None or statement.generated_title:
                continue  # the diagram draws an untitled conclusion's relations from its argument, which is not kept
            kind = relation.kind
            if strict and target.kind is ElementKind.STATEMENT:
                kind = STRICT_KINDS.get(kind, kind)
            relation = Relation(Node(ElementKind.STATEMENT, conclusion), target, kind, relation.span, None)
        relations.append(relation)
    sections = _kept_sections(argument_map.sections, statements, arguments)
    renamed = {s.id: f"s{n}" for n, s in enumerate(sections, start=1)}
    if any(old != new for old, new in renamed.items()):
        # ids are numbered in document order, as reading the smaller map's notation would number them
        sections = tuple(
            attrs.evolve(s, id=renamed[s.id], parent=None if s.parent is None else renamed[s.parent]) for s in sections
        )
        statements = {t: _moved(e, renamed) for t, e in statements.items()}
        arguments = {t: _moved(e, renamed) for t, e in arguments.items()}
    return attrs.evolve(
        argument_map,
        statements=statements,
        arguments=arguments,
        relations=tuple(relations),
        sections=sections,
        comments=(),
    )


_E = TypeVar("_E", Statement, Argument)


def _moved(element: _E, renamed: Mapping[str, str]) -> _E:
    """``element`` with its section's new id."""
    if element.section is None or renamed[element.section] == element.section:
        return element
    return attrs.evolve(element, section=renamed[element.section])


def _kept_sections(
    all_sections: tuple[Section, ...], statements: Mapping[str, Statement], arguments: Mapping[str, Argument]
) -> tuple[Section, ...]:
    """The sections of the kept elements and their parents, in document order."""
    used = {e.section for e in statements.values()} | {e.section for e in arguments.values()}
    used.discard(None)
    if not used:
        return ()
    parent = {s.id: s.parent for s in all_sections}
    needed: set[str] = set()
    for section_id in used:
        current: str | None = section_id
        while current is not None and current not in needed:
            needed.add(current)
            current = parent.get(current)
    return tuple(s for s in all_sections if s.id in needed)


# -- messages ----------------------------------------------------------------


def _shown(key: _Key) -> str:
    return f"[{key[1]}]" if key[0] == _STATEMENT else f"<{key[1]}>"


def _describe(tags: tuple[str, ...], sections: tuple[str, ...]) -> str:
    """``#a or #b, in section 'X'``: what the tags and sections choose, in words."""
    parts = []
    if tags:
        parts.append("the tag " + " or ".join(f"#{t}" for t in tags))
    if sections:
        parts.append("the section " + " or ".join(repr(s) for s in sections))
    return " in ".join(parts)


def _suggest(name: str, candidates: Iterable[str], prefix: str = "", *, quote: bool = False) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=5, cutoff=0.6)
    if not close:
        return ""
    shown = [repr(c) if quote else f"{prefix}{c}" for c in close]
    return f"; did you mean {', '.join(shown)}?"
