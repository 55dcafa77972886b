"""Interactive maps: folium pages with geoparks' own clustered park layer."""

from geoparks.render.maps import (
    HEADLINE_REGIONS,
    MapData,
    TilesError,
    UnknownRegionError,
    overview_map,
    region_map,
)
from geoparks.render.page import AssetError, GeoparksMap, save_map

__all__ = [
    "HEADLINE_REGIONS",
    "AssetError",
    "GeoparksMap",
    "MapData",
    "TilesError",
    "UnknownRegionError",
    "overview_map",
    "region_map",
    "save_map",
]
