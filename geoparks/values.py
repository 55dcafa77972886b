"""Reading a table's cells into a catalog's typed columns, noting every problem where it stood.

:class:`Reader` maps the headers (the catalog's own, those of :data:`HEADERS`,
or the user's ``columns``), parses each column once per distinct value, checks
what involves several cells (coordinates and their datum, ids, sources, dates,
evidence) and returns every record with the problems found, each located to
its file, line and column.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from geoparks import rejects, units
from geoparks.errors import CatalogError, Problem, UnitError
from geoparks.schema import (
    CJK,
    COLUMNS,
    COMPUTED,
    NUMERIC,
    PLAIN_NUMBER,
    RESERVED,
    InvalidValue,
    canonical_header,
    slugify,
)
from geoparks.tables import Table

__all__ = ["EVIDENCE_GAP", "Reader"]

EVIDENCE_GAP = " [...] "
"""Joins non-adjacent verbatim excerpts of one article in ``evidence``."""


class Reader:
    """Reads a table's text cells into typed columns, noting every problem where it stood."""

    def __init__(
        self,
        table: Table,
        sources: pd.DataFrame,
        crs: str | None,
        columns: Mapping[str, str] | None,
    ) -> None:
        self.table, self.sources, self.columns = table, sources, dict(columns or {})
        self.file = table.file
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.scales: dict[str, float] = {}
        self.crs = None
        if crs is not None:
            try:
                self.crs = COLUMNS["crs"].parse(crs)
            except InvalidValue as exc:
                raise CatalogError(
                    [Problem(self.file, 1, 1, "crs: unknown datum", crs, exc.expected)]
                ) from None
        self.header_crs: dict[str, str] = {}
        self.source_of: dict[str, str] = {}  # catalog column -> header in the file
        self.renamed: dict[str, str] = {}  # a reserved name in the file -> the column kept

    # -- the header ----------------------------------------------------------------------

    def _map_header(self) -> None:
        header = self.table.header
        for column, given in self.columns.items():
            if column not in COLUMNS:
                raise CatalogError(
                    [Problem(self.file, 1, 1, f"--columns names an unknown catalog column "
                             f"{column!r}", given, "one of " + ", ".join(COLUMNS))]
                )  # fmt: skip
            if given not in header:
                raise CatalogError(
                    [Problem(self.file, 1, 1, f"--columns maps {column} to a column the file "
                             "does not have", given, "one of " + ", ".join(header))]
                )  # fmt: skip
            self.source_of[column] = given
        taken = set(self.source_of.values())
        layer = {"declared_regions", "placement", "province_adcode"} <= set(header)  # exported
        for position, name in enumerate(header, start=1):
            if name in taken or (layer and (name in COMPUTED or name == "regions")):
                continue
            if name in RESERVED and not layer:
                kept = self.renamed[name] = _free(f"original_{name}", header)
                self.problems.append(
                    Problem(self.file, 1, position, f"column {name!r} is a name geoparks "
                            f"computes: kept as {kept!r}", name,
                            f"another name (rename the column; reserved: {', '.join(RESERVED)})",
                            reason="reserved_column")
                )  # fmt: skip
                continue
            if layer and name == "declared_regions":
                self.source_of["regions"] = name
                continue
            column, scale, datum = (name, None, None) if name in COLUMNS else canonical_header(name)
            if column is None or column in self.source_of:
                close = difflib.get_close_matches(name, list(COLUMNS), n=1, cutoff=0.8)
                if close and close[0] not in self.source_of and close[0] not in header:
                    self.notes.append(f"column {name!r} kept as it is (did you mean {close[0]!r}?)")
                continue
            self.source_of[column] = name
            if name != column:
                self.notes.append(f"column {name!r} read as {column}")
            if scale is not None:
                self.scales[column] = scale
            if datum is not None:
                self.header_crs[column] = datum
        if self.table.geometry:
            self.notes.append(f"lat and lon read from the geometry ({self.table.geometry})")

    def _check_header(self) -> list[Problem]:
        names = self.source_of
        header = ",".join(self.table.header)
        problems = []
        if "name" not in names:
            problems.append(Problem(self.file, 1, 1, "missing required column 'name'", header,
                                    "a header with a 'name' column (or 名称, or --columns "
                                    "name=...)"))  # fmt: skip
        if not any(c in names for c in ("city", "place", "county", "province", "lat")):
            problems.append(Problem(self.file, 1, 1, "no column to place records by", header,
                                    "a 'city', 'county', 'province' or 'place' column, or "
                                    "'lat' and 'lon'"))  # fmt: skip
        if ("lat" in names) != ("lon" in names):
            problems.append(Problem(self.file, 1, 1, "'lat' and 'lon' come together", header,
                                    "both columns or neither"))  # fmt: skip
        return problems

    # -- the cells -----------------------------------------------------------------------

    def _bad(
        self, rows: Iterable[int], column: str, message: str, expected: str | None,
        reason: str = "bad_value", value: Callable[[int], str | None] | None = None,
    ) -> None:  # fmt: skip
        header = self.source_of.get(column, column)
        frame = self.table.frame
        for row in rows:
            line, col = self.table.cell(row, header)
            shown = (
                value(row) if value is not None
                else str(frame.at[row, header]) if header in frame else None
            )  # fmt: skip
            self.problems.append(
                Problem(self.file, line, col, message, shown, expected, reason=reason)
            )

    def _parse_each(self, column: str, text: pd.Series) -> pd.Series:
        """Parse every distinct value once; note the cells that fail."""
        codes, uniques = pd.factorize(text, sort=False)
        parsed = np.empty(len(uniques), dtype=object)
        failures: dict[int, InvalidValue] = {}
        parse = COLUMNS[column].parse
        for i, value in enumerate(uniques):
            try:
                parsed[i] = parse(value)
            except InvalidValue as exc:
                failures[i] = exc
                parsed[i] = parse("")
        for i, exc in failures.items():
            self._bad(np.flatnonzero(codes == i), column, f"{column}: {exc.message}", exc.expected)
        taken = parsed[codes]
        if isinstance(parse(""), list):  # each record gets a list of its own
            taken = np.fromiter(map(list, taken), dtype=object, count=len(taken))
        return pd.Series(taken, index=text.index, dtype=object)

    def _numbers(self, column: str, text: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(float, copy=True)
        # A finite number read by pandas is a plain number; the rest are looked at closely.
        is_plain = pd.Series(np.isfinite(numbers), index=text.index)
        doubtful = ~is_plain & (text != "")
        if doubtful.any():
            plain = text[doubtful].str.replace(_THOUSANDS, "", regex=True)
            matches = plain.str.fullmatch(PLAIN_NUMBER.pattern).astype(bool)
            numbers[doubtful.to_numpy()] = np.where(
                matches, pd.to_numeric(plain.where(matches, None)).to_numpy(float), np.nan
            )
            is_plain[doubtful] = matches
        values = pd.Series(numbers * self.scales.get(column, 1.0), index=text.index)
        values[~is_plain] = np.nan
        other = (~is_plain) & (text != "")
        if other.any():
            values[other] = self._parse_each(column, text[other]).astype(float)
        if column in ("lat", "lon"):
            return values
        expected = COLUMNS_EXPECTED[column]
        self._bad(np.flatnonzero(is_plain & ~np.isfinite(values)), column,
                  f"{column}: not a finite number", expected)  # fmt: skip
        self._bad(np.flatnonzero(is_plain & (values < 0)), column, f"{column}: negative value",
                  "zero or more")  # fmt: skip
        return values.where(np.isfinite(values) & (values >= 0))

    def read(self) -> tuple[pd.DataFrame, list[Problem]]:
        """Return every record (valid or not) with its id, and the problems found."""
        self._map_header()
        header_problems = self._check_header()
        if header_problems:
            return pd.DataFrame(), header_problems
        frame = self.table.frame
        size = len(frame)
        data: dict[str, Any] = {}
        for column in COLUMNS:
            if column not in self.source_of:
                continue
            text = frame[self.source_of[column]].astype(str).str.strip()
            if column in _TEXT_COLUMNS:
                data[column] = _nullable(text)
            elif column in (*NUMERIC, "lat", "lon"):
                data[column] = self._numbers(column, text)
            else:
                data[column] = self._parse_each(column, text)
        self._note_vocabulary(data)
        names = data.get("name", pd.Series([None] * size, index=frame.index))
        self._bad(np.flatnonzero(names.isna()), "name", "name: empty", "the park's name",
                  reason="missing_name")  # fmt: skip
        if "name_zh" in data:
            given = data["name_zh"].notna()
            no_han = given & ~data["name_zh"].fillna("").str.contains(CJK.pattern)
            self._bad(np.flatnonzero(no_han), "name_zh", "name_zh: no Chinese characters",
                      "a name in Chinese characters")  # fmt: skip
        self._coordinates(data, size)
        self._sources_and_dates(data, frame.index)
        ids = self._ids(data.get("id"), names)
        columns = [c for c in COLUMNS if c != "crs"]
        parks = pd.DataFrame(index=frame.index)
        for column in columns:
            default = COLUMNS[column].parse("")
            if column in data:
                parks[column] = data[column]
            elif isinstance(default, list):
                parks[column] = pd.Series(_empty_lists(size), index=frame.index, dtype=object)
            else:
                parks[column] = default
        parks["id"] = ids
        mapped = set(self.source_of.values())
        for name in frame.columns:
            if (
                name not in mapped
                and name not in parks.columns
                and not (
                    self.source_of.get("regions") == "declared_regions" and name in _LAYER_COLUMNS
                )
            ):
                parks[self.renamed.get(name, name)] = _nullable(frame[name].astype(str))
        parks = parks.astype({name: "float64" for name in (*NUMERIC, "lat", "lon")})
        return parks.set_index("id", drop=False), self.problems

    def _note_vocabulary(self, data: dict[str, Any]) -> None:
        for column in ("kind", "status"):
            if column not in data:
                continue
            given = self.table.frame[self.source_of[column]].astype(str).str.strip()
            read = data[column]
            changed = (given != "") & read.notna() & (given != read.fillna(""))
            for (raw, word), n in (
                pd.Series(list(zip(given[changed], read[changed], strict=True)), dtype=object)
                .value_counts()
                .items()
            ):
                self.notes.append(f"{column} {raw!r} read as {word} ({rejects.records(n)})")

    def _coordinates(self, data: dict[str, Any], size: int) -> None:
        if "lat" not in data:
            data["lat"] = data["lon"] = pd.Series(np.nan, index=range(size))
            return
        lat = data["lat"].to_numpy(float, copy=True)
        lon = data["lon"].to_numpy(float, copy=True)
        given_lat = self.table.frame[self.source_of["lat"]].astype(str).str.strip() != ""
        given_lon = self.table.frame[self.source_of["lon"]].astype(str).str.strip() != ""
        bad = np.zeros(size, dtype=bool)
        for column, values, given, limit in (("lat", lat, given_lat, 90), ("lon", lon, given_lon,
                                                                           180)):  # fmt: skip
            expected = f"decimal degrees from {-limit:g} to {limit:g}"
            unreadable = given.to_numpy() & np.isnan(values)
            self._bad(np.flatnonzero(unreadable & ~self._failed(column)), column,
                      f"{column}: not a number", expected)  # fmt: skip
            out = np.abs(values) > limit
            swapped = out & (column == "lat") & _china_like(lat, lon)
            self._bad(np.flatnonzero(swapped), column, "lat and lon look swapped: lat is "
                      "outside -90..90 but the point (lat, lon) read the other way round lies "
                      "in China", "lat in the lat column, lon in the lon column",
                      reason="swapped_coordinates")  # fmt: skip
            self._bad(np.flatnonzero(out & ~swapped), column, f"{column}: out of range",
                      expected)  # fmt: skip
            bad |= unreadable | out
        one = given_lat.to_numpy() != given_lon.to_numpy()
        self._bad(np.flatnonzero(one), "lat", "lat and lon come together", "both or neither")
        bad |= one
        lat[bad], lon[bad] = np.nan, np.nan
        datum = self._datums(data, size)
        convert = ~np.isnan(lat) & (datum != "wgs84")
        if convert.any():
            from geoparks.datum import to_wgs84

            lon[convert], lat[convert] = to_wgs84(lon[convert], lat[convert], datum[convert])
            for name, n in pd.Series(datum[convert]).value_counts().items():
                label = {"gcj02": "GCJ-02", "bd09": "BD-09"}[name]
                self.notes.append(
                    f"coordinates of {rejects.records(n)} converted from {label} to WGS-84"
                )
        data["lat"], data["lon"] = pd.Series(lat), pd.Series(lon)

    def _datums(self, data: dict[str, Any], size: int) -> np.ndarray:
        fallback = self.header_crs.get("lat") or self.header_crs.get("lon") or self.crs or "wgs84"
        datum = np.full(size, fallback, dtype=object)
        if "crs" in data:
            given = data["crs"].notna().to_numpy()
            datum[given] = data["crs"].to_numpy()[given]
        return datum

    def _failed(self, column: str) -> np.ndarray:
        lines = {p.line for p in self.problems if p.message.startswith(f"{column}:")}
        return np.isin(self.table.lines, list(lines))

    def _sources_and_dates(self, data: dict[str, Any], index: pd.Index) -> None:
        sources = self.sources
        if "source" not in data and "established" not in data and "evidence" not in data:
            return
        source = data.get("source", pd.Series([None] * len(index), index=index, dtype=object))
        known = source.isin(sources.index) | source.isna()
        url = source.fillna("").str.match(r"https?://")
        listed = ", ".join(sources.index) or "none: no sources.csv beside the catalog"
        self._bad(np.flatnonzero(~known & ~url), "source", "source: unknown source id",
                  f"an id from sources.csv ({listed}) or a URL",
                  reason="unknown_source")  # fmt: skip
        published = source.map(sources["published"]) if len(sources) else source.map(lambda _: None)
        if "established" in data:
            text = data["established"]
            pairs = pd.Series(list(zip(text, published.where(known, None), strict=True)),
                              index=index, dtype=object)  # fmt: skip
            codes, uniques = pd.factorize(pairs)
            parsed: list[str | None] = []
            for i, (value, reference) in enumerate(uniques):
                try:
                    parsed.append(_established(value, reference))
                except UnitError as exc:
                    parsed.append(None)
                    self._bad(np.flatnonzero(codes == i), "established",
                              f"established: {exc}".split(" (expected")[0],
                              "a date such as 2022-04-14, 2015.12, 2012年10月 or 2017 (relative "
                              "dates need a source with a published date)")  # fmt: skip
            values = np.asarray(parsed, dtype=object)[codes] if len(uniques) else []
            data["established"] = pd.Series(values, index=index, dtype=object)
        if "evidence" in data:
            for row in np.flatnonzero(data["evidence"].notna()):
                record = {c: (v.iloc[row] if isinstance(v, pd.Series) else None)
                          for c, v in data.items()}  # fmt: skip
                for column in (*NUMERIC,):
                    record.setdefault(column, math.nan)
                    if record[column] is None:
                        record[column] = math.nan
                article = sources.loc[record["source"]] if record.get("source") in sources.index \
                    else None  # fmt: skip
                for column, message, value, expected in _evidence_issues(record, article):
                    self._bad([row], column, message, expected, reason="bad_evidence",
                              value=lambda _r, v=value: v)  # fmt: skip

    def _ids(self, given: pd.Series | None, names: pd.Series) -> pd.Series:
        size = len(names)
        given = given if given is not None else pd.Series([None] * size, index=names.index)
        generated = given.isna()
        slugs = {name: slugify(name) for name in pd.unique(names[generated].dropna())}
        lines = pd.Series(self.table.lines, index=names.index)
        ids = given.copy()
        ids[generated] = names[generated].map(slugs)
        nameless = generated & names.isna()
        ids[nameless] = "line-" + lines[nameless].astype(str)
        folded = ids.str.casefold()
        repeated = folded.duplicated(keep="first")
        clash = repeated & ~generated
        if clash.any():
            first = lines.groupby(folded).transform("first")
            for row in np.flatnonzero(clash):
                self._bad([row], "id", "duplicate id", f"an id not used before (line "
                          f"{first.iloc[row]} has it)", reason="duplicate_id")  # fmt: skip
        renamed = repeated & generated
        ids[renamed] = ids[renamed] + "-" + lines[renamed].astype(str)
        if generated.any():
            self.notes.append(f"ids made from the names of {rejects.records(int(generated.sum()))}")
        return ids


def _established(value: object, reference: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _TIME.sub("", value)
    return units.parse_date(cleaned, reference if isinstance(reference, str) else None)


def _empty_lists(size: int) -> np.ndarray:
    return np.fromiter(map(list, itertools.repeat((), size)), dtype=object, count=size)


def _nullable(text: pd.Series) -> pd.Series:
    """Return text as Python strings, None when empty; a repeated value is one object."""
    codes, uniques = pd.factorize(text)
    table = np.append(np.asarray(uniques, dtype=object), None)
    table[table == ""] = None
    return pd.Series(table[codes], index=text.index, dtype=object)


def _free(name: str, header: list[str]) -> str:
    """Return ``name``, or ``name_2``, ``name_3``... when the header already has it."""
    found, n = name, 1
    while found in header:
        n += 1
        found = f"{name}_{n}"
    return found


def _china_like(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon >= 73) & (lon <= 136) & (lat >= 3) & (lat <= 54)


_TEXT_COLUMNS = ("name", "name_zh", "place", "county", "city", "province", "country", "source",
                 "evidence", "notes", "established")  # fmt: skip
_LAYER_COLUMNS = ("regions", *COMPUTED)
_THOUSANDS = r"(?<=\d),(?=\d{3}(?:\D|$))"
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
COLUMNS_EXPECTED = {
    "investment_cny": "a number of CNY, or an amount such as '5 billion yuan'",
    "investment_usd": "a number of USD, or an amount such as '5 billion yuan'",
    "output_cny": "a number of CNY, or an amount such as '5 billion yuan'",
    "area_km2": "a number of km², or an area such as '1,355 mu'",
    "floor_area_km2": "a number of km², or an area such as '1,355 mu'",
}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _evidence_issues(record: dict[str, object], source: pd.Series | None) -> list[tuple]:
    """Return (column, message, value, expected) for each claim the evidence does not support."""
    evidence = str(record["evidence"])
    issues = []
    text = source.get("text") if source is not None else None  # a user's sources may have none
    article = _squash(text) if isinstance(text, str) and text else None
    if article and any(_squash(part) not in article for part in evidence.split(EVIDENCE_GAP)):
        issues.append(
            (
                "evidence",
                "evidence: not found verbatim in the source article",
                evidence[:60],
                f"a sentence copied from {source.get('file') or 'the article'}",
            )
        )
    money = units.find_money(evidence)
    stated = {
        "cny": {m.cny for m in money if m.cny is not None},
        "usd": {m.usd for m in money if m.usd is not None},
        "km2": {a.km2 for a in units.find_areas(evidence)},
    }
    for column, unit in (
        ("investment_cny", "cny"),
        ("output_cny", "cny"),
        ("investment_usd", "usd"),
        ("area_km2", "km2"),
        ("floor_area_km2", "km2"),
    ):
        value = record[column]
        if not math.isnan(value) and not any(
            math.isclose(value, s, rel_tol=1e-9) for s in stated[unit]
        ):
            issues.append(
                (
                    column,
                    f"{column}: value not stated in the evidence",
                    f"{value:.15g}",
                    f"an amount the evidence states: {sorted(stated[unit]) or 'none'}",
                )
            )
    return issues
