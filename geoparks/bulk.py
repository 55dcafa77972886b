"""Stages that make millions of objects at once (rows' texts, lists, geometries)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["many_objects"]

_FIRST_GENERATION = 100_000
"""Objects made between collections of the youngest generation while a stage runs
(Python's default, 700, has a million-row stage spend a fifth of its time collecting)."""


@contextmanager
def many_objects() -> Iterator[None]:
    """Collect reference cycles less often for the time of a stage (a context or a decorator).

    Cycles are still collected, only after more objects were made; the
    interpreter's thresholds are restored afterwards, also on an error.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _FIRST_GENERATION), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
