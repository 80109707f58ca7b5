"""The ``argmap`` command, in-process through ``main()`` and as the installed program."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from conftest import in_ci

import argmap
from argmap.cli import main
from argmap.model import ArgumentMap
from argmap.plugins import ENTRY_POINT_GROUP, ExporterRegistry, FunctionExporter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korea.arg"

GOOD = "[Rain]: It will rain.\n  + [Clouds]: The sky is grey.\n"
# a relation cannot open a paragraph: the '+' on line 3, column 1
BAD = "[Rain]: It will rain.\n\n+ [Clouds]: The sky is grey.\n"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "rain.arg"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def bad_source(tmp_path: Path) -> Path:
    path = tmp_path / "bad.arg"
    path.write_text(BAD, encoding="utf-8")
    return path


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m argmap ARGS`` as a separate program."""
    return subprocess.run(
        [sys.executable, "-m", "argmap", *map(str, args)], capture_output=True, text=True, env=env, timeout=60
    )


def _console_script() -> Path:
    """The ``argmap`` program pip installed next to this interpreter."""
    script = Path(sys.executable).with_name("argmap")
    assert script.exists(), f"{script} is missing: argmap is not installed in this environment (make test installs it)"
    return script


def _recording_registry() -> tuple[ExporterRegistry, list[dict[str, Any]]]:
    """A registry with one real exporter that reports the options it was given."""
    seen: list[dict[str, Any]] = []

    def options_as_json(argmap: ArgumentMap, **options: Any) -> str:
        seen.append(options)
        return json.dumps(options, sort_keys=True)

    exporter = FunctionExporter("options", "the options it was given, as JSON", ".options", options_as_json)
    return ExporterRegistry(extra=[exporter], use_entry_points=False), seen


def _failing_registry() -> ExporterRegistry:
    def fail(argmap: ArgumentMap, **options: Any) -> str:
        raise RuntimeError("this exporter always fails")

    return ExporterRegistry(extra=[FunctionExporter("fail", "fails", ".json", fail)], use_entry_points=False)


# -- version, help, laziness ------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"argmap {argmap.__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("render", "check", "formats"):
        assert command in out


def _modules_loaded_by(argv: list[str]) -> set[str]:
    code = (
        "import sys, io, contextlib\n"
        "from argmap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({argv!r})\n"
        "print(status, *sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    status, *modules = result.stdout.split()
    assert status == "0", result.stderr
    return set(modules)


def _full_modules_loaded_by(argv: list[str]) -> set[str]:
    code = (
        "import sys, io, contextlib\n"
        "from argmap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main({argv!r})\n"
        "print(status, *sorted(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    status, *modules = result.stdout.split()
    assert status == "0", result.stderr
    return set(modules)


def test_a_built_in_format_reads_no_distribution_metadata(source: Path) -> None:
    """Start-up: rendering with argmap's own exporter never scans the installed distributions' entry points."""
    assert "importlib.metadata" not in _full_modules_loaded_by(["render", str(source), "-f", "json", "-o", "-"])
    assert "importlib.metadata" in _full_modules_loaded_by(["formats"])  # the check can see it at all


def test_a_plain_render_imports_no_analysis(source: Path) -> None:
    """Start-up: quotes, lint rules, evaluation and selection load only for the commands and options using them."""
    analysis = {"argmap.quotes", "argmap.checks", "argmap.evaluation", "argmap.selection", "difflib"}
    assert not _full_modules_loaded_by(["render", str(source), "-f", "json", "-o", "-"]) & analysis
    assert "argmap.checks" in _full_modules_loaded_by(["check", str(source)])  # the check can see them at all


def test_each_command_loads_its_own_module_only(source: Path) -> None:
    """Start-up: ``main`` imports the module of the command it runs, not the others' (one module per command)."""
    commands = {"argmap.cli.render", "argmap.cli.check", "argmap.cli.evaluate", "argmap.cli.fmt", "argmap.cli.formats"}
    render = _full_modules_loaded_by(["render", str(source), "-f", "json", "-o", "-"])
    assert render & commands == {"argmap.cli.render"}
    assert "argmap.cli.workers" not in render  # several files only
    assert _full_modules_loaded_by(["check", str(source)]) & commands == {"argmap.cli.check"}
    assert _full_modules_loaded_by(["formats"]) & commands == {"argmap.cli.formats"}


def test_built_in_table_matches_the_registered_entry_points() -> None:
    """argmap.plugins.BUILTIN_EXPORTERS is the entry-point table argmap's distribution registers, name for name."""
    from importlib import metadata

    from argmap.plugins import BUILTIN_EXPORTERS, ENTRY_POINT_GROUP

    registered = {
        ep.name: ep.value
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.dist is not None and ep.dist.name == "argmap"
    }
    assert registered == BUILTIN_EXPORTERS


def test_help_imports_no_parser_yaml_or_graphviz() -> None:
    assert not _modules_loaded_by(["--help"]) & {"lark", "yaml", "graphviz"}


def test_json_export_imports_neither_graphviz_nor_lark(source: Path) -> None:
    """A map that parses is read with the saved parser tables (argmap.lalr): Lark is for errors and first runs."""
    _full_modules_loaded_by(["render", str(source), "-f", "json", "-o", "-"])  # a first run may save the tables
    loaded = _full_modules_loaded_by(["render", str(source), "-f", "json", "-o", "-"])
    assert "argmap.lalr" in loaded  # the check can see imports at all
    assert not {m.split(".")[0] for m in loaded} & {"graphviz", "lark"}


# -- render -------------------------------------------------------------------


def test_render_writes_next_to_the_input(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(source), "-f", "json"]) == 0
    written = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    assert {s["title"] for s in written["statements"]} == {"Rain", "Clouds"}
    assert capsys.readouterr().out == ""


def test_render_defaults_to_svg(source: Path, require_dot: str) -> None:
    assert main(["render", str(source)]) == 0
    assert "<svg" in source.with_suffix(".svg").read_text(encoding="utf-8")


def test_render_to_stdout(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(source), "-f", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["relations"][0]["kind"] == "support"
    assert not source.with_suffix(".json").exists()


def test_render_binary_to_stdout(source: Path, require_dot: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["render", str(source), "-f", "png", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"\x89PNG\r\n\x1a\n")


def test_render_reads_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "argmap", "render", "-", "-f", "json", "-o", "-"],
        input=GOOD,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["statements"]) == 2


def test_render_stdin_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "-", "-f", "json"]) == 2
    assert "-o" in capsys.readouterr().err


