"""Maps in notebooks (argmap/notebook.py): what IPython shows for a map, argmap.display against argmap render.

Graphviz renders for real; its absence is real too (a process whose PATH is an empty
folder); IPython's own DisplayFormatter builds the bundles; and one test runs a
notebook in a real IPython kernel through nbclient.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from IPython.core.formatters import DisplayFormatter
from nbclient import NotebookClient

import argmap
from argmap.errors import ArgmapError, UnknownFormatError
from argmap.notebook import Rendering

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples" / "north-korea.arg"
SMALL = ROOT / "examples" / "02-relations.arg"
SUBPROCESS_TIMEOUT = 180


def _argmap_command() -> str:
    script = Path(sys.executable).parent / ("argmap.exe" if os.name == "nt" else "argmap")
    assert script.is_file(), f"{script} is missing: argmap is installed into the test environment"
    return str(script)


# -- an ArgumentMap in a notebook -----------------------------------------------------------------


def test_a_map_shows_its_graphviz_diagram(require_dot: str) -> None:
    small = argmap.parse_file(SMALL)
    svg = small._repr_svg_()
    assert svg is not None
    assert svg == argmap.export(small, "svg")  # what argmap render -f svg draws
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert small._repr_markdown_() is None  # Jupyter ranks Markdown above SVG: it would hide the diagram


def test_ipython_gets_the_diagram_and_no_markdown(require_dot: str) -> None:
    small = argmap.parse_file(SMALL)
    data, _ = DisplayFormatter().format(small)
    assert sorted(data) == ["image/svg+xml", "text/plain"]
    assert data["image/svg+xml"] == argmap.export(small, "svg")


#: run with PATH an empty folder: no Graphviz; prints what the map and argmap.display give there
_WITHOUT_GRAPHVIZ = """
import json, shutil, sys
import argmap
from IPython.core.formatters import DisplayFormatter

m = argmap.parse_file(sys.argv[1])
bundle, _ = DisplayFormatter().format(m)
try:
    argmap.display(m)
    failure = None
except argmap.ArgmapError as exc:
    failure = type(exc).__name__
