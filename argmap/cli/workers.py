"""``argmap render`` of several files: each in a worker process, fed one file at a time through its own pipe.

A file that fails is reported (naming it) and the others go on. The workers' messages come back through the pipes
and are shown whole, one at a time. An interruption stops the workers with SIGTERM: each kills its Graphviz process
and removes its unfinished output.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArgmapError
from . import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, STDIO, CommandError
from .bigmaps import PROGRESS_AFTER, _engine_options, _graphviz_kind, _is_terminal, _StatusLine
from .reading import _default_registry
from .render import _choose_format, _output_next_to, _render_file
from .writing import _error, _report, _show_warning, _shown_name

if TYPE_CHECKING:
    import argparse

    from ..plugins import ExporterRegistry


def _render_many(args: argparse.Namespace, own_registry: ExporterRegistry | None) -> int:
    """Render each file, in parallel worker processes; report each failure and go on; 1 if any failed."""
    files: list[str] = args.files
    if STDIO in files:
        raise CommandError("'-' (stdin) can only be read alone, not with other files", EXIT_USAGE)
    folder = None
    if args.output is not None:
        if args.output == STDIO or not os.path.isdir(args.output):
            raise CommandError(f"with several files, -o must name an existing folder, not {args.output}", EXIT_USAGE)
        folder = Path(args.output)
    registry = own_registry or _default_registry()
    name = _choose_format(args.format, None, registry)
    exporter = registry.get(name)
    _engine_options(args, name, _graphviz_kind(exporter))  # usage mistakes before any work
    jobs: list[tuple[str, str]] = []
    written_by: dict[str, str] = {}
    for source in files:
        output = _output_next_to(Path(source) if folder is None else folder / Path(source).name, exporter.suffix, name)
        key = os.path.normcase(os.path.abspath(output))
        if key in written_by:
            raise CommandError(f"{written_by[key]} and {source} would both be written to {output}", EXIT_USAGE)
        written_by[key] = source
        jobs.append((source, str(output)))
    workers = min(args.jobs or os.cpu_count() or 1, len(jobs))
    if workers == 1 or own_registry is not None or args.importer_registry is not None:  # made in code: stays here
        statuses = [_render_one_of_many(source, output, args, registry, show_progress=True) for source, output in jobs]
    else:
        statuses = _render_in_parallel(jobs, args, workers)
    failed = sum(status != EXIT_OK for status in statuses)
    if failed:
        _error(f"{failed} of {len(jobs)} files failed")
        return EXIT_ERROR
    return EXIT_OK


def _render_one_of_many(
    source: str, output: str, args: argparse.Namespace, registry: ExporterRegistry, *, show_progress: bool
) -> int:
    """:func:`_render_file`, its failure reported on stderr (naming the file) instead of raised."""
    try:
        return _render_file(source, output, args, registry, show_progress=show_progress)
    except (ArgmapError, CommandError, UnicodeDecodeError, OSError) as exc:
        return _report(exc, source)


def _render_in_parallel(jobs: list[tuple[str, str]], args: argparse.Namespace, workers: int) -> list[int]:
    """Run the jobs in ``workers`` processes, each fed one file at a time through its own pipe.

    The workers' messages come back through the same pipes and are shown here whole, one at a time.
    An interruption (Ctrl-C) stops the workers with SIGTERM: each kills its Graphviz process and
    removes its unfinished output before it exits.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    line = _StatusLine(sys.stderr) if _is_terminal(sys.stderr) else None
    pending = list(reversed(jobs))
    statuses: list[int] = []
    processes: list[Any] = []
    busy: dict[Any, str] = {}  # the pipe of each busy worker -> the file it renders
    started = time.monotonic()
    try:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(theirs, args), daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            _give_job(ours, pending, busy)
        while True:
            for pipe in [pipe for pipe in busy if pipe.closed]:  # a job that could not be sent
                _relay(_stopped(busy.pop(pipe)), line)
                statuses.append(EXIT_ERROR)
            if not busy:
                break
            ready: list[Any] = wait(list(busy), timeout=0.2)
            for pipe in ready:
                try:
                    kind, value = pipe.recv()
                except (EOFError, OSError):  # the worker died (killed from outside, out of memory...)
                    _relay(_stopped(busy.pop(pipe)), line)
                    statuses.append(EXIT_ERROR)
                    continue
                if kind == "message":
                    _relay(value, line)
                    continue
                statuses.append(value)
                del busy[pipe]
                _give_job(pipe, pending, busy)
            elapsed = time.monotonic() - started
            if line is not None and elapsed >= PROGRESS_AFTER:
                failed = sum(status != EXIT_OK for status in statuses)
                line.show(
                    f"argmap: {len(statuses)} of {len(jobs)} files done"
                    f"{f' ({failed} failed)' if failed else ''}, {workers} at a time: {elapsed:.0f} s (Ctrl-C stops)"
                )
        while pending:  # every worker is gone: what is left cannot be rendered
            _relay(_stopped(pending.pop()[0]), line)
            statuses.append(EXIT_ERROR)
    except BaseException:
        for process in processes:
            if process.is_alive():
                process.terminate()
        raise
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():  # a worker that did not stop: it must not outlive the command
                process.kill()
                process.join()
        if line is not None:
            line.clear()
    return statuses


