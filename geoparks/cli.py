"""The ``geoparks`` command: a thin layer that parses arguments and calls the API.

Exit codes: 0 success, 1 a problem with the data, 2 a usage error.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from geoparks import settings
from geoparks.errors import CatalogError, GeoparksError, Problem, RecordsLeftOutWarning
from geoparks.settings import BORDER_TOLERANCE_KM, DATUMS, FORMATS, LAYERS

if TYPE_CHECKING:
    import pandas as pd

    from geoparks.catalog import Catalog
    from geoparks.rejects import Written

# Each command imports the stages it runs, so that `geoparks --help` and a
# geocode start without pandas, geopandas or folium.

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


def _columns(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dict[str, str]:
    from geoparks.schema import COLUMNS

    mapping: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (value or "").split(","))):
        column, sep, header = part.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise click.BadParameter(f"{part!r} is not COLUMN=HEADER (e.g. name=Zone)")
        if column.strip() not in COLUMNS:
            raise click.BadParameter(
                f"{column.strip()!r} is not a catalog column (one of {', '.join(COLUMNS)})"
            )
        mapping[column.strip()] = header.strip()
    return mapping


def _reading(command: _Command) -> _Command:
    """Add the options that say how to read a user's table."""
    options = [
        click.option(
            "--crs",
            type=click.Choice(DATUMS),
            help="Datum of the file's lat/lon: wgs84 (GPS, OpenStreetMap), gcj02 (Amap, "
            "Tencent) or bd09 (Baidu) [default: wgs84; a 'crs' column wins for its rows].",
        ),
        click.option(
            "--columns",
            callback=_columns,
            metavar="COLUMN=HEADER,...",
            help="Read a header as a catalog column: --columns name=Zone,province=Prov.",
        ),
        click.option("--sheet", help="The sheet of an .xlsx workbook [default: the first]."),
        _SOURCES,
    ]

    @functools.wraps(command)
    def gathered(*args: Any, **kwargs: Any) -> Any:
        reading = {name: kwargs.pop(name) for name in ("sources", "crs", "columns", "sheet")}
        return command(*args, reading=reading, **kwargs)

    for option in reversed(options):
        gathered = option(gathered)
    return gathered  # type: ignore[return-value]


def _lenient(command: _Command) -> _Command:
    """Add the options of commands that map every record they can."""
    strict = click.option(
        "--strict",
        is_flag=True,
        help="Fail on any problem of any record, instead of leaving the record out.",
    )
    tolerance = click.option(
        "--tolerance-km",
        type=click.FloatRange(min=0),
        default=BORDER_TOLERANCE_KM,
        show_default=True,
        help="A point this close to its stated province or city is accepted (placement 'border').",
    )
    return strict(tolerance(command))


def _load(catalog: Path | None, reading: dict[str, Any]) -> Catalog:
    """Load a catalog as the reading options say; log how it was read."""
    from geoparks.catalog import load_catalog

    loaded = load_catalog(
        catalog, reading["sources"], crs=reading["crs"],
        columns=reading["columns"] or None, sheet=reading["sheet"],
    )  # fmt: skip
    for note in loaded.notes:
        log.info("%s: %s", loaded.path, note)
    return loaded


_Command = TypeVar("_Command", bound=Callable[..., Any])
log = logging.getLogger("geoparks")


def _fail(error: GeoparksError | OSError) -> NoReturn:
    context = click.get_current_context(silent=True)
    if context is not None and context.meta.get("geoparks.verbose", 0) > 1:  # -vv: the traceback
        import traceback

        traceback.print_exception(error, file=sys.stderr)
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
    ctx.meta["geoparks.verbose"] = max(verbose, ctx.meta.get("geoparks.verbose", 0))
    logger = _reset_logging()
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a caller may swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _reset_logging() -> logging.Logger:
    """Drop what an earlier -v in this process set up (the CLI run from Python, twice)."""
    logger = logging.getLogger("geoparks")
    for handler in list(logger.handlers):
        if isinstance(handler, _StderrHandler):
            logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)
    return logger


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
@click.version_option(package_name="geoparks", prog_name="geoparks")
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
    # Commands say what was left out in their own summary line.
    warnings.filterwarnings("ignore", category=RecordsLeftOutWarning)
    if not click.get_current_context().meta.get("geoparks.verbose"):
        _reset_logging()


