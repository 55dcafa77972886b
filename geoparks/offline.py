"""The offline geocoder as a geopy :class:`~geopy.geocoders.base.Geocoder`.

It stands in wherever a geopy geocoder goes (``RateLimiter``,
``geopandas.tools.geocode``) and answers from the shipped gazetteer.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geoparks.gazetteer import Gazetteer
from geoparks.geocoding import AmbiguousPlaceError, Geocode, _answer, geocode

__all__ = ["AmbiguousPlaceWarning", "OfflineGeocoder"]


class AmbiguousPlaceWarning(UserWarning):
    """A geocoder gave no answer for a name that fits several places."""


class OfflineGeocoder(Geocoder):
    """A geopy geocoder over the shipped gazetteer: no network, no rate limit.

    ``geocode`` returns :class:`geopy.location.Location` objects whose ``raw``
    holds adcode, level, name_en, name_zh, province, city, precision and the
    candidates considered (:meth:`Geocode.raw`); ``province`` and ``city``
    keywords narrow the search. Following geopy, a name it cannot place gives
    ``None``. An ambiguous name asked for one answer gives ``None`` with an
    :class:`AmbiguousPlaceWarning` naming the name and its candidates (so
    ``geopandas.tools.geocode`` finishes a list, with an empty point for it),
    or raises :class:`AmbiguousPlaceError` with ``ambiguous="raise"``;
    ``exactly_one=False`` gives every candidate. ``reverse`` names the
    prefecture and province a point lies in.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
    ambiguous : {"warn", "raise"}
        What ``geocode(..., exactly_one=True)`` does with an ambiguous name.

    Examples
    --------
    >>> location = OfflineGeocoder().geocode("Pingxiang Border Industrial Park", province="Guangxi")
    >>> location.raw["name_zh"], location.raw["level"]
    ('凭祥市', 'county')
    >>> OfflineGeocoder().reverse((22.8170, 108.3669)).raw["name_zh"]
    '南宁市'
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, ambiguous: Literal["warn", "raise"] = "warn"
    ) -> None:
        super().__init__()
        if ambiguous not in ("warn", "raise"):
            raise ValueError(f"ambiguous={ambiguous!r} (expected 'warn' or 'raise')")
        self.gazetteer = gazetteer or Gazetteer.load()
        self.ambiguous = ambiguous

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        province: str | None = None,
        city: str | None = None,
        context: str | None = None,
    ) -> Location | list[Location] | None:
        """Geocode a place or park name; see :func:`geocode`."""
        result = geocode(query, province, city, context, self.gazetteer)
        if result.status == "not_found":
            return None
        if result.status == "ambiguous":
            if exactly_one and self.ambiguous == "raise":
                raise AmbiguousPlaceError(query, result.candidates)
            if exactly_one:
                warnings.warn(
                    f"{AmbiguousPlaceError(query, result.candidates)}; no answer given",
                    AmbiguousPlaceWarning,
                    stacklevel=2,
                )
                return None
            answers = [
                _answer(self.gazetteer, query, p, result.candidates) for p in result.candidates
            ]
            return [_location(a) for a in answers]
        location = _location(result)
        return location if exactly_one else [location]

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
    ) -> Location | list[Location] | None:
        """Name the prefecture and province a point lies in, and the nearest county seat.

        The gazetteer holds county seats, not county polygons: the county-level
        unit whose seat is nearest is a hint, not where the point lies.

        Parameters
        ----------
        query : (lat, lon), "lat, lon" or geopy.point.Point
            A WGS-84 point.

        Returns
        -------
        geopy.location.Location or None
            At the point asked, its ``raw`` naming the prefecture (``adcode``,
            ``name_en``, ``name_zh``, ``level`` ``"city"``), the ``province``
            and the county-level unit of that prefecture whose seat is nearest
            (``nearest_county_seat``, ``_zh``, ``_adcode``); None outside China.
        """
        from geoparks.joining import place_points

        point = Point(query)
        lat, lon = point.latitude, point.longitude
        _, city_codes, _ = place_points([lon], [lat])
        if city_codes[0] is None:
            return None
        city = self.gazetteer.by_adcode(city_codes[0], "city")
        counties = [
            p for p in self.gazetteer.places if p.level == "county" and p.city == city.adcode
        ]
        scale = math.cos(math.radians(lat))
        county = min(
            counties,
            key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * scale) ** 2,
            default=None,
        )
        result = _answer(self.gazetteer, f"{lat}, {lon}", city, (city,))
        raw = result.raw()
        raw.update(
            lat=lat,
            lon=lon,
            nearest_county_seat=county.name_en if county else None,
            nearest_county_seat_zh=county.name_zh if county else None,
            nearest_county_seat_adcode=county.adcode if county else None,
        )
        address = ", ".join(dict.fromkeys((city.name_en, raw["province"])))
        location = Location(f"{address} ({city.name_zh})", (lat, lon), raw)
        return location if exactly_one else [location]


def _location(result: Geocode) -> Location:
    place = result.place
    assert place is not None
    address = ", ".join(
        dict.fromkeys(
            unit.name_en for unit in (place, result.city, result.province) if unit is not None
        )
    )
    return Location(f"{address} ({place.name_zh})", (place.lat, place.lon), result.raw())
