"""Named regions (the Greater Bay Area, the China-ASEAN zone...) and their polygons.

A region is a list of member units (provinces or prefecture-level cities, by
adcode) with the document that defines it; ``data/regions.csv`` holds them.
Its polygon is the dissolved union of its members' polygons.

>>> regions = load_regions()
>>> [r.id for r in regions][:2]
['greater-bay-area', 'china-asean']
>>> len(regions[0].members)
11
>>> frame = region_polygons(regions)
>>> frame.loc["hainan-ftp", "name_en"]
'Hainan Free Trade Port'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from geoparks import settings
from geoparks._csvtext import Cell, read_table
from geoparks.boundaries import load_boundaries
from geoparks.errors import CatalogError, Problem

__all__ = ["REGION_KINDS", "TAKEN_IDS", "Region", "load_regions", "region_polygons"]

REGION_KINDS = {
    "city_cluster": "a planned cluster of cities (城市群)",
    "cooperation_zone": "an industrial cooperation zone made of areas in several cities",
    "free_trade_zone": "a pilot free trade zone or free trade port",
}
"""The closed vocabulary of a region's ``kind``."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COLUMNS = ("id", "name_en", "name_zh", "kind", "members", "source", "source_date", "note")


@dataclass(frozen=True)
class Region:
    """One named region.

    Attributes
    ----------
    id : str
        Slug used by catalogs' ``regions`` column (``greater-bay-area``).
    name_en, name_zh : str
        Names.
    kind : str
        One of :data:`REGION_KINDS`.
    members : tuple of str
        Adcodes of the member provinces or prefecture-level cities.
    source : str
        The document that defines the region.
    source_date : datetime.date
        Its date.
    note : str
        What the source leaves open, and how the polygon approximates it.
    """

    id: str
    name_en: str
    name_zh: str
    kind: str
    members: tuple[str, ...]
    source: str
    source_date: dt.date
    note: str = ""

    @property
    def page(self) -> str:
        """The file name of the region's map: ``<id>.html``, a long id cut, with a stable hash."""
        if len(self.id) <= _LONGEST_NAME:
            return f"{self.id}.html"
        digest = hashlib.sha1(self.id.encode(), usedforsecurity=False).hexdigest()[:10]
        return f"{self.id[: _LONGEST_NAME - 11].rstrip('-')}-{digest}.html"


_LONGEST_NAME = 80  # the page's temporary file adds about 15 characters; file systems allow 255
TAKEN_IDS = ("index", "rejected", *settings.LAYERS)
"""Region ids refused: they name the overview page or a layer beside the region pages."""


def load_regions(
    path: str | os.PathLike[str] | None = None, data_dir: str | os.PathLike[str] | None = None
) -> list[Region]:
    """Read and check a regions table.

    Parameters
    ----------
    path : path, optional
        A regions CSV; the shipped ``data/regions.csv`` by default.
    data_dir : path, optional
        The data folder whose boundaries the members must name.

    Returns
    -------
    list of Region
        In file order.

    Raises
    ------
    CatalogError
        Listing every problem: a missing column, a duplicate id, an unknown kind,
        a member adcode that names no province or prefecture, a bad date.
    DataFileError
        When the file is missing.
    """
    path = Path(path) if path is not None else settings.data_dir(data_dir) / "regions.csv"
    file = str(path)
    header, rows, problems = read_table(path)
    names = [cell.value.strip() for cell in header]
    missing = [c for c in _COLUMNS if c not in names]
    if missing:
        raise CatalogError(
            [
                Problem(file, 1, 1, f"missing column {c!r}", None, ", ".join(_COLUMNS))
                for c in missing
            ]
        )
    known = _known_adcodes(data_dir)
    regions, seen = [], {}
    for row in rows:
        cells = dict(zip(names, row, strict=False))
        if len(cells) < len(names):
            continue  # read_table reported the short row
        region = _region(file, cells, known, seen, problems)
        if region is not None:
            regions.append(region)
    if problems:
        raise CatalogError(problems)
    return regions


