"""The ``argdown-json`` importer: what the Argdown tool's ``argdown json`` command writes.

The mapping (docs/formats.md, "Argdown's JSON export"):

- each equivalence class of ``statements`` is a statement: the members' texts in order (references, which
  have none, add nothing; white space folded as the notation folds it), the bold, italic, link and
  mention ranges (``stop`` is inclusive in Argdown), the class's tags, merged data and section;
  a title ``Untitled N`` is marked as generated, as Argdown and argmap both name untitled statements so;
- each of ``arguments`` is an argument: the members' texts are its descriptions; ``pcs`` is the
  premise-conclusion structure, numbered from 1 in order, each conclusion's inference with its rules and
  data (a ``uses`` list of numbers in the data is the inference's ``uses``);
- ``relations`` are the relations as Argdown's model states them: ``contradictory``, ``entails`` and
  ``contrary`` are contradiction, entailment and contrariness; an undercut ends at the argument's inference;
- ``sections`` (a tree) are the sections in document order, with Argdown's ids, titles, levels, tags and data.

Dropped, and reported: the source positions (``startLine`` and the like refer to the ``.argdown`` file, which
the JSON does not name), the colours Argdown's map assigned, Argdown's map view (``map``) if the export kept
it, and which intermediate inference an undercut aims at (the model undercuts an argument's last inference).
Argdown's JSON has no front matter and no comments, so a map read from it has neither.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NoReturn

import attrs

from ..exporters.json import describe_value
from ..model import (
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
    Step,
    Text,
    TextRange,
)
from . import Imported, JsonPath, decode_json, fail, folded, json_position, plural

__all__ = ["IMPORTER", "ArgdownJsonImporter"]

_SNIFF = re.compile(r'\A\s*\{\s*"(?:arguments|statements)"\s*:\s*\{')
_GENERATED = re.compile(r"Untitled \d+")

_KINDS = {"equivalence-class": ElementKind.STATEMENT, "argument": ElementKind.ARGUMENT}
_RELATIONS = {
    "support": RelationKind.SUPPORT,
    "attack": RelationKind.ATTACK,
    "undercut": RelationKind.UNDERCUT,
    "contradictory": RelationKind.CONTRADICTION,
    "entails": RelationKind.ENTAILMENT,
    "contrary": RelationKind.CONTRARINESS,
}
_RANGES = {
    "bold": RangeKind.BOLD,
    "italic": RangeKind.ITALIC,
    "link": RangeKind.LINK,
    "statement-mention": RangeKind.STATEMENT_MENTION,
    "argument-mention": RangeKind.ARGUMENT_MENTION,
}
_ROLES = ("premise", "intermediary-conclusion", "main-conclusion")


def _shown(path: JsonPath) -> str:
    """``("statements", "Rain", "members", 0)`` as ``statements["Rain"].members[0]``."""
    parts: list[str] = []
    for i, step in enumerate(path):
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif i == 1 and path[0] in ("statements", "arguments"):  # a title
            parts.append(f"[{json.dumps(step, ensure_ascii=False)}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


@attrs.define
class _Reader:
    """Typed access to the decoded JSON; a wrong value is an error at its place in the text."""

    text: str
    source_name: str

    def fail(self, path: JsonPath, message: str) -> NoReturn:
        line, column = json_position(self.text, path)
        where = f" at {_shown(path)}" if path else ""
        fail(f"invalid Argdown JSON{where}: {message}", self.text, self.source_name, line, column)

    def mapping(self, value: object, path: JsonPath) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {describe_value(value)}")
        return value

    def array(self, value: object, path: JsonPath) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected an array, got {describe_value(value)}")
        return value

    def string(self, value: object, path: JsonPath) -> str:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {describe_value(value)}")
        return value

    def strings(self, value: object, path: JsonPath) -> tuple[str, ...]:
        items = self.array(value, path)
        return tuple(dict.fromkeys(self.string(item, (*path, i)) for i, item in enumerate(items)))

    def integer(self, value: object, path: JsonPath, minimum: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.fail(path, f"expected an integer of at least {minimum}, got {describe_value(value)}")
        return value

    def data(self, value: object, path: JsonPath) -> dict[str, Any]:
        return {} if value is None else self.mapping(value, path)

    def optional(self, obj: Mapping[str, Any], key: str, path: JsonPath) -> dict[str, Any]:
        """The object ``obj[key]``, or ``{}`` when the key is missing or null."""
        return self.data(obj.get(key), (*path, key))


@attrs.define
class _Counts:
    positions: int = 0
    coloured: dict[str, int] = attrs.Factory(dict)
    intermediate_undercuts: int = 0

    def colour(self, obj: Mapping[str, Any], what: str) -> None:
        if "color" in obj or "fontColor" in obj:
            self.coloured[what] = self.coloured.get(what, 0) + 1


def _text(reader: _Reader, member: dict[str, Any], path: JsonPath) -> Text | None:
    """A member's text with its typed ranges, folded; None for a member without text (a reference)."""
    raw = member.get("text")
    if raw is None:
        return None
    text = reader.string(raw, (*path, "text"))
    ranges = []
    for i, item in enumerate(reader.array(member.get("ranges"), (*path, "ranges"))):
        at = (*path, "ranges", i)
        r = reader.mapping(item, at)
        kind = _RANGES.get(r.get("type"))  # type: ignore[arg-type]
        if kind is None:
            continue  # tags are the element's tags
        start = reader.integer(r.get("start"), (*at, "start"))
        stop = reader.integer(r.get("stop"), (*at, "stop"))
        url = r.get("url") if kind is RangeKind.LINK else None
        title = r.get("title") if kind in (RangeKind.STATEMENT_MENTION, RangeKind.ARGUMENT_MENTION) else None
        ranges.append(
            TextRange(
                kind,
                start,
                max(start, stop + 1),  # Argdown's stop is the last character
                reader.string(url, (*at, "url")) if url is not None else None,
                reader.string(title, (*at, "title")) if title is not None else None,
            )
        )
    result = folded(text, ranges)
    return result if result.text else None


