from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoparks import GeoparksError, UnitError
from geoparks.schema import canonical_header
from geoparks.units import (
    find_areas,
    find_money,
    format_area,
    format_money,
    parse_area,
    parse_date,
    parse_money,
)


@pytest.mark.parametrize(
    ("text", "cny", "usd", "qualifier"),
    [
        ("nearly 5 billion yuan ($723.57 million)", 5e9, 723.57e6, "nearly"),
        ("RMB 7.635 billion", 7.635e9, None, None),
        ("1.21 trillion yuan", 1.21e12, None, None),
        ("120 million yuan", 120e6, None, None),
        ("approximately RMB 445 million", 445e6, None, "approximately"),
        ("exceeds RMB 90 billion", 90e9, None, "exceeds"),
        ("over 10 billion yuan", 10e9, None, "over"),
        ("100-billion-yuan", 100e9, None, None),
        ("50亿元", 5e9, None, None),
        ("3000万元", 30e6, None, None),
        ("¥1,200", 1200.0, None, None),
    ],
)
def test_parse_money_reads_news_amounts(text, cny, usd, qualifier):
    money = parse_money(text)
    assert money.cny == pytest.approx(cny)
    assert money.usd == (pytest.approx(usd) if usd else None)
    assert money.qualifier == qualifier


def test_parse_money_reads_a_dollar_only_amount():
    money = parse_money("$5 million")
    assert money.cny is None
    assert money.usd == 5e6


@pytest.mark.parametrize("text", ["", "   ", "five billion yuan", "5 billion", "yuan", "5 km2"])
def test_parse_money_rejects_what_is_not_one_amount(text):
    with pytest.raises(UnitError, match="expected"):
        parse_money(text)


def test_find_money_finds_every_amount_and_keeps_usd_with_its_yuan():
    text = (
        "The total investment of the project is nearly 5 billion yuan ($723.57 million), "
        "and the investment this year was 70.1 billion yuan (RMB, the same below)."
    )
    found = find_money(text)
    assert [m.cny for m in found] == [5e9, 70.1e9]
    assert found[0].usd == pytest.approx(723.57e6)
    assert found[1].usd is None


@pytest.mark.parametrize(
    ("text", "km2", "qualifier"),
    [
        ("about 5 square kilometers", 5.0, "about"),
        ("1,355 mu", 1355 / 1500, None),
        ("500,000 square meters", 0.5, None),
        ("16.81 square kilometers", 16.81, None),
        ("120 hectares", 1.2, None),
        ("3 km²", 3.0, None),
        ("12万平方米", 0.12, None),
        ("2000亩", 2000 / 1500, None),
    ],
)
def test_parse_area_converts_to_square_kilometres(text, km2, qualifier):
    area = parse_area(text)
    assert area.km2 == pytest.approx(km2, rel=1e-12)
    assert area.qualifier == qualifier


def test_one_mu_is_a_fifteenth_of_a_hectare():
    assert parse_area("1 mu").km2 * 1e6 == pytest.approx(666.67, abs=0.01)


@pytest.mark.parametrize("text", ["5 mutton", "square kilometers", "5", "5 billion yuan"])
def test_parse_area_rejects_non_areas(text):
    with pytest.raises(UnitError):
        parse_area(text)


def test_find_areas_reads_an_article_sentence():
    text = "an area of approximately 1,355 mu, and a floor area of about 500,000 square meters"
    assert [a.km2 for a in find_areas(text)] == pytest.approx([1355 / 1500, 0.5])


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("2022-04-14", None, "2022-04-14"),
        ("April 14, 2022", None, "2022-04-14"),
        ("14 April 2022", None, "2022-04-14"),
        ("in October 2012", None, "2012-10"),
        ("in 2017", None, "2017"),
        ("By 2025", None, "2025"),
        ("2012年10月", None, "2012-10"),
        ("2024年1月13日", None, "2024-01-13"),
        ("January 13 this year", "2024-07-03", "2024-01-13"),
        ("on Feb 18", "2022-02-21", "2022-02-18"),
        ("the 20th", "2024-08", "2024-08-20"),
        ("the 25th", "2024-08-21", "2024-07-25"),
        ("the 25th", "2024-01-21", "2023-12-25"),
        ("last year", "2024-07-03", "2023"),
        ("March 19", dt.date(2024, 7, 3), "2024-03-19"),
    ],
)
def test_parse_date_resolves_news_dates(text, reference, expected):
    assert parse_date(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-02-30", "day 30"),
        ("February 29, 2023", "day 29"),
        ("2022-13", "month 13"),
        ("0000", "year 0"),
        ("yesterday-ish", "not a date"),
    ],
)
def test_parse_date_rejects_impossible_dates(text, message):
    with pytest.raises(UnitError, match=message):
        parse_date(text)