@cli.command()
@_verbosity
@_CATALOG
@_reading
@click.option("--schema-only", is_flag=True, help="Check the values only: no placing, no join.")
@click.option(
    "--tolerance-km",
    type=click.FloatRange(min=0),
    default=BORDER_TOLERANCE_KM,
    show_default=True,
    help="A point this close to its stated province or city is accepted.",
)
def validate(
    catalog: Path | None,
    reading: dict[str, Any],
    schema_only: bool,
    tolerance_km: float,
) -> None:
    """Check a catalog as build does, and report every problem as FILE:LINE:COLUMN.

    Checks each value, then places every record and joins it with the
    provinces, so that a catalog that passes builds with --strict. Says how the
    file was read (headers recognised, kinds mapped, datums converted) and ends
    with a count. CATALOG is a CSV, .xlsx, GeoJSON, GeoPackage or GeoParquet
    file; the shipped data/parks.csv by default. Exits 1 if anything is wrong.

    
    Examples:
        geoparks validate my-parks.csv
        geoparks validate zones.xlsx --crs gcj02 --columns name=开发区,province=省
        geoparks validate big.csv --schema-only
    """
    from geoparks.validation import validate as run_validation

    try:
        loaded = _load(catalog, reading)
        report = run_validation(loaded, schema_only=schema_only, tolerance_km=tolerance_km)
    except (GeoparksError, OSError) as error:
        _fail(error)
    for note in loaded.notes:
        _say(f"{loaded.path}: {note}")
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.ok:
        _say(f"{loaded.path}: {report.summary()}")
        return
    click.echo(f"{loaded.path}: {report.summary()}", err=True)
    sys.exit(1)


