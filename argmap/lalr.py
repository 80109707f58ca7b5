"""The fast path from notation to model: Lark's LALR tables, run without Lark and without a parse tree.

Lark builds the tables for ``grammars/argdown.lark`` (the contextual lexer's patterns for each parser state, the
shift/reduce table, which children each rule keeps); they are saved once, as plain data, in argmap's cache
folder, keyed to argmap's version, the grammar and Lark's installation. A run then imports neither Lark nor its
tree classes: one loop lexes with each state's own patterns, passes the tokens through argmap's post-lexer and
shifts and reduces, calling the builder's callback for each rule as it is reduced (:mod:`argmap.builder`), so the
model is built as the text is read and no tree is ever made.

The loop only handles documents that parse. On any input it cannot take, :func:`run` returns ``None`` and the
reader runs Lark's own parser, which raises the exact error Lark would: errors never come from here, so the two
paths agree on them by construction, and on models by test (``tests/test_lalr.py``).
"""

from __future__ import annotations

import functools
import itertools
import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["Tables", "Tok", "run", "tables"]

#: bumped when the saved tables' layout changes
_LAYOUT = 4


class Tok(str):
    """A token: its text, with the attributes of Lark's ``Token`` that argmap reads (without its checks)."""

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type", "value")

    type: str
    value: str
    start_pos: int | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(
        cls,
        type: str,
        value: str,
        start_pos: int | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        end_pos: int | None = None,
    ) -> Tok:
        token = str.__new__(cls, value)
        token.type, token.value, token.start_pos = type, value, start_pos
        token.line, token.column, token.end_line, token.end_column, token.end_pos = (
            line,
            column,
            end_line,
            end_column,
            end_pos,
        )
        return token

    @classmethod
    def new_borrow_pos(cls, type_: str, value: str, borrow: Tok) -> Tok:
        """A token of ``type_`` at ``borrow``'s position (as Lark's ``Token.new_borrow_pos``)."""
        return cls(
            type_,
            value,
            borrow.start_pos,
            borrow.line,
            borrow.column,
            borrow.end_line,
            borrow.end_column,
            borrow.end_pos,
        )


# one lexer: the patterns tried in turn, its ignored, line-breaking and call-back token types
_LexerSpec = tuple[tuple[tuple[str, int], ...], frozenset[str], frozenset[str], frozenset[str]]


