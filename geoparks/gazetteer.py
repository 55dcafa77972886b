"""The offline place index: every province, city and county of China by name.

Names are matched in English (GeoNames spelling, pinyin, older spellings) and
Chinese (full 贺州市 or short 贺州); case, spaces, hyphens, apostrophes and
diacritics do not matter, and a level suffix ("District", "County", "City",
区, 县...) restricts the match to units of that level. A name that fits more
than one unit is *ambiguous*: the gazetteer returns every candidate and leaves
the choice to a province or city hint, never to a guess.

>>> gazetteer = Gazetteer.load()
>>> match = gazetteer.resolve("Yulin")
>>> match.status, sorted(p.name_zh for p in match.candidates)
('ambiguous', ['榆林市', '玉林市'])
>>> gazetteer.resolve("Yulin", province="Guangxi").place.adcode
'450900'
"""

from __future__ import annotations

import csv
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from geoparks import settings
from geoparks.errors import DataFileError, GeoparksError

__all__ = [
    "Gazetteer",
    "Match",
    "Place",
    "UnknownHintError",
    "fold",
    "short_name_zh",
]

Level = Literal["province", "city", "county"]
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}

_ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
# 各族 is "all peoples" (龙胜各族自治县). A people of one character is always named
# with 族 (回族); longer names sometimes drop it (塔什库尔干塔吉克自治县).
_PEOPLES = sorted((e + "族?" if len(e) > 1 else e + "族" for e in _ETHNIC), key=len, reverse=True)
_PEOPLE = "(?:" + "|".join(_PEOPLES) + ")+"
_AUTONOMOUS = re.compile(r"(.+?)" + _PEOPLE + r"(?:自治[州县旗](?:直辖)?|区)")
_PEOPLE_ONLY = re.compile("(" + "|".join(_ETHNIC) + ")族?自治[县旗]")  # 东乡族自治县
_ZH_SUFFIXES = (
    "特别行政区",
    "自治区",
    "新区",
    "林区",
    "地区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)

# English suffix words and the Chinese name endings of the units they name.
_EN_SUFFIXES: dict[str, tuple[str, ...]] = {
    "specialadministrativeregion": ("特别行政区",),
    "sar": ("特别行政区",),
    "autonomousregion": ("自治区",),
    "province": ("省", "自治区", "特别行政区"),
    "sheng": ("省",),
    "autonomousprefecture": ("州",),
    "prefecture": ("州", "地区"),
    "league": ("盟",),
    "meng": ("盟",),
    "municipality": ("市",),
    "city": ("市",),
    "shi": ("市",),
    "newarea": ("新区",),
    "xinqu": ("新区",),
    "diqu": ("地区",),
    "zizhizhou": ("州",),
    "zizhixian": ("自治县",),
    "district": ("区",),
    "qu": ("区",),
    "autonomouscounty": ("自治县",),
    "county": ("县",),
    "xian": ("县",),
    "banner": ("旗",),
    "qi": ("旗",),
}
# "Guangxi Zhuang Autonomous Region": the people's name goes with the suffix.
_PEOPLE_EN = ("zhuang", "hui", "ur", "uyur", "ughur", "uyghur", "uighur", "tibetan", "mongol")
_EN_SUFFIX_WORDS = sorted(
    {*_EN_SUFFIXES, *(f"{people}autonomousregion" for people in (*_PEOPLE_EN, "mongolian"))},
    key=len,
    reverse=True,
)
_EN_WORDS_OF_ENDING: dict[str, list[str]] = defaultdict(list)
for _word in _EN_SUFFIX_WORDS:
    for _ending in _EN_SUFFIXES.get(_word, ("自治区",)):
        _EN_WORDS_OF_ENDING[_ending].append(_word)
_EN_SUFFIX_RE = re.compile(r"(?:^|(?<=[a-z0-9]))(" + "|".join(_EN_SUFFIX_WORDS) + r")$")
_EN_ENDINGS = (*_EN_SUFFIXES, "autonomousregion")
_ZH_ENDINGS = ("自治州", "自治县", "自治旗", "地区", "新区", "林区", *"省市县区旗盟州")
_ZH_LAST = frozenset(ending[-1] for ending in _ZH_ENDINGS)

GENERIC_WORDS = frozenset(
    "合作 开发 新区 新城 城关 城区 城中 城东 城西 城南 城北 市中 郊区 矿区 港口 海港 新兴 "
    "光明 和平 东风 红旗 前进 解放 向阳 平安 互助 共和 长安 新华 东方 高新 团结 白云".split()
)
"""Short names of counties and districts that zone names use as words: 合作 is
"cooperation" (合作市, Gansu), 新兴 "emerging" (新兴县), 港口 "port" (港口区),
光明 "bright" (光明区)... Inside a zone name these are not read as places;
with their suffix (合作市) or asked for alone they still are."""

AliasKind = Literal["area", "port", "island", "new_area", "xpcc", "former", "abbreviation"]
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())
_REMEMBERED = 500_000  # spans whose places are remembered, at most


