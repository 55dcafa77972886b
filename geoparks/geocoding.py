"""Offline geocoding of place and park names to city-level points, with geopy's interface.

:func:`geocode` answers a place name ("Dinghu District", "玉林市") or, when the
name is not itself a place, a park or zone name whose place it finds inside
("Guangxi Digital Hezhou Industrial Park" -> Hezhou). :class:`OfflineGeocoder`
is the same as a :class:`geopy.geocoders.base.Geocoder`, so it can stand in
wherever a geopy geocoder goes (``RateLimiter``, ``geopandas.tools.geocode``);
it lives in :mod:`geoparks.offline`, so that a geocode does not import geopy.

>>> result = geocode("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone")
>>> result.status, result.place.name_en, result.partners
('ok', 'Nanning', ('Shenzhen',))
>>> geocode("Yulin").status
'ambiguous'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from itertools import pairwise
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from geoparks.errors import GeoparksError
from geoparks.gazetteer import LEVEL_RANK, Gazetteer, Place, fold

__all__ = [
    "STATUSES",
    "AmbiguousPlaceError",
    "Geocode",
    "geocode",
    "geocode_park",
    "read",
]

Status = Literal["ok", "partial", "conflict", "ambiguous", "not_found"]
STATUSES: dict[str, str] = {
    "ok": "the name itself was placed (hints may have refined it)",
    "partial": "only a hint placed it, or every reading of the name lies in one unit: "
    "placed at that level (precision says which)",
    "conflict": "the name names places, none of them within the hints",
    "ambiguous": "the name fits several places and nothing tells them apart",
    "not_found": "no place in the name, and no hint",
}
"""What each status of a :class:`Geocode` means."""

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
_LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")  # what a word begins with
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_OPEN, _CLOSE = "(（[", ")）]"
_MAX_WORDS = 4
_REMEMBERED = 200_000  # readings of zone names remembered, at most
_FEATURES = frozenset("湖湾山岛峡")  # 杭州湾 is a bay, 鄱阳湖 a lake: named after a place
_LEADING = " \t\n\u3000(（["  # what may come before a leading place name


class AmbiguousPlaceError(GeoparksError, LookupError):
    """A name fits several places and nothing given tells them apart."""

    def __init__(self, query: str, candidates: Iterable[Place]) -> None:
        self.candidates = tuple(candidates)
        listed = "; ".join(describe(p) for p in self.candidates)
        super().__init__(f"{query!r} is ambiguous: {listed} (give a province or city)")


def describe(place: Place, gazetteer: Gazetteer | None = None) -> str:
    """Name a place for a message: ``玉林市 450900 (Yulin, Guangxi)``."""
    return (gazetteer or Gazetteer.load()).describe(place)


@dataclass(frozen=True)
class Geocode:
    """The answer for one name.

    Attributes
    ----------
    query : str
        The name asked for.
    status : {"ok", "partial", "conflict", "ambiguous", "not_found"}
        See :data:`STATUSES`.
    place : Place or None
        The most specific unit reached.
    precision : {"county", "city", "province"} or None
        The level of ``place``.
    city, province : Place or None
        The city-level and provincial units ``place`` lies in.
    candidates : tuple of Place
        The places the name fitted (all of them when ambiguous or in conflict).
    partners : tuple of str
        Other places a park name names, such as "Shenzhen" in
        "Nanning (Shenzhen) ASEAN Industrial Cooperation Zone".
    alias : str or None
        The sub-city place that led to ``place`` ("Pazhou").
    matched : str or None
        The part of a park name that named ``place``.
    hint : Place or None
        With ``conflict``: the hint no reading of the name lies in.
    note : str or None
        How the name was read when not by a unit's own name ("襄樊 is a former
        name of 襄阳市 (until 2010)").
    """

    query: str
    status: Status
    place: Place | None = None
    precision: Literal["county", "city", "province"] | None = None
    city: Place | None = None
    province: Place | None = None
    candidates: tuple[Place, ...] = ()
    partners: tuple[str, ...] = ()
    alias: str | None = None
    matched: str | None = None
    hint: Place | None = None
    note: str | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        """The finest point known (lat, lon): the county's seat, the city's, or the capital."""
        return (self.place.lat, self.place.lon) if self.place else None

    @property
    def city_point(self) -> tuple[float, float] | None:
        """The city-level point (lat, lon): the city's seat, or the province's capital."""
        unit = self.city or self.province
        return (unit.lat, unit.lon) if unit else None

    @property
    def problem(self) -> str | None:
        """What is wrong or uncertain, in words; None when ``ok``."""
        listed = "; ".join(describe(p) for p in self.candidates)
        if self.status == "conflict" and self.hint is not None:
            close = _close_province(self.hint, self.candidates)
            maybe = f" (did you mean {close}?)" if close else ""
            return f"the name names {listed}: none in {describe(self.hint)}{maybe}"
        if self.status == "partial":
            how = "its readings all lie" if self.matched is None and self.candidates else "placed"
            if self.matched is None and not self.candidates:
                return f"the name names no place; placed by its {self.precision} hint only"
            return f"{how} in one {self.precision}: {describe(self.place)}" if self.place else None
        if self.status == "ambiguous":
            return f"the name fits {len(self.candidates)} places: {listed}"
        if self.status == "not_found":
            return "no place found in the name"
        return None

    def raw(self) -> dict[str, Any]:
        """Return the fields of a result row, also a geopy ``Location.raw``."""
        place = self.place
        city_point = self.city_point or (None, None)
        gazetteer = Gazetteer.load()
        return {
            "query": self.query,
            "status": self.status,
            "level": self.precision,
            "adcode": place.adcode if place else None,
            "name_en": place.name_en if place else None,
            "name_zh": place.name_zh if place else None,
            "province": self.province.name_en if self.province else None,
            "province_adcode": self.province.adcode if self.province else None,
            "city": self.city.name_en if self.city else None,
            "city_adcode": self.city.adcode if self.city else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "city_lat": city_point[0],
            "city_lon": city_point[1],
            "precision": self.precision,
            "alias": self.alias,
            "matched": self.matched,
            "partners": list(self.partners),
            "candidates": [gazetteer.describe(p) for p in self.candidates],
            "note": self.note,
            "source": "gazetteer",
        }


_FIELDS = fields(Geocode)[1:]
_STATUS, _CANDIDATES, _MATCHED = (
    [f.name for f in _FIELDS].index(name) for name in ("status", "candidates", "matched")
)


def _close_province(hint: Place, candidates: tuple[Place, ...]) -> str | None:
    """Shanxi for Shaanxi: a candidate's province spelt nearly like the hint."""
    gazetteer = Gazetteer.load()
    names = {gazetteer.by_adcode(p.province, "province").name_en for p in candidates}
    hint_name = gazetteer.by_adcode(hint.province, "province").name_en
    close = difflib.get_close_matches(hint_name, sorted(names - {hint_name}), n=1, cutoff=0.8)
    return close[0] if close else None