class Tables:
    """The parser's tables as plain data: what :func:`run` needs, and nothing of Lark."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.start_state: int = data["start_state"]
        self.end_state: int = data["end_state"]
        #: state -> symbol -> (True, next state) for a shift or a goto, (False, rule index) for a reduce
        self.actions: dict[int, dict[str, tuple[bool, int]]] = data["actions"]
        #: rule index -> (number of symbols, rule name, kept children: None for all, else (index, inline) pairs)
        self.rules: list[tuple[int, str, tuple[tuple[int, bool], ...] | None]] = data["rules"]
        self.lexer_of_state: dict[int, int] = data["lexer_of_state"]
        self.lexer_specs: list[_LexerSpec] = [
            (tuple(map(tuple, patterns)), frozenset(ignore), frozenset(newline), frozenset(callback))
            for patterns, ignore, newline, callback in data["lexers"]
        ]
        #: pattern -> what the regular-expression compiler made of it (see :func:`_engine_form`)
        self.engine_forms: dict[str, list[Any]] = data["engine_forms"]
        self._compiled: dict[int, tuple[list[re.Pattern[str]], frozenset[str], frozenset[str], frozenset[str]]] = {}
        #: lexer -> its patterns as (name, source, ASCII start mask, starts with others), None where it has several
        self.alternatives: list[list[tuple[str, str, int, bool]] | None] = data["alternatives"]
        #: lexer -> character -> the match method of the patterns that can start with it (see :meth:`matchers`)
        self._matchers: dict[int, dict[str, Callable[[str, int], re.Match[str] | None]]] = {}
        self._by_starts: dict[tuple[int, tuple[int, ...]], Callable[[str, int], re.Match[str] | None]] = {}
        #: set when, in every state, a run of spaces and tabs is one ignored token (see :func:`_blank_type`)
        self.blank: re.Pattern[str] | None = re.compile(_BLANKS) if data["blank"] else None

    def lexer(self, state: int) -> tuple[list[re.Pattern[str]], frozenset[str], frozenset[str], frozenset[str]]:
        """The state's compiled patterns and token types; compiled when first needed (a small file needs few)."""
        index = self.lexer_of_state[state]
        found = self._compiled.get(index)
        if found is None:
            patterns, ignore, newline, callback = self.lexer_specs[index]
            compiled = [_pattern(p, f, self.engine_forms.get(p)) for p, f in patterns]
            found = self._compiled[index] = (compiled, ignore, newline, callback)
        return found

    def matchers(self, state: int) -> dict[str, Callable[[str, int], re.Match[str] | None]] | None:
        """The state's lexer by first character, filled by :meth:`matcher` as characters are met; None when its
        patterns cannot be told apart (:mod:`argmap.lexstarts`)."""
        index = self.lexer_of_state[state]
        if self.alternatives[index] is None:
            return None
        return self._matchers.setdefault(index, {})

    def matcher(self, state: int, char: str) -> Callable[[str, int], re.Match[str] | None]:
        """The match method of the state's patterns that can start with ``char``, in the lexer's order: the
        pattern the whole alternation would match is among them, and comes first."""
        index = self.lexer_of_state[state]
        alternatives = self.alternatives[index]
        assert alternatives is not None
        code = ord(char)
        chosen = tuple(
            i for i, (_, _, mask, other) in enumerate(alternatives) if (mask >> code & 1 if code < 128 else other)
        )
        found = self._by_starts.get((index, chosen))
        if found is None:
            if not chosen:
                found = _no_match
            else:
                source = "|".join(f"(?P<{alternatives[i][0]}>{alternatives[i][1]})" for i in chosen)
                found = re.compile(source, self.lexer_specs[index][0][0][1]).match
            self._by_starts[index, chosen] = found
        return found


def _no_match(text: str, pos: int) -> None:
    """No pattern of the state can start with the character: what the whole alternation finds there."""
    return None


_BLANKS = r"[ \t]+"

#: what may follow a run of blanks, for :func:`_blank_type`'s probes
_AFTER_BLANKS = (
    "",
    "\n",
    "\n\n",
    "\n  + [A]",
    "\n(1) [A]",
    "\n----",
    "\n--",
    "x",
    "+",
    "-",
    "->",
    "_",
    "><",
    "(1)",
    "//c",
    "/*c*/",
    "<!--c-->",
    "[A]:",
    "[A]",
    "<A>:",
    "<A>",
    "#t",
    "#(t t)",
    "{a: 1}",
    "--",
    "----",
    "===\n===",
    "*",
    "1.",
    "@[A]",
    "@<A>",
    "[l](u)",
    ",",
    "}",
    "\\x",
)


def _blank_type(specs: list[list[Any]]) -> str | None:
    """The one ignored, silent token type that every state's lexer makes of a run of spaces and tabs, if there is one.

    Then the loop can step over blanks without matching (a third of the tokens of a map are blanks). Checked on
    probes in every state, whatever follows the blanks: the first pattern that matches must give that type,
    exactly the run of blanks.
    """
    found: set[str] = set()
    for patterns, ignore, _newline, callback in specs:
        compiled = [re.compile(p, f) for p, f in patterns]
        for blanks in (" ", "\t", "  \t "):
            for after in _AFTER_BLANKS:
                probe = blanks + after
                match = next((m for m in (c.match(probe) for c in compiled) if m), None)
                if match is None or match.end() != len(blanks) or match.lastgroup not in ignore:
                    return None
                assert match.lastgroup is not None
                if match.lastgroup in callback:
                    return None
                found.add(match.lastgroup)
    return found.pop() if len(found) == 1 else None