def _give_job(pipe: Any, pending: list[tuple[str, str]], busy: dict[Any, str]) -> None:
    """Send the next job to the worker at ``pipe`` (or None, its signal to exit, when none is left).

    A worker that cannot be reached keeps its job, marked by its closed pipe, so the job is reported as failed.
    """
    job = pending.pop() if pending else None
    try:
        pipe.send(job)
    except OSError:
        pipe.close()
    if job is not None:
        busy[pipe] = job[0]


def _stopped(source: str) -> str:
    return f"argmap: error: {_shown_name(source)}: the process rendering it stopped unexpectedly\n"


def _relay(message: str, line: _StatusLine | None) -> None:
    """Write a worker's message to stderr (above the status line)."""
    if line is not None:
        line.clear()
    sys.stderr.write(message)
    sys.stderr.flush()


class _MessageWriter(io.TextIOBase):
    """A worker's stderr: each ``print`` goes whole to the parent, which shows it."""

    def __init__(self, pipe: Any) -> None:
        super().__init__()
        self.pipe = pipe
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        if self.pending.endswith("\n"):  # print() writes the text, then the line end
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending:
            text, self.pending = self.pending, ""
            with contextlib.suppress(OSError):  # the parent went away: nobody to tell
                self.pipe.send(("message", text))


def _worker(pipe: Any, args: argparse.Namespace) -> None:
    """A worker process: render the files the parent sends until it sends None.

    Ctrl-C is the parent's to handle (the worker ignores SIGINT); SIGTERM, the parent stopping it,
    raises KeyboardInterrupt wherever the worker is (an exporter error handler would take SystemExit
    for a failure), so a Graphviz process is killed and an unfinished output removed on the way out.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt_worker)
    sys.stderr = _MessageWriter(pipe)
    try:
        registry = _default_registry()
        while True:
            try:
                job = pipe.recv()
            except EOFError:
                return
            if job is None:
                return
            source, output = job
            pipe.send(("done", _worker_job(source, output, args, registry)))
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None


def _interrupt_worker(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _worker_job(source: str, output: str, args: argparse.Namespace, registry: ExporterRegistry) -> int:
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            return _render_one_of_many(source, output, args, registry, show_progress=False)
        except Exception as exc:  # a bug: reported against the file, and the other files go on
            _error(f"{_shown_name(source)}: unexpected {type(exc).__name__}: {exc}")
            return EXIT_ERROR
        finally:
            sys.stderr.flush()
