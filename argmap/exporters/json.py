"""argmap's own JSON: the whole model, versioned, and the loader that reads it back.

The JSON is the lossless, stable interchange form of a map: every element in
document order with its span, so other tools can consume a parsed map without
Python, and ``argmap.from_json`` can rebuild it. The schema shipped in
``argmap/schemas/argmap-1.schema.json`` describes exactly what ``export`` writes.

Values that YAML produces but JSON lacks are written in their usual text form
(dates and times as ISO 8601, binary as base64, sets as sorted lists); a map read
back holds those texts, so ``export(load_map(export(m)))`` equals ``export(m)``.

Keys added to version 1 later are written only when they carry something: a
text's ``ranges`` (bold, italic, links, mentions), a span's ``source`` (the
``@include``d file it was written in), the top-level ``comments``, the top-level
``quotes`` when the export was given a source text (where each quote is found in
it), and the top-level ``evaluation`` when the export was asked to evaluate the map
(each element's label and reason: see :mod:`argmap.evaluation`). The loader treats
them as optional, so the version stays 1: JSON of
a map that uses none of them is exactly what the first version-1 writer produced,
and every version-1 document reads back.
"""

from __future__ import annotations

import base64
import datetime
import enum
import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from ..errors import ArgmapError, ExporterError
from ..model import (
    NO_SPAN,
    Argument,
    ArgumentMap,
    Comment,
    Conclusion,
    ElementKind,
    Inference,
    Node,
    Premise,
    RangeKind,
    Relation,
    RelationKind,
    Section,
    SourceSpan,
    Statement,
    Step,
    Text,
    TextRange,
)

if TYPE_CHECKING:
    from ..evaluation import Evaluation
    from ..parallel import Ahead
    from ..quotes import QuoteReport

__all__ = [
    "EXPORTER",
    "FORMAT",
    "SCHEMA_FILE",
    "VERSION",
    "JsonExporter",
    "dump_map",
    "dumps",
    "iter_dumps",
    "iter_encoded",
    "load_map",
    "schema",
    "schema_text",
]

#: the value of the top-level ``"format"`` key
FORMAT = "argmap"
#: the version this argmap writes and the newest it reads
VERSION = 1
#: the schema's file name inside the ``argmap/schemas`` folder of the package
SCHEMA_FILE = f"argmap-{VERSION}.schema.json"

#: the name a map gets when it was not read from a named source
_UNNAMED = "<string>"


def schema_text() -> str:
    """The JSON Schema (draft 2020-12) of what this version writes, as text."""
    from importlib import resources

    return resources.files("argmap").joinpath("schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema as a loaded object, ready for a validator."""
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


# -- writing -----------------------------------------------------------------


def _key(key: object, where: str, strict: bool = True) -> str:
    """An object key as JSON needs it: a string (YAML allows numbers, dates, null...)."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    if isinstance(key, (datetime.date, datetime.time)):
        return key.isoformat()
    if not strict:
        return str(key)
    raise ExporterError(f"cannot write a key of type {type(key).__name__} to JSON (in {where})")


def _value(value: object, where: str, strict: bool = True) -> Any:
    """``value`` as plain JSON values; YAML's extra types get their usual text form.

    Anything else raises :class:`ExporterError`, or with ``strict=False`` (a view that must not fail) is its ``str``.
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (datetime.date, datetime.time)):  # datetime.datetime is a date
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {_key(k, where, strict): _value(v, f"{where}.{k}", strict) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v, f"{where}[{i}]", strict) for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_value(v, f"{where}[]", strict) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if not strict:
        return str(value)
    raise ExporterError(f"cannot write a value of type {type(value).__name__} to JSON (in {where})")


def _span(span: SourceSpan) -> dict[str, Any]:
    written: dict[str, Any] = {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }
    if span.source:
        written["source"] = span.source
    return written


def _range(text_range: TextRange) -> dict[str, Any]:
    written: dict[str, Any] = {"kind": text_range.kind.value, "start": text_range.start, "end": text_range.end}
    if text_range.url is not None:
        written["url"] = text_range.url
    if text_range.title is not None:
        written["title"] = text_range.title
    return written


def _text(text: Text) -> dict[str, Any]:
    written: dict[str, Any] = {"text": text.text, "span": _span(text.span)}
    if text.ranges:
        written["ranges"] = [_range(r) for r in text.ranges]
    return written


def _node(node: Node) -> dict[str, str]:
    return {"kind": node.kind.value, "title": node.title}


def _relation(relation: Relation) -> dict[str, Any]:
    return {
        "source": _node(relation.source),
        "target": _node(relation.target),
        "kind": relation.kind.value,
        "span": _span(relation.span),
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "level": section.level,
        "parent": section.parent,
        "tags": list(section.tags),
        "data": _value(section.data, f"section {section.id!r} data"),
        "span": _span(section.span),
    }


