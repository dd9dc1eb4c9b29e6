"""The command line through Click's CliRunner: every error path, exit codes and messages,
and real dbt builds (on a mini project now; on the real project once its models exist)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner, Result
from conftest import MINI_MODELS

from goodies_report import build, cli, warehouse
from goodies_report.report import json_value

CAMPAIGNS_CSV = """\
    campaign_id,campaign_name,start_date,end_date,currency,budget
    A1,Spring <b>goodies</b>,2026-03-01,2026-03-31,EUR,1000
    B2,Fall | mugs,2026-09-01,2026-09-30,USD,
"""
# written beside report.html or report.md (exports.py)
EXPORTS = ["actions.csv", "catalog_updates.csv", "debrief.ics", "revised_forecast.csv"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)


def assert_error(result: Result, code: int, message: str) -> None:
    """The command failed with `code` and exactly one line, `Error: <message>`, on stderr."""
    assert result.exit_code == code, result.output
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""


# --- help -------------------------------------------------------------------------------


def _commands(group: click.Group) -> list[click.Command]:
    return [group, *group.commands.values()]


@pytest.mark.parametrize("command", _commands(cli.cli), ids=lambda c: c.name)
def test_every_command_and_option_has_help(command: click.Command) -> None:
    assert command.help and command.help.strip()
    for param in command.params:
        assert isinstance(param, click.Option), f"{param.name} should be an option"
        assert param.help and param.help.strip(), f"{command.name} {param.opts} has no help"


def test_help_lists_options_and_examples() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for text in ("--demo", "--data-dir", "--skip-build", "Examples:", "generate"):
        assert text in result.stdout
    assert "  goodies-report --data-dir exports/ --format md --out out/\n" in result.stdout
    assert "debrief.ics" in result.stdout
    assert "[env var: GOODIES_OUT; default: report]" in " ".join(result.stdout.split())
    exit_codes = result.stdout[result.stdout.index("Exit codes:") :].splitlines()
    assert [line.split()[0] for line in exit_codes[1:]] == ["0", "1", "2"]


# --- usage errors: exit 2, one line ------------------------------------------------------


def test_unknown_option_is_one_line() -> None:
    assert_error(run("--nope"), 2, "No such option '--nope'.")


def test_bad_as_of(fake_project: Path) -> None:
    assert_error(
        run("--demo", "--as-of", "2026-02-30"),
        2,
        "Invalid value for '--as-of': '2026-02-30' is not a date; use YYYY-MM-DD, e.g. 2026-06-30",
    )


def test_bad_format(fake_project: Path) -> None:
    assert_error(
        run("--demo", "--format", "pdf"),
        2,
        "Invalid value for '--format': 'pdf' is not one of 'html', 'md', 'json'.",
    )


def test_bad_target(fake_project: Path) -> None:
    assert_error(
        run("--demo", "--target", "snowflake"),
        2,
        "unknown target 'snowflake'; targets in profiles.yml: duckdb, postgres, spark, "
        "spark_cluster",
    )


def test_demo_and_data_dir_exclude_each_other(fake_project: Path, tmp_path: Path) -> None:
    assert_error(
        run("--demo", "--data-dir", str(tmp_path)),
        2,
        "--demo and --data-dir exclude each other; pass one of them",
    )


def test_duckdb_target_needs_files(fake_project: Path) -> None:
    assert_error(run(), 2, "the duckdb target reads raw files: pass --demo or --data-dir DIR")


def test_raw_schema_is_for_warehouse_mode(fake_project: Path, tmp_path: Path) -> None:
    assert_error(
        run("--data-dir", str(tmp_path), "--raw-schema", "raw"),
        2,
        "--raw-schema is for warehouse mode; drop it or --demo/--data-dir",
    )


def test_missing_data_folder(fake_project: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert_error(run("--data-dir", str(missing)), 2, f"data folder not found: {missing}")


def test_missing_required_file(fake_project: Path, tmp_path: Path, write_raw) -> None:
    data = write_raw(tmp_path / "raw", CAMPAIGNS_CSV)
    (data / "shipments.csv").unlink()
    assert_error(
        run("--data-dir", str(data)),
        2,
        f"required file not found: {data / 'shipments.csv'} (or shipments.parquet)",
    )


def test_a_parquet_file_counts_as_present(fake_project: Path, tmp_path: Path, write_raw) -> None:
    data = write_raw(tmp_path / "raw", CAMPAIGNS_CSV)
    (data / "campaigns.csv").rename(data / "campaigns.parquet")
    (data / "recipients.csv").unlink()
    assert_error(
        run("--data-dir", str(data)),
        2,
        f"required file not found: {data / 'recipients.csv'} (or recipients.parquet)",
    )


def test_generate_needs_out() -> None:
    assert_error(run("generate"), 2, "Missing option '--out'.")


# --- rendering from an existing warehouse (--skip-build), no dbt ---------------------------


@pytest.fixture
def built_marts(fake_project: Path, marts_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOODIES_DUCKDB_PATH", str(marts_db))
    return marts_db


def test_environment_variables_set_options(built_marts: Path, tmp_path: Path) -> None:
    out = tmp_path / "from-env"
    env = {"GOODIES_OUT": str(out), "GOODIES_FORMAT": "json md", "GOODIES_CAMPAIGN": "C1"}
    result = CliRunner().invoke(cli.cli, ["--skip-build"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    names = sorted(EXPORTS + ["report.json", "report.md"])
    assert sorted(p.name for p in out.iterdir()) == names
    # the path of every file written, at the end, in the order written
    assert result.stderr.splitlines()[-6:] == [
        f"Wrote {out / name}"
        for name in ["report.json", "report.md", *sorted(n for n in EXPORTS if n != "debrief.ics"),
                     "debrief.ics"]
    ]  # fmt: skip
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [c["campaign_id"] for c in report["campaigns"]] == ["C1"]


def test_the_command_line_wins_over_the_environment(built_marts: Path, tmp_path: Path) -> None:
    env = {"GOODIES_OUT": str(tmp_path / "env"), "GOODIES_QUIET": "1"}
    args = ["--skip-build", "--format", "json", "--out", str(tmp_path / "cli")]
    result = CliRunner().invoke(cli.cli, args, env=env, catch_exceptions=False)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{tmp_path / 'cli'}\n", "")
    assert not (tmp_path / "env").exists()


def test_a_bad_environment_value_is_a_usage_error(fake_project: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["--demo"], env={"GOODIES_FORMAT": "pdf"})
    assert_error(
        result,
        2,
        "Invalid value for '--format' (env var: 'GOODIES_FORMAT'): "
        "'pdf' is not one of 'html', 'md', 'json'.",
    )


def test_unknown_campaign_lists_known_ones(built_marts: Path, tmp_path: Path) -> None:
    result = run("--skip-build", "--campaign", "X", "--out", str(tmp_path / "out"))
    assert_error(result, 2, "no campaign 'X'; known campaigns: C1, C2")
    assert not (tmp_path / "out").exists()


def test_skip_build_renders_the_marts(built_marts: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("--skip-build", "--campaign", "C1", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert [p.name for p in out.iterdir()] == ["report.json"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["as_of"] == "2026-06-30"
    assert report["validated"] is False  # no run_results.json in this project
    assert [c["campaign_id"] for c in report["campaigns"]] == ["C1"]


def test_skip_build_validated_from_last_run_results(
    built_marts: Path, fake_project: Path, tmp_path: Path
) -> None:
    target = fake_project / "target" / "duckdb"
    target.mkdir(parents=True)
    results = [
        {"unique_id": "model.goodies.dim_campaigns", "status": "success"},
        {"unique_id": "test.goodies.unique_dim_campaigns_campaign_id", "status": "pass"},
    ]
    (target / "run_results.json").write_text(json.dumps({"results": results}))
    out = tmp_path / "out"
    result = run("--skip-build", "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTS + ["report.html", "report.json"])
    assert json.loads((out / "report.json").read_text())["validated"] is True


def test_skip_build_with_another_as_of(built_marts: Path, tmp_path: Path) -> None:
    assert_error(
        run("--skip-build", "--as-of", "2026-07-01", "--out", str(tmp_path / "out")),
        2,
        "the marts were built for as_of 2026-06-30, not 2026-07-01; "
        "rebuild (drop --skip-build) or pass --as-of 2026-06-30",
    )


def test_skip_build_without_a_warehouse(
    fake_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("GOODIES_DUCKDB_PATH", str(missing))
    assert_error(
        run("--skip-build", "--out", str(tmp_path / "out")),
        1,
        f"no warehouse at {missing}; build it first (run without --skip-build)",
    )


def test_unwritable_out_is_one_line(built_marts: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = blocker / "out"
    result = run("--skip-build", "--quiet", "--out", str(out))
    assert_error(
        result, 1, f"cannot write the report to {out}: [Errno 20] Not a directory: '{out}'"
    )


# --- generate, with a stand-in generator ----------------------------------------------------


def test_generate_summarises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_generate(out_dir, *, seed=7, recipients=5000, file_format="csv", repeat_scans=0):
        calls.append((Path(out_dir), seed, recipients, file_format, repeat_scans))
        return SimpleNamespace(
            out_dir=Path(out_dir),
            rows={"campaigns": 3, "shipments": 5012},
            merged={"shipments": 6},
            set_aside={"campaigns": {"bad_value": 1}, "shipments": {"x": 2, "y": 3}},
            seconds=1.25,
        )

    monkeypatch.setattr(cli, "_generator", lambda: fake_generate)
    out = tmp_path / "demo"
    result = run(
        "generate", "--out", str(out), "--seed", "3", "--format", "parquet", "--repeat-scans", "4"
    )
    assert result.exit_code == 0, result.output
    assert calls == [(out, 3, 5000, "parquet", 4)]
    assert result.stdout.splitlines() == [
        f"Wrote 2 tables to {out} in 1.2 s:",
        "  campaigns                    3 rows       0 merged       1 set aside",
        "  shipments                5,012 rows       6 merged       5 set aside",
    ]


def test_generate_rejects_too_many_repeated_scans() -> None:
    result = run("generate", "--out", "x", "--repeat-scans", "101")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--repeat-scans': 101 is not in")


def test_generate_rejects_bad_recipients() -> None:
    result = run("generate", "--out", "x", "--recipients", "0")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: Invalid value for '--recipients': 0 is not in")


# --- progress lines, from dbt's events -------------------------------------------------------


def _event(name: str, **data: object) -> SimpleNamespace:
    return SimpleNamespace(info=SimpleNamespace(name=name), data=SimpleNamespace(**data))


def _finished(name: str, resource_type: str, status: str) -> SimpleNamespace:
    node = SimpleNamespace(node_name=name, resource_type=resource_type, node_status=status)
    return _event("NodeFinished", node_info=node)


def test_progress_counts_the_nodes_finished() -> None:
    lines: list[str] = []
    callback = build._progress_callback(lines.append)
    callback(_finished("early", "model", "success"))  # before any event said the total
    callback(_event("LogStartLine", total=3))
    callback(_event("LogHookStartLine", total=99))  # a count of hooks, not of nodes
    callback(_finished("not_null_x", "test", "fail"))
    callback(_event("LogTestResult", num_models=3))
    callback(_finished("downstream", "model", "skipped"))
    callback(_event("NodeFinished"))  # malformed: ignored, the build goes on
    assert lines == [
        "[1] model early ok",
        "[2/3] test not_null_x fail",
        "[3/3] model downstream skipped",
    ]


# --- real dbt builds on the mini project ----------------------------------------------------


@pytest.fixture
def mini(mini_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOODIES_PROJECT_DIR", str(mini_project))
    monkeypatch.setenv("GOODIES_DUCKDB_PATH", str(tmp_path / "mini.duckdb"))
    return mini_project


def test_build_then_report(mini: Path, tmp_path: Path, write_raw) -> None:
    data = write_raw(tmp_path / "raw", CAMPAIGNS_CSV)
    out = tmp_path / "out"
    result = run(
        "--data-dir", str(data), "--as-of", "2026-04-10", "--out", str(out),
        "--format", "md", "--format", "json", "--format", "html",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"  # only the folder on stdout
    models = sum(name.startswith("models/") and name.endswith(".sql") for name in MINI_MODELS)
    assert f"Built {models} models, 3/3 tests passed" in result.stderr
    # one line per dbt node as it finishes, counted up to the number of nodes
    nodes = models + 3
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert [line.split()[0] for line in progress] == [f"[{i}/{nodes}]" for i in range(1, 1 + nodes)]
    assert "test not_null_dim_campaigns_campaign_name ok" in [
        line.split(" ", 1)[1] for line in progress
    ]
    assert sum(line.endswith(" ok") and " model " in line for line in progress) == models
    assert sorted(p.name for p in out.iterdir()) == sorted(
        EXPORTS + ["report.html", "report.json", "report.md"]
    )
    report = json.loads((out / "report.json").read_text())
    assert report["validated"] is True
    assert report["as_of"] == "2026-04-10"
    assert [c["campaign_id"] for c in report["campaigns"]] == ["A1", "B2"]
    assert report["campaigns"][0]["timing"]["stage"] == "immature"
    assert report["campaigns"][0]["kpis"]["item_cost"] == 100.5
    assert "Spring &lt;b&gt;goodies&lt;/b&gt;" in (out / "report.html").read_text()
    assert r"Fall \| mugs" in (out / "report.md").read_text()


def test_reading_through_dbt_gives_the_same_rows(
    mini: Path, tmp_path: Path, write_raw, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader of non-DuckDB targets (`dbt show`), exercised here on DuckDB."""
    data = write_raw(tmp_path / "raw", CAMPAIGNS_CSV)
    quiet = run("--data-dir", str(data), "--as-of", "2026-04-10", "--quiet")
    assert (quiet.exit_code, quiet.stderr) == (0, "")  # no progress line, no path written
    dbt_vars = {"as_of": "2026-04-10", "raw_mode": "files", "raw_data_dir": str(data)}
    settings = build.Settings(mini, "duckdb", tmp_path / "mini.duckdb", dbt_vars)
    through_dbt = warehouse._read_through_dbt(settings, "campaign_kpis")
    direct = warehouse._read_duckdb(settings, "campaign_kpis")
    assert len(through_dbt) == 2
    assert [{k: json_value(v) for k, v in row.items()} for row in through_dbt] == [
        {k: json_value(v) for k, v in row.items()} for row in direct
    ]
    assert through_dbt[0]["units_shipped"] == 10  # a whole number, not Decimal("10")


