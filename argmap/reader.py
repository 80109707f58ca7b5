"""Stage one: notation text to a Lark parse tree, with errors a writer understands.

The grammar (grammars/argdown.lark) is compiled once per process and cached on
disk, keyed to argmap's version and the grammar's hash, so start-up stays fast.
Stage two, parse tree to model, is :mod:`argmap.builder`.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .collector import collector_paused
from .errors import ArgmapSyntaxError, SourceFileError
from .model import SourceSpan
from .parallel import current_ahead

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

    from .model import Argument, ArgumentMap, Statement

__all__ = ["parse_tree", "read", "read_file"]

GRAMMAR_NAME = "argdown.lark"
SUFFIXES = (".arg", ".argdown")


def _grammar_path() -> Path:
    """The grammar inside the installed package, or in the source tree when run from a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammars" / GRAMMAR_NAME, here.parent / "grammars" / GRAMMAR_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"argmap's grammar {GRAMMAR_NAME} is missing from the installation")


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "argmap"


#: how many files of each kind :func:`prune_cache` leaves (the newest): other installations may still use them
CACHE_FILES_KEPT = 4


def prune_cache(pattern: str, kept: Path) -> None:
    """Remove the older files matching ``pattern`` from argmap's cache folder, after ``kept`` was written there.

    One file is written per argmap version, grammar, Lark and Python, and nothing else would ever delete them. A
    file removed while another process reads it is only a cache miss there.
    """
    try:
        found = [(path.stat().st_mtime_ns, path) for path in kept.parent.glob(pattern) if path != kept]
    except OSError:
        return
    found.sort(reverse=True)
    for _, path in found[CACHE_FILES_KEPT - 1 :]:
        try:
            path.unlink()
        except OSError:  # gone already, or not ours to remove
            pass


_COMMENT = re.compile(r"//[^\n]*|/\*[\s\S]*?\*/|<!--[\s\S]*?-->")


