r"""News articles as geoparks reads them: text, title, date, and the sentences of the body.

An article is a UTF-8 text file (a saved page's ``URL:``/``TITLE:`` header lines
understood), an HTML page (its text taken, scripts, menus and footers left out),
or a string. Everything found later is located by character offsets into
:attr:`Article.text`: the file's own text, or for an HTML page the text taken
from it.

>>> article = read_article("New zones grow\n\nUpdated: 2022-02-21\n\nThe park opened. It grew.")
>>> article.title, article.published
('New zones grow', '2022-02-21')
>>> [article.text[s.start:s.end] for s in article.sentences]
['The park opened.', 'It grew.']
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from geoparks import units
from geoparks.errors import GeoparksError

__all__ = ["MAX_ARTICLE_BYTES", "Article", "ArticleError", "Sentence", "read_article"]

MAX_ARTICLE_BYTES = 16 * 1024 * 1024
"""The largest file read as one article; a bigger one is refused, unread."""


class ArticleError(GeoparksError, ValueError):
    """A file cannot be read as an article (missing, binary, not text, too large)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text[start:end]`` of its article, in paragraph ``paragraph``."""

    start: int
    end: int
    paragraph: int
    prose: bool
    """Whether it comes from running text (not a heading, a caption or a short line)."""


@dataclass(frozen=True)
class Article:
    """An article's text and what was read around its body.

    Attributes
    ----------
    file : str or None
        The file it was read from, as given.
    text : str
        The text every offset refers to.
    title, published, publisher, url : str or None
        As the page states them (``published`` in ISO 8601 at the precision given).
    title_span : (int, int) or None
        Where the title stands in ``text``, when it does.
    sentences : tuple of Sentence
        The body's sentences, in order; navigation, bylines, contact lines and
        copyright notices left out.
    encoding : str
        ``utf-8``; ``gb18030`` for a Chinese file in the national encoding; ``utf-16``
        for a file that starts with its byte-order mark.
    """

    file: str | None
    text: str
    title: str | None
    published: str | None
    publisher: str | None
    url: str | None
    title_span: tuple[int, int] | None
    sentences: tuple[Sentence, ...]
    encoding: str = "utf-8"

    def sentence_text(self, sentence: Sentence) -> str:
        """Return the text of one sentence."""
        return self.text[sentence.start : sentence.end]


def read_article(source: str | os.PathLike[str], *, name: str | None = None) -> Article:
    """Read an article from a file or from its text.

    Parameters
    ----------
    source : str or path-like
        A path (a :class:`~pathlib.Path`, or a one-line string naming an existing
        file), or the article's text itself.
    name : str, optional
        What to call a text given directly (its ``file``).

    Raises
    ------
    ArticleError
        If the file is missing, unreadable, binary, in no encoding geoparks
        reads (UTF-8, GB18030), empty, or larger than :data:`MAX_ARTICLE_BYTES`.
    """
    if isinstance(source, os.PathLike) or _names_a_file(source):
        path = Path(source)
        text, encoding = _read_file(path)
        return _parse(text, str(source), encoding)
    if not isinstance(source, str):
        raise ArticleError(f"not an article: {type(source).__name__} (expected a path or text)")
    if len(source.encode("utf-8", "surrogatepass")) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{name or '<text>'}: {_too_large(len(source.encode()))}")
    return _parse(source, name, "utf-8")


def _names_a_file(source: object) -> bool:
    if not isinstance(source, str) or not 0 < len(source) < 4096 or "\n" in source:
        return False
    try:
        return Path(source).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL: text, not a path
        return False


def _too_large(size: int) -> str:
    return (
        f"too large to be one article ({size / 2**20:.1f} MB; at most "
        f"{MAX_ARTICLE_BYTES // 2**20} MB): split it into its articles"
    )


def _read_file(path: Path) -> tuple[str, str]:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{path}: {_too_large(size)}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: a folder, not an article file") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read it ({exc.strerror})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{path}: a binary file, not text (expected a UTF-8 text or HTML page)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ArticleError(
            f"{path}: not UTF-8 text (byte {utf8_error.start}: {data[utf8_error.start :][:4]!r}) "
            "nor GB18030 (expected a UTF-8 text file: convert it, e.g. iconv -f BIG5 -t UTF-8)"
        ) from None


_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|br|article)\b", re.IGNORECASE)
_HEADER = re.compile(r"^(?P<key>url|title|source|published|date|updated)\s*[:：]\s*(?P<value>.*)$",
                     re.IGNORECASE)  # fmt: skip
_PUBLISHER = re.compile(
    r"^(?:source|from|publisher)\s*[:：]\s*(?P<name>[^|\n]{2,60}?)\s*$"
    r"|^(?P<site>[\w-]+(?:\.[\w-]+)+)\s*\|",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^(?:(?:updated|published|posted|date|time|release(?:d)?(?: date)?)\s*[:：]?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?",
    re.IGNORECASE,
)
# Lines that are the page around the article, never its text.
_BOILERPLATE = re.compile(
    r"copyright|©|all rights reserved|\bICP\b|license no|^presented by|^approved by|"
    r"^(?:tel|fax|e-?mail|address|phone|add)\s*[:：]|^related links?|\blink\b.*\blinks\b|"
    r"^(?:about us|contact us|print|share|home|nav(?:igation)?|search|menu|no comments?|"
    r"post a comment|comments?|subscribe|editor|reporter|by)\b|"
    r"\.(?:jpe?g|png|gif|webp)\b|^\[?photo[/:]|^[•·*\-–]\s|website identification|"
    r"network international internet unit",
    re.IGNORECASE,
)
_DATELINE = re.compile(  # "BEIJING, May 27, 2022 /PRNewswire/ --", "NANNING, Aug. 20 (Xinhua) --"
    r"^[A-Z][A-Z .'-]{2,30},\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})\b", re.MULTILINE
)
_CAPTION = re.compile(r"[\[(]photo\b|\bphoto (?:by|courtesy)|^photo shows|courtesy of", re.I)
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"""[.!?。！？]+["”’)\]]*(?=\s+[“"'‘(\[A-Z\d]|\s*$)|[。！？；]""")
_ABBREVIATIONS = frozenset(
    "co ltd inc corp no nos mr mrs ms dr st jan feb mar apr jun jul aug sep sept oct nov dec "
    "vs etc e.g i.e u.s u.k approx dept gov govt jr sr fig".split()
)


def _parse(text: str, file: str | None, encoding: str) -> Article:
    title = published = publisher = url = None
    if _HTML.search(text[:10000]):
        page = _PageText()
        try:
            page.feed(text)
            page.close()
        except Exception:  # html.parser gives up on some broken pages: read the tags away
            page.parts = [html.unescape(re.sub(r"<[^>]*>", "\n", text))]
        text = "".join(page.parts)
        title, published, url = page.title, page.published, page.url
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _lines(text)
    head = lines[:15]
    skip: set[int] = set()
    for index, (start, end) in enumerate(head):
        line = text[start:end]
        if header := _HEADER.match(line):
            key, value = header["key"].lower(), header["value"].strip()
            if key == "url" and value:
                url = url or value
                skip.add(index)
            elif key == "title" and value:
                title = title or value
                skip.add(index)
            elif key == "source" and value:
                publisher = publisher or value
                skip.add(index)
        if (found := _PUBLISHER.match(line)) and publisher is None:
            publisher = (found["name"] or found["site"]).strip()
            skip.add(index)
        if published is None and (date := _line_date(line)):
            published = date
            skip.add(index)
    title_span = None
    for index, (start, end) in enumerate(head):
        line = text[start:end]
        if index in skip or _BOILERPLATE.search(line) or _line_date(line):
            continue
        if title is None and len(_WORDS.findall(line)) >= 3 and len(line) <= 250:
            title, title_span = line.strip(), (start, end)
            skip.add(index)
            break
        if title is not None and line.strip() == title:
            title_span = (start, end)
            skip.add(index)
            break
    if published is None and (dateline := _DATELINE.search(text[:3000])):
        found = units.find_dates(dateline["date"])
        published = found[0][0] if found and len(found[0][0]) == 10 else None
    sentences: list[Sentence] = []
    for paragraph, (start, end) in enumerate(lines):
        line = text[start:end]
        if paragraph in skip or _BOILERPLATE.search(line) or _line_date(line):
            continue
        words = len(_WORDS.findall(line))
        if words == 0 or (line.strip() == title and title_span is not None):
            continue
        prose = words >= 8 and (len(line) >= 80 or bool(re.search(r"[.!?。]\W*$", line)))
        prose = prose and not _CAPTION.search(line)
        sentences.extend(_sentences(text, start, end, paragraph, prose))
    return Article(file, text, title, published, publisher, url, title_span, tuple(sentences),
                   encoding)  # fmt: skip


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as (start, end), stripped of surrounding space."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start = match.start()
        line = match.group()
        stripped = line.strip()
        if stripped:
            start += len(line) - len(line.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


def _line_date(line: str) -> str | None:
    """Return the date a line states, when the line is only a date (with a label)."""
    stripped = line.strip()
    if len(stripped) > 60:
        return None
    rest = _DATE_LINE.sub("", stripped, count=1)
    rest = re.sub(r"^[\w.-]+\.\w+\s*\|\s*(?:updated\s*:?\s*)?", "", rest, flags=re.I)
    rest = re.sub(r"\s+(?:print|share|mail|comments?)\b.*$", "", rest, flags=re.I)
    found = units.find_dates(rest)
    if len(found) == 1 and found[0][0][:2] in ("19", "20"):
        iso, start, end = found[0]
        leftover = (rest[:start] + rest[end:]).strip(" ,|-:")
        if not leftover or re.fullmatch(r"[\d:\s]+(?:[ap]m)?", leftover, re.IGNORECASE):
            return iso if len(iso) >= 7 else None
    return None


def _sentences(text: str, start: int, end: int, paragraph: int, prose: bool) -> list[Sentence]:
    found: list[Sentence] = []
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group()[0] == ".":
            word = re.search(r"([\w.]+)$", text[at : match.start()])
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
                continue
        cut = match.end()
        if text[at:cut].strip():
            found.append(_trimmed(text, at, cut, paragraph, prose))
        at = cut
    if text[at:end].strip():
        found.append(_trimmed(text, at, end, paragraph, prose))
    return found


def _trimmed(text: str, start: int, end: int, paragraph: int, prose: bool) -> Sentence:
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    return Sentence(start, end, paragraph, prose)


class _PageText(HTMLParser):
    """The visible text of an HTML page, its title, date and address."""

    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "aside", "noscript",
                       "form", "svg", "iframe", "template", "button", "select"})  # fmt: skip
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "table", "ul", "ol", "blockquote", "hr",
                        "dd", "dt", "figcaption", "main"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self.published: str | None = None
        self.url: str | None = None
        self._skipping = 0
        self._in_title = False
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in self._SKIP:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            content = values.get("content", "")
            if key in ("og:title",) and content and not self.title:
                self.title = content.strip()
            elif key in ("article:published_time", "date", "pubdate", "publishdate") and content:
                dates = units.find_dates(content[:10])
                self.published = self.published or (dates[0][0] if dates else None)
            elif key == "og:url" and content.startswith(("http://", "https://")):
                self.url = self.url or content
        elif tag == "link" and values.get("rel", "").lower() == "canonical":
            self.url = self.url or values.get("href") or None
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag == "title":
            self._in_title = False
            if not self.title and (title := " ".join("".join(self._title_parts).split())):
                self.title = title
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        elif not self._skipping:
            self.parts.append(data)
