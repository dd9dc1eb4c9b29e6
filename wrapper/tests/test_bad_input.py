"""Corrupted raw files, drawn by hypothesis: nothing lost, or a clear stop; never a traceback.

Each example copies one generated folder (300 recipients), corrupts several of its files at
once and runs `goodies-report` on it in a process of its own. Two kinds of corruption:

- the file stays a well-formed CSV (rows cut out, values of the wrong type, empty, huge or
  full of quotes, commas and newlines, unknown or shuffled columns, odd header names, copies
  of rows, blank lines, a byte-order mark, CRLF): the build must succeed, and the
  data_quality mart must account for every row of every table exactly as the plain-Python
  reading of the contract (contract_rules.py) does on the same files: the same raw, kept,
  merged and set-aside counts, and the same reasons;
- the file is broken (a record cut short or with a field too many, an opening quote never
  closed, a newline splitting a record, latin-1 bytes, an empty file, a contract column
  missing, a line over DuckDB's 2,000,000-byte limit): the build must stop with exit 1,
  and an error naming a broken file and what is wrong with it.

A dbt build takes 30 to 60 s, so few examples are drawn, each corrupting several tables,
without shrinking; derandomize keeps the examples the same from run to run.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import contract_rules
import duckdb
import isolated
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from goodies_report import build
from goodies_report.generate import generate

TABLES = tuple(contract_rules.SCHEMA)
TYPED = {
    table: [c for c, kind in kinds.items() if kind.rstrip("!") != "text"]
    for table, kinds in contract_rules.COLUMN_KINDS.items()
}
TEXT = {
    table: [c for c, kind in kinds.items() if kind.rstrip("!") == "text"]
    for table, kinds in contract_rules.COLUMN_KINDS.items()
}
# What DuckDB says about each kind of broken file (the part of its message we keep).
PROBLEMS = {
    "cut_record": "Expected Number of Columns",
    "extra_field": "Expected Number of Columns",
    "open_quote": "unterminated quote",
    "bare_newline": "Expected Number of Columns",
    "latin1": "not utf-8 encoded",
    "empty_file": "is empty: a header row is required",
    "missing_column": "lacks the contract column(s)",
    "line_too_long": "Maximum line size",
}
LINE_LIMIT = 2_000_000  # DuckDB's default max_line_size, in bytes

# Values that break a type, or nearly do: a person's guesses at what an export gets wrong.
JUNK = st.one_of(
    st.sampled_from(
        [
            "abc", "1e5", "NaN", "inf", "12,5", " 7", "7 ", "+-1", "\u22121", "\u0663",
            "0x10", "1_000", "99999999999999999999", "2026-02-30", "2026-13-01",
            "26-03-01", "2026-03-01T25:00", "2026-03-01 10:00+2", "yes", "TRUE ", "null",
            "-0", "-1", "+0.5", ".5", "5.", "1.5", "11", "-0.01", "1.0000001",
            "=1+2", "@SUM(A1)", "'; drop table campaigns; --",
            # the limits of decimal(38, 10): 29 integer digits, and 28 nines whose
            # fraction rounds up into a 29th (the last one fits)
            "1" + "0" * 28, "-00" + "9" * 28 + ".99999999995", "9" * 28 + ".99999999994999",
        ]
    ),
    st.text(st.characters(exclude_characters="\x00"), max_size=12),
)  # fmt: skip
# Free text as exports carry it: quotes, commas, newlines, markup, control characters.
TEXTS = st.one_of(
    st.sampled_from(
        [
            'say "hi"', "a, b", "two\nlines", "cr\r\nlf", " padded ", "<b>x</b>",
            "=HYPERLINK(\"x\")", "\x1b[31mred", "tab\there", "\u00e9t\u00e9 \u2603",
            'ab"c', "'", "",
        ]
    ),
    st.text(st.characters(exclude_characters="\x00"), max_size=30),
)  # fmt: skip
# Names of extra columns. Control characters are left out: the header is read as one line
# split on the unit separator (U+001F), so a name holding it stops the build, saying
# that the columns after it are missing.
HEADER_NAMES = st.one_of(
    st.sampled_from(["", "notes, internal", 'the "x"', " Spaced ", "extra", "EXTRA", "é"]),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=10),
)


class Table:
    """One raw file being corrupted: its header and records, then how it is written."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        records = list(csv.reader(io.StringIO(text, newline="")))
        self.header, self.records = records[0], records[1:]
        self.newline = "\n"
        self.bom = False
        self.blank_after: set[int] = set()
        self.raw_records: dict[int, str] = {}  # record index -> text written as is
        self.latin1: set[int] = set()
        self.empty = False
        self.breaks: list[str] = []

    def column(self, name: str) -> int:
        return [h.lower() for h in self.header].index(name)

    def text(self) -> bytes:
        if self.empty:
            return b""
        out = io.BytesIO()
        if self.bom:
            out.write("\ufeff".encode())
        out.write(self._line(self.header).encode())
        for index, record in enumerate(self.records):
            line = self.raw_records.get(index) or self._line(record)
            if index in self.latin1:
                out.write(line.encode("latin-1", errors="replace"))
            else:
                out.write(line.encode())
            if index in self.blank_after:
                out.write(self.newline.encode())
        return out.getvalue()

    def _line(self, fields: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=self.newline).writerow(fields)
        return buffer.getvalue()


