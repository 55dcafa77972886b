"""geoparks: map China's industrial parks and regional cooperation zones.

The pipeline is a chain of plain functions: load and validate a catalog,
geocode it, join it with boundaries and regions, render maps, export.

>>> import geoparks
>>> catalog = geoparks.load_catalog()
>>> len(catalog.parks) > 20
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "geoparks.articles": ("Article", "ArticleError", "read_article"),
    "geoparks.batch": ("geocode_table",),
    "geoparks.boundaries": ("area_km2", "load_boundaries"),
    "geoparks.building": ("build",),
    "geoparks.catalog": ("Catalog", "RecordsLeftOutWarning", "load_catalog", "load_sources"),
    "geoparks.extraction": ("Candidate", "Extraction", "extract", "extract_many"),
    "geoparks.merging": ("MergeReport", "merge_files"),
    "geoparks.errors": ("CatalogError", "DataFileError", "GeoparksError", "Problem", "UnitError"),
    "geoparks.formats": ("FORMATS", "ExportError", "read_export", "write_layer"),
    "geoparks.gazetteer": ("Gazetteer", "Place", "UnknownHintError"),
    "geoparks.geocoding": (
        "AmbiguousPlaceError",
        "Geocode",
        "geocode",
        "geocode_park",
    ),
    "geoparks.offline": ("AmbiguousPlaceWarning", "OfflineGeocoder"),
    "geoparks.joining": ("BORDER_TOLERANCE_KM", "JoinError", "join", "locate", "place_points"),
    "geoparks.layers": ("LAYERS", "export", "export_layers", "province_totals", "region_totals"),
    "geoparks.placing": ("GeocodeError", "geocode_catalog"),
    "geoparks.regions": ("Region", "load_regions", "region_polygons"),
    "geoparks.rejects": ("rejected",),
    "geoparks.render": (
        "AssetError",
        "GeoparksMap",
        "MapData",
        "MergeReport",
        "TilesError",
        "UnknownRegionError",
        "overview_map",
        "region_map",
        "save_map",
    ),
    "geoparks.schema": ("COLUMNS", "HEADERS", "KIND_NAMES", "KINDS", "STATUS_NAMES", "STATUSES"),
    "geoparks.summary": ("summarize",),
    "geoparks.totals": ("aggregate",),
    "geoparks.units": (
        "Area",
        "Money",
        "find_areas",
        "find_dates",
        "find_money",
        "format_area",
        "format_money",
        "parse_area",
        "parse_date",
        "parse_money",
    ),
    "geoparks.validation": ("Validation", "validate"),
}
# Names are imported on first use, so that `geoparks --help` or a geocode does
# not pay for geopandas and folium.
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:
    from geoparks.articles import Article, ArticleError, read_article
    from geoparks.batch import geocode_table
    from geoparks.boundaries import area_km2, load_boundaries
    from geoparks.building import build
    from geoparks.catalog import Catalog, RecordsLeftOutWarning, load_catalog, load_sources
    from geoparks.errors import CatalogError, DataFileError, GeoparksError, Problem, UnitError
    from geoparks.extraction import Candidate, Extraction, extract, extract_many
    from geoparks.formats import FORMATS, ExportError, read_export, write_layer
    from geoparks.gazetteer import Gazetteer, Place, UnknownHintError
    from geoparks.geocoding import (
        AmbiguousPlaceError,
        Geocode,
        geocode,
        geocode_park,
    )
    from geoparks.joining import BORDER_TOLERANCE_KM, JoinError, join, locate, place_points
    from geoparks.layers import LAYERS, export, export_layers, province_totals, region_totals
    from geoparks.merging import MergeReport, merge_files
    from geoparks.offline import AmbiguousPlaceWarning, OfflineGeocoder
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
    from geoparks.totals import aggregate
    from geoparks.units import (
        Area,
        Money,
        find_areas,
        find_dates,
        find_money,
        format_area,
        format_money,
        parse_area,
        parse_date,
        parse_money,
    )
    from geoparks.validation import Validation, validate


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'geoparks' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geoparks")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


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
    "Article",
    "ArticleError",
    "AssetError",
    "Candidate",
    "Catalog",
    "CatalogError",
    "DataFileError",
    "ExportError",
    "Extraction",
    "Gazetteer",
    "Geocode",
    "GeocodeError",
    "GeoparksError",
    "GeoparksMap",
    "JoinError",
    "MapData",
    "MergeReport",
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
    "extract",
    "extract_many",
    "find_areas",
    "find_dates",
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
    "merge_files",
    "overview_map",
    "parse_area",
    "parse_date",
    "parse_money",
    "place_points",
    "province_totals",
    "read_article",
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