def _engine_form(pattern: str, flags: int) -> list[Any] | None:
    """What ``re.compile(pattern, flags)`` hands the regular-expression engine, as plain data; None if unknown here.

    The lexers' patterns are long alternations whose compiling (in Python, by the ``re`` module) costs more at
    start-up than reading a small map; the engine's own form of them is saved with the tables instead. The form
    belongs to one Python version (the tables' key holds it, and the engine's ``MAGIC``).
    """
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]  # Python 3.11+

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groups = parsed.state.groups
        names: dict[str, int] = dict(parsed.state.groupdict)
        by_index: list[str | None] = [None] * groups
        for name, group in names.items():
            by_index[group] = name
        return [int(flags | parsed.state.flags), [int(c) for c in code], int(groups - 1), names, tuple(by_index)]
    except Exception:  # another Python: compile the pattern at run time instead
        return None


def _pattern(source: str, flags: int, form: list[Any] | None) -> re.Pattern[str]:
    """The compiled pattern: from its saved engine form when there is one (as ``re`` itself ends), else compiled."""
    if form is not None:
        try:
            import _sre  # type: ignore[import-not-found]  # the engine under re, without stubs

            compiled: re.Pattern[str] = _sre.compile(source, *form)
            return compiled
        except Exception:  # a form this engine refuses: compile the pattern instead
            pass
    return re.compile(source, flags)


def _from_lark(parser: Lark) -> dict[str, Any]:
    """Lark's tables for ``parser`` as plain data (builds every state's lexer)."""
    from lark.parsers.lalr_analysis import Shift

    frontend = parser.parser
    contextual = frontend.lexer.lexer
    lalr = frontend.parser.parser
    table = lalr.parse_table
    (start,) = frontend.parser_conf.start
    rule_index: dict[Any, int] = {}
    rules: list[tuple[int, str, tuple[tuple[int, bool], ...] | None]] = []
    actions: dict[int, dict[str, tuple[bool, int]]] = {}
    for state, row in table.states.items():
        entries: dict[str, tuple[bool, int]] = {}
        for symbol, (action, arg) in row.items():
            if action is Shift:
                entries[str(symbol)] = (True, arg)
                continue
            if arg not in rule_index:
                rule_index[arg] = len(rules)
                # Lark's tree builder: tokens marked filter_out are dropped, rules named "_..." are inlined
                kept = tuple(
                    (i, not symbol_.is_term and symbol_.name.startswith("_"))
                    for i, symbol_ in enumerate(arg.expansion)
                    if not (symbol_.is_term and symbol_.filter_out)
                )
                whole = len(kept) == len(arg.expansion) and not any(inline for _, inline in kept)
                assert not arg.options.keep_all_tokens and not arg.options.expand1, "rule options argmap cannot run"
                rules.append((len(arg.expansion), str(arg.origin.name), None if whole else kept))
            entries[str(symbol)] = (False, rule_index[arg])
        actions[state] = entries
    specs: list[list[Any]] = []
    spec_index: dict[Any, int] = {}
    lexer_of_state: dict[int, int] = {}
    alternatives: list[list[tuple[str, str, int, bool]] | None] = []
    for state, lexer in contextual.lexers.items():
        scanner = lexer.scanner
        assert set(lexer.callback) <= set(lexer.user_callbacks), "lexer callbacks argmap does not know"
        spec = (
            [[str(m.pattern), int(m.flags)] for m in scanner._mres],
            sorted(map(str, lexer.ignore_types)),
            sorted(map(str, lexer.newline_types)),
            sorted(map(str, lexer.callback)),
        )
        key = repr(spec)
        if key not in spec_index:
            spec_index[key] = len(specs)
            specs.append(list(spec))
            alternatives.append(_alternatives(scanner, spec[0]))
        lexer_of_state[state] = spec_index[key]
    patterns = {(pattern, flags) for spec in specs for pattern, flags in spec[0]}
    forms = {p: f for p, f in ((p, _engine_form(p, flags)) for p, flags in sorted(patterns)) if f is not None}
    return {
        "layout": _LAYOUT,
        "blank": _blank_type(specs),
        "engine_forms": forms,
        "start_state": table.start_states[start],
        "end_state": table.end_states[start],
        "actions": actions,
        "rules": rules,
        "lexer_of_state": lexer_of_state,
        "lexers": specs,
        "alternatives": alternatives,
    }


