"""The catalog's columns: what each holds, its vocabulary, and how a cell is read.

Cell parsers take the text of a CSV cell and return a typed value (None or
NaN when empty) or raise :class:`InvalidValue` saying what was expected.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from geoparks import units
from geoparks.errors import UnitError

__all__ = [
    "CJK",
    "COLUMNS",
    "COMPUTED",
    "CRS_NAMES",
    "HEADERS",
    "KINDS",
    "KIND_NAMES",
    "NUMERIC",
    "PLAIN_NUMBER",
    "RESERVED",
    "STATUSES",
    "STATUS_NAMES",
    "Column",
    "InvalidValue",
    "canonical_header",
    "read_choice",
    "slugify",
]

KINDS: Mapping[str, str] = {
    "industrial_park": "a bounded park hosting firms: industrial, science and technology, "
    "urban industrial parks and 'industrial cities'",
    "development_zone": "an economic and technological development zone or a similar zone "
    "run by a management committee",
    "high_tech_zone": "a national or provincial high-tech industrial development zone",
    "cooperation_zone": "a zone built jointly by two or more places, or for cross-border "
    "cooperation",
    "industrial_cluster": "a planned cluster spanning several parks",
    "new_district": "a city's new district (新区), an urban and industrial platform",
    "pilot_zone": "a pilot or demonstration zone for a policy or an industry",
    "free_trade_zone": "a pilot free trade zone, free trade port or bonded area",
    "project": "one major investment project or production base, or a stated batch of them",
    "office": "a liaison or investment-promotion office tying a place to a region",
}
"""The closed vocabulary of ``kind``, each with what it covers."""

STATUSES: Mapping[str, str] = {
    "planned": "announced or planned, construction not started",
    "under_construction": "construction started, not yet in operation",
    "partly_operating": "some phases or firms in operation, construction going on",
    "operating": "in operation",
    "unreviewed": "proposed by ``geoparks extract`` from an article, not yet checked by a person",
}
"""The closed vocabulary of ``status``."""

KIND_NAMES: Mapping[str, str] = {
    # The official zone types (中国开发区审核公告目录) and their usual short forms.
    **dict.fromkeys(
        ["经济技术开发区", "经开区", "经济开发区", "开发区", "其他类型开发区", "工业开发区",
         "economic and technological development zone", "etdz", "development zone",
         "economic development zone"],
        "development_zone",
    ),
    **dict.fromkeys(
        ["高新技术产业开发区", "高新技术开发区", "高新技术产业园区", "高新区", "高新技术园区",
         "high tech zone", "high tech industrial development zone", "hidz",
         "high tech development zone", "high tech industrial zone"],
        "high_tech_zone",
    ),
    **dict.fromkeys(
        ["海关特殊监管区域", "综合保税区", "保税区", "保税港区", "出口加工区", "保税物流园区",
         "跨境工业区", "自由贸易试验区", "自贸试验区", "自贸区", "自由贸易港", "自由贸易区",
         "free trade zone", "pilot free trade zone", "free trade port", "bonded zone",
         "comprehensive bonded zone", "bonded port area", "export processing zone",
         "bonded logistics park"],
        "free_trade_zone",
    ),
    **dict.fromkeys(
        ["边境经济合作区", "跨境经济合作区", "边境/跨境经济合作区", "经济合作区", "合作区",
         "产业合作区", "合作园区", "cooperation zone", "border economic cooperation zone",
         "cross border economic cooperation zone", "industrial cooperation zone"],
        "cooperation_zone",
    ),
    **dict.fromkeys(
        ["工业园区", "产业园区", "特色工业园区", "工业园", "产业园", "工业集中区", "科技园",
         "industrial park", "science park", "technology park", "industrial zone",
         "science and technology park", "industrial city"],
        "industrial_park",
    ),
    **dict.fromkeys(["国家级新区", "新区", "new area", "new district"], "new_district"),
    **dict.fromkeys(
        ["试验区", "示范区", "先行区", "先导区", "试点区", "pilot zone", "demonstration zone"],
        "pilot_zone",
    ),
    **dict.fromkeys(["产业集群", "集群", "industrial cluster", "cluster"], "industrial_cluster"),
    **dict.fromkeys(["项目", "基地", "生产基地", "project", "base"], "project"),
    **dict.fromkeys(["办事处", "联络处", "office", "liaison office"], "office"),
}  # fmt: skip
"""Names of zone types, in Chinese and English, and the ``kind`` each is read as.

