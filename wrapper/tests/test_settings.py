"""DuckDB's threads and memory limit come from the environment, and a build lets go of its file.

The settings are read back from DuckDB itself (`current_setting`) through `dbt show`, on the
profile the build uses; the release is checked from another process, which opens the
database file read-write (a lock held by the build would refuse it) as a BI tool would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import goodies_report
from goodies_report.build import Settings, dbt_environment, run_build

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def duckdb_settings(tmp_path: Path) -> dict[str, str]:
    from dbt.cli.main import dbtRunner

    settings = Settings(PROJECT_DIR, "duckdb", tmp_path / "settings.duckdb")
    args = settings.dbt_args()
    args[args.index("--target-path") + 1] = str(tmp_path / "target")
    query = (
        "select current_setting('threads') as threads, "
        "current_setting('memory_limit') as memory_limit"
    )
    with dbt_environment(settings):
        result = dbtRunner().invoke(["show", "--inline", query, *args])
    assert result.success, result.exception
    table = result.result.results[0].agate_table
    return dict(zip(table.column_names, table.rows[0], strict=True))


def test_duckdb_takes_threads_and_memory_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GOODIES_DUCKDB_THREADS", "1")
    monkeypatch.setenv("GOODIES_DUCKDB_MEMORY_LIMIT", "700MB")
    got = duckdb_settings(tmp_path)
    assert int(got["threads"]) == 1
    # DuckDB shows the limit in its own unit: 700 MB is 667.5 MiB
    assert got["memory_limit"] == "667.5 MiB"


def test_the_defaults_are_two_threads_and_a_gigabyte(tmp_path, monkeypatch):
    monkeypatch.delenv("GOODIES_DUCKDB_THREADS", raising=False)
    monkeypatch.delenv("GOODIES_DUCKDB_MEMORY_LIMIT", raising=False)
    got = duckdb_settings(tmp_path)
    assert int(got["threads"]) == 2
    assert got["memory_limit"] == "953.6 MiB"  # 10^9 bytes


def parse_events(settings: Settings, target_path: Path) -> set[str]:
    """The names of the events of one `dbt parse` with these settings."""
    from dbt.cli.main import dbtRunner

    names: set[str] = set()
    args = settings.dbt_args()
    args[args.index("--target-path") + 1] = str(target_path)
    # the log level none of dbt_args would keep the debug events from the callbacks
    args[args.index("--log-level") + 1] = "debug"
    with dbt_environment(settings):
        result = dbtRunner(callbacks=[lambda event: names.add(event.info.name)]).invoke(
            ["parse", *args]
        )
    assert result.success, result.exception
    return names


def test_a_new_folder_or_date_keeps_dbts_saved_parse(tmp_path):
    database = tmp_path / "parse.duckdb"
    first = {"raw_mode": "files", "raw_data_dir": str(FIXTURES / "tiny"), "as_of": "2026-12-01"}
    second = {**first, "raw_data_dir": str(tmp_path / "elsewhere"), "as_of": "2027-01-15"}

    parse_events(Settings(PROJECT_DIR, "duckdb", database, first), tmp_path / "target")
    again = parse_events(Settings(PROJECT_DIR, "duckdb", database, second), tmp_path / "target")

    # the folder and the date reach dbt through the environment, read only when a run
    # executes: dbt keeps its saved parse, where a new --vars would make it parse it all
    assert "UnableToPartialParse" not in again
    assert "PartialParsingSkipParsing" in again

    # a var still counts as a var, and forces a full parse
    other_mode = Settings(PROJECT_DIR, "duckdb", database, {**second, "raw_schema": "raw_2"})
    assert "UnableToPartialParse" in parse_events(other_mode, tmp_path / "target")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("released") / "released.duckdb"
    dbt_vars = {"raw_mode": "files", "raw_data_dir": str(FIXTURES / "tiny"), "as_of": "2026-12-01"}
    result = run_build(Settings(PROJECT_DIR, "duckdb", database, dbt_vars))
    assert result.success, result.describe_failure()
    return database


@pytest.mark.parametrize("mode", ["read_only", "read_write"])
def test_after_a_build_another_process_can_open_the_database(built, mode):
    # this process, which ran dbt, still exists: only a released file lets the other in
    reader = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; "
            f"con = duckdb.connect(sys.argv[1], read_only={mode == 'read_only'}); "
            "print(con.execute('select count(*) from main.campaign_kpis').fetchone()[0])",
            str(built),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == "2"  # the tiny folder's two campaigns
