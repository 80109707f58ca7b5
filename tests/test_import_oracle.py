"""The argdown-json importer against the real Argdown CLI.

- Every document of the notation corpus (tests/notation, examples/) is exported by Argdown (one node
  process, tests/oracle/argdown_dump.js, which gives the very JSON ``argdown json`` prints) and imported:
  the map must mean what Argdown's model means, by the definition of "same meaning" the parser's oracle
  uses (tests/oracle/normalise.py), except the front matter, which Argdown's JSON does not carry.
- The committed fixtures (tests/formats/argdown-json/*.json) are what ``argdown json`` writes today for
  their sources: regenerated with the CLI (one run over copies of the sources, as a user runs it on a
  folder) and compared (``--update-golden`` rewrites them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from oracle import argdown
from oracle.normalise import from_argdown, from_argmap

from argmap.importers.argdown_json import IMPORTER

pytestmark = pytest.mark.oracle

ROOT = argdown.ROOT
FIXTURES = ROOT / "tests" / "formats" / "argdown-json"
#: the notation corpus, and the fixtures' own sources (the corpus has no bold, italic, links or mentions)
DOCUMENTS = [
    *sorted((ROOT / "tests" / "notation").glob("*.arg")),
    *sorted((ROOT / "examples").glob("*.arg")),
    *sorted(FIXTURES.glob("*.arg")),
]

#: each committed fixture and the notation it is Argdown's JSON of
SOURCES = {
    "03-arguments": ROOT / "examples" / "03-arguments.arg",
    "05-untitled-statements": ROOT / "tests" / "notation" / "05-untitled-statements.arg",
    "13-contradiction": ROOT / "tests" / "notation" / "13-contradiction.arg",
    "24-pcs-inference-rules": ROOT / "tests" / "notation" / "24-pcs-inference-rules.arg",
    "39-tags-headings": ROOT / "tests" / "notation" / "39-tags-headings.arg",
    "52-mixed-document": ROOT / "tests" / "notation" / "52-mixed-document.arg",
    "inline-text": FIXTURES / "inline-text.arg",
}


def _require_argdown() -> None:
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def exported() -> dict[Path, dict[str, Any]]:
    """Argdown's JSON of every document, from one node process."""
    _require_argdown()
    return argdown.run(DOCUMENTS)


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", DOCUMENTS, ids=_id)
def test_imported_argdown_json_means_what_argdown_means(path: Path, exported: dict[Path, dict[str, Any]]) -> None:
    result = exported[path]
    assert result["ok"], f"Argdown rejects {_id(path)}"
    text = json.dumps(result["json"], indent=2)
    imported = IMPORTER.read(text, source_name=f"{path.stem}.json")
    expected, actual = from_argdown(result["json"]), from_argmap(imported.map)
    expected.pop("front_matter")
    actual.pop("front_matter")
    assert actual == expected


def test_the_fixtures_are_listed() -> None:
    assert {path.stem for path in FIXTURES.glob("*.json")} == set(SOURCES)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What ``argdown json`` writes for each fixture's source: one run of the CLI over a folder of copies."""
    _require_argdown()
    folder = tmp_path_factory.mktemp("argdown-json")
    sources, output = folder / "sources", folder / "json"
    sources.mkdir()
    for name, source in SOURCES.items():
        shutil.copyfile(source, sources / f"{name}.arg")
    completed = subprocess.run(
        [str(argdown.CLI), "json", f"{sources}/*.arg", str(output), "--silent"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=folder,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return {name: (output / f"{name}.json").read_text(encoding="utf-8") for name in SOURCES}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_fixtures_are_what_argdown_writes(name: str, written: dict[str, str], update_golden: bool) -> None:
    fixture = FIXTURES / f"{name}.json"
    if update_golden:
        fixture.write_text(written[name], encoding="utf-8")
        return
    assert json.loads(written[name]) == json.loads(fixture.read_text(encoding="utf-8")), (
        f"{fixture.name} is not what argdown json writes for {SOURCES[name].name}: `make golden` and review"
    )
