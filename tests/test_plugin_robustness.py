"""Plugins cannot take argmap down: each way a plugin can go wrong, through real installed distributions.

Eight tiny distributions are built offline and installed by pip into one fresh
virtual environment, so argmap meets them the way it meets a user's plugins:
through the ``argmap.exporters`` entry points of installed metadata.

- ``argmap-unimportable``: its module imports a dependency that is not there;
- ``argmap-raises``: exporters that raise, call ``sys.exit`` or refuse with an
  ``ExporterError``;
- ``argmap-wrongtype``: ``str`` from a binary exporter, ``bytes`` from a text
  one, ``None``;
- ``argmap-notexporter``: an entry point naming a plain function, an object
  whose ``suffix`` is None, a class whose constructor raises;
- ``argmap-shadow``: registers ``json``, argmap's own name;
- ``argmap-twin-a`` and ``argmap-twin-b``: both register ``twin``;
- ``argmap-fine``: a plugin that works, to show it still does.

Every failure is one line on stderr naming the format and the distribution,
exit status 1, no traceback; the other exporters keep working in the same
process; ``argmap formats`` lists everything and marks what is broken.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from fresh_venv import (
    SUBPROCESS_TIMEOUT,
    hermetic_env,
    make_venv,
    pip_install,
    require_build_tools,
    see_project_env,
    write_distribution,
)

UNIMPORTABLE = """\
import argmap_missing_dependency  # not installed: the import fails

EXPORTER = None
"""

RAISES = """\
import sys

from argmap import ExporterError, FunctionExporter


def _raise(argmap, **options):
    raise RuntimeError("the exporter broke on purpose")


def _exit(argmap, **options):
    sys.exit(3)


def _refuse(argmap, **options):
    raise ExporterError("this map has no sections to export")


RAISES = FunctionExporter("raises", "raises RuntimeError", ".txt", _raise)
EXITS = FunctionExporter("exits", "calls sys.exit", ".txt", _exit)
REFUSES = FunctionExporter("refuses", "raises ExporterError", ".txt", _refuse)
"""

WRONGTYPE = """\
from argmap import FunctionExporter

STR_FOR_BINARY = FunctionExporter("str-for-binary", "binary, returns str", ".bin", lambda m, **o: "text", binary=True)
BYTES_FOR_TEXT = FunctionExporter("bytes-for-text", "text, returns bytes", ".txt", lambda m, **o: b"bytes")
RETURNS_NONE = FunctionExporter("returns-none", "text, returns None", ".txt", lambda m, **o: None)
"""

NOTEXPORTER = """\
def export(argmap, **options):
    return "a function is not an exporter"


class _NoSuffix:
    name = "bad-attributes"
    description = "its suffix is None"
    suffix = None
    binary = False

    def export(self, argmap, **options):
        return ""


class ConstructorRaises:
    name = "constructor-raises"
    description = "cannot be created"
    suffix = ".txt"
    binary = False

    def __init__(self):
        raise ValueError("no configuration file")

    def export(self, argmap, **options):
        return ""


BAD_ATTRIBUTES = _NoSuffix()
"""

SHADOW = """\
from argmap import FunctionExporter

EXPORTER = FunctionExporter("json", "not argmap's JSON", ".json", lambda m, **o: "SHADOW\\n")
"""

TWIN = """\
from argmap import FunctionExporter

EXPORTER = FunctionExporter("twin", "twin {letter}", ".twin", lambda m, **o: "{letter}\\n")
"""

FINE = """\
from argmap import FunctionExporter