class ArgdownPostLexer:
    """Turns the indentation of relation lines into _INDENT/_DEDENT, as Argdown's lexer does.

    Lark's stock Indenter acts on every line; in Argdown only relation lines
    indent, and an empty line, a numbered PCS line or an inference line closes
    every open relation tree.
    """

    always_accept = ("RELATION_NL", "BLANK_RELATION")
    _CLOSES_TREES = frozenset(
        {
            "_EMPTYLINE",
            "STATEMENT_NUMBER_NL",
            "INFERENCE_LINE_NL",
            "INFERENCE_START_NL",
            "HEADING",
            "UNORDERED_ITEM_NL",
            "ORDERED_ITEM_NL",
        }
    )

    #: the token types process() does more with than pass on
    _ACTS_ON = _CLOSES_TREES | {"RELATION_NL", "BLANK_RELATION"}

    def __init__(self) -> None:
        # one parser serves every thread; what belongs to the current parse lives in thread-local state
        self._local = threading.local()

    def start(self, text: str, source_name: str, token_class: Callable[..., Any] | None = None) -> list[Token]:
        """Begin a parse of ``text``; returns the list that will receive its comments.

        ``token_class`` makes the tokens the post-lexer adds: Lark's ``Token`` (the default) or
        :class:`argmap.lalr.Tok`.
        """
        if token_class is None:
            from lark import Token

            token_class = Token
        self._local.text, self._local.source_name, self._local.comments = text, source_name, []
        self._local.token_class = token_class
        comments: list[Token] = self._local.comments
        return comments

    def collect_comment(self, token: Token) -> Token:
        """Lexer callback: remember each comment, which the grammar otherwise ignores."""
        self._local.comments.append(token)
        return token

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        new_token = self._local.token_class
        levels = [0]
        last: Token | None = None
        for token in stream:
            if token.type not in self._ACTS_ON:  # most tokens pass unchanged
                last = token
                yield token
                continue
            if token.type == "RELATION_NL":
                line_text = re.split(r"\r\n|\r|\n", token.value)[-1]
                symbol = line_text.strip()
                indent = len(line_text) - len(line_text.lstrip(" \t"))
                line = token.end_line or 1
                column = (token.end_column or 1) - len(symbol)
                if indent == 0:
                    raise self._error(
                        f"relation '{symbol}' at the start of a line",
                        line,
                        column,
                        "indent relation lines under the statement or argument they relate to",
                    )
                if indent > levels[-1]:
                    levels.append(indent)
                    yield new_token.new_borrow_pos("_INDENT", "", token)
                else:
                    while len(levels) > 1 and indent < levels[-1]:
                        levels.pop()
                        yield new_token.new_borrow_pos("_DEDENT", "", token)
                start = (token.end_pos or 0) - len(symbol)
                yield new_token("RELATION", symbol, start, line, column, line, token.end_column, token.end_pos)
                last = token
                continue
            if token.type == "BLANK_RELATION":
                symbol = token.value.rsplit("\n", 1)[-1].strip()
                raise self._error(
                    f"a paragraph cannot start with the relation '{symbol}'",
                    token.end_line or 1,
                    (token.end_column or 1) - len(symbol),
                    "remove the empty line above to attach it to the element before, "
                    "or start the paragraph with a statement or argument",
                )
            if token.type == "_EMPTYLINE" and ("/" in token.value or "<" in token.value):
                self._comments_inside(token)
            if token.type in self._CLOSES_TREES:
                while len(levels) > 1:
                    levels.pop()
                    yield new_token.new_borrow_pos("_DEDENT", "", token)
            last = token
            yield token
        while len(levels) > 1:
            levels.pop()
            if last is not None:
                yield new_token.new_borrow_pos("_DEDENT", "", last)
            else:
                yield new_token("_DEDENT", "")

    def _comments_inside(self, token: Token) -> None:
        """Comment-only lines after an empty line belong to the _EMPTYLINE token: take their comments out."""
        new_token = self._local.token_class
        start = token.start_pos or 0
        line = token.line or 1
        for found in _COMMENT.finditer(token.value):
            before = token.value[: found.start()]
            line_of = line + before.count("\n")
            column = found.start() - before.rfind("\n") if "\n" in before else (token.column or 1) + found.start()
            end_line = line_of + found.group().count("\n")
            tail = found.group().rsplit("\n", 1)[-1]
            end_column = len(tail) + 1 if "\n" in found.group() else column + len(found.group())
            self._local.comments.append(
                new_token("COMMENT", found.group(), start + found.start(), line_of, column, end_line, end_column)
            )

    def _error(self, message: str, line: int, column: int, hint: str | None = None) -> ArgmapSyntaxError:
        return syntax_error(self._local.text, self._local.source_name, message, line, column, hint)


def source_line(text: str, line: int) -> str:
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[line - 1] if 0 < line <= len(lines) else ""


def syntax_error(
    text: str, source_name: str, message: str, line: int, column: int, hint: str | None = None
) -> ArgmapSyntaxError:
    """An ArgmapSyntaxError at ``line``/``column`` of ``text``, with the line quoted."""
    return ArgmapSyntaxError(
        message, source_name=source_name, line=line, column=column, source_line=source_line(text, line), hint=hint
    )


@functools.lru_cache(maxsize=1)
def _parser() -> tuple[Lark, ArgdownPostLexer]:
    import hashlib
    import tempfile

    from lark import Lark

    from . import __version__

    grammar = _grammar_path().read_text(encoding="utf-8")
    postlexer = ArgdownPostLexer()
    options: dict[str, Any] = dict(
        parser="lalr",
        lexer="contextual",
        postlex=postlexer,
        lexer_callbacks={"COMMENT": postlexer.collect_comment},
        maybe_placeholders=False,
    )
    import lark

    key = hashlib.sha256(f"{__version__}\0{lark.__version__}\0{grammar}".encode()).hexdigest()[:16]
    cache_file = _cache_dir() / f"grammar-{key}.lark-cache"
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        if not cache_file.exists():
            # build into a temporary name first so a concurrent reader never sees half a cache
            fd, tmp = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
            os.close(fd)
            os.unlink(tmp)
            Lark(grammar, cache=tmp, **options)
            os.replace(tmp, cache_file)
            prune_cache("grammar-*.lark-cache", cache_file)
        return Lark(grammar, cache=str(cache_file), **options), postlexer
    except OSError:
        return Lark(grammar, **options), postlexer


