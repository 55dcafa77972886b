"""The maps: the overview of China and one map per region, as :class:`folium.Map` objects.

>>> import geoparks
>>> m = geoparks.overview_map()
>>> html = m.get_root().render()
>>> "<script src=" in html, 'rel="stylesheet"' in html  # all inlined
(False, False)
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geoparks import settings
from geoparks.boundaries import load_boundaries
from geoparks.catalog import Catalog, load_catalog
from geoparks.errors import GeoparksError
from geoparks.gazetteer import Gazetteer
from geoparks.joining import join
from geoparks.regions import Region, load_regions, region_polygons
from geoparks.rejects import rejected
from geoparks.render.page import GeoparksMap, JSONData, json_text
from geoparks.render.parks import LinkLayer, MapControls, ParkLayer, encode_links, encode_parks
from geoparks.render.polygons import (
    GREENS,
    ChoroplethLayer,
    PolygonLayer,
    count_text,
    money_text,
    polygon_data,
)
from geoparks.totals import aggregate

__all__ = [
    "HEADLINE_REGIONS",
    "MapData",
    "TilesError",
    "UnknownRegionError",
    "overview_map",
    "region_map",
]

HEADLINE_REGIONS = ("greater-bay-area", "china-asean")
"""Regions whose outlines the overview shows when it opens (the others can be switched on)."""


class UnknownRegionError(GeoparksError, LookupError):
    """A map was asked for a region that ``data/regions.csv`` does not define."""


class TilesError(GeoparksError, ValueError):
    """A basemap that folium does not know by name, or a tile URL without attribution."""


_REGION_COLORS = ("#c2185b", "#e65100", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f")
_CHINA = [[18.0, 73.5], [53.6, 135.1]]
_ASEAN_MAPS = ("china-asean",)


@dataclass(frozen=True)
class MapData:
    """What every map of one catalog shows, computed once: parks, regions, provinces.

    Give one to several :func:`overview_map` and :func:`region_map` calls (as
    ``parks``) so that they share the work, as :func:`geoparks.build` does.
    """

    parks: gpd.GeoDataFrame
    regions: list[Region]
    region_shapes: gpd.GeoDataFrame
    park_columns: dict[str, Any]
    links: dict[str, Any]
    provinces: gpd.GeoDataFrame
    province_shapes: dict[str, Any]
    province_totals: pd.DataFrame
    left_out: int = 0
    totals: pd.DataFrame | None = None

    @cached_property
    def region_topologies(self) -> dict[str, dict[str, Any]]:
        """Each region's outline as :func:`polygon_data`, made once for every page."""
        return {
            region.id: polygon_data(gpd.GeoSeries([self.region_shapes.geometry[region.id]]))
            for region in self.regions
        }

    @cached_property
    def park_text(self) -> str:
        """The packed parks as JSON text, made once for every page that shows them."""
        return json_text(self.park_columns)

    @classmethod
    def of(
        cls,
        parks: pd.DataFrame | Catalog | None = None,
        sources: pd.DataFrame | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        popup_fields: Sequence[str] | None = None,
    ) -> MapData:
        """Join a catalog (the shipped one by default) if needed, and pack it for maps.

        ``popup_fields`` chooses and orders what a park's popup shows (see
        :func:`geoparks.render.parks.encode_parks`).

        ``parks`` may be joined parks, a Catalog, or any frame a catalog can be
        made of (:meth:`Catalog.from_frame`), such as a layer geoparks exported
        and :func:`geoparks.read_export` or :func:`geopandas.read_file` read back.
        """
        regions = load_regions(data_dir=data_dir)
        if parks is None:
            parks = load_catalog()
        if isinstance(parks, pd.DataFrame) and not set(parks.columns) >= _JOINED:
            parks = Catalog.from_frame(parks, sources)
        if isinstance(parks, Catalog):
            sources = parks.sources if sources is None else sources
            parks = join(parks, regions=regions, data_dir=data_dir)
        gazetteer = Gazetteer.load(data_dir)
        names = {r.id: r.name_en for r in regions}
        provinces = load_boundaries("province", data_dir)
        table = aggregate(parks, regions, data_dir)
        totals = table.query("level == 'province' and relation == 'inside' and kind == 'all'")
        return cls(
            parks=parks,
            regions=regions,
            region_shapes=region_polygons(regions, data_dir),
            park_columns=encode_parks(parks, sources, gazetteer, names, popup_fields),
            links=encode_links(parks, gazetteer),
            provinces=provinces,
            province_shapes=_boundary_topology("province", settings.data_dir(data_dir)),
            province_totals=totals.set_index("code").reindex(provinces.index),
            left_out=len(rejected(parks)),
            totals=table,
        )


