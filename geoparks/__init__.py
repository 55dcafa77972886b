"""geoparks: map China's industrial parks and regional cooperation zones.

The pipeline is a chain of plain functions: load and validate a catalog,
geocode it, join it with boundaries and regions, render maps, export.

>>> import geoparks
>>> catalog = geoparks.load_catalog()
>>> len(catalog.parks) > 20
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("geoparks")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

from geoparks.aggregate import aggregate
from geoparks.batch import geocode_table
from geoparks.boundaries import area_km2, load_boundaries
from geoparks.build import build
from geoparks.catalog import Catalog, RecordsLeftOutWarning, load_catalog, load_sources
from geoparks.errors import CatalogError, DataFileError, GeoparksError, Problem, UnitError
from geoparks.export import FORMATS, ExportError, read_export, write_layer
from geoparks.gazetteer import Gazetteer, Place, UnknownHintError
from geoparks.geocoding import (
    AmbiguousPlaceError,
    AmbiguousPlaceWarning,
    Geocode,
    OfflineGeocoder,
    geocode,
    geocode_park,
)
from geoparks.join import BORDER_TOLERANCE_KM, JoinError, join, locate, place_points
from geoparks.layers import LAYERS, export, export_layers, province_totals, region_totals
from geoparks.placing import GeocodeError, geocode_catalog
from geoparks.regions import Region, load_regions, region_polygons
from geoparks.rejects import rejected
from geoparks.render import (
    AssetError,
    GeoparksMap,
    MapData,
    TilesError,
    UnknownRegionError,
    overview_map,
    region_map,
    save_map,
)
from geoparks.schema import COLUMNS, HEADERS, KIND_NAMES, KINDS, STATUS_NAMES, STATUSES
from geoparks.summary import summarize
from geoparks.units import (
    Area,
    Money,
    find_areas,
    find_money,
    format_area,
    format_money,
    parse_area,
    parse_date,
    parse_money,
)
from geoparks.validation import Validation, validate

__all__ = [
    "BORDER_TOLERANCE_KM",
    "COLUMNS",
    "FORMATS",
    "HEADERS",
    "KINDS",
    "KIND_NAMES",
    "LAYERS",
    "STATUSES",
    "STATUS_NAMES",
    "AmbiguousPlaceError",
    "AmbiguousPlaceWarning",
    "Area",
    "AssetError",
    "Catalog",
    "CatalogError",
    "DataFileError",
    "ExportError",
    "Gazetteer",
    "Geocode",
    "GeocodeError",
    "GeoparksError",
    "GeoparksMap",
    "JoinError",
    "MapData",
    "Money",
    "OfflineGeocoder",
    "Place",
    "Problem",
    "RecordsLeftOutWarning",
    "Region",
    "TilesError",
    "UnitError",
    "UnknownHintError",
    "UnknownRegionError",
    "Validation",
    "__version__",
    "aggregate",
    "area_km2",
    "build",
    "export",
    "export_layers",
    "find_areas",
    "find_money",
    "format_area",
    "format_money",
    "geocode",
    "geocode_catalog",
    "geocode_park",
    "geocode_table",
    "join",
    "load_boundaries",
    "load_catalog",
    "load_regions",
    "load_sources",
    "locate",
    "overview_map",
    "parse_area",
    "parse_date",
    "parse_money",
    "place_points",
    "province_totals",
    "read_export",
    "region_map",
    "region_polygons",
    "region_totals",
    "rejected",
    "save_map",
    "summarize",
    "validate",
    "write_layer",
]