def _statement(statement: Statement) -> dict[str, Any]:
    return {
        "title": statement.title,
        "generated_title": statement.generated_title,
        "texts": [_text(t) for t in statement.texts],
        "tags": list(statement.tags),
        "data": _value(statement.data, f"statement {statement.title!r} data"),
        "section": statement.section,
        "span": _span(statement.span),
    }


def _step(step: Step, argument: str) -> dict[str, Any]:
    if isinstance(step, Premise):
        return {"type": "premise", "number": step.number, "title": step.title, "span": _span(step.span)}
    inference = step.inference
    return {
        "type": "conclusion",
        "number": step.number,
        "title": step.title,
        "inference": {
            "rules": list(inference.rules),
            "uses": list(inference.uses),
            "data": _value(inference.data, f"argument {argument!r} inference ({step.number}) data"),
            "span": _span(inference.span),
        },
        "span": _span(step.span),
    }


def _argument(argument: Argument) -> dict[str, Any]:
    return {
        "title": argument.title,
        "generated_title": argument.generated_title,
        "descriptions": [_text(d) for d in argument.descriptions],
        "tags": list(argument.tags),
        "data": _value(argument.data, f"argument {argument.title!r} data"),
        "section": argument.section,
        "span": _span(argument.span),
        "premises": list(argument.premises),
        "conclusion": argument.conclusion,
        "steps": [_step(s, argument.title) for s in argument.steps],
    }


def dump_map(
    argmap: ArgumentMap, *, quotes: QuoteReport | None = None, evaluation: Evaluation | None = None
) -> dict[str, Any]:
    """The map as JSON-ready Python objects, keys in the order they are written.

    ``quotes`` (from :func:`argmap.quotes.check_quotes`) adds the top-level ``quotes``: where each quote is in
    the source text. ``evaluation`` (from :meth:`ArgumentMap.evaluate`) adds the top-level ``evaluation``.
    """
    written = {
        "format": FORMAT,
        "version": VERSION,
        "source": None if argmap.source_name == _UNNAMED else argmap.source_name,
        "metadata": _value(argmap.metadata, "metadata"),
        "sections": [_section(s) for s in argmap.sections],
        "statements": [_statement(s) for s in argmap.statements.values()],
        "arguments": [_argument(a) for a in argmap.arguments.values()],
        "relations": [_relation(r) for r in argmap.relations],
        "derived_relations": [_relation(r) for r in argmap.derived_relations()],
    }
    if argmap.comments:
        written["comments"] = [{"text": c.text, "span": _span(c.span)} for c in argmap.comments]
    if quotes is not None:
        written["quotes"] = quotes.to_json()
    if evaluation is not None:
        from ..evaluation import to_data

        written["evaluation"] = to_data(evaluation)
    return written


# -- writing the text ---------------------------------------------------------
#
# ``json.dumps(dump_map(m), indent=2)`` runs the standard library's pure-Python encoder
# (its C encoder does not indent before Python 3.13) over a million small dicts for a
# large map: seconds and hundreds of megabytes. The functions below write the same
# text directly, field by field, with the standard library's own string encoder; the
# tests check that the two agree byte for byte. Each takes ``indent``, the indentation
# of the line the value starts on, and returns the value's text.

#: the string encoder ``json.dumps(..., ensure_ascii=False)`` uses (the C one when available)
_string = json.encoder.encode_basestring
_STEP = "  "


def _encode(value: Any, indent: str) -> str:
    """A JSON-ready value (what :func:`_value` returns) as ``json.dumps(..., indent=2)`` writes it."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # as json.dumps(allow_nan=False); _value never gives one
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    inner = indent + _STEP
    if isinstance(value, (list, tuple)):
        return _array([_encode(v, inner) for v in value], indent)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ",\n".join(f"{inner}{_string(k)}: {_encode(v, inner)}" for k, v in value.items())
        return f"{{\n{items}\n{indent}}}"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _array(items: list[str], indent: str) -> str:
    """A JSON array of already written ``items`` (each written at ``indent`` + 2 spaces)."""
    if not items:
        return "[]"
    inner = indent + _STEP
    return f"[\n{inner}" + f",\n{inner}".join(items) + f"\n{indent}]"


def _string_array(values: tuple[str, ...], indent: str) -> str:
    return _array([_encode(v, "") for v in values], indent)


def _data_text(data: Mapping[str, Any], where: Callable[[], str], indent: str) -> str:
    return _encode(_value(data, where()), indent) if data else "{}"


@functools.lru_cache(maxsize=16)
def _span_template(indent: str) -> str:
    """A span's object at ``indent``, four ``%d`` for its numbers (a map has a handful of indents)."""
    i = indent + _STEP
    return f'{{\n{i}"line": %d,\n{i}"column": %d,\n{i}"end_line": %d,\n{i}"end_column": %d\n{indent}}}'