def normalise_newlines(text: str) -> str:
    """Drop a BOM; CRLF and lone CR become LF, so lines count the same way everywhere."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_tree(text: str, source_name: str = "<string>") -> Tree[Token]:
    """Stage one alone: the Lark tree of ``text`` (raises ArgmapSyntaxError)."""
    text = normalise_newlines(text)
    _check_characters(text, source_name)
    return _parse(text, source_name)[0]


def _parse(text: str, source_name: str) -> tuple[Tree[Token], list[Token]]:
    """The tree and the comment tokens of ``text`` (newlines already normalised, characters checked)."""
    from lark.exceptions import LarkError, UnexpectedInput

    parser, postlexer = _parser()
    comments = postlexer.start(text, source_name)
    try:
        return parser.parse(text), comments
    except UnexpectedInput as exc:
        from .diagnostics import translate

        raise translate(exc, text, source_name) from None
    except LarkError as exc:  # pragma: no cover - a grammar bug, still never a Lark traceback
        raise syntax_error(text, source_name, f"cannot read this notation ({exc})", 1, 1) from None
    except RecursionError:
        raise syntax_error(text, source_name, "the document is nested too deeply", 1, 1) from None


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: the same characters as bytes: an ASCII text is checked by deleting them, in C, five times faster than the search
_FORBIDDEN_ASCII = bytes(code for code in range(0x20) if chr(code) not in "\t\n\r") + b"\x7f"


def _check_characters(text: str, source_name: str) -> None:
    if text.isascii() and len(text.encode("ascii").translate(None, _FORBIDDEN_ASCII)) == len(text):
        return
    match = _FORBIDDEN.search(text)
    if match is None:
        return
    before = text[: match.start()]
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    column = match.start() - max(before.rfind("\n"), before.rfind("\r")) if line > 1 else match.start() + 1
    raise syntax_error(
        text,
        source_name,
        f"control character U+{ord(match.group()):04X} is not allowed in notation",
        line,
        column,
        "remove it; only tabs and line breaks may appear",
    )


def read(
    text: str,
    source_name: str = "<string>",
    *,
    base: str | os.PathLike[str] | None = None,
    allow_include_outside: bool = False,
    processes: int = 1,
) -> ArgumentMap:
    """Notation to :class:`ArgumentMap` (both stages).

    ``@include(...)`` paths are relative to ``base`` (the including file's folder; the current folder when None),
    and may not leave that folder tree unless ``allow_include_outside``. With ``processes=2`` a long text (a
    megabyte or more) is parsed by a child process while this one builds the model, where that is safe (see
    :func:`argmap.lalr.two_processes_possible`).
    """
    with collector_paused():
        return _read(text, source_name, base, allow_include_outside, processes)


def _build(text: str, source_name: str, processes: int = 1) -> ArgumentMap:
    """Both stages at once on the fast path (:mod:`argmap.lalr`); through Lark's tree when that cannot go on."""
    from . import builder, lalr

    tables = lalr.tables()
    if tables is not None:
        postlexer = _fast_postlexer()
        comments: list[Any] = postlexer.start(text, source_name, lalr.Tok)
        two = processes > 1 and lalr.two_processes_possible(text)
        ahead = current_ahead() if two else None
        made: list[Statement | Argument] | None = None
        idle = None
        if ahead is not None:  # the export's work on each element made, while the child is waited for
            made = []
            idle = _working(ahead.add, made)
        callbacks = builder.callbacks(text, source_name, made)
        token_callbacks: dict[str, Callable[[Any], Any]] = {"COMMENT": postlexer.collect_comment}
        try:
            if two:
                done = lalr.run_in_two(
                    tables, text, callbacks, postlexer.process, token_callbacks, comments, builder.CHILD_WORK, idle
                )
                model, comments = done if done is not None else (None, comments)
            else:
                model = lalr.run(tables, text, callbacks, postlexer.process, token_callbacks)
        except ArgmapSyntaxError:
            model = None  # the reader's errors come from one path: Lark's parse first, then the builder
        if model is not None:
            return builder.with_comments(model, comments)
    tree, comments = _parse(text, source_name)
    return builder.build(tree, text, source_name, comments)


def _working(work: Callable[[Statement | Argument], None], made: list[Statement | Argument]) -> Callable[[], bool]:
    """The reading process's work while it waits for its child: ``work`` on the next few elements ``made``."""
    done = 0

    def idle() -> bool:
        nonlocal done
        end = min(done + 32, len(made))
        for element in made[done:end]:
            work(element)
        done = end
        return done < len(made)

    return idle


@functools.lru_cache(maxsize=1)
def _fast_postlexer() -> ArgdownPostLexer:
    return ArgdownPostLexer()


def _read(
    text: str, source_name: str, base: str | os.PathLike[str] | None, allow_include_outside: bool, processes: int
) -> ArgumentMap:
    text = normalise_newlines(text)
    _check_characters(text, source_name)  # before includes: a NUL in a path is reported, not raised by the OS
    if "@include(" not in text:  # no include: the include machinery is not even imported
        return _build(text, source_name, processes)
    from .include import expand

    folder = Path(base) if base is not None else None
    combined, lines = expand(text, source_name, folder, allow_outside=allow_include_outside)
    if lines is None:
        return _build(text, source_name, processes)
    try:
        _check_characters(combined, source_name)  # the included files' characters
        argument_map = _build(combined, source_name, processes)
    except ArgmapSyntaxError as error:
        raise lines.error(error) from None
    remapped: ArgumentMap = _with_spans(argument_map, lines.span)
    return remapped


def _with_spans(value: Any, convert: Callable[[SourceSpan], SourceSpan]) -> Any:
    """``value`` with every SourceSpan inside it (attrs classes, tuples, mappings) converted."""
    import attrs

    if isinstance(value, SourceSpan):
        return convert(value)
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            old = getattr(value, field.name)
            new = _with_spans(old, convert)
            if new is not old:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_with_spans(v, convert) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, Mapping) and value and any(attrs.has(type(v)) for v in value.values()):
        return {k: _with_spans(v, convert) for k, v in value.items()}
    return value