def test_failing_test_exits_1_naming_it(mini: Path, tmp_path: Path, write_raw) -> None:
    data = write_raw(
        tmp_path / "raw",
        """\
        campaign_id,campaign_name,start_date,end_date,currency,budget
        A1,,2026-03-01,2026-03-31,EUR,1000
        """,
    )
    out = tmp_path / "out"
    result = run("--data-dir", str(data), "--as-of", "2026-04-10", "--quiet", "--out", str(out))
    assert_error(
        result,
        1,
        "dbt build failed: 1 node(s) failed\n"
        "  test not_null_dim_campaigns_campaign_name (fail): "
        "Got 1 result, configured to fail if != 0\n"
        "  (3 node(s) skipped because of these)",
    )
    assert not out.exists()
    # The failed build is the last one: its run_results.json says "not validated".
    run_results = mini / "target" / "duckdb" / "run_results.json"
    assert run_results.is_file()
    assert build.validated_from_run_results(run_results) is False


def test_compile_error_exits_1_with_dbt_message(mini: Path, tmp_path: Path, write_raw) -> None:
    data = write_raw(
        tmp_path / "raw",
        """\
        campaign_id,start_date,end_date,currency,budget
        A1,2026-03-01,2026-03-31,EUR,1000
        """,
    )
    result = run("--data-dir", str(data), "--quiet", "--out", str(tmp_path / "out"))
    assert_error(
        result,
        1,
        "dbt build failed: 1 node(s) failed\n"
        "  model dim_campaigns (error): "
        "Compilation Error: campaigns.csv lacks required column campaign_name\n"
        "  (6 node(s) skipped because of these)",
    )


