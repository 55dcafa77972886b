"""Writing outputs: files replaced whole through a temporary file, CSV rows, progress.

Every write goes to a temporary file beside the target, renamed over it when
complete, so an interrupted run leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geoparks.errors import GeoparksError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from tqdm import tqdm

__all__ = [
    "OutputBusyError",
    "OutputError",
    "atomic_path",
    "atomic_write_text",
    "defuse_formulas",
    "lists_as_text",
    "progress_bar",
    "staged",
    "write_beside_csv",
    "write_frame_csv",
    "write_rows_csv",
]


class OutputError(GeoparksError, OSError):
    """Outputs could not be written; the folder was left as it was."""


class OutputBusyError(GeoparksError, BlockingIOError):
    """Another build or export is writing into the same folder."""


STAGING_PREFIX = ".geoparks-staging-"


@contextlib.contextmanager
def staged(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Lock a folder, yield a staging folder inside it, then move what was written in as one.

    Everything a build or export writes goes to the staging folder; only when
    the block succeeds are the files moved into ``out``, each by a rename, one
    after the other in a moment. On an error nothing in ``out`` changes. A lock
    on the folder refuses a second writer while one is at work; a staging
    folder left by a killed run is removed by the next.

    Raises
    ------
    OutputBusyError
        If another process holds the folder's lock.
    """
    import fcntl

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    lock = os.open(folder, os.O_RDONLY)  # the folder itself is locked: no lock file is left
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusyError(
                f"{folder}: another geoparks build or export is writing here; wait for it "
                "to finish or choose another --out"
            ) from None
        for left in folder.glob(f"{STAGING_PREFIX}*"):  # a killed run's: we hold the lock
            shutil.rmtree(left, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        try:
            yield staging
            for path in sorted(staging.iterdir()):
                os.replace(path, folder / path.name)
        except (OSError, GeoparksError) as error:
            if isinstance(error, GeoparksError) and str(staging) not in str(error):
                raise
            if isinstance(error, GeoparksError):
                message = str(error).replace(str(staging), str(folder))
            else:
                name = Path(error.filename).name if error.filename else ""
                message = f"{folder / name}: {error.strerror or error}"
            raise OutputError(f"{message} (nothing in {folder} was changed)") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        os.close(lock)  # and with it the lock


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``, renamed over it when the block succeeds.

    The temporary name keeps ``path``'s suffix, so drivers that go by it still work.
    On any error the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename."""
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8", newline="")
    return Path(path)


def write_rows_csv(
    path: str | os.PathLike[str], rows: Iterable[Mapping[str, object]], columns: Sequence[str]
) -> Path:
    """Write dictionaries as a UTF-8 CSV, atomically; lists become ``;``-joined text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: "; ".join(map(str, value)) if isinstance(value, list | tuple) else value
                for key, value in row.items()
                if key in columns
            }
        )
    return atomic_write_text(path, buffer.getvalue())


def write_frame_csv(path: str | os.PathLike[str], frame: pd.DataFrame) -> Path:
    """Write a table as a UTF-8 CSV, atomically, as :func:`write_rows_csv` writes rows.

    Lists become ``;``-joined text, missing values empty cells. Written by
    pyarrow's CSV writer (text quoted), or pandas' when pyarrow cannot type a column.
    """
    import pyarrow as pa
    import pyarrow.csv

    frame = lists_as_text(frame)
    with atomic_path(path) as temp:
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pyarrow.csv.write_csv(table, temp)
        except (pa.ArrowException, ValueError, TypeError):  # mixed or duplicate columns
            frame.to_csv(temp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


def write_beside_csv(
    path: str | os.PathLike[str],
    frame: pd.DataFrame,
    answers: pd.DataFrame,
    rows: np.ndarray,
    *,
    defuse: bool = True,
) -> Path:
    """Write a table with, beside each row, the row of ``answers`` that ``rows`` names.

    The CSV :func:`write_frame_csv` writes of the two joined, each answer made
    text (and its formulas defused, see :func:`defuse_formulas`) once however
    many rows it answers.
    """
    import pyarrow as pa
    import pyarrow.csv

    try:
        left = pa.Table.from_pandas(frame, preserve_index=False)
        right = pa.Table.from_pandas(lists_as_text(answers), preserve_index=False)
    except (pa.ArrowException, ValueError, TypeError):  # mixed or duplicate columns
        import pandas as pd

        joined = answers.take(rows).set_axis(frame.index)
        joined = pd.concat([frame, joined], axis=1)
        return write_frame_csv(path, defuse_formulas(joined) if defuse else joined)
    if defuse:
        left, right = _defused(left), _defused(right)
    right = right.take(pa.array(rows))
    table = pa.table([*left.columns, *right.columns], [*left.column_names, *right.column_names])
    with atomic_path(path) as temp:
        pyarrow.csv.write_csv(table, temp)
    return Path(path)


def lists_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the table with list cells as ``;``-joined text, as the CSV files hold them."""
    from pandas.api.types import infer_dtype

    copied = False
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        if values.dtype == object and infer_dtype(values, skipna=True) not in _PLAIN:
            if not copied:
                frame, copied = frame.copy(), True
            frame.isetitem(i, values.map(_cell))
    return frame


_PLAIN = frozenset(["string", "empty", "floating", "integer", "boolean", "mixed-integer-float"])


def _cell(value: object) -> object:
    return "; ".join(map(str, value)) if isinstance(value, list | tuple) else value


_FORMULA = r"^[=+\-@\t\r]"


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the table with every text cell a spreadsheet would run as a formula quoted.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (``=HYPERLINK(...)``) gets a leading ``'``, which spreadsheets show as text;
    numbers written as text (``-12.5``) are left as they are.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from pandas.api.types import infer_dtype

    copied = False
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        kind = "string" if isinstance(values.dtype, pd.StringDtype) else infer_dtype(values)
        if kind == "string":
            text = pa.array(values, type=pa.string(), from_pandas=True)
            where = np.arange(len(values))
        elif kind not in ("mixed", "mixed-integer"):
            continue
        else:  # lists, numbers and text
            where = np.flatnonzero(values.map(lambda v: isinstance(v, str)).to_numpy(bool))
            text = pa.array(values.iloc[where], type=pa.string())
        risky = _risky(text).to_numpy(zero_copy_only=False)
        if risky.any():
            if not copied:
                frame, copied = frame.copy(), True
            column = values.to_numpy(copy=True)
            column[where[risky]] = "'" + column[where[risky]]
            frame.isetitem(i, pd.Series(column, index=values.index, dtype=values.dtype))
    return frame


def _risky(text: pa.Array) -> pa.Array:
    """Which texts a spreadsheet would run as formulas (never null)."""
    import pyarrow.compute as pc

    from geoparks.schema import PLAIN_NUMBER

    return pc.and_(
        pc.match_substring_regex(text, _FORMULA),
        pc.invert(pc.match_substring_regex(text, f"^{PLAIN_NUMBER.pattern}$")),
    ).fill_null(False)


def _defused(table: pa.Table) -> pa.Table:
    """:func:`defuse_formulas` of an Arrow table's text columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, column in enumerate(table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = _risky(column)
            if pc.any(risky).as_py():
                quoted = pc.binary_join_element_wise("'", column, "")
                table = table.set_column(i, table.field(i), pc.if_else(risky, quoted, column))
    return table


def progress_bar(total: int, desc: str, progress: bool | None, unit: str = "file") -> tqdm:
    """Count work done on stderr; ``progress=None`` shows the bar on a terminal only."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        disable=None if progress is None else not progress,
        file=sys.stderr,
    )
