"""argmap.quotes: quotes held to their source text.

The article example passes with its source; a changed word is caught, placed at the quote and answered
with the passage it should have been; transcription differences that do not change the words pass;
coverage figures on a small source are the ones worked out by hand below.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import argmap
import argmap.quotes
from argmap.checks import lint
from argmap.model import ElementKind, Node
from argmap.quotes import check_quotes, normalise, quotes_of

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_MAP = ROOT / "examples" / "north-korea.arg"
ARTICLE = ROOT / "examples" / "sources" / "north-korea-defection.txt"


def article() -> tuple[str, str]:
    return ARTICLE_MAP.read_text(encoding="utf-8"), ARTICLE.read_text(encoding="utf-8")


# -- the article ----------------------------------------------------------------------


def test_the_article_passes_with_its_source() -> None:
    notation, source = article()
    report = check_quotes(argmap.parse(notation, str(ARTICLE_MAP)), source, ARTICLE.name, map_text=notation)
    assert len(report.quotes) >= 40
    assert report.missing == ()
    assert len(report.found) == len(report.quotes)
    for q in report.quotes:
        assert q.found is not None
        # the passage is where the offsets say, and is the quote up to the normalisation
        assert source[q.found.start : q.found.end] == q.found.text
        assert normalise(q.found.text).text == normalise(q.quote).text.strip()
        # the quote is placed where the map writes it
        line = notation.splitlines()[q.span.line - 1]
        assert line[q.span.column - 1 :].startswith(q.quote[:20].replace('"', '\\"')) or "quote" in line


def test_the_first_quote_is_located() -> None:
    notation, source = article()
    report = check_quotes(argmap.parse(notation), source, ARTICLE.name, map_text=notation)
    (first,) = report.of(Node(ElementKind.STATEMENT, "Kim open to change"))
    assert first.quote == "if Kim Jong-un really is open to change in North Korea"
    assert (first.span.line, first.span.column) == (26, 12)
    assert first.found is not None
    assert (first.found.line, first.found.column) == (25, 242)
    assert source.splitlines()[24][241:].startswith("if Kim Jong-un really is open to change")
    assert first.found.end - first.found.start == len(first.quote)


def test_a_changed_word_in_one_quote_is_caught() -> None:
    notation, source = article()
    changed = notation.replace('open to change in North Korea"}', 'open to chance in North Korea"}', 1)
    assert changed != notation
    m = argmap.parse(changed, "north-korea.arg")
    report = check_quotes(m, source, ARTICLE.name, map_text=changed)
    (missing,) = report.missing
    assert missing.element == Node(ElementKind.STATEMENT, "Kim open to change")
    assert missing.quote == "if Kim Jong-un really is open to chance in North Korea"
    assert (missing.span.line, missing.span.column) == (26, 12)
    assert missing.suggestion is not None
    assert missing.suggestion.text == "if Kim Jong-un really is open to change in North Korea"
    assert (missing.suggestion.line, missing.suggestion.column) == (25, 242)
    assert missing.differences == ('the source has "change" where the quote has "chance"',)
    (diagnostic,) = lint(m, quotes=report)
    assert diagnostic.code == "AM201"
    assert (diagnostic.span.line, diagnostic.span.column) == (26, 12)
    assert diagnostic.format("north-korea.arg").splitlines() == [
        'north-korea.arg:26:12: error: [Kim open to change] quotes "if Kim Jong-un really is open to chance in '
        'North Korea", which is not in north-korea-defection.txt [AM201]',
        '  hint: did you mean "if Kim Jong-un really is open to change in North Korea" (line 25)? '
        'the source has "change" where the quote has "chance"',
    ]


def test_a_changed_word_in_a_list_item_of_a_long_quote() -> None:
    notation, source = article()
    old = "Over the past 12 months, there have been repeated promises"
    changed = notation.replace(old, "Over the past 12 months, there have been many promises", 1)
    report = check_quotes(argmap.parse(changed), source, ARTICLE.name, map_text=changed)
    (missing,) = report.missing
    assert missing.element.title == "Fragile talks" and missing.index == 1
    line = changed.splitlines()[missing.span.line - 1]
    assert line[missing.span.column - 1 :].startswith("Over the past 12 months, there have been many")
    assert missing.suggestion is not None and missing.suggestion.line == 43
    assert missing.suggestion.text.startswith("Over the past 12 months, there have been repeated promises")
    assert missing.differences == ('the source has "repeated" where the quote has "many"',)


def test_a_quote_from_elsewhere_gets_no_suggestion() -> None:
    m = argmap.parse('[A]: a.\n  {quote: "Completely unrelated words about gardening and tomatoes"}\n')
    report = check_quotes(m, "The cat sat on the mat. It was warm.", "cat.txt")
    (missing,) = report.missing
    assert missing.suggestion is None
    (diagnostic,) = lint(m, quotes=report, disabled=["unused-statement"])
    assert "nothing in the source comes close" in diagnostic.hint


# -- normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("it's not just", "it’s not just"),  # curly apostrophe
        ("it’s not just", "it's not just"),  # and the other way round
        ('the "mutual accountability" stage', "the “mutual accountability” stage"),  # curly double quotes
        ("promises - and cancellations", "promises – and cancellations"),  # en dash
        ("promises - and cancellations", "promises—and cancellations"),  # em dash without spaces
        ("promises -- and cancellations", "promises – and cancellations"),  # two hyphens for a dash
        ("the three countries could continue", "the three\ncountries   could\r\n\tcontinue"),  # line breaks, spaces
        ("The traditional definition", "The\n\ntraditional definition"),  # a paragraph break
        ("a no-break space", "a no-break\u00a0space"),
        ("a soft hyphen", "a soft hy\u00adphen"),
        ("wait...", "wait…"),
        ("  padded quote  ", "a padded quote here"),
    ],
)
def test_transcription_differences_pass(quote: str, source: str) -> None:
    m = argmap.parse("[A]: a.\n", "m.arg")
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", data={"quote": quote})}, source_name="m.arg")
    report = check_quotes(m, source, "s.txt")
    assert report.missing == ()


@pytest.mark.parametrize(
    ("quote", "source"),
    [
        ("it is not just", "it’s not just"),
        ("Not just", "not just"),  # case matters
        ("promises, and", "promises – and"),
        ("twenty", "20"),
    ],
)
def test_real_differences_fail(quote: str, source: str) -> None:
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", data={"quote": quote})})
    assert len(check_quotes(m, source, "s.txt").missing) == 1


def test_offsets_map_back_through_the_normalisation() -> None:
    source = "One:\n“It’s  late —\nreally…” he said."
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", data={"quote": '"It\'s late - really..."'})})
    (q,) = check_quotes(m, source, "s.txt").quotes
    assert q.found is not None
    assert q.found.text == "“It’s  late —\nreally…”"
    assert (q.found.line, q.found.column, q.found.end_line, q.found.end_column) == (2, 1, 3, 9)


def test_normalise_keeps_the_way_back() -> None:
    n = normalise("a  —  b\u00ad c…")
    assert n.text == "a-b c..."
    assert [n.start_of(i) for i in range(len(n.text))] == [0, 1, 6, 7, 9, 10, 10, 10]
    assert n.original_range(0, len(n.text)) == (0, 11)


# -- collecting quotes ------------------------------------------------------------------


def test_quotes_of_reads_text_lists_and_scalars() -> None:
    assert quotes_of({}) == []
    assert quotes_of({"quote": "a"}) == [("a", None)]
    assert quotes_of({"quote": ["a", "", None, 12]}) == [("a", None), ("12", None)]
    assert quotes_of({"quote": {"text": "a"}}) == [(None, "a quote must be text, not a mapping")]
    assert quotes_of({"quote": [True]}) == [(None, "a quote must be text, not true or false")]


def test_a_malformed_quote_is_an_error() -> None:
    text = "[A]: a.\n  + [B]: b.\n    {quote: {text: oops}}\n"
    m = argmap.parse(text)
    report = check_quotes(m, "oops", "s.txt", map_text=text)
    (diagnostic,) = lint(m, quotes=report)
    assert diagnostic.code == "AM202"
    assert "[B]: a quote must be text, not a mapping" in diagnostic.message
    assert diagnostic.span.line == 3


def test_quotes_are_placed_in_single_quoted_yaml_and_block_data() -> None:
    text = (
        "[A]: a.\n  {quote: 'it''s here'}\n  + [B]: b.\n    {\n      quote: >-\n        folded\n        text\n    }\n"
    )
    m = argmap.parse(text)
    report = check_quotes(m, "nothing", "s.txt", map_text=text)
    a, b = report.quotes
    assert (a.span.line, a.span.column) == (2, 12)  # inside the YAML quotes, where the words start
    assert b.span.line == 5  # the folded quote is not written as one piece: its key is shown


def test_without_the_notation_a_quote_is_placed_at_its_element() -> None:
    text = "[A]: a.\n  + [B]: b.\n    {quote: missing words}\n"
    m = argmap.parse(text)
    (q,) = check_quotes(m, "nothing", "s.txt").quotes
    assert (q.span.line, q.span.column) == (m.statements["B"].span.line, m.statements["B"].span.column)


def test_a_quote_also_in_the_statement_text_is_placed_in_the_data() -> None:
    text = "[A]: open to change, said he.\n  {quote: open to change}\n"
    (q,) = check_quotes(argmap.parse(text), "open to change", "s.txt", map_text=text).quotes
    assert (q.span.line, q.span.column) == (2, 11)


def test_arguments_quotes_are_checked_too() -> None:
    m = argmap.parse('<Arg>: a.\n  {quote: "not here"}\n')
    (q,) = check_quotes(m, "here", "s.txt").quotes
    assert q.element == Node(ElementKind.ARGUMENT, "Arg") and q.missing


# -- coverage ------------------------------------------------------------------------------

#: four sentences; without white space they have 7 + 14 + 4 + 24 = 49 characters
TINY = "One two. Three four five.\n\nSix. Seven eight nine ten eleven."


def test_coverage_by_hand() -> None:
    m = argmap.ArgumentMap(
        statements={
            "A": argmap.Statement("A", data={"quote": "Three four five."}),  # the whole second sentence: 14
            "B": argmap.Statement("B", data={"quote": "Seven"}),  # 5 of the fourth's 24: partly
        }
    )
    coverage = check_quotes(m, TINY, "tiny.txt").coverage
    assert (coverage.sentences, coverage.quoted_sentences, coverage.partly_quoted_sentences) == (4, 1, 1)
    assert (coverage.characters, coverage.quoted_characters) == (49, 14 + 5)
    assert coverage.sentence_share == 0.25
    # unquoted, longest first: "eight nine ten eleven." (19 characters), "One two." (7), "Six." (4)
    stretches = [(p.text, p.line) for p in coverage.unquoted]
    assert stretches == [("eight nine ten eleven.", 3), ("One two.", 1), ("Six.", 3)]
    assert coverage.summary() == "quotes cover 1 of 4 sentences (25%; 1 more partly) and 39% of the characters"


def test_coverage_of_overlapping_quotes_counts_characters_once() -> None:
    m = argmap.ArgumentMap(
        statements={
            "A": argmap.Statement("A", data={"quote": ["One two.", "two. Three"]}),
            "B": argmap.Statement("B", data={"quote": "One"}),
        }
    )
    coverage = check_quotes(m, TINY, "tiny.txt").coverage
    # "One two. Three" without spaces: 12
    assert coverage.quoted_characters == 12
    assert (coverage.quoted_sentences, coverage.partly_quoted_sentences) == (1, 1)


def test_a_sentence_half_quoted_is_quoted() -> None:
    # "One two three." has 12 characters without its spaces; "One two" covers 6 of them, exactly half
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", data={"quote": "One two"})})
    coverage = check_quotes(m, "One two three. Four.", "s.txt").coverage
    assert (coverage.quoted_sentences, coverage.partly_quoted_sentences) == (1, 0)
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", data={"quote": "One tw"})})
    coverage = check_quotes(m, "One two three. Four.", "s.txt").coverage
    assert (coverage.quoted_sentences, coverage.partly_quoted_sentences) == (0, 1)


def test_the_closest_passage_keeps_the_marks_the_quote_has_at_its_ends() -> None:
    m = argmap.parse('[A]: a.\n  {quote: "\\"gesture politiks\\" if they do."}\n')
    (q,) = check_quotes(m, "whether it will amount to “gesture politics” if they do. Then", "s.txt").quotes
    assert q.suggestion is not None
    assert q.suggestion.text == "“gesture politics” if they do."
    assert q.differences == ('the source has "politics" where the quote has "politiks"',)


def test_coverage_without_quotes() -> None:
    coverage = check_quotes(argmap.ArgumentMap(), TINY, "tiny.txt").coverage
    assert (coverage.quoted_sentences, coverage.quoted_characters) == (0, 0)
    assert [p.text for p in coverage.unquoted] == [TINY]


def test_the_article_coverage() -> None:
    notation, source = article()
    coverage = check_quotes(argmap.parse(notation), source, ARTICLE.name).coverage
    assert 0 < coverage.quoted_sentences < coverage.sentences
    assert 0.3 < coverage.character_share < 0.9
    # the page's footer (related articles, comments) is the longest stretch the map leaves out
    assert coverage.unquoted[0].text.startswith("[North Korea](#)")


def test_the_coverage_diagnostic_comes_only_when_asked() -> None:
    m = argmap.ArgumentMap(statements={"A": argmap.Statement("A", texts=(argmap.Text("a"),), data={"quote": "Six."})})
    report = check_quotes(m, TINY, "tiny.txt")
    assert [d.code for d in lint(m, quotes=report)] == ["AM103"]
    found = lint(m, quotes=report, coverage=True, disabled=["AM103"])
    assert [d.code for d in found] == ["AM203"]
    assert found[0].data["coverage"]["quoted_sentences"] == 1
    assert found[0].message.endswith("of tiny.txt")


def test_docstring_examples() -> None:
    result = doctest.testmod(argmap.quotes, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- the exporters -------------------------------------------------------------------------


def test_the_json_export_places_the_quotes(tmp_path: Path) -> None:
    import json

    import jsonschema

    from argmap.exporters.json import dump_map, dumps, load_map, schema

    m = argmap.parse_file(ARTICLE_MAP)
    text = argmap.export(m, "json", source=str(ARTICLE))
    assert isinstance(text, str)
    written = json.loads(text)
    jsonschema.validate(written, schema())
    quotes = written["quotes"]
    assert quotes["source"] == str(ARTICLE)
    first = quotes["items"][0]
    assert first == {
        "element": {"kind": "statement", "title": "Kim open to change"},
        "index": 0,
        "text": "if Kim Jong-un really is open to change in North Korea",
        "found": True,
        "start": first["start"],
        "end": first["start"] + len(first["text"]),
        "line": 25,
        "column": 242,
        "end_line": 25,
        "end_column": 296,
    }
    assert ARTICLE.read_text(encoding="utf-8")[first["start"] : first["end"]] == first["text"]
    assert all(item["found"] for item in quotes["items"])
    assert quotes["coverage"]["sentences"] > 0
    # the fast writer and the plain one agree; the quotes are derived, so the map reads back the same
    report = check_quotes(m, ARTICLE.read_text(encoding="utf-8"), str(ARTICLE))
    assert dumps(m, quotes=report) == json.dumps(dump_map(m, quotes=report), ensure_ascii=False, indent=2) + "\n"
    assert load_map(text) == m
    # without a source, nothing changes
    assert "quotes" not in json.loads(argmap.export(m, "json"))


def test_the_json_export_of_a_missing_quote_has_the_closest_passage() -> None:
    import json

    import jsonschema

    from argmap.exporters.json import schema

    m = argmap.parse('[A]: a.\n  {quote: "open to chance"}\n  + [B]: b.\n    {quote: [{bad: 1}]}\n')
    written = json.loads(str(argmap.export(m, "json", source_text="if he is open to change now")))
    jsonschema.validate(written, schema())
    a, b = written["quotes"]["items"]
    assert a["found"] is False and "line" not in a
    assert a["closest"]["text"] == "open to change" and a["closest"]["line"] == 1 and a["closest"]["column"] == 10
    assert 0.9 < a["closest"]["similarity"] < 1
    assert b["problem"] == "a quote must be text, not a mapping"
    assert written["quotes"]["source"] == "<source>"


def test_the_markdown_export_shows_where_each_quote_is() -> None:
    m = argmap.parse_file(ARTICLE_MAP)
    plain = str(argmap.export(m, "markdown"))
    shown = str(argmap.export(m, "markdown", source=str(ARTICLE)))
    assert "north-korea-defection.txt, line" not in plain
    block = (
        "  > It certainly remains to be seen whether the three countries will meet as suggested – and whether it "
        "will amount to any more than “gesture politics” if they do.\n"
        "  >\n"
        "  > — north-korea-defection.txt, line 43\n"
    )
    assert block in shown
    # one line per quote the outline shows (a step of a structure is shown by its text only)
    lines = plain.splitlines()
    quote_blocks = sum(line.lstrip().startswith("> ") and not lines[i - 1].strip() for i, line in enumerate(lines))
    assert shown.count("— north-korea-defection.txt, line") == quote_blocks > 30
    # the rest of the outline is unchanged
    assert [line for line in shown.splitlines() if "north-korea-defection.txt" not in line and line.strip() != ">"] == [
        line for line in plain.splitlines()
    ]


def test_the_markdown_export_marks_a_missing_quote() -> None:
    m = argmap.parse('[A]: a.\n  {quote: ["here", "not there"]}\n')
    shown = str(argmap.export(m, "markdown", source_text="over here\nand there"))
    assert "  > here\n  >\n  > — \\<source>, line 1\n\n  > not there\n  >\n  > — **not found** in \\<source>\n" in shown


@pytest.mark.parametrize("exporter", ["json", "markdown"])
def test_source_options_are_checked(exporter: str, tmp_path: Path) -> None:
    from argmap.errors import ExporterError, SourceFileError

    m = argmap.parse("[A]: a.\n")
    with pytest.raises(ExporterError, match="takes no options other than source and source_text"):
        argmap.export(m, exporter, colour="red")
    with pytest.raises(ExporterError, match="front matter names no source"):
        argmap.export(m, exporter, source=True)
    with pytest.raises(ExporterError, match="a file path or true"):
        argmap.export(m, exporter, source=3)
    with pytest.raises(SourceFileError, match="no such file"):
        argmap.export(m, exporter, source=str(tmp_path / "missing.txt"))
    with pytest.raises(ExporterError, match="must be text"):
        argmap.export(m, exporter, source_text=["a"])


# -- where the source text is -----------------------------------------------------------------


def test_the_front_matter_names_the_source(tmp_path: Path) -> None:
    from argmap.errors import SourceFileError
    from argmap.quotes import front_matter_source

    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "speech.txt").write_text("It is time.", encoding="utf-8")
    body = '[A]: a.\n  {quote: "It is time."}\n'
    explicit = tmp_path / "explicit.arg"
    explicit.write_text("===\nargmap: {source: texts/speech.txt}\n===\n" + body, encoding="utf-8")
    cited = tmp_path / "cited.arg"
    cited.write_text("===\nsource: texts/speech.txt\n===\n" + body, encoding="utf-8")
    citation = tmp_path / "citation.arg"
    citation.write_text("===\nsource: The Times, 1 May 2020\n===\n" + body, encoding="utf-8")
    broken = tmp_path / "broken.arg"
    broken.write_text("===\nargmap: {source: texts/nothing.txt}\n===\n" + body, encoding="utf-8")
    assert front_matter_source(argmap.parse_file(explicit)) == tmp_path / "texts" / "speech.txt"
    assert front_matter_source(argmap.parse_file(cited)) == tmp_path / "texts" / "speech.txt"
    assert front_matter_source(argmap.parse_file(citation)) is None
    assert front_matter_source(argmap.parse_file(ARTICLE_MAP)) is None  # its source: is a citation
    with pytest.raises(SourceFileError, match=r"argmap\.source"):
        front_matter_source(argmap.parse_file(broken))
    # a map parsed from a string reads relative paths from the folder given
    assert front_matter_source(argmap.parse(explicit.read_text()), tmp_path) == tmp_path / "texts" / "speech.txt"
    text = str(argmap.export(argmap.parse_file(explicit), "markdown", source=True))
    assert "> — speech.txt, line 1" in text


def test_a_source_outside_the_maps_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    from argmap.errors import SourceFileError
    from argmap.quotes import front_matter_source

    (tmp_path / "secret.txt").write_text("private words", encoding="utf-8")
    (tmp_path / "maps").mkdir()
    body = '[A]: a.\n  {quote: "private"}\n'
    for key in ("argmap: {source: ../secret.txt}", "source: ../secret.txt"):
        path = tmp_path / "maps" / "m.arg"
        path.write_text(f"===\n{key}\n===\n" + body, encoding="utf-8")
        m = argmap.parse_file(path)
        with pytest.raises(SourceFileError, match="outside"):
            front_matter_source(m)
        with pytest.raises(SourceFileError, match="outside"):
            argmap.export(m, "json", source=True)
        assert front_matter_source(m, allow_outside=True) == tmp_path / "maps" / ".." / "secret.txt"


# -- argmap check --source ------------------------------------------------------------------------


def check(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    from argmap.cli import main

    status = main(["check", *(str(a) for a in argv)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_check_the_article_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, ARTICLE_MAP, "--source", ARTICLE)
    assert (status, err) == (0, "")
    assert out.endswith(f"; 57 of 57 quotes found in {ARTICLE})\n")


def test_check_catches_a_changed_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notation, _ = article()
    changed = tmp_path / "north-korea.arg"
    changed.write_text(notation.replace('open to change in North Korea"}', 'open to chance in North Korea"}', 1))
    status, out, err = check(capsys, changed, "--source", ARTICLE)
    assert status == 1
    assert err.splitlines() == [
        f'{changed}:26:12: error: [Kim open to change] quotes "if Kim Jong-un really is open to chance in North '
        f'Korea", which is not in {ARTICLE} [AM201]',
        '  hint: did you mean "if Kim Jong-un really is open to change in North Korea" (line 25)? the source has '
        '"change" where the quote has "chance"',
    ]
    assert out.endswith(f"; 56 of 57 quotes found in {ARTICLE})\n") and "failed, 1 error" in out


def test_check_reads_the_source_the_front_matter_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "speech.txt").write_text("It is time. We go now.", encoding="utf-8")
    body = '[A]: a.\n  {quote: "It is time."}\n  + [B]: b.\n    {quote: "We go later."}\n'
    named = tmp_path / "named.arg"
    named.write_text("===\nargmap: {source: texts/speech.txt}\n===\n" + body, encoding="utf-8")
    status, _, err = check(capsys, named)
    assert status == 1
    assert f'{named}:7:14: error: [B] quotes "We go later.", which is not in ' in err
    assert 'did you mean "We go now." (line 1)?' in err
    # --source wins over the front matter
    other = tmp_path / "other.txt"
    other.write_text("It is time. We go later.", encoding="utf-8")
    assert check(capsys, named, "--source", other)[0] == 0
    # a citation in source: is not a file, and not an error
    cited = tmp_path / "cited.arg"
    cited.write_text("===\nsource: A speech, 2020\n===\n" + body, encoding="utf-8")
    assert check(capsys, cited)[0] == 0
    missing = tmp_path / "missing.arg"
    missing.write_text("===\nargmap: {source: texts/gone.txt}\n===\n" + body, encoding="utf-8")
    status, _, err = check(capsys, missing)
    assert status == 1 and "gone.txt: no such file" in err and str(missing) in err


def test_check_refuses_a_source_outside_the_folder_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.txt").write_text("private words", encoding="utf-8")
    (tmp_path / "maps").mkdir()
    path = tmp_path / "maps" / "m.arg"
    path.write_text('===\nargmap: {source: ../secret.txt}\n===\n[A]: a.\n  {quote: "private wards"}\n')
    status, out, err = check(capsys, path)
    assert status == 1 and "outside" in err and "private" not in err + out
    status, _, err = check(capsys, "--allow-include-outside", path)
    assert status == 1 and 'did you mean "private words"' in err


def test_check_source_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = check(capsys, ARTICLE_MAP, "--source", tmp_path / "nothing.txt")
    assert status == 1 and "nothing.txt: error: no such file" in err
    status, _, err = check(capsys, ARTICLE_MAP, "--coverage")
    assert status == 1 and "--coverage needs a source text" in err


def test_check_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    status, out, _ = check(capsys, ARTICLE_MAP, "--source", ARTICLE, "--coverage")
    assert status == 0
    lines = out.splitlines()
    assert lines[1] == f"{ARTICLE_MAP}: coverage of {ARTICLE}"
    assert lines[2].startswith("  quotes cover ") and lines[3] == "  longest unquoted stretches:"
    assert lines[4].startswith("    lines 107-")
    status, out, _ = check(capsys, ARTICLE_MAP, "--source", ARTICLE, "--coverage", "--format", "json")
    (item,) = json.loads(out)
    assert item["code"] == "AM203" and item["severity"] == "info" and item["line"] == 0
    assert item["coverage"]["sentences"] > item["coverage"]["quoted_sentences"] > 0
    assert item["coverage"]["unquoted"][0]["line"] == 107


def test_check_quotes_on_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    text = '[A]: a.\n  + [B]: b.\n    {quote: "We go later."}\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, _, err = check(capsys, "-", "--source", ARTICLE)
    assert status == 1 and err.startswith("<stdin>:3:14: error: [B] quotes")


def test_the_command_docs_show_the_real_coverage_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    command = "argmap check examples/north-korea.arg --source examples/sources/north-korea-defection.txt --coverage"
    block = doc.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    status, out, _ = check(capsys, *command.split()[2:])
    assert status == 0
    assert out == block
