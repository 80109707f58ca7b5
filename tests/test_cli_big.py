"""``argmap render`` on big maps: --focus/--select, --engine, the slow-layout warning, progress, Ctrl-C, many files.

Graphviz runs for real. The big maps come from the benchmark generator; a layout of one of them
would take minutes, so those tests stop it (with a real SIGINT, or Ctrl-C typed on a real
pseudo-terminal) once they have seen what they wait for. The slow-layout warning is tested at the
real threshold (``SLOW_LAYOUT["dot"]``): a map just above it warns at once; a map at it shows the
progress line without a warning.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import in_ci

import argmap
from argmap.cli import SLOW_LAYOUT, main
from argmap.exporters.mapgraph import build_graph

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ sits beside argmap/, outside the installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402

#: generous bounds for things that take a second or two: a hang fails instead of blocking the suite
WAIT = 60

#: the tests that watch processes (Graphviz, workers) read Linux's /proc; under CI (Linux) they always run
watches_processes = pytest.mark.skipif(
    not Path("/proc/self/task").exists() and not in_ci(), reason="watches processes through Linux's /proc"
)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generated maps: small, medium, and just at / just above the dot warning threshold (in boxes)."""
    folder = tmp_path_factory.mktemp("maps")
    limit = SLOW_LAYOUT["dot"]
    at = limit // 4 * 3  # a generated map of N statements draws N + N/3 boxes
    sizes = {"small": 30, "medium": 300, "at_limit": at, "above_limit": at + 3}
    paths = {}
    for name, size in sizes.items():
        paths[name] = folder / f"{name}.arg"
        generate.write(size, paths[name])
    return paths


def test_the_map_at_the_threshold_draws_exactly_that_many_boxes(maps: dict[str, Path]) -> None:
    # the map above it draws 4 more: the warning says how many (test_above_the_threshold...)
    assert len(build_graph(argmap.parse_file(maps["at_limit"])).nodes) == SLOW_LAYOUT["dot"]


def _json(capsys: pytest.CaptureFixture[str]) -> argmap.ArgumentMap:
    return argmap.from_json(capsys.readouterr().out)


# -- part of a map ------------------------------------------------------------------------------


def test_focus_and_depth_export_the_neighbourhood(maps: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(maps["medium"]), "--focus", "Argument 10", "--depth", "0", "-f", "json", "-o", "-"]) == 0
    part = _json(capsys)
    assert set(part.arguments) == {"Argument 10"}
    assert set(part.statements) == {"Premise 10.1", "Premise 10.2", "Conclusion 10"}
    assert main(["render", str(maps["medium"]), "--focus", "<Argument 10>", "-f", "json", "-o", "-"]) == 0
    default = _json(capsys)
    whole = argmap.parse_file(maps["medium"])
    assert default == argmap.select(whole, focus="Argument 10", depth=2)
    assert 1 < len(default.arguments) < len(whole.arguments)


def test_a_neighbourhood_of_a_big_map_renders_to_svg(maps: dict[str, Path], tmp_path: Path, require_dot: str) -> None:
    output = tmp_path / "part.svg"
    assert main(["render", str(maps["above_limit"]), "--focus", "Conclusion 7", "-o", str(output)]) == 0
    svg = output.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "Conclusion 7" in svg
    assert svg.count('class="node"') < 40


