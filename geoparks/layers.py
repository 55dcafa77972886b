"""The three exported layers: parks (points), provinces and regions (polygons) with totals.

Each layer is a GeoDataFrame in WGS-84 with an ``id`` column and the column
types of :data:`geoparks.formats.COLUMN_TYPES`, exactly as the exports hold it.

>>> import geoparks
>>> layers = geoparks.export_layers()
>>> {name: len(frame) for name, frame in layers.items()}
{'parks': 29, 'provinces': 34, 'regions': 5}
>>> layers["regions"].set_index("id").loc["greater-bay-area", ["parks_inside", "parks_linked"]]
parks_inside    12
parks_linked     4
Name: greater-bay-area, dtype: int64
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from geoparks import rejects
from geoparks.boundaries import load_boundaries
from geoparks.bulk import many_objects
from geoparks.catalog import Catalog, as_catalog
from geoparks.formats import FORMATS, ExportError, check_formats, with_id, write_conformed
from geoparks.joining import BORDER_TOLERANCE_KM, join
from geoparks.output import progress_bar, staged
from geoparks.regions import Region, load_regions, region_polygons
from geoparks.rejects import REJECTED_FILE, Written, carry, problems, rejected, write_rejected
from geoparks.schema import KINDS
from geoparks.settings import LAYERS
from geoparks.totals import aggregate

__all__ = [
    "LAYERS",
    "check_targets",
    "export",
    "export_layers",
    "layer_files",
    "moved",
    "park_layer",
    "province_totals",
    "region_totals",
    "write_layers",
]

log = logging.getLogger(__name__)

_MEASURES = ["parks", "investment_cny", "investment_known", "area_km2", "area_known"]


def _wide(table: pd.DataFrame, level: str, relation: str) -> pd.DataFrame:
    rows = table[(table["level"] == level) & (table["relation"] == relation)]
    totals = rows[rows["kind"] == "all"].set_index("code")[_MEASURES]
    by_kind = rows[rows["kind"] != "all"].pivot(index="code", columns="kind", values="parks")
    by_kind = by_kind.reindex(columns=[*KINDS, *sorted(set(by_kind.columns) - set(KINDS))])
    return totals.join(by_kind.add_prefix("parks_"), how="left")


def park_layer(parks: gpd.GeoDataFrame, sources: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Make the parks layer: joined parks with their source article's title, date and link.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The output of :func:`geoparks.join`.
    sources : pandas.DataFrame, optional
        The catalog's sources (:attr:`Catalog.sources`), indexed by id.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per park; ``lat`` and ``lon`` are left to the geometry.
    """
    layer = parks.drop(columns=["lat", "lon"])
    if sources is not None and len(sources):
        articles = sources[["title", "published", "url"]].add_prefix("source_")
        layer = layer.join(articles, on="source")
    return with_id(layer)


def province_totals(
    parks: gpd.GeoDataFrame, data_dir: str | os.PathLike[str] | None = None
) -> gpd.GeoDataFrame:
    """Province polygons with their parks' totals (inside only), one row per province.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id`` (the adcode), names, ``parks``, ``investment_cny``,
        ``investment_known``, ``parks_area_km2``, ``area_known`` and
        ``parks_<kind>`` for every kind.
    """
    return _province_layer(aggregate(parks, data_dir=data_dir), data_dir)