def _span_text(span: SourceSpan, indent: str) -> str:
    line, column, end_line, end_column = span.line, span.column, span.end_line, span.end_column
    if type(line) is int and type(column) is int and type(end_line) is int and type(end_column) is int:
        if not span.source:  # the usual span: one formatting in C
            return _span_template(indent) % (line, column, end_line, end_column)
        i = indent + _STEP
        text = f'{{\n{i}"line": {line},\n{i}"column": {column},\n{i}"end_line": {end_line},\n{i}"end_column": '
        text += str(end_column)
    else:  # a span built in code with other values: written as json.dumps writes them
        i = indent + _STEP
        text = '{{\n{0}"line": {1},\n{0}"column": {2},\n{0}"end_line": {3},\n{0}"end_column": {4}'.format(
            i, *(_encode(n, i) for n in (line, column, end_line, end_column))
        )
    if span.source:
        text += f',\n{i}"source": {_encode(span.source, i)}'
    return f"{text}\n{indent}}}"


def _range_text(text_range: TextRange, indent: str) -> str:
    i = indent + _STEP
    text = (
        f'{{\n{i}"kind": {_string(text_range.kind.value)},\n{i}"start": {_encode(text_range.start, i)},\n'
        f'{i}"end": {_encode(text_range.end, i)}'
    )
    if text_range.url is not None:
        text += f',\n{i}"url": {_encode(text_range.url, i)}'
    if text_range.title is not None:
        text += f',\n{i}"title": {_encode(text_range.title, i)}'
    return f"{text}\n{indent}}}"


def _text_text(text: Text, indent: str) -> str:
    i = indent + _STEP
    value = text.text
    written = f'{{\n{i}"text": {_string(value) if type(value) is str else _encode(value, i)},\n'
    written += f'{i}"span": {_span_text(text.span, i)}'
    if text.ranges:
        ranges = _array([_range_text(r, i + _STEP) for r in text.ranges], i)
        written += f',\n{i}"ranges": {ranges}'
    return f"{written}\n{indent}}}"


def _texts_text(texts: tuple[Text, ...], indent: str) -> str:
    return _array([_text_text(t, indent + _STEP) for t in texts], indent)


def _node_text(node: Node, indent: str) -> str:
    i = indent + _STEP
    title = node.title
    written = _string(title) if type(title) is str else _encode(title, i)
    return f'{{\n{i}"kind": {_string(node.kind._value_)},\n{i}"title": {written}\n{indent}}}'  # _value_: no property


def _relation_text(relation: Relation, indent: str) -> str:
    i = indent + _STEP
    return (
        f'{{\n{i}"source": {_node_text(relation.source, i)},\n{i}"target": {_node_text(relation.target, i)},\n'
        f'{i}"kind": {_string(relation.kind._value_)},\n{i}"span": {_span_text(relation.span, i)}\n{indent}}}'
    )


def _section_text(section: Section, indent: str) -> str:
    i = indent + _STEP
    data = _data_text(section.data, lambda: f"section {section.id!r} data", i)
    return (
        f'{{\n{i}"id": {_encode(section.id, i)},\n{i}"title": {_encode(section.title, i)},\n'
        f'{i}"level": {_encode(section.level, i)},\n{i}"parent": {_encode(section.parent, i)},\n'
        f'{i}"tags": {_string_array(section.tags, i)},\n{i}"data": {data},\n'
        f'{i}"span": {_span_text(section.span, i)}\n{indent}}}'
    )


def _statement_text(statement: Statement, indent: str) -> str:
    i = indent + _STEP
    # the usual values written without a call each: a map may have tens of thousands of statements
    title, tags, section = statement.title, statement.tags, statement.section
    data = _data_text(statement.data, lambda: f"statement {title!r} data", i) if statement.data else "{}"
    return (
        f'{{\n{i}"title": {_string(title) if type(title) is str else _encode(title, i)},\n'
        f'{i}"generated_title": {_encode(statement.generated_title, i)},\n'
        f'{i}"texts": {_texts_text(statement.texts, i)},\n{i}"tags": {_string_array(tags, i) if tags else "[]"},\n'
        f'{i}"data": {data},\n{i}"section": {_string(section) if type(section) is str else _encode(section, i)},\n'
        f'{i}"span": {_span_text(statement.span, i)}\n{indent}}}'
    )


