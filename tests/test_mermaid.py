"""The ``mermaid`` exporter: goldens, Mermaid's own parser, escaping, the link of each relation.

Mermaid's parser runs in Node (``make mermaid`` installs Mermaid and jsdom into .cache/mermaid;
tests/mermaid/parse.mjs drives it). Every diagram the tests make is parsed in one Node run. Laying
a diagram out needs a browser, so nothing is rendered here: docs/formats.md says how the output
was looked at in one.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from conftest import in_ci
from hypothesis import given
from strategies import EXAMPLES, argument_maps, hostile_text, property_settings
from test_golden import compare

import argmap
from argmap.errors import ExporterError
from argmap.exporters.mermaid import EXPORTER, LINKS, escape
from argmap.model import (
    Argument,
    ArgumentMap,
    ElementKind,
    Node,
    Relation,
    RelationKind,
    Section,
    Statement,
    Text,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "mermaid"
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.arg"))
MERMAID = ROOT / ".cache" / "mermaid"
PARSE = ROOT / "tests" / "mermaid" / "parse.mjs"

HOSTILE = [
    'a "quoted" b',
    "end",
    "#quot; #35; &amp; &lt;b&gt;",
    "<img src=x onerror=alert(1)>",
    "`code` **bold** _it_",
    "%% not a comment",
    "%%{init: {'theme': 'dark'}}%%",
    "ﬂ°lt¶ß",
    "[x] (y) {z} |pipe| ((c))",
    "x--x --> A---oB ==> -.->",
    "subgraph s end",
    "click s1 call alert()",
    "style s1 fill:red",
    "classDef x fill:red;",
    "line\nbreak",
    "\\",
    '"',
]


def mermaid(m: ArgumentMap, **options: object) -> str:
    out = EXPORTER.export(m, **options)
    assert isinstance(out, str)
    return out


def _statement_map(texts: list[str]) -> ArgumentMap:
    statements = {f"T{i} {t}": Statement(f"T{i} {t}", (Text(t),)) for i, t in enumerate(texts)}
    titles = list(statements)
    relations = tuple(
        Relation(Node(ElementKind.STATEMENT, a), Node(ElementKind.STATEMENT, b), RelationKind.ATTACK)
        for a, b in itertools.pairwise(titles)
    )
    return ArgumentMap(statements=statements, relations=relations)


def _all_kinds() -> ArgumentMap:
    m = argmap.parse(
        "[A]: a\n  + [B]: b\n  - [C]: c\n  >< [D]: d\n\n"
        "<Arg>: an argument\n\n(1) [P]: p\n----\n(2) [A]\n\n<Arg>\n  <_ [U]: u\n\n[Q]: q\n  +> <Arg>\n"
    )
    strict = argmap.parse("===\nmodel:\n  mode: strict\n===\n\n[E]: e\n  + [F]: f\n  - [G]: g\n")
    return ArgumentMap(
        statements={**m.statements, **strict.statements},
        arguments=m.arguments,
        relations=m.relations + strict.relations,
        sections=(),
        metadata=strict.metadata,
    )


def _diagrams() -> list[str]:
    """Every diagram the parser checks: the examples with each option, hostile text, every kind of relation."""
    found = []
    for example in EXAMPLE_FILES:
        m = argmap.parse_file(example)
        found.append(mermaid(m))
        found.append(mermaid(m, rankdir="LR", sections=False, wrap=26))
    found.append(mermaid(_statement_map(HOSTILE)))
    found.append(mermaid(_all_kinds()))
    hostile_section = Section("s1", HOSTILE[3] + " " + HOSTILE[0], 1)
    found.append(
        mermaid(
            ArgumentMap(statements={"A": Statement("A", (Text("end"),), section="s1")}, sections=(hostile_section,))
        )
    )
    return found


def _parser_results(diagrams: tuple[str, ...]) -> tuple[str | None, ...]:
    node = shutil.which("node")
    if node is None or not (MERMAID / "node_modules" / "mermaid").is_dir():
        message = "Mermaid's parser is not installed: make mermaid"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    script = PARSE.read_text(encoding="utf-8")
    # --input-type=module -e: the script's imports are found from the working directory, .cache/mermaid
    run = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(list(diagrams)),
        capture_output=True,
        text=True,
        cwd=MERMAID,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results: list[str | None] = json.loads(run.stdout)
    return tuple(results)


#: diagrams the parser must refuse: the check is only worth something if a broken diagram fails it
BROKEN = ('flowchart BT\n  s1["a"b"]\n', "flowchart BT\n  s1 --> end\n", "flowchart BT\n  linkStyle 3 stroke:red\n")


@cache
def _checked() -> tuple[tuple[str, str | None], ...]:
    """Each diagram of :func:`_diagrams` and :data:`BROKEN` with what the parser said, from one Node run."""
    diagrams = (*_diagrams(), *BROKEN)
    return tuple(zip(diagrams, _parser_results(diagrams), strict=True))


def test_mermaids_parser_reads_every_diagram() -> None:
    failures = [(d, r) for d, r in _checked()[: -len(BROKEN)] if r is not None]
    assert not failures, failures[0]


def test_mermaids_parser_can_fail() -> None:
    assert all(result is not None for _, result in _checked()[-len(BROKEN) :])


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_goldens(example: Path, update_golden: bool) -> None:
    compare(GOLDEN / f"{example.stem}.mmd", mermaid(argmap.parse_file(example)), update_golden)


def test_every_relation_has_its_own_link(update_golden: bool) -> None:
    written = mermaid(_all_kinds())
    compare(GOLDEN / "relations.mmd", written, update_golden)
    links = {kind: link for kind, (link, _) in LINKS.items()}
    assert len(set(links.values())) == len(links), "two kinds look the same"
    for kind, link in links.items():
        assert re.search(rf"^  [sa]\d+ {re.escape(link)} [sa]\d+$", written, re.M), kind
    # each kind's colour on exactly its edges
    kind_of = {link: kind for kind, link in links.items()}
    edges = [kind_of[line.split()[1]] for line in written.splitlines() if re.match(r"^  [sa]\d+ \S+ [sa]\d+$", line)]
    styled = 0
    for line in written.splitlines():
        if line.startswith("  linkStyle "):
            _, indexes, style = line.strip().split(" ", 2)
            kinds = {edges[int(i)] for i in indexes.split(",")}
            assert len(kinds) == 1 and LINKS[kinds.pop()][1] == style
            styled += len(indexes.split(","))
    assert styled == len(edges)


def test_shapes_tell_statements_and_arguments_apart() -> None:
    written = mermaid(_all_kinds())
    assert re.search(r'^  s\d+\["<b>A</b><br>a"\]$', written, re.M)
    assert re.search(r'^  a\d+\(\["<b>Arg</b><br>an argument"\]\)$', written, re.M)
    assert "class a1 argument" in written


def _shown(label: str) -> str:
    """What a label shows: Mermaid's entity codes and the HTML tags argmap writes undone, ``<br>`` as a space."""
    label = label.replace("<b>", "").replace("</b>", "").replace("<br>", " ")
    assert not re.search(r'["<>`]', label), label

    def decode(match: re.Match[str]) -> str:
        code = match.group(1)
        named = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}
        return named[code] if code in named else chr(int(code))

    return re.sub(r"#(\w+);", decode, label).replace("\u200b", "")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_shown_as_written(text: str) -> None:
    written = mermaid(_statement_map([text]), wrap=0)
    label = re.search(r'^  s1\["(.*)"\]$', written, re.M)
    assert label is not None, written
    shown = " ".join(text.split())
    assert _shown(label.group(1)) == f"T0 {shown} {shown}".strip()
    assert len(written.splitlines()) == 4, "the text made lines of its own"


