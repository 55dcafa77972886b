"""The spatial join: which province, prefecture and regions each park lies in.

Points are matched to the shipped polygons (:mod:`geoparks.boundaries`). The
polygons follow the shoreline, so a point on reclaimed land, in a harbour or
just off the coast can fall outside all of them: a point outside every province
but within China's land area widened by about 5 km (the GCJ-02 area of
:func:`geoparks.datum.in_china`) and inside no ASEAN country goes to the nearest
province and prefecture, with ``placement`` ``"shore"``.

>>> import geoparks
>>> parks = join(geoparks.load_catalog())
>>> parks.loc["hezhou-health-yungang-industrial-park", ["regions", "linked_regions"]].tolist()
[[], ['greater-bay-area']]
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from geoparks import settings
from geoparks.boundaries import BoundaryLevel, load_boundaries
from geoparks.catalog import Catalog
from geoparks.datum import in_china
from geoparks.errors import CatalogError, Problem
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.placing import geocode_catalog
from geoparks.regions import Region, load_regions, region_polygons

__all__ = ["JoinError", "join", "locate", "place_points"]


class JoinError(CatalogError):
    """Records whose point contradicts what they state, or lies in no province."""


def locate(
    lon: npt.ArrayLike,
    lat: npt.ArrayLike,
    level: BoundaryLevel = "city",
    data_dir: str | os.PathLike[str] | None = None,
) -> np.ndarray:
    """Return the adcode of the polygon each point lies in, or None.

    Parameters
    ----------
    lon, lat : array-like
        WGS-84 degrees.
    level : {"city", "province", "country"}
        Which polygons.
    data_dir : path, optional
        A data folder other than the shipped one.

    Returns
    -------
    numpy.ndarray of object
        One code per point (adcode, or ISO3 for countries); None outside all.

    Examples
    --------
    >>> locate([113.26, 108.32, 0.0], [23.13, 22.82, 0.0]).tolist()
    ['440100', '450100', None]
    """
    codes_of, tree = _index(level, settings.data_dir(data_dir))
    lon, lat = np.broadcast_arrays(np.asarray(lon, float), np.asarray(lat, float))
    points = shapely.points(lon.ravel(), lat.ravel())
    point_index, polygon_index = tree.query(points, predicate="within")
    codes = np.full(points.size, None, dtype=object)
    codes[point_index] = codes_of[polygon_index]
    return codes.reshape(lon.shape)


@cache
def _index(level: BoundaryLevel, folder: Path) -> tuple[np.ndarray, shapely.STRtree]:
    polygons = load_boundaries(level, folder)
    return polygons.index.to_numpy(), shapely.STRtree(polygons.geometry.to_numpy())


def place_points(
    lon: npt.ArrayLike, lat: npt.ArrayLike, data_dir: str | os.PathLike[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the province, the prefecture and the placement of each point.

    Parameters
    ----------
    lon, lat : array-like
        WGS-84 degrees, one-dimensional.
    data_dir : path, optional

    Returns
    -------
    province, city, placement : numpy.ndarray of object
        Adcodes, and ``"inside"``, ``"shore"`` (nearest, see the module) or None
        for a point at sea or abroad (whose adcodes are None).

    Examples
    --------
    >>> province, city, placement = place_points([113.56516, 113.26], [22.14313, 23.13])
    >>> province.tolist(), placement.tolist()
    (['820000', '440000'], ['shore', 'inside'])
    """
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    province = locate(lon, lat, "province", data_dir)
    city = locate(lon, lat, "city", data_dir)
    placement = np.where(province != None, "inside", None)  # noqa: E711
    off = np.flatnonzero(province == None)  # noqa: E711
    if off.size:
        foreign = locate(lon[off], lat[off], "country", data_dir)
        shore = off[in_china(lon[off], lat[off]) & ((foreign == None) | (foreign == "CHN"))]  # noqa: E711
        province[shore] = _nearest(lon[shore], lat[shore], "province", data_dir)
        city[shore] = _nearest(lon[shore], lat[shore], "city", data_dir)
        placement[shore] = "shore"
    return province, city, placement