def _alternatives(scanner: Any, patterns: list[list[Any]]) -> list[tuple[str, str, int, bool]] | None:
    """The scanner's token patterns with the characters each can start with (:mod:`argmap.lexstarts`), when its
    one alternation is exactly theirs, in order; else None (that lexer is always matched whole)."""
    from .lexstarts import starts

    if len(patterns) != 1:
        return None
    (source, flags), terminals = patterns[0], scanner.terminals
    named = [(str(t.name), str(t.pattern.to_regexp())) for t in terminals]
    if "|".join(f"(?P<{name}>{pattern})" for name, pattern in named) != source:
        return None
    return [(name, pattern, *starts(pattern, flags)) for name, pattern in named]


def _key(grammar: str) -> str:
    """Changes with argmap's version, the grammar, Lark's installation and Python's version (marshal's format)."""
    from importlib.util import find_spec

    from . import __version__

    lark_spec = find_spec("lark")
    lark_file = lark_spec.origin if lark_spec is not None and lark_spec.origin else ""
    try:
        stat = os.stat(lark_file)
        lark_id = f"{lark_file}:{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        lark_id = lark_file
    import _sre

    engine = f"{sys.version_info[:2]}\0{marshal.version}\0{_sre.MAGIC}"
    parts = f"{_LAYOUT}\0{__version__}\0{engine}\0{lark_id}\0{grammar}"
    return f"{zlib.crc32(parts.encode()):08x}{len(parts):x}"


@functools.lru_cache(maxsize=1)
def tables() -> Tables | None:
    """The tables, from argmap's cache folder, or made with Lark and saved there.

    None when they cannot be taken from Lark (the attributes read are Lark's internals, which a Lark release may
    change): the reader then parses with Lark itself, as it does for errors.
    """
    from .reader import _cache_dir, _grammar_path, _parser

    grammar = _grammar_path().read_text(encoding="utf-8")
    path = _cache_dir() / f"tables-{_key(grammar)}.marshal"
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("layout") == _LAYOUT:
            return Tables(data)
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        pass
    try:
        data = _from_lark(_parser()[0])
        content = marshal.dumps(data)  # plain data only: a Lark object in it would fail here, not in a later run
    except Exception:  # Lark's internals changed (they are not its public API): read with Lark itself, slower
        return None
    _save(path, content)
    from .reader import prune_cache

    prune_cache("tables-*.marshal", path)
    return Tables(data)


def _save(path: Path, content: bytes) -> None:
    """Write ``content`` whole or not at all; a cache that cannot be written is only slower next time."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


#: from this many characters on, :func:`run` matches only the patterns that can start with the character at hand
_BY_CHARACTER_FROM = 1 << 16


class _Stop(Exception):
    """The loop cannot go on: let Lark's parser handle (and report) this input."""


