"""The ``aif`` exporter: the map as AIF JSON, as AIFdb and OVA write it.

The Argument Interchange Format has information nodes (I-nodes: claims) and scheme
nodes (S-nodes: an RA-node applies an inference, a CA-node a conflict) joined by
edges. argmap writes:

- every statement as an I-node (its text: the statement's main text, else its title);
- every inference of a premise-conclusion structure as an RA-node, with an edge from
  each step it uses (the steps its inference line names with ``uses``, else the steps
  above it that no earlier inference used) and an edge to its conclusion;
- an argument without a structure as an I-node that stands for it (its text: the
  argument's description, else its title): AIF has no other node for an argument;
- every relation as an S-node of its own: support and entailment as an RA-node, attack,
  undercut, contradiction and contrariness as a CA-node. A relation leaves from its
  source's I-node (a reconstructed argument's: its main conclusion, as in Argdown's
  model) and points at its target's I-node, or, for a reconstructed argument, at the
  RA-node of its main inference (an undercut attacks the inference, which is what a
  CA-node pointing at an RA-node means in AIF). A contradiction (and a contrariness)
  holds both ways, so it is two CA-nodes, one each way.

Node and edge ids are numbers counted from 1 in that order (as strings, as AIFdb
writes them), so the same map always gives the same bytes. Each node has the
``timestamp`` AIFdb gives it: the option ``timestamp`` (``"YYYY-MM-DD HH:MM:SS"``),
else the front matter's ``date`` at midnight, else ``""`` (what arguebuf writes when
it knows no time). ``"locutions": []`` is always there: argmap writes no dialogue.

AIF has no titles, tags, sections or argument descriptions. With the option
``extensions`` (true by default) argmap keeps them in an extra key ``"argmap"`` on the
nodes that need it and at the top level; readers that take AIF nodes by their keys
(AIFdb's, arguebuf) skip it, and ``argmap``'s AIF importer reads it back, so that
export then import gives the same map but for what docs/formats.md lists. With
``extensions=false`` the output has AIFdb's keys only.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from ..errors import ExporterError
from ..model import Argument, ArgumentMap, Conclusion, ElementKind, Node, RelationKind, Statement
from .json import _value as json_value
from .mapgraph import SYMMETRIC

__all__ = ["DEFAULT_CONFLICT", "DEFAULT_INFERENCE", "EXPORTER", "AifExporter", "inference_uses", "to_aif"]

#: the scheme text AIFdb gives an RA-node / a CA-node that names no particular scheme
DEFAULT_INFERENCE = "Default Inference"
DEFAULT_CONFLICT = "Default Conflict"
#: the key of argmap's own notes on a node and at the top level
EXTENSION = "argmap"
#: the version of what is under that key
EXTENSION_VERSION = 1

_SUPPORTING = frozenset({RelationKind.SUPPORT, RelationKind.ENTAILMENT})
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def inference_uses(argument: Argument) -> dict[int, tuple[int, ...]]:
    """The step numbers each conclusion of ``argument`` is drawn from, by the conclusion's number.

    The numbers its inference line names (``uses``) when it names any; otherwise every step
    written above it that no earlier inference of the structure used: ``(1) (2) -- (3) (4) -- (5)``
    draws (3) from (1) and (2), and (5) from (3) and (4).
    """
    found: dict[int, tuple[int, ...]] = {}
    unused: list[int] = []
    for step in argument.steps:
        if isinstance(step, Conclusion):
            uses = step.inference.uses
            chosen = tuple(uses) if uses else tuple(unused)
            found[step.number] = chosen
            unused = [n for n in unused if n not in chosen]
        unused.append(step.number)
    return found


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ExporterError(f"the aif exporter's option {name!r} must be true or false, not {value!r}")


def _timestamp(argmap: ArgumentMap, given: Any) -> str:
    if given is not None:
        if not isinstance(given, str) or not (given == "" or _TIMESTAMP.fullmatch(given)):
            raise ExporterError(
                f"the aif exporter's option 'timestamp' must be 'YYYY-MM-DD HH:MM:SS' or '', not {given!r}"
            )
        return given
    date = argmap.metadata.get("date")
    if isinstance(date, datetime.datetime):
        return date.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(date, datetime.date):
        return date.strftime("%Y-%m-%d 00:00:00")
    if isinstance(date, str):
        try:
            parsed = datetime.date.fromisoformat(date.strip())
        except ValueError:
            return ""
        return parsed.strftime("%Y-%m-%d 00:00:00")
    return ""


class _Writer:
    """Builds the node and edge lists of one export."""

    def __init__(self, argmap: ArgumentMap, extensions: bool, timestamp: str) -> None:
        self.map = argmap
        self.extensions = extensions
        self.timestamp = timestamp
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.edge_keys: set[tuple[str, str]] = set()
        #: I-node ids of statements, and of argument stand-ins (arguments without a structure), by title
        self.statement_ids: dict[str, str] = {}
        self.argument_ids: dict[str, str] = {}
        #: the RA-node of each reconstructed argument's main inference
        self.main_inference: dict[str, str] = {}

    # -- nodes and edges ----------------------------------------------------

    def node(self, kind: str, text: str, notes: dict[str, Any] | None) -> str:
        node_id = str(len(self.nodes) + 1)
        node: dict[str, Any] = {"nodeID": node_id, "text": text, "type": kind, "timestamp": self.timestamp}
        if self.extensions and notes:
            node[EXTENSION] = notes
        self.nodes.append(node)
        return node_id

    def edge(self, source: str, target: str) -> None:
        if (source, target) in self.edge_keys:
            return  # a step used twice by one inference: AIF has one edge
        self.edge_keys.add((source, target))
        self.edges.append({"edgeID": str(len(self.edges) + 1), "fromID": source, "toID": target, "formEdgeID": None})

    @staticmethod
    def _element_notes(element: Statement | Argument, kind: str) -> dict[str, Any]:
        notes: dict[str, Any] = {kind: element.title}
        if element.generated_title:
            notes["generated_title"] = True
        texts = [t.text for t in (element.texts if isinstance(element, Statement) else element.descriptions)]
        main = element.text if isinstance(element, Statement) else element.description
        if texts != ([main] if main else []):
            notes["texts"] = texts  # several texts (or empty ones): the node's text is the main one
        if element.tags:
            notes["tags"] = list(element.tags)
        if element.section is not None:
            notes["section"] = element.section
        if element.data:
            notes["data"] = json_value(element.data, f"{kind} {element.title!r}")
        return notes

    def statement(self, title: str) -> str:
        """The I-node of statement ``title`` (one is made for a title the map does not define)."""
        found = self.statement_ids.get(title)
        if found is None:
            statement = self.map.statements.get(title)
            text = statement.text if statement is not None else ""
            found = self.statement_ids[title] = self._i_node("statement", title, statement, text)
        return found

    def stand_in(self, title: str) -> str:
        """The I-node standing for argument ``title``, which has no premise-conclusion structure."""
        found = self.argument_ids.get(title)
        if found is None:
            argument = self.map.arguments.get(title)
            text = argument.description if argument is not None else ""
            found = self.argument_ids[title] = self._i_node("argument", title, argument, text)
        return found

    def _i_node(self, kind: str, title: str, element: Statement | Argument | None, text: str) -> str:
        """An I-node for ``element`` with its main ``text`` (its title when it has none, noted so)."""
        if element is None:
            return self.node("I", title, {kind: title, "undefined": True})
        notes = self._element_notes(element, kind)
        if not text:
            notes["text"] = False
        return self.node("I", text or title, notes)

    def structure(self, argument: Argument) -> None:
        """An RA-node per inference of a reconstructed argument, with its edges."""
        uses = inference_uses(argument)
        titles = {step.number: step.title for step in argument.steps}
        conclusions = argument.conclusions
        for conclusion in conclusions:
            inference = conclusion.inference
            notes: dict[str, Any] = {"argument": argument.title, "step": conclusion.number}
            if inference.uses:
                notes["uses"] = list(inference.uses)
            if inference.rules:
                notes["rules"] = list(inference.rules)
            if inference.data:
                notes["inference_data"] = json_value(inference.data, f"the inference to ({conclusion.number})")
            main = conclusion is conclusions[-1]
            if main:
                notes.update(self._element_notes(argument, "argument"))
                notes["steps"] = [[step.number, step.title] for step in argument.steps]
                # an RA-node's text is its scheme: the descriptions are only in the notes
                notes.pop("texts", None)
                if argument.descriptions:
                    notes["texts"] = [d.text for d in argument.descriptions]
            scheme = ", ".join(inference.rules) or DEFAULT_INFERENCE
            # the step's I-nodes first, so a statement's node comes before the inferences that use it
            premises = [self.statement(titles[n]) for n in uses[conclusion.number] if n in titles]
            target = self.statement(conclusion.title)
            ra = self.node("RA", scheme, notes)
            for premise in premises:
                self.edge(premise, ra)
            self.edge(ra, target)
            if main:
                self.main_inference[argument.title] = ra

    # -- relation ends ---------------------------------------------------------

    def _reconstructed(self, title: str) -> Argument | None:
        argument = self.map.arguments.get(title)
        return argument if argument is not None and argument.is_reconstructed else None

    def source(self, end: Node) -> tuple[str, str | None]:
        """The node a relation leaves from, and the argument it was written from when that is not the node."""
        if end.kind is ElementKind.STATEMENT:
            return self.statement(end.title), None
        argument = self._reconstructed(end.title)
        if argument is not None and argument.conclusion is not None:
            return self.statement(argument.conclusion), end.title
        return self.stand_in(end.title), None

    def target(self, end: Node) -> str:
        if end.kind is ElementKind.STATEMENT:
            return self.statement(end.title)
        if end.title in self.main_inference:
            return self.main_inference[end.title]
        return self.stand_in(end.title)

    def relation(self, source: Node, target: Node, kind: RelationKind, mirror: bool) -> None:
        supporting = kind in _SUPPORTING
        notes: dict[str, Any] = {"relation": kind.value}
        if mirror:
            notes["mirror"] = True
        from_node, written_from = self.source(source)
        if written_from is not None:
            notes["from_argument"] = written_from
        to_node = self.target(target)
        s_node = self.node("RA" if supporting else "CA", DEFAULT_INFERENCE if supporting else DEFAULT_CONFLICT, notes)
        self.edge(from_node, s_node)
        self.edge(s_node, to_node)

    # -- the whole map -------------------------------------------------------

    def write(self) -> dict[str, Any]:
        argmap = self.map
        for title in argmap.statements:
            self.statement(title)
        for argument in argmap.arguments.values():
            if argument.is_reconstructed:
                self.structure(argument)
            else:
                self.stand_in(argument.title)
        for r in argmap.relations:
            self.relation(r.source, r.target, r.kind, mirror=False)
            if r.kind in SYMMETRIC:
                self.relation(r.target, r.source, r.kind, mirror=True)
        document: dict[str, Any] = {"nodes": self.nodes, "edges": self.edges, "locutions": []}
        if self.extensions:
            document[EXTENSION] = {
                "version": EXTENSION_VERSION,
                "sections": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "level": s.level,
                        "parent": s.parent,
                        **({"tags": list(s.tags)} if s.tags else {}),
                        **({"data": json_value(s.data, f"section {s.id}")} if s.data else {}),
                    }
                    for s in argmap.sections
                ],
            }
            if argmap.metadata:
                document[EXTENSION]["metadata"] = json_value(argmap.metadata, "the front matter")
        return document


def to_aif(argmap: ArgumentMap, *, extensions: bool = True, timestamp: str | None = None) -> dict[str, Any]:
    """The AIF document of ``argmap`` as a JSON-ready dict; see the module docstring."""
    return _Writer(argmap, extensions, _timestamp(argmap, timestamp)).write()


class AifExporter:
    """The ``aif`` exporter: :func:`to_aif` written as JSON (two-space indents, UTF-8 text kept)."""

    name = "aif"
    description = "AIF JSON as AIFdb and OVA read it (I-, RA- and CA-nodes; titles kept in an extra key)"
    suffix = ".json"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        unknown = sorted(set(options) - {"extensions", "timestamp"})
        if unknown:
            raise ExporterError(f"the aif exporter takes only 'extensions' and 'timestamp' (got {', '.join(unknown)})")
        extensions = _as_bool("extensions", options.get("extensions", True))
        document = to_aif(argmap, extensions=extensions, timestamp=options.get("timestamp"))
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


EXPORTER = AifExporter()