@property_settings(max(1, EXAMPLES // 2))
@given(hostile_text())
def test_escape_leaves_nothing_mermaid_reads(drawn: tuple[str, tuple[str, ...]]) -> None:
    text = " ".join(drawn[0].split())
    escaped = escape(text)
    assert not re.search(r'["<>`%&]', escaped)
    assert not re.search(r"#(?!(?:quot|amp|lt|gt|\d+);)", escaped)
    # a zero-width space shows as nothing: _shown drops the escaper's, so the text's own count as nothing too
    assert _shown(escaped) == text.replace("\u200b", "")


@property_settings(max(1, EXAMPLES // 4))
@given(argument_maps())
def test_generated_maps_are_written(generated: ArgumentMap) -> None:
    written = mermaid(generated)
    assert written.startswith("flowchart BT\n")
    # every line is a node, a subgraph line, an edge or a style: no user text outside a quoted label
    for line in written.splitlines()[1:]:
        outside = re.sub(r'"[^"]*"', '""', line)
        assert re.fullmatch(
            r' *(?:[sa]\d+\(?\[""\]\)?|subgraph sec\d+ \[""\]|end|[sa]\d+ \S+ [sa]\d+|'
            r"classDef \w+ \S+(?: \S+)*|class [\w,]+ \w+|style sec\d+ \S+|linkStyle [\d,]+ \S+)",
            outside,
        ), line


def test_sections_are_subgraphs() -> None:
    m = argmap.parse("# One\n\n[A]: a\n\n## Two\n\n[B]: b\n  + [A]\n\n# Empty\n\n# Three\n\n[C]: c\n")
    written = mermaid(m)
    assert 'subgraph sec1 ["One"]' in written and 'subgraph sec2 ["Two"]' in written
    assert "Empty" not in written, "a section with nothing drawn in it is left out"
    assert (
        written.index('subgraph sec2 ["Two"]') < written.index("    end\n") < written.index('subgraph sec4 ["Three"]')
    )
    assert "subgraph" not in mermaid(m, sections="false")


def test_options() -> None:
    m = argmap.parse("[A]: a long text that wraps at some point\n")
    assert mermaid(m, rankdir="lr").startswith("flowchart LR\n")
    assert mermaid(m).count("<br>") == 1, "by default only between title and text: Mermaid wraps"
    assert mermaid(m, wrap=10).count("<br>") == 4
    fenced = mermaid(m, fenced=True)
    assert fenced.startswith("```mermaid\nflowchart BT\n") and fenced.endswith("\n```\n")
    assert fenced == "```mermaid\n" + mermaid(m) + "```\n"
    assert mermaid(m) == mermaid(m)
    for bad in ({"rankdir": "UP"}, {"wrap": -1}, {"wrap": True}, {"fenced": "perhaps"}, {"colour": "red"}):
        with pytest.raises(ExporterError):
            mermaid(m, **bad)


def test_registered() -> None:
    m = argmap.parse("[A]: a\n")
    assert argmap.export(m, "mermaid") == mermaid(m)
    assert EXPORTER.suffix == ".mmd"


def test_unknown_elements_are_dashed() -> None:
    m = ArgumentMap(
        statements={"A": Statement("A", (Text("a"),))},
        arguments={"B": Argument("B")},
        relations=(
            Relation(Node(ElementKind.STATEMENT, "Nowhere"), Node(ElementKind.STATEMENT, "A"), RelationKind.SUPPORT),
        ),
    )
    written = mermaid(m)
    assert re.search(r"class s2 unknown", written)
    assert '["<b>Nowhere</b>"]' in written
