"""argmap.lint (in argmap.checks) and ``argmap check``: every rule fires on a small map that has its problem
and stays quiet on one that does not; rules switch off by code or name, in the call, on the command line and
in the front matter; exit statuses; the JSON format."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import argmap
import argmap.checks
from argmap.checks import RULES, Diagnostic, Severity, lint, rule

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: a map with none of the problems the structural rules look for (a premise, an attack, a reconstruction)
CLEAN = """\
[Umbrella]: We should take an umbrella.
  - [Heavy]: Umbrellas are heavy to carry.

<Rain argument>: Rain is coming, so take one.

(1) [Forecast]: The forecast says rain.
(2) [Rule]: When rain is forecast, take an umbrella.
-- modus ponens {uses: [1, 2]} --
(3) [Umbrella]
"""

#: per rule: a small map with its problem, the expected (line, column) and words the message must have
CASES: dict[str, list[tuple[str, tuple[int, int], str]]] = {
    "AM001": [
        ("===\nargmap: {disable: [AM999]}\n===\n[A]: a.\n  + [B]: b.\n", (1, 1), "'AM999', which is no rule"),
        ("===\nargmap: [AM102]\n===\n[A]: a.\n  + [B]: b.\n", (1, 1), "must be a mapping"),
    ],
    "AM101": [
        ("[A]: a.\n  + [B]\n", (2, 5), "[B] is referred to but never defined"),
        ("[A]: a.\n  + <Arg>\n", (2, 5), "<Arg> is referred to but never defined"),
        ("[A]: a, see @[Nope].\n  + [B]: b.\n", (1, 1), "@[Nope] names no statement"),
        ("<P>\n\n(1) [Q]\n----\n(2) [R]: r.\n", (3, 5), "[Q] is referred to but never defined"),
    ],
    "AM102": [("[A]: a.\n  + <Arg>: a sketch.\n", (2, 5), "<Arg> is a sketch")],
    "AM103": [
        ("[A]: a.\n  + [B]: b.\n\n[C]: alone.\n", (4, 1), "[C] is used nowhere"),
        ("[A]: a.\n  + [B]: b.\n\nA loose claim.\n", (4, 1), 'the statement "A loose claim." is used nowhere'),
    ],
    "AM104": [("<Arg>: x.\n\n(1) [P]: p.\n(2) [Q]: q.\n----\n(3) [P]\n", (6, 1), "concludes [P] (3)")],
    "AM105": [
        (
            "<Arg>: x.\n\n(1) [P]: p.\n(2) [Q]: q.\n-- {uses: [1, 4]} --\n(3) [C]: c.\n",
            (5, 1),
            "(4), which does not exist",
        ),
        (
            "<Arg>: x.\n\n(1) [P]: p.\n-- {uses: [3]} --\n(2) [I]: i.\n(3) [Q]: q.\n----\n(4) [C]: c.\n",
            (4, 1),
            "(3), which comes after the inference",
        ),
    ],
    "AM106": [
        ("[A]: a.\n  + [B]: b.\n    + [A]\n", (2, 3), "[B] -> [A] -> [B]"),
        ("<Arg>: x.\n\n(1) [P]: p.\n----\n(2) [C]: c.\n  +> [P]\n", (6, 3), "[P] -> <Arg> -> [C] -> [P]"),
    ],
    "AM107": [("[C]: c.\n  + <Arg>: x.\n\n<Arg>\n\n(1) [P]: p.\n----\n(2) [C]\n", (2, 3), "its own conclusion")],
    "AM108": [
        ("[A]: Same text.\n  + [B]: same   TEXT.\n", (2, 5), "[B] has the same text as [A] (line 1)"),
        ("[A]: a.\n  + <X>: Same.\n  + <Y>: Same.\n", (3, 5), "<Y> has the same text as <X>"),
    ],
    "AM109": [
        ("<Arg>: x.\n\n(1) [P]: p.\n  -> [C]\n----\n(2) [C]: c.\n", (4, 3), "[P] (premise (1) of <Arg>) attacks [C]"),
        ("<Arg>: x.\n\n(1) [P]: p.\n  >< [Q]\n(2) [Q]: q.\n----\n(3) [C]: c.\n", (4, 3), "contradicts [Q] (premise"),
        ("<Arg>: x.\n  <_ [P]\n\n(1) [P]: p.\n----\n(2) [C]: c.\n", (2, 3), "undercuts the inference of <Arg>"),
        ("<Arg>: x.\n  -> [P]\n\n(1) [P]: p.\n----\n(2) [C]: c.\n", (2, 3), "<Arg> attacks [P] (premise (1)"),
        (
            "[C]: c.\n  - <Arg>: x.\n\n<Arg>\n\n(1) [P]: p.\n----\n(2) [C]\n",
            (2, 3),
            "<Arg> attacks [C] (conclusion (2)",
        ),
    ],
}


def codes(diagnostics: tuple[Diagnostic, ...]) -> list[str]:
    return [d.code for d in diagnostics]


def test_the_clean_map_has_no_findings() -> None:
    assert lint(argmap.parse(CLEAN)) == ()


CASE_PARAMS = [(code, *case) for code, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("code", "text", "position", "words"), CASE_PARAMS)
def test_rule_fires(code: str, text: str, position: tuple[int, int], words: str) -> None:
    found = [d for d in lint(argmap.parse(text)) if d.code == code]
    assert len(found) == 1, [d.format("x") for d in lint(argmap.parse(text))]
    diagnostic = found[0]
    assert (diagnostic.span.line, diagnostic.span.column) == position
    assert words in diagnostic.message
    assert diagnostic.severity is rule(code).severity  # type: ignore[union-attr]
    assert diagnostic.hint


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_switches_off_by_code_and_by_name(code: str) -> None:
    text = CASES[code][0][0]
    named = rule(code)
    assert named is not None
    assert code in codes(lint(argmap.parse(text)))
    assert code not in codes(lint(argmap.parse(text), disabled=[code]))
    assert code not in codes(lint(argmap.parse(text), disabled=[named.name]))


def test_every_structural_rule_has_a_case() -> None:
    quote_rules = {"AM201", "AM202", "AM203"}  # tests/test_quotes.py
    assert {r.code for r in RULES} - quote_rules == set(CASES)


def test_rules_are_listed_in_code_order_with_unique_codes_and_names() -> None:
    assert [r.code for r in RULES] == sorted({r.code for r in RULES})
    assert len({r.name for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"AM\d{3}", r.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name)
        assert r.description.endswith(".") and r.hint and not r.hint.endswith(".")


def test_front_matter_disables_rules() -> None:
    text = "[A]: a.\n  + <Arg>: a sketch.\n\n[Loose]: c.\n"
    assert codes(lint(argmap.parse(text))) == ["AM102", "AM103"]
    quiet = "===\nargmap: {disable: [AM102, unused-statement]}\n===\n" + text
    assert lint(argmap.parse(quiet)) == ()
    one = "===\nargmap: {disable: argument-sketch}\n===\n" + text
    assert codes(lint(argmap.parse(one))) == ["AM103"]


def test_front_matter_and_call_disable_together() -> None:
    text = "===\nargmap: {disable: [AM102]}\n===\n[A]: a.\n  + <Arg>: a sketch.\n\n[Loose]: c.\n"
    assert codes(lint(argmap.parse(text))) == ["AM103"]
    assert lint(argmap.parse(text), disabled=["AM103"]) == ()


def test_an_unknown_rule_in_the_call_is_an_error() -> None:
    with pytest.raises(ValueError, match="AM999"):
        lint(argmap.parse(CLEAN), disabled=["AM999"])


def test_rule_lookup_by_code_or_name() -> None:
    assert rule("am101") is rule("AM101") is rule("undefined-reference")
    assert rule("Undefined-Reference") is rule("AM101")
    assert rule("nothing") is None and rule("") is None


def test_undefined_reference_suggests_a_close_title() -> None:
    text = "[Rain tomorrow]: a.\n  + [Clouds]: b.\n\n[Sky]: c.\n  + [Rain tomorow]\n"
    (found,) = lint(argmap.parse(text))
    assert found.code == "AM101"
    assert found.hint.startswith("did you mean [Rain tomorrow]?")


def test_an_undefined_statement_is_not_also_unused() -> None:
    assert codes(lint(argmap.parse("[A]: a.\n  + [B]: b.\n\n[C]\n"))) == ["AM101"]


def test_a_premise_met_again_as_conclusion_is_no_support_cycle() -> None:
    # AM104 reports it; the circle P -> <Arg> -> P is not reported a second time
    assert codes(lint(argmap.parse(CASES["AM104"][0][0]))) == ["AM104"]


def test_a_long_support_cycle_is_reported_once() -> None:
    text = "[A]: a.\n  + [B]: b.\n    + [C]: c.\n      + [D]: d.\n        + [A]\n"
    (found,) = lint(argmap.parse(text))
    assert found.code == "AM106"
    assert "[D] -> [C] -> [B] -> [A] -> [D]" in found.message or "[B] -> [A] -> [D] -> [C] -> [B]" in found.message


def test_a_deep_support_chain_does_not_overflow_the_stack() -> None:
    chain = "".join(f"[S{i}]: s{i}.\n  + [S{i + 1}]: s{i + 1}.\n\n" for i in range(3000))
    text = chain + "[S3000]\n  + [S0]\n"
    found = lint(argmap.parse(text))
    assert codes(found) == ["AM106"]
    assert "-> ... (2995 more) ->" in found[0].message and len(found[0].message) < 200


def test_relations_between_different_arguments_are_not_contradictions() -> None:
    text = (
        "<A>: a.\n\n(1) [P]: p.\n----\n(2) [C]: c.\n\n<B>: b.\n\n(1) [Q]: q.\n  -> [C]\n----\n(2) [D]: d.\n  -> [P]\n"
    )
    assert "AM109" not in codes(lint(argmap.parse(text)))


def test_undercut_from_outside_is_fine() -> None:
    text = "<Arg>: x.\n  <_ [Doubt]: d.\n\n(1) [P]: p.\n----\n(2) [C]: c.\n"
    assert lint(argmap.parse(text)) == ()


def test_severities() -> None:
    by_code = {r.code: r.severity for r in RULES}
    assert by_code["AM102"] is Severity.INFO
    errors = {c for c, s in by_code.items() if s is Severity.ERROR}
    assert errors == {"AM101", "AM104", "AM105", "AM109", "AM201", "AM202"}


def test_format_and_json() -> None:
    (found,) = lint(argmap.parse("[A]: a.\n  + [B]\n"))
    assert found.format("m.arg") == (
        "m.arg:2:5: error: [B] is referred to but never defined [AM101]\n  hint: define it: [B]: its text"
    )
    assert found.to_json("m.arg") == {
        "file": "m.arg",
        "line": 2,
        "column": 5,
        "end_line": 2,
        "end_column": 8,
        "severity": "error",
        "code": "AM101",
        "name": "undefined-reference",
        "message": "[B] is referred to but never defined",
        "hint": "define it: [B]: its text",
    }


def test_findings_come_in_position_order() -> None:
    text = "[A]: a.\n  + [B]\n\n[Loose]: l.\n\n[C]: c.\n  + <S>: s.\n"
    found = lint(argmap.parse(text))
    assert [(d.span.line, d.code) for d in found] == [(2, "AM101"), (4, "AM103"), (7, "AM102")]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.arg")), ids=lambda p: p.name)
def test_examples_have_no_errors(path: Path) -> None:
    found = lint(argmap.parse_file(path))
    assert [d.format(path.name) for d in found if d.severity is Severity.ERROR] == []


def test_the_article_has_no_findings() -> None:
    assert lint(argmap.parse_file(EXAMPLES / "north-korea.arg")) == ()


def test_docstring_examples() -> None:
    result = doctest.testmod(argmap.checks, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- docs/checks.md ----------------------------------------------------------------------

CHECKS_DOC = ROOT / "docs" / "checks.md"


def doc_sections() -> dict[str, str]:
    """The text of each '### AMnnn' section of docs/checks.md, by code."""
    text = CHECKS_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### (AM\d{3}) ", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def test_the_checks_page_describes_every_rule() -> None:
    text = CHECKS_DOC.read_text(encoding="utf-8")
    sections = doc_sections()
    for r in RULES:
        assert f"| {r.code} | `{r.name}` | {r.severity.value} |" in text, r.code
        if r.code.startswith("AM1") or r.code == "AM001":
            assert sections[r.code].startswith(f"`{r.name}` ({r.severity.value})"), r.code


@pytest.mark.parametrize("code", sorted(c for c in doc_sections() if c.startswith("AM1")))
def test_the_checks_page_examples_show_their_rule(code: str) -> None:
    snippets = re.findall(r"^```argdown\n(.*?)^```", doc_sections()[code], flags=re.DOTALL | re.MULTILINE)
    for snippet in snippets:
        assert code in codes(lint(argmap.parse(snippet))), snippet


# -- argmap check ------------------------------------------------------------------------------


def check(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """``argmap check ARGV`` in-process: exit status, stdout, stderr."""
    from argmap.cli import main

    status = main(["check", *(str(a) for a in argv)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_prints_findings_like_a_compiler(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "sky.arg", "[Rain]: It will rain.\n  + <Clouds>: The sky is grey.\n  - [Sun]\n")
    status, out, err = check(capsys, path)
    assert status == 1
    assert err.splitlines() == [
        f"{path}:2:5: info: <Clouds> is a sketch: it has no premise-conclusion structure yet [AM102]",
        "  hint: reconstruct it: after <Title>: ..., write its premises (1), (2), ..., a line ---- and the conclusion",
        f"{path}:3:5: error: [Sun] is referred to but never defined [AM101]",
        "  hint: define it: [Sun]: its text",
    ]
    assert out == f"{path}: failed, 1 error, 1 info (2 statements, 1 argument, 2 relations)\n"


def test_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path, "clean.arg", CLEAN)
    sketch = write(tmp_path, "sketch.arg", "[A]: a.\n  + <S>: s.\n")  # info only
    loose = write(tmp_path, "loose.arg", "[A]: a.\n  + [B]: b.\n\n[C]: c.\n")  # a warning
    broken = write(tmp_path, "broken.arg", "[A]: a.\n  + [B]\n")  # an error
    assert check(capsys, clean)[:2] == (0, f"{clean}: ok (4 statements, 1 argument, 1 relation)\n")
    assert check(capsys, sketch)[:2] == (0, f"{sketch}: ok, 1 info (1 statement, 1 argument, 1 relation)\n")
    assert check(capsys, "--strict", sketch)[0] == 0  # info never fails
    assert check(capsys, loose)[:2] == (0, f"{loose}: ok, 1 warning (3 statements, 0 arguments, 1 relation)\n")
    assert check(capsys, "--strict", loose)[:2] == (
        1,
        f"{loose}: failed, 1 warning (3 statements, 0 arguments, 1 relation)\n",
    )
    assert check(capsys, broken)[0] == 1
    assert check(capsys, "--disable", "AM101", broken)[0] == 0
    # every file is checked; one error fails the run
    status, out, _ = check(capsys, broken, clean)
    assert status == 1 and out.splitlines()[1].startswith(f"{clean}: ok")
    assert check(capsys, "-q", clean)[:3] == (0, "", "")


def test_check_disable_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "m.arg", "[A]: a.\n  + <Arg>: a sketch.\n\n[Loose]: c.\n")
    assert "[AM102]" in check(capsys, path)[2]
    for argv in (["--disable", "AM102", "--disable", "unused-statement"], ["--disable", "am102,unused-statement"]):
        status, out, err = check(capsys, *argv, path)
        assert (status, err) == (0, "")
        assert out == f"{path}: ok (2 statements, 1 argument, 1 relation)\n"
    status, _, err = check(capsys, "--disable", "AM999", path)
    assert status == 2 and "AM999" in err and "--list-rules" in err


def test_check_disable_in_the_front_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "===\nargmap: {disable: [argument-sketch]}\n===\n[A]: a.\n  + <Arg>: a sketch.\n\n[Loose]: c.\n"
    path = write(tmp_path, "m.arg", text)
    status, _, err = check(capsys, path)
    assert status == 0 and "AM102" not in err and "AM103" in err
    assert check(capsys, "--disable", "AM103", path)[2] == ""  # both lists apply


def test_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    broken = write(tmp_path, "broken.arg", "[A]: a.\n  + [B]\n  + <S>: s.\n")
    unreadable = write(tmp_path, "syntax.arg", "[A]: a.\n\n+ [B]: b.\n")
    status, out, err = check(capsys, "--format", "json", broken, unreadable, tmp_path / "missing.arg")
    assert status == 1 and err == ""
    found = json.loads(out)
    assert [(f["file"], f["line"], f["code"], f["severity"]) for f in found] == [
        (str(broken), 2, "AM101", "error"),
        (str(broken), 3, "AM102", "info"),
        (str(unreadable), 3, "AM000", "error"),
        (str(tmp_path / "missing.arg"), 0, "AM000", "error"),
    ]
    assert found[0] == {
        "file": str(broken),
        "line": 2,
        "column": 5,
        "end_line": 2,
        "end_column": 8,
        "severity": "error",
        "code": "AM101",
        "name": "undefined-reference",
        "message": "[B] is referred to but never defined",
        "hint": "define it: [B]: its text",
    }
    assert found[2]["name"] == "read-error" and found[2]["column"] == 1 and found[2]["hint"]
    assert found[3]["message"] == "no such file"
    clean = write(tmp_path, "clean.arg", CLEAN)
    assert check(capsys, "--format", "json", clean)[:2] == (0, "[]\n")


def test_check_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    status, out, _ = check(capsys, "--list-rules")
    assert status == 0
    for r in RULES:
        line = next(line for line in out.splitlines() if line.startswith(r.code))
        assert r.name in line and r.severity.value in line and r.description in line
        assert f"fix: {r.hint}" in out
    status, out, _ = check(capsys, "--list-rules", "--format", "json")
    assert status == 0 and json.loads(out) == [r.to_json() for r in RULES]


def test_check_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = check(capsys)
    assert status == 2 and "usage:" in err and "FILE" in err


def test_check_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, EXAMPLES / "north-korea.arg")
    assert (status, err) == (0, "")
    assert out == f"{EXAMPLES / 'north-korea.arg'}: ok (39 statements, 9 arguments, 17 relations)\n"
