"""The ``html`` exporter's page in a real browser: headless Chromium (Debian's package) driven by playwright.

The pages are written by the real command (``argmap render -f html``, with and without ``--evaluate``) from the
article example, and by the exporter from a map with hostile text in every place an author can write. Every page
is watched for the whole test: a console error or warning, an uncaught exception, a dialog, or any request but
the page's own file fails it (every request is routed, and all others are aborted and recorded).

``make test`` installs Chromium (``make chromium``); ``ARGMAP_CHROMIUM`` names another Chromium or Chrome. Without
a browser the tests skip, except under CI, where they fail. One browser serves the whole module.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import in_ci
from html_maps import FLAG, HOSTILE, JAVASCRIPT_URL, hostile_map

import argmap
from argmap.exporters.mapgraph import build_graph
from argmap.model import Argument, ArgumentMap, ElementKind, Node, Statement, Text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korea.arg"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SCREENSHOT = ARTIFACTS / "html-view.png"
VIEWPORT = {"width": 1400, "height": 900}


def chromium() -> str | None:
    """The browser to drive: ``ARGMAP_CHROMIUM``, else Debian's ``chromium`` (or Ubuntu's name for it)."""
    given = os.environ.get("ARGMAP_CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser(require_dot_module: None) -> Iterator[Any]:
    path = chromium()
    if path is None:
        _missing("Chromium is not installed (make chromium installs Debian's package; ARGMAP_CHROMIUM names another)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def require_dot_module() -> None:
    if shutil.which("dot") is None:
        _missing("Graphviz's dot is not on PATH (make test installs it)")


class Watched:
    """A page whose console, errors, dialogs and requests are recorded; only ``own`` may be requested."""

    def __init__(self, browser: Any, path: Path, **context_options: Any) -> None:
        self.url = path.as_uri()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT, **context_options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(5_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        try:
            self.page.wait_for_selector("html[data-ready=true]", state="attached")
        except Exception as exc:  # say what went wrong in the page, not only that it never got ready
            flag = self.page.evaluate(f"typeof window.{FLAG}")
            raise AssertionError(
                f"the view did not start: {self.problems=} {self.dialogs=} {self.requests=} window.{FLAG}: {flag}"
            ) from exc

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.url:
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning", "assert"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.problems == []
        assert self.dialogs == []
        assert self.requests == []

    def close(self) -> None:
        self.context.close()

    # what the tests read
    def panel_title(self) -> str:
        text: str = self.page.text_content("#panel h2") or ""
        return text

    def panel_text(self) -> str:
        text: str = self.page.inner_text("#panel")
        return text

    def box(self, element_id: str) -> Any:
        return self.page.locator(f'g.node[data-id="{element_id}"]')

    def open(self, element_id: str) -> None:
        """Click the element's box, the whole map in view first (as a reader would, with Fit)."""
        self.page.click("#zoom-fit")
        self.box(element_id).click()

    def view(self) -> list[float]:
        """What is in view, in the diagram's units: x, y, width, height (the page keeps it on the viewport)."""
        return [float(v) for v in (self.page.get_attribute("#viewport", "data-view") or "").split()]

    def zoom(self) -> float:
        """Screen pixels per diagram unit."""
        return float(self.page.get_attribute("#viewport", "data-zoom") or "nan")

    def assert_view_is_on_screen(self, bounds: list[float]) -> None:
        """The view the page reports is what the screen shows: the drawing's corners land where the view puts them."""
        x, y, w, h = self.view()
        k = self.zoom()
        drawing, viewport = self.page.evaluate(
            "[document.querySelector('#viewport > svg'), document.getElementById('viewport')]"
            ".map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"
        )
        assert viewport[2] / w == pytest.approx(k) and viewport[3] / h == pytest.approx(k)
        assert drawing[0] - viewport[0] == pytest.approx((bounds[0] - x) * k, abs=0.05)
        assert drawing[1] - viewport[1] == pytest.approx((bounds[1] - y) * k, abs=0.05)
        assert drawing[2:] == pytest.approx([bounds[2] * k, bounds[3] * k], abs=0.05)


