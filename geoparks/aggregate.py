"""Totals per province and per region, by kind: one tidy table for maps and notebooks.

>>> import geoparks
>>> from geoparks.join import join
>>> table = aggregate(join(geoparks.load_catalog()))
>>> gba = table.query("level == 'region' and code == 'greater-bay-area' and kind == 'all'")
>>> gba.set_index("relation")["parks"].to_dict()
{'inside': 12, 'linked': 4}
"""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd

from geoparks.boundaries import load_boundaries
from geoparks.regions import Region, load_regions

__all__ = ["AGGREGATE_COLUMNS", "aggregate"]

AGGREGATE_COLUMNS = [
    "level", "code", "name_en", "name_zh", "relation", "kind",
    "parks", "investment_cny", "investment_known", "area_km2", "area_known",
]  # fmt: skip
"""The columns of :func:`aggregate`'s table, in order."""


def aggregate(
    parks: gpd.GeoDataFrame,
    regions: list[Region] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Count parks and sum their stated investment and area per province and region.

    Parameters
    ----------
    parks : geopandas.GeoDataFrame
        The output of :func:`geoparks.join.join`.
    regions : list of Region, optional
        The shipped regions by default.
    data_dir : path, optional
        A data folder other than the shipped one, for regions and province names.

    Returns
    -------
    pandas.DataFrame
        One row per (``level``, ``code``, ``relation``, ``kind``): ``level`` is
        ``"province"`` or ``"region"``; ``relation`` is ``"inside"`` (the parks
        lying in it) or, for regions, ``"linked"`` (parks that declare the region
        without lying in it); ``kind`` is a park kind or ``"all"``. ``parks``
        counts records; ``investment_cny`` and ``area_km2`` sum the stated values,
        and ``investment_known``/``area_known`` say how many records stated one.
        Units with no park are left out.

    Notes
    -----
    Sums add records as the catalog holds them: a cluster and a park inside it
    both count, so a total can exceed what was invested on the ground.
    """
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    names = load_boundaries("province", data_dir)[["name_en", "name_zh"]]
    rows = []
    by_province = parks.dropna(subset=["province_adcode"])
    for code, group in by_province.groupby("province_adcode", sort=True):
        rows += _rows("province", code, *names.loc[code], "inside", group)
    for region in regions:
        inside = parks[[region.id in r for r in parks["regions"]]]
        linked = parks[[region.id in r for r in parks["linked_regions"]]]
        for relation, group in (("inside", inside), ("linked", linked)):
            if len(group):
                rows += _rows("region", region.id, region.name_en, region.name_zh, relation, group)
    table = pd.DataFrame(rows, columns=AGGREGATE_COLUMNS)
    return table.astype({"parks": int, "investment_known": int, "area_known": int})


def _rows(
    level: str, code: str, name_en: str, name_zh: str, relation: str, group: pd.DataFrame
) -> list[list]:
    rows = []
    for kind, part in [("all", group), *sorted(group.groupby("kind"))]:
        rows.append([
            level, code, name_en, name_zh, relation, kind, len(part),
            part["investment_cny"].sum(min_count=1), int(part["investment_cny"].notna().sum()),
            part["area_km2"].sum(min_count=1), int(part["area_km2"].notna().sum()),
        ])  # fmt: skip
    return rows
