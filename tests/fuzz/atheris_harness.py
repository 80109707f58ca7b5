"""Coverage-guided fuzzing of ``argmap.parse`` with atheris (libFuzzer for Python): ``make fuzz-atheris``.

    python tests/fuzz/atheris_harness.py [libFuzzer options] [CORPUS_DIR ...]

The input bytes are read as UTF-8 (invalid bytes replaced, so most inputs are text) and
checked as tests/fuzz/targets.py says: a map, or an ArgmapSyntaxError inside the input.
Anything else raises, and libFuzzer saves the input as ``crash-<hash>`` in the current
folder; replay one with ``python tests/fuzz/run.py replay crash-<hash>.arg`` after
renaming it, or pass it to this script as the only argument. The first corpus folder is
filled with the repository's documents when it is empty. atheris is not in argmap's
test tools: ``make fuzz-atheris`` installs it into the virtual environment.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import atheris  # noqa: E402

from fuzz.mutate import ROOT, notation_corpus  # noqa: E402
from fuzz.targets import check_notation  # noqa: E402

# argmap loads its reader, Lark and YAML on first use: use it once, then instrument everything loaded
check_notation("[A]: a {b: 1}\n  + <B>: b\n", "examples/warm-up.arg")
atheris.instrument_all()

#: the name the input is parsed under: includes are read from the examples folder
ORIGIN = "examples/fuzzed.arg"


def test_one_input(data: bytes) -> None:
    check_notation(data.decode("utf-8", "replace"), ORIGIN)


def _seed_corpus(arguments: list[str]) -> None:
    folders = [Path(a) for a in arguments[1:] if not a.startswith("-")]
    if not folders or folders[0].is_file():
        return
    folders[0].mkdir(parents=True, exist_ok=True)
    if not any(folders[0].iterdir()):
        for n, seed in enumerate(notation_corpus()):
            (folders[0] / f"seed-{n:04d}.arg").write_text(seed.text, encoding="utf-8")


def main() -> None:
    _seed_corpus(sys.argv)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    assert ROOT.is_dir()
    main()
