"""MkDocs hooks of argmap's documentation site (``hooks:`` in mkdocs.yml).

Two jobs, both while the site is built, so the site never shows a stale picture or a dead link:

- **Diagrams.** The front page's map of the article and the tutorial's finished map are rendered by argmap itself
  (Graphviz's ``dot`` is needed). They replace the copies committed under docs/images/, which are there for readers
  of the Markdown files in a repository browser and are kept current by the tests (``make golden`` redraws them).
- **Files of the repository.** The pages link to files outside docs/ (``../examples/01-statements.arg``), which works
  in a repository browser but not in a site built from docs/ alone. Each such file gets a page of its own under
  ``source/`` (its text, highlighted), each linked folder a page listing its files, and the links are pointed there.
  Pictures are copied as they are.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.argmap")

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PREFIX = "source"
# a file's language for its page, by suffix
LANGUAGES = {
    ".arg": "argdown",
    ".argdown": "argdown",
    ".py": "python",
    ".json": "json",
    ".toml": "toml",
    ".md": "markdown",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".txt": "text",
}
PICTURES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".pdf"}
# a linked folder's page lists its files and folders, each with a page of its own, but not these
UNLISTED = {"artifacts", "node_modules", "golden"}
# a link to a big folder (../tests) would put hundreds of pages into the site
MAX_SOURCE_FILES = 300
# ```argdown title="NAME"  (the tutorial's finished map)
TITLED_FENCE = re.compile(
    r'^(?P<fence>`{3,}|~{3,})argdown\b[^\n]*\btitle="(?P<title>[^"]+)"[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$', re.S | re.M
)
# [text](target) and ![alt](target); <target> with spaces is not used in these pages
INLINE_LINK = re.compile(r"(?P<head>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\()(?P<target>[^)\s]+)(?P<tail>(?:\s+\"[^\"]*\")?\))")
# [label]: target
REFERENCE_LINK = re.compile(r"^(?P<head>\s{0,3}\[[^\]]+\]:\s*)(?P<target>\S+)(?P<tail>.*)$")
FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")


def fenced_block(docs_page: str, title: str) -> str:
    """The text of the ```argdown block titled ``title`` in docs/``docs_page``."""
    text = (ROOT / "docs" / docs_page).read_text(encoding="utf-8")
    for match in TITLED_FENCE.finditer(text):
        if match["title"] == title:
            return match["body"]
    raise PluginError(f'docs/{docs_page} has no ```argdown block with title="{title}"')


def _example(path: str) -> Callable[[], str]:
    return lambda: (ROOT / path).read_text(encoding="utf-8")


#: the pictures rendered while building: where they go in the site, and the notation they are rendered from
DIAGRAMS: dict[str, tuple[str, Callable[[], str]]] = {
    "images/north-korea.svg": ("examples/north-korea.arg", _example("examples/north-korea.arg")),
    "images/tutorial.svg": ("docs/tutorial.md", lambda: fenced_block("tutorial.md", "op-ed.arg")),
}


def render_svg(notation: str, source_name: str) -> str:
    """``notation`` drawn by argmap as SVG (what ``argmap render -f svg`` writes)."""
    import argmap

    try:
        svg = argmap.export(argmap.parse(notation, source_name, base=ROOT), "svg")
    except argmap.ArgmapError as error:
        raise PluginError(f"cannot render the diagram of {source_name}:\n{error}") from error
    assert isinstance(svg, str)
    return svg


# ---------------------------------------------------------------------------------------------- files outside docs/


def _outside_target(page_uri: str, target: str, docs_dir: Path) -> tuple[Path, str] | None:
    """The file or folder of the repository that ``target`` (a link in ``page_uri``) names outside docs/, if any.

    Returns the path and the fragment (``#...``, or "").
    """
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^#", target):
        return None
    path, _, fragment = target.partition("#")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    if not joined.startswith("../"):
        return None
    resolved = (docs_dir / joined).resolve()
    try:
        resolved.relative_to(ROOT)
    except ValueError:
        return None
    if not resolved.exists():
        return None
    return resolved, fragment


def _site_uri(path: Path) -> str:
    """Where the page (or picture) of a repository file or folder is in the site."""
    relative = path.relative_to(ROOT).as_posix()
    if path.is_dir():
        return f"{SOURCE_PREFIX}/{relative}/index.md"
    if path.suffix.lower() in PICTURES:
        return f"{SOURCE_PREFIX}/{relative}"
    return f"{SOURCE_PREFIX}/{relative}.md"


