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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from geoparks.errors import GeoparksError
from geoparks.gazetteer import LEVEL_RANK, Gazetteer, Place

__all__ = [
    "AmbiguousPlaceError",
    "Geocode",
    "geocode",
    "geocode_park",
]

Status = Literal["ok", "partial", "ambiguous", "not_found"]
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_OPEN, _CLOSE = "(（[", ")）]"
_MAX_WORDS = 4


class AmbiguousPlaceError(GeoparksError, LookupError):
    """A name fits several places and nothing given tells them apart."""

    def __init__(self, query: str, candidates: Iterable[Place]) -> None:
        self.candidates = tuple(candidates)
        listed = "; ".join(describe(p) for p in self.candidates)
        super().__init__(f"{query!r} is ambiguous: {listed} (give a province or city)")


def describe(place: Place) -> str:
    """Name a place for a message: ``玉林市 450900 (Yulin, Guangxi)``."""
    return Gazetteer.load().describe(place)


@dataclass(frozen=True)
class Geocode:
    """The answer for one name.

    Attributes
    ----------
    query : str
        The name asked for.
    status : {"ok", "partial", "ambiguous", "not_found"}
        ``partial`` when only a hint placed it: the name itself named no place.
    place : Place or None
        The most specific unit reached.
    precision : {"county", "city", "province"} or None
        The level of ``place``.
    city, province : Place or None
        The city-level and provincial units ``place`` lies in.
    candidates : tuple of Place
        The places the name fitted (all of them when ambiguous).
    partners : tuple of str
        Other places a park name names, such as "Shenzhen" in
        "Nanning (Shenzhen) ASEAN Industrial Cooperation Zone".
    alias : str or None
        The sub-city place that led to ``place`` ("Pazhou").
    matched : str or None
        The part of a park name that named ``place``.
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

    @property
    def point(self) -> tuple[float, float] | None:
        """The city-level point (lat, lon): the city's seat, or the province's capital."""
        unit = self.city or self.province
        return (unit.lat, unit.lon) if unit else None

    @property
    def county_point(self) -> tuple[float, float] | None:
        """The county's seat (lat, lon), when a county was named."""
        return (self.place.lat, self.place.lon) if self.precision == "county" else None

    def raw(self) -> dict[str, Any]:
        """Return the fields of a result row, also a geopy ``Location.raw``."""
        place = self.place
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
            "precision": self.precision,
            "alias": self.alias,
            "matched": self.matched,
            "partners": list(self.partners),
            "candidates": [describe(p) for p in self.candidates],
            "source": "gazetteer",
        }


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


