"""Mutation fuzzing of argmap's readers: the command line.

    python tests/fuzz/run.py run [--target notation|json|all] [--seed N|random] [--cases N] [--seconds S]
                                 [--jobs N] [--deep] [--out DIR]
    python tests/fuzz/run.py case TARGET SEED INDEX [--deep] [--save FILE]    (make one case again, run it here)
    python tests/fuzz/run.py replay FILE... [--as DOCUMENT]    (run saved inputs: .arg notation, .json JSON)

``run`` starts worker processes (``--jobs``, default: the number of CPUs, at most 4)
that make and check the cases; worker ``k`` of ``n`` runs cases ``k``, ``k+n``, ...
A worker announces each case before running it, so when one goes silent for longer
than the case's time limit (``--timeout`` seconds plus one second per
``--chars-per-second`` characters of input) the supervisor kills it, reports the case
as a hang, and starts a new worker after it. A worker that dies is reported the same
way. Every failing input is saved in ``--out`` (with a ``.txt`` report and, for a crash,
a minimised input) and listed at the end with the commands that replay it; the exit
status is 1 when anything failed. The last line is ``FUZZ-SUMMARY`` and a JSON object
of the figures, for tests and scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from fuzz.mutate import CASE_MAKERS, ROOT, Case  # noqa: E402
from fuzz.targets import ABOUT, CHECKS  # noqa: E402

TARGETS = tuple(CASE_MAKERS)
#: how long a worker may take to start (import argmap, read the corpus) before it counts as hung
STARTUP_TIMEOUT = 180.0
SUFFIX = {"notation": ".arg", "json": ".json"}
#: failures listed per kind at the end of a run, and in the summary line (all are saved)
SHOWN_PER_KIND = 3
SHOWN_IN_SUMMARY = 100


def _where(exc: BaseException) -> str:
    """The innermost frame of argmap (or of a library it calls) that the exception passed through."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/tests/fuzz/" not in f.filename] or frames
    if not inside:
        return "?"
    frame = inside[-1]
    name = frame.filename
    for marker in ("/argmap/", "/site-packages/"):
        if marker in name:
            name = name.split(marker, 1)[1]
            break
    return f"{name}:{frame.lineno} in {frame.name}"


def describe_failure(exc: BaseException) -> dict[str, str]:
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:2000],
        "where": _where(exc),
        "traceback": "".join(traceback.format_exception(exc))[-6000:],
    }


#: how the messages of WrongOutcome start, one per kind of wrong outcome
KINDS = (
    "line ",
    "column ",
    "the error quotes",
    "the error names",
    "the report",
    "the map read back from its JSON",
    "the map read back from its notation",
)


def signature(failure: dict[str, str]) -> str:
    """What makes two failures the same bug: the exception and where it was raised (a wrong outcome: its kind)."""
    if failure["type"] == "WrongOutcome":
        message, _, about = failure["message"].partition(ABOUT)
        problem = message[:60]
        for kind in KINDS:
            if message.startswith(kind):
                problem = kind.strip()
        # the error's message without what it quotes: one kind of error, whatever the input said
        about = re.sub(r"'[^']*'?|\"[^\"]*\"?", "…", about.split("\n", 1)[0])[:50]
        return f"WrongOutcome: {problem}" + (f" ({about})" if about else "")
    if failure["type"] in ("hang", "died"):
        return failure["type"]
    return f"{failure['type']} at {failure['where']}"


def run_check(target: str, payload: Any, origin: str, deep: bool) -> str:
    return CHECKS[target](payload, origin, deep=deep)


# -- the worker -------------------------------------------------------------------------------


def _sabotage(selftest: str | None, index: int) -> None:
    """For the harness's own tests: case ``index`` hangs, crashes or kills the worker (``hang:7``, ``die:7``...)."""
    if selftest is None:
        return
    kind, _, at = selftest.partition(":")
    if int(at) != index:
        return
    if kind == "hang":
        time.sleep(3600)
    elif kind == "crash":
        raise RuntimeError("a crash the self-test asked for")
    elif kind == "die":
        os._exit(3)


