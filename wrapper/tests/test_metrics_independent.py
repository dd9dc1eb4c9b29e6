"""campaign_kpis against a second, independent implementation of metrics.md.

The same raw folder is built by dbt and computed again in plain Python (contract_rules.py
for the staging, independent_metrics.py for the figures); every headline metric of every
campaign must agree: both null, or both numbers within 1e-6 relative (1e-9 absolute near
zero). A disagreement is a bug on one side, to be read against metrics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from contract_rules import kept_typed_rows, read_raw, reference_staging
from independent_metrics import campaign_kpis, headline_metrics

import goodies_report
from goodies_report.build import Settings, run_build
from goodies_report.generate import generate

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
RELATIVE_TOLERANCE = 1e-6
ABSOLUTE_TOLERANCE = 1e-9
# The demo's spring campaign runs 2026-03-01 to 2026-04-30 and the autumn one ends
# 2026-11-13: at 2026-12-01 both are past their end, at 2026-05-15 spring is inside its
# 14-day window and autumn has not started (no shipment is ordered yet).
LATE_AS_OF = "2026-12-01"
MID_SPRING_AS_OF = "2026-05-15"
CASES = {
    "demo-late": ("demo", LATE_AS_OF),
    "demo-mid-spring": ("demo", MID_SPRING_AS_OF),
    "tiny": ("tiny", LATE_AS_OF),
    "breaches": ("breaches", LATE_AS_OF),
}


@dataclass(frozen=True)
class ComparedMartsSettings(Settings):
    """A build of only the two marts compared here, their parents and their tests.

    Models that other work adds beside them (and that may not compile yet) cannot fail
    this comparison; a test is run when every model it reads is built (cautious).
    """

    def dbt_args(self) -> list[str]:
        selection = ["--select", "+campaign_kpis", "+data_quality"]
        return [*super().dbt_args(), *selection, "--indirect-selection", "cautious"]


def build(data_dir: Path, database: Path, as_of: str):
    dbt_vars = {"raw_mode": "files", "raw_data_dir": str(data_dir), "as_of": as_of}
    settings = ComparedMartsSettings(
        project_dir=PROJECT_DIR, target="duckdb", duckdb_path=database, dbt_vars=dbt_vars
    )
    return run_build(settings)


def rows(database: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def agree(expected, got) -> bool:
    """Both null, or both numbers equal within the tolerances."""
    if expected is None or got is None:
        return expected is None and got is None
    expected, got = float(expected), float(got)
    return math.isclose(expected, got, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("independent_demo") / "raw"
    generate(folder, seed=3, recipients=1500)
    return folder


@pytest.fixture(scope="module", params=list(CASES))
def case(request, demo_folder, tmp_path_factory):
    """(raw folder, as_of, built database) of one case, each built once."""
    source, as_of = CASES[request.param]
    folder = demo_folder if source == "demo" else FIXTURES / source
    database = tmp_path_factory.mktemp(request.param) / "kpis.duckdb"
    result = build(folder, database, as_of)
    assert result.success, result.describe_failure()
    return folder, date.fromisoformat(as_of), database


def test_the_reference_staging_keeps_what_the_build_keeps(case):
    # The figures below start from contract_rules' kept rows; if the two stagings kept
    # different rows, a figure mismatch would say nothing about the metrics.
    folder, _, database = case
    raw = read_raw(folder)
    kept, merged, _ = reference_staging(raw)
    quality = {r["table_name"]: r for r in rows(database, "select * from main.data_quality")}
    for table, kept_rows in kept.items():
        assert quality[table]["is_present"] == (table in raw), table
        assert quality[table]["kept_rows"] == len(kept_rows), table
        assert quality[table]["merged_rows"] == merged[table], table


def test_campaign_kpis_match_the_independent_figures(case):
    folder, as_of, database = case
    tables, present = kept_typed_rows(folder)
    expected = campaign_kpis(tables, present, as_of)
    got = {r["campaign_id"]: r for r in rows(database, "select * from main.campaign_kpis")}
    assert set(got) == set(expected)
    metrics = headline_metrics()
    columns = [c["column_name"] for c in rows(database, "describe main.campaign_kpis")]
    assert columns == ["campaign_id", *metrics]

    mismatches = [
        f"{metric} of {campaign_id}: expected {figures[metric]!r}, got {got[campaign_id][metric]!r}"
        for campaign_id, figures in sorted(expected.items())
        for metric in metrics
        if not agree(figures[metric], got[campaign_id][metric])
    ]
    compared = len(metrics) * len(expected)
    assert not mismatches, f"{len(mismatches)} of {compared} figures differ:\n" + "\n".join(
        mismatches
    )