def _step_text(step: Step, argument: str, indent: str) -> str:
    i = indent + _STEP
    premise = isinstance(step, Premise)
    number, title = step.number, step.title
    head = f'{{\n{i}"type": "{"premise" if premise else "conclusion"}",\n'
    head += f'{i}"number": {int.__repr__(number) if type(number) is int else _encode(number, i)},\n'
    head += f'{i}"title": {_string(title) if type(title) is str else _encode(title, i)},\n'
    if premise:
        return f'{head}{i}"span": {_span_text(step.span, i)}\n{indent}}}'
    assert isinstance(step, Conclusion)
    inference = step.inference
    j = i + _STEP
    data = (
        _data_text(inference.data, lambda: f"argument {argument!r} inference ({number}) data", j)
        if inference.data
        else "{}"
    )
    return (
        f'{head}{i}"inference": {{\n{j}"rules": {_string_array(inference.rules, j)},\n'
        f'{j}"uses": {_array([_encode(n, "") for n in inference.uses], j)},\n{j}"data": {data},\n'
        f'{j}"span": {_span_text(inference.span, j)}\n{i}}},\n{i}"span": {_span_text(step.span, i)}\n{indent}}}'
    )


def _argument_text(argument: Argument, indent: str) -> str:
    i = indent + _STEP
    title, steps, section = argument.title, argument.steps, argument.section
    data = _data_text(argument.data, lambda: f"argument {title!r} data", i) if argument.data else "{}"
    # the premises and the main conclusion from one pass over the steps (the properties each make a tuple)
    premises = tuple(s.title for s in steps if isinstance(s, Premise))
    conclusion = next((s.title for s in reversed(steps) if isinstance(s, Conclusion)), None)
    written_steps = _array([_step_text(s, title, i + _STEP) for s in steps], i)
    return (
        f'{{\n{i}"title": {_string(title) if type(title) is str else _encode(title, i)},\n'
        f'{i}"generated_title": {_encode(argument.generated_title, i)},\n'
        f'{i}"descriptions": {_texts_text(argument.descriptions, i)},\n{i}"tags": {_string_array(argument.tags, i)},\n'
        f'{i}"data": {data},\n{i}"section": {_string(section) if type(section) is str else _encode(section, i)},\n'
        f'{i}"span": {_span_text(argument.span, i)},\n{i}"premises": {_string_array(premises, i)},\n'
        f'{i}"conclusion": {_encode(conclusion, i)},\n{i}"steps": {written_steps}\n{indent}}}'
    )


def _comment_text(comment: Comment, indent: str) -> str:
    i = indent + _STEP
    return f'{{\n{i}"text": {_encode(comment.text, i)},\n{i}"span": {_span_text(comment.span, i)}\n{indent}}}'


_E_ = TypeVar("_E_")


def _array_chunks(key: str, items: Iterable[_E_], write: Callable[[_E_, str], str]) -> Iterator[str]:
    """``,\\n  "key": [...]`` at the top level, one chunk per item."""
    indent = _STEP * 2
    separator = f',\n  "{key}": [\n{indent}'
    for item in items:
        yield separator + write(item, indent)
        separator = f",\n{indent}"
    yield f',\n  "{key}": []' if separator.startswith(',\n  "') else f"\n{_STEP}]"


def iter_dumps(
    argmap: ArgumentMap, *, quotes: QuoteReport | None = None, evaluation: Evaluation | None = None
) -> Iterator[str]:
    """:func:`dumps` in pieces (about one per element), so the text can be written out as it is made.

    Joined, the pieces are exactly :func:`dumps`. A value JSON cannot hold raises
    :class:`ExporterError` when its element is reached.
    """
    yield from _front_pieces(argmap)
    yield from _argument_pieces(argmap)
    yield from _relation_pieces(argmap)
    yield from _back_pieces(argmap, quotes, evaluation)


#: from this many statements, arguments and relations on, :func:`iter_encoded` may take a second process
SECOND_PROCESS_FROM = 10_000


