"""The real dbt project laid out for one test, and `goodies-report` run on it as a user would.

A project copy links the project's models, macros, seeds, tests and templates and copies its
two YAML files, so that dbt's target/ and logs/, the demo files and the DuckDB file all sit
in the test's own folder: tests running at the same time never share an artefact, and a
test can read every file a build wrote.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

import goodies_report

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
LINKED = ("models", "macros", "seeds", "tests", "analyses", "reports")
COPIED = ("dbt_project.yml", "profiles.yml")
AS_OF = "2026-12-01"


def project_copy(root: Path) -> Path:
    """A project folder at root whose sources are the real project's."""
    root.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        if (PROJECT_DIR / name).exists():
            (root / name).symlink_to(PROJECT_DIR / name)
    for name in COPIED:
        shutil.copy(PROJECT_DIR / name, root / name)
    return root


def command() -> list[str]:
    """The installed `goodies-report` beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("goodies-report")
    return [str(beside) if beside.exists() else shutil.which("goodies-report") or "goodies-report"]


def environment(project: Path, database: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GOODIES_")}
    env.update(GOODIES_PROJECT_DIR=str(project), GOODIES_DUCKDB_PATH=str(database), **extra)
    return env


def run(
    project: Path, database: Path, *args: str, timeout: float = 900, **extra: str
) -> subprocess.CompletedProcess:
    """`goodies-report ARGS` in a process of its own, as a user runs it."""
    return subprocess.run(
        [*command(), *args],
        env=environment(project, database, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start(project: Path, database: Path, *args: str, **extra: str) -> subprocess.Popen:
    """`goodies-report ARGS` started in a session of its own (see kill), output captured."""
    return subprocess.Popen(
        [*command(), *args],
        env=environment(project, database, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and everything it started: nothing gets to clean up."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


def rows(database: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def tables(database: Path, schema: str | None = None) -> list[tuple[str, str]]:
    """(schema, table) of every base table in the file, views left out, sorted."""
    found = rows(
        database,
        "select table_schema, table_name from information_schema.tables"
        " where table_type = 'BASE TABLE' and (? is null or table_schema = ?)"
        " order by 1, 2",
        schema,
        schema,
    )
    return [(r["table_schema"], r["table_name"]) for r in found]


def snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every table of the main schema (the marts) as its sorted rows, for comparisons."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        found = {}
        for schema, table in tables(database, "main"):
            records = con.execute(f'select * from "{schema}"."{table}"').fetchall()
            found[table] = sorted(records, key=repr)
        return found
    finally:
        con.close()


def no_traceback(result: subprocess.CompletedProcess | Any) -> bool:
    return "Traceback" not in (result.stdout or "") + (result.stderr or "")
