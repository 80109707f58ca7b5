"""The ``aif`` importer: AIF JSON as AIFdb and OVA write it, dialogue and all.

What maps onto argmap's model is kept; everything else is counted in ``Imported.dropped``:

- every I-node is a statement, its text the node's text;
- an RA-node is an inference from the I-nodes with an edge into it (its premises) to the
  node it has an edge to (its conclusion). One that has a single premise, names no scheme
  (``Default Inference``) and is attacked or supported by no other node is a support
  relation ``[premise] +> [conclusion]``; any other is an argument whose premise-conclusion
  structure is its premises, numbered in edge order, then its conclusion, with the
  scheme's name as the inference rule. An RA-node pointing at an RA-node supports that
  argument;
- a CA-node is an attack from each I-node with an edge into it on the node it points at;
  pointing at an RA-node, it undercuts that argument's inference. Two CA-nodes between
  the same two I-nodes in opposite directions are one contradiction;
- locutions (L), illocutionary connections (YA), transitions (TA), rephrases (MA),
  preferences (PA), nodes of other types, the ``locutions`` and ``participants`` lists
  and edges to nodes that are not there are dropped, and said so.

AIF has no titles. A statement's title is its text, whitespace collapsed and cut at a
word before 60 characters (with "…"); a title met before gets the node's id
``(node 17)``, so a title depends only on its node, never on the order of the others.
An argument's title is ``For <conclusion's title>``, the same way made unique; the
title of an argument found in the statements' titles or the other way round is made
unique too, so ``[X]`` and ``<X>`` never name two things.

A file written by argmap's ``aif`` exporter carries argmap's notes under the key
``"argmap"`` (titles, tags, sections, structures, relation kinds); they are used where
they agree with the graph, so that export then import gives the map back (see
docs/formats.md for what AIF cannot carry even so). Notes that disagree with the graph
(the file was edited by another tool) are ignored, and said so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import attrs

from ..model import (
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
    Statement,
    Step,
    Text,
)
from . import Imported, decode_json, fail, json_position, plural

__all__ = ["IMPORTER", "AifImporter", "read_aif", "title_from_text"]

#: the longest title made from a text (before the "…")
TITLE_LENGTH = 60
_DEFAULT_SCHEMES = frozenset({"", "default inference", "ra"})
_DEFAULT_CONFLICTS = frozenset({"", "default conflict", "ca"})
_ARGUMENTATIVE = frozenset({"I", "RA", "CA"})
_WHITESPACE = re.compile(r"\s+")
_SNIFF_KEYS = re.compile(r'"nodeID"\s*:')
_SNIFF_OPEN = re.compile(r"\A\ufeff?\s*\{")
_KINDS = {kind.value: kind for kind in RelationKind}
_SUPPORTING = frozenset({RelationKind.SUPPORT, RelationKind.ENTAILMENT})
_ATTACKING = frozenset(RelationKind) - _SUPPORTING
_SYMMETRIC = frozenset({RelationKind.CONTRADICTION, RelationKind.CONTRARINESS})


def title_from_text(text: str) -> str:
    """The title a statement gets from its text: whitespace collapsed, cut at a word before 60 characters."""
    collapsed = _WHITESPACE.sub(" ", text).strip()
    if len(collapsed) <= TITLE_LENGTH:
        return collapsed
    cut = collapsed.rfind(" ", 0, TITLE_LENGTH + 1)
    head = collapsed[:cut] if cut > TITLE_LENGTH // 2 else collapsed[:TITLE_LENGTH]
    return head.rstrip(" ,;:.-") + "…"


@attrs.define
class _Node:
    index: int
    id: str
    type: str
    text: str
    notes: dict[str, Any]
    #: ids of the nodes with an edge into this one / that this one has an edge to, in edge order, each once
    into: list[str] = attrs.field(factory=list)
    out: list[str] = attrs.field(factory=list)


class _Reader:
    def __init__(self, text: str, source_name: str) -> None:
        self.text = text
        self.source_name = source_name
        self.root: tuple[str | int, ...] = ()
        self.nodes: dict[str, _Node] = {}
        self.dropped: list[str] = []
        #: element node of each I-node id (statement, or argument stand-in)
        self.element: dict[str, Node] = {}
        self.statements: dict[str, Statement] = {}
        #: arguments by the index of the node that makes them, for document order
        self.arguments: list[tuple[int, Argument]] = []
        self.argument_titles: set[str] = set()
        #: the argument whose (main) inference each RA-node is
        self.owner: dict[str, str] = {}
        #: relations by the index of their S-node, for document order
        self.relations: list[tuple[int, Relation]] = []
        self.sections: tuple[Section, ...] = ()
        self.section_ids: set[str] = set()
        self.ignored_relations = 0
        self.metadata: dict[str, Any] = {}
        #: the reconstructed arguments by title, for the relations argmap's notes say were written from one
        self.structures: dict[str, Argument] = {}

    # -- errors ------------------------------------------------------------------

    def fail(self, message: str, path: Iterable[str | int]) -> NoReturn:
        where = (*self.root, *path)
        line, column = json_position(self.text, where)
        fail(message, self.text, self.source_name, line, column, hint="AIF JSON as AIFdb writes it")

    @staticmethod
    def _name(path: Iterable[str | int]) -> str:
        name = ""
        for step in path:
            name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else step)
        return name

    def _id(self, value: Any, path: tuple[str | int, ...]) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.fail(f"{self._name(path)} must be a string or a number, not {_describe(value)}", path)

    # -- the document ------------------------------------------------------------

    def document(self, value: Any) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(f'an AIF document is a JSON object with "nodes" and "edges", not {_describe(value)}', ())
        if "nodes" not in value:
            for wrapper in ("AIF", "aif"):  # OVA 3 and xAIF put the AIF graph under a key
                inner = value.get(wrapper)
                if isinstance(inner, dict) and "nodes" in inner:
                    self.root = (wrapper,)
                    others = sorted(k for k in value if k != wrapper)
                    if others:
                        self.dropped.append(
                            f"dropped the keys {', '.join(repr(k) for k in others)} beside {wrapper!r}: "
                            "OVA's layout and the analysed text are not part of the model"
                        )
                    return self.graph(inner)
            self.fail('an AIF document needs "nodes" (and "edges")', ())
        return self.graph(value)

    def graph(self, value: dict[str, Any]) -> Mapping[str, Any]:
        for key in ("nodes", "edges"):
            if key not in value:
                self.fail(f'an AIF document needs "{key}"', ())
            if not isinstance(value[key], list):
                self.fail(f"{key} must be a list, not {_describe(value[key])}", (key,))
        for key in ("locutions", "participants"):
            found = value.get(key)
            if isinstance(found, list) and found:
                self.dropped.append(
                    f"dropped {plural(len(found), 'entry', 'entries')} of {key!r}: "
                    "speakers and times are not part of the model"
                )
        return value

    def read_nodes(self, nodes: list[Any]) -> None:
        for i, raw in enumerate(nodes):
            path: tuple[str | int, ...] = ("nodes", i)
            if not isinstance(raw, dict):
                self.fail(f"nodes[{i}] must be an object, not {_describe(raw)}", path)
            if "nodeID" not in raw:
                self.fail(f'nodes[{i}] has no "nodeID"', path)
            node_id = self._id(raw["nodeID"], (*path, "nodeID"))
            if node_id in self.nodes:
                self.fail(
                    f"nodes[{i}].nodeID {node_id!r} is the id of nodes[{self.nodes[node_id].index}] too",
                    (*path, "nodeID"),
                )
            kind = raw.get("type")
            if not isinstance(kind, str):
                self.fail(
                    f'nodes[{i}].type must be a string such as "I" or "RA", not {_describe(kind)}',
                    (*path, "type") if "type" in raw else path,
                )
            text = raw.get("text", "")
            if not isinstance(text, str):
                self.fail(f"nodes[{i}].text must be a string, not {_describe(text)}", (*path, "text"))
            notes = raw.get("argmap", {})
            if not isinstance(notes, dict):
                self.fail(f"nodes[{i}].argmap must be an object, not {_describe(notes)}", (*path, "argmap"))
            self.nodes[node_id] = _Node(i, node_id, kind.strip(), text, notes)

    def read_edges(self, edges: list[Any]) -> None:
        seen: set[tuple[str, str]] = set()
        missing = 0
        for i, raw in enumerate(edges):
            path: tuple[str | int, ...] = ("edges", i)
            if not isinstance(raw, dict):
                self.fail(f"edges[{i}] must be an object, not {_describe(raw)}", path)
            ends = []
            for key in ("fromID", "toID"):
                if key not in raw:
                    self.fail(f'edges[{i}] has no "{key}"', path)
                ends.append(self._id(raw[key], (*path, key)))
            source, target = ends
            if source not in self.nodes or target not in self.nodes:
                missing += 1
                continue
            if (source, target) in seen:
                continue
            seen.add((source, target))
            self.nodes[source].out.append(target)
            self.nodes[target].into.append(source)
        if missing:
            self.dropped.append(f"dropped {plural(missing, 'edge')} to or from a node the file does not have")

    # -- notes ------------------------------------------------------------------

    def note(self, node: _Node, key: str, kind: type) -> Any:
        """The note ``key`` of ``node``, checked to be of ``kind``; None when absent."""
        value = node.notes.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            expected = _TYPE_NAMES[kind.__name__]
            self.fail(
                f"nodes[{node.index}].argmap.{key} must be {expected}, not {_describe(value)}",
                ("nodes", node.index, "argmap", key),
            )
        return value

    def strings(self, node: _Node, key: str) -> tuple[str, ...]:
        values = self.note(node, key, list) or []
        for j, value in enumerate(values):
            if not isinstance(value, str):
                self.fail(
                    f"nodes[{node.index}].argmap.{key}[{j}] must be a string, not {_describe(value)}",
                    ("nodes", node.index, "argmap", key, j),
                )
        return tuple(values)

    def data(self, node: _Node, key: str) -> dict[str, Any]:
        found = self.note(node, key, dict)
        return found if found is not None else {}

    def texts(self, node: _Node, main: str) -> tuple[Text, ...]:
        """The texts argmap's notes list when their main one is ``main`` (the node's), else ``main`` alone."""
        noted = self.strings(node, "texts")
        if noted and next((t for t in reversed(noted) if t), "") == main:
            return tuple(Text(t) for t in noted)
        return (Text(main),) if main else ()

    def read_sections(self, document: Mapping[str, Any]) -> None:
        notes = document.get("argmap")
        if not isinstance(notes, dict):
            return
        if isinstance(notes.get("metadata"), dict):
            self.metadata = notes["metadata"]
        if not isinstance(notes.get("sections"), list):
            return
        sections = []
        for i, raw in enumerate(notes["sections"]):
            path = ("argmap", "sections", i)
            if not isinstance(raw, dict):
                self.fail(f"argmap.sections[{i}] must be an object, not {_describe(raw)}", path)
            sid, title, level, parent = raw.get("id"), raw.get("title"), raw.get("level"), raw.get("parent")
            tags = raw.get("tags", [])
            data = raw.get("data", {})
            if (
                not isinstance(sid, str)
                or not isinstance(title, str)
                or not isinstance(level, int)
                or isinstance(level, bool)
                or not (parent is None or isinstance(parent, str))
                or not isinstance(tags, list)
                or not all(isinstance(t, str) for t in tags)
                or not isinstance(data, dict)
            ):
                self.fail(
                    f"argmap.sections[{i}] must have a string id and title, a whole number level, "
                    "a parent id or null, a list of tags and an object of data",
                    path,
                )
            sections.append(Section(sid, title, level, parent, tuple(tags), data))
        if not _nested(sections):
            self.dropped.append(
                f"ignored argmap's notes on {plural(len(sections), 'section')}: their ids, levels and parents "
                "do not make headings, so no element is in a section"
            )
            return
        self.sections = tuple(sections)
        self.section_ids = {s.id for s in sections}

    def section(self, node: _Node) -> str | None:
        found = self.note(node, "section", str)
        return found if found in self.section_ids else None

    # -- titles -----------------------------------------------------------------

    def unique(self, title: str, node: _Node, taken: set[str], also: set[str] | None = None) -> str:
        """``title``, or with the node's id (and a number) if it is in ``taken`` or ``also``."""
        also = also if also is not None else set()
        if title and title not in taken and title not in also:
            return title
        base = f"{title} (node {node.id})" if title else f"node {node.id}"
        candidate, n = base, 1
        while candidate in taken or candidate in also:
            n += 1
            candidate = f"{base} {n}"
        return candidate

    # -- I-nodes ------------------------------------------------------------------

    def read_information(self) -> None:
        taken: set[str] = set()
        derived: list[_Node] = []
        stand_ins: list[_Node] = []
        # the titles argmap's notes give come first, so that a title made from a text never takes one of them
        for node in self.nodes.values():
            if node.type != "I":
                continue
            statement = self.note(node, "statement", str)
            argument = self.note(node, "argument", str)
            if statement is not None and statement not in taken:
                taken.add(statement)
                self.element[node.id] = Node(ElementKind.STATEMENT, statement)
            elif argument is not None and argument not in self.argument_titles:
                self.argument_titles.add(argument)
                self.element[node.id] = Node(ElementKind.ARGUMENT, argument)
                stand_ins.append(node)
            else:
                derived.append(node)
        for node in derived:
            title = self.unique(title_from_text(node.text), node, taken, self.argument_titles)
            taken.add(title)
            self.element[node.id] = Node(ElementKind.STATEMENT, title)
        for node in self.nodes.values():
            element = self.element.get(node.id)
            if element is None or self.note(node, "undefined", bool):
                continue
            has_text = self.note(node, "text", bool) is not False and bool(node.text)
            texts = self.texts(node, node.text if has_text else "")
            tags = self.strings(node, "tags")
            generated = bool(self.note(node, "generated_title", bool))
            section = self.section(node)
            data = self.data(node, "data")
            if element.kind is ElementKind.STATEMENT:
                self.statements[element.title] = Statement(
                    element.title, texts, tags, data, section=section, generated_title=generated
                )
            else:
                argument = Argument(element.title, texts, tags, data, section=section, generated_title=generated)
                self.arguments.append((node.index, argument))

    # -- RA-nodes ---------------------------------------------------------------

    def premises(self, node: _Node) -> list[str]:
        """The I-nodes with an edge into ``node``."""
        return [i for i in node.into if self.nodes[i].type == "I"]

    def conclusions(self, node: _Node) -> list[str]:
        """The nodes ``node`` has an edge to that a relation can end at (I-, RA- and CA-nodes)."""
        return [i for i in node.out if self.nodes[i].type in _ARGUMENTATIVE]

    def attacked_or_supported(self, node: _Node) -> bool:
        return any(self.nodes[i].type in ("RA", "CA") for i in node.into)

    def read_structures(self) -> set[str]:
        """The arguments argmap's notes describe, where they agree with the graph; the RA-nodes they use."""
        groups: dict[str, list[_Node]] = {}
        for node in self.nodes.values():
            if node.type == "RA" and self.note(node, "relation", str) is None:
                title = self.note(node, "argument", str)
                if title is not None:
                    groups.setdefault(title, []).append(node)
        used: set[str] = set()
        ignored = 0
        for title, inferences in groups.items():
            argument = None if title in self.argument_titles else self.structure(title, inferences)
            if argument is None:
                ignored += 1
                continue
            self.argument_titles.add(title)
            main = inferences[-1]
            self.arguments.append((main.index, argument))
            self.structures[title] = argument
            for inference in inferences:
                used.add(inference.id)
                self.owner[inference.id] = title
        if ignored:
            self.dropped.append(
                f"ignored argmap's notes on {plural(ignored, 'argument')}: they disagree with the graph "
                "(edited by another tool?), so its RA-nodes were read as plain AIF"
            )
        return used

    def structure(self, title: str, inferences: list[_Node]) -> Argument | None:
        """The argument ``title`` from its RA-nodes and the notes on the last (its main inference), if they agree."""
        inferences.sort(key=lambda n: self.note(n, "step", int) or 0)
        main = inferences[-1]
        raw_steps = self.note(main, "steps", list)
        if not raw_steps:
            return None
        steps: list[tuple[int, str]] = []
        for pair in raw_steps:
            if not (
                isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[0], int)
                and not isinstance(pair[0], bool)
                and isinstance(pair[1], str)
            ):
                return None
            steps.append((pair[0], pair[1]))
        numbers = [n for n, _ in steps]
        by_number = dict(steps)
        if len(set(numbers)) != len(numbers):
            return None
        by_step = {self.note(n, "step", int): n for n in inferences}
        if len(by_step) != len(inferences) or steps[-1][0] != self.note(main, "step", int):
            return None
        built: list[Step] = []
        unused: list[int] = []
        for number, step_title in steps:
            if step_title not in self.statements:
                return None
            inference_node = by_step.get(number)
            if inference_node is None:
                built.append(Premise(number, step_title))
                unused.append(number)
                continue
            uses = tuple(self.note(inference_node, "uses", list) or ())
            if not all(isinstance(u, int) and not isinstance(u, bool) for u in uses):
                return None
            chosen = uses or tuple(unused)
            expected = {Node(ElementKind.STATEMENT, by_number[u]) for u in chosen if u in by_number}
            premises = {self.element[i] for i in self.premises(inference_node)}
            conclusions = [self.element.get(i) for i in self.conclusions(inference_node)]
            if premises != expected or conclusions != [Node(ElementKind.STATEMENT, step_title)]:
                return None
            rules = self.strings(inference_node, "rules")
            data = self.data(inference_node, "inference_data")
            built.append(Conclusion(number, step_title, Inference(rules, uses, data)))
            unused = [n for n in unused if n not in chosen]
            unused.append(number)
        if set(by_step) - set(numbers):
            return None
        return Argument(
            title,
            tuple(Text(t) for t in self.strings(main, "texts")),
            self.strings(main, "tags"),
            self.data(main, "data"),
            steps=tuple(built),
            section=self.section(main),
            generated_title=bool(self.note(main, "generated_title", bool)),
        )

    def read_inferences(self, used: set[str]) -> None:
        """The RA-nodes argmap's notes did not explain: support relations or arguments."""
        taken = set(self.statements) | self.argument_titles
        counts = {"incomplete": 0, "linked": 0, "odd target": 0}
        pending: list[tuple[_Node, list[str], str]] = []
        for node in self.nodes.values():
            if node.type != "RA" or node.id in used or self.note(node, "relation", str) is not None:
                continue
            premises, conclusions = self.premises(node), self.conclusions(node)
            if not premises or len(conclusions) != 1:
                counts["incomplete"] += 1
                continue
            target = self.nodes[conclusions[0]]
            noted = self.note(node, "argument", str)  # argmap's notes say so, though they disagree with the graph
            if target.type == "I" and (
                len(premises) > 1
                or node.text.strip().lower() not in _DEFAULT_SCHEMES
                or self.attacked_or_supported(node)
                or noted is not None
            ):
                conclusion = self.element[target.id]
                if conclusion.kind is not ElementKind.STATEMENT:
                    pending.append((node, premises, target.id))  # concludes an argument: a support of it
                    continue
                scheme = node.text.strip()
                named = scheme.lower() not in _DEFAULT_SCHEMES
                made_up = _WHITESPACE.sub(" ", scheme) if named else f"Argument for {conclusion.title}"
                title = self.unique(noted or made_up, node, taken)
                taken.add(title)
                self.argument_titles.add(title)
                self.owner[node.id] = title
                steps: list[Step] = [Premise(n, self.element[p].title) for n, p in enumerate(premises, start=1)]
                rules = (scheme,) if named else ()
                steps.append(Conclusion(len(premises) + 1, conclusion.title, Inference(rules)))
                argument = Argument(title, steps=tuple(steps))
                self.arguments.append((node.index, argument))
                self.structures[title] = argument
                continue
            pending.append((node, premises, target.id))
        for node, premises, target_id in pending:
            supported = self.target(self.nodes[target_id], undercut=False)
            if supported is None:
                counts["odd target"] += 1
                continue
            if len(premises) > 1:
                counts["linked"] += 1
            for premise in premises:
                self.relations.append((node.index, Relation(self.element[premise], supported, RelationKind.SUPPORT)))
        self._count_odd("RA", counts)

    def _count_odd(self, kind: str, counts: Mapping[str, int]) -> None:
        what = "premise" if kind == "RA" else "conflicting node"
        if counts["incomplete"]:
            self.dropped.append(
                f"dropped {plural(counts['incomplete'], f'{kind}-node')} without a {what} "
                "or without exactly one node it points at"
            )
        if counts["odd target"]:
            self.dropped.append(
                f"dropped {plural(counts['odd target'], f'{kind}-node')} pointing at a node "
                "no relation of the model can end at"
            )
        if counts["linked"]:
            acts = "supports an inference" if kind == "RA" else "attacks"
            self.dropped.append(
                f"read {plural(counts['linked'], f'{kind}-node')} with several {what}s that {acts} "
                "as one relation from each: the model has no linked relation"
            )

    def target(self, node: _Node, *, undercut: bool) -> Node | None:
        """What a relation pointing at ``node`` acts on; None for a node no relation can end at."""
        if node.type == "I":
            element = self.element[node.id]
            if undercut and element.kind is ElementKind.ARGUMENT:
                return Node(ElementKind.INFERENCE, element.title)
            return element
        owner = self.owner.get(node.id)
        if node.type == "RA" and owner is not None:
            return Node(ElementKind.INFERENCE if undercut else ElementKind.ARGUMENT, owner)
        return None

    def source(self, node: _Node, premise: str) -> Node:
        """The relation's source: the premise's element, or the argument argmap's notes say it was written from."""
        element = self.element[premise]
        written = self.note(node, "from_argument", str)
        if written is not None and element.kind is ElementKind.STATEMENT:
            argument = self.structures.get(written)
            if argument is not None and argument.conclusion == element.title:
                return Node(ElementKind.ARGUMENT, written)
        return element

    # -- relations argmap's notes describe ------------------------------------------

    def check_noted_relations(self) -> None:
        """Forget the relation notes of S-nodes whose shape they do not fit: those are read as plain AIF."""
        for node in self.nodes.values():
            if node.type not in ("RA", "CA"):
                continue
            kind_name = self.note(node, "relation", str)
            if kind_name is None:
                continue
            kind = _KINDS.get(kind_name)
            allowed = _SUPPORTING if node.type == "RA" else _ATTACKING
            if kind not in allowed or len(self.premises(node)) != 1 or len(self.conclusions(node)) != 1:
                self.ignore_notes(node)

    def ignore_notes(self, node: _Node) -> None:
        node.notes = {}
        self.ignored_relations += 1

    def read_noted_relations(self) -> None:
        odd = 0
        for node in self.nodes.values():
            kind_name = self.note(node, "relation", str) if node.type in ("RA", "CA") else None
            if kind_name is None or self.note(node, "mirror", bool):
                continue  # a mirror is the other direction of a contradiction or contrariness: read once
            kind = _KINDS[kind_name]
            pointed = self.nodes[self.conclusions(node)[0]]
            target = self.target(pointed, undercut=kind is RelationKind.UNDERCUT)
            if target is None or (kind is not RelationKind.UNDERCUT and target.kind is ElementKind.INFERENCE):
                if node.type == "CA":
                    self.ignore_notes(node)  # read_conflicts reads it as plain AIF
                else:
                    odd += 1
                continue
            self.relations.append((node.index, Relation(self.source(node, self.premises(node)[0]), target, kind)))
        if odd:
            self.dropped.append(
                f"dropped {plural(odd, 'RA-node')} pointing at a node no relation of the model can end at"
            )

    # -- CA-nodes ---------------------------------------------------------------

    def read_conflicts(self) -> None:
        counts = {"incomplete": 0, "linked": 0, "odd target": 0}
        plain: list[tuple[_Node, list[str], _Node]] = []
        for node in self.nodes.values():
            if node.type != "CA" or self.note(node, "relation", str) is not None:
                continue
            premises, conclusions = self.premises(node), self.conclusions(node)
            if not premises or len(conclusions) != 1:
                counts["incomplete"] += 1
                continue
            plain.append((node, premises, self.nodes[conclusions[0]]))
        # two CA-nodes between the same two I-nodes in opposite directions: one contradiction
        simple: dict[tuple[str, str], list[_Node]] = {}
        for node, premises, pointed in plain:
            if len(premises) == 1 and pointed.type == "I":
                simple.setdefault((premises[0], pointed.id), []).append(node)
        paired: set[str] = set()
        contradictions: set[str] = set()
        for node, premises, pointed in plain:
            if node.id in paired or len(premises) != 1 or pointed.type != "I":
                continue
            back = [n for n in simple.get((pointed.id, premises[0]), []) if n.id not in paired and n is not node]
            if back and premises[0] != pointed.id:
                paired.update((node.id, back[0].id))
                contradictions.add(node.id)
        conflicted = False
        for node, premises, pointed in plain:
            if node.id in paired and node.id not in contradictions:
                continue
            kind = RelationKind.CONTRADICTION if node.id in contradictions else RelationKind.ATTACK
            target = self.target(pointed, undercut=True)
            if target is None:
                counts["odd target"] += 1
                continue
            if target.kind is ElementKind.INFERENCE and pointed.type == "I":
                target = Node(ElementKind.ARGUMENT, target.title)  # an attack on an argument's stand-in
            elif target.kind is ElementKind.INFERENCE:
                kind = RelationKind.UNDERCUT
            if len(premises) > 1:
                counts["linked"] += 1
            conflicted = conflicted or node.text.strip().lower() not in _DEFAULT_CONFLICTS
            for premise in premises:
                self.relations.append((node.index, Relation(self.element[premise], target, kind)))
        if conflicted:
            self.dropped.append("dropped the scheme names of CA-nodes: a relation has no scheme in argmap's model")
        self._count_odd("CA", counts)

    # -- what is left -------------------------------------------------------------

    def count_dropped(self) -> None:
        counts: dict[str, int] = {}
        for node in self.nodes.values():
            if node.type not in ("I", "RA", "CA"):
                counts[node.type] = counts.get(node.type, 0) + 1
        dialogue = [
            plural(counts.pop(kind), name, names)
            for kind, name, names in (
                ("L", "locution node (L)", "locution nodes (L)"),
                ("YA", "illocutionary node (YA)", "illocutionary nodes (YA)"),
                ("TA", "transition node (TA)", "transition nodes (TA)"),
            )
            if kind in counts
        ]
        if dialogue:
            self.dropped.append(f"dropped {_and(dialogue)}: the dialogue is not part of the model")
        if "MA" in counts:
            self.dropped.append(
                f"dropped {plural(counts.pop('MA'), 'rephrase node (MA)', 'rephrase nodes (MA)')}: "
                "the model has no relation for saying a claim again in other words"
            )
        if "PA" in counts:
            self.dropped.append(
                f"dropped {plural(counts.pop('PA'), 'preference node (PA)', 'preference nodes (PA)')}: "
                "the model has no preferences"
            )
        for kind, count in sorted(counts.items()):
            self.dropped.append(f"dropped {plural(count, f'node of type {kind!r}', f'nodes of type {kind!r}')}")

    def read(self) -> Imported:
        document = self.document(decode_json(self.text, self.source_name, "an AIF document"))
        self.read_nodes(document["nodes"])
        self.read_edges(document["edges"])
        self.read_sections(document)
        self.read_information()
        self.check_noted_relations()
        used = self.read_structures()
        self.read_inferences(used)
        self.read_noted_relations()
        self.read_conflicts()
        if self.ignored_relations:
            self.dropped.append(
                f"ignored argmap's notes on {plural(self.ignored_relations, 'relation')}: they disagree with the "
                "graph (edited by another tool?), so those S-nodes were read as plain AIF"
            )
        self.count_dropped()
        arguments = sorted(self.arguments, key=lambda pair: pair[0])
        relations = sorted(self.relations, key=lambda pair: pair[0])  # stable: a linked node's in edge order
        argmap = ArgumentMap(
            statements=self.statements,
            arguments={a.title: a for _, a in arguments},
            relations=tuple(r for _, r in relations),
            sections=self.sections,
            metadata=self.metadata,
            source_name=self.source_name,
        )
        return Imported(argmap, tuple(self.dropped))