def _simple(record: list[str]) -> bool:
    """A record written without quotes: string edits of its text stay where they are put."""
    return all(not any(ch in field for ch in ',"\r\n') for field in record)


@st.composite
def corruption(draw, table: Table, breaking: bool) -> str:
    """Apply one corruption to table; returns its name."""
    n = len(table.records)
    width = len(table.header)
    if breaking:
        kinds = ["cut_record", "extra_field", "open_quote", "bare_newline", "latin1"]
        kinds += ["empty_file", "missing_column", "line_too_long"]
        kind = draw(st.sampled_from(kinds))
        simple = [i for i, r in enumerate(table.records) if _simple(r)]
        if kind in {"cut_record", "extra_field", "open_quote", "bare_newline", "latin1"}:
            if not simple:
                kind = "empty_file"
            else:
                i = draw(st.sampled_from(simple))
        if kind == "cut_record":
            table.records[i] = table.records[i][: draw(st.integers(2, width - 1))]
        elif kind == "extra_field":
            table.records[i] = [*table.records[i], draw(TEXTS)]
        elif kind == "open_quote":
            j = draw(st.integers(0, width - 1))
            fields = list(table.records[i])
            fields[j] = '"' + fields[j]
            table.raw_records[i] = ",".join(fields) + table.newline
        elif kind == "bare_newline":
            # A newline after the k-th comma leaves both halves short of fields.
            k = draw(st.integers(1, width - 2))
            fields = table.records[i]
            text = ",".join(fields[:k]) + "," + table.newline + ",".join(fields[k:])
            table.raw_records[i] = text + table.newline
        elif kind == "latin1":
            j = draw(st.integers(0, width - 1))
            table.records[i][j] += draw(st.sampled_from("\u00e9\u00e0\u00e7\u00fc\u00c9\u00df"))
            table.latin1.add(i)
        elif kind == "empty_file":
            table.empty = True
        elif kind == "missing_column":
            j = table.column(draw(st.sampled_from(list(contract_rules.COLUMN_KINDS[table.name]))))
            table.header.pop(j)
            for record in table.records:
                record.pop(j)
        elif kind == "line_too_long":
            i = draw(st.integers(0, n - 1)) if n else None
            if i is None:
                table.records.append(["x"] * width)
                i = 0
            table.records[i][0] += "x" * (LINE_LIMIT + 1000)
        table.breaks.append(kind)
        return kind

    kinds = ["delete_rows", "wrong_type", "empty_field", "text_field", "huge_field"]
    kinds += ["unknown_column", "shuffle_columns", "header_case", "duplicate_row", "clash_row"]
    kinds += ["blank_lines", "bom", "crlf", "header_only"]
    kind = draw(st.sampled_from(kinds))
    if n == 0 and kind not in {"unknown_column", "shuffle_columns", "header_case", "bom", "crlf"}:
        kind = "bom"
    contract = list(contract_rules.COLUMN_KINDS[table.name])
    if kind == "delete_rows":
        for i in sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=8)), reverse=True):
            del table.records[i]
    elif kind in {"wrong_type", "empty_field", "text_field", "huge_field"}:
        pool = {"wrong_type": TYPED[table.name], "empty_field": contract}.get(kind)
        j = table.column(draw(st.sampled_from(pool or TEXT[table.name])))
        for i in draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=5)):
            if kind == "wrong_type":
                table.records[i][j] = draw(JUNK)
            elif kind == "empty_field":
                table.records[i][j] = ""
            elif kind == "text_field":
                table.records[i][j] = draw(TEXTS)
            else:
                # at most three of these in a record stay under DuckDB's line limit
                table.records[i][j] = "y" * draw(st.integers(10_000, LINE_LIMIT // 4))
    elif kind == "unknown_column":
        taken = {h.lower() for h in contract}
        name = draw(HEADER_NAMES.filter(lambda h: h.strip().lower() not in taken))
        j = draw(st.integers(0, width))
        values = draw(st.lists(TEXTS, min_size=1, max_size=4))
        table.header.insert(j, name)
        for k, record in enumerate(table.records):
            record.insert(j, values[k % len(values)])
    elif kind == "shuffle_columns":
        order = draw(st.permutations(range(width)))
        table.header = [table.header[k] for k in order]
        table.records = [[r[k] for k in order] for r in table.records]
    elif kind == "header_case":
        j = draw(st.integers(0, width - 1))
        table.header[j] = draw(st.sampled_from([str.upper, str.title]))(table.header[j])
    elif kind in {"duplicate_row", "clash_row"}:
        i = draw(st.integers(0, n - 1))
        copy = list(table.records[i])
        if kind == "clash_row":
            j = draw(st.integers(0, width - 1))
            copy[j] = copy[j] + "0"
        table.records.insert(draw(st.integers(0, n)), copy)
    elif kind == "blank_lines":
        table.blank_after |= draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=3))
    elif kind == "bom":
        table.bom = True
    elif kind == "crlf":
        table.newline = "\r\n"
    elif kind == "header_only":
        table.records = []
    return kind


