"""argmap as a user gets it: the wheel and the sdist, installed in a fresh environment, away from the source tree.

The project is built offline (``python -m build --no-isolation``, hatchling as
installed), then the wheel built from the source tree and the wheel built from
the sdist are each installed by pip into a virtual environment of their own.
That environment has copies of argmap's runtime dependencies and nothing else
of the project's: the grammar, the JSON Schema and the exporters' entry points
must come from the wheel, and the commands run from a folder outside the tree.
"""

from __future__ import annotations

import configparser
import json
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

import pytest
from fresh_venv import (
    SUBPROCESS_TIMEOUT,
    add_path,
    copy_distributions,
    hermetic_env,
    make_venv,
    pip_install,
    require_build_tools,
    venv_script,
)

import argmap
from argmap.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples" / "north-korea.arg"
#: what rebuilding from the sdist needs, besides argmap/
SDIST_NEEDS = ("pyproject.toml", "README.md", "grammars/argdown.lark", "argmap/__init__.py", "argmap/py.typed")
#: files the wheel must carry besides the modules
WHEEL_DATA = (
    "argmap/grammars/argdown.lark",
    "argmap/schemas/argmap-1.schema.json",
    "argmap/py.typed",
    "argmap/exporters/html_view/view.js",
    "argmap/exporters/html_view/view.css",
)


