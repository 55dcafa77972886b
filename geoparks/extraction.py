r"""Candidate catalog records read from news articles, each value tied to where it was read.

:func:`extract` reads an article (see :mod:`geoparks.articles`) and proposes
records in the catalog's schema, with ``status`` "unreviewed":

- **Names** are capitalised chains ending in a head noun that says what the
  thing is (Industrial Park, High-tech Zone, New District, Cluster, Production
  Base, Liaison Office...), such chains followed by lowercase words up to a head
  ("... offshore wind power demonstration project"), and a lowercase base or
  project introduced by a verb of building ("build an integrated base for
  ..."). Companies, committees, governments, ports, plans, agreements and
  newspapers are not records; "the X Management Committee" and "the
  Command of X" are mentions of X. A district that is an administrative unit
  (Haizhu District) is a place, not a record; a region of ``regions.csv`` that
  is a city cluster or a trade area is a region, not a record.
- **One record per thing**: forms that differ only in ``Province``, ``the``
  and case are one; a headline's short form, and a short form made of the
  places and the head alone ("Zhaoqing Cluster"), are aliases of the full name.
- **Place**: the places the name names (gazetteer); when the name names none,
  or only a sub-city alias, the places of the clauses that mention the record;
  when those name none either, the article's most named city. Homonyms are
  settled by the places around them, then by the article's.
- **Figures**: money and areas (see :mod:`geoparks.units`) go to the record
  the clause names nearest before them (after them when none is before),
  through "the park", "it" and "they"; a figure of a counted batch ("23
  projects with a total investment of...") goes to the clause's subject only
  when that subject is one record. Each figure keeps its basis (total,
  planned, completed, period...); ``investment_cny`` is the total, else the
  planned, else a period's figure, and ``notes`` lists the others.

Every value carries the sentence and the character offsets it was read from.

Examples
--------
>>> result = extract("New zones in Guangxi\n\nUpdated: 2023-05-02\n\nThe Qinzhou Bay Chemical "
...                  "Industrial Park covers an area of 12 square kilometers.")
>>> record = result.records[0]
>>> record.name, record.kind, record.city, record.area_km2
('Qinzhou Bay Chemical Industrial Park', 'industrial_park', 'Qinzhou', 12.0)
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geoparks import units
from geoparks.articles import Article, ArticleError, Sentence, read_article
from geoparks.gazetteer import Gazetteer, Place
from geoparks.newswords import (
    ADJECTIVES,
    AFTER_PREPOSITION,
    ALIAS_AFTER,
    ASIDE,
    BASES,
    BATCH,
    BUILD,
    CONNECTORS,
    CONTAINER,
    COUNTRIES,
    DEMONSTRATIVE,
    ENTERPRISES,
    FEATURE,
    FIGURE_OF,
    FLOOR,
    FORMER,
    FOUNDED,
    FUNCTION_WORDS,
    GENERIC,
    HEAD_SIZES,
    HEAD_WORDS,
    HEADS,
    IN_HOLDER,
    IN_PLACE,
    INDEFINITE,
    INDUSTRIES,
    INVEST,
    INVESTMENT_ORDER,
    LEISURE,
    LISTED,
    LOCATED,
    MODIFIER,
    NOT_LAND,
    NOT_MONEY,
    NOT_RECORDS,
    OPENERS,
    OPENING_SUBJECT,
    ORGANISATIONS,
    OUTPUT,
    PAIR,
    PART_AFTER,
    PART_BEFORE,
    PARTNERS,
    PERSON,
    PRONOUN,
    PUBLICATION,
    REFERENCE,
    ROLE_AFTER,
    STAGES,
    SUBJECT_VERB,
    TOKEN,
    VERBS,
    chain_end,
    head_at,
    is_capitalised,
    name_key,
    name_words,
    words_of,
)
from geoparks.schema import slugify

__all__ = ["CANDIDATE_COLUMNS", "Candidate", "Extraction", "Reading", "extract", "extract_many"]

CANDIDATE_COLUMNS = (
    "id", "name", "kind", "status", "place", "county", "city", "province", "country", "partners",
    "industries", "investment_cny", "investment_usd", "output_cny", "area_km2", "floor_area_km2",
    "established", "regions", "source", "evidence", "notes", "aliases", "enterprises", "stage",
    "article", "read_at",
)  # fmt: skip
"""The columns of a candidates table: the catalog's, then what only extraction gives."""


@dataclass(frozen=True)
class Reading:
    """Where one value was read: ``text[start:end]`` of the article, in a sentence.

    Attributes
    ----------
    column : str
        The catalog column it fills (``name``, ``investment_cny``...), or
        ``figure`` for a figure not chosen for a column.
    value : object
        The value as read and normalised.
    start, end : int
        The offsets of what was read.
    sentence : (int, int)
        The offsets of its sentence.
    basis : str or None
        For money: ``total``, ``planned``, ``completed``, ``period``,
        ``contracted`` or ``stated``; for areas ``land`` or ``floor``.
    """

    column: str
    value: Any
    start: int
    end: int
    sentence: tuple[int, int]
    basis: str | None = None