def iter_encoded(
    argmap: ArgumentMap,
    *,
    quotes: QuoteReport | None = None,
    evaluation: Evaluation | None = None,
    processes: int = 1,
) -> Iterator[bytes | bytearray]:
    """:func:`iter_dumps` as UTF-8. With ``processes`` > 1, a large map's arguments are written by a forked second
    process while this one writes the rest (:mod:`argmap.parallel`): the same bytes."""
    from .. import parallel

    pending = None
    ahead = parallel.ahead_for(_AHEAD)  # texts the command wrote while reading (see statements_ahead)
    size = len(argmap.statements) + len(argmap.arguments) + len(argmap.relations)
    if processes > 1 and size >= SECOND_PROCESS_FROM and parallel.fork_is_safe():
        pending = parallel.start(lambda: "".join(_argument_pieces(argmap, ahead)).encode("utf-8"))
    try:
        for piece in _front_pieces(argmap, ahead):
            yield piece.encode("utf-8")
        if pending is None:
            for piece in _argument_pieces(argmap, ahead):
                yield piece.encode("utf-8")
            for piece in _relation_pieces(argmap):
                yield piece.encode("utf-8")
        else:  # the relations are written while the child writes the arguments
            relations = "".join(_relation_pieces(argmap)).encode("utf-8")
            arguments: bytes | bytearray | None = pending.result()
            if arguments is None:  # the child failed: written here (raising here what it met)
                arguments = "".join(_argument_pieces(argmap, ahead)).encode("utf-8")
            yield arguments
            yield relations
        for piece in _back_pieces(argmap, quotes, evaluation):
            yield piece.encode("utf-8")
    finally:
        if pending is not None:
            pending.cancel()


#: the key of the JSON exporter's work ahead (:func:`statements_ahead`)
_AHEAD = "json: statements"


def statements_ahead() -> Ahead:
    """Each statement's text in the ``statements`` array, written while the command reads a long map (when the
    reading process would wait): :func:`iter_encoded` takes them (see :class:`argmap.parallel.Ahead`).

    Not the arguments': the time the reading process would wait is about what the statements' texts take (at
    50,000 statements), and a second process writes the arguments while this one writes the rest of the document.
    """
    from ..parallel import Ahead

    indent = _STEP * 2
    return Ahead(_AHEAD, lambda element: _statement_text(element, indent) if isinstance(element, Statement) else None)


def _taking(ahead: Ahead | None, write: Callable[[_E_, str], str]) -> Callable[[_E_, str], str]:
    """``write``, or the text written ahead where there is one (``indent``: always the top-level arrays')."""
    if ahead is None:
        return write
    written = ahead.get

    def taking(element: _E_, indent: str) -> str:
        text = written(element)  # type: ignore[arg-type]  # a statement or an argument
        return text if text is not None else write(element, indent)

    return taking


def _front_pieces(argmap: ArgumentMap, ahead: Ahead | None = None) -> Iterator[str]:
    source = None if argmap.source_name == _UNNAMED else argmap.source_name
    metadata = _data_text(argmap.metadata, lambda: "metadata", _STEP)
    yield (
        f'{{\n{_STEP}"format": {_string(FORMAT)},\n{_STEP}"version": {VERSION},\n'
        f'{_STEP}"source": {_encode(source, _STEP)},\n{_STEP}"metadata": {metadata}'
    )
    yield from _array_chunks("sections", argmap.sections, _section_text)
    yield from _array_chunks("statements", argmap.statements.values(), _taking(ahead, _statement_text))


def _argument_pieces(argmap: ArgumentMap, ahead: Ahead | None = None) -> Iterator[str]:
    return _array_chunks("arguments", argmap.arguments.values(), _taking(ahead, _argument_text))


def _relation_pieces(argmap: ArgumentMap) -> Iterator[str]:
    yield from _array_chunks("relations", argmap.relations, _relation_text)
    yield from _array_chunks("derived_relations", argmap.derived_relations(), _relation_text)


def _back_pieces(argmap: ArgumentMap, quotes: QuoteReport | None, evaluation: Evaluation | None) -> Iterator[str]:
    if argmap.comments:
        yield from _array_chunks("comments", argmap.comments, _comment_text)
    if quotes is not None:
        yield f',\n{_STEP}"quotes": {_encode(quotes.to_json(), _STEP)}'
    if evaluation is not None:
        from ..evaluation import to_data

        yield f',\n{_STEP}"evaluation": {_encode(to_data(evaluation), _STEP)}'
    yield "\n}\n"


def dumps(argmap: ArgumentMap, *, quotes: QuoteReport | None = None, evaluation: Evaluation | None = None) -> str:
    """The map as argmap JSON text: UTF-8 as is, indented by 2, ending with a newline.

    The same text as ``json.dumps(dump_map(argmap), ensure_ascii=False, indent=2) + "\\n"``, written faster.
    """
    return "".join(iter_dumps(argmap, quotes=quotes, evaluation=evaluation))


