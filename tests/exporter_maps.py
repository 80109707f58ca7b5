"""Maps built in code for the json and markdown exporter tests (independent of the parser)."""

from __future__ import annotations

import datetime

from argmap.model import (
    Argument,
    ArgumentMap,
    Comment,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    SourceSpan,
    Statement,
    Text,
    TextRange,
)

S, A, I = ElementKind.STATEMENT, ElementKind.ARGUMENT, ElementKind.INFERENCE  # noqa: E741

#: text that is markup in Markdown or HTML, or would become a link
HOSTILE = (
    "# Not a heading *bold* _em_ `code` | pipe [x](javascript:alert(1)) <script>alert(1)</script> "
    "<b>b</b> &amp; \\ ~~strike~~ ![img](x.png) <http://example.invalid> [ref]: /url"
)


def span(line: int, column: int = 1, width: int = 10) -> SourceSpan:
    return SourceSpan(line, column, line, column + width)


def full_map() -> ArgumentMap:
    """Every element, field and relation kind at least once, with spans, in document order."""
    statements = [
        Statement(
            "Rain",
            (Text("It will rain.", span(5)), Text("Rain is coming.", span(30))),
            tags=("weather", "main claim"),
            data={"quote": ["It will rain,", "they said."], "confidence": 0.8, "when": "today"},
            span=span(5),
            section="s1",
        ),
        Statement("Clouds", (Text("The sky is grey.", span(10)),), span=span(10), section="s2"),
        Statement("Grey means rain", (Text("Grey skies bring rain.", span(11)),), span=span(11), section="s2"),
        Statement("Likely", (Text("Rain is likely.", span(13)),), span=span(13), section="s2"),
        Statement("Sun", (Text("The sun will shine.", span(20)),), data={"quote": "Sunny!"}, span=span(20)),
        Statement("s9", (Text("Forecasts are often wrong.", span(22)),), span=span(22), generated_title=True),
        Statement("Only referenced", (), span=span(24)),
        Statement("Deep", (Text("A deep claim.", span(40)),), span=span(40), section="s7"),
    ]
    arguments = [
        Argument(
            "Grey sky",
            (Text("Grey skies mean rain.", span(9)),),
            tags=("meteorology",),
            data={"strength": 3, "nested": {"a": [1, 2, {"b": None}]}},
            steps=(
                Premise(1, "Clouds", span(10)),
                Premise(2, "Grey means rain", span(11)),
                Conclusion(3, "Likely", Inference(("modus ponens",), (1, 2), {"note": "valid"}, span(12)), span(13)),
                Conclusion(4, "Rain", Inference(span=span(14)), span(15)),
            ),
            span=span(9),
            section="s2",
        ),
        Argument("Forecast", (Text("The forecast says sun.", span(21)),), span=span(21)),
        Argument("Sketch", (), span=span(23), generated_title=True),
    ]
    relations = (
        Relation(Node(A, "Grey sky"), Node(S, "Rain"), RelationKind.SUPPORT, span(6)),
        Relation(Node(A, "Forecast"), Node(S, "Rain"), RelationKind.ATTACK, span(7)),
        Relation(Node(S, "s9"), Node(I, "Grey sky"), RelationKind.UNDERCUT, span(22)),
        Relation(Node(S, "Sun"), Node(S, "Rain"), RelationKind.CONTRADICTION, span(20)),
        Relation(Node(A, "Sketch"), Node(A, "Forecast"), RelationKind.ATTACK, span(23)),
        Relation(Node(A, "Grey sky"), Node(S, "Rain"), RelationKind.SUPPORT, span(31)),
    )
    sections = (
        Section("s1", "Weather", 1, tags=("intro",), data={"color": "blue"}, span=span(3)),
        Section("s2", "Details", 2, parent="s1", span=span(8)),
        Section("s3", "Three", 3, parent="s2", span=span(35)),
        Section("s4", "Four", 4, parent="s3", span=span(36)),
        Section("s5", "Five", 5, parent="s4", span=span(37)),
        Section("s6", "Six", 6, parent="s5", span=span(38)),
        Section("s7", "Seven", 6, parent="s6", span=span(39)),
    )
    return ArgumentMap(
        statements={s.title: s for s in statements},
        arguments={a.title: a for a in arguments},
        relations=relations,
        sections=sections,
        metadata={"title": "Will it rain?", "author": ["Ann", "Bo"], "source": "Talk — 2024"},
        source_name="weather.arg",
    )


def yaml_values_map() -> ArgumentMap:
    """Data of every type PyYAML's safe loader produces, JSON-able or not."""
    data = {
        "date": datetime.date(2019, 1, 8),
        "datetime": datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone.utc),
        "naive": datetime.datetime(2002, 12, 14, 21, 59, 43),
        "set": {"b", "a", "c"},
        "binary": b"\x00\xffGIF",
        "nan": float("nan"),
        "inf": float("inf"),
        "-inf": float("-inf"),
        "pairs": [("a", 1), ("b", 2)],
        1: "int key",
        None: "null key",
        False: "bool key",
        2.5: "float key",
        datetime.date(2020, 2, 2): "date key",
        "unicode": "Grüße — 北朝鮮 \U0001f600",
        "big": 2**70,
    }
    return ArgumentMap(
        statements={"Dated": Statement("Dated", (Text("Dated."),), data=data)},
        metadata={"date": datetime.date(2019, 1, 8), "title": "Ünïcode"},
    )


