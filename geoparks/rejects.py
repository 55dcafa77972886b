"""Records left out: every row a stage could not use, with where it stood and why.

Loading, placing and joining are lenient by default: a record with a problem
is left out, and the others go on. Each stage adds its records to one table,
carried by its result and read with :func:`rejected`; ``geoparks build`` writes
it as ``rejected.csv`` beside the maps. With ``strict=True`` a stage raises
instead, listing every problem.

>>> import geoparks
>>> rejected(geoparks.join(geoparks.load_catalog())).empty
True
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geoparks.errors import Problem, RecordsLeftOutWarning

__all__ = [
    "REJECTED_COLUMNS",
    "REJECTED_FILE",
    "STAGES",
    "RecordsLeftOutWarning",
    "Written",
    "problems",
    "rejected",
    "summary",
    "write_rejected",
]

REJECTED_COLUMNS = (
    "file", "line", "id", "name", "stage", "reason", "problem", "candidates", "lies_in",
    "distance_km",
)  # fmt: skip
"""The columns of the table of records left out."""

STAGES = ("table", "schema", "placing", "join")
"""Where a record can be left out: the file's shape, its values, placing, the join."""

_KEY = "geoparks.rejected"


def warn(
    where: object,
    mapped: int,
    left_out: pd.DataFrame,
    see: object = "geoparks.rejected(result)",
    stacklevel: int = 2,
) -> None:
    """Warn that records were left out, with the reasons counted (nothing if none were)."""
    if len(left_out):
        warnings.warn(
            f"{where}: {summary(mapped, left_out, see)}",
            RecordsLeftOutWarning,
            stacklevel=stacklevel + 1,
        )


@contextlib.contextmanager
def unwarned() -> Iterator[None]:
    """Silence the warnings of inner stages, for a caller that warns once for all of them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RecordsLeftOutWarning)
        yield


class _Carried:
    """Holds the table in ``DataFrame.attrs`` without pandas copying it on every operation."""

    def __init__(self, table: pd.DataFrame, problems: tuple[Problem, ...]) -> None:
        self.table, self.problems = table, problems

    def __deepcopy__(self, memo: dict[int, Any]) -> _Carried:
        return self


def empty() -> pd.DataFrame:
    """Return an empty table of records left out."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in REJECTED_COLUMNS})


def from_problems(
    problems: Iterable[Problem],
    stage: str,
    records: Mapping[int, tuple[object, object]],
    extra: Mapping[int, Mapping[str, object]] | None = None,
) -> pd.DataFrame:
    """Make one row per record from its problems (a record's problems share its line).

    ``records`` maps a line to the record's (id, name); ``extra`` adds columns
    such as ``candidates``, ``lies_in`` and ``distance_km`` to a line's row.
    """
    grouped: dict[tuple[str, int], list[Problem]] = {}
    for problem in problems:
        grouped.setdefault((problem.file, problem.line), []).append(problem)
    rows = []
    for (file, line), found in grouped.items():
        park_id, name = records.get(line, (None, None))
        reasons = dict.fromkeys(p.reason or "problem" for p in found)
        row = {
            "file": file,
            "line": line,
            "id": park_id,
            "name": name,
            "stage": stage,
            "reason": ";".join(reasons),
            "problem": "; ".join(f"col {p.column}: {p.detail}" for p in found),
        }
        row.update((extra or {}).get(line, {}))
        rows.append(row)
    if not rows:
        return empty()
    return pd.DataFrame(rows).reindex(columns=list(REJECTED_COLUMNS))


def combine(*tables: pd.DataFrame) -> pd.DataFrame:
    """Stack tables of records left out, in file and line order."""
    kept = [t for t in tables if t is not None and len(t)]
    if not kept:
        return empty()
    joined = pd.concat(kept, ignore_index=True)
    return joined.sort_values(["file", "line"], kind="stable", ignore_index=True)


