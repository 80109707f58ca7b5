"""Maps in Jupyter notebooks: an :class:`~argmap.model.ArgumentMap` shows its diagram, and :func:`display`.

A notebook cell that ends with a map shows the map's diagram. IPython asks the
object for each representation it may have (``_repr_svg_``, ``_repr_markdown_``...)
and the notebook shows the one it ranks first; Jupyter ranks Markdown above SVG, so
the map gives exactly one of them. With Graphviz's ``dot`` on ``PATH`` it is the
diagram as SVG (what ``argmap render -f svg`` draws); without Graphviz it is the
Markdown outline (``-f markdown``), so a notebook shows the map either way. Nothing
here imports IPython: the methods are the plain protocol IPython looks for.

:func:`display` draws a map, a file or notation text with the options of
``argmap render``: a format, part of the map (``focus``, ``depth``, ``select``), a
Graphviz layout (``engine``), the evaluation (``evaluate``) and the exporter's
options. It returns a :class:`Rendering`, which a notebook shows by its media type
and whose ``.data`` is what ``argmap render ... -o -`` writes, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .model import ArgumentMap
    from .plugins import ExporterRegistry

__all__ = ["Rendering", "display", "graphviz_available", "markdown_or_none", "svg_or_none"]

#: the Graphviz program that lays out and renders every engine (argmap.exporters.rendered runs it)
_DOT = "dot"

#: media types by the suffix of an exporter's files; any other text is shown as plain text
_MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".tex": "text/latex",
    ".mmd": "text/vnd.mermaid",
}


def graphviz_available() -> bool:
    """True when Graphviz's ``dot`` is on ``PATH`` (looked up each time: ``PATH`` may change in a session)."""
    return shutil.which(_DOT) is not None


def svg_or_none(argument_map: ArgumentMap) -> str | None:
    """The map's diagram as SVG, as ``argmap render -f svg`` draws it; None without Graphviz.

    This is :meth:`ArgumentMap._repr_svg_`. A Graphviz that is installed but fails raises its error, which
    the notebook shows: a silent fallback would hide a broken installation.
    """
    if not graphviz_available():
        return None
    from .exporters.rendered import SVG

    svg = SVG.export(argument_map)
    return svg if isinstance(svg, str) else svg.decode("utf-8")


def markdown_or_none(argument_map: ArgumentMap) -> str | None:
    """The map's Markdown outline when Graphviz is missing; None when the SVG diagram shows instead.

    This is :meth:`ArgumentMap._repr_markdown_`. Jupyter ranks Markdown above SVG, so giving both would hide
    the diagram.
    """
    if graphviz_available():
        return None
    from .exporters.markdown import EXPORTER

    return str(EXPORTER.export(argument_map))


