"""Exporters and importers, and how argmap finds them: the ``argmap.exporters`` and ``argmap.importers``
entry-point groups.

argmap's own exporters and importers are registered in its pyproject.toml exactly
like a third-party plugin's. Discovery reads entry-point *metadata* only; a plugin's
module is imported when that format is first used.

A plugin cannot take argmap down. One that fails to import, is not an exporter
(importer), raises while working or returns the wrong type is reported as an
:class:`~argmap.errors.ExporterError` (:class:`~argmap.errors.ImporterError`)
naming the entry point and its distribution; the other formats are not affected.

Names are resolved by one rule in each group, whatever the order the distributions
were installed in:

- argmap's own names cannot be taken over: a plugin registering ``json`` is
  listed, but ``json`` stays argmap's;
- a name registered by two or more plugins (and not by argmap) is a conflict:
  using it is an error naming every distribution;
- either way, each claimant stays reachable by its qualified name
  ``DISTRIBUTION:NAME`` (``-f argmap-fancy:json``, ``--from argmap-fancy:kialo``),
  which is how a user chooses one deliberately; and ``register`` replaces a name in code.
"""

from __future__ import annotations

import functools
import importlib
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, runtime_checkable

import attrs

from .errors import ArgmapError, ExporterError, ImporterError, UnknownFormatError

if TYPE_CHECKING:
    from importlib import metadata

    from .importers import Imported, Importer
    from .model import ArgumentMap

__all__ = [
    "ENTRY_POINT_GROUP",
    "IMPORTER_ENTRY_POINT_GROUP",
    "Detection",
    "Exporter",
    "ExporterInfo",
    "ExporterRegistry",
    "ImporterInfo",
    "ImporterRegistry",
    "default_importers",
    "default_registry",
]

ENTRY_POINT_GROUP = "argmap.exporters"
IMPORTER_ENTRY_POINT_GROUP = "argmap.importers"

#: the distribution whose exporters are argmap's own
BUILTIN_DISTRIBUTION = "argmap"

#: separates the distribution from the format in a qualified name: ``argmap-fancy:json``
QUALIFIER = ":"

#: argmap's own exporters exactly as its pyproject.toml registers them (a test holds the two together). A plugin
#: cannot take these names, so using one needs no distribution's metadata: reading that costs more than a small
#: render, and a command that only renders with a built-in format never reads it (as Pygments' built-in table).
BUILTIN_EXPORTERS = {
    "json": "argmap.exporters.json:EXPORTER",
    "markdown": "argmap.exporters.markdown:EXPORTER",
    "dot": "argmap.exporters.dot:EXPORTER",
    "svg": "argmap.exporters.rendered:SVG",
    "png": "argmap.exporters.rendered:PNG",
    "pdf": "argmap.exporters.rendered:PDF",
    "argdown": "argmap.exporters.argdown:EXPORTER",
    "html": "argmap.exporters.html:EXPORTER",
    "aif": "argmap.exporters.aif:EXPORTER",
    "mermaid": "argmap.exporters.mermaid:EXPORTER",
}

#: argmap's own importers exactly as its pyproject.toml registers them (a test holds the two together), in the
#: order detection tries them
BUILTIN_IMPORTERS = {
    "argdown": "argmap.importers.notation:IMPORTER",
    "json": "argmap.importers.argmap_json:IMPORTER",
    "argdown-json": "argmap.importers.argdown_json:IMPORTER",
    "aif": "argmap.importers.aif:IMPORTER",
    "kialo": "argmap.importers.kialo:IMPORTER",
}


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
    """What ``argmap formats`` shows for one exporter, loaded or broken.

    ``error`` is set when the name cannot be used: the plugin is broken, or (with
    ``conflict`` set too) several plugins claim the name. ``conflict`` alone marks
    a usable exporter involved in a name conflict and says what happens to it.
    """

    name: str
    description: str
    suffix: str
    binary: bool
    distribution: str | None
    error: str | None = None
    conflict: str | None = None

    @property
    def broken(self) -> bool:
        return self.error is not None


