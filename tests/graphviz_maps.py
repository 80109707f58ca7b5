"""Maps built in code for the Graphviz exporter tests (independent of the parser)."""

from __future__ import annotations

from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Node,
    Premise,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
)

S, A, I = ElementKind.STATEMENT, ElementKind.ARGUMENT, ElementKind.INFERENCE  # noqa: E741
SUPPORT, ATTACK = RelationKind.SUPPORT, RelationKind.ATTACK
UNDERCUT, CONTRADICTION = RelationKind.UNDERCUT, RelationKind.CONTRADICTION


def statement(title: str, text: str = "", section: str | None = None, generated: bool = False) -> Statement:
    return Statement(title, (Text(text),) if text else (), section=section, generated_title=generated)


def argument(
    title: str,
    text: str = "",
    premises: tuple[str, ...] = (),
    conclusion: str | None = None,
    section: str | None = None,
) -> Argument:
    steps: list[Premise | Conclusion] = [Premise(i + 1, p) for i, p in enumerate(premises)]
    if conclusion is not None:
        steps.append(Conclusion(len(steps) + 1, conclusion))
    return Argument(title, (Text(text),) if text else (), steps=tuple(steps), section=section)


def rel(source: tuple[ElementKind, str], target: tuple[ElementKind, str], kind: RelationKind) -> Relation:
    return Relation(Node(*source), Node(*target), kind)


def build(
    statements: list[Statement],
    arguments: list[Argument] = (),  # type: ignore[assignment]
    relations: list[Relation] = (),  # type: ignore[assignment]
    sections: list[Section] = (),  # type: ignore[assignment]
    metadata: dict[str, object] | None = None,
) -> ArgumentMap:
    return ArgumentMap(
        statements={s.title: s for s in statements},
        arguments={a.title: a for a in arguments},
        relations=tuple(relations),
        sections=tuple(sections),
        metadata=metadata or {},
    )


def congestion_debate() -> ArgumentMap:
    """A small, realistic debate with every node and edge kind, sections nested two deep."""
    sections = [
        Section("s1", "Traffic and environment", 1),
        Section("s2", "Air quality", 2, parent="s1"),
        Section("s3", "Fairness", 1),
    ]
    statements = [
        statement("Congestion charge", "The city should introduce a congestion charge for cars entering the centre."),
        statement("Less traffic", "A charge reduces car traffic in the centre by about a fifth.", "s1"),
        statement("Cleaner air", "Less traffic means measurably cleaner air for the people living downtown.", "s2"),
        statement("Health", "Cleaner air prevents asthma attacks and heart disease.", "s2"),
        statement("Regressive", "A flat charge takes a larger share of a poor commuter's income.", "s3"),
        statement("Rebates", "Revenue can be returned as rebates to low-income commuters.", "s3"),
        statement("Retail decline", "Shops in the centre will lose customers to malls outside the zone."),
        statement("No decline", "Shops in charged zones elsewhere did not lose customers."),
        statement("Untitled 1", "Stockholm's retail turnover grew after its charge began.", generated=True),
    ]
    arguments = [
        argument(
            "Clean air argument",
            "Cutting traffic cleans the air, and clean air saves lives.",
            premises=("Less traffic", "Cleaner air", "Health"),
            conclusion="Congestion charge",
            section="s2",
        ),
        argument("Fairness objection", "The charge hits the poor hardest.", section="s3"),
        argument(
            "Business objection", "Downtown retail would suffer.", premises=("Retail decline",), conclusion="Untitled 2"
        ),
        argument("Evidence is old", "Traffic studies from the 1990s do not reflect today's delivery traffic."),
    ]
    statements.append(statement("Untitled 2", "The charge harms the city's economy.", generated=True))
    relations = [
        rel((A, "Fairness objection"), (S, "Congestion charge"), ATTACK),
        rel((S, "Regressive"), (A, "Fairness objection"), SUPPORT),
        rel((S, "Rebates"), (I, "Fairness objection"), UNDERCUT),
        rel((S, "Untitled 2"), (S, "Congestion charge"), ATTACK),
        rel((S, "No decline"), (S, "Retail decline"), CONTRADICTION),
        rel((S, "Untitled 1"), (S, "No decline"), SUPPORT),
        rel((A, "Evidence is old"), (S, "Less traffic"), ATTACK),
    ]
    return build(statements, arguments, relations, sections, {"title": "Should the city charge cars?"})