@attrs.frozen
class Rendering:
    """What :func:`display` made: ``data`` in ``format``, shown by a notebook as ``media_type``.

    ``data`` is ``str`` for text formats and ``bytes`` for binary ones (png, pdf), exactly what
    ``argmap render`` writes. In a notebook the object shows itself: the picture for svg and png, the
    outline for markdown, the page for html, the text itself for dot, argdown and other text formats.
    """

    data: str | bytes
    format: str
    media_type: str

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """Every representation at once, as IPython asks for them: the data under its media type.

        Text that a front end may not know how to show (Markdown, JSON, Mermaid...) comes as plain text
        too; binary data of no known media type is described, not sent.
        """
        if self.media_type == "application/octet-stream":
            return {"text/plain": repr(self)}
        bundle: dict[str, Any] = {self.media_type: self._shown()}
        if isinstance(self.data, str) and self.media_type not in ("image/svg+xml", "text/html"):
            bundle["text/plain"] = self.data
        return bundle

    def _shown(self) -> Any:
        if self.media_type == "application/json" and isinstance(self.data, str):
            return json.loads(self.data)
        return self.data

    def _only(self, media_type: str) -> Any:
        return self._shown() if self.media_type == media_type else None

    def _repr_svg_(self) -> str | None:
        value: str | None = self._only("image/svg+xml")
        return value

    def _repr_png_(self) -> bytes | None:
        value: bytes | None = self._only("image/png")
        return value

    def _repr_jpeg_(self) -> bytes | None:
        value: bytes | None = self._only("image/jpeg")
        return value

    def _repr_pdf_(self) -> bytes | None:
        value: bytes | None = self._only("application/pdf")
        return value

    def _repr_markdown_(self) -> str | None:
        value: str | None = self._only("text/markdown")
        return value

    def _repr_html_(self) -> str | None:
        value: str | None = self._only("text/html")
        return value

    def _repr_latex_(self) -> str | None:
        value: str | None = self._only("text/latex")
        return value

    def _repr_json_(self) -> Any:
        return self._only("application/json")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's text: a text format's text itself, else a short description."""
        printer.text(self.data if self.media_type == "text/plain" and isinstance(self.data, str) else repr(self))

    def __repr__(self) -> str:
        size = f"{len(self.data)} bytes" if isinstance(self.data, bytes) else f"{len(self.data)} characters"
        return f"<argmap {self.format} rendering, {self.media_type}, {size}>"


def display(
    source: ArgumentMap | str | os.PathLike[str],
    *,
    format: str = "svg",
    focus: str | None = None,
    depth: int | None = None,
    select: str | Iterable[str] = (),
    engine: str | None = None,
    evaluate: Any = False,
    source_format: str | None = None,
    allow_include_outside: bool = False,
    registry: ExporterRegistry | None = None,
    **options: Any,
) -> Rendering:
    """Draw a map with the options of ``argmap render``; a notebook shows what this returns.

    ``source`` is an :class:`ArgumentMap`, a path (a :class:`~pathlib.Path`, or a one-line string that names an
    existing file or ends in ``.arg`` / ``.argdown``) read as ``argmap render`` reads it (``source_format``:
    its ``--from``), or notation text. The rest mirror the command's options:

    - ``format="svg"``: ``-f FORMAT``, any exporter (``argmap formats`` lists them);
    - ``focus="Title"``: ``--focus``, the element and what is within ``depth`` steps of it;
    - ``depth=2``: ``--depth``, only with ``focus``;
    - ``select=["#tag", "section:Title"]``: ``--select``, one expression or several;
    - ``engine="sfdp"``: ``--engine``, the Graphviz layout of svg, png, pdf, html and dot;
    - ``evaluate=True``: ``--evaluate``; a semantics' name (``"preferred"``) picks another;
    - ``allow_include_outside=True``: ``--allow-include-outside``;
    - ``**options``: ``-O KEY=VALUE``, the exporter's own options (``rankdir="LR"``, ``legend=True``...).

    Raises what the command reports: :class:`argmap.UnknownFormatError`, :class:`argmap.ArgmapSyntaxError`,
    :class:`argmap.exporters.rendered.GraphvizNotFoundError` for a picture without Graphviz (``format="markdown"``
    needs nothing), :class:`argmap.ArgmapError` for a focus, tag or section the map does not have, and
    ``ValueError`` for options that do not go together.
    """
    from .plugins import default_registry

    registry = registry or default_registry()
    selections = [_selection(text) for text in ([select] if isinstance(select, str) else list(select))]
    if depth is not None and focus is None:
        raise ValueError("depth needs focus: the element whose neighbourhood is drawn")
    exporter = registry.get(format)
    from .cli.bigmaps import _PICTURE, _SOURCE, _graphviz_kind

    kind = _graphviz_kind(exporter)
    export_options = dict(options)
    if evaluate is not False and evaluate is not None:
        export_options["evaluate"] = evaluate
    if engine is not None:
        _check_engine(engine)
        if kind is None:
            raise ValueError(f"engine applies to the Graphviz formats (svg, png, pdf, html, dot), not to {format}")
        if kind == _PICTURE:
            export_options["engine"] = engine

    whole = _read(source, source_format, allow_include_outside)
    part = whole
    if focus is not None or selections:
        from .cli.options import DEFAULT_DEPTH
        from .selection import select as select_part

        part = select_part(
            whole,
            focus=focus,
            depth=DEFAULT_DEPTH if depth is None else depth,
            tags=[value for which, value in selections if which == "tag"],
            sections=[value for which, value in selections if which == "section"],
        )
    if "evaluate" in export_options and part is not whole:
        export_options["evaluate"] = _evaluation_of_whole(whole, part, export_options["evaluate"])
    data = registry.export(part, format, **export_options)
    if kind == _SOURCE and engine is not None and isinstance(data, str):
        from .cli.bigmaps import _with_layout

        data = _with_layout(data, engine)
    return Rendering(data, format, _media_type(exporter.suffix, data))


def _read(source: ArgumentMap | str | os.PathLike[str], source_format: str | None, allow_outside: bool) -> ArgumentMap:
    from .model import ArgumentMap

    if isinstance(source, ArgumentMap):
        if source_format is not None:
            raise ValueError("source_format is for a file or text, not for a map")
        return source
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _names_a_file(source)):
        from .api import load

        return load(source, source_format, allow_include_outside=allow_outside).map
    if not isinstance(source, str):
        raise TypeError(f"expected an ArgumentMap, a path or notation text, not {type(source).__name__}")
    if source_format is None:
        from .api import parse

        return parse(source, allow_include_outside=allow_outside)
    from .api import loads

    return loads(source, source_format).map


def _names_a_file(text: str) -> bool:
    """A one-line string is a path when it names a file or ends like a notation file; other text is notation."""
    if not text or "\n" in text or "\r" in text:
        return False
    from .reader import SUFFIXES

    return text.lower().endswith(SUFFIXES) or os.path.isfile(text)


def _selection(text: str) -> tuple[str, str]:
    """``"#tag"``, ``"#(long tag)"``, ``"tag:NAME"`` or ``"section:TITLE"``, read as ``--select`` reads it."""
    from .cli.options import _selection as read_selection

    if not isinstance(text, str):
        raise TypeError(f"select takes '#TAG', 'tag:TAG' or 'section:TITLE' strings, not {type(text).__name__}")
    try:
        return read_selection(text)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(f"select: {exc}") from None


def _check_engine(engine: str) -> None:
    from .exporters.rendered import ENGINES

    if engine not in ENGINES:
        raise ValueError(f"unknown Graphviz layout {engine!r}; choose one of {', '.join(ENGINES)}")


def _evaluation_of_whole(whole: ArgumentMap, part: ArgumentMap, value: Any) -> Any:
    """The whole map's labels for the part's elements, as ``argmap render --evaluate`` gives a part."""
    from .cli import CommandError
    from .cli.bigmaps import _evaluation_of_whole as of_whole

    try:
        return of_whole(whole, part, value)
    except CommandError as exc:
        raise ValueError(str(exc)) from None


def _media_type(suffix: str, data: str | bytes) -> str:
    media_type = _MEDIA_TYPES.get(suffix.lower())
    if media_type is not None:
        return media_type
    return "text/plain" if isinstance(data, str) else "application/octet-stream"
