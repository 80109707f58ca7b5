"""Golden files of the importers: each input read, then written as notation, reviewed in git.

An input is read by its importer (named, not detected: detection has its own tests) and the map is written
with the ``argdown`` exporter, followed by the importer's notes on what it dropped as ``//`` comments.
``make golden`` (pytest --update-golden) rewrites them. Each golden also reads back as the map it was written
from, so what a golden shows is exactly what was imported.

The inputs: Kialo debates written for these tests in both shapes of Kialo's export (tests/formats/kialo),
Argdown JSON written by the real Argdown CLI (tests/formats/argdown-json; test_import_oracle.py regenerates
and checks them), and the argmap JSON golden files of the exporters (tests/golden/*.json).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_golden import compare

import argmap

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "tests" / "formats"
GOLDEN = ROOT / "tests" / "golden" / "import"

CASES = [
    *(("kialo", path) for path in sorted((FORMATS / "kialo").glob("*.txt"))),
    *(("argdown-json", path) for path in sorted((FORMATS / "argdown-json").glob("*.json"))),
    *(("json", path) for path in sorted((ROOT / "tests" / "golden").glob("*.json"))),
]


def _id(case: tuple[str, Path]) -> str:
    return f"{case[0]}/{case[1].stem}"


def test_every_importer_has_inputs() -> None:
    kinds = {kind for kind, _ in CASES}
    assert kinds == {"kialo", "argdown-json", "json"}
    assert sum(kind == "kialo" for kind, _ in CASES) >= 2
    assert sum(kind == "argdown-json" for kind, _ in CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_import_golden(case: tuple[str, Path], update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    importer, path = case
    monkeypatch.chdir(ROOT)  # relative source names: the goldens do not depend on where the checkout is
    imported = argmap.load(path.relative_to(ROOT), importer)
    notation = argmap.export(imported.map, "argdown")
    assert isinstance(notation, str)
    notes = "".join(f"// note: {note}\n" for note in imported.dropped)
    compare(GOLDEN / importer / f"{path.stem}.arg", notation + ("\n" + notes if notes else ""), update_golden)
    assert argmap.parse(notation) == imported.map, "the golden notation does not read back as the imported map"
