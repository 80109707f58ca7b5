"""Which claims and arguments of a map stand: the map as an argumentation framework, labelled.

The rules are in docs/evaluation.md; in short, :func:`framework` turns the map into
an abstract argumentation framework (Dung's: nodes and who attacks whom) whose nodes
are the map's statements, arguments and undercut inferences plus a few helper nodes
that say "an argument stands only when its premises stand" and "a conclusion stands
only when an argument for it stands" in the language of attacks:

* a statement, an argument or an undercut inference is a node; an attack, a
  contradiction or contrariness (both ways) and an undercut are attacks (from
  :meth:`ArgumentMap.derived_relations`, Argdown's view of the relations); supports
  and entailments attack nothing;
* *fails Y* is attacked by Y and attacks what needs Y: an argument needs its
  premises, its intermediate conclusions and, when something undercuts it, its
  inference;
* *no argument for S* is attacked by every argument whose main conclusion is S (and
  by every intermediate inference in which S is concluded) and attacks S;
* the author's data ``status: rejected`` is an unattacked attacker of the
  statement; ``status: questioned`` an attacker that the statement attacks back (so
  grounded semantics leaves it undecided, and preferred and stable semantics try it
  both ways); ``status: accepted`` lets a conclusion stand without an argument.

The grounded labelling (:func:`grounded`) is computed by a worklist in time linear
in the size of the framework. Preferred and stable labellings come from the
``python-argumentation`` package (``pip install 'argmap[semantics]'``), run on what
the grounded labelling leaves undecided. Every label gets its reason in words,
naming elements as Argdown writes them: ``out: attacked by [Six-party talks], which
is in``.

Nothing here is imported by ``import argmap``; :meth:`ArgumentMap.evaluate` loads it
on first use.
"""

from __future__ import annotations

import enum
import sys
import warnings
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from .collector import collector_paused
from .errors import ArgmapError
from .model import Argument, ArgumentMap, Conclusion, ElementKind, Node, RelationKind, Statement, node_named

__all__ = [
    "SEMANTICS",
    "Evaluation",
    "Framework",
    "Label",
    "Labelling",
    "SemanticsUnavailableError",
    "Verdict",
    "evaluate",
    "evaluation_for_export",
    "framework",
    "grounded",
    "render_text",
    "to_data",
]

#: the semantics :func:`evaluate` knows, the default first
SEMANTICS = ("grounded", "preferred", "stable")
#: the values of the data key ``status`` on a statement
STATUSES = ("accepted", "questioned", "rejected")
#: how many elements a reason names before it says "and N more"
NAMED = 5


class Label(enum.Enum):
    """What a labelling says of a node: it stands (``in``), falls (``out``), or neither is settled."""

    IN = "in"
    OUT = "out"
    UNDECIDED = "undecided"

    @property
    def glyph(self) -> str:
        """A one-character mark that reads without colour: ✓ in, ✗ out, ? undecided."""
        return _GLYPHS[self]


_GLYPHS = {Label.IN: "✓", Label.OUT: "✗", Label.UNDECIDED: "?"}


class SemanticsUnavailableError(ArgmapError):
    """Preferred and stable semantics need the optional ``python-argumentation`` package."""


@attrs.frozen
class Verdict:
    """A node's label and why, in words (``"out: attacked by [X], which is in"``)."""

    label: Label
    reason: str


def _node_of(element: Node | Statement | Argument | str, verdicts: Mapping[Node, Verdict]) -> Node:
    if isinstance(element, str) and element.startswith("<") and element.endswith("> (inference)"):
        return Node(ElementKind.INFERENCE, element[1 : -len("> (inference)")])
    node = node_named(element, verdicts.__contains__)
    if node is None:
        raise KeyError(f"no statement or argument titled {element!r} was evaluated")
    return node


def _frozen(verdicts: Mapping[Node, Verdict]) -> Mapping[Node, Verdict]:
    return MappingProxyType(dict(verdicts))


