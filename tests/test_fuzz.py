"""Mutation fuzzing in ``make test``: fixed-seed runs of tests/fuzz/run.py, the saved crashes, the harness itself.

``argmap.parse`` on mutated documents returns a map or raises ArgmapSyntaxError positioned
inside the input; ``argmap.from_json`` on mutated JSON returns a map or raises ArgmapError
(tests/fuzz/targets.py says exactly what is checked). The runs are fixed (seed and case
count), so they fail the same way every time; ``make fuzz`` runs far more with a random seed.
Each run happens in worker processes with a per-case time limit, so a hang fails the test
with the input instead of stalling the suite. See docs/fuzzing.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fuzz.mutate import ODD_CHARS, notation_case, notation_corpus
from fuzz.run import minimise

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "tests" / "fuzz" / "run.py"
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"
#: the fixed seed of the runs in make test (any number will do; changing it changes the cases)
SEED = 20240611
NOTATION_CASES = 20_000
JSON_CASES = 5_000
#: a whole run may not take longer than this; the cases' own limits are far shorter
RUN_TIMEOUT = 900


def _run(tmp_path: Path, *arguments: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, str(RUN), "run", "--out", str(tmp_path / "found"), *arguments],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=ROOT,
    )
    summary = [line for line in done.stdout.splitlines() if line.startswith("FUZZ-SUMMARY ")]
    assert summary, f"the fuzz run printed no summary:\n{done.stdout}\n{done.stderr}"
    return done, json.loads(summary[-1].removeprefix("FUZZ-SUMMARY "))


@pytest.mark.parametrize(("target", "cases"), [("notation", NOTATION_CASES), ("json", JSON_CASES)])
def test_fixed_seed_fuzz_run_finds_nothing(tmp_path: Path, target: str, cases: int) -> None:
    done, summary = _run(tmp_path, "--target", target, "--seed", str(SEED), "--cases", str(cases), "--jobs", "2")
    figures = summary["targets"][target]
    assert done.returncode == 0, f"the fuzzer found failures (inputs and replay commands below):\n{done.stdout}"
    assert figures["cases"] == cases
    assert figures["accepted"] + figures["rejected"] == cases
    # the mutations must leave plenty of documents readable and break plenty of others
    assert figures["accepted"] > cases // 10 and figures["rejected"] > cases // 10, figures


def _regressions() -> list[Path]:
    return sorted(p for p in REGRESSIONS.iterdir() if p.is_file() and p.suffix in (".arg", ".json"))


def test_there_are_regressions() -> None:
    assert len(_regressions()) >= 10


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.name)
def test_regression(path: Path) -> None:
    """An input the fuzzer once broke argmap with: it must now get a correct outcome, in bounded time."""
    done = subprocess.run(
        [sys.executable, str(RUN), "replay", str(path)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- the harness itself -----------------------------------------------------------------------


@pytest.mark.parametrize(("sabotage", "kind"), [("hang", "hang"), ("die", "died"), ("crash", "RuntimeError")])
def test_a_failing_case_is_reported_with_its_input_and_the_run_goes_on(
    tmp_path: Path, sabotage: str, kind: str
) -> None:
    done, summary = _run(
        tmp_path,
        *("--target", "notation", "--seed", "1", "--cases", "30", "--jobs", "2", "--timeout", "3"),
        *("--minimise", "0", "--selftest", f"{sabotage}:7"),
    )
    assert done.returncode == 1
    figures = summary["targets"]["notation"]
    assert figures["cases"] == 30 and figures["failed"] == 1  # the cases after it ran too
    [failure] = figures["failures"]
    assert failure["case"] == 7 and failure["kind"].startswith(kind)
    saved = ROOT / failure["input"] if not Path(failure["input"]).is_absolute() else Path(failure["input"])
    assert saved.read_text(encoding="utf-8") == notation_case(1, 7).payload
    assert "run.py case notation 1 7" in done.stdout


def test_a_case_is_made_again_from_its_seed_and_index() -> None:
    assert notation_case(5, 123) == notation_case(5, 123)
    assert notation_case(5, 123) != notation_case(6, 123)
    done = subprocess.run(
        [sys.executable, str(RUN), "case", "notation", "5", "123"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert repr(notation_case(5, 123).payload)[:200] in done.stdout


def test_the_mutations_insert_what_the_documentation_promises() -> None:
    origins = {seed.name: seed.text for seed in notation_corpus()}
    inserted: set[str] = set()
    longest_run = 0
    syntax = ("[", "]", "<", ">", "#", "{", "}", "(", ")", "*", "_", "@", "-", "+", "\n", "\t", "\r")
    for index in range(3000):
        case = notation_case(7, index)
        origin = origins[case.origin]
        for piece in (*syntax, *ODD_CHARS):
            if case.payload.count(piece) > origin.count(piece):
                inserted.add(piece)
        if "insert run" in case.mutations:
            longest_run = max(longest_run, len(case.payload) - len(origin))
    must = {*syntax, "\ufeff", "\x00", "\U0001f600", "\ud800"}
    assert must <= inserted, must - inserted
    assert longest_run > 1000


def test_minimise_keeps_what_makes_it_fail() -> None:
    text = "first line\nsecond [X] line\nthird line\n"
    assert minimise(text, lambda t: "[X]" in t) == "[X]"
    assert minimise(text, lambda t: t.count("\n") >= 2 and "X" in t) in ("X\n\n", "\nX\n", "\n\nX")