def run(
    tables: Tables,
    text: str,
    callbacks: dict[str, Callable[[list[Any]], Any]],
    postlex: Callable[[Iterator[Any]], Iterator[Any]],
    token_callbacks: dict[str, Callable[[Any], Any]],
) -> Any:
    """What the ``start`` callback returns for ``text``, or ``None`` when Lark must parse ``text`` itself.

    ``callbacks`` are called with each reduced rule's kept children; rules named ``_...`` are inlined.
    """
    actions, end_state = tables.actions, tables.end_state
    rules = [(size, origin, kept, callbacks.get(origin)) for size, origin, kept in tables.rules]
    lexer = tables.lexer
    blank = tables.blank
    state_stack: list[int] = [tables.start_state]
    value_stack: list[Any] = []
    push_state, push_value = state_stack.append, value_stack.append
    end = len(text)
    new_token = str.__new__
    # state -> its first pattern's match method, its other patterns, ignored, line-breaking and called-back types,
    # and its patterns by first character (for a long text: working them out costs more than a short one's lexing)
    by_state: dict[int, tuple[Any, list[re.Pattern[str]], frozenset[str], frozenset[str], frozenset[str], Any]] = {}
    by_character = len(text) >= _BY_CHARACTER_FROM

    def lex() -> Iterator[Tok]:
        pos, line, line_start = 0, 1, 0
        while pos < end:
            char = text[pos]
            if blank is not None and char in " \t":  # spaces and tabs: always the ignored blank token
                pos += 1
                if pos < end and text[pos] in " \t":  # more than one (most are one, after a colon or a symbol)
                    pos = blank.match(text, pos).end()  # type: ignore[union-attr]  # matches at a blank
                continue
            state = state_stack[-1]
            entry = by_state.get(state)
            if entry is None:
                patterns, ignore, newline, called = lexer(state)
                starting = tables.matchers(state) if by_character else None
                entry = by_state[state] = (patterns[0].match, patterns[1:], ignore, newline, called, starting)
            first_match, others, ignore, newline, called, starting = entry
            if starting is not None:  # only the patterns that can start with this character (one alternation)
                found = starting.get(char)
                if found is None:
                    found = starting[char] = tables.matcher(state, char)
                match = found(text, pos)
            else:
                match = first_match(text, pos)
            if match is None:
                for pattern in others:
                    match = pattern.match(text, pos)
                    if match:
                        break
                else:
                    raise _Stop
            value, kind = match.group(), match.lastgroup
            assert kind is not None
            start, column = pos, pos - line_start + 1
            line_before = line
            if kind in newline and "\n" in value:  # a type that may hold a line break (text rarely does)
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos += len(value)
            if kind in ignore:
                if kind not in called:
                    continue
                token_callbacks[kind](
                    _token(Tok, value, kind, start, line_before, column, line, pos - line_start + 1, pos)
                )
                continue
            token = new_token(Tok, value)
            token.type, token.value, token.start_pos = kind, value, start
            token.line, token.column = line_before, column
            token.end_line, token.end_column, token.end_pos = line, pos - line_start + 1, pos
            if kind in called:
                token = token_callbacks[kind](token)
            yield token

    end_of_input = Tok("$END", "")
    try:
        # the end of input is one more token: the rules still open are reduced, then the start rule's value is the map
        for token in itertools.chain(postlex(lex()), (end_of_input,)):
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
                size, origin, kept, callback = rules[arg]
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if kept is not None:
                    children = _keep(children, kept)
                push_value(children if callback is None else callback(children))
                push_state(actions[state_stack[-1]][origin][1])
                if token is end_of_input and state_stack[-1] == end_state:
                    return value_stack[-1]
        return None  # pragma: no cover - $END is never shifted: the start rule reduces first
    except _Stop:
        return None


def _token(
    cls: type[Tok], value: str, kind: str, start: int, line: int, column: int, end_line: int, end_column: int, end: int
) -> Tok:
    return cls(kind, value, start, line, column, end_line, end_column, end)


def _keep(children: list[Any], kept: tuple[tuple[int, bool], ...]) -> list[Any]:
    """The children Lark's tree would hold: filtered tokens dropped, inlined rules' children spliced in.

    An inlined first child's list is extended in place, as Lark does: left-recursive rules (``_blocks``, the
    ``*`` and ``+`` repetitions) would otherwise copy everything gathered so far at each step.
    """
    first_index, first_inline = kept[0] if kept else (0, False)
    result: list[Any] = children[first_index] if first_inline else []
    for index, inline in kept[1:] if first_inline else kept:
        if inline:
            result.extend(children[index])
        else:
            result.append(children[index])
    return result