@attrs.frozen
class Labelling:
    """One labelling of a map: a :class:`Verdict` for every statement, argument and undercut inference.

    ``verdicts`` is in map order: statements, then arguments, then the inferences that are
    undercut. Elements are looked up by :class:`~argmap.model.Node`, by the statement or
    argument itself, or by title: ``"[T]"``, ``"<T>"``, ``"<T> (inference)"`` or a bare title
    (a statement first, as :meth:`ArgumentMap.node` does).
    """

    semantics: str
    verdicts: Mapping[Node, Verdict] = attrs.field(converter=_frozen, hash=False)

    def __getitem__(self, element: Node | Statement | Argument | str) -> Verdict:
        node = _node_of(element, self.verdicts)
        try:
            return self.verdicts[node]
        except KeyError:
            raise KeyError(f"{node} was not evaluated (it is not in the map)") from None

    def __contains__(self, element: object) -> bool:
        if not isinstance(element, (Node, Statement, Argument, str)):
            return False
        try:
            return _node_of(element, self.verdicts) in self.verdicts
        except KeyError:
            return False

    def __iter__(self) -> Iterator[Node]:
        return iter(self.verdicts)

    def __len__(self) -> int:
        return len(self.verdicts)

    def label(self, element: Node | Statement | Argument | str) -> Label:
        return self[element].label

    def reason(self, element: Node | Statement | Argument | str) -> str:
        return self[element].reason

    def nodes(self, label: Label) -> tuple[Node, ...]:
        """The nodes with ``label``, in map order."""
        return tuple(node for node, verdict in self.verdicts.items() if verdict.label is label)

    def counts(self) -> dict[Label, int]:
        """How many nodes have each label (every label is a key)."""
        counts = dict.fromkeys(Label, 0)
        for verdict in self.verdicts.values():
            counts[verdict.label] += 1
        return counts

    def summary(self) -> str:
        """``"31 in, 14 out, 0 undecided"``."""
        counts = self.counts()
        return ", ".join(f"{counts[label]} {label.value}" for label in Label)


@attrs.frozen
class Evaluation:
    """The result of evaluating a map under one semantics: its labellings.

    Grounded semantics gives exactly one labelling; preferred gives one or more; stable gives
    any number, none included. :attr:`labelling` and the shortcuts ``label``, ``reason`` and
    ``[element]`` read the only labelling and raise :class:`ValueError` when there is not
    exactly one.
    """

    semantics: str
    labellings: tuple[Labelling, ...]

    @property
    def labelling(self) -> Labelling:
        """The only labelling; :class:`ValueError` when the semantics gave none or several."""
        if len(self.labellings) != 1:
            found = len(self.labellings)
            raise ValueError(
                f"{self.semantics} semantics gave {found} labelling{'' if found == 1 else 's'} of this map, "
                "not one; read them from .labellings"
            )
        return self.labellings[0]

    def __getitem__(self, element: Node | Statement | Argument | str) -> Verdict:
        return self.labelling[element]

    def label(self, element: Node | Statement | Argument | str) -> Label:
        return self.labelling.label(element)

    def reason(self, element: Node | Statement | Argument | str) -> str:
        return self.labelling.reason(element)


# -- the framework ---------------------------------------------------------------


# What a framework node stands for. Plain ints, not an enum: they are dictionary keys in loops over
# every node, and an enum member hashes in Python.
_ELEMENT = 0  # a statement, an argument or an undercut inference of the map
_FAILS = 1  # attacked by its subject; attacks what needs the subject
_UNARGUED = 2  # attacked by the derivations of its subject statement; attacks it
_STEP = 3  # an intermediate inference: attacked by "fails" of the steps it uses
_REJECTED = 4  # the author's status: attacks its subject, nothing attacks it
_QUESTIONED = 5  # the author's status: attacks its subject, which attacks it back

#: what an attack on an element is, when it comes from a relation (None: through a helper node)
_Cause = RelationKind | None


