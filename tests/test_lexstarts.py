"""argmap.lexstarts: the characters a token pattern can start with, never too few."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.lexstarts import ANY_START, starts


def _chars(mask: int) -> str:
    return "".join(chr(code) for code in range(128) if mask >> code & 1)


@pytest.mark.parametrize(
    ("pattern", "ascii_chars", "other"),
    [
        (r"abc", "a", False),
        (r"[a-c]x", "abc", False),
        (r"[^\n]", "".join(chr(c) for c in range(128) if c != 10), True),
        (r"\d+", "0123456789", True),  # other digits too
        (r"(?!--)-?x", "-x", False),  # a lookahead is passed over, an optional character is not the end
        (r"[ \t]*\n", " \t\n", False),
        (r"<[^>]+>:|\[[^\]]+\]", "<[", False),
        (r"(?:é|a)", "a", True),
        (r"\s", "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ", True),
    ],
)
def test_starts_of_patterns(pattern: str, ascii_chars: str, other: bool) -> None:
    assert starts(pattern, 0) == (sum(1 << ord(c) for c in ascii_chars), other)


@pytest.mark.parametrize("pattern", [r"a*", r"(?:x)?", r"(?i)abc", r"(?i:a)b", r"\Z"])
def test_what_it_cannot_tell_can_start_anything(pattern: str) -> None:
    # a pattern that can match nothing at all, a flag that widens the characters
    assert starts(pattern, 0) == ANY_START
    assert starts("abc", re.IGNORECASE) == ANY_START


_PIECES = st.sampled_from(
    ["a", "-", r"\n", " ", r"\d", r"\s", r"\w", r"\W", r"[^ab]", "[x-z]", "é", "(?!-)", "(?=a)", "^", r"\b", "x?",
     "y*", "z+", "(?:a|b)", "(?:|c)", "[\\]]", "."]
)  # fmt: skip


@given(st.lists(_PIECES, min_size=1, max_size=4).map("".join), st.characters(max_codepoint=0x3000))
def test_no_character_a_pattern_matches_at_is_left_out(pattern: str, char: str) -> None:
    mask, other = starts(pattern, 0)
    match = re.match(pattern, char + "ab-\n")
    if match is not None and match.end() > 0:  # it matched starting with char
        assert (mask >> ord(char) & 1) if ord(char) < 128 else other, (pattern, char)
