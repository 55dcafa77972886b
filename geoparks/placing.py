"""Placing a catalog: every record gets its city-level point and adcodes, or an error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geoparks import rejects
from geoparks.bulk import many_objects
from geoparks.catalog import Catalog
from geoparks.errors import CatalogError, GeoparksError, Problem
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.geocoding import Geocode, describe, geocode, read_many

__all__ = ["GeocodeError", "geocode_catalog"]


class GeocodeError(CatalogError):
    """Records that could not be placed: ambiguous or unknown places, bad hints."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


@many_objects()
def geocode_catalog(
    catalog: Catalog, gazetteer: Gazetteer | None = None, *, strict: bool = False
) -> pd.DataFrame:
    """Place every record of a catalog offline.

    A record is placed by the places its ``name`` names (else its ``place``),
    within its ``province``, ``city`` and ``county``, which decide among the
    name's readings and refine the answer; a record with ``lat`` and ``lon``
    keeps them (precision ``"coordinates"``). A record that only its
    ``province``/``city``/``county`` place, or whose readings all lie in one
    unit, is placed at that level with ``placed_by`` ``"hints"`` (``strict``
    refuses it). A name none of whose readings lies within the record's
    province or city is a conflict, left out. Records that repeat the same
    names are placed once.

    Parameters
    ----------
    catalog : Catalog
    gazetteer : Gazetteer, optional
    strict : bool
        Raise if any record cannot be placed, is placed by its hints only, or
        was left out of the catalog, instead of leaving it out.

    Returns
    -------
    pandas.DataFrame
        The records placed: ``catalog.parks`` with ``lat``/``lon`` (the finest
        point known: the county's seat when a county is known, else the city's,
        else the province's capital), ``city_lat``/``city_lon`` (the city-level
        seat), ``precision``, ``placed_by`` (``coordinates``, ``name``,
        ``place`` or ``hints``), ``province_adcode``, ``city_adcode`` and
        ``county_adcode``. :func:`geoparks.rejected` gives the records left out
        (the catalog's, and those that could not be placed: ambiguous, in
        conflict with their province or city, not found, or with a hint that
        names no place).

    Raises
    ------
    GeocodeError
        With ``strict``, naming every problem of the catalog's records and every
        record left ambiguous or not found, with its candidates.

    Examples
    --------
    >>> from geoparks.catalog import load_catalog
    >>> placed = geocode_catalog(load_catalog())
    >>> placed.loc["pingxiang-border-industrial-park", ["precision", "county_adcode"]].tolist()
    ['county', '451481']
    >>> placed.loc["pingxiang-border-industrial-park", ["lat", "city_lat"]].round(2).tolist()
    [22.1, 22.38]
    """
    gazetteer = gazetteer or Gazetteer.load()
    parks = catalog.parks
    size = len(parks)
    lat, lon = parks["lat"].to_numpy(float), parks["lon"].to_numpy(float)
    given = ~(np.isnan(lat) | np.isnan(lon))
    problems: list[Problem] = []
    records: dict[int, tuple[object, object]] = {}
    extra: dict[int, dict[str, object]] = {}
    answers: dict[tuple[str | None, ...], tuple[int, Geocode | None, str | None, str]] = {}
    filled = [_UNPLACED, _GIVEN]  # the placed columns' values, one tuple per answer
    which = given.astype(np.intp)  # each row's answer in ``filled``
    columns = ("name", "province", "city", "county", "place")
    values = zip(*(parks[c].to_numpy(dtype=object) for c in columns), strict=True)
    keys = [None if given[row] else tuple(map(_text, key)) for row, key in enumerate(values)]
    # Names alone (no place to fall back on) are read together, as geocode --input reads them.
    alone = list({key: None for key in keys if key is not None and key[0] and key[4] is None})
    readings = dict(zip(alone, read_many([key[:4] for key in alone], gazetteer), strict=True))
    for row, key in enumerate(keys):
        if key is None:
            continue
        answer = answers.get(key)
        if answer is None:
            result, message, reason, placed_by = _place(*key, gazetteer, readings.get(key))
            index = 0
            if message is None and result is not None:
                filled.append(_filled(result, placed_by))
                index = len(filled) - 1
                if strict and placed_by == "hints":
                    message, reason = f"placed by its hints only: {result.problem}", "partial"
            answer = answers[key] = (index, result, message, reason)
        index, result, message, reason = answer
        which[row] = index
        if message is None:
            continue
        park_id = parks.index[row]
        line = int(catalog.lines[park_id])
        records[line] = (park_id, key[0])
        candidates = "; ".join(describe(p) for p in result.candidates) if result else ""
        extra[line] = {"candidates": candidates or None}
        problems.append(
            Problem(str(catalog.path), line, 1, f"record {park_id!r}: {message}", key[0],
                    _expected(result), reason=reason)
        )  # fmt: skip
    if strict and (problems or rejects.problems(catalog)):
        raise GeocodeError(sorted([*rejects.problems(catalog), *problems], key=_line))
    placed = parks.copy(deep=False)  # the columns set below are new arrays
    for name, values in zip(_PLACED, zip(*filled, strict=True), strict=True):
        kind = float if name in _PLACED_POINTS else object
        column = np.array(values, dtype=kind)[which]
        if name in ("lat", "lon"):
            column = np.where(given, lat if name == "lat" else lon, column)
        placed[name] = pd.Series(column, placed.index, kind)
    failed = np.zeros(size, dtype=bool)
    if problems:
        failed = catalog.lines.reindex(parks.index).isin(records).to_numpy()
    here = rejects.from_problems(problems, "placing", records, extra)
    rejects.warn(catalog.path, size - len(here), here)
    left_out = rejects.combine(rejects.rejected(catalog), here)
    kept = placed[~failed] if failed.any() else placed
    return rejects.carry(kept, left_out, [*rejects.problems(catalog), *problems])


