"""Round trip through the notation: ``parse(export(m)) == m`` and ``export(parse(export(m))) == export(m)``.

Over every document of the notation corpus, the examples and the conformance suite
that argmap reads, and over generated maps (tests/strategies.py). Hypothesis runs
100 examples by default; set ``HYPOTHESIS_PROFILE=ci`` (the CI environment variable
does it too) for a fixed, reproducible run, or ``thorough`` for 2000 examples.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import argument_maps, hostile_text

import argmap
from argmap.errors import ArgmapSyntaxError
from argmap.exporters.argdown import render
from argmap.exporters.argdown_text import escape_text
from argmap.model import ArgumentMap

ROOT = Path(__file__).resolve().parent.parent

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("default", max_examples=100, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("thorough", max_examples=2000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "default")
)


def _documents() -> list[Path]:
    found = [*ROOT.glob("tests/notation/*.arg"), *ROOT.glob("examples/*.arg"), *ROOT.glob("tests/conformance/**/*.arg")]
    return sorted(found)


def _readable(path: Path) -> ArgumentMap | None:
    try:
        return argmap.parse_file(path)
    except ArgmapSyntaxError:
        return None  # the conformance suite's rejected documents


#: the documents argmap reads (the conformance suite's rejected ones are not maps)
DOCUMENTS = [p for p in _documents() if _readable(p) is not None]


def test_the_corpus_is_there() -> None:
    # the properties below are only as good as what they run over
    assert len(DOCUMENTS) > 60


def _assert_round_trip(original: ArgumentMap, written: str) -> None:
    again = argmap.parse(written)
    assert again == original, f"the map changed; written:\n{written}"
    assert render(again) == written, f"writing it again changed the text:\n{written}"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_round_trip(path: Path) -> None:
    original = argmap.parse_file(path)
    written = argmap.export(original, "argdown")
    assert isinstance(written, str)
    _assert_round_trip(original, written)
    if "@include" not in path.read_text(encoding="utf-8"):
        assert [c.text for c in argmap.parse(written).comments] == [c.text for c in original.comments]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_round_trip_in_the_canonical_layout(path: Path) -> None:
    original = argmap.parse_file(path)
    _assert_round_trip(original, render(original, layout="canonical"))


@given(argument_maps())
def test_generated_maps_round_trip(generated: ArgumentMap) -> None:
    written = render(generated)
    _assert_round_trip(generated, written)


@given(argument_maps(ranges=False, strict=False))
def test_generated_maps_round_trip_in_the_canonical_layout(generated: ArgumentMap) -> None:
    _assert_round_trip(generated, render(generated, layout="canonical"))


@given(hostile_text())
def test_any_text_reads_back_as_written(drawn: tuple[str, tuple[str, ...]]) -> None:
    text, _ = drawn
    for notation in (f"[T]: {escape_text(text, line_start=False)}", escape_text(text)):
        statement = next(iter(argmap.parse(notation).statements.values()))
        assert [t.text for t in statement.texts] == [text]
        assert statement.tags == ()