class JsonExporter:
    """The ``json`` exporter: :func:`dumps` behind the Exporter protocol."""

    name = "json"
    description = f"argmap JSON (format version {VERSION}): the whole model, for other tools and from_json"
    suffix = ".json"
    binary = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str:
        """Options: ``source`` (a source text's path, or true for the one the front matter names) or
        ``source_text`` add the top-level ``quotes`` (see :func:`argmap.quotes.report_for_export`);
        ``evaluate`` adds the top-level ``evaluation`` (see :func:`argmap.evaluation.evaluation_for_export`)."""
        quotes = None
        if "source" in options or "source_text" in options:  # argmap.quotes (and difflib) only when asked
            from ..quotes import report_for_export

            quotes = report_for_export(argmap, options)
        evaluation = None
        if "evaluate" in options:
            from ..evaluation import evaluation_for_export

            evaluation = evaluation_for_export(argmap, options, "JSON", several=True)
        if options:
            others = ", ".join(sorted(options))
            raise ExporterError(
                f"the json exporter takes no options other than source and source_text (quotes) and evaluate "
                f"(got {others})"
            )
        return dumps(argmap, quotes=quotes, evaluation=evaluation)


EXPORTER = JsonExporter()


# -- reading -----------------------------------------------------------------


def _fail(where: str, message: str) -> NoReturn:
    raise ArgmapError(f"invalid argmap JSON at {where}: {message}")


