"""The main job: a catalog's maps and exports, written to one folder.

>>> import tempfile, geoparks
>>> with tempfile.TemporaryDirectory() as out:
...     names = sorted(p.name for p in geoparks.build(out=out))
>>> names[:4]
['beibu-gulf.html', 'china-asean.html', 'greater-bay-area.html', 'guangxi-ftz.html']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from geoparks import rejects
from geoparks.bulk import many_objects
from geoparks.catalog import Catalog, as_catalog
from geoparks.joining import BORDER_TOLERANCE_KM, join
from geoparks.layers import (
    LAYERS,
    check_formats,
    check_targets,
    export_layers,
    layer_files,
    moved,
    write_layers,
)
from geoparks.output import progress_bar, staged
from geoparks.regions import Region, load_regions
from geoparks.rejects import REJECTED_FILE, Written
from geoparks.render import MapData, overview_map, region_map, save_map

__all__ = ["build"]

log = logging.getLogger(__name__)


@many_objects()
def build(
    catalog: Catalog | pd.DataFrame | str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] = "maps",
    *,
    sources: str | os.PathLike[str] | None = None,
    formats: str | Sequence[str] = "geojson",
    tiles: str | None = "OpenStreetMap",
    attr: str | None = None,
    inline: bool = True,
    strict: bool = False,
    tolerance_km: float = BORDER_TOLERANCE_KM,
    data_dir: str | os.PathLike[str] | None = None,
    progress: bool | None = False,
    popup_fields: Sequence[str] | None = None,
) -> Written:
    """Write the overview, one map per region and the exports of a catalog.

    Every record that can be placed is mapped; the others are listed in
    ``rejected.csv`` in ``out`` (header only when none is), and the legend
    says how many are not shown.

    Parameters
    ----------
    catalog : Catalog, DataFrame or path, optional
        The shipped catalog by default.
    out : path
        The folder to write to (created if missing).
    sources : path, optional
        The catalog's sources table, if not ``sources.csv`` beside it.
    formats : str or sequence of str
        The export formats, as for :func:`geoparks.export`.
    tiles, attr, inline
        As for :func:`geoparks.overview_map`.
    strict : bool
        Raise on any problem of any record instead of leaving it out.
    tolerance_km : float
        As for :func:`geoparks.join`.
    data_dir : path, optional
        A data folder other than the shipped one.
    progress : bool or None
        Show a progress bar on stderr; ``None`` shows one on a terminal only.
    popup_fields : sequence of str, optional
        The fields a park's popup shows, in this order (see
        :data:`geoparks.render.parks.POPUP_FIELDS`, and the catalog's own
        columns); every field by default. The name and kind always show.

    Returns
    -------
    Written
        The files written: ``index.html``, ``<region id>.html`` for each region,
        the ``parks``, ``provinces`` and ``regions`` layers in each format, and
        ``rejected.csv``; with the count mapped and the records left out.

    Raises
    ------
    CatalogError
        If the catalog cannot be read at all, or with ``strict`` for any problem.
    """
    chosen = check_formats(formats)
    loaded = as_catalog(catalog, sources)
    regions = load_regions(data_dir=data_dir)
    folder = Path(out)
    pages = [folder / "index.html", *(folder / region.page for region in regions)]
    check_targets(loaded, [*pages, *layer_files(folder, LAYERS, chosen)])
    with rejects.unwarned():
        parks = join(
            loaded, regions=regions, data_dir=data_dir, strict=strict, tolerance_km=tolerance_km
        )
    options = {"tiles": tiles, "attr": attr, "inline": inline, "data_dir": data_dir}
    left_out = rejects.rejected(parks)
    bar = progress_bar(len(regions) + 1 + 3 * len(chosen), "build", progress)
    with staged(folder) as staging, bar:
        data = MapData.of(parks, loaded.sources, data_dir, popup_fields=popup_fields)
        written = _pages(data, regions, staging, options, bar)
        totals = data.totals
        del data  # the packed parks are large: let them go before the exports are made
        layers = export_layers(loaded, parks=parks, regions=regions, totals=totals,
                               data_dir=data_dir)  # fmt: skip
        written += write_layers(layers, staging, chosen, bar)
        written.append(rejects.write_rejected(left_out, staging / REJECTED_FILE))
    written = moved(written, folder)
    rejects.warn(loaded.path, len(parks), left_out, written[-1])
    return Written(written, len(parks), left_out, parks)


def _pages(
    data: MapData, regions: list[Region], folder: Path, options: dict[str, Any], bar: Any
) -> list[Path]:
    """Write the overview and each region's page, one page in memory at a time."""
    written = []
    for region in [None, *regions]:
        if region is None:
            page, name = overview_map(data, **options), "index.html"
        else:
            page, name = region_map(region.id, data, **options), region.page
        written.append(save_map(page, folder / name))
        bar.update()
    return written
