"""The documentation site builds with ``mkdocs build --strict`` and is whole: diagrams, API reference, links, offline.

The site is built once for the module, as ``make docs`` builds it, in a subprocess into a temporary folder. Strict mode
already fails the build on a broken link, a page missing from the navigation or a docstring the reference cannot
read; the tests here check what strict mode does not see: that the diagrams were drawn and are where the pages say,
that the reference documents argmap's public names, that no link of the built site (the theme's included) points
nowhere, and that nothing is fetched from the network.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import in_ci

import argmap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korea.arg"


class Build:
    def __init__(self, site: Path, output: str, returncode: int) -> None:
        self.site = site
        self.output = output
        self.returncode = returncode

    def page(self, path: str) -> str:
        """The HTML of the page at ``path`` ("" for the front page, "reference/model/" ...)."""
        return (self.site / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    if shutil.which("dot") is None:
        message = "Graphviz's dot is not on PATH (make test installs it); the site's diagrams need it"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    site = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # run from another folder: the configuration's paths must not depend on where mkdocs is started
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=tmp_path_factory.getbasetemp(),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(site, proc.stdout + proc.stderr, proc.returncode)


def test_the_strict_build_succeeds_without_a_warning(build: Build) -> None:
    assert build.returncode == 0, build.output
    problems = [line for line in build.output.splitlines() if re.match(r"\s*(WARNING|ERROR)\b", line)]
    assert problems == [], build.output
    assert (build.site / "index.html").is_file()


class _Refs(HTMLParser):
    """Every href/src of a page, and the <img> elements in its article."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.images: list[dict[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        for attribute in ("href", "src"):
            if attribute in values:
                self.refs.append((tag, attribute, values[attribute]))
        if tag == "img":
            self.images.append(values)


def refs_of(text: str) -> _Refs:
    parser = _Refs()
    parser.feed(text)
    return parser


def target_file(site: Path, page: Path, ref: str) -> Path | None:
    """The file of the site a relative ``ref`` on ``page`` points at (None for external and in-page links)."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    # 404.html is served at any depth, so its links start at the site's root
    target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
    if ref.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def diagram_of(build: Build, page_path: str) -> str:
    """The SVG file that the <img> of the page's article shows (it must be a file of the site)."""
    page = build.site / page_path / "index.html"
    article = page.read_text(encoding="utf-8").split("<article", 1)[1]
    svgs = [img["src"] for img in refs_of(article).images if img.get("src", "").endswith(".svg")]
    assert svgs, f"{page_path or 'the front page'} shows no SVG diagram"
    target = target_file(build.site, page, svgs[0])
    assert target is not None and target.is_file(), f"{svgs[0]} on {page_path!r} is not a file of the site"
    assert build.site.resolve() in target.parents
    return target.read_text(encoding="utf-8")


def test_the_front_page_shows_the_article_drawn_while_building(build: Build) -> None:
    svg = diagram_of(build, "")
    assert "<svg" in svg
    # drawn by argmap from today's example, not the copy committed for repository browsers
    assert svg == argmap.export(argmap.parse_file(EXAMPLE), "svg")
    shown = html.unescape(svg)
    for title in ("Long process", "Cannot abandon nukes", "Six-party talks"):
        assert f">{title}<" in shown


def test_the_tutorial_shows_its_finished_map(build: Build) -> None:
    shown = html.unescape(diagram_of(build, "tutorial/"))
    for title in ("Free buses", "Fewer cars", "Walkers", "Hills"):
        assert f">{title}<" in shown


def test_the_api_reference_documents_every_public_name(build: Build) -> None:
    pages = sorted((build.site / "reference").rglob("index.html"))
    text = {p: p.read_text(encoding="utf-8") for p in pages}
    ids = set().union(*(refs_of(t).ids for t in text.values()))
    exports: dict[str, str] = argmap._EXPORTS  # type: ignore[attr-defined]
    missing = [
        f"{module}.{name}"
        for name, module in sorted(exports.items())
        if name in argmap.__all__ and f"{module}.{name}" not in ids
    ]
    assert missing == [], f"the API reference has no entry for {missing}: add a `::: module` page in docs/reference/"
    functions = build.page("reference/functions/")
    assert 'id="argmap.api.parse_file"' in functions
    assert "Read a <code>.arg</code> / <code>.argdown</code> file" in functions  # the docstring, as Markdown
    model = build.page("reference/model/")
    assert 'id="argmap.model.ArgumentMap"' in model
    assert 'id="argmap.model.ArgumentMap.supporters"' in model
    # fields without docstrings are API too; a #: comment documents one
    assert 'id="argmap.model.Statement.title"' in model
    assert "True when argmap made the title up" in model
    errors = build.page("reference/errors/")
    for attribute in ("line", "column", "source_name"):
        assert f'id="argmap.errors.ArgmapSyntaxError.{attribute}"' in errors


