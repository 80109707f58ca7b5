"""The fuzz cases: documents of the repository, mutated at random, reproducibly.

Case ``index`` of a run with ``seed`` is made by a ``random.Random`` seeded with
``"<target>:<seed>:<index>"`` alone, so any case can be made again from those three
values (on the same checkout: the seeds are the repository's files) without
running the cases before it.

A notation case takes one document of the corpus (examples, the notation corpus, the
conformance suite, the bad inputs) and applies one to eight mutations: characters and
lines inserted, deleted, duplicated, swapped; syntax characters and tokens of the
notation inserted (brackets, arrows, ``#``, ``@``, front matter fences, comment
openers, YAML), and the awkward ones: tab, CR, a BOM, NUL and other control
characters, non-BMP characters, line separators, a lone surrogate, long runs; a piece
of another document spliced in; the document cut short.

A JSON case takes the argmap JSON of a corpus document and either edits the decoded
object (a key removed or renamed, a value of the wrong type, an element duplicated or
moved, a subtree copied where another kind is expected) or mutates the text as JSON
(brackets, quotes, escapes, NaN, huge numbers, deep nesting, cuts).
"""

from __future__ import annotations

import copy
import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: the documents the notation cases start from (relative to the repository root)
NOTATION_GLOBS = ("examples/*.arg", "tests/notation/*.arg", "tests/conformance/**/*.arg", "tests/bad_input/*.arg")

#: single characters that mean something in the notation, or in text, or to a line reader
SYNTAX_CHARS = (*"[]<>#{}()*_@-+:/=.,!?\"'`~|\\$%&^;", "\n", "\t", "\r", "\r\n", " ", "  ")
#: characters a reader of text must survive
ODD_CHARS = (
    "\ufeff",  # BOM, anywhere
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",  # NEL
    "\u2028",  # line separator
    "\u2029",
    "\u00a0",
    "\u200b",
    "\u200f",
    "\u0301",  # combining accent
    "\ufffd",
    "\uffff",
    "\ud800",  # a lone surrogate: a Python str can hold one, a UTF-8 file cannot
    "\U0001f600",
    "\U00010348",
    "\U0001d538",
    "\U0010ffff",
    "é",
    "ß",
    "İ",
    "中",
)
#: pieces of the notation (and of the YAML inside it)
TOKENS = (
    "<-",
    "->",
    "+>",
    "<+",
    "-<",
    ">-",
    "_>",
    "<_",
    "><",
    "--",
    "----",
    "-- rule --",
    "--\n",
    "(1) ",
    "(2)",
    "(99999999999999999999)",
    "[a]:",
    "[a]",
    "[]",
    "<a>:",
    "<a>",
    "<>",
    "#tag",
    "#(two words)",
    "#",
    "@[a]",
    "@<a>",
    "@[",
    "/*",
    "*/",
    "//",
    "<!--",
    "-->",
    "---",
    "===",
    "===\n",
    "\n===\ntitle: x\n===\n",
    "@include(x.arg)",
    "@include(.)",
    "@include(../01-statements.arg)",
    "{a: b}",
    "{isClosed: true}",
    "{isGroup: false}",
    "{isInMap: false}",
    "{color: red}",
    "{uses: [1, 2]}",
    "{model: {mode: strict}}",
    ": [",
    ": {",
    "&a",
    "*a",
    "<<: *a",
    "!!binary",
    "!!set",
    "!!python/object/apply:os.system",
    "%YAML 1.2",
    "**b**",
    "__b__",
    "*i*",
    "_i_",
    "[t](https://x.org)",
    "<https://x.org>",
    "\\",
    "\\[",
    "1. ",
    "* ",
    "- ",
    "  + ",
    "    - ",
    "  +> ",
    "  <- ",
    "  >< ",
    "\n\n",
    "# ",
    "## ",
    "###### ",
    "####### ",
    "Untitled 1",
)
#: JSON pieces for the text mutations of JSON
JSON_TOKENS = (
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    '"',
    "\\",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "null",
    "true",
    "false",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-0",
    "0.5",
    "-1",
    "1" * 5000,
    "[" * 3000,
    "{}",
    "[]",
    '""',
    '"x"',
    '"statement"',
    '"argument"',
    '"inference"',
    '"support"',
    '"format": "argmap"',
    '"version": 2',
)
#: values put in place of parts of a JSON document
JSON_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    1.5,
    float("nan"),
    float("inf"),
    2**70,
    -(2**70),
    "",
    "x",
    " ",
    "\x00",
    "\ud800",
    "\U0001f600",
    "statement",
    "argument",
    "inference",
    "support",
    "attack",
    "undercut",
    "contradiction",
    "entailment",
    "contrariness",
    "bold",
    "link",
    "statement-mention",
    "argmap",
    "Untitled 1",
    [],
    {},
    [None],
    {"": None},
    {"line": 1, "column": 1, "end_line": 1, "end_column": 1},
    {"line": 0, "column": 0, "end_line": 0, "end_column": 0},
    {"line": 3, "column": 1, "end_line": 1, "end_column": 1},
    {"kind": "statement", "title": "nowhere"},
    {"kind": "argument", "title": "nowhere"},
    {"kind": "bold", "start": 5, "end": 2},
    {"kind": "bold", "start": 0, "end": 10**9},
    {"kind": "link", "start": 0, "end": 1},
    {"number": 1, "title": "x"},
    {"number": 1, "title": "x", "inference": {"rules": [], "uses": [5]}},
)