@attrs.frozen
class Framework:
    """The abstract argumentation framework of a map (see the module docstring and docs/evaluation.md).

    ``names`` describes each node (``"[S]"``, ``"<A>"``, ``"<A> (inference)"`` for the map's
    elements, which come first, in map order; ``"fails: [S]"``, ``"no argument for: [S]"``,
    ``"step (3) of <A>"``, ``"rejected: [S]"``, ``"questioned: [S]"`` for the helper nodes);
    ``attacks`` holds ``(attacker, attacked)`` index pairs, each once; ``index`` gives the
    index of each element of the map.
    """

    names: tuple[str, ...]
    attacks: tuple[tuple[int, int], ...]
    index: Mapping[Node, int] = attrs.field(hash=False)
    #: per node: what it stands for, and its subject (an element's index; -1 for an element itself)
    _kinds: tuple[int, ...] = attrs.field(repr=False, eq=False)
    _subjects: tuple[int, ...] = attrs.field(repr=False, eq=False)
    #: per node: its attackers, each with the relation kinds of its attacks (None: not through a relation)
    _incoming: tuple[Mapping[int, Sequence[_Cause]], ...] = attrs.field(repr=False, eq=False)
    #: per STEP node: (argument title, step number)
    _steps: Mapping[int, tuple[str, int]] = attrs.field(repr=False, eq=False)
    #: the undercut inferences' indexes
    _inferences: frozenset[int] = attrs.field(repr=False, eq=False)
    #: per argument's index: the indexes of its intermediate conclusions (for the words of a reason)
    _intermediate: Mapping[int, frozenset[int]] = attrs.field(repr=False, eq=False)
    #: statements the author marked ``status: accepted``
    _accepted: frozenset[int] = attrs.field(repr=False, eq=False)


class _Builder:
    """The framework being built. Elements are indexed by title, one dictionary per kind: cheaper than nodes."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.kinds: list[int] = []
        self.subjects: list[int] = []
        self.incoming: list[dict[int, list[_Cause]]] = []
        self.ids: dict[ElementKind, dict[str, int]] = {kind: {} for kind in ElementKind}
        self.fails: dict[int, int] = {}
        self.steps: dict[int, tuple[str, int]] = {}

    def add(self, name: str, kind: int, subject: int) -> int:
        self.names.append(name)
        self.kinds.append(kind)
        self.subjects.append(subject)
        self.incoming.append({})
        return len(self.names) - 1

    def element(self, ids: dict[str, int], name: str, title: str) -> int:
        """The index of the element ``title`` in ``ids`` (one of :attr:`ids`), added as ``name`` if new."""
        found = ids.get(title)
        if found is None:
            found = ids[title] = self.add(name, _ELEMENT, -1)
        return found

    def attack(self, source: int, target: int, cause: _Cause = None) -> None:
        causes = self.incoming[target].setdefault(source, [])
        if cause not in causes:
            causes.append(cause)

    def failing(self, subject: int) -> int:
        """The node "fails: subject" (one per subject)."""
        found = self.fails.get(subject)
        if found is None:
            found = self.fails[subject] = self.add(f"fails: {self.names[subject]}", _FAILS, subject)
            self.attack(subject, found)
        return found

    def need(self, dependant: int, needed: int) -> None:
        """``dependant`` stands only when ``needed`` stands."""
        self.attack(self.failing(needed), dependant)


def _status(statement: Statement) -> str | None:
    """The statement's checked ``status`` data, or None; another value warns and is ignored."""
    value = statement.data.get("status")
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in STATUSES:
        return value.strip().lower()
    where = f" (line {statement.span.line})" if statement.span.line else ""
    warnings.warn(
        f"statement [{statement.title}]{where}: data 'status' must be accepted, questioned or rejected, "
        f"not {value!r}; ignored",
        stacklevel=4,
    )
    return None


def _argument_status_warning(argument: Argument) -> None:
    if argument.data.get("status") is not None:
        where = f" (line {argument.span.line})" if argument.span.line else ""
        warnings.warn(
            f"argument <{argument.title}>{where}: data 'status' is read on statements only; ignored "
            "(give the status to a premise, or undercut the argument)",
            stacklevel=4,
        )


