"""Money, area and dates as news articles write them, normalised.

Money becomes a number of yuan (CNY), with the US-dollar figure kept only when
the text gives one; areas become square kilometres; dates become ISO 8601
strings at the precision the text states (``"2012"``, ``"2012-10"`` or
``"2012-10-01"``), relative dates resolved against a reference date.

>>> parse_money("nearly 5 billion yuan ($723.57 million)")
Money(cny=5000000000.0, usd=723570000.0, qualifier='nearly')
>>> parse_area("1,355 mu").km2
0.9033333333333333
>>> parse_date("January 13 this year", reference="2024-07-03")
'2024-01-13'
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from geoparks.errors import UnitError

__all__ = [
    "Area",
    "Money",
    "find_areas",
    "find_dates",
    "find_money",
    "format_area",
    "format_money",
    "parse_area",
    "parse_date",
    "parse_money",
]

SQ_M_PER_MU = 10_000 / 15
"""One mu is one fifteenth of a hectare (about 666.67 m²)."""

_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "千": 1e3,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
}
_QUALIFIERS = (
    "approximately|about|around|roughly|nearly|almost|some|over|more than|"
    "exceeds|exceeding|exceed|above|up to|less than|under|at least|at most|estimated"
)
# Every pattern matches in time linear in its input, whatever the input: a number
# starts only where no digit run does (not inside "1111" or after "1,"), and runs of
# digits and spaces are possessive (``++``, ``*+``), never given back to be re-split.
_NUMBER = r"(?<!\d)(?<!\d[,.])(?P<num>(?:\d{1,3}(?:,\d{3})++|\d++)(?:\.\d++)?)"
_EN_SCALE = r"(?:[\s-]*+(?P<scale>thousand|million|billion|trillion|mn|bn|tn|m|b)\b)?"
_ZH_SCALE = r"(?P<zscale>万亿|千|万|亿)?"
_QUAL = rf"(?:(?P<qual>{_QUALIFIERS})\s++)?"

_CNY = re.compile(
    _QUAL
    + r"(?:(?P<pre>RMB|CNY|¥|￥)\s*+)?"
    + _NUMBER
    + r"(?:"
    + _EN_SCALE
    + r"(?(pre)(?:[\s-]*+(?:yuan|RMB|CNY)\b)?|[\s-]*+(?:yuan|RMB|CNY|renminbi)\b)"
    + r"|\s*"
    + _ZH_SCALE
    + r"(?(pre)元?|元))",
    re.IGNORECASE,
)
_USD = re.compile(
    _QUAL + r"(?:US\$|\$|USD)\s*+" + _NUMBER + _EN_SCALE + r"(?:\s*+(?:US )?dollars)?",
    re.IGNORECASE,
)
_USD_AFTER = re.compile(r"\s*+\(\s*+(?P<usd>[^()]{0,80})\)")  # a short figure in brackets

_AREA_UNITS = {
    "square kilometers": 1.0,
    "square kilometres": 1.0,
    "square kilometer": 1.0,
    "square kilometre": 1.0,
    "sq km": 1.0,
    "square km": 1.0,
    "sq. km": 1.0,
    "km2": 1.0,
    "km²": 1.0,
    "平方公里": 1.0,
    "平方千米": 1.0,
    "square meters": 1e-6,
    "square metres": 1e-6,
    "square meter": 1e-6,
    "square metre": 1e-6,
    "sq m": 1e-6,
    "m2": 1e-6,
    "m²": 1e-6,
    "平方米": 1e-6,
    "hectares": 1e-2,
    "hectare": 1e-2,
    "ha": 1e-2,
    "公顷": 1e-2,
    "mu": SQ_M_PER_MU * 1e-6,
    "亩": SQ_M_PER_MU * 1e-6,
}
_AREA_UNIT_RE = "|".join(  # "18-square-km" as well as "18 square km"
    re.escape(u).replace(r"\ ", r"[\s-]") for u in sorted(_AREA_UNITS, key=len, reverse=True)
)
_AREA = re.compile(
    _QUAL
    + _NUMBER
    + r"(?:"
    + _EN_SCALE
    + r"|\s*+"
    + _ZH_SCALE
    + r")[\s-]*+(?P<unit>"
    + _AREA_UNIT_RE
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """An amount of money as a text states it.

    Attributes
    ----------
    cny : float or None
        Yuan, or None when the text gives only a dollar figure.
    usd : float or None
        US dollars, only when the text gives them.
    qualifier : str or None
        A hedge such as ``"nearly"`` or ``"over"``, lower-cased.
    span : (int, int) or None
        Where :func:`find_money` read it in its text (not compared).
    """

    cny: float | None
    usd: float | None = None
    qualifier: str | None = None
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Area:
    """An area as a text states it, in square kilometres (``span`` as :class:`Money`'s)."""

    km2: float
    qualifier: str | None = None
    span: tuple[int, int] | None = field(default=None, compare=False, repr=False)


def _number(match: re.Match[str]) -> float:
    value = float(match["num"].replace(",", ""))
    scale = match["scale"] or (match.groupdict().get("zscale") or "")
    return value * _SCALES.get(scale.lower(), 1.0) if scale else value


def _qualifier(match: re.Match[str]) -> str | None:
    return match["qual"].lower() if match["qual"] else None


def _money_at(text: str, match: re.Match[str]) -> tuple[Money, int]:
    usd = None
    end = match.end()
    if after := _USD_AFTER.match(text, end):
        inner = _USD.fullmatch(after["usd"].strip())
        if inner:
            usd = _number(inner)
            end = after.end()
    money = Money(_number(match), usd, _qualifier(match), (match.start(), end))
    return money, end


def find_money(text: str) -> list[Money]:
    """Return every amount of money in ``text``, in order.

    Parameters
    ----------
    text : str
        Any text, such as an evidence sentence.

    Returns
    -------
    list of Money
        Yuan amounts (with a dollar figure in brackets right after them folded
        in), then dollar amounts that stand alone.
    """
    found: list[tuple[int, Money]] = []
    starts: list[int] = []
    reach: list[int] = []  # the farthest end of the yuan amounts up to each start
    for match in _CNY.finditer(text):
        money, end = _money_at(text, match)
        found.append((match.start(), money))
        starts.append(match.start())
        reach.append(max(end, reach[-1]) if reach else end)
    for match in _USD.finditer(text):
        before = bisect.bisect_right(starts, match.start()) - 1
        if before < 0 or reach[before] <= match.start():
            money = Money(None, _number(match), _qualifier(match), match.span())
            found.append((match.start(), money))
    return [money for _, money in sorted(found, key=lambda item: item[0])]


def parse_money(text: str) -> Money:
    """Read one amount of money, such as ``"RMB 7.635 billion"``.

    Parameters
    ----------
    text : str
        The amount and nothing else: a hedge, a number, a scale word and a
        currency, optionally followed by a dollar figure in brackets.

    Returns
    -------
    Money

    Raises
    ------
    UnitError
        If ``text`` is not exactly one amount of money.

    Examples
    --------
    >>> parse_money("RMB 7.635 billion").cny
    7635000000.0
    >>> parse_money("1.21 trillion yuan").cny
    1210000000000.0
    >>> parse_money("120 million yuan").cny
    120000000.0
    """
    _require_text(text, "an amount such as '5 billion yuan'")
    stripped = text.strip()
    match = _CNY.match(stripped)
    if match:
        money, end = _money_at(stripped, match)
        if end == len(stripped):
            return money
    match = _USD.fullmatch(stripped)
    if match:
        return Money(None, _number(match), _qualifier(match))
    raise UnitError(f"not an amount of money: {text!r} (expected e.g. '5 billion yuan')")


def find_areas(text: str) -> list[Area]:
    """Return every area in ``text``, in order, in square kilometres."""
    return [_area(match) for match in _AREA.finditer(text)]


def _area(match: re.Match[str]) -> Area:
    factor = _AREA_UNITS[match["unit"].lower().replace("-", " ")]
    return Area(_number(match) * factor, _qualifier(match), match.span())


def parse_area(text: str) -> Area:
    """Read one area, such as ``"about 5 square kilometers"`` or ``"1,355 mu"``.

    Square metres, hectares and mu (1/15 ha) are converted to km².

    Raises
    ------
    UnitError
        If ``text`` is not exactly one area.

    Examples
    --------
    >>> parse_area("500,000 square meters").km2
    0.5
    >>> parse_area("16.81 square kilometers").km2
    16.81
    """
    _require_text(text, "an area such as '5 square kilometers'")
    match = _AREA.fullmatch(text.strip())
    if not match:
        raise UnitError(
            f"not an area: {text!r} (expected e.g. '5 square kilometers' or '1,355 mu')"
        )
    return _area(match)


def format_money(cny: float) -> str:
    """Write an amount of yuan the way :func:`parse_money` reads it back.

    >>> format_money(7.635e9)
    '7.635 billion yuan'
    """
    for word, scale in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(cny) >= scale:
            return f"{cny / scale:.15g} {word} yuan"
    return f"{cny:.15g} yuan"


def format_area(km2: float) -> str:
    """Write an area in km² the way :func:`parse_area` reads it back.

    >>> format_area(16.81)
    '16.81 km²'
    """
    return f"{km2:.15g} km²"


def _require_text(text: object, expected: str) -> None:
    if not isinstance(text, str) or not text.strip():
        raise UnitError(f"empty or not text: {text!r} (expected {expected})")


_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_REL_YEAR = r"(?P<rel>this year|last year|next year)"
_DATE_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_YEAR}-(?P<nmonth>\d{{1,2}})(?:-(?P<nday>\d{{1,2}}))?",
        rf"{_YEAR}(?P<sep>[./])(?P<nmonth>\d{{1,2}})(?:(?P=sep)(?P<nday>\d{{1,2}}))?",
        rf"{_YEAR}",
        rf"{_YEAR}年(?:\s*(?P<nmonth>\d{{1,2}})\s*月(?:\s*(?P<nday>\d{{1,2}})\s*[日号])?)?",
        rf"{_MONTH}\s+{_DAY}(?:,?\s+(?:{_YEAR}|{_REL_YEAR}))?",
        rf"{_DAY}\s+{_MONTH}(?:,?\s+(?:{_YEAR}|{_REL_YEAR}))?",
        rf"{_MONTH},?\s+(?:{_YEAR}|{_REL_YEAR})",
        rf"(?=the\s|\d{{1,2}}(?:st|nd|rd|th))(?:the\s+)?{_DAY}(?:\s+of\s+this\s+month)?",
        rf"{_REL_YEAR}",
    )
]
_LEAD = re.compile(r"^(?:(?:on|in|since|from|by|as of|until|early|late|mid)[\s-]+)+", re.I)
# The same forms searched for in running text: a month is capitalised ("may" is a
# verb), a bare year lies between 1900 and 2099, and a date is a whole word.
_DATE_FINDERS = [
    re.compile(
        r"(?<![\w.,-])(?-i:(?=[A-Z\d]|the\s|this\s|last\s|next\s))(?:"
        + p.pattern.replace(r"(?P<year>\d{4})", r"(?P<year>(?:19|20)\d\d)")
        + r")(?![\w-])",
        re.IGNORECASE,
    )
    for p in _DATE_FORMS
]


