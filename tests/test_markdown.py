"""The markdown exporter: a CommonMark outline whose every user text renders as written."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from exporter_maps import HOSTILE, S, cycle_map, full_map, hostile_map, rich, rich_map, yaml_values_map
from markdown_it import MarkdownIt
from markdown_it.token import Token

import argmap
from argmap.errors import ExporterError
from argmap.exporters.markdown import escape, render_text, safe_url
from argmap.model import (
    ArgumentMap,
    Node,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
    TextRange,
)
from argmap.plugins import Exporter, ExporterRegistry

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("examples/*.arg"), *ROOT.glob("tests/notation/*.arg")])

MD = MarkdownIt("commonmark", {"html": True})


def export(m: ArgumentMap) -> str:
    text = argmap.export(m, "markdown")
    assert isinstance(text, str)
    return text


def plain(inline: Token) -> str:
    """The text an inline token renders as; fails on anything the author did not write as text."""
    parts = []
    for child in inline.children or []:
        assert child.type not in ("html_inline", "link_open", "image", "code_inline"), (child.type, child.content)
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def blocks(source: str) -> list[Token]:
    tokens = MD.parse(source)
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence", "hr")], source
    return tokens


def inline_texts(source: str) -> list[str]:
    return [plain(t) for t in blocks(source) if t.type == "inline"]


def collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


# -- escaping ---------------------------------------------------------------------

NASTY = [
    HOSTILE,
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<http://example.invalid>",
    "1. not a list",
    "1) not a list",
    "- not a list",
    "+ not a list",
    "> not a quote",
    "# not a heading",
    "Title ##",
    "---",
    "===",
    "***",
    "```",
    "~~~",
    "    indented",
    "&amp; &#65; &#x41; & alone",
    "snake_case and _emphasis_ and __strong__",
    "a*b*c",
    "trailing backslash \\",
    "| a | b |",
    "[ref]: /url",
    "![img](x.png)",
    "C# and F#",
    "x<y and y>z",
    "line one\nline two",
    "non-breaking\u00a0space",
]


def render_contexts(text: str) -> list[tuple[str, str]]:
    """Every place the exporter writes user text, with what it must render as."""
    t = collapse(text)
    return [
        (f"# {escape(text, line_start=True)}", t),
        (escape(text, line_start=True), t),
        (f"> {escape(text, line_start=True)}", t),
        (f"- *supports* **[{escape(text)}]**: {escape(text)}", f"supports [{t}]: {t}"),
        (f"- **\\<{escape(text)}>** (see above)", f"<{t}> (see above)"),
        (f"1. **[{escape(text)}]**: {escape(text)}", f"[{t}]: {t}"),
        (f"—— *{escape(text)}* uses (1) ——", f"—— {t} uses (1) ——"),
    ]


@pytest.mark.parametrize("text", NASTY)
def test_escaped_text_renders_as_written(text: str) -> None:
    for source, expected in render_contexts(text):
        assert inline_texts(source) == [expected], source


def test_escaping_survives_random_markup() -> None:
    alphabet = "ab1 #*_`|[]()<>!&;:\\-+=.)~{}\"'/\t\nxé"
    rng = random.Random(20190108)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        if not collapse(text):
            continue
        for source, expected in render_contexts(text):
            assert inline_texts(source) == [expected], repr(source)


def test_escaping_keeps_ordinary_text_readable() -> None:
    assert escape("snake_case, C# & x > y") == "snake_case, C# & x > y"
    assert escape("It will *rain*.") == "It will \\*rain\\*."
    assert escape("1. Item", line_start=True) == "1\\. Item"
    assert escape("C# #1", line_start=True) == "C\\# \\#1"


# -- the outline ------------------------------------------------------------------


def test_markdown_is_a_registered_exporter() -> None:
    exporter = ExporterRegistry().get("markdown")
    assert isinstance(exporter, Exporter)
    assert (exporter.name, exporter.suffix, exporter.binary) == ("markdown", ".md", False)


def test_unknown_options_are_refused() -> None:
    with pytest.raises(ExporterError, match="takes no options"):
        argmap.export(full_map(), "markdown", toc=True)


FULL = """\
# Will it rain?

Ann, Bo · Talk — 2024

