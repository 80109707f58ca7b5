"""Time argmap (and the Argdown CLI, where it is installed) on generated maps; print one Markdown report.

    python -m benchmarks.run [--sizes 100,1000,...] [--repeat R] [--quick] [--no-argdown] [--json FILE]

Every figure is a whole process, start-up included, as a user meets it:

* argmap parse: ``argmap check -q --disable <every rule> FILE`` (read, build the model, validate; no lint rules;
  nothing written);
* argmap JSON: ``argmap render FILE -f json -o OUT``; DOT: ``argmap render FILE -f dot -o OUT``;
* Argdown JSON: ``argdown json FILE OUTDIR``; DOT: ``argdown map --format dot FILE OUTDIR``;
* start-up: ``argmap render examples/north-korea.arg -f json -o -`` against ``argdown json ... --stdout``.

Each figure is the median of R runs; the runs of argmap and Argdown alternate, so that a machine that
slows down or speeds up during the run touches both alike. Peak memory is the child's own maximum
resident set size, from ``os.wait4`` (one process per run). Ratios from one run are what count:
absolute times vary between machines. The targets of issue 5 are checked at the end (PASS/FAIL);
``--strict`` makes a failed target the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import generate

__all__ = ["Measure", "Run", "Targets", "main"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
STARTUP_FILE = ROOT / "examples" / "north-korea.arg"
ARGDOWN_CLI = ROOT / ".cache" / "argdown" / "node_modules" / ".bin" / "argdown"

DEFAULT_SIZES = (100, 1_000, 10_000, 50_000, 100_000)
QUICK_SIZES = (100, 1_000, 10_000)
QUICK_REPEAT = 3
#: runs per figure: 5 up to LARGE, 7 at the targets' size (where this machine's noise needs the most runs: a median
#: of five moved by a tenth between runs of the same code), 3 above it
SMALL_REPEAT = 5
TARGET_REPEAT = 7
LARGE_REPEAT = 3
LARGE = 50_000
#: Argdown at sizes above this runs once by default: no target reads its figure there
ARGDOWN_ONCE_ABOVE = 50_000
#: no single process may take longer than this (seconds); a hang is a failure, not a wait
TIMEOUT = 1800.0


def _every_rule() -> str:
    """Every lint rule's code, for ``--disable``: the parse figure is reading and building the model, not linting."""
    from argmap.checks import RULES

    return ",".join(rule.code for rule in RULES)


#: the targets of issue 5
STARTUP_SPEEDUP = 5.0
JSON_SIZE = 50_000
JSON_SPEEDUP = 2.0
JSON_MEMORY_SHARE = 0.5
DOT_SPEEDUP = 4.0
GROWTH_FROM, GROWTH_TO = 10_000, 100_000
GROWTH_LIMIT = 11.0

MIB = 1024 * 1024
MB = 1_000_000


# -- running one process ---------------------------------------------------


@dataclass
class Run:
    """One finished process: wall time, peak memory, exit status."""

    seconds: float
    max_rss_bytes: int
    status: int
    stderr: str = ""
    #: what went wrong although the exit status was 0 (the Argdown CLI exits 0 when it exports nothing)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 0 and not self.problem


def _max_rss_bytes(usage: Any) -> int:
    """``ru_maxrss`` in bytes: Linux counts kibibytes, macOS bytes."""
    value = int(usage.ru_maxrss)
    return value if sys.platform == "darwin" else value * 1024


def run_once(command: Sequence[str], *, stdout: Path | None = None, cwd: Path = ROOT, timeout: float = TIMEOUT) -> Run:
    """Run ``command`` once; its time from start to reaping, and its own peak memory.

    ``os.wait4`` gives the resource use of this one child (``RUSAGE_CHILDREN`` would give the maximum over
    every child waited for so far). stdout goes to the file ``stdout``, else nowhere; stderr is kept to
    explain a failure.
    """
    with tempfile.TemporaryFile() as errors, contextlib.ExitStack() as stack:
        sink: Any = stack.enter_context(stdout.open("wb")) if stdout is not None else subprocess.DEVNULL
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=sink, stderr=errors)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", errors="replace")
    if killed.is_set():
        stderr += f"\n(killed after {timeout:.0f} s)"
    return Run(seconds, _max_rss_bytes(usage), process.returncode, stderr)


