"""argmap.lalr against Lark: the fast path gives the model Lark's tree gives, span for span, or hands the input back.

The reader builds the model with :func:`argmap.lalr.run` (the saved tables, the builder's callbacks called as
rules are reduced, no tree) and falls back to Lark's parser and :func:`argmap.builder.build` over its tree when
it returns ``None`` or the builder raises. That is only sound if, on every input, the fast path either builds
exactly the model of the tree path (compared as argmap JSON, which holds every span) or gives up where the tree
path raises. This test holds the two side by side on the whole notation corpus, on thousands of fixed-seed
mutations of it (the fuzzer's cases) and on documents built to reach the loop's corners (deep relation trees,
comments, the end of input inside a construct, untitled elements that are named at the end).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fuzz.mutate import notation_case, notation_corpus

from argmap import builder, lalr, reader
from argmap.errors import ArgmapSyntaxError
from argmap.exporters.json import dumps

SEED = 424242
MUTATIONS = 4_000

CORNERS = {
    "empty": "",
    "only-newlines": "\n\n\n",
    "no-final-newline": "[A]: a",
    "deep": "[A]: a\n" + "".join("  " * (i + 1) + f"+ [S{i}]: s\n" for i in range(300)),
    "dedent-at-end": "[A]: a\n  + [B]: b\n    - <C>: c",
    "comments": "// one\n[A]: a /* two */ text\n<!-- three -->\n\n/* four\nlines */\n\n<B>: b // five",
    "pcs-at-end": "(1) [P]: p\n----\n(2) [C]: c",
    "unfinished-pcs": "(1) [P]: p\n----\n",
    "unclosed-data": "[A]: a {x: 1",
    "bad-dedent": "[A]: a\n    + [B]: b\n  + [C]: c",
    "stray-symbol": "[A]: a\n\n  + [B]: b",
    "front-matter": "===\ntitle: T\n===\n\n# H {a: 1}\n\n[A]: a #t #(long tag)",
    "inference": "(1) p\n-- rule one, rule two {uses: [1]} --\n(2) c",
    # named at the end, in document order: the structure's argument before its statements, titles taken skipped
    "untitled": "(1) p\n  + q\n    <- <Untitled 2>\n----\n(2) [Untitled 3]: c\n\nr\n  - s\n\n(1) t\n----\n(2) u",
    "untitled-argument-order": "<A>: a\n\n(1) p\n  +> <B>: b\n----\n(2) c\n\n<D>: d",
    "data-order": "[A]: a {x: 1}\n  + [A] {x: 2}\n    - [A]: again {x: 3}",
    "twice-structured": "<A>: a\n\n(1) p\n----\n(2) c\n\n<A>\n\n(1) q\n----\n(2) d",
    # heads the second process folds into one event (lalr.ChildWork), and the shapes next to them it must not fold
    "folded-heads": (
        "[A]: *bold* text\n\n[B]: #tag\n\n<C>: [link](https://x)\n  + [A] {x: 1}\n  - [B] #t\n  + [A]\n"
        "  - <C>\n\n<C>\n\n(1) [P]: @[A]\n(2) [Q]: plain\n(3) [S]: two\n  lines\n----\n(4) [R]: r\n\n[B]"
    ),
    "folded-empty-title": "[A]: a\n\n[ ]: text",
    "folded-no-text": "[A]: a\n\n[D]:\n\n[E]: e",
    "folded-empty-reference": "[A]: a\n  + < >",
}


def _tree_path(text: str) -> Any:
    """The model through Lark's tree, as argmap JSON, or the exception class raised."""
    try:
        tree, comments = reader._parse(text, "<test>")
        return dumps(builder.build(tree, text, "<test>", comments))
    except Exception as exc:  # the comparison is on what is raised
        return type(exc)