A value is matched exactly or by the longest name that ends it, after a level
prefix (国家级, 省级...): 国家级经济技术开发区 is a development_zone, 综合保税区
a free_trade_zone.
"""

STATUS_NAMES: Mapping[str, str] = {
    **dict.fromkeys(
        ["运营", "运营中", "已运营", "投产", "已投产", "建成", "已建成", "在运营", "operational",
         "in operation", "completed", "open"],
        "operating",
    ),
    **dict.fromkeys(["部分投产", "部分运营", "partly operational", "partially operating"],
                    "partly_operating"),
    **dict.fromkeys(["在建", "建设中", "施工中", "开工", "under construction", "construction"],
                    "under_construction"),
    **dict.fromkeys(["规划", "规划中", "拟建", "筹建", "计划", "proposed", "announced", "planning"],
                    "planned"),
}  # fmt: skip
"""Names of statuses, in Chinese and English, and the ``status`` each is read as."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ID = re.compile(r"[^\W_](?:[\w.-]*[^\W_])?")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_URL = re.compile(r"https?://\S+")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class InvalidValue(Exception):
    """A cell's text is not a valid value for its column."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.message, self.expected = message, expected


def _text(raw: str) -> str | None:
    return raw.strip() or None


def _id(raw: str) -> str | None:
    value = raw.strip()
    if value and not _ID.fullmatch(value):
        raise InvalidValue(
            "not a valid id",
            "letters, digits, '-', '_' and '.', starting and ending in a letter or digit",
        )
    return value or None


def _zh(raw: str) -> str | None:
    value = raw.strip()
    if value and not CJK.search(value):
        raise InvalidValue("name_zh has no Chinese characters", "a name in Chinese characters")
    return value or None


def _choice(vocabulary: Mapping[str, str], names: Mapping[str, str]) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        value = raw.strip()
        if not value:
            return None
        found = read_choice(value, vocabulary, names)
        if found is None:
            close = difflib.get_close_matches(value, list(vocabulary), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InvalidValue("unknown value", hint + "one of " + ", ".join(vocabulary))
        return found

    return parse


_LEVEL_PREFIX = re.compile(r"^(?:国家级|省级|自治区级|市级|县级|国家|省)")


def read_choice(value: str, vocabulary: Mapping[str, str], names: Mapping[str, str]) -> str | None:
    """Return the vocabulary word a value names, or None.

    A value is read as the word itself, in any case and with spaces or hyphens
    ("Industrial Park"), or as a name of :data:`KIND_NAMES` or
    :data:`STATUS_NAMES` (exactly, or its longest name that ends the value, after a
    level such as 国家级 or 省级).

    >>> read_choice("国家级经济技术开发区", KINDS, KIND_NAMES)
    'development_zone'
    >>> read_choice("Comprehensive Bonded Zone", KINDS, KIND_NAMES)
    'free_trade_zone'
    """
    if value in vocabulary:
        return value
    folded = re.sub(r"[\s_\-]+", " ", value.strip().lower())
    if (word := folded.replace(" ", "_")) in vocabulary:
        return word
    bare = _LEVEL_PREFIX.sub("", folded).strip()
    for name in _ends(names):
        if bare == name or bare.endswith(name if CJK.search(name) else " " + name):
            return names[name]
    return None


def _ends(names: Mapping[str, str]) -> list[str]:
    return sorted(names, key=len, reverse=True)


def _list(raw: str) -> list[str]:
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):  # a JSON array, as GIS CSVs write lists
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            return [str(item).strip() for item in items if str(item).strip()]
    return [item.strip() for item in text.split(";") if item.strip()]


def _slug_list(raw: str) -> list[str]:
    items = _list(raw)
    for item in items:
        if not _SLUG.fullmatch(item):
            raise InvalidValue(
                f"region id {item!r} is not a valid id", "ids such as 'greater-bay-area'"
            )
    return items


def _number(raw: str, unit_parser: Callable[[str], float | None], expected: str) -> float:
    value = raw.strip()
    if not value:
        return math.nan
    if PLAIN_NUMBER.fullmatch(value):
        number = float(value)
    else:
        try:
            parsed = unit_parser(value)
        except UnitError:
            raise InvalidValue("not a number", expected) from None
        if parsed is None:
            raise InvalidValue("not a number", expected) from None
        number = parsed
    if not math.isfinite(number):
        raise InvalidValue("not a finite number", expected)
    if number < 0:
        raise InvalidValue("negative value", "zero or more")
    return number


def _money(currency: str) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        return _number(
            raw,
            lambda text: getattr(units.parse_money(text), currency),
            f"a number of {currency.upper()}, or an amount such as '5 billion yuan'",
        )

    return parse


def _area(raw: str) -> float:
    return _number(
        raw,
        lambda text: units.parse_area(text).km2,
        "a number of km², or an area such as '1,355 mu'",
    )


def _coordinate(limit: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = raw.strip()
        if not value:
            return math.nan
        try:
            number = float(value)
        except ValueError:
            raise InvalidValue(
                "not a number", f"decimal degrees from {-limit:g} to {limit:g}"
            ) from None
        if not -limit <= number <= limit:
            raise InvalidValue("out of range", f"decimal degrees from {-limit:g} to {limit:g}")
        return number

    return parse


@dataclass(frozen=True)
class Column:
    """A catalog column: how its cells are read and what it means."""

    parse: Callable[[str], object]
    description: str


COLUMNS: Mapping[str, Column] = {
    "id": Column(
        _id,
        "stable id (letters, digits, '-', '_', '.'; case does not matter); "
        "derived from name when absent",
    ),
    "name": Column(_text, "the name as the source spells it (required)"),
    "name_zh": Column(_zh, "Chinese name, when known for certain"),
    "kind": Column(_choice(KINDS, KIND_NAMES), "one of KINDS, or a name of KIND_NAMES"),
    "status": Column(_choice(STATUSES, STATUS_NAMES), "one of STATUSES, or of STATUS_NAMES"),
    "place": Column(_text, "where it is, as text"),
    "county": Column(_text, "district or county-level city, when stated"),
    "city": Column(_text, "prefecture-level city"),
    "province": Column(_text, "province, autonomous region or municipality"),
    "country": Column(_text, "the country, only for a record outside China (lat/lon needed)"),
    "partners": Column(_list, "cities or organisations it cooperates with (';'-separated)"),
    "industries": Column(_list, "industries (';'-separated)"),
    "investment_cny": Column(_money("cny"), "total investment, yuan"),
    "investment_usd": Column(_money("usd"), "total investment in US dollars, only as stated"),
    "output_cny": Column(_money("cny"), "expected annual output value, yuan"),
    "area_km2": Column(_area, "land or planning area, km²"),
    "floor_area_km2": Column(_area, "built floor area, km²"),
    "established": Column(_text, "date or year established or started (ISO 8601)"),
    "regions": Column(_slug_list, "ids of regions it belongs or is linked to (';'-separated)"),
    "source": Column(_text, "id of the source article in sources.csv, or a URL"),
    "evidence": Column(_text, "verbatim sentence(s) of the source that state the values"),
    "notes": Column(_text, "qualifiers: periods, targets, what a figure counts"),
    "lat": Column(_coordinate(90), "latitude, decimal degrees (WGS-84 unless crs says)"),
    "lon": Column(_coordinate(180), "longitude, decimal degrees (WGS-84 unless crs says)"),
    "crs": Column(lambda raw: _crs(raw), "datum of lat/lon: wgs84, gcj02 or bd09"),
}
"""Every known column, in the order a loaded catalog has them."""

COMPUTED = (
    "precision", "placed_by", "placement", "province_adcode", "city_adcode", "county_adcode",
    "city_lat", "city_lon", "linked_regions", "partner_adcodes", "source_title", "source_published",
    "source_url",
)  # fmt: skip
"""Columns geoparks computes (the join's and the exports'); a layer read back drops them."""

RESERVED = (*COMPUTED, "declared_regions")
"""Column names geoparks computes or writes. A catalog's own column of one of these
names is kept as ``original_<name>``, and reported, never overwritten or dropped."""

NUMERIC = ("investment_cny", "investment_usd", "output_cny", "area_km2", "floor_area_km2")


def iso_date(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value):
        raise InvalidValue("not an ISO date", "YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return units.parse_date(value)
    except UnitError as exc:
        raise InvalidValue(
            "impossible date", str(exc).split("(expected ", 1)[-1].rstrip(")")
        ) from None


def slugify(name: str) -> str:
    """Return a readable, stable id for a name.

    Latin letters lose their accents; Chinese characters are kept, so a
    Chinese name gives an id a Chinese reader can read. A name with no letter
    or digit at all gets a hash.

    >>> slugify("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone")
    'nanning-shenzhen-asean-industrial-cooperation-zone'
    >>> slugify("钦州港经济技术开发区（一期）")
    '钦州港经济技术开发区-一期'
    """
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
        if not unicodedata.combining(ch)
    )
    slug = re.sub(r"[\W_]+", "-", text.lower()).strip("-")
    return slug or "park-" + hashlib.sha1(name.encode()).hexdigest()[:8]


CRS_NAMES: Mapping[str, str] = {
    **dict.fromkeys(["wgs84", "wgs", "epsg4326", "4326", "gps", "osm"], "wgs84"),
    **dict.fromkeys(["gcj02", "gcj", "amap", "gaode", "高德", "tencent", "腾讯", "火星"], "gcj02"),
    **dict.fromkeys(["bd09", "bd09ll", "baidu", "百度"], "bd09"),
}
"""Names of the datums Chinese coordinates come in, by their folded spelling."""


def _crs(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    key = re.sub(r"[\s_:\-]+", "", value.lower())
    if key not in CRS_NAMES:
        raise InvalidValue("unknown datum", "wgs84, gcj02 (Amap, Tencent) or bd09 (Baidu)")
    return CRS_NAMES[key]


HEADERS: Mapping[str, tuple[str, ...]] = {
    "id": ("编号", "代码", "code"),
    "name": ("名称", "园区名称", "开发区名称", "园区", "开发区", "项目名称", "zone name",
             "park name", "zone", "park", "title"),
    "name_zh": ("中文名称", "中文名", "chinese name", "name chinese"),
    "kind": ("类型", "园区类型", "开发区类型", "类别", "type", "zone type", "park type"),
    "status": ("状态", "建设状态", "进展"),
    "place": ("地点", "位置", "所在地", "地址", "address", "location"),
    "county": ("区县", "县区", "县（市、区）", "县(市、区)", "所在区县", "district"),
    "city": ("城市", "地市", "市", "地级市", "所在城市", "所在地市", "prefecture"),
    "province": ("省份", "省", "所在省份", "省（区、市）", "省(区、市)", "省区市", "省级行政区",
                 "state"),
    "country": ("国家",),
    "partners": ("合作方", "合作伙伴", "partner"),
    "industries": ("产业", "主导产业", "industry"),
    "investment_cny": ("投资", "投资额", "总投资", "计划总投资", "investment"),
    "output_cny": ("产值", "年产值", "总产值", "output"),
    "area_km2": ("面积", "核准面积", "规划面积", "占地面积", "area"),
    "established": ("批准时间", "设立时间", "成立时间", "批准日期", "设立日期", "成立日期",
                    "批准设立时间", "年份", "date established", "approved", "approval date",
                    "founded", "year"),
    "source": ("来源", "出处"),
    "notes": ("备注", "说明", "note", "remarks"),
    "lat": ("纬度", "latitude", "y", "wd"),
    "lon": ("经度", "longitude", "lng", "long", "x", "jd"),
    "crs": ("坐标系", "datum"),
}  # fmt: skip
"""Other headers each catalog column is recognised by (case, spaces, '_' and '-' ignored)."""

_UNIT_SCALES: Mapping[str, tuple[str, float]] = {
    **{unit: ("area", scale) for units_, scale in (
        (("公顷", "ha", "hectare", "hectares"), 0.01),
        (("平方公里", "平方千米", "km2", "km²", "sqkm"), 1.0),
        (("亩", "mu"), 1 / 1500),
        (("平方米", "m2", "m²", "sqm"), 1e-6),
    ) for unit in units_},
    **{unit: ("money", scale) for units_, scale in (
        (("元", "yuan", "rmb", "cny"), 1.0),
        (("万元", "万"), 1e4),
        (("百万元", "millionyuan", "rmbmillion", "cnymillion"), 1e6),
        (("亿元", "亿", "billionyuan", "rmbbillion", "cnybillion", "100millionyuan"), 1e8),
    ) for unit in units_},
}  # fmt: skip


def _bracketed(text: str) -> tuple[str, str] | None:
    """Split ``name (unit)`` into its name and the text in its last brackets, if it ends so."""
    if not text.endswith((")", "）", "]")):
        return None
    end = len(text) - 1
    closed = max(text.rfind(c, 0, end) for c in ")）]")
    opened = [i for i in (text.find(c, closed + 1, end) for c in "(（[") if i >= 0]
    if not opened:
        return None
    return text[: min(opened)].strip(), text[min(opened) + 1 : end].strip()


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", text.strip().lower()).strip()


_HEADER_INDEX = {
    _header_key(alias): column
    for column, aliases in HEADERS.items()
    for alias in (column, *aliases)
}


def canonical_header(header: str) -> tuple[str | None, float | None, str | None]:
    """Return the catalog column a header names, the scale of its unit, and a datum.

    A unit or datum in brackets after the name is read: ``面积（公顷）`` is
    ``area_km2`` in hectares (scale 0.01), ``投资额(亿元)`` is
    ``investment_cny`` in units of 10^8 yuan, ``经度(GCJ-02)`` is ``lon`` in GCJ-02.

    >>> canonical_header("核准面积（公顷）")
    ('area_km2', 0.01, None)
    >>> canonical_header("Longitude (GCJ-02)")
    ('lon', None, 'gcj02')
    >>> canonical_header("website")
    (None, None, None)
    """
    key = _header_key(header)
    if key in _HEADER_INDEX:
        return _HEADER_INDEX[key], None, None
    parts = _bracketed(header.strip())
    if parts is None:
        return None, None, None
    column = _HEADER_INDEX.get(_header_key(parts[0]))
    unit = re.sub(r"[\s_\-:]+", "", parts[1].lower())
    if column in ("lat", "lon") and unit in CRS_NAMES:
        return column, None, CRS_NAMES[unit]
    if column is not None and unit in _UNIT_SCALES:
        measure, scale = _UNIT_SCALES[unit]
        if (measure == "area") == column.endswith("km2"):
            return column, scale, None
    return None, None, None