@dataclass
class Measure:
    """The runs of one command on one input."""

    name: str
    command: list[str]
    #: the file the command must write, checked after each run (None: nothing to check)
    output: Path | None = None
    #: True when the command writes ``output`` on its stdout
    stdout: bool = False
    runs: list[Run] = field(default_factory=list)

    @property
    def failed(self) -> Run | None:
        return next((r for r in self.runs if not r.ok), None)

    def run(self) -> Run:
        """Run the command once; a run that leaves ``output`` missing or empty has failed."""
        if self.output is not None:
            self.output.unlink(missing_ok=True)
        run = run_once(self.command, stdout=self.output if self.stdout else None)
        if run.status == 0 and self.output is not None:
            if not self.output.exists():
                run.problem = f"exit status 0, but {self.output} was not written"
            elif self.output.stat().st_size == 0:
                run.problem = f"exit status 0, but {self.output} is empty"
        return run

    @property
    def seconds(self) -> float | None:
        if not self.runs or self.failed is not None:
            return None
        return statistics.median(r.seconds for r in self.runs)

    @property
    def mib(self) -> float | None:
        if not self.runs or self.failed is not None:
            return None
        return statistics.median(r.max_rss_bytes for r in self.runs) / MIB


def measure_round_robin(measures: Sequence[Measure], repeats: dict[str, int], progress: Callable[[str], None]) -> None:
    """Run every measure ``repeats[name]`` times, alternating between them; stop repeating one that failed."""
    for round_number in range(max(repeats.values(), default=0)):
        for m in measures:
            if round_number >= repeats[m.name] or m.failed is not None:
                continue
            run = m.run()
            m.runs.append(run)
            progress(f"{m.name}: {run.seconds:.3f} s, {run.max_rss_bytes / MIB:.0f} MiB" + _status_note(run))


def _status_note(run: Run) -> str:
    if run.ok:
        return ""
    if run.problem:
        return f"  FAILED: {run.problem}"
    last = run.stderr.strip().splitlines()[-3:]
    return f"  FAILED (exit {run.status}): " + " | ".join(last)


# -- the tools ---------------------------------------------------------------


def find_argmap() -> str:
    """The ``argmap`` script beside this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "argmap"
    if beside.exists():
        return str(beside)
    found = shutil.which("argmap")
    if found is None:
        raise SystemExit("the argmap command is not installed (make bench installs it)")
    return found


def find_argdown() -> str | None:
    """The Argdown CLI that ``make test`` / ``make bench`` install, else one on PATH, else None."""
    if shutil.which("node") is None:
        return None
    if ARGDOWN_CLI.exists():
        return str(ARGDOWN_CLI)
    return shutil.which("argdown")


def version_of(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "?"
    return done.stdout.strip() or done.stderr.strip() or "?"


# -- the inputs ----------------------------------------------------------------


def data_file(size: int, seed: int, data: Path = DATA) -> Path:
    """The generated map for ``size``, made when missing or older than the generator."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"map-{size}-seed{seed}.argdown"
    generator = Path(generate.__file__)
    if not path.exists() or path.stat().st_mtime < generator.stat().st_mtime:
        generate.write(size, path, seed)
    return path


# -- one benchmark run -----------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    statements: int
    file_bytes: int
    measures: dict[str, Measure]

    def seconds(self, name: str) -> float | None:
        m = self.measures.get(name)
        return m.seconds if m is not None else None

    def mib(self, name: str) -> float | None:
        m = self.measures.get(name)
        return m.mib if m is not None else None


@dataclass
class Results:
    meta: dict[str, Any]
    startup: dict[str, Measure]
    sizes: list[SizeResult]

    def size(self, size: int) -> SizeResult | None:
        return next((s for s in self.sizes if s.size == size), None)

    def failures(self) -> list[str]:
        found = []
        groups = [("start-up", self.startup)] + [(f"{s.size:,}", s.measures) for s in self.sizes]
        for label, measures in groups:
            for m in measures.values():
                run = m.failed
                if run is not None:
                    why = run.problem or f"exit {run.status}"
                    found.append(f"{label} {m.name}: {why}: {' '.join(m.command)}\n{run.stderr.strip()}")
        return found

    def to_json(self) -> dict[str, Any]:
        def measures(group: dict[str, Measure]) -> dict[str, Any]:
            return {
                name: {
                    "command": m.command,
                    "median_s": m.seconds,
                    "median_mib": m.mib,
                    "runs": [asdict(r) for r in m.runs],
                }
                for name, m in group.items()
            }

        return {
            "meta": self.meta,
            "startup": measures(self.startup),
            "sizes": [
                {
                    "size": s.size,
                    "statements": s.statements,
                    "file_bytes": s.file_bytes,
                    "measures": measures(s.measures),
                }
                for s in self.sizes
            ],
            "targets": [asdict(t) for t in Targets(self).all()],
        }


