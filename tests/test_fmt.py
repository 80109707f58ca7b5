"""``argmap fmt``: files tidied in their own layout, in place, checked, or through a pipe."""

from __future__ import annotations

import difflib
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


# -- a tidy file is left as it is -------------------------------------------------------

TIDY_DOCUMENTS = {
    "outgoing relations": (
        "[A]: The forecast says rain.\n  +> [B]\n  -> [Picnic]: We picnic outside.\n\n[B]: Take an umbrella.\n"
    ),
    "nested trees and an undercut": (
        "<Umbrella>: Rain, so take one.\n"
        "  <_ [Car]: We go by car.\n"
        "    - [Walk]: The car is broken.\n"
        "      + [Garage]: The garage said so.\n"
        "  + [Radar]: The radar shows rain.\n"
        "  _> <Other>\n"
        "\n"
        "[Radar]\n"
        "  >< [Dry]: It stays dry.\n"
    ),
    "PCS after an argument with a relation tree": (
        "<X>: An argument.\n"
        '  {quote: "As the article says."}\n'
        "  <_ [P]: Not in this case.\n"
        "    {source: interview}\n"
        "\n"
        "(1) [A]: a\n"
        "(2) [B]: b\n"
        "-- modus ponens --\n"
        "(3) [C]: c\n"
        "  +> [D]: d\n"
    ),
    "front matter, sections and comments": (
        "===\n"
        'title: "Rain: a map"\n'
        "author: Ann Example\n"
        "author-affiliation: University of Somewhere\n"
        'date: "2024-05-01"\n'
        "licence: CC BY 4.0\n"
        'answer: "yes"\n'
        "model: {mode: loose}\n"
        "note: >-\n"
        "  A map written to show that formatting leaves a tidy file alone: every line of\n"
        "  this note is folded at eighty columns, as a person would write it.\n"
        "===\n"
        "\n"
        "# Weather\n"
        "\n"
        "// why we care\n"
        "[Rain]: It will rain. #main\n"
        "  {certainty: 0.8, checked: true}\n"
        "  + [Clouds]: Dark clouds.\n"
        "\n"
        "## Plans\n"
        "\n"
        "[Rain]\n"
        "  -> [Picnic]: We picnic outside.\n"
    ),
}


@pytest.mark.parametrize("name", sorted(TIDY_DOCUMENTS))
def test_a_tidy_document_is_left_byte_identical(name: str) -> None:
    assert format_text(TIDY_DOCUMENTS[name]) == TIDY_DOCUMENTS[name]


def test_a_relation_stays_under_the_element_it_was_written_under() -> None:
    source = "[A]: a\n  +> [B]\n\n[B]: b\n"
    assert format_text(source) == source  # not moved into a new block "[B]\n  + [A]"


def test_no_reference_is_inserted_between_an_argument_tree_and_its_pcs() -> None:
    source = "<X>: x\n  <_ [P]: p\n\n(1) a\n----\n(2) b\n"
    assert format_text(source) == source


def test_front_matter_is_written_as_a_person_writes_yaml() -> None:
    source = (
        "===\n"
        '"author": "Sojin Lim"\n'
        'licence: "CC BY-ND 4.0"\n'
        "note: An argument map of the article. Every statement and argument that renders a passage quotes "
        "the article verbatim.\n"
        'poem: "two\\nlines"\n'
        "===\n"
    )
    assert format_text(source) == (
        "===\n"
        "author: Sojin Lim\n"
        "licence: CC BY-ND 4.0\n"
        "note: >-\n"
        "  An argument map of the article. Every statement and argument that renders a\n"
        "  passage quotes the article verbatim.\n"
        "poem: |-\n"
        "  two\n"
        "  lines\n"
        "===\n"
    )


def test_the_examples_need_almost_no_change() -> None:
    # what fmt may still change in them: '<+' spelled '+', a bare reference line, a quote YAML does not need
    for path in sorted((ROOT / "examples").glob("*.arg")):
        text = path.read_text(encoding="utf-8")
        changed = [
            line for line in difflib.ndiff(text.splitlines(), format_text(text).splitlines()) if line[:1] in "+-"
        ]
        assert len(changed) <= 2, (path.name, changed)
