"""The benchmarks: the generator keeps issue 5's shape, Argdown reads its maps as argmap does, the runner runs.

No timing is asserted here (speed belongs to ``make bench``); the runner's smoke test only bounds the time
a hang could take.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from oracle import argdown

import argmap
from argmap.model import ElementKind, Node, RelationKind

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ sits beside argmap/, outside the installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from benchmarks import run as bench  # noqa: E402


def _require_argdown() -> None:
    reason = argdown.missing()
    if reason is not None:
        if argdown.in_ci():
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.parametrize("size", [300, 3000, 3001])
def test_generated_map_has_the_shape_of_issue_5(size: int) -> None:
    argmap_ = argmap.parse(generate.generate(size))
    expected = generate.shape(size)
    arguments = size // 3
    assert expected.arguments == arguments
    assert len(argmap_.statements) == expected.statements == 3 * arguments
    assert len(argmap_.arguments) == arguments

    for k in range(1, arguments + 1):
        argument = argmap_.arguments[f"Argument {k}"]
        assert argument.premises == (f"Premise {k}.1", f"Premise {k}.2")
        assert argument.conclusion == f"Conclusion {k}"
        assert argument.tags == (f"group-{k % 7}",)
        assert argument.section == argmap_.sections[(k - 1) // 100].id
        for title in (*argument.premises, argument.conclusion):
            assert argmap_.statements[title].text  # every statement is titled and has a text

    assert [s.title for s in argmap_.sections] == [f"Part {j}" for j in range(1, expected.headings + 1)]
    assert {t for a in argmap_.arguments.values() for t in a.tags} == {f"group-{i}" for i in range(7)}
    assert expected.tags == 7

    def number(node: Node) -> int:
        match = re.fullmatch(r"(?:Argument|Premise) (\d+)(?:\.[12])?", node.title)
        assert match, node
        return int(match.group(1))

    supports = [r for r in argmap_.relations if r.kind is RelationKind.SUPPORT]
    attacks = [r for r in argmap_.relations if r.kind is RelationKind.ATTACK]
    assert len(argmap_.relations) == len(supports) + len(attacks)
    assert len(supports) == expected.supports == arguments - 1
    assert len(attacks) == expected.attacks == arguments // 3
    # every argument after the first supports a premise of an earlier argument
    assert sorted(number(r.source) for r in supports) == list(range(2, arguments + 1))
    for r in supports:
        assert r.source.kind is ElementKind.ARGUMENT and r.target.kind is ElementKind.STATEMENT
        assert r.target.title.startswith("Premise ") and number(r.target) < number(r.source)
    # every third also attacks an earlier argument
    assert sorted(number(r.source) for r in attacks) == list(range(3, arguments + 1, 3))
    for r in attacks:
        assert r.source.kind is ElementKind.ARGUMENT and r.target.kind is ElementKind.ARGUMENT
        assert number(r.target) < number(r.source)


def test_generator_is_deterministic_for_a_seed_and_its_command_writes_the_same(tmp_path: Path) -> None:
    text = generate.generate(3000, seed=11)
    assert text == generate.generate(3000, seed=11)
    assert text != generate.generate(3000, seed=12)
    assert generate.generate(3000) == generate.generate(3000, seed=generate.DEFAULT_SEED)

    out = tmp_path / "map.argdown"
    command = [sys.executable, "-m", "benchmarks.generate", "300", "--seed", "11"]
    subprocess.run([*command, "-o", str(out)], cwd=ROOT, check=True, timeout=120)
    assert out.read_text(encoding="utf-8") == generate.generate(300, seed=11)
    printed = subprocess.run(command, cwd=ROOT, check=True, timeout=120, capture_output=True, text=True).stdout
    assert printed == generate.generate(300, seed=11)


def _argdown_relation(relation: dict[str, Any]) -> tuple[str, str, str]:
    def end(title: str, kind: str) -> str:
        return f"<{title}>" if kind == "argument" else f"[{title}]"

    return (
        end(relation["from"], relation["fromType"]),
        end(relation["to"], relation["toType"]),
        relation["relationType"],
    )


@pytest.mark.oracle
def test_argdown_reads_the_generated_map_as_argmap_does(tmp_path: Path) -> None:
    _require_argdown()
    size = 1000
    path = tmp_path / "map-1000.argdown"
    generate.write(size, path)
    verdict = argdown.run([path])[path]
    assert verdict["ok"], verdict
    model = verdict["json"]
    ours = argmap.parse_file(path)
    expected = generate.shape(size)

    assert len(model["statements"]) == len(ours.statements) == expected.statements
    assert len(model["arguments"]) == len(ours.arguments) == expected.arguments
    assert len(model["sections"]) == len(ours.sections) == expected.headings
    assert len(model["tags"]) == expected.tags
    # Argdown re-expresses an argument's relations from its conclusion, as argmap's derived_relations do:
    # supports of a premise statement, attacks on an earlier argument
    theirs = sorted(_argdown_relation(r) for r in model["relations"])
    derived = sorted((str(r.source), str(r.target), r.kind.value) for r in ours.derived_relations())
    assert theirs == derived
    assert len(theirs) == expected.supports + expected.attacks
    assert sum(kind == "support" and target.startswith("[Premise ") for _, target, kind in theirs) == expected.supports
    assert sum(kind == "attack" and target.startswith("<Argument ") for _, target, kind in theirs) == expected.attacks


@pytest.mark.oracle
def test_runner_prints_one_report_and_saves_every_run(tmp_path: Path) -> None:
    _require_argdown()
    saved = tmp_path / "results.json"
    command = [
        sys.executable, "-m", "benchmarks.run", "--quick", "--sizes", "100", "--repeat", "1",
        "--data", str(tmp_path / "data"), "--json", str(saved), "--quiet", "--keep-outputs",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    report = done.stdout
    for heading in ("### Start-up", "### Generated maps", "### Parse throughput", "### Targets (issue 5)"):
        assert heading in report
    row = next(line for line in report.splitlines() if line.startswith("| 100 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 12 and "—" not in cells, row  # Argdown's columns and the ratios are filled in
    assert "not measured" in report  # the 50,000 and 100,000 targets need those sizes

    results = json.loads(saved.read_text(encoding="utf-8"))
    measures = results["sizes"][0]["measures"]
    assert set(measures) == {"parse", "JSON", "DOT", "Argdown JSON", "Argdown DOT"}
    for name, measure in [*measures.items(), *results["startup"].items()]:
        assert len(measure["runs"]) == 1, name
        run = measure["runs"][0]
        assert (
            run["status"] == 0 and not run["problem"] and run["seconds"] > 0 and run["max_rss_bytes"] > 1024 * 1024
        ), (name, run)
    outputs = tmp_path / "data" / "out"
    stem = "map-100-seed5"
    assert json.loads((outputs / "argmap" / f"{stem}.json").read_text(encoding="utf-8"))["format"] == "argmap"
    assert (outputs / "argmap" / f"{stem}.dot").read_text(encoding="utf-8").startswith("digraph")
    assert (outputs / "argdown-json" / f"{stem}.json").stat().st_size > 0
    assert (outputs / "argdown-dot" / f"{stem}.dot").read_text(encoding="utf-8").startswith("digraph")


def _measure(name: str, seconds: float, mib: float = 100.0) -> bench.Measure:
    return bench.Measure(name, [name], runs=[bench.Run(seconds, int(mib * bench.MIB), 0)])


def _size(size: int, **figures: tuple[float, float]) -> bench.SizeResult:
    measures = {name.replace("_", " "): _measure(name, s, m) for name, (s, m) in figures.items()}
    return bench.SizeResult(size, size, size * 100, measures)


def test_targets_are_judged_from_the_ratios_of_one_run() -> None:
    startup = {"argmap JSON": _measure("a", 0.2), "Argdown JSON": _measure("b", 1.0)}
    sizes = [
        _size(10_000, parse=(1.0, 50), JSON=(1.0, 50), DOT=(1.0, 50)),
        _size(50_000, JSON=(5.0, 500), Argdown_JSON=(10.0, 1000), DOT=(5.0, 500), Argdown_DOT=(19.0, 1000)),
        _size(100_000, parse=(11.0, 50), JSON=(11.5, 50), DOT=(9.0, 50)),
    ]
    got = [(t.measured, t.verdict) for t in bench.Targets(bench.Results({}, startup, sizes)).all()]
    assert got == [
        ("5.00×", "PASS"),  # start-up: exactly 5× passes
        ("2.00×", "PASS"),  # JSON: exactly 2×
        ("0.50", "PASS"),  # memory: exactly half
        ("3.80×", "FAIL"),  # DOT: under 4×
        ("11.00", "PASS"),  # parse growth: exactly 11
        ("11.50", "FAIL"),  # JSON growth over 11
        ("9.00", "PASS"),
    ]
    without = bench.Targets(bench.Results({}, {"argmap JSON": _measure("a", 0.2)}, sizes[:1])).all()
    assert {t.verdict for t in without} == {"not measured"}


def test_the_targets_size_gets_the_most_runs() -> None:
    # the medians the targets read are taken over more runs than the others; --repeat overrides every size
    assert bench.repeats_for(bench.JSON_SIZE, None) > bench.repeats_for(10_000, None) > bench.repeats_for(100_000, None)
    assert bench.repeats_for(0, None) == bench.repeats_for(1_000, None)  # start-up
    assert {bench.repeats_for(size, 2) for size in (0, 100, bench.JSON_SIZE, 100_000)} == {2}
