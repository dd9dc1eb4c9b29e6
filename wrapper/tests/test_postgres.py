"""The project on PostgreSQL: the loader, and the same report as on DuckDB.

Needs a PostgreSQL server reached through the GOODIES_PG_* variables (profiles.yml), with a
role allowed to create schemas. Without one the tests are skipped, except in CI (variable CI
set), where they fail. Every test works in schemas of its own, dropped at the end, and in its
own dbt target folder and DuckDB file.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest
from click.testing import CliRunner
from grown_exports import grow_the_exports
from minimal_raw import minimal_folder, write
from report_compare import compare, figures_are_equal

from goodies_report import build
from goodies_report.cli import cli
from goodies_report.generate import generate
from goodies_report.load import CONTRACT_TABLES, PG_ENV, load_files, pg_connection_params

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-12-01"


def _connect():
    params = {k: v for k, v in pg_connection_params().items() if v != ""}
    return psycopg2.connect(**params)


@pytest.fixture(scope="module")
def pg() -> Iterator[Any]:
    """A connection to the test server, or a skip (a failure in CI) naming what is missing."""
    params = pg_connection_params()
    where = f"{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
    try:
        con = _connect()
    except psycopg2.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        reason = f"no PostgreSQL reachable as {where} (GOODIES_PG_* variables): {message}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide one (.ci/run starts it)")
        pytest.skip(reason)
    con.autocommit = True
    yield con
    con.close()


@pytest.fixture
def schema(pg) -> Iterator[str]:
    """A schema name of this test's own; it and what a build derives from it are dropped."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    yield name
    with pg.cursor() as cur:
        for suffix in ("", "_raw", "_raw_input"):
            cur.execute(f"drop schema if exists {name}{suffix} cascade")


def rows(pg, sql: str) -> list[tuple]:
    with pg.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def tables_in(pg, schema: str) -> set[str]:
    found = rows(
        pg, f"select table_name from information_schema.tables where table_schema = '{schema}'"
    )
    return {row[0] for row in found}


# ---------------------------------------------------------------------------------------
# The loader


def test_profiles_and_loader_read_the_same_variables(project_dir: Path):
    """load.py's variables and defaults are those of the postgres output of profiles.yml."""
    text = (project_dir / "profiles.yml").read_text(encoding="utf-8")
    for name, default in PG_ENV.values():
        assert f"env_var('{name}', '{default}')" in text


def test_load_keeps_every_value_as_written(pg, schema, tmp_path: Path):
    """Text as the file holds it: a BOM, quoted commas, quotes and newlines, a value that
    breaks its type; an empty field is null, a header is matched whatever its case, a blank
    line is not a row, and an extra column comes along."""
    folder = minimal_folder(
        tmp_path / "raw",
        "\ufeffCampaign_ID,campaign_name,start_date,end_date,currency,budget,note\r\n"
        'C1,"Spring, ""mugs""\nand more",2026-03-01,2026-03-31,EUR,1e3,x\r\n'
        "\r\n"
        "C2,Autumn,2026-02-30,2026-07-15,USD,,\r\n",
    )
    result = load_files(folder, schema)
    assert result.rows == {"campaigns": 2, "skus": 0, "recipients": 0, "shipments": 0}
    assert tables_in(pg, schema) == {"campaigns", "skus", "recipients", "shipments"}
    assert rows(pg, f'select * from {schema}.campaigns order by "Campaign_ID"') == [
        ("C1", 'Spring, "mugs"\nand more', "2026-03-01", "2026-03-31", "EUR", "1e3", "x"),
        ("C2", "Autumn", "2026-02-30", "2026-07-15", "USD", None, None),
    ]
    types = rows(
        pg,
        "select distinct data_type from information_schema.columns"
        f" where table_schema = '{schema}'",
    )
    assert types == [("text",)]


