"""``argmap check``: read files, run the lint rules and hold quotes to their source text; findings on stderr as
``FILE:LINE:COLUMN: severity: message [CODE]``, or as one JSON list on stdout.
"""

from __future__ import annotations

import sys
import warnings
from typing import TYPE_CHECKING, Any

from ..errors import ArgmapError, ArgmapSyntaxError, SourceFileError
from . import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CommandError
from .reading import _load, _print_notes
from .writing import _error, _error_report, _shown_name, _write_stdout

if TYPE_CHECKING:
    import argparse

    from ..model import ArgumentMap
    from ..plugins import ExporterRegistry
    from ..quotes import QuoteReport


#: the code of findings about reading a file (syntax errors, unreadable files), which no rule can switch off
_READ_CODE = "AM000"


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Check each FILE (or describe the rules); exit status 1 when any file fails."""
    from ..checks import rule

    as_json = args.format == "json"
    if args.list_rules:
        _list_rules(as_json)
        return EXIT_OK
    if not args.files:
        print(args.usage, end="", file=sys.stderr)
        print("argmap check: error: the following arguments are required: FILE (or --list-rules)", file=sys.stderr)
        return EXIT_USAGE
    disabled: list[str] = []
    for item in args.disable:
        for name in (part.strip() for part in item.split(",")):
            if not name:
                continue
            if rule(name) is None:
                raise CommandError(
                    f"--disable {name}: no rule has this code or name ('argmap check --list-rules' lists them)",
                    EXIT_USAGE,
                )
            disabled.append(name)
    given_source = None
    if args.source is not None:
        from ..quotes import read_source_text

        given_source = (read_source_text(args.source), args.source)
    findings: list[dict[str, Any]] = []
    failed = False
    for source in args.files:
        if not _check_one(source, args, disabled, given_source, findings if as_json else None):
            failed = True
    if as_json:
        import json

        _write_stdout((json.dumps(findings, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return EXIT_ERROR if failed else EXIT_OK


def _check_one(
    source: str,
    args: argparse.Namespace,
    disabled: list[str],
    given_source: tuple[str, str] | None,
    findings: list[dict[str, Any]] | None,
) -> bool:
    """Check one file; print its findings (or add them to ``findings`` for JSON); True when it passes."""
    from ..checks import Severity, lint

    shown = _shown_name(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            argmap, text, notes = _read_for_check(source, args)
        except (ArgmapError, CommandError) as exc:
            _check_read_error(shown, exc, findings)
            return False
    read_warnings = [str(w.message) for w in caught]
    # the findings of an imported map are placed in what its spans refer to: the notation argmap JSON was made
    # from, the Kialo file itself; a map from notation is placed in the file as named
    located = shown if notes is None else argmap.source_name
    try:
        quotes = _quote_report(argmap, text, given_source, args.coverage, args.allow_include_outside)
    except (ArgmapError, CommandError) as exc:
        _check_read_error(shown, exc, findings)
        return False
    found = lint(argmap, disabled=disabled, quotes=quotes, coverage=args.coverage and findings is not None)
    counts = {severity: sum(d.severity is severity for d in found) for severity in Severity}
    counts[Severity.WARNING] += len(read_warnings)
    passed = not counts[Severity.ERROR] and not (args.strict and counts[Severity.WARNING])
    if findings is not None:
        findings.extend(_read_finding(shown, "info", note) for note in notes or ())
        findings.extend(_read_finding(shown, "warning", message) for message in read_warnings)
        findings.extend(d.to_json(located) for d in found)
        return passed
    if not args.quiet:
        _print_notes(shown, notes or ())
    for message in read_warnings:
        print(f"{shown}: warning: {message}", file=sys.stderr)
    for d in found:
        print(d.format(located), file=sys.stderr)
    if not args.quiet:
        tally = "".join(
            f", {n} {severity.value}{'s' if n != 1 and severity is not Severity.INFO else ''}"
            for severity, n in counts.items()
            if n
        )
        quoted = ""
        if quotes is not None:
            total, missing = len(quotes.quotes), len(quotes.missing)
            quoted = f"; {total - missing} of {total} quotes found in {quotes.source_name}"
        print(f"{shown}: {'ok' if passed else 'failed'}{tally} ({_summary(argmap)}{quoted})")
    if args.coverage and quotes is not None:
        print(f"{shown}: coverage of {quotes.source_name}")
        for line in quotes.coverage.describe():
            print(f"  {line}")
    return passed


def _read_for_check(source: str, args: argparse.Namespace) -> tuple[ArgumentMap, str | None, tuple[str, ...] | None]:
    """The map of a file (or stdin), its notation, which places quotes exactly (None if it cannot be read again,
    or the map was imported from another format), and the importer's notes (None for notation)."""
    argmap, notes, text = _load(source, args, notes_printed=False)
    if notes is not None or text is not None:
        return argmap, text, notes
    try:
        from ..reader import read_source

        return argmap, read_source(source).removeprefix("\ufeff"), None
    except ArgmapError:
        return argmap, None, None


