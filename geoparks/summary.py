"""Tables that sum a catalog up: counts, money and area per province and kind."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["summarize"]

NOT_STATED = "(not stated)"


def summarize(parks: pd.DataFrame, by: Sequence[str] = ("province", "kind")) -> pd.DataFrame:
    """Count records and total their money and area per group.

    Parameters
    ----------
    parks : pandas.DataFrame
        Records as :func:`geoparks.load_catalog` returns them (``Catalog.parks``).
    by : sequence of str
        The columns to group by; an empty value is grouped as ``"(not stated)"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``, with columns ``parks`` (count), ``investment_cny``,
        ``output_cny`` and ``area_km2`` (sums over the records that state them;
        NaN where none does), sorted by group.

    Examples
    --------
    >>> from geoparks import load_catalog
    >>> table = summarize(load_catalog().parks)
    >>> int(table.loc[("Hainan", "cooperation_zone"), "parks"])
    1
    """
    keys = parks[list(by)].fillna(NOT_STATED)
    grouped = parks.assign(**{name: keys[name] for name in by}).groupby(list(by), sort=True)
    table = pd.DataFrame(
        {
            "parks": grouped.size(),
            "investment_cny": grouped["investment_cny"].sum(min_count=1),
            "output_cny": grouped["output_cny"].sum(min_count=1),
            "area_km2": grouped["area_km2"].sum(min_count=1),
        }
    )
    return table
