"""``argmap fmt``: files rewritten in the canonical layout, in place, checked, or through a pipe."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pytest

import argmap
from argmap.cli import main
from argmap.formatter import FormatError, format_text

ROOT = Path(__file__).resolve().parent.parent

MESSY = "[Rain]:   It will\n  rain.\n   <+ [Clouds]:The sky is grey.\n"
TIDY = "[Rain]: It will rain.\n  + [Clouds]: The sky is grey.\n"
BAD = "[Rain]: It will rain.\n\n+ [Clouds]: The sky is grey.\n"


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = tmp_path / "rain.arg"
    path.write_text(MESSY, encoding="utf-8")
    return path


def test_format_text_tidies_and_is_idempotent() -> None:
    assert format_text(MESSY) == TIDY
    assert format_text(TIDY) == TIDY


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("*.arg")))
def test_examples_are_a_fixed_point_after_one_pass(name: str) -> None:
    once = format_text((ROOT / "examples" / name).read_text(encoding="utf-8"))
    assert format_text(once) == once
    assert argmap.parse(once) == argmap.parse_file(ROOT / "examples" / name)


def test_fmt_rewrites_the_file_in_place(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(messy, 0o640)
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == TIDY
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640  # permissions kept
    assert capsys.readouterr() == ("", "")
    assert not [p for p in messy.parent.iterdir() if p.name.endswith(".tmp")]


def test_fmt_leaves_a_formatted_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "tidy.arg"
    path.write_text(TIDY, encoding="utf-8")
    before = path.stat().st_mtime_ns
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_mtime_ns == before


def test_check_prints_a_diff_and_changes_nothing(messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", str(messy)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {messy}\n+++ {messy} (formatted)\n")
    assert "-   <+ [Clouds]:The sky is grey.\n" in out and "+  + [Clouds]: The sky is grey.\n" in out
    assert messy.read_text(encoding="utf-8") == MESSY


def test_check_passes_on_a_formatted_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tidy.arg"
    path.write_text(TIDY, encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 0
    assert capsys.readouterr() == ("", "")


def test_dash_reads_stdin_and_writes_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MESSY.encode("utf-8"))))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == TIDY


def test_syntax_error_is_reported_and_the_file_untouched(
    tmp_path: Path, messy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.arg"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["fmt", str(bad), str(messy)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3:1: error: a paragraph cannot start with the relation '+'" in err
    assert bad.read_text(encoding="utf-8") == BAD
    assert messy.read_text(encoding="utf-8") == TIDY  # the other files are still formatted


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "nope.arg")]) == 1
    assert "nope.arg: error: no such file" in capsys.readouterr().err


def test_symbolic_link_target_is_rewritten(messy: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.arg"
    link.symlink_to(messy)
    assert main(["fmt", str(link)]) == 0
    assert link.is_symlink()
    assert messy.read_text(encoding="utf-8") == TIDY


def test_include_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "part.arg").write_text("[P]: part\n", encoding="utf-8")
    main_file = tmp_path / "main.arg"
    main_file.write_text("[M]: main\n\n@include(part.arg)\n", encoding="utf-8")
    with pytest.raises(FormatError, match="@include"):
        format_text(main_file.read_text(encoding="utf-8"), str(main_file))
    assert main(["fmt", str(main_file)]) == 1
    assert "@include" in capsys.readouterr().err
    assert main_file.read_text(encoding="utf-8") == "[M]: main\n\n@include(part.arg)\n"


def test_comments_survive(tmp_path: Path) -> None:
    source = "// a comment\n[A]: a  // at the end of a line\n  + [B]: b\n\n/* block\n   comment */\n"
    once = format_text(source)
    assert [c.text for c in argmap.parse(once).comments] == [
        "// a comment",
        "// at the end of a line",
        "/* block\n   comment */",
    ]
    assert format_text(once) == once
