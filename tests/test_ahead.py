"""Work ahead: what an export does on each statement, done while a long map is read (the reading process waits
for its child much of the time) and taken by the export only for the very statement it was made from. The export
is the same bytes whether none, some or all of the work was done ahead."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import argmap
from argmap import builder, lalr, parallel, reader
from argmap.exporters import dot
from argmap.exporters import json as argmap_json
from argmap.model import Argument, ArgumentMap, ElementKind, Statement, Text


def _large_text() -> str:
    from benchmarks.generate import generate

    text = generate(9_000, seed=5)
    assert len(text) >= lalr.TWO_PROCESSES_FROM  # long enough for the command's two-process read
    return text


@pytest.fixture(scope="module")
def large() -> ArgumentMap:
    return argmap.parse(_large_text(), "large.arg")


def test_a_result_belongs_to_the_very_statement_it_was_made_from() -> None:
    done: list[str] = []

    def work(element: Statement | Argument) -> str:
        done.append(element.title)
        return f"<{element.title}>"

    ahead = parallel.Ahead("key", work)
    rain = Statement("Rain", (Text("It will rain."),))
    ahead.add(rain)
    assert ahead.get(rain) == "<Rain>" and len(ahead) == 1 and done == ["Rain"]
    twin = Statement("Rain", (Text("It will rain."),))
    assert twin == rain and ahead.get(twin) is None  # equal, but not the one the work was done on
    assert ahead.get(attrs.evolve(rain, tags=("weather",))) is None  # made again after a change
    nothing = parallel.Ahead("key", lambda e: None)  # no work for it: nothing kept
    nothing.add(rain)
    assert nothing.get(rain) is None and len(nothing) == 0


def test_work_that_fails_is_left_for_the_export() -> None:
    def work(element: Statement | Argument) -> str:
        raise ValueError("cannot")

    ahead = parallel.Ahead("key", work)
    rain = Statement("Rain")
    ahead.add(rain)
    assert ahead.get(rain) is None and len(ahead) == 0


def test_an_exporter_finds_only_its_own_work_and_only_inside_the_block() -> None:
    ahead = parallel.Ahead(("dot: labels", 40), lambda s: s.title)
    assert parallel.current_ahead() is None
    with parallel.working_ahead(ahead):
        assert parallel.current_ahead() is ahead
        assert parallel.ahead_for(("dot: labels", 40)) is ahead
        assert parallel.ahead_for(("dot: labels", 30)) is None  # another width: not this work
        assert parallel.ahead_for("json: statements") is None
    assert parallel.current_ahead() is None and parallel.ahead_for(("dot: labels", 40)) is None


def test_the_builder_hands_over_each_element_as_it_makes_it() -> None:
    text = (
        "[Rain]: It will rain.\n  + [Clouds]: The sky is grey.\n\n[Sun]: It is sunny.\n\n[Rain] #weather\n\n"
        "<Forecast>: The forecast says so.\n\n(1) [Said]: The forecast says rain.\n----\n(2) [Rain]\n"
    )
    made: list[Statement | Argument] = []
    callbacks = builder.callbacks(text, "x.arg", made)
    postlexer = reader._fast_postlexer()
    postlexer.start(text, "x.arg", lalr.Tok)
    tables = lalr.tables()
    assert tables is not None
    m = lalr.run(tables, text, callbacks, postlexer.process, {"COMMENT": postlexer.collect_comment})
    assert m == argmap.parse(text)
    # every element of the map is one handed over: Rain twice, made again when its tag came; the argument once its
    # premise-conclusion structure has joined it
    elements = [*m.statements.values(), *m.arguments.values()]
    assert all(any(e is given for given in made) for e in elements)
    assert [e.title for e in made] == ["Clouds", "Rain", "Sun", "Rain", "Said", "Forecast"]
    assert made[1].tags == () and made[3].tags == ("weather",)
    assert isinstance(made[5], Argument) and made[5].conclusion == "Rain"


def test_the_reader_works_a_few_statements_at_a_time_while_more_come() -> None:
    made: list[Statement | Argument] = [Statement(f"S{i}") for i in range(70)]
    worked: list[str] = []
    idle = reader._working(lambda s: worked.append(s.title), made)
    assert idle() and len(worked) == 32
    assert idle() and len(worked) == 64
    assert not idle() and len(worked) == 70  # nothing left for now
    assert not idle() and len(worked) == 70
    made.append(Statement("S70"))
    assert not idle() and worked[-1] == "S70"


def test_while_the_child_has_sent_nothing_this_process_works() -> None:
    read_end, write_end = os.pipe()
    calls: list[int] = []
    events = [(0, 0, ())]

    def idle() -> bool:
        calls.append(1)
        if len(calls) < 3:
            return True  # more to do: called again while nothing has come
        data = marshal.dumps(events)
        os.write(write_end, len(data).to_bytes(4, "little") + data)
        return True  # the chunk is there now: the reading goes on without another call

    try:
        chunks = lalr._chunks(read_end, idle)
        assert next(chunks) == events
        assert len(calls) == 3
        os.close(write_end)
        assert list(chunks) == []  # no more work asked for: the pipe had closed
        assert len(calls) == 3
    finally:
        os.close(read_end)


def test_json_takes_each_statement_s_text_written_ahead(large: ArgumentMap) -> None:
    expected = argmap_json.dumps(large).encode("utf-8")
    ahead = argmap_json.statements_ahead()
    for statement in large.statements.values():
        ahead.add(statement)
    with parallel.working_ahead(ahead):
        assert b"".join(argmap_json.iter_encoded(large, processes=2)) == expected
        assert b"".join(argmap_json.iter_encoded(large, processes=1)) == expected
    # the texts written ahead are the ones taken: a marker shows where, and a statement changed since is written anew
    first, second = list(large.statements)[:2]
    changed = dict(large.statements)
    changed[second] = attrs.evolve(changed[second], tags=("changed",))
    marked = parallel.Ahead(ahead.key, lambda s: f'"ahead {s.title}"')
    for statement in large.statements.values():  # the second as it was, before the change
        marked.add(statement)
    with parallel.working_ahead(marked):
        text = b"".join(argmap_json.iter_encoded(attrs.evolve(large, statements=changed))).decode("utf-8")
    assert f'"ahead {first}"' in text
    assert f'"ahead {second}"' not in text and '"changed"' in text
    # arguments' texts written ahead are taken too, by the second process that writes them
    by_class = parallel.Ahead(ahead.key, lambda e: f'"ahead {e.title}"' if isinstance(e, Argument) else None)
    for argument in large.arguments.values():
        by_class.add(argument)
    for statement in large.statements.values():
        by_class.add(statement)
    assert len(by_class) == len(large.arguments)
    with parallel.working_ahead(by_class), parallel.second_process_allowed():
        for processes in (1, 2):
            text = b"".join(argmap_json.iter_encoded(large, processes=processes)).decode("utf-8")
            assert text.count('"ahead ') == len(large.arguments)
            assert f'"ahead {next(iter(large.arguments))}"' in text


def test_dot_takes_the_labels_written_ahead_and_writes_the_rest(large: ArgumentMap) -> None:
    expected = dot.to_dot(large)
    ahead = dot.labels_ahead({})
    assert ahead is not None
    statements = list(large.statements.values())
    for statement in statements[: len(statements) // 2]:  # half ahead: the others written by the export
        ahead.add(statement)
    with parallel.working_ahead(ahead), parallel.second_process_allowed():
        assert dot.to_dot(large) == expected
        for statement in statements:
            ahead.add(statement)
        assert dot.to_dot(large) == expected
    marked = parallel.Ahead(ahead.key, lambda e: f"<ahead {e.title}>")
    marked.add(statements[0])
    first_argument = next(iter(large.arguments.values()))
    marked.add(first_argument)
    with parallel.working_ahead(marked):
        source = dot.to_dot(large)
        assert f"[label=<ahead {statements[0].title}>" in source
        assert f"[label=<ahead {first_argument.title}>" in source
        wider = dot.to_dot(large, wrap=60)  # another width: another work, not taken
    assert "<ahead " not in wider


def test_no_work_ahead_for_options_the_export_refuses_or_an_evaluated_diagram() -> None:
    assert dot.labels_ahead({"rankdir": "XX"}) is None
    assert dot.labels_ahead({"nonsense": 1}) is None
    assert dot.labels_ahead({"evaluate": True}) is None
    good = dot.labels_ahead({"wrap": 30})
    assert good is not None and good.key == ("dot: labels", 30)


@pytest.mark.parametrize("format_", ["json", "dot"])
def test_the_command_writes_what_the_library_writes(large: ArgumentMap, tmp_path: Path, format_: str) -> None:
    """The command reads a long map in two processes, working ahead on its statements meanwhile."""
    source = tmp_path / "large.arg"
    source.write_text(_large_text(), encoding="utf-8")
    output = tmp_path / f"large.{format_}"
    done = subprocess.run(
        [sys.executable, "-m", "argmap", "render", str(source), "-f", format_, "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    m = argmap.parse(source.read_text(encoding="utf-8"), str(source))
    expected: Any = argmap_json.dumps(m) if format_ == "json" else dot.to_dot(m)
    assert output.read_text(encoding="utf-8") == expected


def test_dot_s_second_process_takes_the_labels_written_ahead_too(large: ArgumentMap, monkeypatch: Any) -> None:
    """Too few labels ahead to write the rest here: a second process writes them, taking those written ahead."""
    expected = dot.to_dot(large)
    monkeypatch.setattr(dot, "LABELS_LEFT_FOR_A_CHILD", 0)
    first = next(iter(large.statements.values()))
    ahead = dot.labels_ahead({})
    assert ahead is not None
    marked = parallel.Ahead(ahead.key, lambda e: f"<ahead {e.title}>")
    marked.add(first)
    with parallel.working_ahead(marked), parallel.second_process_allowed():
        source = dot.to_dot(large)
    if not parallel.fork_is_safe():  # one core: no second process, every label written here
        assert source == expected
        return
    own = dot._element_label(ElementKind.STATEMENT, first, dot.DotOptions().wrap)
    assert f"[label=<ahead {first.title}>" in source
    assert source.replace(f"<ahead {first.title}>", own) == expected
