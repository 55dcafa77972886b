"""Errors raised by geoparks, all rooted in :class:`GeoparksError`.

Each subclass also inherits the builtin exception a caller would expect, so
``except ValueError`` keeps working for code that does not know geoparks.
"""

from __future__ import annotations

from dataclasses import dataclass


class GeoparksError(Exception):
    """Base class of every error geoparks raises on purpose."""


class UnitError(GeoparksError, ValueError):
    """A money amount, an area or a date could not be read."""


class RecordsLeftOutWarning(UserWarning):
    """Some records were left out of a result; :func:`geoparks.rejected` lists them."""


class DataFileError(GeoparksError, FileNotFoundError):
    """A shipped or user data file is missing or unreadable."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located to a line and a column.

    Attributes
    ----------
    file : str
        The file, as the user named it.
    line, column : int
        1-based position of the offending value (columns count characters).
    message : str
        What is wrong, in words.
    value : str or None
        The offending value as written, when there is one.
    expected : str or None
        What would have been accepted.
    reason : str or None
        A short code of the kind of problem (``bad_value``, ``ambiguous``,
        ``wrong_province``...), counted in summaries; None for a whole file's.
    """

    file: str
    line: int
    column: int
    message: str
    value: str | None = None
    expected: str | None = None
    reason: str | None = None

    @property
    def detail(self) -> str:
        """The message with the value and the expectation, without the location."""
        detail = []
        if self.value is not None:
            detail.append(f"got {self.value!r}")
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        return self.message + (f" ({', '.join(detail)})" if detail else "")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.detail}"


class CatalogError(GeoparksError, ValueError):
    """A catalog failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in catalog"
        super().__init__("\n".join([head, *map(str, self.problems)]))
