"""Stage one: notation text to a Lark parse tree, with errors a writer understands.

The grammar (grammars/argdown.lark) is compiled once per process and cached on
disk, keyed to argmap's version and the grammar's hash, so start-up stays fast.
Stage two, parse tree to model, is :mod:`argmap.builder`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArgmapSyntaxError, SourceFileError

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

    from .model import ArgumentMap

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


class ArgdownPostLexer:
    """Turns the indentation of relation lines into _INDENT/_DEDENT, as Argdown's lexer does.

    Lark's stock Indenter acts on every line; in Argdown only relation lines
    indent, and an empty line, a numbered PCS line or an inference line closes
    every open relation tree.
    """

    always_accept = ("RELATION_NL", "BLANK_RELATION")
    _CLOSES_TREES = frozenset(
        {"_EMPTYLINE", "STATEMENT_NUMBER_NL", "INFERENCE_LINE_NL", "INFERENCE_START_NL", "HEADING"}
    )

    def __init__(self) -> None:
        self.source_name = "<string>"
        self.text = ""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        from lark import Token

        levels = [0]
        last: Token | None = None
        for token in stream:
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
                    yield Token.new_borrow_pos("_INDENT", "", token)
                else:
                    while len(levels) > 1 and indent < levels[-1]:
                        levels.pop()
                        yield Token.new_borrow_pos("_DEDENT", "", token)
                start = (token.end_pos or 0) - len(symbol)
                yield Token("RELATION", symbol, start, line, column, line, token.end_column, token.end_pos)
                last = token
                continue
            if token.type == "BLANK_RELATION":
                symbol = token.value.strip()
                raise self._error(
                    f"a paragraph cannot start with the relation '{symbol}'",
                    token.end_line or 1,
                    (token.end_column or 1) - len(symbol),
                    "remove the empty line above to attach it to the element before, "
                    "or start the paragraph with a statement or argument",
                )
            if token.type in self._CLOSES_TREES:
                while len(levels) > 1:
                    levels.pop()
                    yield Token.new_borrow_pos("_DEDENT", "", token)
            last = token
            yield token
        while len(levels) > 1:
            levels.pop()
            if last is not None:
                yield Token.new_borrow_pos("_DEDENT", "", last)
            else:
                yield Token("_DEDENT", "")

    def _error(self, message: str, line: int, column: int, hint: str | None = None) -> ArgmapSyntaxError:
        return syntax_error(self.text, self.source_name, message, line, column, hint)


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
    from lark import Lark

    from . import __version__

    grammar = _grammar_path().read_text(encoding="utf-8")
    postlexer = ArgdownPostLexer()
    options: dict[str, Any] = dict(
        parser="lalr",
        lexer="contextual",
        postlex=postlexer,
        propagate_positions=True,
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
        return Lark(grammar, cache=str(cache_file), **options), postlexer
    except OSError:
        return Lark(grammar, **options), postlexer


# Words a writer understands, for the terminals a parse error can name.
_TOKEN_WORDS = {
    "STATEMENT_DEFINITION": "a statement definition",
    "STATEMENT_REFERENCE": "a statement reference",
    "ARGUMENT_DEFINITION": "an argument definition",
    "ARGUMENT_REFERENCE": "an argument reference",
    "STATEMENT_NUMBER": "a numbered premise",
    "STATEMENT_NUMBER_NL": "a numbered premise or conclusion",
    "INFERENCE_LINE_NL": "an inference line",
    "INFERENCE_START_NL": "an inference line",
    "INFERENCE_END": "the end of the inference line '--'",
    "HEADING": "a heading",
    "TAG": "a tag",
    "TEXT": "text",
    "DATA": "a data block",
    "FRONT_MATTER": "front matter",
    "RELATION": "a relation",
    "_NL": "a line break",
    "_EMPTYLINE": "an empty line",
    "_INDENT": "an indented relation",
    "_DEDENT": "the end of a relation tree",
    "RULE_TEXT": "an inference rule",
    "COMMA": "','",
    "$END": "the end of the file",
}


def _describe(token_type: str) -> str:
    return _TOKEN_WORDS.get(token_type, token_type.lower().replace("_", " "))


def _translate(exc: Exception, text: str, source_name: str) -> ArgmapSyntaxError:
    """Turn a Lark exception into an ArgmapSyntaxError with a message in the notation's words."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        position = exc.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        hint = None
        message = f"unexpected character {char!r}"
        rest = text[position:].split("\n", 1)[0]
        if char == "[":
            message = "unclosed '[': a statement title needs its closing ']'"
            hint = "write [Title] or [Title]: text on one line"
        elif char == "<":
            message = "unclosed '<': an argument title needs its closing '>'"
            hint = "write <Title> or <Title>: text on one line"
        elif char == "{":
            message = "unclosed '{': a data block needs its closing '}'"
            hint = "write data as {key: value, other: value}"
        elif char == "/" and rest.startswith("/*"):
            message = "unclosed comment: '/*' needs a closing '*/'"
        elif rest.startswith("==="):
            message = "unclosed front matter: '===' needs a closing '===' line"
        elif char == "#":
            message = "'#' starts a heading ('# Title', with a space) or a tag ('#tag' or '#(several words)')"
        elif char == "-":
            message = "unexpected '-': an inference line ends with '--', a relation starts a line"
        return syntax_error(text, source_name, message, line, column, hint)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        expected = set(exc.expected) | set(getattr(exc, "accepts", None) or ())
        line = token.line or 1
        column = token.column or 1
        kind = token.type
        if kind == "$END":
            line, column = _end_position(text)
        if kind in {"STATEMENT_DEFINITION", "ARGUMENT_DEFINITION", "STATEMENT_REFERENCE", "ARGUMENT_REFERENCE"}:
            if "TEXT" in expected or "_NL" in expected:
                what = _describe(kind)
                return syntax_error(
                    text,
                    source_name,
                    f"{what} cannot continue the text before it",
                    line,
                    column,
                    "start it in a new paragraph (leave an empty line before it) or, inside text, "
                    "escape the bracket: \\[ or \\<",
                )
        ends = kind in {"$END", "_EMPTYLINE", "_NL"}
        if "STATEMENT_NUMBER_NL" in expected and ends and "INFERENCE_LINE_NL" not in expected:
            return syntax_error(
                text,
                source_name,
                "an inference line must be followed by its conclusion",
                line,
                column,
                "add the conclusion as the next numbered line, e.g. (3) [Conclusion]: text",
            )
        if "INFERENCE_LINE_NL" in expected and kind in {"$END", "_EMPTYLINE", "HEADING"}:
            return syntax_error(
                text,
                source_name,
                "this premise-conclusion structure has no conclusion",
                line,
                column,
                "end it with an inference line (----) and a numbered conclusion",
            )
        if kind == "STATEMENT_NUMBER_NL" or kind == "STATEMENT_NUMBER":
            return syntax_error(
                text,
                source_name,
                "a numbered statement belongs to a premise-conclusion structure",
                line,
                column,
                "start the structure in its own paragraph with (1)",
            )
        if kind in {"INFERENCE_LINE_NL", "INFERENCE_START_NL"}:
            return syntax_error(
                text,
                source_name,
                "an inference line must come after numbered premises",
                line,
                column,
                "write the premises as (1) ..., (2) ... before the ---- line",
            )
        if kind == "RELATION":
            return syntax_error(
                text,
                source_name,
                f"the indentation of relation '{token.value}' matches none of the relations above it",
                line,
                column,
                "indent it exactly like the sibling it continues, or deeper than its parent",
            )
        if kind == "HEADING":
            return syntax_error(
                text, source_name, "a heading must be a paragraph of its own", line, column,
                "leave an empty line before the heading",
            )
        if kind == "DATA":
            return syntax_error(
                text, source_name, "a data block belongs right after a statement, argument or heading", line, column,
            )
        if kind == "TEXT" and token.value.lstrip().startswith("("):
            return syntax_error(text, source_name, "unexpected text", line, column)
        found = _describe(kind)
        wanted = sorted({_describe(e) for e in expected if not e.startswith("__")})
        message = f"unexpected {found.removeprefix('a ').removeprefix('an ')}"
        if token.value and kind not in {"$END", "_NL", "_EMPTYLINE", "_INDENT", "_DEDENT"}:
            message += f" {token.value.strip()!r}"
        hint = f"expected {', '.join(wanted[:6])}" if wanted else None
        return syntax_error(text, source_name, message, line, column, hint)
    if isinstance(exc, UnexpectedEOF):
        line, column = _end_position(text)
        return syntax_error(text, source_name, "unexpected end of file", line, column)
    raise exc


