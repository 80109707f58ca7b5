"""The importers one by one, the helpers they share, detection, and the Python API that reads any format.

Goldens (test_import_golden.py) show whole imports; the Argdown CLI checks the argdown-json importer
(test_import_oracle.py); the command is tested in test_cli_convert.py. Here: each mapping decision and each
error, positioned.
"""

from __future__ import annotations

import doctest
import json
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import pytest

import argmap
from argmap.errors import ArgmapSyntaxError, ImporterError, UnknownFormatError
from argmap.importers import Imported, Importer, decode_json, folded, json_position, parse_path
from argmap.importers.argdown_json import IMPORTER as ARGDOWN_JSON
from argmap.importers.argmap_json import IMPORTER as ARGMAP_JSON
from argmap.importers.kialo import IMPORTER as KIALO
from argmap.importers.notation import IMPORTER as NOTATION
from argmap.model import ElementKind, Node, RangeKind, RelationKind, TextRange
from argmap.plugins import BUILTIN_IMPORTERS, IMPORTER_ENTRY_POINT_GROUP, ImporterRegistry

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "tests" / "formats"
EXAMPLES = sorted((ROOT / "examples").glob("*.arg"))
CAR_FREE = FORMATS / "kialo" / "car-free-centres.txt"
ISLAND = FORMATS / "kialo" / "island-energy.txt"
INLINE = FORMATS / "argdown-json" / "inline-text.json"
AIF = FORMATS / "aif" / "radio-debate.json"


def _statement(title: str) -> Node:
    return Node(ElementKind.STATEMENT, title)


def _error(read: Any, text: str) -> ArgmapSyntaxError:
    with pytest.raises(ArgmapSyntaxError) as caught:
        read(text, source_name="in.put")
    assert caught.value.source_name == "in.put"
    return caught.value


def _at(error: ArgmapSyntaxError, text: str) -> str:
    """The text from the error's position on, to the end of its line."""
    line = text.splitlines()[error.line - 1]
    assert error.source_line == line
    return line[error.column - 1 :]


# -- shared helpers -------------------------------------------------------------------------------------------


def test_parse_path() -> None:
    assert parse_path("statements[2].span.line") == ("statements", 2, "span", "line")
    assert parse_path("relations[0]") == ("relations", 0)
    assert parse_path("the top level") is None
    assert parse_path("") is None


def test_json_position_follows_the_path_as_far_as_the_text_has_it() -> None:
    text = '\ufeff{\n  "a": [1, {"b": "x"}],\n  "c": {"d": [true, false], "e": null}\n}'
    assert json_position(text, ("a", 1, "b")) == (2, 18)
    assert json_position(text, ("c", "d", 1)) == (3, 21)
    assert json_position(text, ("c", "e")) == (3, 34)
    assert json_position(text, ("c", "missing")) == (3, 8)  # the object that lacks the key
    assert json_position(text, ("a", 7)) == (2, 8)  # the array that lacks the index
    assert json_position(text, ()) == (1, 2)  # past the byte-order mark


def test_decode_json_places_syntax_errors() -> None:
    error = _error(lambda t, source_name: decode_json(t, source_name, "x"), '{\n  "a": 1,,\n}')
    assert (error.line, error.column) == (2, 10)
    assert "invalid JSON" in error.message
    assert "NaN" in _error(lambda t, source_name: decode_json(t, source_name, "x"), '{"a": NaN}').message


def test_folded_moves_the_ranges_with_their_characters() -> None:
    raw = "  Some  **x**\n text  [link] end  "
    start = raw.index("[link]")
    text = folded(raw, [TextRange(RangeKind.LINK, start - 1, start + 7, url="u")])  # a space either side
    assert text.text == "Some **x** text [link] end"
    (moved,) = text.ranges
    assert text.text[moved.start : moved.end] == "[link]" and moved.url == "u"
    assert folded("   ", [TextRange(RangeKind.BOLD, 0, 2)]) == folded("")


