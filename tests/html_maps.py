"""A map with hostile text in every place an author can write, for the HTML exporter's tests (built in code)."""

from __future__ import annotations

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

FLAG = "__argmapPwned"
#: each would set the flag (or open a dialog, or load something) if it ever ran as markup or script
PAYLOADS = (
    f"<script>window.{FLAG}=1;alert(1)</script>",
    f"</script><script>window.{FLAG}=2;alert(2)</script>",
    f'<img src=x onerror="window.{FLAG}=3;alert(3)">',
    f'"\'><svg onload="window.{FLAG}=4">',
    f'<iframe srcdoc="<script>parent.{FLAG}=5</script>"></iframe>',
    "<!-- ]]> --> &amp; &lt;b&gt; \\u003c \u2028",
)
HOSTILE = " ".join(PAYLOADS)
JAVASCRIPT_URL = f"javascript:window.{FLAG}=6;alert(6)"


def hostile_map(h: str = HOSTILE) -> ArgumentMap:
    """``h`` (by default every payload at once) in every place: titles, texts, tags, data keys and values, quotes,
    a section, the front matter, an inference rule, mentions; a ``javascript:`` link; relations between them all."""
    s, a = ElementKind.STATEMENT, ElementKind.ARGUMENT
    mention = f"@[{h}]"
    text = f"{h} see this {mention}"
    link_start = len(h) + 1
    ranges = (
        TextRange(RangeKind.LINK, link_start, link_start + 8, url=JAVASCRIPT_URL),
        TextRange(RangeKind.BOLD, 0, 10),
        TextRange(RangeKind.STATEMENT_MENTION, len(text) - len(mention), len(text), title=h),
    )
    statements = [
        Statement(
            h,
            (Text(text, ranges=ranges),),
            tags=(h,),
            data={h: h, "quote": [h], "list": [h, {"k": h}]},
            section="s1",
        ),
        Statement("P", (Text(f"Premise {h}"),), section="s1"),
        Statement("C", (Text("Conclusion."),), section="s1"),
    ]
    argument = Argument(
        f"A {h}",
        (Text(h),),
        tags=(h,),
        steps=(Premise(1, "P"), Conclusion(2, "C", Inference((h,)))),
        section="s1",
    )
    relations = (
        Relation(Node(a, argument.title), Node(s, h), RelationKind.SUPPORT),
        Relation(Node(s, "P"), Node(s, h), RelationKind.ATTACK),
        Relation(Node(s, h), Node(ElementKind.INFERENCE, argument.title), RelationKind.UNDERCUT),
        Relation(Node(s, f"undefined {h}"), Node(s, "C"), RelationKind.CONTRADICTION),
    )
    return ArgumentMap(
        {st.title: st for st in statements},
        {argument.title: argument},
        relations,
        (Section("s1", h, 1),),
        {"title": h, "author": h, h: h},
    )
