"""Geocoding a table of names: every row answered, in order, none stopping the others.

>>> import pandas as pd
>>> names = pd.DataFrame(
...     {"name": ["Yulin", "Yulin", "Hezhou"], "province": ["Guangxi", "", "Jaingxi"]}
... )
>>> geocode_table(names)[["name", "status", "adcode"]].values.tolist()
[['Yulin', 'ok', '450900'], ['Yulin', 'ambiguous', None], ['Hezhou', 'bad_hint', None]]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from geoparks.bulk import many_objects
from geoparks.errors import GeoparksError
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.geocoding import STATUSES as GEOCODE_STATUSES
from geoparks.geocoding import Geocode, read_many

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "RESULT_COLUMNS",
    "STATUSES",
    "distinct_results",
    "geocode_table",
    "result_row",
    "with_results",
]

RESULT_COLUMNS = (
    "status", "problem", "level", "adcode", "name_en", "name_zh", "province", "city", "lat",
    "lon", "city_lat", "city_lon", "candidates", "partners", "alias", "note", "source",
)  # fmt: skip
"""The columns a geocoded table gains (prefixed ``geocode_`` where the input has one)."""

STATUSES = {
    **GEOCODE_STATUSES,
    "bad_hint": "a province, city or county hint names no place, or several, or they disagree",
}
"""What each ``status`` of a geocoded row means."""


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _failed(status: str, problem: str, candidates: list[str] | None = None) -> tuple[Any, ...]:
    row = dict.fromkeys(RESULT_COLUMNS)
    row.update(status=status, problem=problem, candidates=candidates or [], partners=[])
    return tuple(row.values())


def _answers(
    keys: list[tuple[object, ...]], gazetteer: Gazetteer
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Answer names and their hints; return the distinct answers and each key's position.

    Names read alike (one reading, see :func:`geoparks.geocoding.read`) share one answer.
    """
    answers: list[tuple[Any, ...]] = []
    positions = [-1] * len(keys)
    queries, asked = [], []
    hints: dict[tuple[object, ...], tuple[str | None, ...]] = {}
    for at, (name, *given) in enumerate(keys):
        name = _text(name)
        key = tuple(given)
        if key not in hints:
            hints[key] = tuple(map(_text, key))
        province, city, county = hints[key]
        if name is None:
            answers.append(_failed("not_found", "empty name"))
            positions[at] = len(answers) - 1
        else:
            queries.append((name, province, city, county))
            asked.append(at)
    made: dict[int, tuple[Any, int]] = {}
    for at, (name, *_), reading in zip(asked, queries, read_many(queries, gazetteer), strict=True):
        if isinstance(reading, UnknownHintError):
            candidates = [gazetteer.describe(p) for p in reading.candidates]
            answers.append(_failed("bad_hint", str(reading), candidates))
        elif isinstance(reading, GeoparksError):
            answers.append(_failed("not_found", str(reading)))
        else:
            found = made.get(id(reading))
            if found is None or found[0] is not reading:
                result = Geocode(name, *reading)
                raw = result.raw()
                raw["problem"] = result.problem
                answers.append(tuple(raw[c] for c in RESULT_COLUMNS))
                found = made[id(reading)] = (reading, len(answers) - 1)
            positions[at] = found[1]
            continue
        positions[at] = len(answers) - 1
    return answers, positions


_PART = 10_000  # distinct names a worker process is worth starting for, at least
_PARTS: tuple[list[list[tuple[object, ...]]], Gazetteer] | None = None  # what workers read


def _workers(keys: int, asked: int | None) -> int:
    import os
    import sys

    if not sys.platform.startswith("linux"):  # fork is Linux's own way to start a process
        return 1
    if asked is not None:
        return asked
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cpus or 1, 4, keys // _PART) if keys >= 2 * _PART else 1