# -- two processes -------------------------------------------------------------------------------------------------

#: a text at least this long is read by two processes (see :func:`run_in_two`): below it, starting a process
#: costs more than it saves
TWO_PROCESSES_FROM = 1 << 20

# the stream between the processes: chunks of events, each chunk marshalled, after its length in bytes. An event is
# (code, number of rule values among the children, children): a reduction's code is its rule's index, and each child
# None for a rule's value (the reader keeps those) or a token as the tuple of :class:`_Record`'s fields.
# A head folded with what follows (see :class:`ChildWork`) comes as (_HEAD or _ELEMENT, its code, (head token,
# content token or None)).
_COMMENT, _DONE, _GAVE_UP, _HEAD, _ELEMENT = -2, -3, -4, -5, -6


class ChildWork(NamedTuple):
    """Events the process that parses (:func:`run_in_two`) folds together for the usual shapes, so that the
    building process gets one event where the rules would give three.

    A head rule (a definition with a content of one token, or a reference without tags) is sent as its tokens;
    a head that is its whole element (no data, no relations) is sent with the element's reduction folded in.
    The building process hands these to ``callbacks[head_key]``.
    """

    #: the content rule: a content of one token may be folded into its definition
    content: str
    #: head rule -> (its code for ``callbacks[head_key]``, True for a definition, which takes a content)
    heads: dict[str, tuple[int, bool]]
    #: the rules whose one child may be a head (statement, argument)
    elements: frozenset[str]
    #: the callback taking (code, first token, the content's token or None, whole element)
    head_key: str


_CHUNK = 1 << 11  # events


def two_processes_possible(text: str) -> bool:
    """Whether :func:`run_in_two` may run: a long text, and a fork that is safe and useful (:mod:`argmap.parallel`)."""
    from .parallel import fork_is_safe

    return len(text) >= TWO_PROCESSES_FROM and fork_is_safe()


def run_in_two(
    tables: Tables,
    text: str,
    callbacks: dict[str, Callable[[list[Any]], Any]],
    postlex: Callable[[Iterator[Any]], Iterator[Any]],
    token_callbacks: dict[str, Callable[[Any], Any]],
    comments: list[Any],
    work: ChildWork | None = None,
    idle: Callable[[], bool] | None = None,
) -> tuple[Any, list[Any]] | None:
    """:func:`run` on two cores: a child process lexes and parses, this one builds as the child's reductions arrive.

    Returns the ``start`` callback's value and the comments (the child collected them into its own ``comments``,
    the post-lexer's list), or ``None`` where :func:`run` would return ``None``. Errors the callbacks raise are
    raised here, after the child is stopped. ``work`` names the events the child folds together. ``idle`` is
    called, again and again while it returns True, whenever this process would wait for the child: a little work
    each time (a fraction of a millisecond), and False when there is none left for now.
    """
    rule_names = sorted({origin for _, origin, _ in tables.rules if origin in callbacks})
    read_end, write_end = os.pipe()
    _widen(write_end)
    try:
        child = os.fork()
    except OSError:  # no process to spare (a limit on processes or memory): one process reads
        os.close(read_end)
        os.close(write_end)
        result = run(tables, text, callbacks, postlex, token_callbacks)
        return None if result is None else (result, comments)
    if child == 0:  # pragma: no cover - the child process (its work is checked by what the parent builds)
        status = 1
        try:
            os.close(read_end)
            _parse_and_send(tables, text, postlex, token_callbacks, comments, rule_names, write_end, work)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        head = callbacks[work.head_key] if work is not None else None
        return _receive_and_build(read_end, [callbacks[name] for name in rule_names], head, idle)
    finally:
        os.close(read_end)
        import signal

        try:
            os.kill(child, signal.SIGKILL)  # done, or stopped by an error here: the child has nothing more to give
        except ProcessLookupError:
            pass
        os.waitpid(child, 0)


