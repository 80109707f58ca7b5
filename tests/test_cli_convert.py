"""The command with importers: render --from, detection of the input's format, argmap convert, argmap formats.

Every exporter is run for real on an imported map (Graphviz renders the pictures); errors in an input are
reported as FILE:LINE:COLUMN with the line and a caret, and leave no output behind.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import argmap
from argmap.cli import main
from argmap.importers import Imported
from argmap.importers.kialo import IMPORTER as KIALO
from argmap.plugins import BUILTIN_EXPORTERS, BUILTIN_IMPORTERS, ImporterRegistry, default_registry

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "tests" / "formats"
DEBATE = (FORMATS / "kialo" / "car-free-centres.txt").read_text(encoding="utf-8")
ISLAND = (FORMATS / "kialo" / "island-energy.txt").read_text(encoding="utf-8")
ARGDOWN_JSON = (FORMATS / "argdown-json" / "52-mixed-document.json").read_text(encoding="utf-8")
PICTURES = {"svg", "png", "pdf", "html"}


@pytest.fixture
def debate(tmp_path: Path) -> Path:
    path = tmp_path / "debate.txt"
    path.write_text(DEBATE, encoding="utf-8")
    return path


def _imported_map(text: str = DEBATE, name: str = "debate.txt") -> argmap.ArgumentMap:
    return KIALO.read(text, source_name=name).map


# -- render ---------------------------------------------------------------------------------------------------


def test_render_detects_kialo_by_content(debate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(debate), "-f", "json", "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert argmap.from_json(captured.out) == _imported_map(name=str(debate))
    assert captured.err == ""  # nothing was dropped


def test_render_prints_what_was_dropped_unless_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "island.txt"
    path.write_text(ISLAND, encoding="utf-8")
    assert main(["render", str(path), "-f", "json", "-o", "-"]) == 0
    notes = capsys.readouterr().err.splitlines()
    assert notes == [f"{path}: note: {note}" for note in KIALO.read(ISLAND).dropped] and len(notes) == 2
    assert main(["render", str(path), "-f", "json", "-o", "-", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_render_from_names_the_importer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "debate.data"  # a suffix no importer claims, content that is not Kialo's at the start
    path.write_text("\n\n" + DEBATE.replace("Discussion Title", "Discussion Title", 1), encoding="utf-8")
    assert main(["render", str(path), "--from", "kialo", "-f", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["metadata"]["title"].startswith("Should cities ban")


def test_argdown_json_and_argmap_json_are_told_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    theirs = tmp_path / "theirs.json"
    theirs.write_text(ARGDOWN_JSON, encoding="utf-8")
    assert main(["render", str(theirs), "-f", "json", "-o", str(tmp_path / "ours.json"), "-q"]) == 0
    assert main(["render", str(tmp_path / "ours.json"), "-f", "argdown", "-o", "-"]) == 0
    notation = capsys.readouterr().out
    assert argmap.parse(notation) == argmap.from_json((tmp_path / "ours.json").read_text(encoding="utf-8"))
    assert "[Bridge]: We should build the bridge. #(policy)" in notation


def test_stdin_is_detected_by_content(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DEBATE.encode("utf-8"))))
    assert main(["render", "-", "-f", "json", "-o", "-"]) == 0
    assert argmap.from_json(capsys.readouterr().out) == _imported_map(name="<stdin>")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.txt", "[A]: Argdown in a .txt file.\n", ".txt files are read by kialo, and it does not look like that"),
        ("data.json", '{"nodes": []}\n', ".json files are read by json, argdown-json or aif, and it does not look"),
    ],
)
def test_an_input_nothing_recognises_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["render", str(path), "-f", "json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"argmap: error: cannot tell the format of {path}: {problem}")
    assert "name it with --from FORMAT" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_two_importers_claiming_an_input_is_a_usage_error(debate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    @attrs.frozen
    class AlsoKialo:
        name: str = "also-kialo"
        description: str = "says yes to Kialo's exports too"
        suffixes: tuple[str, ...] = (".txt",)

        def sniff(self, head: str) -> bool:
            return head.startswith("Discussion")

        def read(self, text: str, *, source_name: str = "<input>") -> Imported:
            return Imported(argmap.ArgumentMap())

    importers = ImporterRegistry([KIALO, AlsoKialo()], use_entry_points=False)
    assert main(["render", str(debate), "-f", "json", "-o", "-"], importers=importers) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"argmap: error: cannot tell the format of {debate}: it could be kialo or also-kialo;")
    assert main(["render", str(debate), "--from", "also-kialo", "-f", "json", "-o", "-"], importers=importers) == 0


def test_an_unknown_importer_is_a_usage_error(debate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(debate), "--from", "nope", "-f", "json", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("argmap: error: unknown format 'nope'; available formats: aif, argdown, argdown-json")


# -- errors in the input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "where", "shown"),
    [
        ("bad.txt", "Discussion Title: T\n\n1. A\n1.1. Pro: B\n1.1.1.1. Con: C\n", "5:1", "1.1.1.1. Con: C"),
        ("bad.json", '{"arguments": {},\n "statements": {"A": {"members": 7}}}\n', "2:34", ' "statements"'),
        ("broken.json", '{"format": "argmap",\n  "version": 1,\n  "statements": [}\n', "3:18", '  "statements": [}'),
    ],
)
def test_bad_input_is_placed_with_a_caret_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, where: str, shown: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    output = tmp_path / "out.svg"
    output.write_text("the old picture", encoding="utf-8")
    assert main(["convert", str(path), str(output)]) == 1
    first, line, caret, *_ = capsys.readouterr().err.splitlines()
    assert first.startswith(f"{path}:{where}: error: ")
    assert line.startswith(f"    {shown}")
    column = int(where.split(":")[1])
    assert caret == " " * (4 + column - 1) + "^"
    assert output.read_text(encoding="utf-8") == "the old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "out.svg"])


# -- convert ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(BUILTIN_EXPORTERS))
def test_convert_to_every_exporter(debate: Path, fmt: str, request: pytest.FixtureRequest) -> None:
    if fmt in PICTURES:
        request.getfixturevalue("require_dot")
    exporter = default_registry().get(fmt)
    output = debate.with_name(f"converted{exporter.suffix}")
    assert main(["convert", str(debate), str(output), "--to", fmt]) == 0  # .json alone would mean argmap JSON
    written = output.read_bytes()
    if fmt in ("svg", "html") or not (exporter.binary or fmt in PICTURES):
        expected = argmap.export(_imported_map(name=str(debate)), fmt)
        if fmt in ("svg", "html"):
            assert written.decode("utf-8").count("<") > 10
        else:
            assert written.decode("utf-8") == expected
    else:
        assert written.startswith(b"%PDF" if fmt == "pdf" else b"\x89PNG")


def test_convert_to_stdout_needs_to(debate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(debate), "-"]) == 2
    assert "writing to stdout ('-') needs --to FORMAT" in capsys.readouterr().err
    assert main(["convert", str(debate), "-", "--to", "argdown"]) == 0
    assert argmap.parse(capsys.readouterr().out) == _imported_map()


def test_convert_names_formats_with_flags(debate: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = debate.with_name("map.data")
    assert main(["convert", str(debate), str(output)]) == 2
    assert "no exporter writes the suffix '.data' of" in capsys.readouterr().err
    assert not output.exists()
    assert main(["convert", str(debate), str(output), "--to", "json", "--from", "kialo"]) == 0
    assert argmap.from_json(output.read_text(encoding="utf-8")) == _imported_map()


def test_convert_takes_exporter_options(debate: Path) -> None:
    output = debate.with_name("map.json")
    assert main(["convert", str(debate), str(output), "-O", "evaluate=grounded"]) == 0
    assert "evaluation" in json.loads(output.read_text(encoding="utf-8"))


def test_convert_never_overwrites_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "map.json"
    original = argmap.export(argmap.parse("[A]: a"), "json")
    assert isinstance(original, str)
    path.write_text(original, encoding="utf-8")
    assert main(["convert", str(path), str(path)]) == 1
    assert "it is the input file" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == original


def test_convert_round_trips_through_argmap_json(debate: Path) -> None:
    first, second = debate.with_name("one.json"), debate.with_name("two.arg")
    assert main(["convert", str(debate), str(first)]) == 0
    assert main(["convert", str(first), str(second)]) == 0
    assert argmap.parse_file(second) == _imported_map()


# -- check and evaluate --------------------------------------------------------------------------------------


def test_check_places_findings_in_the_imported_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "island.txt"
    path.write_text(ISLAND, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"{path}:4:1: warning: [Which energy source should a small] is used nowhere" in captured.err
    assert f"{path}: note: dropped how 2 claims" in captured.err
    assert captured.out == f"{path}: ok, 1 warning (10 statements, 0 arguments, 9 relations)\n"
    assert main(["check", str(path), "-q"]) == 0
    assert "note:" not in capsys.readouterr().err
    assert main(["check", str(path), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert [f["name"] for f in findings][:2] == ["import-note", "import-note"]
    assert any(f["code"] == "AM103" and (f["line"], f["file"]) == (4, str(path)) for f in findings)


def test_check_and_evaluate_take_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "debate.export"
    path.write_text(DEBATE, encoding="utf-8")
    assert main(["check", str(path), "--from", "kialo"]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: ok")
    assert main(["evaluate", str(path), "--from", "kialo", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["source"] == str(path) and result["semantics"] == "grounded"


# -- formats ------------------------------------------------------------------------------------------------


def test_formats_lists_exporters_and_importers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    exporters, importers = out.split("\n\n")
    assert exporters.startswith("Exporters (argmap render -f FORMAT, argmap convert --to FORMAT):\nNAME  ")
    assert importers.startswith("Importers (argmap render --from FORMAT, argmap convert --from FORMAT):\nNAME  ")
    rows = {line.split()[0]: line.split() for line in importers.splitlines()[2:]}
    assert set(rows) == set(BUILTIN_IMPORTERS)
    assert rows["kialo"][1:4] == [".txt", "ok", "argmap"]
    assert rows["argdown"][1] == ".arg,.argdown"
    assert main(["formats", "--importers"]) == 0
    assert capsys.readouterr().out == importers.split("\n", 1)[1]


def test_formats_shows_a_broken_importer(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import metadata

    broken = metadata.EntryPoint(name="broken", value="argmap_no_such_module:IMPORTER", group="argmap.importers")
    assert main(["formats", "--importers"], importers=ImporterRegistry(entry_points=[broken])) == 0
    (_header, row) = capsys.readouterr().out.splitlines()
    assert row.split()[:3] == ["broken", "-", "BROKEN"] and "ModuleNotFoundError" in row


def test_a_notation_file_reads_no_importer_metadata(tmp_path: Path) -> None:
    """Start-up: rendering a .arg file neither scans entry points nor imports the other importers."""
    source = tmp_path / "map.arg"
    source.write_text("[A]: a\n", encoding="utf-8")
    code = (
        "import sys, io, contextlib\nfrom argmap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main(['render', {str(source)!r}, '-f', 'json', '-o', '-'])\n"
        "print(status, *sorted(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    status, *modules = result.stdout.split()
    assert status == "0", result.stderr
    assert "importlib.metadata" not in modules
    assert not {m for m in modules if m.startswith("argmap.importers.")}
