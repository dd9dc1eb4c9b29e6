"""Personal data of the demo reaches no stored table, no report and no log; the warehouse
password is never printed.

The demo (`goodies-report --demo`, seed 7, 5,000 recipients) is built once in a project
folder of its own. What is personal, read from the generated raw files as written: the
e-mail addresses of recipients and leads (as written and as trimmed and lower-cased), the
e-mail addresses and phone numbers inside survey comments, the debrief attendees' names
and the contacts' names their addresses spell (`chloe.garcia.12@...` is Chloe Garcia). A
value that the project's own source also holds (the masking test's example phone number)
is left out, since the compiled code carries it wherever dbt writes that code.

Scanned: every column of every table and view of the DuckDB file, in every schema, but the
raw-input views (`main_raw_input`: the raw files themselves seen as text columns) and four
view columns that carry raw text on from them, store nothing, and are read only by the
mart that masks it (`comment`) or by nothing that keeps it (`attendee`); every file the
build and the report wrote: the report folder, dbt's target/ and logs/ folders; and what
the command printed.
"""

from __future__ import annotations

import csv
import re
import socket
from pathlib import Path
from types import SimpleNamespace

import duckdb
import isolated
import pytest

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# The phone numbers the generator writes into comments (international and French forms).
PHONE = re.compile(r"\+[0-9]{1,3}(?: [0-9]{1,4}){4,5}|0[1-9](?: [0-9]{2}){4}")
NAME_IN_ADDRESS = re.compile(r"^([a-z]+)\.([a-z]+)\.[0-9]+@")
RAW_INPUT_SCHEMA = "main_raw_input"
# (view, column) pairs that pass raw text on, as the module docstring says.
RAW_TEXT_VIEWS = {
    ("stg_feedback__survey_responses", "comment"),
    ("int_survey_responses__checked", "comment"),
    ("stg_governance__debrief_attendance", "attendee"),
    ("int_debrief_attendance__checked", "attendee"),
}
SOURCE_FOLDERS = ("models", "macros", "tests", "seeds")
PASSWORD = "Recognisable-Pa55word-7431"  # noqa: S105 - a bogus one, looked for in the output