def test_select_by_tag_and_section(maps: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    source = str(maps["medium"])
    assert main(["render", source, "--select", "#group-3", "-f", "json", "-o", "-"]) == 0
    tagged = _json(capsys)
    assert tagged.arguments and all(a.tags == ("group-3",) for a in tagged.arguments.values())
    assert main(["render", source, "--select", "tag:group-3", "--select", "tag:group-4", "-f", "json", "-o", "-"]) == 0
    assert {a.tags for a in _json(capsys).arguments.values()} == {("group-3",), ("group-4",)}
    assert main(["render", source, "--select", "section:Part 1", "--select", "#group-3", "-f", "json", "-o", "-"]) == 0
    both = _json(capsys)
    assert set(both.arguments) == {t for t in tagged.arguments if int(t.split()[1]) <= 100}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--depth", "1"], "--depth needs --focus"),
        (["--focus", "X", "--depth", "-1"], "expected a whole number of steps"),
        (["--select", "group-3"], "expected '#TAG', 'tag:TAG' or 'section:TITLE'"),
        (["--select", "section:"], "expected '#TAG'"),
        (["--engine", "nonsense"], "unknown Graphviz layout 'nonsense'; choose one of circo, dot"),
        (["--engine", "sfdp", "-f", "json"], "--engine applies to the Graphviz formats"),
        (["--engine", "sfdp", "-O", "engine=neato"], "two engines given"),
        (["-j", "0"], "expected a number of files at once"),
    ],
)
def test_usage_mistakes_exit_2(
    maps: dict[str, Path], extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(maps["small"]), *extra]) == 2
    assert message in capsys.readouterr().err


def test_a_focus_or_tag_the_map_does_not_have_is_an_error(
    maps: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(maps["small"]), "--focus", "argument 3", "-f", "json", "-o", "-"]) == 1
    assert "no statement or argument is titled 'argument 3'; did you mean <Argument 3>" in capsys.readouterr().err
    assert main(["render", str(maps["small"]), "--select", "#group-9", "-f", "json", "-o", "-"]) == 1
    assert "carries the tag #group-9" in capsys.readouterr().err


# -- engines --------------------------------------------------------------------------------------


def test_engine_sfdp_renders_and_a_dot_file_records_the_engine(
    maps: dict[str, Path], tmp_path: Path, require_dot: str
) -> None:
    source = str(maps["medium"])
    sfdp, layered, recorded = tmp_path / "sfdp.svg", tmp_path / "dot.svg", tmp_path / "map.dot"
    assert main(["render", source, "--engine", "sfdp", "-o", str(sfdp)]) == 0
    assert main(["render", source, "-o", str(layered)]) == 0
    assert main(["render", source, "--engine", "sfdp", "-o", str(recorded)]) == 0
    assert sfdp.read_bytes() != layered.read_bytes()
    assert "\tlayout=sfdp\n" in recorded.read_text(encoding="utf-8")
    # plain 'dot -Tsvg' obeys the recorded layout: the same picture as --engine sfdp
    done = subprocess.run([require_dot, "-Tsvg", str(recorded)], capture_output=True, timeout=WAIT, check=True)
    assert done.stdout == sfdp.read_bytes()


def test_engine_lays_out_the_html_page_s_diagram(maps: dict[str, Path], tmp_path: Path, require_dot: str) -> None:
    source = str(maps["small"])
    by_flag, by_option, layered = (tmp_path / f"{name}.html" for name in ("flag", "option", "layered"))
    assert main(["render", source, "-f", "html", "--engine", "sfdp", "-o", str(by_flag)]) == 0
    assert main(["render", source, "-f", "html", "-O", "engine=sfdp", "-o", str(by_option)]) == 0
    assert main(["render", source, "-f", "html", "-o", str(layered)]) == 0
    assert by_flag.read_bytes() == by_option.read_bytes()  # --engine says what -O engine= says
    assert by_flag.read_bytes() != layered.read_bytes()


# -- many files -----------------------------------------------------------------------------------

BROKEN = "<A>\n\n(1) [P]: A premise.\n(2) [Q]: Another.\n"


@pytest.fixture
def folder_of_files(maps: dict[str, Path], tmp_path: Path) -> list[Path]:
    files = []
    for i in range(3):
        files.append(tmp_path / f"good{i}.arg")
        files[-1].write_text(maps["small"].read_text(encoding="utf-8"), encoding="utf-8")
    files.insert(1, tmp_path / "broken.arg")
    files[1].write_text(BROKEN, encoding="utf-8")
    return files


