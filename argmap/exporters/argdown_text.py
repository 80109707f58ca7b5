"""Writing pieces of Argdown notation: escaped text with its markup, titles, YAML data and front matter.

Every function returns notation that argmap reads back as exactly the value it
was given, or raises :class:`~argmap.errors.ExporterError` when the notation has
no way to say it (a title containing ``]``, a control character...).
"""

from __future__ import annotations

import base64
import datetime
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ExporterError
from ..inline import collapse
from ..model import RangeKind, TextRange
from ..yamldata import load as load_yaml

__all__ = ["argument_title", "data_block", "escape_text", "front_matter", "rule", "statement_title"]

#: a tag as argmap's grammar reads it (``#word`` or ``#(several words)``)
TAG = re.compile(r"#(\([^)\n]+\)|[^\s\x00-\x2c.\/:-@\[\]{-\x7f]+)")
#: characters that are syntax somewhere in a line of text; a backslash makes each one plain
_ALWAYS = frozenset("\\[]<>#*_@{}")
#: what a new run of text may not start with: a step number or an inference line
_RUN_START = re.compile(r"\(\d+\)|--")
#: what the first text of a line may not start with: relation symbols, front matter, "," (extends a data block above)
_LINE_START = frozenset("+-=,")
#: characters the notation cannot carry at all (the reader rejects them)
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: the white space the reader folds in a text (ASCII only, see :func:`argmap.inline.collapse`): a no-break space stays
_FOLDED = re.compile(r"[\t\n\r\f\v]")
#: line separators: text in Argdown, but line breaks to its title, mention and reference patterns (JavaScript's ".")
_LINE_SEPARATORS = re.compile(r"[\u2028\u2029]")
#: the longest title a mention holds, and the longest URL a link holds (the reader's bounds)
_MENTION_MAX = 500
_URL_MAX = 2000
#: the longest text of a link: the reader reads a longer one after other text as plain text
_LABEL_MAX = 100
#: a character written right after a tag joins the tag if escaped; these are plain text unescaped
_PLAIN_AFTER_TAG = frozenset("]>*@}#,.:;!?)'\"")
_MARKUP = {RangeKind.BOLD: ("**", "**"), RangeKind.ITALIC: ("_", "_")}


def tag_name(written: str) -> str:
    """The tag a ``#tag`` / ``#(tag)`` stands for, as the reader names it."""
    name = written[1:]
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    return collapse(name)


def _check_characters(text: str, what: str) -> None:
    found = _FORBIDDEN.search(text)
    if found is not None:
        raise ExporterError(f"{what} {text!r} contains the control character U+{ord(found.group()):04X}")


def statement_title(title: str) -> str:
    """``title`` as it goes between ``[`` and ``]``."""
    _check_title(title, "]", "-", "statement")
    return title


def argument_title(title: str) -> str:
    """``title`` as it goes between ``<`` and ``>``."""
    _check_title(title, ">", "-!", "argument")
    return title


def check_name(name: str, what: str) -> None:
    """A title, tag, rule or mentioned title: one line, as the reader leaves it (ASCII white space folded).

    A no-break space and other Unicode spaces are characters to the reader: they stay.
    """
    _check_characters(name, what)
    if not name or name != collapse(name) or _LINE_SEPARATORS.search(name):
        raise ExporterError(f"{what} {name!r} is empty or has spaces or line breaks the notation cannot keep")


def _check_title(title: str, closing: str, bad_start: str, what: str) -> None:
    check_name(title, f"{what} title")
    if closing in title or title[0] in bad_start or "\\" in title:
        raise ExporterError(f"{what} title {title!r} cannot be written in the notation")


def rule(name: str) -> str:
    """An inference rule's name as written between ``--`` and ``--``."""
    check_name(name, "inference rule")
    if re.search(r"[,{}]|--|^-|-$", name):
        raise ExporterError(f"inference rule {name!r} cannot be written in the notation")
    return name


# -- text --------------------------------------------------------------------------------