def repeats_for(size: int, repeat: int | None) -> int:
    if repeat is not None:
        return repeat
    if size == JSON_SIZE:
        return TARGET_REPEAT
    return LARGE_REPEAT if size > LARGE else SMALL_REPEAT


def benchmark(
    sizes: Sequence[int],
    *,
    repeat: int | None,
    argdown: str | None,
    seed: int = generate.DEFAULT_SEED,
    data: Path = DATA,
    keep_outputs: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> Results:
    argmap = find_argmap()
    out = data / "out"
    for sub in ("argmap", "argdown-json", "argdown-dot"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "argmap": version_of([argmap, "--version"]),
        "argdown": version_of([argdown, "--version"]) if argdown else None,
        "node": version_of(["node", "--version"]) if argdown else None,
        "seed": seed,
        "sizes": list(sizes),
    }

    startup = {
        "argmap JSON": Measure(
            "argmap JSON",
            [argmap, "render", str(STARTUP_FILE), "-f", "json", "-o", "-"],
            out / "argmap" / "startup.json",
            stdout=True,
        )
    }
    if argdown:
        startup["Argdown JSON"] = Measure(
            "Argdown JSON",
            [argdown, "json", str(STARTUP_FILE), "--stdout"],
            out / "argdown-json" / "startup.json",
            stdout=True,
        )
    progress("warming up")  # the file cache and compiled-code caches, once, untimed
    for m in startup.values():
        m.run()
    startup_repeat = repeats_for(0, repeat)
    progress(f"start-up, {STARTUP_FILE.relative_to(ROOT)}, {startup_repeat} runs")
    measure_round_robin(list(startup.values()), dict.fromkeys(startup, startup_repeat), progress)
    if not keep_outputs:
        _remove_outputs(startup)

    results: list[SizeResult] = []
    for size in sizes:
        path = data_file(size, seed, data)
        stem = path.stem
        json_out, dot_out = out / "argmap" / f"{stem}.json", out / "argmap" / f"{stem}.dot"
        measures = {
            "parse": Measure("parse", [argmap, "check", "-q", "--disable", _every_rule(), str(path)]),
            "JSON": Measure("JSON", [argmap, "render", str(path), "-f", "json", "-o", str(json_out)], json_out),
            "DOT": Measure("DOT", [argmap, "render", str(path), "-f", "dot", "-o", str(dot_out)], dot_out),
        }
        if argdown:
            folder = out / "argdown-json"
            measures["Argdown JSON"] = Measure(
                "Argdown JSON", [argdown, "json", str(path), str(folder)], folder / f"{stem}.json"
            )
            folder = out / "argdown-dot"
            measures["Argdown DOT"] = Measure(
                "Argdown DOT", [argdown, "map", "--format", "dot", str(path), str(folder)], folder / f"{stem}.dot"
            )
        n = repeats_for(size, repeat)
        repeats = dict.fromkeys(measures, n)
        if repeat is None and size > ARGDOWN_ONCE_ABOVE:
            for name in ("Argdown JSON", "Argdown DOT"):
                repeats[name] = 1
        progress(f"{size:,} statements, {path.stat().st_size / MB:.2f} MB, {n} runs")
        measure_round_robin(list(measures.values()), repeats, progress)
        if not keep_outputs:  # checked after each run; Argdown's JSON of 100,000 statements is half a gigabyte
            _remove_outputs(measures)
        statements = generate.shape(size).statements
        results.append(SizeResult(size, statements, path.stat().st_size, measures))
    return Results(meta, startup, results)


def _remove_outputs(measures: dict[str, Measure]) -> None:
    for m in measures.values():
        if m.output is not None:
            m.output.unlink(missing_ok=True)


# -- targets -----------------------------------------------------------------------


@dataclass
class Target:
    what: str
    measured: str
    verdict: str  # PASS, FAIL, or "not measured"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b is not None and b > 0 else None


class Targets:
    """Issue 5's targets, judged from one run's figures."""

    def __init__(self, results: Results) -> None:
        self.results = results

    def all(self) -> list[Target]:
        r = self.results
        found = [
            self._at_least(
                "start-up: argmap JSON of north-korea.arg ≥ 5× faster than Argdown",
                _ratio(_seconds(r.startup, "Argdown JSON"), _seconds(r.startup, "argmap JSON")),
                STARTUP_SPEEDUP,
            )
        ]
        big = r.size(JSON_SIZE)
        label = f"{JSON_SIZE:,}"
        found.append(
            self._at_least(
                f"{label} statements: JSON ≥ {JSON_SPEEDUP:g}× faster than Argdown",
                _ratio(big.seconds("Argdown JSON"), big.seconds("JSON")) if big else None,
                JSON_SPEEDUP,
            )
        )
        found.append(
            self._at_most(
                f"{label} statements: JSON peak memory ≤ {JSON_MEMORY_SHARE:g} of Argdown's",
                _ratio(big.mib("JSON"), big.mib("Argdown JSON")) if big else None,
                JSON_MEMORY_SHARE,
                unit="",
            )
        )
        found.append(
            self._at_least(
                f"{label} statements: DOT ≥ {DOT_SPEEDUP:g}× faster than Argdown",
                _ratio(big.seconds("Argdown DOT"), big.seconds("DOT")) if big else None,
                DOT_SPEEDUP,
            )
        )
        small, large = r.size(GROWTH_FROM), r.size(GROWTH_TO)
        for name in ("parse", "JSON", "DOT"):
            found.append(
                self._at_most(
                    f"linear growth, {name}: t({GROWTH_TO:,}) / t({GROWTH_FROM:,}) ≤ {GROWTH_LIMIT:g}",
                    _ratio(large.seconds(name), small.seconds(name)) if small and large else None,
                    GROWTH_LIMIT,
                    unit="",
                )
            )
        return found

    @staticmethod
    def _at_least(what: str, value: float | None, limit: float) -> Target:
        if value is None:
            return Target(what, "—", "not measured")
        return Target(what, f"{value:.2f}×", "PASS" if value >= limit else "FAIL")

    @staticmethod
    def _at_most(what: str, value: float | None, limit: float, unit: str) -> Target:
        if value is None:
            return Target(what, "—", "not measured")
        return Target(what, f"{value:.2f}{unit}", "PASS" if value <= limit else "FAIL")


def _seconds(group: dict[str, Measure], name: str) -> float | None:
    m = group.get(name)
    return m.seconds if m is not None else None


# -- the report --------------------------------------------------------------------


def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _x(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    aligns = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def report(results: Results) -> str:
    meta = results.meta
    argdown = meta.get("argdown")
    runs = sorted(
        {len(m.runs) for s in results.sizes for m in s.measures.values()}
        | {len(m.runs) for m in results.startup.values()}
    )
    out = [
        "## argmap benchmarks",
        "",
        f"{meta['date']} · {meta['machine']} · Python {meta['python']} · {meta['argmap']}"
        + (f" · Argdown CLI {argdown} (node {meta['node']})" if argdown else " · Argdown CLI not run"),
        "",
        "Whole processes, start-up included: the median of "
        + " or ".join(str(n) for n in runs)
        + f" run{'' if runs == [1] else 's'} per figure (--json keeps each run); "
        "memory is the peak resident set in MiB. "
        "Ratios are Argdown's time / argmap's (above 1: argmap is faster) and argmap's memory / Argdown's; "
        "only ratios from one run compare, absolute times vary between machines.",
        "",
        "### Start-up: examples/north-korea.arg to JSON on stdout",
        "",
    ]
    argmap_startup = _seconds(results.startup, "argmap JSON")
    argdown_startup = _seconds(results.startup, "Argdown JSON")
    out += _table(
        ["", "argmap s", "Argdown s", "Argdown / argmap"],
        [["JSON", _f(argmap_startup), _f(argdown_startup), _x(_ratio(argdown_startup, argmap_startup))]],
    )
    out += ["", "### Generated maps", ""]
    rows = []
    for s in results.sizes:
        rows.append(
            [
                f"{s.size:,}",
                f"{s.file_bytes / MB:.2f}",
                _f(s.seconds("parse")),
                _f(s.seconds("JSON")),
                _f(s.mib("JSON"), 0),
                _f(s.seconds("DOT")),
                _f(s.seconds("Argdown JSON")),
                _f(s.mib("Argdown JSON"), 0),
                _f(s.seconds("Argdown DOT")),
                _x(_ratio(s.seconds("Argdown JSON"), s.seconds("JSON"))),
                _f(_ratio(s.mib("JSON"), s.mib("Argdown JSON")), 2),
                _x(_ratio(s.seconds("Argdown DOT"), s.seconds("DOT"))),
            ]
        )
    out += _table(
        [
            "statements",
            "file MB",
            "parse s",
            "JSON s",
            "JSON MiB",
            "DOT s",
            "Argdown JSON s",
            "Argdown MiB",
            "Argdown DOT s",
            "JSON ratio",
            "memory ratio",
            "DOT ratio",
        ],
        rows,
    )
    out += ["", "### Parse throughput (argmap check, whole process)", ""]
    rows = []
    for s in results.sizes:
        parse = s.seconds("parse")
        rows.append(
            [
                f"{s.size:,}",
                f"{s.file_bytes / MB:.2f}",
                _f(parse),
                _f(s.file_bytes / MB / parse if parse else None, 2),
                "—" if not parse else f"{s.statements / parse:,.0f}",
            ]
        )
    out += _table(["statements", "file MB", "parse s", "MB/s", "statements/s"], rows)
    out += ["", "### Targets (issue 5)", ""]
    out += _table(
        ["target", "measured", "verdict"], [[t.what, t.measured, t.verdict] for t in Targets(results).all()], 1
    )
    failures = results.failures()
    if failures:
        out += ["", "### Failed commands", ""]
        out += ["```", *failures, "```"]
    return "\n".join(out) + "\n"


# -- the command ------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 100,1000,10000, got {text!r}") from None
    if not sizes or any(n < 3 for n in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 3 (one argument)")
    return sizes


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Time argmap (and the Argdown CLI, side by side) on generated maps; print a Markdown report.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="statement counts, comma-separated (default: " + ",".join(map(str, DEFAULT_SIZES)) + ")",
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        help=f"runs per figure (default: {SMALL_REPEAT}, {TARGET_REPEAT} at {JSON_SIZE:,} statements, "
        f"{LARGE_REPEAT} above {LARGE:,}, "
        f"Argdown once above {ARGDOWN_ONCE_ABOVE:,})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="sizes up to 10,000 and " + str(QUICK_REPEAT) + " runs (explicit --sizes/--repeat still win)",
    )
    parser.add_argument("--no-argdown", action="store_true", help="time argmap alone")
    parser.add_argument(
        "--argdown", metavar="PATH", help="the Argdown CLI to use (default: the one make test installs)"
    )
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="the generator's seed")
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        default=DATA,
        help="where the generated maps and outputs go (benchmarks/.data)",
    )
    parser.add_argument(
        "--keep-outputs", action="store_true", help="keep the exported files in DIR/out (removed after each size)"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write every run's figures to FILE")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails (not only on errors)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    repeat = args.repeat if args.repeat is not None else (QUICK_REPEAT if args.quick else None)
    argdown: str | None = None
    if not args.no_argdown:
        argdown = args.argdown or find_argdown()
        if argdown is None:
            print(
                "note: the Argdown CLI is not installed (make bench installs it); timing argmap alone", file=sys.stderr
            )

    def progress(line: str) -> None:
        if not args.quiet:
            print(f"  {line}", file=sys.stderr, flush=True)

    results = benchmark(
        sizes,
        repeat=repeat,
        argdown=argdown,
        seed=args.seed,
        data=args.data,
        keep_outputs=args.keep_outputs,
        progress=progress,
    )
    sys.stdout.write(report(results))
    sys.stdout.flush()
    if args.json is not None:
        args.json.write_text(json.dumps(results.to_json(), indent=2) + "\n", encoding="utf-8")
    if results.failures():
        return 1
    if args.strict and any(t.verdict == "FAIL" for t in Targets(results).all()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
