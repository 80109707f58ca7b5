"""A third-party exporter, packaged and installed with pip like any plugin, works through the ``argmap`` command.

Two tiny distributions are built offline (``--no-build-isolation`` with the
hatchling already installed) into a fresh virtual environment: ``argmap-shout``
registers a working exporter, ``argmap-broken`` one whose import raises. The
fresh environment sees the project's environment (and so argmap) through a
``.pth`` file, the way a user's environment sees an installed argmap.
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest
from fresh_venv import make_venv, pip_install, require_build_tools, see_project_env, write_distribution

SHOUT_MODULE = '''\
"""Statement titles in capitals, one a line, each followed by ``mark``."""

from argmap import FunctionExporter


def shout(argmap, *, mark="!"):
    return "".join(f"{title.upper()}{mark}\\n" for title in argmap.statements)


EXPORTER = FunctionExporter("shout", "statement titles, loudly", ".shout", shout)
'''

BROKEN_MODULE = 'raise RuntimeError("this plugin is broken on purpose")\n'

SOURCE = "[Rain]: It will rain.\n  + [Clouds]: The sky is grey.\n"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh venv where both plugin distributions are installed by pip."""
    require_build_tools()
    root = tmp_path_factory.mktemp("plugins")
    shout = write_distribution(
        root / "shout", "argmap-shout", {"argmap_shout": SHOUT_MODULE}, {"shout": "argmap_shout:EXPORTER"},
        description="An argmap exporter that shouts the statement titles",
    )  # fmt: skip
    broken = write_distribution(
        root / "broken", "argmap-broken", {"argmap_broken": BROKEN_MODULE}, {"broken": "argmap_broken:EXPORTER"}
    )
    python = make_venv(root / "venv")
    see_project_env(python)
    pip_install(python, shout, broken)
    return python


def _argmap(python: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "argmap", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "example.arg"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_the_plugin_is_installed_where_argmap_is_not(plugin_python: Path) -> None:
    """The plugin lives only in the fresh venv: the project's interpreter cannot import it."""
    assert importlib.util.find_spec("argmap_shout") is None
    check = subprocess.run(
        [plugin_python, "-c", "import argmap, argmap_shout; print(argmap.__version__)"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_formats_lists_the_plugin_and_the_broken_one(plugin_python: Path, tmp_path: Path) -> None:
    result = _argmap(plugin_python, "formats", "--exporters", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert rows["shout"].split()[1:4] == [".shout", "text", "argmap-shout"]
    assert "statement titles, loudly" in rows["shout"]
    broken = rows["broken"].split()
    assert broken[1:4] == ["-", "BROKEN", "argmap-broken"]
    assert "RuntimeError: this plugin is broken on purpose" in rows["broken"]
    assert rows["json"].split()[1:4] == [".json", "text", "argmap"]


def test_render_with_the_plugin_to_stdout(plugin_python: Path, source: Path) -> None:
    result = _argmap(plugin_python, "render", source.name, "-f", "shout", "-o", "-", cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "RAIN!\nCLOUDS!\n"


def test_plugin_options(plugin_python: Path, source: Path) -> None:
    result = _argmap(plugin_python, "render", source, "-f", "shout", "-O", "mark=?", "-o", "-", cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "RAIN?\nCLOUDS?\n"


def test_the_suffix_picks_the_plugin(plugin_python: Path, source: Path) -> None:
    result = _argmap(plugin_python, "render", source.name, "-o", "out.shout", cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert (source.parent / "out.shout").read_text(encoding="utf-8") == "RAIN!\nCLOUDS!\n"


def test_the_default_output_uses_the_plugin_suffix(plugin_python: Path, source: Path) -> None:
    result = _argmap(plugin_python, "render", source.name, "-f", "shout", cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert (source.parent / "example.shout").read_text(encoding="utf-8") == "RAIN!\nCLOUDS!\n"


def test_the_broken_plugin_fails_alone(plugin_python: Path, source: Path) -> None:
    result = _argmap(plugin_python, "render", source.name, "-f", "broken", "-o", "-", cwd=source.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("argmap: error: exporter 'broken'")
    assert "failed to load" in result.stderr and "argmap-broken" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    json_export = _argmap(plugin_python, "render", source.name, "-f", "json", "-o", "-", cwd=source.parent)
    assert json_export.returncode == 0, json_export.stderr
