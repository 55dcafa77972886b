from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoparks._csvtext import decode, read_rows
from geoparks.errors import CatalogError


def cells(text):
    rows, problems = read_rows(text, "f.csv")
    assert problems == []
    return [[(c.value, c.line, c.column) for c in row] for row in rows]


def test_cells_know_their_line_and_column():
    assert cells('name,city\n"A, Park",Hezhou\n') == [
        [("name", 1, 1), ("city", 1, 6)],
        [("A, Park", 2, 1), ("Hezhou", 2, 11)],
    ]


def test_quoted_line_breaks_move_the_line_count_on():
    rows = cells('name,notes\nA,"two\r\nlines"\nB,x\r\n')
    assert rows[1][1] == ("two\nlines", 2, 3)
    assert rows[2][0] == ("B", 4, 1)


def test_blank_lines_are_skipped_but_empty_quoted_cells_kept():
    assert cells('a\n\n""\n\r\n') == [[("a", 1, 1)], [("", 3, 1)]]


def test_unclosed_quote_and_stray_text_are_located():
    _, problems = read_rows('name\n"abc\n', "f.csv")
    assert [str(p).split(":")[:3] for p in problems] == [["f.csv", "2", "1"]]
    _, problems = read_rows('name,city\n"abc"x,y\n', "f.csv")
    assert problems[0].line == 2
    assert problems[0].column == 6
    assert problems[0].value == "x"


tables = st.lists(
    st.lists(
        st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8),
        min_size=2,
        max_size=4,
    ),
    min_size=1,
    max_size=5,
).filter(lambda rows: len({len(r) for r in rows}) == 1)


@given(tables, st.sampled_from(["\n", "\r\n"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_values_match_the_standard_csv_module(rows, newline, quoting):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, quoting=quoting).writerows(rows)
    text = buffer.getvalue()
    expected = [row for row in csv.reader(io.StringIO(text, newline="")) if row not in ([], [""])]
    got, problems = read_rows(text, "f.csv")
    assert problems == []
    got_values = [[c.value for c in row] for row in got if [c.value for c in row] != [""]]
    assert got_values == [[_one_newline(v) for v in row] for row in expected]


def _one_newline(value):
    """Line breaks inside quoted values are read as LF, whatever the file used."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def test_decode_drops_a_utf8_bom():
    assert decode(b"\xef\xbb\xbfname\n", "f.csv") == "name\n"


def test_decode_names_gbk():
    data = "name,city\n贺州产业园,贺州\n".encode("gbk")
    with pytest.raises(CatalogError) as caught:
        decode(data, "f.csv")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 1)
    assert "GBK" in problem.message
    assert "贺州产业园" in problem.message


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"PK\x03\x04rest", "xlsx"), ("name".encode("utf-16"), "UTF-16"), (b"a\x00b", "NUL")],
)
def test_decode_recognises_files_that_are_not_csv_text(data, words):
    with pytest.raises(CatalogError, match=words):
        decode(data, "f.csv")