def framework(argmap: ArgumentMap) -> Framework:
    """The argumentation framework of ``argmap`` (docs/evaluation.md has the rules)."""
    build = _Builder()
    statement, argument, inference = ElementKind.STATEMENT, ElementKind.ARGUMENT, ElementKind.INFERENCE
    statements, arguments, inferences = build.ids[statement], build.ids[argument], build.ids[inference]
    relations = argmap.derived_relations()
    undercut, symmetric = RelationKind.UNDERCUT, (RelationKind.CONTRADICTION, RelationKind.CONTRARINESS)

    # the elements, in map order: statements, arguments, then undercut inferences
    element = build.element
    for title in argmap.statements:
        element(statements, f"[{title}]", title)
    for a in argmap.arguments.values():
        for step in a.steps:
            element(statements, f"[{step.title}]", step.title)
    for r in relations:
        for end in (r.source, r.target):
            if end.kind is statement:
                element(statements, f"[{end.title}]", end.title)
    for title in argmap.arguments:
        element(arguments, f"<{title}>", title)
    for r in relations:
        for end in (r.source, r.target):
            if end.kind is not statement:
                element(arguments, f"<{end.title}>", end.title)
    for r in relations:
        if (r.kind is undercut and r.target.kind is not statement) or r.target.kind is inference:
            element(inferences, f"<{r.target.title}> (inference)", r.target.title)

    # attacks from relations: an inference as a source stands for its argument
    for r in relations:
        kind = r.kind
        if kind is RelationKind.SUPPORT or kind is RelationKind.ENTAILMENT:
            continue
        source = (statements if r.source.kind is statement else arguments)[r.source.title]
        target_kind = r.target.kind
        if target_kind is statement:
            target = statements[r.target.title]
        elif target_kind is inference or kind is undercut:
            target = inferences[r.target.title]
        else:
            target = arguments[r.target.title]
        build.attack(source, target, kind)
        if kind in symmetric:
            back = statements[r.target.title] if target_kind is statement else arguments[r.target.title]
            build.attack(back, source, kind)

    # what arguments need, and what derives each conclusion
    derivations: dict[int, list[int]] = {}
    intermediate: dict[int, frozenset[int]] = {}
    for a in argmap.arguments.values():
        _argument_status_warning(a)
        node = arguments[a.title]
        steps = a.steps
        if not steps and a.title not in inferences:
            continue
        conclusions = a.conclusions
        main = conclusions[-1] if conclusions else None
        for step in steps:
            if step is not main:
                build.need(node, statements[step.title])
        undercut_inference = inferences.get(a.title)
        if undercut_inference is not None:
            build.need(node, undercut_inference)
        if main is not None:
            derivations.setdefault(statements[main.title], []).append(node)
        if len(conclusions) < 2:
            continue
        intermediate[node] = frozenset(statements[c.title] for c in conclusions[:-1])
        for position, step in enumerate(steps):
            if not isinstance(step, Conclusion) or step is main:
                continue
            before = steps[:position]
            uses = set(step.inference.uses)
            used = [earlier for earlier in before if earlier.number in uses] if uses else before
            derivation = build.add(f"step ({step.number}) of <{a.title}>", _STEP, node)
            build.steps[derivation] = (a.title, step.number)
            for earlier in used:
                build.need(derivation, statements[earlier.title])
            derivations.setdefault(statements[step.title], []).append(derivation)

    # the author's statuses and the "no argument for" nodes
    accepted: set[int] = set()
    for title, defined in argmap.statements.items():
        if "status" not in defined.data:
            continue
        status = _status(defined)
        subject = statements[title]
        if status == "rejected":
            build.attack(build.add(f"rejected: [{title}]", _REJECTED, subject), subject)
        elif status == "questioned":
            questioned = build.add(f"questioned: [{title}]", _QUESTIONED, subject)
            build.attack(subject, questioned)
            build.attack(questioned, subject)
        elif status == "accepted":
            accepted.add(subject)
            derivations.pop(subject, None)
    for subject, derived_by in derivations.items():
        unargued = build.add(f"no argument for: {build.names[subject]}", _UNARGUED, subject)
        for d in derived_by:
            build.attack(d, unargued)
        build.attack(unargued, subject)

    attacks = tuple((source, target) for target, found in enumerate(build.incoming) for source in found)
    # every element was added before any helper node: indexes 0 .. elements - 1, in map order
    index = {Node(kind, title): i for kind, ids in build.ids.items() for title, i in ids.items()}
    return Framework(
        tuple(build.names),
        attacks,
        MappingProxyType(dict(sorted(index.items(), key=lambda item: item[1]))),
        tuple(build.kinds),
        tuple(build.subjects),
        tuple(build.incoming),
        MappingProxyType(build.steps),
        frozenset(inferences.values()),
        MappingProxyType(intermediate),
        frozenset(accepted),
    )


