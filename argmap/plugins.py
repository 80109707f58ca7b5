"""Exporters and how argmap finds them: the ``argmap.exporters`` entry-point group.

argmap's own exporters are registered in its pyproject.toml exactly like a
third-party plugin's. Discovery reads entry-point *metadata* only; a plugin's
module is imported when that exporter is first used, and a plugin that fails to
import is reported by name without affecting the others.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from .errors import ExporterError, UnknownFormatError

if TYPE_CHECKING:
    from .model import ArgumentMap

__all__ = [
    "ENTRY_POINT_GROUP",
    "Exporter",
    "ExporterInfo",
    "ExporterRegistry",
    "default_registry",
]

ENTRY_POINT_GROUP = "argmap.exporters"


@runtime_checkable
class Exporter(Protocol):
    """What an exporter provides. Any object with these attributes will do."""

    name: str
    description: str
    #: file suffix with the dot, e.g. ``".svg"``
    suffix: str
    #: True when ``export`` returns ``bytes``
    binary: bool

    def export(self, argmap: ArgumentMap, **options: Any) -> str | bytes:
        """Turn the map into the format's text or bytes."""
        ...


@attrs.frozen
class FunctionExporter:
    """An exporter made from a plain function; handy for small plugins and tests."""

    name: str
    description: str
    suffix: str
    function: Callable[..., str | bytes]
    binary: bool = False

    def export(self, argmap: ArgumentMap, **options: Any) -> str | bytes:
        return self.function(argmap, **options)


@attrs.frozen
class ExporterInfo:
    """What ``argmap formats`` shows for one exporter, loaded or broken."""

    name: str
    description: str
    suffix: str
    binary: bool
    distribution: str | None
    error: str | None = None

    @property
    def broken(self) -> bool:
        return self.error is not None


def _distribution_name(entry_point: metadata.EntryPoint) -> str | None:
    dist = getattr(entry_point, "dist", None)
    return getattr(dist, "name", None) if dist is not None else None


class ExporterRegistry:
    """The exporters available to one caller.

    Each registry loads lazily and caches what it loaded; nothing is global but
    the default instance returned by :func:`default_registry`. Tests build their
    own with ``ExporterRegistry(extra=[my_exporter])``.
    """

    def __init__(
        self,
        extra: Iterable[Exporter] = (),
        *,
        use_entry_points: bool = True,
        entry_points: Iterable[metadata.EntryPoint] | None = None,
    ) -> None:
        self._entry_points: dict[str, metadata.EntryPoint] = {}
        self._duplicates: dict[str, list[metadata.EntryPoint]] = {}
        if use_entry_points:
            found = entry_points if entry_points is not None else metadata.entry_points(group=ENTRY_POINT_GROUP)
            for ep in found:
                if ep.name in self._entry_points:
                    self._duplicates.setdefault(ep.name, []).append(ep)
                else:
                    self._entry_points[ep.name] = ep
        self._loaded: dict[str, Exporter] = {}
        self._errors: dict[str, str] = {}
        #: names registered in code: they have no distribution even when an entry point shares the name
        self._registered: set[str] = set()
        for exporter in extra:
            self.register(exporter)

    def register(self, exporter: Exporter) -> None:
        """Add (or replace) an exporter by its name, without any distribution."""
        self._loaded[exporter.name] = exporter
        self._registered.add(exporter.name)
        self._errors.pop(exporter.name, None)

    def names(self) -> tuple[str, ...]:
        """Every format name, sorted. Imports nothing."""
        return tuple(sorted(set(self._entry_points) | set(self._loaded)))

    def __contains__(self, name: object) -> bool:
        return name in self._entry_points or name in self._loaded

    def _origin(self, name: str) -> str:
        ep = self._entry_points.get(name)
        if ep is None:
            return f"exporter {name!r}"
        dist = _distribution_name(ep)
        where = f" from distribution {dist!r}" if dist else ""
        return f"exporter {name!r} ({ep.value}{where})"

    def get(self, name: str) -> Exporter:
        """The exporter called ``name``; raises UnknownFormatError or ExporterError."""
        if name in self._loaded:
            return self._loaded[name]
        if name not in self._entry_points:
            raise UnknownFormatError(name, self.names())
        if name in self._errors:
            raise ExporterError(self._errors[name])
        try:
            loaded = self._entry_points[name].load()
        except Exception as exc:  # a broken plugin must not take argmap down
            message = f"{self._origin(name)} failed to load: {type(exc).__name__}: {exc}"
            self._errors[name] = message
            raise ExporterError(message) from exc
        exporter = loaded() if isinstance(loaded, type) else loaded
        if not isinstance(exporter, Exporter):
            message = (
                f"{self._origin(name)} is not an exporter (it needs name, description, suffix, binary and export())"
            )
            self._errors[name] = message
            raise ExporterError(message)
        if name in self._duplicates:
            others = ", ".join(ep.value for ep in self._duplicates[name])
            warnings.warn(f"{self._origin(name)} is used; other plugins also register {name!r}: {others}", stacklevel=2)
        self._loaded[name] = exporter
        return exporter

    def info(self) -> tuple[ExporterInfo, ...]:
        """Describe every exporter, loading each; broken ones are listed with their error."""
        infos = []
        for name in self.names():
            ep = self._entry_points.get(name)
            dist = _distribution_name(ep) if ep is not None and name not in self._registered else None
            try:
                exporter = self.get(name)
            except ExporterError as exc:
                infos.append(ExporterInfo(name, "", "", False, dist, error=str(exc)))
                continue
            infos.append(ExporterInfo(name, exporter.description, exporter.suffix, exporter.binary, dist))
        return tuple(infos)

    def for_suffix(self, suffix: str) -> str | None:
        """The format whose suffix is ``suffix`` (``".svg"``), preferring built-in names."""
        suffix = suffix.lower()
        if suffix.lstrip(".") in self:
            return suffix.lstrip(".")
        for info in self.info():
            if not info.broken and info.suffix.lower() == suffix:
                return info.name
        return None

    def export(self, argmap: ArgumentMap, name: str, **options: Any) -> str | bytes:
        """Run exporter ``name`` and check what it returned."""
        exporter = self.get(name)
        try:
            result = exporter.export(argmap, **options)
        except Exception as exc:
            from .errors import ArgmapError

            if isinstance(exc, ArgmapError):
                raise
            raise ExporterError(f"{self._origin(name)} failed: {type(exc).__name__}: {exc}") from exc
        expected: type = bytes if exporter.binary else str
        if not isinstance(result, expected):
            raise ExporterError(f"{self._origin(name)} returned {type(result).__name__}, expected {expected.__name__}")
        return result

    def as_mapping(self) -> Mapping[str, Exporter]:
        """Every exporter that loads, by name."""
        loaded = {}
        for name in self.names():
            try:
                loaded[name] = self.get(name)
            except ExporterError as exc:
                warnings.warn(str(exc), stacklevel=2)
        return loaded


@functools.lru_cache(maxsize=1)
def default_registry() -> ExporterRegistry:
    """The registry of installed exporters, built once per process."""
    return ExporterRegistry()