# -- notation ---------------------------------------------------------------------------------------------------


def test_the_notation_importer_is_parse(tmp_path: Path) -> None:
    for example in EXAMPLES:
        text = example.read_text(encoding="utf-8")
        imported = NOTATION.read(text, source_name=str(example))
        assert imported == Imported(argmap.parse(text, str(example), base=example.parent))
    (tmp_path / "part.arg").write_text("[B]: Included.\n", encoding="utf-8")
    main = tmp_path / "main.arg"
    main.write_text("[A]: Main.\n\n@include(part.arg)\n", encoding="utf-8")
    assert set(NOTATION.read(main.read_text(), source_name=str(main)).map.statements) == {"A", "B"}
    assert NOTATION.sniff("[A]: text") and not NOTATION.sniff('\ufeff  {"a": 1}')


# -- argmap JSON ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_argmap_json_reads_back_every_example(example: Path) -> None:
    m = argmap.parse_file(example)
    text = argmap.export(m, "json")
    assert isinstance(text, str) and ARGMAP_JSON.sniff(text[:4096])
    imported = ARGMAP_JSON.read(text, source_name="copy.json")
    assert imported == Imported(m) and imported.map.source_name == str(example)  # the JSON names its source


def test_argmap_json_without_a_source_is_named_after_the_file() -> None:
    text = json.dumps({"format": "argmap", "version": 1, "statements": [{"title": "A"}]})
    assert ARGMAP_JSON.read(text, source_name="a.json").map.source_name == "a.json"


def test_argmap_json_errors_point_at_the_value() -> None:
    data = json.loads(argmap.export(argmap.parse_file(EXAMPLES[1]), "json"))  # type: ignore[arg-type]
    data["statements"][1]["span"]["line"] = "seven"
    text = json.dumps(data, indent=2)
    error = _error(ARGMAP_JSON.read, text)
    assert error.message.startswith("invalid argmap JSON at statements[1].span.line: expected an integer")
    assert _at(error, text) == '"seven",'

    data["statements"][1]["span"]["line"] = 3
    data["relations"][0]["target"]["title"] = "Nowhere"
    text = json.dumps(data, indent=1)
    error = _error(ARGMAP_JSON.read, text)
    assert "no statement is titled 'Nowhere'" in error.message and _at(error, text) == '"Nowhere"'

    text = '{\n "format": "argmap",\n "version": 99\n}'
    error = _error(ARGMAP_JSON.read, text)
    assert "newer argmap" in error.message and _at(error, text) == "99"
    error = _error(ARGMAP_JSON.read, '{"format": "argmap",\n "version": 1,,}')
    assert (error.line, error.column) == (2, 15)


def test_argmap_json_sniff() -> None:
    assert ARGMAP_JSON.sniff('\ufeff{\n  "format": "argmap", "version": 1}')
    assert not ARGMAP_JSON.sniff('{"statements": {"format": "argmap"}}')  # a nested key is not the top's
    assert not ARGMAP_JSON.sniff(INLINE.read_text(encoding="utf-8")[:4096])


# -- Argdown JSON ---------------------------------------------------------------------------------------------


