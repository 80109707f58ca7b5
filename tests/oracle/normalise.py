"""One neutral structure for Argdown's model and argmap's model: the definition of "same meaning".

``from_argdown(result)`` reads what the Argdown CLI's pipeline produced for one file (the JSON that
``argdown json FILE --stdout`` prints, plus the front matter, see ``argdown_dump.js``);
``from_argmap(argument_map)`` reads an :class:`argmap.ArgumentMap`. Both return the same shape of plain
JSON-able data, so two documents mean the same when the two results are equal::

    {
      "statements": {title: {"texts": [...], "ranges": [...], "tags": [...], "data": {...}, "section": key | None}},
      "arguments":  {title: {"descriptions": [...], "ranges": [...], "tags": [...], "data": {...},
                             "section": key | None,
                             "pcs": [[role, statement title, inference rules | None, inference data | None], ...]}},
      "relations":  [[source title, source kind, relation kind, target title, target kind], ...],
      "sections":   [[key, level, parent key | None, [tags], {data}], ...],
      "front_matter": {...},
    }

Every normalisation step, in the order applied:

1. Text. Every text (statement text, argument description, heading title) has its whitespace runs collapsed
   to one space and is stripped. Argdown joins the lines of a text with one space but keeps runs of spaces
   inside a line, and leaves a space where a data block ``{...}`` was cut out; neither is meaning.
   ``#tags`` stay inside the text on both sides (Argdown's default ``removeTagsFromText: false``).
2. Members without text. A reference (``[T]``, ``<T>``) adds a member without text to Argdown's
   equivalence class or argument (no ``text``, ``""`` or a lone space); texts that are empty after step 1
   are dropped on both sides. The remaining texts keep document order (Argdown's members are in document
   order; note that Argdown's *canonical* text is the LAST definition's).
3. Generated titles. Argdown titles an untitled statement or argument ``Untitled N`` with one counter for
   both; argmap makes up titles that cannot collide with a user's title. On both sides every generated
   title becomes ``<untitled statement K>`` / ``<untitled argument K>``, K counting the generated
   statements (arguments) in the order of where they were written (line, column): Argdown's position of
   the first member (an anonymous argument has none: the position of its premise-conclusion structure),
   argmap's ``span``. Argdown side: a title is generated when it is exactly ``Untitled N``; the corpus
   never uses such a title itself. Argmap side: ``generated_title`` is True.
4. Tags: the set of tags of the element (Argdown unites the members' tags), sorted.
5. Data: the element's data (Argdown deep-merges the members' data blocks, later ones win; references'
   blocks count too). YAML dates are compared as ``YYYY-MM-DD``: js-yaml reads ``2024-03-01`` as a
   timestamp that JSON writes as ``2024-03-01T00:00:00.000Z``, PyYAML as a ``date``.
6. Premise-conclusion structure: the list of steps ``[role, title, rules, data]`` in written order; role
   is ``premise``, ``intermediate conclusion`` or ``main conclusion``; rules is the list of inference rule
   names of the inference line above a conclusion (``[]`` for ``----``) and None for a premise; data is
   that inference's data block (``{uses: [1, 2]}`` and the like, as in 5; argmap's ``Inference.uses``
   counts as the ``uses`` key when its data has none) and None for a premise. Step numbers are not
   compared (Argdown does not keep them).
7. Relations: the set of relations of Argdown's model, i.e. after Argdown's own transformations (a
   relation from a reconstructed argument starts at its main conclusion; an undercut of a reconstructed
   argument ends at its inference; repeats merged). argmap's side is ``ArgumentMap.derived_relations()``.
   Kinds are ``statement`` (Argdown's ``equivalence-class``), ``argument``, ``inference``. Relation
   names: Argdown's ``contradictory`` is ``contradiction``; in strict mode (front matter
   ``model: {mode: strict}``) Argdown's ``entails`` and ``contrary`` are argmap's ``entailment`` and
   ``contrariness``. An undercut always ends at ``inference``:
   Argdown says ``argument`` when the undercut argument has no premise-conclusion structure, argmap always
   targets the argument's inference node. A contradiction and a contrariness are symmetric: their two
   ends are sorted. The list is sorted and has no repeats.
8. Sections: headings in document order (pre-order of Argdown's tree), each as ``[key, level, parent key,
   sorted tags, data]`` (data as in 5). The key of a section is ``"K: title"`` with K its 1-based position
   in document order and the title normalised as in step 1 (so tags written in a heading stay in its
   title). An element's ``section`` is the key of the section Argdown/argmap assigned to it, or None.
9. Front matter: the YAML mapping between the ``===`` lines, ``{}`` when there is none; dates as in 5.
10. Text ranges (bold, italic, links, mentions): for each element, the sorted list of
   ``[i, kind, covered text, url or title]``: ``i`` is the index of the text in the element's list of
   texts (after step 2), kind one of ``bold``, ``italic``, ``link``, ``statement-mention``,
   ``argument-mention``, the covered text is normalised as in step 1 (so offsets shifted by collapsed
   whitespace do not matter, and the trailing space Argdown's mention ranges swallow neither), the last
   item is the link's url, the mentioned title, or None. Argdown's ranges have an INCLUSIVE ``stop``;
   argmap's ``end`` is exclusive. Argdown's ``tag`` ranges are left out (tags are step 4); headings'
   ranges are not compared (argmap's sections keep no ranges).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Premise,
    RelationKind,
    Statement,
    Text,
)

__all__ = ["from_argdown", "from_argmap", "normalise_text"]

_WHITESPACE = re.compile(r"\s+")
_GENERATED = re.compile(r"Untitled \d+")
_JS_DATE = re.compile(r"(\d{4}-\d\d-\d\d)T00:00:00\.000Z")

_ROLES = {
    "premise": "premise",
    "intermediary-conclusion": "intermediate conclusion",
    "main-conclusion": "main conclusion",
}
_ARGDOWN_KINDS = {"equivalence-class": "statement", "argument": "argument", "inference": "inference"}
_ARGDOWN_RELATIONS = {
    "support": "support",
    "attack": "attack",
    "undercut": "undercut",
    "contradictory": "contradiction",
    "entails": "entailment",
    "contrary": "contrariness",
}
_SYMMETRIC = ("contradiction", "contrariness")
_RANGE_KINDS = ("bold", "italic", "link", "statement-mention", "argument-mention")


def normalise_text(text: str | None) -> str:
    """Step 1: whitespace runs collapsed to one space, stripped."""
    return _WHITESPACE.sub(" ", text or "").strip()


def _texts_and_ranges(texts: Iterable[tuple[str | None, list[tuple[str, int, int, str | None]]]]) -> dict[str, Any]:
    """Steps 1, 2 and 10: ``(text, [(kind, start, end exclusive, url or title)])`` to texts and ranges.

    Texts empty after step 1 are dropped with their ranges; the others keep document order.
    """
    kept: list[str] = []
    ranges: list[list[Any]] = []
    for raw, text_ranges in texts:
        text = normalise_text(raw)
        if not text:
            continue
        for kind, start, end, extra in text_ranges:
            ranges.append([len(kept), kind, normalise_text((raw or "")[start:end]), extra])
        kept.append(text)
    return {"texts": kept, "ranges": sorted(ranges, key=repr)}


def _argdown_ranges(member: Mapping[str, Any]) -> list[tuple[str, int, int, str | None]]:
    """Step 10, Argdown side: typed ranges of a member, ``stop`` made exclusive, tags left out."""
    found = []
    for r in member.get("ranges") or []:
        kind = r.get("type")
        if kind not in _RANGE_KINDS:
            continue
        extra = r.get("url") if kind == "link" else r.get("title") if kind.endswith("mention") else None
        found.append((kind, int(r["start"]), int(r["stop"]) + 1, extra))
    return found


def _argmap_ranges(text: Text) -> list[tuple[str, int, int, str | None]]:
    """Step 10, argmap side."""
    found = []
    for r in text.ranges:
        kind = r.kind.value
        extra = r.url if kind == "link" else r.title if kind.endswith("mention") else None
        found.append((kind, r.start, r.end, extra))
    return found


def _value(value: Any) -> Any:
    """Steps 5 and 9: YAML values made comparable (dates as ISO dates, tuples as lists)."""
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0) and value.utcoffset() in (None, datetime.timedelta(0)):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        match = _JS_DATE.fullmatch(value)
        return match.group(1) if match else value
    return value


def _descriptions(texts_and_ranges: dict[str, Any]) -> dict[str, Any]:
    """An argument's texts are its descriptions."""
    return {"descriptions": texts_and_ranges["texts"], "ranges": texts_and_ranges["ranges"]}


