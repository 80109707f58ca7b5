"""The argument parser of every command, and the help formatter it is built with.

Building the parser imports nothing heavy (no command module, no exporter): it is built on every start, ``--help``
included. Each command names its module with ``command=``; :func:`argmap.cli.main` imports that one alone.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .. import __version__
from .options import DEFAULT_DEPTH, EVALUATION_SEMANTICS, _depth, _engine, _jobs, _option, _selection


def _from_option(command: argparse.ArgumentParser, what: str = "FILE") -> None:
    command.add_argument(
        "--from",
        dest="source_format",
        metavar="FORMAT",
        help=f"the importer that reads {what} (see 'argmap formats'); without it the format follows from the "
        "suffix and, where a suffix is shared (.json) or unknown, from the content; .arg is the notation",
    )


def _notes_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="do not print the notes on what an importer left out (FILE: note: ...)",
    )


def _exporter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-O",
        "--option",
        dest="options",
        metavar="KEY=VALUE",
        action="append",
        type=_option,
        default=[],
        help="an exporter option; VALUE is read as JSON when it parses, else as a string (repeatable)",
    )


def _include_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--allow-include-outside",
        action="store_true",
        help=(
            "let @include, and the source text a front matter names, read files outside the input file's "
            "folder tree (refused by default)"
        ),
    )


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (``COLUMNS``, then stdout's terminal, else 80),
    without importing shutil: argparse asks for it once per option while the parser is built."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
        if columns > 0:
            return columns
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized by :func:`_columns` (the same width, measured without shutil)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else _columns() - 2)


class _ArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (building it imports nothing heavy)."""
    parser = _ArgumentParser(
        prog="argmap",
        description=(
            "Argument maps from Argdown notation (and AIF, Kialo and Argdown JSON): render them, convert them, "
            "check them, format them, list the formats."
        ),
        epilog="Run 'argmap COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"argmap {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True, parser_class=_ArgumentParser)

    render = commands.add_parser(
        "render",
        help="export maps to files (svg by default) or to stdout",
        description=(
            "Read FILE and export the map. Without -o the output goes next to FILE with the format's suffix "
            "(example.arg -> example.svg). The format is -f, else the suffix of -o, else svg. "
            "Several files are rendered in parallel (-j), each next to itself or into the folder -o names; "
            "a file that fails is reported and the others go on (exit status 1 if any failed). "
            "For maps too big to lay out, draw part of them (--focus, --select) or choose a faster "
            "Graphviz layout (--engine sfdp); see docs/performance.md."
        ),
    )
    render.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="the maps to read: Argdown files, or any format an importer reads ('-' reads stdin, as the only file)",
    )
    render.add_argument("-f", "--format", metavar="FORMAT", help="the exporter to use (see 'argmap formats')")
    _from_option(render)
    _notes_option(render)
    render.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="where to write ('-' writes to stdout); with several files, an existing folder",
    )
    _exporter_option(render)
    _include_option(render)
    part = render.add_argument_group("big maps")
    part.add_argument(
        "--focus",
        metavar="TITLE",
        help="export only this statement or argument and what is within --depth steps of it "
        "(write [TITLE] or <TITLE> when a statement and an argument share the title)",
    )
    part.add_argument(
        "--depth",
        metavar="K",
        type=_depth,
        help=f"relation steps around --focus (default {DEFAULT_DEPTH}; 0: the element alone)",
    )
    part.add_argument(
        "--select",
        metavar="EXPR",
        dest="selections",
        action="append",
        type=_selection,
        default=[],
        help="export only the elements with a tag ('#TAG' or 'tag:TAG') or in a section and its subsections "
        "('section:TITLE'); repeatable: any of the tags, in any of the sections",
    )
    part.add_argument(
        "--engine",
        metavar="NAME",
        type=_engine,
        help="the Graphviz layout for svg, png, pdf, html and dot: dot (layered, the default), sfdp (fast on big "
        "maps), neato, fdp, twopi, circo...",
    )
    render.add_argument(
        "--evaluate",
        action="store_true",
        help="show which claims and arguments stand (grounded semantics; -O evaluate=preferred picks another) "
        "in formats that can: json, markdown, dot, svg, png, pdf (docs/evaluation.md)",
    )
    part.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_jobs,
        help="how many files to render at once (default: the number of cores)",
    )
    render.set_defaults(command="render")

    check = commands.add_parser(
        "check",
        help="read files and report problems: syntax, lint rules, quotes against their source",
        description=(
            "Read each FILE and run the lint rules on it ('--list-rules' describes them). Findings go to stderr as "
            "FILE:LINE:COLUMN: severity: message [CODE] with a hint, and a summary line per file to stdout. "
            "With a source text (--source, or the front matter's argmap: {source: PATH}) every quote must occur "
            "in it. Exit status 1 when any file has an error (with --strict, also a warning)."
        ),
    )
    check.add_argument("files", metavar="FILE", nargs="*", help="Argdown files to check ('-' reads stdin)")
    check.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print problems only, not a line per file (nor an importer's notes on what it left out)",
    )
    _from_option(check, "each FILE")
    check.add_argument("--strict", action="store_true", help="count warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): compiler-style lines; json: one JSON list of every finding on stdout",
    )
    check.add_argument(
        "--disable",
        metavar="RULE",
        action="append",
        default=[],
        help="switch a rule off by code or name, e.g. AM102 or argument-sketch (repeatable, or comma-separated)",
    )
    check.add_argument("--list-rules", action="store_true", help="describe every rule and exit")
    check.add_argument(
        "--source",
        metavar="TEXT",
        help="a text file the map quotes: every quote must occur in it (default: the one the front matter names)",
    )
    check.add_argument(
        "--coverage", action="store_true", help="also report how much of the source text the quotes cover"
    )
    _include_option(check)
    check.set_defaults(command="check", usage=check.format_usage())

    fmt = commands.add_parser(
        "fmt",
        help="tidy notation files, keeping their layout",
        description=(
            "Tidy each FILE: spacing, indentation, relation symbols, escapes and YAML quoting are normalised; "
            "blocks, relation trees and definitions stay where they were written; what the map says never changes. "
            "'-' reads stdin and writes the result to stdout. A file with an error is left untouched."
        ),
    )
    fmt.add_argument("files", metavar="FILE", nargs="+", help="Argdown files to rewrite ('-' reads stdin)")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; print a diff and exit 1 when a file would change"
    )
    fmt.set_defaults(command="fmt")

    evaluate = commands.add_parser(
        "evaluate",
        help="say which claims and arguments of a map stand, and why",
        description=(
            "Read FILE and label each statement, argument and undercut inference in (it stands), out (it falls) "
            "or undecided, each with its reason (docs/evaluation.md). Preferred and stable semantics need "
            "pip install 'argmap[semantics]'."
        ),
    )
    evaluate.add_argument("file", metavar="FILE", help="the Argdown file to read ('-' reads stdin)")
    _from_option(evaluate)
    _notes_option(evaluate)
    evaluate.add_argument(
        "--semantics",
        choices=EVALUATION_SEMANTICS,
        default=EVALUATION_SEMANTICS[0],
        help="grounded (the default: one labelling), preferred (one or more) or stable (any number)",
    )
    evaluate.add_argument(
        "--format", choices=("text", "json"), default="text", help="a line per element (text) or JSON"
    )
    _include_option(evaluate)
    evaluate.set_defaults(command="evaluate")

    convert = commands.add_parser(
        "convert",
        help="read a map in one format and write it in another",
        description=(
            "Read IN and write it to OUT. The formats follow from the suffixes (IN: as for render; OUT: the "
            "exporter whose suffix it is), or are named with --from and --to. OUT is written whole or not at all; "
            "'-' reads stdin (IN) or writes to stdout (OUT, which needs --to). What the importer leaves out is "
            "noted on stderr as IN: note: ..."
        ),
    )
    convert.add_argument("input", metavar="IN", help="the map to read ('-' reads stdin)")
    convert.add_argument("output", metavar="OUT", help="where to write ('-' writes to stdout)")
    _from_option(convert, "IN")
    convert.add_argument("--to", dest="format", metavar="FORMAT", help="the exporter that writes OUT")
    _exporter_option(convert)
    _notes_option(convert)
    _include_option(convert)
    convert.set_defaults(
        command="convert", focus=None, depth=None, selections=[], engine=None, evaluate=False, jobs=None
    )

    formats = commands.add_parser(
        "formats",
        help="list the installed importers and exporters, plugins included",
        description=(
            "List every installed exporter and importer; a plugin that fails to load is shown as broken with its error."
        ),
    )
    only = formats.add_mutually_exclusive_group()
    only.add_argument("--exporters", action="store_true", help="list the exporters only (one table, no heading)")
    only.add_argument("--importers", action="store_true", help="list the importers only (one table, no heading)")
    formats.set_defaults(command="formats")
    return parser