def test_argdown_json_keeps_texts_ranges_data_and_structure() -> None:
    imported = ARGDOWN_JSON.read(INLINE.read_text(encoding="utf-8"), source_name="inline-text.json")
    m = imported.map
    rain = m.statements["Rain"]
    first, second = rain.texts
    assert first.text == "It will rain tomorrow, says the weather service."
    covered = {(r.kind, first.text[r.start : r.end], r.url) for r in first.ranges}
    assert covered == {
        (RangeKind.BOLD, "rain", None),
        (RangeKind.ITALIC, "tomorrow", None),
        (RangeKind.LINK, "weather service", "https://example.org/weather"),
    }
    assert second.text == "A second text, over two lines."  # the lines joined as the notation joins them
    clouds = m.statements["Clouds"].texts[0]
    mentions = [(r.kind, clouds.text[r.start : r.end], r.title) for r in clouds.ranges]
    assert mentions == [
        (RangeKind.STATEMENT_MENTION, "@[Rain]", "Rain"),
        (RangeKind.ARGUMENT_MENTION, "@<Umbrella>", "Umbrella"),
    ]  # Argdown's inclusive stop swallows the space after a mention: not kept
    assert m.statements["Habit"].data == {"certainty": 0.7}
    umbrella = m.arguments["Umbrella"]
    assert [s.title for s in umbrella.steps] == ["Clouds", "Habit", "Carry"]
    assert [s.number for s in umbrella.steps] == [1, 2, 3]
    inference = umbrella.conclusions[0].inference
    assert inference.rules == ("habit",) and inference.uses == (1, 2) and inference.data == {"uses": [1, 2]}
    assert m.sections[0].id == "s1" and m.sections[0].tags == ("format",)
    assert rain.section == "s1" and umbrella.section == "s1"
    assert m.metadata == {} and m.comments == ()  # Argdown's JSON has neither
    assert all(s.span == argmap.SourceSpan(0, 0, 0, 0) for s in m.statements.values())
    assert len(imported.dropped) == 2
    assert imported.dropped[0].startswith("dropped the source positions of 6 elements")
    assert "1 section, 4 statements, 1 argument, 1 tag" in imported.dropped[1]


def test_argdown_json_relations() -> None:
    m = ARGDOWN_JSON.read((FORMATS / "argdown-json" / "52-mixed-document.json").read_text(), source_name="x").map
    kinds = {(r.source, r.kind, r.target) for r in m.relations}
    assert (_statement("Toll"), RelationKind.UNDERCUT, Node(ElementKind.INFERENCE, "Old road")) in kinds
    assert (_statement("Bridge"), RelationKind.CONTRADICTION, _statement("No bridge")) in kinds
    assert (Node(ElementKind.ARGUMENT, "Old road"), RelationKind.ATTACK, Node(ElementKind.ARGUMENT, "Trade")) in kinds
    # a relation written from a reconstructed argument comes as Argdown states it: from its main conclusion
    assert (_statement("No bridge"), RelationKind.ATTACK, _statement("Bridge")) in kinds
    assert m.statements["Bridge"].tags == ("policy",)
    untitled = ARGDOWN_JSON.read((FORMATS / "argdown-json" / "05-untitled-statements.json").read_text()).map
    assert {t: s.generated_title for t, s in untitled.statements.items()} == {
        "Untitled 1": True, "Untitled 2": True, "Named": False, "Untitled 3": True,
    }  # fmt: skip


def _minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "arguments": {
            "A": {
                "members": [{"text": "An argument."}],
                "pcs": [
                    {"title": "P", "role": "premise"},
                    {"title": "C1", "role": "intermediary-conclusion", "inference": {"inferenceRules": []}},
                    {"title": "C2", "role": "main-conclusion", "inference": {"inferenceRules": []}},
                ],
            }
        },
        "statements": {t: {"members": [{"text": f"{t}."}]} for t in ("P", "C1", "C2", "U")},
        "relations": [],
    }
    data.update(changes)
    return data


def test_argdown_json_without_positions_or_colours_drops_nothing() -> None:
    assert ARGDOWN_JSON.read(json.dumps(_minimal())).dropped == ()


def test_argdown_json_notes_what_the_model_cannot_hold() -> None:
    undercut = {"relationType": "undercut", "from": "U", "fromType": "equivalence-class", "to": "A"}
    relations = [{**undercut, "toType": "inference", "conclusionIndex": 1}]
    view = {"nodes": [{}, {}], "edges": [{}]}
    imported = ARGDOWN_JSON.read(json.dumps(_minimal(relations=relations, map=view)))
    (relation,) = imported.map.relations
    assert relation.target == Node(ElementKind.INFERENCE, "A")
    assert imported.dropped == (
        "dropped Argdown's map view (2 nodes, 1 edge): argmap's exporters draw the map from the statements, "
        "arguments and relations",
        "1 undercut aimed at an intermediate inference of an argument now undercut its last inference: the model "
        "has one inference per argument to undercut",
    )