def worker(
    target: str,
    seed: int,
    first: int,
    stop: int,
    step: int,
    seconds: float | None,
    deep: bool,
    selftest: str | None = None,
) -> None:
    """Make and check cases ``first, first+step, ... < stop``; one line per event on stdout (ASCII JSON)."""
    make = CASE_MAKERS[target]
    out = sys.stdout
    started = time.monotonic()
    counts = {"accepted": 0, "rejected": 0, "failed": 0}
    slowest: dict[str, Any] = {"seconds": 0.0, "index": None, "size": 0}
    ran = 0
    for index in range(first, stop, step):
        if seconds is not None and time.monotonic() - started > seconds:
            break
        case = make(seed, index)
        out.write(f"S {index} {case.size} {ran} {counts['accepted']} {counts['rejected']}\n")
        out.flush()
        began = time.perf_counter()
        try:
            _sabotage(selftest, index)
            counts[run_check(target, case.payload, case.origin, deep)] += 1
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # anything else is what we are looking for
            counts["failed"] += 1
            out.write(f"F {index} {json.dumps(describe_failure(exc))}\n")
        spent = time.perf_counter() - began
        if spent > slowest["seconds"]:
            slowest = {"seconds": spent, "index": index, "size": case.size}
        ran += 1
    out.write(f"D {json.dumps({'ran': ran, 'counts': counts, 'slowest': slowest})}\n")
    out.flush()


# -- the supervisor ---------------------------------------------------------------------------


@dataclass
class Failure:
    target: str
    seed: int
    index: int
    details: dict[str, str]
    origin: str = ""
    saved: Path | None = None
    minimised: Path | None = None


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    stderr: Any
    first: int
    step: int
    buffer: bytes = b""
    #: the case it announced last and has not finished, with its size and when it started
    current: int | None = None
    size: int = 0
    since: float = field(default_factory=time.monotonic)
    done: bool = False
    #: the worker's figures before its current case: cases run, read, refused
    progress: tuple[int, int, int] = (0, 0, 0)

    def limit(self, timeout: float, chars_per_second: float) -> float:
        """When it must have answered: its start-up, or its case's time limit."""
        allowed = STARTUP_TIMEOUT if self.current is None else timeout + self.size / chars_per_second
        return self.since + allowed


@dataclass
class Totals:
    ran: int = 0
    accepted: int = 0
    rejected: int = 0
    slowest: dict[str, Any] = field(default_factory=lambda: {"seconds": 0.0, "index": None, "size": 0})


def _start_worker(
    target: str, seed: int, first: int, stop: int, step: int, seconds: float | None, deep: bool, selftest: str | None
) -> Worker:
    command = [sys.executable, str(Path(__file__).resolve()), "worker", target, str(seed), str(first), str(stop)]
    command += [str(step), "none" if seconds is None else f"{seconds:.3f}"] + (["--deep"] if deep else [])
    command += ["--selftest", selftest] if selftest else []
    stderr = tempfile.TemporaryFile()
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, cwd=ROOT, env=env,
        start_new_session=True,
    )  # fmt: skip
    return Worker(process, stderr, first, step)


