"""What the commands write: an output file whole or not at all (a temporary file, then a rename), bytes to stdout,
and errors and warnings on stderr in the command's words (``FILE:LINE:COLUMN: error: ...``, ``argmap: error: ...``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..errors import ArgmapError, ArgmapSyntaxError, SourceFileError, UnknownFormatError
from . import EXIT_ERROR, EXIT_USAGE, STDIO, CommandError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


def _report(exc: ArgmapError | CommandError | UnicodeDecodeError | OSError, source: str | None = None) -> int:
    """Print the error on stderr as the command words it; return the exit status it deserves.

    ``source``, when several files are rendered, names the input in messages that do not already.
    """
    where = f"{_shown_name(source)}: " if source is not None else ""
    if isinstance(exc, ArgmapSyntaxError):
        _error_report(exc.report())
    elif isinstance(exc, SourceFileError):
        _error_report(str(exc))
    elif isinstance(exc, UnknownFormatError):
        _error(f"{where}{exc}")
        return EXIT_USAGE
    elif isinstance(exc, CommandError):
        _error(f"{where}{exc}")
        return exc.status
    elif isinstance(exc, ArgmapError):
        _error(f"{where}{exc}")
    elif isinstance(exc, UnicodeDecodeError):  # a last line of defence; reading reports its own
        _error(f"{where}cannot decode text as {exc.encoding}: {exc.reason}")
    else:
        _error(f"{where}{_describe_os_error(exc)}")
    return EXIT_ERROR


def _shown_name(source: str) -> str:
    return "<stdin>" if source == STDIO else source


def _describe_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _error(message: str) -> None:
    print(f"argmap: error: {message}", file=sys.stderr)


def _error_report(report: str) -> None:
    print(report, file=sys.stderr)


def _warn(message: str) -> None:
    print(f"argmap: warning: {message}", file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Show a Python warning the way the command shows its own, without a source line."""
    _warn(str(message))


def _write_whole(path: Path, data: bytes | Iterable[bytes | bytearray]) -> None:
    """Write ``data`` (or its pieces, in order) to ``path`` whole or not at all: a temporary file, then a rename.

    The temporary file is in the same folder; if anything fails before the rename, including making
    the pieces, it is removed and ``path`` is as it was. An output that is not a file (``/dev/null``, a named
    pipe) is written into, never replaced: renaming over ``/dev/null`` as root would replace the device.
    Nothing is forced to the disk (no fsync), as Graphviz and Argdown do not: an output can be made again, and
    syncing a large one took longer than writing it.
    """
    import stat
    import tempfile

    try:
        kind = path.stat().st_mode
    except OSError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        with open(path, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the output the user asked for, not the temporary file
        raise OSError(exc.errno, f"cannot write in {path.parent}: {exc.strerror}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The permissions an overwritten file keeps, or what a plain new file would get (mkstemp's are 0600)."""
    import stat

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_stdout(data: bytes) -> None:
    """Write bytes to stdout as they are (UTF-8 for text formats, whatever the locale)."""
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    stdout.flush()
    if buffer is None:  # stdout replaced by a text-only stream
        stdout.write(data.decode("utf-8", errors="replace"))
        stdout.flush()
        return
    buffer.write(data)
    buffer.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain about the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