@cli.command()
@_verbosity
@_CATALOG
@_reading
@click.option("--strict", is_flag=True, help="Fail on any record that cannot be placed.")
def summary(
    catalog: Path | None,
    reading: dict[str, Any],
    strict: bool,
) -> None:
    """Print parks, investment and area per province and kind.

    Records that cannot be read or placed are left out and counted.

    \b
    Example:
        geoparks summary data/parks.csv
    """
    import pandas as pd

    from geoparks.placing import geocode_catalog
    from geoparks.rejects import rejected
    from geoparks.rejects import summary as rejects_summary
    from geoparks.summary import summarize

    try:
        loaded = _load(catalog, reading)
        placed = geocode_catalog(loaded, strict=strict)
    except (GeoparksError, OSError) as error:
        _fail(error)
    left_out = rejected(placed)
    if len(left_out):
        click.echo(f"{loaded.path}: {rejects_summary(len(placed), left_out)}", err=True)
    table = summarize(placed)
    totals = table.sum(numeric_only=True, min_count=1)
    table.loc[("Total", ""), :] = totals
    shown = pd.DataFrame(
        {
            "parks": table["parks"].fillna(0).astype(int),
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
@click.option(
    "--popup-fields",
    metavar="FIELD,...",
    help="What a park's popup shows, in this order: county, city, province, "
    "investment_cny, output_cny, area_km2, industries, partners, regions, established, "
    "precision, source, evidence, notes, or a column of your own [default: all].",
)
@_FORMATS
@_reading
@_lenient
def build(
    catalog: Path | None,
    out: Path,
    cdn: bool,
    tiles: str,
    attr: str | None,
    popup_fields: str | None,
    formats: tuple[str, ...],
    reading: dict[str, Any],
    strict: bool,
    tolerance_km: float,
) -> None:
    """Write the overview map, one map per region and the exports.

    Writes OUT/index.html (all of China), OUT/<region>.html for each region in
    data/regions.csv, the parks, provinces and regions layers
    (OUT/parks.geojson, provinces.geojson, regions.geojson by default) and
    OUT/rejected.csv, the records left out and why. Every record that can be
    placed is mapped; --strict fails on any problem instead. Pages are
    self-contained: only the basemap's tiles are fetched when viewed.

    \b
    Examples:
        geoparks build --catalog my-parks.csv --out my-maps
        geoparks build --catalog zones.xlsx --crs gcj02 --out zone-maps
        geoparks build --tiles "CartoDB positron" --format geojson --format gpkg
    """
    from geoparks.building import build as build_maps
    from geoparks.render import TilesError

    try:
        loaded = _load(catalog, reading)
        written = build_maps(
            loaded,
            out,
            formats=formats,
            tiles=None if tiles.lower() == "none" else tiles,
            attr=attr,
            inline=not cdn,
            strict=strict,
            tolerance_km=tolerance_km,
            progress=_progress(),
            popup_fields=None if popup_fields is None else _fields(popup_fields),
        )
    except TilesError as error:
        raise click.BadParameter(str(error), param_hint="--tiles") from None
    except (GeoparksError, OSError) as error:
        _fail(error)
    for path in written:
        _say(path)
    _report(written)


@cli.command()
@_verbosity
@_CATALOG_OPTION
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
@_reading
@_lenient
def export(
    catalog: Path | None,
    formats: tuple[str, ...],
    layers: tuple[str, ...],
    out: Path,
    reading: dict[str, Any],
    strict: bool,
    tolerance_km: float,
) -> None:
    """Export parks (points), provinces and regions (polygons) with their totals.

    Writes OUT/<layer>.<format> for each layer and format: RFC 7946 GeoJSON,
    GeoParquet 1.1, CSV (geometry as WKT, with .csvt and .prj sidecars that
    QGIS and GDAL read) or GeoPackage, and OUT/rejected.csv, the records left
    out. Files are replaced atomically.

    \b
    Examples:
        geoparks export --format gpkg --out exports
        geoparks export --catalog my-parks.csv --format parquet --layer parks --out exports
    """
    from geoparks.layers import export as export_layers

    try:
        loaded = _load(catalog, reading)
        written = export_layers(
            loaded, out, formats, layers=layers, strict=strict, tolerance_km=tolerance_km,
            progress=_progress(),
        )  # fmt: skip
    except (GeoparksError, OSError) as error:
        _fail(error)
    for path in written:
        _say(path)
    _report(written)


def _fields(text: str) -> list[str]:
    return [field.strip() for field in text.split(",") if field.strip()]


def _report(written: Written) -> None:
    """Say what was mapped and left out, with the reasons counted (stderr, unless --quiet)."""
    for notice in written.notices:
        click.echo(str(notice), err=True)
    if not _quiet():
        click.echo(written.summary(), err=True)


@cli.command()
@_verbosity
@click.argument("name", required=False)
@click.option("--province", help="Province hint, English or Chinese (Guangxi, 广西).")
@click.option("--city", help="City hint: a prefecture or county-level city (Chongzuo, 昆山市).")
@click.option("--county", help="County or district hint (Dinghu, 鼎湖区).")
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
    help="CSV or .xlsx with a 'name' column and optional 'province', 'city', 'county'.",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the results of --input (CSV).",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="With --online: ask again the names whose earlier request failed (timed out, "
    "refused); by default their failure is answered from the cache.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="Write cells as they are: by default a text cell that a spreadsheet would run as "
    "a formula (starting with = + - @, a tab or a return) is written after a quote (').",
)
def geocode(
    name: str | None,
    province: str | None,
    city: str | None,
    county: str | None,
    as_json: bool,
    online: bool | None,
    input_path: Path | None,
    output_path: Path | None,
    retry_failed: bool,
    raw: bool,
) -> None:
    """Geocode a place or park name offline, or a CSV of them.

    A name that is not itself a place is read as a park or zone name and
    placed by the place it names. Hints decide among a name's readings; a name
    none of whose readings lies within them is a conflict, never placed by the
    hint. Exits 1 when a single NAME is not placed by itself (the problem and
    candidates are printed).

    With --input (a CSV or .xlsx with a 'name' column, and optional
    'province', 'city' and 'county' hints), every row is written to --output,
    in order, its columns untouched, with a status (ok, partial, conflict,
    ambiguous, not_found, bad_hint) and a problem in words; exits 0 once the
    file is written.

    \b
    Examples:
        geoparks geocode "Pingxiang Border Industrial Park" --province Guangxi
        geoparks geocode 玉林 --json
        geoparks geocode --input names.csv --output results.csv
    """
    from geoparks.geocoding import geocode as geocode_name

    if (name is None) == (input_path is None):
        raise click.UsageError("give either NAME or --input")
    if input_path is not None and output_path is None:
        raise click.UsageError("--input needs --output")
    try:
        if input_path is not None:
            asking = settings.online(online)
            _geocode_file(input_path, output_path, as_json, asking, raw, retry_failed)
            return
        result = geocode_name(name, province, city, county=county)
        row = {**result.raw(), "problem": result.problem}
        if _worth_asking(row) and settings.online(online):
            row = _ask_online([row], [(name, province)], retry_failed)[0]
    except (GeoparksError, OSError) as error:
        _fail(error)
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False, indent=2))
    elif row["status"] in ("ok", "partial"):
        click.echo(
            f"{row['name_en']} ({row['name_zh']}, {row['adcode']}), {row['level']} in "
            f"{row['city'] or '-'}, {row['province']}: {row['lat']:.5f}, {row['lon']:.5f}"
        )
        if row["partners"]:
            click.echo(f"partners: {', '.join(row['partners'])}")
        if row["note"]:
            click.echo(f"note: {row['note']}")
        if row["status"] == "partial":
            click.echo(f"partial: {name!r}: {row['problem']}", err=True)
    else:
        click.echo(f"{row['status'].replace('_', ' ')}: {name}: {row['problem']}", err=True)
        for candidate in row["candidates"]:
            click.echo(f"  {candidate}", err=True)
    if row["status"] != "ok":
        sys.exit(1)