def _fence_for(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _file_page(path: Path) -> str | bytes:
    relative = path.relative_to(ROOT).as_posix()
    raw = path.read_bytes()
    if path.suffix.lower() in PICTURES:
        return raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"# {path.name}\n\n`{relative}` in argmap's repository is not a text file.\n"
    fence = _fence_for(text)
    language = LANGUAGES.get(path.suffix.lower(), "text")
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"# {path.name}\n\n`{relative}` in argmap's repository:\n\n{fence}{language}\n{body}{fence}\n"


def _listed(folder: Path) -> list[Path]:
    """What a folder's page lists: not hidden files, caches or test output."""
    return sorted(
        (p for p in folder.iterdir() if not p.name.startswith((".", "__")) and p.name not in UNLISTED),
        key=lambda p: (p.is_file(), p.name),
    )


def _folder_page(folder: Path) -> str:
    relative = folder.relative_to(ROOT).as_posix()
    lines = [f"# {relative}/", "", f"The folder `{relative}/` of argmap's repository:", ""]
    for child in _listed(folder):
        name = child.name + ("/" if child.is_dir() else "")
        link = posixpath.relpath(_site_uri(child), posixpath.dirname(_site_uri(folder)))
        lines.append(f"- [`{name}`]({link})")
    return "\n".join(lines) + "\n"


def _add_source_file(files: Files, config: MkDocsConfig, path: Path) -> None:
    uri = _site_uri(path)
    if files.get_file_from_path(uri) is not None:
        return
    if sum(1 for f in files if f.src_uri.startswith(SOURCE_PREFIX + "/")) >= MAX_SOURCE_FILES:
        raise PluginError(
            f"the pages link to more than {MAX_SOURCE_FILES} files outside docs/ (now {path.relative_to(ROOT)}): "
            "link to single files or small folders, not to a big folder of the repository"
        )
    if path.is_dir():
        files.append(File.generated(config, uri, content=_folder_page(path), inclusion=InclusionLevel.NOT_IN_NAV))
        for child in _listed(path):
            _add_source_file(files, config, child)
        return
    files.append(File.generated(config, uri, content=_file_page(path), inclusion=InclusionLevel.NOT_IN_NAV))


def _prose_lines(markdown: str) -> list[tuple[bool, str]]:
    """``markdown``'s lines, each with whether it is prose (not in a fenced code block)."""
    lines: list[tuple[bool, str]] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opened = FENCE_LINE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            lines.append((False, line))
        elif fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            lines.append((False, line))
        else:
            lines.append((True, line))
    return lines


def _rewrite(markdown: str, page_uri: str, docs_dir: Path, found: Callable[[Path], str | None]) -> str:
    """``markdown`` with each link to a repository file outside docs/ replaced by what ``found`` gives for it.

    Links in code blocks and code spans are examples, not links, and stay as they are.
    """

    def rewrite_line(line: str) -> str:
        spans = [m.span() for m in CODE_SPAN.finditer(line)]

        def replace(match: re.Match[str]) -> str:
            if any(start <= match.start() < end for start, end in spans):
                return match.group()
            outside = _outside_target(page_uri, match["target"], docs_dir)
            if outside is None:
                return match.group()
            new = found(outside[0])
            if new is None:
                return match.group()
            return f"{match['head']}{new}{match['tail']}"

        return REFERENCE_LINK.sub(replace, INLINE_LINK.sub(replace, line))

    return "".join(rewrite_line(line) if prose else line for prose, line in _prose_lines(markdown))


# ---------------------------------------------------------------------------------------------------------- events


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    for uri, (source_name, notation) in DIAGRAMS.items():
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, uri, content=render_svg(notation(), source_name)))
        log.debug("rendered %s from %s", uri, source_name)

    docs_dir = Path(config.docs_dir)
    for page in list(files.documentation_pages()):
        if page.generated_by is not None or page.abs_src_path is None:
            continue
        markdown = Path(page.abs_src_path).read_text(encoding="utf-8-sig")

        def collect(path: Path) -> str:
            _add_source_file(files, config, path)
            return ""

        _rewrite(markdown, page.src_uri, docs_dir, collect)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files, **kwargs: Any) -> str:
    docs_dir = Path(config.docs_dir)

    def link(path: Path) -> str | None:
        uri = _site_uri(path)
        if files.get_file_from_path(uri) is None:
            return None
        return posixpath.relpath(uri, posixpath.dirname(page.file.src_uri) or ".")

    return _rewrite(markdown, page.file.src_uri, docs_dir, link)