def escape_text(
    text: str, tags: Iterable[str] = (), ranges: Iterable[TextRange] = (), *, line_start: bool = True
) -> str:
    """Notation that reads back as ``text``: tags in ``tags`` stay tags, ``ranges`` become markup, the rest is plain.

    ``line_start`` says the text begins a line, where ``+``, ``-`` and ``=`` would be read as syntax.
    """
    _check_characters(text, "text")
    text = _FOLDED.sub(" ", text)  # the reader joins lines and folds ASCII white space; the rest is text
    keep = set(tags)
    protected: list[tuple[int, int, str]] = []  # (start, end, notation) written as they are
    links: set[int] = set()  # where a link starts: the text after it may be escaped as usual
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for r in sorted(ranges, key=lambda r: (r.start, -r.end)):
        if r.kind in (RangeKind.STATEMENT_MENTION, RangeKind.ARGUMENT_MENTION):
            protected.append((r.start, r.end, _mention(text[r.start : r.end], r)))
        elif r.kind is RangeKind.LINK:
            protected.append((r.start, r.end, _link(text[r.start : r.end], r.url or "")))
            links.add(r.start)
        else:
            before, after = _MARKUP[r.kind]
            opening.setdefault(r.start, []).append(before)
            closing.setdefault(r.end, []).insert(0, after)
    _check_nesting(text, protected, [*opening, *closing])
    for found in TAG.finditer(text):
        if tag_name(found.group()) in keep and not any(s < found.end() and found.start() < e for s, e, _ in protected):
            protected.append((found.start(), found.end(), found.group()))
    protected.sort()

    out: list[str] = []
    run_start = True  # a new text token starts here (after a tag, a mention or a link)
    after_protected = False
    index = 0
    ends = {start: (end, notation) for start, end, notation in protected}
    while index < len(text):
        out.extend(closing.pop(index, []))
        out.extend(opening.pop(index, []))
        if index in ends:
            end, notation = ends[index]
            out.append(notation)
            # an escape may follow a link; right after a tag or a mention, only characters plain there
            run_start, after_protected = True, index not in links
            index = end
            continue
        char = text[index]
        if char == " ":
            out.append(char)
            index += 1
            after_protected = False
            continue
        escape = char in _ALWAYS
        if char == "/" and text[index + 1 : index + 2] in ("/", "*"):
            escape = True
        if run_start and _RUN_START.match(text, index):
            escape = True
        if line_start and index == 0 and char in _LINE_START:
            escape = True
        if escape and after_protected:
            if char not in _PLAIN_AFTER_TAG:
                raise ExporterError(f"text {text!r}: {char!r} cannot be written directly after a tag")
            escape = False
        out.append("\\" + char if escape else char)
        run_start = after_protected = False
        index += 1
    for pending in (closing, opening):
        for at in sorted(pending):
            out.extend(pending[at])
    return "".join(out)


def _check_nesting(text: str, protected: list[tuple[int, int, str]], marks: Iterable[int]) -> None:
    """Links and mentions are written whole: nothing may start or end inside them, nor may they overlap."""
    spans = sorted((start, end) for start, end, _ in protected)
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise ExporterError(f"text {text!r}: links and mentions overlap, which the notation cannot write")
    for mark in marks:
        if any(start < mark < end for start, end in spans):
            raise ExporterError(f"text {text!r}: bold or italic inside a link or mention cannot be written")


def _link(label: str, url: str) -> str:
    """``[label](url)``: the reader keeps a link's label as it is, without escapes or markup."""
    if not collapse(label) or "]" in label or len(label) > _LABEL_MAX:
        raise ExporterError(
            f"link text {label!r} is empty, holds ']' or is longer than the {_LABEL_MAX} characters"
            " a link's text holds in the notation"
        )
    return f"[{label}]({_url(url)})"


def _mention(written: str, mention: TextRange) -> str:
    """A mention's text (``@[Title]`` or ``@<Title>``), checked to read back as the same mention of the same title.

    Its title follows the rules of titles (one line, white space as the reader leaves it) and may not hold the
    closing bracket, which nothing escapes inside a mention.
    """
    statement = mention.kind is RangeKind.STATEMENT_MENTION
    opening, closing = ("@[", "]") if statement else ("@<", ">")
    what = f"{'statement' if statement else 'argument'} mention"
    title = mention.title or ""
    check_name(title, f"{what} title")
    if closing in title:
        raise ExporterError(f"{what} title {title!r} cannot be written in the notation (it holds {closing!r})")
    if not (written.startswith(opening) and written.endswith(closing) and len(written) > len(opening)):
        raise ExporterError(f"{what} {title!r}: its text {written!r} is not written {opening}{title}{closing}")
    inside = written[len(opening) : -len(closing)]
    if closing in inside or collapse(inside) != title or _LINE_SEPARATORS.search(inside):
        raise ExporterError(f"{what} {title!r}: its text {written!r} does not name that title")
    if len(inside) > _MENTION_MAX:
        raise ExporterError(f"{what} title {title!r} is longer than the {_MENTION_MAX} characters a mention holds")
    return written


def _url(url: str) -> str:
    """A link's URL, written as it is: the reader keeps it raw, up to the first ``)`` or line break, ends stripped."""
    _check_characters(url, "link URL")
    if not url or url != url.strip() or len(url) > _URL_MAX:
        raise ExporterError(
            f"link URL {url!r} is empty, longer than {_URL_MAX} characters or has white space at an end,"
            " which the notation cannot keep"
        )
    found = re.search(r"[)\n\r]", url)
    if found:
        hint = " (percent-encode it as %29)" if found.group() == ")" else ""
        raise ExporterError(f"link URL {url!r} holds {found.group()!r}, which ends a link in the notation{hint}")
    return url


# -- YAML ----------------------------------------------------------------------------------

#: characters a YAML double-quoted string must escape to stay on one line and inside a data block
_YAML_ESCAPE = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"\\]|\}(?=\s)')
_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t"}
#: strings YAML 1.2 reads as numbers though PyYAML (YAML 1.1) would write them plain: quoted for other tools
_YAML12_NUMBER = re.compile(r"[-+]?0o[0-7]+\Z")
#: front matter lines longer than this are folded (``>-``) at ``_WIDTH`` columns when YAML allows it
_FOLD_AT = 100
_WIDTH = 80