@cache
def _boundary_topology(level: str, folder: Path, *left_out: str) -> dict[str, Any]:
    """:func:`polygon_data` of a level of boundaries, made once per data folder."""
    return polygon_data(load_boundaries(level, folder).drop(index=list(left_out)).geometry)


_JOINED = {"lat", "lon", "geometry", "placement", "province_adcode", "regions", "linked_regions"}


def _base(
    bounds: list[list[float]], tiles: str | None, attr: str | None, inline: bool
) -> GeoparksMap:
    south_west, north_east = bounds
    center = [(south_west[0] + north_east[0]) / 2, (south_west[1] + north_east[1]) / 2]
    basemap = None
    if tiles:
        try:
            basemap = folium.TileLayer(tiles, attr=attr, max_zoom=18, control=False)
        except ValueError as error:
            raise TilesError(
                f"basemap {tiles!r}: {error} (expected a folium tile name such as "
                "'CartoDB positron', or an XYZ URL template with an attribution)"
            ) from None
    folium_map = GeoparksMap(
        location=center,
        zoom_start=4,
        min_zoom=3,
        max_zoom=18,
        tiles=basemap,
        control_scale=True,
        inline=inline,
    )
    MapControls(bounds).add_to(folium_map)
    return folium_map


def _choropleths(folium_map: GeoparksMap, data: MapData) -> None:
    totals = data.province_totals
    geometry = JSONData(data.province_shapes, "provinces")
    names = [f"{row.name_en} {row.name_zh}" for row in data.provinces.itertuples()]
    known = [
        f" ({int(k)} of {int(n)} parks state it)" if n else ""
        for k, n in zip(
            totals["investment_known"].fillna(0), totals["parks"].fillna(0), strict=True
        )
    ]
    ChoroplethLayer(
        geometry, names, totals["parks"], "Parks per province", count_text, empty="no parks",
        counts_parks=[str(code) for code in data.provinces.index],
    ).add_to(folium_map)  # fmt: skip
    ChoroplethLayer(
        geometry,
        names,
        totals["investment_cny"],
        "Stated investment per province",
        money_text,
        colors=GREENS,
        empty="none stated",
        show=False,
        tooltips=known,
    ).add_to(folium_map)


def _outlines(folium_map: GeoparksMap, data: MapData, shown: set[str], focus: str | None) -> None:
    polygons = data.region_shapes
    bounds = polygons.geometry.bounds
    middle = ((bounds.minx + bounds.maxx) / 2).mean()
    for k, region in enumerate(data.regions):
        shape = polygons.geometry[region.id]
        west, south, east, north = shape.bounds
        east_side = (west + east) / 2 >= middle
        color = _REGION_COLORS[k % len(_REGION_COLORS)]
        feature = {
            "style": {"color": color, "weight": 3.5 if region.id == focus else 2.5},
            "tooltip": f"{region.name_en} {region.name_zh}: {len(region.members)} member areas; "
            f"source: {region.source} ({region.source_date.isoformat()})",
            "label": region.name_en,
            "label_at": [east if east_side else west, (south + north) / 2],
            "label_side": "right" if east_side else "left",
        }
        geometry = JSONData(data.region_topologies[region.id], f"region-{region.id}")
        style = {
            "fill": True,
            "fillOpacity": 0.04,
            "dashArray": None if region.id == focus else "6 4",
        }
        PolygonLayer(
            geometry,
            [feature],
            f'<span style="color:{color}">■</span> {html.escape(region.name_en)}',
            style,
            label_class="gp-region",
            show=region.id in shown,
        ).add_to(folium_map)


def _countries(folium_map: GeoparksMap, data_dir: Any) -> None:
    countries = load_boundaries("country", data_dir).drop(index="CHN")
    geometry = JSONData(_boundary_topology("country", settings.data_dir(data_dir), "CHN"), "asean")
    features = [
        {
            "tooltip": f"{row.name_en} {row.name_zh}: ASEAN member",
            "label": row.name_en,
            "label_at": [point.x, point.y],
        }
        for row, point in zip(
            countries.itertuples(), countries.geometry.representative_point(), strict=True
        )
    ]
    style = {"color": "#8d6e63", "weight": 1, "fillColor": "#d7ccc8", "fillOpacity": 0.5}
    PolygonLayer(geometry, features, "ASEAN countries", style, label_class="gp-country").add_to(
        folium_map
    )


