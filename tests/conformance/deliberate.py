"""The one list of documents on which argmap differs from Argdown on purpose, and why.

Each entry names a document of the suite (normally in ``deliberate/``), says what Argdown does with it,
what argmap does instead, and the reason. The test checks both verdicts, so an entry that no longer
holds (argmap changed, or Argdown was upgraded) fails instead of hiding a difference. The same rows are in
docs/argdown-compatibility.md.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["DELIBERATE", "Deliberate"]

Verdict = Literal["accepts", "rejects"]


class Deliberate(NamedTuple):
    #: what the Argdown CLI does with the document
    argdown: Verdict
    #: what argmap does instead ("rejects": an ArgmapSyntaxError positioned inside the document)
    argmap: Verdict
    reason: str


DELIBERATE: dict[str, Deliberate] = {
    "deliberate/01-empty-title.arg": Deliberate(
        "accepts", "rejects", "`[]: text` is a slip; Argdown reads it as the text of an untitled statement"
    ),
    "deliberate/02-unclosed-block-comment.arg": Deliberate(
        "accepts", "rejects", "a forgotten `*/` would otherwise publish a private note as a claim"
    ),
    "deliberate/03-astral-tag.arg": Deliberate(
        "accepts",
        "accepts",
        "a tag may hold characters beyond the Basic Multilingual Plane (`#idea💡`); Argdown's tag stops before them",
    ),
    "deliberate/04-only-comments.arg": Deliberate(
        "rejects", "accepts", "a document of comments only is an empty map, not an error (Argdown: parser error)"
    ),
    "deliberate/05-empty.arg": Deliberate(
        "rejects", "accepts", "an empty document is an empty map (Argdown: 'Missing input.')"
    ),
    "deliberate/06-whitespace-only.arg": Deliberate(
        "rejects", "accepts", "a document of blank lines is an empty map (Argdown crashes on it)"
    ),
    "deliberate/07-bom.arg": Deliberate(
        "rejects", "accepts", "a UTF-8 byte order mark is an encoding mark, not text (Argdown reads it as text)"
    ),
    "deliberate/08-include-outside-folder.arg": Deliberate(
        "accepts",
        "rejects",
        "`@include` may not reach outside the including file's folder unless the caller allows it"
        " (parse_file(..., allow_include_outside=True)): a map must not read arbitrary files",
    ),
    "deliberate/09-line-comment-at-end-without-newline.arg": Deliberate(
        "accepts",
        "accepts",
        "a `//` comment on the last line is a comment even without a final line end (Argdown: the text of an"
        " untitled statement)",
    ),
    "deliberate/10-definition-without-text-at-end.arg": Deliberate(
        "accepts",
        "rejects",
        "`[A]:` needs text after the colon; Argdown rejects it too, except on a document's last line",
    ),
    "deliberate/11-argument-definition-without-text-at-end.arg": Deliberate(
        "accepts",
        "rejects",
        "`<A>:` needs text after the colon; Argdown rejects it too, except on a document's last line",
    ),
    "deliberate/12-relation-symbol-alone.arg": Deliberate(
        "accepts",
        "rejects",
        "a relation symbol with nothing after it is a slip (Argdown: an empty untitled statement);"
        " tests/bad_input/relation-without-statement.arg",
    ),
}
