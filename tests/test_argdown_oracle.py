"""Differential test: argmap reads every notation document to the same meaning as the Argdown CLI.

"Same meaning" is defined, step by step, in tests/oracle/normalise.py. Argdown runs once for all
documents (one node process, see tests/oracle/argdown_dump.js).
"""

from __future__ import annotations

import difflib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from oracle import argdown
from oracle.normalise import from_argdown, from_argmap

import argmap

pytestmark = pytest.mark.oracle

DOCUMENTS = sorted((argdown.ROOT / "tests" / "notation").glob("*.arg")) + sorted(
    (argdown.ROOT / "examples").glob("*.arg")
)


def _id(path: Path) -> str:
    return str(path.relative_to(argdown.ROOT))


@pytest.fixture(scope="session")
def argdown_results() -> dict[Path, dict[str, Any]]:
    """Argdown's verdict on every document, computed once per session."""
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return argdown.run(DOCUMENTS)


def _readable_diff(expected: dict[str, Any], actual: dict[str, Any]) -> str:
    """A unified diff of the two normalised structures, one JSON value per line."""

    def lines(value: dict[str, Any]) -> list[str]:
        return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()

    return "\n".join(difflib.unified_diff(lines(expected), lines(actual), "argdown", "argmap", n=4, lineterm=""))


def test_corpus_is_not_empty() -> None:
    assert len(DOCUMENTS) >= 40


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_argdown_accepts(path: Path, argdown_results: dict[Path, dict[str, Any]]) -> None:
    """Every document is valid Argdown: the corpus tests argmap, not Argdown's error recovery."""
    result = argdown_results[path]
    assert result["ok"], f"Argdown rejects {_id(path)}: {result['errors'] or result['exception']}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_same_meaning_as_argdown(path: Path, argdown_results: dict[Path, dict[str, Any]]) -> None:
    result = argdown_results[path]
    if not result["ok"]:
        pytest.fail(f"Argdown rejects {_id(path)}, so there is nothing to compare")
    expected = from_argdown(result)
    actual = from_argmap(argmap.parse_file(path))
    if actual != expected:
        pytest.fail(
            f"{_id(path)} means something else to argmap than to Argdown:\n{_readable_diff(expected, actual)}",
            pytrace=False,
        )


def test_driver_matches_cli(argdown_results: dict[Path, dict[str, Any]]) -> None:
    """The one-process driver gives the very JSON the `argdown json --stdout` command prints."""
    path = argdown.ROOT / "tests" / "notation" / "52-mixed-document.arg"
    completed = subprocess.run(
        [str(argdown.CLI), "json", str(path), "--stdout", "--silent"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr

    def without_colours(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: without_colours(v) for k, v in value.items() if k not in ("color", "fontColor")}
        if isinstance(value, list):
            return [without_colours(v) for v in value]
        return value

    assert without_colours(json.loads(completed.stdout)) == without_colours(argdown_results[path]["json"])