def _texts(reader: _Reader, element: dict[str, Any], path: JsonPath, counts: _Counts) -> tuple[Text, ...]:
    texts = []
    placed = "startLine" in element
    for i, item in enumerate(reader.array(element.get("members"), (*path, "members"))):
        member = reader.mapping(item, (*path, "members", i))
        placed = placed or "startLine" in member
        text = _text(reader, member, (*path, "members", i))
        if text is not None:
            texts.append(text)
    counts.positions += placed
    return tuple(texts)


def _sections(reader: _Reader, value: object, counts: _Counts) -> list[Section]:
    """The section tree in document order (pre-order)."""
    found: list[Section] = []

    def visit(items: object, path: JsonPath, parent: str | None) -> None:
        for i, item in enumerate(reader.array(items, path)):
            at = (*path, i)
            section = reader.mapping(item, at)
            counts.colour(section, "sections")
            counts.positions += "startLine" in section
            section_id = reader.string(section.get("id"), (*at, "id"))
            if any(s.id == section_id for s in found):
                reader.fail((*at, "id"), f"{section_id!r} appears twice")
            found.append(
                Section(
                    id=section_id,
                    title=reader.string(section.get("title"), (*at, "title")),
                    level=reader.integer(section.get("level"), (*at, "level"), 1),
                    parent=parent,
                    tags=reader.strings(section.get("tags"), (*at, "tags")),
                    data=reader.optional(section, "data", at),
                )
            )
            visit(section.get("children"), (*at, "children"), section_id)

    visit(value, ("sections",), None)
    return found


def _section_of(reader: _Reader, element: dict[str, Any], path: JsonPath, ids: set[str]) -> str | None:
    value = element.get("section")
    if value is None:
        return None
    section = reader.string(value, (*path, "section"))
    if section not in ids:
        reader.fail((*path, "section"), f"no section has the id {section!r}")
    return section


def _steps(
    reader: _Reader, argument: dict[str, Any], path: JsonPath, statements: Mapping[str, Statement]
) -> tuple[Step, ...]:
    steps: list[Step] = []
    for i, item in enumerate(reader.array(argument.get("pcs"), (*path, "pcs"))):
        at = (*path, "pcs", i)
        step = reader.mapping(item, at)
        title = reader.string(step.get("title"), (*at, "title"))
        if title not in statements:
            reader.fail((*at, "title"), f"no statement is titled {title!r}")
        role = step.get("role")
        if role not in _ROLES:
            expected = ", ".join(json.dumps(r) for r in _ROLES)
            reader.fail((*at, "role"), f"expected one of {expected}, got {describe_value(role)}")
        if role == "premise":
            steps.append(Premise(i + 1, title))
            continue
        inference = reader.optional(step, "inference", at)
        where = (*at, "inference")
        data = reader.optional(inference, "data", where)
        uses = data.get("uses", ())
        if not isinstance(uses, list) or not all(isinstance(u, int) and not isinstance(u, bool) for u in uses):
            uses = ()
        rules = reader.strings(inference.get("inferenceRules"), (*where, "inferenceRules"))
        steps.append(Conclusion(i + 1, title, Inference(rules, tuple(uses), data)))
    return tuple(steps)