class Town(NamedTuple):
    """A township-level unit: a town (镇), township (乡, 苏木) or subdistrict (街道)."""

    code: str
    name_zh: str
    name_en: str
    kind: Literal["town", "township", "subdistrict"]
    unit: Place
    """The county (or, where a city has no counties, the city) it lies in."""


# A town's suffix, and how far before it its name may begin (characters; English: letters).
_TOWN_WORDS_ZH = ("街道", "苏木", "镇", "乡")
_TOWN_SUFFIX = re.compile(r"(?:街道|苏木|镇|乡)|(?<=[a-z]) (?:Town|Township|Subdistrict|Sumu)\b")
_TOWN_STEM = 16


class UnknownHintError(GeoparksError, LookupError):
    """A province or city hint names no province or city, or several."""

    def __init__(self, message: str, candidates: tuple[Place, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


def fold(text: str) -> str:
    """Fold an English name to its index key: ASCII letters and digits, lower case.

    >>> fold("Xi'an"), fold("Hong-Kong  SAR"), fold("Ürümqi")
    ('xian', 'hongkongsar', 'urumqi')
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower().encode().translate(None, _NOT_ALNUM).decode()


def short_name_zh(name: str) -> str:
    """Strip the administrative suffix from a Chinese name, keeping two characters at least.

    >>> short_name_zh("广西壮族自治区"), short_name_zh("延边朝鲜族自治州"), short_name_zh("泾县")
    ('广西', '延边', '泾县')
    >>> short_name_zh("塔什库尔干塔吉克自治县"), short_name_zh("管城回族区")
    ('塔什库尔干', '管城')

    A mining district keeps its name whole (井陉矿区 is not 井陉, a county), and
    林区 ends only a forestry district's name (神农架林区), not 万柏林区's:

    >>> short_name_zh("井陉矿区"), short_name_zh("神农架林区"), short_name_zh("万柏林区")
    ('井陉矿区', '神农架', '万柏林')
    """
    if (match := _AUTONOMOUS.fullmatch(name)) and len(match.group(1)) >= 2:
        return match.group(1)
    if match := _PEOPLE_ONLY.fullmatch(name):
        return match.group(1)
    if name.endswith("矿区"):
        return name
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", *_ZH_SUFFIXES):
        least = 3 if suffix == "林区" else 2
        if name.endswith(suffix) and len(name) - len(suffix) >= least:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative unit, or a named place (an alias) inside one."""

    adcode: str
    level: Level
    name_zh: str
    name_en: str
    province: str
    city: str
    lat: float
    lon: float
    point: str
    geonames_id: int | None
    population: int | None
    aliases: tuple[str, ...] = ()

    @property
    def city_adcode(self) -> str | None:
        """The adcode of the city-level unit this place is in (itself for a city)."""
        return {"city": self.adcode, "county": self.city or None}.get(self.level)


@dataclass(frozen=True)
class Match:
    """The outcome of resolving a name.

    Attributes
    ----------
    status : {"ok", "ambiguous", "not_found"}
    place : Place or None
        The place, when ``status`` is ``"ok"``.
    candidates : tuple of Place
        Every place the name fitted before hints narrowed them.
    alias : str or None
        The sub-city place name that led to ``place`` ("Pazhou").
    note : str or None
        How the name was read, when not as the unit's own name: a former name
        ("襄樊 was renamed 襄阳市 in 2010"), an abbreviation, a level suffix
        that differs.
    """

    status: Literal["ok", "ambiguous", "not_found"]
    place: Place | None = None
    candidates: tuple[Place, ...] = ()
    alias: str | None = None
    note: str | None = None


@dataclass
class Gazetteer:
    """An in-memory index of places, loaded from ``data/places.csv``."""

    places: list[Place]
    sub_places: dict[str, list[tuple[str, Place]]] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Answers callers remember for this gazetteer (geocoding's readings of zone names)."""
    _index: dict[str, list[Place]] = field(init=False, repr=False)
    _by_adcode: dict[tuple[str, str], Place] = field(init=False, repr=False)
    _single_city: dict[str, Place] = field(init=False, repr=False)
    _hints: dict[tuple[str, str, str | None], Place | UnknownHintError] = field(
        init=False, repr=False
    )
    _scan: Any = field(init=False, repr=False, default=None)
    _han_keys: frozenset[str] | None = field(init=False, repr=False, default=None)
    _ascii_keys: tuple[frozenset[str], frozenset[str]] | None = field(
        init=False, repr=False, default=None
    )
    _named: dict[str, list[tuple[Place, str | None]]] = field(init=False, repr=False)
    _described: dict[tuple[str, str], str] = field(init=False, repr=False)
    folder: Path | None = field(default=None, repr=False)
    """The data folder read, whose ``towns.csv`` is read when first needed."""
    _towns: dict[str, list[Town]] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        index: dict[str, list[Place]] = defaultdict(list)
        for place in self.places:
            for key in self._keys(place):
                if place not in index[key]:
                    index[key].append(place)
        self._index = dict(index)
        self._by_adcode = {(p.level, p.adcode): p for p in self.places}
        self._hints = {}
        self._named = {}
        self._described = {}
        cities = defaultdict(list)
        for place in self.places:
            if place.level == "city":
                cities[place.province].append(place)
        # Municipalities and SARs: a province that is one city.
        self._single_city = {code: found[0] for code, found in cities.items() if len(found) == 1}

    @staticmethod
    def _keys(place: Place) -> Iterable[str]:
        # short_name_zh keeps one-character names whole (泾县), so their English
        # name carries the suffix too (Jingxian) and no bare syllable is indexed.
        yield place.name_zh
        short = short_name_zh(place.name_zh)
        yield short
        # 巴马瑶族自治县 is 巴马县 in zone names, 延边朝鲜族自治州 延边州.
        if short != place.name_zh and (kind := re.search(r"自治([州县旗])$", place.name_zh)):
            yield short + kind.group(1)
        for name in (place.name_en, *place.aliases):
            if key := fold(name):
                yield key

    @classmethod
    def load(cls, data_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Load the shipped gazetteer (``places.csv`` and ``place_aliases.csv``).

        Loaded once per data folder and cached.
        """
        asked = (None if data_dir is None else str(data_dir), os.environ.get("GEOPARKS_DATA_DIR"))
        if asked in _ASKED:  # batches ask for the same folder: no file system call each time
            return _ASKED[asked]
        folder = settings.data_dir(data_dir)
        key = str(folder.resolve())
        if key not in _CACHE:
            _CACHE[key] = cls._read(folder)
        _ASKED[asked] = _CACHE[key]
        return _CACHE[key]

    @classmethod
    def _read(cls, folder: Path) -> Gazetteer:
        places = []
        for row in _rows(folder / "places.csv"):
            places.append(
                Place(
                    adcode=row["adcode"],
                    level=row["level"],  # type: ignore[arg-type]
                    name_zh=row["name_zh"],
                    name_en=row["name_en"],
                    province=row["province"],
                    city=row["city"],
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    point=row["point"],
                    geonames_id=int(row["geonames_id"]) if row["geonames_id"] else None,
                    population=int(row["population"]) if row["population"] else None,
                    aliases=tuple(a for a in row["aliases"].split(";") if a),
                )
            )
        gazetteer = cls(places, folder=folder)
        for row in _rows(folder / "place_aliases.csv"):
            gazetteer._add_alias(row)
        return gazetteer

    def _add_alias(self, row: dict[str, str]) -> None:
        """Index a named area inside a unit, or another name of the unit itself."""
        unit = self.by_adcode(row["adcode"], row.get("level") or None)
        names = [n for n in (row["alias_en"], row["alias_zh"]) if n]
        kind = row.get("kind") or "area"
        for name in names:
            key = name if _HAN.search(name) else fold(name)
            if kind in ("former", "abbreviation"):
                if unit not in self._index.setdefault(key, []):
                    self._index[key].append(unit)
                self.notes[key, unit.adcode] = _alias_note(name, unit, kind, row.get("year"))
            else:
                label = row["alias_en"] or row["alias_zh"]
                self.sub_places.setdefault(key, []).append((label, unit))
        self._han_keys = self._ascii_keys = self._scan = None
        self._named.clear()

    def by_adcode(self, adcode: str, level: Level | None = None) -> Place:
        """Return the unit with this adcode (the city, when a city and a county share it)."""
        levels = [level] if level else ["city", "county", "province"]
        for each in levels:
            if (each, adcode) in self._by_adcode:
                return self._by_adcode[each, adcode]
        raise KeyError(adcode)

    @property
    def han_keys(self) -> frozenset[str]:
        """Every Chinese name and alias the index holds, for a quick test before a lookup."""
        if self._han_keys is None:
            keys = {key for key in (*self._index, *self.sub_places) if _HAN.search(key)}
            self._han_keys = frozenset(keys)
        return self._han_keys

    def scan(self, text: str) -> list[tuple[int, int, list[tuple[Place, str | None]]]]:
        """Find the Chinese names in a text: ``(start, end, places)``, longest first, in order.

        One pass over the text, looking up every Chinese name and alias of two or
        more characters but the :data:`GENERIC_WORDS` by its first two characters;
        at each position the longest name that starts there is taken, and the scan
        goes on after it.
        ``places`` are :meth:`named`'s.
        """
        if self._scan is None:
            keys = frozenset(k for k in self.han_keys - GENERIC_WORDS if len(k) > 1)
            sizes: dict[str, set[int]] = {}
            for key in keys:
                sizes.setdefault(key[:2], set()).add(len(key))
            self._scan = ({k: sorted(v, reverse=True) for k, v in sizes.items()}, keys)
        starts, keys = self._scan
        spans = []
        i, end = 0, len(text)
        while i < end - 1:
            for size in starts.get(text[i : i + 2], ()):
                key = text[i : i + size]
                if key in keys and i + size <= end:
                    spans.append((i, i + size, self.named(key)))
                    i += size
                    break
            else:
                i += 1
        return spans

    def towns(self, name: str) -> list[Town]:
        """Return the towns, townships and subdistricts of this name ("虎门镇", "Humen Town").

        Read from ``towns.csv`` (the Ministry of Civil Affairs' township-level
        units) when first asked; none when the data folder has no such file.
        """
        if self._towns is None:
            self._towns = towns = {}
            path = None if self.folder is None else self.folder / "towns.csv"
            rows = _rows(path, header=False) if path is not None and path.exists() else [[]]
            at = {column: i for i, column in enumerate(rows[0])}
            units = {}
            for row in rows[1:]:
                county = row[at["county"]]
                if county not in units:
                    units[county] = self._by_adcode.get(("county", county)) or (
                        self._by_adcode.get(("city", county))
                    )
                if units[county] is None:
                    continue
                name_zh, name_en = row[at["name_zh"]], row[at["name_en"]]
                town = Town(row[at["code"]], name_zh, name_en, row[at["kind"]], units[county])
                towns.setdefault(name_zh, []).append(town)
                towns.setdefault(fold(name_en), []).append(town)
        text = name.strip()
        return self._towns.get(text if _HAN.search(text) else fold(text), [])

    def town_mentions(self, text: str) -> list[tuple[str, list[Town]]]:
        """Every town a text names with its suffix (镇, 乡, 街道, 苏木; Town, Township...).

        Each is the longest name that ends at a suffix, with the towns it may be.
        """
        found = []
        for match in _TOWN_SUFFIX.finditer(text):
            han = match.group().strip() in _TOWN_WORDS_ZH
            # A one-character stem (新镇, 古乡) is too often a word to be read inside a text.
            last = match.start() - (2 if han else 1)
            for start in range(max(0, match.start() - _TOWN_STEM), last + 1):
                span = text[start : match.end()]
                if (han or span[:1].isupper()) and (towns := self.towns(span)):
                    found.append((span, towns))
                    break
        return found

    def named(self, span: str) -> list[tuple[Place, str | None]]:
        """Return :meth:`lookup` of a span, repeats of a unit collapsed; remembered."""
        found = self._named.get(span)
        if found is None:
            if len(self._named) > _REMEMBERED:
                self._named.clear()
            found = self._named[span] = self.collapse(self.lookup(span))
        return found

    def lookup(self, name: str) -> list[tuple[Place, str | None]]:
        """Return every place a bare name fits, each with the sub-city alias it came by."""
        text = name.strip()
        if not text.isascii() and _HAN.search(text):
            key = "".join(text.split())
            return self._fits(key) or self._fits_other_suffix(key)
        key = fold(text)
        if self._ascii_keys is not None and key not in self._ascii_keys[0]:
            return []  # not one of english_keys()
        found = self._fits(key)
        if not found and "v" in key:  # ü typed as v: Lvliang
            found = self._fits(key.replace("v", "u"))
        if not found and key.endswith(_EN_ENDINGS) and (suffix := _EN_SUFFIX_RE.search(key)):
            endings = _EN_SUFFIXES.get(suffix.group(1), ("自治区",))
            stem = self._fits(key[: suffix.start()])
            found = [(p, a) for p, a in stem if a is None and p.name_zh.endswith(endings)]
            if suffix.group(1) in ("district", "qu", "newarea", "xinqu"):
                found += [(p, a) for p, a in stem if a is not None]
        return found

    def _fits_other_suffix(self, key: str) -> list[tuple[Place, str | None]]:
        """吴江市 (a city until 2012) finds 吴江区: same name, another level suffix."""
        if key[-1:] not in _ZH_LAST:
            return []
        size = 3 if key[-3:] in _ZH_ENDINGS else 2 if key[-2:] in _ZH_ENDINGS else 1
        stem = key[:-size]
        if len(stem) < 2 or (stem not in self._index and stem not in self.sub_places):
            return []
        found = [(p, a) for p, a in self._fits(stem) if a is None and p.name_zh != key]
        for place, _ in found:
            self.notes.setdefault(
                (key, place.adcode), f"{key} read as {place.name_zh} (same name, another level)"
            )
        return found

    def note(self, name: str, place: Place) -> str | None:
        """How ``name`` was read as ``place``, when not as its own name (see :class:`Match`)."""
        text = name.strip()
        key = "".join(text.split()) if _HAN.search(text) else fold(text)
        return self.notes.get((key, place.adcode))

    def _fits(self, key: str) -> list[tuple[Place, str | None]]:
        direct: list[tuple[Place, str | None]] = [(p, None) for p in self._index.get(key, ())]
        if key in self.sub_places:
            direct += [(p, alias) for alias, p in self.sub_places[key]]
        return direct

    def english_keys(self) -> tuple[frozenset[str], frozenset[str]]:
        """Every :func:`fold` key :meth:`lookup` finds a place by, and every beginning of one.

        The keys are the English names and aliases, the same with ü typed as v
        (lvliang), and with a suffix word run on (dinghuqu, guangxizhuangautonomousregion).
        """
        if self._ascii_keys is None:
            names = {k for k in (*self._index, *self.sub_places) if k.isascii()}
            found = set(names)
            for key in names:
                at = [i for i, char in enumerate(key) if char == "u"]
                for chosen in range(1, 2 ** len(at)):
                    typed = list(key)
                    for bit, i in enumerate(at):
                        if chosen >> bit & 1:
                            typed[i] = "v"
                    if (v_typed := "".join(typed)).replace("v", "u") in names:
                        found.add(v_typed)
                places = self._fits(key)
                if any(a is not None for _, a in places):
                    words = set(_EN_SUFFIX_WORDS)
                else:
                    words = {
                        word
                        for p, _ in places
                        for size in range(1, 6)
                        for word in _EN_WORDS_OF_ENDING.get(p.name_zh[-size:], ())
                    }
                found.update(key + word for word in words if self.lookup(key + word))
            beginnings = frozenset(k[:i] for k in found for i in range(1, len(k) + 1))
            self._ascii_keys = (frozenset(found), beginnings)
        return self._ascii_keys

    def hint(self, text: str, level: Level, within: Place | None = None) -> Place:
        """Resolve a province or city hint ("Guangxi", "广西壮族自治区", "Hezhou City").

        ``within`` (a province) picks among cities of one name: "Yulin" in
        Guangxi is 玉林市. Batches repeat the same few hints, so answers are
        remembered.

        Raises
        ------
        UnknownHintError
            If the text names no unit of that level, or several.
        """
        key = (text, level, within.adcode if within else None)
        if key not in self._hints:
            try:
                self._hints[key] = self._hint(text, level, within)
            except UnknownHintError as error:
                self._hints[key] = error
        answer = self._hints[key]
        if isinstance(answer, UnknownHintError):
            raise answer
        return answer

    def _hint(self, text: str, level: Level, within: Place | None) -> Place:
        places = [p for p, alias in self.lookup(text) if alias is None]
        found = [p for p in places if p.level == level]
        if level == "city":
            found = found or [p for p in places if p.level == "province"]
            found = [self._municipality_city(p) for p in found]
            # A county-level city (昆山市) is the city people name.
            found = found or [p for p in places if p.level == "county" and _CITY.search(p.name_zh)]
        if within is not None and len({p.adcode for p in found}) > 1:
            found = [p for p in found if self.contains(within, p)] or found
        if not found:
            close = self._suggest(text, level)
            hint = f" (did you mean {close!r}?)" if close else ""
            raise UnknownHintError(f"{level} {text!r} is not found{hint}")
        if len({p.adcode for p in found}) > 1:
            listed = "; ".join(self.describe(p) for p in found)
            raise UnknownHintError(f"{level} {text!r} is ambiguous: {listed}", tuple(found))
        return found[0]

    def _suggest(self, text: str, level: Level) -> str | None:
        """Return the one name of that level nearest a misspelt hint, if one is near."""
        key = text.strip() if _HAN.search(text) else fold(text)
        if not _HAN.search(text) and (suffix := _EN_SUFFIX_RE.search(key)) and suffix.start():
            key = key[: suffix.start()]  # "Dinhu District": compare "dinhu"
        names: dict[str, str] = {}
        for place in self.places:
            if place.level == level or (level == "city" and _CITY.search(place.name_zh)):
                names.setdefault(fold(place.name_en), place.name_en)
                names.setdefault(short_name_zh(place.name_zh), place.name_zh)
        close = difflib.get_close_matches(key, list(names), n=2, cutoff=0.75)
        if len(close) == 2 and close[0] != close[1]:
            ratio = [difflib.SequenceMatcher(None, key, c).ratio() for c in close]
            if ratio[0] == ratio[1]:
                return None
        return names[close[0]] if close else None

    def describe(self, place: Place) -> str:
        """Name a place for a message: ``玉林市 450900 (Yulin, Guangxi)``."""
        key = (place.level, place.adcode)
        if key not in self._described:
            if place.level == "province":
                text = f"{place.name_zh} {place.adcode} ({place.name_en})"
            else:
                province = self.by_adcode(place.province, "province").name_en
                text = f"{place.name_zh} {place.adcode} ({place.name_en}, {province})"
            self._described[key] = text
        return self._described[key]

    def _municipality_city(self, place: Place) -> Place:
        if place.level != "province":
            return place
        if place.adcode in self._single_city:
            return self._single_city[place.adcode]
        raise UnknownHintError(f"{place.name_en!r} is a province, not a city")

    def resolve(
        self,
        name: str,
        province: str | None = None,
        city: str | None = None,
        county: str | None = None,
    ) -> Match:
        """Resolve a place name, narrowed by optional province and city hints.

        Parameters
        ----------
        name : str
            English or Chinese, with or without a level suffix. Hints may follow
            after commas: ``"Yulin, Guangxi"``.
        province, city, county : str, optional
            Hints in English or Chinese, with or without suffixes; ``city`` may
            be a county-level city (Kunshan).

        Returns
        -------
        Match
            ``not_found`` with the candidates when the name fits places, but
            none within the hints.

        Raises
        ------
        UnknownHintError
            If a hint names no province, city or county, or contradicts another.
        """
        trailing: list[str] = []
        if "," in name:
            name, *trailing = [part for part in name.split(",") if part.strip()] or [""]
        hints = self.hints(province, city, county)
        found = self.lookup(name)
        if not found:
            return _NOT_FOUND
        found = self.collapse(found)
        candidates = tuple(place for place, _ in found)
        hints += [self._trailing_hint(text) for text in trailing]
        narrowed = [(p, a) for p, a in found if all(self.related(h, p) for h in hints)]
        if hints:
            narrowed = self.innermost(narrowed)
        if len(narrowed) == 1:
            place, alias = narrowed[0]
            return Match("ok", place, candidates, alias, self.note(name, place))
        if not narrowed:
            return Match("not_found", None, candidates)
        return Match("ambiguous", None, tuple(p for p, _ in narrowed))

    def hints(
        self, province: str | None = None, city: str | None = None, county: str | None = None
    ) -> list[Place]:
        """Resolve province, city and county hints, each within the one above it.

        Raises
        ------
        UnknownHintError
            If a hint names no unit of its level, or several, or lies outside
            the hint above it.
        """
        if not (province or city or county):
            return []
        key = ("hints", province, city, county)
        if key not in self.memo:
            try:
                self.memo[key] = self._chain(province, city, county)
            except UnknownHintError as error:
                self.memo[key] = error
        answer = self.memo[key]
        if isinstance(answer, UnknownHintError):
            raise answer
        return list(answer)

    def _chain(self, province: str | None, city: str | None, county: str | None) -> list[Place]:
        found: list[Place] = []
        for text, level in ((province, "province"), (city, "city"), (county, "county")):
            if not text:
                continue
            place = self.hint(text, level, *found[-1:])  # type: ignore[arg-type]
            if found and not self.contains(found[-1], place):
                raise UnknownHintError(
                    f"{level} {text!r} is {self.describe(place)}, not in {self.describe(found[-1])}"
                )
            found.append(place)
        return found

    def related(self, a: Place, b: Place) -> bool:
        """Whether one of two places lies within the other."""
        return self.contains(a, b) or self.contains(b, a)

    def innermost(self, found: list[tuple[Place, str | None]]) -> list[tuple[Place, str | None]]:
        """Drop places that hold another of the list: 吉林 read with 吉林市 is the city."""
        return [
            (p, a)
            for p, a in found
            if not any(q.adcode != p.adcode and self.contains(p, q) for q, _ in found)
        ]

    def _trailing_hint(self, text: str) -> Place:
        try:
            return self.hint(text, "province")
        except UnknownHintError:
            return self.hint(text, "city")

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``inner`` is ``outer`` or lies within it."""
        if outer.level == "province":
            return inner.province == outer.adcode
        if outer.level == "city":
            return inner.adcode == outer.adcode or inner.city == outer.adcode
        return inner.adcode == outer.adcode and inner.level != "province"

    def collapse(self, found: list[tuple[Place, str | None]]) -> list[tuple[Place, str | None]]:
        """Drop repeats of one unit, keeping the city.

        A city-level unit comes again as a county; a municipality or SAR as a
        province and as a city; and a city holds a county of its own name
        (乌鲁木齐市 and 乌鲁木齐县, 喀什地区 and 喀什市), which at city
        precision is the same answer (its suffix still asks for the county).
        """
        ranked = sorted(found, key=lambda item: (item[0].level != "city", item[1] is not None))
        kept: list[tuple[Place, str | None]] = []
        for place, alias in ranked:
            twin = self._single_city.get(place.adcode) if place.level == "province" else None
            short = short_name_zh(place.name_zh)
            if not any(
                place.adcode == k.adcode
                or twin == k
                or (alias is None and k.adcode == place.city and short_name_zh(k.name_zh) == short)
                for k, _ in kept
            ):
                kept.append((place, alias))
        return sorted(
            kept, key=lambda i: (LEVEL_RANK[i[0].level], -(i[0].population or 0), i[0].adcode)
        )


_CITY = re.compile(r"市$")
_NOT_FOUND = Match("not_found")


def _alias_note(name: str, unit: Place, kind: str, year: str | None) -> str:
    if kind == "former":
        return f"{name} is a former name of {unit.name_zh}" + (f" (until {year})" if year else "")
    return f"{name} is short for {unit.name_zh}"


_CACHE: dict[str, Gazetteer] = {}
_ASKED: dict[tuple[str | None, str | None], Gazetteer] = {}


def _rows(path: Path, header: bool = True) -> list[Any]:
    """Return the rows of a CSV file: dicts by its header, or lists (the header first)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle) if header else csv.reader(handle))
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file (rebuild it with `make data`)") from None