def parse_date(text: str, reference: str | dt.date | None = None) -> str:
    """Read a date as news writes it, at the precision it states.

    Parameters
    ----------
    text : str
        ``"2022-04-14"``, ``"April 14, 2022"``, ``"October 2012"``, ``"in 2017"``,
        ``"2012年10月"``, ``"2015.12"``, ``"2015/12/01"``, or a relative form:
        ``"Feb 18"``, ``"January 13 this year"``, ``"the 20th"``, ``"last year"``.
    reference : str or datetime.date, optional
        The article's date (ISO, any precision), needed by relative forms.
        A bare day (``"the 20th"``) later than the reference day means the
        previous month, as news reports past events.

    Returns
    -------
    str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Raises
    ------
    UnitError
        If the text is no date, names an impossible one (30 February), or is
        relative and no reference was given.

    Examples
    --------
    >>> parse_date("Feb 18", reference="2022-02-21")
    '2022-02-18'
    >>> parse_date("the 20th", reference="2024-08")
    '2024-08-20'
    """
    _require_text(text, "a date such as '2022-04-14' or 'April 14, 2022'")
    cleaned = _LEAD.sub("", text.strip()).strip()
    for form in _DATE_FORMS:
        match = form.fullmatch(cleaned)
        if match:
            return _resolve(match, text, reference)
    raise UnitError(f"not a date: {text!r} (expected e.g. '2022-04-14' or 'April 14, 2022')")