def test_odd_header_names_are_read_as_files_mode_reads_them(pg, schema, tmp_path: Path):
    """Fields of the header by RFC 4180 ("a,b" is one name), the first of a repeated name
    (whatever its case) and no column for an empty name, the trailing comma's."""
    folder = minimal_folder(
        tmp_path / "raw",
        'campaign_id,"a,b",Campaign_Name,campaign_name,start_date,end_date,currency,budget,\n'
        "C1,x,Spring,ignored,2026-03-01,2026-03-31,EUR,10,\n",
    )
    load_files(folder, schema)
    assert rows(pg, f"select * from {schema}.campaigns") == [
        ("C1", "x", "Spring", "2026-03-01", "2026-03-31", "EUR", "10")
    ]
    columns = rows(
        pg,
        "select column_name from information_schema.columns"
        f" where table_schema = '{schema}' and table_name = 'campaigns'"
        " order by ordinal_position",
    )
    assert [c for (c,) in columns] == [
        "campaign_id", "a,b", "Campaign_Name", "start_date", "end_date", "currency", "budget",
    ]  # fmt: skip


def test_reload_replaces_and_an_absent_file_drops_its_table(pg, schema, tmp_path: Path):
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\n",
    )
    write(folder, "suppliers.csv", "supplier,on_time_target,max_lead_time_days,max_defect_rate\n"
          "SupA,0.95,7,0.02\nSupB,,,\n")  # fmt: skip
    load_files(folder, schema)
    second = load_files(folder, schema)
    assert second.rows["suppliers"] == 2 and second.dropped == []
    assert rows(pg, f"select count(*) from {schema}.suppliers") == [(2,)]
    assert rows(pg, f"select count(*) from {schema}.campaigns") == [(1,)]

    (folder / "suppliers.csv").unlink()
    third = load_files(folder, schema)
    assert third.dropped == ["suppliers"]
    assert "suppliers" not in tables_in(pg, schema)


def test_parquet_columns_arrive_as_duckdb_casts_them_to_text(pg, schema, tmp_path: Path):
    """As files mode reads a Parquet file: a double with an exponent stays '1e-05' (and is
    then set aside by staging), a timestamp is written with a space."""
    folder = minimal_folder(tmp_path / "raw", "campaign_id\n")
    (folder / "campaigns.csv").unlink()
    con = duckdb.connect()
    con.execute(
        "copy (select 'C1' as campaign_id, 'Spring' as campaign_name,"
        " date '2026-03-01' as start_date, '2026-03-31' as end_date, 'EUR' as currency,"
        " 0.00001::double as budget, timestamp '2026-03-02 10:15:30' as seen_at)"
        f" to '{folder / 'campaigns.parquet'}' (format parquet)"
    )
    con.close()
    load_files(folder, schema)
    assert rows(pg, f"select start_date, budget, seen_at from {schema}.campaigns") == [
        ("2026-03-01", "1e-05", "2026-03-02 10:15:30")
    ]


def test_a_malformed_line_stops_the_load_and_keeps_the_earlier_tables(pg, schema, tmp_path: Path):
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\n",
    )
    load_files(folder, schema)
    write(folder, "campaigns.csv", "campaign_id,campaign_name\nC1,Spring\nC2,Autumn,extra\n")
    with pytest.raises(build.InputError) as error:
        load_files(folder, schema)
    assert str(error.value) == (
        f"cannot read {folder / 'campaigns.csv'}: Invalid Input Error: CSV Error on Line: 3 "
        "Expected Number of Columns: 2 Found: 3"
    )
    # one transaction: the first load's rows are still there
    assert rows(pg, f"select campaign_id, budget from {schema}.campaigns") == [("C1", "10")]


def test_load_command_never_shows_the_password(pg, schema, tmp_path: Path, monkeypatch):
    minimal_folder(tmp_path / "raw", "campaign_id\n")
    secret = "not-the-password-" + uuid.uuid4().hex[:6]
    monkeypatch.setenv("GOODIES_PG_PASSWORD", secret)
    result = CliRunner().invoke(
        cli, ["load", "--data-dir", str(tmp_path / "raw"), "--raw-schema", schema]
    )
    if result.exit_code == 0:
        pytest.skip("this server lets the role in without checking its password")
    assert result.exit_code == 1, result.output
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: cannot connect to PostgreSQL as ")
    assert error.endswith("; check the GOODIES_PG_* variables")
    assert secret not in result.output and secret not in result.stderr


