"""Reads mart tables from the target: DuckDB directly (read-only), other engines through dbt.

Only tables from a fixed list are read, whole or some of their columns, filtered on a column
being present: no SQL here computes a figure.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any

from goodies_report.build import GoodiesError, Settings, dbt_environment, error_text, targets

MART_TABLES = frozenset(
    {
        "dim_campaigns",
        "campaign_timing",
        "campaign_kpis",
        "data_quality",
        "data_quality_reasons",
        "set_aside_rows",
        "kpis_by_sku",
        "kpis_by_channel",
        "kpis_by_segment",
        "kpis_by_variant",
        "forecast_vs_actual",
        "revised_forecast",
        "fct_responses",
        "incrementality",
        "supplier_scorecard",
        "ab_tests",
        "segment_findings",
        "sku_verdicts",
        "insights",
        "actions",
        "checklist",
        "catalog_updates",
        "cpl_levers",
        "nps_distribution",
    }
)
SCHEMA = "main"  # the DuckDB target's schema (profiles.yml)


class WarehouseError(GoodiesError):
    """A mart cannot be read: no warehouse yet, a missing table, a failed query."""


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# The connection `reading` holds open, with the database file it is on.
_shared: ContextVar[tuple[Path, Any] | None] = ContextVar("shared_connection", default=None)


def read_table(
    settings: Settings,
    name: str,
    *,
    columns: Sequence[str] = (),
    present: str | None = None,
) -> list[dict[str, Any]]:
    """The rows of the mart table `name` as dicts of column -> Python value: every column or
    those of `columns`, only the rows where the column `present` is not null. Reading a few
    columns of the rows that matter keeps a report of a million responses quick."""
    if name not in MART_TABLES:
        raise ValueError(f"not a mart table the report reads: {name!r}")
    for column in (*columns, *([present] if present else [])):
        if not _IDENTIFIER.match(column):
            raise ValueError(f"not a column name: {column!r}")
    # The names were checked above and come from our code, never from the user.
    select = ", ".join(columns) or "*"
    where = f" where {present} is not null" if present else ""
    if _adapter(settings) == "duckdb":
        relation = f"{SCHEMA}.{name}"
        return _read_duckdb(settings, name, f"select {select} from {relation}{where}")
    relation = f"{{{{ ref('{name}') }}}}"
    return _read_through_dbt(settings, name, f"select {select} from {relation}{where}")


def read_comments(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Every survey comment (masked in the mart) by campaign, as {responded_at, nps_score,
    comment} ready for JSON (the time as UTC text to the second, with a Z), oldest first (a
    response without a time last), then by response id. A report of a million recipients
    carries some 80,000: on DuckDB, writing the times as text and sorting are the database's
    work, many times quicker than Python's, and the rows are taken as tuples, not through
    read_table's dicts; other engines are read through dbt and sorted here, the same way."""
    if _adapter(settings) == "duckdb":
        rows = _fetch_duckdb(settings, "fct_responses", _COMMENTS_SQL)
    else:
        read = read_table(
            settings,
            "fct_responses",
            columns=("campaign_id", "response_id", "responded_at", "nps_score", "comment_masked"),
            present="comment_masked",
        )
        read = [r for r in read if r["comment_masked"]]
        read.sort(
            key=lambda r: (
                r["responded_at"] is None,
                r["responded_at"] or dt.datetime.min,
                str(r["response_id"]),
            )
        )
        rows = [
            (r["campaign_id"], utc_text(r["responded_at"]), r["nps_score"], r["comment_masked"])
            for r in read
        ]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for campaign_id, responded_at, nps_score, comment in rows:
        grouped.setdefault(str(campaign_id), []).append(
            {"responded_at": responded_at, "nps_score": nps_score, "comment": comment}
        )
    return grouped


def utc_text(value: dt.datetime | None) -> str | None:
    """A timestamp as report.json writes it: UTC, to the second, with a Z."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


# responded_at is a timestamp without time zone, in UTC (raw-data.md): as text, it is what
# utc_text writes for it (to the second, with a Z). Response ids in DuckDB's byte
# order (no collation is set), which is the order Python gives text.
_COMMENTS_SQL = f"""
select
    campaign_id,
    strftime(responded_at, '%Y-%m-%dT%H:%M:%SZ') as responded_at,
    nps_score,
    comment_masked as comment