@attrs.frozen
class ImporterInfo:
    """What ``argmap formats`` shows for one importer, loaded or broken (``error`` and ``conflict`` as in
    :class:`ExporterInfo`)."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    distribution: str | None
    error: str | None = None
    conflict: str | None = None

    @property
    def broken(self) -> bool:
        return self.error is not None


@attrs.frozen
class Detection:
    """Which importer reads an input: ``name``, or None with ``problem`` saying why none was chosen."""

    name: str | None
    problem: str = ""


def _distribution_name(entry_point: metadata.EntryPoint) -> str | None:
    dist = getattr(entry_point, "dist", None)
    name = getattr(dist, "name", None) if dist is not None else None
    return name if isinstance(name, str) else None


def _normalized(distribution: str) -> str:
    """A distribution's name as packaging compares them: ``Argmap_Fancy`` is ``argmap-fancy``."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _is_builtin(entry_point: metadata.EntryPoint) -> bool:
    dist = _distribution_name(entry_point)
    if dist is not None:
        return _normalized(dist) == BUILTIN_DISTRIBUTION
    module = entry_point.value.partition(":")[0].strip()
    return module == "argmap" or module.startswith("argmap.")


def _qualifier(entry_point: metadata.EntryPoint) -> str:
    """What comes before the colon of a qualified name: the distribution (else the module)."""
    return _distribution_name(entry_point) or entry_point.value.partition(":")[0].strip()


def _qualified(entry_point: metadata.EntryPoint) -> str:
    return f"{_qualifier(entry_point)}{QUALIFIER}{entry_point.name}"


