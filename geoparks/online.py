"""Opt-in online fallback: any geopy geocoder, rate-limited, cached on disk, checked.

The offline gazetteer answers first; only names it cannot place are sent to an
online geocoder (Nominatim by default, at most one request a second as its
usage policy asks). Every answer, including "nothing found" and a failure with
its reason, is stored in an SQLite cache as soon as it arrives, so a rerun, or a
run resumed after a crash, never repeats a request; failures are asked again
only when asked to (``retry_failed``). An answer is accepted only if it lies in
China, and in the stated province when one is given.

Limits: an answer larger than :data:`MAX_ANSWER_BYTES` or slower than
:data:`ANSWER_SECONDS` is cut off and counts as a failure; a 429 is waited out
once (its Retry-After, up to :data:`MAX_RETRY_AFTER` s), a server error retried
once; after :data:`FAILURES_IN_A_ROW` failures in a row a batch stops asking and
marks the rest "not asked". Two processes can share the cache: a name one of
them is asking is waited for by the other, not asked twice.
"""

from __future__ import annotations

import json
import math
import os
import socket
import sqlite3
import time
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder

from geoparks import __version__, settings
from geoparks.errors import GeoparksError
from geoparks.gazetteer import Gazetteer, Place, fold
from geoparks.joining import place_points

__all__ = ["BoundedAdapter", "OnlineAnswer", "OnlineGeocodeError", "OnlineGeocoder"]

USER_AGENT = f"geoparks/{__version__} (Python; industrial parks mapping)"
NOMINATIM_DELAY = 1.0
MAX_ANSWER_BYTES = 5 * 2**20
"""An answer larger than this (5 MB) is cut off: a failure."""
ANSWER_SECONDS = 30.0
"""An answer still arriving after this long is cut off: a failure."""
MAX_RETRY_AFTER = 60.0
"""A 429 asking to wait longer than this is a failure at once."""
FAILURES_IN_A_ROW = 3
"""A batch stops asking after this many failures in a row."""
ASKING_SECONDS = 120.0
"""A name another process has been asking for longer than this is asked again."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    lat REAL,
    lon REAL,
    address TEXT,
    raw TEXT,
    fetched REAL NOT NULL,
    failed TEXT,
    asking TEXT,
    PRIMARY KEY (provider, query)
)
"""


class AnswerCutOff(GeocoderServiceError):
    """An answer past :data:`MAX_ANSWER_BYTES` or :data:`ANSWER_SECONDS`: not asked again."""


class BoundedAdapter(BaseSyncAdapter):
    """geopy's HTTP through urllib, with answers cut at a size and a time.

    Geocoders driven by :class:`OnlineGeocoder` use it, so that a server that
    never stops sending can neither fill the memory nor hold a run forever.
    """

    def __init__(self, *, proxies: Any = None, ssl_context: Any = None) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        handlers: list[Any] = [urllib.request.HTTPSHandler(context=ssl_context)]
        if proxies is not None:
            handlers.append(urllib.request.ProxyHandler(proxies))
        self._open = urllib.request.build_opener(*handlers).open

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        """Return the answer at ``url``, read as JSON."""
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except ValueError:
            raise GeocoderParseError(f"the answer is not JSON: {text[:60]!r}") from None

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        """Return the answer at ``url`` as text, cut off past the size or time limit."""
        deadline = time.monotonic() + ANSWER_SECONDS
        try:
            with self._open(urllib.request.Request(url, headers=headers), timeout=timeout) as page:
                chunks, size = [], 0
                while chunk := page.read1(65536):
                    size += len(chunk)
                    if size > MAX_ANSWER_BYTES:
                        raise AnswerCutOff(
                            f"answer larger than {MAX_ANSWER_BYTES // 2**20} MB, cut off"
                        )
                    if time.monotonic() > deadline:
                        raise AnswerCutOff(f"answer still coming after {ANSWER_SECONDS:g} s")
                    chunks.append(chunk)
                charset = page.headers.get_content_charset() or "utf-8"
        except HTTPError as error:
            headers = {name.lower(): value for name, value in error.headers.items()}
            body = error.read(4096).decode("utf-8", "replace")
            raise AdapterHTTPError(
                f"HTTP {error.code} {error.reason}", status_code=error.code, headers=headers,
                text=body,
            ) from None  # fmt: skip
        except TimeoutError:
            raise GeocoderTimedOut(f"no answer within {timeout:g} s") from None
        except URLError as error:
            if "timed out" in str(error.reason):
                raise GeocoderTimedOut(f"no answer within {timeout:g} s") from None
            raise GeocoderUnavailable(f"unreachable: {error.reason}") from None
        except OSError as error:
            raise GeocoderUnavailable(f"connection failed: {error}") from None
        return b"".join(chunks).decode(charset, "replace")


class OnlineGeocodeError(GeoparksError, ConnectionError):
    """The online geocoder's cache cannot be used (read-only, locked)."""