def _widen(fd: int) -> None:
    """Give the pipe a megabyte where Linux allows (64 KB otherwise): the child can read on while this process
    catches up, instead of waiting at each chunk."""
    import fcntl

    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:  # another system, or a lower limit: the usual size
        pass


#: a token's attributes as the child sends them, in this order (the parent's :func:`_record_class` has these fields)
_FIELDS = ("value", "type", "start_pos", "end_pos", "line", "column", "end_line", "end_column")


@functools.lru_cache(maxsize=1)
def _record_class() -> type[tuple[Any, ...]]:
    """A token as the parent process receives it: the attributes of :class:`Tok` the callbacks read, made by
    ``marshal`` as a plain tuple and typed without a Python-level call per token (``tuple.__new__``)."""
    import collections

    return collections.namedtuple("_Record", _FIELDS)


def _parse_and_send(
    tables: Tables,
    text: str,
    postlex: Callable[[Iterator[Any]], Iterator[Any]],
    token_callbacks: dict[str, Callable[[Any], Any]],
    comments: list[Any],
    rule_names: list[str],
    fd: int,
    work: ChildWork | None = None,
) -> None:
    """The child's work: :func:`run` with callbacks that send each reduction down ``fd`` instead of building."""
    import operator

    out: list[tuple[int, Any, tuple[Any, ...]]] = []
    append = out.append
    value = object()  # what a rule gives in the child: not None, which run() would read as giving up
    fields = operator.attrgetter(*_FIELDS)  # a token's fields as one tuple, in C
    #: at most one event held back, which the next reduction may take in (see ChildWork); its value is a _Held
    held: list[_Held] = []

    def flush() -> None:
        data = marshal.dumps(out)
        out.clear()
        view = memoryview(len(data).to_bytes(4, "little") + data)
        while view:
            view = view[os.write(fd, view) :]

    def flush_if_full() -> None:
        if len(out) > _CHUNK:
            flush()

    def release() -> None:
        append(held.pop().event)

    def sender(index: int) -> Callable[[list[Any]], Any]:
        def send(children: list[Any]) -> Any:
            if held:
                release()
            items = tuple([
                (c.value, c.type, c.start_pos, c.end_pos, c.line, c.column, c.end_line, c.end_column)
                if c.__class__ is Tok else None
                for c in children
            ])  # fmt: skip  # fields(c) written out, in _FIELDS' order: this runs for every reduction
            append((index, items.count(None), items))
            if len(out) > _CHUNK:
                flush()
            return value

        return send

    senders = {name: sender(i) for i, name in enumerate(rule_names)}
    if work is not None:
        _add_child_work(senders, rule_names, work, held, release, append, fields, flush_if_full)
    try:
        result = run(tables, text, senders, postlex, token_callbacks)
    except Exception:  # the post-lexer's errors: the reader takes Lark's path and reports them from there
        result = None
    if held:
        release()
    if result is None:
        append((_GAVE_UP, 0, ()))
    else:
        for comment in comments:
            append((_COMMENT, 0, (fields(comment),)))
        append((_DONE, 0, ()))
    flush()


class _Held:
    """The child's value of a reduction whose event is held back (:class:`ChildWork`): the event, and for a
    content its token."""

    __slots__ = ("event", "token")

    def __init__(self, event: tuple[int, Any, tuple[Any, ...]], token: Any = None) -> None:
        self.event, self.token = event, token


