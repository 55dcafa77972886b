"""Merging extracted candidates into a catalog: new records added, reviewed values kept.

A candidate is the same park as a catalog record when their names are the same
words after spelling variants are folded ("Sino-X" and "China-X", "the",
"Province"), when the words of one cover at least 0.8 of the other's, or when
one is a short form of the other (every word of it in the other, same head noun)
or of one of its ``aliases``. A matched record is never overwritten: an empty
cell is filled from the article, a different value is only proposed in the
report. Every article that reports a record is listed in ``also_reported_by``
(besides its ``source``).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from geoparks.errors import CatalogError, Problem
from geoparks.extraction import CANDIDATE_COLUMNS, Extraction
from geoparks.output import atomic_write_text, staged
from geoparks.units import format_area, format_money

__all__ = ["MergeReport", "cell_text", "merge", "merge_files", "read_rows", "same_park"]

ALSO = "also_reported_by"
_VARIANTS = {"sino": "china", "centre": "center", "hi": "high", "province": "", "the": "",
             "municipal": "", "municipality": "", "provincial": ""}  # fmt: skip
_FILLED = ("kind", "place", "county", "city", "province", "partners", "industries",
           "investment_cny", "investment_usd", "output_cny", "area_km2", "floor_area_km2",
           "established", "regions", "evidence", "notes", "aliases", "enterprises")  # fmt: skip


_LISTS = ("partners", "industries", "regions", "aliases", "enterprises")


@dataclass
class MergeReport:
    """What a merge did: records added, cells filled, values proposed, sources added."""

    added: list[str] = field(default_factory=list)
    filled: list[tuple[str, str, str]] = field(default_factory=list)
    proposed: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the report, one line per change."""
        out = [f"added {ident}" for ident in self.added]
        out += [f"filled {ident}.{column} = {value}" for ident, column, value in self.filled]
        out += [
            f"proposed {ident}.{column}: {read} (from {source}; the catalog keeps {current})"
            for ident, column, current, read, source in self.proposed
        ]
        out += [f"source added {ident}" for ident in self.sources]
        return out

    def summary(self) -> str:
        """Return the counts in one line."""
        return (
            f"{len(self.added)} added, {len(self.filled)} cells filled, "
            f"{len(self.proposed)} changes proposed (not applied), "
            f"{len(self.sources)} sources added"
        )


def name_words(name: str) -> frozenset[str]:
    """Return a name's words with spelling variants folded: the key names are matched by."""
    words = (w.lower() for w in re.findall(r"[^\W_]+", name))
    return frozenset(v for w in words if (v := _VARIANTS.get(w, w)))


def same_park(a: Iterable[str], b: Iterable[str]) -> float:
    """Return how surely two lists of names (a name and its aliases) name the same park.

    1 for the same words, the share of the larger word set covered when at least
    0.8, 0.5 for a short form (all its words in the other's, same head noun), else 0.
    """
    a, b = list(a), list(b)
    best = 0.0
    for x in map(name_words, a):
        for y in map(name_words, b):
            if not x or not y:
                continue
            shared = len(x & y) / max(len(x), len(y))
            if shared >= 0.8:
                best = max(best, shared)
            short, long = (x, y) if len(x) < len(y) else (y, x)
            if len(short) >= 2 and short < long and _head(a) == _head(b):
                best = max(best, 0.5)
    return best


def _head(names: Iterable[str]) -> str:
    first = next(iter(names), "")
    words = re.findall(r"[^\W_]+", first.lower())
    return words[-1] if words else ""


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Return a CSV's header and rows as text, exactly as written (for a merge that keeps them)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], []
    except UnicodeDecodeError as exc:
        raise CatalogError([Problem(str(path), 1, 1, f"not UTF-8 (byte {exc.start})",
                                    expected="a UTF-8 CSV")]) from None  # fmt: skip
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), [dict(row) for row in reader]


def merge(
    header: Sequence[str], rows: list[dict[str, str]], extractions: Sequence[Extraction]
) -> tuple[list[str], list[dict[str, str]], MergeReport]:
    """Merge candidates into catalog rows (text cells); return header, rows and the report."""
    report = MergeReport()
    header = list(header)
    taken = {row.get("id", "").casefold() for row in rows}
    for extraction in extractions:
        for candidate in extraction.rows():
            names = [candidate["name"], *filter(None, str(candidate["aliases"]).split(";"))]
            scores = [same_park([row.get("name", ""), *_aliases(row)], names) for row in rows]
            best = max(range(len(rows)), key=scores.__getitem__, default=None)
            match = rows[best] if best is not None and scores[best] > 0 else None
            if match is None:
                ident, number = candidate["id"], 2
                while ident.casefold() in taken:
                    ident, number = f"{candidate['id']}-{number}", number + 1
                taken.add(ident.casefold())
                rows.append({**{k: cell_text(v) for k, v in candidate.items()}, "id": ident})
                report.added.append(ident)
                continue
            _update(match, candidate, report)
    for row in rows:
        for column in row:
            if column not in header:
                header.append(column)
    return header, rows, report


