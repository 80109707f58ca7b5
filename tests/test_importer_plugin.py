"""Third-party importers, packaged and installed with pip like any plugin, through the ``argmap`` command.

Three tiny distributions are built offline into one fresh virtual environment (which sees argmap through a
``.pth`` file, as test_plugin_entry_point.py does for exporters), all in the ``argmap.importers`` group:

- ``argmap-lines`` registers ``lines``: a format of ``A > B`` (A supports B) and ``A x B`` (A attacks B) lines
  in ``.lines`` files;
- ``argmap-kialo-too`` registers ``kialo``, argmap's own name, with an importer that also says yes to
  Kialo's exports;
- ``argmap-broken-importer`` registers ``broken``, whose module raises on import.

argmap's ``kialo`` stays argmap's (detection too), the plugin's stays reachable by its qualified name, the
broken one fails alone, and ``lines`` files are detected by their suffix.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from fresh_venv import make_venv, pip_install, require_build_tools, see_project_env, write_distribution

LINES_MODULE = '''\
"""A, B and C in lines: ``A > B`` (A supports B), ``A x B`` (A attacks B)."""

from argmap import ArgumentMap, ArgmapSyntaxError, ElementKind, Node, Relation, RelationKind, Statement
from argmap.importers import Imported


class LinesImporter:
    name = "lines"
    description = "A > B and A x B lines"
    suffixes = (".lines",)

    def sniff(self, head):
        return ">" in head.partition("\\n")[0]

    def read(self, text, *, source_name="<input>"):
        statements, relations = {}, []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            for symbol, kind in ((" > ", RelationKind.SUPPORT), (" x ", RelationKind.ATTACK)):
                if symbol in line:
                    source, target = (part.strip() for part in line.split(symbol, 1))
                    break
            else:
                raise ArgmapSyntaxError(
                    "expected A > B or A x B", source_name=source_name, line=number, column=1, source_line=line
                )
            for title in (source, target):
                statements.setdefault(title, Statement(title))
            relations.append(Relation(Node(ElementKind.STATEMENT, source), Node(ElementKind.STATEMENT, target), kind))
        return Imported(ArgumentMap(statements=statements, relations=tuple(relations), source_name=source_name))


IMPORTER = LinesImporter()
'''

KIALO_TOO_MODULE = """\
from argmap import ArgumentMap, Statement
from argmap.importers import Imported


class KialoToo:
    name = "kialo"
    description = "not argmap's Kialo importer"
    suffixes = (".txt",)

    def sniff(self, head):
        return head.startswith("Discussion Title:")

    def read(self, text, *, source_name="<input>"):
        return Imported(ArgumentMap(statements={"Plugin": Statement("Plugin")}), ("dropped everything",))


IMPORTER = KialoToo()
"""

BROKEN_MODULE = 'raise RuntimeError("this importer is broken on purpose")\n'

LINES = "Clouds > Rain\nSun x Rain\n"
KIALO = "Discussion Title: Rain?\n\n1. It will rain.\n1.1. Pro: The sky is grey.\n"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_build_tools()
    root = tmp_path_factory.mktemp("importer-plugins")
    group = "argmap.importers"
    lines = write_distribution(
        root / "lines", "argmap-lines", {"argmap_lines": LINES_MODULE}, {"lines": "argmap_lines:IMPORTER"}, group=group
    )
    kialo_too = write_distribution(
        root / "kialo-too", "argmap-kialo-too", {"argmap_kialo_too": KIALO_TOO_MODULE},
        {"kialo": "argmap_kialo_too:IMPORTER"}, group=group,
    )  # fmt: skip
    broken = write_distribution(
        root / "broken", "argmap-broken-importer", {"argmap_broken_importer": BROKEN_MODULE},
        {"broken": "argmap_broken_importer:IMPORTER"}, group=group,
    )  # fmt: skip
    python = make_venv(root / "venv")
    see_project_env(python)
    pip_install(python, lines, kialo_too, broken)
    return python


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "weather.lines").write_text(LINES, encoding="utf-8")
    (tmp_path / "rain.txt").write_text(KIALO, encoding="utf-8")
    return tmp_path


def _argmap(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "argmap", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_formats_lists_the_importers_the_conflict_and_the_broken_one(plugin_python: Path, inputs: Path) -> None:
    result = _argmap(plugin_python, "formats", "--importers", cwd=inputs)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert rows["lines"].split()[1:4] == [".lines", "ok", "argmap-lines"]
    assert rows["broken"].split()[1:4] == ["-", "BROKEN", "argmap-broken-importer"]
    assert "RuntimeError: this importer is broken on purpose" in rows["broken"]
    assert rows["kialo"].split()[3] == "argmap"
    assert rows["kialo"].endswith("[also registered by argmap-kialo-too, which is not used]")
    qualified = rows["argmap-kialo-too:kialo"]
    assert qualified.endswith("[--from kialo means argmap's own importer, which a plugin cannot replace]")


def test_a_plugin_s_suffix_picks_its_importer(plugin_python: Path, inputs: Path) -> None:
    result = _argmap(plugin_python, "render", "weather.lines", "-f", "json", "-o", "-", cwd=inputs)
    assert result.returncode == 0, result.stderr
    relations = [
        (r["source"]["title"], r["kind"], r["target"]["title"]) for r in json.loads(result.stdout)["relations"]
    ]
    assert relations == [("Clouds", "support", "Rain"), ("Sun", "attack", "Rain")]


def test_a_plugin_s_error_is_placed(plugin_python: Path, inputs: Path) -> None:
    (inputs / "bad.lines").write_text("A > B\nnot a relation\n", encoding="utf-8")
    result = _argmap(plugin_python, "convert", "bad.lines", "bad.json", cwd=inputs)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        "bad.lines:2:1: error: expected A > B or A x B", "    not a relation", "    ^",
    ]  # fmt: skip
    assert not (inputs / "bad.json").exists()


def test_argmap_s_own_kialo_stays_and_the_plugin_is_chosen_by_its_qualified_name(
    plugin_python: Path, inputs: Path
) -> None:
    own = _argmap(plugin_python, "convert", "rain.txt", "-", "--to", "json", cwd=inputs)
    assert own.returncode == 0, own.stderr
    assert set(s["title"] for s in json.loads(own.stdout)["statements"]) == {"It will rain", "The sky is grey"}
    for how in (["--from", "kialo"], []):
        assert _argmap(plugin_python, "convert", "rain.txt", "-", "--to", "json", *how, cwd=inputs).stdout == own.stdout
    plugin = _argmap(
        plugin_python, "convert", "rain.txt", "-", "--to", "json", "--from", "argmap-kialo-too:kialo", cwd=inputs
    )
    assert plugin.returncode == 0, plugin.stderr
    assert [s["title"] for s in json.loads(plugin.stdout)["statements"]] == ["Plugin"]
    assert plugin.stderr == "rain.txt: note: dropped everything\n"


def test_the_broken_importer_fails_alone(plugin_python: Path, inputs: Path) -> None:
    result = _argmap(plugin_python, "render", "weather.lines", "--from", "broken", "-f", "json", "-o", "-", cwd=inputs)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("argmap: error: importer 'broken' (argmap_broken_importer:IMPORTER from distribution ")
    assert line.endswith("failed to load: RuntimeError: this importer is broken on purpose")
    assert "Traceback" not in result.stderr
    again = _argmap(plugin_python, "render", "rain.txt", "-f", "json", "-o", "-", cwd=inputs)
    assert again.returncode == 0 and again.stderr == ""