@pytest.mark.parametrize(
    ("change", "message", "at"),
    [
        ({"relations": [{"relationType": "support", "from": "P", "fromType": "equivalence-class", "to": "Nope",
                         "toType": "equivalence-class"}]},
         "invalid Argdown JSON at relations[0].to: no statement is titled 'Nope'", '"Nope",'),
        ({"relations": [{"relationType": "supports", "from": "P", "fromType": "equivalence-class", "to": "C1",
                         "toType": "equivalence-class"}]},
         "invalid Argdown JSON at relations[0].relationType: expected one of", '"supports",'),
        ({"statements": {"P": {"members": {"text": "x"}}}},
         'invalid Argdown JSON at statements["P"].members: expected an array, got an object', '{'),
        ({"statements": {"P": {"members": [{"text": 3}]}}},
         'invalid Argdown JSON at statements["P"].members[0].text: expected a string, got 3', "3"),
        ({"sections": [{"id": "s1", "title": "T", "level": 0}]},
         "invalid Argdown JSON at sections[0].level: expected an integer of at least 1, got 0", "0"),
    ],
)  # fmt: skip
def test_argdown_json_errors_point_at_the_value(change: dict[str, Any], message: str, at: str) -> None:
    text = json.dumps(_minimal(**change), indent=1)
    error = _error(ARGDOWN_JSON.read, text)
    assert error.message.startswith(message)
    assert _at(error, text).startswith(at)


def test_argdown_json_sniff() -> None:
    assert ARGDOWN_JSON.sniff(INLINE.read_text(encoding="utf-8")[:4096])
    assert ARGDOWN_JSON.sniff('{"statements": {}, "arguments": {}}')
    assert not ARGDOWN_JSON.sniff('{"format": "argmap", "statements": []}')
    assert not ARGDOWN_JSON.sniff(AIF.read_text(encoding="utf-8")[:4096])


# -- Kialo --------------------------------------------------------------------------------------------------------


def test_kialo_claims_relations_and_cross_links() -> None:
    imported = KIALO.read(CAR_FREE.read_text(encoding="utf-8"), source_name="car-free-centres.txt")
    m = imported.map
    assert imported.dropped == ()
    assert m.metadata == {"title": "Should cities ban private cars from their centres?"}
    assert len(m.statements) == 14  # 17 numbered positions, 3 of them cross links to existing claims
    thesis = m.statements["Cities should ban private cars"]
    assert thesis.data == {"kialo": "1"} and thesis.text == "Cities should ban private cars from their centres."
    relations = {(r.source.title, r.kind, r.target.title) for r in m.relations}
    assert ("Car-free centres have cleaner air", RelationKind.SUPPORT, "Cities should ban private cars") in relations
    assert ("Shops in the centre lose customers", RelationKind.ATTACK, "Cities should ban private cars") in relations
    # 1.2.1. Con: -> See 1.3.1. : the claim 1.3.1 itself attacks 1.2, no new statement
    assert ("Delivery vans and tradespeople need", RelationKind.ATTACK, "Streets without cars are safer") in relations
    # 1.5. Pro: -> See 1.1.1. : a link to an earlier claim, to the thesis
    assert ("Traffic is the largest source", RelationKind.SUPPORT, "Cities should ban private cars") in relations
    assert len(m.relations) == 16  # one per position but the thesis