def render_with_cli(tmp: Path, *flags: str) -> Path:
    """``argmap render examples/north-korea.arg -f html [flags]``, as a user types it."""
    out = tmp / f"north-korea{'-'.join(['', *(f.strip('-') for f in flags)])}.html"
    command = [sys.executable, "-m", "argmap", "render", str(EXAMPLE), "-f", "html", "-o", str(out), *flags]
    done = subprocess.run(command, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, require_dot_module: None) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("html-view")
    return {"plain": render_with_cli(tmp), "evaluated": render_with_cli(tmp, "--evaluate")}


@pytest.fixture(scope="module")
def example() -> ArgumentMap:
    return argmap.parse_file(EXAMPLE)


def data_of(watched: Watched) -> dict[str, Any]:
    """The page's data island, as the page's script reads it."""
    data: dict[str, Any] = watched.page.evaluate("JSON.parse(document.getElementById('argmap-data').textContent)")
    return data


def diagram_bounds(page: Path) -> list[float]:
    """The diagram's own extent, as Graphviz wrote it in the page."""
    found = re.search(r'<svg [^>]*viewBox="([^"]+)"', page.read_text(encoding="utf-8"))
    assert found is not None
    return [float(v) for v in found.group(1).split()]


def texts_of(element: Statement | Argument) -> tuple[Text, ...]:
    return element.texts if isinstance(element, Statement) else element.descriptions


def id_of(data: dict[str, Any], kind: str, title: str) -> str:
    return next(i for i, e in data["elements"].items() if e["kind"] == kind and e["title"] == title)


# -- loading -----------------------------------------------------------------------------------------------------------


def test_the_page_loads_cleanly_offline(browser: Any, pages: dict[str, Path], example: ArgumentMap) -> None:
    watched = Watched(browser, pages["plain"])
    try:
        page = watched.page
        assert page.title() == example.metadata["title"]
        # every box of the diagram is an element the panel knows, focusable, with a name for screen readers
        drawn = {node.id for node in build_graph(example).nodes}
        boxes = page.eval_on_selector_all(
            "g.node[data-id]",
            "els => els.map(e => [e.dataset.id, e.getAttribute('tabindex'), e.getAttribute('role'),"
            " e.getAttribute('aria-label'), e.querySelector(':scope > title').textContent])",
        )
        assert len(boxes) == len(drawn) == page.locator("g.node").count()
        elements = data_of(watched)["elements"]
        for element_id, tabindex, role, label, tooltip in boxes:
            element = elements[element_id]
            assert (tabindex, role) == ("0", "button")
            assert label.startswith(f"{element['kind']}: {element['title']}")
            assert tooltip == (f"[{element['title']}]" if element["kind"] == "statement" else f"<{element['title']}>")
        # the whole map fits the window at first, and the panel shows the map's own details
        x, y, w, h = watched.view()
        gx, gy, gw, gh = diagram_bounds(pages["plain"])
        assert x <= gx and y <= gy and x + w >= gx + gw and y + h >= gy + gh
        assert watched.panel_title() == example.metadata["title"]
        assert "Sojin Lim" in watched.panel_text()
        # nothing loaded but the page itself: no network, no other file
        watched.assert_clean()
        html = pages["plain"].read_text(encoding="utf-8")
        assert "<script src" not in html and "<link" not in html
    finally:
        watched.close()


