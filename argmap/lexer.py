r"""A Pygments lexer for Argdown notation, so that ``pygmentize``, Sphinx and MkDocs highlight maps.

argmap registers :class:`ArgdownLexer` through Pygments' own plugin entry point
(``pygments.lexers`` in argmap's ``pyproject.toml``): once argmap is installed with
Pygments (``pip install 'argmap[highlight]'``), the names ``argdown`` and ``argmap``,
the file names ``*.arg`` and ``*.argdown`` and the MIME type ``text/x-argdown`` find it::

    pygmentize -l argdown -f html -O full -o map.html map.arg

argmap itself never imports this module; Pygments does.

The colours follow what argmap's reader accepts (grammars/argdown.lark): front matter
(YAML, coloured by Pygments' YAML lexer), headings, statement and argument titles
(``[T]:`` and ``<A>:`` definitions, ``[T]`` and ``<A>`` references where an element
begins), relation symbols at the start of a line (support in the colour of an
insertion; attack, undercut and contradiction in the colour of a deletion),
premise-conclusion structures (``(1)``, ``----``, ``-- rule --`` with its data), list
markers, tags, data blocks (YAML), comments, bold and italic, links, mentions,
backslash escapes and ``@include(...)`` lines.

The lexer colours; ``argmap check`` judges. It never emits an ``Error`` token, even for
text argmap rejects (an unclosed ``{`` is text, a YAML slip inside a data block is
text, an unclosed ``/*`` comments out the rest), the tokens always add up to exactly
the input, and it takes time in proportion to the input: a construct that is not
closed is looked for once, not again at every later opening.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from pygments.lexer import ExtendedRegexLexer, Lexer, bygroups, default, include
from pygments.lexers.data import YamlLexer
from pygments.token import (
    Comment,
    Error,
    Generic,
    Keyword,
    Name,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

__all__ = ["ArgdownLexer"]

#: what a rule gives: (position, token type, text) triples
_Tokens = Iterator[tuple[int, _TokenType, str]]

#: the token types, named for what they mark (one place to change a colour)
STATEMENT = Name.Class
ARGUMENT = Name.Function
SUPPORT = Generic.Inserted
ATTACK = Generic.Deleted
TAG = Name.Tag
STEP = Keyword.Constant
INFERENCE = Keyword
RULE = Name.Attribute
LIST_MARKER = Keyword
FRONT_MATTER = Keyword
MENTION = Name.Decorator
INCLUDE = Comment.Preproc

# The terminals of grammars/argdown.lark, as regular expressions.
_LINK = r"(\[)([^\]\n]{1,500})(\]\()([^)\n]{1,2000})(\))"
_SHORT_TAG = r"#[^\s\x00-\x2c./:-@\[\]{-\x7f]+"
_LONG_TAG = re.compile(r"#\([^)\n]+\)")
#: a YAML flow mapping, closed as Argdown's lexer closes it, so nested braces work (it may span lines)
_DATA = re.compile(r"\{(?:(?!\}\s[^,}])[\s\S])*\}(?!\s*[,}])")
#: where a data block must have closed: no block reaches past a "}" followed by a space and more text
_DATA_LIMIT = re.compile(r"\}\s[^,}]")
_STATEMENT_DEFINITION = r"(\[[^\n]+?\])(:)"
_STATEMENT_REFERENCE = r"\[[^\-\n][^\n]*?\]"
_ARGUMENT_DEFINITION = r"(<[^\n]+?>)(:)"
_ARGUMENT_REFERENCE = r"<[^\-!\n][^\n]*?>"
# bold as argmap/inline.py finds it: a delimiter opens before a non-space and closes after one, "_" never
# opens or closes inside a word; italic is in _inline (its text cannot hold its delimiter, so it scans no further)
_STRONG_STARS = re.compile(r"\*\*(?=[^\s*])[^\n{}]*?(?<=[^\s\\])\*\*")
_STRONG_UNDERSCORES = re.compile(r"(?<![\w\\])__(?=[^\s_])[^\n{}]*?(?<=[^\s\\])__(?!\w)")
_LINE_OR_BRACE = re.compile(r"[\n{}]")
#: the indentation at the start of a line
_INDENT = r"^([ \t]*)"
#: the rest of a line that holds nothing more (a carriage return of CRLF text counts as space)
_LINE_END = r"[ \t\r]*(?=\n|\Z)"


def _groups(*actions: Any) -> Any:
    """Pygments' ``bygroups`` (untyped in its stubs): one action per group of the match."""
    return bygroups(*actions)  # type: ignore[no-untyped-call]


