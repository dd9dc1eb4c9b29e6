"""False discoveries of the comparisons that claim a difference (metrics.md), on null data.

`generate(..., planted_effects=False)` draws the demo without the segment x SKU lift and
without the variant difference: A and B have the same lead, conversion and activation
propensity, and within a segment every SKU the same lead propensity. Every significant A/B
row and every segment x SKU finding is then a false discovery. Over `len(SEEDS)` seeds of
`RECIPIENTS` recipients each (two campaigns per seed), the count of campaign-runs that claim a
difference must stay within what the 5% level allows:

- A/B tests, each metric on its own: a campaign-run tests B against A once per metric, at
  level 0.05, so the number of significant campaign-runs is at most Binomial(m, 0.05), m the
  campaign-runs tested (20 seeds x 2 campaigns = 40). The bound k is the smallest with
  P(Binomial(m, 0.05) > k) < 1%, computed with scipy: a correct test fails this check in
  fewer than 1 run of the suite in 100.
- Segment x SKU: Benjamini-Hochberg at 5% controls the false discovery rate, which when no
  cell has an effect equals the family-wise error rate, so a campaign-run has any finding
  with probability at most 0.05; the number of campaign-runs with a finding is bounded the
  same way (m: the campaign-runs with at least one cell tested).

The two campaigns of a seed are drawn independently but for the one autumn recipient in eight
who is a spring person again, and the seeds are independent, so the binomial is the right
reference. The test can fail: with the planted effects (one seed), the spring campaign has a
finding and a significant lead-rate difference between B and A.

Each run is `dbt run` of ab_tests, segment_findings and the models they depend on (their data
tests run in the full builds of test_dbt_project.py), into a DuckDB file of its own. The raw
folder is the same path for every seed (rewritten each time), so the dbt vars do not change
and dbt does not parse the project again for each seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import binom

import goodies_report
from goodies_report.build import Settings, dbt_environment, summarise
from goodies_report.generate import SPRING, generate

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
AS_OF = "2026-12-01"
SEEDS = tuple(range(101, 121))
RECIPIENTS = 1200
LEVEL = 0.05  # the default significance_level of dbt_project.yml
SURPRISE = 0.01  # a correct implementation fails a bound with less than this probability
AB_METRICS = ("activation_rate", "lead_rate_90d", "conversion_rate_90d")


def build_comparisons(data_dir: Path, database: Path):
    """`dbt run` of ab_tests, segment_findings and all they depend on, into `database`."""
    from dbt.cli.main import dbtRunner

    settings = Settings(
        project_dir=PROJECT_DIR,
        target="duckdb",
        duckdb_path=database,
        dbt_vars={"raw_mode": "files", "raw_data_dir": str(data_dir), "as_of": AS_OF},
    )
    with dbt_environment(settings):
        res = dbtRunner().invoke(
            ["run", "--select", "+ab_tests +segment_findings", *settings.dbt_args()]
        )
    assert res.exception is None, res.exception
    outcome = summarise(res.result)
    assert res.success and outcome.success, outcome.describe_failure()


def rows(database: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def comparisons(raw: Path, database: Path, seed: int, planted_effects: bool) -> Path:
    generated = generate(raw, seed=seed, recipients=RECIPIENTS, planted_effects=planted_effects)
    build_comparisons(generated.out_dir, database)
    return database


def bound(tested: int) -> int:
    """The smallest k with P(Binomial(tested, LEVEL) > k) < SURPRISE."""
    k = 0
    while binom.sf(k, tested, LEVEL) >= SURPRISE:
        k += 1
    return k


@pytest.fixture(scope="module")
def null_runs(tmp_path_factory) -> dict[str, dict[str, int]]:
    """Per A/B metric and for the findings: campaign-runs tested and those with a claim."""
    counts = {name: {"tested": 0, "claimed": 0} for name in (*AB_METRICS, "findings")}
    raw = tmp_path_factory.mktemp("null_raw")
    for seed in SEEDS:
        database = tmp_path_factory.mktemp(f"null_{seed}") / "comparisons.duckdb"
        comparisons(raw, database, seed, planted_effects=False)
        ab = rows(
            database,
            """
            select metric, campaign_id, bool_or(significant)
            from main.ab_tests where p_value is not null group by all
            """,
        )
        for metric, _, significant in ab:
            counts[metric]["tested"] += 1
            counts[metric]["claimed"] += bool(significant)
        cells = rows(
            database, "select campaign_id, bool_or(finding) from main.segment_findings group by 1"
        )
        for _, finding in cells:
            counts["findings"]["tested"] += 1
            counts["findings"]["claimed"] += bool(finding)
    print("\nfalse discoveries over seeds", SEEDS[0], "to", SEEDS[-1], f"({RECIPIENTS} each):")
    for name, c in counts.items():
        print(
            f"  {name}: {c['claimed']} of {c['tested']} campaign-runs, bound {bound(c['tested'])}"
        )
    return counts


@pytest.mark.parametrize("metric", AB_METRICS)
def test_ab_tests_claim_a_difference_no_more_often_than_the_level(null_runs, metric):
    tested, claimed = null_runs[metric]["tested"], null_runs[metric]["claimed"]
    # both campaigns have variants A and B in every seed
    assert tested == 2 * len(SEEDS)
    assert claimed <= bound(tested), (metric, claimed, tested, bound(tested))


def test_segment_findings_claim_a_difference_no_more_often_than_the_level(null_runs):
    tested, claimed = null_runs["findings"]["tested"], null_runs["findings"]["claimed"]
    assert tested >= len(SEEDS)  # at least one cell per seed is large enough to be tested
    assert claimed <= bound(tested), (claimed, tested, bound(tested))


def test_the_planted_effects_are_found(tmp_path):
    """The comparisons can claim a difference: with the planted effects they do."""
    database = comparisons(tmp_path / "raw", tmp_path / "comparisons.duckdb", 7, True)
    findings = rows(
        database,
        f"""
        select segment, sku from main.segment_findings
        where campaign_id = '{SPRING}' and finding
        """,
    )
    assert ("enterprise", "SKU-PWR") in findings
    ab = rows(
        database,
        f"""
        select variant, significant from main.ab_tests
        where campaign_id = '{SPRING}' and metric = 'lead_rate_90d'
        """,
    )
    assert ab == [("B", True)]