def _region(
    file: str, cells: dict[str, Cell], known: set[str], seen: dict[str, int], problems: list
) -> Region | None:
    before = len(problems)

    def problem(cell: Cell, message: str, value: str, expected: str, offset: int = 0) -> None:
        problems.append(Problem(file, cell.line, cell.column + offset, message, value, expected))

    region_id = cells["id"].value.strip()
    if not region_id:
        problem(cells["id"], "empty id", region_id, "a slug such as greater-bay-area")
    elif not _SLUG.fullmatch(region_id):
        problem(
            cells["id"], "id is not a slug", region_id, "lower-case letters, digits and hyphens"
        )
    elif region_id in TAKEN_IDS:
        problem(cells["id"], "id names a file geoparks writes", region_id,
                f"another id ({', '.join(TAKEN_IDS)} are taken)")  # fmt: skip
    elif region_id in seen:
        problem(
            cells["id"],
            "duplicate region id",
            region_id,
            f"unique (first on line {seen[region_id]})",
        )
    seen.setdefault(region_id, cells["id"].line)
    kind = cells["kind"].value.strip()
    if kind not in REGION_KINDS:
        problem(cells["kind"], "unknown region kind", kind, " or ".join(REGION_KINDS))
    members = []
    text = cells["members"].value
    offset = 0
    for part in text.split(";"):
        code = part.strip()
        if code not in known:
            problem(
                cells["members"], "member names no province or prefecture-level city", code,
                "a 6-digit adcode from data/boundaries (e.g. 440100 for Guangzhou)",
                offset + len(part) - len(part.lstrip()),
            )  # fmt: skip
        members.append(code)
        offset += len(part) + 1
    try:
        date = dt.date.fromisoformat(cells["source_date"].value.strip())
    except ValueError:
        problem(cells["source_date"], "not a date", cells["source_date"].value, "YYYY-MM-DD")
    if not cells["source"].value.strip():
        problem(cells["source"], "no source", "", "the document that defines the region")
    if len(problems) > before:
        return None
    return Region(
        region_id, cells["name_en"].value.strip(), cells["name_zh"].value.strip(), kind,
        tuple(members), cells["source"].value.strip(), date, cells["note"].value.strip(),
    )  # fmt: skip


def _known_adcodes(data_dir: str | os.PathLike[str] | None) -> set[str]:
    return set(load_boundaries("province", data_dir).index) | set(
        load_boundaries("city", data_dir).index
    )


def region_polygons(
    regions: list[Region] | None = None, data_dir: str | os.PathLike[str] | None = None
) -> gpd.GeoDataFrame:
    """Each region's polygon: the dissolved union of its members.

    Parameters
    ----------
    regions : list of Region, optional
        The shipped regions by default.
    data_dir : path, optional
        The data folder whose boundaries to use.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by region id, with ``name_en``, ``name_zh``, ``kind``, ``members``
        (list of adcodes), ``source``, ``source_date`` (ISO string), ``note``; EPSG:4326.
    """
    regions = load_regions(data_dir=data_dir) if regions is None else regions
    units = load_boundaries("province", data_dir).geometry.to_dict()
    units.update(load_boundaries("city", data_dir).geometry.to_dict())
    records = [
        {
            "id": r.id, "name_en": r.name_en, "name_zh": r.name_zh, "kind": r.kind,
            "members": list(r.members), "source": r.source,
            "source_date": r.source_date.isoformat(), "note": r.note,
            "geometry": shapely.union_all([units[m] for m in r.members]),
        }
        for r in regions
    ]  # fmt: skip
    columns = ["id", "name_en", "name_zh", "kind", "members", "source", "source_date", "note"]
    frame = gpd.GeoDataFrame(records, columns=[*columns, "geometry"], crs="EPSG:4326")
    return frame.set_index("id")