def _yaml(lexer: Lexer, match: Any, context: Any = None) -> _Tokens:
    """The match coloured by Pygments' YAML lexer; what that lexer cannot read is plain text."""
    offset = match.start()
    tokens: _Tokens = YamlLexer().get_tokens_unprocessed(match.group())  # type: ignore[no-untyped-call]
    for index, token, value in tokens:
        yield offset + index, (Text if token[: len(Error)] == Error else token), value  # Error and its kinds
    if context is not None:
        context.pos = match.end()


def _nothing(lexer: Lexer, match: Any, context: Any) -> _Tokens:
    """No token: the rule only changes the state (its match is empty)."""
    return iter(())


def _once(
    pattern: re.Pattern[str],
    emit: Callable[[Lexer, Any], _Tokens],
    text: _TokenType,
    impossible_before: Callable[[str, int], int],
) -> Callable[[Lexer, Any, Any], _Tokens]:
    """A rule that tries ``pattern`` where its opening matched, remembering where it cannot match.

    When ``pattern`` fails at a position, ``impossible_before(text, position)`` says up to where it fails
    at every later position too; openings before that are text at once instead of being scanned again
    (an unclosed ``{`` before a thousand others would otherwise make lexing quadratic). That holds because
    the rule's own expression, the opening, asks everything ``pattern`` asks of its start: once it has
    matched, ``pattern`` can only fail for want of a closing, which a later opening wants too.
    """

    def rule(lexer: Lexer, opening: Any, context: Any) -> _Tokens:
        start = opening.start()
        memo: dict[re.Pattern[str], int] = context.__dict__.setdefault("argmap_impossible", {})
        if start >= memo.get(pattern, 0):
            found = pattern.match(context.text, start, context.end)
            if found is not None:
                yield from emit(lexer, found)
                context.pos = found.end()
                return
            memo[pattern] = impossible_before(context.text, start)
        yield start, text, opening.group()
        context.pos = opening.end()

    return rule


def _whole(token: _TokenType) -> Callable[[Lexer, Any], _Tokens]:
    def emit(lexer: Lexer, match: Any) -> _Tokens:
        yield match.start(), token, match.group()

    return emit


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _data_limit(text: str, start: int) -> int:
    limit = _DATA_LIMIT.search(text, start)
    return len(text) if limit is None else limit.start()


def _line_or_brace(text: str, start: int) -> int:
    found = _LINE_OR_BRACE.search(text, start + 2)
    return len(text) if found is None else found.start()


def _line_starts(enter: tuple[str, ...]) -> list[Any]:
    """What a line can start with, in a block or at its start; ``enter``: the states entered before its element."""
    element = (*enter, "element")
    stay: tuple[()] | tuple[tuple[str, ...]] = (enter,) if enter else ()
    return [
        (
            _INDENT + r"(@include)(\()([^)\n]+)(\))(" + _LINE_END + ")",
            _groups(Whitespace, INCLUDE, Punctuation, String, Punctuation, Whitespace),
            *stay,
        ),
        (_INDENT + r"(-{4,})(" + _LINE_END + ")", _groups(Whitespace, INFERENCE, Whitespace), *stay),
        (_INDENT + r"(--)", _groups(Whitespace, INFERENCE), (*enter, "inference")),
        (_INDENT + r"(\+>|<\+|\+)", _groups(Whitespace, SUPPORT), element),
        (_INDENT + r"(->|<-|-|_>|<_|_(?=[ \t])|><)", _groups(Whitespace, ATTACK), element),
        (_INDENT + r"(\(\d+\))", _groups(Whitespace, STEP), element),
        (r"^(?:\*|\d+\.)(?=[ \t])", LIST_MARKER, element),
    ]