@dataclass(frozen=True)
class Seed:
    """A document the cases start from."""

    #: its path relative to the repository root (POSIX form)
    name: str
    text: str


@dataclass(frozen=True)
class Case:
    """One input: what the target is given, and how it was made."""

    target: str
    seed: int
    index: int
    #: the corpus document it was made from (its path; the name the parser is given)
    origin: str
    #: the notation or JSON text; for a JSON case passed as an object, that object
    payload: Any
    #: the mutations applied, in order (for the report)
    mutations: tuple[str, ...]

    @property
    def size(self) -> int:
        if isinstance(self.payload, str):
            return len(self.payload)
        return len(json.dumps(self.payload, ensure_ascii=False, default=str))

    def text(self) -> str:
        """The payload as text (an object payload as JSON), for saving and showing."""
        if isinstance(self.payload, str):
            return self.payload
        return json.dumps(self.payload, ensure_ascii=False, indent=1)


@functools.lru_cache(maxsize=1)
def notation_corpus() -> tuple[Seed, ...]:
    """The notation documents of the repository, sorted by path."""
    paths = sorted({p for pattern in NOTATION_GLOBS for p in ROOT.glob(pattern)})
    return tuple(Seed(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in paths)


@functools.lru_cache(maxsize=1)
def json_corpus() -> tuple[Seed, ...]:
    """The argmap JSON of every corpus document argmap reads (named after the document, ``.json`` added)."""
    import argmap

    seeds = []
    for seed in notation_corpus():
        try:
            parsed = argmap.parse(seed.text, seed.name, base=ROOT / Path(seed.name).parent)
        except argmap.ArgmapError:
            continue
        exported = argmap.export(parsed, "json")
        assert isinstance(exported, str)
        seeds.append(Seed(seed.name + ".json", exported))
    return tuple(seeds)


# -- mutations of text ---------------------------------------------------------------------


def _position(rng: random.Random, text: str) -> int:
    return rng.randint(0, len(text))


def _piece(rng: random.Random, tokens: tuple[str, ...]) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(SYNTAX_CHARS)
    if roll < 0.55:
        return rng.choice(ODD_CHARS)
    if roll < 0.95:
        return rng.choice(tokens)
    return chr(rng.choice((rng.randint(0x20, 0x7E), rng.randint(0xA0, 0xD7FF), rng.randint(0x10000, 0x10FFFF))))


def _run_length(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.9:
        return rng.randint(2, 40)
    if roll < 0.99:
        return rng.randint(41, 1000)
    return rng.randint(1001, 20000)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True) or [""]


def _with_lines(text: str, change: Callable[[list[str]], None]) -> str:
    lines = _lines(text)
    change(lines)
    return "".join(lines)


class TextMutator:
    """Applies random edits to a text; ``tokens`` are the pieces worth inserting."""

    def __init__(self, rng: random.Random, tokens: tuple[str, ...], corpus: tuple[Seed, ...]) -> None:
        self.rng = rng
        self.tokens = tokens
        self.corpus = corpus
        self.operations: tuple[tuple[str, Callable[[str], str], int], ...] = (
            ("insert", self.insert, 14),
            ("insert run", self.insert_run, 4),
            ("replace", self.replace, 6),
            ("delete", self.delete, 8),
            ("duplicate", self.duplicate, 4),
            ("swap", self.swap, 4),
            ("delete line", self.delete_line, 5),
            ("duplicate line", self.duplicate_line, 4),
            ("swap lines", self.swap_lines, 4),
            ("move line", self.move_line, 3),
            ("indent", self.indent, 5),
            ("dedent", self.dedent, 4),
            ("line ending", self.line_ending, 2),
            ("splice", self.splice, 4),
            ("cut", self.cut, 2),
        )

    def mutate(self, text: str, count: int) -> tuple[str, tuple[str, ...]]:
        names = [name for name, _, _ in self.operations]
        functions = {name: function for name, function, _ in self.operations}
        weights = [weight for _, _, weight in self.operations]
        done = []
        for _ in range(count):
            name = self.rng.choices(names, weights)[0]
            text = functions[name](text)
            done.append(name)
        return text, tuple(done)

    def insert(self, text: str) -> str:
        at = _position(self.rng, text)
        return text[:at] + _piece(self.rng, self.tokens) + text[at:]

    def insert_run(self, text: str) -> str:
        at = _position(self.rng, text)
        piece = _piece(self.rng, self.tokens) if self.rng.random() < 0.5 else self.rng.choice(SYNTAX_CHARS)
        return text[:at] + piece * _run_length(self.rng) + text[at:]

    def replace(self, text: str) -> str:
        if not text:
            return self.insert(text)
        at = self.rng.randrange(len(text))
        return text[:at] + _piece(self.rng, self.tokens) + text[at + 1 :]

    def _stretch(self, text: str) -> tuple[int, int]:
        start = self.rng.randrange(len(text))
        return start, min(len(text), start + self.rng.choice((1, 1, 1, 2, 3, 5, 8, 20)))

    def delete(self, text: str) -> str:
        if not text:
            return text
        start, end = self._stretch(text)
        return text[:start] + text[end:]

    def duplicate(self, text: str) -> str:
        if not text:
            return text
        start, end = self._stretch(text)
        return text[:end] + text[start:end] * self.rng.choice((1, 1, 2, 3)) + text[end:]

    def swap(self, text: str) -> str:
        if len(text) < 2:
            return text
        i, j = sorted(self.rng.sample(range(len(text)), 2))
        if self.rng.random() < 0.5:
            j = i + 1
        return text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]

    def delete_line(self, text: str) -> str:
        return _with_lines(text, lambda lines: lines.pop(self.rng.randrange(len(lines))))

    def duplicate_line(self, text: str) -> str:
        def change(lines: list[str]) -> None:
            at = self.rng.randrange(len(lines))
            line = lines[at] if lines[at].endswith(("\n", "\r")) else lines[at] + "\n"
            lines.insert(at, line)

        return _with_lines(text, change)

    def swap_lines(self, text: str) -> str:
        def change(lines: list[str]) -> None:
            i, j = self.rng.randrange(len(lines)), self.rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]

        return _with_lines(text, change)

    def move_line(self, text: str) -> str:
        def change(lines: list[str]) -> None:
            line = lines.pop(self.rng.randrange(len(lines)))
            lines.insert(self.rng.randint(0, len(lines)), line if line.endswith("\n") else line + "\n")

        return _with_lines(text, change)

    def indent(self, text: str) -> str:
        def change(lines: list[str]) -> None:
            at = self.rng.randrange(len(lines))
            lines[at] = self.rng.choice((" ", "  ", "    ", "\t", " \t", "        ")) + lines[at]

        return _with_lines(text, change)

    def dedent(self, text: str) -> str:
        def change(lines: list[str]) -> None:
            at = self.rng.randrange(len(lines))
            lines[at] = lines[at][self.rng.choice((1, 2, 4)) :] if lines[at][:1] in (" ", "\t") else lines[at].lstrip()

        return _with_lines(text, change)

    def line_ending(self, text: str) -> str:
        ending = self.rng.choice(("\r\n", "\r", "\n\r", "\u2028", "\x85", ""))
        if self.rng.random() < 0.5:
            return text.replace("\n", ending)
        at = text.find("\n", _position(self.rng, text))
        return text if at < 0 else text[:at] + ending + text[at + 1 :]

    def splice(self, text: str) -> str:
        other = self.rng.choice(self.corpus).text
        if not other:
            return text
        start = self.rng.randrange(len(other))
        if self.rng.random() < 0.5:  # whole lines
            start = other.rfind("\n", 0, start) + 1
            end = other.find("\n", start + self.rng.randint(0, 300))
            end = len(other) if end < 0 else end + 1
        else:
            end = min(len(other), start + self.rng.randint(1, 200))
        at = _position(self.rng, text)
        if self.rng.random() < 0.5:
            at = text.rfind("\n", 0, at) + 1
        return text[:at] + other[start:end] + text[at:]

    def cut(self, text: str) -> str:
        return text[: _position(self.rng, text)]


