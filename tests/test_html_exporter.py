"""The ``html`` exporter without a browser: the page's structure, escaping, policy, data and options.

What the page does when a browser runs it is in tests/test_html_view.py. Here the page is read with Python's
HTML tokenizer (the HTML standard's rules, as a browser reads it): every script, style, tag and attribute of the
page is accounted for, so author text that became markup would show up as an extra tag or attribute.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from exporter_maps import full_map, yaml_values_map
from html_maps import HOSTILE, JAVASCRIPT_URL, PAYLOADS, hostile_map
from hypothesis import given
from strategies import EXAMPLES, argument_maps, property_settings

import argmap
from argmap.exporters import html as html_exporter
from argmap.exporters.html import EXPORTER, script_json, view_data
from argmap.exporters.mapgraph import build_graph
from argmap.exporters.rendered import GraphvizNotFoundError
from argmap.exporters.text import clean
from argmap.model import ArgumentMap, ElementKind, Node, Relation, RelationKind, Statement, Text
from argmap.plugins import default_registry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korea.arg"
GOLDEN = Path(__file__).resolve().parent / "golden"
ASSETS = ROOT / "argmap" / "exporters" / "html_view"
SCRIPT = (ASSETS / "view.js").read_text(encoding="utf-8")
STYLE = (ASSETS / "view.css").read_text(encoding="utf-8")

#: the page's own elements around the diagram
SKELETON_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "div", "input", "span", "button", "main",
    "aside", "script",
}  # fmt: skip
#: what Graphviz's SVG is made of
SVG_TAGS = {"svg", "g", "title", "path", "polygon", "polyline", "ellipse", "text", "a", "defs"}


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each script and style, as a browser tokenizes them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.raw[self._in][-1] += data

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture(scope="module")
def example() -> ArgumentMap:
    return argmap.parse(EXAMPLE.read_text(encoding="utf-8"), "examples/north-korea.arg")


@pytest.fixture(scope="module")
def example_page(example: ArgumentMap, require_dot_module: None) -> str:
    return to_html(example)


@pytest.fixture(scope="module")
def require_dot_module() -> None:
    import shutil

    from conftest import in_ci

    if shutil.which("dot") is None:
        message = "Graphviz's dot is not on PATH (make test installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


def to_html(m: ArgumentMap, **options: Any) -> str:
    """The exporter itself (the registry would wrap its TypeError and ValueError in an ExporterError)."""
    return EXPORTER.export(m, **options)


def island(text: str) -> dict[str, Any]:
    parsed = Page(text)
    (found,) = [i for i, attrs in enumerate(parsed.named("script")) if attrs.get("type") == "application/json"]
    data: dict[str, Any] = json.loads(parsed.raw["script"][found])
    return data


def check_page(text: str) -> Page:
    """What every page must be: the view's own scripts and style only, a strict policy, no handler, no load."""
    parsed = Page(text)
    scripts = parsed.named("script")
    assert scripts == [{"type": "application/json", "id": "argmap-data"}, {}]
    assert parsed.raw["script"][1] == SCRIPT
    assert parsed.raw["style"] == [STYLE]
    json.loads(parsed.raw["script"][0])
    assert {name for name, _ in parsed.tags} <= SKELETON_TAGS | SVG_TAGS
    for name, attrs in parsed.tags:
        for attribute in attrs:
            assert not attribute.startswith("on"), (name, attribute)
            assert attribute not in ("src", "href", "xlink:href", "srcdoc", "action", "formaction", "style"), name
    # the policy: only the page's own script and style, by hash; nothing to load, no base, no form
    (policy,) = [a["content"] for a in parsed.named("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))

    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    assert directives == {
        "default-src": "'none'",
        "script-src": digest(SCRIPT),
        "style-src": digest(STYLE),
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    # self-contained: the only URLs are the SVG's namespace names
    assert re.findall(r"\w+://[^\s\"'<>)]*", text) == ["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]
    return parsed


# -- the page ----------------------------------------------------------------------------------------------------------


def test_the_page_is_self_contained_and_locked_down(example_page: str, example: ArgumentMap) -> None:
    parsed = check_page(example_page)
    assert parsed.named("html") == [{"lang": "en"}]
    assert example_page.startswith("<!DOCTYPE html>\n")
    # the policy comes before anything it governs
    assert example_page.index("Content-Security-Policy") < example_page.index("<style>")
    assert len(parsed.named("svg")) == 1 and "<?xml" not in example_page and "<!DOCTYPE svg" not in example_page
    assert "<!--" not in example_page
    title = example.metadata["title"]
    assert f"<title>{title}</title>" in example_page
    assert f'<h1 id="map-title">{title}</h1>' in example_page


def test_the_skeleton_golden(example_page: str, update_golden: bool) -> None:
    """The page around the diagram, the script and the style sheet, then the data island, as reviewed."""
    skeleton = re.sub(r"'sha256-[^']+'", "'sha256-...'", example_page)
    skeleton = skeleton.replace(f"<style>{STYLE}</style>", "<style>{view.css}</style>")
    skeleton = skeleton.replace(f"<script>{SCRIPT}</script>", "<script>{view.js}</script>")
    skeleton = re.sub(r"<svg\b.*</svg>", "{svg}", skeleton, flags=re.S)
    skeleton = re.sub(r'(<script type="application/json" id="argmap-data">).*?(</script>)', r"\1{data}\2", skeleton)
    skeleton = re.sub(r'content="argmap [^"]+"', 'content="argmap {version}"', skeleton)
    lines = [skeleton, "{data}:"]
    for key, value in island(example_page).items():  # one element, section, box or relation a line
        if isinstance(value, (dict, list)) and key not in ("metadata", "title"):
            lines.append(f"{key}:")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            lines.extend(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in items)
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    text = "\n".join(lines) + "\n"
    golden = GOLDEN / "north-korea.html.txt"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), f"{golden.name} is missing: run `make golden` and review the new file"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs: review, then `make golden`"


def test_the_diagram_is_the_svg_exporter_s(example: ArgumentMap, example_page: str) -> None:
    svg = argmap.export(example, "svg")
    assert isinstance(svg, str)
    inline = svg[svg.index("<svg") :]
    inline = re.sub(r"<!--.*?-->", "", inline, flags=re.S).strip()
    assert f"\n{inline}\n" in example_page
    evaluated = to_html(example, evaluate=True)
    svg = argmap.export(example, "svg", evaluate=True)
    assert isinstance(svg, str)
    assert re.sub(r"<!--.*?-->", "", svg[svg.index("<svg") :], flags=re.S).strip() in evaluated


def test_the_same_map_gives_the_same_page(example: ArgumentMap, example_page: str) -> None:
    assert to_html(example) == example_page


# -- escaping ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b > c < d",
        "\u2028\u2029",
        {"</SCRIPT>": ["<", ">", "&", "\\u003c"]},
        "\x00\x1b",
    ],
)
def test_script_json_cannot_end_its_script(value: Any) -> None:
    written = script_json(value)
    assert json.loads(written) == value
    assert not set(written) & {"<", ">", "&", "\u2028", "\u2029"}


@pytest.mark.parametrize("payload", [*PAYLOADS, HOSTILE])
def test_hostile_text_in_every_place_stays_text(payload: str, require_dot_module: None) -> None:
    m = hostile_map(payload)
    written = to_html(m, evaluate=True, legend=True, title=payload)
    check_page(written)
    data = island(written)
    elements = data["elements"]
    assert data["title"] == clean(payload)  # on one line
    assert data["metadata"]["title"] == data["metadata"]["author"] == data["metadata"][payload] == payload
    statement = next(e for e in elements.values() if e["title"] == payload and e["kind"] == "statement")
    assert statement["texts"][0]["text"].startswith(payload)
    assert statement["tags"] == [payload]
    assert statement["quotes"] == [payload]
    assert statement["data"][payload] == payload
    argument = next(e for e in elements.values() if e["kind"] == "argument")
    assert argument["title"] == f"A {payload}"
    assert argument["steps"][1]["rules"] == [payload]
    assert data["sections"]["s1"]["title"] == payload
    # the javascript: URL is kept as text only; the mention points at the hostile statement
    link = [r for r in statement["texts"][0]["ranges"] if r[0] == "link"]
    assert link == [["link", link[0][1], link[0][2], None, JAVASCRIPT_URL]]
    mention = [r for r in statement["texts"][0]["ranges"] if r[0] == "s"]
    assert elements[mention[0][3]] is statement
    # the page's title and heading: escaped text, on one line
    shown = html.escape(clean(payload), quote=True)
    assert f"<title>{shown}</title>" in written and f'<h1 id="map-title">{shown}</h1>' in written


def test_a_map_without_title_is_named_by_its_file(require_dot_module: None) -> None:
    m = argmap.parse("[A]: a.", "some/where/my-map.arg")
    assert "<title>my-map.arg</title>" in to_html(m)
    assert "<title>Argument map</title>" in to_html(argmap.parse("[A]: a."))
    assert "<title>Mine &amp; yours</title>" in to_html(m, title="Mine & yours")


# -- the data island ---------------------------------------------------------------------------------------------------


def test_the_data_holds_every_element_relation_and_box() -> None:
    m = full_map()
    data = view_data(m)
    elements = data["elements"]
    ids = {(e["kind"], e["title"]): i for i, e in elements.items()}
    assert [e["title"] for i, e in elements.items() if i.startswith("S")] == list(m.statements)
    assert [e["title"] for i, e in elements.items() if i.startswith("A")] == list(m.arguments)
    # every box of the diagram is an element, by the SVG's node ids
    assert data["nodes"] == {node.id: ids[node.kind.value, node.title] for node in build_graph(m).nodes}
    # relations as written, once each; an undercut points at the argument's inference
    relations = {tuple(r) for r in data["relations"]}
    assert len(relations) == len(data["relations"]) == len(set(m.relations))
    assert (ids["statement", "s9"], ids["argument", "Grey sky"] + ">", "undercut") in relations
    assert (ids["statement", "Sun"], ids["statement", "Rain"], "contradiction") in relations
    rain = elements[ids["statement", "Rain"]]
    assert rain["texts"] == [{"text": "It will rain."}, {"text": "Rain is coming."}]
    assert rain["quotes"] == ["It will rain,", "they said."]
    assert rain["data"] == {"confidence": 0.8, "when": "today"}
    assert rain["tags"] == ["weather", "main claim"]
    assert rain["section"] == "s1"
    assert elements[ids["statement", "s9"]]["generated"] is True
    grey = elements[ids["argument", "Grey sky"]]
    assert grey["steps"] == [
        {"n": 1, "ref": ids["statement", "Clouds"]},
        {"n": 2, "ref": ids["statement", "Grey means rain"]},
        {"n": 3, "ref": ids["statement", "Likely"], "conclusion": True, "rules": ["modus ponens"], "uses": [1, 2]},
        {"n": 4, "ref": ids["statement", "Rain"], "conclusion": True},
    ]
    assert data["sections"]["s2"] == {"title": "Details", "parent": "s1"}
    assert data["metadata"] == {"title": "Will it rain?", "author": ["Ann", "Bo"], "source": "Talk — 2024"}
    assert "evaluation" not in data


@property_settings(max(1, EXAMPLES // 5))
@given(argument_maps())
def test_the_data_of_any_map_is_whole(m: ArgumentMap) -> None:
    """Every box, relation end, step, mention and label names an element of the data; the island is JSON."""
    evaluation = m.evaluate()
    data = view_data(m, evaluation)
    elements = data["elements"]
    assert len([i for i in elements if i[0] in "SA"]) == len(m.statements) + len(m.arguments)
    assert set(data["nodes"]) == {node.id for node in build_graph(m).nodes}
    named = [*data["nodes"].values(), *(end.rstrip(">") for r in data["relations"] for end in r[:2])]
    named += [step["ref"] for e in elements.values() for step in e.get("steps", ())]
    named += [r[3] for e in elements.values() for t in e.get("texts", ()) for r in t.get("ranges", ()) if r[0] in "sa"]
    named += [key.rstrip(">") for key in data["evaluation"]["labels"]]
    assert set(named) <= set(elements)
    assert json.loads(script_json(data)) == data


def test_undefined_ends_links_and_mentions() -> None:
    s = ElementKind.STATEMENT
    text = "See @[Nowhere] and this page and that."
    ranges = (
        argmap.model.TextRange(argmap.model.RangeKind.STATEMENT_MENTION, 4, 14, title="Nowhere"),
        argmap.model.TextRange(argmap.model.RangeKind.LINK, 19, 28, url="https://example.org/a?b=<c>"),
        argmap.model.TextRange(argmap.model.RangeKind.LINK, 33, 37, url=" JavaScript:alert(1)"),
        argmap.model.TextRange(argmap.model.RangeKind.ITALIC, 0, 3),
    )
    m = ArgumentMap(
        {"A": Statement("A", (Text(text, ranges=ranges),))},
        relations=(Relation(Node(s, "Ghost"), Node(s, "A"), RelationKind.ATTACK),),
    )
    data = view_data(m)
    assert data["elements"]["U1"] == {"kind": "statement", "title": "Nowhere", "unknown": True}
    assert data["elements"]["U2"] == {"kind": "statement", "title": "Ghost", "unknown": True}
    assert data["relations"] == [["U2", "S1", "attack"]]
    assert data["elements"]["S1"]["texts"][0]["ranges"] == [
        ["s", 4, 14, "U1"],
        ["link", 19, 28, "https://example.org/a?b=<c>"],
        ["link", 33, 37, None, " JavaScript:alert(1)"],
        ["i", 0, 3],
    ]
    # the text of the page's island: no "<" even inside the URL
    assert "<c>" not in script_json(data) and "\\u003cc\\u003e" in script_json(data)


def test_data_of_every_yaml_type_is_plain_json() -> None:
    data = view_data(yaml_values_map())
    dated = data["elements"]["S1"]["data"]
    assert dated["date"] == "2019-01-08"
    assert dated["naive"] == "2002-12-14T21:59:43"
    assert dated["set"] == ["a", "b", "c"]
    assert dated["binary"] == base64.b64encode(b"\x00\xffGIF").decode()
    assert (dated["nan"], dated["inf"], dated["-inf"]) == ("NaN", "Infinity", "-Infinity")
    assert (dated["1"], dated["null"], dated["false"], dated["2.5"], dated["2020-02-02"]) == (
        "int key", "null key", "bool key", "float key", "date key",
    )  # fmt: skip
    assert dated["pairs"] == [["a", 1], ["b", 2]]
    assert data["metadata"]["date"] == "2019-01-08"
    json.loads(script_json(data))  # allow_nan=False: every value is JSON


def test_the_evaluation_in_the_data(example: ArgumentMap) -> None:
    evaluation = example.evaluate()
    data = view_data(example, evaluation)
    ids = {(e["kind"], e["title"]): i for i, e in data["elements"].items()}
    labels = data["evaluation"]["labels"]
    assert data["evaluation"]["semantics"] == "grounded"
    assert data["evaluation"]["counts"] == {label.value: n for label, n in evaluation.labelling.counts().items()}
    assert len(labels) == len(evaluation.labelling)
    for node, verdict in evaluation.labelling.verdicts.items():
        kind = "statement" if node.kind is ElementKind.STATEMENT else "argument"
        key = ids[kind, node.title] + (">" if node.kind is ElementKind.INFERENCE else "")
        assert labels[key] == [verdict.label.value, verdict.reason]
    assert any(key.endswith(">") for key in labels)  # the example undercuts an inference


# -- options, registration, the command --------------------------------------------------------------------------------


def test_options(example: ArgumentMap, require_dot_module: None) -> None:
    small = argmap.parse("[A]: a.\n  + [B]: b.\n  - <C>: c.")
    assert 'class="node"' in to_html(small, rankdir="LR", wrap="20", legend="true", engine="neato")
    with pytest.raises(
        TypeError, match=re.escape("unknown option(s) colour; known: rankdir, wrap, legend, evaluate, engine, title")
    ):
        to_html(small, colour="red")
    with pytest.raises(ValueError, match="rankdir"):
        to_html(small, rankdir="sideways")
    with pytest.raises(ValueError, match="title"):
        to_html(small, title=3)
    with pytest.raises(ValueError, match="evaluate"):
        to_html(small, evaluate="sometimes")
    # labels as given: the same page as evaluate=true
    assert to_html(small, evaluate=small.evaluate()) == to_html(small, evaluate="true")
    assert to_html(small, evaluate=small.evaluate().labelling) == to_html(small, evaluate=True)
    assert to_html(small, evaluate="false") == to_html(small)


def test_one_labelling_at_a_time(require_dot_module: None) -> None:
    pytest.importorskip("py_arg")
    torn = argmap.parse("[A]: a.\n  >< [B]: b.")
    preferred = torn.evaluate("preferred")
    assert len(preferred.labellings) == 2
    with pytest.raises(ValueError, match="the HTML view shows one labelling"):
        to_html(torn, evaluate="preferred")
    first, second = (to_html(torn, evaluate=labelling) for labelling in preferred.labellings)
    assert island(first)["evaluation"]["labels"] != island(second)["evaluation"]["labels"]


def test_registered_as_html() -> None:
    exporter = default_registry().get("html")
    assert exporter is EXPORTER
    assert (exporter.name, exporter.suffix, exporter.binary) == ("html", ".html", False)
    assert html_exporter.__name__ in argmap.plugins.BUILTIN_EXPORTERS["html"]


def test_the_command_writes_the_page_next_to_the_map(tmp_path: Path, require_dot_module: None) -> None:
    source = tmp_path / "article.arg"
    source.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "render", str(source), "-f", "html", "--evaluate"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "article.html").read_text(encoding="utf-8")
    check_page(written)
    assert "evaluation" in island(written)


def test_without_graphviz_the_error_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFoundError):
        to_html(argmap.parse("[A]: a."))


# -- the script and style sheet ----------------------------------------------------------------------------------------


def test_the_script_never_parses_html_or_loads_anything() -> None:
    """The view's script builds the page from data with createElement/textContent/setAttribute only."""
    for forbidden in (
        "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(", "setTimeout(",
        "fetch(", "XMLHttpRequest", "WebSocket", "import(", "srcdoc", "DOMParser", "createContextualFragment",
        ".src", "location",
    ):  # fmt: skip
        assert forbidden not in SCRIPT, forbidden
    for forbidden in ("url(", "@import", "@font-face"):
        assert forbidden not in STYLE, forbidden


def test_the_page_is_small() -> None:
    """Hand-written, no framework: the script and style sheet stay small enough to read."""
    assert len(SCRIPT.encode()) < 40_000
    assert len(STYLE.encode()) < 12_000


def test_dates_in_the_front_matter(require_dot_module: None) -> None:
    m = argmap.parse("===\ntitle: Dated\ndate: 2019-01-08\n===\n\n[A]: a.")
    assert island(to_html(m))["metadata"] == {"title": "Dated", "date": datetime.date(2019, 1, 8).isoformat()}