def cycle_map() -> ArgumentMap:
    """Three statements supporting each other in a ring, plus a mutual attack between arguments."""
    statements = {t: Statement(t, (Text(f"{t} text."),), span=span(i + 1)) for i, t in enumerate("ABC")}
    arguments = {t: Argument(t, (Text(f"{t} says so."),), span=span(i + 10)) for i, t in enumerate(("X", "Y"))}
    relations = (
        Relation(Node(S, "A"), Node(S, "B"), RelationKind.SUPPORT),
        Relation(Node(S, "B"), Node(S, "C"), RelationKind.SUPPORT),
        Relation(Node(S, "C"), Node(S, "A"), RelationKind.SUPPORT),
        Relation(Node(A, "X"), Node(A, "Y"), RelationKind.ATTACK),
        Relation(Node(A, "Y"), Node(A, "X"), RelationKind.ATTACK),
        Relation(Node(S, "A"), Node(S, "A"), RelationKind.SUPPORT),
    )
    return ArgumentMap(statements=statements, arguments=arguments, relations=relations)


def hostile_map() -> ArgumentMap:
    """Titles, texts, tags, rules, section titles and metadata made of Markdown/HTML markup."""
    title = "1. [x](javascript:alert(1)) <b>"
    statements = {
        title: Statement(title, (Text(HOSTILE),), tags=("<i>tag</i>",), data={"quote": ["> quoted", "- item"]}),
        "Plain": Statement("Plain", (Text("- starts like a list"),), section="h"),
    }
    arguments = {
        "<script>": Argument(
            "<script>",
            (Text("`code` *and* <em>html</em>"),),
            steps=(
                Premise(1, "Plain"),
                Conclusion(2, title, Inference(("*rule*", "<rule>"), (1,))),
            ),
            data={"quote": "# heading?\n1) list?\n---"},
        )
    }
    relations = (Relation(Node(A, "<script>"), Node(S, title), RelationKind.SUPPORT),)
    return ArgumentMap(
        statements=statements,
        arguments=arguments,
        relations=relations,
        sections=(Section("h", "## <h1>Heading</h1> #", 1),),
        metadata={"title": "# <title> *map*", "author": "- [me](http://example.invalid)"},
    )


def rich(text: str, *marks: tuple[str, RangeKind] | tuple[str, RangeKind, str]) -> Text:
    """``text`` with a range over the first occurrence of each marked substring (a url or title third)."""
    ranges = []
    for mark in marks:
        start = text.index(mark[0])
        extra = mark[2] if len(mark) == 3 else None
        is_link = mark[1] is RangeKind.LINK
        ranges.append(
            TextRange(
                mark[1], start, start + len(mark[0]), url=extra if is_link else None, title=None if is_link else extra
            )
        )
    return Text(text, span(1), tuple(sorted(ranges, key=lambda r: (r.start, -r.end))))


def rich_map() -> ArgumentMap:
    """The parts added after the first version: formatting ranges, strict relations, comments, included spans."""
    included = SourceSpan(3, 1, 3, 20, "parts/more.arg")
    statements = [
        Statement(
            "Rain",
            (
                rich(
                    "It will rain, says the forecast; see @[Wet].",
                    ("rain", RangeKind.BOLD),
                    ("forecast", RangeKind.LINK, "https://example.org/forecast?a=1&b=2"),
                    ("@[Wet]", RangeKind.STATEMENT_MENTION, "Wet"),
                ),
            ),
            span=span(1),
        ),
        Statement("Wet", (Text("Streets get wet.", included, (TextRange(RangeKind.ITALIC, 12, 15),)),), span=included),
        Statement("Dry", (rich("Streets stay dry.", ("dry", RangeKind.ITALIC)),), span=span(5)),
    ]
    arguments = [
        Argument(
            "Forecast",
            (
                rich(
                    "Trust @<Forecast> and this unsafe link.",
                    ("@<Forecast>", RangeKind.ARGUMENT_MENTION, "Forecast"),
                    ("unsafe link", RangeKind.LINK, "javascript:alert(1)"),
                ),
            ),
            span=span(7),
        )
    ]
    relations = [
        Relation(Node(S, "Rain"), Node(S, "Wet"), RelationKind.ENTAILMENT, span(9)),
        Relation(Node(S, "Wet"), Node(S, "Dry"), RelationKind.CONTRARINESS, span(10)),
        Relation(Node(A, "Forecast"), Node(S, "Rain"), RelationKind.SUPPORT, span(11)),
    ]
    return ArgumentMap(
        {s.title: s for s in statements},
        {a.title: a for a in arguments},
        tuple(relations),
        metadata={"model": {"mode": "strict"}},
        source_name="rich.arg",
        comments=(Comment("// a comment", span(12)), Comment("/* another\n one */", SourceSpan(13, 1, 14, 7))),
    )
