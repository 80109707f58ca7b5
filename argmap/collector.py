"""Pausing Python's cycle collector around work that allocates many small objects without cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; leave it as it was found.

    A parse or an index of a big map allocates hundreds of thousands of small, acyclic objects; each time enough have
    piled up the collector walks the whole growing heap again: a third of the time or more on big maps.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