def test_kialo_text_lines_escapes_links_and_spans() -> None:
    m = KIALO.read(CAR_FREE.read_text(encoding="utf-8")).map
    vans = m.statements["Delivery vans and tradespeople need"]
    assert vans.text == (
        "Delivery vans and tradespeople need to reach addresses in the centre. This is true for plumbers, "
        "for movers and for anyone carrying heavy tools."
    )
    assert (vans.span.line, vans.span.column, vans.span.end_line) == (13, 1, 15)
    assert vans.texts[0].span == vans.span
    traffic = m.statements["Traffic is the largest source"].texts[0]
    assert traffic.text.endswith("city centres (see the city air report).")  # \( and \) undone
    (link,) = traffic.ranges
    assert traffic.text[link.start : link.end] == "city air report"
    assert link.url == "https://example.org/air-report_%282023%29"  # parentheses the notation cannot write
    # a claim whose text another claim has already gets its number
    assert m.statements["Cities should ban private cars (1.4.2)"].data == {"kialo": "1.4.2"}


def test_kialo_newer_shape_footnotes_theses_and_other_discussions() -> None:
    imported = KIALO.read(ISLAND.read_text(encoding="utf-8"), source_name="island-energy.txt")
    m = imported.map
    assert m.metadata == {"title": "Which energy source should a small island rely on?"}
    solar = m.statements["Solar power with batteries"].texts[0]
    assert solar.text == "Solar power with batteries [1]"
    (footnote,) = solar.ranges
    assert solar.text[footnote.start : footnote.end] == "1" and footnote.url == "https://example.org/island-solar"
    sunshine = m.statements["Sunshine is plentiful near the equator"]
    assert sunshine.text.endswith("equator: most islands of this kind get more than 2,500 hours a year.")
    other = m.statements["Small communities cannot finance large"]
    assert other.data == {"kialo": "discussion #4242"}  # two links into the discussion: one statement
    assert {r.target.title for r in m.relations_of(other)} == {
        "Batteries large enough for several",
        "Diesel generators",
    }
    question = m.statements["Which energy source should a small"]
    assert m.relations_of(question) == ()  # the theses answer the question: no relation the model has
    assert "Sources" not in " ".join(s.text for s in m.statements.values())
    assert imported.dropped == (
        "dropped how 2 claims (Thesis) relate to the claim above them (first: 1.1): only Pro and Con are relations "
        "in the model",
        "dropped the rest of 1 other discussion (#4242) that 2 cross links lead into: only the linked claim is in "
        "the map",
    )


def test_kialo_titles_are_stable_and_readable() -> None:
    text = (
        "Discussion Title: T\r\n\r\n1. Supercalifragilisticexpialidocious-and-then-some-more-letters here.\r\n"
        "1.1. Pro: 42!\r\n1.2. Con: ???\r\n1.3. Pro: Nothing is more important than the claims that we make in "
        "a debate.\r\n"
    )
    m = KIALO.read("\ufeff" + text).map
    assert list(m.statements) == [
        "Supercalifragilisticexpialidocious-and-t",  # a first word longer than a title is cut
        "42",
        "Claim 1.2",  # no words at all
        "Nothing is more important",  # at most 40 characters, not ending on "than the"
    ]
    assert KIALO.read(text).map == m


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("Some notes\n1. A claim\n", "not a Kialo text export", 1, 1),
        ("Discussion Title: T\n\n", "the export has no claims", 2, 1),
        ("Discussion Title: T\n\nstray text\n1. A\n", "expected the first claim, '1.', here", 3, 1),
        ("Discussion Title: T\n\n1. A\n1.1.1. Pro: B\n", "claim 1.1.1. comes before any claim 1.1.", 4, 1),
        ("Discussion Title: T\n\n1. A\n1.1. Pro: B\n1.1. Con: C\n", "claim 1.1. appears twice", 5, 1),
        ("Discussion Title: T\n\n1. A\n  1.1. Pro:\n", "claim 1.1. has no text", 4, 3),
        (
            "Discussion Title: T\n\n1. A\n1.1. Pro: -> See 1.9.\n",
            "points to 1.9., which the export does not have",
            4,
            1,
        ),
        ("Discussion Title: T\n\n1. A\n1.1. Pro: -> See 1.2.\n1.2. Con: -> See 1.1.\n", "go round in a circle", 4, 1),
    ],
)
def test_kialo_errors_are_placed(text: str, message: str, line: int, column: int) -> None:
    error = _error(KIALO.read, text)
    assert message in error.message
    assert (error.line, error.column) == (line, column)