# --- the real project, end to end -------------------------------------------------------------

REAL_MODELS = Path(cli.__file__).resolve().parents[2] / "models/marts/kpis/campaign_kpis.sql"
needs_models = pytest.mark.skipif(
    not REAL_MODELS.is_file(), reason="the dbt models are not written yet (no campaign_kpis.sql)"
)


def _real_run(root: Path, *args: str) -> SimpleNamespace:
    """A run of the real project with its DuckDB file in `root`."""
    out = root / "report"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("GOODIES_PROJECT_DIR", raising=False)
        mp.setenv("GOODIES_DUCKDB_PATH", str(root / "goodies.duckdb"))
        result = run(*args, "--as-of", "2026-06-30", "--out", str(out))
    report = None
    if result.exit_code == 0 and (out / "report.json").is_file():
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return SimpleNamespace(result=result, out=out, report=report)


@pytest.fixture(scope="session")
def files_run(tmp_path_factory: pytest.TempPathFactory, write_contract_files) -> SimpleNamespace:
    """One build of the real project on the hand-written contract files, for the session."""
    root = tmp_path_factory.mktemp("files_run")
    data = write_contract_files(root / "raw")
    return _real_run(root, "--data-dir", str(data), *("--format", "md", "--format", "json"))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """One `goodies-report --demo` build of the real project, for the session."""
    pytest.importorskip("goodies_report.generate", reason="the demo generator is not written yet")
    return _real_run(tmp_path_factory.mktemp("demo_run"), "--demo")