@pytest.mark.parametrize(("suffix", "marker"), [(".json", '"statements"'), (".dot", "digraph")])
def test_format_from_the_output_suffix(source: Path, tmp_path: Path, suffix: str, marker: str) -> None:
    output = tmp_path / f"out{suffix}"
    assert main(["render", str(source), "-o", str(output)]) == 0
    assert marker in output.read_text(encoding="utf-8")


def test_format_option_wins_over_the_suffix(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.dot"
    assert main(["render", str(source), "-f", "json", "-o", str(output)]) == 0
    json.loads(output.read_text(encoding="utf-8"))
    err = capsys.readouterr().err
    assert "warning" in err and "-f wins" in err


def test_unknown_suffix_without_format_is_a_usage_error(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(source), "-o", str(tmp_path / "out.xyz")]) == 2
    err = capsys.readouterr().err
    assert "'.xyz'" in err and "-f" in err and "json" in err


def test_exporter_options_are_parsed_as_json_else_string(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry, seen = _recording_registry()
    argv = ["render", str(source), "-f", "options", "-o", "-"]
    for option in ("n=3", "flag=true", "rankdir=LR", "items=[1, 2]", "nothing=null", "nan=NaN", "eq=a=b", "empty="):
        argv += ["-O", option]
    assert main(argv, registry=registry) == 0
    expected = {
        "n": 3,
        "flag": True,
        "rankdir": "LR",
        "items": [1, 2],
        "nothing": None,
        "nan": "NaN",
        "eq": "a=b",
        "empty": "",
    }
    assert seen == [expected]
    assert json.loads(capsys.readouterr().out) == expected


def test_exporter_options_reach_a_real_exporter(source: Path) -> None:
    result = _run("render", source, "-f", "dot", "-O", "rankdir=LR", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert "rankdir=LR" in result.stdout


def test_an_option_the_exporter_rejects_is_an_error(source: Path) -> None:
    result = _run("render", source, "-f", "dot", "-O", "rankdir=sideways", "-o", "-")
    assert result.returncode == 1
    assert "rankdir" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("option", ["novalue", "=1", "not a name=1"])
def test_malformed_exporter_option_is_a_usage_error(
    source: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(source), "-f", "json", "-O", option]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err


# -- formats --------------------------------------------------------------------


def test_formats_lists_the_built_in_exporters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "--exporters"]) == 0
    lines = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    assert lines["json"][1:4] == [".json", "text", "argmap"]
    assert lines["dot"][1:4] == [".dot", "text", "argmap"]
    assert lines["png"][1:4] == [".png", "binary", "argmap"]
    assert lines["svg"][1] == ".svg"