def _answers_in_parts(
    keys: list[tuple[object, ...]], gazetteer: Gazetteer, workers: int | None
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """:func:`_answers`, the keys split among forked processes that share the gazetteer."""
    global _PARTS
    count = _workers(len(keys), workers)
    if count <= 1 or len(keys) < count:
        return _answers(keys, gazetteer)
    import multiprocessing

    size = -(-len(keys) // count)
    _PARTS = ([keys[at : at + size] for at in range(0, len(keys), size)], gazetteer)
    try:
        with multiprocessing.get_context("fork").Pool(len(_PARTS[0]) - 1) as pool:
            rest = pool.map_async(_answer_part, range(1, len(_PARTS[0])))
            parts = [_answer_part(0), *rest.get()]
    finally:
        _PARTS = None
    answers: list[tuple[Any, ...]] = []
    positions: list[int] = []
    for found, where in parts:
        positions += [len(answers) + at for at in where]
        answers += found
    return answers, positions


def _answer_part(part: int) -> tuple[list[tuple[Any, ...]], list[int]]:
    assert _PARTS is not None
    keys, gazetteer = _PARTS
    return _answers(keys[part], gazetteer)


def result_row(
    name: object,
    province: object = None,
    city: object = None,
    county: object = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """Geocode one name with its hints into a result row (:data:`RESULT_COLUMNS`)."""
    answers, positions = _answers([(name, province, city, county)], gazetteer or Gazetteer.load())
    return dict(zip(RESULT_COLUMNS, answers[positions[0]], strict=True))


def geocode_table(
    table: pd.DataFrame,
    *,
    name: str = "name",
    province: str | None = "province",
    city: str | None = "city",
    county: str | None = "county",
    gazetteer: Gazetteer | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Geocode every row of a table; return it with the results in added columns.

    Parameters
    ----------
    table : pandas.DataFrame
        Names in column ``name``; hints in ``province``, ``city`` and ``county``
        if present.
    name, province, city, county : str
        The columns to read.
    gazetteer : Gazetteer, optional
    workers : int, optional
        Processes reading names at once (see :func:`distinct_results`).

    Returns
    -------
    pandas.DataFrame
        The input, its columns and rows untouched and in order, then
        :data:`RESULT_COLUMNS`; an added column whose name the input already
        uses is called ``geocode_<name>``. ``status`` is one of :data:`STATUSES`;
        ``problem`` says what is wrong in words. Rows repeating a name and its
        hints are geocoded once.
    """
    answers, rows = distinct_results(
        table,
        name=name,
        province=province,
        city=city,
        county=county,
        gazetteer=gazetteer,
        workers=workers,
    )
    return with_results(table, answers, rows)


@many_objects()
def distinct_results(
    table: pd.DataFrame,
    *,
    name: str = "name",
    province: str | None = "province",
    city: str | None = "city",
    county: str | None = "county",
    gazetteer: Gazetteer | None = None,
    workers: int | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Geocode a table's rows into its distinct answers, and each row's answer.

    Parameters
    ----------
    workers : int, optional
        Processes reading names at once: by default one per CPU this process
        may use (at most 4), for tables of 20,000 distinct names or more, on
        Linux (the others are forked, sharing the gazetteer); 1 reads every
        name in this process.

    Returns
    -------
    answers : pandas.DataFrame
        The answers, in :data:`RESULT_COLUMNS`: rows read alike share one.
    rows : numpy.ndarray
        For each row of ``table``, the position of its answer in ``answers``.
    """
    import numpy as np

    gazetteer = gazetteer or Gazetteer.load()
    size = len(table)

    def column(key: str | None) -> Iterable[object]:
        return table[key].tolist() if key is not None and key in table else [None] * size

    known: dict[tuple[object, ...], int] = {}
    keys = zip(column(name), column(province), column(city), column(county), strict=True)
    rows = np.fromiter((known.setdefault(key, len(known)) for key in keys), np.intp, size)
    answers, positions = _answers_in_parts(list(known), gazetteer, workers)
    rows = np.asarray(positions, dtype=np.intp)[rows]
    return pd.DataFrame(answers, columns=list(RESULT_COLUMNS), dtype=object), rows


def with_results(table: pd.DataFrame, answers: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Return ``table`` with each row's answer (:func:`distinct_results`) in added columns."""
    results = answers.take(rows)
    results.index = table.index
    renamed = {c: f"geocode_{c}" for c in RESULT_COLUMNS if c in table.columns}
    return pd.concat([table, results.rename(columns=renamed)], axis=1)