# -- labellings ------------------------------------------------------------------


def grounded(af: Framework) -> tuple[Label, ...]:
    """The grounded labelling of every node of ``af``, in time linear in its nodes and attacks.

    The least fixed point, built from below: a node all of whose attackers are out is in;
    a node with an attacker that is in is out; what is left when nothing more follows is
    undecided.
    """
    size = len(af.names)
    targets: list[list[int]] = [[] for _ in range(size)]
    remaining = [0] * size
    for source, target in af.attacks:
        targets[source].append(target)
        remaining[target] += 1
    undecided, yes, no = 0, 1, 2
    label = [undecided] * size
    work = [node for node in range(size) if remaining[node] == 0]
    for node in work:
        label[node] = yes
    while work:
        node = work.pop()
        for attacked in targets[node]:
            if label[attacked] != undecided:
                continue
            label[attacked] = no
            for freed in targets[attacked]:
                remaining[freed] -= 1
                if remaining[freed] == 0 and label[freed] == undecided:
                    label[freed] = yes
                    work.append(freed)
    names = (Label.UNDECIDED, Label.IN, Label.OUT)
    return tuple(names[value] for value in label)


def _extensions(af: Framework, base: Sequence[Label], semantics: str) -> list[tuple[Label, ...]]:
    """The preferred or stable labellings, from python-argumentation, run on what ``base`` leaves undecided.

    Every preferred or stable extension holds the grounded one and nothing it attacks, and
    the rest of it is an extension of the same kind of the framework without those
    (the modularization of Baumann, Brewka and Ulbricht, 2020): the search runs on the
    undecided part only.
    """
    try:
        from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import (
            AbstractArgumentationFramework,
        )
        from py_arg.abstract_argumentation_classes.argument import Argument as PyArgArgument
        from py_arg.abstract_argumentation_classes.defeat import Defeat
        from py_arg.algorithms.semantics.get_preferred_extensions import get_preferred_extensions
        from py_arg.algorithms.semantics.get_stable_extensions import get_stable_extensions
    except ImportError as exc:
        raise SemanticsUnavailableError(
            f"{semantics} semantics needs the python-argumentation package: pip install 'argmap[semantics]' "
            f"(grounded semantics needs nothing more) [{exc}]"
        ) from None
    open_nodes = [node for node, label in enumerate(base) if label is Label.UNDECIDED]
    if not open_nodes:  # the grounded labelling decides everything: it is the only preferred and stable one
        return [tuple(base)]
    arguments = {node: PyArgArgument(str(node)) for node in open_nodes}
    defeats = [
        Defeat(arguments[source], arguments[target])
        for source, target in af.attacks
        if source in arguments and target in arguments
    ]
    pyarg_framework = AbstractArgumentationFramework("argmap", list(arguments.values()), defeats)
    find = get_preferred_extensions if semantics == "preferred" else get_stable_extensions
    limit = sys.getrecursionlimit()
    try:  # the search recurses once per undecided node
        sys.setrecursionlimit(max(limit, 4 * len(open_nodes) + 1000))
        found = find(pyarg_framework)
    except RecursionError:
        raise ArgmapError(
            f"{semantics} semantics: {len(open_nodes)} elements are undecided in the grounded labelling, "
            "too many to search; use grounded semantics"
        ) from None
    finally:
        sys.setrecursionlimit(limit)
    targets: dict[int, list[int]] = {}
    for source, target in af.attacks:
        targets.setdefault(source, []).append(target)
    labellings = []
    for extension in sorted(sorted(int(a.name) for a in e) for e in found):
        labels = list(base)
        for node in open_nodes:
            labels[node] = Label.UNDECIDED
        for node in extension:
            labels[node] = Label.IN
        for node in extension:
            for attacked in targets.get(node, ()):
                labels[attacked] = Label.OUT
        labellings.append(tuple(labels))
    return labellings