def _records(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def personal_data(data: Path) -> dict[str, set[str]]:
    """What is personal in the demo files, by kind, as written (and e-mails normalised)."""
    emails = {
        r["email"] for table in ("recipients", "leads") for r in _records(data / f"{table}.csv")
    } - {""}
    comments = [r["comment"] for r in _records(data / "survey_responses.csv")]
    emails |= {m for comment in comments for m in EMAIL.findall(comment)}
    emails |= {e.strip().lower() for e in emails}
    names = {r["attendee"] for r in _records(data / "debrief_attendance.csv")} - {""}
    names |= {
        f"{m.group(1).title()} {m.group(2).title()}"
        for e in emails
        if (m := NAME_IN_ADDRESS.match(e.strip().lower()))
    }
    phones = {m for comment in comments for m in PHONE.findall(comment)}
    return {"email": emails, "name": names, "phone": phones}


def finder(found: dict[str, set[str]], ignored: set[str] = frozenset()):
    """found_in(text) -> the personal values it holds, lower-cased (names matched in any
    case), those in `ignored` left out."""
    emails = {e.lower() for e in found["email"]} - ignored
    names = re.compile("|".join(re.escape(n.lower()) for n in sorted(found["name"])))
    phones = found["phone"] - ignored

    def found_in(text: str) -> set[str]:
        lower = text.lower()
        hits = {e for e in EMAIL.findall(lower) if e in emails}
        hits |= set(names.findall(lower)) - ignored
        hits |= {p for p in phones if p in text}
        return hits

    return found_in


def in_source(found: dict[str, set[str]]) -> set[str]:
    """The personal values the project's own source files hold."""
    text = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for folder in SOURCE_FOLDERS
        for path in sorted((isolated.PROJECT_DIR / folder).rglob("*"))
        if path.is_file()
    )
    return finder(found)(text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    root = tmp_path_factory.mktemp("demo")
    project = isolated.project_copy(root / "project")
    database, out = root / "goodies.duckdb", root / "report"
    result = isolated.run(
        project, database, "--demo", "--as-of", isolated.AS_OF, "--out", str(out),
        "--format", "html", "--format", "md", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = project / "data" / "demo"
    found = personal_data(data)
    ignored = in_source(found)
    return SimpleNamespace(
        project=project, database=database, out=out, result=result, data=data,
        found=found, ignored=ignored, found_in=finder(found, ignored),
    )  # fmt: skip


def test_the_demo_holds_personal_data_to_look_for(demo) -> None:
    """The scan looks for something: thousands of addresses, the attendees, the phones."""
    found = demo.found
    assert len(found["email"] - demo.ignored) > 4000
    assert {"Claire Moreau", "Pieter de Vries", "Chloe Garcia"} <= found["name"]
    assert "01 23 45 67 89" in found["phone"] - demo.ignored
    assert demo.found_in("Call 01 23 45 67 89, Claire MOREAU") == {
        "01 23 45 67 89",
        "claire moreau",
    }
    # what the project's source holds too is at most a handful of examples
    assert len(demo.ignored) <= 3


def test_no_personal_data_in_the_warehouse(demo) -> None:
    con = duckdb.connect(str(demo.database), read_only=True)
    try:
        relations = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables"
            " order by 1, 2"
        ).fetchall()
        scanned, leaks = [], []
        for schema, table, kind in relations:
            if schema == RAW_INPUT_SCHEMA:
                continue
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
            ]
            for column in columns:
                if kind == "VIEW" and (table, column) in RAW_TEXT_VIEWS:
                    continue
                values = con.execute(
                    f'select distinct cast("{column}" as varchar) from "{schema}"."{table}"'
                ).fetchall()
                for (value,) in values:
                    if value and (hits := demo.found_in(value)):
                        leaks.append((schema, table, column, sorted(hits)[:3]))
            scanned.append((schema, table, kind))
    finally:
        con.close()
    marts = {t for s, t, k in scanned if s == "main" and k == "BASE TABLE"}
    assert {"fct_responses", "set_aside_rows", "campaign_kpis", "data_quality"} <= marts
    assert any(t.startswith("stg_crm__") for _, t, _ in scanned)  # staging views too
    assert leaks == []


def test_no_personal_data_in_written_files_or_output(demo) -> None:
    written = [
        path
        for folder in (demo.out, demo.project / "target", demo.project / "logs")
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
    names = {path.name for path in written}
    assert {"report.html", "report.md", "report.json", "run_results.json", "manifest.json"} <= names
    leaks = {
        str(path): sorted(hits)[:3]
        for path in written
        if (hits := demo.found_in(path.read_bytes().decode("utf-8", errors="replace")))
    }
    assert leaks == {}
    assert not demo.found_in(demo.result.stdout + demo.result.stderr)


def _closed_port() -> int:
    """A local port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_warehouse_password_is_never_printed(tmp_path: Path) -> None:
    """A postgres build that cannot connect, with dbt's file log at debug level: the error
    names the host, never the password, in the output, the logs or target/."""
    project = isolated.project_copy(tmp_path / "project")
    port = _closed_port()
    result = isolated.run(
        project, tmp_path / "unused.duckdb", "--target", "postgres", "--raw-schema", "raw",
        "--out", str(tmp_path / "report"),
        GOODIES_PG_HOST="127.0.0.1", GOODIES_PG_PORT=str(port), GOODIES_PG_USER="goodies",
        GOODIES_PG_PASSWORD=PASSWORD, DBT_LOG_LEVEL_FILE="debug", DBT_DEBUG="true",
    )  # fmt: skip
    assert result.returncode == 1
    assert isolated.no_traceback(result)
    # the message says where it failed to connect, and nothing more
    assert result.stderr.splitlines()[-1] == (
        'Error: dbt build failed: Database Error: connection to server at "127.0.0.1", '
        f"port {port} failed: Connection refused"
    )
    assert PASSWORD not in result.stdout + result.stderr
    logged = [p for folder in ("target", "logs") for p in (project / folder).rglob("*")]
    assert any(p.name == "dbt.log" for p in logged)
    for path in logged:
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
