"""Lark's parse errors, retold in the notation's own words with a position and a hint."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import ArgmapSyntaxError
from .reader import source_line, syntax_error

if TYPE_CHECKING:
    from lark.exceptions import UnexpectedToken

__all__ = ["translate"]

_WORDS = {
    "STATEMENT_DEFINITION": "statement definition",
    "STATEMENT_REFERENCE": "statement reference",
    "ARGUMENT_DEFINITION": "argument definition",
    "ARGUMENT_REFERENCE": "argument reference",
    "STATEMENT_NUMBER": "numbered statement",
    "STATEMENT_NUMBER_NL": "numbered statement",
    "INFERENCE_LINE_NL": "inference line",
    "INFERENCE_START_NL": "inference line",
    "INFERENCE_END": "end of an inference line '--'",
    "HEADING": "heading",
    "TAG": "tag",
    "TEXT": "text",
    "DATA": "data block",
    "FRONT_MATTER": "front matter",
    "RELATION": "relation",
    "_NL": "line break",
    "_EMPTYLINE": "empty line",
    "_INDENT": "indented relation",
    "_DEDENT": "end of a relation tree",
    "RULE_TEXT": "inference rule",
    "COMMA": "','",
    "$END": "end of file",
}
_TITLES = {"STATEMENT_DEFINITION", "ARGUMENT_DEFINITION", "STATEMENT_REFERENCE", "ARGUMENT_REFERENCE"}
#: terminals the contextual lexer falls back to when nothing fits; they say nothing useful
_FALLBACK = {"RULE_TEXT", "INFERENCE_END", "COMMA", "TEXT"}
#: terminals that only the post-lexer sees: never name them to a writer
_INTERNAL = {"BLANK_RELATION", "RELATION_NL"}
_RELATION_SYMBOLS = "+, -, _, <+, <-, <_, +>, ->, _> or ><"


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _word(kind: str) -> str:
    return _WORDS.get(kind, kind.lower().replace("_", " "))


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return len(lines), len(lines[-1]) + 1


def _inference_start(text: str, line: int) -> int:
    """The nearest line at or above ``line`` that starts an inference ('--')."""
    for number in range(line, 0, -1):
        if source_line(text, number).lstrip().startswith("--"):
            return number
    return line


def _at_character(text: str, source_name: str, position: int, line: int, column: int) -> ArgmapSyntaxError:
    """An error where no token fits: name what the characters there seem to start."""
    rest = text[position:].split("\n", 1)[0]
    char = rest[:1]
    hint = None
    message = f"unexpected character {char!r}" if char else "unexpected end of line"
    if rest.startswith("[]") or rest.startswith("<>"):
        message = "a title cannot be empty"
        hint = "write a title between the brackets, e.g. [Title]: text"
    elif char == "[":
        message = "unclosed '[': a statement title needs its closing ']'"
        hint = "write [Title] or [Title]: text on one line"
    elif char == "<":
        message = "unclosed '<': an argument title needs its closing '>'"
        hint = "write <Title> or <Title>: text on one line"
    elif char == "{":
        message = "unclosed '{': a data block needs its closing '}'"
        hint = "write data as {key: value, other: value}"
    elif rest.startswith("/*"):
        message = "unclosed comment: '/*' needs a closing '*/'"
    elif rest.startswith("<!--"):
        message = "unclosed comment: '<!--' needs a closing '-->'"
    elif rest.startswith("--"):
        message = "an inference line must come after the numbered premises it concludes from"
        hint = "write the premises as (1) ..., (2) ... directly above the ---- line"
    elif char == "#":
        message = "'#' starts a heading ('# Title', with a space) or a tag ('#tag' or '#(several words)')"
    elif re.match(r"\(\d+\)", rest):
        message = "a numbered statement belongs to a premise-conclusion structure"
        hint = "start the structure in its own paragraph with (1)"
    return syntax_error(text, source_name, message, line, column, hint)


def _continuation(
    text: str, source_name: str, token: UnexpectedToken | object, kind: str, line: int, column: int
) -> ArgmapSyntaxError | None:
    """A title where only more text may follow: explain what the author probably meant."""
    current = source_line(text, line)
    prefix = current[: column - 1]
    nested = re.fullmatch(r"([ \t]+)(\*|\d+\.)[ \t]+", prefix)
    if nested:
        return syntax_error(
            text,
            source_name,
            "a list item cannot be indented: lists do not nest",
            line,
            len(nested.group(1)) + 1,
            "start the item at the left margin, or make it a relation (+, -, ...) of the item above",
        )
    symbol = re.fullmatch(r"([ \t]+)([^\w\s]{1,2})[ \t]+", prefix)
    if symbol:
        return syntax_error(
            text,
            source_name,
            f"'{symbol.group(2)}' is not a relation symbol",
            line,
            len(symbol.group(1)) + 1,
            f"relations start with {_RELATION_SYMBOLS}",
        )
    if re.fullmatch(r"[ \t]*\(\d+\)[ \t]*", prefix) is None and re.search(r"\(\d+\)[ \t]*$", prefix):
        number = prefix.rstrip().rsplit("(", 1)
        return syntax_error(
            text,
            source_name,
            "a numbered statement cannot be the child of a relation",
            line,
            len(number[0]) + 1,
            "numbered statements belong to a premise-conclusion structure, in a paragraph of their own",
        )
    if re.fullmatch(r"(\*|\d+\.)[ \t]+", prefix):
        return syntax_error(
            text,
            source_name,
            "a list keeps one kind of marker",
            line,
            1,
            "start a list of the other kind after an empty line",
        )
    previous = source_line(text, line - 1) if not prefix.strip() else ""
    if re.match(r"#+[ \t]", previous):
        return syntax_error(
            text,
            source_name,
            "a heading must be followed by an empty line",
            line,
            column,
            "leave an empty line after the heading",
        )
    return syntax_error(
        text,
        source_name,
        f"{_article(_word(kind))} cannot continue the text before it",
        line,
        column,
        "start it in a new paragraph (leave an empty line before it), or escape the bracket in text: \\[ or \\<",
    )


def _unexpected_token(exc: UnexpectedToken, text: str, source_name: str) -> ArgmapSyntaxError:
    token = exc.token
    expected = set(exc.expected) | set(getattr(exc, "accepts", None) or ())
    kind = token.type
    line, column = (token.line or 1, token.column or 1)
    if kind == "$END":
        line, column = _end_position(text)
    if kind in _FALLBACK and kind not in expected:
        return _at_character(text, source_name, token.start_pos or 0, line, column)
    if kind in _TITLES and ("TEXT" in expected or "_NL" in expected):
        found = _continuation(text, source_name, token, kind, line, column)
        if found is not None:
            return found
    if (
        "STATEMENT_DEFINITION" in expected
        and "ARGUMENT_REFERENCE" in expected
        and kind in {"_NL", "$END", "_EMPTYLINE"}
    ):
        return syntax_error(
            text,
            source_name,
            "a relation needs a statement or argument after its symbol",
            line,
            column,
            "write the related element on the same line, e.g.  + [Title]: text",
        )
    if kind in {"_EMPTYLINE", "_NL", "$END"} and re.match(r"#+[ \t]*$", source_line(text, token.line or line)):
        heading_line = token.line or line
        return syntax_error(
            text,
            source_name,
            "a heading needs a title",
            heading_line,
            len(source_line(text, heading_line)) + 1,
            "write the title after the '#', e.g. # Background",
        )
    ends = kind in {"$END", "_EMPTYLINE", "_NL", "HEADING"}
    if "STATEMENT_NUMBER_NL" in expected and ends and "INFERENCE_LINE_NL" not in expected:
        return syntax_error(
            text,
            source_name,
            "an inference line must be followed by its conclusion",
            line,
            column,
            "add the conclusion as the next numbered line, e.g. (3) [Conclusion]: text",
        )
    if "INFERENCE_LINE_NL" in expected and ends:
        return syntax_error(
            text,
            source_name,
            "this premise-conclusion structure has no conclusion",
            line,
            column,
            "end it with an inference line (----) and a numbered conclusion",
        )
    if "INFERENCE_END" in expected and kind not in {"RULE_TEXT", "DATA", "COMMA"}:
        start_line = _inference_start(text, line)
        start = source_line(text, start_line)
        return syntax_error(
            text,
            source_name,
            "the inference line is not closed",
            start_line,
            len(start) - len(start.lstrip()) + 1,
            "end the inference rules with '--', e.g. -- modus ponens --",
        )
    if kind in {"STATEMENT_NUMBER_NL", "STATEMENT_NUMBER"}:
        return syntax_error(
            text,
            source_name,
            "a numbered statement belongs to a premise-conclusion structure",
            line,
            column,
            "start the structure in its own paragraph with (1)",
        )
    if kind in {"INFERENCE_LINE_NL", "INFERENCE_START_NL"}:
        start = source_line(text, token.end_line or line)
        return syntax_error(
            text,
            source_name,
            "an inference line must come after numbered premises",
            token.end_line or line,
            len(start) - len(start.lstrip()) + 1,
            "write the premises as (1) ..., (2) ... directly above the ---- line",
        )
    if kind in {"UNORDERED_ITEM_NL", "ORDERED_ITEM_NL"}:
        marker_line = token.end_line or line
        current = source_line(text, marker_line)
        marker = current.strip().split()[0] if current.strip() else "*"
        column = len(current) - len(current.lstrip()) + 1
        if column > 1:
            return syntax_error(
                text,
                source_name,
                f"'{marker}' is not a relation symbol",
                marker_line,
                column,
                f"relations start with {_RELATION_SYMBOLS}; list items start at the left margin",
            )
        previous = source_line(text, marker_line - 1).lstrip()
        if re.match(r"(\*|\d+\.)[ \t]", previous):
            return syntax_error(
                text,
                source_name,
                "a list keeps one kind of marker",
                marker_line,
                column,
                "start a list of the other kind after an empty line",
            )
        return syntax_error(
            text,
            source_name,
            "a list must be a paragraph of its own",
            marker_line,
            column,
            "leave an empty line before the list",
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
            text,
            source_name,
            "a heading must be a paragraph of its own",
            line,
            column,
            "leave an empty line before the heading",
        )
    if kind == "DATA":
        return syntax_error(
            text,
            source_name,
            "a data block belongs right after a statement, argument or heading",
            line,
            column,
        )
    message = f"unexpected {_word(kind)}"
    if token.value and kind not in {"$END", "_NL", "_EMPTYLINE", "_INDENT", "_DEDENT"}:
        message += f" {token.value.strip()!r}"
    wanted = sorted({_word(e) for e in expected if not e.startswith("__") and e not in _INTERNAL})
    return syntax_error(
        text, source_name, message, line, column, f"expected {', '.join(wanted[:6])}" if wanted else None
    )


def translate(exc: Exception, text: str, source_name: str) -> ArgmapSyntaxError:
    """Turn a Lark exception into an ArgmapSyntaxError; re-raise anything else."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        return _at_character(text, source_name, exc.pos_in_stream or 0, exc.line, exc.column)
    if isinstance(exc, UnexpectedToken):
        return _unexpected_token(exc, text, source_name)
    if isinstance(exc, UnexpectedEOF):
        line, column = _end_position(text)
        return syntax_error(text, source_name, "unexpected end of file", line, column)
    raise exc
