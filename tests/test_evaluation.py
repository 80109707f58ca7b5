"""Evaluation (docs/evaluation.md): the framework, every label and reason, the semantics, the article.

The worked examples of docs/evaluation.md are read from the page and checked line for
line, so the page and argmap cannot drift apart. The property tests hold argmap's
grounded labelling to python-argumentation's grounded extension of the same framework,
and argmap's preferred and stable labellings (searched only where the grounded one is
undecided) to python-argumentation's search over the whole framework. Under CI (env CI
set) the examples are derandomised, as in test_properties.py.
"""

from __future__ import annotations

import doctest
import itertools
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import EXAMPLES, argument_maps, property_settings

import argmap
from argmap.evaluation import (
    Evaluation,
    Label,
    Labelling,
    SemanticsUnavailableError,
    _extensions,
    framework,
    grounded,
    render_text,
    to_data,
)
from argmap.model import (
    Argument,
    ArgumentMap,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    Relation,
    RelationKind,
    Statement,
)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "evaluation.md"
ARTICLE = ROOT / "examples" / "north-korea.arg"

IN, OUT, UNDECIDED = Label.IN, Label.OUT, Label.UNDECIDED


def labels(text: str, semantics: str = "grounded") -> dict[str, tuple[Label, str]]:
    """Each element's label and reason, by its name as Argdown writes it."""
    evaluation = argmap.parse(text).evaluate(semantics)
    return {str(node): (v.label, v.reason) for node, v in evaluation.labelling.verdicts.items()}


# -- the page ------------------------------------------------------------------------