def _placeholders(generated: Iterable[tuple[tuple[int, int], str]], what: str) -> dict[str, str]:
    """Step 3: generated titles, by written position, to ``<untitled WHAT K>``."""
    ordered = sorted(generated)
    return {title: f"<untitled {what} {k}>" for k, (_, title) in enumerate(ordered, start=1)}


_FlatSection = tuple[str, str, int, "str | None", list[str], Mapping[str, Any]]


def _section_keys(flat: list[_FlatSection]) -> tuple[list[Any], dict[str, str]]:
    """Step 8 from ``(id, title, level, parent id, tags, data)`` in document order: the rows and id -> key."""
    keys = {sid: f"{k}: {normalise_text(title)}" for k, (sid, title, *_) in enumerate(flat, start=1)}
    rows = [
        [keys[sid], level, keys.get(parent) if parent else None, sorted(tags), _value(data)]
        for sid, _, level, parent, tags, data in flat
    ]
    return rows, keys


def _relation(source: str, source_kind: str, kind: str, target: str, target_kind: str) -> tuple[str, ...]:
    """Step 7 for one relation: undercuts end at the inference, contradictions have sorted ends."""
    if kind == "undercut":
        target_kind = "inference"
    if kind in _SYMMETRIC and (target, target_kind) < (source, source_kind):
        source, source_kind, target, target_kind = target, target_kind, source, source_kind
    return (source, source_kind, kind, target, target_kind)