def geocode(
    name: str,
    province: str | None = None,
    city: str | None = None,
    context: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Geocode:
    """Geocode a place name, or a park name by the place it names.

    Parameters
    ----------
    name : str
        A place ("Sihui City", "贺州市", "Yulin, Guangxi") or a park or zone
        name ("Pingxiang Border Industrial Park").
    province, city : str, optional
        Hints, English or Chinese, with or without suffixes.
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
        If a hint names no province or city.

    Examples
    --------
    >>> result = geocode("Yulin")
    >>> result.status, [place.name_zh for place in result.candidates]
    ('ambiguous', ['玉林市', '榆林市'])
    >>> geocode("Yulin", province="Guangxi").place.adcode
    '450900'
    >>> geocode("Nanning (Shenzhen) ASEAN Industrial Cooperation Zone").partners
    ('Shenzhen',)
    """
    gazetteer = gazetteer or Gazetteer.load()
    match = gazetteer.resolve(name, province, city)
    if match.status == "ok" and match.place is not None:
        return _answer(
            gazetteer, name, match.place, match.candidates, alias=match.alias, matched=name
        )
    if match.status == "ambiguous" and not context:
        return Geocode(name, "ambiguous", candidates=match.candidates)
    return geocode_park(name, province, city, context, gazetteer)


@dataclass
class _Mention:
    text: str
    places: list[tuple[Place, str | None]]
    bracketed: bool


def _mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    depth = [0] * (len(text) + 1)
    for i, char in enumerate(text):
        depth[i + 1] = depth[i] + (char in _OPEN) - (char in _CLOSE)
    found: list[tuple[int, _Mention]] = []
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        for size in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            span = text[words[i].start() : words[i + size - 1].end()]
            places = gazetteer.lookup(span)
            if places:
                found.append(
                    (words[i].start(), _Mention(span, places, depth[words[i].start()] > 0))
                )
                i += size
                break
        else:
            i += 1
    han_keys = gazetteer.han_keys
    for run in _HAN_RUN.finditer(text):
        start = run.start()
        while start < run.end():
            for end in range(min(run.end(), start + 8), start + 1, -1):
                if text[start:end] not in han_keys:
                    continue
                places = gazetteer.lookup(text[start:end])
                if places:
                    found.append((start, _Mention(text[start:end], places, depth[start] > 0)))
                    start = end
                    break
            else:
                start += 1
    return [mention for _, mention in sorted(found, key=lambda item: item[0])]


def geocode_park(
    name: str,
    province: str | None = None,
    city: str | None = None,
    context: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Geocode:
    """Geocode a park or zone by the places its name names.

    The longest place names inside ``name`` (English word runs or Chinese
    characters) that agree with the hints are taken; the most specific wins
    ("Guangdong (Zhaoqing) Large Industrial Cluster" -> Zhaoqing). Cities and
    provinces that do not fit, or stand in brackets beside the place, are
    returned as ``partners``. Places found in ``context`` only narrow the
    candidates or refine the answer. Without any place, the hints answer.

    Returns
    -------
    Geocode
        ``ambiguous`` with the candidates when the name and hints leave more
        than one place; ``not_found`` when they name none; ``partial`` when
        only the hints (or the context) placed it.
    """
    gazetteer = gazetteer or Gazetteer.load()
    hints = []
    if province:
        hints.append(gazetteer.hint(province, "province"))
    if city:
        hints.append(gazetteer.hint(city, "city", *hints))

    def fits(place: Place) -> bool:
        return all(gazetteer.contains(h, place) or gazetteer.contains(place, h) for h in hints)

    def on_chain(places: list[Place]) -> bool:
        ranked = sorted(places, key=lambda p: LEVEL_RANK[p.level])
        return all(gazetteer.contains(a, b) for a, b in pairwise(ranked))

    mentions = _mentions(name, gazetteer)
    chosen: list[tuple[Place, str | None, str]] = []
    open_choices: list[tuple[_Mention, list[tuple[Place, str | None]]]] = []
    partners: list[str] = []
    for mention in mentions:
        places = gazetteer.collapse(mention.places)
        fitting = [(p, a) for p, a in places if fits(p)]
        if len(fitting) == 1:
            chosen.append((*fitting[0], mention.text))
        elif fitting:
            open_choices.append((mention, fitting))
        elif all(p.level != "county" for p, _ in places):
            partners.append(places[0][0].name_en if len(places) == 1 else mention.text)
    context_places = [
        p for m in _mentions(context or "", gazetteer) for p, _ in gazetteer.collapse(m.places)
    ]
    for mention, fitting in open_choices:
        narrowed = [
            (p, a) for p, a in fitting if any(_related(gazetteer, c, p) for c in context_places)
        ]
        if len(narrowed) == 1:
            chosen.append((*narrowed[0], mention.text))
        elif not any(gazetteer.contains(p, c[0]) for p, _ in fitting for c in chosen):
            return Geocode(name, "ambiguous", candidates=tuple(p for p, _ in fitting))
    bracketed = {m.text for m in mentions if m.bracketed}
    if not on_chain([p for p, _, _ in chosen] + hints):
        main = [c for c in chosen if c[2] not in bracketed] or chosen[:1]
        if not on_chain([p for p, _, _ in main] + hints):
            return Geocode(name, "ambiguous", candidates=tuple(p for p, _, _ in main))
        partners += [c[0].name_en for c in chosen if c not in main]
        chosen = main
    pool = [(p, a, m) for p, a, m in chosen] + [(h, None, None) for h in hints]
    if not pool:
        return Geocode(name, "not_found")
    place, alias, matched = max(pool, key=lambda item: LEVEL_RANK[item[0].level])
    refined = [
        p for p in context_places
        if LEVEL_RANK[p.level] > LEVEL_RANK[place.level] and gazetteer.contains(place, p)
    ]  # fmt: skip
    if len({p.adcode for p in refined}) == 1:
        place, alias, matched = refined[0], None, None
    return _answer(
        gazetteer,
        name,
        place,
        tuple(p for p, _, _ in chosen),
        "ok" if chosen or refined else "partial",
        partners=tuple(dict.fromkeys(partners)),
        alias=alias,
        matched=matched,
    )


def _related(gazetteer: Gazetteer, a: Place, b: Place) -> bool:
    return gazetteer.contains(a, b) or gazetteer.contains(b, a)