def _answer(
    gazetteer: Gazetteer,
    query: str,
    place: Place,
    candidates: tuple[Place, ...],
    status: Status = "ok",
    **extra: Any,
) -> Geocode:
    province = gazetteer.by_adcode(place.province, "province")
    city = gazetteer.by_adcode(place.city_adcode, "city") if place.city_adcode else None
    return Geocode(query, status, place, place.level, city, province, candidates, **extra)


def _finest(places: Iterable[Place]) -> Place:
    return max(places, key=lambda p: LEVEL_RANK[p.level])


def _common(gazetteer: Gazetteer, places: Iterable[Place]) -> Place | None:
    """Return the city, else the province, that holds every place (None if none does)."""
    places = list(places)
    cities = {p.city_adcode for p in places}
    if len(cities) == 1 and None not in cities:
        return gazetteer.by_adcode(cities.pop(), "city")  # type: ignore[arg-type]
    provinces = {p.province for p in places}
    return gazetteer.by_adcode(provinces.pop(), "province") if len(provinces) == 1 else None


def _undecided(
    gazetteer: Gazetteer, name: str, candidates: tuple[Place, ...], hints: list[Place]
) -> Geocode:
    """Several readings: the unit that holds them all (``partial``), else ``ambiguous``."""
    common = _common(gazetteer, candidates)
    if common is not None:
        place = _finest([common, *hints]) if hints else common
        return _answer(gazetteer, name, place, candidates, "partial")
    return Geocode(name, "ambiguous", candidates=candidates)


