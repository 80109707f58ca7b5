"""Which characters a lexer's token pattern can start with, worked out once when the parser's tables are made.

A state's lexer is one alternation of its token patterns, tried in order at each position: most fail at the first
character, but each costs a step of the regular-expression engine, at every token. Knowing which patterns can
start with the character at hand, :mod:`argmap.lalr` matches the alternation of those alone (in the same order,
so the same one wins). The answer must never leave a pattern out: whatever this module cannot read (a flag, an
unknown construct) counts as "can start with anything", and so does a pattern that can match the empty string.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ANY_START", "starts"]

#: every ASCII character, and others
ANY_START = ((1 << 128) - 1, True)

_ASCII = range(128)


def starts(pattern: str, flags: int) -> tuple[int, bool]:
    """The characters ``pattern`` can start a match with: a bit mask of the ASCII ones, and whether any other.

    Over-approximated (lookarounds and anchors are passed over); :data:`ANY_START` where unsure.
    """
    try:
        from re import _parser  # type: ignore[attr-defined]  # Python 3.11+

        parsed = _parser.parse(pattern, flags)
        if (flags | parsed.state.flags) & re.IGNORECASE:  # a letter stands for its other case too
            return ANY_START
        first = _sequence(list(parsed))
    except Exception:  # another Python's parser, or a construct not read here
        return ANY_START
    if first is None or first[2]:  # unknown, or the pattern can match nothing at all
        return ANY_START
    ascii_chars, other, _ = first
    return sum(1 << c for c in ascii_chars), other


# (ASCII codes, any other character, can match the empty string), or None for "unknown"
_First = tuple[set[int], bool, bool]


def _sequence(items: list[tuple[Any, Any]]) -> _First | None:
    found: set[int] = set()
    other = False
    for op, value in items:
        first = _item(op, value)
        if first is None:
            return None
        found |= first[0]
        other = other or first[1]
        if not first[2]:
            return found, other, False
    return found, other, True


def _item(op: Any, value: Any) -> _First | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return ({value} if value < 128 else set()), value >= 128, False
    if op is c.NOT_LITERAL or op is c.ANY:
        return set(_ASCII) - ({value} if op is c.NOT_LITERAL else set()), True, False
    if op is c.IN:
        members = _class(value)
        return None if members is None else (members[0], members[1], False)
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, inner = value
        return None if add_flags & re.IGNORECASE else _sequence(list(inner))
    if op is c.ATOMIC_GROUP:
        return _sequence(list(value))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        least, _most, inner = value
        first = _sequence(list(inner))
        return None if first is None else (first[0], first[1], first[2] or least == 0)
    if op is c.BRANCH:
        found: set[int] = set()
        other = empty = False
        for branch in value[1]:
            first = _sequence(list(branch))
            if first is None:
                return None
            found |= first[0]
            other, empty = other or first[1], empty or first[2]
        return found, other, empty
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):  # zero width: what follows starts the match
        return set(), False, True
    return None


def _class(items: list[tuple[Any, Any]]) -> tuple[set[int], bool] | None:
    """A character class ``[...]``: its ASCII members, and whether it has others."""
    from re import _constants as c  # type: ignore[attr-defined]

    negated = False
    found: set[int] = set()
    other = False
    for op, value in items:
        if op is c.NEGATE:
            negated = True
        elif op is c.LITERAL:
            found.update((value,) if value < 128 else ())
            other = other or value >= 128
        elif op is c.RANGE:
            low, high = value
            found.update(range(low, min(high, 127) + 1))
            other = other or high >= 128
        elif op is c.CATEGORY:
            test = _CATEGORIES.get(str(value))
            if test is None:
                return None
            # a member in either mode: \s holds \x1c-\x1f for str patterns, not with re.ASCII
            found.update(code for code in _ASCII if re.match(test, chr(code)) or re.match(test, chr(code), re.ASCII))
            other = True
        else:
            return None
    if negated:
        return set(_ASCII) - found, True
    return found, other


#: the class escapes, as patterns that test one character
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_UNI_DIGIT": r"\d",
    "CATEGORY_UNI_NOT_DIGIT": r"\D",
    "CATEGORY_UNI_SPACE": r"\s",
    "CATEGORY_UNI_NOT_SPACE": r"\S",
    "CATEGORY_UNI_WORD": r"\w",
    "CATEGORY_UNI_NOT_WORD": r"\W",
}
