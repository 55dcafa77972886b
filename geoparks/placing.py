"""Placing a catalog: every record gets its city-level point and adcodes, or an error."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geoparks import rejects
from geoparks.catalog import Catalog
from geoparks.errors import CatalogError, Problem
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.geocoding import Geocode, describe, geocode

__all__ = ["GeocodeError", "geocode_catalog"]


class GeocodeError(CatalogError):
    """Records that could not be placed: ambiguous or unknown places, bad hints."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def geocode_catalog(
    catalog: Catalog, gazetteer: Gazetteer | None = None, *, strict: bool = False
) -> pd.DataFrame:
    """Place every record of a catalog offline.

    A record is placed by its ``county`` (when given), else by the places its
    ``name`` and ``place`` name, within its ``province`` and ``city``; a record
    with ``lat`` and ``lon`` keeps them (precision ``"coordinates"``). Records
    that repeat the same names are placed once.

    Parameters
    ----------
    catalog : Catalog
    gazetteer : Gazetteer, optional
    strict : bool
        Raise if any record cannot be placed, or was left out of the catalog,
        instead of leaving it out.

    Returns
    -------
    pandas.DataFrame
        The records placed: ``catalog.parks`` with ``lat``/``lon`` (the
        city-level point: the city's seat, or the province's capital for a
        province-wide record), ``precision``, ``province_adcode``,
        ``city_adcode``, ``county_adcode`` and ``county_lat``/``county_lon``
        (the county's seat, when one is named). :func:`geoparks.rejected` gives
        the records left out (the catalog's, and those that could not be placed:
        ambiguous, not found, or with a hint that names no place).

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
    """
    gazetteer = gazetteer or Gazetteer.load()
    parks = catalog.parks
    size = len(parks)
    columns = {name: np.full(size, None, dtype=object) for name in _PLACED_TEXT}
    points = {name: np.full(size, np.nan) for name in _PLACED_POINTS}
    points["lat"] = parks["lat"].to_numpy(float, copy=True)
    points["lon"] = parks["lon"].to_numpy(float, copy=True)
    given = ~(np.isnan(points["lat"]) | np.isnan(points["lon"]))
    columns["precision"][given] = "coordinates"
    problems: list[Problem] = []
    records: dict[int, tuple[object, object]] = {}
    extra: dict[int, dict[str, object]] = {}
    answers: dict[tuple[str | None, ...], tuple[Geocode | None, str | None, str]] = {}
    keys = zip(*(parks[c].to_numpy(dtype=object) for c in ("name", "province", "city", "county",
                                                             "place")), strict=True)  # fmt: skip
    for row, key in enumerate(keys):
        if given[row]:
            continue
        key = tuple(_text(v) for v in key)
        if key not in answers:
            answers[key] = _place(*key, gazetteer)
        result, message, reason = answers[key]
        if message is None and result is not None:
            _fill(columns, points, row, result)
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
    placed = parks.copy()
    for name, values in columns.items():
        placed[name] = pd.Series(values, index=placed.index, dtype=object)
    for name, values in points.items():
        placed[name] = values
    failed = np.zeros(size, dtype=bool)
    if problems:
        failed = catalog.lines.reindex(parks.index).isin(records).to_numpy()
    here = rejects.from_problems(problems, "placing", records, extra)
    rejects.warn(catalog.path, size - len(here), here)
    left_out = rejects.combine(rejects.rejected(catalog), here)
    return rejects.carry(placed[~failed], left_out, [*rejects.problems(catalog), *problems])


_PLACED_TEXT = ("precision", "province_adcode", "city_adcode", "county_adcode")
_PLACED_POINTS = ("lat", "lon", "county_lat", "county_lon")


def _line(problem: Problem) -> tuple[str, int, int]:
    return problem.file, problem.line, problem.column


def _fill(
    columns: dict[str, np.ndarray], points: dict[str, np.ndarray], row: int, result: Geocode
) -> None:
    lat, lon = result.point or (math.nan, math.nan)
    county_lat, county_lon = result.county_point or (math.nan, math.nan)
    points["lat"][row], points["lon"][row] = lat, lon
    points["county_lat"][row], points["county_lon"][row] = county_lat, county_lon
    columns["precision"][row] = result.precision
    columns["province_adcode"][row] = result.province.adcode if result.province else None
    columns["city_adcode"][row] = result.city.adcode if result.city else None
    if result.precision == "county" and result.place is not None:
        columns["county_adcode"][row] = result.place.adcode


def _place(
    name: str | None,
    province: str | None,
    city: str | None,
    county: str | None,
    place: str | None,
    gazetteer: Gazetteer,
) -> tuple[Geocode | None, str | None, str]:
    """Return (result, problem message or None, reason code)."""
    name = name or ""
    try:
        if county:
            match = gazetteer.resolve(county, province, city)
            if match.status != "ok":
                found = geocode(county, province, city, gazetteer=gazetteer)
                status = match.status.replace("_", " ")
                return found, f"county {county!r} is {status}", match.status
        context = " ".join(filter(None, [county, place]))
        result = geocode(name, province, city, context or None, gazetteer)
        if result.status == "not_found" and place:
            result = geocode(place, province, city, gazetteer=gazetteer)
    except UnknownHintError as exc:
        level = str(exc).split(" ", 1)[0]
        reason = f"{'ambiguous' if exc.candidates else 'unknown'}_{level}"
        return Geocode(name, "ambiguous", candidates=exc.candidates), str(exc), reason
    if result.status == "ambiguous":
        return result, "the place its name, county or place names is ambiguous", "ambiguous"
    if result.status not in ("ok", "partial"):
        return result, "not found: no place in its name, county or place", "not_found"
    return result, None, ""


def _expected(result: Geocode | None) -> str:
    if result is not None and result.candidates and result.status != "ok":
        listed = "; ".join(describe(p) for p in result.candidates)
        return f"a province or city that picks one of: {listed}"
    return "a known province, city, county or place"