def test_kialo_labels_without_a_space_after_the_colon() -> None:
    m = KIALO.read("Discussion Title: T\n\n1. A thesis.\n1.1. Con:No space.\n1.2. Pro:\nBelow.\n").map
    assert [s.text for s in m.statements.values()] == ["A thesis.", "No space.", "Below."]
    assert [r.kind for r in m.relations] == [RelationKind.ATTACK, RelationKind.SUPPORT]


def test_kialo_sniff() -> None:
    assert KIALO.sniff("Discussion Title: Tea?\n\n1. Tea.") and KIALO.sniff("\ufeffDiscussion Name:\nTea?")
    assert not KIALO.sniff("[Discussion Title]: Tea")


# -- the registry: detection, plugins that go wrong ---------------------------------------------------------------


@attrs.frozen
class _Greedy:
    """An importer that says every text is its own and reads nothing."""

    name: str = "greedy"
    description: str = "claims everything"
    suffixes: tuple[str, ...] = (".txt", ".json")
    result: Any = None

    def sniff(self, head: str) -> bool:
        return True

    def read(self, text: str, *, source_name: str = "<input>") -> Any:
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result


GREEDY = _Greedy(result=Imported(argmap.ArgumentMap()))


def test_the_built_in_table_matches_the_registered_entry_points() -> None:
    registered = {
        ep.name: ep.value
        for ep in metadata.entry_points(group=IMPORTER_ENTRY_POINT_GROUP)
        if ep.dist is not None and ep.dist.name == "argmap"
    }
    assert registered == BUILTIN_IMPORTERS
    for name in BUILTIN_IMPORTERS:
        assert isinstance(argmap.ImporterRegistry().get(name), Importer)


@pytest.mark.parametrize(
    ("suffix", "head", "expected"),
    [
        (".arg", "[A]: a", "argdown"),
        (".ARGDOWN", "anything", "argdown"),
        (".json", '{"format": "argmap", "version": 1}', "json"),
        (".json", INLINE.read_text(encoding="utf-8")[:4096], "argdown-json"),
        (".json", AIF.read_text(encoding="utf-8")[:4096], "aif"),
        (".txt", "Discussion Title: T\n\n1. A", "kialo"),
        ("", "Discussion Title: T\n\n1. A", "kialo"),  # stdin: the content decides
        (".md", '{"format": "argmap", "version": 1}', "json"),
        (".md", "[A]: plain notation", "argdown"),  # what nothing recognises is notation
        ("", "[A]: plain notation", "argdown"),
    ],
)
def test_detection(suffix: str, head: str, expected: str) -> None:
    assert argmap.ImporterRegistry().detect(head, suffix).name == expected


def test_detection_problems_name_the_candidates() -> None:
    registry = argmap.ImporterRegistry()
    detection = registry.detect("Some notes\n", ".txt")
    assert detection.name is None
    assert detection.problem == ".txt files are read by kialo, and it does not look like that format"
    detection = registry.detect('{"nodes": []}', ".json")
    assert (
        detection.problem == ".json files are read by json, argdown-json or aif, and it does not look like any of them"
    )


def test_two_importers_that_both_say_yes_are_ambiguous() -> None:
    registry = ImporterRegistry([KIALO, GREEDY], use_entry_points=False)
    assert registry.detect("Discussion Title: T", ".txt").problem == "it could be kialo or greedy"
    assert registry.detect("[A]: a", ".txt").name == "greedy"