def test_load_command_prints_the_schema_and_counts_rows(pg, schema, tmp_path: Path):
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\nC2,Autumn,2026-06-01,2026-07-15,USD,\n",
    )
    result = CliRunner().invoke(cli, ["load", "--data-dir", str(folder), "--raw-schema", schema])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{schema}\n"
    assert "  campaigns                    2 rows\n" in result.stderr
    assert "Loaded 2 rows in " in result.stderr


def test_a_table_with_both_a_csv_and_a_parquet_file_is_refused(tmp_path: Path):
    folder = minimal_folder(tmp_path / "raw", "campaign_id\n")
    (folder / "skus.parquet").write_bytes(b"")
    with pytest.raises(build.InputError) as error:
        load_files(folder, "never_reached")
    assert str(error.value) == f"both {folder / 'skus.csv'} and skus.parquet exist: keep one"


def test_load_command_refuses_a_duckdb_target_and_a_bad_schema(tmp_path: Path):
    minimal_folder(tmp_path / "raw", "campaign_id\n")
    runner = CliRunner()
    bad_target = runner.invoke(cli, ["load", "--target", "duckdb", "--data-dir", str(tmp_path)])
    assert bad_target.exit_code == 2
    assert bad_target.stderr == (
        "Error: target 'duckdb' is duckdb; load writes to a postgres or spark target\n"
    )
    bad_schema = runner.invoke(
        cli, ["load", "--data-dir", str(tmp_path / "raw"), "--raw-schema", "raw; drop"]
    )
    assert bad_schema.exit_code == 2
    assert "letters, digits and underscores" in bad_schema.stderr


# ---------------------------------------------------------------------------------------
# The same report on both engines


def test_compare_finds_a_moved_null_and_a_figure_off_by_more_than_1e_9():
    duck = {"generated_at": "a", "k": {"x": 1.0, "y": None, "z": [1, 2]}}
    assert (
        compare(duck, {"generated_at": "b", "k": {"x": 1 + 1e-12, "y": None, "z": [1, 2]}})[1] == []
    )
    assert compare(duck, {"k": {"x": 1.0, "y": None, "z": [1, 2]}, "generated_at": 0}) == (3, [])
    n, problems = compare(duck, {"k": {"x": 1 + 1e-8, "y": 0.0, "z": [1]}})
    assert problems == [
        "$.k.x: 1.0 on duckdb, 1.00000001 on postgres",
        "$.k.y: None on duckdb, 0.0 on postgres",
        "$.k.z: 2 items on duckdb, 1 on postgres",
    ]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """dbt target folders and the DuckDB file of this test's own (build.py puts them in the
    project otherwise), and the marts schema of the postgres target its own."""
    monkeypatch.setattr(
        build.Settings, "target_path", property(lambda s: tmp_path / "target" / s.target)
    )
    monkeypatch.setenv(build.DUCKDB_PATH_VAR, str(tmp_path / "goodies.duckdb"))
    return tmp_path


def report_on_both(data_dir: Path, schema: str, out: Path, monkeypatch) -> tuple[dict, dict]:
    """report.json built on DuckDB from the files, and on PostgreSQL from the loaded files."""
    runner = CliRunner()
    common = ["--as-of", AS_OF, "--format", "json", "--format", "md", "--quiet"]
    on_duckdb = runner.invoke(
        cli, ["--data-dir", str(data_dir), *common, "--out", str(out / "duckdb")]
    )
    assert on_duckdb.exit_code == 0, on_duckdb.stderr or on_duckdb.exception
    raw_schema = f"{schema}_raw"
    loaded = runner.invoke(
        cli, ["load", "--data-dir", str(data_dir), "--raw-schema", raw_schema, "--quiet"]
    )
    assert loaded.exit_code == 0, loaded.stderr or loaded.exception
    monkeypatch.setenv("GOODIES_PG_SCHEMA", schema)
    on_pg = runner.invoke(
        cli,
        ["--target", "postgres", "--raw-schema", raw_schema, *common, "--out", str(out / "pg")],
    )
    assert on_pg.exit_code == 0, on_pg.stderr or on_pg.exception
    duck = json.loads((out / "duckdb" / "report.json").read_text(encoding="utf-8"))
    pg = json.loads((out / "pg" / "report.json").read_text(encoding="utf-8"))
    # The Markdown report too, but for the line with the time it was generated at.
    duck_md, pg_md = (
        [line for line in (out / engine / "report.md").read_text("utf-8").splitlines()
         if "generated" not in line]
        for engine in ("duckdb", "pg")
    )  # fmt: skip
    assert pg_md == duck_md
    return duck, pg