def geocode(
    name: str,
    province: str | None = None,
    city: str | None = None,
    context: str | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    county: str | None = None,
) -> Geocode:
    """Geocode a place name, or a park name by the place it names.

    Parameters
    ----------
    name : str
        A place ("Sihui City", "贺州市", "Yulin, Guangxi") or a park or zone
        name ("Pingxiang Border Industrial Park").
    province, city, county : str, optional
        Hints, English or Chinese, with or without suffixes; ``city`` may be a
        county-level city. They decide among the name's readings, refine the
        answer, and place a name that names no place (``partial``); a name
        none of whose readings lies within them is a ``conflict``.
    context : str, optional
        Text around the name (a ``place`` column, a sentence) whose places may
        tell candidates apart or make the answer more precise.
    gazetteer : Gazetteer, optional
        The shipped gazetteer by default.

    Returns
    -------
    Geocode

    Raises
    ------
    geoparks.gazetteer.UnknownHintError
        If a hint names no province, city or county, or several.

    Examples
    --------
    >>> result = geocode("Yulin")
    >>> result.status, [place.name_zh for place in result.candidates]
    ('ambiguous', ['玉林市', '榆林市'])
    >>> geocode("Yulin", province="Guangxi").place.adcode
    '450900'
    >>> wrong = geocode("Yulin", province="Shanxi")
    >>> wrong.status
    'conflict'
    >>> print(wrong.problem)
    the name names 玉林市 450900 (Yulin, Guangxi); 榆林市 610800 (Yulin, Shaanxi): none in 山西省 140000 (Shanxi) (did you mean Shaanxi?)
    >>> geocode("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone").partners
    ('Shenzhen',)
    """  # noqa: E501
    gazetteer = gazetteer or Gazetteer.load()
    return Geocode(name, *read(name, province, city, context, gazetteer, county=county))


def read(
    name: str,
    province: str | None = None,
    city: str | None = None,
    context: str | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    county: str | None = None,
) -> tuple[Any, ...]:
    """Return the fields of :func:`geocode`'s answer after ``query``, for batches.

    Zone names read alike (the same places named, the same hints) share one
    tuple, so a batch can compute what it derives from an answer once per tuple.
    """
    gazetteer = gazetteer or Gazetteer.load()
    match = gazetteer.resolve(name, province, city, county)
    if match.status == "not_found" and not match.candidates:
        return _park_reading(name, province, city, context, gazetteer, county)
    hints = gazetteer.hints(province, city, county)
    if match.status == "ok" and match.place is not None:
        place = _finest([match.place, *hints])
        alias = match.alias if place is match.place else None
        answer = _answer(
            gazetteer, name, place, match.candidates, alias=alias, matched=name, note=match.note
        )
    elif match.status == "not_found" and hints:
        answer = Geocode(name, "conflict", candidates=match.candidates, hint=_finest(hints))
    elif match.status == "ambiguous" and not context:
        answer = _undecided(gazetteer, name, match.candidates, hints)
    else:
        return _park_reading(name, province, city, context, gazetteer, county)
    return _fields(answer)


def read_many(
    queries: list[tuple[str, str | None, str | None, str | None]], gazetteer: Gazetteer
) -> list[tuple[Any, ...] | GeoparksError]:
    """Return :func:`read` of many ``(name, province, city, county)``, or the error of one."""
    found: list[tuple[Any, ...] | GeoparksError] = []
    for name, province, city, county in queries:
        try:
            if gazetteer.lookup(name):  # the name is a place's: read() resolves it
                found.append(read(name, province, city, gazetteer=gazetteer, county=county))
            else:
                found.append(_park_reading(name, province, city, None, gazetteer, county))
        except GeoparksError as error:  # a fault of one name never stops the others
            found.append(error)
    return found


