"""The project on Apache Spark (dbt-spark's session method, local mode): the loader, and the
same report as on DuckDB.

Spark runs inside the test process, in local mode on one core, its catalog and tables in a
folder of this run's own (GOODIES_SPARK_DIR); a Spark session is one per process, so every
test here shares it and works in schemas of its own. Needs Java and pyspark (the test extra
installs dbt-spark[session]); without them the tests are skipped, except in CI (variable CI
set), where they fail. Run them alone with `pytest -m spark`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import isolated as isolated_run
import pytest
from click.testing import CliRunner
from minimal_raw import minimal_folder, write
from report_compare import compare, figures_are_equal

from goodies_report import build, spark
from goodies_report.cli import cli
from goodies_report.load import CONTRACT_TABLES

pytestmark = pytest.mark.spark

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_DIR = Path(__file__).resolve().parents[2]
AS_OF = "2026-12-01"


def _missing() -> str | None:
    """What this machine lacks to run Spark, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[test]' brings dbt-spark[session])"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (java on PATH or JAVA_HOME) for Spark"
    return None


@pytest.fixture(scope="module")
def spark_dir(tmp_path_factory) -> Iterator[Path]:
    """GOODIES_SPARK_DIR for the whole module: the process's one Spark session lives there."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide it")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("spark")
    before = {name: os.environ.get(name) for name in (build.SPARK_DIR_VAR, "SPARK_LOCAL_IP")}
    os.environ[build.SPARK_DIR_VAR] = str(folder)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    yield folder
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="module")
def session(spark_dir: Path) -> Any:
    return spark.session(spark.session_settings(PROJECT_DIR, "spark"))


@pytest.fixture
def schema(session) -> Iterator[str]:
    """A schema name of this test's own; it and what a build derives from it are dropped."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    yield name
    for suffix in ("", "_raw", "_raw_input"):
        session.sql(f"drop schema if exists {name}{suffix} cascade")


def load(folder: Path, schema: str):
    return spark.load_files(folder, schema, spark.session_settings(PROJECT_DIR, "spark"))


def tables_in(session, schema: str) -> set[str]:
    return {row.tableName for row in session.sql(f"show tables in {schema}").collect()}


# ---------------------------------------------------------------------------------------
# The loader


def test_loader_starts_the_session_of_the_profile(spark_dir: Path):
    """The settings come from profiles.yml's spark output, with GOODIES_SPARK_DIR in the
    catalog's and the tables' places, and one local core."""
    settings = spark.session_settings(PROJECT_DIR, "spark")
    assert settings["spark.sql.warehouse.dir"] == f"{spark_dir}/tables"
    assert settings["spark.driver.extraJavaOptions"] == f"-Dderby.system.home={spark_dir}"
    assert settings["spark.master"] == "local[1]"
    assert settings["spark.sql.session.timeZone"] == "UTC"
    with pytest.raises(build.GoodiesError, match="not a spark output of the session method"):
        spark.session_settings(PROJECT_DIR, "spark_cluster")
    with pytest.raises(build.GoodiesError, match="not a spark output"):
        spark.session_settings(PROJECT_DIR, "duckdb")


def test_load_keeps_every_value_as_written(session, schema, spark_dir: Path, tmp_path: Path):
    """Text as the file holds it, as the PostgreSQL loader keeps it: a BOM, quoted commas,
    quotes and newlines, a value that breaks its type, an empty field as null, a header in
    any case, no row for a blank line, an extra column; text columns only, in the folder."""
    folder = minimal_folder(
        tmp_path / "raw",
        "\ufeffCampaign_ID,campaign_name,start_date,end_date,currency,budget,note\r\n"
        'C1,"Spring, ""mugs""\nand more",2026-03-01,2026-03-31,EUR,1e3,x\\y\r\n'
        "\r\n"
        "C2,Autumn,2026-02-30,2026-07-15,USD,,\r\n",
    )
    result = load(folder, schema)
    assert result.rows == {"campaigns": 2, "skus": 0, "recipients": 0, "shipments": 0}
    assert tables_in(session, schema) == {"campaigns", "skus", "recipients", "shipments"}
    found = session.sql(f"select * from {schema}.campaigns order by Campaign_ID").collect()
    assert [tuple(row) for row in found] == [
        ("C1", 'Spring, "mugs"\nand more', "2026-03-01", "2026-03-31", "EUR", "1e3", "x\\y"),
        ("C2", "Autumn", "2026-02-30", "2026-07-15", "USD", None, None),
    ]
    fields = session.table(f"{schema}.campaigns").schema.fields
    assert {field.dataType.simpleString() for field in fields} == {"string"}
    assert [field.name for field in fields][:2] == ["Campaign_ID", "campaign_name"]
    assert list((spark_dir / "tables").glob(f"{schema}.db/campaigns/*.parquet"))


def test_reload_replaces_and_an_absent_file_drops_its_table(session, schema, tmp_path: Path):
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\n",
    )
    write(folder, "suppliers.csv", "supplier,on_time_target,max_lead_time_days,max_defect_rate\n"
          "SupA,0.95,7,0.02\nSupB,,,\n")  # fmt: skip
    load(folder, schema)
    second = load(folder, schema)
    assert second.rows["suppliers"] == 2 and second.dropped == []
    assert session.table(f"{schema}.suppliers").count() == 2
    assert session.table(f"{schema}.campaigns").count() == 1

    (folder / "suppliers.csv").unlink()
    third = load(folder, schema)
    assert third.dropped == ["suppliers"]
    assert "suppliers" not in tables_in(session, schema)