@dataclass
class Candidate:
    """One proposed record, with every value and where it was read."""

    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    place: str | None = None
    county: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = None
    partners: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    investment_cny: float | None = None
    investment_usd: float | None = None
    output_cny: float | None = None
    area_km2: float | None = None
    floor_area_km2: float | None = None
    established: str | None = None
    stage: str | None = None
    readings: list[Reading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def evidence(self) -> list[tuple[int, int]]:
        """Return the sentences the record's values were read from, in order."""
        return sorted({r.sentence for r in self.readings})


@dataclass
class Extraction:
    """The candidates read from one article."""

    article: Article
    source: str
    records: list[Candidate]

    def rows(self) -> list[dict[str, Any]]:
        """Return the records as rows of :data:`CANDIDATE_COLUMNS`.

        The catalog's columns, then ``aliases``, ``enterprises``, ``stage`` (the
        status the article suggests), ``article`` and ``read_at`` (the offsets).
        """
        from geoparks.values import EVIDENCE_GAP

        text = self.article.text
        rows = []
        for record in self.records:
            evidence = EVIDENCE_GAP.join(" ".join(text[a:b].split()) for a, b in record.evidence())
            rows.append(
                {
                    "id": slugify(record.name),
                    "name": record.name,
                    "kind": record.kind,
                    "status": "unreviewed",
                    "place": record.place,
                    "county": record.county,
                    "city": record.city,
                    "province": record.province,
                    "country": record.country,
                    "partners": ";".join(record.partners),
                    "industries": ";".join(record.industries),
                    "investment_cny": record.investment_cny,
                    "investment_usd": record.investment_usd,
                    "output_cny": record.output_cny,
                    "area_km2": record.area_km2,
                    "floor_area_km2": record.floor_area_km2,
                    "established": record.established,
                    "regions": ";".join(record.regions),
                    "source": self.source,
                    "evidence": evidence,
                    "notes": "; ".join(record.notes),
                    "aliases": ";".join(record.aliases),
                    "enterprises": ";".join(record.enterprises),
                    "stage": record.stage,
                    "article": self.article.file,
                    "read_at": "; ".join(f"{r.column}@{r.start}-{r.end}" for r in record.readings),
                }
            )
        return rows

    def as_json(self) -> dict[str, Any]:
        """Everything read, with offsets: the article's title and date and each record."""
        article = self.article
        return {
            "source": self.source,
            "file": article.file,
            "title": article.title,
            "published": article.published,
            "publisher": article.publisher,
            "url": article.url,
            "records": [
                {
                    **row,
                    "readings": [
                        {
                            "column": r.column,
                            "value": r.value,
                            "text": article.text[r.start : r.end],
                            "start": r.start,
                            "end": r.end,
                            "sentence": article.text[r.sentence[0] : r.sentence[1]],
                            "sentence_start": r.sentence[0],
                            "sentence_end": r.sentence[1],
                            "basis": r.basis,
                        }
                        for r in record.readings
                    ],
                }
                for row, record in zip(self.rows(), self.records, strict=True)
            ],
        }


def extract(
    article: str | os.PathLike[str] | Article,
    *,
    gazetteer: Gazetteer | None = None,
    source: str | None = None,
) -> Extraction:
    """Read one article and propose catalog records from it.

    Parameters
    ----------
    article : str, path-like or Article
        A path to a text or HTML file, the text itself, or an :class:`Article`.
    gazetteer : Gazetteer, optional
        The places to read; the shipped one by default.
    source : str, optional
        The id the records' ``source`` gets; made from the title and year by default.

    Returns
    -------
    Extraction
        ``records`` in the order the article first names them.

    Raises
    ------
    ArticleError
        If the article cannot be read (see :func:`geoparks.articles.read_article`).
    """
    if not isinstance(article, Article):
        article = read_article(article)
    gazetteer = gazetteer or Gazetteer.load()
    reader = _Reader(article, gazetteer)
    records = reader.read()
    return Extraction(article, source or source_id(article), records)


def extract_many(
    articles: Iterable[str | os.PathLike[str]], *, gazetteer: Gazetteer | None = None
) -> tuple[list[Extraction], list[str]]:
    """Extract from several articles: the extractions, and one message per article not read.

    Source ids are made unique across the articles.
    """
    gazetteer = gazetteer or Gazetteer.load()
    done: list[Extraction] = []
    failed: list[str] = []
    taken: set[str] = set()
    for path in articles:
        try:
            article = read_article(path if isinstance(path, os.PathLike) else os.fspath(path))
        except ArticleError as exc:
            failed.append(str(exc))
            continue
        base = source_id(article)
        ident, number = base, 2
        while ident in taken:
            ident, number = f"{base}-{number}", number + 1
        taken.add(ident)
        done.append(extract(article, gazetteer=gazetteer, source=ident))
    return done, failed


def source_id(article: Article) -> str:
    """Return a readable id for an article: its title's first words and its year."""
    words = re.findall(r"[^\W_]+", (article.title or "").lower())
    stem = "-".join(w for w in words if w not in FUNCTION_WORDS)
    stem = "-".join(stem.split("-")[:6])
    if not stem and article.file:
        stem = slugify(os.path.splitext(os.path.basename(article.file))[0])
    year = article.published[:4] if article.published else None
    return slugify("-".join(p for p in (stem or "article", year) if p))


# ------------------------------------------------------------------- reading
@dataclass
class _Mention:
    start: int
    end: int
    sentence: int
    record: int | None  # index into records; None for batches and unresolved references
    kind: str  # "name", "org" (a record named by its organisation), "reference", "pronoun", "batch"
    subject: bool = False


@dataclass
class _Name:
    text: str
    start: int
    end: int
    kind: str
    org: bool
    title: bool


class _Reader:
    def __init__(self, article: Article, gazetteer: Gazetteer) -> None:
        self.article = article
        self.text = article.text
        self.gazetteer = gazetteer
        self.sentences: list[Sentence] = list(article.sentences)
        if article.title_span:
            start, end = article.title_span
            self.sentences.insert(0, Sentence(start, end, -1, False))
        self.records: list[Candidate] = []
        self.keys: dict[frozenset[str], int] = {}
        self.mentions: list[list[_Mention]] = [[] for _ in self.sentences]
        self.regions = _region_names()
        self.acronyms: dict[str, Candidate] = {}

    # -- names
    def read(self) -> list[Candidate]:
        names = [(i, n) for i, s in enumerate(self.sentences) for n in self._names(s, not s.prose)]
        body = [(i, n) for i, n in names if not n.title]
        for i, name in body + [(i, n) for i, n in names if n.title]:
            self._add_name(i, name)
        self._merge_short_forms()
        for i, sentence in enumerate(self.sentences):
            self._references(i, sentence)
        for mentions in self.mentions:
            mentions.sort(key=lambda m: m.start)
        self._resolve_pronouns()
        article_places = self._article_places()
        pending = [
            (index, record, fallback)
            for index, record in enumerate(self.records)
            if (fallback := self._locate(index, record, article_places)) is not None
        ]
        for index, record, (place, within) in pending:  # what the article as a whole says
            found = self._container_place(index) or self._main_city(within)
            found = found or self._article_city(within, article_places) or place
            if found is not None:
                self._fill_place(record, found)
        for i, sentence in enumerate(self.sentences):
            if sentence.paragraph >= 0:
                self._figures(i, sentence)
                self._details(i, sentence)
        for record in self.records:
            self._choose_figures(record)
        return [r for r in self.records if r.name]

    def _names(self, sentence: Sentence, is_title: bool) -> list[_Name]:
        text = self.text
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text, sentence.start, sentence.end)]
        words = [text[a:b] for a, b in tokens]
        found: list[_Name] = []
        i = 0
        while i < len(tokens):
            if not is_capitalised(words[i]) or (i > 0 and is_capitalised(words[i - 1])):
                i += 1
                continue
            end = chain_end(words, i)
            names = self._split_chain(tokens, words, i, end, is_title)
            if i > 0 and words[i - 1].lower() in DEMONSTRATIVE:
                names = []  # "this China-Malaysia project": the one named before
            if names and self._common_opening(words, i):
                names = []  # "Bilateral government project ...": a capital only as it opens
            if i > 0 and words[i - 1].lower() in INDEFINITE:  # "a GMP pilot base": no name,
                names = [  # but "a Guangdong-Macao zone", "a China-Mongolia zone" are
                    n for n in names
                    if self._place_mentions(n.text) or re.match(r"[A-Z][\w]*-[A-Z]", n.text)
                ]  # fmt: skip
            found.extend(names)
            i = max(end, i + 1)
        for match in BUILD.finditer(text, sentence.start, sentence.end):
            mods = match["mods"].split()
            if any(w in FUNCTION_WORDS or w.endswith("level") for w in mods):
                continue
            start = match.start("mods")
            found.append(_Name(text[start : match.end("np")], start, match.end("np"),
                               "project", False, is_title))  # fmt: skip
        return found

    def _split_chain(
        self, tokens: list[tuple[int, int]], words: list[str], i: int, end: int, is_title: bool
    ) -> list[_Name]:
        """Return the names in one capitalised chain ``words[i:end]`` (with a lowercase tail)."""
        while i < end and words[i].lower() in OPENERS:
            i += 1
        if i >= end:
            return []
        lowered = [w.lower() for w in words]
        # "X and Y" where X ends in a head: two names.
        for j in range(i + 1, end - 1):
            if lowered[j] in ("and", "&") and (
                head_at(lowered, i, j)
                or lowered[j - 1] in ORGANISATIONS
                or self._all_places(self.text[tokens[i][0] : tokens[j - 1][1]])
            ):  # "... Zone and Y", "... Committee and Y", "Shanghai Pudong and Tianjin Binhai ..."
                return self._split_chain(tokens, words, i, j, is_title) + self._split_chain(
                    tokens, words, j + 1, end, is_title
                )
        for j in range(i + 1, end - 1):  # "Investment Promotion Center for the X": X
            if lowered[j] == "for" and (
                lowered[j - 1] in ORGANISATIONS or head_at(lowered, i, j) == "office"
            ):
                right_start = j + 1 + (lowered[j + 1] == "the")
                return [
                    _Name(n.text, n.start, n.end, n.kind, True, n.title)
                    for n in self._split_chain(tokens, words, right_start, end, is_title)
                ]
        # "X of (the) Y"
        for j in range(i + 1, end - 1):
            if lowered[j] != "of":
                continue
            left = head_at(lowered, i, j)
            right_start = j + 1 + (lowered[j + 1] == "the")
            if left == "office":
                start, stop = tokens[i][0], tokens[end - 1][1]
                return [_Name(self.text[start:stop], start, stop, "office", False, is_title)]
            if left is not None:
                right = self.text[tokens[right_start][0] : tokens[end - 1][1]]
                if self.gazetteer.lookup(right) or right in self.regions:  # "Park of Laibin City"
                    return self._split_chain(tokens, words, i, j, is_title)
                start, stop = tokens[i][0], tokens[end - 1][1]  # "Park of Cooperation Between X"
                return [_Name(self.text[start:stop], start, stop, left, False, is_title)]
            if lowered[j - 1] in ("center", "centre") and lowered[end - 1] == "cooperation":
                start, stop = tokens[i][0], tokens[end - 1][1]  # "Center of Boundary Cooperation"
                return [_Name(self.text[start:stop], start, stop, "cooperation_zone", False,
                              is_title)]  # fmt: skip
            if lowered[j - 1] in ORGANISATIONS:
                return [
                    _Name(n.text, n.start, n.end, n.kind, True, n.title)
                    for n in self._split_chain(tokens, words, right_start, end, is_title)
                ]
            return self._split_chain(tokens, words, right_start, end, is_title)
        last = end
        org = False
        if lowered[end - 1] in ORGANISATIONS and head_at(lowered, i, end) is None:
            # "the Guangzhou High-tech Zone Management Committee" names the zone
            k = end - 1
            while k > i and (lowered[k] in ORGANISATIONS or lowered[k] == "management"):
                k -= 1
            if head_at(lowered, i, k + 1) is None:
                return []
            last, org = k + 1, True
        kind = head_at(lowered, i, last)
        if kind is None:  # "... Zone for Sept": the name ends where a head does
            cut = [j for j in range(last - 1, i, -1)
                   if (lowered[j] in CONNECTORS or lowered[j] == "(")
                   and head_at(lowered, i, j)]  # fmt: skip
            return self._split_chain(tokens, words, i, cut[0], is_title) if cut else []
        if lowered[last - 1] in NOT_RECORDS or (last - 2 >= i and lowered[last - 2] in LEISURE):
            return []  # "Qinwangchuan National Wetland Park" is no industrial park
        head_size = next((n for n in HEAD_SIZES if tuple(lowered[last - n : last]) in HEADS), 1)
        if last - head_size - i <= 1 and all(
            w in HEAD_WORDS or w in GENERIC for w in lowered[i:last]
        ):
            return []  # "Industrial Park", "the National High-tech Zone": no name
        if all(w.lower() in ADJECTIVES for w in words[i:last] if is_capitalised(w)):
            return []  # "Chinese industrial park"
        start, stop = tokens[i][0], tokens[last - 1][1]
        name = self.text[start:stop]
        if self._administrative(name) or self._region_only(name):
            return []
        capitalised = [w for w in words[i:last] if is_capitalised(w)]
        tail = [w.lower() for w in words[i:last] if not is_capitalised(w) and w not in ("(", ")")]
        if any(w in VERBS for w in tail):
            return []  # "Nansha launches new area": a headline's verb
        places = self._place_mentions(" ".join(capitalised))
        proper = " ".join(capitalised)
        if (
            tail
            and len(places) == 1
            and places[0].text == proper
            and all(w in GENERIC or w in HEAD_WORDS for w in tail)
            and all(alias is None and p.level != "county" for p, alias in places[0].places)
        ):
            return []  # "Shenzhen special economic zone" is the city
        if lowered[last - 2 : last] == ["economic", "zone"] and all(
            p.level == "province" for m in places for p, _ in m.places
        ):
            return []  # "South Sichuan Economic Zone", "Beibu Gulf Economic Zone": regions
        return [_Name(name, start, stop, kind, org, is_title)]

    def _common_opening(self, words: list[str], i: int) -> bool:
        """Return whether a name's only capital is that of a sentence's first, common word."""
        first = i == 0 or all(w.lower() in OPENERS for w in words[:i])
        if not first:
            return False
        end = i + 1
        if end < len(words) and is_capitalised(words[end]):
            return False
        word = words[i]
        if self._place_mentions(word) or word.isupper():
            return False
        for found in re.finditer(rf"\b{re.escape(word)}\b", self.text):
            before = self.text[: found.start()].rstrip(" \t\"“'(")
            if before and before[-1] not in ".!?:\n":
                return False  # capitalised inside a sentence too: a proper word
        return True

    def _all_places(self, text: str) -> bool:
        """Return whether a text is two or more place names and nothing else: "Shanghai Pudong"."""
        mentions = self._place_mentions(text)
        covered = sum(len(m.text) for m in mentions)
        return len(mentions) >= 2 and covered >= len(text.replace(" ", ""))

    def _administrative(self, name: str) -> bool:
        """Whether a name is an administrative unit (Haizhu District), not a park."""
        if not re.search(r"\b(?:District|County|City|Prefecture)$", name):
            return False
        if re.search(r"\bNew District$", name):
            return False
        return bool(self.gazetteer.lookup(name))

    def _region_only(self, name: str) -> bool:
        key = name_key(name)
        return any(key == name_key(n) and kind not in ("cooperation_zone", "free_trade_zone")
                   for n, (_, kind) in self.regions.items())  # fmt: skip

    def _add_name(self, sentence: int, name: _Name) -> None:
        key = name_key(name.text)
        index = self.keys.get(key)
        if index is None and name.title:
            index = self._containing(key, name.text)
        if index is None:
            index = len(self.records)
            self.keys[key] = index
            self.records.append(Candidate(name.text, name.kind))
        record = self.records[index]
        if name.text != record.name and not name.org:
            if not is_capitalised(record.name.split()[0]) and is_capitalised(name.text.split()[0]):
                record.aliases.append(record.name)
                record.name = name.text
            elif name.text not in record.aliases:
                record.aliases.append(name.text)
        sent = self.sentences[sentence]
        record.readings.append(Reading("name", name.text, name.start, name.end,
                                       (sent.start, sent.end)))  # fmt: skip
        gloss = ALIAS_AFTER.match(self.text, name.end)
        short = gloss and (gloss["short"] or gloss["also"])
        if short and not name.org and not self.gazetteer.lookup(short):
            self.acronyms[short] = record  # "Lanzhou New Area (LNA)", "..., also known as TEDA"
            if short not in record.aliases:
                record.aliases.append(short)
        self.mentions[sentence].append(
            _Mention(name.start, name.end, sentence, index, "org" if name.org else "name",
                     subject=bool(SUBJECT_VERB.match(self.text, name.end, sent.end))
                     and not name.org
                     and not AFTER_PREPOSITION.search(self.text, max(sent.start, name.start - 12),
                                                       name.start))
        )  # fmt: skip

    def _containing(self, key: frozenset[str], name: str) -> int | None:
        """Return the record a headline's or caption's form stands for.

        Its words are all in one record's, or, for a description ("China-Kazakhstan
        border trade zone"), its capitalised words are.
        """
        found = [i for k, i in self.keys.items() if key < k]
        if not found:
            proper = name_key(" ".join(w for w in name.split() if is_capitalised(w)))
            found = [i for k, i in self.keys.items() if proper and proper <= k] if proper else []
        return found[0] if len(set(found)) == 1 else None

    def _merge_short_forms(self) -> None:
        """Fold short forms (places and head only, or lower-case descriptions) into full names."""
        places = [self._name_places(r.name) for r in self.records]
        merged: dict[int, int] = {}
        for i, record in enumerate(self.records):
            words = words_of(record.name)
            for j, other in enumerate(self.records):
                if i == j or j in merged or other.kind != record.kind:
                    continue
                short, full = name_key(record.name), name_key(other.name)
                prefix = other.name[: len(other.name) - len(record.name)].strip()
                if other.name.endswith(record.name) and re.fullmatch(
                    r"[A-Z][\w]*-[A-Z][\w]*", prefix
                ):
                    merged[i] = j  # "Khorgos Center" for "China-Kazakhstan Khorgos Center"
                    break
                if short < full and full - short <= GENERIC | HEAD_WORDS:
                    merged[i] = j  # "Luodong cluster" for "Luodong industrial cluster"
                    break
                head = record.name.split()[-1]
                if short < full and head.islower() and head.capitalize() in other.name.split():
                    merged[i] = j  # "the TCM park" for "... TCM ... Industrial Park ..."
                    break
                if not places[i]:
                    continue
                if not places[i] <= places[j]:
                    continue
                named = {
                    w.lower() for m in self._place_mentions(record.name) for w in words_of(m.text)
                }
                rest = [w for w in name_words(record.name) if w.lower() not in named]
                only_head = (
                    len(words_of(other.name)) > len(words)
                    and is_capitalised(other.name.split()[-1])
                    and all(w.lower() in HEAD_WORDS and w.lower() in full for w in rest)
                )
                described = all(not is_capitalised(w) for w in rest) and any(
                    is_capitalised(w) and w.lower() not in named for w in name_words(other.name)
                )  # a lower-case description of a capitalised name
                if only_head or described:
                    merged[i] = j
                    break
        for i, j in merged.items():
            target = self.records[j]
            source = self.records[i]
            if source.name not in target.aliases:
                target.aliases.append(source.name)
            target.readings.extend(source.readings)
            source.name = ""
            for mentions in self.mentions:
                for mention in mentions:
                    if mention.record == i:
                        mention.record = j
        keep = [i for i, r in enumerate(self.records) if r.name]
        renumber = {old: new for new, old in enumerate(keep)}
        self.records = [self.records[i] for i in keep]
        for mentions in self.mentions:
            for mention in mentions:
                if mention.record is not None:
                    mention.record = renumber.get(mention.record)

    def _name_places(self, name: str) -> frozenset[str]:
        return frozenset(p.adcode for m in self._place_mentions(name) for p, _ in m.places)

    # -- references
    def _references(self, index: int, sentence: Sentence) -> None:
        text = self.text
        taken = [(m.start, m.end) for m in self.mentions[index]]

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        for match in REFERENCE.finditer(text, sentence.start, sentence.end):
            if free(*match.span()):
                target = self._refers_to(index, match["mods"].split(), match["head"])
                self.mentions[index].append(_Mention(*match.span(), index, target, "reference"))
        for word, record in self._short_names().items():  # "Liangjiang" for Liangjiang New Area
            for match in re.finditer(
                rf"\b{re.escape(word)}\b(?!['’]s|\s+[A-Z])", text[: sentence.end]
            ):
                if match.start() < sentence.start or not free(*match.span()):
                    continue
                subject = bool(SUBJECT_VERB.match(text, match.end(), sentence.end))
                self.mentions[index].append(
                    _Mention(*match.span(), index, record, "reference", subject=subject)
                )
        for match in FORMER.finditer(text, sentence.start, sentence.end):
            if free(*match.span()):
                target = self._former_latter(index, match.group(1).lower())
                self.mentions[index].append(_Mention(*match.span(), index, target, "reference"))
        for match in BATCH.finditer(text, sentence.start, sentence.end):
            if free(*match.span()):
                self.mentions[index].append(_Mention(*match.span(), index, None, "batch"))
        for match in PRONOUN.finditer(text, sentence.start, sentence.end):
            if free(*match.span()):
                self.mentions[index].append(_Mention(*match.span(), index, None, "pronoun"))

    def _short_names(self) -> dict[str, int]:
        """Return the one word a record is called by alone, when it is no place: "Liangjiang"."""
        if not hasattr(self, "_short"):
            short: dict[str, int] = {}
            for index, record in enumerate(self.records):
                words = [w for w in words_of(record.name) if w.lower() not in HEAD_WORDS | GENERIC]
                if (
                    len(words) == 1
                    and is_capitalised(words[0])
                    and not self.gazetteer.lookup(words[0])
                ):
                    short[words[0]] = -1 if words[0] in short else index
            for word, named in self.acronyms.items():
                found = [i for i, r in enumerate(self.records) if r is named]
                if found and word not in short:
                    short[word] = found[0]
            self._short = {w: i for w, i in short.items() if i >= 0}
        return self._short

    def _former_latter(self, index: int, which: str) -> int | None:
        """Return the record "the former" or "the latter" stands for: of the last two named."""
        named: list[int] = []
        for i in range(index, max(index - 3, -1), -1):
            for mention in reversed(self.mentions[i]):
                if mention.kind == "name" and mention.record not in (None, *named):
                    named.append(mention.record)
        if len(named) < 2:
            return None
        return named[1] if which == "former" else named[0]

    def _refers_to(self, index: int, mods: list[str], head: str) -> int | None:
        """Return the record "the [mods] head" stands for: the latest named one that fits."""
        stems = [
            m[:5] for m in mods
            if m not in ("largest", "main", "whole", "entire", "new") and not re.search(r"\d", m)
        ]  # fmt: skip
        for i in range(index, -1, -1):
            for mention in reversed(self.mentions[i]):
                if mention.record is None or mention.kind not in ("name", "org"):
                    continue
                record = self.records[mention.record]
                words = [w.lower()[:5] for w in words_of(record.name)]
                fits_head = (
                    head in ("project", "base")
                    or head in record.name.lower()
                    or (head == "zone" and record.kind.endswith("zone"))
                )
                if fits_head and all(any(w.startswith(s) for w in words) for s in stems[-2:]):
                    return mention.record
        return None

    def _resolve_pronouns(self) -> None:
        """Resolve "it", "its" and "they" to the subject of the sentence (or the one before)."""
        previous: int | None = None
        self.subjects: list[int | None] = []
        for sentence, mentions in zip(self.sentences, self.mentions, strict=True):
            subject = None
            opening = OPENING_SUBJECT.match(self.text, sentence.start, sentence.end)
            if opening and not any(m.start == sentence.start for m in mentions):
                previous = None  # "Shenshan High School Town has ...": someone else's sentence
            for mention in mentions:
                if mention.kind == "pronoun":
                    mention.record = subject if subject is not None else previous
                if (
                    subject is None
                    and mention.record is not None
                    and (mention.subject or mention.kind in ("pronoun", "reference"))
                ):
                    subject = mention.record
            previous = subject
            self.subjects.append(subject)

    # -- places
    def _place_mentions(self, text: str) -> list[Any]:
        from geoparks.geocoding import place_mentions

        masked = re.sub(r"(?<=[A-Za-z])['’]s\b", "  ", text)  # "Shanghai's Pudong"
        for name in self.regions:
            if name in masked:
                masked = masked.replace(name, " " * len(name))
        found = []
        for mention in place_mentions(masked, self.gazetteer):
            end = mention.start + len(mention.text)
            if mention.text.isascii() and (
                not mention.text[0].isupper() or (mention.text.isupper() and len(mention.text) > 2)
            ):
                continue  # "yuan" is no place in prose, nor "ASEAN"
            if PUBLICATION.match(masked, end):
                continue  # "Xinhua reported"
            if FEATURE.match(masked, end):
                mention = mention._replace(
                    weak=True
                )  # "Songshan Lake": a lake, named after a place
            if PERSON.search(masked, max(0, mention.start - 12), mention.start):
                continue  # "Vice Premier Zhang Dejiang", "Mayor Hou Gang"
            found.append(mention)
        return found

    def _context_mentions(self, text: str) -> list[Any]:
        """Return the places a text names as where things are.

        Not "from Shenzhen", "exports to Vietnam" nor "Macao enterprises".
        """
        mentions = self._place_mentions(text)
        paired = set()
        for m, n in itertools.pairwise(mentions):
            if text[m.start + len(m.text) : n.start] in ("-", "–"):
                paired.update((m.start, n.start))  # "Chengdu-Chongqing": a pair, not a place
        return [
            m for m in mentions
            if m.start not in paired
            and not ASIDE.search(text[max(0, m.start - 12) : m.start])
            and not MODIFIER.match(text, m.start + len(m.text))
        ]  # fmt: skip

    def _article_places(self) -> tuple[Counter[str], Counter[str]]:
        """Return how often the article names each city and each province (by adcode)."""
        cities: Counter[str] = Counter()
        provinces: Counter[str] = Counter()
        texts = [self.text[s.start : s.end] for s in self.sentences]
        texts += [r.name for r in self.records]  # a place its records are named after counts twice
        for text in texts:
            for mention in self._context_mentions(text):
                places = [p for p, _ in mention.places]
                if len(places) != 1:
                    continue
                place = places[0]
                if place.level == "province":
                    provinces[place.adcode] += 1
                else:
                    cities[place.city_adcode or place.adcode] += 1
                    provinces[place.province] += 1
        return cities, provinces

    def _locate(
        self, index: int, record: Candidate, article: tuple[Counter[str], Counter[str]]
    ) -> tuple[Place | None, set[str]] | None:
        """Place a record by its name and its clauses; return what is left to the article.

        None when done; else the province-level place (or None) and the provinces
        the city must lie in.
        """
        from geoparks.geocoding import geocode_park

        gazetteer = self.gazetteer
        if (pair := PAIR.match(record.name)) and pair[1] in COUNTRIES and pair[2] in COUNTRIES:
            host, partner = pair[1], pair[2]  # the first named is the host
            if partner not in record.partners:
                record.partners.append("China" if partner == "Sino" else partner)
            if host not in ("China", "Sino"):  # "Malaysia-China Kuantan Industrial Park"
                record.country = host  # lies abroad: no place in China
                return None
        masked = record.name
        for name in self.regions:
            masked = masked.replace(name, " " * len(name))
        answer = geocode_park(masked, gazetteer=gazetteer)
        mentions = self._place_mentions(masked)
        name_provinces = {p.province if p.level != "province" else p.adcode
                          for m in mentions if not m.weak for p, _ in m.places}  # fmt: skip
        if answer.status == "ambiguous":
            answer = self._settle(masked, answer.candidates, index, article)
        place: Place | None = None
        if answer is not None and answer.status in ("ok", "partial") and answer.place:
            place = answer.place
            record.partners += [p for p in answer.partners if p not in record.partners]
        paired = [
            (m, n)
            for m, n in itertools.pairwise(mentions)
            if masked[m.start + len(m.text) : n.start] in ("-", "–", " & ", " and ")
        ]
        if paired:  # "Guangdong-Macao ...", "Shenzhen-Shanwei ...": the sides, not the place
            place = None
        if (
            place is not None
            and place.level == "county"
            and answer is not None
            and answer.alias is None
            and not self._article_backs(place, record)
        ):
            place = None  # "Ziyuan PET fiber base" in an article about Chongqing: a brand
        spans = (
            record.kind == "free_trade_zone" and place is not None and place.level == "province"
        ) or any(  # "Fujian FTZ", "Sichuan-Chongqing Gaozhu New Area": several cities
            all(any(p.level == "province" for p, _ in side.places) for side in pair)
            for pair in paired
        )
        stated = None if spans else self._stated_place(index)
        if stated is not None:
            place = stated  # "... is located in the southeastern part of Shanwei City"
        part_alias = (
            answer is not None and answer.alias and name_key(answer.alias) != name_key(masked)
        )
        if (
            stated is None
            and not spans
            and (place is None or place.level == "province" or part_alias)
        ):
            context, spans = self._context_place(index, name_provinces, article)
            place = context or place
        if not spans and (place is None or place.level == "province"):
            return place, ({place.adcode} if place is not None else name_provinces)
        if place is not None:
            self._fill_place(record, place)
        return None

    def _container_place(self, index: int) -> Place | None:
        """Return the place of the record this one is "in": "the X project in Liangjiang"."""
        text = self.text
        for mentions in self.mentions:
            for mention in mentions:
                if mention.record != index or mention.kind != "name":
                    continue
                if found := IN_HOLDER.match(text, mention.end):
                    holder = next((m for m in mentions if m.start == found.end()
                                   and m.record not in (None, index)), None)  # fmt: skip
                    if holder is not None:
                        return self._place_of(self.records[holder.record])
        return None

    def _main_city(self, within: set[str]) -> Place | None:
        """Return the city of the record the article names most, when it has one."""
        counts = Counter(m.record for ms in self.mentions for m in ms if m.record is not None)
        if not counts:
            return None
        main = self.records[counts.most_common(1)[0][0]]
        place = self._place_of(main)
        if place is None or place.level == "province":
            return None
        return place if not within or (place.province in within) else None

    def _place_of(self, record: Candidate) -> Place | None:
        """Return the finest unit a located record lies in."""
        for name, level in ((record.county, "county"), (record.city, "city")):
            if name:
                found = [p for p, _ in self.gazetteer.lookup(name) if p.level == level]
                found = [p for p in found if not record.province
                         or self.gazetteer.by_adcode(p.province, "province").name_en
                         == record.province]  # fmt: skip
                if len(found) == 1:
                    return found[0]
        return None

    def _article_backs(self, place: Place, record: Candidate) -> bool:
        """Return whether the article backs a place the record's name names.

        It does when it names the place's province or city outside the name, or
        names hardly any province at all.
        """
        for mention in self._place_mentions(record.name):
            if any(p is not place and self.gazetteer.contains(p, place) for p, _ in mention.places):
                return True  # "Tianjin Binhai New District"
        provinces: Counter[str] = Counter()
        cities: set[str] = set()
        for sentence in self.sentences:
            text = self.text[sentence.start : sentence.end].replace(record.name, " ")
            for mention in self._context_mentions(text):
                for found, _ in mention.places:
                    provinces[found.adcode if found.level == "province" else found.province] += 1
                    cities.add(found.city_adcode or found.adcode)
        if place.province in provinces or place.city_adcode in cities:
            return True
        return not provinces  # an article that names no other place cannot contradict it

    def _stated_place(self, index: int) -> Place | None:
        """Return the place the article says the record lies in, if any.

        "X is located in (the southern part of) P", "X in P", "X of P".
        """
        text = self.text
        for mentions in self.mentions:
            for mention in mentions:
                if mention.record != index or mention.kind != "name":
                    continue
                if found := IN_PLACE.match(text, mention.end):
                    after = text[found.end() : found.end() + 60]
                    places = self._context_mentions(after)
                    if places and places[0].start == 0 and len(places[0].places) == 1:
                        place = places[0].places[0][0]
                        if place.level != "province":
                            return place
        for clause in self._record_clauses(index):
            for found in LOCATED.finditer(clause):
                for mention in self._place_mentions(clause[found.end() : found.end() + 60]):
                    if mention.start > 0 or len(mention.places) != 1:
                        break
                    place = mention.places[0][0]
                    if place.level != "province":
                        return place
        return None

    def _settle(self, name: str, candidates: Sequence[Place], index: int,
                article: tuple[Counter[str], Counter[str]]) -> Any:  # fmt: skip
        """Choose among a name's homonyms by the places around it, then the article's."""
        from geoparks.geocoding import geocode_park

        cities, provinces = article
        for context in self._record_clauses(index):
            for mention in self._place_mentions(context):
                for place, _ in mention.places:
                    fitting = [c for c in candidates if self.gazetteer.related(c, place)]
                    if len(fitting) == 1 and fitting[0] is not place:
                        return geocode_park(name, province=_province_name(self, fitting[0]),
                                            gazetteer=self.gazetteer)  # fmt: skip
        scored = sorted(
            candidates, key=lambda c: -(provinces[c.province] + cities[c.city_adcode or c.adcode])
        )
        if scored and (len(scored) == 1 or _score(scored[0], article) > _score(scored[1], article)):
            return geocode_park(name, province=_province_name(self, scored[0]),
                                gazetteer=self.gazetteer)  # fmt: skip
        city = _only_city(candidates)
        if city is not None:  # "Xi'an": the city, not the districts of that name elsewhere
            others = ", ".join(self.gazetteer.describe(c) for c in candidates if c is not city)
            self.records[index].notes.append(
                f"{self.gazetteer.describe(city)} read as the city; also the name of {others}"
            )
            return geocode_park(name, province=_province_name(self, city), gazetteer=self.gazetteer)
        return None

    def _record_clauses(self, index: int) -> list[str]:
        """Return the clauses that mention a record (by name, reference or pronoun)."""
        clauses = []
        for i, mentions in enumerate(self.mentions):
            sentence = self.sentences[i]
            for mention in mentions:
                if mention.record == index and mention.kind != "batch":
                    a, b = _clause(self.text, sentence, mention.start)
                    clause = self.text[a:b]
                    if clause not in clauses:
                        clauses.append(clause)
        return clauses

    def _context_place(
        self,
        index: int,
        name_provinces: set[str],
        article: tuple[Counter[str], Counter[str]],
    ) -> tuple[Place | None, bool]:
        """Return the finest place the record's clauses agree on, within what the name says.

        The flag says whether a clause lists several cities as the record's (it spans them).
        """
        gazetteer = self.gazetteer
        counts: Counter[str] = Counter()
        units_by_code: dict[str, Place] = {}
        province_only: Counter[str] = Counter()
        spans = False
        record = self.records[index]
        own = sorted({record.name, *record.aliases}, key=len, reverse=True)
        other_names = sorted({r.name for r in self.records if r.name} - set(own), key=len,
                             reverse=True)  # fmt: skip
        for clause in self._record_clauses(index):
            for name in own:  # what the name says was read already
                clause = clause.replace(name, " " * len(name))
            inside = [(m.start(), m.end()) for name in other_names
                      for m in re.finditer(re.escape(name), clause)]  # fmt: skip
            mentions = self._context_mentions(clause)
            weight = {
                m.start: 0.5 if any(a <= m.start < b for a, b in inside) else 1.0 for m in mentions
            }  # a place in another record's name says less about this one
            resolved: list[Place] = []
            resolved_weight: list[float] = []
            for mention in mentions:
                places = [p for p, _ in mention.places]
                if len(places) > 1:
                    others = [p for m in mentions if m is not mention for p, _ in m.places]
                    near = [p for p in places if any(gazetteer.related(p, o) for o in others)]
                    places = near if len(near) == 1 else [
                        p for p in places if _score(p, article) == max(
                            _score(q, article) for q in places)]  # fmt: skip
                    if len(places) != 1 and (city := _only_city(places)) is not None:
                        places = [city]
                    if len(places) != 1:
                        continue
                resolved.append(places[0])
                resolved_weight.append(weight[mention.start])
            bracketed = {p.adcode for m in mentions if m.bracketed for p, _ in m.places}
            cities = {p.city_adcode or p.adcode for p in resolved if p.level != "province"}
            if len(cities) >= 3:  # a list of places: the record spans them
                spans = True
                for p in resolved:
                    province_only[p.province if p.level != "province" else p.adcode] += 1
                continue
            for p, share in zip(resolved, resolved_weight, strict=True):
                if name_provinces and (p.province if p.level != "province" else p.adcode) \
                        not in name_provinces:  # fmt: skip
                    continue
                if p.level == "province":
                    province_only[p.adcode] += share
                    continue
                if p.level == "county" and p.adcode in bracketed:
                    p = gazetteer.by_adcode(p.city_adcode, "city") if p.city_adcode else p
                counts[p.adcode] += share
                units_by_code[p.adcode] = p
        if counts:
            by_city: Counter[str] = Counter()
            for code, n in counts.items():
                unit = units_by_code[code]
                by_city[unit.city_adcode or code] += n
            article_cities = article[0]
            city = max(by_city, key=lambda c: (by_city[c], article_cities[c]))
            counties = [units_by_code[c] for c in counts
                        if units_by_code[c].level == "county"
                        and units_by_code[c].city_adcode == city]  # fmt: skip
            if len({c.adcode for c in counties}) == 1:
                return counties[0], False
            return gazetteer.by_adcode(city, "city"), False
        if province_only:
            code = province_only.most_common(1)[0][0]
            return gazetteer.by_adcode(code, "province"), spans
        return None, spans

    def _article_city(
        self, name_provinces: set[str], article: tuple[Counter[str], Counter[str]]
    ) -> Place | None:
        cities, _ = article
        ranked = [(code, n) for code, n in cities.most_common()
                  if not name_provinces or self._province_of(code) in name_provinces]  # fmt: skip
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        try:
            return self.gazetteer.by_adcode(ranked[0][0], "city")
        except LookupError:
            return None

    def _province_of(self, city_code: str) -> str:
        try:
            return self.gazetteer.by_adcode(city_code, "city").province
        except LookupError:
            return ""

    def _fill_place(self, record: Candidate, place: Place) -> None:
        gazetteer = self.gazetteer
        if place.level == "county":
            record.county = place.name_en
            city = place.city_adcode
            record.city = gazetteer.by_adcode(city, "city").name_en if city else None
        elif place.level == "city":
            record.city = place.name_en
        province = place.adcode if place.level == "province" else place.province
        record.province = gazetteer.by_adcode(province, "province").name_en
        record.place = place.name_en

    # -- figures
    def _figures(self, index: int, sentence: Sentence) -> None:
        text = self.text
        span = (sentence.start, sentence.end)
        body = text[sentence.start : sentence.end]
        figures: list[tuple[int, int, str, Any, str | None]] = []
        for money in units.find_money(body):
            if money.cny is None or money.span is None:
                continue
            a, b = (sentence.start + money.span[0], sentence.start + money.span[1])
            column, basis = self._money_role(text, sentence, a, b)
            if column:
                figures.append((a, b, column, money, basis))
        for area in units.find_areas(body):
            if area.span is None:
                continue
            a, b = sentence.start + area.span[0], sentence.start + area.span[1]
            before = text[max(sentence.start, a - 50) : a]
            if NOT_LAND.search(before):
                continue  # "afforestation of 13,333 hectares"
            floor = bool(FLOOR.search(before))
            figures.append((a, b, "floor_area_km2" if floor else "area_km2", area,
                            "floor" if floor else "land"))  # fmt: skip
        for a, b, column, value, basis in figures:
            target = self._owner(index, sentence, a, b)
            if target is None:
                continue
            record = self.records[target]
            number = value.cny if isinstance(value, units.Money) else value.km2
            record.readings.append(Reading(column, number, a, b, span, basis))
            if isinstance(value, units.Money) and value.usd is not None:
                usd = "investment_usd" if column == "investment_cny" else "usd"
                record.readings.append(Reading(usd, value.usd, a, b, span, basis))

    def _money_role(
        self, text: str, sentence: Sentence, at: int, end: int
    ) -> tuple[str | None, str | None]:
        clause_start, _ = _clause(text, sentence, at)
        if after := ROLE_AFTER.match(text, end, sentence.end):  # "2.5 billion yuan in output"
            role = after["role"]
            if role == "output":
                return "output_cny", None
            if role != "investment":
                return None, None
        before = text[max(clause_start, at - 90) : at]
        previous = list(re.finditer(r"yuan|RMB|billion|million", before))
        if previous:
            before = before[previous[-1].end() :] or before
        if NOT_MONEY.search(before[-40:]):
            return None, None
        if OUTPUT.search(before):
            return "output_cny", None
        keyword = list(INVEST.finditer(before)) or list(re.finditer(r"\bcost", before))
        if not keyword and re.search(r"\bworth\s*$", before):
            return "investment_cny", "contracted"  # "contracts worth 6.89 billion yuan"
        if (
            keyword
        ):  # the basis is read in the keyword's phrase: "with an estimated total investment of"
            phrase = before[max(before.rfind(",", 0, keyword[-1].start()), 0) :]
        elif after is not None:  # "has achieved 1.22 billion yuan gross investment"
            phrase = before[max(before.rfind(","), 0) :] + text[end : after.end()]
        else:
            return None, None
        for basis, pattern in BASES:
            if pattern.search(phrase):
                return "investment_cny", basis
        return "investment_cny", "stated"

    def _owner(self, index: int, sentence: Sentence, at: int, end: int) -> int | None:
        """Return the record a figure at ``text[at:end]`` belongs to (see the module's notes)."""
        a, b = _clause(self.text, sentence, at)
        mentions = [m for m in self.mentions[index] if a <= m.start < b and m.kind != "org"]
        text = self.text
        if PART_BEFORE.search(text, max(a, at - 40), at) or PART_AFTER.match(text, end):
            return None  # "the first phase of 15 sq km", "the 7.87 sq km start-up area": a part's
        inside = [m for m in mentions if m.start <= at < m.end and m.record is not None]
        if inside:  # "The 18-square-km zone"
            return inside[0].record
        if (opened := text.rfind("(", a, at)) > text.rfind(")", a, at):
            # "Zhangjiang High-tech Park (37.2 sq km)": the figure is what it follows
            named = [m for m in mentions if m.end <= opened and not text[m.end : opened].strip()]
            return named[-1].record if named else None
        before = [m for m in mentions if m.end <= at]
        after = [m for m in mentions if m.start >= at]
        for mention in after:  # "130 hectares of the Desheng industrial cluster"
            if mention.record is not None and FIGURE_OF.match(text, at, mention.start):
                return mention.record
        for mention in reversed(before):
            if mention.kind == "batch":
                return self._clause_subject(mentions, mention)
            if mention.record is not None and not LISTED.search(
                text, max(a, mention.start - 80), mention.start
            ):  # "36 projects, including X, with a total investment of": the batch's
                return mention.record
        for mention in after:
            if mention.kind == "batch":
                return None
            if (
                mention.kind in ("name", "reference", "pronoun")
                and mention.record is not None
                and not CONTAINER.search(text, max(a, mention.start - 25), mention.start)
            ):  # not "..., and settled in the X Park": X holds what the figure is about
                return mention.record
        return None

    def _clause_subject(self, mentions: list[_Mention], batch: _Mention) -> int | None:
        ahead = [m for m in mentions if m.end <= batch.start and m.kind != "batch"]
        if not ahead:  # "36 projects were signed": the event of the sentence before
            sentence = self.sentences[batch.sentence]
            lead = self.text[sentence.start : batch.start]
            opening = (
                not lead.strip(" ,.0123456789")
                or bool(
                    re.fullmatch(
                        r"\s*(?:a total of|in all|altogether|some|about|nearly|over|more than)"
                        r"\s*",
                        lead,
                        re.IGNORECASE,
                    )
                )
                or (
                    lead.rstrip().endswith(",") and not any(m.start < batch.start for m in mentions)
                )
            )  # "36 projects were signed", "During the conference, 8 projects ..."
            if opening and batch.sentence > 0:
                before = self.sentences[batch.sentence - 1]
                if self.subjects[batch.sentence - 1] is not None:
                    return self.subjects[batch.sentence - 1]
                named = {m.record for m in self.mentions[batch.sentence - 1]
                         if m.record is not None and m.kind in ("name", "reference")}  # fmt: skip
                return named.pop() if len(named) == 1 and before.prose else None
            return None
        subject = next((m for m in ahead if m.subject), ahead[0])
        if subject.record is None:
            return None
        following = self.text[subject.end : subject.end + 40]
        if re.match(r"\s+and\s+(?:the\s+)?[A-Z]", following):
            return None  # "X and Y have introduced 23 projects": not X's alone
        return subject.record

    def _details(self, index: int, sentence: Sentence) -> None:
        """Dates, stage, enterprises, industries and regions of the records a sentence names."""
        text = self.text
        span = (sentence.start, sentence.end)
        named = [m for m in self.mentions[index]
                 if m.record is not None
                 and m.kind in ("name", "reference", "pronoun")]  # fmt: skip
        if not named:
            return
        body = text[sentence.start : sentence.end]
        for iso, a, b in units.find_dates(body, self.article.published):
            a, b = a + sentence.start, b + sentence.start
            clause = text[slice(*_clause(text, sentence, a))]
            if FOUNDED.search(clause):
                owner = self._nearest(named, a)
                record = self.records[owner]
                if record.established is None:
                    record.established = iso
                    record.readings.append(Reading("established", iso, a, b, span))
        for pattern, stage in STAGES:
            if found := pattern.search(body):
                owner = self._nearest(named, sentence.start + found.start())
                if self.records[owner].stage is None:
                    self.records[owner].stage = stage
                break
        for match in ENTERPRISES.finditer(text, sentence.start, sentence.end):
            owner = self._nearest(named, match.start())
            record = self.records[owner]
            for company in re.split(r",\s*(?:and\s+)?|\s+and\s+", match["list"]):
                company = company.strip()
                if (company and is_capitalised(company) and company not in record.enterprises
                        and name_key(company) not in self.keys):  # fmt: skip
                    record.enterprises.append(company)
                    at = text.index(company, match.start("list"))
                    record.readings.append(Reading("enterprises", company, at,
                                                   at + len(company), span))  # fmt: skip
        for match in INDUSTRIES.finditer(text, sentence.start, sentence.end):
            owner = self._nearest(named, match.start())
            record = self.records[owner]
            items = re.split(r",\s*(?:and\s+|as well as\s+)?|\s+and\s+(?=[a-z-]+\s+[a-z])|"
                             r"\s+as well as\s+|;\s*", match["list"])  # fmt: skip
            for item in items:
                item = re.sub(
                    r"^(?:the\s+)?(?:(?:\w+\s+)?major\s+industr\w*\s+\w+\s+"
                    r"(?:of|such as)\s+|such as\s+)",
                    "",
                    item.strip(),
                ).strip(" ,")
                item = re.sub(r"\s+(?:industry|industries)$", "", item)
                if 2 < len(item) <= 60 and len(item.split()) <= 7 and item not in record.industries:
                    record.industries.append(item)
            if record.industries:
                record.readings.append(
                    Reading(
                        "industries",
                        ";".join(record.industries),
                        match.start("list"),
                        match.end("list"),
                        span,
                    )
                )
        for match in PARTNERS.finditer(text, sentence.start, sentence.end):
            owner = self._nearest(named, match.start())
            record = self.records[owner]
            for side in re.split(
                r",\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?", match["sides"]
            ):
                side = side.strip(" .,")
                if not side or not is_capitalised(side) or side == record.name:
                    continue
                if side in (record.city, record.county, record.province) or side in record.partners:
                    continue  # "between Hezhou and the Shenzhen Association": Hezhou is where it is
                record.partners.append(side)
                at = text.index(side, match.start("sides"))
                record.readings.append(Reading("partners", side, at, at + len(side), span))
        for name, (region, kind) in self.regions.items():
            at = body.find(name)
            if at < 0:
                continue
            owner = self._nearest(named, sentence.start + at)
            record = self.records[owner]
            if region not in record.regions and (
                kind == "city_cluster"
                or name in record.name
                or name_key(name) == name_key(record.name)
            ):
                record.regions.append(region)
                record.readings.append(
                    Reading(
                        "regions",
                        region,
                        sentence.start + at,
                        sentence.start + at + len(name),
                        span,
                    )
                )

    def _nearest(self, named: list[_Mention], at: int) -> int:
        before = [m for m in named if m.start <= at]
        chosen = before[-1] if before else named[0]
        return chosen.record  # type: ignore[return-value]

    def _choose_figures(self, record: Candidate) -> None:
        investments = [r for r in record.readings if r.column == "investment_cny"]
        for basis in INVESTMENT_ORDER:
            chosen = [r for r in investments if r.basis == basis]
            if chosen:
                record.investment_cny = chosen[0].value
                usd = [r for r in record.readings if r.column == "investment_usd"
                       and (r.start, r.end) == (chosen[0].start, chosen[0].end)]  # fmt: skip
                record.investment_usd = usd[0].value if usd else None
                if basis not in ("total", "stated"):
                    record.notes.append(f"investment is the {basis} figure")
                break
        for reading in investments:
            if reading.value != record.investment_cny:
                record.notes.append(
                    f"also read: {units.format_money(reading.value)} ({reading.basis} investment)"
                )
        for column in ("output_cny", "area_km2", "floor_area_km2"):
            values = [r for r in record.readings if r.column == column]
            if values:
                setattr(record, column, values[0].value)
            for reading in values[1:]:
                if reading.value != values[0].value:
                    shown = (units.format_money(reading.value) if column == "output_cny"
                             else units.format_area(reading.value))  # fmt: skip
                    record.notes.append(f"also read: {column} {shown}")
        if record.stage:
            record.notes.insert(0, f"reads as {record.stage.replace('_', ' ')}")
        record.notes = list(dict.fromkeys(record.notes))
        record.readings.sort(key=lambda r: (r.start, r.column))
        usable = {"investment_cny": record.investment_cny, "output_cny": record.output_cny,
                  "area_km2": record.area_km2, "floor_area_km2": record.floor_area_km2}  # fmt: skip
        for reading in record.readings:
            if reading.column in usable and reading.value != usable[reading.column]:
                object.__setattr__(reading, "column", "figure")


