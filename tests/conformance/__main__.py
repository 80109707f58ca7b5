"""``python -m tests.conformance [-v] [DOCUMENT-SUBSTRING...]``: agreement figures, then every disagreement.

Runs the Argdown CLI once over the suite (as the pytest test does) and exits 1 when a document disagrees,
2 when the Argdown CLI is missing. ``-v`` prints each disagreement's details (diffs, errors).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, where `oracle` lives

from oracle import argdown

from conformance import documents, name
from conformance.judge import judge, summary


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    wanted = [a for a in argv if a != "-v"]
    reason = argdown.missing()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 2
    paths = [p for p in documents() if not wanted or any(w in name(p) for w in wanted)]
    results = argdown.run(paths)
    outcomes = [judge(p, results[p]) for p in paths]
    print(summary(outcomes))
    disagreements = [o for o in outcomes if o.status == "disagree"]
    for o in disagreements:
        first = o.detail.splitlines()[0] if o.detail else ""
        print(f"\nDISAGREE {o.document}: {first}" if not verbose else f"\nDISAGREE {o.document}:\n{o.detail}")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
