"""The json exporter, its schema, and reading argmap JSON back with ``from_json``."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from exporter_maps import S, cycle_map, full_map, hostile_map, rich_map, yaml_values_map

import argmap
from argmap.errors import ArgmapError, ExporterError
from argmap.exporters import json as argmap_json
from argmap.model import ArgumentMap, Node, Relation, RelationKind, Statement, Text
from argmap.plugins import Exporter, ExporterRegistry

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("examples/*.arg"), *ROOT.glob("tests/notation/*.arg")])

MAPS = {
    "full": full_map,
    "yaml-values": yaml_values_map,
    "cycle": cycle_map,
    "hostile": hostile_map,
    "rich": rich_map,
    "empty": ArgumentMap,
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = argmap_json.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def export(m: ArgumentMap) -> str:
    text = argmap.export(m, "json")
    assert isinstance(text, str)
    return text


def assert_round_trip(m: ArgumentMap, validator: jsonschema.Draft202012Validator) -> dict[str, Any]:
    """Export, validate, load, export again: the same text, and the derived fields agree."""
    text = export(m)
    loaded = json.loads(text)
    validator.validate(loaded)
    again = argmap.from_json(text)
    assert export(again) == text
    assert again.source_name == m.source_name
    assert_derived_fields(again, loaded)
    return loaded


def assert_derived_fields(m: ArgumentMap, loaded: dict[str, Any]) -> None:
    for argument, written in zip(m.arguments.values(), loaded["arguments"], strict=True):
        assert written["premises"] == list(argument.premises)
        assert written["conclusion"] == argument.conclusion
        assert [s["title"] for s in written["steps"] if s["type"] == "premise"] == written["premises"]
    derived = argmap_json.dump_map(ArgumentMap(relations=m.derived_relations()))["relations"]
    assert loaded["derived_relations"] == derived


# -- the exporter ---------------------------------------------------------------


def test_json_is_a_registered_exporter() -> None:
    exporter = ExporterRegistry().get("json")
    assert isinstance(exporter, Exporter)
    assert (exporter.name, exporter.suffix, exporter.binary) == ("json", ".json", False)
    assert exporter is argmap_json.EXPORTER


@pytest.mark.parametrize("name", sorted(MAPS))
def test_round_trip_text_and_schema(name: str, validator: jsonschema.Draft202012Validator) -> None:
    assert_round_trip(MAPS[name](), validator)


@pytest.mark.parametrize("name", ["full", "cycle", "hostile", "rich", "empty"])
def test_round_trip_gives_an_equal_model(name: str) -> None:
    m = MAPS[name]()
    again = argmap.from_json(export(m))
    assert again == m
    # neither spans nor comments take part in ==: compare them too
    assert again.comments == m.comments
    assert [c.span for c in again.comments] == [c.span for c in m.comments]
    assert [t.span for s in again.statements.values() for t in s.texts] == [
        t.span for s in m.statements.values() for t in s.texts
    ]
    assert list(again.statements) == list(m.statements)
    assert list(again.arguments) == list(m.arguments)


def test_equal_maps_compare_equal_and_different_ones_do_not() -> None:
    """attrs equality sees through the read-only mappings; the round-trip test relies on it."""
    assert full_map() == full_map()
    changed = full_map()
    rain = changed.statements["Rain"]
    statements = {**changed.statements, "Rain": Statement(rain.title, rain.texts, rain.tags, {"other": 1})}
    assert ArgumentMap(statements, changed.arguments, changed.relations, changed.sections, changed.metadata) != changed


def test_layout_is_deterministic_indented_utf8_with_a_newline() -> None:
    text = export(full_map())
    assert text == export(full_map())
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "format": "argmap",\n  "version": 1,\n  "source": "weather.arg",\n')
    assert "Grüße — 北朝鮮" in export(yaml_values_map())
    assert "\\u" not in export(yaml_values_map())


def test_everything_is_written_in_document_order() -> None:
    loaded = json.loads(export(full_map()))
    assert list(loaded) == [
        "format",
        "version",
        "source",
        "metadata",
        "sections",
        "statements",
        "arguments",
        "relations",
        "derived_relations",
    ]
    assert [s["title"] for s in loaded["statements"]] == list(full_map().statements)
    assert [s["id"] for s in loaded["sections"]] == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    rain = loaded["statements"][0]
    assert rain["texts"][1] == {
        "text": "Rain is coming.",
        "span": {"line": 30, "column": 1, "end_line": 30, "end_column": 11},
    }
    assert rain["tags"] == ["weather", "main claim"]
    assert rain["section"] == "s1"
    grey = loaded["arguments"][0]
    assert grey["premises"] == ["Clouds", "Grey means rain"]
    assert grey["conclusion"] == "Rain"
    assert grey["steps"][2]["inference"] == {
        "rules": ["modus ponens"],
        "uses": [1, 2],
        "data": {"note": "valid"},
        "span": {"line": 12, "column": 1, "end_line": 12, "end_column": 11},
    }
    assert loaded["relations"][2]["target"] == {"kind": "inference", "title": "Grey sky"}
    assert {r["kind"] for r in loaded["relations"]} == {"support", "attack", "undercut", "contradiction"}
    assert loaded["sections"][1]["parent"] == "s1"


def test_derived_relations_restate_a_reconstructed_argument_from_its_conclusion() -> None:
    loaded = json.loads(export(full_map()))
    written = [(r["source"]["title"], r["kind"], r["target"]["title"]) for r in loaded["relations"]]
    derived = [(r["source"]["title"], r["kind"], r["target"]["title"]) for r in loaded["derived_relations"]]
    assert ("Grey sky", "support", "Rain") in written
    assert ("Grey sky", "support", "Rain") not in derived  # its conclusion is Rain itself: dropped
    assert ("Forecast", "attack", "Rain") in derived


def test_yaml_values_get_their_usual_text_form() -> None:
    loaded = json.loads(export(yaml_values_map()))
    data = loaded["statements"][0]["data"]
    assert data["date"] == "2019-01-08"
    assert data["datetime"] == "2001-12-14T21:59:43.100000+00:00"
    assert data["naive"] == "2002-12-14T21:59:43"
    assert data["set"] == ["a", "b", "c"]
    assert data["binary"] == "AP9HSUY="
    assert (data["nan"], data["inf"], data["-inf"]) == ("NaN", "Infinity", "-Infinity")
    assert data["pairs"] == [["a", 1], ["b", 2]]
    assert (data["1"], data["null"], data["false"], data["2.5"], data["2020-02-02"]) == (
        "int key",
        "null key",
        "bool key",
        "float key",
        "date key",
    )
    assert data["big"] == 2**70
    assert loaded["metadata"] == {"date": "2019-01-08", "title": "Ünïcode"}


def test_a_value_json_cannot_hold_is_a_clear_error() -> None:
    m = ArgumentMap(statements={"T": Statement("T", data={"odd": object()})})
    with pytest.raises(
        ExporterError, match=r"cannot write a value of type object to JSON \(in statement 'T' data.odd\)"
    ):
        argmap.export(m, "json")


def test_unknown_options_are_refused() -> None:
    with pytest.raises(ExporterError, match="takes no options"):
        argmap.export(full_map(), "json", indent=4)


def test_the_schema_is_strict(validator: jsonschema.Draft202012Validator) -> None:
    good = json.loads(export(full_map()))
    validator.validate(good)
    broken = []
    extra = copy.deepcopy(good)
    extra["statements"][0]["colour"] = "red"
    broken.append(extra)
    missing = copy.deepcopy(good)
    del missing["arguments"][0]["steps"][0]["span"]
    broken.append(missing)
    kind = copy.deepcopy(good)
    kind["relations"][0]["kind"] = "supports"
    broken.append(kind)
    version = copy.deepcopy(good)
    version["version"] = 2
    broken.append(version)
    step = copy.deepcopy(good)
    step["arguments"][0]["steps"][0]["inference"] = step["arguments"][0]["steps"][2]["inference"]
    broken.append(step)
    for document in broken:
        assert not validator.is_valid(document)


def test_schema_text_is_the_shipped_file() -> None:
    shipped = ROOT / "argmap" / "schemas" / argmap_json.SCHEMA_FILE
    assert argmap_json.schema_text() == shipped.read_text(encoding="utf-8")
    assert argmap_json.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# -- reading back ---------------------------------------------------------------


def test_from_json_takes_text_bytes_with_a_bom_and_loaded_objects() -> None:
    text = export(full_map())
    expected = argmap.from_json(text)
    assert argmap.from_json(text.encode("utf-8")) == expected
    assert argmap.from_json(b"\xef\xbb\xbf" + text.encode("utf-8")) == expected
    assert argmap.from_json("\ufeff" + text) == expected
    assert argmap.from_json(json.loads(text)) == expected


def test_fields_with_defaults_may_be_left_out() -> None:
    m = argmap.from_json(
        {
            "format": "argmap",
            "version": 1,
            "statements": [{"title": "A", "texts": [{"text": "A."}]}, {"title": "B"}],
            "relations": [
                {
                    "source": {"kind": "statement", "title": "B"},
                    "target": {"kind": "statement", "title": "A"},
                    "kind": "attack",
                }
            ],
        }
    )
    assert m.statements["A"] == Statement("A", (Text("A."),))
    assert m.relations == (Relation(Node(S, "B"), Node(S, "A"), RelationKind.ATTACK),)
    assert m.source_name == "<string>"


def test_the_loader_does_not_need_jsonschema() -> None:
    code = (
        "import sys, argmap\n"
        "sys.modules['jsonschema'] = None\n"  # importing it now fails
        'm = argmap.from_json(\'{"format": "argmap", "version": 1}\')\n'
        "print(len(m.statements))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0\n"


ARGDOWN_JSON = {"arguments": {}, "statements": {"Rain": {"type": "equivalence-class"}}, "relations": []}


def valid() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(export(full_map()))
    return loaded


def changed(path: str, value: object) -> dict[str, Any]:
    """A valid document with one place changed; ``value`` ... means removed."""
    document = valid()
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return document


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", r"invalid JSON at line 1, column 2"),
        (b"\xff\xfe{}", r"must be UTF-8"),
        ('{"format": "argmap", "version": 1, "metadata": {"x": NaN}}', r"NaN is not a JSON value"),
        ("[1, 2]", r"must be an object at the top, got an array"),
        (ARGDOWN_JSON, r"looks like the Argdown tool's own JSON"),
        ({"statements": []}, r'no "format": "argmap" key'),
        ({"format": "argdown", "version": 1}, r'"format" is "argdown", expected "argmap"'),
        ({"format": "argmap"}, r'"version" must be a positive integer, got null'),
        ({"format": "argmap", "version": "1"}, r'"version" must be a positive integer, got "1"'),
        ({"format": "argmap", "version": 2}, r"version 2 was written by a newer argmap; this one reads version 1"),
        ({"format": "argmap", "version": 1, "extra": 1}, r"at the top level: unknown key 'extra'"),
        (changed("statements.0.title", ...), r"at statements\[0\]: missing 'title'"),
        (changed("statements.1.span.line", "x"), r'at statements\[1\].span.line: expected an integer, got "x"'),
        (changed("statements.1.span.line", -1), r"at statements\[1\].span.line: expected an integer of at least 0"),
        (changed("statements.1.texts.0", "text"), r"at statements\[1\].texts\[0\]: expected an object"),
        (changed("statements.1.tags", ["a", 1]), r"at statements\[1\].tags\[1\]: expected a string, got 1"),
        (changed("statements.1.generated_title", 1), r"generated_title: expected true or false, got 1"),
        (changed("statements.1.data", []), r"at statements\[1\].data: expected an object, got an array"),
        (changed("statements.1.title", "Rain"), r"at statements\[1\].title: 'Rain' appears twice"),
        (changed("statements.1.section", "s99"), r"at statements\[1\].section: no section has the id 's99'"),
        (changed("sections.1.parent", "s3"), r"at sections\[1\].parent: no earlier section has the id 's3'"),
        (changed("sections.1.level", 0), r"at sections\[1\].level: expected an integer of at least 1, got 0"),
        (changed("arguments.0.steps.1.type", "lemma"), r'steps\[1\].type: expected "premise" or "conclusion"'),
        (changed("arguments.0.steps.0.title", "Nope"), r"steps\[0\].title: no statement is titled 'Nope'"),
        (changed("arguments.0.steps.2.inference.uses", [1, True]), r"inference.uses\[1\]: expected an integer"),
        (changed("relations.0.kind", "supports"), r'relations\[0\].kind: expected one of "support", "attack"'),
        (changed("relations.0.source.kind", "claim"), r"relations\[0\].source.kind: expected one of"),
        (changed("relations.0.target.title", "Nope"), r"relations\[0\].target.title: no statement is titled 'Nope'"),
        (changed("relations.2.target.title", "Nope"), r"relations\[2\].target.title: no argument is titled 'Nope'"),
        (changed("source", 3), r"at source: expected a string, got 3"),
    ],
)
def test_wrong_input_is_a_clear_argmap_error(data: Any, message: str) -> None:
    with pytest.raises(ArgmapError, match=message):
        argmap.from_json(data)


def test_derived_fields_are_ignored_on_load() -> None:
    document = valid()
    document["arguments"][0]["premises"] = ["anything"]
    document["arguments"][0]["conclusion"] = None
    document["derived_relations"] = []
    assert argmap.from_json(document) == full_map()


# -- parsed maps ----------------------------------------------------------------


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_parsed_files_round_trip(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    m = argmap.parse_file(path)
    loaded = assert_round_trip(m, validator)
    assert loaded["source"] == m.source_name
    again = argmap.from_json(export(m))
    if not any(k == "date" for k in m.metadata):  # a YAML date comes back as its ISO text
        assert again == m


def test_there_are_parsed_files_to_check() -> None:
    assert any(p.parent.name == "examples" for p in SOURCES)
    assert len(SOURCES) > 10


# -- the parts added to version 1: ranges, strict relations, comments, included spans ------------


def test_new_keys_are_written_only_when_they_carry_something() -> None:
    """A map without formatting, comments or includes gives the JSON the first version-1 writer gave."""
    old = json.loads(export(full_map()))
    assert "comments" not in old
    texts = [t for s in old["statements"] for t in s["texts"]] + [
        d for a in old["arguments"] for d in a["descriptions"]
    ]
    assert texts and all(set(t) == {"text", "span"} for t in texts)
    spans = [t["span"] for t in texts] + [s["span"] for s in old["statements"]] + [r["span"] for r in old["relations"]]
    assert all(set(span) == {"line", "column", "end_line", "end_column"} for span in spans)
    written = json.loads(export(rich_map()))
    rain = written["statements"][0]["texts"][0]
    assert rain["ranges"] == [
        {"kind": "bold", "start": 8, "end": 12},
        {"kind": "link", "start": 23, "end": 31, "url": "https://example.org/forecast?a=1&b=2"},
        {"kind": "statement-mention", "start": 37, "end": 43, "title": "Wet"},
    ]
    assert written["statements"][1]["span"]["source"] == "parts/more.arg"
    assert "source" not in written["statements"][0]["span"]
    assert written["comments"] == [
        {"text": "// a comment", "span": {"line": 12, "column": 1, "end_line": 12, "end_column": 11}},
        {"text": "/* another\n one */", "span": {"line": 13, "column": 1, "end_line": 14, "end_column": 7}},
    ]
    assert [r["kind"] for r in written["relations"]] == ["entailment", "contrariness", "support"]


def test_the_schema_checks_the_new_parts(validator: jsonschema.Draft202012Validator) -> None:
    good = json.loads(export(rich_map()))
    validator.validate(good)
    for path, value in [
        ("statements.0.texts.0.ranges.0.kind", "underline"),
        ("statements.0.texts.0.ranges.0.start", -1),
        ("statements.0.texts.0.ranges.0.colour", "red"),
        ("statements.1.span.source", ""),
        ("comments.0.note", "x"),
        ("relations.0.kind", "entails"),
    ]:
        document = copy.deepcopy(good)
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
        assert not validator.is_valid(document), path


def rich_document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(export(rich_map()))
    return loaded


def rich_changed(path: str, value: object) -> dict[str, Any]:
    document = rich_document()
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("statements.0.texts.0.ranges.0.kind", "underline", r"ranges\[0\].kind: expected one of \"bold\""),
        ("statements.0.texts.0.ranges.0.end", 99, r"ranges\[0\].end: the text has 44 characters, the range ends at 99"),
        ("statements.0.texts.0.ranges.0.end", 3, r"ranges\[0\].end: expected an integer of at least 8, got 3"),
        ("statements.0.texts.0.ranges.1.url", 7, r"ranges\[1\].url: expected a string, got 7"),
        ("statements.0.texts.0.ranges", {}, r"texts\[0\].ranges: expected an array"),
        ("statements.1.span.source", 1, r"statements\[1\].span.source: expected a string, got 1"),
        ("comments.0.text", None, r"comments\[0\].text: expected a string, got null"),
        ("comments", "// x", r"at comments: expected an array"),
    ],
)
def test_wrong_new_parts_are_clear_errors(path: str, value: object, message: str) -> None:
    with pytest.raises(ArgmapError, match=message):
        argmap.from_json(rich_changed(path, value))


def test_parsed_formatting_comments_and_strict_relations_round_trip(validator: jsonschema.Draft202012Validator) -> None:
    m = argmap.parse(
        "===\nmodel:\n    mode: strict\n===\n\n"
        "// why it rains\n[Rain]: It will **rain**, see [the forecast](https://example.org) and @[Wet].\n"
        "  + [Wet]: Streets get _wet_.\n  - [Dry]: Streets stay dry.\n"
    )
    loaded = assert_round_trip(m, validator)
    assert {r["kind"] for r in loaded["relations"]} == {"entailment", "contrariness"}
    assert [r["kind"] for r in loaded["statements"][0]["texts"][0]["ranges"]] == ["bold", "link", "statement-mention"]
    assert loaded["comments"][0]["text"] == "// why it rains"
    assert argmap.from_json(export(m)) == m