def _result(
    statements: dict[str, Any],
    arguments: dict[str, Any],
    relations: set[tuple[str, ...]],
    sections: list[Any],
    front_matter: Any,
) -> dict[str, Any]:
    return {
        "statements": dict(sorted(statements.items())),
        "arguments": dict(sorted(arguments.items())),
        "relations": [list(r) for r in sorted(relations)],
        "sections": sections,
        "front_matter": _value(front_matter or {}),
    }


# -- Argdown -------------------------------------------------------------------------------------------


def _argdown_position(element: Mapping[str, Any]) -> tuple[int, int]:
    members = element.get("members") or []
    first = members[0] if members else element
    return (int(first.get("startLine") or 0), int(first.get("startColumn") or 0))


def _flatten_argdown_sections(sections: list[Mapping[str, Any]]) -> list[_FlatSection]:
    flat: list[_FlatSection] = []
    for section in sections:
        parent = section.get("parent")
        tags = list(section.get("tags") or [])
        flat.append((section["id"], section["title"], section["level"], parent, tags, section.get("data") or {}))
        flat.extend(_flatten_argdown_sections(section.get("children") or []))
    return flat


def from_argdown(result: Mapping[str, Any]) -> dict[str, Any]:
    """The neutral structure of Argdown's model.

    ``result`` is either the JSON object ``argdown json --stdout`` prints, or ``argdown_dump.js``'s entry
    for a file (``{"json": ..., "frontMatter": ...}``), which adds the front matter the CLI's JSON leaves out.
    """
    if "json" in result:
        model: Mapping[str, Any] = result["json"]
        front_matter = result.get("frontMatter")
    else:
        model, front_matter = result, None
    ad_statements: Mapping[str, Any] = model.get("statements") or {}
    ad_arguments: Mapping[str, Any] = model.get("arguments") or {}

    names = _placeholders(
        ((_argdown_position(s), t) for t, s in ad_statements.items() if _GENERATED.fullmatch(t)), "statement"
    )
    argument_names = _placeholders(
        ((_argdown_position(a), t) for t, a in ad_arguments.items() if _GENERATED.fullmatch(t)), "argument"
    )

    def statement_title(title: str) -> str:
        return names.get(title, title)

    def argument_title(title: str) -> str:
        return argument_names.get(title, title)

    sections, keys = _section_keys(_flatten_argdown_sections(model.get("sections") or []))

    statements: dict[str, Any] = {}
    for title, ec in ad_statements.items():
        statements[statement_title(title)] = {
            **_texts_and_ranges((m.get("text"), _argdown_ranges(m)) for m in ec.get("members") or []),
            "tags": sorted(ec.get("tags") or []),
            "data": _value(ec.get("data") or {}),
            "section": keys.get(ec["section"]) if ec.get("section") else None,
        }

    arguments: dict[str, Any] = {}
    for title, argument in ad_arguments.items():
        pcs = []
        for step in argument.get("pcs") or []:
            inference = step.get("inference")
            rules = [normalise_text(r) for r in inference.get("inferenceRules") or []] if inference else None
            data = _value(inference.get("data") or {}) if inference else None
            pcs.append([_ROLES[step["role"]], statement_title(step["title"]), rules, data])
        arguments[argument_title(title)] = {
            **_descriptions(
                _texts_and_ranges((m.get("text"), _argdown_ranges(m)) for m in argument.get("members") or [])
            ),
            "tags": sorted(argument.get("tags") or []),
            "data": _value(argument.get("data") or {}),
            "section": keys.get(argument["section"]) if argument.get("section") else None,
            "pcs": pcs,
        }

    def node_title(title: str, kind: str) -> str:
        return statement_title(title) if kind == "statement" else argument_title(title)

    relations = set()
    for r in model.get("relations") or []:
        source_kind = _ARGDOWN_KINDS[r["fromType"]]
        target_kind = _ARGDOWN_KINDS[r["toType"]]
        relations.add(
            _relation(
                node_title(r["from"], source_kind),
                source_kind,
                _ARGDOWN_RELATIONS[r["relationType"]],
                node_title(r["to"], target_kind),
                target_kind,
            )
        )
    return _result(statements, arguments, relations, sections, front_matter)