def _quote_report(
    argmap: ArgumentMap, text: str | None, given_source: tuple[str, str] | None, coverage: bool, allow_outside: bool
) -> QuoteReport | None:
    """The quotes of ``argmap`` held to ``--source`` or to the file its front matter names; None without either."""
    from ..quotes import check_quotes, front_matter_source, read_source_text

    if given_source is not None:
        source_text, name = given_source
    else:
        try:
            path = front_matter_source(argmap, allow_outside=allow_outside)
            read = read_source_text(path) if path is not None else None
        except SourceFileError as exc:  # named against the map whose front matter names it
            raise CommandError(f"the source text {exc.path}: {exc.problem}") from None
        if path is None or read is None:
            if coverage:
                raise CommandError(
                    "--coverage needs a source text: give --source TEXT, or name it in the front matter "
                    "(argmap: {source: PATH})"
                )
            return None
        source_text, name = read, str(path)
    return check_quotes(argmap, source_text, name, map_text=text)


def _check_read_error(shown: str, exc: ArgmapError | CommandError, findings: list[dict[str, Any]] | None) -> None:
    """Report a file that cannot be read (or checked) as the command reports errors, or as a JSON finding."""
    if findings is None:
        if isinstance(exc, ArgmapSyntaxError):
            _error_report(exc.report())
        elif isinstance(exc, SourceFileError):
            _error_report(str(exc))
        else:
            _error(f"{shown}: {exc}")
        return
    if isinstance(exc, ArgmapSyntaxError):
        finding = _read_finding(exc.source_name, "error", exc.message, exc.line, exc.column)
        finding["hint"] = exc.hint or ""
    elif isinstance(exc, SourceFileError):
        finding = _read_finding(exc.path, "error", exc.problem)
    else:
        finding = _read_finding(shown, "error", str(exc))
    findings.append(finding)


def _read_finding(file: str, severity: str, message: str, line: int = 0, column: int = 0) -> dict[str, Any]:
    """A JSON finding about reading a file, shaped like a rule's."""
    return {
        "file": file,
        "line": line,
        "column": column,
        "end_line": line,
        "end_column": column,
        "severity": severity,
        "code": _READ_CODE,
        "name": {"error": "read-error", "warning": "read-warning"}.get(severity, "import-note"),
        "message": message,
        "hint": "",
    }


def _list_rules(as_json: bool) -> None:
    from ..checks import RULES

    if as_json:
        import json

        _write_stdout((json.dumps([r.to_json() for r in RULES], ensure_ascii=False, indent=2) + "\n").encode())
        return
    width = max(len(r.name) for r in RULES)
    for r in RULES:
        print(f"{r.code}  {r.name.ljust(width)}  {r.severity.value.ljust(7)}  {r.description}")
        print(f"{'':{len(r.code) + width + 13}}fix: {r.hint}")


def _summary(argmap: ArgumentMap) -> str:
    counts = (
        (len(argmap.statements), "statement"),
        (len(argmap.arguments), "argument"),
        (len(argmap.relations), "relation"),
    )
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