def _add_child_work(
    senders: dict[str, Callable[[list[Any]], Any]],
    rule_names: list[str],
    work: ChildWork,
    held: list[_Held],
    release: Callable[[], None],
    append: Callable[[tuple[int, Any, tuple[Any, ...]]], None],
    fields: Callable[[Any], tuple[Any, ...]],
    flush_if_full: Callable[[], None],
) -> None:
    """Wrap the child's senders of the rules ``work`` names: they hold their event back, or take in the one held."""

    def content(send: Callable[[list[Any]], Any], index: int) -> Callable[[list[Any]], Any]:
        def send_content(children: list[Any]) -> Any:
            if len(children) == 1 and children[0].__class__ is Tok:
                if held:
                    release()
                token = children[0]
                found = _Held((index, 0, (fields(token),)), token)
                held.append(found)
                return found
            return send(children)

        return send_content

    def head(send: Callable[[list[Any]], Any], code: int, definition: bool) -> Callable[[list[Any]], Any]:
        def send_head(children: list[Any]) -> Any:
            if definition:  # the definition's token and its one-token content, held
                if len(children) != 2 or not held or children[1] is not held[0]:
                    return send(children)
                found = _Held((_HEAD, code, (fields(children[0]), fields(held.pop().token))))  # the content taken in
            else:  # a reference without tags
                if len(children) != 1:
                    return send(children)
                if held:
                    release()
                found = _Held((_HEAD, code, (fields(children[0]), None)))
            held.append(found)
            return found

        return send_head

    def element(send: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
        def send_element(children: list[Any]) -> Any:
            if len(children) == 1 and held and children[0] is held[0]:
                _, code, tokens = held.pop().event
                append((_ELEMENT, code, tokens))
                flush_if_full()
                return None  # the element's value, which nothing reads: an element is a whole block or a child
            return send(children)

        return send_element

    if work.content in senders:
        senders[work.content] = content(senders[work.content], rule_names.index(work.content))
    for name, (code, definition) in work.heads.items():
        if name in senders:
            senders[name] = head(senders[name], code, definition)
    for name in work.elements:
        if name in senders:
            senders[name] = element(senders[name])


def _chunks(fd: int, idle: Callable[[], bool] | None = None) -> Iterator[list[tuple[int, int, tuple[Any, ...]]]]:
    """The child's chunks of events, until the pipe closes; ``idle`` works while the next has not come."""
    ready: Callable[[int], list[Any]] | None = None
    if idle is not None:
        import select

        poller = select.poll()
        poller.register(fd, select.POLLIN)
        ready = poller.poll

    def exactly(size: int) -> bytes:
        parts: list[bytes] = []
        while size:
            part = os.read(fd, min(size, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    while True:
        if ready is not None:
            assert idle is not None
            while not ready(0) and idle():
                pass
        try:
            size = int.from_bytes(exactly(4), "little")
            events = marshal.loads(exactly(size))
        except (EOFError, ValueError, TypeError):  # the child stopped (a chunk cut short reads as nothing)
            return
        yield events


def _receive_and_build(
    fd: int,
    callbacks: list[Callable[[list[Any]], Any]],
    head: Callable[..., Any] | None = None,
    idle: Callable[[], bool] | None = None,
) -> tuple[Any, list[Any]] | None:
    """The parent's work: replay the child's reductions with the real callbacks (``idle`` while waiting)."""
    values: list[Any] = []
    comments: list[Any] = []
    record = _record_class()
    new_record = tuple.__new__

    for events in _chunks(fd, idle):
        for code, taken, items in events:
            if code >= 0:
                if not taken:
                    children = [new_record(record, item) for item in items]
                elif taken == len(items):  # the rules' values are the last ones built, in order
                    children = values[-taken:]
                    del values[-taken:]
                else:
                    built = iter(values[-taken:])
                    del values[-taken:]
                    children = [next(built) if item is None else new_record(record, item) for item in items]
                values.append(callbacks[code](children))
            elif code == _ELEMENT or code == _HEAD:
                assert head is not None
                first, last = items
                values.append(
                    head(
                        taken,
                        new_record(record, first),
                        None if last is None else new_record(record, last),
                        code == _ELEMENT,
                    )
                )
            elif code == _COMMENT:
                comments.append(new_record(record, items[0]))
            elif code == _DONE:
                return values[-1], comments
            else:  # _GAVE_UP
                return None
    return None  # the child stopped without a word: read the text here instead