def _doc_examples() -> list[tuple[str, list[str]]]:
    """(map, [expected text, ...]) for each ```argdown block of the page and the ```text blocks after it."""
    blocks = re.findall(r"^```(\w+)\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    examples: list[tuple[str, list[str]]] = []
    for language, body in blocks:
        if language == "argdown":
            examples.append((body, []))
        elif language == "text" and examples:
            examples[-1][1].append(body)
    return examples


def test_the_page_has_its_worked_examples() -> None:
    examples = _doc_examples()
    assert len(examples) >= 4
    assert all(expected for _, expected in examples), "every map on the page is followed by its evaluation"
    shown = {text.split(" ", 1)[0] for _, texts in examples for text in texts}
    assert shown == {"grounded", "preferred", "stable"}


@pytest.mark.parametrize(("text", "expected"), _doc_examples(), ids=lambda v: v[:20] if isinstance(v, str) else "")
def test_worked_examples_of_the_page(text: str, expected: list[str]) -> None:
    m = argmap.parse(text)
    for block in expected:
        semantics = block.split(" ", 1)[0]
        assert render_text(m.evaluate(semantics)) == block


def test_python_examples_of_the_page() -> None:
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 8
    assert result.failed == 0


# -- statements ------------------------------------------------------------------------


def test_an_unattacked_statement_is_in() -> None:
    assert labels("[A]: a") == {"[A]": (IN, "in: nothing attacks it")}


def test_attack_chain_reinstates() -> None:
    found = labels("[A]: a\n  - [B]: b\n    - [C]: c\n      - [D]: d")
    assert found == {
        "[A]": (OUT, "out: attacked by [B], which is in"),
        "[B]": (IN, "in: attacked by [C], which is out"),
        "[C]": (OUT, "out: attacked by [D], which is in"),
        "[D]": (IN, "in: nothing attacks it"),
    }


def test_several_attackers_are_named_together() -> None:
    found = labels("[A]: a\n  - [B]: b\n  - [C]: c\n  -> [D]: d")
    assert found["[A]"] == (OUT, "out: attacked by [B] and [C], which are in")
    many = "[A]: a\n" + "".join(f"  - [B{i}]: b\n" for i in range(8))
    assert labels(many)["[A]"] == (
        OUT,
        "out: attacked by [B0], [B1], [B2], [B3], [B4] and 3 more, which are in",
    )


def test_contradiction_attacks_both_ways() -> None:
    found = labels("[A]: a\n  >< [B]: b\n  - [C]: c")
    assert found["[A]"] == (OUT, "out: contradicted by [B], which is in; attacked by [C], which is in")
    assert found["[B]"] == (IN, "in: contradicted by [A], which is out")
    found = labels("[A]: a\n  >< [B]: b\n\n[C]: c\n  -> [B]")
    assert found["[A]"] == (IN, "in: contradicted by [B], which is out")
    assert found["[B]"] == (OUT, "out: contradicted by [A], which is in; attacked by [C], which is in")


def test_strict_mode_contrariness_attacks_both_ways() -> None:
    text = "===\nmodel:\n  mode: strict\n===\n\n[A]: a\n  - [B]: b\n"
    assert [r.kind for r in argmap.parse(text).derived_relations()] == [RelationKind.CONTRARINESS]
    assert labels(text) == {
        "[A]": (UNDECIDED, "undecided: contrary to [B], which is undecided"),
        "[B]": (UNDECIDED, "undecided: contrary to [A], which is undecided"),
    }
    found = labels(text + "    {status: rejected}\n")
    assert found["[A]"] == (IN, "in: contrary to [B], which is out")
    assert found["[B]"] == (OUT, "out: rejected by the author; contrary to [A], which is in")


def test_supports_and_entailments_attack_nothing_and_derive_nothing() -> None:
    found = labels("[A]: a\n  + [B]: b\n  - [C]: c\n\n[D]: d\n  +> [C]")
    assert found["[A]"] == (OUT, "out: attacked by [C], which is in")
    assert found["[B]"] == found["[D]"] == (IN, "in: nothing attacks it")
    strict = labels("===\nmodel: {mode: strict}\n===\n\n[A]: a\n  + [B]: b")
    assert strict == {"[A]": (IN, "in: nothing attacks it"), "[B]": (IN, "in: nothing attacks it")}


def test_an_undercut_written_under_a_statement_attacks_it() -> None:
    found = labels("[A]: a\n  <_ [B]: b")
    assert found["[A]"] == (OUT, "out: undercut by [B], which is in")


# -- arguments -------------------------------------------------------------------------

PCS = """<Arg>: the argument

(1) [P]: p
(2) [Q]: q
----
(3) [C]: c
"""


def test_an_argument_with_standing_premises_stands_and_derives_its_conclusion() -> None:
    found = labels(PCS)
    assert found["<Arg>"] == (IN, "in: its premises [P] and [Q] are in; nothing attacks it")
    assert found["[C]"] == (IN, "in: argued for by <Arg>, which is in; nothing attacks it")


def test_a_premise_out_takes_the_argument_and_its_conclusion_down() -> None:
    found = labels(PCS + "\n[X]: x\n  -> [P]")
    assert found["[P]"] == (OUT, "out: attacked by [X], which is in")
    assert found["<Arg>"] == (OUT, "out: its premise [P] is out")
    assert found["[C]"] == (OUT, "out: no argument for it stands (<Arg> is out)")


def test_a_second_argument_keeps_the_conclusion_standing() -> None:
    text = PCS + "\n[X]: x\n  -> [P]\n\n<Other>\n\n(1) [R]: r\n----\n(2) [C]\n"
    found = labels(text)
    assert found["<Arg>"][0] is OUT
    assert found["[C]"] == (IN, "in: argued for by <Other>, which is in; nothing attacks it")


def test_an_attack_on_the_argument_itself() -> None:
    found = labels(PCS + "\n[X]: x\n  -> <Arg>")
    assert found["<Arg>"] == (OUT, "out: attacked by [X], which is in")
    assert found["[P]"][0] is IN


def test_undercut_out_and_in() -> None:
    found = labels(PCS.replace("the argument\n", "the argument\n  <_ [U]: u\n"))
    assert found["<Arg> (inference)"] == (OUT, "out: undercut by [U], which is in")
    assert found["<Arg>"] == (OUT, "out: its inference is undercut by [U], which is in")
    assert found["[C]"] == (OUT, "out: no argument for it stands (<Arg> is out)")
    found = labels(PCS.replace("the argument\n", "the argument\n  <_ [U]: u\n    - [V]: v\n"))
    assert found["<Arg> (inference)"] == (IN, "in: undercut by [U], which is out")
    assert found["<Arg>"] == (
        IN,
        "in: its premises [P] and [Q] are in; its inference is undercut by [U], which is out; nothing attacks it",
    )


def test_relations_of_a_reconstructed_argument_act_from_its_conclusion() -> None:
    # <Arg> -> [T] is [C] -> [T]: it stands or falls with [C]
    text = PCS.replace("the argument\n", "the argument\n  -> [T]: t\n")
    assert [str(r) for r in argmap.parse(text).derived_relations()] == ["[C] attack [T]"]
    assert labels(text)["[T]"] == (OUT, "out: attacked by [C], which is in")
    assert labels(text + "\n[X]: x\n  -> [P]")["[T]"] == (IN, "in: attacked by [C], which is out")


def test_a_sketched_argument_attacks_as_itself() -> None:
    found = labels("<Sketch>: a sketch\n  -> [T]: t\n  - [X]: x")
    assert found["<Sketch>"] == (OUT, "out: attacked by [X], which is in")
    assert found["[T]"] == (IN, "in: attacked by <Sketch>, which is out")
    found = labels("<Sketch>: a sketch\n  <_ [U]: u\n  _> <Other>: other")
    assert found["<Sketch>"] == (OUT, "out: its inference is undercut by [U], which is in")
    assert found["<Other> (inference)"] == (IN, "in: undercut by <Sketch>, which is out")
    assert found["<Other>"] == (IN, "in: its inference is undercut by <Sketch>, which is out; nothing attacks it")


def test_intermediate_conclusions() -> None:
    text = """<Chain>

(1) [P]: p
----
(2) [M]: m
(3) [Q]: q
----
(4) [C]: c
"""
    found = labels(text)
    assert found["[M]"] == (IN, "in: argued for by <Chain> up to (2), which is in; nothing attacks it")
    found = labels(text + "\n[X]: x\n  -> [P]")
    assert found["[M]"] == (OUT, "out: no argument for it stands (<Chain> up to (2) is out)")
    assert found["<Chain>"] == (OUT, "out: its premise [P] is out; its intermediate conclusion [M] is out")
    found = labels(text + "\n[X]: x\n  -> [M]")
    assert found["[M]"] == (OUT, "out: attacked by [X], which is in")
    assert found["<Chain>"] == (OUT, "out: its intermediate conclusion [M] is out")


def test_an_intermediate_inference_uses_the_steps_it_names() -> None:
    text = """<Chain>

(1) [P]: p
(2) [R]: r
--
modus ponens
{uses: [1]}
--
(3) [M]: m
(4) [Q]: q
----
(5) [C]: c

[X]: x
  -> [R]
"""
    found = labels(text)
    assert found["[M]"][0] is IN  # it does not use [R]
    assert found["<Chain>"] == (OUT, "out: its premise [R] is out")


# -- cycles ---------------------------------------------------------------------------


def test_cycles_are_undecided() -> None:
    found = labels("[A]: a\n  >< [B]: b")
    assert found == {
        "[A]": (UNDECIDED, "undecided: contradicted by [B], which is undecided"),
        "[B]": (UNDECIDED, "undecided: contradicted by [A], which is undecided"),
    }
    odd = labels("[A]: a\n  - [B]: b\n    - [C]: c\n      - [A]")
    assert {label for label, _ in odd.values()} == {UNDECIDED}
    # what an undecided element attacks is undecided too; an attacker that is in settles it
    found = labels("[A]: a\n  >< [B]: b\n\n[B]\n  -> [T]: t\n\n[U]: u\n  -> [T]\n  -> [V]: v\n\n[A]\n  -> [V]")
    assert found["[T]"] == (OUT, "out: attacked by [U], which is in")
    assert found["[V]"] == (OUT, "out: attacked by [U], which is in")


def test_an_undecided_premise_and_undercut() -> None:
    text = PCS.replace("the argument\n", "the argument\n  <_ [U]: u\n") + "\n[X]: x\n  >< [P]\n\n[Y]: y\n  >< [U]\n"
    found = labels(text)
    assert found["[P]"][0] is UNDECIDED
    assert found["<Arg>"] == (
        UNDECIDED,
        "undecided: its premise [P] is undecided; its inference is undercut by [U], which is undecided",
    )
    assert found["<Arg> (inference)"] == (UNDECIDED, "undecided: undercut by [U], which is undecided")
    assert found["[C]"] == (
        UNDECIDED,
        "undecided: no argument for it is in, and its argument <Arg> is undecided",
    )


def test_a_circular_argument_is_undecided() -> None:
    circle = "<Circle>\n\n(1) [A]: a\n----\n(2) [B]: b\n\n<Back>\n\n(1) [B]\n----\n(2) [A]\n"
    found = labels(circle + "\n[A]\n  {status: accepted}")
    assert found["[A]"][0] is IN  # accepted: it needs no argument
    found = labels(circle)
    assert {label for label, _ in found.values()} == {UNDECIDED}
    assert found["[A]"] == (UNDECIDED, "undecided: no argument for it is in, and its argument <Back> is undecided")


def test_a_long_chain_is_labelled_without_recursion() -> None:
    size = 30_000
    statements = {f"S{i}": Statement(f"S{i}") for i in range(size)}
    relations = tuple(
        Relation(Node(ElementKind.STATEMENT, f"S{i + 1}"), Node(ElementKind.STATEMENT, f"S{i}"), RelationKind.ATTACK)
        for i in range(size - 1)
    )
    labelling = ArgumentMap(statements, relations=relations).evaluate().labelling
    assert labelling.label(f"S{size - 1}") is IN
    assert labelling.label("S0") is (IN if (size - 1) % 2 == 0 else OUT)
    assert labelling.counts() == {IN: size // 2, OUT: size // 2, UNDECIDED: 0}


# -- the author's status ----------------------------------------------------------------


def test_status_rejected_questioned_accepted() -> None:
    found = labels("[A]: a\n  {status: rejected}\n\n[B]: b\n  {status: questioned}\n\n[C]: c\n  {status: accepted}")
    assert found == {
        "[A]": (OUT, "out: rejected by the author"),
        "[B]": (UNDECIDED, "undecided: questioned by the author"),
        "[C]": (IN, "in: accepted by the author; nothing attacks it"),
    }


def test_a_questioned_statement_still_falls_to_an_attacker() -> None:
    found = labels("[B]: b\n  {status: questioned}\n  - [X]: x")
    assert found["[B]"] == (OUT, "out: attacked by [X], which is in")


def test_an_accepted_conclusion_needs_no_argument_but_still_falls_to_attacks() -> None:
    text = PCS + "\n[C]\n  {status: accepted}\n\n[X]: x\n  -> [P]"
    assert labels(text)["[C]"] == (IN, "in: accepted by the author; nothing attacks it")
    assert labels(text + "\n  -> [C]")["[C]"] == (OUT, "out: attacked by [X], which is in")


def test_status_is_read_case_insensitively() -> None:
    assert labels("[A]: a\n  {status: ' Rejected '}")["[A]"][0] is OUT


def test_a_bad_status_warns_and_is_ignored() -> None:
    m = argmap.parse("[A]: a\n  {status: rejectd}\n\n<Arg>: x\n  {status: rejected}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labelling = m.evaluate().labelling
    assert labelling.label("A") is IN
    assert labelling.label("Arg") is IN
    messages = [str(w.message) for w in caught]
    assert messages == [
        "argument <Arg> (line 4): data 'status' is read on statements only; ignored "
        "(give the status to a premise, or undercut the argument)",
        "statement [A] (line 1): data 'status' must be accepted, questioned or rejected, not 'rejectd'; ignored",
    ]


# -- the API ---------------------------------------------------------------------------


def test_lookups() -> None:
    m = argmap.parse("[A]: a\n  - <A>: arg\n    <_ [U]: u")
    labelling = m.evaluate().labelling
    assert labelling.label("A") is IN  # a bare title is a statement first
    assert labelling.label("[A]") is IN
    assert labelling.label("<A>") is OUT
    assert labelling.label("<A> (inference)") is OUT
    assert labelling.label(m.statements["A"]) is IN
    assert labelling.label(m.arguments["A"]) is OUT
    assert labelling.label(Node(ElementKind.INFERENCE, "A")) is OUT
    assert "U" in labelling and "<U>" not in labelling and 3 not in labelling
    assert list(labelling) == [
        Node(ElementKind.STATEMENT, "A"),
        Node(ElementKind.STATEMENT, "U"),
        Node(ElementKind.ARGUMENT, "A"),
        Node(ElementKind.INFERENCE, "A"),
    ]
    assert len(labelling) == 4
    assert labelling.nodes(OUT) == (Node(ElementKind.ARGUMENT, "A"), Node(ElementKind.INFERENCE, "A"))
    with pytest.raises(KeyError, match="no statement or argument titled 'Z'"):
        labelling.label("Z")
    with pytest.raises(KeyError, match=r"\[Z\] was not evaluated"):
        labelling.label("[Z]")


def test_evaluation_shortcuts_need_exactly_one_labelling() -> None:
    evaluation = argmap.parse("[A]: a").evaluate()
    assert evaluation.semantics == "grounded"
    assert evaluation["A"].label is IN and evaluation.reason("A") == "in: nothing attacks it"
    none = Evaluation("stable", ())
    with pytest.raises(ValueError, match="stable semantics gave 0 labellings of this map, not one"):
        none.labelling  # noqa: B018


def test_unknown_semantics() -> None:
    with pytest.raises(ValueError, match="unknown semantics 'ideal'; known: grounded, preferred, stable"):
        argmap.parse("[A]: a").evaluate("ideal")


def test_preferred_without_python_argumentation(monkeypatch: pytest.MonkeyPatch) -> None:
    # what an installation without the 'semantics' extra sees: the package cannot be imported
    for name in [n for n in sys.modules if n == "py_arg" or n.startswith("py_arg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "py_arg", None)
    m = argmap.parse("[A]: a\n  >< [B]: b")
    assert m.evaluate().label("A") is UNDECIDED  # grounded needs nothing
    with pytest.raises(SemanticsUnavailableError, match=r"pip install 'argmap\[semantics\]'"):
        m.evaluate("preferred")


def test_evaluating_imports_nothing_at_import_time() -> None:
    import subprocess

    code = "import sys, argmap; argmap.parse('[A]'); print('argmap.evaluation' in sys.modules, 'py_arg' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert found.stdout.split() == ["False", "False"]
    code = "import sys, argmap; argmap.parse('[A]: a').evaluate(); print('py_arg' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert found.stdout.split() == ["False"]


def test_framework_of_a_small_map() -> None:
    text = PCS.replace("the argument\n", "the argument\n  <_ [U]: u\n") + "\n[P]\n  {status: questioned}"
    af = framework(argmap.parse(text))
    names = dict(enumerate(af.names))
    pairs = {(names[a], names[b]) for a, b in af.attacks}
    assert af.names[: len(af.index)] == ("[U]", "[P]", "[Q]", "[C]", "<Arg>", "<Arg> (inference)")
    assert pairs == {
        ("[U]", "<Arg> (inference)"),
        ("[P]", "fails: [P]"),
        ("fails: [P]", "<Arg>"),
        ("[Q]", "fails: [Q]"),
        ("fails: [Q]", "<Arg>"),
        ("<Arg> (inference)", "fails: <Arg> (inference)"),
        ("fails: <Arg> (inference)", "<Arg>"),
        ("<Arg>", "no argument for: [C]"),
        ("no argument for: [C]", "[C]"),
        ("[P]", "questioned: [P]"),
        ("questioned: [P]", "[P]"),
    }
    assert len(pairs) == len(af.attacks)


def test_to_data() -> None:
    data = to_data(argmap.parse("[A]: a\n  - [B]: b").evaluate())
    assert data == {
        "semantics": "grounded",
        "labellings": [
            {
                "counts": {"in": 1, "out": 1, "undecided": 0},
                "labels": [
                    {"kind": "statement", "title": "A", "label": "out", "reason": "out: attacked by [B], which is in"},
                    {"kind": "statement", "title": "B", "label": "in", "reason": "in: nothing attacks it"},
                ],
            }
        ],
    }


# -- the article ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article() -> Labelling:
    return argmap.parse_file(ARTICLE).evaluate().labelling


def test_the_article_summary(article: Labelling) -> None:
    assert article.summary() == "38 in, 11 out, 0 undecided"
    assert len(article) == len(argmap.parse_file(ARTICLE).statements) + 9 + 1  # 9 arguments, 1 undercut


@pytest.mark.parametrize(
    ("element", "label", "reason"),
    [
        ("Six-party talks", IN, "in: nothing attacks it"),
        ("Kim open to change", IN, "in: contradicted by [As bad as ever], which is out"),
        ("<Defection as a sign> (inference)", OUT, "out: undercut by [Personal reasons], which is in"),
        ("<Defection as a sign>", OUT, "out: its inference is undercut by [Personal reasons], which is in"),
        (
            "As bad as ever",
            OUT,
            "out: contradicted by [Kim open to change], which is in; "
            "no argument for it stands (<Defection as a sign> is out)",
        ),
        ("Bargaining chip", OUT, "out: attacked by [UN sanctions], which is in"),
        ("<Nuclear bargaining chip>", OUT, "out: its premise [Bargaining chip] is out"),
        (
            "Different from past",
            OUT,
            "out: attacked by [Unpredictable leaders] and [No significant change], which are in",
        ),
        (
            "<Trust deficit>",
            IN,
            "in: its premises [Six-party talks], [Fragile state] and [Mutual mistrust] are in; nothing attacks it",
        ),
        ("Mutual understanding", IN, "in: argued for by <Trust deficit>, which is in; nothing attacks it"),
        (
            "Way forward",
            OUT,
            "out: attacked by [Gesture politics], which is in; no argument for it stands (<Twofold answer> is out)",
        ),
        ("Long process", IN, "in: nothing attacks it"),
    ],
)
def test_the_article(article: Labelling, element: str, label: Label, reason: str) -> None:
    assert (article.label(element), article.reason(element)) == (label, reason)


def test_the_article_under_preferred_and_stable_semantics() -> None:
    m = argmap.parse_file(ARTICLE)
    grounded_labelling = m.evaluate().labelling
    for semantics in ("preferred", "stable"):
        evaluation = m.evaluate(semantics)
        # nothing is undecided in the grounded labelling: it is the only preferred and stable one
        assert [labelling.verdicts for labelling in evaluation.labellings] == [grounded_labelling.verdicts]


# -- properties: python-argumentation is the oracle ------------------------------------------

_STATEMENTS = [f"S{i}" for i in range(7)]
_ARGUMENTS = [f"A{i}" for i in range(4)]


@st.composite
def structural_maps(draw: st.DrawFn, *, small: bool = False) -> ArgumentMap:
    """Maps of every shape evaluation reads: premise–conclusion structures with intermediate steps and
    ``uses``, sketches, every relation kind (undercuts of arguments and of statements), ends the map
    does not define, strict mode, and the author's statuses. ``small`` ones have frameworks small enough
    for python-argumentation's preferred and stable search over all of it (exponential in its size)."""
    strict = draw(st.booleans())
    statements = {}
    for title in _STATEMENTS[: draw(st.integers(1, 3 if small else len(_STATEMENTS)))]:
        status = draw(st.sampled_from([None, None, None, "rejected", "questioned", "accepted"]))
        statements[title] = Statement(title, data={"status": status} if status else {})
    titles = [*statements, "S9"]  # S9: named but never defined
    arguments = {}
    for title in _ARGUMENTS[: draw(st.integers(0, 2 if small else len(_ARGUMENTS)))]:
        steps: list[Premise | Conclusion] = []
        for _ in range(draw(st.integers(0, 1 if small else 3))):  # inferences; 0: a sketch
            for _ in range(draw(st.integers(1, 2))):
                steps.append(Premise(len(steps) + 1, draw(st.sampled_from(titles))))
            uses = tuple(draw(st.lists(st.integers(1, len(steps)), max_size=2, unique=True)))
            steps.append(Conclusion(len(steps) + 1, draw(st.sampled_from(titles)), Inference((), uses)))
        arguments[title] = Argument(title, steps=tuple(steps))
    nodes = [Node(ElementKind.STATEMENT, t) for t in titles] + [
        Node(ElementKind.ARGUMENT, t) for t in [*arguments, "A9"]
    ]
    relations = []
    for _ in range(draw(st.integers(0, 5 if small else 12))):
        source, target = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
        kind = draw(st.sampled_from(list(RelationKind)))
        if kind is RelationKind.UNDERCUT and target.kind is ElementKind.ARGUMENT:
            target = Node(ElementKind.INFERENCE, target.title)
        relations.append(Relation(source, target, kind))
    metadata: dict[str, Any] = {"model": {"mode": "strict"}} if strict else {}
    return ArgumentMap(statements, arguments, tuple(relations), metadata=metadata)


@st.composite
def attack_graphs(draw: st.DrawFn) -> ArgumentMap:
    """Statements only, attacking and contradicting each other at random: the framework is any small graph."""
    titles = _STATEMENTS[: draw(st.integers(1, 7))]
    nodes = [Node(ElementKind.STATEMENT, t) for t in titles]
    pairs = draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=12))
    kinds = st.sampled_from([RelationKind.ATTACK, RelationKind.ATTACK, RelationKind.CONTRADICTION])
    relations = tuple(Relation(a, b, draw(kinds)) for a, b in pairs)
    return ArgumentMap({t: Statement(t) for t in titles}, relations=relations)


def _pyarg(af: Any) -> Any:
    from py_arg.abstract_argumentation_classes.abstract_argumentation_framework import (
        AbstractArgumentationFramework,
    )
    from py_arg.abstract_argumentation_classes.argument import Argument as PyArgArgument
    from py_arg.abstract_argumentation_classes.defeat import Defeat

    nodes = [PyArgArgument(str(i)) for i in range(len(af.names))]
    return AbstractArgumentationFramework("oracle", nodes, [Defeat(nodes[a], nodes[b]) for a, b in af.attacks])


def _extension(labelling: tuple[Label, ...]) -> set[int]:
    return {i for i, label in enumerate(labelling) if label is IN}


def _assert_complete(af: Any, labelling: tuple[Label, ...]) -> None:
    """in: every attacker out; out: some attacker in; undecided: neither (the labelling is complete)."""
    attackers: dict[int, list[int]] = {}
    for a, b in af.attacks:
        attackers.setdefault(b, []).append(a)
    for node, label in enumerate(labelling):
        found = [labelling[a] for a in attackers.get(node, [])]
        expected = IN if all(f is OUT for f in found) else OUT if IN in found else UNDECIDED
        assert label is expected, af.names[node]


def _check_grounded(m: ArgumentMap) -> None:
    from py_arg.algorithms.semantics.get_grounded_extension import get_grounded_extension

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        af = framework(m)
        evaluation = m.evaluate()
    labelling = grounded(af)
    oracle = {int(a.name) for a in get_grounded_extension(_pyarg(af))}
    assert _extension(labelling) == oracle
    _assert_complete(af, labelling)
    assert {node: v.label for node, v in evaluation.labelling.verdicts.items()} == {
        node: labelling[i] for node, i in af.index.items()
    }
    assert all(v.reason.startswith(v.label.value + ": ") for v in evaluation.labelling.verdicts.values())
    for verdict in evaluation.labelling.verdicts.values():  # the safety nets of the wording are never needed
        assert "nothing, which" not in verdict.reason and "no attacker decides it" not in verdict.reason


@property_settings(EXAMPLES * 4)
@given(structural_maps())
def test_grounded_labelling_is_python_argumentations_grounded_extension(m: ArgumentMap) -> None:
    _check_grounded(m)


@property_settings(max(1, EXAMPLES // 2))
@given(argument_maps(ranges=False))
def test_grounded_labelling_of_notation_maps(m: ArgumentMap) -> None:
    _check_grounded(m)


#: the largest framework python-argumentation searches in full here (its search doubles with each node)
_SEARCHED = 16


def _check_preferred_and_stable(m: ArgumentMap, semantics: str) -> None:
    from py_arg.algorithms.semantics.get_preferred_extensions import get_preferred_extensions
    from py_arg.algorithms.semantics.get_stable_extensions import get_stable_extensions

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        af = framework(m)
        evaluation = m.evaluate(semantics)
    assume(len(af.names) <= _SEARCHED)
    find = get_preferred_extensions if semantics == "preferred" else get_stable_extensions
    oracle = {frozenset(int(a.name) for a in extension) for extension in find(_pyarg(af))}
    # the whole labellings, helper nodes too, from the search on the grounded labelling's undecided part only
    whole = _extensions(af, grounded(af), semantics)
    assert {frozenset(_extension(labelling)) for labelling in whole} == oracle
    assert len(whole) == len(oracle)
    for labelling in whole:
        _assert_complete(af, labelling)
    # and what the evaluation says of the map's elements
    elements = set(range(len(af.index)))
    found = {
        frozenset(i for node, i in af.index.items() if labelling.label(node) is IN)
        for labelling in evaluation.labellings
    }
    assert found == {extension & elements for extension in oracle}
    assert len(evaluation.labellings) == len(oracle)
    if semantics == "stable":
        assert all(labelling.counts()[UNDECIDED] == 0 for labelling in evaluation.labellings)


@property_settings(EXAMPLES * 2)
@given(attack_graphs(), st.sampled_from(["preferred", "stable"]))
def test_preferred_and_stable_labellings_of_attack_graphs(m: ArgumentMap, semantics: str) -> None:
    _check_preferred_and_stable(m, semantics)


@property_settings(EXAMPLES * 2)
@given(structural_maps(small=True), st.sampled_from(["preferred", "stable"]))
def test_preferred_and_stable_labellings_are_python_argumentations(m: ArgumentMap, semantics: str) -> None:
    _check_preferred_and_stable(m, semantics)


# -- the exporters ------------------------------------------------------------------------


def test_json_carries_the_evaluation_and_validates() -> None:
    import json

    import jsonschema

    from argmap.exporters.json import dump_map, schema

    m = argmap.parse_file(ARTICLE)
    validator = jsonschema.Draft202012Validator(schema())
    plain = argmap.export(m, "json")
    assert "evaluation" not in json.loads(plain)
    assert argmap.export(m, "json", evaluate=False) == argmap.export(m, "json", evaluate="false") == plain
    for value in (True, "true", "grounded", m.evaluate(), m.evaluate().labelling):
        text = argmap.export(m, "json", evaluate=value)
        assert isinstance(text, str)
        document = json.loads(text)
        validator.validate(document)
        assert document["evaluation"] == to_data(m.evaluate())
        assert argmap.from_json(text) == m  # read back, the evaluation is ignored
        assert text == json.dumps(dump_map(m, evaluation=m.evaluate()), ensure_ascii=False, indent=2) + "\n"
    cycle = argmap.parse("[A]: a\n  >< [B]: b")
    document = json.loads(str(argmap.export(cycle, "json", evaluate="stable")))
    validator.validate(document)
    assert [labelling["counts"] for labelling in document["evaluation"]["labellings"]] == [
        {"in": 1, "out": 1, "undecided": 0},
        {"in": 1, "out": 1, "undecided": 0},
    ]
    broken = json.loads(str(argmap.export(cycle, "json", evaluate=True)))
    broken["evaluation"]["labellings"][0]["labels"][0]["label"] = "maybe"
    assert not validator.is_valid(broken)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ideal", "option 'evaluate' must be true, false or a semantics"),
        (3, "option 'evaluate' must be true, false, a semantics' name, an Evaluation or a Labelling, not 3"),
    ],
)
def test_a_bad_evaluate_option(value: object, message: str) -> None:
    with pytest.raises(argmap.ExporterError, match=re.escape(message)):
        argmap.export(argmap.parse("[A]: a"), "json", evaluate=value)


EVALUATED = """[A]: a claim
  - [B]: b attacks
    - [C]: c

[X]: x
  >< [Y]: y

<Arg>: the argument
  <_ [U]: u

(1) [P]: p
----
(2) [Q]: q
"""


def _dot_nodes(dot: str) -> dict[str, str]:
    """The attribute text of each node statement, by the title in bold in its label."""
    found = {}
    for line in dot.splitlines():
        title = re.search(r"label=<<B>(?:[✓✗?] )?([^<]*)</B>", line)
        if title and "->" not in line and not line.strip().startswith("legend_"):
            found[title.group(1)] = line
    return found


def test_dot_marks_each_box_by_colour_border_and_glyph() -> None:
    from argmap.exporters.dot import LABEL_STYLE

    m = argmap.parse(EVALUATED)
    plain = str(argmap.export(m, "dot"))
    assert str(argmap.export(m, "dot", evaluate=False)) == plain
    assert "✓" not in plain and "tooltip" not in plain
    nodes = _dot_nodes(str(argmap.export(m, "dot", evaluate=True)))
    expected = {"A": "in", "B": "out", "C": "in", "X": "undecided", "Y": "undecided", "Arg": "out", "U": "in"}
    for title, label in expected.items():
        line = nodes[title]
        glyph = Label(label).glyph
        assert f"label=<<B>{glyph} {title}</B>" in line
        assert f'color="{LABEL_STYLE[label]["color"]}"' in line
        assert f'style="{LABEL_STYLE[label]["style"]}"' in line
        reason = m.evaluate().reason(f"<{title}>" if title == "Arg" else title)
        assert f'tooltip="{reason}"' in line
    assert 'fillcolor="#FFCDD2"' in nodes["Arg"]  # an argument is tinted by its label
    # each label reads without colour: a border style and a glyph of its own
    assert len({look["style"] for look in LABEL_STYLE.values()}) == 3
    assert len({label.glyph for label in Label}) == 3


def test_dot_refuses_an_evaluation_with_several_labellings() -> None:
    m = argmap.parse("[A]: a\n  >< [B]: b")
    with pytest.raises(argmap.ExporterError, match="a diagram shows one labelling, and this preferred evaluation has"):
        argmap.export(m, "dot", evaluate="preferred")
    only = m.evaluate("preferred").labellings[1]
    nodes = _dot_nodes(str(argmap.export(m, "dot", evaluate=only)))
    assert "label=<<B>✗ A</B>" in nodes["A"] and "label=<<B>✓ B</B>" in nodes["B"]


HOSTILE_TITLES = ["Back\\slash \\N \\G", 'Quote " and \\"', "<b>tag</b> & amp;", "]]", "x\\"]


def test_evaluated_dot_renders_with_graphviz_and_escapes_everything(require_dot: str, tmp_path: Path) -> None:
    import subprocess
    import xml.etree.ElementTree as ET

    statements = {t: Statement(t) for t in HOSTILE_TITLES}
    nodes = [Node(ElementKind.STATEMENT, t) for t in HOSTILE_TITLES]
    relations = tuple(Relation(a, b, RelationKind.ATTACK) for a, b in itertools.pairwise(nodes))
    m = ArgumentMap(statements, relations=relations)
    dot_file = tmp_path / "m.dot"
    dot_file.write_text(str(argmap.export(m, "dot", evaluate=True, legend=True)), encoding="utf-8")
    done = subprocess.run([require_dot, "-Tsvg", str(dot_file)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    tooltips = {
        element.get("{http://www.w3.org/1999/xlink}title")
        for element in ET.fromstring(done.stdout).iter()
        if element.get("{http://www.w3.org/1999/xlink}title")
    }
    reasons = {v.reason for v in m.evaluate().labelling.verdicts.values()}
    assert reasons <= tooltips
    # the picture formats take the option too, through the same DOT
    svg = str(argmap.export(argmap.parse(EVALUATED), "svg", evaluate=True, legend=True))
    assert "out: its inference is undercut by [U], which is in" in svg
    assert "✓ in" in svg and "✗ out" in svg and "? undecided" in svg  # the legend


def test_markdown_marks_each_item_and_writes_each_reason() -> None:
    from markdown_it import MarkdownIt

    m = argmap.parse(EVALUATED)
    plain = str(argmap.export(m, "markdown"))
    assert str(argmap.export(m, "markdown", evaluate="no")) == plain
    shown = str(argmap.export(m, "markdown", evaluate=True))
    assert "Evaluated with grounded semantics: ✓ in (4), ✗ out (4), ? undecided (2).\n" in shown
    assert "- ✓ **[A]**: a claim\n\n  *in: attacked by \\[B\\], which is out*\n" in shown
    assert "  - *attacks* ✗ **[B]**: b attacks\n\n    *out: attacked by \\[C\\], which is in*\n" in shown
    assert "1. ✓ **[P]**: p" in shown and "2. ✗ **[Q]**: q" in shown  # the steps of a structure
    assert "———— ✗ *inference out*" in shown
    # rendered, every reason reads as written: emphasis around exactly the reason's text
    html = MarkdownIt("commonmark").render(shown)
    emphasised = set(re.findall(r"<em>(.*?)</em>", html))
    import html as html_module

    verdicts = m.evaluate().labelling.verdicts
    reasons = {v.reason for node, v in verdicts.items() if node.kind is not ElementKind.INFERENCE}
    assert reasons <= {html_module.unescape(e) for e in emphasised}
    with pytest.raises(argmap.ExporterError, match="an outline shows one labelling"):
        argmap.export(argmap.parse("[A]: a\n  >< [B]: b"), "markdown", evaluate="stable")


def test_markdown_reasons_with_hostile_titles_read_as_written() -> None:
    import html as html_module

    from markdown_it import MarkdownIt

    titles = ["*star* _under_", "[link](javascript:x)", "<b>tag</b>", "# hash", "a\\b", "1. list"]
    statements = {t: Statement(t) for t in titles}
    nodes = [Node(ElementKind.STATEMENT, t) for t in titles]
    relations = tuple(Relation(a, b, RelationKind.ATTACK) for a, b in itertools.pairwise(nodes))
    m = ArgumentMap(statements, relations=relations)
    html = MarkdownIt("commonmark", {"html": True}).render(str(argmap.export(m, "markdown", evaluate=True)))
    emphasised = {html_module.unescape(e) for e in re.findall(r"<em>(.*?)</em>", html)}
    assert {v.reason for v in m.evaluate().labelling.verdicts.values()} <= emphasised
    assert "<a " not in html and "<b>" not in html


# -- the command ---------------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from argmap.cli import main

    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_evaluate_command_on_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(["evaluate", str(ARTICLE)], capsys)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{ARTICLE}: grounded semantics: 38 in, 11 out, 0 undecided"
    assert "✗ <Defection as a sign> — out: its inference is undercut by [Personal reasons], which is in" in lines
    assert len(lines) == 1 + 49  # 39 statements, 9 arguments, 1 undercut inference
    assert out == render_text(argmap.parse_file(ARTICLE).evaluate(), str(ARTICLE))


def test_evaluate_command_json_and_semantics(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    path = tmp_path / "cycle.arg"
    path.write_text("[Tax cut]: Cut taxes.\n  >< [Tax rise]: Raise taxes.\n", encoding="utf-8")
    status, out, _ = _run(["evaluate", "--format", "json", "--semantics", "preferred", str(path)], capsys)
    assert status == 0
    document = json.loads(out)
    assert document == {"source": str(path), **to_data(argmap.parse_file(path).evaluate("preferred"))}
    assert len(document["labellings"]) == 2
    status, out, _ = _run(["evaluate", "--semantics", "stable", str(path)], capsys)
    assert out.splitlines()[0] == f"{path}: stable semantics: 2 labellings"
    status, _, err = _run(["evaluate", "--semantics", "ideal", str(path)], capsys)
    assert status == 2 and "invalid choice: 'ideal'" in err


def test_evaluate_command_reads_stdin_and_reports_problems(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[A]: a\n  {status: maybe}\n")))
    status, out, err = _run(["evaluate", "-"], capsys)
    assert status == 0
    assert out == "<stdin>: grounded semantics: 1 in, 0 out, 0 undecided\n✓ [A] — in: nothing attacks it\n"
    assert err == (
        "argmap: warning: statement [A] (line 1): data 'status' must be accepted, questioned or rejected, "
        "not 'maybe'; ignored\n"
    )
    status, out, err = _run(["evaluate", str(tmp_path / "missing.arg")], capsys)
    assert (status, out) == (1, "") and "no such file" in err


def test_evaluate_command_without_python_argumentation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in sys.modules if n == "py_arg" or n.startswith("py_arg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "py_arg", None)
    status, out, err = _run(["evaluate", "--semantics", "stable", str(ARTICLE)], capsys)
    assert (status, out) == (1, "")
    assert err.startswith("argmap: error: stable semantics needs the python-argumentation package: ")
    assert "pip install 'argmap[semantics]'" in err


def test_the_command_offers_the_semantics_there_are() -> None:
    from argmap.cli import EVALUATION_SEMANTICS
    from argmap.evaluation import SEMANTICS

    assert EVALUATION_SEMANTICS == SEMANTICS


def test_render_evaluate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = _run(["render", str(ARTICLE), "--evaluate", "-f", "markdown", "-o", "-"], capsys)
    assert status == 0
    assert out == argmap.export(argmap.parse_file(ARTICLE), "markdown", evaluate=True)
    status, out, _ = _run(["render", str(ARTICLE), "-O", "evaluate=true", "-f", "dot", "-o", "-"], capsys)
    assert out == argmap.export(argmap.parse_file(ARTICLE), "dot", evaluate=True)
    # part of the map: its elements keep the labels the whole map gives them
    argv = ["render", str(ARTICLE), "--evaluate", "--focus", "Way forward", "--depth", "0", "-f", "markdown", "-o", "-"]
    status, out, _ = _run(argv, capsys)
    assert status == 0
    assert "- ✗ **[Way forward]**" in out and "*out: attacked by \\[Gesture politics\\], which is in;" in out
    status, _, err = _run(["render", str(ARTICLE), "--evaluate", "-f", "argdown", "-o", "-"], capsys)
    assert status == 1 and "evaluate" in err


def test_render_evaluate_svg(require_dot: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "north-korea.svg"
    status, _, err = _run(["render", str(ARTICLE), "--evaluate", "-o", str(output)], capsys)
    assert (status, err) == (0, "")
    svg = output.read_text(encoding="utf-8")
    assert 'xlink:title="out: attacked by [UN sanctions], which is in"' in svg
    assert "✗ Bargaining chip" in svg


# -- properties of the exporters ----------------------------------------------------------------


def _generated_maps() -> st.SearchStrategy[ArgumentMap]:
    from fuzz.strategies import layout_maps

    return st.one_of(argument_maps(), layout_maps(), structural_maps())


@property_settings(max(1, EXAMPLES // 2))
@given(_generated_maps())
def test_every_exporter_shows_the_evaluation_of_every_map(m: ArgumentMap) -> None:
    import json

    import jsonschema

    from argmap.exporters.json import schema
    from argmap.exporters.mapgraph import build_graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # data values the diagram or the evaluation ignores
        evaluation = m.evaluate()
        document = json.loads(str(argmap.export(m, "json", evaluate=evaluation)))
        outline = str(argmap.export(m, "markdown", evaluate=evaluation))
        dot = str(argmap.export(m, "dot", evaluate=evaluation))
        boxes = build_graph(m).nodes
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["evaluation"] == to_data(evaluation)
    assert outline.count("Evaluated with grounded semantics: ") == 1
    # every box that is drawn (not closed into its section) carries its label's glyph and reason
    for line in dot.splitlines():
        if line.lstrip().startswith(tuple(f"{box.id} [" for box in boxes)):
            assert re.search(r"label=<<B>[✓✗?]", line) and "tooltip=" in line, line


@property_settings(max(1, EXAMPLES // 10))
@given(_generated_maps())
def test_graphviz_reads_every_evaluated_diagram(require_dot: str, m: ArgumentMap) -> None:
    import subprocess

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dot = str(argmap.export(m, "dot", evaluate=True, legend=True))
    done = subprocess.run([require_dot, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "syntax error" not in done.stderr