from {SCHEMA}.fct_responses
where comment_masked is not null and comment_masked <> ''
order by fct_responses.responded_at nulls last, response_id
"""


def _adapter(settings: Settings) -> str | None:
    profiles = settings.project_dir / "profiles.yml"
    try:
        changed = profiles.stat().st_mtime_ns
    except OSError:
        changed = None
    return _targets(settings.project_dir, changed).get(settings.target)


@functools.lru_cache(maxsize=8)
def _targets(project_dir: Path, changed: int | None) -> dict[str, str]:
    """targets() once per version of profiles.yml: a report reads some twenty tables, and
    parsing the YAML for each was a third of a second."""
    return targets(project_dir)


@contextmanager
def reading(settings: Settings) -> Iterator[None]:
    """Within it, the reads of a DuckDB target share one read-only connection, opened once
    (a report reads some twenty tables). Other targets are read through dbt as ever."""
    if _adapter(settings) != "duckdb" or _shared.get() is not None:
        yield
        return
    path = _checked_path(settings)
    con = _connect(path)
    token = _shared.set((path, con))
    try:
        yield
    finally:
        _shared.reset(token)
        con.close()


def _checked_path(settings: Settings) -> Path:
    path = settings.duckdb_path
    if path is None or not path.is_file():
        raise WarehouseError(f"no warehouse at {path}; build it first (run without --skip-build)")
    return path


def _connect(path: Path) -> Any:
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open {path}: {first(exc)}") from exc


def _read_duckdb(settings: Settings, name: str, sql: str | None = None) -> list[dict[str, Any]]:
    columns, rows = _query_duckdb(settings, name, sql)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _fetch_duckdb(settings: Settings, name: str, sql: str) -> list[tuple[Any, ...]]:
    return _query_duckdb(settings, name, sql)[1]


def _query_duckdb(
    settings: Settings, name: str, sql: str | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The column names and the rows of a query of the mart table `name`."""
    import duckdb

    path = _checked_path(settings)
    shared = _shared.get()
    con = shared[1] if shared is not None and shared[0] == path else None
    owned = con is None
    if owned:
        con = _connect(path)
    try:
        cursor = con.execute(sql or f"select * from {SCHEMA}.{name}")
        return [column[0] for column in cursor.description], cursor.fetchall()
    except duckdb.CatalogException as exc:
        raise WarehouseError(
            f"table {SCHEMA}.{name} not found in {path}; build it first (run without --skip-build)"
        ) from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot read {SCHEMA}.{name} from {path}: {first(exc)}") from exc
    finally:
        if owned:
            con.close()


def _read_through_dbt(
    settings: Settings, name: str, sql: str | None = None
) -> list[dict[str, Any]]:
    """`dbt show` of the query, in-process, with every row (dbt's default limit is 5)."""
    from dbt.cli.main import dbtRunner

    args = [
        "show",
        "--inline",
        sql or f"select * from {{{{ ref('{name}') }}}}",
        "--limit",
        "-1",
        *settings.dbt_args(),
        # Keep the last build's run_results.json: it says whether the marts were validated.
        "--no-write-json",
    ]
    with dbt_environment(settings):
        res = dbtRunner().invoke(args)
    if res.exception is not None:
        raise WarehouseError(f"cannot read {name} through dbt: {error_text(res.exception)}")
    try:
        table = res.result.results[0].agate_table
    except (AttributeError, IndexError, TypeError) as exc:
        raise WarehouseError(f"cannot read {name} through dbt: no result") from exc
    if not res.success or table is None:
        message = getattr(res.result.results[0], "message", "") or "dbt show failed"
        raise WarehouseError(f"cannot read {name} through dbt: {message}")
    columns = list(table.column_names)
    return [
        {column: _from_agate(value) for column, value in zip(columns, row, strict=True)}
        for row in table.rows
    ]


def _from_agate(value: Any) -> Any:
    """agate gives every number as a Decimal: whole numbers back to int, NaN to None."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def first(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
