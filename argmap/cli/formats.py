"""``argmap formats``: the installed exporters and importers as tables, a broken plugin as a row with its error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import EXIT_OK
from .reading import _default_importers, _default_registry

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable

    from ..plugins import ExporterRegistry, ImporterRegistry


def run(args: argparse.Namespace, registry: ExporterRegistry | None) -> int:
    """Two tables, exporters and importers, each under a heading (one alone, without it, with --exporters or
    --importers); a broken plugin or a name conflict is a row of its own with the error."""
    both = not args.exporters and not args.importers
    if not args.importers:
        if both:
            print("Exporters (argmap render -f FORMAT, argmap convert --to FORMAT):")
        _print_table(_exporter_rows(registry or _default_registry()))
    if not args.exporters:
        if both:
            print()
            print("Importers (argmap render --from FORMAT, argmap convert --from FORMAT):")
        _print_table(_importer_rows(args.importer_registry or _default_importers()))
    return EXIT_OK


def _exporter_rows(registry: ExporterRegistry) -> list[tuple[str, ...]]:
    header = ("NAME", "SUFFIX", "KIND", "DISTRIBUTION", "DESCRIPTION")
    return _plugin_rows(header, registry.info(), lambda i: (i.suffix or "-", "binary" if i.binary else "text"))


def _importer_rows(importers: ImporterRegistry) -> list[tuple[str, ...]]:
    header = ("NAME", "SUFFIXES", "STATUS", "DISTRIBUTION", "DESCRIPTION")
    return _plugin_rows(header, importers.info(), lambda i: (",".join(i.suffixes) or "-", "ok"))


def _plugin_rows(
    header: tuple[str, ...], infos: Iterable[Any], columns: Callable[[Any], tuple[str, str]]
) -> list[tuple[str, ...]]:
    """``argmap formats``' table: a row per plugin; ``columns`` gives a usable one's suffix and kind columns."""
    rows: list[tuple[str, ...]] = [header]
    for info in infos:
        where = info.distribution or "-"
        if info.broken:
            state = "CONFLICT" if info.conflict else "BROKEN"
            rows.append((info.name, "-", state, where, info.error or ""))
        else:
            note = f" [{info.conflict}]" if info.conflict else ""
            rows.append((info.name, *columns(info), where, info.description + note))
    return rows


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
