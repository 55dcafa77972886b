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
from pyproj import Geod

from geoparks import rejects, settings
from geoparks.boundaries import BoundaryLevel, load_boundaries
from geoparks.bulk import many_objects
from geoparks.catalog import Catalog, as_catalog
from geoparks.datum import in_china
from geoparks.errors import CatalogError, Problem
from geoparks.gazetteer import Gazetteer, UnknownHintError
from geoparks.placing import geocode_catalog
from geoparks.regions import Region, load_regions, region_polygons
from geoparks.settings import BORDER_TOLERANCE_KM

__all__ = ["BORDER_TOLERANCE_KM", "JoinError", "join", "locate", "place_points"]


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
    points = _Points(lon.ravel(), lat.ravel())
    codes = np.full(points.size, None, dtype=object)
    point_index, polygon_index = points.within(tree)
    codes[point_index] = codes_of[polygon_index]
    return codes.reshape(lon.shape)


class _Points:
    """Points, as coordinates and (made when first asked for) geometries."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray) -> None:
        self.lon, self.lat, self.size = lon, lat, lon.size
        self._geometries: np.ndarray | None = None

    @property
    def geometries(self) -> np.ndarray:
        if self._geometries is None:
            self._geometries = shapely.points(self.lon, self.lat)
        return self._geometries

    def within(self, polygons: shapely.STRtree) -> tuple[np.ndarray, np.ndarray]:
        """Return (point, polygon) index pairs of each point inside a polygon of the index."""
        if self.size <= _FEW:
            point_index, polygon_index = polygons.query(self.geometries, predicate="within")
            return point_index, polygon_index
        # Many points: each (prepared) polygon tests the coordinates in its bounding box,
        # found by longitude in the sorted points; no point geometries, no point index.
        order = np.argsort(self.lon, kind="stable")
        ordered = self.lon[order]
        shapes = polygons.geometries
        bounds = shapely.bounds(shapes)
        firsts = np.searchsorted(ordered, bounds[:, 0], side="left")
        lasts = np.searchsorted(ordered, bounds[:, 2], side="right")
        points, found = [], []
        for k in range(len(shapes)):
            near = order[firsts[k] : lasts[k]]
            near = near[(self.lat[near] >= bounds[k, 1]) & (self.lat[near] <= bounds[k, 3])]
            inside = near[shapely.contains_xy(shapes[k], self.lon[near], self.lat[near])]
            points.append(inside)
            found.append(np.full(inside.size, k, dtype=np.intp))
        return np.concatenate(points), np.concatenate(found)


_FEW = 1_000


@cache
def _index(level: BoundaryLevel, folder: Path) -> tuple[np.ndarray, shapely.STRtree]:
    polygons = load_boundaries(level, folder)
    geometries = polygons.geometry.to_numpy()
    shapely.prepare(geometries)
    return polygons.index.to_numpy(), shapely.STRtree(geometries)


@cache
def _parents(folder: Path) -> dict[str, str]:
    return load_boundaries("city", folder)["parent"].to_dict()


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
    return _place(_Points(lon, lat), lon, lat, data_dir)


def _place(
    points: _Points, lon: np.ndarray, lat: np.ndarray, data_dir: str | os.PathLike[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes_of, tree = _index("city", settings.data_dir(data_dir))
    city = np.full(points.size, None, dtype=object)
    point_index, polygon_index = points.within(tree)
    city[point_index] = codes_of[polygon_index]
    parents = _parents(settings.data_dir(data_dir))
    # The provinces are the unions of their prefectures: a point's province is its city's.
    province = pd.Series(city, dtype=object).map(parents).to_numpy(dtype=object, copy=True)
    province[pd.isna(province)] = None
    placement = np.where(province != None, "inside", None)  # noqa: E711
    off = np.flatnonzero(province == None)  # noqa: E711
    if off.size:
        foreign = locate(lon[off], lat[off], "country", data_dir)
        shore = off[in_china(lon[off], lat[off]) & ((foreign == None) | (foreign == "CHN"))]  # noqa: E711
        province[shore] = _nearest(lon[shore], lat[shore], "province", data_dir)
        city[shore] = _nearest(lon[shore], lat[shore], "city", data_dir)
        placement[shore] = "shore"
    return province, city, placement


@many_objects()
def join(
    catalog: Catalog | pd.DataFrame,
    placed: pd.DataFrame | None = None,
    regions: list[Region] | None = None,
    gazetteer: Gazetteer | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    strict: bool = False,
    tolerance_km: float = BORDER_TOLERANCE_KM,
) -> gpd.GeoDataFrame:
    """Join each park to the province, prefecture and regions its point lies in.

    Parameters
    ----------
    catalog : Catalog or pandas.DataFrame
        The parks; geocoded with :func:`geoparks.geocode_catalog` unless
        ``placed`` is given. A frame is read as a catalog first
        (:meth:`Catalog.from_frame`): a layer geoparks exported, read back, joins again.
    placed : pandas.DataFrame, optional
        The output of ``geocode_catalog(catalog)``, when already computed.
    regions : list of Region, optional
        The shipped regions by default.
    gazetteer : Gazetteer, optional
    data_dir : path, optional
    strict : bool
        Raise if any record has a problem at any stage (its values, placing,
        the join), listing them all, instead of leaving it out.
    tolerance_km : float
        A point this close to the province or city its record states (a zone
        that straddles a border, a point a few metres across the Macao line)
        counts as in it, with ``placement`` ``"border"``.

    Returns
    -------
    geopandas.GeoDataFrame
        The placed parks with a point ``geometry`` (EPSG:4326) and:

        - ``province_adcode``, ``city_adcode``: the polygons the point lies in
          (the stated ones for a border point; None for a record abroad);
        - ``placement``: ``"inside"``, ``"border"``, ``"shore"`` (see the
          module) or ``"abroad"``;
        - ``regions``: ids of every region that contains the point;
        - ``linked_regions``: regions the record declares without lying in them
          (a Hezhou park tied to the Greater Bay Area);
        - ``declared_regions``: the record's own ``regions`` list, as written;
        - ``partner_adcodes``: the partners that name a province or city.

        Records left out are in :func:`geoparks.rejected` of the result: those
        of earlier stages, and those whose point lies in a province or city
        farther than ``tolerance_km`` from the one stated, in no province
        without a ``country``, in China though their ``country`` says otherwise,
        or that declare an unknown region.

    Raises
    ------
    JoinError
        With ``strict``, listing every problem of every stage.

    Examples
    --------
    >>> from geoparks.catalog import load_catalog
    >>> parks = join(load_catalog())
    >>> parks.loc["hezhou-health-yungang-industrial-park", ["regions", "linked_regions"]].tolist()
    [[], ['greater-bay-area']]
    """
    gazetteer = gazetteer or Gazetteer.load(data_dir)
    catalog = as_catalog(catalog)
    if placed is None:
        with rejects.unwarned():
            placed = geocode_catalog(catalog, gazetteer)
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    lon, lat = placed["lon"].to_numpy(float), placed["lat"].to_numpy(float)
    points = _Points(lon, lat)
    frame = gpd.GeoDataFrame(
        placed.rename(columns={"regions": "declared_regions"}),
        geometry=gpd.GeoSeries(points.geometries, index=placed.index, crs="EPSG:4326"),
        copy=False,  # the columns the join sets are new arrays
    )
    province, city, placement = _place(points, lon, lat, data_dir)
    country = frame.get("country", pd.Series(None, index=frame.index, dtype=object))
    abroad = _abroad(country)
    placement[(province == None) & abroad] = "abroad"  # noqa: E711
    frame["province_adcode"], frame["city_adcode"], frame["placement"] = province, city, placement

    polygons = region_polygons(regions, data_dir)
    shapes = polygons.geometry.to_numpy()
    shapely.prepare(shapes)
    park_index, region_index = points.within(shapely.STRtree(shapes))
    frame["regions"] = _lists(park_index, polygons.index.to_numpy()[region_index], len(frame))
    frame["linked_regions"] = [
        [r for r in declared if r not in inside] if declared else []
        for inside, declared in zip(frame["regions"], frame["declared_regions"], strict=True)
    ]
    partner_codes: dict[str, str | None] = {}
    frame["partner_adcodes"] = [
        _partners(p, gazetteer, partner_codes) if p else [] for p in frame["partners"]
    ]
    check = _Check(catalog, frame, abroad, gazetteer, data_dir, tolerance_km)
    problems = check.run({r.id for r in regions})
    if strict and (problems or rejects.problems(placed)):
        every = [*rejects.problems(placed), *problems]
        raise JoinError(sorted(every, key=lambda p: (p.file != str(catalog.path), p.line)))
    left_out = rejects.combine(
        rejects.rejected(placed),
        rejects.from_problems(problems, "join", check.records, check.extra),
    )
    kept = frame[~check.failed] if check.failed.any() else frame
    rejects.warn(catalog.path, len(kept), left_out[left_out["stage"].isin(["placing", "join"])])
    return rejects.carry(kept, left_out, [*rejects.problems(placed), *problems])


def _lists(rows: np.ndarray, values: np.ndarray, size: int) -> list[list[str]]:
    lists: list[list[str]] = [[] for _ in range(size)]
    order = np.lexsort((values.astype(str), rows))
    for row, value in zip(rows[order], values[order], strict=True):
        lists[row].append(value)
    return lists


def _abroad(country: pd.Series) -> np.ndarray:
    folded = country.map(lambda c: c.strip().lower() if isinstance(c, str) else "")
    return (~folded.isin(_CHINA)).to_numpy()


def _nearest(
    lon: np.ndarray, lat: np.ndarray, level: BoundaryLevel, data_dir: str | os.PathLike[str] | None
) -> np.ndarray:
    if lon.size == 0:
        return np.array([], dtype=object)
    codes, tree = _index(level, settings.data_dir(data_dir))
    _, index = tree.query_nearest(shapely.points(lon, lat), all_matches=False)
    return codes[index]


def _partners(
    partners: list[str] | None, gazetteer: Gazetteer, known: dict[str, str | None]
) -> list[str]:
    found = []
    for name in partners or []:
        if name not in known:
            match = gazetteer.resolve(name)
            fits = match.status == "ok" and match.place.level in ("province", "city")
            known[name] = match.place.adcode if fits else None
        if known[name] is not None:
            found.append(known[name])
    return found


class _Check:
    """The join's checks of every record, all at once, with the border tolerance."""

    def __init__(
        self,
        catalog: Catalog,
        frame: gpd.GeoDataFrame,
        abroad: np.ndarray,
        gazetteer: Gazetteer,
        data_dir: str | os.PathLike[str] | None,
        tolerance_km: float,
    ) -> None:
        self.catalog, self.frame, self.abroad = catalog, frame, abroad
        self.gazetteer, self.data_dir, self.tolerance = gazetteer, data_dir, tolerance_km
        self.problems: list[Problem] = []
        self.records: dict[int, tuple[object, object]] = {}
        self.extra: dict[int, dict[str, object]] = {}
        self.failed = np.zeros(len(frame), dtype=bool)
        self.names = {
            p.adcode: p.name_en for p in gazetteer.places if p.level in ("province", "city")
        }

    def named(self, code: object) -> str:
        return f"{self.names.get(code, code)} ({code})"  # type: ignore[arg-type]

    def problem(
        self, row: int, message: str, value: object, expected: str, reason: str, **extra: object
    ) -> None:
        park_id = self.frame.index[row]
        line = int(self.catalog.lines[park_id])
        park = self.frame.iloc[row]
        self.problems.append(
            Problem(str(self.catalog.path), line, 1, f"record {park_id!r}: {message}",
                    None if value is None else str(value), expected, reason=reason)
        )  # fmt: skip
        self.records[line] = (park_id, park["name"])
        self.extra.setdefault(line, {}).update(extra)
        self.failed[row] = True

    def where(self, row: int) -> str:
        return f"({self.frame['lat'].iat[row]:.5f}, {self.frame['lon'].iat[row]:.5f})"

    def run(self, region_ids: set[str]) -> list[Problem]:
        frame = self.frame
        for row, declared in enumerate(frame["declared_regions"]):
            for region in declared or []:
                if region not in region_ids:
                    self.problem(row, "unknown region", region, "an id of the regions table: "
                                 + ", ".join(sorted(region_ids)), "unknown_region")  # fmt: skip
        province = frame["province_adcode"].to_numpy(dtype=object)
        nowhere = np.flatnonzero(pd.isna(province) & ~self.abroad)
        if nowhere.size:
            self._nowhere(nowhere)
        for row in np.flatnonzero(~pd.isna(province) & self.abroad):
            self.problem(row, f"says it is in {frame['country'].iat[row]} but its point "
                         f"{self.where(row)} lies in {self.named(province[row])}",
                         frame["country"].iat[row], "a point in that country, or no `country`",
                         "not_abroad", lies_in=self.named(province[row]))  # fmt: skip
        inside = ~pd.isna(province) & ~self.abroad
        self._stated("province", inside)
        self._stated("city", inside & ~self.failed)
        return sorted(self.problems, key=lambda p: p.line)

    def _nowhere(self, rows: np.ndarray) -> None:
        lon, lat = self.frame["lon"].to_numpy(float), self.frame["lat"].to_numpy(float)
        swapped, _, _ = place_points(lat[rows], lon[rows], self.data_dir)
        expected = "a point in China, or a `country` naming the country it lies in"
        for row, other in zip(rows, swapped, strict=True):
            if other is not None:
                self.problem(
                    row,
                    f"its point {self.where(row)} lies in no province, but read "
                    f"the other way round it lies in {self.named(other)}: lat and lon "
                    "look swapped",
                    self.where(row),
                    expected,
                    "swapped_coordinates",
                )
            else:  # fmt: skip
                self.problem(row, f"its point {self.where(row)} lies in no province (at sea or "
                             "abroad)", self.where(row), expected, "outside_china")  # fmt: skip

    def _stated(self, level: str, rows: np.ndarray) -> None:
        """Check each record's point against the province or city it states."""
        frame = self.frame
        column = f"{level}_adcode"
        stated = self._stated_codes(level)
        found = frame[column].to_numpy(dtype=object)
        differs = rows & ~pd.isna(stated) & (stated != found)
        differs &= ~self.failed
        index = np.flatnonzero(differs)
        if index.size == 0:
            return
        distance = self._distance_km(index, stated[index], level)
        near = distance <= self.tolerance
        near_rows = index[near]
        if near_rows.size:
            frame.iloc[near_rows, frame.columns.get_loc(column)] = stated[near_rows]
            frame.iloc[near_rows, frame.columns.get_loc("placement")] = "border"
            if level == "province":
                lon = frame["lon"].to_numpy(float)[near_rows]
                lat = frame["lat"].to_numpy(float)[near_rows]
                cities = _nearest_within(lon, lat, stated[near_rows], self.data_dir)
                frame.iloc[near_rows, frame.columns.get_loc("city_adcode")] = cities
        for row, km in zip(index[~near], distance[~near], strict=True):
            target = self.names.get(stated[row], stated[row])
            self.problem(
                row,
                f"states {level} {self.named(stated[row])} but its point {self.where(row)} lies "
                f"in {self.named(found[row])}, {km:,.1f} km from {target}",
                frame[level].iat[row],
                f"a point in {target} or within {self.tolerance:g} km of it, or the {level} it "
                "lies in",
                f"wrong_{level}",
                lies_in=self.named(found[row]),
                distance_km=round(float(km), 3),
            )

    def _stated_codes(self, level: str) -> np.ndarray:
        """Return the adcode of the province or city each record names clearly, else None."""
        frame = self.frame
        text = frame[level].to_numpy(dtype=object) if level in frame else None
        if text is None:
            return np.full(len(frame), None, dtype=object)
        province = frame["province"].to_numpy(dtype=object)
        keys = list(zip(text, province if level == "city" else [None] * len(frame), strict=True))
        answers = {key: _stated(level, *key, self.gazetteer) for key in set(keys)}
        return np.array([answers[key] for key in keys], dtype=object)

    def _distance_km(self, rows: np.ndarray, codes: np.ndarray, level: str) -> np.ndarray:
        polygons = load_boundaries(level, self.data_dir).geometry
        lon = self.frame["lon"].to_numpy(float)[rows]
        lat = self.frame["lat"].to_numpy(float)[rows]
        shapes = polygons.reindex(codes).to_numpy()
        missing = pd.isna(shapes)
        lines = shapely.shortest_line(shapely.points(lon, lat), np.where(missing, None, shapes))
        coords = shapely.get_coordinates(lines[~missing]).reshape(-1, 2, 2)
        distance = np.full(rows.size, np.inf)
        if coords.size:
            _, _, metres = _GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0],
                                     coords[:, 1, 1])  # fmt: skip
            distance[~missing] = np.asarray(metres) / 1000
        return distance


_GEOD = Geod(ellps="WGS84")


def _nearest_within(
    lon: np.ndarray, lat: np.ndarray, provinces: np.ndarray, data_dir: str | os.PathLike[str] | None
) -> np.ndarray:
    """Return the nearest prefecture of the given province to each point."""
    cities = load_boundaries("city", data_dir)
    answer = np.full(lon.size, None, dtype=object)
    for code in set(provinces):
        mine = cities[cities["parent"] == code]
        rows = np.flatnonzero(provinces == code)
        if len(mine) == 0:
            continue
        tree = shapely.STRtree(mine.geometry.to_numpy())
        _, nearest = tree.query_nearest(shapely.points(lon[rows], lat[rows]), all_matches=False)
        answer[rows] = mine.index.to_numpy()[nearest]
    return answer


_CHINA = {"", "china", "cn", "chn", "prc", "中国"}


def _stated(level: str, text: object, province: object, gazetteer: Gazetteer) -> str | None:
    """Return the adcode of the province or city a record names clearly, else None."""
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
