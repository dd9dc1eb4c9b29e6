"""Raw files into a warehouse's raw schema, so that warehouse mode can build on them.

Each contract table found in the folder (<table>.csv or <table>.parquet) becomes one table of
text columns named after the file's header, so that every raw value arrives as it was written
and staging, not the loader, sets bad rows aside. Extra columns come along (staging ignores
them) but for those with an empty or repeated name, which files mode ignores too; a missing
contract column is reported by the build, as for files.

Every file is first read by DuckDB exactly as files mode reads it (the same CSV dialect, a
Parquet column cast to text the same way) and written to a temporary CSV, which PostgreSQL's
COPY then loads: a file therefore gives the same raw text on both engines, and a malformed
CSV line stops the load with the same message naming the file and the line.

The whole load is one transaction: a re-load replaces the tables, and a contract table whose
file is absent is dropped, so that the build treats it as absent rather than reading the rows
of an earlier load.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from goodies_report.build import GoodiesError, InputError, check_data_dir

# The contract's tables (docs/raw-data.md), in its order.
CONTRACT_TABLES = (
    "campaigns",
    "forecast",
    "skus",
    "suppliers",
    "recipients",
    "shipments",
    "codes",
    "code_events",
    "leads",
    "opportunities",
    "returns",
    "survey_responses",
    "debrief_attendance",
)

# The environment variables of the postgres output of profiles.yml, with its defaults
# (a test checks that both say the same).
PG_ENV = {
    "host": ("GOODIES_PG_HOST", "localhost"),
    "port": ("GOODIES_PG_PORT", "5432"),
    "user": ("GOODIES_PG_USER", "postgres"),
    "password": ("GOODIES_PG_PASSWORD", ""),
    "dbname": ("GOODIES_PG_DATABASE", "goodies"),
}


# A schema name the build can use unquoted in its vars and messages.
SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class LoadError(GoodiesError):
    """The warehouse refused the connection or a statement (exit 1)."""


@dataclass
class LoadResult:
    schema: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows loaded
    dropped: list[str] = field(default_factory=list)  # absent tables of an earlier load
    seconds: float = 0.0


def pg_connection_params(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The psycopg2 connection parameters, from the GOODIES_PG_* variables."""
    environ = os.environ if environ is None else environ
    return {key: environ.get(name, default) for key, (name, default) in PG_ENV.items()}


def found_files(data_dir: Path) -> dict[str, Path]:
    """The contract tables with a file in data_dir, table -> path (CSV or Parquet)."""
    check_data_dir(data_dir)
    found = {}
    for table in CONTRACT_TABLES:
        csv_path, parquet = data_dir / f"{table}.csv", data_dir / f"{table}.parquet"
        if csv_path.is_file() and parquet.is_file():
            raise InputError(f"both {csv_path} and {parquet.name} exist: keep one")
        if csv_path.is_file() or parquet.is_file():
            found[table] = csv_path if csv_path.is_file() else parquet
    return found


def csv_header(path: Path) -> list[str]:
    """The header's fields as files mode reads them (macros csv_header and csv_fields): the
    first line, without a byte-order mark, split by RFC 4180, each name trimmed."""
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8", errors="replace")
    line = first.replace("\ufeff", "").replace("\r", "").replace("\n", "")
    if not line:
        raise InputError(f"{path} is empty: a header row is required")
    return [name.strip() for name in next(csv.reader([line]))]


def kept_columns(names: list[str]) -> list[tuple[int, str]]:
    """(position, name) of the columns to load: the first of each name, compared without
    case as the build does; an empty or repeated name is an extra column, ignored."""
    seen: set[str] = set()
    kept = []
    for position, name in enumerate(names, start=1):
        if name and name.lower() not in seen:
            seen.add(name.lower())
            kept.append((position, name))
    return kept


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _duckdb_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_text_csv(path: Path, out: Path) -> list[str]:
    """Write `path` to `out` as a header-less CSV of text values; return its column names."""
    return to_text_file(path, out, file_format="csv")


