"""Conformance, measured: every document of tests/conformance/ read by argmap and by the Argdown CLI.

A document Argdown accepts must mean the same to argmap (tests/oracle/normalise.py); a document Argdown
rejects must be rejected by argmap with an error positioned inside it; a deliberate difference must be
listed, with its reason, in tests/conformance/deliberate.py and must still hold. Argdown runs once for the
whole suite. ``python -m tests.conformance`` prints the same figures without pytest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conformance import SUITE, construct, documents, name
from conformance.deliberate import DELIBERATE
from conformance.judge import Outcome, judge, summary
from oracle import argdown

pytestmark = pytest.mark.oracle

DOCUMENTS = documents()

#: every construct the issue names has a folder of its own
CONSTRUCTS = {
    "statements", "arguments", "relations", "pcs", "sections", "tags", "comments", "front-matter", "data",
    "lists", "mentions", "formatting", "escapes", "inferences", "include", "strict", "derivation", "corners",
    "rejected", "deliberate",
}  # fmt: skip


@pytest.fixture(scope="session")
def argdown_results() -> dict[Path, dict[str, Any]]:
    """Argdown's verdict on every document, computed once per session."""
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return argdown.run(DOCUMENTS)


@pytest.fixture(scope="session")
def outcomes(argdown_results: dict[Path, dict[str, Any]]) -> dict[Path, Outcome]:
    return {path: judge(path, argdown_results[path]) for path in DOCUMENTS}


def test_suite_shape() -> None:
    """At least 150 documents, every construct several times, every deliberate entry a real document."""
    assert len(DOCUMENTS) >= 150
    per_construct = {c: sum(construct(p) == c for p in DOCUMENTS) for c in CONSTRUCTS}
    assert {c for c, n in per_construct.items() if n < 3} == set(), per_construct
    assert {construct(p) for p in DOCUMENTS} <= CONSTRUCTS
    names = {name(p) for p in DOCUMENTS}
    assert set(DELIBERATE) <= names
    assert {n for n in names if n.startswith("deliberate/")} <= set(DELIBERATE)
    assert (SUITE / "include" / "included" / "basic.arg").is_file()


@pytest.mark.parametrize("path", DOCUMENTS, ids=name)
def test_conforms(path: Path, outcomes: dict[Path, Outcome]) -> None:
    outcome = outcomes[path]
    if outcome.status == "disagree":
        pytest.fail(f"{outcome.document}: {outcome.detail}", pytrace=False)


def test_agreement_figures(outcomes: dict[Path, Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    """Prints documents / agreeing / deliberate / disagreeing; every listed deliberate difference still holds."""
    table = summary(outcomes.values())
    with capsys.disabled():
        print(f"\n\nArgdown conformance ({SUITE.relative_to(argdown.ROOT)}):\n{table}\n")
    statuses = [o.status for o in outcomes.values()]
    assert len(statuses) == statuses.count("agree") + statuses.count("deliberate") + statuses.count("disagree")
    stale = sorted(n for n in DELIBERATE if outcomes[SUITE / n].status != "deliberate")
    assert stale == [], f"deliberate differences that no longer hold as listed: {stale}"


def test_every_deliberate_difference_is_in_the_compatibility_doc() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "argdown-compatibility.md").read_text(encoding="utf-8")
    missing = [name for name in DELIBERATE if f"tests/conformance/{name}" not in doc]
    assert not missing, f"docs/argdown-compatibility.md does not list: {missing}"