def describe_value(value: object) -> str:
    """A JSON value as an error message names it: ``null``, ``an object``, or the value itself, cut at 40."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _object(value: object, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    """Check ``value`` is an object with the required keys and no unknown ones."""
    if not isinstance(value, dict):
        _fail(where, f"expected an object, got {describe_value(value)}")
    missing = [k for k in required if k not in value]
    if missing:
        _fail(where, f"missing {', '.join(repr(k) for k in missing)}")
    unknown = [k for k in value if k not in required and k not in optional]
    if unknown:
        allowed = ", ".join(repr(k) for k in (*required, *optional))
        _fail(where, f"unknown key {unknown[0]!r} (allowed: {allowed})")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        _fail(where, f"expected a string, got {describe_value(value)}")
    return value


def _optional_str(value: object, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _int(value: object, where: str, minimum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        _fail(where, f"expected an integer, got {describe_value(value)}")
    if minimum is not None and value < minimum:
        _fail(where, f"expected an integer of at least {minimum}, got {value}")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        _fail(where, f"expected true or false, got {describe_value(value)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(where, f"expected an array, got {describe_value(value)}")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    return tuple(_str(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def _data(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where, f"expected an object, got {describe_value(value)}")
    return value


def _load_span(obj: dict[str, Any], where: str) -> SourceSpan:
    if "span" not in obj:
        return NO_SPAN
    where = f"{where}.span"
    span = _object(obj["span"], where, ("line", "column", "end_line", "end_column"), ("source",))
    line, column, end_line, end_column = (
        _int(span[k], f"{where}.{k}", 0) for k in ("line", "column", "end_line", "end_column")
    )
    return SourceSpan(line, column, end_line, end_column, _str(span.get("source", ""), f"{where}.source"))


def _load_range(value: object, where: str, text: str) -> TextRange:
    obj = _object(value, where, ("kind", "start", "end"), ("url", "title"))
    start = _int(obj["start"], f"{where}.start", 0)
    end = _int(obj["end"], f"{where}.end", start)
    if end > len(text):
        _fail(f"{where}.end", f"the text has {len(text)} characters, the range ends at {end}")
    return TextRange(
        kind=_enum_value(RangeKind, obj["kind"], f"{where}.kind"),
        start=start,
        end=end,
        url=_optional_str(obj.get("url"), f"{where}.url"),
        title=_optional_str(obj.get("title"), f"{where}.title"),
    )


def _load_texts(value: object, where: str) -> tuple[Text, ...]:
    texts = []
    for i, item in enumerate(_list(value, where)):
        at = f"{where}[{i}]"
        obj = _object(item, at, ("text",), ("span", "ranges"))
        text = _str(obj["text"], f"{at}.text")
        ranges = _list(obj.get("ranges", []), f"{at}.ranges")
        loaded = tuple(_load_range(r, f"{at}.ranges[{j}]", text) for j, r in enumerate(ranges))
        texts.append(Text(text, _load_span(obj, at), loaded))
    return tuple(texts)


def _load_comments(value: object) -> tuple[Comment, ...]:
    comments = []
    for i, item in enumerate(_list(value, "comments")):
        obj = _object(item, f"comments[{i}]", ("text",), ("span",))
        comments.append(Comment(_str(obj["text"], f"comments[{i}].text"), _load_span(obj, f"comments[{i}]")))
    return tuple(comments)


def _load_section(value: object, where: str) -> Section:
    obj = _object(value, where, ("id", "title", "level"), ("parent", "tags", "data", "span"))
    return Section(
        id=_str(obj["id"], f"{where}.id"),
        title=_str(obj["title"], f"{where}.title"),
        level=_int(obj["level"], f"{where}.level", 1),
        parent=_optional_str(obj.get("parent"), f"{where}.parent"),
        tags=_strings(obj.get("tags", []), f"{where}.tags"),
        data=_data(obj.get("data", {}), f"{where}.data"),
        span=_load_span(obj, where),
    )


def _load_statement(value: object, where: str) -> Statement:
    obj = _object(value, where, ("title",), ("generated_title", "texts", "tags", "data", "section", "span"))
    return Statement(
        title=_str(obj["title"], f"{where}.title"),
        texts=_load_texts(obj.get("texts", []), f"{where}.texts"),
        tags=_strings(obj.get("tags", []), f"{where}.tags"),
        data=_data(obj.get("data", {}), f"{where}.data"),
        span=_load_span(obj, where),
        section=_optional_str(obj.get("section"), f"{where}.section"),
        generated_title=_bool(obj.get("generated_title", False), f"{where}.generated_title"),
    )


def _load_step(value: object, where: str) -> Step:
    if not isinstance(value, dict):
        _fail(where, f"expected an object, got {describe_value(value)}")
    kind = value.get("type")
    if kind == "premise":
        obj = _object(value, where, ("type", "number", "title"), ("span",))
        return Premise(
            _int(obj["number"], f"{where}.number"), _str(obj["title"], f"{where}.title"), _load_span(obj, where)
        )
    if kind == "conclusion":
        obj = _object(value, where, ("type", "number", "title"), ("inference", "span"))
        inference = Inference()
        if "inference" in obj:
            at = f"{where}.inference"
            inf = _object(obj["inference"], at, (), ("rules", "uses", "data", "span"))
            uses = tuple(_int(u, f"{at}.uses[{i}]") for i, u in enumerate(_list(inf.get("uses", []), f"{at}.uses")))
            inference = Inference(
                rules=_strings(inf.get("rules", []), f"{at}.rules"),
                uses=uses,
                data=_data(inf.get("data", {}), f"{at}.data"),
                span=_load_span(inf, at),
            )
        return Conclusion(
            _int(obj["number"], f"{where}.number"),
            _str(obj["title"], f"{where}.title"),
            inference,
            _load_span(obj, where),
        )
    _fail(f"{where}.type", f'expected "premise" or "conclusion", got {describe_value(kind)}')


def _load_argument(value: object, where: str) -> Argument:
    obj = _object(
        value,
        where,
        ("title",),
        # premises and conclusion are read-only conveniences derived from steps
        ("generated_title", "descriptions", "tags", "data", "section", "span", "premises", "conclusion", "steps"),
    )
    steps = _list(obj.get("steps", []), f"{where}.steps")
    return Argument(
        title=_str(obj["title"], f"{where}.title"),
        descriptions=_load_texts(obj.get("descriptions", []), f"{where}.descriptions"),
        tags=_strings(obj.get("tags", []), f"{where}.tags"),
        data=_data(obj.get("data", {}), f"{where}.data"),
        steps=tuple(_load_step(s, f"{where}.steps[{i}]") for i, s in enumerate(steps)),
        span=_load_span(obj, where),
        section=_optional_str(obj.get("section"), f"{where}.section"),
        generated_title=_bool(obj.get("generated_title", False), f"{where}.generated_title"),
    )


_E = TypeVar("_E", bound=enum.Enum)


def _enum_value(kind: type[_E], value: object, where: str) -> _E:
    names = [member.value for member in kind]
    if value not in names:
        _fail(where, f"expected one of {', '.join(json.dumps(n) for n in names)}, got {describe_value(value)}")
    return kind(value)


def _load_node(value: object, where: str) -> Node:
    obj = _object(value, where, ("kind", "title"), ())
    kind = _enum_value(ElementKind, obj["kind"], f"{where}.kind")
    return Node(kind, _str(obj["title"], f"{where}.title"))


def _load_relation(value: object, where: str) -> Relation:
    obj = _object(value, where, ("source", "target", "kind"), ("span",))
    return Relation(
        source=_load_node(obj["source"], f"{where}.source"),
        target=_load_node(obj["target"], f"{where}.target"),
        kind=_enum_value(RelationKind, obj["kind"], f"{where}.kind"),
        span=_load_span(obj, where),
    )


def _by_title(items: list[Any], what: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for i, item in enumerate(items):
        if item.title in found:
            _fail(f"{what}[{i}].title", f"{item.title!r} appears twice")
        found[item.title] = item
    return found


def _check_references(argmap: ArgumentMap) -> None:
    """Every section id, step title and relation end must name something in the map."""
    section_ids: set[str] = set()
    for i, section in enumerate(argmap.sections):
        if section.id in section_ids:
            _fail(f"sections[{i}].id", f"{section.id!r} appears twice")
        if section.parent is not None and section.parent not in section_ids:
            _fail(f"sections[{i}].parent", f"no earlier section has the id {section.parent!r}")
        section_ids.add(section.id)
    for what, sections in (
        ("statements", [s.section for s in argmap.statements.values()]),
        ("arguments", [a.section for a in argmap.arguments.values()]),
    ):
        for i, section_id in enumerate(sections):
            if section_id is not None and section_id not in section_ids:
                _fail(f"{what}[{i}].section", f"no section has the id {section_id!r}")
    for i, argument in enumerate(argmap.arguments.values()):
        for j, step in enumerate(argument.steps):
            if step.title not in argmap.statements:
                _fail(f"arguments[{i}].steps[{j}].title", f"no statement is titled {step.title!r}")
    for i, relation in enumerate(argmap.relations):
        for end, node in (("source", relation.source), ("target", relation.target)):
            known = argmap.statements if node.kind is ElementKind.STATEMENT else argmap.arguments
            if node.title not in known:
                kind = "statement" if node.kind is ElementKind.STATEMENT else "argument"
                _fail(f"relations[{i}].{end}.title", f"no {kind} is titled {node.title!r}")


_ARGDOWN_HINT = (
    "this looks like the Argdown tool's own JSON; argmap reads the JSON argmap writes (argmap export -f json)"
)


def _decode(data: str | bytes | bytearray) -> Any:
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ArgmapError(f"argmap JSON must be UTF-8: {exc}") from None
    data = data.removeprefix("\ufeff")

    def reject_constant(name: str) -> NoReturn:
        raise ArgmapError(f"invalid JSON: {name} is not a JSON value")

    try:
        return json.loads(data, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise ArgmapError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ArgmapError("invalid argmap JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ArgmapError(f"invalid argmap JSON: {exc}") from None


_TOP_KEYS = (
    "source",
    "metadata",
    "sections",
    "statements",
    "arguments",
    "relations",
    "derived_relations",
    "comments",
    "quotes",
    "evaluation",
)


def load_map(data: str | bytes | bytearray | Mapping[str, Any]) -> ArgumentMap:
    """Rebuild a map from argmap JSON: text, UTF-8 bytes, or the already loaded object.

    Raises :class:`ArgmapError` naming the offending place (``statements[2].span.line``)
    for anything that is not argmap JSON of a version this argmap reads. Keys whose
    value is a default (empty lists and objects, ``null``, ``false``, spans) may be
    left out; ``premises``, ``conclusion``, ``derived_relations``, ``quotes`` and ``evaluation`` are derived and
    ignored.
    """
    loaded = _decode(data) if isinstance(data, (str, bytes, bytearray)) else data
    if not isinstance(loaded, Mapping):
        raise ArgmapError(f"argmap JSON must be an object at the top, got {describe_value(loaded)}")
    top = dict(loaded)
    if "format" not in top:
        if isinstance(top.get("statements"), dict) or isinstance(top.get("arguments"), dict):
            raise ArgmapError(f'not argmap JSON: no "format" key; {_ARGDOWN_HINT}')
        raise ArgmapError(f'not argmap JSON: no "format": "{FORMAT}" key at the top')
    if top["format"] != FORMAT:
        raise ArgmapError(f'not argmap JSON: "format" is {describe_value(top["format"])}, expected "{FORMAT}"')
    version = top.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArgmapError(f'invalid argmap JSON: "version" must be a positive integer, got {describe_value(version)}')
    if version > VERSION:
        raise ArgmapError(
            f"argmap JSON version {version} was written by a newer argmap; this one reads version {VERSION}"
        )
    _object(top, "the top level", ("format", "version"), _TOP_KEYS)
    sections = [_load_section(s, f"sections[{i}]") for i, s in enumerate(_list(top.get("sections", []), "sections"))]
    statements = [
        _load_statement(s, f"statements[{i}]") for i, s in enumerate(_list(top.get("statements", []), "statements"))
    ]
    arguments = [
        _load_argument(a, f"arguments[{i}]") for i, a in enumerate(_list(top.get("arguments", []), "arguments"))
    ]
    relations = [
        _load_relation(r, f"relations[{i}]") for i, r in enumerate(_list(top.get("relations", []), "relations"))
    ]
    source = _optional_str(top.get("source"), "source")
    argmap = ArgumentMap(
        statements=_by_title(statements, "statements"),
        arguments=_by_title(arguments, "arguments"),
        relations=tuple(relations),
        sections=tuple(sections),
        metadata=_data(top.get("metadata", {}), "metadata"),
        source_name=_UNNAMED if source is None else source,
        comments=_load_comments(top.get("comments", [])),
    )
    _check_references(argmap)
    return argmap