def _kill(worker: Worker) -> None:
    try:
        os.killpg(worker.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.process.wait()


def _stderr_tail(worker: Worker) -> str:
    worker.stderr.seek(0)
    return worker.stderr.read()[-3000:].decode("utf-8", "replace")


def supervise(
    target: str,
    seed: int,
    start: int,
    count: int | None,
    seconds: float | None,
    jobs: int,
    deep: bool,
    timeout: float,
    chars_per_second: float,
    selftest: str | None = None,
) -> tuple[Totals, list[Failure]]:
    """Run the cases in ``jobs`` workers; a hung or dead worker is reported and replaced."""
    stop = start + count if count is not None else sys.maxsize
    deadline = None if seconds is None else time.monotonic() + seconds
    totals = Totals()
    failures: list[Failure] = []
    selector = selectors.DefaultSelector()

    def remaining() -> float | None:
        return None if deadline is None else max(0.0, deadline - time.monotonic())

    def launch(first: int, step: int) -> None:
        if first >= stop or (deadline is not None and time.monotonic() >= deadline):
            return
        worker = _start_worker(target, seed, first, stop, step, remaining(), deep, selftest)
        assert worker.process.stdout is not None
        selector.register(worker.process.stdout, selectors.EVENT_READ, worker)

    def retire(worker: Worker, problem: str | None) -> None:
        assert worker.process.stdout is not None
        selector.unregister(worker.process.stdout)
        if problem is not None and worker.current is not None:
            _kill(worker)
            details = {"type": problem, "message": "", "where": "", "traceback": _stderr_tail(worker)}
            if problem == "hang":
                details["message"] = f"no answer after {time.monotonic() - worker.since:.1f} s ({worker.size} chars)"
            else:
                details["message"] = f"the worker died (exit status {worker.process.returncode})"
            failures.append(Failure(target, seed, worker.current, details))
            ran, accepted, rejected = worker.progress
            totals.ran += ran + 1
            totals.accepted += accepted
            totals.rejected += rejected
            launch(worker.current + worker.step, worker.step)
        elif problem is not None:
            _kill(worker)
            raise SystemExit(f"a fuzz worker failed before its first case:\n{_stderr_tail(worker)}")
        else:
            worker.process.wait()
        worker.stderr.close()

    def handle(worker: Worker, line: str) -> None:
        kind, _, rest = line.partition(" ")
        if kind == "S":
            index, size, ran, accepted, rejected = map(int, rest.split())
            worker.current, worker.size, worker.since = index, size, time.monotonic()
            worker.progress = (ran, accepted, rejected)
        elif kind == "F":
            index, _, details = rest.partition(" ")
            failures.append(Failure(target, seed, int(index), json.loads(details)))
        elif kind == "D":
            report = json.loads(rest)
            totals.ran += report["ran"]
            totals.accepted += report["counts"]["accepted"]
            totals.rejected += report["counts"]["rejected"]
            if report["slowest"]["seconds"] > totals.slowest["seconds"]:
                totals.slowest = report["slowest"]
            worker.current = None
            worker.done = True

    for k in range(jobs):
        launch(start + k, jobs)

    def running() -> list[Worker]:
        return [key.data for key in selector.get_map().values()]

    while selector.get_map():
        next_limit = min(w.limit(timeout, chars_per_second) for w in running())
        for key, _ in selector.select(timeout=max(0.0, next_limit - time.monotonic())):
            worker = key.data
            chunk = os.read(key.fd, 65536)
            if not chunk:  # the worker's end: finished, or died
                if worker.done:
                    retire(worker, None)
                else:
                    worker.process.wait()
                    retire(worker, "died")
                continue
            worker.buffer += chunk
            *lines, worker.buffer = worker.buffer.split(b"\n")
            for line in lines:
                handle(worker, line.decode("ascii"))
        for worker in running():
            if time.monotonic() > worker.limit(timeout, chars_per_second) and not worker.done:
                retire(worker, "hang")
    # failures and hangs were counted as run, the rest by the workers
    return totals, sorted(failures, key=lambda f: f.index)


# -- minimising and saving --------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _TooSlow


def minimise(text: str, still_fails: Callable[[str], bool], budget: float = 60.0) -> str:
    """A smaller text that still fails: whole lines left out, then characters (delta debugging, greedily)."""
    give_up = time.monotonic() + budget

    def shrink(units: list[str]) -> list[str]:
        size = max(1, len(units) // 2)
        while size >= 1 and time.monotonic() < give_up:
            at = 0
            while at < len(units) and time.monotonic() < give_up:
                candidate = units[:at] + units[at + size :]
                if still_fails("".join(candidate)):
                    units = candidate
                else:
                    at += size
            size //= 2
        return units

    while True:
        before = text
        text = "".join(shrink(text.splitlines(keepends=True)))
        text = "".join(shrink(list(text)))
        if text == before or time.monotonic() >= give_up:
            return text


def _reproduces(target: str, origin: str, expected: str, deep: bool) -> Callable[[str], bool]:
    def still_fails(candidate: str) -> bool:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, 2.0)
        try:
            run_check(target, candidate, origin, deep)
        except _TooSlow:
            return False
        except Exception as exc:
            return signature(describe_failure(exc)) == expected
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return False

    return still_fails


def write_input(path: Path, text: str) -> None:
    """Saved inputs are UTF-8; a lone surrogate (which only a Python string can hold) is kept as its UTF-8 form."""
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def read_input(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogatepass")


def _replay_commands(failure: Failure, deep: bool, path: Path | None, origin: str) -> list[str]:
    script = "tests/fuzz/run.py"
    flag = " --deep" if deep else ""
    commands = [f"python {script} case {failure.target} {failure.seed} {failure.index}{flag}"]
    if path is not None:
        commands.append(f"python {script} replay {_shown(path)} --as {origin}{flag}")
    return commands


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def save(failures: list[Failure], out: Path, deep: bool, minimise_budget: float) -> None:
    out.mkdir(parents=True, exist_ok=True)
    minimised: set[str] = set()
    for failure in failures:
        case = CASE_MAKERS[failure.target](failure.seed, failure.index)
        failure.origin = case.origin
        stem = f"{failure.target}-{failure.seed}-{failure.index}"
        suffix = SUFFIX[failure.target] if isinstance(case.payload, str) else ".object.json"
        failure.saved = out / (stem + suffix)
        write_input(failure.saved, case.text())
        key = signature(failure.details)
        if (
            isinstance(case.payload, str)
            and failure.details["type"] not in ("hang", "died")
            and key not in minimised
            and minimise_budget > 0
        ):
            minimised.add(key)  # one minimised input per kind of failure is enough
            still_fails = _reproduces(failure.target, case.origin, key, deep)
            if still_fails(case.payload):  # it fails again in this process, so it can be made smaller
                small = minimise(case.payload, still_fails, minimise_budget)
                failure.minimised = out / (stem + ".min" + suffix)
                write_input(failure.minimised, small)
        report = [
            f"target: {failure.target}",
            f"seed: {failure.seed}",
            f"case: {failure.index}",
            f"made from: {case.origin}",
            f"mutations: {', '.join(case.mutations)}",
            f"failure: {key}",
            f"message: {failure.details['message']}",
            "replay:",
            *(f"  {c}" for c in _replay_commands(failure, deep, failure.minimised or failure.saved, case.origin)),
            "",
            failure.details["traceback"],
        ]
        (out / (stem + ".txt")).write_text("\n".join(report), encoding="utf-8", errors="backslashreplace")


# -- commands ---------------------------------------------------------------------------------


def command_run(options: argparse.Namespace) -> int:
    seed = secrets.randbelow(2**32) if options.seed == "random" else int(options.seed)
    if options.cases is None and options.seconds is None:
        options.cases = 20_000
    targets = TARGETS if options.target == "all" else (options.target,)
    out = Path(options.out)
    print(f"fuzz: seed {seed} (replay with --seed {seed}); failing inputs go to {_shown(out)}/", flush=True)
    summary: dict[str, Any] = {"seed": seed, "targets": {}}
    all_failures: list[Failure] = []
    for target in targets:
        began = time.monotonic()
        totals, failures = supervise(
            target,
            seed,
            options.start,
            options.cases,
            options.seconds / len(targets) if options.seconds is not None else None,
            options.jobs,
            options.deep,
            options.timeout,
            options.chars_per_second,
            options.selftest,
        )
        elapsed = time.monotonic() - began
        kinds = sorted({signature(f.details) for f in failures})
        slowest = totals.slowest
        print(
            f"fuzz {target}: {totals.ran} cases in {elapsed:.1f} s with {options.jobs} worker(s): "
            f"{totals.accepted} read, {totals.rejected} refused, {len(failures)} failed"
            + (f" ({len(kinds)} kinds)" if failures else ""),
            flush=True,
        )
        if slowest["index"] is not None:
            print(
                f"  slowest case: {slowest['index']}, {slowest['size']} characters, {slowest['seconds']:.3f} s",
                flush=True,
            )
        save(failures, out, options.deep, options.minimise)
        shown: dict[str, int] = {}
        for failure in failures:
            key = signature(failure.details)
            shown[key] = shown.get(key, 0) + 1
            if shown[key] > SHOWN_PER_KIND:
                continue
            message = failure.details["message"][:300].replace("\n", " ")
            print(f"  FAILED case {failure.index}: {key}: {message}")
            print(f"    input: {_shown(failure.saved) if failure.saved else '?'}")
            if failure.minimised is not None:
                print(f"    minimised: {_shown(failure.minimised)}: {read_input(failure.minimised)[:300]!r}")
            path = failure.minimised or failure.saved
            for command in _replay_commands(failure, options.deep, path, failure.origin):
                print(f"    replay: {command}")
        summary["targets"][target] = {
            "cases": totals.ran,
            "accepted": totals.accepted,
            "rejected": totals.rejected,
            "failed": len(failures),
            "kinds": {kind: count for kind, count in sorted(shown.items())},
            "failures": [
                {"case": f.index, "kind": signature(f.details), "input": _shown(f.saved) if f.saved else None}
                for f in failures[:SHOWN_IN_SUMMARY]
            ],
            "seconds": round(elapsed, 2),
            "slowest": slowest,
        }
        if len(failures) > sum(min(n, SHOWN_PER_KIND) for n in shown.values()):
            print(f"  (the first {SHOWN_PER_KIND} of each kind are listed; all inputs and reports: {_shown(out)}/)")
        all_failures += failures
    print("FUZZ-SUMMARY " + json.dumps(summary), flush=True)
    return 1 if all_failures else 0


def command_case(options: argparse.Namespace) -> int:
    case: Case = CASE_MAKERS[options.target](options.seed, options.index)
    shown = case.text()
    print(f"case {case.index} of the {case.target} run with seed {case.seed}: {len(shown)} characters")
    print(f"made from {case.origin} by: {', '.join(case.mutations)}")
    print(f"input: {shown[:2000]!r}{' ...' if len(shown) > 2000 else ''}")
    if options.save:
        write_input(Path(options.save), shown)
        print(f"saved to {options.save}")
    try:
        print("outcome:", run_check(case.target, case.payload, case.origin, options.deep))
    except Exception:
        traceback.print_exc()
        return 1
    return 0


def command_replay(options: argparse.Namespace) -> int:
    """Run saved inputs; each one's name says its target: ``.arg`` notation, ``.json`` JSON text.

    A notation input is read as the document ``--as`` names (its includes are read from that document's folder),
    or as itself.
    """
    failed = 0
    for name in options.files:
        path = Path(name).resolve()
        text = read_input(path)
        if path.name.endswith(".object.json"):
            target, payload = "json", json.loads(text)
        else:
            target, payload = ("json" if path.suffix == ".json" else "notation"), text
        if options.origin is not None:
            origin = options.origin
        else:
            try:
                origin = path.relative_to(ROOT).as_posix()
            except ValueError:
                origin = str(path)
        try:
            outcome = run_check(target, payload, origin, options.deep)
        except Exception as exc:
            failed += 1
            print(f"{_shown(path)}: FAILED: {signature(describe_failure(exc))}")
            traceback.print_exc()
        else:
            print(f"{_shown(path)}: {outcome}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tests/fuzz/run.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run many cases in worker processes")
    run.add_argument("--target", choices=(*TARGETS, "all"), default="all")
    run.add_argument("--seed", default="random", help="a whole number, or 'random' (printed) [random]")
    run.add_argument("--start", type=int, default=0, help="the first case's index [0]")
    run.add_argument("--cases", type=int, help="cases per target [20000 when --seconds is not given]")
    run.add_argument("--seconds", type=float, help="stop after this long (shared between the targets)")
    run.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="worker processes")
    run.add_argument("--deep", action="store_true", help="also export every map that reads and read it back")
    run.add_argument("--out", default=str(ROOT / "tests" / "artifacts" / "fuzz"), help="where failing inputs go")
    run.add_argument("--timeout", type=float, default=10.0, help="seconds any case may take [10]")
    run.add_argument(
        "--chars-per-second", type=float, default=20_000.0, help="plus one second per this many characters [20000]"
    )
    run.add_argument("--minimise", type=float, default=60.0, help="seconds to spend minimising each kind of crash")
    run.add_argument("--selftest", help=argparse.SUPPRESS)
    case = commands.add_parser("case", help="make one case again and run it in this process")
    case.add_argument("target", choices=TARGETS)
    case.add_argument("seed", type=int)
    case.add_argument("index", type=int)
    case.add_argument("--deep", action="store_true")
    case.add_argument("--save", help="also write the input to this file")
    replay = commands.add_parser("replay", help="run saved inputs (.arg: notation, .json: JSON)")
    replay.add_argument("files", nargs="+")
    replay.add_argument("--as", dest="origin", help="read them as this document of the repository (for includes)")
    replay.add_argument("--deep", action="store_true")
    work = commands.add_parser("worker")  # internal: started by run
    work.add_argument("target", choices=TARGETS)
    work.add_argument("seed", type=int)
    work.add_argument("first", type=int)
    work.add_argument("stop", type=int)
    work.add_argument("step", type=int)
    work.add_argument("seconds")
    work.add_argument("--deep", action="store_true")
    work.add_argument("--selftest")
    options = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # inputs and messages may hold lone surrogates
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if options.command == "worker":
        seconds = None if options.seconds == "none" else float(options.seconds)
        worker(
            options.target,
            options.seed,
            options.first,
            options.stop,
            options.step,
            seconds,
            options.deep,
            options.selftest,
        )
        return 0
    return {"run": command_run, "case": command_case, "replay": command_replay}[options.command](options)


if __name__ == "__main__":
    sys.exit(main())
