"""Inputs that must get a clear error or a correct result: encodings, line ends, odd bytes, files and folders.

Through the API, and through the command (a subprocess) where the command adds something: exit 1 for a
problem with the input or the output (2 for a usage mistake), ``FILE:LINE:COLUMN`` where there is a position,
never a traceback, and no output file written or clobbered.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from oracle import argdown

import argmap
from argmap.errors import SourceFileError
from argmap.model import SourceSpan

ROOT = Path(__file__).resolve().parent.parent

#: a document with every kind of element, relation trees, a PCS, data, a heading, comments and front matter
DOCUMENT = """\
===
title: Inputs
===

# Rain

[Rain]: It will rain today. #weather
  + <Clouds>: Grey clouds gather.
    - [Sun]: The sun is out.
  -> [Dry]: The ground stays dry.
    {confidence: 0.5}

// a comment
<Clouds>

(1) [Grey]: The sky is grey.
(2) [Grey means rain]: Grey skies bring rain.
-- modus ponens --
(3) [Rain]
"""


def spans(value: Any) -> Iterator[SourceSpan]:
    """Every span inside a model value, in a fixed order."""
    if isinstance(value, SourceSpan):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from spans(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from spans(item)
    elif hasattr(value, "values"):
        for item in value.values():
            yield from spans(item)


def argmap_command(
    *args: str | Path, stdin: Any = subprocess.DEVNULL, user: list[str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [*(user or []), sys.executable, "-m", "argmap", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        stdin=stdin,
        env={**os.environ, "HOME": "/nonexistent"} if user else None,
        **kw,
    )
    assert "Traceback" not in completed.stderr + completed.stdout, completed.stderr
    return completed


def as_nobody() -> list[str]:
    """A prefix that runs a command as 'nobody' when the tests run as root (root reads and writes everything)."""
    if os.name != "posix" or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root's privileges for this test"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A folder that 'nobody' can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="argmap-inputs-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder)


# -- encodings ----------------------------------------------------------------------------------


def test_invalid_utf8_names_the_byte_offset_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "latin1.arg"
    data = "[A]: Ünïcode is fine.\n\n[B]: but café ".encode() + b"\xe9" + b" is not.\n"
    source.write_bytes(data)
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse_file(source)
    error = caught.value
    offset = data.index(b"\xe9", data.index(b"[B]"))
    assert f"byte offset {offset}" in error.message and "0xe9" in error.message
    assert (error.line, error.column) == (3, len("[B]: but café ") + 1)  # columns count characters, not bytes
    completed = argmap_command("check", source)
    assert completed.returncode == 1
    assert completed.stderr.startswith(f"{source}:3:{error.column}: error: invalid UTF-8")


def test_invalid_utf8_after_lone_cr_line_ends_is_placed_on_its_line(tmp_path: Path) -> None:
    source = tmp_path / "mac.arg"
    source.write_bytes(b"[A]: one\r\r[B]: caf\xe9\r")
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse_file(source)
    assert (caught.value.line, caught.value.column) == (3, 9)


def test_invalid_utf8_is_placed_by_fmt_and_on_stdin_too(tmp_path: Path) -> None:
    source = tmp_path / "bad.arg"
    source.write_bytes(b"[A]: one\n[B]: caf\xe9\n")
    fmt = argmap_command("fmt", "--check", source)
    assert fmt.returncode == 1 and f"{source}:2:9:" in fmt.stderr, fmt.stderr
    with source.open("rb") as stdin:
        check = argmap_command("check", "-", stdin=stdin)
    assert check.returncode == 1 and "<stdin>:2:9:" in check.stderr, check.stderr


def test_a_utf8_bom_is_accepted_and_takes_no_column(tmp_path: Path) -> None:
    plain, with_bom = tmp_path / "plain.arg", tmp_path / "bom.arg"
    plain.write_text(DOCUMENT, encoding="utf-8")
    with_bom.write_bytes(b"\xef\xbb\xbf" + DOCUMENT.encode())
    expected = argmap.parse_file(plain)
    got = argmap.parse_file(with_bom)
    assert got == expected
    assert list(spans(got)) == list(spans(expected))
    assert argmap.parse("\ufeff" + DOCUMENT) == expected
    with with_bom.open("rb") as stdin:
        completed = argmap_command("check", "-", stdin=stdin)
    assert completed.returncode == 0 and "5 statements" in completed.stdout, completed.stdout
    bad = tmp_path / "bad.arg"
    bad.write_bytes(b"\xef\xbb\xbf[A]: x\n+ [B]: y\n")
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse_file(bad)
    assert (caught.value.line, caught.value.column) == (2, 1)


# -- line ends ----------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_crlf_and_lone_cr_give_the_same_map_and_spans(newline: str, tmp_path: Path) -> None:
    expected = argmap.parse(DOCUMENT)
    text = DOCUMENT.replace("\n", newline)
    assert argmap.parse(text) == expected
    assert list(spans(argmap.parse(text))) == list(spans(expected))
    source = tmp_path / "doc.arg"
    source.write_bytes(text.encode())
    from_file = argmap.parse_file(source)
    assert from_file == expected
    assert [(s.line, s.column, s.end_line, s.end_column) for s in spans(from_file)] == [
        (s.line, s.column, s.end_line, s.end_column) for s in spans(expected)
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_errors_are_placed_alike_whatever_the_line_ends(newline: str, tmp_path: Path) -> None:
    broken = DOCUMENT.replace("  -> [Dry]", "-> [Dry]").replace("\n", newline)
    source = tmp_path / "doc.arg"
    source.write_bytes(broken.encode())
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse_file(source)
    assert (caught.value.line, caught.value.column) == (10, 1)
    assert caught.value.source_line.rstrip("\r\n") == "-> [Dry]: The ground stays dry."
    completed = argmap_command("check", source)
    assert completed.returncode == 1 and f"{source}:10:1: error:" in completed.stderr


# -- odd characters -------------------------------------------------------------------------------


def test_every_ascii_character_is_refused_or_read_as_the_non_ascii_check_decides() -> None:
    # an ASCII text is checked by a quicker test in C: the same characters as for any other text, one by one
    for code in range(0x80):
        for text in (f"[A]: one {chr(code)}two\n", f"[A]: one {chr(code)}two \u00e9\n"):  # ASCII, and not
            try:
                argmap.parse(text)
            except argmap.ArgmapSyntaxError as error:
                refused = error.message.startswith("control character")
            else:
                refused = False
            assert refused == ((code < 0x20 and chr(code) not in "\t\n\r") or code == 0x7F), (code, text)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x0c"], ids=["nul", "esc", "del", "formfeed"])
def test_control_characters_are_refused_at_their_position(char: str, newline: str, tmp_path: Path) -> None:
    text = f"[A]: one{newline}{newline}[B]: two {char}three{newline}"
    with pytest.raises(argmap.ArgmapSyntaxError) as caught:
        argmap.parse(text)
    assert (caught.value.line, caught.value.column) == (3, 10)
    assert f"U+{ord(char):04X}" in caught.value.message
    if newline != "\n":
        return  # the command prints what the API raises: once per character is enough
    source = tmp_path / "ctl.arg"
    source.write_bytes(text.encode())
    completed = argmap_command("check", source)
    assert completed.returncode == 1 and completed.stderr.startswith(f"{source}:3:10: error: control character")


def test_an_error_report_never_prints_a_control_character(tmp_path: Path) -> None:
    source = tmp_path / "esc.arg"
    source.write_bytes(b"[A]: \x1b]0;owned\x07 \x1b[2J\n")
    completed = argmap_command("check", source)
    assert completed.returncode == 1
    assert not [c for c in completed.stderr if ord(c) < 0x20 and c not in "\n\t"], repr(completed.stderr)


# -- tabs: one column each, as in Argdown ---------------------------------------------------------

#: documents indented with tabs, or tabs and spaces: (text, relations as (source, kind, target), or where it is refused)
TAB_DOCUMENTS: dict[str, tuple[str, set[tuple[str, str, str]] | str]] = {
    "tabs": (
        "[A]: a\n\t+ [B]: b\n\t\t- [C]: c\n\t+ [D]: d\n",
        {("B", "support", "A"), ("C", "attack", "B"), ("D", "support", "A")},
    ),
    # two spaces are deeper than one tab: C is B's child
    "spaces-under-tab": ("[A]: a\n\t+ [B]: b\n  - [C]: c\n", {("B", "support", "A"), ("C", "attack", "B")}),
    # ' \t' and '\t ' are both two columns: siblings
    "same-width": ("[A]: a\n \t+ [B]: b\n\t - [C]: c\n", {("B", "support", "A"), ("C", "attack", "A")}),
    "four-spaces-under-two-tabs": (
        "[A]: a\n\t+ [B]: b\n\t\t- [C]: c\n    + [D]: d\n",
        {("B", "support", "A"), ("C", "attack", "B"), ("D", "support", "C")},
    ),
    # one tab is less than two spaces and matches no level above: refused (Argdown: 3:1)
    "tab-under-spaces": ("[A]: a\n  + [B]: b\n\t- [C]: c\n", "3:2"),
}


def relations_of(m: argmap.ArgumentMap) -> set[tuple[str, str, str]]:
    return {(r.source.title, r.kind.value, r.target.title) for r in m.relations}


@pytest.mark.parametrize("name", sorted(TAB_DOCUMENTS))
def test_tabs_count_one_column(name: str) -> None:
    text, expected = TAB_DOCUMENTS[name]
    if isinstance(expected, str):
        with pytest.raises(argmap.ArgmapSyntaxError) as caught:
            argmap.parse(text)
        assert f"{caught.value.line}:{caught.value.column}" == expected
        assert "indentation" in caught.value.message
        assert caught.value.report().splitlines()[1] == "    " + text.splitlines()[2].expandtabs(1)
    else:
        assert relations_of(argmap.parse(text)) == expected


@pytest.mark.oracle
def test_tabs_are_read_as_argdown_reads_them(tmp_path: Path) -> None:
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    paths = {}
    for name, (text, _) in TAB_DOCUMENTS.items():
        paths[name] = tmp_path / f"{name}.arg"
        paths[name].write_text(text, encoding="utf-8")
    results = argdown.run(paths.values())
    for name, (_, expected) in TAB_DOCUMENTS.items():
        result = results[paths[name]]
        if isinstance(expected, str):
            assert not result["ok"], name
            continue
        assert result["ok"], (name, result)
        kinds = {"support": "support", "attack": "attack"}
        got = {(r["from"], kinds[r["relationType"]], r["to"]) for r in result["json"]["relations"]}
        assert got == expected, name


# -- files, folders, standard input ------------------------------------------------------------


def test_a_folder_and_a_missing_file_are_clear_errors(tmp_path: Path) -> None:
    folder = tmp_path / "folder.arg"
    folder.mkdir()
    missing = tmp_path / "missing.arg"
    for path, problem in ((folder, "is a directory"), (missing, "no such file")):
        with pytest.raises(SourceFileError, match=problem):
            argmap.parse_file(path)
        for command in (("check", path), ("render", path, "-f", "json", "-o", "-"), ("fmt", path)):
            completed = argmap_command(*command)
            assert completed.returncode == 1, command
            assert completed.stderr.startswith(f"{path}: error: {problem}"), completed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.arg"]  # render wrote nothing


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_file_is_a_clear_error(public_dir: Path) -> None:
    source = public_dir / "secret.arg"
    source.write_text("[A]: a\n", encoding="utf-8")
    source.chmod(0)
    for command in (("check",), ("render", "-f", "json", "-o", "-"), ("fmt",)):
        completed = argmap_command(*command[:1], source, *command[1:], user=as_nobody())
        assert completed.returncode == 1, (command, completed.stderr)
        assert completed.stderr.lower().startswith(f"{source}: error: permission denied"), completed.stderr
        assert completed.stdout == ""


def test_empty_standard_input_is_an_empty_map() -> None:
    completed = argmap_command("check", "-")
    assert completed.returncode == 0
    assert completed.stdout == "<stdin>: ok (0 statements, 0 arguments, 0 relations)\n"
    rendered = argmap_command("render", "-", "-f", "json", "-o", "-")
    assert rendered.returncode == 0
    assert argmap.from_json(rendered.stdout) == argmap.ArgumentMap()


@pytest.mark.parametrize("command", [("check", "-"), ("render", "-", "-f", "json", "-o", "-"), ("fmt", "-")])
def test_closed_standard_input_is_a_clear_error(command: tuple[str, ...]) -> None:
    completed = argmap_command(*command, stdin=None, close_fds=True, preexec_fn=lambda: os.close(0))
    assert completed.returncode == 1
    assert completed.stderr.startswith("<stdin>: error:"), completed.stderr


def test_usage_mistakes_exit_2() -> None:
    for command in (("render", "-"), ("check",), ("render", "x.arg", "--no-such-option")):
        completed = argmap_command(*command)
        assert completed.returncode == 2, (command, completed.stderr)


# -- outputs ------------------------------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "map.arg"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def test_an_output_folder_that_does_not_exist_is_refused(source: Path) -> None:
    completed = argmap_command("render", source, "-o", source.parent / "nowhere" / "out.json")
    assert completed.returncode == 1
    assert "does not exist" in completed.stderr
    assert not (source.parent / "nowhere").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_output_folder_that_is_not_writable_is_refused(public_dir: Path) -> None:
    source = public_dir / "map.arg"
    source.write_text(DOCUMENT, encoding="utf-8")
    locked = public_dir / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    completed = argmap_command("render", source, "-o", locked / "out.json", user=as_nobody())
    assert completed.returncode == 1
    assert "permission denied" in completed.stderr.lower()
    assert list(locked.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unwritable_output_is_named_in_the_message(public_dir: Path) -> None:
    source = public_dir / "map.arg"
    source.write_text(DOCUMENT, encoding="utf-8")
    locked = public_dir / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    completed = argmap_command("render", source, "-o", locked / "out.json", user=as_nobody())
    assert ".tmp" not in completed.stderr and f"{locked / 'out.json'}" in completed.stderr, completed.stderr


def test_the_input_file_is_never_the_output(source: Path) -> None:
    before = source.read_bytes()
    link = source.parent / "link.arg"
    link.symlink_to(source.name)
    hard = source.parent / "hard.json"
    os.link(source, hard)
    for output in (source, source.parent / "." / source.name, link, hard):
        completed = argmap_command("render", source, "-f", "json", "-o", output)
        assert completed.returncode == 1, output
        assert "it is the input file" in completed.stderr
        assert source.read_bytes() == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["hard.json", "link.arg", "map.arg"]


def test_a_broken_input_writes_no_output(source: Path) -> None:
    source.write_text("[A]: a\n+ [B]: b\n", encoding="utf-8")
    output = source.parent / "out.json"
    completed = argmap_command("render", source, "-o", output)
    assert completed.returncode == 1 and f"{source}:2:1:" in completed.stderr
    assert not output.exists()
    output.write_text("old", encoding="utf-8")
    assert argmap_command("render", source, "-o", output).returncode == 1
    assert output.read_text(encoding="utf-8") == "old"


def test_an_output_that_is_not_a_file_is_written_into_not_replaced(source: Path, tmp_path: Path) -> None:
    """-o /dev/null or a named pipe: the map goes into it; renaming a temporary file over it (as root, over
    /dev/null) would replace the device with a file. A named pipe stands in for /dev/null here."""
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    completed = argmap_command("render", source, "-f", "json", "-o", pipe)
    reader.join(timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still the pipe
    assert json.loads(received[0])["format"] == "argmap"
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]  # no temporary file left beside it