def evaluate(argmap: ArgumentMap, semantics: str = "grounded") -> Evaluation:
    """Evaluate ``argmap`` under ``semantics`` (``"grounded"``, ``"preferred"`` or ``"stable"``).

    Grounded semantics needs nothing beyond argmap; the other two need the
    ``python-argumentation`` package (``pip install 'argmap[semantics]'``), else
    :class:`SemanticsUnavailableError`. An unknown semantics is a :class:`ValueError`.
    """
    if semantics not in SEMANTICS:
        raise ValueError(f"unknown semantics {semantics!r}; known: {', '.join(SEMANTICS)}")
    # Evaluating makes no reference cycles, but its many small objects would set off full collections
    # over the whole parsed map, as parsing would: the collector waits until it is done.
    with collector_paused():
        return _evaluate(argmap, semantics)


def _evaluate(argmap: ArgumentMap, semantics: str) -> Evaluation:
    af = framework(argmap)
    base = grounded(af)
    found = [base] if semantics == "grounded" else _extensions(af, base, semantics)
    return Evaluation(semantics, tuple(_labelling(af, labels, semantics) for labels in found))


# -- reasons -------------------------------------------------------------------


def _names(nodes: Sequence[str]) -> str:
    """``[A]``, ``[A] and [B]``, ``[A], [B] and [C]``; past :data:`NAMED`, ``... and 3 more``."""
    if not nodes:
        return "nothing"
    if len(nodes) > NAMED:
        return ", ".join(nodes[:NAMED]) + f" and {len(nodes) - NAMED} more"
    if len(nodes) == 1:
        return nodes[0]
    return ", ".join(nodes[:-1]) + " and " + nodes[-1]


def _are(nodes: Sequence[str], label: Label) -> str:
    return f"{_names(nodes)} {'is' if len(nodes) == 1 else 'are'} {label.value}"


def _which(nodes: Sequence[str], label: Label) -> str:
    return f"{_names(nodes)}, which {'is' if len(nodes) == 1 else 'are'} {label.value}"


#: how an attack through a relation is said, by the relation's kind
_VERB = {
    RelationKind.ATTACK: "attacked by",
    RelationKind.UNDERCUT: "undercut by",
    RelationKind.CONTRADICTION: "contradicted by",
    RelationKind.CONTRARINESS: "contrary to",
}


_UNATTACKED = "in: nothing attacks it"