def _aliases(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]


def _update(row: dict[str, str], candidate: dict[str, object], report: MergeReport) -> None:
    ident = row.get("id") or row.get("name", "")
    source = str(candidate["source"])
    if row.get("source") and row["source"] != source:
        also = [s for s in (row.get(ALSO) or "").split(";") if s]
        if source not in also:
            row[ALSO] = ";".join([*also, source])
    elif not row.get("source"):
        row["source"] = source
    for column in _FILLED:
        read = cell_text(candidate.get(column))
        if not read:
            continue
        current = (row.get(column) or "").strip()
        if not current:
            row[column] = read
            report.filled.append((ident, column, _shown(column, read)))
        elif column in _LISTS:
            have = {_folded(item) for item in current.split(";")}
            new = [item for item in read.split(";") if _folded(item) not in have]
            if new:
                report.proposed.append((ident, column, current, ";".join(new), source))
        elif column not in ("place", "evidence", "notes") and not _equal(current, read):
            report.proposed.append((ident, column, current, _shown(column, read), source))


def _equal(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    except ValueError:
        return _folded(a) == _folded(b)


def _folded(text: str) -> str:
    """Compare "Dinghu District" and "Dinghu", "Sihui City" and "Sihui" alike."""
    return re.sub(r"\s+(?:district|city|county|province)$", "", text.strip().casefold())


def _shown(column: str, value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    if column.endswith("_cny"):
        return format_money(number)
    if column.endswith("_km2"):
        return format_area(number)
    return value


def cell_text(value: object) -> str:
    """Return a value as a catalog cell: empty for missing, numbers without a trailing .0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


SOURCE_COLUMNS = ("id", "title", "publisher", "published", "file", "url")


def source_rows(extractions: Sequence[Extraction], folder: Path) -> list[dict[str, str]]:
    """Return a sources.csv row per article.

    ``file`` is the article's path relative to ``folder`` when the article lies in
    it and is plain text (evidence can then be checked against it), else empty.
    """
    rows = []
    for extraction in extractions:
        article = extraction.article
        file = ""
        if article.file and article.text == _plain_text(article.file):
            path = Path(article.file).resolve()
            if path.is_relative_to(folder.resolve()):
                file = path.relative_to(folder.resolve()).as_posix()
        rows.append({"id": extraction.source, "title": article.title or extraction.source,
                     "publisher": article.publisher or "", "published": article.published or "",
                     "file": file, "url": article.url or ""})  # fmt: skip
    return rows


def _plain_text(file: str) -> str | None:
    """Return the file's text when it is UTF-8 (an HTML page's extracted text is not the file's)."""
    try:
        return Path(file).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def write_csv(path: Path | TextIO, header: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write text rows as a UTF-8 CSV, atomically (or to an open stream)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n",
                            extrasaction="ignore")  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    if isinstance(path, Path):
        atomic_write_text(path, buffer.getvalue())
    else:
        path.write(buffer.getvalue())


def merge_files(
    extractions: Sequence[Extraction],
    catalog: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
) -> MergeReport:
    """Merge candidates into a catalog CSV and its sources.csv; write to ``out`` (or in place).

    Returns
    -------
    MergeReport
    """
    source = Path(catalog)
    target = Path(out) if out is not None else source
    header, rows = read_rows(source)
    sources_path = target.parent / "sources.csv"
    known_path = sources_path if sources_path.exists() else source.parent / "sources.csv"
    known_header, known = read_rows(known_path)
    for extraction in extractions:
        extraction.source = _known_source(extraction, known, known_path.parent) or extraction.source
    header, rows, report = merge(header or list(CANDIDATE_COLUMNS), rows, extractions)
    ids = {row.get("id") for row in known}
    for row in source_rows(extractions, target.parent):
        if row["id"] not in ids:
            known.append(row)
            report.sources.append(row["id"])
    write_outputs(target, header, rows, known_header or list(SOURCE_COLUMNS), known)
    return report


def _known_source(extraction: Extraction, known: list[dict[str, str]], folder: Path) -> str | None:
    """Return the id sources.csv already gives the article (same file, address or title)."""
    article = extraction.article
    path = Path(article.file).resolve() if article.file else None
    for row in known:
        if path is not None and row.get("file") and (folder / row["file"]).resolve() == path:
            return row["id"]
        if article.url and row.get("url") == article.url:
            return row["id"]
        if article.title and (row.get("title") or "").casefold() == article.title.casefold():
            return row["id"]
    return None


def write_outputs(
    target: Path,
    header: Sequence[str],
    rows: Iterable[dict[str, str]],
    sources_header: Sequence[str],
    sources: Iterable[dict[str, str]],
) -> None:
    """Write a catalog and the sources.csv beside it, both or neither (see :func:`staged`)."""
    with staged(target.parent) as staging:
        write_csv(staging / target.name, header, rows)
        write_csv(staging / "sources.csv", sources_header, sources)
