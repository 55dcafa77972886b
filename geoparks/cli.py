"""The ``geoparks`` command: a thin layer that parses arguments and calls the API.

Exit codes: 0 success, 1 a problem with the data, 2 a usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
import pandas as pd

from geoparks import __version__, settings
from geoparks._csvtext import read_table
from geoparks.build import build as build_maps
from geoparks.catalog import load_catalog
from geoparks.errors import CatalogError, GeoparksError, Problem
from geoparks.export import FORMATS, write_rows_csv
from geoparks.geocoding import geocode as geocode_name
from geoparks.layers import LAYERS, progress_bar
from geoparks.layers import export as export_layers
from geoparks.placing import geocode_catalog
from geoparks.render import TilesError
from geoparks.summary import summarize

GEOCODE_COLUMNS = (
    "status", "level", "adcode", "name_en", "name_zh", "province", "city", "lat", "lon",
    "candidates", "partners", "alias", "source",
)  # fmt: skip

_CATALOG = click.argument(
    "catalog", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
_CATALOG_OPTION = click.option(
    "--catalog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The catalog [default: the shipped data/parks.csv].",
)
_FORMATS = click.option(
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    default=["geojson"],
    show_default=True,
    help="Export format of the layers: geojson (RFC 7946), parquet (GeoParquet), csv "
    "(WKT, with .csvt and .prj) or gpkg; repeat for several.",
)
_SOURCES = click.option(
    "--sources",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Table of source articles (default: sources.csv beside the catalog).",
)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _fail(error: GeoparksError | OSError) -> NoReturn:
    if isinstance(error, CatalogError):
        lines = [str(p) for p in error.problems]
    elif isinstance(error, OSError):
        lines = [f"{error.filename or 'geoparks'}: {error.strerror or error}"]
    else:
        lines = [str(error)]
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def _set_quiet(ctx: click.Context, _param: click.Parameter, quiet: bool) -> None:
    if quiet:
        ctx.meta["geoparks.quiet"] = True


def _set_verbose(ctx: click.Context, _param: click.Parameter, verbose: int) -> None:
    if not verbose:
        return
    logger = logging.getLogger("geoparks")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


def _quiet() -> bool:
    return click.get_current_context().meta.get("geoparks.quiet", False)


def _say(message: object) -> None:
    """Print what a command did, unless --quiet."""
    if not _quiet():
        click.echo(message)


def _progress() -> bool | None:
    """Show progress bars on a terminal only, and never with --quiet."""
    return False if _quiet() else None


def _verbosity(command: _Command) -> _Command:
    quiet = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_quiet,
        help="Print only errors and the results asked for: no progress, no file list.",
    )
    verbose = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_set_verbose,
        help="Say what is done, step by step, on stderr (-vv for more).",
    )
    return quiet(verbose(command))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoparks")
@_verbosity
def cli() -> None:
    """Map China's industrial parks and regional cooperation zones.

    Exit codes: 0 success, 1 a problem with the data, 2 a usage error.

    \b
    Examples:
        geoparks validate my-parks.csv
        geoparks build --catalog my-parks.csv --out my-maps
        geoparks export --format gpkg --out exports
        geoparks build --help
    """


@cli.command()
@_verbosity
@_CATALOG
@_SOURCES
def validate(catalog: Path | None, sources: Path | None) -> None:
    """Check a catalog and report every problem as FILE:LINE:COLUMN.

    CATALOG defaults to the shipped data/parks.csv. Exits 1 if anything is wrong.

    \b
    Example:
        geoparks validate my-parks.csv
    """
    try:
        loaded = load_catalog(catalog, sources)
    except (GeoparksError, OSError) as error:
        _fail(error)
    _say(f"{loaded.path}: {len(loaded.parks)} records, no problems")


@cli.command()
@_verbosity
@_CATALOG
@_SOURCES
def summary(catalog: Path | None, sources: Path | None) -> None:
    """Print parks, investment and area per province and kind.

    \b
    Example:
        geoparks summary data/parks.csv
    """
    try:
        loaded = load_catalog(catalog, sources)
        placed = geocode_catalog(loaded)
    except (GeoparksError, OSError) as error:
        _fail(error)
    table = summarize(placed)
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
    precision = placed["precision"].value_counts()
    placed_at = ", ".join(f"{n} at {level} level" for level, n in precision.items())
    click.echo(f"{loaded.path}: {len(placed)} records, placed offline ({placed_at})\n")
    click.echo(shown.to_string(na_rep="-", float_format=lambda v: f"{v:,.3f}"))


@cli.command()
@_verbosity
@_CATALOG_OPTION
@_SOURCES
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("maps"),
    show_default=True,
    help="The folder to write maps and exports to.",
)
@click.option("--cdn", is_flag=True, help="Link Leaflet and jQuery from CDNs instead of inlining.")
@click.option(
    "--tiles",
    default="OpenStreetMap",
    show_default=True,
    help="Basemap: a folium tile name (CartoDB positron...), an XYZ URL template "
    "(with --attr), or 'none'.",
)
@click.option("--attr", help="Attribution shown for a --tiles URL template.")
@_FORMATS
def build(
    catalog: Path | None,
    sources: Path | None,
    out: Path,
    cdn: bool,
    tiles: str,
    attr: str | None,
    formats: tuple[str, ...],
) -> None:
    """Write the overview map, one map per region and the exports.

    Writes OUT/index.html (all of China), OUT/<region>.html for each region in
    data/regions.csv, and the parks, provinces and regions layers
    (OUT/parks.geojson, provinces.geojson, regions.geojson by default).
    Pages are self-contained: only the basemap's tiles are fetched when viewed.

    \b
    Examples:
        geoparks build --catalog my-parks.csv --out my-maps
        geoparks build --tiles "CartoDB positron" --format geojson --format gpkg
    """
    try:
        written = build_maps(
            catalog,
            out,
            sources=sources,
            formats=formats,
            tiles=None if tiles.lower() == "none" else tiles,
            attr=attr,
            inline=not cdn,
            progress=_progress(),
        )
    except TilesError as error:
        raise click.BadParameter(str(error), param_hint="--tiles") from None
    except (GeoparksError, OSError) as error:
        _fail(error)
    for path in written:
        _say(path)


@cli.command()
@_verbosity
@_CATALOG_OPTION
@_SOURCES
@_FORMATS
@click.option(
    "--layer",
    "layers",
    type=click.Choice(LAYERS),
    multiple=True,
    default=LAYERS,
    show_default=True,
    help="Layer to write; repeat for several.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write to (created if missing).",
)
def export(
    catalog: Path | None,
    sources: Path | None,
    formats: tuple[str, ...],
    layers: tuple[str, ...],
    out: Path,
) -> None:
    """Export parks (points), provinces and regions (polygons) with their totals.

    Writes OUT/<layer>.<format> for each layer and format: RFC 7946 GeoJSON,
    GeoParquet 1.1, CSV (geometry as WKT, with .csvt and .prj sidecars that
    QGIS and GDAL read) or GeoPackage. Files are replaced atomically.

    \b
    Examples:
        geoparks export --format gpkg --out exports
        geoparks export --catalog my-parks.csv --format parquet --layer parks --out exports
    """
    try:
        written = export_layers(
            catalog, out, formats, layers=layers, sources=sources, progress=_progress()
        )
    except (GeoparksError, OSError) as error:
        _fail(error)
    for path in written:
        _say(path)


@cli.command()
@_verbosity
@click.argument("name", required=False)
@click.option("--province", help="Province hint, English or Chinese (Guangxi, 广西).")
@click.option("--city", help="City hint, English or Chinese (Chongzuo, 崇左市).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--online/--offline",
    default=None,
    help="Ask Nominatim (1 request/s, cached) for names the gazetteer cannot place "
    "[default: offline, or $GEOPARKS_ONLINE].",
)
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with a 'name' column and optional 'province', 'city'.",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the results of --input (CSV).",
)
def geocode(
    name: str | None,
    province: str | None,
    city: str | None,
    as_json: bool,
    online: bool | None,
    input_path: Path | None,
    output_path: Path | None,
) -> None:
    """Geocode a place or park name offline, or a CSV of them.

    A name that is not itself a place is read as a park or zone name and
    placed by the place it names. Exits 1 when a single NAME is ambiguous or
    not found (the candidates are printed).

    \b
    Examples:
        geoparks geocode "Pingxiang Border Industrial Park" --province Guangxi
        geoparks geocode 玉林 --json
        geoparks geocode --input names.csv --output results.csv
    """
    if (name is None) == (input_path is None):
        raise click.UsageError("give either NAME or --input")
    if input_path is not None and output_path is None:
        raise click.UsageError("--input needs --output")
    try:
        if input_path is not None:
            _geocode_file(input_path, output_path, as_json, settings.online(online))
            return
        row = geocode_name(name, province, city).raw()
        if _worth_asking(row) and settings.online(online):
            row = _ask_online([row], [(name, province)])[0]
    except (GeoparksError, OSError) as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False, indent=2))
    elif row["status"] == "ok":
        click.echo(
            f"{row['name_en']} ({row['name_zh']}, {row['adcode']}), {row['level']} in "
            f"{row['city'] or '-'}, {row['province']}: {row['lat']:.5f}, {row['lon']:.5f}"
        )
        if row["partners"]:
            click.echo(f"partners: {', '.join(row['partners'])}")
    else:
        click.echo(f"{row['status'].replace('_', ' ')}: {name}", err=True)
        for candidate in row["candidates"]:
            click.echo(f"  {candidate}", err=True)
    if row["status"] != "ok":
        sys.exit(1)


def _worth_asking(row: dict) -> bool:
    """Unplaced by the gazetteer, or placed only by a province hint."""
    return row["status"] == "not_found" or (row["precision"] == "province" and not row["matched"])


def _ask_online(rows: list[dict], asks: list[tuple[str, str | None]]) -> list[dict]:
    """Fill rows the gazetteer left not_found from the online fallback (in place)."""
    from geoparks.online import OnlineGeocoder

    with OnlineGeocoder() as online:
        for row, answer in zip(rows, online.geocode_many(asks), strict=True):
            row["source"] = "online"
            if answer.status == "ok":
                row.update(
                    status="ok",
                    level="online",
                    lat=answer.lat,
                    lon=answer.lon,
                    name_en=answer.address,
                    province=answer.province.name_en,
                )
            elif answer.status == "rejected":
                row["candidates"] = [*row["candidates"], f"online answer rejected: {answer.reason}"]
    return rows


def _geocode_file(input_path: Path, output_path: Path, as_json: bool, online: bool) -> None:
    file = str(input_path)
    header_cells, body, problems = read_table(input_path)
    header = [cell.value.strip() for cell in header_cells]
    if "name" not in header:
        problems.append(
            Problem(
                file,
                1,
                1,
                "missing required column 'name'",
                ",".join(header),
                "columns name, and optionally province and city",
            )
        )
    if problems:
        raise CatalogError(problems)
    results, counts = [], Counter()
    with progress_bar(len(body), "geocode", _progress(), unit="name") as bar:
        for row in body:
            bar.update()
            given = {key: cell.value.strip() for key, cell in zip(header, row, strict=False)}
            result = geocode_name(
                given["name"], given.get("province") or None, given.get("city") or None
            ).raw()
            counts[result["status"]] += 1
            for key in ("province", "city"):
                result[key] = result[key] or given.get(key)
            results.append({**given, **result})
    missing = [r for r in results if _worth_asking(r)]
    if online and missing:
        _ask_online(missing, [(r["name"], r.get("province") or None) for r in missing])
        counts = Counter(r["status"] for r in results)
    columns = [*header, *(c for c in GEOCODE_COLUMNS if c not in header)]
    write_rows_csv(output_path, results, columns)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"{output_path}: {len(results)} names ({summary})", err=True)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))


def main() -> None:
    """Run the command line interface."""
    cli()
