"""The benchmark: the full goodies-report run against the bare-SQL floor, at two sizes.

    python bench/run.py                 # 100k and 1M recipients, Parquet and CSV, and the
                                        # event-heavy case; then the incremental re-run
    python bench/run.py --sizes 100000 --formats parquet --no-event-heavy --no-incremental

For each case it generates the raw files, runs `goodies-report` as a user would (build and
render, one process, on a new DuckDB file) and prints its wall time, its peak memory and
where the time went: start-up and parsing, models, data tests, rendering. Every case builds
at one database path, the file deleted before each: dbt's saved parse of the project stays
valid, as it does for a user whose runs share the default path, and the benchmark times
apart, once, the first parse a new path or a changed project costs. dbt runs
models and tests side by side on two threads, so the two are split in proportion to the
seconds each spent; the rest of the build is dbt's start-up and parsing. It then renders
again from the built marts (`--skip-build`), and runs `floor.sql`, the headline figures
written by hand in DuckDB SQL, on the same files, and checks that the floor's figures are
the marts'. Last, the targets, each against its measured figure.

The incremental part appends 1% new code events, leads and opportunities to the largest
Parquet case and runs goodies-report again (against that case's full run), then times the
event models alone: a full refresh against an incremental run after another 1%. The event
models alone are timed the same way on the event-heavy case, where dbt's fixed cost for
each model weighs less against the events themselves.

Benchmarks print figures; tests never time anything. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from goodies_report.build import Settings, dbt_environment
from goodies_report.generate import generate

PROJECT_DIR = Path(__file__).resolve().parents[1]
TARGET_PATH = PROJECT_DIR / "target" / "duckdb"
RUN_RESULTS = TARGET_PATH / "run_results.json"
AS_OF = "2026-12-01"
FLOOR_TABLES = (
    "campaigns", "skus", "recipients", "shipments", "returns", "codes", "code_events",
    "leads", "opportunities", "survey_responses",
)  # fmt: skip
# The figures the floor computes, as campaign_kpis names them.
FLOOR_FIGURES = (
    "units_shipped", "units_delivered", "item_cost", "logistics_cost", "total_cost",
    "activation_rate", "leads_90d", "conversions_90d", "cpl_90d", "nps",
)  # fmt: skip
EVENT_HEAVY_SCANS = 55  # about ten million code events at a million recipients
EVENT_MODELS = (
    "stg_tracking__code_events",
    "stg_crm__leads",
    "stg_crm__opportunities",
)
GIB = 1024**3


@dataclass
class Case:
    recipients: int
    file_format: str
    repeat_scans: int = 0

    @property
    def name(self) -> str:
        heavy = f"-scans{self.repeat_scans}" if self.repeat_scans else ""
        return f"{self.recipients // 1000}k-{self.file_format}{heavy}"


@dataclass
class Run:
    """One measured process."""

    wall: float
    peak_bytes: int
    stderr: str
    returncode: int


@dataclass
class Measured:
    case: Case
    generate_seconds: float = 0.0
    events: int = 0
    full: Run | None = None
    build_seconds: float = 0.0  # dbt's invocation, as the CLI prints it
    execution_seconds: float = 0.0  # dbt's node phase (run_results elapsed_time)
    model_seconds: float = 0.0
    test_seconds: float = 0.0
    render_in_run: float = 0.0
    render_only: Run | None = None
    render_only_inner: float = 0.0
    floor_seconds: float = 0.0
    floor_peak_bytes: int = 0
    mismatches: list[str] = field(default_factory=list)
    nodes: int = 0

    @property
    def startup_seconds(self) -> float:
        return self.full.wall - self.execution_seconds - self.render_in_run


# A child's peak memory as wait4 gives it counts the copy of this process it was before it
# ran the command, and this process has generated millions of rows and run the floor: a
# one-line launcher in between, itself small, runs the command and reports its peak.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def measure(command: list[str], env: dict[str, str], stdout_path: Path) -> Run:
    """Run a command, return its wall time and its peak resident memory (from wait4)."""
    peak_file = stdout_path.with_suffix(".peak")
    launched = [sys.executable, "-c", LAUNCHER, str(peak_file), *command]
    started = time.perf_counter()
    with open(stdout_path, "w") as out, open(stdout_path.with_suffix(".err"), "w") as err:
        returncode = subprocess.run(launched, env=env, stdout=out, stderr=err).returncode
    wall = time.perf_counter() - started
    return Run(
        wall=wall,
        peak_bytes=int(peak_file.read_text()) * 1024,  # kilobytes on Linux
        stderr=stdout_path.with_suffix(".err").read_text(),
        returncode=returncode,
    )


def seconds_in(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else float("nan")


def goodies_report(case_dir: Path, data_dir: Path, *extra: str, label: str) -> Run:
    env = {**os.environ, "GOODIES_DUCKDB_PATH": str(database_path(case_dir))}
    command = [
        shutil.which("goodies-report") or "goodies-report",
        "--data-dir", str(data_dir),
        "--as-of", AS_OF,
        "--out", str(case_dir / "report"),
        *extra,
    ]  # fmt: skip
    run = measure(command, env, case_dir / f"{label}.out")
    if run.returncode != 0:
        sys.exit(f"goodies-report failed ({label}, exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def database_path(case_dir: Path) -> Path:
    """The one database every case builds: one path keeps dbt's saved parse valid."""
    return case_dir.parent / "goodies.duckdb"