_PLACED = (
    "precision", "placed_by", "province_adcode", "city_adcode", "county_adcode",
    "lat", "lon", "city_lat", "city_lon",
)  # fmt: skip
_PLACED_POINTS = ("lat", "lon", "city_lat", "city_lon")
_UNPLACED = (None, None, None, None, None, math.nan, math.nan, math.nan, math.nan)
_GIVEN = ("coordinates", "coordinates", *_UNPLACED[2:])


def _line(problem: Problem) -> tuple[str, int, int]:
    return problem.file, problem.line, problem.column


def _filled(result: Geocode, placed_by: str) -> tuple[object, ...]:
    """Return the placed columns' values (:data:`_PLACED`) for a record placed by ``result``."""
    county = result.place.adcode if result.precision == "county" and result.place else None
    return (
        result.precision,
        placed_by,
        result.province.adcode if result.province else None,
        result.city.adcode if result.city else None,
        county,
        *(result.point or (math.nan, math.nan)),
        *(result.city_point or (math.nan, math.nan)),
    )


def _place(
    name: str | None,
    province: str | None,
    city: str | None,
    county: str | None,
    place: str | None,
    gazetteer: Gazetteer,
    reading: tuple[object, ...] | GeoparksError | None = None,
) -> tuple[Geocode | None, str | None, str, str]:
    """Return (result, problem message or None, reason code, placed_by).

    ``reading`` is the name's :func:`geoparks.geocoding.read_many` answer, when known.
    """
    name = name or ""
    try:
        if isinstance(reading, GeoparksError):
            raise reading
        if reading is not None:
            result = Geocode(name, *reading)
        else:
            result = geocode(name, province, city, place, gazetteer, county=county)
        placed_by = "name"
        if result.status in ("not_found", "partial", "conflict") and place:
            by_place = geocode(place, province, city, gazetteer=gazetteer, county=county)
            if by_place.status == "ok":
                result, placed_by = by_place, "place"
    except UnknownHintError as exc:
        level = str(exc).split(" ", 1)[0]
        reason = f"{'ambiguous' if exc.candidates else 'unknown'}_{level}"
        return Geocode(name, "ambiguous", candidates=exc.candidates), str(exc), reason, ""
    if result.status == "partial":
        return result, None, "", "hints"
    if result.status == "ok":
        return result, None, "", placed_by
    if result.status == "ambiguous":
        return result, f"ambiguous: {result.problem}", "ambiguous", ""
    if result.status == "conflict":
        return result, f"conflict: {result.problem}", "conflict", ""
    return result, "not found: no place in its name or place, and no hint", "not_found", ""


def _expected(result: Geocode | None) -> str:
    if result is not None and result.candidates and result.status != "ok":
        listed = "; ".join(describe(p) for p in result.candidates)
        return f"a province or city that picks one of: {listed}"
    return "a known province, city, county or place"