def _inline(text: _TokenType) -> list[Any]:
    """Everything inside a line of text; ``text`` is the token type of plain text (a heading's differs)."""
    return [
        include("comments"),
        (r"\\[^\n]", String.Escape),
        (_LINK, _groups(Punctuation, Name.Label, Punctuation, String.Other, Punctuation)),
        (r"(@)(\[[^\]\n]{1,500}\])", _groups(MENTION, STATEMENT)),
        (r"(@)(<[^>\n]{1,500}>)", _groups(MENTION, ARGUMENT)),
        (r"#\((?=[^)\n])", _once(_LONG_TAG, _whole(TAG), text, _line_end)),
        (_SHORT_TAG, TAG),
        (r"\{", _once(_DATA, _yaml, text, _data_limit)),
        (r"\*\*(?=[^\s*])", _once(_STRONG_STARS, _whole(Generic.Strong), text, _line_or_brace)),
        (r"(?<![\w\\])__(?=[^\s_])", _once(_STRONG_UNDERSCORES, _whole(Generic.Strong), text, _line_or_brace)),
        (r"\*(?=[^\s*])[^*\n{}]*?(?<=[^\s*\\])\*", Generic.Emph),
        (r"(?<![\w\\])_(?=[^\s_])[^_\n{}]*?(?<=[^\s_\\])_(?!\w)", Generic.Emph),
        (r"[ \t]+", Whitespace),
        # words and the spaces between them; "_" inside a word (snake_case) is text
        (r"(?:[^\s#{}\[<\/\\@*_]|(?<=\w)_(?=\w))+(?:[ \t]+(?:[^\s#{}\[<\/\\@*_]|(?<=\w)_(?=\w))+)*", text),
        (r"[^\n]", text),
    ]


class ArgdownLexer(ExtendedRegexLexer):
    """Argdown notation, as argmap reads it: ``*.arg`` and ``*.argdown`` files."""

    name = "Argdown"
    aliases: ClassVar[list[str]] = ["argdown", "argmap"]
    filenames: ClassVar[list[str]] = ["*.arg", "*.argdown"]
    mimetypes: ClassVar[list[str]] = ["text/x-argdown"]
    url = "https://argdown.org"

    tokens: ClassVar[dict[str, list[Any]]] = {
        # at the start of the text and of every block (after an empty line)
        "root": [
            (
                r"\A(\ufeff?(?:[ \t\r]*\n)*)(===+)([ \t\r]*\n)([\s\S]*?)(?<=\n)(===+)",
                _groups(Whitespace, FRONT_MATTER, Whitespace, _yaml, FRONT_MATTER),
            ),
            (r"\A\ufeff", Whitespace),  # a byte order mark, which argmap's reader skips too
            (r"[ \t\r]*\n", Whitespace),
            include("comments"),
            *_line_starts(("block",)),
            (r"^(#)([ \t])", _groups(Generic.Heading, Whitespace), ("block", "heading")),
            (r"^(#{2,})([ \t])", _groups(Generic.Subheading, Whitespace), ("block", "subheading")),
            default(("block", "element")),
        ],
        # a block: a statement or argument with its relation tree, a PCS, a list, a heading's data
        "block": [
            (r"[ \t\r]*\n(?=[ \t\r]*(?:\n|\Z))", Whitespace, "#pop"),
            *_line_starts(()),
            (r"[ \t\r]*\n", Whitespace),
            *_inline(Text),
        ],
        # where a statement or argument begins: a definition or a reference, else untitled text
        "element": [
            (r"[ \t]+", Whitespace),
            include("comments"),
            (r"(?=" + _LINK + ")", _nothing, "#pop"),
            (_STATEMENT_DEFINITION, _groups(STATEMENT, Punctuation), "#pop"),
            (_STATEMENT_REFERENCE, STATEMENT, "#pop"),
            (_ARGUMENT_DEFINITION, _groups(ARGUMENT, Punctuation), "#pop"),
            (_ARGUMENT_REFERENCE, ARGUMENT, "#pop"),
            default("#pop"),
        ],
        "heading": [(r"(?=[ \t\r]*\n)", _nothing, "#pop"), *_inline(Generic.Heading)],
        "subheading": [(r"(?=[ \t\r]*\n)", _nothing, "#pop"), *_inline(Generic.Subheading)],
        # "-- rule, rule {data} --", over one line or several
        "inference": [
            (r"-{2,}", INFERENCE, "#pop"),
            # never closed: the block goes on at an empty line or a numbered step
            (r"(?=[ \t\r]*\n[ \t\r]*(?:\n|\Z|\(\d+\)))", _nothing, "#pop"),
            include("comments"),
            (r"\{", _once(_DATA, _yaml, Text, _data_limit)),
            (r",", Punctuation),
            (r"\s+", Whitespace),
            (r"(?:[^\s,{}\-/]|-(?!-)|/(?![/*]))+", RULE),
            (r"[\s\S]", Text),
        ],
        "comments": [
            (r"//[^\n]*", Comment.Single),
            (r"/\*", Comment.Multiline, "block-comment"),
            (r"<!--", Comment.Multiline, "html-comment"),
        ],
        # a comment that is never closed runs to the end of the text
        "block-comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "html-comment": [
            (r"[^-]+", Comment.Multiline),
            (r"-->", Comment.Multiline, "#pop"),
            (r"-", Comment.Multiline),
        ],
    }