def test_relative_date_without_reference_says_it_needs_one():
    with pytest.raises(UnitError, match="needs a reference date"):
        parse_date("January 13 this year")


def test_unit_errors_are_value_errors_and_geoparks_errors():
    with pytest.raises(ValueError):
        parse_money("junk")
    with pytest.raises(GeoparksError):
        parse_area("junk")


amounts = st.decimals(min_value=0, max_value=10**15, places=3, allow_nan=False).map(float)


@given(amounts)
def test_money_round_trips_through_its_text(value):
    assert parse_money(format_money(value)).cny == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False))
def test_area_round_trips_through_its_text(value):
    if "e" in format_area(value):
        return  # scientific notation is not news text
    assert parse_area(format_area(value)).km2 == pytest.approx(value, rel=1e-12, abs=1e-12)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_dates_round_trip_in_iso_and_in_words(day):
    assert parse_date(day.isoformat()) == day.isoformat()
    words = f"{day:%B} {day.day}, {day.year:04d}"
    assert parse_date(words) == day.isoformat()
    assert parse_date(f"{day:%B} {day.day}", reference=f"{day.year:04d}") == day.isoformat()


@given(st.text(max_size=60))
def test_junk_raises_only_unit_errors(text):
    for parse in (parse_money, parse_area, parse_date):
        with contextlib.suppress(UnitError):
            parse(text)
    canonical_header(f"area ({text})")  # a header with a unit in brackets: once cubic
    find_money(text)
    find_areas(text)


@given(st.from_regex(r"[a-z ]{0,8}[0-9.,]{1,12} ?(billion|mu|yuan|km2|年|月|th)?", fullmatch=True))
def test_number_like_junk_raises_only_unit_errors(text):
    for parse in (parse_money, parse_area, parse_date):
        with contextlib.suppress(UnitError):
            parse(text)
    canonical_header(f"area ({text})")  # a header with a unit in brackets: once cubic


_HOSTILE = st.sampled_from(
    ["1", "（", "）", "[", "0", ",", ".", " ", "-", "\t", "RMB", "USD", "US$", "$", "¥", "yuan",
     "million", "bn", "亿", "万", "mu", "亩", "ha", "square kilometers", "(", ")", "about ",
     "over ", "x"]
)  # fmt: skip


@settings(max_examples=60, deadline=dt.timedelta(seconds=2))
@given(pattern=st.lists(_HOSTILE, min_size=1, max_size=12), size=st.integers(3000, 30000))
def test_money_and_areas_are_read_in_linear_time_from_any_text(pattern, size):
    # Evidence is free text: a run of digits, commas or spaces thousands long once took
    # seconds to minutes (the patterns backtracked: 3,000 digits, 10 s). Now each
    # character costs about the same, and 30,000 are read well within the deadline.
    text = ("".join(pattern) * size)[:size]
    for money in find_money(text):
        assert money.cny is None or money.cny >= 0
        assert money.usd is None or money.usd >= 0
    assert all(area.km2 >= 0 for area in find_areas(text))
    for parse in (parse_money, parse_area, parse_date):
        with contextlib.suppress(UnitError):
            parse(text)
    canonical_header(f"area ({text})")  # a header with a unit in brackets: once cubic


@pytest.mark.parametrize(
    ("text", "cny"),
    [("1111 5 billion yuan", 5e9), ("1,000,000 RMB", 1e6), ("USD   5 million", None),
     ("over 2.5 billion yuan (US$350 million)", 2.5e9)],
)  # fmt: skip
def test_numbers_are_read_whole_not_from_inside_a_digit_run(text, cny):
    found = find_money(text)
    assert found[-1].cny == cny
    assert not any(m.cny in (111.0, 0.0, 5.0) for m in found[:-1])