def _describe_exception(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _not_an_exporter(candidate: Any) -> str | None:
    """Why ``candidate`` is not an exporter, or None when it is one."""
    needed = ("name", "description", "suffix", "binary", "export")
    missing = [attribute for attribute in needed if not hasattr(candidate, attribute)]
    if missing:
        kind = "a function" if callable(candidate) and not hasattr(candidate, "export") else None
        what = kind or f"a {type(candidate).__name__} object"
        hint = "; wrap a function in argmap.FunctionExporter" if kind else ""
        return (
            f"is not an exporter: it is {what} without {', '.join(missing)} "
            f"(an exporter needs name, description, suffix, binary and export()){hint}"
        )
    wrong = [
        f"{attribute} is {type(getattr(candidate, attribute)).__name__}, not str"
        for attribute in ("name", "description", "suffix")
        if not isinstance(getattr(candidate, attribute), str)
    ]
    binary = candidate.binary
    if not isinstance(binary, bool):
        wrong.append(f"binary is {type(binary).__name__}, not bool")
    if not callable(candidate.export):
        wrong.append("export is not callable")
    return f"is not a valid exporter: {'; '.join(wrong)}" if wrong else None


def _not_an_importer(candidate: Any) -> str | None:
    """Why ``candidate`` is not an importer, or None when it is one."""
    needed = ("name", "description", "suffixes", "sniff", "read")
    missing = [attribute for attribute in needed if not hasattr(candidate, attribute)]
    if missing:
        what = "a function" if callable(candidate) and not hasattr(candidate, "read") else None
        return (
            f"is not an importer: it is {what or f'a {type(candidate).__name__} object'} without "
            f"{', '.join(missing)} (an importer needs name, description, suffixes, sniff() and read())"
        )
    wrong = [
        f"{attribute} is {type(getattr(candidate, attribute)).__name__}, not str"
        for attribute in ("name", "description")
        if not isinstance(getattr(candidate, attribute), str)
    ]
    suffixes = candidate.suffixes
    if not isinstance(suffixes, (tuple, list)) or not all(isinstance(s, str) for s in suffixes):
        wrong.append(f"suffixes is {type(suffixes).__name__}, not a tuple of str")
    wrong.extend(
        f"{attribute} is not callable" for attribute in ("sniff", "read") if not callable(getattr(candidate, attribute))
    )
    return f"is not a valid importer: {'; '.join(wrong)}" if wrong else None


class _Named(Protocol):
    name: str


_P = TypeVar("_P", bound=_Named)


class _Registry(Generic[_P]):
    """The plugins of one entry-point group: discovery, the naming rules, loading that cannot fail loudly.

    Each registry loads lazily and caches what it loaded; nothing is global but the default instances.
    """

    #: the entry-point group, argmap's own table of it, and the words messages use
    _group: ClassVar[str]
    _builtins: ClassVar[Mapping[str, str]]
    _what: ClassVar[str]
    #: the command-line option that names a format of this kind, for messages: ``-f``, ``--from``
    _option: ClassVar[str]
    _error: ClassVar[type[ArgmapError]]

    def __init__(
        self,
        extra: Iterable[_P] = (),
        *,
        use_entry_points: bool = True,
        entry_points: Iterable[metadata.EntryPoint] | None = None,
    ) -> None:
        self._use_entry_points = use_entry_points
        self._given_entry_points = entry_points
        self._scanned = False
        #: every entry point registering each name, by distribution name
        self._claims: dict[str, list[metadata.EntryPoint]] = {}
        #: the entry point a plain name means; names claimed by several plugins are left out
        self._entry_points: dict[str, metadata.EntryPoint] = {}
        #: names claimed by several plugins and by no built-in
        self._ambiguous: dict[str, list[metadata.EntryPoint]] = {}
        #: ``distribution:name`` (normalized) -> entry point, for every claim
        self._by_qualified: dict[str, metadata.EntryPoint] = {}
        #: the qualified names worth listing: claimants that the plain name does not mean
        self._listed_qualified: dict[str, metadata.EntryPoint] = {}
        self._loaded: dict[str, _P] = {}
        self._errors: dict[str, str] = {}
        #: names registered in code: they have no distribution even when an entry point shares the name
        self._registered: set[str] = set()
        for plugin in extra:
            self.register(plugin)

    def _problem(self, candidate: Any) -> str | None:
        """Why ``candidate`` is not a plugin of this kind, or None."""
        raise NotImplementedError

    def _scan(self) -> None:
        """Read the entry points (metadata only), once, when something needs more than a built-in name."""
        if self._scanned:
            return
        self._scanned = True
        if self._use_entry_points:
            from importlib import metadata

            given = self._given_entry_points
            found = given if given is not None else metadata.entry_points(group=self._group)
            seen: set[tuple[str, str]] = set()
            for ep in found:
                key = (ep.name, _normalized(_qualifier(ep)))
                if key not in seen:  # the same distribution seen twice on the path
                    seen.add(key)
                    self._claims.setdefault(ep.name, []).append(ep)
        for name, claims in self._claims.items():
            claims.sort(key=lambda ep: _normalized(_qualifier(ep)))  # the same messages on every machine
            builtins = [ep for ep in claims if _is_builtin(ep)]
            for ep in claims:
                self._by_qualified[self._key(_qualifier(ep), name)] = ep
            if builtins:
                self._entry_points[name] = builtins[0]
            elif len(claims) == 1:
                self._entry_points[name] = claims[0]
            else:
                self._ambiguous[name] = claims
            chosen = self._entry_points.get(name)
            for ep in claims:
                if ep is not chosen:
                    self._listed_qualified[_qualified(ep)] = ep

    def _builtin(self, name: str) -> str | None:
        """The target of argmap's own plugin ``name`` when discovery is the default one, else None."""
        if self._use_entry_points and self._given_entry_points is None and name not in self._registered:
            return self._builtins.get(name)
        return None

    @staticmethod
    def _key(qualifier: str, name: str) -> str:
        return f"{_normalized(qualifier)}{QUALIFIER}{name}"

    def register(self, plugin: _P) -> None:
        """Add (or deliberately replace) a plugin by its name, without any distribution."""
        self._loaded[plugin.name] = plugin
        self._registered.add(plugin.name)
        self._errors.pop(plugin.name, None)

    def names(self) -> tuple[str, ...]:
        """Every format name, sorted; a plugin's qualified name follows the plain one. Imports nothing."""
        self._scan()
        every = set(self._entry_points) | set(self._ambiguous) | set(self._listed_qualified) | set(self._loaded)
        return tuple(sorted(every, key=self._sort_key))

    def _sort_key(self, name: str) -> tuple[str, int, str]:
        ep = self._listed_qualified.get(name)
        if ep is not None and name not in self._registered:
            return (ep.name, 1, name)
        return (name, 0, "")

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self._loaded or self._builtin(name) is not None:
            return True
        self._scan()
        return (
            name in self._loaded
            or name in self._entry_points
            or name in self._ambiguous
            or self._qualified_entry_point(name) is not None
        )

    def _qualified_entry_point(self, name: str) -> metadata.EntryPoint | None:
        qualifier, sep, base = name.partition(QUALIFIER)
        if not sep or not qualifier or not base:
            return None
        self._scan()
        return self._by_qualified.get(self._key(qualifier, base))

    def _entry_point(self, name: str) -> metadata.EntryPoint | None:
        """The entry point ``name`` stands for (plain or qualified); raises when the name is ambiguous."""
        self._scan()
        if name in self._entry_points:
            return self._entry_points[name]
        if name in self._ambiguous:
            raise self._error(self._ambiguity(name))
        return self._qualified_entry_point(name)

    def _ambiguity(self, name: str) -> str:
        claims = self._ambiguous[name]
        who = ", ".join(f"{_qualifier(ep)} ({ep.value})" for ep in claims)
        choices = " or ".join(f"{self._option} {_qualified(ep)}" for ep in claims)
        return (
            f"format {name!r} is registered by {len(claims)} plugins: {who}; "
            f"argmap does not pick one: choose with {choices}, or uninstall all but one"
        )

    def _conflict_note(self, name: str, ep: metadata.EntryPoint) -> str:
        """What happens to a claimant that its plain name does not mean."""
        others = [other for other in self._claims[ep.name] if other is not ep]
        if ep.name in self._ambiguous:
            also = ", ".join(_qualifier(other) for other in others)
            return f"{self._option} {ep.name} is refused: also registered by {also}"
        return f"{self._option} {ep.name} means argmap's own {self._what}, which a plugin cannot replace"

    def _origin(self, name: str) -> str:
        try:
            ep = self._entry_point(name)
        except ArgmapError:
            ep = None
        if ep is None:
            return f"{self._what} {name!r}"
        dist = _distribution_name(ep)
        where = f" from distribution {dist!r}" if dist else ""
        return f"{self._what} {name!r} ({ep.value}{where})"

    def _is_plugin(self, name: str) -> bool:
        """True for a format that came from another distribution's entry point."""
        if name in self._registered:
            return False
        if self._builtin(name) is not None:
            return False
        try:
            ep = self._entry_point(name)
        except ArgmapError:
            return True
        return ep is not None and not _is_builtin(ep)

    def get(self, name: str) -> _P:
        """The plugin called ``name``; raises UnknownFormatError, or this kind's error for a broken plugin."""
        if name in self._loaded:
            return self._loaded[name]
        if name in self._errors:
            raise self._error(self._errors[name])
        builtin = self._builtin(name)
        load: Callable[[], Any]
        if builtin is not None:
            load = functools.partial(_import, builtin)
        else:
            ep = self._entry_point(name)
            if ep is None:
                raise UnknownFormatError(name, self.names())
            load = ep.load
        try:
            loaded = load()
            plugin: _P = loaded() if isinstance(loaded, type) else loaded
        except (Exception, SystemExit) as exc:  # a broken plugin must not take argmap down
            message = f"{self._origin(name)} failed to load: {_describe_exception(exc)}"
            self._errors[name] = message
            raise self._error(message) from exc
        try:
            problem = self._problem(plugin)
        except Exception as exc:  # an attribute that raises when read
            problem = f"is not a valid {self._what}: reading it raised {_describe_exception(exc)}"
        if problem is not None:
            message = f"{self._origin(name)} {problem}"
            self._errors[name] = message
            raise self._error(message)
        self._loaded[name] = plugin
        return plugin

    def _listing(self) -> Iterable[tuple[str, str | None, str | None, str | None]]:
        """For every name: (name, distribution, conflict note, error of a name nobody may use)."""
        for name in self.names():
            listed = self._listed_qualified.get(name)
            if name in self._registered:
                yield name, None, None, None
            elif name in self._ambiguous:
                dists = ", ".join(_qualifier(ep) for ep in self._ambiguous[name])
                yield name, dists, self._ambiguity(name), self._ambiguity(name)
            elif listed is not None:
                yield name, _qualifier(listed), self._conflict_note(name, listed), None
            else:
                ep = self._entry_points.get(name)
                dist = _distribution_name(ep) if ep is not None else None
                shadowed = [other for other in self._claims.get(name, []) if other is not ep]
                conflict = (
                    f"also registered by {', '.join(_qualifier(other) for other in shadowed)}, which is not used"
                    if shadowed
                    else None
                )
                yield name, dist, conflict, None

    def as_mapping(self) -> Mapping[str, _P]:
        """Every plugin that loads, by name."""
        loaded = {}
        for name in self.names():
            try:
                loaded[name] = self.get(name)
            except ArgmapError as exc:
                warnings.warn(str(exc), stacklevel=2)
        return loaded


class ExporterRegistry(_Registry[Exporter]):
    """The exporters available to one caller.

    Each registry loads lazily and caches what it loaded; nothing is global but
    the default instance returned by :func:`default_registry`. Tests build their
    own with ``ExporterRegistry(extra=[my_exporter])``.
    """

    _group = ENTRY_POINT_GROUP
    _builtins = BUILTIN_EXPORTERS
    _what = "exporter"
    _option = "-f"
    _error = ExporterError

    def _problem(self, candidate: Any) -> str | None:
        return _not_an_exporter(candidate)

    def info(self) -> tuple[ExporterInfo, ...]:
        """Describe every exporter, loading each; broken ones are listed with their error."""
        infos = []
        for name, dist, conflict, error in self._listing():
            if error is not None:
                infos.append(ExporterInfo(name, "", "", False, dist, error=error, conflict=conflict))
                continue
            try:
                exporter = self.get(name)
            except ExporterError as exc:  # broken: its error says it all
                infos.append(ExporterInfo(name, "", "", False, dist, error=str(exc)))
                continue
            infos.append(
                ExporterInfo(name, exporter.description, exporter.suffix, exporter.binary, dist, conflict=conflict)
            )
        return tuple(infos)

    def for_suffix(self, suffix: str) -> str | None:
        """The format whose suffix is ``suffix`` (``".svg"``), preferring built-in names.

        A format named like the suffix (``.json`` -> ``json``) comes first, then
        argmap's own exporters, then plugins by name; a plugin that lost a name
        conflict is never picked by its suffix.
        """
        suffix = suffix.lower()
        if suffix.lstrip(".") in self:
            return suffix.lstrip(".")
        matches = [
            info.name
            for info in self.info()
            if not info.broken and info.suffix.lower() == suffix and info.name not in self._listed_qualified
        ]
        builtin = [name for name in matches if not self._is_plugin(name)]
        chosen = builtin or matches
        return chosen[0] if chosen else None

    def export(self, argmap: ArgumentMap, name: str, **options: Any) -> str | bytes:
        """Run exporter ``name`` and check what it returned."""
        exporter = self.get(name)
        try:
            result = exporter.export(argmap, **options)
        except ArgmapError as exc:
            if isinstance(exc, ExporterError) and self._is_plugin(name):
                raise ExporterError(f"{self._origin(name)}: {exc}") from exc
            raise
        except (Exception, SystemExit) as exc:
            raise ExporterError(f"{self._origin(name)} failed: {_describe_exception(exc)}") from exc
        expected: type = bytes if exporter.binary else str
        if not isinstance(result, expected):
            kind = "binary" if exporter.binary else "text"
            got = "None" if result is None else type(result).__name__
            raise ExporterError(
                f"{self._origin(name)} returned {got}, expected {expected.__name__} (it is a {kind} exporter)"
            )
        return result


class ImporterRegistry(_Registry["Importer"]):
    """The importers available to one caller: discovery as :class:`ExporterRegistry`, plus detection.

    ``ImporterRegistry(extra=[my_importer], use_entry_points=False)`` holds only ``my_importer``.
    """

    _group = IMPORTER_ENTRY_POINT_GROUP
    _builtins = BUILTIN_IMPORTERS
    _what = "importer"
    _option = "--from"
    _error = ImporterError

    #: the importer of files that no importer claims by suffix or recognises by content
    DEFAULT = "argdown"

    def _problem(self, candidate: Any) -> str | None:
        return _not_an_importer(candidate)

    def info(self) -> tuple[ImporterInfo, ...]:
        """Describe every importer, loading each; broken ones are listed with their error."""
        infos = []
        for name, dist, conflict, error in self._listing():
            if error is not None:
                infos.append(ImporterInfo(name, "", (), dist, error=error, conflict=conflict))
                continue
            try:
                importer = self.get(name)
            except ImporterError as exc:
                infos.append(ImporterInfo(name, "", (), dist, error=str(exc)))
                continue
            infos.append(ImporterInfo(name, importer.description, tuple(importer.suffixes), dist, conflict=conflict))
        return tuple(infos)

    def read(self, name: str, text: str, *, source_name: str = "<input>", **options: Any) -> Imported:
        """Run importer ``name`` on ``text`` and check what it returned.

        ``options`` go to the importer's ``read`` as keywords (argmap's notation importer takes ``base`` and
        ``allow_include_outside``); errors argmap defines pass through, anything else a plugin raises becomes
        an :class:`ImporterError` naming it.
        """
        from .importers import Imported
        from .model import ArgumentMap

        importer = self.get(name)
        try:
            result = importer.read(text, source_name=source_name, **options)
        except ArgmapError as exc:
            if isinstance(exc, ImporterError) and self._is_plugin(name):
                raise ImporterError(f"{self._origin(name)}: {exc}") from exc
            raise
        except (Exception, SystemExit) as exc:
            raise ImporterError(f"{self._origin(name)} failed: {_describe_exception(exc)}") from exc
        if not isinstance(result, Imported) or not isinstance(result.map, ArgumentMap):
            got = "None" if result is None else type(result).__name__
            raise ImporterError(f"{self._origin(name)} returned {got}, expected argmap.importers.Imported")
        if not isinstance(result.dropped, tuple) or not all(isinstance(note, str) for note in result.dropped):
            raise ImporterError(f"{self._origin(name)} returned notes of what it dropped that are not a tuple of str")
        return result

    def _usable(self) -> list[tuple[str, Importer]]:
        """Every importer that loads and is what its plain name means, argmap's own first (in table order)."""
        found: list[tuple[str, Importer]] = []
        for name in self.names():
            if name in self._listed_qualified or name in self._ambiguous:
                continue
            try:
                found.append((name, self.get(name)))
            except ArgmapError:
                continue  # a broken plugin is reported when it is asked for, or by argmap formats
        order = list(self._builtins)
        return sorted(found, key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0]))

    def suffixes(self) -> dict[str, list[str]]:
        """Each suffix (lower case, with the dot) and the importers that claim it, argmap's own first."""
        claimed: dict[str, list[str]] = {}
        for name, importer in self._usable():
            for suffix in importer.suffixes:
                claimed.setdefault(suffix.lower(), []).append(name)
        return claimed

    def detect(self, head: str, suffix: str = "") -> Detection:
        """Which importer reads a text whose first characters are ``head`` (a file ending in ``suffix``).

        The importers claiming the suffix are asked whether ``head`` is theirs (``sniff``); exactly one saying
        yes reads it, and one of argmap's own saying yes wins over plugins. A suffix no importer claims (or
        none: stdin) asks every importer but argmap's notation, and the notation reads what none recognises.
        Anything else is a problem for the user to settle with ``--from``. argmap's own importers are asked
        first, without reading any distribution's metadata: a ``.arg`` file never needs it.
        """
        suffix = suffix.lower()
        own = [(name, importer) for name, importer in self._own() if name not in self._registered]
        if own:
            claimants = [name for name, importer in own if suffix and suffix in _lower(importer.suffixes)]
            asked = claimants or [name for name, _ in own if name != self.DEFAULT]
            said_yes = [name for name, importer in own if name in asked and _sniffs(importer, head)]
            if len(said_yes) == 1:
                return Detection(said_yes[0])
            if claimants == [self.DEFAULT]:
                return Detection(self.DEFAULT)
        return self._detect_among(self._usable(), head, suffix)

    def _own(self) -> list[tuple[str, Importer]]:
        """argmap's own importers that load, in table order, when discovery is the default one."""
        found = []
        for name in self._builtins:
            if self._builtin(name) is not None:
                try:
                    found.append((name, self.get(name)))
                except ArgmapError:
                    continue
        return found

    def _detect_among(self, usable_list: list[tuple[str, Importer]], head: str, suffix: str) -> Detection:
        usable = dict(usable_list)
        claimants = [name for name, importer in usable.items() if suffix and suffix in _lower(importer.suffixes)]
        asked = claimants or [name for name in usable if name != self.DEFAULT]
        said_yes = [name for name in asked if _sniffs(usable[name], head)]
        own = [name for name in said_yes if not self._is_plugin(name)]
        chosen = own if len(own) == 1 else said_yes
        if len(chosen) == 1:
            return Detection(chosen[0])
        if len(chosen) > 1:
            return Detection(None, f"it could be {_either(chosen)}")
        if not claimants:
            if self.DEFAULT in usable:
                return Detection(self.DEFAULT)
            return Detection(None, "no importer recognises it")
        if claimants == [self.DEFAULT]:
            return Detection(self.DEFAULT)
        what = "that format" if len(claimants) == 1 else "any of them"
        return Detection(None, f"{suffix} files are read by {_either(claimants)}, and it does not look like {what}")


def _lower(suffixes: Iterable[str]) -> list[str]:
    return [suffix.lower() for suffix in suffixes]


def _sniffs(importer: Importer, head: str) -> bool:
    """``importer.sniff(head)``; a plugin's sniff that raises or answers something else says no."""
    try:
        return importer.sniff(head) is True
    except Exception:
        return False


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _import(target: str) -> Any:
    """The object ``module:attribute`` names, as an entry point loads it."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


@functools.lru_cache(maxsize=1)
def default_registry() -> ExporterRegistry:
    """The registry of installed exporters, built once per process."""
    return ExporterRegistry()


@functools.lru_cache(maxsize=1)
def default_importers() -> ImporterRegistry:
    """The registry of installed importers, built once per process."""
    return ImporterRegistry()