def _argmap(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", *map(str, args)], capture_output=True, text=True, timeout=WAIT, cwd=cwd
    )


def test_many_files_in_parallel_one_broken(folder_of_files: list[Path], require_dot: str) -> None:
    done = _argmap("render", *folder_of_files, "-f", "svg", "-j", "2")
    assert done.returncode == 1
    for good in (f for f in folder_of_files if f.stem != "broken"):
        assert good.with_suffix(".svg").read_text(encoding="utf-8").startswith("<?xml")
    assert not (folder_of_files[0].parent / "broken.svg").exists()
    broken = str(folder_of_files[1])
    assert f"{broken}:4:18: error: this premise-conclusion structure has no conclusion" in done.stderr
    assert "argmap: error: 1 of 4 files failed" in done.stderr
    assert done.stdout == ""


def test_many_files_into_a_folder_with_a_focus_each(folder_of_files: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    good = [f for f in folder_of_files if f.stem != "broken"]
    done = _argmap("render", *good, "-f", "json", "-o", out, "--focus", "Argument 2", "--depth", "0")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good0.json", "good1.json", "good2.json"]
    assert set(argmap.from_json((out / "good1.json").read_text(encoding="utf-8")).arguments) == {"Argument 2"}
    # a failure that is not in the notation names its file too, and the others are written
    (tmp_path / "other.arg").write_text("[A]: a\n", encoding="utf-8")
    done = _argmap("render", good[0], tmp_path / "other.arg", "-f", "json", "-o", out, "--focus", "Argument 2")
    assert done.returncode == 1
    assert f"argmap: error: {tmp_path / 'other.arg'}: no statement or argument is titled 'Argument 2'" in done.stderr


def test_many_files_usage_mistakes(folder_of_files: list[Path], tmp_path: Path) -> None:
    good = folder_of_files[0]
    for args, message in [
        (["-o", tmp_path / "x.svg"], "with several files, -o must name an existing folder"),
        (["-o", "-"], "with several files, -o must name an existing folder"),
    ]:
        done = _argmap("render", good, folder_of_files[2], *args)
        assert done.returncode == 2 and message in done.stderr
    done = _argmap("render", good, "-")
    assert done.returncode == 2 and "'-' (stdin) can only be read alone" in done.stderr
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / good.name).write_text("[A]: a\n", encoding="utf-8")
    done = _argmap("render", good, tmp_path / "sub" / good.name, "-o", tmp_path / "sub", "-f", "json")
    assert done.returncode == 2 and "would both be written to" in done.stderr
    assert not list(tmp_path.glob("**/*.json"))