def test_demo_report_is_the_same_on_postgres(pg, schema, isolated: Path, monkeypatch):
    """The demo of seed 7 (5,000 recipients, every table, planted breaches): every figure,
    null and text of report.json is the same on both engines."""
    data_dir = isolated / "demo"
    generate(data_dir, seed=7, recipients=5000)
    duck, on_pg = report_on_both(data_dir, schema, isolated / "out", monkeypatch)
    assert [c["campaign_id"] for c in duck["campaigns"]] == [
        c["campaign_id"] for c in on_pg["campaigns"]
    ]
    assert len(duck["campaigns"]) >= 2
    assert sorted(on_pg["data_quality"]) == sorted(CONTRACT_TABLES)
    # the demo plants breaches: the set-aside rows arrive through the loader too
    assert sum(t["set_aside"] for t in on_pg["data_quality"].values()) > 0
    assert figures_are_equal(duck, on_pg) > 1000


def test_breaches_fixture_report_is_the_same_on_postgres(pg, schema, isolated, monkeypatch):
    """The hand-made folder of contract breaches, absent optional tables included."""
    duck, on_pg = report_on_both(FIXTURES / "breaches", schema, isolated / "out", monkeypatch)
    assert on_pg["data_quality"] == duck["data_quality"]
    assert figures_are_equal(duck, on_pg) > 50


EVENT_TABLES = ("stg_tracking__code_events", "stg_crm__leads", "stg_crm__opportunities")


def test_an_incremental_build_on_postgres_holds_the_rows_of_a_full_build(
    pg, schema, isolated: Path, monkeypatch
):
    """The event staging models built again, incrementally, after the exports grew (new
    rows, an exact duplicate, a key clash, a departed row) hold exactly the rows of a build
    from scratch on the grown exports: the same SQL as on DuckDB, with PostgreSQL's md5 row
    hashes."""
    data_dir = isolated / "raw"
    generate(data_dir, seed=13, recipients=300)
    raw_schema = f"{schema}_raw"
    monkeypatch.setenv("GOODIES_PG_SCHEMA", schema)
    runner = CliRunner()

    def load_and_build() -> None:
        for args in (
            ["load", "--data-dir", str(data_dir), "--raw-schema", raw_schema, "--quiet"],
            ["--target", "postgres", "--raw-schema", raw_schema, "--as-of", AS_OF,
             "--format", "json", "--quiet", "--out", str(isolated / "out")],
        ):  # fmt: skip
            result = runner.invoke(cli, args)
            assert result.exit_code == 0, result.stderr or result.exception

    def event_rows() -> dict[str, list[tuple]]:
        return {
            name: sorted(rows(pg, f"select * from {schema}.{name}"), key=repr)
            for name in EVENT_TABLES
        }

    load_and_build()
    changes = grow_the_exports(data_dir)
    load_and_build()
    incremental = event_rows()
    run_sql = isolated / "target" / "postgres" / "run" / "goodies" / "models" / "staging"
    assert "delete from" in (run_sql / "crm" / "stg_crm__leads.sql").read_text("utf-8")

    with pg.cursor() as cur:
        for name in EVENT_TABLES:
            cur.execute(f"drop table {schema}.{name} cascade")
    load_and_build()
    full = event_rows()

    events = {r[0] for r in full["stg_tracking__code_events"]}
    assert changes["departed_event"] not in events and changes["duplicated_event"] in events
    assert changes["appended_events"] > 5 and changes["new_opportunities"] > 0
    assert incremental == full
