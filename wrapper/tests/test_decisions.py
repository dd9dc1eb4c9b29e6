"""Insights, actions and the checklist on the demo: the planted effects lead, nothing else is
claimed.

The demo (seed 7, 5,000 recipients, as of 2026-12-01) plants, in both campaigns, a segment x
SKU lift (enterprise x power bank), a winning variant (B), a late supplier (SwiftGoods), a
defective SKU (the bottle) and an over-forecast SKU (the hoodie), plus the holdout's lift
(`generate.PLANTED_EFFECTS`). Each of the first five must be among the top five insights of
each campaign, with the action and owner team a marketer would expect; the lift must be an
insight that claims a difference. With `planted_effects=False` (no segment x SKU lift, no
variant difference, everything else the same), no insight or action may claim either.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

import goodies_report
from goodies_report.build import Settings, run_build
from goodies_report.generate import AUTUMN, PLANTED_EFFECTS, SPRING, generate

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
AS_OF = "2026-12-01"
CAMPAIGNS = (SPRING, AUTUMN)

# (insight kind, subject, segment) of each planted effect -> (action kind, owner team)
PLANTED = {
    ("segment_sku", "SKU-PWR", "enterprise"): ("retarget_segment", "marketing"),
    ("ab_variant", "B", None): ("adopt_variant", "marketing"),
    ("supplier_on_time", "SwiftGoods", None): ("renegotiate_delivery_sla", "logistics"),
    ("sku_verdict", "SKU-BOTTLE", None): ("retire_sku", "purchasing"),
    ("forecast_miss", "SKU-HOOD", None): ("revise_forecast", "purchasing"),
}


def test_the_planted_table_names_the_generator_s_effects():
    # the expectations above are the generator's, not typed twice by chance
    cell = PLANTED_EFFECTS["lifted_cell"]
    assert ("segment_sku", cell["sku"], cell["segment"]) in PLANTED
    assert ("ab_variant", PLANTED_EFFECTS["winning_variant"], None) in PLANTED
    assert ("supplier_on_time", PLANTED_EFFECTS["late_supplier"], None) in PLANTED
    assert ("sku_verdict", PLANTED_EFFECTS["defective_sku"], None) in PLANTED
    assert ("forecast_miss", PLANTED_EFFECTS["over_forecast_sku"], None) in PLANTED


def rows(database: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def build_world(folder: Path, planted_effects: bool) -> tuple[Path, Path]:
    raw = generate(folder / "raw", seed=7, planted_effects=planted_effects).out_dir
    database = folder / "marts.duckdb"
    settings = Settings(
        project_dir=PROJECT_DIR,
        target="duckdb",
        duckdb_path=database,
        dbt_vars={"raw_mode": "files", "raw_data_dir": str(raw), "as_of": AS_OF},
    )
    outcome = run_build(settings)
    assert outcome.success, outcome.describe_failure()
    return raw, database


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    return build_world(tmp_path_factory.mktemp("planted"), planted_effects=True)


@pytest.fixture(scope="module")
def null_world(tmp_path_factory) -> tuple[Path, Path]:
    return build_world(tmp_path_factory.mktemp("null"), planted_effects=False)


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_each_planted_effect_is_a_top_five_insight_with_its_action(demo, campaign):
    _, database = demo
    insights = rows(database, f"from main.insights where campaign_id = '{campaign}'")
    actions = rows(database, f"from main.actions where campaign_id = '{campaign}'")
    top_five = {(i["kind"], i["subject"], i["segment"]): i for i in insights if i["is_top_five"]}
    assert len([i for i in insights if i["is_top_five"]]) == 5
    for key, (action_kind, owner) in PLANTED.items():
        assert key in top_five, (key, sorted(top_five))
        insight = top_five[key]
        matching = [
            a
            for a in actions
            if a["insight_rank"] == insight["insight_rank"] and a["action_kind"] == action_kind
        ]
        assert len(matching) == 1, (key, actions)
        assert matching[0]["owner_team"] == owner
    # the directions a reader checks: the cell and B do better, the hoodie shipped less
    assert top_five[("segment_sku", "SKU-PWR", "enterprise")]["direction"] == "higher"
    assert top_five[("ab_variant", "B", None)]["detail"] == "A"
    assert top_five[("forecast_miss", "SKU-HOOD", None)]["direction"] == "lower"
    assert top_five[("sku_verdict", "SKU-BOTTLE", None)]["metric"] == "defect_rate"


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_the_holdout_lift_is_a_claimed_difference(demo, campaign):
    _, database = demo
    (lift,) = rows(
        database,
        f"from main.insights where campaign_id = '{campaign}' and kind like '%holdout_lift'",
    )
    assert lift["kind"] == "holdout_lift" and lift["claims_difference"]
    assert lift["p_value"] < 0.05 and lift["value"] > lift["baseline"]


def test_every_action_has_an_owner_a_deadline_and_a_source_insight(demo):
    raw, database = demo
    insights = {
        (i["campaign_id"], i["insight_rank"]): i for i in rows(database, "from main.insights")
    }
    actions = rows(database, "from main.actions")
    assert actions
    with (PROJECT_DIR / "seeds" / "action_playbook.csv").open(newline="") as handle:
        playbook = {row["action_kind"]: row for row in csv.DictReader(handle)}
    # the debrief: the latest meeting of the campaign in the raw export
    with (raw / "debrief_attendance.csv").open(newline="", encoding="utf-8") as handle:
        meetings: dict[str, dt.date] = {}
        for row in csv.DictReader(handle):
            try:
                day = dt.date.fromisoformat(row["meeting_date"])
            except ValueError:  # a row the demo plants broken: set aside, no meeting
                continue
            meetings[row["campaign_id"]] = max(day, meetings.get(row["campaign_id"], day))
    followups = {
        r["campaign_id"]: r["followup_due"] for r in rows(database, "from main.campaign_timing")
    }
    for action in actions:
        source = insights[(action["campaign_id"], action["insight_rank"])]
        assert source["kind"] == action["insight_kind"]
        rule = playbook[action["action_kind"]]
        assert action["owner_team"] == rule["owner_team"]
        anchor = (
            meetings[action["campaign_id"]]
            if rule["deadline_from"] == "debrief"
            else followups[action["campaign_id"]]
        )
        assert action["due"] == anchor + dt.timedelta(days=int(rule["deadline_days"]))
    for campaign in CAMPAIGNS:
        priorities = [a["priority"] for a in actions if a["campaign_id"] == campaign]
        assert sorted(priorities) == list(range(1, len(priorities) + 1))


def test_the_checklist_of_the_demo(demo):
    _, database = demo
    checklist = {
        (r["campaign_id"], r["item"]): (r["done"], r["reason"], r["detail"])
        for r in rows(database, "from main.checklist")
    }
    # the spring debrief had all four teams, the autumn one only marketing and sales
    assert checklist == {
        (SPRING, "kpi_dashboard"): (True, "complete", None),
        (SPRING, "multidiscipline_postmortem"): (True, "all_teams_attended", None),
        (SPRING, "action_plan"): (True, "owned_and_dated", None),
        (AUTUMN, "kpi_dashboard"): (True, "complete", None),
        (AUTUMN, "multidiscipline_postmortem"): (False, "overdue", "purchasing logistics"),
        (AUTUMN, "action_plan"): (True, "owned_and_dated", None),
    }


def test_autumn_still_waits_for_conversions_and_gets_a_followup(demo):
    _, database = demo
    (followup,) = rows(
        database,
        f"from main.actions where campaign_id = '{AUTUMN}' and action_kind = 'schedule_followup'",
    )
    (timing,) = rows(database, f"from main.campaign_timing where campaign_id = '{AUTUMN}'")
    assert followup["due"] == timing["followup_due"] == dt.date(2027, 2, 11)
    assert followup["owner_team"] == "sales"


def test_without_the_planted_comparisons_no_insight_or_action_claims_them(null_world):
    _, database = null_world
    insights = rows(database, "from main.insights")
    actions = rows(database, "from main.actions")
    assert insights, "the null world still has its defects, late supplier and forecast miss"
    assert [i for i in insights if i["kind"] in ("ab_variant", "segment_sku")] == []
    assert [a for a in actions if a["action_kind"] in ("adopt_variant", "retarget_segment")] == []


def test_in_the_null_world_every_claimed_difference_is_one_the_data_still_holds(null_world):
    """What planted_effects=False keeps: the defective bottle (its defect, return and NPS
    figures, and so the NPS of the rest of every other SKU), the holdout lift, and unit costs
    that differ by SKU (a cheaper SKU has a lower cost per lead at the same lead rate)."""
    _, database = null_world
    sku_cost = {
        (r["campaign_id"], r["sku"]): float(r["cost_per_delivered_recipient"])
        for r in rows(database, "from main.kpis_by_sku where delivered_recipients > 0")
    }
    campaign_cost = {
        r["campaign_id"]: float(r["cost_per_delivered_recipient"])
        for r in rows(database, "from main.campaign_kpis")
    }
    defective = PLANTED_EFFECTS["defective_sku"]
    for insight in rows(database, "from main.insights where claims_difference"):
        campaign, subject, metric = insight["campaign_id"], insight["subject"], insight["metric"]
        assert insight["p_value"] is not None
        if insight["kind"] == "holdout_lift":
            continue
        if subject == defective or metric == "nps":
            continue
        # any other claim is a cost per lead, in the direction of the SKU's cost per
        # recipient against the campaign's
        assert metric == "cpl", insight
        cheaper = sku_cost[(campaign, subject)] < campaign_cost[campaign]
        assert (insight["direction"] == "lower") == cheaper, insight


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_a_premium_sku_retired_for_its_cpl_is_kept_for_qualified_leads(demo, campaign):
    # the hoodie (premium) is retired for its cost per lead: sales keep premium items for
    # recipients already qualified; the bottle (premium, retired for its defects) is not
    _, database = demo
    reserved = rows(
        database,
        "select a.subject, a.owner_team, i.kind, i.metric from main.actions as a"
        " inner join main.insights as i"
        " on a.campaign_id = i.campaign_id and a.insight_rank = i.insight_rank"
        f" where a.campaign_id = '{campaign}'"
        " and a.action_kind = 'reserve_premium_for_qualified'",
    )
    assert reserved == [
        {"subject": "SKU-HOOD", "owner_team": "sales", "kind": "sku_verdict", "metric": "cpl"}
    ]
