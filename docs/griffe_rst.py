"""A griffe extension for the API reference: argmap's docstrings, written for ``help()`` and Sphinx habits, in Markdown.

argmap's docstrings are prose with a little reStructuredText: ``code``, roles (``:class:`ArgumentMap```), doctest
examples (``>>>``) and literal blocks introduced by ``::``. mkdocstrings renders docstrings as Markdown, where a role
would show as it is written and a doctest as nested block quotes, so before they are rendered this extension turns

- a role into a cross-reference to the object's entry in the reference (an *optional* one: a name the reference does
  not document, such as ``ValueError`` or a private helper, shows as code without a link and without a warning);
- a doctest example into a ``pycon`` code block;
- a literal block into a code block, its ``::`` into ``:``.

Listed under the python handler's ``extensions`` in mkdocs.yml. The source files are not changed.
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

import griffe

# :class:`X`, :py:meth:`~a.b.C.d`, :func:`title <target>`
_ROLE = re.compile(r":(?:py:)?(?P<role>class|func|meth|attr|exc|mod|data|obj|const):`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$")
_CALLABLE_ROLES = {"func", "meth"}
_PACKAGE = "argmap"


def _resolve(obj: griffe.Object, name: str) -> str:
    """The full path of ``name`` as the docstring of ``obj`` means it, or the name itself when it is not argmap's."""
    if name == _PACKAGE or name.startswith(_PACKAGE + "."):
        return name
    head, _, rest = name.partition(".")
    try:
        path = obj.resolve(head)
    except (griffe.NameResolutionError, KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return name
    return f"{path}.{rest}" if rest else path


def _role(obj: griffe.Object, match: re.Match[str]) -> str:
    body = match["body"].strip()
    titled = _TITLED.match(body)
    if titled:
        title, target = titled["title"], titled["target"]
    else:
        target = body
        short = target.startswith("~")
        target = target.lstrip("~")
        title = target.rsplit(".", 1)[-1] if short else target
        if match["role"] in _CALLABLE_ROLES:
            title += "()"
    identifier = _resolve(obj, target.rstrip("()"))
    code = f"<code>{html.escape(title)}</code>"
    return f'<autoref identifier="{html.escape(identifier)}" optional>{code}</autoref>'


def _outside_code_spans(line: str, obj: griffe.Object) -> str:
    """Roles replaced in ``line`` except inside ``code`` spans (where a role is an example of one)."""
    parts = re.split(r"(`{2,}[^`]*?`{2,})", line)
    return "".join(part if i % 2 else _ROLE.sub(lambda m: _role(obj, m), part) for i, part in enumerate(parts))


def to_markdown(text: str, obj: griffe.Object) -> str:
    """The docstring ``text`` with its roles, doctests and literal blocks in Markdown."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    fence = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = not fence
            out.append(line)
            i += 1
            continue
        if fence:
            out.append(line)
            i += 1
            continue
        if stripped.startswith(">>>"):
            # a doctest example runs to the next empty line
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i].strip())
                i += 1
            out.extend([f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"])
            continue
        if stripped.endswith("::") and not stripped.startswith(".."):
            # a literal block: the indented lines after an empty line
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            own_indent = len(line) - len(line.lstrip())
            block_end = j
            while block_end < len(lines) and (
                not lines[block_end].strip() or len(lines[block_end]) - len(lines[block_end].lstrip()) > own_indent
            ):
                block_end += 1
            while block_end > j and not lines[block_end - 1].strip():
                block_end -= 1
            if block_end > j:
                intro = line.rstrip()[:-2].rstrip()
                if intro.strip():
                    out.append(_outside_code_spans(intro + ":", obj))
                out.append("")
                body = textwrap.dedent("\n".join(lines[j:block_end]))
                pad = " " * own_indent
                out.extend([f"{pad}```text", *(pad + b if b else b for b in body.splitlines()), f"{pad}```"])
                i = block_end
                continue
        out.append(_outside_code_spans(line, obj))
        i += 1
    return "\n".join(out)


def comment_docstring(obj: griffe.Object) -> str | None:
    """The ``#:`` comment lines right above an attribute (Sphinx's way to document one), or None."""
    if obj.lineno is None or obj.filepath is None or isinstance(obj.filepath, list):
        return None
    lines = obj.lines_collection[obj.filepath] if obj.filepath in obj.lines_collection else []
    found: list[str] = []
    index = obj.lineno - 2  # the line above, 0-based
    while index >= 0 and lines[index].lstrip().startswith("#:"):
        found.insert(0, lines[index].lstrip()[2:].strip())
        index -= 1
    return " ".join(found) or None


def _parameter_typed(attribute: griffe.Attribute) -> None:
    """``self.line = line`` in ``__init__``: shown as ``line: int`` (the parameter's type), not ``line = line``."""
    parent = attribute.parent
    if parent is None or not parent.is_class or "instance-attribute" not in attribute.labels:
        return
    init = parent.members.get("__init__")
    if not isinstance(init, griffe.Function) or str(attribute.value) != attribute.name:
        return
    if attribute.name in init.parameters:
        if attribute.annotation is None:
            attribute.annotation = init.parameters[attribute.name].annotation
        attribute.value = None


class RstToMarkdown(griffe.Extension):
    """Rewrites every docstring of the loaded package once its object tree is complete.

    An attribute without a docstring gets its ``#:`` comment as one.
    """

    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if isinstance(obj, griffe.Attribute):
            _parameter_typed(obj)
        if obj.docstring is None and obj.is_attribute:
            comment = comment_docstring(obj)
            if comment:
                obj.docstring = griffe.Docstring(comment, parent=obj)
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value, obj)
