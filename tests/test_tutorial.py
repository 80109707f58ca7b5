"""docs/tutorial.md is real: its notation reads, its steps add up to the finished map, its commands print what it shows.

The blocks are taken from the page with a Markdown parser: every ```argdown block must read; the one titled
``op-ed.arg`` is the finished map, which must lint clean and render; each statement and argument that a step
defines is in the finished map with the same text; and every ```console block's ``$ argmap ...`` command, run in a
folder holding op-ed.arg, prints exactly the lines below it.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import argmap

PAGE = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
FINISHED = "op-ed.arg"


def fences(language: str) -> list[tuple[str, str, int]]:
    """(info string, content, line) of every fenced block of ``language`` on the page."""
    tokens = MarkdownIt("commonmark").parse(PAGE.read_text(encoding="utf-8"))
    return [
        (t.info, t.content, t.map[0] + 1 if t.map else 0)
        for t in tokens
        if t.type == "fence" and t.info.split(maxsplit=1)[:1] == [language]
    ]


def title_of(info: str) -> str | None:
    found = re.search(r'\btitle="([^"]+)"', info)
    return found.group(1) if found else None


def untagged(text: str) -> str:
    """``text`` without its tags: step 5 adds tags to texts the earlier steps wrote."""
    return re.sub(r"\s*#(\([^)]*\)|[^\s#]+)", "", text).strip()


def finished_map_text() -> str:
    finished = [content for info, content, _ in fences("argdown") if title_of(info) == FINISHED]
    assert len(finished) == 1, f'the tutorial needs exactly one ```argdown block with title="{FINISHED}"'
    return finished[0]


STEPS = [pytest.param(content, id=f"line-{line}") for info, content, line in fences("argdown")]


def test_the_page_has_its_blocks() -> None:
    assert len(STEPS) >= 6
    assert len(fences("console")) >= 3


@pytest.mark.parametrize("notation", STEPS)
def test_every_block_of_notation_reads(notation: str) -> None:
    m = argmap.parse(notation, "tutorial.md")
    assert m.statements or m.arguments


@pytest.mark.parametrize("notation", STEPS)
def test_each_step_is_part_of_the_finished_map(notation: str) -> None:
    step = argmap.parse(notation, "step")
    finished = argmap.parse(finished_map_text(), FINISHED)
    for title, statement in step.statements.items():
        assert title in finished.statements, f"[{title}] is not in the finished map"
        for text in statement.texts:
            wordings = [untagged(t.text) for t in finished.statements[title].texts]
            assert untagged(text.text) in wordings, f"[{title}]: {text.text!r}"
    for title, argument in step.arguments.items():
        assert title in finished.arguments, f"<{title}> is not in the finished map"
        for text in argument.descriptions:
            wordings = [untagged(t.text) for t in finished.arguments[title].descriptions]
            assert untagged(text.text) in wordings, f"<{title}>: {text.text!r}"
        if argument.steps:
            assert argument.steps == finished.arguments[title].steps
    finished_relations = {str(r) for r in finished.relations}
    for relation in step.relations:
        assert str(relation) in finished_relations


def test_the_finished_map_is_clean_and_renders(require_dot: str) -> None:
    m = argmap.parse(finished_map_text(), FINISHED)
    assert argmap.lint(m) == ()
    svg = argmap.export(m, "svg")
    assert isinstance(svg, str) and "<svg" in svg and ">Free buses<" in svg


@pytest.mark.parametrize("block", [pytest.param(content, id=f"line-{line}") for _, content, line in fences("console")])
def test_every_command_prints_what_the_page_shows(block: str, tmp_path: Path, require_dot: str) -> None:
    (tmp_path / FINISHED).write_text(finished_map_text(), encoding="utf-8")
    lines = block.splitlines()
    commands = [i for i, line in enumerate(lines) if line.startswith("$ ")]
    assert commands and commands[0] == 0, "a console block starts with a `$ ` command"
    for n, start in enumerate(commands):
        end = commands[n + 1] if n + 1 < len(commands) else len(lines)
        argv = shlex.split(lines[start][2:])
        assert argv[0] == "argmap"
        proc = subprocess.run(
            [sys.executable, "-m", "argmap", *argv[1:]],
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert (proc.stdout + proc.stderr).splitlines() == lines[start + 1 : end], lines[start]
    if any(shlex.split(lines[i][2:])[1] == "render" for i in commands):
        assert (tmp_path / "op-ed.svg").is_file()


DIAGRAM = PAGE.parent / "images" / "tutorial.svg"
MARK = re.compile(r"<!-- argmap: rendered from DOT sha256 ([0-9a-f]{64}) -->")


def test_the_committed_diagram_is_current(update_golden: bool, require_dot: str) -> None:
    """docs/images/tutorial.svg, for readers of the page in a repository browser, shows today's finished map.

    The site draws its own while it is built (docs/hooks.py); ``make golden`` redraws this copy.
    """
    import hashlib

    import graphviz

    dot = argmap.export(argmap.parse(finished_map_text(), FINISHED), "dot")
    assert isinstance(dot, str)
    digest = hashlib.sha256(dot.encode()).hexdigest()
    if update_golden:
        svg = graphviz.Source(dot).pipe(format="svg", encoding="utf-8")
        head, _, rest = svg.partition("?>")
        DIAGRAM.write_text(f"{head}?>\n<!-- argmap: rendered from DOT sha256 {digest} -->{rest}", encoding="utf-8")
    found = MARK.search(DIAGRAM.read_text(encoding="utf-8"))
    assert found, f"{DIAGRAM} has no record of its DOT: run `make golden`"
    assert found.group(1) == digest, "the tutorial's diagram is stale: run `make golden` and review"