@cli.command()
@_verbosity
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the candidates (CSV, with sources.csv beside it; or JSON) "
    "[default: standard output].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    help="csv (catalog columns, ready for build) or json (every value with its sentence "
    "and offsets) [default: from --out's suffix, else csv].",
)
@click.option(
    "--merge",
    "merge_into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A catalog CSV to merge the candidates into: new records are added, empty cells "
    "filled, reviewed values kept (changes only proposed); written to --out, or in place.",
)
def extract(
    articles: tuple[Path, ...],
    out: Path | None,
    output_format: str | None,
    merge_into: Path | None,
) -> None:
    """Propose catalog records from news articles, each value with where it was read.

    ARTICLES are text files (a saved page's URL:/TITLE: lines understood) or HTML
    pages. Every record has status "unreviewed"; evidence holds the sentences its
    values were read from and read_at their character offsets. A file that cannot
    be read is reported and the others are still read (exit 1).

    \b
    Examples:
        geoparks extract article.txt
        geoparks extract news/*.txt --out review/candidates.csv
        geoparks build --catalog review/candidates.csv --out review/maps
        geoparks extract news/*.txt --format json --out review/candidates.json
        geoparks extract new-article.txt --merge data/parks.csv
    """
    from geoparks import merging
    from geoparks.extraction import CANDIDATE_COLUMNS, extract_many

    fmt = output_format or ("json" if out is not None and out.suffix.lower() == ".json" else "csv")
    try:
        extractions, failed = extract_many(articles)
        for message in failed:
            click.echo(message, err=True)
        if merge_into is not None:
            if fmt == "json":
                raise click.UsageError("--merge writes a catalog CSV: leave out --format json")
            report = merging.merge_files(extractions, merge_into, out)
            for line in report.lines():
                _say(line)
            if not _quiet():
                click.echo(f"{out or merge_into}: {report.summary()}", err=True)
        elif fmt == "json":
            text = json.dumps([e.as_json() for e in extractions], ensure_ascii=False, indent=1)
            if out is None:
                click.echo(text)
            else:
                from geoparks.output import atomic_write_text

                atomic_write_text(out, text + "\n")
        else:
            rows = [
                {k: merging.cell_text(v) for k, v in row.items()}
                for e in extractions for row in e.rows()
            ]  # fmt: skip
            if out is None:
                merging.write_csv(sys.stdout, CANDIDATE_COLUMNS, rows)
            else:
                sources = merging.source_rows(extractions, out.parent)
                merging.write_outputs(out, CANDIDATE_COLUMNS, rows, merging.SOURCE_COLUMNS,
                                      sources)  # fmt: skip
        if not _quiet() and merge_into is None:
            count = sum(len(e.records) for e in extractions)
            where = f" in {out}" if out is not None else ""
            click.echo(f"{count} candidates from {len(extractions)} articles{where}", err=True)
    except (GeoparksError, OSError) as error:
        _fail(error)
    if failed:
        sys.exit(1)


def _worth_asking(row: dict) -> bool:
    """Unplaced by the gazetteer, or placed only by a hint."""
    return row["status"] in ("not_found", "partial")