def _relation(reader: _Reader, value: object, path: JsonPath, argmap: ArgumentMap, counts: _Counts) -> Relation:
    relation = reader.mapping(value, path)
    kind = _RELATIONS.get(relation.get("relationType"))  # type: ignore[arg-type]
    if kind is None:
        expected = ", ".join(json.dumps(k) for k in _RELATIONS)
        reader.fail(
            (*path, "relationType"), f"expected one of {expected}, got {describe_value(relation.get('relationType'))}"
        )
    ends = []
    for end, type_key in (("from", "fromType"), ("to", "toType")):
        title = reader.string(relation.get(end), (*path, end))
        written = relation.get(type_key)
        element_kind = _KINDS.get(written)  # type: ignore[arg-type]
        if written == "inference" and end == "to":
            element_kind = ElementKind.ARGUMENT
        if element_kind is None:
            reader.fail((*path, type_key), f'expected "equivalence-class" or "argument", got {describe_value(written)}')
        known = argmap.statements if element_kind is ElementKind.STATEMENT else argmap.arguments
        if title not in known:
            what = "statement" if element_kind is ElementKind.STATEMENT else "argument"
            reader.fail((*path, end), f"no {what} is titled {title!r}")
        ends.append(Node(element_kind, title))
    source, target = ends
    if kind is RelationKind.UNDERCUT:
        if target.kind is not ElementKind.ARGUMENT:
            reader.fail((*path, "toType"), "an undercut ends at an argument (its inference)")
        aimed = relation.get("conclusionIndex")
        steps = argmap.arguments[target.title].steps
        if isinstance(aimed, int) and steps and aimed != len(steps) - 1:
            counts.intermediate_undercuts += 1
        target = Node(ElementKind.INFERENCE, target.title)
    return Relation(source, target, kind)


@attrs.frozen
class ArgdownJsonImporter:
    name: str = "argdown-json"
    description: str = "the JSON the Argdown tool writes (argdown json)"
    suffixes: tuple[str, ...] = (".json",)

    def sniff(self, head: str) -> bool:
        """A JSON object that opens with Argdown's ``"arguments": {`` or ``"statements": {``."""
        return _SNIFF.match(head.removeprefix("\ufeff")) is not None

    def read(self, text: str, *, source_name: str = "<input>") -> Imported:
        reader = _Reader(text, source_name)
        top = reader.mapping(decode_json(text, source_name, "Argdown JSON"), ())
        counts = _Counts()
        sections = _sections(reader, top.get("sections"), counts)
        ids = {s.id for s in sections}

        statements: dict[str, Statement] = {}
        for title, value in reader.optional(top, "statements", ()).items():
            path: JsonPath = ("statements", title)
            ec = reader.mapping(value, path)
            counts.colour(ec, "statements")
            statements[title] = Statement(
                title=title,
                texts=_texts(reader, ec, path, counts),
                tags=reader.strings(ec.get("tags"), (*path, "tags")),
                data=reader.optional(ec, "data", path),
                section=_section_of(reader, ec, path, ids),
                generated_title=_GENERATED.fullmatch(title) is not None,
            )
        arguments: dict[str, Argument] = {}
        for title, value in reader.optional(top, "arguments", ()).items():
            path = ("arguments", title)
            argument = reader.mapping(value, path)
            counts.colour(argument, "arguments")
            arguments[title] = Argument(
                title=title,
                descriptions=_texts(reader, argument, path, counts),
                tags=reader.strings(argument.get("tags"), (*path, "tags")),
                data=reader.optional(argument, "data", path),
                steps=_steps(reader, argument, path, statements),
                section=_section_of(reader, argument, path, ids),
                generated_title=_GENERATED.fullmatch(title) is not None,
            )
        argmap = ArgumentMap(
            statements=statements, arguments=arguments, sections=tuple(sections), source_name=source_name
        )
        relations = tuple(
            _relation(reader, item, ("relations", i), argmap, counts)
            for i, item in enumerate(reader.array(top.get("relations"), ("relations",)))
        )
        argmap = attrs.evolve(argmap, relations=tuple(dict.fromkeys(relations)))
        tags = top.get("tags")
        if isinstance(tags, dict):
            for tag in tags.values():
                if isinstance(tag, dict):
                    counts.colour(tag, "tags")
        return Imported(argmap, _notes(counts, top))


def _notes(counts: _Counts, top: Mapping[str, Any]) -> tuple[str, ...]:
    notes = []
    if counts.positions:
        notes.append(
            f"dropped the source positions of {plural(counts.positions, 'element')} (startLine, startColumn, ...): "
            f"they are lines of the Argdown file the JSON was made from, which it does not name"
        )
    if counts.coloured:
        what = ", ".join(plural(n, kind.rstrip("s"), kind) for kind, n in counts.coloured.items())
        notes.append(f"dropped the colours Argdown gave {what}: argmap's exporters colour a map themselves")
    view = top.get("map")
    if isinstance(view, dict):
        nodes, edges = view.get("nodes"), view.get("edges")
        sizes = [plural(len(v), w) for v, w in ((nodes, "node"), (edges, "edge")) if isinstance(v, list)]
        notes.append(
            f"dropped Argdown's map view{' (' + ', '.join(sizes) + ')' if sizes else ''}: argmap's exporters draw "
            f"the map from the statements, arguments and relations"
        )
    if counts.intermediate_undercuts:
        notes.append(
            f"{plural(counts.intermediate_undercuts, 'undercut')} aimed at an intermediate inference of an argument "
            f"now undercut its last inference: the model has one inference per argument to undercut"
        )
    return tuple(notes)


IMPORTER = ArgdownJsonImporter()