def test_a_click_on_a_box_opens_its_details(browser: Any, pages: dict[str, Path], example: ArgumentMap) -> None:
    watched = Watched(browser, pages["plain"])
    try:
        page = watched.page
        data = data_of(watched)
        kim = id_of(data, "statement", "Kim open to change")
        watched.box(kim).click()
        statement = example.statements["Kim open to change"]
        assert watched.panel_title() == "Kim open to change"
        text = watched.panel_text()
        assert statement.text in text
        assert "if Kim Jong-un really is open to change in North Korea" in text  # its quote
        assert "SUPPORTED BY" in text.upper() and "[New Year letters]" in text
        assert "CONTRADICTS" in text.upper() and "[As bad as ever]" in text
        assert "Introduction" in page.inner_text("#panel .where")
        assert page.eval_on_selector_all("g.node.selected", "els => els.map(e => e.dataset.id)") == [kim]
        # a supporter in the panel leads to its own details, and its box is selected and focused
        page.click('#panel button.ref:text-is("[New Year letters]")')
        letters = id_of(data, "statement", "New Year letters")
        assert watched.panel_title() == "New Year letters"
        assert page.eval_on_selector_all("g.node.selected", "els => els.map(e => e.dataset.id)") == [letters]
        assert page.evaluate("document.activeElement.dataset.id") == letters
        # an argument shows its premise-conclusion structure, each step a link to the statement
        sign = id_of(data, "argument", "Defection as a sign")
        watched.box(sign).click()
        assert watched.panel_title() == "Defection as a sign"
        steps = page.inner_text("#panel ol.pcs")
        assert "(1) [Asylum]" in steps and "(2) [As bad as ever]" in steps
        assert steps.index("(1) [Asylum]") < steps.index("\u2014\u2014") < steps.index("(2) [As bad as ever]")
        assert "[Personal reasons]" in watched.panel_text()  # it is undercut by it
        # a tag in the panel searches for the tag
        process = id_of(data, "statement", "Long process")
        page.evaluate(
            f"document.querySelector('g.node[data-id=\"{process}\"]').dispatchEvent(new MouseEvent('click', "
            "{bubbles: true}))"
        )
        page.click('#panel button.tag:text-is("#main claim")')
        assert page.input_value("#search") == "#main claim"
        tagged = {id_of(data, "statement", t) for t, s in example.statements.items() if "main claim" in s.tags}
        assert set(page.eval_on_selector_all("g.node.match", "els => els.map(e => e.dataset.id)")) == tagged
        # Escape goes back to the map's own details
        page.keyboard.press("Escape")  # clears the search (focus was in it)
        page.keyboard.press("Escape")
        assert watched.panel_title() == example.metadata["title"]
        watched.assert_clean()
    finally:
        watched.close()


CLOSED = """===
title: Closed sections
===

# Open

[Claim]: The claim everyone discusses.

# Details {isClosed: true}

<Reason>: A reason given in detail.
  +> [Claim]

[Fact]: A fact nobody disputes.
  +> <Reason>

## Deeper

[Aside]: An aside about the details.
  - [Fact]
"""