def carry(
    frame: pd.DataFrame, table: pd.DataFrame, problems: Iterable[Problem] = ()
) -> pd.DataFrame:
    """Attach the records left out, and their problems, to a stage's result; return it."""
    frame.attrs[_KEY] = _Carried(table, tuple(problems))
    return frame


def problems(result: Any) -> tuple[Problem, ...]:
    """Return every problem of the records a catalog, placing or join left out, located."""
    found = getattr(result, "problems", None)
    if isinstance(found, tuple):
        return found
    carried = getattr(result, "attrs", {}).get(_KEY)
    return carried.problems if isinstance(carried, _Carried) else ()


def rejected(result: Any) -> pd.DataFrame:
    """Return the records a catalog, a placing or a join left out, and why.

    Parameters
    ----------
    result : Catalog, pandas.DataFrame or geopandas.GeoDataFrame
        A :class:`geoparks.Catalog`, or what :func:`geoparks.geocode_catalog`
        or :func:`geoparks.join` returned.

    Returns
    -------
    pandas.DataFrame
        One row per record left out: ``file``, ``line``, ``id``, ``name``,
        ``stage`` (table, schema, placing or join), ``reason`` (short codes,
        ``;``-separated), ``problem`` (each problem with its column), and for
        placing and the join ``candidates``, ``lies_in`` (the province the
        point lies in) and ``distance_km`` (from the province or city stated).
    """
    table = getattr(result, "rejected", None)
    if isinstance(table, pd.DataFrame):
        return table
    carried = getattr(result, "attrs", {}).get(_KEY)
    return carried.table if isinstance(carried, _Carried) else empty()


def records(count: int) -> str:
    """Count records in words: ``1 record``, ``2,390 records``."""
    return f"{count:,} record{'' if count == 1 else 's'}"


def reason_counts(table: pd.DataFrame) -> Counter[str]:
    """Count each reason code of a table of records left out."""
    counts: Counter[str] = Counter()
    for reasons in table["reason"].dropna():
        counts.update(str(reasons).split(";"))
    return counts


def summary(mapped: int, table: pd.DataFrame, where: str | os.PathLike[str] | None = None) -> str:
    """Say in one line how many records were mapped and left out, with the reasons counted.

    >>> summary(2390, empty())
    '2,390 mapped, none left out'
    """
    if table.empty:
        return f"{mapped:,} mapped, none left out"
    reasons = ", ".join(f"{n:,} {reason}" for reason, n in reason_counts(table).most_common())
    see = f": see {where}" if where is not None else ""
    return f"{mapped:,} mapped, {len(table):,} left out ({reasons}){see}"


def write_rejected(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table of records left out as CSV (UTF-8, written atomically)."""
    from geoparks.output import atomic_write_text

    text = table.reindex(columns=list(REJECTED_COLUMNS)).to_csv(index=False, lineterminator="\n")
    return atomic_write_text(Path(path), text)


class Written(list[Path]):
    """The files a build or an export wrote, with what it mapped and left out.

    Attributes
    ----------
    mapped : int
        The records in the maps and the parks layer.
    rejected : pandas.DataFrame
        The records left out and why (also written as ``rejected.csv``).
    notices : tuple of Problem
        Problems of no one record (a renamed column, a source's file or URL),
        which a lenient build works around.
    """

    def __init__(
        self, files: list[Path], mapped: int, rejected: pd.DataFrame, result: Any = None
    ) -> None:
        super().__init__(files)
        self.mapped, self.rejected = mapped, rejected
        left_out = set(zip(rejected["file"], rejected["line"], strict=True))
        found = problems(result) if result is not None else ()
        self.notices = tuple(p for p in found if (p.file, p.line) not in left_out)

    def summary(self) -> str:
        """Say what was mapped and left out, in one line."""
        where = next((p for p in self if p.name == REJECTED_FILE), None)
        return summary(self.mapped, self.rejected, where)


REJECTED_FILE = "rejected.csv"
"""The file beside the maps or exports that lists the records left out."""
