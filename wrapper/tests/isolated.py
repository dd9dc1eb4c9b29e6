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


# --- one build on hostile text, shared by the tests of a session -------------------------

# Text a recipient, a planner or a catalog may hold: markup, script, spreadsheet formulas,
# SQL quotes, Markdown syntax and control characters. None looks like an e-mail address or
# a phone number, so the masking of comments leaves them as they are.
HOSTILE_CAMPAIGN_ID = "CMP-2026-AUTUMN' or '1'='1"
HOSTILE_CAMPAIGN_NAME = (
    "<script>alert(\"campaign\")</script> & =cmd|' /C calc'!A0; a, b\nBEGIN:VEVENT\nSUMMARY:x"
)
HOSTILE_SKU = 'SKU-MUG<b>|"x"</b>'
HOSTILE_SKU_NAME = "@SUM(A1:A9) <img src=x onerror=alert(1)>"
HOSTILE_COMPANY = '=HYPERLINK("http://evil.example","x")'
HOSTILE_COMMENTS = (
    "<script>alert('comment')</script><!-- open",
    "=1+2 and +3-4 and -5+6 and @A1",
    "Robert'); drop table fct_responses; --",
    "# not a heading | not | a table [link](javascript:alert(1)) ![x](http://evil.example)",
    "bell\x07 escape\x1b[2J backspace\x08 formfeed\x0c delete\x7f rtl\u202eoverride",
    "*bold* _it_ `code` ~~strike~~ \\ back\\slash {braces} (parens) <not-a-tag>",
)


def write_hostile_files(folder: Path) -> Path:
    """Generated files (seed 5, 300 recipients) carrying the hostile text above.

    The autumn campaign's id and the mug's SKU are replaced in every cell that holds them,
    so they travel through every join; the hostile comments are given to the latest kept
    responses, so that the report shows them.
    """
    import csv
    from collections import Counter

    from goodies_report.generate import generate

    generate(folder, seed=5, recipients=300)
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            records = list(csv.reader(handle))
        header = records[0]
        replaced = {"CMP-2026-AUTUMN": HOSTILE_CAMPAIGN_ID, "SKU-MUG": HOSTILE_SKU}
        records = [header] + [[replaced.get(v, v) for v in r] for r in records[1:]]
        if path.stem == "campaigns":
            name = header.index("campaign_name")
            for record in records[1:]:
                if record[0] == "CMP-2026-SPRING":
                    record[name] = HOSTILE_CAMPAIGN_NAME
        if path.stem == "skus":
            for record in records[1:]:
                if record[0] == HOSTILE_SKU:
                    record[header.index("sku_name")] = HOSTILE_SKU_NAME
        if path.stem == "recipients":
            for record in records[1:4]:
                record[header.index("company")] = HOSTILE_COMPANY
        if path.stem == "survey_responses":
            # regular responses (the planted broken ones have ids V-X...), latest last
            ids = Counter(r[0] for r in records[1:])
            regular = [
                r for r in records[1:] if not r[0].startswith("V-X") and r[2] and ids[r[0]] == 1
            ]
            regular.sort(key=lambda r: r[header.index("responded_at")])
            latest = regular[-len(HOSTILE_COMMENTS) :]
            for record, comment in zip(latest, HOSTILE_COMMENTS, strict=True):
                record[header.index("comment")] = comment
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(records)
    return folder


_SHARED: dict[str, Any] = {}


def hostile_build(tmp_path_factory: Any) -> Any:
    """One build on the hostile files, in a data folder whose name holds quotes, made the
    first time a test of the session asks for it: (project, database, data, out, result)."""
    if "hostile" not in _SHARED:
        from types import SimpleNamespace

        root = tmp_path_factory.mktemp("hostile")
        project = project_copy(root / "project")
        data = write_hostile_files(root / 'it\'s "raw"')
        database, out = root / "goodies.duckdb", root / "report"
        result = run(
            project, database, "--data-dir", str(data), "--as-of", AS_OF, "--out", str(out),
            "--format", "html", "--format", "md", "--format", "json", "--quiet",
        )  # fmt: skip
        _SHARED["hostile"] = SimpleNamespace(
            project=project, database=database, data=data, out=out, result=result
        )
    return _SHARED["hostile"]