print(json.dumps({
    "dot": shutil.which("dot"),
    "svg": m._repr_svg_(),
    "markdown": m._repr_markdown_(),
    "bundle": bundle,
    "display svg": failure,
    "display markdown": argmap.display(m, format="markdown").data,
}))
"""


def test_without_graphviz_a_map_shows_its_markdown_outline(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_GRAPHVIZ, str(SMALL)],
        env={**os.environ, "PATH": str(empty), "IPYTHONDIR": str(tmp_path / "ipython")},
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    outline = argmap.export(argmap.parse_file(SMALL), "markdown")
    assert shown["dot"] is None  # Graphviz really is out of reach there
    assert shown["svg"] is None
    assert shown["markdown"] == outline
    assert sorted(shown["bundle"]) == ["text/markdown", "text/plain"]
    assert shown["bundle"]["text/markdown"] == outline
    assert shown["display svg"] == "GraphvizNotFoundError"  # asked for a picture: told how to get Graphviz
    assert shown["display markdown"] == outline


# -- argmap.display is argmap render -----------------------------------------------------------------

#: (the map, display's keywords, the same options for argmap render)
SAME_OPTIONS: list[tuple[Path, dict[str, Any], list[str]]] = [
    (ARTICLE, {}, []),
    (ARTICLE, {"format": "dot", "engine": "neato"}, ["-f", "dot", "--engine", "neato"]),
    (ARTICLE, {"focus": "Kim open to change", "depth": 1}, ["--focus", "Kim open to change", "--depth", "1"]),
    (
        ARTICLE,
        {"select": ["section:Bargaining chip", "#(main claim)"], "legend": True, "rankdir": "LR"},
        ["--select", "section:Bargaining chip", "--select", "#(main claim)", "-O", "legend=true", "-O", "rankdir=LR"],
    ),
    (
        ARTICLE,
        {"format": "markdown", "select": "#proposal", "evaluate": True},
        ["-f", "markdown", "--select", "#proposal", "--evaluate"],
    ),
    (
        ARTICLE,
        {"format": "json", "focus": "Kim open to change", "evaluate": "preferred"},
        ["-f", "json", "--focus", "Kim open to change", "-O", "evaluate=preferred"],
    ),
    (SMALL, {"format": "png", "engine": "sfdp"}, ["-f", "png", "--engine", "sfdp"]),
    (SMALL, {"format": "html", "engine": "twopi"}, ["-f", "html", "--engine", "twopi"]),
]


@pytest.mark.parametrize(
    ("path", "keywords", "flags"), SAME_OPTIONS, ids=[" ".join(flags) or "svg" for _, _, flags in SAME_OPTIONS]
)
def test_display_gives_what_argmap_render_writes(
    path: Path, keywords: dict[str, Any], flags: list[str], require_dot: str
) -> None:
    rendered = subprocess.run(
        [_argmap_command(), "render", str(path), "-o", "-", *flags], capture_output=True, timeout=SUBPROCESS_TIMEOUT
    )
    assert rendered.returncode == 0, rendered.stderr.decode()
    shown = argmap.display(str(path), **keywords)
    assert (shown.data if isinstance(shown.data, bytes) else shown.data.encode("utf-8")) == rendered.stdout


def test_display_takes_a_map_a_path_or_a_file_name(require_dot: str) -> None:
    by_name = argmap.display(str(SMALL))
    assert argmap.display(SMALL).data == by_name.data
    assert argmap.display(argmap.parse_file(SMALL)).data == by_name.data
    assert by_name.data == argmap.export(argmap.parse_file(SMALL), "svg")


@pytest.mark.parametrize(
    ("format", "media_type", "shown_as"),
    [
        ("svg", "image/svg+xml", "_repr_svg_"),
        ("png", "image/png", "_repr_png_"),
        ("pdf", "application/pdf", "_repr_pdf_"),
        ("markdown", "text/markdown", "_repr_markdown_"),
        ("html", "text/html", "_repr_html_"),
        ("json", "application/json", "_repr_json_"),
        ("dot", "text/plain", None),
        ("argdown", "text/plain", None),
    ],
)
def test_a_rendering_shows_itself_by_its_media_type(
    format: str, media_type: str, shown_as: str | None, require_dot: str
) -> None:
    shown = argmap.display(SMALL, format=format)
    assert shown.media_type == media_type
    data, _ = DisplayFormatter().format(shown)
    expected = json.loads(str(shown.data)) if format == "json" else shown.data
    assert data[media_type] == expected
    if shown_as is not None:
        assert getattr(shown, shown_as)() == expected
        others = {"_repr_svg_", "_repr_png_", "_repr_pdf_", "_repr_markdown_", "_repr_html_", "_repr_json_"}
        assert all(getattr(shown, name)() is None for name in others - {shown_as})
    if isinstance(shown.data, str) and media_type not in ("image/svg+xml", "text/html"):
        assert data["text/plain"] == shown.data  # what a front end without that media type shows
    else:
        assert data["text/plain"] == repr(shown)


def test_notation_text_is_read_as_notation() -> None:
    shown = argmap.display("[Rain]: It will rain.\n  + [Clouds]: The sky is grey.", format="json")
    assert json.loads(str(shown.data))["statements"][0]["title"] == "Rain"
    one_line = argmap.display("[Rain]: It will rain.", format="argdown")
    assert isinstance(one_line, Rendering) and "[Rain]: It will rain." in str(one_line.data)


@pytest.mark.parametrize(
    ("keywords", "error", "words"),
    [
        ({"depth": 1}, ValueError, "depth needs focus"),
        ({"format": "markdown", "engine": "dot"}, ValueError, "engine applies to the Graphviz formats"),
        ({"engine": "nonesuch"}, ValueError, "unknown Graphviz layout"),
        ({"select": "nothing"}, ValueError, "select: expected '#TAG'"),
        ({"format": "nonesuch"}, UnknownFormatError, "nonesuch"),
        ({"format": "json", "focus": "No such claim"}, ArgmapError, "No such claim"),
        ({"format": "markdown", "evaluate": "sideways"}, ArgmapError, "sideways"),  # the exporter's error, as in render
    ],
)
def test_display_refuses_what_render_refuses(keywords: dict[str, Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        argmap.display(ARTICLE, **keywords)


def test_a_missing_file_is_reported_as_such(tmp_path: Path) -> None:
    with pytest.raises(ArgmapError, match=r"missing\.arg"):
        argmap.display(str(tmp_path / "missing.arg"), format="json")


# -- a real notebook ----------------------------------------------------------------------------------


def test_a_notebook_shows_the_diagram_and_display_s_options(tmp_path: Path, require_dot: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # the kernel's history and profile stay here
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(f"import argmap\nm = argmap.parse_file({str(SMALL)!r})\nm"),
        nbformat.v4.new_code_cell(f"argmap.display({str(ARTICLE)!r}, focus='Kim open to change', depth=1)"),
        nbformat.v4.new_code_cell("argmap.display(m, format='markdown', evaluate=True)"),
    ]
    NotebookClient(
        notebook, timeout=SUBPROCESS_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    results = []
    for cell in notebook.cells:
        (output,) = [o for o in cell.outputs if o.output_type == "execute_result"]
        results.append(output.data)
    small = argmap.parse_file(SMALL)
    assert sorted(results[0]) == ["image/svg+xml", "text/plain"]
    assert results[0]["image/svg+xml"] == argmap.export(small, "svg")
    assert results[1]["image/svg+xml"] == argmap.display(ARTICLE, focus="Kim open to change", depth=1).data
    assert results[2]["text/markdown"] == argmap.export(small, "markdown", evaluate=True)
    nbformat.validate(notebook)
