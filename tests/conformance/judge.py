"""Judge one document: does argmap agree with the Argdown CLI on it, differ on purpose, or disagree?"""

from __future__ import annotations

import difflib
import json
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple

from oracle.normalise import from_argdown, from_argmap

import argmap
from argmap.errors import ArgmapSyntaxError

from . import construct, name
from .deliberate import DELIBERATE

__all__ = ["Outcome", "judge", "readable_diff", "summary"]

Status = Literal["agree", "deliberate", "disagree"]


class Outcome(NamedTuple):
    document: str
    construct: str
    status: Status
    #: for a disagreement, what differs; empty otherwise
    detail: str = ""


def readable_diff(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> str:
    """A unified diff of two normalised structures, one JSON value per line."""

    def lines(value: Mapping[str, Any]) -> list[str]:
        return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()

    return "\n".join(difflib.unified_diff(lines(expected), lines(actual), "argdown", "argmap", n=3, lineterm=""))


def _argdown_says(result: Mapping[str, Any]) -> str:
    if result["ok"]:
        return "accepts"
    errors = result.get("errors") or []
    if errors:
        first = errors[0]
        return f"rejects at {first['line']}:{first['column']}: {first['message'].splitlines()[0]}"
    return f"rejects: {result.get('exception')}"


def _inside(error: ArgmapSyntaxError, text: str) -> bool:
    """The error's line and column point into the document (or just past its end)."""
    lines = text.splitlines() or [""]
    if not 1 <= error.line <= len(lines) + 1:
        return False
    width = len(lines[error.line - 1]) if error.line <= len(lines) else 0
    return 1 <= error.column <= width + 1


def judge(path: Path, result: Mapping[str, Any]) -> Outcome:
    """Compare argmap's reading of ``path`` with Argdown's ``result`` (an ``argdown_dump.js`` entry)."""
    doc = name(path)

    def outcome(status: Status, detail: str = "") -> Outcome:
        return Outcome(doc, construct(path), status, detail)

    deliberate = DELIBERATE.get(doc)
    argdown_accepts = bool(result["ok"])
    expected_argdown = deliberate.argdown if deliberate else "rejects" if construct(path) == "rejected" else "accepts"
    if argdown_accepts != (expected_argdown == "accepts"):
        return outcome(
            "disagree",
            f"misfiled: the suite expects Argdown to {expected_argdown[:-1]} it, but Argdown {_argdown_says(result)}",
        )

    text = path.read_text(encoding="utf-8-sig", errors="replace")
    error: ArgmapSyntaxError | None = None
    try:
        parsed = argmap.parse_file(path)
    except ArgmapSyntaxError as e:
        error = e
    except Exception:  # a crash is a disagreement to report, not a reason to stop judging the others
        return outcome("disagree", f"argmap crashes:\n{traceback.format_exc(limit=-3)}")
    argmap_says = f"rejects at {error.line}:{error.column}: {error.message}" if error else "accepts"

    if deliberate is not None:
        if (error is None) == (deliberate.argmap == "accepts") and (error is None or _inside(error, text)):
            return outcome("deliberate")
        return outcome(
            "disagree",
            f"listed as deliberate (argmap {deliberate.argmap}: {deliberate.reason}), but argmap {argmap_says}",
        )
    if not argdown_accepts:
        if error is not None and _inside(error, text):
            return outcome("agree")
        if error is not None:
            return outcome(
                "disagree", f"Argdown {_argdown_says(result)}; argmap's error is outside the document: {argmap_says}"
            )
        return outcome("disagree", f"Argdown {_argdown_says(result)}; argmap accepts")
    if error is not None:
        return outcome("disagree", f"Argdown accepts; argmap {argmap_says}")
    expected = from_argdown(result)
    actual = from_argmap(parsed)
    if actual != expected:
        return outcome("disagree", f"different meaning:\n{readable_diff(expected, actual)}")
    return outcome("agree")


def summary(outcomes: Iterable[Outcome]) -> str:
    """The agreement figures, overall and by construct."""
    outcomes = list(outcomes)
    by_construct: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_construct.setdefault(o.construct, []).append(o)

    def figures(group: list[Outcome]) -> tuple[int, int, int, int]:
        counts = {s: sum(o.status == s for o in group) for s in ("agree", "deliberate", "disagree")}
        return len(group), counts["agree"], counts["deliberate"], counts["disagree"]

    rows = [f"{'construct':<14} {'documents':>9} {'agreeing':>9} {'deliberate':>10} {'disagreeing':>11}"]
    for key in sorted(by_construct):
        rows.append("{:<14} {:>9} {:>9} {:>10} {:>11}".format(key, *figures(by_construct[key])))
    rows.append("{:<14} {:>9} {:>9} {:>10} {:>11}".format("all", *figures(outcomes)))
    return "\n".join(rows)