class _Mention(NamedTuple):
    text: str
    start: int
    places: list[tuple[Place, str | None]]
    bracketed: bool
    weak: bool


def _words(text: str) -> tuple[list[tuple[int, int]], list[str], bool]:
    """Word spans, their :func:`fold` keys, and whether joined keys are the spans' keys."""
    if text.isascii():
        lowered = text.lower()
        if lowered.replace(" ", "").isalnum():  # words and single spaces: no regex needed
            spans, keys, at = [], [], 0
            for token in lowered.split(" "):
                if token:
                    spans.append((at, at + len(token)))
                    keys.append(token)
                at += len(token) + 1
            return spans, keys, True
        spans = [m.span() for m in _WORD.finditer(text)]
        return spans, [lowered[a:b].replace("'", "") for a, b in spans], True
    spans = [m.span() for m in _WORD.finditer(text)]
    keys = [fold(text[a:b]) for a, b in spans]
    # What lies between words may fold to letters (a rare accented letter).
    return spans, keys, not spans or "".join(keys) == fold(text)


def _spans(
    text: str, gazetteer: Gazetteer
) -> list[tuple[int, int, list[tuple[Place, str | None]]]]:
    """Where a text names places: ``(start, end, places)``, longest first, in order."""
    if not text.isascii() and not _LATIN.search(text):  # Chinese alone: no words
        return gazetteer.scan(text)
    found = []
    words, keys, quick = _words(text)
    if quick and words:
        names, beginnings = gazetteer.english_keys()
    i, count = 0, len(words)
    while i < count:
        size = 0
        if quick:  # the longest run of words whose keys join into a name
            joined = keys[i]
            if joined not in beginnings:
                i += 1
                continue
            size = 1 if joined in names else 0
            for j in range(i + 1, min(i + _MAX_WORDS, count)):
                joined += keys[j]
                if joined not in beginnings:
                    break
                if joined in names:
                    size = j + 1 - i
        else:
            for size in range(min(_MAX_WORDS, count - i), 0, -1):
                if gazetteer.named(text[words[i][0] : words[i + size - 1][1]]):
                    break
            else:
                size = 0
        if size:
            start, end = words[i][0], words[i + size - 1][1]
            found.append((start, end, gazetteer.named(text[start:end])))
            i += size
        else:
            i += 1
    if not text.isascii():
        found += gazetteer.scan(text)
        found.sort(key=itemgetter(0))
    return found


def _depths(text: str) -> list[int] | None:
    """How deep in brackets each character of a text is; None when it has no brackets."""
    if "(" not in text and "（" not in text and "[" not in text:
        return None
    depth = [0] * (len(text) + 1)
    for i, char in enumerate(text):
        depth[i + 1] = depth[i] + (char in _OPEN) - (char in _CLOSE)
    return depth


def _weak(text: str, end: int, places: list[tuple[Place, str | None]]) -> bool:
    """Whether a place is named only as a feature's (杭州湾) or by sub-city aliases."""
    return text[end : end + 1] in _FEATURES or (
        places[0][1] is not None and all(a is not None for _, a in places)
    )


def _mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    """Every place named in a text, longest first, in order; generic words skipped."""
    depth = _depths(text)
    return [
        _Mention(text[s:e], s, places, depth is not None and depth[s] > 0, _weak(text, e, places))
        for s, e, places in _spans(text, gazetteer)
    ]


def place_mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    """Every place a text names, longest first, in order, each with every place it may be.

    A mention has ``text``, ``start`` (its offset), ``places`` (``(Place, alias)``
    pairs), ``bracketed`` and ``weak`` (a feature named after a place, or a
    sub-city alias only).
    """
    return _mentions(text, gazetteer)


