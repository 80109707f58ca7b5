"""Pathological sizes: each input parses or is refused with an ArgmapSyntaxError, never a crash, and exports.

Every case runs ``tests/big_inputs.py`` in a subprocess with a generous timeout, so a hang or a runaway fails
the test, not the suite. No time is asserted (speed belongs to benchmarks); the times measured are printed
by the generator (``python tests/big_inputs.py CASE [SIZE]``) and recorded in docs/performance.md.

The sizes here are scaled down where the full size (``big_inputs.FULL_SIZES``) takes too long for CI.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import big_inputs
import pytest

GENERATOR = Path(__file__).resolve().parent / "big_inputs.py"

#: the size each case runs at in the test suite
CI_SIZES = {
    "long-title": 100_000,
    "long-line": 2_000_000,
    # the dot exporter is quadratic in a text's formatting ranges (see KNOWN_DOT_BUGS)
    "long-formatted-line": 20_000,
    # the dot exporter is quadratic in statements × relations (mapgraph._statement_is_node)
    "many-statements": 3_000,
    "deep-tree": 2_000,
    "deep-sections": 2_000,
}

#: cases whose dot export fails today: a strict xfail each, removed when fixed
KNOWN_DOT_BUGS: dict[str, str] = {}


@functools.cache
def outcome(case: str) -> tuple[int, str, dict[str, Any]]:
    """Exit status, standard error and the most complete result line of one generator run."""
    completed = subprocess.run(
        [sys.executable, str(GENERATOR), case, str(CI_SIZES[case])],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    return completed.returncode, completed.stderr, json.loads(lines[-1]) if lines else {}


def test_every_case_has_a_size() -> None:
    assert set(CI_SIZES) == set(big_inputs.CASES) == set(big_inputs.FULL_SIZES)


@pytest.mark.parametrize("case", sorted(CI_SIZES))
def test_parses_or_is_refused_and_round_trips_through_json(case: str) -> None:
    status, stderr, result = outcome(case)
    assert status == 0 and "Traceback" not in stderr, stderr[-2000:]
    assert result, stderr[-2000:]
    verdict = str(result["verdict"])
    if verdict.startswith("refused: "):
        return  # an ArgmapSyntaxError with a position: a clear refusal
    assert verdict == "parsed"
    assert "json_error" not in result, result["json_error"]
    assert result.get("json_round_trip") is True, result


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DOT_BUGS[c])) if c in KNOWN_DOT_BUGS else c
        for c in sorted(CI_SIZES)
    ],
)
def test_exports_to_dot(case: str) -> None:
    status, stderr, result = outcome(case)
    assert status == 0 and "Traceback" not in stderr, stderr[-2000:]
    if result["verdict"] == "parsed":
        assert "dot_error" not in result, result["dot_error"]
        assert int(result["dot_chars"]) > 0


def test_what_was_parsed_is_complete() -> None:
    expected = {
        "many-statements": ("statements", CI_SIZES["many-statements"]),
        "deep-tree": ("relations", CI_SIZES["deep-tree"]),
        "deep-sections": ("sections", CI_SIZES["deep-sections"]),
        "long-title": ("statements", 3),
    }
    for case, (key, count) in expected.items():
        _, stderr, result = outcome(case)
        assert result.get(key) == count, (case, result, stderr[-2000:])
