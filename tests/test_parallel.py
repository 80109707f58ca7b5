"""The second process the command takes for large jobs: its bytes or nothing, never half; the JSON it helps
write is the JSON one process writes, errors included."""

from __future__ import annotations

import os
import signal
from typing import Any

import attrs
import pytest
from exporter_maps import full_map

import argmap
from argmap import parallel
from argmap.errors import ExporterError
from argmap.exporters import json as argmap_json
from argmap.model import ArgumentMap, ElementKind, Node, Relation, RelationKind, Statement


def _not_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_s_bytes_come_back_whole() -> None:
    assert parallel.fork_is_safe() == ((os.cpu_count() or 1) > 1)
    big = bytes(range(256)) * 40_000  # far more than a pipe holds
    pending = parallel.start(lambda: big)
    assert pending is not None
    assert pending.result() == big
    assert pending.result() is None  # given once; the child is reaped


def test_a_child_that_fails_or_dies_gives_nothing() -> None:
    def fails() -> bytes:
        raise ValueError("no")

    pending = parallel.start(fails)
    assert pending is not None and pending.result() is None

    def dies_half_way() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b"never"

    pending = parallel.start(dies_half_way)
    assert pending is not None and pending.result() is None


def test_a_cancelled_child_is_stopped_and_reaped() -> None:
    def forever() -> bytes:
        signal.pause()
        return b""

    pending = parallel.start(forever)
    assert pending is not None
    pid = pending._pid
    assert pid is not None
    pending.cancel()
    assert _not_running(pid)
    assert pending.result() is None


def _large_map() -> ArgumentMap:
    from benchmarks.generate import generate

    return argmap.parse(generate(9_000, seed=5), "large.arg")


def _counting_starts(monkeypatch: Any) -> list[Any]:
    """parallel.start, counted: the tests below check that a child really wrote its part."""
    started: list[Any] = []
    start = parallel.start

    def counted(work: Any) -> Any:
        started.append(work)
        return start(work)

    monkeypatch.setattr(parallel, "start", counted)
    return started


def test_json_written_with_a_second_process_is_the_same_bytes(monkeypatch: Any) -> None:
    m = _large_map()
    assert len(m.statements) + len(m.arguments) + len(m.relations) >= argmap_json.SECOND_PROCESS_FROM
    expected = argmap_json.dumps(m).encode("utf-8")
    started = _counting_starts(monkeypatch)
    assert b"".join(argmap_json.iter_encoded(m, processes=2)) == expected
    assert len(started) == (1 if parallel.fork_is_safe() else 0)
    assert b"".join(argmap_json.iter_encoded(m, processes=1)) == expected
    assert len(started) == (1 if parallel.fork_is_safe() else 0)  # one process asked for: no child
    small = full_map()
    assert b"".join(argmap_json.iter_encoded(small, processes=2)) == argmap_json.dumps(small).encode("utf-8")


def test_when_the_child_fails_this_process_writes_and_raises_the_same_error(monkeypatch: Any) -> None:
    """An argument whose data JSON cannot hold: the child's writing fails, the parent's raises the error."""
    m = _large_map()
    title = next(iter(m.arguments))
    broken = m.arguments[title]
    import attrs

    arguments = dict(m.arguments)
    arguments[title] = attrs.evolve(broken, data={"odd": object()})
    m = attrs.evolve(m, arguments=arguments)
    with pytest.raises(ExporterError, match="cannot write a value of type object") as one:
        b"".join(argmap_json.iter_encoded(m, processes=1))
    started = _counting_starts(monkeypatch)
    with pytest.raises(ExporterError) as two:
        b"".join(argmap_json.iter_encoded(m, processes=2))
    assert str(two.value) == str(one.value)
    assert len(started) == (1 if parallel.fork_is_safe() else 0)  # the child was asked, and failed
    # and a statement's: raised before the child's part is needed; the child is stopped
    statements = dict(m.statements)
    first = next(iter(statements))
    statements[first] = attrs.evolve(statements[first], data={"odd": object()})
    assert isinstance(statements[first], Statement)
    with pytest.raises(ExporterError, match="in statement"):
        b"".join(argmap_json.iter_encoded(attrs.evolve(m, statements=statements), processes=2))


def test_a_library_call_forks_only_inside_the_command_s_block() -> None:
    assert not parallel.may_fork()
    with parallel.second_process_allowed():
        assert parallel.may_fork() == parallel.fork_is_safe()
    assert not parallel.may_fork()


def test_dot_labels_written_by_a_second_process_are_the_same_source(monkeypatch: Any) -> None:
    from argmap.exporters import dot

    m = _large_map()
    assert len(m.statements) + len(m.arguments) >= dot.LABELS_IN_A_CHILD_FROM
    expected = dot.to_dot(m)
    started = _counting_starts(monkeypatch)
    with parallel.second_process_allowed():
        assert dot.to_dot(m) == expected
        assert len(started) == (1 if parallel.fork_is_safe() else 0)

        def broken(*args: Any) -> Any:  # the child's labels only: the parent's map graph has its own
            raise RuntimeError("the child fails")

        monkeypatch.setattr(dot, "element_node", broken)
        assert dot.to_dot(m) == expected  # the parent wrote every label itself


def test_dot_labels_from_a_second_process_leave_the_unusual_boxes_as_the_parent_writes_them() -> None:
    # the second process's labels are written inline for the usual box; a coloured one, one the map does not
    # define and text that needs escaping go the long way, as without the second process
    from argmap.exporters import dot
    from benchmarks.generate import generate

    odd = (
        '\n\n# Odd ones\n\n[Coloured]: Red & "quoted" ] and 1 < 2. {color: "#C62828"}\n  - <Dark>\n\n'
        '<Dark>: Black \\ white. {color: "#000000"}\n\n[Spaced  out]:   Tabs\tand  spaces.\n'
    )
    m = argmap.parse(generate(9_000, seed=5) + odd, "large.arg")
    ghost = Relation(Node(ElementKind.STATEMENT, "Coloured"), Node(ElementKind.ARGUMENT, "Ghost"), RelationKind.ATTACK)
    m = attrs.evolve(m, relations=(*m.relations, ghost))
    assert len(m.statements) + len(m.arguments) >= dot.LABELS_IN_A_CHILD_FROM
    expected = dot.to_dot(m)
    for box in ('color="#C62828"', 'fillcolor="#000000"', "&amp; &quot;quoted&quot; &#93; and 1 &lt; 2", "Ghost"):
        assert box in expected
    with parallel.second_process_allowed():
        assert dot.to_dot(m) == expected