EXPORTER = FunctionExporter("fine", "statement count", ".count", lambda m, **o: f"{len(m.statements)}\\n")
"""

DISTRIBUTIONS = {
    "argmap-unimportable": ({"argmap_unimportable": UNIMPORTABLE}, {"unimportable": "argmap_unimportable:EXPORTER"}),
    "argmap-raises": (
        {"argmap_raises": RAISES},
        {"raises": "argmap_raises:RAISES", "exits": "argmap_raises:EXITS", "refuses": "argmap_raises:REFUSES"},
    ),
    "argmap-wrongtype": (
        {"argmap_wrongtype": WRONGTYPE},
        {
            "str-for-binary": "argmap_wrongtype:STR_FOR_BINARY",
            "bytes-for-text": "argmap_wrongtype:BYTES_FOR_TEXT",
            "returns-none": "argmap_wrongtype:RETURNS_NONE",
        },
    ),
    "argmap-notexporter": (
        {"argmap_notexporter": NOTEXPORTER},
        {
            "not-an-exporter": "argmap_notexporter:export",
            "bad-attributes": "argmap_notexporter:BAD_ATTRIBUTES",
            "constructor-raises": "argmap_notexporter:ConstructorRaises",
        },
    ),
    "argmap-shadow": ({"argmap_shadow": SHADOW}, {"json": "argmap_shadow:EXPORTER"}),
    "argmap-twin-a": ({"argmap_twin_a": TWIN.format(letter="A")}, {"twin": "argmap_twin_a:EXPORTER"}),
    "argmap-twin-b": ({"argmap_twin_b": TWIN.format(letter="B")}, {"twin": "argmap_twin_b:EXPORTER"}),
    "argmap-fine": ({"argmap_fine": FINE}, {"fine": "argmap_fine:EXPORTER"}),
}

#: format -> (its distribution, what its error says after naming it)
FAILURES = {
    "unimportable": ("argmap-unimportable", "failed to load: ModuleNotFoundError: No module named 'argmap_missing"),
    "raises": ("argmap-raises", "failed: RuntimeError: the exporter broke on purpose"),
    "exits": ("argmap-raises", "failed: SystemExit: 3"),
    "refuses": ("argmap-raises", "'argmap-raises'): this map has no sections to export"),
    "str-for-binary": ("argmap-wrongtype", "returned str, expected bytes (it is a binary exporter)"),
    "bytes-for-text": ("argmap-wrongtype", "returned bytes, expected str (it is a text exporter)"),
    "returns-none": ("argmap-wrongtype", "returned None, expected str"),
    "not-an-exporter": ("argmap-notexporter", "is not an exporter: it is a function"),
    "bad-attributes": ("argmap-notexporter", "is not a valid exporter: suffix is NoneType, not str"),
    "constructor-raises": ("argmap-notexporter", "failed to load: ValueError: no configuration file"),
    "twin": ("argmap-twin-a", "registered by 2 plugins"),
}
#: the formats that load (their failure shows only when exporting)
LOADS = {"raises", "exits", "refuses", "str-for-binary", "bytes-for-text", "returns-none"}

SOURCE = "[Rain]: It will rain.\n  + [Clouds]: The sky is grey.\n"


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv that sees argmap and has every test distribution installed by pip."""
    require_build_tools()
    root = tmp_path_factory.mktemp("robustness")
    projects = [
        write_distribution(root / name, name, modules, entry_points)
        for name, (modules, entry_points) in DISTRIBUTIONS.items()
    ]
    python = make_venv(root / "venv")
    see_project_env(python)
    pip_install(python, *projects)
    return python


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "rain.arg"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def _argmap(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "argmap", *args], capture_output=True, text=True, cwd=cwd, env=hermetic_env(),
        timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip


def _table(text: str) -> list[dict[str, str]]:
    """The rows of ``argmap formats``, cut at the header's column starts (cells may hold spaces)."""
    header, *lines = text.splitlines()
    columns = header.split()
    starts = [header.index(column) for column in columns]
    ends = [*starts[1:], None]
    return [
        {column: line[start:end].strip() for column, start, end in zip(columns, starts, ends, strict=True)}
        for line in lines
    ]


# -- argmap formats ---------------------------------------------------------------