@needs_models
def test_files_end_to_end(files_run: SimpleNamespace) -> None:
    result, out, report = files_run.result, files_run.out, files_run.report
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTS + ["report.json", "report.md"])
    assert report["as_of"] == "2026-06-30"
    assert report["validated"] is True
    assert len(report["data_quality"]) == 13
    assert report["data_quality"]["shipments"]["raw"] == 3
    assert report["data_quality"]["leads"]["raw"] == 0  # optional and absent
    assert [c["campaign_id"] for c in report["campaigns"]] == ["CMP-1", "CMP-2"]
    cmp1, cmp2 = report["campaigns"]
    assert cmp1["timing"]["stage"] == "followup"
    assert cmp2["timing"]["stage"] == "running"
    kpis = cmp1["kpis"]
    assert (kpis["units_shipped"], kpis["units_delivered"]) == (3, 1)
    assert kpis["item_cost"] == 13.5  # 3 mugs at 4.50
    assert kpis["logistics_cost"] == 12.0  # (5 + 1) twice
    assert kpis["total_cost"] == 25.5
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert r"### Spring \| \<i\>mugs\</i\> (CMP-1)" in markdown
    assert "**Still running**" in markdown


@needs_models
def test_real_unknown_campaign(files_run: SimpleNamespace) -> None:
    assert files_run.result.exit_code == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("GOODIES_PROJECT_DIR", raising=False)
        mp.setenv("GOODIES_DUCKDB_PATH", str(files_run.out.parent / "goodies.duckdb"))
        result = run("--skip-build", "--campaign", "CMP-9", "--out", str(files_run.out))
    assert_error(result, 2, "no campaign 'CMP-9'; known campaigns: CMP-1, CMP-2")


