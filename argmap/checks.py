"""Lint rules: what ``argmap check`` reports about a map that reads without a syntax error.

Each rule has a stable code (``AM101``), a name (``undefined-reference``), a severity, a one-line
description and a fix hint. :data:`RULES` lists them all, in code order; :func:`lint` runs them and
returns :class:`Diagnostic` objects sorted by position. Rules are switched off by code or name, in the
call (``disabled=``), on the command line (``--disable``) or in the map's front matter::

    ===
    argmap: {disable: [AM102, unused-statement]}
    ===

>>> import argmap
>>> m = argmap.parse("[Rain]: It will rain.\\n  + [Clouds]\\n")
>>> for d in lint(m):
...     print(d.format("rain.arg"))
rain.arg:2:5: error: [Clouds] is referred to but never defined [AM101]
  hint: define it: [Clouds]: its text
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .model import (
    NO_SPAN,
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    SourceSpan,
    Statement,
)

if TYPE_CHECKING:
    from .quotes import QuoteReport

__all__ = ["RULES", "Diagnostic", "Rule", "Severity", "lint", "rule"]


class Severity(enum.Enum):
    """How much a finding matters: an error fails ``argmap check``; a warning fails it with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Diagnostic:
    """One finding: which rule, how severe, what and where, and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    hint: str
    #: where in the map's notation (all 0 when the finding has no place, e.g. the map as a whole)
    span: SourceSpan = NO_SPAN
    #: extra figures some rules give (the quote check's passages, the coverage); JSON-ready
    data: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def format(self, source_name: str) -> str:
        """``FILE:LINE:COL: severity: message [CODE]`` and the hint on a second line, as compilers write them."""
        where = self.span.source or source_name
        position = f"{where}:{self.span.line}:{self.span.column}" if self.span.line else where
        text = f"{position}: {self.severity.value}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def to_json(self, source_name: str) -> dict[str, Any]:
        """The finding as a JSON object (what ``argmap check --format json`` prints, one per finding)."""
        written: dict[str, Any] = {
            "file": self.span.source or source_name,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "severity": self.severity.value,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "hint": self.hint,
        }
        written.update(self.data)
        return written


#: what a rule's check yields: the message, where, and a hint that replaces the rule's own (or None)
Finding = tuple[str, SourceSpan, str | None]


@attrs.frozen
class Rule:
    """A lint rule: its code, name, severity, what it finds, how to fix it, and the check itself."""

    code: str
    name: str
    severity: Severity
    description: str
    hint: str
    check: Callable[[_Context], Iterable[Finding]] = attrs.field(eq=False, repr=False)

    def to_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "description": self.description,
            "hint": self.hint,
        }


# -- what the rules share ----------------------------------------------------------


class _Context:
    """The map and the indexes several rules need, each computed once."""

    def __init__(self, argument_map: ArgumentMap, quotes: QuoteReport | None, coverage: bool) -> None:
        self.map = argument_map
        self.quotes = quotes
        self.coverage = coverage
        self._defined_titles: list[str] | None = None
        self._steps_of: dict[str, list[tuple[Argument, Premise | Conclusion]]] | None = None

    def defined_titles(self) -> list[str]:
        if self._defined_titles is None:
            self._defined_titles = [t for t, s in self.map.statements.items() if s.texts]
        return self._defined_titles

    def steps_of(self) -> dict[str, list[tuple[Argument, Premise | Conclusion]]]:
        """Statement title -> every (argument, step) it appears as."""
        if self._steps_of is None:
            index: dict[str, list[tuple[Argument, Premise | Conclusion]]] = {}
            for argument in self.map.arguments.values():
                for step in argument.steps:
                    index.setdefault(step.title, []).append((argument, step))
            self._steps_of = index
        return self._steps_of


def _defined(element: Statement | Argument) -> bool:
    if isinstance(element, Statement):
        return bool(element.texts)
    return bool(element.descriptions or element.steps)


def _name(node: Node) -> str:
    return str(node) if node.kind is not ElementKind.INFERENCE else f"the inference of <{node.title}>"


# -- the rules -------------------------------------------------------------------------


def _undefined_reference(context: _Context) -> Iterator[Finding]:
    m = context.map
    for statement in m.statements.values():
        if not statement.texts:
            yield _undefined(context, Node(ElementKind.STATEMENT, statement.title), statement.span)
    for argument in m.arguments.values():
        if not _defined(argument):
            yield _undefined(context, Node(ElementKind.ARGUMENT, argument.title), argument.span)
    # a mention names an element without making it: one that names nothing is a reference to nothing
    for element in m.elements():
        texts = element.texts if isinstance(element, Statement) else element.descriptions
        for text in texts:
            for r in text.ranges:
                if r.title is None:
                    continue
                if r.kind is RangeKind.STATEMENT_MENTION and r.title not in m.statements:
                    found = _undefined(context, Node(ElementKind.STATEMENT, r.title), text.span)
                    yield (f"the mention @[{r.title}] names no statement", found[1], found[2])
                elif r.kind is RangeKind.ARGUMENT_MENTION and r.title not in m.arguments:
                    found = _undefined(context, Node(ElementKind.ARGUMENT, r.title), text.span)
                    yield (f"the mention @<{r.title}> names no argument", found[1], found[2])


def _undefined(context: _Context, node: Node, span: SourceSpan) -> Finding:
    if node.kind is ElementKind.STATEMENT:
        candidates = context.defined_titles()
    else:
        candidates = [t for t, a in context.map.arguments.items() if _defined(a)]
    close = difflib.get_close_matches(node.title, candidates, n=1, cutoff=0.8)
    left, right = ("[", "]") if node.kind is ElementKind.STATEMENT else ("<", ">")
    hint = f"define it: {left}{node.title}{right}: its text"
    if close:
        hint = f"did you mean {left}{close[0]}{right}? Otherwise {hint}"
    return (f"{node} is referred to but never defined", span, hint)


def _argument_sketch(context: _Context) -> Iterator[Finding]:
    for argument in context.map.arguments.values():
        if argument.descriptions and not argument.steps:
            yield (f"<{argument.title}> is a sketch: it has no premise-conclusion structure yet", argument.span, None)


def _unused_statement(context: _Context) -> Iterator[Finding]:
    m = context.map
    used = {r.source.title for r in m.relations if r.source.kind is ElementKind.STATEMENT}
    used.update(r.target.title for r in m.relations if r.target.kind is ElementKind.STATEMENT)
    used.update(context.steps_of())
    for statement in m.statements.values():
        if statement.texts and statement.title not in used:
            yield (
                f"{_statement_name(statement)} is used nowhere: no relation or argument connects it",
                statement.span,
                None,
            )


def _statement_name(statement: Statement) -> str:
    if statement.generated_title:
        text = statement.text
        return f'the statement "{text[:40]}…"' if len(text) > 40 else f'the statement "{text}"'
    return f"[{statement.title}]"


def _conclusion_among_premises(context: _Context) -> Iterator[Finding]:
    for argument in context.map.arguments.values():
        premises = {s.title: s for s in argument.steps if isinstance(s, Premise)}
        for step in argument.conclusions:
            premise = premises.get(step.title)
            if premise is not None:
                yield (
                    f"<{argument.title}> concludes [{step.title}] ({step.number}), which is already its premise "
                    f"({premise.number}): the argument assumes what it sets out to show",
                    step.span,
                    None,
                )


def _uses_unknown_step(context: _Context) -> Iterator[Finding]:
    for argument in context.map.arguments.values():
        before: set[int] = set()
        numbers = {s.number for s in argument.steps}
        for step in argument.steps:
            if isinstance(step, Conclusion):
                for number in step.inference.uses:
                    if number in before:
                        continue
                    where = "comes after the inference" if number in numbers else "does not exist"
                    yield (
                        f"the inference to ({step.number}) of <{argument.title}> uses ({number}), which {where}",
                        step.inference.span,
                        f"list the numbers of steps written above it: {sorted(before)}" if before else None,
                    )
            before.add(step.number)


_SUPPORTING = (RelationKind.SUPPORT, RelationKind.ENTAILMENT)


#: an edge of the support graph: the target's number, where it was written, and whether a relation wrote it
_Edge = tuple[int, SourceSpan, bool]


def _support_cycle(context: _Context) -> Iterator[Finding]:
    """Circles in the graph of support: written supports, and premise -> argument -> conclusion."""
    m = context.map
    # nodes are numbered (hashing Node objects costs more than the whole search)
    nodes: list[tuple[ElementKind, str]] = []
    numbers: tuple[dict[str, int], dict[str, int]] = ({}, {})  # statements, arguments
    edges: list[list[_Edge]] = []

    def number(kind: ElementKind, title: str) -> int:
        table = numbers[0] if kind is ElementKind.STATEMENT else numbers[1]
        found = table.get(title)
        if found is None:
            found = table[title] = len(nodes)
            nodes.append((ElementKind.STATEMENT if kind is ElementKind.STATEMENT else ElementKind.ARGUMENT, title))
            edges.append([])
        return found

    for r in m.relations:
        if r.kind in _SUPPORTING:
            source, target = number(r.source.kind, r.source.title), number(r.target.kind, r.target.title)
            if source != target:
                edges[source].append((target, r.span, True))
    for argument in m.arguments.values():
        if not argument.steps:
            continue
        node = number(ElementKind.ARGUMENT, argument.title)
        concluded = {c.title for c in argument.conclusions}
        for step in argument.steps:
            statement = number(ElementKind.STATEMENT, step.title)
            if isinstance(step, Conclusion):
                edges[node].append((statement, step.span, False))
            elif step.title not in concluded:  # a conclusion among the premises is AM104's
                edges[statement].append((node, step.span, False))
    for component in _strong_components(edges):
        cycle = _cycle_in(component, edges)
        spans = [span for _, span, _ in cycle]
        written = [span for _, span, is_written in cycle if is_written] or spans
        names = [_name(Node(*nodes[n])) for n, _, _ in cycle]
        if len(names) > 8:  # a long circle is shown by its ends
            names = [*names[:4], f"... ({len(names) - 6} more)", *names[-2:]]
        path = " -> ".join(names)
        more = f" ({len(component)} elements support each other)" if len(component) > len(cycle) else ""
        yield (f"support goes in a circle: {path} -> {names[0]}{more}", min(written), None)


def _strong_components(edges: Sequence[Sequence[_Edge]]) -> list[list[int]]:
    """The strongly connected components with more than one node (Tarjan's algorithm, without recursion)."""
    unseen = -1
    index = [unseen] * len(edges)
    low = [0] * len(edges)
    on_stack = [False] * len(edges)
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(len(edges)):
        if index[root] != unseen or not edges[root]:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            successors = edges[node]
            if position < len(successors):
                work.append((node, position + 1))
                child = successors[position][0]
                if index[child] == unseen:
                    work.append((child, 0))
                elif on_stack[child]:
                    low[node] = min(low[node], index[child])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _cycle_in(component: Sequence[int], edges: Sequence[Sequence[_Edge]]) -> list[_Edge]:
    """A shortest circle through the component's first-written node: each node with the edge leaving it."""
    members = set(component)
    start = min(component, key=lambda n: min((span for _, span, _ in edges[n]), default=NO_SPAN))
    came_from: dict[int, _Edge] = {}
    frontier = [start]
    while frontier and start not in came_from:
        following: list[int] = []
        for node in frontier:
            for target, span, written in edges[node]:
                if target in members and target not in came_from:
                    came_from[target] = (node, span, written)
                    following.append(target)
                    if target == start:
                        break
            if start in came_from:
                break
        frontier = following
    path: list[_Edge] = []
    node = start
    while True:
        previous, span, written = came_from[node]
        path.append((previous, span, written))
        node = previous
        if node == start:
            break
    path.reverse()
    return path


def _supports_own_conclusion(context: _Context) -> Iterator[Finding]:
    m = context.map
    for r in m.relations:
        if r.kind not in _SUPPORTING or r.source.kind is not ElementKind.ARGUMENT:
            continue
        argument = m.arguments.get(r.source.title)
        if argument is not None and r.target == Node(ElementKind.STATEMENT, argument.conclusion or ""):
            yield (f"<{argument.title}> supports [{argument.conclusion}], its own conclusion", r.span, None)


def _duplicate_text(context: _Context) -> Iterator[Finding]:
    m = context.map
    for kind, elements in (("statement", m.statements.values()), ("argument", m.arguments.values())):
        first: dict[str, tuple[str, SourceSpan]] = {}
        for element in elements:
            texts = element.texts if isinstance(element, Statement) else element.descriptions
            for text in texts:
                key = " ".join(text.text.split()).casefold()
                if not key:
                    continue
                seen = first.setdefault(key, (element.title, text.span))
                if seen[0] != element.title:
                    left, right = ("[", "]") if kind == "statement" else ("<", ">")
                    other = f"{left}{seen[0]}{right}"
                    at = f" (line {seen[1].line})" if seen[1].line else ""
                    yield (
                        f"{left}{element.title}{right} has the same text as {other}{at}: probably the same {kind}",
                        text.span,
                        f"use one title for both (write {other} where {left}{element.title}{right} is), "
                        "or word them apart if they differ",
                    )
                    break


_AGAINST = (RelationKind.ATTACK, RelationKind.CONTRADICTION, RelationKind.CONTRARINESS)


def _relation_contradicts_pcs(context: _Context) -> Iterator[Finding]:
    """A written relation that says two parts of one premise-conclusion structure are at odds."""
    m = context.map
    steps_of = context.steps_of()
    for r in m.relations:
        if r.kind not in _AGAINST and r.kind is not RelationKind.UNDERCUT:
            continue
        for argument, source_part, target_part in _shared_arguments(m, steps_of, r):
            verb = {
                RelationKind.ATTACK: "attacks",
                RelationKind.CONTRADICTION: "contradicts",
                RelationKind.CONTRARINESS: "is contrary to",
                RelationKind.UNDERCUT: "undercuts",
            }[r.kind]
            yield (
                f"{source_part} {verb} {target_part}, yet <{argument.title}>'s premise-conclusion structure "
                "has them hold together",
                r.span,
                None,
            )


def _part(argument: Argument, node: Node) -> str | None:
    """How ``node`` belongs to ``argument``'s structure, in words; None when it does not."""
    if node.kind is ElementKind.STATEMENT:
        for step in argument.steps:
            if step.title == node.title:
                role = "premise"
                if isinstance(step, Conclusion):
                    role = "conclusion" if step.title == argument.conclusion else "intermediate conclusion"
                return f"[{node.title}] ({role} ({step.number}) of <{argument.title}>)"
        return None
    if node.title != argument.title:
        return None
    return f"<{argument.title}>" if node.kind is ElementKind.ARGUMENT else f"the inference of <{argument.title}>"


def _shared_arguments(
    m: ArgumentMap, steps_of: Mapping[str, list[tuple[Argument, Premise | Conclusion]]], r: Relation
) -> Iterator[tuple[Argument, str, str]]:
    """Reconstructed arguments both ends of ``r`` belong to (a step, the argument, or its inference)."""
    candidates: dict[str, Argument] = {}
    for end in (r.source, r.target):
        if end.kind is ElementKind.STATEMENT:
            candidates.update((a.title, a) for a, _ in steps_of.get(end.title, ()))
        else:
            argument = m.arguments.get(end.title)
            if argument is not None and argument.steps:
                candidates[argument.title] = argument
    for argument in candidates.values():
        if r.kind is RelationKind.UNDERCUT and r.target.kind is not ElementKind.INFERENCE:
            continue
        source, target = _part(argument, r.source), _part(argument, r.target)
        if source is not None and target is not None and r.source != r.target:
            yield argument, source, target


# -- the quote rules (with a source text) ---------------------------------------------


def _quote_not_in_source(context: _Context) -> Iterator[Finding]:
    if context.quotes is None:
        return
    name = context.quotes.source_name
    for q in context.quotes.missing:
        suggestion = q.suggestion
        hint = None
        if suggestion is not None:
            hint = f'did you mean "{_clip(suggestion.text)}" (line {suggestion.line})?'
            if q.differences:
                hint += " " + "; ".join(q.differences)
        else:
            hint = "nothing in the source comes close: is it the right source, or a paraphrase rather than a quote?"
        yield (f'{_name(q.element)} quotes "{_clip(q.quote)}", which is not in {name}', q.span, hint)


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _malformed_quote(context: _Context) -> Iterator[Finding]:
    if context.quotes is None:
        return
    for q in context.quotes.quotes:
        if q.problem is not None:
            yield (f"{_name(q.element)}: {q.problem}", q.span, None)


def _quote_coverage(context: _Context) -> Iterator[Finding]:
    if context.quotes is None or not context.coverage:
        return
    yield (f"{context.quotes.coverage.summary()} of {context.quotes.source_name}", NO_SPAN, None)


def _bad_settings(context: _Context) -> Iterator[Finding]:
    settings = context.map.metadata.get("argmap")
    if settings is None:
        return
    span = SourceSpan(1, 1, 1, 4)
    if not isinstance(settings, Mapping):
        yield ("the front matter's 'argmap' must be a mapping, e.g. argmap: {disable: [AM102]}", span, None)
        return
    disable = settings.get("disable", [])
    items = disable if isinstance(disable, list) else [disable]
    for item in items:
        if not isinstance(item, str) or rule(item) is None:
            yield (f"the front matter disables {item!r}, which is no rule", span, None)


# -- the registry ---------------------------------------------------------------------

#: every rule, in code order; codes and names never change meaning
RULES: tuple[Rule, ...] = (
    Rule(
        "AM001",
        "unknown-setting",
        Severity.WARNING,
        "The front matter's 'argmap' settings are not a mapping, or disable a rule that does not exist.",
        "write argmap: {disable: [CODE or name, ...]}; 'argmap check --list-rules' lists the rules",
        _bad_settings,
    ),
    Rule(
        "AM101",
        "undefined-reference",
        Severity.ERROR,
        "A statement or argument is referred to (in a relation, a premise-conclusion structure or a mention) "
        "but never defined with a text.",
        "define it: [Title]: its text",
        _undefined_reference,
    ),
    Rule(
        "AM102",
        "argument-sketch",
        Severity.INFO,
        "An argument has a description but no premise-conclusion structure yet: a sketch.",
        "reconstruct it: after <Title>: ..., write its premises (1), (2), ..., a line ---- and the conclusion",
        _argument_sketch,
    ),
    Rule(
        "AM103",
        "unused-statement",
        Severity.WARNING,
        "A statement is defined but used nowhere: no relation connects it and no argument has it as a step "
        "(a mention of it does not count).",
        "relate it to the claim it bears on (+ or - under it), make it a premise, or remove it",
        _unused_statement,
    ),
    Rule(
        "AM104",
        "conclusion-among-premises",
        Severity.ERROR,
        "A premise-conclusion structure concludes a statement that is also one of its premises (begging the question).",
        "conclude something the premises do not already say, or give the conclusion its own title",
        _conclusion_among_premises,
    ),
    Rule(
        "AM105",
        "uses-unknown-step",
        Severity.ERROR,
        "An inference's {uses: [...]} names a step that does not exist or comes after the inference.",
        "list only the numbers of premises and conclusions written above the inference line",
        _uses_unknown_step,
    ),
    Rule(
        "AM106",
        "support-cycle",
        Severity.WARNING,
        "Support goes in a circle: following supports (written ones, and premise to argument to conclusion) "
        "leads back to where it started.",
        "a claim cannot be a reason for itself: remove one support of the circle, or split a claim in two",
        _support_cycle,
    ),
    Rule(
        "AM107",
        "supports-own-conclusion",
        Severity.WARNING,
        "An argument is written as supporting its own main conclusion: the premise-conclusion structure already "
        "says so, and Argdown drops the relation.",
        "remove the relation: the map connects an argument to its conclusion by itself",
        _supports_own_conclusion,
    ),
    Rule(
        "AM108",
        "duplicate-text",
        Severity.WARNING,
        "Two statements (or two arguments) with different titles have the same text (ignoring case and "
        "white space): probably the same claim under two names.",
        "use one title for both, or word them apart if they differ",
        _duplicate_text,
    ),
    Rule(
        "AM109",
        "relation-contradicts-pcs",
        Severity.ERROR,
        "A relation written in a tree sets two parts of one premise-conclusion structure against each other: "
        "a step attacks, contradicts or is contrary to another step of the same argument (a premise attacking "
        "its conclusion, two premises contradicting each other), the argument attacks one of its own steps "
        "or a step attacks it, or one of its steps (or the argument itself) undercuts its inference.",
        "the structure says these hold together: remove the relation, or move the step to another argument",
        _relation_contradicts_pcs,
    ),
    Rule(
        "AM201",
        "quote-not-in-source",
        Severity.ERROR,
        "With a source text: a quote does not occur in it (compared after normalising white space, line breaks, "
        "quotation marks, apostrophes and dashes).",
        "copy the passage from the source exactly; the closest passage is shown when there is one",
        _quote_not_in_source,
    ),
    Rule(
        "AM202",
        "malformed-quote",
        Severity.ERROR,
        "With a source text: a quote is not text (a mapping, a nested list, true or false) or only white space.",
        'write {quote: "the words"} or {quote: ["one passage", "another"]}',
        _malformed_quote,
    ),
    Rule(
        "AM203",
        "quote-coverage",
        Severity.INFO,
        "With a source text and --coverage: how much of the source the map's quotes cover.",
        "the longest unquoted stretches are what the map leaves out",
        _quote_coverage,
    ),
)

_BY_KEY: Mapping[str, Rule] = {**{r.code: r for r in RULES}, **{r.name: r for r in RULES}}


def rule(code_or_name: str) -> Rule | None:
    """The rule with this code (``"AM101"``, any case) or name (``"undefined-reference"``), or None."""
    key = code_or_name.strip()
    return _BY_KEY.get(key.upper() if key[:2].lower() == "am" else key.lower())


def _front_matter_disabled(argument_map: ArgumentMap) -> set[str]:
    settings = argument_map.metadata.get("argmap")
    if not isinstance(settings, Mapping):
        return set()
    disable = settings.get("disable", [])
    items = disable if isinstance(disable, list) else [disable]
    return {found.code for item in items if isinstance(item, str) and (found := rule(item)) is not None}


def lint(
    argument_map: ArgumentMap,
    *,
    disabled: Iterable[str] = (),
    quotes: QuoteReport | None = None,
    coverage: bool = False,
) -> tuple[Diagnostic, ...]:
    """Run every rule not disabled on ``argument_map``; the findings sorted by position, then code.

    ``disabled`` holds codes or names (the front matter's ``argmap: {disable: [...]}`` is added to it);
    an unknown one raises ``ValueError``. ``quotes`` (from :func:`argmap.quotes.check_quotes`) adds the
    quote rules' findings; ``coverage`` adds the coverage summary (AM203) too.
    """
    off = _front_matter_disabled(argument_map)
    for item in disabled:
        found = rule(item)
        if found is None:
            raise ValueError(f"no lint rule is called {item!r}; 'argmap check --list-rules' lists them")
        off.add(found.code)
    context = _Context(argument_map, quotes, coverage)
    diagnostics: list[Diagnostic] = []
    for r in RULES:
        if r.code in off:
            continue
        for message, span, hint in r.check(context):
            data: dict[str, Any] = {}
            if r.code == "AM203" and quotes is not None:
                data = {"coverage": quotes.coverage.to_json(), "source": quotes.source_name}
            diagnostics.append(Diagnostic(r.code, r.name, r.severity, message, hint or r.hint, span, data))
    # findings without a place (the coverage) come last
    diagnostics.sort(key=lambda d: (d.span.source, d.span.line == 0, d.span.line, d.span.column, d.code))
    return tuple(diagnostics)
