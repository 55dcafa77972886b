"""Totals per province and per region, by kind: one tidy table for maps and notebooks.

>>> import geoparks
>>> from geoparks.joining import join
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
        The output of :func:`geoparks.join`.
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
    values = pd.DataFrame(
        {
            "kind": parks["kind"].astype(object).to_numpy(),
            "investment_cny": parks["investment_cny"].to_numpy(float),
            "area_km2": parks["area_km2"].to_numpy(float),
        }
    )
    provinces = _totals(values.assign(code=parks["province_adcode"].to_numpy(dtype=object)))
    provinces.insert(0, "relation", "inside")
    provinces = provinces.join(names, on="code")
    provinces.insert(0, "level", "province")
    order = {region.id: k for k, region in enumerate(regions)}
    tables = []
    for relation, column in (("inside", "regions"), ("linked", "linked_regions")):
        exploded = values.assign(code=parks[column].to_numpy(dtype=object)).explode("code")
        found = _totals(exploded[exploded["code"].isin(list(order))])
        found.insert(0, "relation", relation)
        tables.append(found)
    region_table = pd.concat(tables, ignore_index=True)
    region_table["name_en"] = region_table["code"].map({r.id: r.name_en for r in regions})
    region_table["name_zh"] = region_table["code"].map({r.id: r.name_zh for r in regions})
    region_table.insert(0, "level", "region")
    region_table = region_table.sort_values(
        by=["code", "relation"],
        key=lambda c: c.map(order) if c.name == "code" else c.map({"inside": 0, "linked": 1}),
        kind="stable",
    )
    table = pd.concat([provinces, region_table], ignore_index=True)[AGGREGATE_COLUMNS]
    return table.astype({"code": str, "parks": int, "investment_known": int, "area_known": int})


def _totals(values: pd.DataFrame) -> pd.DataFrame:
    """Count and sum per code, all kinds first, then each kind in alphabetical order."""
    values = values.dropna(subset=["code"])
    parts = []
    for keys in (["code"], ["code", "kind"]):
        grouped = values.groupby(keys, sort=False, dropna=True)
        part = pd.DataFrame(
            {
                "parks": grouped.size(),
                "investment_cny": grouped["investment_cny"].sum(min_count=1),
                "investment_known": grouped["investment_cny"].count(),
                "area_km2": grouped["area_km2"].sum(min_count=1),
                "area_known": grouped["area_km2"].count(),
            }
        ).reset_index()
        if keys == ["code"]:
            part.insert(1, "kind", "all")
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    rank = (table["kind"] != "all").astype(int)
    table = table.assign(_rank=rank).sort_values(["code", "_rank", "kind"], kind="stable")
    columns = ["code", "kind", "parks", "investment_cny", "investment_known", "area_km2",
               "area_known"]  # fmt: skip
    return table[columns].reset_index(drop=True)