def _fast(text: str, two_processes: bool = False) -> Any:
    """The model through the fast path as argmap JSON, None when it gives up, or the exception class raised;
    with ``two_processes``, through :func:`argmap.lalr.run_in_two` as the reader runs it (a child parses)."""
    tables = lalr.tables()
    assert tables is not None
    postlexer = reader.ArgdownPostLexer()
    comments = postlexer.start(text, "<test>", lalr.Tok)
    callbacks = builder.callbacks(text, "<test>")
    token_callbacks = {"COMMENT": postlexer.collect_comment}
    try:
        if two_processes:  # plain contents worked out by the child, as in the reader
            done = lalr.run_in_two(
                tables, text, callbacks, postlexer.process, token_callbacks, comments, builder.CHILD_WORK
            )
            model, comments = done if done is not None else (None, comments)
        else:
            model = lalr.run(tables, text, callbacks, postlexer.process, token_callbacks)
    except ArgmapSyntaxError:  # the builder's and post-lexer's errors: the reader then takes the tree path
        return ArgmapSyntaxError
    return None if model is None else dumps(builder.with_comments(model, comments))


def _agree(text: str) -> None:
    text = reader.normalise_newlines(text)
    expected, got = _tree_path(text), _fast(text)
    if isinstance(expected, type):  # the tree path raises: the fast path must give up or raise too
        assert got is None or got is ArgmapSyntaxError, (
            f"the tree path raises {expected.__name__}, the fast one reads it"
        )
        return
    assert got is not None, "the fast path gave up on a document Lark parses"
    assert got is not ArgmapSyntaxError, "the fast path raised on a document the tree path reads"
    assert got == expected


def _corpus() -> Iterator[Any]:
    for seed in notation_corpus():
        yield pytest.param(seed.text, id=seed.name)


@pytest.mark.parametrize("text", list(_corpus()))
def test_corpus_document(text: str) -> None:
    _agree(text)


@pytest.mark.parametrize("name", sorted(CORNERS))
def test_corner(name: str) -> None:
    _agree(CORNERS[name])


def test_fixed_seed_mutations() -> None:
    gave_up = 0
    for index in range(MUTATIONS):
        case = notation_case(SEED, index)
        try:
            _agree(case.payload)
        except AssertionError as error:
            raise AssertionError(f"case {index} (from {case.origin}, {case.mutations}): {error}") from None
        gave_up += not isinstance(_fast(reader.normalise_newlines(case.payload)), str)
    # the mutations must reach both paths: documents the loop parses and documents it hands back
    assert MUTATIONS // 10 < gave_up < MUTATIONS - MUTATIONS // 10, gave_up


def test_saved_patterns_are_the_patterns_re_compiles() -> None:
    """The lexers' patterns are rebuilt from the regular-expression engine's saved form: the same pattern objects
    re.compile makes, matching the same text (the corpus documents above run through them too)."""
    import re
    import sys

    tables = lalr.tables()
    assert tables is not None
    sources = {(p, f) for spec in tables.lexer_specs for p, f in spec[0]}
    if sys.version_info >= (3, 11):
        assert {p for p, _ in sources} == set(tables.engine_forms)  # where the form is known, every pattern has one
    sample = "".join(seed.text for seed in notation_corpus())[:20_000]
    for source, flags in sources:
        saved, compiled = lalr._pattern(source, flags, tables.engine_forms.get(source)), re.compile(source, flags)
        assert (saved.pattern, saved.flags, saved.groups, saved.groupindex) == (
            compiled.pattern,
            compiled.flags,
            compiled.groups,
            compiled.groupindex,
        )
        for position in range(0, len(sample), 97):
            a, b = saved.match(sample, position), compiled.match(sample, position)
            assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup))


def test_patterns_by_first_character_match_what_the_whole_lexer_matches() -> None:
    """A long text is lexed with only the patterns that can start with the character at hand: at every position
    of the corpus (and of every character code below 0x250 and a few above), in every lexer, the same token."""
    tables = lalr.tables()
    assert tables is not None
    assert all(alternatives is not None for alternatives in tables.alternatives)  # every lexer of the grammar
    sample = "".join(seed.text for seed in notation_corpus())[:40_000]
    sample += "".join(chr(code) + " x" for code in [*range(0x250), 0x2028, 0x3000, 0xFEFF, 0x1F600, 0x10FFFF])
    states = {}
    for state, index in tables.lexer_of_state.items():
        states.setdefault(index, state)  # one state for each lexer
    for state in states.values():
        whole = tables.lexer(state)[0][0].match
        for position in range(len(sample)):
            a, b = tables.matcher(state, sample[position])(sample, position), whole(sample, position)
            assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (state, sample[position])