def test_formats_shows_a_broken_plugin_and_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    broken = metadata.EntryPoint(name="broken", value="argmap_no_such_module:EXPORTER", group=ENTRY_POINT_GROUP)
    json_ep = metadata.EntryPoint(name="json", value="argmap.exporters.json:EXPORTER", group=ENTRY_POINT_GROUP)
    registry = ExporterRegistry(entry_points=[broken, json_ep])
    assert main(["formats", "--exporters"], registry=registry) == 0
    out = capsys.readouterr().out
    broken_line = next(line for line in out.splitlines() if line.startswith("broken "))
    assert "BROKEN" in broken_line and "argmap_no_such_module" in broken_line
    assert any(line.startswith("json ") and ".json" in line for line in out.splitlines())


# -- check ----------------------------------------------------------------------


def test_check_clean(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(source)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"{source}: ok (2 statements, 0 arguments, 1 relation)"
    assert captured.err == ""


def test_check_quiet(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-q", str(source)]) == 0
    assert capsys.readouterr().out == ""


def test_check_reports_every_file(source: Path, bad_source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bad_source), str(source)]) == 1
    captured = capsys.readouterr()
    assert f"{bad_source}:3:1: error:" in captured.err
    assert f"{source}: ok" in captured.out  # the good file after the bad one is still checked


def test_check_the_example() -> None:
    result = _run("check", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


# -- usage mistakes -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["render"], ["check"], ["render", "x.arg", "--no-such-option"], ["render", "x.arg", "-f"]],
)
def test_usage_mistakes_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_unknown_format_exits_2_and_lists_the_formats(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(source), "-f", "nope"]) == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "json" in err and "dot" in err


# -- input problems: a message with the file name, exit 1, never a traceback ------