# -- long layouts: the warning, progress, Ctrl-C ----------------------------------------------


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _wait_for_graphviz(pid: int, count: int = 1) -> set[int]:
    """Wait until ``count`` Graphviz processes run below ``pid``; return them."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        running = {p for p in _descendants(pid) if _command(p) == "dot"}
        if len(running) >= count:
            return running
        time.sleep(0.05)
    pytest.fail(f"Graphviz did not start under {pid}")


def _nothing_left(tmp_path: Path, pids: set[int]) -> None:
    assert not [p.name for p in tmp_path.iterdir() if p.suffix != ".arg"], "an output or temporary file was left"
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if _alive(p)], "a Graphviz or worker process was left running"


@pytest.fixture
def big_copy(maps: dict[str, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "big.arg"
    copy.write_bytes(maps["above_limit"].read_bytes())
    return copy


@watches_processes
@pytest.mark.parametrize(
    ("stop", "status", "page"),
    [(signal.SIGINT, 130, "svg"), (signal.SIGTERM, 143, "svg"), (signal.SIGINT, 130, "html")],
    ids=["SIGINT", "SIGTERM", "html-SIGINT"],
)
def test_above_the_threshold_dot_warns_and_a_signal_stops_it_cleanly(
    big_copy: Path, require_dot: str, stop: signal.Signals, status: int, page: str
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "render", str(big_copy), "-f", page],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        graphviz = _wait_for_graphviz(process.pid)
        time.sleep(0.5)  # well into the layout
        process.send_signal(stop)  # as Ctrl-C, kill or timeout(1) would
        stdout, stderr = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    limit = SLOW_LAYOUT["dot"]
    assert process.returncode == status
    assert stdout == b""
    text = stderr.decode()
    assert f"argmap: warning: {big_copy} draws {limit + 4:,} boxes: Graphviz's dot layout takes" in text
    assert "--focus TITLE or --select, or lay it out with --engine sfdp" in text
    assert "\r" not in text  # no progress line when stderr is not a terminal
    _nothing_left(big_copy.parent, graphviz)


def test_the_warning_names_the_threshold_the_docs_give() -> None:
    performance = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for engine, limit in SLOW_LAYOUT.items():
        assert re.search(rf"\| `{engine}` \|[^\n]*\| {limit:,} \|", performance), engine
    assert f"{SLOW_LAYOUT['dot']:,} boxes" in cli


def _in_a_terminal(args: list[str], cwd: Path) -> tuple[int, int]:
    """Start ``argmap ARGS`` on a new pseudo-terminal (its controlling terminal); return (pid, master fd)."""
    pid, master = pty.fork()
    if pid == 0:  # the child: exec at once
        try:
            os.chdir(cwd)
            os.execv(sys.executable, [sys.executable, "-m", "argmap", *args])
        finally:
            os._exit(127)
    return pid, master


def _read_until(master: int, pattern: str, seen: bytearray) -> str:
    """Read the terminal until ``pattern`` matches what it showed; return all of it."""
    deadline = time.monotonic() + WAIT
    while not re.search(pattern, seen.decode("utf-8", "replace")):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"the terminal never showed {pattern!r}; it showed:\n{seen.decode('utf-8', 'replace')}")
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the program ended
                chunk = b""
            if not chunk:
                pytest.fail(f"the program ended before showing {pattern!r}:\n{seen.decode('utf-8', 'replace')}")
            seen.extend(chunk)
    return seen.decode("utf-8", "replace")


def _ctrl_c_and_wait(pid: int, master: int, seen: bytearray) -> int:
    os.write(master, b"\x03")  # Ctrl-C typed on the terminal: SIGINT to its foreground process group
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            with_output = select.select([master], [], [], 0)[0]
            while with_output:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen.extend(chunk)
                with_output = select.select([master], [], [], 0)[0]
            return os.waitstatus_to_exitcode(status)
        select.select([master], [], [], 0.05)
        try:
            seen.extend(os.read(master, 4096) if select.select([master], [], [], 0)[0] else b"")
        except OSError:
            pass
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the program did not stop after Ctrl-C")


@pytest.fixture
def terminal_cleanup() -> Iterator[list[int]]:
    started: list[int] = []
    yield started
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


@watches_processes
def test_on_a_terminal_a_long_layout_shows_the_time_and_ctrl_c_stops_it(
    maps: dict[str, Path], tmp_path: Path, require_dot: str, terminal_cleanup: list[int]
) -> None:
    source = tmp_path / "at-limit.arg"
    source.write_bytes(maps["at_limit"].read_bytes())
    pid, master = _in_a_terminal(["render", source.name, "-f", "png"], tmp_path)
    terminal_cleanup.append(pid)
    seen = bytearray()
    try:
        laying_out = r"\r\x1b\[Kargmap: Graphviz dot is laying out at-limit\.arg: "
        shown = _read_until(master, laying_out + r"[23] s \(Ctrl-C stops\)", seen)
        assert "warning" not in shown  # at the threshold: no warning
        graphviz = {p for p in _descendants(pid) if _command(p) == "dot"}
        assert graphviz
        # Ctrl-C goes to the terminal's foreground process group: Graphviz must not be in it, or it would
        # answer by writing the layout so far and exiting with success (a race the many-files test can lose)
        assert all(os.getpgid(p) != os.getpgid(pid) for p in graphviz)
        _read_until(master, laying_out + r"[3-9] s", seen)
        status = _ctrl_c_and_wait(pid, master, seen)
    finally:
        os.close(master)
    assert status == 130
    # the status line was erased (with the ^C the terminal echoed): the last thing written is the erase
    assert seen.decode("utf-8", "replace").endswith("\r\x1b[K"), seen[-200:]
    _nothing_left(tmp_path, graphviz)


@watches_processes
def test_many_files_on_a_terminal_show_progress_and_ctrl_c_stops_every_worker(
    maps: dict[str, Path], tmp_path: Path, require_dot: str, terminal_cleanup: list[int]
) -> None:
    for name in ("one.arg", "two.arg"):
        (tmp_path / name).write_bytes(maps["above_limit"].read_bytes())
    pid, master = _in_a_terminal(["render", "one.arg", "two.arg", "-j", "2", "-f", "svg"], tmp_path)
    terminal_cleanup.append(pid)
    seen = bytearray()
    try:
        shown = _read_until(master, r"argmap: warning: two\.arg draws", seen)
        shown = _read_until(master, r"argmap: warning: one\.arg draws", seen)
        below = set(_wait_for_graphviz(pid, count=2)) | _descendants(pid)
        shown = _read_until(master, r"\r\x1b\[Kargmap: 0 of 2 files done, 2 at a time: [2-9] s \(Ctrl-C stops\)", seen)
        status = _ctrl_c_and_wait(pid, master, seen)
    finally:
        os.close(master)
    assert status == 130, shown
    _nothing_left(tmp_path, below)


@watches_processes
def test_many_files_stop_cleanly_on_sigint_to_the_command_alone(maps: dict[str, Path], tmp_path: Path) -> None:
    """``kill -INT`` reaches the command, not its workers: it stops them, and they stop Graphviz."""
    for name in ("one.arg", "two.arg"):
        (tmp_path / name).write_bytes(maps["above_limit"].read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "render", "one.arg", "two.arg", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        below = set(_wait_for_graphviz(process.pid, count=2)) | _descendants(process.pid)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 130, stderr.decode()
    assert "Traceback" not in stderr.decode()
    _nothing_left(tmp_path, below)


def test_the_engine_benchmark_prints_its_table(require_dot: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.engines", "--sizes", "60", "--engines", "dot,twopi", "--limit", "20"],
        capture_output=True,
        text=True,
        timeout=WAIT,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "| engine | 60 statements (80 boxes) |"
    assert re.fullmatch(r"\| `dot` \| \d+\.\d \|", lines[2])
    assert lines[3].startswith("| `twopi` |")
    assert "dot on 60 statements (80 boxes):" in done.stderr


@watches_processes
def test_a_worker_killed_from_outside_fails_its_file_only(maps: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "big.arg").write_bytes(maps["above_limit"].read_bytes())
    (tmp_path / "small.arg").write_bytes(maps["small"].read_bytes())
    process = subprocess.Popen(
        [sys.executable, "-m", "argmap", "render", "big.arg", "small.arg", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    graphviz: set[int] = set()
    try:
        deadline = time.monotonic() + WAIT
        while not (tmp_path / "small.svg").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        graphviz = _wait_for_graphviz(process.pid)  # the big map's, whose worker is killed
        workers = {int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) for p in graphviz}
        for worker in workers:
            os.kill(worker, signal.SIGKILL)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        process.kill()
        for orphan in graphviz:  # killed with its worker's SIGKILL nothing stops it: the test does
            with contextlib.suppress(ProcessLookupError):
                os.kill(orphan, signal.SIGKILL)
    assert process.returncode == 1
    assert "argmap: error: big.arg: the process rendering it stopped unexpectedly" in stderr.decode()
    assert "argmap: error: 1 of 2 files failed" in stderr.decode()
    assert (tmp_path / "small.svg").exists() and not (tmp_path / "big.svg").exists()
