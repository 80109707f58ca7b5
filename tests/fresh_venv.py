"""Fresh virtual environments for the tests that install real distributions, offline.

The plugin tests and the packaging test need what a user has: distributions
installed by pip into an environment of their own, found through their metadata.
Everything here works without a network and without pip inside the new
environment: the project's pip installs into it with ``--python``, building
local projects with the hatchling already installed (``--no-build-isolation``).

Two ways to give a fresh environment argmap's runtime dependencies:

- :func:`see_project_env`: the project's whole site-packages (so also the
  editable argmap) through a ``.pth`` file, for tests of plugins;
- :func:`copy_distributions`: copies of just the installed runtime dependencies
  (attrs, lark, ...), for the test of argmap's own wheel, which must not see
  the source tree.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

import pytest
from conftest import in_ci

#: generous bounds: nothing here should take more than seconds, but a loaded CI machine is slow
SUBPROCESS_TIMEOUT = 300


def require_build_tools() -> None:
    """Skip (fail under CI) when hatchling, needed to build offline, is missing."""
    missing = [name for name in ("hatchling", "build") if importlib.util.find_spec(name) is None]
    if missing:
        message = f"{' and '.join(missing)} must be installed to build distributions offline (make test installs them)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_script(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def make_venv(venv: Path) -> Path:
    """A new virtual environment without pip; returns its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=SUBPROCESS_TIMEOUT)
    return venv_python(venv)


def site_packages(python: Path) -> Path:
    """The purelib folder of the environment of ``python``."""
    out = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    ).stdout  # fmt: skip
    return Path(out.strip())


def see_project_env(python: Path) -> None:
    """Let the environment of ``python`` import what the project's environment has (argmap included)."""
    project_site = sysconfig.get_paths()["purelib"]
    (site_packages(python) / "argmap-project-env.pth").write_text(
        f"import site; site.addsitedir({project_site!r})\n", encoding="utf-8"
    )


def add_path(python: Path, folder: Path) -> None:
    """Put ``folder`` on the import path of the environment of ``python`` (a plain ``.pth`` line)."""
    (site_packages(python) / "argmap-test-extra.pth").write_text(f"{folder}\n", encoding="utf-8")


def pip_install(python: Path, *targets: str | Path) -> None:
    """Install local projects or wheels into the environment of ``python``: no index, no dependencies."""
    install = subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(python), "install",
            "--no-build-isolation", "--no-deps", "--no-index", "--no-cache-dir",
            "--disable-pip-version-check", "--quiet", *map(str, targets),
        ],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr


def write_distribution(
    folder: Path,
    name: str,
    modules: Mapping[str, str],
    entry_points: Mapping[str, str],
    *,
    description: str = "a test plugin for argmap",
    group: str = "argmap.exporters",
) -> Path:
    """A tiny project ``name`` with top-level ``modules`` and ``entry_points`` in ``group`` (exporters by default)."""
    folder.mkdir(parents=True)
    points = "\n".join(f"{_toml_key(key)} = {_toml_string(value)}" for key, value in entry_points.items())
    files = ", ".join(_toml_string(f"{module}.py") for module in modules)
    (folder / "pyproject.toml").write_text(
        f"""\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = {_toml_string(name)}
version = "1.0"
description = {_toml_string(description)}
dependencies = ["argmap"]

[project.entry-points.{_toml_string(group)}]
{points}

[tool.hatch.build.targets.wheel]
only-include = [{files}]
""",
        encoding="utf-8",
    )
    for module, text in modules.items():
        (folder / f"{module}.py").write_text(text, encoding="utf-8")
    return folder


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _toml_string(text)


def runtime_requirements(distribution: str) -> list[str]:
    """The names of what ``distribution`` needs at run time (no extras), as installed here."""
    from packaging.requirements import Requirement

    names = []
    for line in metadata.requires(distribution) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(requirement.name)
    return names


def copy_distributions(names: Iterable[str], target: Path) -> list[str]:
    """Copy the installed distributions ``names`` and what they need, metadata included, into ``target``.

    The copies make an import path with exactly these distributions: no network,
    no wheels to build, and nothing else of the project's environment. Returns
    the names copied.
    """
    target.mkdir(parents=True, exist_ok=True)
    todo, done = list(names), []
    while todo:
        name = todo.pop()
        if name.lower() in (d.lower() for d in done):
            continue
        dist = metadata.distribution(name)
        for file in dist.files or []:
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue  # console scripts and byte code
            source = Path(str(dist.locate_file(file)))
            if source.is_file():
                destination = target / file
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)
        done.append(dist.metadata["Name"])
        todo.extend(runtime_requirements(name))
    return done


def hermetic_env() -> dict[str, str]:
    """The environment for commands run in a fresh venv: nothing that adds to or redirects the import path."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env["PYTHONNOUSERSITE"] = "1"
    return env
