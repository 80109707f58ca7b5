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
    "deliberate/13-special-characters.arg": Deliberate(
        "accepts",
        "accepts",
        "`:smile:` and `.name.` stay as written; Argdown swaps in special characters (an emoji table),"
        " which changes the author's words",
    ),
    "deliberate/14-lone-asterisk-line.arg": Deliberate(
        "accepts",
        "accepts",
        "a `*` alone on a line is text; Argdown makes an empty list item (an untitled statement without text)",
    ),
    "deliberate/15-empty-ordered-item.arg": Deliberate(
        "accepts",
        "accepts",
        "`1.` alone on a line is text; Argdown makes an empty list item (an untitled statement without text)",
    ),
    "deliberate/16-incomplete-italic.arg": Deliberate(
        "rejects",
        "accepts",
        "an unmatched `_` is text, as in Markdown (Argdown: 'Incomplete italic text range')",
    ),
    "deliberate/17-incomplete-bold.arg": Deliberate(
        "rejects",
        "accepts",
        "an unmatched `**` is text, as in Markdown (Argdown: 'Incomplete bold text range')",
    ),
    "deliberate/18-snake-odd.arg": Deliberate(
        "rejects",
        "accepts",
        "`_` inside a word is text, as in Markdown; Argdown's trap for snake_case words",
    ),
    "deliberate/19-snake-case-word.arg": Deliberate(
        "rejects",
        "accepts",
        "`snake_case_word` is text (issue 3: Argdown's trap is not repeated)",
    ),
    "deliberate/20-two-single-underscore-words.arg": Deliberate(
        "rejects",
        "accepts",
        "two words with one `_` each are text, not an italic range across them",
    ),
    "deliberate/21-one-underscore-word.arg": Deliberate(
        "rejects",
        "accepts",
        "a word with one `_` is text",
    ),
    "deliberate/22-front-matter-tight-tree.arg": Deliberate(
        "rejects",
        "accepts",
        "front matter may be followed directly by the first block; Argdown demands an empty line",
    ),
    "deliberate/23-front-matter-no-blank-line.arg": Deliberate(
        "rejects",
        "accepts",
        "front matter may be followed directly by the first block; Argdown demands an empty line",
    ),
    "deliberate/24-only-front-matter-no-blank-line.arg": Deliberate(
        "rejects",
        "accepts",
        "a document of front matter only is a map with metadata and nothing else",
    ),
    "deliberate/25-only-front-matter-blank-line.arg": Deliberate(
        "rejects",
        "accepts",
        "a document of front matter only is a map with metadata and nothing else",
    ),
    "deliberate/26-cr-only-blank-line.arg": Deliberate(
        "rejects",
        "accepts",
        "a lone CR is a line end like LF and CRLF, so `\\r\\r` is an empty line; Argdown does not count it as one",
    ),
    "deliberate/27-tag-on-reference.arg": Deliberate(
        "accepts",
        "accepts",
        "a tag after a reference (`[A] #later`) is a tag of the element, not a text of it;"
        " Argdown also records `#later` as the reference's text",
    ),
}
