"""The conformance suite: Argdown documents written to compare argmap with the Argdown CLI, construct by construct.

Layout (every ``*.arg`` file below this folder is one document, except the files in ``included/`` folders,
which documents ``@include``):

- one folder per construct (``statements/``, ``relations/``, ``pcs/``, ``lists/``, ``strict/``, ...) and
  ``corners/`` for the tricky cases: Argdown accepts each of them, and argmap must read them to the same
  meaning (``tests/oracle/normalise.py`` defines "the same");
- ``rejected/``: Argdown rejects each of them, and argmap must reject them too with an error positioned
  inside the document;
- ``deliberate/``: documents on which argmap differs on purpose, each listed with its reason in
  :data:`conformance.deliberate.DELIBERATE` (the one place the test reads; docs/argdown-compatibility.md
  says the same in prose).

``tests/test_conformance.py`` runs the comparison under pytest; ``python -m tests.conformance`` prints the
agreement figures and every disagreement.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SUITE", "construct", "documents", "name"]

SUITE = Path(__file__).resolve().parent


def documents() -> list[Path]:
    """Every document of the suite, sorted (files under an ``included/`` folder are not documents)."""
    return sorted(p for p in SUITE.rglob("*.arg") if "included" not in p.relative_to(SUITE).parts[:-1])


def name(path: Path) -> str:
    """A document's name: its path below the suite folder, with forward slashes."""
    return path.relative_to(SUITE).as_posix()


def construct(path: Path) -> str:
    """The construct a document exercises: its top folder."""
    return path.relative_to(SUITE).parts[0]
