"""``argmap fmt``: notation tidied in the author's own layout, never changing what it says.

The ``argdown`` exporter's ``source`` layout (see :mod:`argmap.exporters.argdown`) keeps
every block, tree and definition where it was written and normalises the details:
spacing, indentation, relation symbols, escapes, YAML quoting. Before
handing text back, the formatter reads it again and compares: a rewrite that would
change the map, or lose a comment, is refused rather than written.
"""

from __future__ import annotations

import re

from .errors import ArgmapError

__all__ = ["FormatError", "format_text"]

_INCLUDE = re.compile(r"^[ \t]*@include\b", re.MULTILINE)


class FormatError(ArgmapError):
    """The text is valid notation, but the formatter cannot rewrite it faithfully."""


def format_text(text: str, source_name: str = "<string>") -> str:
    """``text`` tidied (in the canonical layout only if the author's cannot be kept).

    Raises ArgmapSyntaxError for bad notation, FormatError when refusing.
    """
    from .api import parse
    from .exporters.argdown import render

    if _INCLUDE.search(text):
        raise FormatError(
            f"{source_name}: cannot format a file that uses @include (the map does not keep the directive)"
        )
    argmap = parse(text, source_name)
    problem = "no layout"
    for layout in ("source", "canonical"):
        formatted = render(argmap, layout=layout)
        again = parse(formatted, source_name)
        if again != argmap:
            problem = "the map would change"
        elif [c.text for c in again.comments] != [c.text for c in argmap.comments]:
            problem = "a comment would be lost"
        else:
            return formatted
    raise FormatError(f"{source_name}: cannot be rewritten without a change ({problem}); please report this as a bug")