@st.composite
def plans(draw, clean: dict[str, str]) -> dict[str, Table]:
    """Several tables corrupted at once, up to two of them broken."""
    chosen = draw(st.lists(st.sampled_from(TABLES), min_size=2, max_size=6, unique=True))
    breaking = draw(st.sets(st.sampled_from(chosen), max_size=2))
    tables = {}
    for name in chosen:
        table = Table(name, clean[name])
        for _ in range(draw(st.integers(1, 3))):
            draw(corruption(table, breaking=False))
        if name in breaking:
            draw(corruption(table, breaking=True))
        tables[name] = table
    return tables


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The generated files (300 recipients, seed 3), as text, by table."""
    folder = tmp_path_factory.mktemp("clean")
    generate(folder, seed=3, recipients=300)
    return {table: (folder / f"{table}.csv").read_text(encoding="utf-8") for table in TABLES}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return isolated.project_copy(tmp_path_factory.mktemp("bad_input") / "project")


def _write(folder: Path, clean: dict[str, str], tables: dict[str, Table]) -> None:
    folder.mkdir(parents=True)
    for name in TABLES:
        path = folder / f"{name}.csv"
        if name in tables:
            path.write_bytes(tables[name].text())
        else:
            path.write_text(clean[name], encoding="utf-8")


def _records_written(tables: dict[str, Table], clean: dict[str, str]) -> dict[str, int]:
    """How many data records each file holds, counted from what was written."""
    counts = {}
    for name in TABLES:
        table = tables.get(name) or Table(name, clean[name])
        counts[name] = len(table.records)
    return counts


def check_build(project: Path, folder: Path, tables: dict[str, Table], clean) -> None:
    database = folder.parent / "goodies.duckdb"
    out = folder.parent / "report"
    result = isolated.run(
        project, database, "--data-dir", str(folder), "--as-of", isolated.AS_OF,
        "--format", "json", "--out", str(out), "--quiet",
    )  # fmt: skip
    assert isolated.no_traceback(result), result.stderr[-3000:]
    broken = {name: t.breaks for name, t in tables.items() if t.breaks}
    if broken:
        assert result.returncode == 1, result.stderr[-3000:]
        assert result.stdout == ""
        assert result.stderr.startswith("Error: dbt build failed: ")
        named = {name for name in TABLES if f"{folder}/{name}.csv" in result.stderr}
        assert named and named <= set(broken), (broken, result.stderr[-3000:])
        for line in result.stderr.splitlines():
            for name in named & {n for n in TABLES if f"{folder}/{n}.csv" in line}:
                assert any(PROBLEMS[kind] in line for kind in broken[name]), (broken, line)
        return

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == f"{out}\n"
    kept, merged, set_aside = contract_rules.reference_staging(contract_rules.read_raw(folder))
    written = _records_written(tables, clean)
    quality = {
        r["table_name"]: r for r in isolated.rows(database, "select * from main.data_quality")
    }
    reasons: dict[str, Counter] = {name: Counter() for name in TABLES}
    for r in isolated.rows(database, "select * from main.data_quality_reasons"):
        reasons[r["table_name"]][r["reason"]] += r["set_aside_rows"]
    for name in TABLES:
        q = quality[name]
        assert q["raw_rows"] == written[name], name
        assert q["raw_rows"] == q["kept_rows"] + q["merged_rows"] + q["set_aside_rows"], name
        expected = (len(kept[name]), merged[name], sum(set_aside[name].values()))
        assert (q["kept_rows"], q["merged_rows"], q["set_aside_rows"]) == expected, name
        assert +reasons[name] == +set_aside[name], name
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {name: entry["kept"] for name, entry in report["data_quality"].items()} == {
        name: len(kept[name]) for name in TABLES
    }


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_corrupted_files_are_set_aside_and_counted_or_refused(
    data, clean: dict[str, str], project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tables = data.draw(plans(clean))
    folder = tmp_path_factory.mktemp("corrupted") / "raw"
    _write(folder, clean, tables)
    try:
        check_build(project, folder, tables, clean)
    finally:
        # The example's files can be large (huge fields); its outcome is in the assertions.
        shutil.rmtree(folder, ignore_errors=True)


def test_extra_columns_with_odd_header_names_are_ignored(
    clean: dict[str, str], project: Path, tmp_path: Path
) -> None:
    """Empty and repeated header names (a trailing comma, two "Notes" columns) and a quoted
    name holding a comma: extra columns all the same, ignored; and a header in title case."""
    recipients = Table("recipients", clean["recipients"])
    for name in ("", "notes, internal", "", "Notes, Internal"):
        recipients.header.append(name)
        for record in recipients.records:
            record.append("x")
    skus = Table("skus", clean["skus"])
    skus.header[0] = "Sku"
    skus.records[0][1] = 'a "quoted", two-line\nname'
    tables = {"recipients": recipients, "skus": skus}
    _write(tmp_path / "raw", clean, tables)
    assert (
        (tmp_path / "raw" / "recipients.csv")
        .read_text()
        .splitlines()[0]
        .endswith(',,"notes, internal",,"Notes, Internal"')
    )
    check_build(project, tmp_path / "raw", tables, clean)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"a,b,c\n1,2,3\nx@example.com,2\n", "Expected Number of Columns: 3 Found: 2"),
        (b'a,b,c\n1,2,3\n"x@example.com,2,3\n4,5,6\n', "Value with unterminated quote found."),
        (
            "a,b,c\n1,2,3\nx@example.com,Caf\u00e9,3\n".encode("latin-1"),
            "Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.",
        ),
    ],
    ids=["fields", "quote", "encoding"],
)
def test_csv_errors_name_the_file_the_line_and_the_problem(
    content: bytes, problem: str, tmp_path: Path
) -> None:
    """DuckDB's message, read the way the raw-input views read a file, in one line: the
    offending line's text (here an e-mail address) is left out."""
    path = tmp_path / "recipients.csv"
    path.write_bytes(content)
    con = duckdb.connect()
    with pytest.raises(duckdb.Error) as caught:
        con.execute(
            "select * from read_csv(?, header = true, auto_detect = false,"
            " columns = {'a': 'VARCHAR', 'b': 'VARCHAR', 'c': 'VARCHAR'},"
            " delim = ',', quote = '\"', escape = '\"', strict_mode = true,"
            " null_padding = false, encoding = 'utf-8')",
            [str(path)],
        ).fetchall()
    dbt_text = f"Runtime Error in model stg_crm__recipients (models/x.sql)\n  {caught.value}"
    assert build.dbt_message(dbt_text) == (
        f"Runtime Error: Invalid Input Error: CSV Error on Line: 3 ({problem}) in {path}"
    )
