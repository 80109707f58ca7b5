"""A faster loop over Lark's own LALR tables: the same tokens, the same tree, in about half the time.

Lark's contextual lexer and LALR parser spend most of their time on bookkeeping between tokens (generator
hops, asserts, a Python-level ``Rule.__hash__`` for every reduction). This module runs the tables Lark built for
``grammars/argdown.lark`` in one tight loop: each parser state's own lexer (Lark's compiled regular expressions),
the post-lexer, then shift and reduce with Lark's tree callbacks. It knows nothing of Argdown.

It only handles documents that parse. On any input the loop cannot take, :func:`parse` returns ``None`` and
the caller runs Lark's own parser, which raises the exact error Lark would: errors never come from here, so
the two paths agree on them by construction, and on trees by test (``tests/test_lalr.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

__all__ = ["parse"]

# per parser state: token type -> (True, next state) for a shift, (False, (size, rule name, callback)) for a reduce
_Table = dict[int, dict[str, tuple[bool, Any]]]


class _Tables:
    """What the loop needs from a Lark instance, prepared once per instance."""

    def __init__(self, parser: Lark) -> None:
        from lark.parsers.lalr_analysis import Shift

        frontend = parser.parser
        connector = frontend.lexer
        self.contextual = connector.lexer
        self.process: Callable[[Iterator[Token]], Iterator[Token]] = connector.postlexer.process
        lalr = frontend.parser.parser
        table = lalr.parse_table
        callbacks = lalr.callbacks
        (start,) = frontend.parser_conf.start
        self.start_state: int = table.start_states[start]
        self.end_state: int = table.end_states[start]
        self.actions: _Table = {}
        for state, row in table.states.items():
            self.actions[state] = {
                symbol: (True, arg)
                if action is Shift
                else (False, (len(arg.expansion), arg.origin.name, callbacks[arg]))
                for symbol, (action, arg) in row.items()
            }
        self.lexers = _Lexers(self.contextual.lexers)


class _Lexers(dict[int, tuple[list[Any], dict[str, Any], frozenset[str], frozenset[str]]]):
    """Per parser state: the compiled patterns, the type callbacks, ignored and line-breaking token types.

    Filled as states are reached: compiling every state's patterns up front would cost more than a small parse.
    """

    def __init__(self, lexers: dict[int, Any]) -> None:
        super().__init__()
        self._lexers = lexers

    def __missing__(self, state: int) -> tuple[list[Any], dict[str, Any], frozenset[str], frozenset[str]]:
        lexer = self._lexers[state]
        scanner = lexer.scanner  # compiles on first use, as Lark does
        entry = self[state] = (scanner._mres, lexer.callback, lexer.ignore_types, lexer.newline_types)
        return entry


@functools.lru_cache(maxsize=4)
def _tables(parser: Lark) -> _Tables:
    return _Tables(parser)


class _Stop(Exception):
    """The loop cannot go on: let Lark's parser handle (and report) this input."""


def parse(parser: Lark, text: str) -> Tree[Token] | None:
    """The tree Lark's ``parser.parse(text)`` gives, or ``None`` when Lark must parse ``text`` itself."""
    from lark import Token

    tables = _tables(parser)
    actions, lexers, end_state = tables.actions, tables.lexers, tables.end_state
    state_stack: list[int] = [tables.start_state]
    value_stack: list[Any] = []
    push_state, push_value = state_stack.append, value_stack.append
    end = len(text)
    new_token = str.__new__

    def lex() -> Iterator[Token]:
        pos, line, line_start = 0, 1, 0
        while pos < end:
            mres, callback, ignore, newline = lexers[state_stack[-1]]
            for mre in mres:
                match = mre.match(text, pos)
                if match:
                    break
            else:
                raise _Stop
            value, kind = match.group(), match.lastgroup
            start, column = pos, pos - line_start + 1
            if kind in newline:
                count = value.count("\n")
                if count:
                    line_before = line
                    line += count
                    line_start = pos + value.rindex("\n") + 1
                else:
                    line_before = line
            else:
                line_before = line
            pos += len(value)
            if kind in ignore and kind not in callback:
                continue
            # Token(kind, value, start, line, column, ...) without Lark's argument checks: a str with slots set
            token = new_token(Token, value)
            token.type, token.value, token.start_pos = kind, value, start
            token.line, token.column = line_before, column
            token.end_line, token.end_column, token.end_pos = line, pos - line_start + 1, pos
            if kind in callback:
                token = callback[kind](token)
            if kind not in ignore:
                yield token

    token: Token | None = None
    try:
        for token in tables.process(lex()):
            kind = token.type
            while True:  # reduce as often as the table says, then shift
                try:
                    shift, arg = actions[state_stack[-1]][kind]
                except KeyError:
                    return None
                if shift:
                    push_state(arg)
                    push_value(token)
                    break
                _reduce(actions, state_stack, value_stack, arg)
        token = Token.new_borrow_pos("$END", "", token) if token is not None else Token("$END", "", 0, 1, 1)
        while True:
            try:
                shift, arg = actions[state_stack[-1]]["$END"]
            except KeyError:
                return None
            if shift:  # pragma: no cover - $END is never shifted: the start rule reduces first
                return None
            _reduce(actions, state_stack, value_stack, arg)
            if state_stack[-1] == end_state:
                tree: Tree[Token] = value_stack[-1]
                return tree
    except _Stop:
        return None


def _reduce(actions: _Table, state_stack: list[int], value_stack: list[Any], rule: tuple[int, str, Any]) -> None:
    """Replace the last ``size`` values by the rule's tree, and go to the state after it."""
    size, origin, callback = rule
    if size:
        children = value_stack[-size:]
        del state_stack[-size:]
        del value_stack[-size:]
    else:
        children = []
    value_stack.append(callback(children))
    state_stack.append(actions[state_stack[-1]][origin][1])
