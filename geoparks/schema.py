"""The catalog's columns: what each holds, its vocabulary, and how a cell is read.

Cell parsers take the text of a CSV cell and return a typed value (None or
NaN when empty) or raise :class:`InvalidValue` saying what was expected.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from geoparks import units
from geoparks.errors import UnitError

__all__ = ["COLUMNS", "KINDS", "NUMERIC", "STATUSES", "Column", "InvalidValue", "slugify"]

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
}
"""The closed vocabulary of ``status``."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_URL = re.compile(r"https?://\S+")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class InvalidValue(Exception):
    """A cell's text is not a valid value for its column."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.message, self.expected = message, expected


def _text(raw: str) -> str | None:
    return raw.strip() or None


def _slug(raw: str) -> str | None:
    value = raw.strip()
    if value and not _SLUG.fullmatch(value):
        raise InvalidValue("not a valid id", "lower-case letters, digits and single hyphens")
    return value or None


def _zh(raw: str) -> str | None:
    value = raw.strip()
    if value and not _CJK.search(value):
        raise InvalidValue("name_zh has no Chinese characters", "a name in Chinese characters")
    return value or None


def _choice(vocabulary: Mapping[str, str]) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        value = raw.strip()
        if value and value not in vocabulary:
            close = difflib.get_close_matches(value, list(vocabulary), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InvalidValue("unknown value", hint + "one of " + ", ".join(vocabulary))
        return value or None

    return parse


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(";") if item.strip()]


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
    if _PLAIN_NUMBER.fullmatch(value):
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
    "id": Column(_slug, "stable slug; derived from name when absent"),
    "name": Column(_text, "the name as the source spells it (required)"),
    "name_zh": Column(_zh, "Chinese name, when known for certain"),
    "kind": Column(_choice(KINDS), "one of KINDS"),
    "status": Column(_choice(STATUSES), "one of STATUSES"),
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
    "lat": Column(_coordinate(90), "latitude, WGS-84 decimal degrees"),
    "lon": Column(_coordinate(180), "longitude, WGS-84 decimal degrees"),
}
"""Every known column, in the order a loaded catalog has them."""

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
    """Return a stable id for a name: ASCII slug, or a hash for names with no Latin letters.

    >>> slugify("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone")
    'nanning-shenzhen-asean-industrial-cooperation-zone'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "park-" + hashlib.sha1(name.encode()).hexdigest()[:8]