def new_database(case_dir: Path) -> None:
    """No database left at the path, as for a first build."""
    database = database_path(case_dir)
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def run_dbt(case_dir: Path, data_dir: Path, args: list[str], out: Path) -> Run:
    """A dbt command with the arguments and environment goodies-report gives dbt, so that
    dbt's saved parse is the one goodies-report uses (it is valid only for the same vars,
    target and database path)."""
    dbt_vars = {"raw_mode": "files", "raw_data_dir": str(data_dir), "as_of": AS_OF}
    settings = Settings(PROJECT_DIR, "duckdb", database_path(case_dir), dbt_vars)
    command = [shutil.which("dbt") or "dbt", args[0], *settings.dbt_args(), *args[1:]]
    with dbt_environment(settings):
        run = measure(command, dict(os.environ), out)
    if run.returncode != 0:
        sys.exit(f"dbt {args[0]} failed (exit {run.returncode}); see logs/dbt.log")
    return run


def first_parse(work: Path) -> Run:
    """The whole project parsed with no saved parse, as on a first run or a new database
    path; the saved parse it leaves is the one every case then reuses."""
    (TARGET_PATH / "partial_parse.msgpack").unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    return run_dbt(work / "parse", work, ["parse"], work / "first-parse.out")


def node_split(results: dict) -> tuple[float, float, float, int]:
    """(node phase, model share, test share, nodes) from a run_results.json."""
    spent = {"model": 0.0, "test": 0.0}
    for result in results["results"]:
        kind = result["unique_id"].split(".")[0]
        bucket = "test" if kind in ("test", "unit_test") else "model"
        spent[bucket] += result["execution_time"]
    elapsed = results["elapsed_time"]
    total = spent["model"] + spent["test"] or 1.0
    return (
        elapsed,
        elapsed * spent["model"] / total,
        elapsed * spent["test"] / total,
        len(results["results"]),
    )


def floor_sql(data_dir: Path, file_format: str) -> list[str]:
    if file_format == "parquet":
        readers = {t: f"read_parquet('{data_dir / t}.parquet')" for t in FLOOR_TABLES}
    else:
        readers = {
            t: f"read_csv('{data_dir / t}.csv', all_varchar = true, header = true)"
            for t in FLOOR_TABLES
        }
    text = (PROJECT_DIR / "bench" / "floor.sql").read_text().format(as_of=AS_OF, **readers)

    def code(statement: str) -> str:
        return "\n".join(line for line in statement.splitlines() if not line.startswith("--"))

    return [s for s in text.split(";\n") if code(s).strip()]