def test_a_closed_section_opens_as_what_it_holds(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "closed.arg"
    source.write_text(CLOSED, encoding="utf-8")
    out = tmp_path / "closed.html"
    command = [sys.executable, "-m", "argmap", "render", str(source), "-f", "html", "-o", str(out)]
    done = subprocess.run(command, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    watched = Watched(browser, out)
    try:
        page = watched.page
        data = data_of(watched)
        (details,) = [i for i, s in data["sections"].items() if s["title"] == "Details"]
        box = f"section:{details}"
        members = {id_of(data, "argument", "Reason"), *(id_of(data, "statement", t) for t in ("Fact", "Aside"))}
        assert [set(entry["members"]) for entry in data["closed"].values()] == [members]
        # the closed box opens as the section: what it holds, each a link
        watched.box(box).click()
        assert watched.panel_title() == "Details"
        text = watched.panel_text()
        assert "CLOSED SECTION" in text.upper() and "3 elements inside" in text
        assert "[Fact]" in text and "[Aside]" in text and "<Reason>" in text
        assert page.eval_on_selector_all("g.node.selected", "els => els.map(e => e.dataset.id)") == [box]
        assert page.eval_on_selector_all(".edge.related", "els => els.length") == 1  # to [Claim], outside it
        assert page.get_attribute(f'g.node[data-id="{box}"]', "aria-label") == "closed section: Details, 3 elements"
        # an element inside says where it is drawn, and leads back to the box
        page.click('#panel button.ref:text-is("[Aside]")')
        assert watched.panel_title() == "Aside"
        assert "in Details \u203a Deeper" in watched.panel_text()
        assert "drawn inside the closed section Details" in watched.panel_text()
        # the section's box stands for it
        assert page.eval_on_selector_all("g.node.selected", "els => els.map(e => e.dataset.id)") == [box]
        page.click('#panel .where button.ref:text-is("Details")')
        assert watched.panel_title() == "Details"
        assert page.evaluate("document.activeElement.dataset.id") == box
        # the keyboard opens it as it opens any box; a search that finds an element inside marks the box
        page.keyboard.press("Escape")
        page.focus(f'g.node[data-id="{box}"]')
        page.keyboard.press("Enter")
        assert watched.panel_title() == "Details"
        page.fill("#search", "aside")
        assert page.eval_on_selector_all("g.node.match", "els => els.map(e => e.dataset.id)") == [box]
        # the arrow's tooltip names the section
        tooltips = page.eval_on_selector_all("g.edge > title", "els => els.map(e => e.textContent)")
        assert "Details \u2192 [Claim]" in tooltips
        watched.assert_clean()
    finally:
        watched.close()


def test_the_keyboard_reaches_every_box(browser: Any, pages: dict[str, Path]) -> None:
    watched = Watched(browser, pages["plain"])
    try:
        page = watched.page
        page.focus("#viewport")
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.dataset.id")
        assert first == page.eval_on_selector("g.node[data-id]", "e => e.dataset.id")
        page.keyboard.press("Enter")
        assert watched.panel_title() == data_of(watched)["elements"][first]["title"]
        page.keyboard.press("Tab")
        second = page.evaluate("document.activeElement.dataset.id")
        assert second not in (None, first)
        page.keyboard.press(" ")
        assert watched.panel_title() == data_of(watched)["elements"][second]["title"]
        # a box focused outside the view is brought into it
        page.click("#zoom-in")
        for _ in range(6):
            page.keyboard.press("+")
        last = page.eval_on_selector_all("g.node[data-id]", "els => els[els.length - 1].dataset.id")
        page.focus(f'g.node[data-id="{last}"]')
        inside = page.evaluate(
            f"""(() => {{
                const b = document.querySelector('g.node[data-id="{last}"]').getBoundingClientRect();
                const v = document.getElementById('viewport').getBoundingClientRect();
                return b.left >= v.left && b.right <= v.right && b.top >= v.top && b.bottom <= v.bottom;
            }})()"""
        )
        assert inside
        watched.assert_clean()
    finally:
        watched.close()


# -- pan and zoom ------------------------------------------------------------------------------------------------------


def test_pan_and_zoom(browser: Any, pages: dict[str, Path]) -> None:
    watched = Watched(browser, pages["plain"])
    try:
        page = watched.page
        fitted = watched.zoom()
        fitted_box = watched.view()
        # fit: the whole diagram is in view
        x, y, w, h = fitted_box
        gx, gy, gw, gh = diagram_bounds(pages["plain"])
        assert x <= gx and y <= gy and x + w >= gx + gw and y + h >= gy + gh
        bounds = [gx, gy, gw, gh]
        watched.assert_view_is_on_screen(bounds)
        # the wheel zooms in about the pointer: the diagram's point under it stays under it
        viewport = page.locator("#viewport").bounding_box()
        px, py = round(viewport["x"] + 300), round(viewport["y"] + 200)  # whole pixels, as the mouse events have
        ox, oy = px - viewport["x"], py - viewport["y"]
        before = watched.view()
        under = (before[0] + ox / watched.zoom(), before[1] + oy / watched.zoom())
        page.mouse.move(px, py)
        page.mouse.wheel(0, -400)
        page.wait_for_function(f"Number(document.getElementById('viewport').dataset.zoom) > {fitted}")
        after, k = watched.view(), watched.zoom()
        assert k > fitted
        assert after[0] + ox / k == pytest.approx(under[0], abs=0.01)
        assert after[1] + oy / k == pytest.approx(under[1], abs=0.01)
        watched.assert_view_is_on_screen(bounds)
        # a drag pans by the distance dragged, and is no click: the panel stays as it was
        page.mouse.move(px, py)
        page.mouse.down()
        page.mouse.move(px + 40, py + 10, steps=4)
        page.mouse.move(px + 120, py + 60, steps=4)
        page.mouse.up()
        dragged = watched.view()
        assert dragged[0] == pytest.approx(after[0] - 120 / k, abs=0.01)
        assert dragged[1] == pytest.approx(after[1] - 60 / k, abs=0.01)
        watched.assert_view_is_on_screen(bounds)
        assert watched.panel_title() == data_of(watched)["title"]
        # the buttons
        page.click("#zoom-out")
        assert watched.zoom() == pytest.approx(k * 0.8)
        page.click("#zoom-in")
        assert watched.zoom() == pytest.approx(k)
        page.click("#zoom-one")
        assert watched.zoom() == pytest.approx(1)
        page.click("#zoom-fit")
        assert watched.zoom() == pytest.approx(fitted)
        assert watched.view() == pytest.approx(fitted_box)
        # the keyboard: + and - zoom, arrows pan, 0 fits
        page.focus("#viewport")
        page.keyboard.press("+")
        assert watched.zoom() == pytest.approx(fitted * 1.25)
        page.keyboard.press("-")
        assert watched.zoom() == pytest.approx(fitted)
        start = watched.view()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        moved = watched.view()
        assert moved[0] > start[0] and moved[1] > start[1]
        watched.assert_view_is_on_screen(bounds)
        page.keyboard.press("0")
        assert watched.view() == pytest.approx(fitted_box)
        # zoom is bounded both ways: 8 pixels a unit at most, half of "fit" at least
        presses = math.ceil(math.log(8 / fitted, 1.25)) + 1
        for _ in range(presses):
            page.keyboard.press("+")
        assert watched.zoom() == pytest.approx(8)
        for _ in range(presses + 5):
            page.keyboard.press("-")
        assert watched.zoom() == pytest.approx(min(fitted / 2, 0.5))
        watched.assert_clean()
    finally:
        watched.close()


# -- search ------------------------------------------------------------------------------------------------------------


def test_search_highlights_the_matches(browser: Any, pages: dict[str, Path], example: ArgumentMap) -> None:
    watched = Watched(browser, pages["plain"])
    try:
        page = watched.page
        data = data_of(watched)
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "search"
        page.keyboard.type("Imaginative  SOLUTION")  # case and white space do not matter
        expected = {
            id_of(data, "statement" if isinstance(e, Statement) else "argument", e.title)
            for e in example.elements()
            if "imaginative solution" in " ".join([e.title, *(t.text for t in texts_of(e))]).lower()
        }
        assert expected
        matched = page.eval_on_selector_all("g.node.match", "els => els.map(e => e.dataset.id)")
        drawn = set(data["nodes"].values())
        assert set(matched) == expected & drawn
        assert page.text_content("#search-count") == ("1 match" if len(expected) == 1 else f"{len(expected)} matches")
        assert page.eval_on_selector("#viewport > svg", "e => e.classList.contains('searching')")
        # Enter goes to the first match and opens it
        page.keyboard.press("Enter")
        first = page.evaluate("document.querySelector('g.node.selected').dataset.id")
        assert first in expected
        assert watched.panel_title() == data["elements"][first]["title"]
        assert page.text_content("#search-count") == f"1 of {len(expected)}"
        # a word from a text only (not a title) is found too; a word nowhere finds nothing
        page.fill("#search", "")
        page.keyboard.type("denuclearisation")
        texts_only = page.eval_on_selector_all("g.node.match", "els => els.length")
        assert texts_only >= 1
        page.fill("#search", "zzzyzzy")
        assert page.text_content("#search-count") == "no match"
        assert page.eval_on_selector_all("g.node.match", "els => els.length") == 0
        # Escape clears the search
        page.focus("#search")
        page.keyboard.press("Escape")
        assert page.input_value("#search") == ""
        assert not page.eval_on_selector("#viewport > svg", "e => e.classList.contains('searching')")
        page.fill("#search", "imaginative solution")
        page.keyboard.press("Enter")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        header = SCREENSHOT.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (
            VIEWPORT["width"],
            VIEWPORT["height"],
        )
        watched.assert_clean()
    finally:
        watched.close()


# -- evaluation --------------------------------------------------------------------------------------------------------


def test_evaluation_labels_appear_with_evaluate(browser: Any, pages: dict[str, Path], example: ArgumentMap) -> None:
    evaluation = example.evaluate()
    watched = Watched(browser, pages["evaluated"])
    try:
        page = watched.page
        data = data_of(watched)
        counts = evaluation.labelling.counts()
        about = watched.panel_text()
        assert "grounded semantics" in about.lower()
        for label, count in counts.items():
            assert f"{label.glyph} {label.value} {count}" in about
        # every box carries its label's glyph, and its details say the label and why
        for title in [*list(example.statements)[:3], "As bad as ever"]:
            verdict = evaluation.labelling[Node(ElementKind.STATEMENT, title)]
            element_id = id_of(data, "statement", title)
            assert (
                page.locator(f'g.node[data-id="{element_id}"] text')
                .first.text_content()
                .startswith(verdict.label.glyph)
            )
            watched.box(element_id).click()
            assert page.text_content("#panel .label") == f"{verdict.label.glyph} {verdict.label.value}"
            assert page.text_content("#panel .reason") == verdict.reason
            assert verdict.label.value in (page.get_attribute(f'g.node[data-id="{element_id}"]', "aria-label") or "")
        undercut = id_of(data, "argument", "Defection as a sign")
        watched.box(undercut).click()
        inference = evaluation.labelling[Node(ElementKind.INFERENCE, "Defection as a sign")]
        assert inference.reason in page.inner_text("#panel ol.pcs .inference")
        watched.assert_clean()
    finally:
        watched.close()
    plain = Watched(browser, pages["plain"])
    try:
        assert plain.page.locator("#panel .label").count() == 0
        assert "evaluation" not in data_of(plain)
        plain.assert_clean()
    finally:
        plain.close()


# -- hostile text ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory, require_dot_module: None) -> Path:
    path = tmp_path_factory.mktemp("html-hostile") / "hostile.html"
    page = argmap.export(hostile_map(), "html", evaluate=True, legend=True)
    assert isinstance(page, str)
    path.write_text(page, encoding="utf-8")
    return path


def _poke_everything(watched: Watched) -> None:
    """Open every element's details (every box, then every reference in every panel), search the hostile text."""
    page = watched.page
    data = data_of(watched)
    for element_id in data["nodes"].values():
        watched.open(element_id)
        assert watched.panel_title() == data["elements"][element_id]["title"]
        for ref in page.eval_on_selector_all("#panel [data-ref]", "els => els.map(e => e.dataset.ref)"):
            page.click(f'#panel [data-ref="{ref}"] >> nth=0')
            assert watched.panel_title() == data["elements"][ref]["title"]
            watched.open(element_id)
        links = page.locator("#panel .text .link")
        for i in range(links.count()):
            links.nth(i).click()  # the javascript: URL is no link: nothing happens
    page.fill("#search", HOSTILE)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")


@pytest.mark.parametrize("csp", ["with CSP", "escaping alone (CSP bypassed)"])
def test_hostile_text_stays_text(browser: Any, hostile_page: Path, csp: str) -> None:
    watched = Watched(browser, hostile_page, bypass_csp=csp != "with CSP")
    try:
        page = watched.page
        # the page's title is on one line (white space collapsed), and as written
        assert page.title() == page.text_content("#map-title") == " ".join(HOSTILE.split())
        _poke_everything(watched)
        assert page.evaluate(f"typeof window.{FLAG}") == "undefined"
        # the hostile statement's details show every piece of it as text
        data = data_of(watched)
        element_id = id_of(data, "statement", HOSTILE)
        watched.open(element_id)
        assert watched.panel_title() == HOSTILE
        assert page.text_content("#panel blockquote") == HOSTILE
        assert page.text_content("#panel button.tag") == f"#{HOSTILE}"
        assert page.eval_on_selector("#panel .text", "e => e.textContent").startswith(HOSTILE)
        assert page.locator("#panel a").count() == 0  # the javascript: URL made no link
        assert page.locator("#panel .text .link").get_attribute("title") == JAVASCRIPT_URL
        # no element the author's text could have made: the panel holds only the view's own kinds of element
        tags = set(page.eval_on_selector_all("#panel *", "els => els.map(e => e.tagName.toLowerCase())"))
        assert tags <= {
            "p",
            "h2",
            "h3",
            "button",
            "blockquote",
            "span",
            "strong",
            "em",
            "ul",
            "ol",
            "li",
            "dl",
            "dt",
            "dd",
        }
        assert page.locator("img, iframe, script:not([type]), [onerror], [onload]").count() == 1  # our script
        watched.assert_clean()
    finally:
        watched.close()
