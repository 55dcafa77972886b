"""The main job: a catalog's maps and GeoJSON exports, written to one folder.

>>> import tempfile, geoparks
>>> with tempfile.TemporaryDirectory() as out:
...     names = sorted(p.name for p in geoparks.build(out=out))
>>> names[:4]
['beibu-gulf.html', 'china-asean.html', 'greater-bay-area.html', 'guangxi-ftz.html']
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoparks.aggregate import aggregate
from geoparks.boundaries import load_boundaries
from geoparks.catalog import Catalog, load_catalog
from geoparks.export import write_geojson
from geoparks.join import join
from geoparks.regions import Region, load_regions, region_polygons
from geoparks.render import MapData, overview_map, region_map, save_map

__all__ = ["build", "province_totals", "region_totals"]

_MEASURES = ["parks", "investment_cny", "investment_known", "area_km2", "area_known"]


def _wide(table: pd.DataFrame, level: str, relation: str) -> pd.DataFrame:
    rows = table[(table["level"] == level) & (table["relation"] == relation)]
    totals = rows[rows["kind"] == "all"].set_index("code")[_MEASURES]
    by_kind = rows[rows["kind"] != "all"].pivot(index="code", columns="kind", values="parks")
    return totals.join(by_kind.add_prefix("parks_"), how="left")


def province_totals(
    parks: gpd.GeoDataFrame, data_dir: str | os.PathLike[str] | None = None
) -> gpd.GeoDataFrame:
    """Province polygons with their parks' totals (inside only), one row per province.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by adcode: names, ``parks``, ``investment_cny``,
        ``investment_known``, ``area_km2``, ``area_known`` and ``parks_<kind>``.
    """
    provinces = load_boundaries("province", data_dir)[["name_en", "name_zh", "geometry"]]
    wide = _wide(aggregate(parks), "province", "inside")
    counts = [c for c in wide.columns if c.startswith("parks") or c.endswith("_known")]
    joined = provinces.join(wide.rename(columns={"area_km2": "parks_area_km2"}))
    joined[counts] = joined[counts].fillna(0).astype(int)
    return joined


def region_totals(
    parks: gpd.GeoDataFrame,
    regions: list[Region] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Region polygons with the totals of the parks inside and of those linked to them."""
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    polygons = region_polygons(regions, data_dir)
    table = aggregate(parks, regions)
    inside = _wide(table, "region", "inside")[["parks", "investment_cny", "area_km2"]]
    linked = _wide(table, "region", "linked")[["parks"]]
    joined = polygons.join(inside.add_suffix("_inside")).join(linked.add_suffix("_linked"))
    counts = ["parks_inside", "parks_linked"]
    joined[counts] = joined[counts].fillna(0).astype(int)
    return joined


def build(
    catalog: Catalog | str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "maps",
    *,
    sources: str | os.PathLike[str] | None = None,
    tiles: str | None = "OpenStreetMap",
    attr: str | None = None,
    inline: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write the overview, one map per region and the GeoJSON exports for a catalog.

    Parameters
    ----------
    catalog : Catalog or path, optional
        The shipped catalog by default.
    out : path
        The folder to write to (created if missing).
    sources : path, optional
        The catalog's sources table, if not ``sources.csv`` beside it.
    tiles, attr, inline
        As for :func:`geoparks.overview_map`.
    data_dir : path, optional
        A data folder other than the shipped one.

    Returns
    -------
    list of Path
        The files written: ``index.html``, ``<region id>.html`` for each region,
        ``parks.geojson``, ``provinces.geojson`` and ``regions.geojson``.
    """
    loaded = catalog if isinstance(catalog, Catalog) else load_catalog(catalog, sources)
    regions = load_regions(data_dir=data_dir)
    parks = join(loaded, regions=regions, data_dir=data_dir)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    data = MapData.of(parks, loaded.sources, data_dir)
    options = {"tiles": tiles, "attr": attr, "inline": inline, "data_dir": data_dir}
    written = [save_map(overview_map(data, **options), folder / "index.html")]
    for region in regions:
        written.append(
            save_map(region_map(region.id, data, **options), folder / f"{region.id}.html")
        )
    exported = parks.drop(columns=["lat", "lon"])
    written.append(write_geojson(exported, folder / "parks.geojson"))
    written.append(write_geojson(province_totals(parks, data_dir), folder / "provinces.geojson"))
    written.append(
        write_geojson(region_totals(parks, regions, data_dir), folder / "regions.geojson")
    )
    return written
