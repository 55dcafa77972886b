"""Validating a catalog as a build would use it: its values, its placing and its join.

:func:`validate` runs the same stages as :func:`geoparks.build`, leniently, and
gathers every problem of every stage, so that a catalog it passes builds with
``strict=True``.

>>> import geoparks
>>> report = validate(geoparks.load_catalog())
>>> report.ok, report.summary()
(True, '29 records, no problems')
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from geoparks import rejects
from geoparks.bulk import many_objects
from geoparks.catalog import Catalog
from geoparks.errors import Problem
from geoparks.joining import BORDER_TOLERANCE_KM

__all__ = ["Validation", "validate"]


@dataclass(frozen=True)
class Validation:
    """What :func:`validate` found.

    Attributes
    ----------
    catalog : Catalog
    problems : tuple of Problem
        Every problem, located, in file and line order.
    rejected : pandas.DataFrame
        One row per record left out (see :func:`geoparks.rejected`).
    records : int
        The records of the file (valid or not).
    mapped : int
        The records a build would map.
    """

    catalog: Catalog
    problems: tuple[Problem, ...]
    rejected: pd.DataFrame
    records: int
    mapped: int

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong: a strict build would succeed."""
        return not self.problems

    def summary(self) -> str:
        """Say how many problems in how many records, e.g. ``4 problems in 3 of 29 records``."""
        if self.ok:
            return f"{self.records:,} records, no problems"
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"{count:,} {noun} in {len(self.rejected):,} of {self.records:,} records"


@many_objects()
def validate(
    catalog: Catalog,
    *,
    schema_only: bool = False,
    tolerance_km: float = BORDER_TOLERANCE_KM,
    data_dir: str | os.PathLike[str] | None = None,
) -> Validation:
    """Check a catalog's values, placing and join, and report every problem at once.

    Parameters
    ----------
    catalog : Catalog
        As :func:`geoparks.load_catalog` returns it (leniently).
    schema_only : bool
        Check the values only: no placing, no join (fast).
    tolerance_km : float
        As for :func:`geoparks.join`.
    data_dir : path, optional

    Returns
    -------
    Validation
    """
    result: object = catalog
    if not schema_only:
        from geoparks.joining import join

        with rejects.unwarned():  # the report says it all
            result = join(catalog, data_dir=data_dir, tolerance_km=tolerance_km)
    found = rejects.problems(result)
    table = rejects.rejected(result)
    records = len(catalog.parks) + len(catalog.rejected)
    ordered = tuple(sorted(found, key=lambda p: (p.file != str(catalog.path), p.file, p.line)))
    return Validation(catalog, ordered, table, records, records - len(table))