def _problem_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Each problem: the path to read and what stderr must contain."""
    latin1 = tmp_path / "latin1.arg"
    latin1.write_bytes("[Caf\xe9]: ok\n".encode("latin-1"))
    bad = tmp_path / "bad.arg"
    bad.write_text(BAD, encoding="utf-8")
    folder = tmp_path / "folder.arg"
    folder.mkdir()
    return {
        "missing": (tmp_path / "missing.arg", f"{tmp_path / 'missing.arg'}: error:"),
        "directory": (folder, f"{folder}: error:"),
        "bad utf-8": (latin1, f"{latin1}:1:5: error:"),
        "syntax error": (bad, f"{bad}:3:1: error:"),
    }


@pytest.mark.parametrize("problem", ["missing", "directory", "bad utf-8", "syntax error"])
@pytest.mark.parametrize("command", ["render", "check"])
def test_input_problems(tmp_path: Path, problem: str, command: str) -> None:
    path, expected = _problem_inputs(tmp_path)[problem]
    result = _run(command, path, *(["-f", "json"] if command == "render" else []))
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_syntax_error_report_shows_the_line_and_a_caret(bad_source: Path) -> None:
    result = _run("render", bad_source, "-f", "json")
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad_source}:3:1: error: ")
    assert lines[1].strip() == "+ [Clouds]: The sky is grey."
    assert lines[2] == "    ^"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_input(source: Path) -> None:
    source.chmod(0)
    command: list[str] = []
    if os.geteuid() == 0:  # root reads every file: run argmap as 'nobody' instead
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root's privileges for this test"
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        result = subprocess.run(
            [*command, sys.executable, "-m", "argmap", "check", str(source)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "HOME": "/nonexistent"},
        )
    finally:
        source.chmod(0o644)
    assert result.returncode == 1, result.stderr
    assert f"{source}: error:" in result.stderr and "Traceback" not in result.stderr


# -- outputs: whole or not at all, never the source ------------------------------


def test_failed_export_leaves_the_existing_output_alone(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    assert main(["render", str(source), "-f", "fail", "-o", str(output)], registry=_failing_registry()) == 1
    assert "this exporter always fails" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "rain.arg"]  # no temporary file left


def test_syntax_error_leaves_the_existing_output_alone(bad_source: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    assert _run("render", bad_source, "-o", output).returncode == 1
    assert output.read_text(encoding="utf-8") == "old"


def test_overwriting_keeps_the_permissions(source: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    output.chmod(0o640)
    assert main(["render", str(source), "-o", str(output)]) == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o640
    assert output.read_text(encoding="utf-8") != "old"


def test_a_new_output_gets_ordinary_permissions(source: Path, tmp_path: Path) -> None:
    output = tmp_path / "new.json"
    umask = os.umask(0o022)
    try:
        assert main(["render", str(source), "-o", str(output)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o644


def test_writing_through_a_symlink_replaces_its_target(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert main(["render", str(source), "-o", str(link)]) == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "argmap"


def _other_names_for(source: Path, tmp_path: Path) -> dict[str, Path]:
    hard_link = tmp_path / "hard-link.json"
    os.link(source, hard_link)
    symlink = tmp_path / "symlink.json"
    symlink.symlink_to(source)
    return {
        "same path": source,
        "dotted path": tmp_path / "." / source.name,
        "hard link": hard_link,
        "symlink": symlink,
    }


@pytest.mark.parametrize("how", ["same path", "dotted path", "hard link", "symlink"])
@pytest.mark.parametrize("with_format", [True, False])
def test_the_source_is_never_overwritten(
    source: Path, tmp_path: Path, how: str, with_format: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    output = _other_names_for(source, tmp_path)[how]
    argv = ["render", str(source), "-o", str(output), *(["-f", "json"] if with_format else [])]
    assert main(argv) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == GOOD


def test_missing_output_folder(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "no" / "such" / "out.json"
    assert main(["render", str(source), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and str(output.parent) in err
    assert not output.parent.exists()


def test_output_that_is_a_folder(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    assert main(["render", str(source), "-o", str(folder)]) == 1
    assert "folder" in capsys.readouterr().err


def test_no_dot_on_path(source: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    output = tmp_path / "rain.svg"
    output.write_text("old", encoding="utf-8")
    env = {**os.environ, "PATH": str(empty)}
    result = _run("render", source, env=env)
    assert result.returncode == 1
    assert "-f dot" in result.stderr and "Graphviz" in result.stderr
    assert "Traceback" not in result.stderr
    assert output.read_text(encoding="utf-8") == "old"
    assert _run("render", source, "-f", "dot", env=env).returncode == 0  # the advice works


# -- the installed program -------------------------------------------------------


def test_console_script_renders_next_to_the_input(source: Path) -> None:
    result = subprocess.run([_console_script(), "render", source, "-f", "json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))["format"] == "argmap"


def test_console_script_reports_errors_like_python_m(bad_source: Path) -> None:
    script = subprocess.run([_console_script(), "check", bad_source], capture_output=True, text=True)
    module = _run("check", bad_source)
    assert script.returncode == module.returncode == 1
    assert script.stderr == module.stderr


def test_render_the_example_to_stdout() -> None:
    # how fast this is, is measured by the benchmarks, not here
    result = _run("render", EXAMPLE, "-f", "json", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["metadata"]["author"] == "Sojin Lim"


@pytest.mark.parametrize(
    ("fmt", "suffix", "magic"),
    [
        ("json", ".json", b'{\n  "format": "argmap"'),
        ("markdown", ".md", b"# North Korea"),
        ("dot", ".dot", b"digraph argmap {"),
        ("svg", ".svg", b"<?xml"),
        ("png", ".png", b"\x89PNG\r\n\x1a\n"),
        ("pdf", ".pdf", b"%PDF-"),
    ],
)
def test_every_built_in_format_renders_the_example(
    fmt: str, suffix: str, magic: bytes, tmp_path: Path, require_dot: str
) -> None:
    by_flag = tmp_path / f"flag{suffix}"
    by_suffix = tmp_path / f"suffix{suffix}"
    assert main(["render", str(EXAMPLE), "-f", fmt, "-o", str(by_flag)]) == 0
    assert main(["render", str(EXAMPLE), "-o", str(by_suffix)]) == 0
    assert by_flag.read_bytes().startswith(magic)
    assert by_suffix.read_bytes().startswith(magic)
    api = argmap.export(argmap.parse_file(EXAMPLE), fmt)
    assert (api.encode() if isinstance(api, str) else api).startswith(magic)


# -- signals and pipes -----------------------------------------------------------


def test_closed_stdout_pipe_exits_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.arg"
    big.write_text("\n".join(f"[S{i}]: Statement number {i}.\n" for i in range(3000)), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "render", str(big), "-f", "json", "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert stderr == ""


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see the program waiting")
def test_ctrl_c_exits_130_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "check", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 5
    while "pipe" not in wchan.read_text() and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until it blocks reading stdin
    if "pipe" not in wchan.read_text() and not in_ci():
        process.kill()
        pytest.skip("could not see the program waiting on stdin")
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130
    assert stderr == b""


def test_include_outside_the_folder_needs_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.arg"
    outside.write_text("[X]: from outside\n", encoding="utf-8")
    folder = tmp_path / "maps"
    folder.mkdir()
    main_file = folder / "main.arg"
    main_file.write_text("[A]: a\n\n@include(../outside.arg)\n", encoding="utf-8")
    assert main(["check", str(main_file)]) == 1
    err = capsys.readouterr().err
    assert f"{main_file}:3:10: error:" in err and "--allow-include-outside" in err
    assert main(["check", "--allow-include-outside", str(main_file)]) == 0
    assert main(["render", "--allow-include-outside", str(main_file), "-f", "json", "-o", "-"]) == 0
    assert '"title": "X"' in capsys.readouterr().out


@pytest.mark.parametrize("columns", ["50", "200", "", "0", "wide"])
def test_help_is_as_wide_as_argparse_makes_it(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    """The command sizes its help without importing shutil, to the width argparse's own formatter would use."""
    import argparse

    from argmap.cli import _HelpFormatter

    monkeypatch.setenv("COLUMNS", columns)
    assert _HelpFormatter("argmap")._width == argparse.HelpFormatter("argmap")._width