def _clause(text: str, sentence: Sentence, at: int) -> tuple[int, int]:
    """Return the clause of a sentence around ``at``: split at semicolons."""
    start = text.rfind(";", sentence.start, at)
    end = text.find(";", at, sentence.end)
    return (start + 1 if start >= 0 else sentence.start, end if end >= 0 else sentence.end)


def _score(place: Place, article: tuple[Counter[str], Counter[str]]) -> int:
    cities, provinces = article
    return (
        provinces[place.province if place.level != "province" else place.adcode]
        + cities[place.city_adcode or place.adcode]
    )


def _only_city(candidates: Sequence[Place]) -> Place | None:
    """Return the one city-level reading among county-level namesakes, if there is one."""
    cities = [c for c in candidates if c.level == "city"]
    return cities[0] if len(cities) == 1 and len(candidates) > 1 else None


def _province_name(reader: _Reader, place: Place) -> str:
    code = place.adcode if place.level == "province" else place.province
    return reader.gazetteer.by_adcode(code, "province").name_en


@lru_cache(maxsize=1)
def _region_names() -> dict[str, tuple[str, str]]:
    """Return the names of regions (and plans, trade areas) to id and kind, longest first."""
    from geoparks.regions import load_regions

    names: list[tuple[str, str, str]] = []
    for region in load_regions():
        names.append((region.name_en, region.id, region.kind))
        if region.kind == "city_cluster" and region.name_en.split()[-1] == "Area":
            short = " ".join(region.name_en.split()[-3:])  # "Greater Bay Area"
            names.append((short, region.id, region.kind))
    names += [("Belt and Road", "", "plan"), ("China-ASEAN Free Trade Area", "", "trade_area")]
    return {n: (i, k) for n, i, k in sorted(names, key=lambda n: -len(n[0]))}
