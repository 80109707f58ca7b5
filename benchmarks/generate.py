"""Synthetic argument maps of a chosen size, always of the same shape, so figures stay comparable.

    python -m benchmarks.generate N [-o FILE] [--seed S]

writes a map of N statements (to stdout without ``-o``). The shape, fixed by issue 5 (keep it):

* N statements in N/3 arguments (N is rounded down to a multiple of 3); each argument
  ``<Argument k>`` has a premise-conclusion structure of two titled premises ``[Premise k.1]``,
  ``[Premise k.2]`` and a titled conclusion ``[Conclusion k]``;
* every argument after the first supports (``+>``) a premise of a random earlier argument;
* every third argument (k = 3, 6, 9, ...) also attacks (``->``) a random earlier argument;
* a heading ``# Part j`` before every 100 arguments (before arguments 1, 101, 201, ...);
* a tag ``#group-(k mod 7)`` on each argument;
* random choices from :class:`random.Random` with a fixed seed (:data:`DEFAULT_SEED`).

The relations are written under the argument's definition, the Argdown way::

    <Argument 6>: Argument 6 of the map, in part 1. #group-6
      +> [Premise 4.2]
      -> <Argument 2>

    (1) [Premise 6.1]: ...
    (2) [Premise 6.2]: ...
    ----
    (3) [Conclusion 6]: ...

Argdown (and argmap's ``derived_relations``) re-express the argument's outgoing relations from its
conclusion, so a map of A arguments has A - 1 supports of a premise statement and A // 3 attacks of an
argument.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ARGUMENTS_PER_PART",
    "DEFAULT_SEED",
    "STATEMENTS_PER_ARGUMENT",
    "TAGS",
    "Shape",
    "generate",
    "lines",
    "main",
    "shape",
]

DEFAULT_SEED = 5
STATEMENTS_PER_ARGUMENT = 3
ARGUMENTS_PER_PART = 100
#: how many distinct tags the arguments share (``#group-0`` ... ``#group-6``)
TAGS = 7


@dataclass(frozen=True)
class Shape:
    """What a generated map holds, counted from its size alone (the tests check the model against it)."""

    statements: int
    arguments: int
    supports: int
    attacks: int
    headings: int
    tags: int


def shape(size: int) -> Shape:
    """The counts of a map generated for ``size`` statements."""
    arguments = size // STATEMENTS_PER_ARGUMENT
    return Shape(
        statements=arguments * STATEMENTS_PER_ARGUMENT,
        arguments=arguments,
        supports=max(arguments - 1, 0),
        attacks=arguments // 3,
        headings=-(-arguments // ARGUMENTS_PER_PART),
        tags=min(arguments, TAGS),
    )


def lines(size: int, seed: int = DEFAULT_SEED) -> Iterator[str]:
    """The map's lines, without line ends."""
    rng = random.Random(seed)
    arguments = size // STATEMENTS_PER_ARGUMENT
    for k in range(1, arguments + 1):
        part = (k - 1) // ARGUMENTS_PER_PART + 1
        if (k - 1) % ARGUMENTS_PER_PART == 0:
            yield f"# Part {part}"
            yield ""
        yield f"<Argument {k}>: Argument {k} of the map, in part {part}, reasons from two premises. #group-{k % TAGS}"
        if k > 1:
            supported = rng.randrange(1, k)
            yield f"  +> [Premise {supported}.{rng.randrange(1, 3)}]"
        if k % 3 == 0:
            yield f"  -> <Argument {rng.randrange(1, k)}>"
        yield ""
        yield f"(1) [Premise {k}.1]: The first premise of argument {k} states a fact that the map takes as given."
        yield f"(2) [Premise {k}.2]: The second premise of argument {k} links that fact to the conclusion."
        yield "----"
        yield f"(3) [Conclusion {k}]: Therefore the conclusion of argument {k} follows from its two premises."
        yield ""


def generate(size: int, seed: int = DEFAULT_SEED) -> str:
    """The whole map for ``size`` statements as one string."""
    return "".join(line + "\n" for line in lines(size, seed))


def write(size: int, path: Path, seed: int = DEFAULT_SEED) -> None:
    """Write the map to ``path`` (whole or not at all: a temporary file, then a rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as stream:
        stream.writelines(line + "\n" for line in lines(size, seed))
    temporary.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Write a synthetic Argdown map of N statements (N/3 arguments), always of the same shape.",
    )
    parser.add_argument(
        "size", metavar="N", type=int, help="the number of statements (rounded down to a multiple of 3)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="where to write (default: stdout)")
    parser.add_argument("--seed", metavar="S", type=int, default=DEFAULT_SEED, help=f"random seed ({DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.size < 0:
        parser.error("N must not be negative")
    if args.output is None:
        sys.stdout.writelines(line + "\n" for line in lines(args.size, args.seed))
    else:
        write(args.size, args.output, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