def _quoted(value: str) -> str:
    if re.search(r"[\ud800-\udfff]", value):
        raise ExporterError(f"string {value!r} contains a lone surrogate, which UTF-8 cannot hold")

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        if char in '"\\':
            return "\\" + char
        if char in _SHORT_ESCAPES:
            return _SHORT_ESCAPES[char]
        return f"\\u{ord(char):04x}"

    return '"' + _YAML_ESCAPE.sub(escape, value) + '"'


@functools.lru_cache(maxsize=4096)
def _plain(value: str, block: bool) -> bool:
    """Can ``value`` go unquoted (in block context, or between braces)? PyYAML's emitter decides.

    It follows YAML 1.1, so ``yes`` stays quoted: other tools read it as a boolean.
    """
    import yaml

    if not value or _YAML12_NUMBER.match(value):
        return False
    try:
        written = yaml.safe_dump([value], default_flow_style=not block, allow_unicode=True, width=10**9)
    except yaml.YAMLError:
        return False
    return written == (f"- {value}\n" if block else f"[{value}]\n")


def _string(value: str, words: bool, block: bool = False) -> str:
    """A string plain where YAML allows it; prose in a one-line data block (``words=False``) stays quoted."""
    return value if _plain(value, block) and (words or not re.search(r"\s", value)) else _quoted(value)


def _scalar(value: Any) -> str:
    """A non-string scalar as YAML writes it, checked to read back equal."""
    import yaml

    if isinstance(value, bytes):
        return f'!!binary "{base64.b64encode(value).decode("ascii")}"'
    if not (value is None or isinstance(value, (bool, int, float, datetime.date, datetime.time))):
        raise ExporterError(f"data value {value!r} ({type(value).__name__}) cannot be written as YAML")
    written = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
    written = written.removesuffix("\n").removesuffix("\n...").strip()
    back = load_yaml(written)
    if back != value or type(back) is not type(value):
        raise ExporterError(f"data value {value!r} does not survive YAML (reads back as {back!r})")
    return written


def flow(value: Any) -> str:
    """``value`` as one line of YAML flow style, strings unquoted where YAML reads them back the same."""
    if isinstance(value, str):
        return _string(value, words=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return _scalar(value)


def _key(key: Any, block: bool = False) -> str:
    return _string(key, words=True, block=block) if isinstance(key, str) else flow(key)


def data_block(data: Mapping[str, Any]) -> str:
    """A data block ``{key: value, ...}`` on one line."""
    return flow(data)


def front_matter(metadata: Mapping[str, Any]) -> str:
    """Front matter between ``===`` lines: one ``key: value`` per key, as a person writes YAML.

    Plain scalars where YAML allows them, nested values in flow style on the line (block style when
    that line would be long), text with line breaks as a literal block (``|``), long text folded (``>-``).
    """
    lines = ["==="]
    for k, v in metadata.items():
        key = _key(str(k), block=True)
        line = f"{key}: {_string(v, words=True, block=True) if isinstance(v, str) else flow(v)}"
        if isinstance(v, str) and ("\n" in v or len(line) > _FOLD_AT):
            line = _block_scalar(key, str(k), v) or line
        elif isinstance(v, (Mapping, list, tuple)) and len(line) > _FOLD_AT:
            line = _block_collection(str(k), v) or line
        lines.append(line)
    lines.append("===")
    return "\n".join(lines)


def _block_scalar(key: str, name: str, value: str) -> str | None:
    """``key: |`` or ``key: >-`` with the text indented below, or None when YAML cannot say it that way."""
    import yaml

    if "\n" in value:
        node = yaml.ScalarNode("tag:yaml.org,2002:str", value, style="|")
        written = yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True, width=10**9)
        if not written.startswith("|"):
            return None
        text = f"{key}: " + written.removesuffix("...\n").removesuffix("\n")
    elif value == " ".join(value.split()) and not _FORBIDDEN.search(value):
        width = _WIDTH - 2
        text = f"{key}: >-\n" + "\n".join("  " + line for line in _wrap(value, width))
    else:
        return None
    try:
        back = load_yaml(text)
    except yaml.YAMLError:
        return None
    return text if back == {name: value} else None


def _block_collection(name: str, value: Any) -> str | None:
    """A long list or mapping in YAML block style, as PyYAML writes it, or None when it does not read back."""
    import yaml

    try:
        text = yaml.dump(
            {name: value},
            Dumper=_dumper_without_aliases(),
            default_flow_style=False,
            sort_keys=False,
            allow_unicode=True,
            width=_WIDTH,
        )
        back = load_yaml(text)
    except yaml.YAMLError:
        return None
    return text.removesuffix("\n") if back == {name: value} and "\n===" not in text else None


@functools.lru_cache(maxsize=1)
def _dumper_without_aliases() -> type[Any]:
    """PyYAML's safe dumper writing a value met twice in full: its anchors (``&id001``) are numbered per call,
    so two keys dumped one by one would define the same anchor twice, which no YAML reader takes."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return Dumper


def _wrap(text: str, width: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