def to_text_file(path: Path, out: Path, *, file_format: str) -> list[str]:
    """Write `path` to `out` as text values, a header-less CSV or a Parquet file whose
    columns are named after the header; return the column names.

    The reader's options are those of the raw-input views in files mode
    (macros/raw/create_raw_input_views.sql), CSV columns read by position.
    """
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format is csv or parquet, not {file_format!r}")
    import duckdb

    con = duckdb.connect()
    try:
        if path.suffix == ".parquet":
            reader = f"read_parquet({_sql_text(str(path))})"
            names = [row[0] for row in con.execute(f"describe select * from {reader}").fetchall()]
            read_as = names
        else:
            names = csv_header(path)
            read_as = [f"column_{i}" for i in range(1, len(names) + 1)]
            typed = ", ".join(f"{_sql_text(name)}: 'VARCHAR'" for name in read_as)
            reader = (
                f"read_csv({_sql_text(str(path))}, header = true, auto_detect = false, "
                f"columns = {{{typed}}}, delim = ',', quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, encoding = 'utf-8')"
            )
        kept = kept_columns(names)
        columns = ", ".join(
            f"cast({_duckdb_ident(read_as[position - 1])} as varchar) as {_duckdb_ident(name)}"
            for position, name in kept
        )
        options = "format csv, header false" if file_format == "csv" else "format parquet"
        con.execute(f"copy (select {columns} from {reader}) to {_sql_text(str(out))} ({options})")
    except duckdb.Error as exc:
        raise InputError(f"cannot read {path}: {_csv_message(exc)}") from None
    finally:
        con.close()
    return [name for _, name in kept]


def _one_line(exc: BaseException) -> str:
    """The first line of an error: PostgreSQL's further lines may quote a row's values."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _csv_message(exc: BaseException) -> str:
    """DuckDB's error in one line, without the offending line itself (it may hold personal
    data): "CSV Error on Line: 3 Expected Number of Columns: 2 Found: 3"."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("Original Line")]
    return " ".join(lines[:2]) if lines else type(exc).__name__


def _hide(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def load_files(
    data_dir: Path,
    schema: str = "raw",
    *,
    environ: Mapping[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Load the contract files of data_dir into `schema`, replacing what was there."""
    import psycopg2

    started = time.monotonic()
    files = found_files(data_dir)
    params = pg_connection_params(environ)
    password = params["password"]
    result = LoadResult(schema)
    try:
        con = psycopg2.connect(**{k: v for k, v in params.items() if v != ""})
    except psycopg2.Error as exc:
        where = f"{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
        raise LoadError(
            f"cannot connect to PostgreSQL as {where}: {_hide(_one_line(exc), password)}; "
            "check the GOODIES_PG_* variables"
        ) from None
    try:
        # One transaction (the connection's context): all tables are replaced, or none.
        with tempfile.TemporaryDirectory(prefix="goodies-load-") as tmp, con, con.cursor() as cur:
            _create_schema(cur, schema)
            result.dropped = [t for t in previous_tables(cur, schema) if t not in files]
            for table in CONTRACT_TABLES:
                rows = _replace_table(cur, schema, table, files.get(table), Path(tmp))
                if rows is not None:
                    result.rows[table] = rows
                    if progress:
                        progress(f"  {table:<20} {rows:>9,} rows")
    except psycopg2.Error as exc:
        raise LoadError(
            f"loading into schema {schema} failed: {_hide(_one_line(exc), password)}"
        ) from None
    finally:
        con.close()
    result.seconds = time.monotonic() - started
    return result


def _create_schema(cursor: Any, schema: str) -> None:
    from psycopg2 import sql

    cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))


def _replace_table(
    cursor: Any, schema: str, table: str, path: Path | None, tmp: Path
) -> int | None:
    """Drop `table` and, when it has a file, create it again and COPY the file in; return
    the rows loaded (None without a file)."""
    from psycopg2 import sql

    relation = sql.Identifier(schema, table)
    # cascade: the raw-input views of a build read these tables; the next build creates
    # them again.
    cursor.execute(sql.SQL("drop table if exists {} cascade").format(relation))
    if path is None:
        return None
    text_csv = tmp / f"{table}.csv"
    names = to_text_csv(path, text_csv)
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(n)) for n in names)
    cursor.execute(sql.SQL("create table {} ({})").format(relation, columns))
    copy = sql.SQL("copy {} from stdin with (format csv)").format(relation)
    with text_csv.open("r", encoding="utf-8", newline="") as handle:
        cursor.copy_expert(copy.as_string(cursor.connection), handle)
    return cursor.rowcount


def previous_tables(cursor: Any, schema: str) -> list[str]:
    """The contract tables present in `schema` (before a load replaces them)."""
    cursor.execute(
        "select table_name from information_schema.tables where table_schema = %s",
        (schema,),
    )
    present = {row[0] for row in cursor.fetchall()}
    return [table for table in CONTRACT_TABLES if table in present]