def _layers(
    folium_map: GeoparksMap, data: MapData, filter: dict[str, Any] | None = None
) -> GeoparksMap:
    initial = {"filter": filter} if filter else None
    park_layer = ParkLayer(
        data.park_columns, left_out=data.left_out, text=data.park_text, initial=initial
    )
    park_layer.add_to(folium_map)
    if data.links["targets"]:
        LinkLayer(park_layer, data.links).add_to(folium_map)
    folium.LayerControl(collapsed=False, position="topright").add_to(folium_map)
    return folium_map


def overview_map(
    parks: pd.DataFrame | Catalog | MapData | None = None,
    *,
    sources: pd.DataFrame | None = None,
    tiles: str | None = "OpenStreetMap",
    attr: str | None = None,
    inline: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
    filter: dict[str, Any] | None = None,
) -> GeoparksMap:
    """Map every park over all of China.

    Parameters
    ----------
    parks : GeoDataFrame, DataFrame, Catalog or MapData, optional
        Joined parks (:func:`geoparks.join`), a catalog to join (the shipped
        one by default), a frame to read as a catalog (an export read back),
        or :class:`MapData` shared by several maps.
    sources : pandas.DataFrame, optional
        The catalog's sources, for popups (taken from a Catalog if given one).
    tiles : str or None
        A folium tile name (``"OpenStreetMap"``, ``"CartoDB positron"``...) or
        an XYZ URL template (then give ``attr``); None for no basemap.
    attr : str, optional
        Attribution of a custom tile URL.
    inline : bool
        Inline every script and style (True) or link them from CDNs.
    data_dir : path, optional
        A data folder other than the shipped one.
    filter : dict, optional
        The filter the page opens with, as its ``geoparks.filter(spec)`` takes
        it (``{"kind": ["project"], "established": [2010, None]}``); a link
        with a filter in its URL wins. The page's filter panel changes it.

    Returns
    -------
    GeoparksMap
        A :class:`folium.Map`: it displays inline in Jupyter; ``save_map`` writes it.

    Examples
    --------
    >>> import folium
    >>> isinstance(overview_map(tiles=None), folium.Map)
    True
    """
    data = parks if isinstance(parks, MapData) else MapData.of(parks, sources, data_dir)
    folium_map = _base(_CHINA, tiles, attr, inline)
    _choropleths(folium_map, data)
    _outlines(folium_map, data, set(HEADLINE_REGIONS), None)
    return _layers(folium_map, data, filter)


def region_map(
    region: str,
    parks: pd.DataFrame | Catalog | MapData | None = None,
    *,
    sources: pd.DataFrame | None = None,
    tiles: str | None = "OpenStreetMap",
    attr: str | None = None,
    inline: bool = True,
    data_dir: str | os.PathLike[str] | None = None,
    filter: dict[str, Any] | None = None,
) -> GeoparksMap:
    """Map every park, framed on one region, with the region outlined.

    Parameters
    ----------
    region : str
        A region id from ``data/regions.csv`` (``"greater-bay-area"``...).
    parks, sources, tiles, attr, inline, data_dir, filter
        As for :func:`overview_map`.

    Returns
    -------
    GeoparksMap

    Raises
    ------
    UnknownRegionError
        If no region has that id.

    Examples
    --------
    >>> gba = region_map("greater-bay-area", tiles=None)
    >>> "Greater Bay Area" in gba.get_root().render()
    True
    """
    data = parks if isinstance(parks, MapData) else MapData.of(parks, sources, data_dir)
    ids = [r.id for r in data.regions]
    if region not in ids:
        raise UnknownRegionError(f"no region {region!r}; regions: {', '.join(ids)}")
    west, south, east, north = data.region_shapes.geometry[region].bounds
    folium_map = _base([[south, west], [north, east]], tiles, attr, inline)
    _choropleths(folium_map, data)
    if region in _ASEAN_MAPS:
        _countries(folium_map, data_dir)
    _outlines(folium_map, data, {region}, region)
    return _layers(folium_map, data, filter)