def _end_position(text: str) -> tuple[int, int]:
    lines = re.split(r"\r\n|\r|\n", text)
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return len(lines), len(lines[-1]) + 1


def normalise_newlines(text: str) -> str:
    """Drop a BOM; CRLF and lone CR become LF, so lines count the same way everywhere."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_tree(text: str, source_name: str = "<string>") -> Tree[Token]:
    """Stage one alone: the Lark tree of ``text`` (raises ArgmapSyntaxError)."""
    from lark.exceptions import LarkError, UnexpectedInput

    text = normalise_newlines(text)
    _check_characters(text, source_name)
    parser, postlexer = _parser()
    postlexer.source_name, postlexer.text = source_name, text
    try:
        return parser.parse(text)
    except UnexpectedInput as exc:
        raise _translate(exc, text, source_name) from None
    except LarkError as exc:  # pragma: no cover - a grammar bug, still never a Lark traceback
        raise syntax_error(text, source_name, f"cannot read this notation ({exc})", 1, 1) from None
    except RecursionError:
        raise syntax_error(text, source_name, "the document is nested too deeply", 1, 1) from None


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_characters(text: str, source_name: str) -> None:
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


def read(text: str, source_name: str = "<string>") -> ArgumentMap:
    """Notation to :class:`ArgumentMap` (both stages)."""
    from .builder import build

    text = normalise_newlines(text)
    tree = parse_tree(text, source_name)
    return build(tree, text, source_name)


def read_file(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read a file as UTF-8 (a BOM is allowed); problems become SourceFileError or ArgmapSyntaxError."""
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise ArgmapSyntaxError(
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x})",
            source_name=name,
            line=line,
            column=column,
            source_line=data.split(b"\n")[line - 1].decode("utf-8", "replace"),
            hint="save the file as UTF-8",
        ) from None
    return read(text, name)