@dataclass(frozen=True)
class OnlineAnswer:
    """One online answer, as checked.

    Attributes
    ----------
    query : str
        The text sent.
    status : {"ok", "not_found", "rejected", "failed"}
        ``rejected`` when the answer fell outside China or the stated province;
        ``failed`` when no answer came (``reason`` says why).
    lat, lon : float or None
        WGS-84 point of the answer.
    address : str or None
        The geocoder's own label.
    province : Place or None
        The province whose polygon holds the point (see :func:`geoparks.place_points`).
    cached : bool
        Whether it came from the cache rather than the network.
    reason : str or None
        Why it was rejected or failed.
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
        Nominatim with geoparks' user agent by default. Its HTTP goes through
        :class:`BoundedAdapter`.
    cache : path-like, optional
        The SQLite cache; ``geocode-cache.sqlite`` in :func:`settings.cache_dir`.
        A file that is not a readable cache is moved aside (``.corrupt``) and a
        new one started.
    min_delay_seconds : float, optional
        Between requests; 1 s for Nominatim, 0 for another geocoder.
    error_wait_seconds : float
        Wait before the one retry after a server error, or after a 429 that
        gives no Retry-After.
    retry_failed : bool
        Ask again the names whose earlier request failed (else their failure
        is answered from the cache).

    Raises
    ------
    OnlineGeocodeError
        If the cache cannot be written (a read-only file or folder).
    """

    def __init__(
        self,
        geocoder: Geocoder | None = None,
        cache: str | os.PathLike[str] | None = None,
        min_delay_seconds: float | None = None,
        error_wait_seconds: float = 5.0,
        gazetteer: Gazetteer | None = None,
        *,
        retry_failed: bool = False,
    ) -> None:
        self.geocoder = geocoder or Nominatim(user_agent=USER_AGENT, timeout=10)
        if isinstance(getattr(self.geocoder, "adapter", None), BaseSyncAdapter):
            self.geocoder.adapter = BoundedAdapter(
                proxies=getattr(self.geocoder, "proxies", None),
                ssl_context=getattr(self.geocoder, "ssl_context", None),
            )
        if min_delay_seconds is None:
            min_delay_seconds = NOMINATIM_DELAY if isinstance(self.geocoder, Nominatim) else 0.0
        self.min_delay_seconds, self.error_wait_seconds = min_delay_seconds, error_wait_seconds
        self.retry_failed = retry_failed
        self.provider = type(self.geocoder).__name__
        self.where = f"{self.provider} ({getattr(self.geocoder, 'domain', '')})"
        path = Path(cache) if cache is not None else settings.cache_dir() / "geocode-cache.sqlite"
        self.cache_path = path
        self.notes: list[str] = []
        self._db = self._open_cache(path)
        self._last_request = -math.inf
        self.gazetteer = gazetteer or Gazetteer.load()

    def _open_cache(self, path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                return _connect(path)
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                    raise
                aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
                path.replace(aside)
                self.notes.append(f"{path}: not a readable cache ({error}): moved to {aside}")
                return _connect(path)
        except (OSError, sqlite3.Error) as error:
            raise OnlineGeocodeError(
                f"{path}: the geocoding cache cannot be used ({error}); make it writable, "
                "or set GEOPARKS_CACHE_DIR to a folder you can write"
            ) from None

    def close(self) -> None:
        """Close the cache."""
        self._db.close()

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def geocode(self, name: str, province: str | None = None) -> OnlineAnswer:
        """Geocode one name online (or from the cache), and check the answer.

        Never raises for the server: a failure is an answer with status
        ``failed``, stored with its reason.
        """
        hint = self.gazetteer.hint(province, "province") if province else None
        query = ", ".join(filter(None, [name, hint.name_en if hint else None, "China"]))
        key = fold(query) or query
        row, cached = self._answer(query, key)
        lat, lon, address, failed = row
        if failed is not None:
            reason = f"earlier request failed: {failed} (ask again with --retry-failed)"
            return OnlineAnswer(query, "failed", cached=cached, reason=reason if cached else failed)
        if lat is None or lon is None:
            return OnlineAnswer(query, "not_found", cached=cached)
        return self._check(OnlineAnswer(query, "ok", lat, lon, address, cached=cached), hint)

    def geocode_many(
        self, names: Iterable[tuple[str, str | None]], progress: bool | None = True
    ) -> Iterator[OnlineAnswer]:
        """Geocode (name, province) pairs in order, with a progress bar (None: on a terminal).

        After :data:`FAILURES_IN_A_ROW` failures in a row the remaining names
        are not asked: they come back ``failed``, "not asked".
        """
        from tqdm import tqdm

        items = list(names)
        failures: list[str] = []
        disable = None if progress is None else not progress
        for name, province in tqdm(items, desc="online geocoding", disable=disable):
            if len(failures) >= FAILURES_IN_A_ROW:
                yield OnlineAnswer(name, "failed", reason=f"not asked: {len(failures)} failures "
                                   f"in a row, the last: {failures[-1]}")  # fmt: skip
                continue
            answer = self.geocode(name, province)
            fresh_failure = answer.status == "failed" and not answer.cached
            failures = [*failures, answer.reason or ""] if fresh_failure else []
            yield answer

    def _answer(
        self, query: str, key: str
    ) -> tuple[tuple[float | None, float | None, str | None, str | None], bool]:
        """Return the cached answer, or ask for it once, however many processes share the cache."""
        mine = f"{socket.gethostname()}:{os.getpid()}"
        while True:
            self._db.execute("BEGIN IMMEDIATE")  # no other process between the look and the claim
            try:
                row = self._db.execute(
                    "SELECT lat, lon, address, failed, asking, fetched FROM answers "
                    "WHERE provider = ? AND query = ?", (self.provider, key),
                ).fetchone()  # fmt: skip
                answered = row is not None and row[4] is None
                if answered and not (row[3] is not None and self.retry_failed):
                    return row[:4], True
                claim = row is None or answered or _abandoned(row[4], row[5])
                if claim:
                    self._db.execute(
                        "INSERT OR REPLACE INTO answers VALUES (?, ?, NULL, NULL, NULL, NULL, ?, "
                        "NULL, ?)", (self.provider, key, time.time(), mine),
                    )  # fmt: skip
            finally:
                self._db.execute("COMMIT")
            if claim:
                break
            time.sleep(0.2)  # another process is asking: wait for its answer
        answer = self._fetch(query)
        self._db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (self.provider, key, *answer[:4], time.time(), answer[4]),
        )
        lat, lon, address, _, failed = answer
        return (lat, lon, address, failed), False

    def _fetch(
        self, query: str
    ) -> tuple[float | None, float | None, str | None, str | None, str | None]:
        """Ask once, retrying once; return (lat, lon, address, raw, failure reason)."""
        for attempt in (1, 2):
            wait = time.monotonic() - self._last_request
            if wait < self.min_delay_seconds:
                time.sleep(self.min_delay_seconds - wait)
            self._last_request = time.monotonic()
            try:
                location = self.geocoder.geocode(query, exactly_one=True)
            except GeocoderRateLimited as exc:
                pause = exc.retry_after if exc.retry_after is not None else self.error_wait_seconds
                if attempt == 2 or pause > MAX_RETRY_AFTER:
                    return _failed(f"{self.where} refused it: too many requests (HTTP 429)")
                time.sleep(pause)
            except GeocoderTimedOut as exc:
                return _failed(f"{self.where} timed out: {exc}")
            except GeocoderUnavailable as exc:
                return _failed(f"{self.where} is {exc}")
            except AnswerCutOff as exc:
                return _failed(f"{self.where} sent an {exc}")
            except (GeocoderParseError, ValueError, TypeError, KeyError) as exc:
                return _failed(f"{self.where} gave an answer that cannot be read: {exc}")
            except GeocoderServiceError as exc:
                if attempt == 2:
                    return _failed(f"{self.where} failed: {exc}")
                time.sleep(self.error_wait_seconds)
            else:
                if location is None:
                    return None, None, None, None, None
                lat, lon = location.latitude, location.longitude
                if not (math.isfinite(lat) and math.isfinite(lon)):
                    return _failed(f"{self.where} gave no valid point (lat {lat}, lon {lon})")
                raw = json.dumps(location.raw, ensure_ascii=False, default=str)
                return lat, lon, location.address, raw, None
        raise AssertionError("unreachable")

    def _check(self, answer: OnlineAnswer, hint: Place | None) -> OnlineAnswer:
        assert answer.lat is not None and answer.lon is not None
        (code,), _, _ = place_points([answer.lon], [answer.lat])
        if code is None:
            return _rejected(answer, "outside China")
        province = self.gazetteer.by_adcode(code, "province")
        if hint is not None and province.adcode != hint.adcode:
            return _rejected(answer, f"in {province.name_en}, not {hint.name_en}", province)
        return replace(answer, province=province)


def _connect(path: Path) -> sqlite3.Connection:
    """Open the cache: WAL, so that two processes read and write it together."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None)  # transactions by hand
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(_SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(answers)")}
    for column in ("failed", "asking"):  # caches written before these columns existed
        if column not in columns:
            db.execute(f"ALTER TABLE answers ADD COLUMN {column} TEXT")
    return db


def _abandoned(asking: str, since: float) -> bool:
    """Whether the process that claimed a name is gone, or has held it too long."""
    host, _, pid = asking.rpartition(":")
    if time.time() - since > ASKING_SECONDS:
        return True
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    return False


def _failed(reason: str) -> tuple[None, None, None, None, str]:
    return None, None, None, None, reason


def _rejected(answer: OnlineAnswer, reason: str, province: Place | None = None) -> OnlineAnswer:
    return replace(answer, status="rejected", reason=reason, province=province)