class _Reasons:
    """The words of each element's label in one complete labelling."""

    def __init__(self, af: Framework, labels: Sequence[Label]) -> None:
        self.af = af
        self.labels = labels
        self.kinds = af._kinds
        self.subjects = af._subjects
        self.incoming = af._incoming

    def name(self, node: int) -> str:
        return self.af.names[node]

    def derivation(self, node: int) -> str:
        """An argument's name, or for an intermediate inference ``<A> up to (3)``."""
        if self.kinds[node] == _STEP:
            title, number = self.af._steps[node]
            return f"<{title}> up to ({number})"
        return self.name(node)

    def relation_clauses(self, node: int, wanted: Label) -> list[str]:
        by_kind: dict[RelationKind, list[str]] = {}
        for source, causes in self.incoming[node].items():
            if self.labels[source] is wanted:
                for cause in causes:
                    if cause is not None:
                        by_kind.setdefault(cause, []).append(self.name(source))
        return [f"{_VERB[kind]} {_which(names, wanted)}" for kind, names in by_kind.items()]

    def helpers(self, node: int) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for source, causes in self.incoming[node].items():
            if None in causes:
                found.setdefault(self.kinds[source], []).append(source)
        return found

    def needed_clauses(self, node: int, fails: list[int], wanted: Label) -> list[str]:
        """What ``node`` needs that has the label ``wanted``: premises, intermediate conclusions, its inference."""
        premises, conclusions, inference = [], [], None
        intermediate = self.af._intermediate.get(node, frozenset())
        for helper in fails:
            needed = self.subjects[helper]
            if self.labels[needed] is not wanted:
                continue
            if needed in self.af._inferences:
                inference = needed
            elif needed in intermediate:
                conclusions.append(self.name(needed))
            else:
                premises.append(self.name(needed))
        clauses = []
        if premises:
            clauses.append(f"its premise{'' if len(premises) == 1 else 's'} {_are(premises, wanted)}")
        if conclusions:
            noun = "intermediate conclusion" + ("" if len(conclusions) == 1 else "s")
            clauses.append(f"its {noun} {_are(conclusions, wanted)}")
        if inference is not None:
            undercutters = list(self.incoming[inference])  # an inference has no helper nodes among its attackers
            if wanted is Label.IN:
                shown = [self.name(s) for s in undercutters]
            else:
                shown = [self.name(s) for s in undercutters if self.labels[s] is _opposite(wanted)]
            clauses.append(f"its inference is undercut by {_which(shown, _opposite(wanted))}")
        return clauses

    def reason(self, node: int) -> str:
        label = self.labels[node]
        if not self.incoming[node] and node not in self.af._accepted:
            return _UNATTACKED  # most premises: said once
        helpers = self.helpers(node)
        clauses: list[str] = []
        if label is Label.IN:
            clauses = self.in_clauses(node, helpers)
        else:
            if label is Label.OUT and helpers.get(_REJECTED):
                clauses.append("rejected by the author")
            if label is Label.UNDECIDED and helpers.get(_QUESTIONED):
                clauses.append("questioned by the author")
            clauses.extend(self.relation_clauses(node, _opposite(label)))
            clauses.extend(self.needed_clauses(node, helpers.get(_FAILS, []), label))
            for unargued in helpers.get(_UNARGUED, []):
                if self.labels[unargued] is _opposite(label):
                    clauses.append(self.unargued_clause(unargued, label))
            if label is Label.OUT and not clauses and helpers.get(_QUESTIONED):
                # only preferred and stable labellings settle a questioned statement this way
                clauses.append("questioned by the author, and taken to fall in this labelling")
        if not clauses:  # a complete labelling always has a cause; kept as a safety net
            clauses.append("no attacker decides it")
        return f"{label.value}: " + "; ".join(clauses)

    def unargued_clause(self, unargued: int, label: Label) -> str:
        derivations = list(self.incoming[unargued])
        if label is Label.OUT:
            return f"no argument for it stands ({_are([self.derivation(d) for d in derivations], Label.OUT)})"
        pending = [self.derivation(d) for d in derivations if self.labels[d] is Label.UNDECIDED]
        noun = "argument" if len(pending) == 1 else "arguments"
        return f"no argument for it is in, and its {noun} {_are(pending, Label.UNDECIDED)}"

    def in_clauses(self, node: int, helpers: dict[int, list[int]]) -> list[str]:
        clauses = []
        for unargued in helpers.get(_UNARGUED, []):
            standing = [self.derivation(d) for d in self.incoming[unargued] if self.labels[d] is Label.IN]
            clauses.append(f"argued for by {_which(standing, Label.IN)}")
        if node in self.af._accepted:
            clauses.append("accepted by the author")
        if helpers.get(_QUESTIONED):  # never in a grounded labelling: it leaves these undecided
            clauses.append("questioned by the author, and taken to stand in this labelling")
        fails = helpers.get(_FAILS, [])
        clauses.extend(self.needed_clauses(node, fails, Label.IN))
        attacks = self.relation_clauses(node, Label.OUT)
        clauses.extend(attacks)
        if not attacks:
            clauses.append("nothing attacks it")
        return clauses


def _opposite(label: Label) -> Label:
    if label is Label.IN:
        return Label.OUT
    return Label.IN if label is Label.OUT else Label.UNDECIDED