@needs_models
def test_real_missing_column_fails_the_build(
    tmp_path: Path, write_contract_files, files_run: SimpleNamespace
) -> None:
    """campaigns.csv without campaign_name: exit 1 with dbt's message, nothing written."""
    data = write_contract_files(tmp_path / "raw")
    (data / "campaigns.csv").write_text(
        "campaign_id,start_date,end_date,currency,budget\nCMP-1,2026-03-01,2026-03-31,EUR,1\n"
    )
    run_ = _real_run(tmp_path, "--data-dir", str(data), "--quiet")
    assert run_.result.exit_code == 1, run_.result.output
    assert run_.result.stderr.startswith("Error: dbt build failed: ")
    assert "campaign_name" in run_.result.stderr
    assert run_.result.stderr.count("\n") == 1
    assert not run_.out.exists()


@needs_models
def test_demo_end_to_end(demo_run: SimpleNamespace) -> None:
    result, out, report = demo_run.result, demo_run.out, demo_run.report
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTS + ["report.html", "report.json"])
    assert report["validated"] is True
    assert len(report["data_quality"]) == 13
    for entry in report["data_quality"].values():
        assert set(entry) >= {"raw", "kept", "merged", "set_aside", "reasons"}
    assert len(report["campaigns"]) == 2
    for campaign in report["campaigns"]:
        assert {"units_shipped", "delivery_rate", "total_cost"} <= set(campaign["kpis"])


@needs_models
def test_demo_planted_effects_are_found(demo_run: SimpleNamespace) -> None:
    """The truths the generator plants (see goodies_report.generate) come out of the report."""
    assert demo_run.result.exit_code == 0, demo_run.result.output
    spring = next(c for c in demo_run.report["campaigns"] if c["campaign_id"] == "CMP-2026-SPRING")
    # a SKU that lifts leads in one segment: a finding after Benjamini-Hochberg
    cell = next(
        f for f in spring["segment_findings"]
        if (f["segment"], f["sku"]) == ("enterprise", "SKU-PWR")
    )  # fmt: skip
    assert cell["finding"] is True and cell["q_value"] <= 0.05 and cell["rate"] > cell["rest_rate"]
    # a winning variant
    test = next(
        t for t in spring["ab_tests"] if t["metric"] == "lead_rate_90d" and t["variant"] == "B"
    )
    assert test["reference"] == "A" and test["significant"] is True and test["difference"] > 0
    assert test["ci_low"] > 0
    # a supplier that misses its SLA
    swift = next(s for s in spring["suppliers"] if s["supplier"] == "SwiftGoods")
    assert "on_time" in swift["breaches"] and swift["on_time_rate"] < swift["on_time_target"]
    # a defective SKU
    bottle = next(v for v in spring["sku_verdicts"] if v["sku"] == "SKU-BOTTLE")
    assert bottle["verdict"] == "retire"
    # sent recipients convert to leads more than the holdout
    lift = next(r for r in spring["incrementality"] if r["window_days"] == 90)
    assert lift["ci_low"] > 0 and spring["kpis"]["incremental_lift_90d"] == lift["lift"]
    # an over-forecast SKU: the hoodie shipped about half its plan
    hood = [r for r in spring["forecast"] if r["sku"] == "SKU-HOOD" and r["measure"] == "units"]
    assert hood and sum(r["actual"] for r in hood) < 0.6 * sum(r["forecast"] or 0 for r in hood)
