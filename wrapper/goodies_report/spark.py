"""Apache Spark in this process, as dbt-spark's session method runs it, and raw files loaded
into a raw schema of its catalog.

The session is configured from the `server_side_parameters` of the target's output in
profiles.yml, rendered with the same environment variables dbt reads: the loader and the
build therefore share one catalog (an embedded Derby metastore) and one folder of tables, in
the same process (where Spark hands out the session already started) or in successive ones.

Each contract table found in the folder becomes one Parquet table of text columns named after
the file's header, read by DuckDB exactly as the PostgreSQL loader reads it (load.py), so a
file gives the same raw text on every engine. Spark has no transaction spanning tables: every
file is read and converted before any table is touched, so that a malformed file stops the
load with nothing changed; a failure of Spark itself partway leaves some tables replaced, and
the next load replaces them all again.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from goodies_report.build import PROFILE_NAME, GoodiesError
from goodies_report.load import CONTRACT_TABLES, LoadError, LoadResult, found_files, to_text_file


def _render(value: Any, environ: Mapping[str, str]) -> str:
    """A profiles.yml value rendered as dbt renders it, env_var() included."""
    import jinja2

    def env_var(name: str, default: str | None = None) -> str:
        if name in environ:
            return environ[name]
        if default is None:
            raise GoodiesError(f"profiles.yml needs the environment variable {name}")
        return default

    template = jinja2.Environment(autoescape=False).from_string(str(value))  # noqa: S701
    return template.render(env_var=env_var).strip()


def session_settings(
    project_dir: Path, target: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The Spark settings of the session the target's dbt build uses.

    Raises GoodiesError unless the target is a spark output of the session method: a
    cluster's tables are loaded with its own tools.
    """
    import yaml  # dbt depends on PyYAML

    environ = os.environ if environ is None else environ
    path = project_dir / "profiles.yml"
    outputs = yaml.safe_load(path.read_text(encoding="utf-8"))[PROFILE_NAME]["outputs"]
    output = outputs.get(target) or {}
    method = _render(output.get("method", ""), environ)
    if output.get("type") != "spark" or method != "session":
        raise GoodiesError(
            f"target {target!r} is not a spark output of the session method; load the raw "
            "tables of a cluster with its own tools"
        )
    settings = {
        str(key): _render(value, environ)
        for key, value in (output.get("server_side_parameters") or {}).items()
    }
    # As dbt-spark sets it for every session it opens.
    settings["spark.sql.ansi.enabled"] = "false"
    return settings


def session(settings: Mapping[str, str]) -> Any:
    """The process's Spark session, started with `settings` unless it is running already
    (then its static settings, the folders among them, are those it was started with)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def load_files(
    data_dir: Path,
    schema: str,
    settings: Mapping[str, str],
    *,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Load the contract files of data_dir into `schema`, replacing what was there."""
    started = time.monotonic()
    files = found_files(data_dir)
    result = LoadResult(schema)
    with tempfile.TemporaryDirectory(prefix="goodies-load-") as tmp:
        converted = {}
        for table, path in files.items():
            out = Path(tmp) / f"{table}.parquet"
            to_text_file(path, out, file_format="parquet")
            converted[table] = out
        spark = session(settings)
        try:
            spark.sql(f"create schema if not exists {_ident(schema)}")
            present = {
                row.tableName.lower()
                for row in spark.sql(f"show tables in {_ident(schema)}").collect()
                if not row.isTemporary
            }
            result.dropped = [t for t in CONTRACT_TABLES if t in present and t not in files]
            for table in CONTRACT_TABLES:
                relation = f"{_ident(schema)}.{_ident(table)}"
                spark.sql(f"drop table if exists {relation}")
                if table not in converted:
                    continue
                frame = spark.read.parquet(str(converted[table]))
                # Parquet files of the Spark warehouse, whatever the session's default format.
                frame.write.format("parquet").saveAsTable(f"{schema}.{table}")
                result.rows[table] = spark.table(relation).count()
                if progress:
                    progress(f"  {table:<20} {result.rows[table]:>9,} rows")
        except Exception as exc:
            if type(exc).__module__.startswith(("pyspark", "py4j")):
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise LoadError(f"loading into schema {schema} failed: {message}") from None
            raise
    result.seconds = time.monotonic() - started
    return result