def join(
    catalog: Catalog,
    placed: pd.DataFrame | None = None,
    regions: list[Region] | None = None,
    gazetteer: Gazetteer | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Join each park to the province, prefecture and regions its point lies in.

    Parameters
    ----------
    catalog : Catalog
        The parks; geocoded with :func:`geoparks.geocode_catalog` unless
        ``placed`` is given.
    placed : pandas.DataFrame, optional
        The output of ``geocode_catalog(catalog)``, when already computed.
    regions : list of Region, optional
        The shipped regions by default.
    gazetteer : Gazetteer, optional
    data_dir : path, optional

    Returns
    -------
    geopandas.GeoDataFrame
        The placed parks with a point ``geometry`` (EPSG:4326) and:

        - ``province_adcode``, ``city_adcode``: the polygons the point lies in
          (None for a record abroad);
        - ``placement``: ``"inside"``, ``"shore"`` (see the module) or ``"abroad"``;
        - ``regions``: ids of every region that contains the point;
        - ``linked_regions``: regions the record declares without lying in them
          (a Hezhou park tied to the Greater Bay Area);
        - ``declared_regions``: the record's own ``regions`` list, as written;
        - ``partner_adcodes``: the partners that name a province or city.

    Raises
    ------
    JoinError
        Listing every record whose point lies in a province or city other than
        the one it states, lies in no province without a ``country``, lies in
        China though its ``country`` says otherwise, or declares an unknown region.

    Examples
    --------
    >>> from geoparks.catalog import load_catalog
    >>> parks = join(load_catalog())
    >>> parks.loc["hezhou-health-yungang-industrial-park", ["regions", "linked_regions"]].tolist()
    [[], ['greater-bay-area']]
    """
    gazetteer = gazetteer or Gazetteer.load()
    placed = geocode_catalog(catalog, gazetteer) if placed is None else placed
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    lon, lat = placed["lon"].to_numpy(float), placed["lat"].to_numpy(float)
    frame = gpd.GeoDataFrame(
        placed.rename(columns={"regions": "declared_regions"}),
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    province, city, placement = place_points(lon, lat, data_dir)
    abroad = np.array([
        isinstance(country, str) and country.strip().lower() not in _CHINA
        for country in frame.get("country", pd.Series(None, index=frame.index))
    ], dtype=bool)  # fmt: skip
    placement[(province == None) & abroad] = "abroad"  # noqa: E711
    frame["province_adcode"], frame["city_adcode"], frame["placement"] = province, city, placement

    polygons = region_polygons(regions, data_dir)
    inside = {park: [] for park in frame.index}
    park_index, region_index = shapely.STRtree(polygons.geometry.to_numpy()).query(
        frame.geometry.to_numpy(), predicate="within"
    )
    for p, r in sorted(zip(park_index, region_index, strict=True)):
        inside[frame.index[p]].append(polygons.index[r])
    frame["regions"] = [inside[park] for park in frame.index]
    frame["linked_regions"] = [
        [r for r in (declared or []) if r not in inside[park]]
        for park, declared in zip(frame.index, frame["declared_regions"], strict=True)
    ]
    frame["partner_adcodes"] = [_partners(p, gazetteer) for p in frame["partners"]]

    problems = _check(catalog, frame, abroad, gazetteer, {r.id for r in regions})
    if problems:
        raise JoinError(problems)
    return frame


def _nearest(
    lon: np.ndarray, lat: np.ndarray, level: BoundaryLevel, data_dir: str | os.PathLike[str] | None
) -> np.ndarray:
    if lon.size == 0:
        return np.array([], dtype=object)
    codes, tree = _index(level, settings.data_dir(data_dir))
    _, index = tree.query_nearest(shapely.points(lon, lat), all_matches=False)
    return codes[index]


def _partners(partners: list[str] | None, gazetteer: Gazetteer) -> list[str]:
    found = []
    for name in partners or []:
        match = gazetteer.resolve(name)
        if match.status == "ok" and match.place.level in ("province", "city"):
            found.append(match.place.adcode)
    return found


def _check(
    catalog: Catalog,
    frame: gpd.GeoDataFrame,
    abroad_flags: np.ndarray,
    gazetteer: Gazetteer,
    region_ids: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    names = {p.adcode: p.name_en for p in gazetteer.places if p.level in ("province", "city")}

    def named(code: str | None) -> str:
        return f"{names.get(code, code)} ({code})"

    for (park_id, park), abroad in zip(frame.iterrows(), abroad_flags, strict=True):

        def problem(message: str, value: object, expected: str) -> None:
            line = catalog.lines[park_id]  # noqa: B023
            problems.append(
                Problem(str(catalog.path), line, 1, f"record {park_id!r}: {message}",  # noqa: B023
                        str(value), expected)
            )  # fmt: skip

        where = f"({park['lat']:.5f}, {park['lon']:.5f})"
        country = park.get("country")
        for region in park["declared_regions"] or []:
            if region not in region_ids:
                problem("unknown region", region, "an id of the regions table: "
                        + ", ".join(sorted(region_ids)))  # fmt: skip
        if pd.isna(park["province_adcode"]):
            if not abroad:
                expected = "a point in China, or a `country` naming the country it lies in"
                problem(
                    f"its point {where} lies in no province (at sea or abroad)", where, expected
                )
            continue
        if abroad:
            problem(f"says it is in {country} but its point {where} lies in "
                    f"{named(park['province_adcode'])}", country,
                    "a point in that country, or no `country`")  # fmt: skip
            continue
        for level, column in (("province", "province_adcode"), ("city", "city_adcode")):
            stated = _stated(park, level, gazetteer)
            if stated is not None and stated != park[column]:
                expected = f"a point in {names.get(stated, stated)}, or the {level} it lies in"
                found = f"{named(park[column])}"
                problem(f"states {level} {named(stated)} but its point {where} lies in {found}",
                        park[level], expected)  # fmt: skip
    return problems


_CHINA = {"", "china", "cn", "chn", "prc", "中国"}


def _stated(park: pd.Series, level: str, gazetteer: Gazetteer) -> str | None:
    """Return the adcode of the province or city a record names clearly, else None."""
    text, province = park.get(level), park.get("province")
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        if level == "province":
            return gazetteer.hint(text, "province").adcode
        hint = province if isinstance(province, str) and province.strip() else None
        match = gazetteer.resolve(text, province=hint)
    except UnknownHintError:
        return None  # the geocoder already reported the record
    if match.status != "ok":
        return None
    return match.place.adcode if match.place.level == "city" else match.place.city or None
