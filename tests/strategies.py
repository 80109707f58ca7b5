"""Hypothesis strategies: random valid ArgumentMaps built from the model classes.

"Valid" means a map some notation can say, because the round-trip properties can
only hold for those. The constraints come from the notation, not from argmap's
exporter:

- the order of ``relations`` is the order they were written in; an untitled statement
  is written once, so it takes part in at most one relation here, and with a titled element;
- generated titles (``Untitled N``) are numbered in document order, skipping titles the
  document writes; untitled things are placed in section order and numbered in that order;
- an element's section is where its first definition is (an argument's: where its
  premise-conclusion structure is); an element never defined has no section;
- tags are written in texts (as ``#tag``) or on references; texts are single-spaced
  and stripped, as the reader leaves them;
- in strict mode (front matter ``model: {mode: strict}``) ``+``/``-`` between two
  statements mean entailment/contrariness, so support/attack between statements
  cannot be said there, and entailment/contrariness cannot be said elsewhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from conftest import in_ci
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
    TextRange,
)

__all__ = ["argument_maps", "hostile_text"]

#: characters that are syntax somewhere in Argdown, mixed into words
HOSTILE = "[]<>#*_@{}/\\()+-=:,.!?\"'`~|$%&^;"
_WORD_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"),
    exclude_characters="\ufeff\ufffe\uffff\x85",
)
_TAG_NAME = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)

words = st.one_of(
    st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True),
    st.text(st.sampled_from(HOSTILE), min_size=1, max_size=4),
    st.text(_WORD_CHARS, min_size=1, max_size=6),
    st.sampled_from(["(1)", "--", "//", "/*", "<!--", "-->", "]:", ">:", "===", "+>", "<-", "><", "_>", "@[x]"]),
)


@st.composite
def hostile_text(draw: st.DrawFn, tags: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """A reader-normal text (single spaces, stripped) mixing words, syntax characters and ``tags``.

    Returns the text and the tags written in it, in order. A tag is always followed by a space
    or the end: a character right after a tag would belong to the tag.
    """
    pieces = draw(st.lists(words, min_size=1, max_size=8))
    used: list[str] = []
    for tag in tags:
        if draw(st.booleans()):
            at = draw(st.integers(0, len(pieces)))
            pieces.insert(at, "#" + tag if re.fullmatch(r"[a-z][a-z0-9_-]*", tag) else f"#({tag})")
    text = _strip_stray_tags(" ".join(pieces), tags)
    from argmap.exporters.argdown_text import TAG, tag_name

    for found in TAG.finditer(text):
        name = tag_name(found.group())
        if name in tags and name not in used:
            used.append(name)
    return text, tuple(used)


def _strip_stray_tags(text: str, keep: tuple[str, ...]) -> str:
    """Drop the ``#`` of anything that would read as a tag the element does not have, or one glued to the next word.

    A character right after a tag joins it, so every kept tag is followed by a space or the end.
    """
    from argmap.exporters.argdown_text import TAG, tag_name

    while True:
        changed = False
        for found in TAG.finditer(text):
            glued = found.end() < len(text) and text[found.end()] != " "
            if tag_name(found.group()) not in keep or glued:
                text = text[: found.start()] + text[found.start() + 1 :]
                changed = True
                break
        if not changed:
            return " ".join(text.split()) or "x"


@st.composite
def ranged_text(draw: st.DrawFn, tags: tuple[str, ...], titles: tuple[str, ...]) -> tuple[Text, tuple[str, ...]]:
    """A text, sometimes with bold, italic, a link or a mention (plain words around them)."""
    text, used = draw(hostile_text(tags))
    text = _strip_stray_tags(text, used)
    if not draw(st.booleans()):
        return Text(text), used
    kind: RangeKind = draw(
        st.sampled_from([RangeKind.BOLD, RangeKind.ITALIC, RangeKind.LINK, RangeKind.STATEMENT_MENTION])
    )
    word = draw(st.from_regex(r"[A-Za-z]{1,8}( [A-Za-z]{1,8})?", fullmatch=True))
    before = text + " "
    if kind is RangeKind.STATEMENT_MENTION:
        if not titles:
            return Text(text), used
        title = draw(st.sampled_from(titles))
        written = f"@[{title}]"
        return Text(
            before + written,
            ranges=(TextRange(RangeKind.STATEMENT_MENTION, len(before), len(before) + len(written), title=title),),
        ), used
    url = (
        draw(st.from_regex(r"https://[a-z]{1,8}\.org/[a-z0-9]{0,6}", fullmatch=True))
        if kind is RangeKind.LINK
        else None
    )
    return Text(before + word, ranges=(TextRange(kind, len(before), len(before) + len(word), url=url),)), used


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, width=64),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
_KEYS = st.one_of(
    st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True),
    st.text(min_size=1, max_size=6).filter(lambda k: not re.search(r"[\ud800-\udfff]", k)),
)
data_values = st.recursive(
    st.one_of(_SCALARS, st.just([]), st.just({})),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3), st.dictionaries(_KEYS, inner, min_size=1, max_size=3)
    ),
    max_leaves=6,
)
data = st.dictionaries(_KEYS, data_values, max_size=3)

_TITLE = st.one_of(
    st.from_regex(r"[A-Z][a-z]{0,6}( [a-z0-9]{1,5}){0,2}", fullmatch=True),
    st.sampled_from(["Untitled 1", "Untitled 2", "Untitled 3", "(1)", "a #b", "x: y", "{d}", "@", "**", "é ü", "1"]),
)


def _kinds(source: Node, target: Node, strict: bool) -> list[RelationKind]:
    both_statements = source.kind is ElementKind.STATEMENT and target.kind is ElementKind.STATEMENT
    kinds = [RelationKind.UNDERCUT]
    if both_statements and strict:
        kinds += [RelationKind.ENTAILMENT, RelationKind.CONTRARINESS]
    else:
        kinds += [RelationKind.SUPPORT, RelationKind.ATTACK]
    if both_statements:
        kinds.append(RelationKind.CONTRADICTION)
    return kinds


@st.composite
def argument_maps(draw: st.DrawFn, *, ranges: bool = True, strict: bool | None = None) -> ArgumentMap:
    """A random map the notation can say (see the module docstring for what that takes)."""
    strict = draw(st.booleans()) if strict is None else strict
    # sections
    levels = draw(st.lists(st.integers(1, 3), max_size=3))
    sections: list[Section] = []
    open_sections: list[Section] = []
    for index, level in enumerate(levels, start=1):
        tag_names = tuple(draw(st.lists(_TAG_NAME, max_size=1, unique=True)))
        title, used = draw(hostile_text(tag_names))
        title = _strip_stray_tags(title, used)
        while open_sections and open_sections[-1].level >= level:
            open_sections.pop()
        section = Section(f"s{index}", title, level, open_sections[-1].id if open_sections else None, used, draw(data))
        sections.append(section)
        open_sections.append(section)
    zones: list[str | None] = [None, *(s.id for s in sections)]
    zone = st.sampled_from(zones)

    # titled statements and arguments
    statement_titles = draw(st.lists(_TITLE, min_size=1, max_size=6, unique=True))
    argument_titles = draw(st.lists(_TITLE, max_size=4, unique=True))
    mention_titles = tuple(t for t in statement_titles if re.fullmatch(r"[A-Za-z0-9 ]+", t))
    statements: dict[str, Statement] = {}
    for title in statement_titles:
        statements[title] = draw(_element(Statement, title, zone, mention_titles if ranges else ()))
    arguments: dict[str, Argument] = {}
    for title in argument_titles:
        arguments[title] = draw(_element(Argument, title, zone, mention_titles if ranges else ()))

    # untitled things, in document order: each is written in one section, numbered in that order
    slots = draw(st.lists(st.sampled_from(["statement", "leaf", "pcs", "anonymous pcs"]), max_size=5))
    slot_zones = sorted(draw(st.lists(zone, min_size=len(slots), max_size=len(slots))), key=zones.index)
    taken = set(statement_titles) | set(argument_titles)
    counter = 0

    def next_title() -> str:
        nonlocal counter
        while True:
            counter += 1
            if f"Untitled {counter}" not in taken:
                return f"Untitled {counter}"

    titled_nodes = [Node(ElementKind.STATEMENT, t) for t in statement_titles] + [
        Node(ElementKind.ARGUMENT, t) for t in argument_titles
    ]
    leaf_relations: list[Relation] = []
    for kind, slot_zone in zip(slots, slot_zones, strict=True):
        if kind in ("statement", "leaf"):
            title = next_title()
            statements[title] = draw(_untitled(title, slot_zone))
            if kind == "leaf":
                leaf = Node(ElementKind.STATEMENT, title)
                other = draw(st.sampled_from(titled_nodes))
                source, target = (leaf, other) if draw(st.booleans()) else (other, leaf)
                relation_kind = draw(st.sampled_from(_kinds(source, target, strict)))
                if relation_kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
                    target = Node(ElementKind.INFERENCE, target.title)
                leaf_relations.append(Relation(source, target, relation_kind))
            continue
        owner = next_title() if kind == "anonymous pcs" else None
        if owner is None:
            candidates = [
                t for t, a in arguments.items() if not a.steps and (a.section == slot_zone or not a.descriptions)
            ]
            if not candidates:
                continue
            owner = draw(st.sampled_from(candidates))
        steps = draw(_steps(statement_titles, next_title, statements, slot_zone))
        base = arguments.get(owner, Argument(owner, generated_title=True))
        arguments[owner] = Argument(
            owner,
            base.descriptions,
            base.tags,
            base.data,
            steps,
            section=slot_zone if slot_zone is not None else base.section,
            generated_title=base.generated_title,
        )
    # a titled argument with a PCS written by the generator above, but no PCS slot, stays a sketch

    # relations between titled elements, with the untitled leaves' relations kept in their order
    pairs = draw(st.lists(st.tuples(st.sampled_from(titled_nodes), st.sampled_from(titled_nodes)), max_size=8))
    relations: list[Relation] = []
    for source, target in pairs:
        relation_kind = draw(st.sampled_from(_kinds(source, target, strict)))
        if relation_kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
            target = Node(ElementKind.INFERENCE, target.title)
        relations.append(Relation(source, target, relation_kind))
    for relation in leaf_relations:
        at = draw(st.integers(0, len(relations)))
        later_leaves = [i for i, r in enumerate(relations) if r in leaf_relations]
        at = max([at, *[i + 1 for i in later_leaves]])
        relations.insert(at, relation)

    metadata: dict[str, Any] = draw(
        st.dictionaries(st.sampled_from(["title", "author", "date", "source", "x y"]), data_values, max_size=3)
    )
    if strict:
        metadata["model"] = {"mode": "strict"}
    return ArgumentMap(statements, arguments, tuple(relations), tuple(sections), metadata)


@st.composite
def _element(draw: st.DrawFn, cls: type, title: str, zone: Any, mentions: tuple[str, ...]) -> Any:
    tag_names = tuple(
        draw(st.lists(st.one_of(_TAG_NAME, st.sampled_from(["two words", "é"])), max_size=3, unique=True))
    )
    texts: list[Text] = []
    written: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        text, used = draw(ranged_text(tag_names, mentions))
        texts.append(text)
        written.extend(t for t in used if t not in written)
    # the element's tags: those of its texts in order, with the others (written on references) mixed in
    others = [t for t in tag_names if t not in written and draw(st.booleans())]
    tags = list(written)
    for tag in others:
        tags.insert(draw(st.integers(0, len(tags))), tag)
    section = draw(zone) if texts else None
    if cls is Statement:
        return Statement(title, tuple(texts), tuple(tags), draw(data), section=section)
    return Argument(title, tuple(texts), tuple(tags), draw(data), section=section)


@st.composite
def _untitled(draw: st.DrawFn, title: str, section: str | None) -> Statement:
    tag_names = tuple(draw(st.lists(_TAG_NAME, max_size=2, unique=True)))
    text, used = draw(hostile_text(tag_names))
    text = _strip_stray_tags(text, used)
    return Statement(title, (Text(text),), used, draw(data), section=section, generated_title=True)


@st.composite
def _steps(
    draw: st.DrawFn,
    titles: list[str],
    next_title: Callable[[], str],
    statements: dict[str, Statement],
    section: str | None,
) -> tuple[Premise | Conclusion, ...]:
    """Premises and conclusions: titled statements by reference, or new untitled ones written in the PCS."""
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))  # premises before each inference
    steps: list[Premise | Conclusion] = []
    number = 0

    def statement() -> str:
        if draw(st.booleans()):
            chosen: str = draw(st.sampled_from(titles))
            return chosen
        title = next_title()
        statements[title] = draw(_untitled(title, section))
        return title

    for premises in shape:
        for _ in range(premises if not steps else premises - 1):
            number += 1
            steps.append(Premise(number, statement()))
        rules = tuple(draw(st.lists(st.from_regex(r"[a-z]{1,6}( [a-z]{1,6})?", fullmatch=True), max_size=2)))
        which = draw(st.sampled_from(["none", "note", "uses"]))
        uses: tuple[int, ...] = tuple(range(1, number + 1)) if which == "uses" else ()
        inference_data: dict[str, Any] = {}
        if which == "uses":
            inference_data = {"uses": list(uses)}
        elif which == "note":
            inference_data = {"note": draw(st.text(max_size=5).filter(lambda t: not re.search(r"[\ud800-\udfff]", t)))}
        number += 1
        steps.append(Conclusion(number, statement(), Inference(rules, uses, inference_data)))
    return tuple(steps)


#: examples per property (PROPERTY_EXAMPLES overrides; tests run fractions of it for the slow ones)
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "50"))


def property_settings(examples: int) -> settings:
    """Settings of one property: derandomised without a database under CI, so CI runs are reproducible."""
    return settings(
        max_examples=max(1, examples),
        # under CI a failure is reported as found: shrinking these maps can take minutes
        phases=[Phase.explicit, Phase.reuse, Phase.generate] if in_ci() else list(Phase),
        deadline=None,
        derandomize=in_ci(),
        database=None if in_ci() else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