def geocode_park(
    name: str,
    province: str | None = None,
    city: str | None = None,
    context: str | None = None,
    gazetteer: Gazetteer | None = None,
    *,
    county: str | None = None,
) -> Geocode:
    """Geocode a park or zone by the places its name names, read as a person reads them.

    - The places named must agree with each other and with the hints: a
      province or city named narrows a county's homonyms ("Guangxi Yulin").
    - A leading province name is the province (河北..., not Tianjin's 河北区).
    - Generic words that are also county names (:data:`GENERIC_WORDS`: 合作
      "cooperation", 新兴 "emerging"...) are not places; a place that names a
      lake, bay or mountain (杭州湾) and a named area (临港) count only when
      nothing else in the name contradicts them.
    - Once a place is settled, a later name of several readings that none
      agrees with is not read.
    - The most specific place wins ("Guangdong (Zhaoqing) Large Industrial
      Cluster" -> Zhaoqing); cities and provinces that do not fit the hints,
      or stand in brackets beside the place, are ``partners``.
    - Places in ``context`` only narrow the candidates or refine the answer.

    Returns
    -------
    Geocode
        ``ok`` when the name placed it; ``partial`` when only the hints did,
        or when its readings all lie in one city or province (placed there);
        ``conflict`` when it names places none of which lies within the hints;
        ``ambiguous`` with the candidates; ``not_found`` when nothing places it.
    """
    gazetteer = gazetteer or Gazetteer.load()
    return Geocode(name, *_park_reading(name, province, city, context, gazetteer, county))


def _park_reading(
    name: str,
    province: str | None,
    city: str | None,
    context: str | None,
    gazetteer: Gazetteer,
    county: str | None,
) -> tuple[Any, ...]:
    hints = gazetteer.hints(province, city, county)
    spans = _spans(name, gazetteer)
    lead = len(name) - len(name.lstrip(_LEADING))
    depth = _depths(name)
    # Names that differ only in words that name no place ("凭祥电子信息产业园",
    # "凭祥新材料产业园") are read alike: the reading is remembered by its places.
    said = tuple(
        [
            (name[s:e], s == lead, depth is not None and depth[s] > 0, _weak(name, e, places))
            for s, e, places in spans
        ]
    )
    reading = (said, province, city, county, context)
    remembered = gazetteer.memo.get(reading)
    if remembered is None:
        mentions = [
            _Mention(text, s, places, bracketed, weak)
            for (s, _, places), (text, _, bracketed, weak) in zip(spans, said, strict=True)
        ]
        answer = _read(name, mentions, lead, hints, context, gazetteer)
        if len(gazetteer.memo) > _REMEMBERED:
            gazetteer.memo.clear()
        remembered = gazetteer.memo[reading] = _fields(answer)
    status = remembered[_STATUS]
    if status == "not_found" or (
        status == "partial" and remembered[_MATCHED] is None and not remembered[_CANDIDATES]
    ):  # nothing in the name placed it
        return _town_reading(name, hints, gazetteer) or remembered
    return remembered


def _town_reading(name: str, hints: list[Place], gazetteer: Gazetteer) -> tuple[Any, ...] | None:
    """Read a name that names no larger place by the town it names (虎门镇, "Humen Town").

    The town's county (or city) is the answer, with a note saying so; towns of
    one name are told apart by the hints, as other places are. None when the
    name names no town within the hints.
    """
    mentions = gazetteer.town_mentions(name)
    for text, towns in mentions:
        fitting = [t for t in towns if all(gazetteer.related(h, t.unit) for h in hints)]
        units = tuple(dict.fromkeys(t.unit for t in fitting))
        if len(units) == 1:
            town, unit = fitting[0], units[0]
            note = f"read by its {town.kind} {town.name_zh} {town.code}, in {unit.name_zh}"
            return _fields(_answer(gazetteer, name, unit, units, matched=text, note=note))
        if units:
            note = f"read by its {fitting[0].kind} {text}: {len(units)} units have one"
            return _fields(replace(_undecided(gazetteer, name, units, hints), note=note))
    if mentions and hints:  # towns named, none within the hints
        units = tuple(dict.fromkeys(t.unit for _, towns in mentions for t in towns))
        return _fields(Geocode(name, "conflict", candidates=units, hint=_finest(hints)))
    return None


def _fields(answer: Geocode) -> tuple[Any, ...]:
    """Return a Geocode's fields after ``query``, in order, not copied."""
    return tuple(getattr(answer, f.name) for f in _FIELDS)


