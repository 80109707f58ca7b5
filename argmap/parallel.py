"""A second core for the command's large jobs: a forked child works out some bytes while this process goes on.

Only where forking is safe (a platform with ``fork``, more than one core, no other thread that could hold a lock
the child would need), and only for what the caller can do itself: when the child fails, for whatever reason,
:meth:`Pending.result` is ``None`` and the caller does that part in this process, reaching the same result or
raising the same error as without a child.

Only the command asks for a child, in one of two ways: ``processes=2`` where a function takes it
(:func:`argmap.parse`, :func:`argmap.exporters.json.iter_encoded`), and :func:`second_process_allowed` around a
call through the exporter protocol, which has no such parameter (the DOT exporter reads :func:`may_fork`).

The command also sets, around reading a map and exporting it, the export's work on each element
(:class:`Ahead`, :func:`working_ahead`): a two-process read does it while it waits for its child, and the export
takes what was done (:func:`ahead_for`), the same bytes however much that was.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Argument, Statement

__all__ = [
    "Ahead",
    "Pending",
    "ahead_for",
    "current_ahead",
    "fork_is_safe",
    "may_fork",
    "second_process_allowed",
    "start",
    "working_ahead",
]

#: set by the command around its work (:func:`second_process_allowed`): a library call forks nothing unasked
_ALLOWED: contextvars.ContextVar[bool] = contextvars.ContextVar("argmap_second_process", default=False)


@contextlib.contextmanager
def second_process_allowed() -> Iterator[None]:
    """Within this block, exporters may hand part of a large map's work to a child (see :func:`may_fork`)."""
    token = _ALLOWED.set(True)
    try:
        yield
    finally:
        _ALLOWED.reset(token)


def may_fork() -> bool:
    """Whether the caller asked for a second process (:func:`second_process_allowed`) and forking is safe."""
    return _ALLOWED.get() and fork_is_safe()


def fork_is_safe() -> bool:
    """Whether a child process could help: ``fork``, a second core, and this process's only thread."""
    import threading

    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class Pending:
    """A child's work under way: :meth:`result` waits for it, :meth:`cancel` stops it."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid: int | None = pid
        self._fd = fd

    def result(self) -> bytearray | None:
        """The child's bytes, or None when it did not finish its work."""
        if self._pid is None:
            return None
        try:
            with os.fdopen(os.dup(self._fd), "rb", buffering=0) as stream:
                head = stream.read(8)
                size = int.from_bytes(head, "little") if len(head) == 8 else -1
                # read into one buffer of the announced size: no list of parts and joined copy of a large result
                data = bytearray(max(size, 0))
                view, done = memoryview(data), 0
                while 0 <= done < size:
                    count = stream.readinto(view[done:])
                    if not count:
                        break
                    done += count
        finally:
            self.cancel()
        return data if size >= 0 and done == size else None  # anything else: a child that stopped half-way

    def cancel(self) -> None:
        """Stop the child (if it still runs) and reap it; :meth:`result` is None afterwards."""
        if self._pid is None:
            return
        import signal

        pid, self._pid = self._pid, None
        os.close(self._fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def start(work: Callable[[], bytes]) -> Pending | None:
    """Run ``work`` in a forked child; None when no child can be started (then do the work here)."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the child (what it makes is checked by the parent's use of it)
        status = 1
        try:
            os.close(read_end)
            done = work()
            for part in (len(done).to_bytes(8, "little"), done):  # the length, then the bytes (not copied behind it)
                view = memoryview(part)
                while view:
                    view = view[os.write(write_end, view) :]
            status = 0
        finally:
            os._exit(status)  # no clean-up of the parent's state (atexit, buffers) in the child
    os.close(write_end)
    return Pending(pid, read_end)


class Ahead:
    """An export's work on each statement and argument, done while a long map is read and kept for the export.

    A two-process read (:func:`argmap.lalr.run_in_two`) waits for its reading child much of the time; the reader
    spends that time on the elements made so far (:meth:`add`). ``key`` names the work, so that an exporter takes
    only its own (:func:`ahead_for`). A result belongs to the very element it was made from: an element made again
    after a later change is another object, not found. Work that fails is not kept: the export does it again, and
    reports the failure where it would without this.
    """

    __slots__ = ("_done", "key", "work")

    def __init__(self, key: Hashable, work: Callable[[Statement | Argument], str | None]) -> None:
        self.key = key
        #: an element's result, or None where the export has nothing to do ahead for it
        self.work = work
        self._done: dict[int, tuple[Statement | Argument, str]] = {}

    def add(self, element: Statement | Argument) -> None:
        try:
            result = self.work(element)
        except Exception:  # left for the export, which raises it in its place
            return
        if result is not None:
            self._done[id(element)] = (element, result)

    def __len__(self) -> int:
        """How many elements' work is done (made again after a change, an element counts again)."""
        return len(self._done)

    def get(self, element: Statement | Argument) -> str | None:
        """The work's result for ``element``, or None when it was not done ahead."""
        found = self._done.get(id(element))
        return found[1] if found is not None and found[0] is element else None


#: set by the command around reading a map and exporting it (:func:`working_ahead`)
_AHEAD: contextvars.ContextVar[Ahead | None] = contextvars.ContextVar("argmap_work_ahead", default=None)


@contextlib.contextmanager
def working_ahead(ahead: Ahead | None) -> Iterator[None]:
    """Within this block, a two-process read does ``ahead``'s work while it waits, and the export finds it."""
    token = _AHEAD.set(ahead)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def ahead_for(key: Hashable) -> Ahead | None:
    """The work set by :func:`working_ahead` when it is the one ``key`` names, else None."""
    ahead = _AHEAD.get()
    return ahead if ahead is not None and ahead.key == key else None


def current_ahead() -> Ahead | None:
    """The work set by :func:`working_ahead`, whatever it is (for the reader, which does it)."""
    return _AHEAD.get()