# -- what a command leaves behind ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "dot", "markdown", "mermaid", "argdown", "aif"])
def test_a_command_leaves_no_map_to_the_cycle_collector(fmt: str, tmp_path: Path) -> None:
    """The command runs without the cycle collector (``run``): a reference cycle through the map would keep all of it
    to the end, where the interpreter frees it slowly (half a second for 50,000 statements, once, in DOT)."""
    import argmap.model

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert main(["render", str(EXAMPLE), "-f", fmt, "-o", str(tmp_path / f"out.{fmt}")]) == 0
        gc.collect()
        held = sorted({type(o).__name__ for o in gc.garbage if type(o).__module__ == argmap.model.__name__})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert held == []


def test_the_console_script_ends_with_its_output_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``run`` ends the process without the interpreter's clean-up: what was printed must still all arrive, in
    order, with the status, through a pipe (more than a pipe or a buffer holds) and on stderr."""
    big = tmp_path / "big.arg"
    big.write_text("\n\n".join(f"[S{i}]: Statement number {i}.\n  - [S{i + 1}]" for i in range(3000)) + "\n")
    assert main(["evaluate", str(big)]) == 0
    expected = capsys.readouterr().out
    assert len(expected.encode()) > 100_000
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "evaluate", str(big)], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
    broken = tmp_path / "broken.arg"
    broken.write_text("[A]: fine.\n\n[ ]: no title here\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "check", str(big), str(broken)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert f"{broken}:3:1: error: a statement title cannot be empty" in done.stderr
    assert f"{big}: failed, 1 error" in done.stdout
    assert done.stderr.index("[AM101]") < done.stderr.index(str(broken))  # big.arg's finding, then the error


def test_the_console_script_keeps_only_the_last_map_read(tmp_path: Path) -> None:
    """Under ``run`` the last map read is kept for the exit (never freed); the ones before it go, so that many files
    read one after another do not pile up in memory. A program calling ``main`` keeps nothing."""
    import contextvars

    from argmap.cli import KEPT_TO_THE_END

    files = []
    for name in ("one", "two", "three"):
        files.append(tmp_path / f"{name}.arg")
        files[-1].write_text(f"[{name}]: The claim called {name}.\n", encoding="utf-8")

    def as_the_console_script() -> list[object]:
        kept: list[object] = []
        KEPT_TO_THE_END.set(kept)
        assert main(["check", "-q", *map(str, files)]) == 0
        return kept

    kept = contextvars.copy_context().run(as_the_console_script)
    (last,) = kept
    assert isinstance(last, ArgumentMap) and list(last.statements) == ["three"]
    assert KEPT_TO_THE_END.get() is None