def read_source(path: str | os.PathLike[str]) -> str:
    """A notation file's text: UTF-8 (a BOM is allowed); problems become SourceFileError or ArgmapSyntaxError."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceFileError(name, "no such file") from None
    except IsADirectoryError:
        raise SourceFileError(name, "is a directory, not a file") from None
    except PermissionError:
        raise SourceFileError(name, "permission denied") from None
    except OSError as exc:
        raise SourceFileError(name, exc.strerror or str(exc)) from None
    return decode_source(data, name)


def decode_source(data: bytes, source_name: str) -> str:
    """Bytes of notation as text: UTF-8 (a BOM is allowed); anything else is an error placed at the bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lines = re.split(rb"\r\n|\r|\n", data[: exc.start])
        line_bytes = re.split(rb"\r\n|\r|\n", data[exc.start :], maxsplit=1)[0]
        raise ArgmapSyntaxError(
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x})",
            source_name=source_name,
            line=len(lines),
            column=len(lines[-1].decode("utf-8", "replace")) + 1,
            source_line=(lines[-1] + line_bytes).decode("utf-8", "replace"),
            hint="save the file as UTF-8",
        ) from None


def read_file(path: str | os.PathLike[str], *, allow_include_outside: bool = False, processes: int = 1) -> ArgumentMap:
    """Read a notation file; includes are relative to its folder."""
    text = read_source(path)
    return read(
        text,
        os.fspath(path),
        base=Path(path).parent,
        allow_include_outside=allow_include_outside,
        processes=processes,
    )
