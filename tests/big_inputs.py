"""Pathological inputs, generated: a huge line, many statements, deep trees and sections, a huge title.

Run one case and time it (used by tests/test_big_inputs.py in a subprocess, and by hand at full size)::

    python tests/big_inputs.py CASE [SIZE]

prints a JSON line after each stage (parse, json, from_json, dot), the last one the most complete:
``{"case", "size", "chars", "verdict", "parse_s", "json_s", "dot_s", ...}`` where ``verdict`` is ``"parsed"``
or ``"refused: <message>"`` (an ArgmapSyntaxError). Any other exception is a failure and ends the process with
its traceback; an exporter's ExporterError is recorded as ``json_error`` / ``dot_error``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

#: the full sizes the brief names
FULL_SIZES = {
    "long-line": 10_000_000,
    "long-formatted-line": 10_000_000,
    "many-statements": 100_000,
    "deep-tree": 10_000,
    "deep-sections": 10_000,
    "long-title": 100_000,
}


def long_line(size: int) -> str:
    """One statement whose text is a single line of about ``size`` characters of plain words."""
    words = "All work and no play makes a dull map, and a dull map makes no play. "
    body = (words * max(size // len(words), 1)).rstrip()
    return f"[Line]: {body}\n"


def long_formatted_line(size: int) -> str:
    """One statement whose text is a single line of about ``size`` characters, with bold and links all along."""
    words = "All work and no play makes a *dull* map, see [this](https://example.org) and @[Line]. "
    body = (words * max(size // len(words), 1)).rstrip()
    return f"[Line]: {body}\n"


def many_statements(size: int) -> str:
    """``size`` statements, every tenth supported by the one after it."""
    parts = []
    for i in range(size):
        parts.append(f"[S{i}]: Statement number {i} of the map.")
        if i % 10 == 0 and i + 1 < size:
            parts.append(f"  + [S{i + 1}]")
        parts.append("")
    return "\n".join(parts)


def deep_tree(size: int) -> str:
    """One relation tree ``size`` levels deep (one more space per level)."""
    lines = ["[S0]: The root."]
    for i in range(1, size + 1):
        symbol = "+" if i % 2 else "-"
        lines.append(f"{' ' * i}{symbol} [S{i}]: Level {i}.")
    return "\n".join(lines) + "\n"


def deep_sections(size: int) -> str:
    """``size`` headings, each one level deeper than the one before, with a statement in each."""
    parts = []
    for i in range(1, size + 1):
        parts.append(f"{'#' * i} Section {i}")
        parts.append("")
        parts.append(f"[S{i}]: In section {i}.")
        parts.append("")
    return "\n".join(parts)


def long_title(size: int) -> str:
    """A statement whose title is ``size`` characters long, defined, referenced and related."""
    title = ("Long title " * (size // 11 + 1))[:size].strip()
    return f"[{title}]: Its text.\n  + [Other]: Support.\n\n[{title}]\n  - [Third]: Attack.\n"


CASES: dict[str, Callable[[int], str]] = {
    "long-line": long_line,
    "long-formatted-line": long_formatted_line,
    "many-statements": many_statements,
    "deep-tree": deep_tree,
    "deep-sections": deep_sections,
    "long-title": long_title,
}


def run(case: str, size: int) -> dict[str, object]:
    import argmap

    text = CASES[case](size)
    result: dict[str, object] = {"case": case, "size": size, "chars": len(text)}
    start = time.perf_counter()
    try:
        argument_map = argmap.parse(text, f"<{case}>")
    except argmap.ArgmapSyntaxError as error:
        result["parse_s"] = round(time.perf_counter() - start, 3)
        result["verdict"] = f"refused: {error.location}: {error.message}"
        return result
    result["parse_s"] = round(time.perf_counter() - start, 3)
    result["verdict"] = "parsed"
    result["statements"] = len(argument_map.statements)
    result["relations"] = len(argument_map.relations)
    result["sections"] = len(argument_map.sections)
    print(json.dumps(result), flush=True)
    for name in ("json", "dot"):
        start = time.perf_counter()
        try:
            output = argmap.export(argument_map, name)
        except argmap.ExporterError as error:  # reported, not raised: the other stages still count
            result[f"{name}_error"] = str(error)
            print(json.dumps(result), flush=True)
            continue
        result[f"{name}_s"] = round(time.perf_counter() - start, 3)
        result[f"{name}_chars"] = len(output)
        if name == "json":
            start = time.perf_counter()
            back = argmap.from_json(output)
            result["from_json_s"] = round(time.perf_counter() - start, 3)
            result["json_round_trip"] = back == argument_map
        print(json.dumps(result), flush=True)
    return result


def main(argv: list[str]) -> int:
    case = argv[0]
    size = int(argv[1]) if len(argv) > 1 else FULL_SIZES[case]
    result = run(case, size)
    if result["verdict"] != "parsed":
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
