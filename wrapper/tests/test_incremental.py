"""The incremental staging of the event-like tables gives exactly what a full build gives.

A demo folder is built, then changed the way a growing export changes: new code events,
leads and opportunities appended, a second copy of an existing event (an exact duplicate),
a row whose key clashes with a kept lead, and a row that left the file. The same database is
built again, incrementally, and a fresh one is built from scratch on the changed folder:
every table of the two must hold the same rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from grown_exports import grow_the_exports

import goodies_report
from goodies_report.build import Settings, run_build
from goodies_report.generate import generate

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
RUN_SQL = PROJECT_DIR / "target" / "duckdb" / "run" / "goodies" / "models" / "staging"
EVENT_MODELS = {
    "stg_tracking__code_events": RUN_SQL / "tracking" / "stg_tracking__code_events.sql",
    "stg_crm__leads": RUN_SQL / "crm" / "stg_crm__leads.sql",
    "stg_crm__opportunities": RUN_SQL / "crm" / "stg_crm__opportunities.sql",
}


def build(folder: Path, database: Path):
    dbt_vars = {"raw_mode": "files", "raw_data_dir": str(folder), "as_of": "2026-12-01"}
    result = run_build(Settings(PROJECT_DIR, "duckdb", database, dbt_vars))
    assert result.success, result.describe_failure()
    return result


def tables(database: Path) -> dict[str, list[tuple]]:
    """Every table of the build's schemas, its rows sorted."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{name}": sorted(
                con.execute(f'select * from "{schema}"."{name}"').fetchall(), key=repr
            )
            for schema, name in names
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(what changed, run SQL of the incremental build, incremental tables, full tables)."""
    base = tmp_path_factory.mktemp("incremental")
    folder = base / "raw"
    generate(folder, seed=13, recipients=1000)
    build(folder, base / "incremental.duckdb")

    changes = grow_the_exports(folder)
    build(folder, base / "incremental.duckdb")
    run_sql = {name: path.read_text(encoding="utf-8") for name, path in EVENT_MODELS.items()}

    shutil.rmtree(base / "full", ignore_errors=True)
    (base / "full").mkdir()
    build(folder, base / "full" / "full.duckdb")
    incremental = tables(base / "incremental.duckdb")
    return changes, run_sql, incremental, tables(base / "full" / "full.duckdb")


def test_the_second_build_of_the_event_models_is_incremental(builds):
    _, run_sql, _, _ = builds
    for name, sql in run_sql.items():
        # dbt's delete+insert: the rows to restage replace their namesakes, and nothing is
        # created from scratch
        assert "delete from" in sql and "create table" not in sql.lower(), name


def test_an_incremental_build_holds_exactly_the_rows_of_a_full_build(builds):
    changes, _, incremental, full = builds
    assert changes["appended_events"] > 10 and changes["new_opportunities"] > 0
    assert set(incremental) == set(full)
    differing = [name for name in full if incremental[name] != full[name]]
    assert not differing, differing
    assert len(full) > 50  # every model of the project is a table, all compared


def test_the_changes_are_seen(builds):
    changes, _, _, full = builds
    events = {r[0]: r for r in full["main.stg_tracking__code_events"]}
    assert changes["departed_event"] not in events
    names = [
        "event_id", "code", "event_type", "event_at", "row_hash", "row_key",
        "merged_copies", "breach_reason", "breach_detail",
    ]  # fmt: skip
    duplicated = dict(zip(names, events[changes["duplicated_event"]], strict=True))
    assert duplicated["merged_copies"] == 1
    clashing = [r for r in full["main.stg_crm__leads"] if r[0] == changes["clashing_lead"]]
    assert len(clashing) == 2
    assert all("key_clash" in r for r in clashing)
