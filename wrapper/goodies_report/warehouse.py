"""Reads mart tables from the target: DuckDB directly (read-only), other engines through dbt.

Only whole tables from a fixed list are read, with `select *`: no SQL here computes a figure.
"""

from __future__ import annotations

import math
from decimal import Decimal
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


def read_table(settings: Settings, name: str) -> list[dict[str, Any]]:
    """Every row of the mart table `name`, as dicts of column -> Python value."""
    if name not in MART_TABLES:
        raise ValueError(f"not a mart table the report reads: {name!r}")
    adapter = targets(settings.project_dir).get(settings.target)
    if adapter == "duckdb":
        return _read_duckdb(settings, name)
    return _read_through_dbt(settings, name)


def _read_duckdb(settings: Settings, name: str) -> list[dict[str, Any]]:
    import duckdb

    path = settings.duckdb_path
    if path is None or not path.is_file():
        raise WarehouseError(f"no warehouse at {path}; build it first (run without --skip-build)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open {path}: {first(exc)}") from exc
    try:
        # `name` comes from MART_TABLES, never from the user.
        cursor = con.execute(f"select * from {SCHEMA}.{name}")
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    except duckdb.CatalogException as exc:
        raise WarehouseError(
            f"table {SCHEMA}.{name} not found in {path}; build it first (run without --skip-build)"
        ) from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot read {SCHEMA}.{name} from {path}: {first(exc)}") from exc
    finally:
        con.close()


def _read_through_dbt(settings: Settings, name: str) -> list[dict[str, Any]]:
    """`dbt show` of the model, in-process, with every row (dbt's default limit is 5)."""
    from dbt.cli.main import dbtRunner

    args = [
        "show",
        "--inline",
        f"select * from {{{{ ref('{name}') }}}}",
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
