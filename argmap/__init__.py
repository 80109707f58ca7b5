r"""argmap: argument maps from Argdown notation.

>>> import argmap
>>> m = argmap.parse("[Rain]: It will rain.\n  + [Clouds]: The sky is grey.")
>>> [str(r) for r in m.relations]
['[Clouds] support [Rain]']

Everything is imported on first use, so ``import argmap`` costs almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "parse": "argmap.api",
    "parse_file": "argmap.api",
    "export": "argmap.api",
    "from_json": "argmap.api",
    "load": "argmap.api",
    "loads": "argmap.api",
    "select": "argmap.selection",
    "lint": "argmap.checks",
    "check_quotes": "argmap.quotes",
    "display": "argmap.notebook",
    "Diagnostic": "argmap.checks",
    "Severity": "argmap.checks",
    "QuoteReport": "argmap.quotes",
    "ArgmapError": "argmap.errors",
    "ArgmapSyntaxError": "argmap.errors",
    "ExporterError": "argmap.errors",
    "ImporterError": "argmap.errors",
    "UnknownFormatError": "argmap.errors",
    "ArgumentMap": "argmap.model",
    "Argument": "argmap.model",
    "Conclusion": "argmap.model",
    "ElementKind": "argmap.model",
    "Inference": "argmap.model",
    "Node": "argmap.model",
    "Premise": "argmap.model",
    "Relation": "argmap.model",
    "RelationKind": "argmap.model",
    "Section": "argmap.model",
    "SourceSpan": "argmap.model",
    "Statement": "argmap.model",
    "Text": "argmap.model",
    "TextRange": "argmap.model",
    "RangeKind": "argmap.model",
    "Comment": "argmap.model",
    "Exporter": "argmap.plugins",
    "ExporterRegistry": "argmap.plugins",
    "FunctionExporter": "argmap.plugins",
    "ImporterRegistry": "argmap.plugins",
    "Imported": "argmap.importers",
    "Importer": "argmap.importers",
}

__all__ = [
    "ArgmapError",
    "ArgmapSyntaxError",
    "Argument",
    "ArgumentMap",
    "Comment",
    "Conclusion",
    "Diagnostic",
    "ElementKind",
    "Exporter",
    "ExporterError",
    "ExporterRegistry",
    "FunctionExporter",
    "Imported",
    "Importer",
    "ImporterError",
    "ImporterRegistry",
    "Inference",
    "Node",
    "Premise",
    "QuoteReport",
    "RangeKind",
    "Relation",
    "RelationKind",
    "Section",
    "Severity",
    "SourceSpan",
    "Statement",
    "Text",
    "TextRange",
    "UnknownFormatError",
    "__version__",
    "check_quotes",
    "display",
    "export",
    "from_json",
    "lint",
    "load",
    "loads",
    "parse",
    "parse_file",
    "select",
]

if TYPE_CHECKING:
    from .api import export, from_json, load, loads, parse, parse_file
    from .checks import Diagnostic, Severity, lint
    from .errors import ArgmapError, ArgmapSyntaxError, ExporterError, ImporterError, UnknownFormatError
    from .importers import Imported, Importer
    from .model import (
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
        Text,
        TextRange,
    )
    from .notebook import display
    from .plugins import Exporter, ExporterRegistry, FunctionExporter, ImporterRegistry
    from .quotes import QuoteReport, check_quotes
    from .selection import select


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'argmap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