- **[Sun]**: The sun will shine.

  > Sunny!

  - *contradicts* **[Rain]**: {shown} #weather #(main claim) (see below)
- **\\<Forecast>**: The forecast says sun.
  - *attacks* **\\<Sketch>**
- Forecasts are often wrong.
- **[Only referenced]**

## Weather

- **[Rain]**: {shown} #weather #(main claim)

  {other}

  > It will rain,

  > they said.

  - *supports* **\\<Grey sky>**: Grey skies mean rain. #meteorology (see below)
  - *attacks* **\\<Forecast>**: The forecast says sun. (see above)
  - *contradicts* **[Sun]**: The sun will shine. (see above)

### Details

- **\\<Grey sky>**: Grey skies mean rain. #meteorology

  1. **[Clouds]**: The sky is grey.
  2. **[Grey means rain]**: Grey skies bring rain.

  —— *modus ponens* uses (1), (2) ——

  3. **[Likely]**: Rain is likely.

  ————

  4. **[Rain]**: {shown}

  - *undercuts* Forecasts are often wrong. (see above)

#### Three

##### Four

###### Five

###### Six

###### Seven

- **[Deep]**: A deep claim.
"""


def test_full_map_outline() -> None:
    """Roots per section in document order, children nested, elements expanded in their own section."""
    m = full_map()
    shown = m.statements["Rain"].text  # which of its texts stands for it is the model's choice
    other = next(t.text for t in m.statements["Rain"].texts if t.text != shown)
    assert export(m) == FULL.format(shown=shown, other=other)


def test_every_relation_kind_is_labelled() -> None:
    text = export(full_map())
    for label in ("*supports*", "*attacks*", "*undercuts*", "*contradicts*"):
        assert label in text


def test_the_outline_is_well_formed_commonmark() -> None:
    tokens = blocks(export(full_map()))
    headings = [(t.tag, plain(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        ("h1", "Will it rain?"),
        ("h2", "Weather"),
        ("h3", "Details"),
        ("h4", "Three"),
        ("h5", "Four"),
        ("h6", "Five"),
        ("h6", "Six"),
        ("h6", "Seven"),
    ]
    ordered = [t for t in tokens if t.type == "ordered_list_open"]
    assert [t.attrGet("start") for t in ordered] == [None, 3, 4]
    quotes = [plain(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    assert quotes == ["Sunny!", "It will rain,", "they said."]


def test_without_a_title_sections_start_at_h1() -> None:
    m = ArgumentMap(
        statements={"A": Statement("A", (Text("A."),), section="s1")},
        sections=(Section("s1", "One", 1), Section("s2", "Two", 2, parent="s1")),
    )
    assert export(m) == "# One\n\n- **[A]**: A.\n\n## Two\n"


def test_cycles_end_and_repeat_as_see_above() -> None:
    text = export(cycle_map())
    assert text == (
        "- **[A]**: A text.\n"
        "  - *supports* **[C]**: C text.\n"
        "    - *supports* **[B]**: B text.\n"
        "      - *supports* **[A]**: A text. (see above)\n"
        "- **\\<X>**: X says so.\n"
        "  - *attacks* **\\<Y>**: Y says so.\n"
        "    - *attacks* **\\<X>**: X says so. (see above)\n"
    )


def test_a_premise_without_relations_appears_only_in_its_argument() -> None:
    text = export(full_map())
    assert text.count("[Clouds]") == 1
    assert text.count("[Likely]") == 1


def test_hostile_text_renders_as_text_everywhere() -> None:
    source = export(hostile_map())
    tokens = blocks(source)
    rendered = "\n".join(plain(t) for t in tokens if t.type == "inline")
    assert "[x](javascript:alert(1))" in rendered
    assert collapse(HOSTILE) in rendered
    assert "<script>alert(1)</script>" in rendered
    assert "# <title> *map*" in rendered
    assert "## <h1>Heading</h1> #" in rendered
    html = MD.render(source)
    assert "<script>" not in html and "<a " not in html and "<img" not in html and "<b>" not in html
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2"]


def test_untitled_statements_show_their_text_and_data_does_not_crash() -> None:
    assert "- Forecasts are often wrong." in export(full_map())
    assert export(yaml_values_map()) == "# Ünïcode\n\n2019-01-08\n\n- **[Dated]**: Dated.\n"


def test_empty_map() -> None:
    assert export(ArgumentMap()) == "\n"


def test_an_argument_for_a_claim_nests_under_it_without_a_written_relation() -> None:
    parsed = argmap.parse("[C]: Claim.\n\n<A>: Because.\n\n(1) [P]: Premise.\n----\n(2) [C]\n")
    assert export(parsed) == (
        "- **[C]**: Claim.\n"
        "  - *supports* **\\<A>**: Because.\n"
        "\n"
        "    1. **[P]**: Premise.\n"
        "\n"
        "    ————\n"
        "\n"
        "    2. **[C]**: Claim.\n"
    )


def test_dangling_relation_ends_are_written_by_title() -> None:
    m = ArgumentMap(
        statements={"A": Statement("A", (Text("A."),))},
        relations=(Relation(Node(S, "Ghost"), Node(S, "A"), RelationKind.ATTACK),),
    )
    assert export(m) == "- **[A]**: A.\n  - *attacks* **[Ghost]**\n"


# -- parsed maps ----------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_parsed_files_give_clean_outlines(path: Path) -> None:
    m = argmap.parse_file(path)
    source = export(m)
    blocks(source)
    rendered = "\n".join(plain(t) for t in MD.parse(source) if t.type == "inline")
    for statement in m.statements.values():
        if statement.text:
            assert collapse(statement.text) in rendered, statement.title
    for argument in m.arguments.values():
        assert collapse(f"<{argument.title}>") in rendered or argument.generated_title


def test_heading_repeating_the_title_is_printed_once() -> None:
    m = argmap.parse("===\ntitle: The Debate\n===\n\n# The Debate\n\n## Part\n\n[A]: a")
    out = argmap.export(m, "markdown")
    assert isinstance(out, str)
    assert out.count("The Debate") == 1
    assert out.startswith("# The Debate\n")
    assert "\n## Part\n" in out


# -- formatting: a text's ranges as Markdown -----------------------------------------------------

B, IT, L, SM = RangeKind.BOLD, RangeKind.ITALIC, RangeKind.LINK, RangeKind.STATEMENT_MENTION


def rendered(inline: Token) -> tuple[str, list[tuple[str, str]]]:
    """What an inline token shows as text, and its markup as (type, href or text) in order; fails on HTML."""
    text, markup = [], []
    for child in inline.children or []:
        assert child.type not in ("html_inline", "image", "code_inline"), (child.type, child.content)
        if child.type == "text":
            text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text.append("\n")
        elif child.type == "link_open":
            markup.append(("link", str(child.attrGet("href"))))
        elif child.type in ("strong_open", "em_open"):
            markup.append((child.type[:-5], ""))
    return "".join(text), markup


def one_inline(source: str) -> tuple[str, list[tuple[str, str]]]:
    inlines = [t for t in blocks(source) if t.type == "inline"]
    assert len(inlines) == 1, source
    return rendered(inlines[0])


def test_bold_italic_links_and_mentions_become_markdown() -> None:
    text = rich(
        "It will rain, says the forecast; see @[Wet].",
        ("rain", B),
        ("forecast", L, "https://example.org/f?a=1&b=2"),
        ("says", IT),
        ("@[Wet]", SM, "Wet"),
    )
    source = render_text(text)
    assert source == "It will **rain**, *says* the [forecast](https://example.org/f?a=1\\&b=2); see **@\\[Wet\\]**."
    shown, markup = one_inline(source)
    assert shown == text.text
    assert markup == [("strong", ""), ("em", ""), ("link", "https://example.org/f?a=1&b=2"), ("strong", "")]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/x?y#z", True),
        ("http://example.org", True),
        ("mailto:someone@example.org", True),
        ("MAILTO:someone@example.org", True),
        ("page.html#part", True),
        ("/docs/a b", True),
        ("#anchor", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" java\tscript:alert(1)", False),
        ("vbscript:msgbox", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
    ],
)
def test_only_http_https_mailto_and_relative_urls_become_links(url: str, safe: bool) -> None:
    assert safe_url(url) is safe
    text = rich("see this page now", ("this page", L, url))
    shown, markup = one_inline(render_text(text))
    if safe:
        assert markup == [("link", MD.normalizeLink(url.strip()))]
        assert shown == "see this page now"
    else:
        assert markup == []
        assert shown == f"see this page ({collapse(url)}) now"


def test_a_url_cannot_smuggle_markup_or_entities() -> None:
    for url in ["https://e.org/a_(b)", "https://e.org/?q=&quot;x&quot;", "https://e.org/<x>", "a)b](javascript:x"]:
        shown, markup = one_inline(render_text(rich("go there", ("there", L, url))))
        assert shown == "go there"
        assert markup == [("link", MD.normalizeLink(url))], url


def test_formatting_that_markdown_cannot_hold_is_dropped_never_garbled() -> None:
    cases: list[tuple[Text, list[tuple[str, str]]]] = [
        (Text("xyz", ranges=(TextRange(B, 1, 2),)), [("strong", "")]),  # inside a word: * still works
        (Text("wow![a]", ranges=(TextRange(L, 5, 6, url="https://a.org"),)), [("link", "https://a.org")]),
        (rich('a"q"b', ('"q"', B)), []),  # punctuation at the edge next to a letter: cannot flank
        (Text("ab", ranges=(TextRange(B, 0, 1), TextRange(IT, 1, 2))), [("strong", "")]),  # adjacent runs
        (Text("  spaced  ", ranges=(TextRange(B, 0, 10),)), [("strong", "")]),  # edges move outside
        # crossing: cut to nest; inside a word, the inner opening run could close the outer one: plain
        (Text("crossing ranges", ranges=(TextRange(B, 0, 10), TextRange(IT, 5, 15))), [("strong", "")]),
        (Text("a (b) c", ranges=(TextRange(B, 0, 7), TextRange(IT, 2, 5))), [("strong", ""), ("em", "")]),
        (
            Text("nested", ranges=(TextRange(L, 0, 6, url="https://a.org"), TextRange(L, 1, 3, url="https://b.org"))),
            [("link", "https://a.org")],
        ),
    ]
    for text, markup in cases:
        shown, found = one_inline(render_text(text))
        assert shown == collapse(text.text), text
        assert found == markup, (text, render_text(text))


def test_random_ranges_over_hostile_text_render_as_the_text() -> None:
    alphabet = "ab1 #*_`|[]()<>!&;:\\-+=.)~{}\"'/\t\nxé"
    kinds = [B, IT, L, SM]
    rng = random.Random(20240229)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        if not collapse(text):
            continue
        ranges = []
        for _ in range(rng.randint(1, 4)):
            start = rng.randrange(len(text))
            end = rng.randint(start, len(text))
            kind = rng.choice(kinds)
            ranges.append(TextRange(kind, start, end, url="https://e.org/" if kind is L else None))
        item = Text(text, ranges=tuple(sorted(ranges, key=lambda r: (r.start, -r.end))))
        for source, prefix in ((render_text(item), "- **[T]**: "), (render_text(item, line_start=True), "")):
            shown, markup = one_inline(prefix + source)
            assert shown == collapse(("[T]: " if prefix else "") + text), (repr(text), ranges, source)
            assert all(href == "https://e.org/" for kind, href in markup if kind == "link"), source


def test_strict_relations_are_labelled_and_the_rich_map_renders_cleanly() -> None:
    out = export(rich_map())
    assert "- *entails* **[Rain]**" in out
    assert "- *is contrary to* **[Dry]**" in out
    assert "*is contrary to* **[Wet]**" in out  # symmetric: both ways, the second as a back reference
    assert "[forecast](https://example.org/forecast?a=1\\&b=2)" in out
    assert "unsafe link (javascript:alert(1))" in out and "](javascript" not in out
    tokens = blocks(out)
    hrefs = [c.attrGet("href") for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "link_open"]
    assert hrefs == ["https://example.org/forecast?a=1&b=2"] * 2


def test_parsed_formatting_reaches_the_outline() -> None:
    m = argmap.parse(
        "===\nmodel:\n    mode: strict\n===\n\n"
        "[Rain]: It will **rain**, _see_ [the forecast](https://example.org) and [this](javascript:alert(1)).\n"
        "  + [Wet]: Streets get wet, says @[Rain].\n"
    )
    out = export(m)
    assert "It will **rain**, *see* [the forecast](https://example.org) and this (javascript:alert(1))." in out
    assert "- *entails* **[Wet]**" in out
    assert "says **@\\[Rain\\]**" in out