_TYPE_NAMES = {
    "str": "a string",
    "int": "a whole number",
    "bool": "true or false",
    "list": "a list",
    "dict": "an object",
}


def _nested(sections: list[Section]) -> bool:
    """True when ``sections`` are headings as written: unique ids, levels of 1 or more, each one's parent the
    nearest heading above it of a lower level."""
    seen: set[str] = set()
    open_: list[Section] = []
    for section in sections:
        if section.id in seen or section.level < 1:
            return False
        seen.add(section.id)
        while open_ and open_[-1].level >= section.level:
            open_.pop()
        if section.parent != (open_[-1].id if open_ else None):
            return False
        open_.append(section)
    return True


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def read_aif(text: str, *, source_name: str = "<input>") -> Imported:
    """Read an AIF JSON document (AIFdb's, OVA's, or argmap's ``aif`` export)."""
    return _Reader(text, source_name).read()


class AifImporter:
    """The ``aif`` importer: :func:`read_aif` behind the Importer protocol."""

    name = "aif"
    description = "AIF JSON as AIFdb and OVA write it (I-, RA- and CA-nodes; dialogue nodes are dropped)"
    suffixes = (".json", ".aif")

    def sniff(self, head: str) -> bool:
        """A JSON object whose nodes have a ``"nodeID"``: AIFdb's, OVA's and xAIF's key, no other format's."""
        return bool(_SNIFF_OPEN.match(head)) and '"nodes"' in head and _SNIFF_KEYS.search(head) is not None

    def read(self, text: str, *, source_name: str = "<input>") -> Imported:
        return read_aif(text, source_name=source_name)


IMPORTER = AifImporter()