def test_argmap_s_own_importer_wins_over_a_plugin_that_also_says_yes() -> None:
    own = metadata.EntryPoint(name="kialo", value="argmap.importers.kialo:IMPORTER", group=IMPORTER_ENTRY_POINT_GROUP)
    plugin = metadata.EntryPoint(name="greedy", value="test_importers:GREEDY", group=IMPORTER_ENTRY_POINT_GROUP)
    broken = metadata.EntryPoint(name="broken", value="argmap_no_such_module:X", group=IMPORTER_ENTRY_POINT_GROUP)
    registry = ImporterRegistry(entry_points=[own, plugin, broken])
    assert registry.detect("Discussion Title: T", ".txt").name == "kialo"  # the broken one is left out
    assert registry.detect("other text", ".txt").name == "greedy"
    (info,) = [i for i in registry.info() if i.name == "broken"]
    assert info.broken and "importer 'broken' (argmap_no_such_module:X) failed to load: ModuleNotFoundError" in (
        info.error or ""
    )


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (RuntimeError("boom"), "importer 'greedy' failed: RuntimeError: boom"),
        (None, "importer 'greedy' returned None, expected argmap.importers.Imported"),
        (argmap.ArgumentMap(), "importer 'greedy' returned ArgumentMap, expected argmap.importers.Imported"),
        (
            Imported(argmap.ArgumentMap(), ["a list"]),  # type: ignore[arg-type]
            "importer 'greedy' returned notes of what it dropped that are not a tuple of str",
        ),
    ],
)
def test_a_plugin_that_fails_while_reading_is_an_importer_error(result: Any, message: str) -> None:
    registry = ImporterRegistry([_Greedy(result=result)], use_entry_points=False)
    with pytest.raises(ImporterError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        registry.read("greedy", "text")


def test_a_syntax_error_passes_through_and_unknown_names_are_unknown() -> None:
    error = ArgmapSyntaxError("bad", source_name="x", line=2, column=3)
    registry = ImporterRegistry([_Greedy(result=error)], use_entry_points=False)
    with pytest.raises(ArgmapSyntaxError) as caught:
        registry.read("greedy", "text")
    assert caught.value is error
    with pytest.raises(UnknownFormatError):
        registry.read("nope", "text")


def test_something_that_is_not_an_importer_is_reported() -> None:
    not_one = metadata.EntryPoint(name="fn", value="test_importers:_statement", group=IMPORTER_ENTRY_POINT_GROUP)
    registry = ImporterRegistry(entry_points=[not_one])
    with pytest.raises(ImporterError, match="is not an importer: it is a function without name, description"):
        registry.get("fn")


# -- the Python API -------------------------------------------------------------------------------------------


def test_load_detects_reads_and_reports_what_it_dropped(tmp_path: Path) -> None:
    imported = argmap.load(ISLAND)
    assert len(imported.dropped) == 2 and imported.map.source_name == str(ISLAND)
    assert argmap.load(EXAMPLES[0]).map == argmap.parse_file(EXAMPLES[0])
    assert argmap.load(INLINE, "argdown-json").map == ARGDOWN_JSON.read(INLINE.read_text()).map
    (tmp_path / "part.arg").write_text("[B]: Included.\n", encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text("[A]: Main.\n\n@include(part.arg)\n", encoding="utf-8")
    assert set(argmap.load(notes).map.statements) == {"A", "B"}  # notation, includes next to the file
    unknown = tmp_path / "notes.txt"
    unknown.write_text("[A]: Main.\n", encoding="utf-8")
    with pytest.raises(ImporterError, match=r"cannot tell the format of .*notes.txt: \.txt files are read by kialo"):
        argmap.load(unknown)
    assert set(argmap.load(unknown, "argdown").map.statements) == {"A"}
    with pytest.raises(UnknownFormatError):
        argmap.load(unknown, "nope")


def test_loads_reads_text() -> None:
    text = CAR_FREE.read_text(encoding="utf-8")
    assert argmap.loads(text).map == KIALO.read(text, source_name="<string>").map
    assert argmap.loads("[A]: a").map == argmap.parse("[A]: a")
    with pytest.raises(ArgmapSyntaxError):
        argmap.loads("[A]: a", "kialo")


@pytest.mark.parametrize("module", ["argmap.api", "argmap.importers"])
def test_docstring_examples(module: str) -> None:
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