def _build(source: Path, outdir: Path, *kinds: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", *kinds, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def _only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


class Built:
    """The sdist, the wheel built from the tree and the wheel built from the sdist."""

    def __init__(self, root: Path) -> None:
        _build(ROOT, root / "dist", "--sdist", "--wheel")
        self.sdist = _only(root / "dist", "*.tar.gz")
        self.wheel = _only(root / "dist", "*.whl")
        with tarfile.open(self.sdist) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(root / "unpacked", filter="data")
            else:  # Python before 3.10.12 and 3.11.4; the archive is our own
                archive.extractall(root / "unpacked")
        (self.unpacked,) = (root / "unpacked").iterdir()
        _build(self.unpacked, root / "from-sdist", "--wheel")
        self.wheel_from_sdist = _only(root / "from-sdist", "*.whl")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    require_build_tools()
    return Built(tmp_path_factory.mktemp("packaging"))


def _requirements(wheel: Path) -> list[str]:
    """The names in the wheel's Requires-Dist, without the extras' ones."""
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    requirements = [Requirement(line) for line in headers.get_all("Requires-Dist") or []]
    return [r.name for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]


@pytest.fixture(scope="module", params=["wheel", "wheel_from_sdist"])
def installed(request: pytest.FixtureRequest, built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with one of the two wheels installed by pip and copies of the runtime dependencies."""
    wheel: Path = getattr(built, request.param)
    root = tmp_path_factory.mktemp(request.param)
    python = make_venv(root / "venv")
    copied = copy_distributions(_requirements(wheel), root / "dependencies")
    assert {name.lower() for name in copied} >= {"attrs", "lark", "graphviz", "pyyaml"}
    add_path(python, root / "dependencies")
    pip_install(python, wheel)
    return root / "venv"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """The article's map, copied into a folder of its own (the working folder of the commands)."""
    work = tmp_path / "work"
    work.mkdir()
    copy = work / ARTICLE.name
    copy.write_bytes(ARTICLE.read_bytes())
    return copy


def _declared_exporters() -> metadata.EntryPoints:
    """argmap's exporters as declared in pyproject.toml (the project's own installed metadata)."""
    return metadata.distribution("argmap").entry_points.select(group=ENTRY_POINT_GROUP)


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [venv_script(venv, args[0]), *args[1:]], capture_output=True, cwd=cwd, env=hermetic_env(),
        timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip


# -- the archives -----------------------------------------------------------------


def test_the_sdist_has_what_a_rebuild_needs_and_no_junk(built: Built) -> None:
    with tarfile.open(built.sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    for needed in SDIST_NEEDS:
        assert needed in names
    modules = {name for name in names if name.startswith("argmap/") and name.endswith(".py")}
    tree = {path.relative_to(ROOT).as_posix() for path in (ROOT / "argmap").rglob("*.py")}
    assert modules == tree
    junk = [
        name
        for name in names
        if name != ".gitignore"
        and (name.endswith(".pyc") or any(part.startswith(".") or part == "__pycache__" for part in name.split("/")))
    ]
    assert not junk
    assert not [name for name in names if name.startswith(("build/", "dist/", "tests/artifacts/"))]


def test_the_wheels_from_the_tree_and_from_the_sdist_are_the_same(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as tree, zipfile.ZipFile(built.wheel_from_sdist) as sdist:
        assert sorted(tree.namelist()) == sorted(sdist.namelist())
        names = tree.namelist()
        unpacked = built.unpacked
        for name in names:
            if name.startswith("argmap/grammars/"):
                assert sdist.read(name) == (unpacked / "grammars" / name.removeprefix("argmap/grammars/")).read_bytes()
            elif not name.startswith("argmap-"):  # the dist-info's RECORD hashes the files
                assert sdist.read(name) == (unpacked / name).read_bytes(), name
    for needed in WHEEL_DATA:
        assert needed in names
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "grammars/"))]


def test_the_wheel_declares_every_exporter_and_the_command(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        shipped = configparser.ConfigParser(delimiters=("=",), interpolation=None)
        shipped.optionxform = str  # type: ignore[assignment,method-assign]
        shipped.read_string(archive.read(name).decode("utf-8"))
    assert dict(shipped["console_scripts"]) == {"argmap": "argmap.cli:run"}
    declared = {ep.name: ep.value for ep in _declared_exporters()}
    assert dict(shipped[ENTRY_POINT_GROUP]) == declared
    assert {"json", "dot", "svg", "png", "pdf", "markdown", "argdown"} <= set(declared)


# -- the installed wheels ---------------------------------------------------------


def test_argmap_comes_from_the_fresh_environment(installed: Path, tmp_path: Path) -> None:
    probe = (
        "import json, sys, argmap, attrs, lark, yaml\n"
        "from argmap.exporters.json import schema\n"
        "print(json.dumps({'argmap': argmap.__file__, 'version': argmap.__version__, 'path': sys.path,\n"
        "                  'attrs': attrs.__file__, 'schema': schema()['$id']}))\n"
    )
    result = _run(installed, "python", "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    seen = json.loads(result.stdout)
    assert Path(seen["argmap"]).resolve().is_relative_to(installed.resolve())
    assert not Path(seen["attrs"]).resolve().is_relative_to(installed.resolve())  # a copy: not installed by pip
    assert seen["version"] == argmap.__version__
    assert not [entry for entry in seen["path"] if entry and Path(entry).resolve().is_relative_to(ROOT)]
    assert seen["schema"]


def test_formats_lists_argmap_s_own_exporters(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "argmap", "formats", "--exporters", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    rows = [line.split() for line in result.stdout.decode().splitlines()[1:]]
    assert {row[0] for row in rows} == {ep.name for ep in _declared_exporters()}
    assert all(row[2] in ("text", "binary") and row[3] == "argmap" for row in rows), rows


@pytest.mark.parametrize("fmt", ["json", "dot", "svg", "html"])
def test_render_the_article(
    installed: Path, article: Path, fmt: str, require_dot: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The installed command writes what the source tree's argmap writes, byte for byte."""
    result = _run(installed, "argmap", "render", article.name, "-f", fmt, cwd=article.parent)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    written = article.with_suffix(f".{fmt}").read_bytes()
    monkeypatch.chdir(article.parent)
    expected = argmap.export(argmap.parse_file(article.name), fmt)
    assert written.decode("utf-8") == expected
    if fmt == "svg":
        assert "<svg" in expected
