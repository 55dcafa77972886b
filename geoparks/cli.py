"""The ``geoparks`` command: a thin layer that parses arguments and calls the API.

Exit codes: 0 success, 1 a problem with the data, 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from geoparks import __version__
from geoparks.catalog import load_catalog
from geoparks.errors import CatalogError, GeoparksError
from geoparks.summary import summarize

_CATALOG = click.argument(
    "catalog", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
_SOURCES = click.option(
    "--sources",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Table of source articles (default: sources.csv beside the catalog).",
)


def _fail(error: GeoparksError) -> None:
    lines = [str(p) for p in error.problems] if isinstance(error, CatalogError) else [str(error)]
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoparks")
def cli() -> None:
    """Map China's industrial parks and regional cooperation zones."""


@cli.command()
@_CATALOG
@_SOURCES
def validate(catalog: Path | None, sources: Path | None) -> None:
    r"""Check a catalog and report every problem as FILE:LINE:COLUMN.

    CATALOG defaults to the shipped data/parks.csv. Exits 1 if anything is wrong.

    \b
    Example:
        geoparks validate my-parks.csv
    """
    try:
        loaded = load_catalog(catalog, sources)
    except GeoparksError as error:
        _fail(error)
    click.echo(f"{loaded.path}: {len(loaded.parks)} records, no problems")


@cli.command()
@_CATALOG
@_SOURCES
def summary(catalog: Path | None, sources: Path | None) -> None:
    r"""Print parks, investment and area per province and kind.

    \b
    Example:
        geoparks summary data/parks.csv
    """
    try:
        loaded = load_catalog(catalog, sources)
    except GeoparksError as error:
        _fail(error)
    table = summarize(loaded.parks)
    totals = table.sum(numeric_only=True, min_count=1)
    table.loc[("Total", ""), :] = totals
    shown = pd.DataFrame(
        {
            "parks": table["parks"].astype(int),
            "investment (bn CNY)": table["investment_cny"] / 1e9,
            "output (bn CNY)": table["output_cny"] / 1e9,
            "area (km²)": table["area_km2"],
        }
    )
    click.echo(f"{loaded.path}: {len(loaded.parks)} records\n")
    click.echo(shown.to_string(na_rep="-", float_format=lambda v: f"{v:,.3f}"))


def main() -> None:
    """Run the command line interface."""
    cli()