def _read(
    name: str,
    mentions: list[_Mention],
    lead: int,
    hints: list[Place],
    context: str | None,
    gazetteer: Gazetteer,
) -> Geocode:
    def fits(place: Place) -> bool:
        return all(gazetteer.related(h, place) for h in hints)

    chosen: list[tuple[Place, str | None, _Mention]] = []
    open_choices: list[tuple[_Mention, list[tuple[Place, str | None]]]] = []
    unfit: list[_Mention] = []
    for mention in mentions:
        places = mention.places
        if mention.start == lead:
            places = [(p, a) for p, a in places if p.level == "province"] or places
        fitting = [(p, a) for p, a in places if fits(p)]
        if hints:
            fitting = gazetteer.innermost(fitting)
        if len(fitting) == 1:
            chosen.append((*fitting[0], mention))
        elif fitting:
            open_choices.append((mention, fitting))
        else:
            unfit.append(mention)
    strong = [c for c in chosen if not c[2].weak]
    chosen = strong + [
        c for c in chosen
        if c[2].weak and all(gazetteer.related(c[0], s[0]) for s in strong)
    ]  # fmt: skip
    context_places = (
        [p for m in _mentions(context, gazetteer) for p, _ in m.places] if context else []
    )
    undecided: list[Place] = []
    for mention, fitting in open_choices:
        narrowed = [(p, a) for p, a in fitting if any(gazetteer.related(c[0], p) for c in chosen)]
        narrowed = gazetteer.innermost(narrowed) if chosen else narrowed
        if len(narrowed) != 1:
            within_context = [
                (p, a) for p, a in (narrowed or fitting)
                if any(gazetteer.related(c, p) for c in context_places)
            ]  # fmt: skip
            narrowed = within_context if len(within_context) == 1 else narrowed
        if len(narrowed) == 1:
            chosen.append((*narrowed[0], mention))
        elif not any(c[2].start < mention.start for c in chosen) and not mention.weak:
            undecided += [p for p, _ in (narrowed or fitting)]
    partners = [
        m.places[0][0].name_en if len(m.places) == 1 else m.text
        for m in unfit
        if all(p.level != "county" for p, _ in m.places)
    ]
    if undecided and not chosen:
        return _undecided(gazetteer, name, tuple(dict.fromkeys(undecided)), hints)
    if undecided:
        partners += [p.name_en for p in undecided if p.level != "county"]
    if chosen and not _on_chain(gazetteer, [c[0] for c in chosen] + hints):
        main = [c for c in chosen if not c[2].bracketed] or chosen[:1]
        if not _on_chain(gazetteer, [c[0] for c in main] + hints):
            return _undecided(gazetteer, name, tuple(c[0] for c in main), hints)
        partners += [c[0].name_en for c in chosen if c not in main]
        chosen = main
    if not chosen:
        strong_unfit = [m for m in unfit if not m.bracketed and not m.weak]
        if strong_unfit and hints:
            places = tuple(dict.fromkeys(p for m in strong_unfit for p, _ in m.places))
            return Geocode(name, "conflict", candidates=places, hint=_finest(hints))
        if not hints:
            return Geocode(name, "not_found")
    pool = [(p, a, m.text) for p, a, m in chosen] + [(h, None, None) for h in hints]
    place, alias, matched = max(pool, key=lambda item: LEVEL_RANK[item[0].level])
    refined = [
        p for p in context_places
        if LEVEL_RANK[p.level] > LEVEL_RANK[place.level] and gazetteer.contains(place, p)
    ]  # fmt: skip
    if len({p.adcode for p in refined}) == 1:
        place, alias, matched = refined[0], None, None
    note = gazetteer.note(matched, place) if matched else None
    return _answer(
        gazetteer,
        name,
        place,
        tuple(p for p, _, _ in chosen),
        "ok" if chosen or refined else "partial",
        partners=tuple(dict.fromkeys(partners)),
        alias=alias,
        matched=matched,
        note=note,
    )


def _on_chain(gazetteer: Gazetteer, places: list[Place]) -> bool:
    ranked = sorted(places, key=lambda p: LEVEL_RANK[p.level])
    return all(gazetteer.contains(a, b) for a, b in pairwise(ranked))