def test_docstrings_are_markdown_in_the_reference(build: Build) -> None:
    """reStructuredText roles became links, doctests code blocks (docs/griffe_rst.py)."""
    for page in sorted((build.site / "reference").rglob("index.html")):
        article = page.read_text(encoding="utf-8").split("<article", 1)[1]
        prose = re.sub(r"<(pre|code)\b.*?</\1>", "", article, flags=re.S)
        assert not re.search(r":(class|func|meth|mod|attr|exc|data):`", html.unescape(prose)), page
        assert "&gt;&gt;&gt;" not in prose, f"a doctest outside a code block on {page}"
    functions = build.page("reference/functions/")
    # :class:`ArgumentMap` in parse's docstring links to the model's entry
    link = r'<a class="autorefs[^"]*"[^>]*href="../model/#argmap.model.ArgumentMap"><code>ArgumentMap'
    assert re.search(link, functions)


def test_no_link_of_the_site_points_nowhere(build: Build) -> None:
    broken = []
    pages = sorted(build.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for tag, attribute, ref in refs_of(page.read_text(encoding="utf-8")).refs:
            target = target_file(build.site, page, ref)
            if target is not None and not target.exists():
                broken.append(f"{page.relative_to(build.site)}: <{tag} {attribute}={ref!r}>")
    assert broken == []


def test_nothing_is_fetched_from_the_network(build: Build) -> None:
    """Stylesheets, scripts, fonts and pictures are files of the site: it reads offline."""
    fetched = []
    for page in sorted(build.site.rglob("*.html")):
        for tag, attribute, ref in refs_of(page.read_text(encoding="utf-8")).refs:
            if (tag, attribute) == ("a", "href"):
                continue  # a link to elsewhere is followed by the reader, not loaded
            if tag == "link" and attribute == "href" and ref.startswith(("http:", "https:")):
                fetched.append(f"{page.relative_to(build.site)}: {ref}")
            elif attribute == "src" and urlsplit(ref).scheme in ("http", "https"):
                fetched.append(f"{page.relative_to(build.site)}: {ref}")
    for css in build.site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?(https?:[^'\")]+)", css.read_text(encoding="utf-8")):
            fetched.append(f"{css.relative_to(build.site)}: {url}")
    assert fetched == []


def test_files_outside_docs_get_pages_of_their_own(build: Build) -> None:
    """notation.md links to ../examples/01-statements.arg; in the site that is a page showing the file."""
    notation = build.page("notation/")
    assert 'href="../source/examples/01-statements.arg/"' in notation
    shown = html.unescape(re.sub(r"<[^>]+>", "", build.page("source/examples/01-statements.arg/")))
    first_statement = next(
        line
        for line in (ROOT / "examples" / "01-statements.arg").read_text(encoding="utf-8").splitlines()
        if line.startswith("[")
    )
    assert first_statement in shown
    listing = build.page("source/examples/")
    assert 'href="north-korea.arg/"' in listing


def test_notation_is_highlighted_by_argmaps_lexer(build: Build) -> None:
    """```argdown blocks go through the Pygments lexer that argmap registers (argmap/lexer.py)."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name("argdown")
    except ClassNotFound:
        message = "no Pygments lexer 'argdown' is installed (argmap's entry point in pygments.lexers)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    # a statement's title is a token of its own, not plain text
    assert re.search(r'<span class="[^"]+">\[Kim open to change\]</span>', build.page(""))
    assert re.search(r'<span class="[^"]+">\[Free buses\]</span>', build.page("tutorial/"))