def test_the_loop_by_first_character_reads_what_lark_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus, the corners and a sample of mutations with the lexing by first character that long texts get."""
    monkeypatch.setattr(lalr, "_BY_CHARACTER_FROM", 0)
    texts = [seed.text for seed in notation_corpus()] + list(CORNERS.values())
    texts += [notation_case(SEED, index).payload for index in range(0, MUTATIONS, 10)]
    for text in texts:
        _agree(text)


def test_two_processes_build_what_one_builds() -> None:
    """Long texts are parsed in a child process while this one builds: the same maps, comments included, and
    no map where the fast path gives up or raises (the reader then reads the text with Lark either way), on the
    corpus, the corners and a sample of mutations."""
    texts = [seed.text for seed in notation_corpus()] + list(CORNERS.values())
    texts += [notation_case(SEED, index).payload for index in range(0, MUTATIONS, 40)]
    built = 0
    for text in texts:
        text = reader.normalise_newlines(text)
        expected, got = _fast(text), _fast(text, two_processes=True)
        if not isinstance(expected, str):  # gave up or raised: the post-lexer's errors are raised in the child
            assert got in (None, ArgmapSyntaxError), text[:200]
            continue
        assert got == expected, text[:200]
        built += isinstance(expected, str)
    assert built > len(texts) // 2


def test_long_texts_take_two_processes_only_where_forking_is_safe() -> None:
    import threading

    long_text = "[A]: a\n\n" * (lalr.TWO_PROCESSES_FROM // 8 + 1)
    assert lalr.two_processes_possible(long_text) == ((os.cpu_count() or 1) > 1)
    assert not lalr.two_processes_possible("[A]: a\n")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not lalr.two_processes_possible(long_text)  # another thread: a fork could copy a held lock
    finally:
        stop.set()
        other.join()


def test_the_command_s_second_process_reads_a_long_map_alike(tmp_path: Any) -> None:
    """argmap.parse(..., processes=2), as the command reads: the same map as one process, spans and all."""
    import argmap
    from benchmarks.generate import generate

    text = generate(9_000, seed=3)
    assert lalr.two_processes_possible(text) or (os.cpu_count() or 1) == 1  # long enough, and nothing stops it
    one, two = argmap.parse(text, "big.arg"), argmap.parse(text, "big.arg", processes=2)
    assert dumps(two) == dumps(one)


def test_without_the_tables_the_reader_parses_with_lark(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the tables cannot be taken from Lark (its internals changed in a release), argmap still reads: the same
    map, through Lark's tree. A fault put where the tables are made stands in for such a release."""

    def changed(parser: Any) -> Any:
        raise AttributeError("'ContextualLexer' object has no attribute 'lexers'")

    expected = dumps(reader.read_file("examples/north-korea.arg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no saved tables to find
    monkeypatch.setattr(lalr, "_from_lark", changed)
    lalr.tables.cache_clear()
    try:
        assert lalr.tables() is None
        assert dumps(reader.read_file("examples/north-korea.arg")) == expected
    finally:
        lalr.tables.cache_clear()


def test_new_tables_prune_the_old_ones_from_the_cache(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """One table file is written per argmap version, grammar, Lark and Python: writing one removes all but the
    newest few of the others, and nothing else in the folder."""
    folder = tmp_path / "argmap"
    folder.mkdir()
    old = []
    for age in range(6):  # age 0 is the newest
        path = folder / f"tables-old{age}.marshal"
        path.write_bytes(b"stale")
        os.utime(path, ns=(1_000_000_000_000 * (10 - age),) * 2)
        old.append(path)
    others = [folder / "grammar-0123.lark-cache", folder / "notes.txt"]
    for path in others:
        path.write_text("not tables")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lalr.tables.cache_clear()
    try:
        assert lalr.tables() is not None  # made with Lark and saved in the empty-handed cache
    finally:
        lalr.tables.cache_clear()
    left = sorted(p.name for p in folder.glob("tables-*.marshal"))
    assert len(left) == reader.CACHE_FILES_KEPT
    assert {p.name for p in old[: reader.CACHE_FILES_KEPT - 1]} < set(left)  # the newest old ones stay
    assert all(path.exists() for path in others)