# -- argmap --------------------------------------------------------------------------------------------


def _span_position(element: Statement | Argument) -> tuple[int, int]:
    return (element.span.line, element.span.column)


def _step(step: Premise | Conclusion, is_last: bool, title: Callable[[str], str]) -> list[Any]:
    if isinstance(step, Premise):
        return ["premise", title(step.title), None, None]
    role = "main conclusion" if is_last else "intermediate conclusion"
    data = dict(step.inference.data)
    if step.inference.uses and "uses" not in data:
        data["uses"] = list(step.inference.uses)
    return [role, title(step.title), [normalise_text(r) for r in step.inference.rules], _value(data)]


def from_argmap(argument_map: ArgumentMap) -> dict[str, Any]:
    """The neutral structure of an argmap model (relations from ``derived_relations()``)."""
    names = _placeholders(
        ((_span_position(s), t) for t, s in argument_map.statements.items() if s.generated_title), "statement"
    )
    argument_names = _placeholders(
        ((_span_position(a), t) for t, a in argument_map.arguments.items() if a.generated_title), "argument"
    )

    def statement_title(title: str) -> str:
        return names.get(title, title)

    def argument_title(title: str) -> str:
        return argument_names.get(title, title)

    sections, keys = _section_keys(
        [(s.id, s.title, s.level, s.parent, list(s.tags), s.data) for s in argument_map.sections]
    )

    statements: dict[str, Any] = {}
    for title, statement in argument_map.statements.items():
        statements[statement_title(title)] = {
            **_texts_and_ranges((t.text, _argmap_ranges(t)) for t in statement.texts),
            "tags": sorted(set(statement.tags)),
            "data": _value(statement.data),
            "section": keys.get(statement.section) if statement.section else None,
        }

    arguments: dict[str, Any] = {}
    for title, argument in argument_map.arguments.items():
        last_conclusion = argument.conclusions[-1] if argument.conclusions else None
        arguments[argument_title(title)] = {
            **_descriptions(_texts_and_ranges((d.text, _argmap_ranges(d)) for d in argument.descriptions)),
            "tags": sorted(set(argument.tags)),
            "data": _value(argument.data),
            "section": keys.get(argument.section) if argument.section else None,
            "pcs": [_step(s, s is last_conclusion, statement_title) for s in argument.steps],
        }

    def node_title(title: str, kind: ElementKind) -> str:
        return statement_title(title) if kind is ElementKind.STATEMENT else argument_title(title)

    relation_names = {
        RelationKind.SUPPORT: "support",
        RelationKind.ATTACK: "attack",
        RelationKind.UNDERCUT: "undercut",
        RelationKind.CONTRADICTION: "contradiction",
        RelationKind.ENTAILMENT: "entailment",
        RelationKind.CONTRARINESS: "contrariness",
    }
    relations = {
        _relation(
            node_title(r.source.title, r.source.kind),
            r.source.kind.value,
            relation_names[r.kind],
            node_title(r.target.title, r.target.kind),
            r.target.kind.value,
        )
        for r in argument_map.derived_relations()
    }
    return _result(statements, arguments, relations, sections, argument_map.metadata)
