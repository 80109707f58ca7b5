"""The ``argmap`` command: render a map, convert between formats, check files, evaluate a map, format files, list
the formats.

:func:`main` returns the exit status instead of exiting, so tests and other
programs can run the command in-process. Each command imports only what it
needs (lark, yaml and graphviz are not loaded by ``--help`` or by a JSON
export), which keeps the command quick to start: the parser is built from
:mod:`.parser` and :mod:`.options`, and :func:`main` then imports the module of
the command being run and no other (:mod:`.render`, :mod:`.check`,
:mod:`.evaluate`, :mod:`.fmt`, :mod:`.formats`, :mod:`.convert`).

Exit statuses: 0 success, 1 an error in the input, the output or an exporter
(for several files: in any of them), 2 a usage mistake (including an unknown
format), 130 interrupted, 141 the reader of stdout went away, 143 a render
stopped by SIGTERM.
"""

from __future__ import annotations

import sys
import warnings
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import ArgmapError
from .options import DEFAULT_DEPTH as DEFAULT_DEPTH
from .options import EVALUATION_SEMANTICS as EVALUATION_SEMANTICS
from .parser import _HelpFormatter as _HelpFormatter
from .parser import build_parser as build_parser

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..plugins import ExporterRegistry, ImporterRegistry
    from .bigmaps import PROGRESS_AFTER as PROGRESS_AFTER
    from .bigmaps import SLOW_LAYOUT as SLOW_LAYOUT
    from .render import DEFAULT_FORMAT as DEFAULT_FORMAT

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
#: 128 + SIGINT, what a shell reports for a program stopped with Ctrl-C
EXIT_INTERRUPTED = 130
#: 128 + SIGTERM, what a shell reports for a program stopped by ``kill`` or ``timeout``
EXIT_TERMINATED = 143
#: 128 + SIGPIPE, what a shell reports for a program whose pipe reader went away
EXIT_BROKEN_PIPE = 141

#: the file name that means stdin (an input) or stdout (an output)
STDIO = "-"


class CommandError(Exception):
    """An error already worded for the user, with the exit status it deserves."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


class _Terminated(KeyboardInterrupt):
    """SIGTERM arrived: everything an interruption cleans up (Graphviz, workers, unfinished outputs) is cleaned up.

    Raised by :mod:`.render` and defined here, so that :func:`main` tells it from Ctrl-C without importing that module.
    """


#: names that ``argmap.cli`` has always offered but that live in a command's module: imported when first asked
#: for, so that importing ``argmap.cli`` (or running another command) does not load that module
_LAZY = {"SLOW_LAYOUT": "bigmaps", "PROGRESS_AFTER": "bigmaps", "DEFAULT_FORMAT": "render"}


def __getattr__(name: str) -> Any:
    """Import a name of :data:`_LAZY` from its module when it is first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)


# -- entry points ---------------------------------------------------------


#: while :func:`run` runs the command, the last map it read: kept to the end, where the process goes without freeing
#: it object by object; None when a program calls :func:`main` (each map then goes when the command is done with it)
KEPT_TO_THE_END: ContextVar[list[object] | None] = ContextVar("argmap_kept_to_the_end", default=None)


def run() -> None:
    """The console script: run :func:`main` on ``sys.argv`` and end the process with its status.

    A command is a short-lived process whose objects (tokens, trees, the model) hold no cycles: the cycle
    collector only costs time here, so it is off. And the process ends at once (as mypy's ``hard_exit`` does)
    rather than through the interpreter's clean-up, which would free a big map object by object, and every
    module, only to exit (a tenth of a second for 50,000 statements). Nothing is lost: by then the command has
    written and closed its outputs, joined its worker processes and started no thread, and the standard
    streams are flushed here.
    """
    import gc

    gc.disable()
    KEPT_TO_THE_END.set([])
    _end(main())


def _end(status: int) -> NoReturn:
    """Flush stdout and stderr, then end the process with ``status``, as the interpreter's own exit would have."""
    import os

    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away before the last of the output
        status = EXIT_BROKEN_PIPE
    except (OSError, ValueError) as exc:  # a full disk, say: the output is not whole
        from .writing import _error

        _error(f"cannot write to stdout: {getattr(exc, 'strerror', None) or exc}")
        status = EXIT_ERROR
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(status)


def main(
    argv: Sequence[str] | None = None,
    *,
    registry: ExporterRegistry | None = None,
    importers: ImporterRegistry | None = None,
) -> int:
    """Run the ``argmap`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    ``registry`` replaces the installed exporters and ``importers`` the installed importers, for programs that
    embed the command.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage mistakes
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    args.importer_registry = importers
    from importlib import import_module

    from .writing import _report, _show_warning, _silence_stdout

    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            # the command's module alone: ``check`` never loads what ``render`` needs
            status: int = import_module(f"{__name__}.{args.command}").run(args, registry)
            return status
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        except _Terminated:
            return EXIT_TERMINATED
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except (ArgmapError, CommandError, UnicodeDecodeError, OSError) as exc:
            return _report(exc)
