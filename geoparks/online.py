"""Opt-in online fallback: any geopy geocoder, rate-limited, cached on disk, checked.

The offline gazetteer answers first; only names it cannot place are sent to an
online geocoder (Nominatim by default, at most one request a second as its
usage policy asks). Every answer, including "nothing found", is stored in an
SQLite cache as soon as it arrives, so a rerun, or a run resumed after a crash,
never repeats a request. An answer is accepted only if it lies in China, and in
the stated province when one is given.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geopy.exc import (
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder

from geoparks import __version__, settings
from geoparks.errors import GeoparksError
from geoparks.gazetteer import Gazetteer, Place, fold
from geoparks.joining import place_points

__all__ = ["OnlineAnswer", "OnlineGeocodeError", "OnlineGeocoder"]

USER_AGENT = f"geoparks/{__version__} (Python; industrial parks mapping)"
NOMINATIM_DELAY = 1.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    lat REAL,
    lon REAL,
    address TEXT,
    raw TEXT,
    fetched REAL NOT NULL,
    PRIMARY KEY (provider, query)
)
"""


class OnlineGeocodeError(GeoparksError, ConnectionError):
    """The online geocoder failed: timed out, refused, rate-limited or broken."""


@dataclass(frozen=True)
class OnlineAnswer:
    """One online answer, as checked.

    Attributes
    ----------
    query : str
        The text sent.
    status : {"ok", "not_found", "rejected"}
        ``rejected`` when the answer fell outside China or the stated province.
    lat, lon : float or None
        WGS-84 point of the answer.
    address : str or None
        The geocoder's own label.
    province : Place or None
        The province whose polygon holds the point (see :func:`geoparks.place_points`).
    cached : bool
        Whether it came from the cache rather than the network.
    reason : str or None
        Why it was rejected.
    """

    query: str
    status: str
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    province: Place | None = None
    cached: bool = False
    reason: str | None = None


class OnlineGeocoder:
    """Geocode through any geopy geocoder, with a rate limit and a persistent cache.

    Parameters
    ----------
    geocoder : geopy.geocoders.base.Geocoder, optional
        Nominatim with geoparks' user agent by default.
    cache : path-like, optional
        The SQLite cache; ``geocode-cache.sqlite`` in :func:`settings.cache_dir`.
    min_delay_seconds : float, optional
        Between requests; 1 s for Nominatim, 0 for another geocoder.
    error_wait_seconds : float
        Wait before retrying after a server error (two retries).
    """

    def __init__(
        self,
        geocoder: Geocoder | None = None,
        cache: str | os.PathLike[str] | None = None,
        min_delay_seconds: float | None = None,
        error_wait_seconds: float = 5.0,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.geocoder = geocoder or Nominatim(user_agent=USER_AGENT, timeout=10)
        if min_delay_seconds is None:
            min_delay_seconds = NOMINATIM_DELAY if isinstance(self.geocoder, Nominatim) else 0.0
        self.provider = type(self.geocoder).__name__
        self._limited = RateLimiter(
            self.geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )
        path = Path(cache) if cache is not None else settings.cache_dir() / "geocode-cache.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.cache_path = path
        self._db = sqlite3.connect(path)
        self._db.execute(_SCHEMA)
        self._db.commit()
        self.gazetteer = gazetteer or Gazetteer.load()

    def close(self) -> None:
        """Close the cache."""
        self._db.close()

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def geocode(self, name: str, province: str | None = None) -> OnlineAnswer:
        """Geocode one name online (or from the cache), and check the answer.

        Raises
        ------
        OnlineGeocodeError
            On a timeout, a refused connection, or an HTTP error left after retries.
        """
        hint = self.gazetteer.hint(province, "province") if province else None
        query = ", ".join(filter(None, [name, hint.name_en if hint else None, "China"]))
        key = fold(query) or query
        row = self._db.execute(
            "SELECT lat, lon, address FROM answers WHERE provider = ? AND query = ?",
            (self.provider, key),
        ).fetchone()
        cached = row is not None
        if row is None:
            row = self._fetch(query)
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.provider, key, *row, time.time()),
            )
            self._db.commit()
        lat, lon, address = row[:3]
        if lat is None or lon is None:
            return OnlineAnswer(query, "not_found", cached=cached)
        return self._check(OnlineAnswer(query, "ok", lat, lon, address, cached=cached), hint)

    def geocode_many(
        self, names: Iterable[tuple[str, str | None]], progress: bool = True
    ) -> Iterator[OnlineAnswer]:
        """Geocode (name, province) pairs in order, with a progress bar."""
        from tqdm import tqdm

        items = list(names)
        for name, province in tqdm(items, desc="online geocoding", disable=not progress):
            yield self.geocode(name, province)

    def _fetch(self, query: str) -> tuple[float | None, float | None, str | None, str | None]:
        where = f"{self.provider} ({getattr(self.geocoder, 'domain', '')})"
        try:
            location = self._limited(query, exactly_one=True)
        except GeocoderTimedOut:
            raise OnlineGeocodeError(f"{where} timed out on {query!r}; try again later") from None
        except GeocoderUnavailable as exc:
            if "timed out" in str(exc).lower():
                raise OnlineGeocodeError(
                    f"{where} timed out on {query!r}; try again later"
                ) from None
            raise OnlineGeocodeError(f"{where} is unreachable: {exc}") from None
        except GeocoderRateLimited as exc:
            raise OnlineGeocodeError(
                f"{where} refused {query!r} for too many requests (HTTP 429); "
                f"wait{f' {exc.retry_after} s' if exc.retry_after else ''} and run again: "
                "answers so far are cached"
            ) from None
        except GeocoderServiceError as exc:
            raise OnlineGeocodeError(f"{where} failed on {query!r}: {exc}") from None
        if location is None:
            return None, None, None, None
        return (
            location.latitude,
            location.longitude,
            location.address,
            json.dumps(location.raw, ensure_ascii=False, default=str),
        )

    def _check(self, answer: OnlineAnswer, hint: Place | None) -> OnlineAnswer:
        assert answer.lat is not None and answer.lon is not None
        (code,), _, _ = place_points([answer.lon], [answer.lat])
        if code is None:
            return _rejected(answer, "outside China")
        province = self.gazetteer.by_adcode(code, "province")
        if hint is not None and province.adcode != hint.adcode:
            return _rejected(answer, f"in {province.name_en}, not {hint.name_en}", province)
        return OnlineAnswer(**{**answer.__dict__, "province": province})


def _rejected(answer: OnlineAnswer, reason: str, province: Place | None = None) -> OnlineAnswer:
    return OnlineAnswer(**{**answer.__dict__, "status": "rejected", "reason": reason,
                           "province": province})  # fmt: skip
