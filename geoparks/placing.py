"""Placing a catalog: every record gets its city-level point and adcodes, or an error."""

from __future__ import annotations

import math

import pandas as pd

from geoparks.catalog import Catalog
from geoparks.errors import CatalogError, Problem
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.geocoding import Geocode, describe, geocode

__all__ = ["GeocodeError", "geocode_catalog"]

PLACED_COLUMNS = (
    "lat", "lon", "precision", "province_adcode", "city_adcode", "county_adcode",
    "county_lat", "county_lon",
)  # fmt: skip


class GeocodeError(CatalogError):
    """Records that could not be placed: ambiguous or unknown places, bad hints."""


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def geocode_catalog(catalog: Catalog, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Place every record of a catalog offline.

    A record is placed by its ``county`` (when given), else by the places its
    ``name`` and ``place`` name, within its ``province`` and ``city``; a record
    with ``lat`` and ``lon`` keeps them (precision ``"coordinates"``).

    Parameters
    ----------
    catalog : Catalog
    gazetteer : Gazetteer, optional

    Returns
    -------
    pandas.DataFrame
        ``catalog.parks`` with ``lat``/``lon`` (the city-level point: the city's
        seat, or the province's capital for a province-wide record),
        ``precision``, ``province_adcode``, ``city_adcode``, ``county_adcode``
        and ``county_lat``/``county_lon`` (the county's seat, when one is named).

    Raises
    ------
    GeocodeError
        Naming every record left ambiguous or not found, with its candidates.

    Examples
    --------
    >>> from geoparks.catalog import load_catalog
    >>> placed = geocode_catalog(load_catalog())
    >>> placed.loc["pingxiang-border-industrial-park", ["precision", "county_adcode"]].tolist()
    ['county', '451481']
    """
    gazetteer = gazetteer or Gazetteer.load()
    placed = catalog.parks.copy()
    for column in PLACED_COLUMNS:
        if column not in placed:
            placed[column] = None
    problems: list[Problem] = []
    for park_id, park in catalog.parks.iterrows():
        if not (math.isnan(park["lat"]) or math.isnan(park["lon"])):
            placed.loc[park_id, "precision"] = "coordinates"
            continue
        line = catalog.lines[park_id]
        result, message = _place(park, gazetteer)
        if message or result is None or result.status != "ok":
            problems.append(
                Problem(
                    str(catalog.path),
                    line,
                    1,
                    f"record {park_id!r}: {message}",
                    park["name"],
                    _expected(result),
                )
            )
            continue
        lat, lon = result.point or (math.nan, math.nan)
        county_lat, county_lon = result.county_point or (math.nan, math.nan)
        placed.loc[park_id, list(PLACED_COLUMNS)] = [
            lat, lon, result.precision, result.province.adcode if result.province else None,
            result.city.adcode if result.city else None,
            result.place.adcode if result.precision == "county" else None,
            county_lat, county_lon,
        ]  # fmt: skip
    if problems:
        raise GeocodeError(problems)
    return placed.astype({"lat": float, "lon": float, "county_lat": float, "county_lon": float})


def _place(park: pd.Series, gazetteer: Gazetteer) -> tuple[Geocode | None, str | None]:
    province, city = _text(park["province"]), _text(park["city"])
    county, place = _text(park["county"]), _text(park["place"])
    try:
        if county:
            match = gazetteer.resolve(county, province, city)
            if match.status != "ok":
                found = geocode(county, province, city, gazetteer=gazetteer)
                return found, f"county {county!r} is {match.status.replace('_', ' ')}"
        context = " ".join(filter(None, [county, place]))
        result = geocode(park["name"], province, city, context or None, gazetteer)
        if result.status == "not_found" and place:
            result = geocode(place, province, city, gazetteer=gazetteer)
    except UnknownHintError as exc:
        status = "ambiguous" if exc.candidates else "not_found"
        return Geocode(park["name"], status, candidates=exc.candidates), str(exc).split(":")[0]
    if result.status == "ambiguous":
        return result, "the place its name, county or place names is ambiguous"
    if result.status != "ok":
        return result, "not found: no place in its name, county or place"
    return result, None


def _expected(result: Geocode | None) -> str:
    if result is not None and result.candidates and result.status != "ok":
        listed = "; ".join(describe(p) for p in result.candidates)
        return f"a province or city that picks one of: {listed}"
    return "a known province, city, county or place"