def test_formats_lists_everything_and_marks_what_is_wrong(venv_python: Path, tmp_path: Path) -> None:
    result = _argmap(venv_python, "formats", "--exporters", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = {row["NAME"]: row for row in _table(result.stdout)}
    assert list(rows) == [row["NAME"] for row in _table(result.stdout)], "a name is listed twice"

    for builtin in ("json", "markdown", "dot", "svg", "png", "pdf", "argdown"):
        assert rows[builtin]["KIND"] in ("text", "binary") and rows[builtin]["DISTRIBUTION"] == "argmap"
    assert rows["fine"] == {
        "NAME": "fine", "SUFFIX": ".count", "KIND": "text", "DISTRIBUTION": "argmap-fine",
        "DESCRIPTION": "statement count",
    }  # fmt: skip
    for name, (distribution, message) in FAILURES.items():
        row = rows[name]
        assert distribution in row["DISTRIBUTION"], row
        if name == "twin":
            assert row["KIND"] == "CONFLICT"
            assert row["DISTRIBUTION"] == "argmap-twin-a, argmap-twin-b"
            assert "-f argmap-twin-a:twin or -f argmap-twin-b:twin" in row["DESCRIPTION"]
        elif name in LOADS:  # nothing is wrong until it exports
            assert row["KIND"] in ("text", "binary"), row
        else:
            assert row["KIND"] == "BROKEN", row
            assert row["DESCRIPTION"].startswith(f"exporter {name!r} (") and message in row["DESCRIPTION"], row

    # argmap's json stays; the plugin that registers json is listed under its qualified name
    assert rows["json"]["DESCRIPTION"].endswith("[also registered by argmap-shadow, which is not used]")
    assert rows["argmap-shadow:json"] == {
        "NAME": "argmap-shadow:json", "SUFFIX": ".json", "KIND": "text", "DISTRIBUTION": "argmap-shadow",
        "DESCRIPTION": "not argmap's JSON [-f json means argmap's own exporter, which a plugin cannot replace]",
    }  # fmt: skip
    for letter, other in (("a", "b"), ("b", "a")):
        row = rows[f"argmap-twin-{letter}:twin"]
        assert row["KIND"] == "text" and row["DISTRIBUTION"] == f"argmap-twin-{letter}"
        note = f"[-f twin is refused: also registered by argmap-twin-{other}]"
        assert row["DESCRIPTION"] == f"twin {letter.upper()} {note}"
    names = list(rows)
    assert names.index("json") + 1 == names.index("argmap-shadow:json")  # a qualified name follows its plain one


# -- argmap render ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_a_bad_plugin_is_one_clear_error(venv_python: Path, source: Path, name: str) -> None:
    distribution, message = FAILURES[name]
    output = source.with_name("out.result")
    result = _argmap(venv_python, "render", source.name, "-f", name, "-o", output.name, cwd=source.parent)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    if name == "twin":
        assert line.startswith("argmap: error: format 'twin' is registered by 2 plugins: argmap-twin-a (")
        assert "argmap-twin-b (argmap_twin_b:EXPORTER)" in line
    else:
        assert line.startswith(f"argmap: error: exporter {name!r} (argmap_")
        assert f"from distribution {distribution!r})" in line
    assert message in line
    assert not output.exists()


def test_the_bad_plugins_leave_the_others_working_in_the_same_process(venv_python: Path, source: Path) -> None:
    """One interpreter runs every bad format, then the good ones, through the command and the API."""
    script = textwrap.dedent(
        """\
        import contextlib, io, json, sys
        import argmap
        from argmap.cli import main

        bad, good = json.loads(sys.argv[1]), json.loads(sys.argv[2])
        m = argmap.parse_file("rain.arg")
        report = {"api": {}, "cli": {}}
        for name in [*good, *bad, *bad, *good]:  # twice: a cached failure is the same failure
            try:
                out = argmap.export(m, name)
                report["api"].setdefault(name, []).append(["ok", out if isinstance(out, str) else len(out)])
            except argmap.ArgmapError as exc:
                report["api"].setdefault(name, []).append([type(exc).__name__, str(exc)])
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                status = main(["render", "rain.arg", "-f", name, "-o", f"out-{name}"])
            report["cli"].setdefault(name, []).append([status, err.getvalue()])
        print(json.dumps(report))
        """
    )
    good = ["json", "fine", "markdown", "argdown", "argmap-shadow:json", "argmap-twin-b:twin"]
    result = subprocess.run(
        [venv_python, "-c", script, json.dumps(sorted(FAILURES)), json.dumps(good)],
        capture_output=True, text=True, cwd=source.parent, env=hermetic_env(), timeout=SUBPROCESS_TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)

    for name, (distribution, message) in FAILURES.items():
        first, second = report["api"][name]
        assert first == second
        assert first[0] == "ExporterError" and distribution in first[1] and message in first[1]
        assert report["cli"][name] == [[1, f"argmap: error: {first[1]}\n"]] * 2
    for name in good:
        before, after = report["api"][name]
        assert before == after and before[0] == "ok"
        assert report["cli"][name] == [[0, ""], [0, ""]]
    assert json.loads(report["api"]["json"][0][1])["statements"]
    assert report["api"]["fine"][0][1] == "2\n"
    assert report["api"]["argmap-shadow:json"][0][1] == "SHADOW\n"
    assert report["api"]["argmap-twin-b:twin"][0][1] == "B\n"
    assert (source.parent / "out-argmap-twin-b:twin").read_text(encoding="utf-8") == "B\n"


# -- names ------------------------------------------------------------------------


def test_a_plugin_cannot_replace_json(venv_python: Path, source: Path) -> None:
    to_stdout = _argmap(venv_python, "render", source.name, "-f", "json", "-o", "-", cwd=source.parent)
    by_suffix = _argmap(venv_python, "render", source.name, "-o", "out.json", cwd=source.parent)
    for result in (to_stdout, by_suffix):
        assert result.returncode == 0 and result.stderr == "", result.stderr
    assert json.loads(to_stdout.stdout)["statements"]
    assert (source.parent / "out.json").read_text(encoding="utf-8") == to_stdout.stdout


def test_a_qualified_name_chooses_a_plugin_deliberately(venv_python: Path, source: Path) -> None:
    cases = {"argmap-shadow:json": "SHADOW\n", "argmap-twin-a:twin": "A\n", "Argmap_Twin_B:twin": "B\n"}
    for name, expected in cases.items():
        result = _argmap(venv_python, "render", source.name, "-f", name, "-o", "-", cwd=source.parent)
        assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")
    result = _argmap(venv_python, "render", source.name, "-f", "argmap-twin-a:twin", cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert (source.parent / "rain.twin").read_text(encoding="utf-8") == "A\n"


def test_a_conflicting_suffix_picks_no_plugin(venv_python: Path, source: Path) -> None:
    result = _argmap(venv_python, "render", source.name, "-o", "out.twin", cwd=source.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("argmap: error: format 'twin' is registered by 2 plugins")
    assert not (source.parent / "out.twin").exists()


def test_unknown_qualified_names_are_unknown_formats(venv_python: Path, source: Path) -> None:
    for name in ("argmap-nobody:twin", "argmap-twin-a:json", "argmap-twin-a:"):
        result = _argmap(venv_python, "render", source.name, "-f", name, "-o", "-", cwd=source.parent)
        assert result.returncode == 2, (name, result.stderr)
        assert result.stderr.startswith(f"argmap: error: unknown format {name!r}; available formats: ")