def region_totals(
    parks: gpd.GeoDataFrame,
    regions: list[Region] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """Region polygons with the totals of the parks inside and of those linked to them."""
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    return _region_layer(aggregate(parks, regions, data_dir), regions, data_dir)


def _province_layer(
    table: pd.DataFrame, data_dir: str | os.PathLike[str] | None
) -> gpd.GeoDataFrame:
    provinces = load_boundaries("province", data_dir)[["name_en", "name_zh", "geometry"]]
    wide = _wide(table, "province", "inside")
    counts = [c for c in wide.columns if c.startswith("parks") or c.endswith("_known")]
    joined = provinces.join(wide.rename(columns={"area_km2": "parks_area_km2"}))
    joined[counts] = joined[counts].fillna(0).astype(int)
    return with_id(joined)


def _region_layer(
    table: pd.DataFrame, regions: list[Region], data_dir: str | os.PathLike[str] | None
) -> gpd.GeoDataFrame:
    polygons = region_polygons(regions, data_dir)
    inside = _wide(table, "region", "inside")[["parks", "investment_cny", "area_km2"]]
    linked = _wide(table, "region", "linked")[["parks"]]
    joined = polygons.join(inside.add_suffix("_inside")).join(linked.add_suffix("_linked"))
    counts = ["parks_inside", "parks_linked"]
    joined[counts] = joined[counts].fillna(0).astype(int)
    return with_id(joined)


@many_objects()
def export_layers(
    catalog: Catalog | pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    sources: str | os.PathLike[str] | None = None,
    parks: gpd.GeoDataFrame | None = None,
    regions: list[Region] | None = None,
    layers: Sequence[str] = LAYERS,
    strict: bool = False,
    tolerance_km: float = BORDER_TOLERANCE_KM,
    totals: pd.DataFrame | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Make the parks, provinces and regions layers of a catalog, ready to export.

    Parameters
    ----------
    catalog : Catalog, DataFrame or path, optional
        The shipped catalog by default; a frame (such as an export read back)
        is read as a catalog.
    sources : path, optional
        The catalog's sources table, if not ``sources.csv`` beside it.
    parks : geopandas.GeoDataFrame, optional
        The catalog already joined (:func:`geoparks.join`), to skip joining again.
    regions : list of Region, optional
        The shipped regions by default.
    layers : sequence of str
        Which of ``"parks"``, ``"provinces"`` and ``"regions"`` to make.
    strict, tolerance_km
        As for :func:`geoparks.join`.
    totals : pandas.DataFrame, optional
        ``aggregate(parks, regions)``, when already computed.
    data_dir : path, optional
        A data folder other than the shipped one.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        ``{"parks": ..., "provinces": ..., "regions": ...}``, in that order;
        each carries the records left out (:func:`geoparks.rejected`).

    Raises
    ------
    ExportError
        For an unknown layer name.
    """
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise ExportError(
            f"unknown layer {', '.join(map(repr, unknown))} (expected any of {', '.join(LAYERS)})"
        )
    loaded = as_catalog(catalog, sources)
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    if parks is None:
        with rejects.unwarned():
            parks = join(
                loaded, regions=regions, data_dir=data_dir, strict=strict,
                tolerance_km=tolerance_km,
            )  # fmt: skip
        rejects.warn(loaded.path, len(parks), rejected(parks))
    made = {}
    if "parks" in layers:
        made["parks"] = park_layer(parks, loaded.sources)
    if "provinces" in layers or "regions" in layers:
        table = aggregate(parks, regions, data_dir) if totals is None else totals
        if "provinces" in layers:
            made["provinces"] = _province_layer(table, data_dir)
        if "regions" in layers:
            made["regions"] = _region_layer(table, regions, data_dir)
    for frame in made.values():
        carry(frame, rejected(parks), problems(parks))
    return made


def check_targets(catalog: Catalog, targets: Sequence[Path]) -> None:
    """Refuse, before anything is written, to write over the catalog being read.

    Raises
    ------
    ExportError
        If a target is the catalog's own file (``parks.csv`` exported as CSV
        into the catalog's folder, say).
    """
    source = Path(catalog.path)
    if not source.is_file():
        return
    for target in targets:
        if target.exists() and target.resolve() == source.resolve():
            raise ExportError(
                f"{target}: this is the catalog being read; write to another folder (--out)"
            )


def layer_files(out: Path, layers: Sequence[str], formats: Sequence[str]) -> list[Path]:
    """Return every file that writing ``layers`` in ``formats`` into ``out`` makes."""
    files = [out / f"{name}{FORMATS[f]}" for f in formats for name in layers]
    files += [f.with_suffix(s) for f in files if f.suffix == ".csv" for s in (".csvt", ".prj")]
    return [*files, out / REJECTED_FILE]


def write_layers(
    layers: dict[str, gpd.GeoDataFrame],
    out: str | os.PathLike[str],
    formats: str | Sequence[str] = "geojson",
    progress: tqdm | None = None,
) -> list[Path]:
    """Write each layer of :func:`export_layers` as ``out/<name>.<suffix>`` in each format.

    The layers are written as they are: they are in their exported form already.
    Returns the files written.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for format in check_formats(formats):
        for name, frame in layers.items():
            paths = write_conformed(frame, folder / f"{name}{FORMATS[format]}", format, layer=name)
            log.debug("made %s (%d features)", paths[-1], len(frame))
            written += paths
            if progress is not None:
                progress.update()
    return written


def moved(staged_files: list[Path], out: Path) -> list[Path]:
    """Return where staged files now are, in ``out``, and say so (``-v``)."""
    files = [out / path.name for path in staged_files]
    for path in files:
        log.info("wrote %s", path)
    return files


@many_objects()
def export(
    catalog: Catalog | pd.DataFrame | str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "exports",
    formats: str | Sequence[str] = "geojson",
    *,
    layers: Sequence[str] = LAYERS,
    sources: str | os.PathLike[str] | None = None,
    strict: bool = False,
    tolerance_km: float = BORDER_TOLERANCE_KM,
    data_dir: str | os.PathLike[str] | None = None,
    progress: bool | None = False,
) -> Written:
    """Export a catalog's parks, provinces and regions layers to files.

    Parameters
    ----------
    catalog : Catalog or path, optional
        The shipped catalog by default.
    out : path
        The folder to write to (created if missing). Each layer is written to
        ``<layer>.geojson``, ``.parquet``, ``.csv`` (with ``.csvt`` and ``.prj``)
        or ``.gpkg``, atomically: an interrupted export leaves the previous file.
    formats : str or sequence of str
        Any of ``"geojson"`` (RFC 7946), ``"parquet"`` (GeoParquet 1.1),
        ``"csv"`` (geometry as WKT) and ``"gpkg"`` (GeoPackage).
    layers : sequence of str
        Which of ``"parks"``, ``"provinces"`` and ``"regions"`` to write.
    sources, strict, tolerance_km, data_dir
        As for :func:`export_layers`.
    progress : bool or None
        Show a progress bar on stderr; ``None`` shows one on a terminal only.

    Returns
    -------
    Written
        The files written (with ``rejected.csv``, the records left out), the
        count mapped and the records left out.

    Raises
    ------
    ExportError
        For an unknown format or layer, before anything is written.

    Examples
    --------
    >>> import tempfile, geoparks
    >>> with tempfile.TemporaryDirectory() as out:
    ...     files = export(out=out, formats=["parquet", "gpkg"], layers=["regions"])
    ...     regions = geoparks.read_export(files[0])
    >>> [f.name for f in files], len(regions)
    (['regions.parquet', 'regions.gpkg', 'rejected.csv'], 5)
    """
    chosen = check_formats(formats)
    loaded = as_catalog(catalog, sources)
    check_targets(loaded, layer_files(Path(out), layers, chosen))
    regions = load_regions(data_dir=data_dir)
    with rejects.unwarned():
        parks = join(
            loaded, regions=regions, data_dir=data_dir, strict=strict, tolerance_km=tolerance_km
        )
    made = export_layers(loaded, parks=parks, regions=regions, layers=layers, data_dir=data_dir)
    left_out = rejected(parks)
    bar = progress_bar(len(chosen) * len(made), "export", progress)
    with staged(out) as staging, bar:
        written = write_layers(made, staging, chosen, bar)
        written.append(write_rejected(left_out, staging / REJECTED_FILE))
    written = moved(written, Path(out))
    rejects.warn(loaded.path, len(parks), left_out, written[-1])
    return Written(written, len(parks), left_out, parks)