def _mutation_count(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5, 6, 8), (30, 22, 16, 12, 8, 6, 6))[0]


#: a case is never bigger than this (characters), so the cases stay quick
MAX_SIZE = 200_000


def notation_case(seed: int, index: int) -> Case:
    """Case ``index`` of the notation run with ``seed``."""
    rng = random.Random(f"notation:{seed}:{index}")
    corpus = notation_corpus()
    origin = rng.choice(corpus)
    text, mutations = TextMutator(rng, TOKENS, corpus).mutate(origin.text, _mutation_count(rng))
    return Case("notation", seed, index, origin.name, text[:MAX_SIZE], mutations)


# -- mutations of JSON ---------------------------------------------------------------------


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a decoded JSON value (the root too)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for at, item in enumerate(value):
            found.extend(_paths(item, (*path, at)))
    return found


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


class JsonMutator:
    """Edits a decoded JSON document in place of its parts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def mutate(self, document: Any, count: int) -> tuple[Any, tuple[str, ...]]:
        operations: tuple[tuple[str, Callable[[Any, tuple[Any, ...]], Any], int], ...] = (
            ("remove", self.remove, 10),
            ("set value", self.set_value, 12),
            ("copy subtree", self.copy_subtree, 6),
            ("duplicate element", self.duplicate, 5),
            ("swap elements", self.swap, 4),
            ("rename key", self.rename, 5),
            ("wrap", self.wrap, 2),
            ("add key", self.add_key, 4),
        )
        done = []
        for _ in range(count):
            name, function, _ = self.rng.choices(operations, [w for _, _, w in operations])[0]
            path = self.rng.choice(_paths(document))
            document = function(document, path)
            done.append(f"{name} at {'/'.join(map(str, path)) or '(top)'}")
        return document, tuple(done)

    def _replace(self, document: Any, path: tuple[Any, ...], new: Any) -> Any:
        if not path:
            return new
        _get(document, path[:-1])[path[-1]] = new
        return document

    def remove(self, document: Any, path: tuple[Any, ...]) -> Any:
        if not path:
            return document
        container = _get(document, path[:-1])
        del container[path[-1]]
        return document

    def set_value(self, document: Any, path: tuple[Any, ...]) -> Any:
        return self._replace(document, path, copy.deepcopy(self.rng.choice(JSON_VALUES)))

    def copy_subtree(self, document: Any, path: tuple[Any, ...]) -> Any:
        source = self.rng.choice(_paths(document))
        return self._replace(document, path, copy.deepcopy(_get(document, source)))

    def duplicate(self, document: Any, path: tuple[Any, ...]) -> Any:
        value = _get(document, path)
        if isinstance(value, list) and value:
            at = self.rng.randrange(len(value))
            value.insert(at, copy.deepcopy(value[at]))
        return document

    def swap(self, document: Any, path: tuple[Any, ...]) -> Any:
        value = _get(document, path)
        if isinstance(value, list) and len(value) > 1:
            i, j = self.rng.sample(range(len(value)), 2)
            value[i], value[j] = value[j], value[i]
        return document

    def rename(self, document: Any, path: tuple[Any, ...]) -> Any:
        value = _get(document, path)
        if isinstance(value, dict) and value:
            key = self.rng.choice(list(value))
            new = self.rng.choice((key + "x", key.upper(), "", "title", "kind", "span", "data", "__proto__"))
            value[new] = value.pop(key)
        return document

    def wrap(self, document: Any, path: tuple[Any, ...]) -> Any:
        value = _get(document, path)
        return self._replace(document, path, [value] if self.rng.random() < 0.5 else {"value": value})

    def add_key(self, document: Any, path: tuple[Any, ...]) -> Any:
        value = _get(document, path)
        if isinstance(value, dict):
            key = self.rng.choice(("extra", "ranges", "source", "comments", "parent", "generated_title", "uses"))
            value[key] = copy.deepcopy(self.rng.choice(JSON_VALUES))
        return document


def json_case(seed: int, index: int) -> Case:
    """Case ``index`` of the JSON run with ``seed``: text, or (one time in five) the decoded object itself."""
    rng = random.Random(f"json:{seed}:{index}")
    corpus = json_corpus()
    origin = rng.choice(corpus)
    count = _mutation_count(rng)
    if rng.random() < 0.55:
        document, mutations = JsonMutator(rng).mutate(json.loads(origin.text), count)
        if rng.random() < 0.35:
            return Case("json", seed, index, origin.name, document, mutations)
        return Case("json", seed, index, origin.name, json.dumps(document, ensure_ascii=rng.random() < 0.5), mutations)
    text, mutations = TextMutator(rng, JSON_TOKENS, corpus).mutate(origin.text, count)
    return Case("json", seed, index, origin.name, text[:MAX_SIZE], mutations)


CASE_MAKERS: dict[str, Callable[[int, int], Case]] = {"notation": notation_case, "json": json_case}