def _ask_online(
    rows: list[dict], asks: list[tuple[str, str | None]], retry_failed: bool = False
) -> list[dict]:
    """Fill rows the gazetteer left unplaced from the online fallback (in place)."""
    from geoparks.online import OnlineGeocoder

    with OnlineGeocoder(retry_failed=retry_failed) as online:
        for note in online.notes:
            click.echo(note, err=True)
        answers = online.geocode_many(asks, progress=_progress())
        for row, answer in zip(rows, answers, strict=True):
            row["source"] = "online"
            if answer.status == "ok":
                row.update(
                    status="ok",
                    problem=None,
                    level="online",
                    lat=answer.lat,
                    lon=answer.lon,
                    name_en=answer.address,
                    province=answer.province.name_en,
                )
            elif answer.status == "rejected":
                row["candidates"] = [*row["candidates"], f"online answer rejected: {answer.reason}"]
            elif answer.status == "failed":
                row["problem"] = "; ".join(filter(None, [row["problem"], answer.reason]))
    return rows


def _geocode_file(
    input_path: Path,
    output_path: Path,
    as_json: bool,
    online: bool,
    raw: bool,
    retry_failed: bool = False,
) -> None:
    import numpy as np
    import pandas as pd

    from geoparks.batch import RESULT_COLUMNS, distinct_results, with_results
    from geoparks.output import progress_bar, write_beside_csv
    from geoparks.tables import read_table

    table = read_table(input_path)
    if "name" not in table.header:
        raise CatalogError(
            [Problem(str(input_path), 1, 1, "missing required column 'name'",
                     ",".join(table.header), "columns name, and optionally province and city")]
        )  # fmt: skip
    with progress_bar(len(table.frame), "geocode", _progress(), unit="name") as bar:
        distinct, rows = distinct_results(table.frame)
        bar.update(len(table.frame))
    # A row whose answer changes gets an answer of its own; the others share theirs.
    answers = list(distinct.itertuples(index=False, name=None))

    def change(row: int, answer: dict) -> None:
        answers.append(tuple(answer[c] for c in RESULT_COLUMNS))
        rows[row] = len(answers) - 1

    for problem in table.problems:
        row = int(np.searchsorted(table.lines, problem.line))
        if row < len(rows) and table.lines[row] == problem.line:
            answer = dict(zip(RESULT_COLUMNS, answers[rows[row]], strict=True))
            answer["problem"] = "; ".join(filter(None, [problem.detail, answer["problem"]]))
            change(row, answer)
    if online:
        status = RESULT_COLUMNS.index("status")
        wanted = [i for i, at in enumerate(rows) if answers[at][status] in ("not_found", "partial")]
        if wanted:
            asked = [dict(zip(RESULT_COLUMNS, answers[rows[i]], strict=True)) for i in wanted]
            asks = [(str(table.frame.at[i, "name"]), _hint_of(table.frame, i)) for i in wanted]
            for i, answer in zip(wanted, _ask_online(asked, asks, retry_failed), strict=True):
                change(i, answer)
    added = {c: (f"geocode_{c}" if c in table.frame.columns else c) for c in RESULT_COLUMNS}
    found = pd.DataFrame(answers, columns=list(RESULT_COLUMNS), dtype=object)
    write_beside_csv(output_path, table.frame, found.rename(columns=added), rows, defuse=not raw)
    counts = Counter(found["status"].to_numpy()[rows])
    summary = ", ".join(f"{n:,} {status}" for status, n in counts.most_common())
    if not _quiet():
        click.echo(f"{output_path}: {len(rows):,} names ({summary})", err=True)
    if as_json:
        results = with_results(table.frame, found, rows)
        click.echo(json.dumps(results.to_dict("records"), ensure_ascii=False, default=str))


def _hint_of(frame: pd.DataFrame, row: int) -> str | None:
    value = frame.at[row, "province"] if "province" in frame else None
    return value.strip() or None if isinstance(value, str) else None


def main() -> None:
    """Run the command line interface: a fault is one line on stderr, never a traceback.

    A fault geoparks does not foresee is reported as an internal error, with
    its traceback only under ``-vv``.
    """
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("geoparks: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        click.echo("geoparks: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # the last line of defence
        if "-vv" in sys.argv or sys.argv.count("-v") + sys.argv.count("--verbose") > 1:
            raise
        click.echo(
            f"geoparks: internal error: {type(error).__name__}: {error} (run again with -vv "
            "for the traceback, and please report it)",
            err=True,
        )
        sys.exit(1)