def find_dates(text: str, reference: str | dt.date | None = None) -> list[tuple[str, int, int]]:
    """Return every date in a running text: ``(iso, start, end)``, in order.

    At each place the longest form is taken (``"April 14, 2022"``, not ``"2022"``);
    a relative date without a ``reference`` is left out.

    >>> find_dates("It started on January 13 this year.", reference="2024-07-03")
    [('2024-01-13', 14, 34)]
    """
    spans = sorted(
        {m.span() for form in _DATE_FINDERS for m in form.finditer(text)},
        key=lambda span: (span[0], span[0] - span[1]),
    )
    found: list[tuple[str, int, int]] = []
    reach = 0
    for start, end in spans:
        if start < reach:
            continue
        try:
            found.append((parse_date(text[start:end], reference), start, end))
        except UnitError:
            continue
        reach = end
    return found


def _resolve(match: re.Match[str], text: str, reference: str | dt.date | None) -> str:
    parts = match.groupdict()
    year = int(parts["year"]) if parts.get("year") else None
    month_text = parts.get("month")
    month = _MONTHS[month_text.lower()] if month_text else None
    if parts.get("nmonth"):
        month = int(parts["nmonth"])
    day_text = parts.get("day") or parts.get("nday")
    day = int(day_text) if day_text else None
    if year is None:
        ref = _reference(reference, text)
        offset = {"last year": -1, "next year": 1}.get((parts.get("rel") or "").lower(), 0)
        year = ref[0] + offset
        if month is None and day is not None:
            if ref[1] is None:
                raise UnitError(f"{text!r} names a day but the reference {reference!r} no month")
            year, month = ref[0], ref[1]
            if ref[2] is not None and day > ref[2]:
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return _iso(year, month, day, text)


def _reference(reference: str | dt.date | None, text: str) -> tuple[int, int | None, int | None]:
    if reference is None:
        raise UnitError(f"relative date {text!r} needs a reference date (the article's date)")
    if isinstance(reference, dt.date):
        return reference.year, reference.month, reference.day
    iso = parse_date(reference)
    numbers = [int(part) for part in iso.split("-")]
    numbers += [None] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]


def _iso(year: int, month: int | None, day: int | None, text: str) -> str:
    if not 1 <= year <= 9999:
        raise UnitError(f"impossible date {text!r}: year {year} (expected 1 to 9999)")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise UnitError(f"impossible date {text!r}: month {month} (expected 1 to 12)")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        raise UnitError(
            f"impossible date {text!r}: day {day} (expected 1 to {last} in {year:04d}-{month:02d})"
        ) from None