def run_floor(data_dir: Path, file_format: str, memory_limit: str) -> tuple[float, list]:
    """The floor in a fresh in-memory DuckDB, with the build's threads and memory limit."""
    statements = floor_sql(data_dir, file_format)
    con = duckdb.connect(config={"threads": 2, "memory_limit": memory_limit})
    try:
        started = time.perf_counter()
        for statement in statements[:-1]:
            con.execute(statement)
        cursor = con.execute(statements[-1])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return time.perf_counter() - started, rows
    finally:
        con.close()


def compare(floor_rows: list[dict], database: Path) -> list[str]:
    """Every floor figure against campaign_kpis: equal, or within 1e-9 relative."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(
            f"select campaign_id, {', '.join(FLOOR_FIGURES)} from main.campaign_kpis"
        )
        names = [c[0] for c in cursor.description]
        marts = {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
    finally:
        con.close()
    mismatches = []
    for row in floor_rows:
        mart = marts.get(row["campaign_id"])
        if mart is None:
            mismatches.append(f"{row['campaign_id']}: not in campaign_kpis")
            continue
        for figure in FLOOR_FIGURES:
            a, b = row[figure], mart[figure]
            if a is None or b is None:
                same = a is None and b is None
            elif isinstance(a, Decimal) or isinstance(b, Decimal):
                same = Decimal(str(a)) == Decimal(str(b))
            else:
                same = abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)
            if not same:
                mismatches.append(f"{row['campaign_id']} {figure}: floor {a}, marts {b}")
    if len(marts) != len(floor_rows):
        mismatches.append(f"{len(floor_rows)} campaigns in the floor, {len(marts)} in marts")
    return mismatches


def run_case(case: Case, work: Path, memory_limit: str) -> Measured:
    case_dir = work / case.name
    shutil.rmtree(case_dir, ignore_errors=True)
    case_dir.mkdir(parents=True)
    data_dir = case_dir / "raw"
    measured = Measured(case)
    print(f"\n== {case.name}: generating ...", flush=True)
    generated = generate(
        data_dir,
        recipients=case.recipients,
        file_format=case.file_format,
        repeat_scans=case.repeat_scans,
    )
    measured.generate_seconds = generated.seconds
    measured.events = generated.rows["code_events"]
    print(f"   {sum(generated.rows.values()):,} rows in {generated.seconds:.1f} s", flush=True)

    print("   full run (build and render) ...", flush=True)
    new_database(case_dir)
    measured.full = goodies_report(case_dir, data_dir, label="full")
    measured.build_seconds = seconds_in(r"tests passed in ([0-9.]+) s", measured.full.stderr)
    measured.render_in_run = seconds_in(r"Rendered the report in ([0-9.]+) s", measured.full.stderr)
    results = json.loads(RUN_RESULTS.read_text())
    (
        measured.execution_seconds,
        measured.model_seconds,
        measured.test_seconds,
        measured.nodes,
    ) = node_split(results)

    print("   render from the built marts ...", flush=True)
    measured.render_only = goodies_report(case_dir, data_dir, "--skip-build", label="render")
    measured.render_only_inner = seconds_in(
        r"Rendered the report in ([0-9.]+) s", measured.render_only.stderr
    )

    print("   floor ...", flush=True)
    measured.floor_seconds, floor_rows = run_floor(data_dir, case.file_format, memory_limit)
    measured.mismatches = compare(floor_rows, database_path(case_dir))
    return measured


def append_events(data_dir: Path, round_no: int) -> dict[str, int]:
    """Append about 1% more code events, leads and opportunities: copies of a hundredth of
    the rows under new keys, so they are new events of the same codes and people (and the
    opportunities of the new leads)."""
    picked = {
        "code_events": ("hash(event_id) % 100 = 0", ["event_id"]),
        "leads": ("hash(lead_id) % 100 = 0", ["lead_id"]),
        "opportunities": ("hash(lead_id) % 100 = 0", ["opportunity_id", "lead_id"]),
    }
    added = {}
    con = duckdb.connect()
    try:
        for table, (where, keys) in picked.items():
            path = data_dir / f"{table}.parquet"
            renamed = ", ".join(f"'N{round_no}-' || {k} as {k}" for k in keys)
            tmp = path.with_suffix(".new.parquet")
            con.execute(
                f"copy (select * from read_parquet('{path}') union all "
                f"select * replace ({renamed}) from read_parquet('{path}') where {where}) "
                f"to '{tmp}' (format parquet)"
            )
            before = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
            after = con.execute(f"select count(*) from read_parquet('{tmp}')").fetchone()[0]
            added[table] = after - before
            tmp.replace(path)
    finally:
        con.close()
    return added


def dbt_event_models(case_dir: Path, data_dir: Path, full_refresh: bool) -> float:
    """Wall time of `dbt run` of the event models alone, incremental or full refresh."""
    args = ["run", "--select", *EVENT_MODELS, *(["--full-refresh"] if full_refresh else [])]
    out = case_dir / f"dbt-events-{'full' if full_refresh else 'inc'}.out"
    run_dbt(case_dir, data_dir, args, out)
    results = json.loads(RUN_RESULTS.read_text())
    return results["elapsed_time"]


def incremental(full: Measured, work: Path) -> dict[str, Any]:
    """After the full run of a Parquet case: +1% events and the whole run again; then the
    event models alone, a full refresh against an incremental run after another +1%."""
    case_dir = work / full.case.name
    data_dir = case_dir / "raw"
    figures: dict[str, Any] = {"case": full.case.name, "full_run": full.full.wall}
    print(f"\n== incremental, on {full.case.name}: +1% events, then goodies-report", flush=True)
    print(f"   appended {append_events(data_dir, 1)}", flush=True)
    figures["incremental_run"] = goodies_report(case_dir, data_dir, label="after-append").wall
    figures["event_models"] = {full.case.name: event_models_alone(case_dir, data_dir, round_no=2)}
    return figures


def event_models_alone(case_dir: Path, data_dir: Path, round_no: int) -> dict[str, float]:
    """The event models alone on a built case: a full refresh, then +1% events and an
    incremental run."""
    print("   the event models alone: full refresh, +1% events, incremental", flush=True)
    full_refresh = dbt_event_models(case_dir, data_dir, full_refresh=True)
    print(f"   appended {append_events(data_dir, round_no)}", flush=True)
    incremental_run = dbt_event_models(case_dir, data_dir, full_refresh=False)
    return {"full_refresh_models": full_refresh, "incremental_models": incremental_run}


def gib(value: int) -> str:
    return f"{value / GIB:.2f} GiB"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join("| " + line + " |" for line in lines)


def report(
    parse: Run, measured: list[Measured], incremental_figures: dict[str, Any] | None
) -> None:
    print("\n## Machine")
    print(
        f"{platform.platform()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / GIB:.0f} GiB, "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )
    print(
        f"\ndbt's first parse of the project (no saved parse: a first run, a new database "
        f"path or a changed project), start-up included: {parse.wall:.1f} s. Every run "
        f"below reuses the parse it saved."
    )
    print("\n## Full run (goodies-report: build and render) against the floor\n")
    rows = [[
        "case", "code events", "generate s", "full run s", "peak", "start-up+parse s",
        "models s", "tests s", "render s", "render alone s", "floor s", "full / floor",
        "floor = marts",
    ]]  # fmt: skip
    for m in measured:
        rows.append([
            m.case.name,
            f"{m.events:,}",
            f"{m.generate_seconds:.1f}",
            f"{m.full.wall:.1f}",
            gib(m.full.peak_bytes),
            f"{m.startup_seconds:.1f}",
            f"{m.model_seconds:.1f}",
            f"{m.test_seconds:.1f}",
            f"{m.render_in_run:.1f}",
            f"{m.render_only.wall:.1f} ({m.render_only_inner:.1f} in-process)",
            f"{m.floor_seconds:.1f}",
            f"{m.full.wall / m.floor_seconds:.1f}x",
            "yes" if not m.mismatches else f"NO ({len(m.mismatches)})",
        ])  # fmt: skip
    print(table(rows))
    for m in measured:
        for line in m.mismatches:
            print(f"  {m.case.name}: {line}")

    print("\n## Targets\n")
    targets = [["target", "case", "measured", "limit", "met"]]
    by_name = {m.case.name: m for m in measured}
    for m in measured:
        if m.case.recipients < 1_000_000:
            continue
        limit = 2 * m.floor_seconds + 10
        targets.append([
            "full run within 2x floor + 10 s", m.case.name, f"{m.full.wall:.1f} s",
            f"{limit:.1f} s", "yes" if m.full.wall <= limit else "NO",
        ])  # fmt: skip
        targets.append([
            "peak memory under 2 GiB", m.case.name, gib(m.full.peak_bytes), "2.00 GiB",
            "yes" if m.full.peak_bytes < 2 * GIB else "NO",
        ])  # fmt: skip
        small = by_name.get(Case(m.case.recipients // 10, m.case.file_format).name)
        if small and not m.case.repeat_scans:
            growth = m.full.wall / small.full.wall
            targets.append([
                "10x the data costs at most 11x the time", f"{small.case.name} -> {m.case.name}",
                f"{growth:.1f}x", "11x", "yes" if growth <= 11 else "NO",
            ])  # fmt: skip
        targets.append([
            "render from built marts under 1 s", m.case.name,
            f"{m.render_only.wall:.1f} s ({m.render_only_inner:.1f} s in-process)", "1 s",
            "yes" if m.render_only.wall < 1 else "NO",
        ])  # fmt: skip
    if incremental_figures:
        for case_name, figures in incremental_figures["event_models"].items():
            share = figures["incremental_models"] / figures["full_refresh_models"]
            targets.append([
                "re-run after +1% events at most 15% of a full build (event models)",
                case_name,
                f"{figures['incremental_models']:.1f} s / "
                f"{figures['full_refresh_models']:.1f} s = {share:.0%}", "15%",
                "yes" if share <= 0.15 else "NO",
            ])  # fmt: skip
        whole = incremental_figures["incremental_run"] / incremental_figures["full_run"]
        targets.append([
            "the same, whole goodies-report run", incremental_figures["case"],
            f"{incremental_figures['incremental_run']:.1f} s / "
            f"{incremental_figures['full_run']:.1f} s = {whole:.0%}", "15%",
            "yes" if whole <= 0.15 else "NO",
        ])  # fmt: skip
    print(table(targets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="recipients, comma-separated")
    parser.add_argument("--formats", default="parquet,csv", help="parquet, csv or both")
    parser.add_argument("--event-heavy", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--incremental", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "goodies-bench")
    args = parser.parse_args()

    memory_limit = os.environ.get("GOODIES_DUCKDB_MEMORY_LIMIT", "1GB")
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    cases = [Case(n, f) for n in sizes for f in formats]
    if args.event_heavy:
        cases.append(Case(max(sizes), "parquet", EVENT_HEAVY_SCANS))
    print("\n== dbt's first parse of the project ...", flush=True)
    parse = first_parse(args.work)
    measured, incremental_figures = [], None
    for case in cases:
        measured.append(run_case(case, args.work, memory_limit))
        # right after its full run, while the database holds this case's build
        if args.incremental and case == Case(max(sizes), "parquet"):
            incremental_figures = incremental(measured[-1], args.work)
        if incremental_figures and case.repeat_scans:
            # the event models again where events are many: their fixed cost weighs less
            print(f"\n== incremental, on {case.name}", flush=True)
            case_dir = args.work / case.name
            incremental_figures["event_models"][case.name] = event_models_alone(
                case_dir, case_dir / "raw", round_no=1
            )
    report(parse, measured, incremental_figures)


if __name__ == "__main__":
    main()
