"""Fuzzing argmap's readers: mutated notation for ``argmap.parse``, mutated JSON for ``argmap.from_json``.

``run.py`` is the command line (``make fuzz``, the fixed-seed run in ``make test``, replays);
``mutate.py`` makes the cases, ``targets.py`` says what a correct outcome is. See docs/fuzzing.md.
"""
