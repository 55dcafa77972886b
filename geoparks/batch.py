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
from geoparks.geocoding import Geocode, read

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


def _answer(
    key: tuple[object, ...],
    gazetteer: Gazetteer,
    made: dict[int, tuple[Any, int]],
    answers: list[tuple[Any, ...]],
) -> int:
    """Answer one name and its hints into ``answers``; return its position there.

    Names read alike (one reading, see :func:`geoparks.geocoding.read`) share one answer.
    """
    name, province, city, county = map(_text, key)
    try:
        if name is None:
            raise GeoparksError("empty name")
        reading = read(name, province, city, gazetteer=gazetteer, county=county)
    except UnknownHintError as exc:
        answers.append(
            _failed("bad_hint", str(exc), [gazetteer.describe(p) for p in exc.candidates])
        )
        return len(answers) - 1
    except GeoparksError as exc:  # a fault of one row never stops the others
        answers.append(_failed("not_found", str(exc)))
        return len(answers) - 1
    found = made.get(id(reading))
    if found is None or found[0] is not reading:
        result = Geocode(name, *reading)
        raw = result.raw()
        raw["problem"] = result.problem
        answers.append(tuple(raw[c] for c in RESULT_COLUMNS))
        found = made[id(reading)] = (reading, len(answers) - 1)
    return found[1]


def result_row(
    name: object,
    province: object = None,
    city: object = None,
    county: object = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """Geocode one name with its hints into a result row (:data:`RESULT_COLUMNS`)."""
    gazetteer = gazetteer or Gazetteer.load()
    answers: list[tuple[Any, ...]] = []
    _answer((name, province, city, county), gazetteer, {}, answers)
    return dict(zip(RESULT_COLUMNS, answers[0], strict=True))


def geocode_table(
    table: pd.DataFrame,
    *,
    name: str = "name",
    province: str | None = "province",
    city: str | None = "city",
    county: str | None = "county",
    gazetteer: Gazetteer | None = None,
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
        table, name=name, province=province, city=city, county=county, gazetteer=gazetteer
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
) -> tuple[pd.DataFrame, np.ndarray]:
    """Geocode a table's rows into its distinct answers, and each row's answer.

    Returns
    -------
    answers : pandas.DataFrame
        One row per distinct answer, in :data:`RESULT_COLUMNS`.
    rows : numpy.ndarray
        For each row of ``table``, the position of its answer in ``answers``.
    """
    import numpy as np

    gazetteer = gazetteer or Gazetteer.load()
    size = len(table)

    def column(key: str | None) -> Iterable[object]:
        return table[key].tolist() if key is not None and key in table else [None] * size

    known: dict[tuple[object, ...], int] = {}
    made: dict[int, tuple[Any, int]] = {}
    answers: list[tuple[Any, ...]] = []
    rows = np.empty(size, dtype=np.intp)
    keys = zip(column(name), column(province), column(city), column(county), strict=True)
    for at, key in enumerate(keys):
        position = known.get(key)
        if position is None:
            position = known[key] = _answer(key, gazetteer, made, answers)
        rows[at] = position
    return pd.DataFrame(answers, columns=list(RESULT_COLUMNS), dtype=object), rows


def with_results(table: pd.DataFrame, answers: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Return ``table`` with each row's answer (:func:`distinct_results`) in added columns."""
    results = answers.take(rows)
    results.index = table.index
    renamed = {c: f"geocode_{c}" for c in RESULT_COLUMNS if c in table.columns}
    return pd.concat([table, results.rename(columns=renamed)], axis=1)