def _labelling(af: Framework, labels: Sequence[Label], semantics: str) -> Labelling:
    reasons = _Reasons(af, labels)
    verdicts = {node: Verdict(labels[index], reasons.reason(index)) for node, index in af.index.items()}
    return Labelling(semantics, verdicts)


# -- the exporters' option -----------------------------------------------------


def evaluation_for_export(
    argmap: ArgumentMap, options: MutableMapping[str, Any], shown_in: str, *, several: bool = False
) -> Evaluation | None:
    """The evaluation an exporter was asked for, taking the option ``evaluate`` out of ``options``.

    ``evaluate`` is false (the default) or None, true (grounded semantics) or a semantics' name,
    an :class:`Evaluation` or a :class:`Labelling`; strings are read as a command line gives them
    (``-O evaluate=true``, ``-O evaluate=preferred``). With ``several`` (JSON) an evaluation may hold
    any number of labellings; otherwise exactly one, or :class:`ValueError` saying what ``shown_in``
    (``"a diagram"``, ``"an outline"``) shows.
    """
    value = options.pop("evaluate", None)
    if value is None or value is False:
        return None
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("0", "false", "no", "off"):
            return None
        value = True if lowered in ("1", "true", "yes", "on") else lowered
    if value is True:
        value = "grounded"
    if isinstance(value, str):
        if value not in SEMANTICS:
            raise ValueError(
                f"option 'evaluate' must be true, false or a semantics ({', '.join(SEMANTICS)}), not {value!r}"
            )
        value = evaluate(argmap, value)
    if isinstance(value, Labelling):
        value = Evaluation(value.semantics, (value,))
    if not isinstance(value, Evaluation):
        raise ValueError(
            f"option 'evaluate' must be true, false, a semantics' name, an Evaluation or a Labelling, not {value!r}"
        )
    if not several and len(value.labellings) != 1:
        found = len(value.labellings)
        raise ValueError(
            f"{shown_in} shows one labelling, and this {value.semantics} evaluation has {found}; "
            "pass one of its .labellings"
        )
    return value


# -- writing an evaluation out -------------------------------------------------------


def to_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as JSON-ready objects: the semantics and each labelling's counts and verdicts in map order.

    ``{"semantics": "grounded", "labellings": [{"counts": {"in": 3, "out": 1, "undecided": 0},
    "labels": [{"kind": "statement", "title": "Rain", "label": "in", "reason": "in: ..."}, ...]}]}``;
    argmap JSON's ``evaluation`` key and ``argmap evaluate --format json`` write this.
    """
    return {
        "semantics": evaluation.semantics,
        "labellings": [
            {
                "counts": {label.value: count for label, count in labelling.counts().items()},
                "labels": [
                    {"kind": node.kind.value, "title": node.title, "label": v.label.value, "reason": v.reason}
                    for node, v in labelling.verdicts.items()
                ],
            }
            for labelling in evaluation.labellings
        ],
    }


def render_text(evaluation: Evaluation, source_name: str | None = None) -> str:
    """The evaluation as ``argmap evaluate`` prints it: a summary line, then one line per element.

    Each element line is its glyph (✓ in, ✗ out, ? undecided), its name as Argdown writes it
    and its reason: ``✗ [Sun] — out: attacked by [Forecast], which is in``. Several labellings
    are numbered; when there are none (stable semantics may have none) the summary says so.
    """
    where = f"{source_name}: " if source_name else ""
    semantics = evaluation.semantics
    labellings = evaluation.labellings
    lines: list[str] = []
    if len(labellings) == 1:
        lines.append(f"{where}{semantics} semantics: {labellings[0].summary()}")
    elif not labellings:
        lines.append(f"{where}{semantics} semantics: no {semantics} labelling exists")
    else:
        lines.append(f"{where}{semantics} semantics: {len(labellings)} labellings")
    for number, labelling in enumerate(labellings, start=1):
        if len(labellings) > 1:
            lines.extend(("", f"labelling {number} of {len(labellings)}: {labelling.summary()}"))
        lines.extend(f"{v.label.glyph} {node} — {v.reason}" for node, v in labelling.verdicts.items())
    return "\n".join(lines) + "\n"