def test_a_malformed_line_stops_the_load_before_any_table_changes(session, schema, tmp_path: Path):
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\n",
    )
    load(folder, schema)
    write(folder, "shipments.csv", "shipment_id,campaign_id\nS1,C1\nS2,C1,extra\n")
    with pytest.raises(build.InputError) as error:
        load(folder, schema)
    assert str(error.value) == (
        f"cannot read {folder / 'shipments.csv'}: Invalid Input Error: CSV Error on Line: 3 "
        "Expected Number of Columns: 2 Found: 3"
    )
    rows = session.sql(f"select campaign_id, budget from {schema}.campaigns").collect()
    assert [tuple(row) for row in rows] == [("C1", "10")]
    assert session.table(f"{schema}.shipments").columns[:2] == ["shipment_id", "campaign_id"]


def test_loaded_tables_outlive_the_loading_process(tmp_path: Path, spark_dir: Path):
    """`goodies-report load` in one process, the table read in another: the session method
    keeps its catalog in GOODIES_SPARK_DIR (a folder of its own here: the catalog admits one
    process at a time, and this one holds the module's)."""
    folder = minimal_folder(
        tmp_path / "raw",
        "campaign_id,campaign_name,start_date,end_date,currency,budget\n"
        "C1,Spring,2026-03-01,2026-03-31,EUR,10\nC2,Autumn,2026-06-01,2026-07-15,USD,\n",
    )
    env = {**os.environ, build.SPARK_DIR_VAR: str(tmp_path / "spark")}
    loaded = subprocess.run(
        [*isolated_run.command(), "load", "--target", "spark",
         "--data-dir", str(folder), "--raw-schema", "raw_kept"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout == "raw_kept\n"
    assert "  campaigns                    2 rows\n" in loaded.stderr
    reader = (
        "from pathlib import Path; from goodies_report import spark; "
        f"s = spark.session(spark.session_settings(Path({str(PROJECT_DIR)!r}), 'spark')); "
        "print(sorted(r.campaign_id for r in s.table('raw_kept.campaigns').collect()))"
    )
    read = subprocess.run(
        [sys.executable, "-c", reader],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert read.returncode == 0, read.stderr[-2000:]
    assert read.stdout.strip().splitlines()[-1] == "['C1', 'C2']"
    assert not (PROJECT_DIR / "metastore_db").exists()
    assert not (PROJECT_DIR / "spark-warehouse").exists()


# ---------------------------------------------------------------------------------------
# The same report on both engines


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """dbt target folders and the DuckDB file of this test's own."""
    monkeypatch.setattr(
        build.Settings, "target_path", property(lambda s: tmp_path / "target" / s.target)
    )
    monkeypatch.setenv(build.DUCKDB_PATH_VAR, str(tmp_path / "goodies.duckdb"))
    return tmp_path


def report_on_both(data_dir: Path, schema: str, out: Path, monkeypatch) -> tuple[dict, dict]:
    """report.json built on DuckDB from the files, and on Spark from the loaded files."""
    runner = CliRunner()
    common = ["--as-of", AS_OF, "--format", "json", "--format", "md", "--quiet"]
    on_duckdb = runner.invoke(
        cli, ["--data-dir", str(data_dir), *common, "--out", str(out / "duckdb")]
    )
    assert on_duckdb.exit_code == 0, on_duckdb.stderr or on_duckdb.exception
    raw_schema = f"{schema}_raw"
    loaded = runner.invoke(
        cli,
        ["load", "--target", "spark", "--data-dir", str(data_dir), "--raw-schema", raw_schema,
         "--quiet"],
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.stderr or loaded.exception
    monkeypatch.setenv("GOODIES_SPARK_SCHEMA", schema)
    on_spark = runner.invoke(
        cli,
        # every test on Spark, its unit tests too (a report build leaves them out)
        ["--target", "spark", "--raw-schema", raw_schema, "--unit-tests", *common,
         "--out", str(out / "spark")],
    )  # fmt: skip
    assert on_spark.exit_code == 0, on_spark.stderr or on_spark.exception
    duck = json.loads((out / "duckdb" / "report.json").read_text(encoding="utf-8"))
    other = json.loads((out / "spark" / "report.json").read_text(encoding="utf-8"))
    duck_md, spark_md = (
        [line for line in (out / engine / "report.md").read_text("utf-8").splitlines()
         if "generated" not in line]
        for engine in ("duckdb", "spark")
    )  # fmt: skip
    assert spark_md == duck_md
    return duck, other


def test_compare_names_the_engine():
    assert compare({"x": 1.0}, {"x": 2.0}, engine="spark")[1] == [
        "$.x: 1.0 on duckdb, 2.0 on spark"
    ]


def test_breaches_fixture_report_is_the_same_on_spark(session, schema, isolated, monkeypatch):
    """The hand-made folder of contract breaches, absent optional tables included, built on
    Spark (every model, data test and unit test) and on DuckDB: every figure within 1e-9,
    every null in the same place, every text equal, the Markdown reports line for line."""
    duck, on_spark = report_on_both(FIXTURES / "breaches", schema, isolated / "out", monkeypatch)
    assert sorted(on_spark["data_quality"]) == sorted(CONTRACT_TABLES)
    assert on_spark["data_quality"] == duck["data_quality"]
    assert sum(t["set_aside"] for t in on_spark["data_quality"].values()) > 0
    assert figures_are_equal(duck, on_spark, engine="spark") > 50
    run = json.loads((isolated / "target" / "spark" / "run_results.json").read_text("utf-8"))
    kinds = {}
    for result in run["results"]:
        kinds.setdefault(result["unique_id"].split(".")[0], set()).add(result["status"])
    assert kinds["unit_test"] == {"pass"} and kinds["test"] == {"pass"}
    assert kinds["model"] == {"success"}
