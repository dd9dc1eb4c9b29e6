"""The dbt project built end to end on hand-made folders, with figures computed by hand.

Each build runs `dbt build` in-process (models and data tests, and the unit tests in the tiny
folder's build) into a DuckDB file of its own, then the marts are read back read-only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import goodies_report
from goodies_report.build import Settings, dbt_environment, run_build

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-12-01"
CONTRACT_TABLES = [
    "campaigns", "forecast", "skus", "suppliers", "recipients", "shipments", "codes",
    "code_events", "leads", "opportunities", "returns", "survey_responses",
    "debrief_attendance",
]  # fmt: skip


def build(data_dir: Path, database: Path, unit_tests: bool = False, **extra_vars: str):
    vars_ = {"raw_mode": "files", "raw_data_dir": str(data_dir), "as_of": AS_OF, **extra_vars}
    settings = Settings(
        project_dir=PROJECT_DIR,
        target="duckdb",
        duckdb_path=database,
        dbt_vars=vars_,
        unit_tests=unit_tests,
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


def by_key(records: list[dict], key: str) -> dict:
    return {record[key]: record for record in records}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    # The one build of the suite that runs dbt's unit tests too (report builds leave them
    # out); what they gave is kept beside the database for the test below.
    database = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    result = build(FIXTURES / "tiny", database, unit_tests=True)
    assert result.success, result.describe_failure()
    target = PROJECT_DIR / "target" / "duckdb"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    run = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    unit_tests = {
        "defined": sorted(manifest["unit_tests"]),
        "statuses": {
            r["unique_id"]: r["status"]
            for r in run["results"]
            if r["unique_id"].startswith("unit_test.")
        },
    }
    database.with_name("unit_tests.json").write_text(json.dumps(unit_tests), encoding="utf-8")
    return database


def test_every_unit_test_of_the_project_ran_and_passed(tiny):
    unit_tests = json.loads(tiny.with_name("unit_tests.json").read_text(encoding="utf-8"))
    assert len(unit_tests["defined"]) >= 40  # every definition of metrics.md has its own
    assert sorted(unit_tests["statuses"]) == unit_tests["defined"]
    assert set(unit_tests["statuses"].values()) == {"pass"}


def test_a_report_build_leaves_the_unit_tests_out(breaches):
    kinds = set(json.loads(breaches.with_name("node_kinds.json").read_text(encoding="utf-8")))
    assert "unit_test" not in kinds and {"model", "test"} <= kinds


@pytest.fixture(scope="module")
def breaches(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("breaches") / "breaches.duckdb"
    result = build(FIXTURES / "breaches", database)
    assert result.success, result.describe_failure()
    run = json.loads(
        (PROJECT_DIR / "target" / "duckdb" / "run_results.json").read_text(encoding="utf-8")
    )
    kinds = sorted({r["unique_id"].split(".")[0] for r in run["results"]})
    database.with_name("node_kinds.json").write_text(json.dumps(kinds), encoding="utf-8")
    return database


# Worked out by hand from fixtures/tiny at as_of 2026-12-01 (see its README):
# C1 ships S1 (2 mugs), S2 (1 tee, later returned) and S3 (3 mugs, lost): 6 units, of which
#   S1 and S2 were delivered: 3. S4 is cancelled (no unit, no cost), S5 never left (its
#   handling counts, 1.25). Items 2 × 4.50 + 12.25 + 3 × 4.50 = 34.75. Logistics 6.00 + 2.50
#   + 6.00 + 1.25, plus the return T1's 3.00 = 18.75 (T2 is reported after as_of).
# C2 ships S6 (4 mugs, delivered at 2026-12-02 01:30 UTC, after as_of, so not delivered) and
#   S8 (1 mug, delivered); S7 is ordered after as_of. Items 5 × 4.50 = 22.50; logistics
#   8.00 + 0.30 (T3 has no handling cost) = 8.30.
TINY_KPIS = {
    "C1": {
        "units_shipped": 6, "units_delivered": 3, "delivery_rate": 0.5,
        "item_cost": 34.75, "logistics_cost": 18.75, "total_cost": 53.50,
        "logistics_cost_per_unit": 3.125,
    },
    "C2": {
        "units_shipped": 5, "units_delivered": 1, "delivery_rate": 0.2,
        "item_cost": 22.50, "logistics_cost": 8.30, "total_cost": 30.80,
        "logistics_cost_per_unit": 1.66,
    },
}  # fmt: skip


def test_tiny_campaign_figures_match_the_hand_computation(tiny):
    kpis = by_key(rows(tiny, "select * from main.campaign_kpis"), "campaign_id")
    assert set(kpis) == {"C1", "C2"}
    for campaign_id, expected in TINY_KPIS.items():
        for metric, value in expected.items():
            got = kpis[campaign_id][metric]
            assert float(got) == pytest.approx(value, rel=1e-9), (campaign_id, metric)


def test_tiny_clock_at_as_of(tiny):
    timing = by_key(rows(tiny, "select * from main.campaign_timing"), "campaign_id")
    assert timing["C1"]["stage"] == "followup"
    assert str(timing["C1"]["postmortem_due"]) == "2026-04-14"
    assert str(timing["C1"]["followup_due"]) == "2026-06-29"
    assert timing["C1"]["days_since_end"] == 245
    assert timing["C2"]["stage"] == "immature"
    assert timing["C2"]["days_since_end"] == 1


def test_tiny_csv_dialect_is_read_as_the_contract_says(tiny):
    campaigns = by_key(rows(tiny, "select * from main.dim_campaigns"), "campaign_id")
    # byte-order mark, CRLF, a blank line, mixed-case headers, an extra column
    assert campaigns["C1"]["campaign_name"] == 'Spring, "launch"'
    assert campaigns["C2"]["budget"] is None
    quality = by_key(rows(tiny, "select * from main.data_quality"), "table_name")
    assert quality["campaigns"]["raw_rows"] == 2
    assert quality["recipients"]["kept_rows"] == 5  # a quoted field spans two lines


def test_tiny_absent_optional_tables_are_empty_and_flagged(tiny):
    quality = by_key(rows(tiny, "select * from main.data_quality"), "table_name")
    assert sorted(quality) == sorted(CONTRACT_TABLES)
    present = {name for name, row in quality.items() if row["is_present"]}
    assert present == {"campaigns", "skus", "recipients", "shipments", "returns"}
    assert quality["leads"]["raw_rows"] == 0
    assert quality["shipments"] == {
        "table_name": "shipments", "is_required": True, "is_present": True,
        "raw_rows": 8, "kept_rows": 8, "merged_rows": 0, "set_aside_rows": 0,
    }  # fmt: skip


# One row per rule in fixtures/breaches, counted by hand: {table: (raw, kept, merged,
# {reason: set-aside rows})}. A set-aside row takes its dependants with it: recipient P4
# (no segment) sets aside shipment H2 and lead L3, and through them return T2 and
# opportunity O2; campaign K2 (ends before it starts) sets aside recipient P3 and an
# attendance row.
BREACHES = {
    "campaigns": (6, 2, 1, {"end_before_start": 1, "key_clash": 2}),
    "forecast": (5, 1, 0, {"unknown_sku": 1, "key_clash": 2, "unknown_campaign": 1}),
    "skus": (4, 1, 0, {"negative_amount": 1, "not_allowed": 1, "invalid_type": 1}),
    "suppliers": (3, 1, 0, {"rate_out_of_range": 1, "invalid_type": 1}),
    "recipients": (5, 3, 0, {"unknown_campaign": 1, "missing_value": 1}),
    "shipments": (11, 1, 1, {
        "unknown_recipient": 1, "unknown_sku": 1, "campaign_mismatch": 1,
        "not_positive": 1, "shipped_before_ordered": 1, "delivered_before_shipped": 1,
        "delivered_without_shipped": 1, "cancelled_with_delivery": 1, "not_allowed": 1,
    }),
    "codes": (3, 1, 0, {"unknown_shipment": 1, "not_allowed": 1}),
    "code_events": (4, 1, 1, {"unknown_code": 1, "invalid_type": 1}),
    "leads": (4, 2, 0, {"unknown_recipient": 1, "missing_value": 1}),
    "opportunities": (4, 1, 0, {
        "unknown_lead": 1, "closed_before_created": 1, "negative_amount": 1,
    }),
    "returns": (4, 1, 0, {"unknown_shipment": 1, "not_positive": 1, "not_allowed": 1}),
    "survey_responses": (6, 2, 0, {
        "campaign_mismatch": 1, "not_allowed": 1, "unknown_campaign": 1, "invalid_type": 1,
    }),
    "debrief_attendance": (5, 2, 1, {"not_allowed": 1, "unknown_campaign": 1}),
}  # fmt: skip


def test_every_breach_rule_sets_its_row_aside_with_its_reason(breaches):
    quality = by_key(rows(breaches, "select * from main.data_quality"), "table_name")
    reasons: dict[str, dict[str, int]] = {}
    for row in rows(breaches, "select * from main.data_quality_reasons"):
        reasons.setdefault(row["table_name"], {})[row["reason"]] = row["set_aside_rows"]
    for table, (raw, kept, merged, expected_reasons) in BREACHES.items():
        got = quality[table]
        assert (got["raw_rows"], got["kept_rows"], got["merged_rows"]) == (raw, kept, merged)
        assert got["set_aside_rows"] == sum(expected_reasons.values()), table
        assert reasons.get(table, {}) == expected_reasons, table


def test_breach_fixture_figures_use_kept_rows_only(breaches):
    kpis = by_key(rows(breaches, "select * from main.campaign_kpis"), "campaign_id")
    assert set(kpis) == {"K1", "K3"}
    # Only H1 (merged with its copy) is kept: 1 mug at 2, logistics 3 + 1 + return T1 1.5.
    assert kpis["K1"]["units_shipped"] == 1
    assert float(kpis["K1"]["total_cost"]) == pytest.approx(7.5)
    assert float(kpis["K1"]["logistics_cost_per_unit"]) == pytest.approx(5.5)
    assert kpis["K3"]["delivery_rate"] is None


def test_no_mart_holds_an_email_address_or_an_attendee_name(breaches):
    con = duckdb.connect(str(breaches), read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'main' and table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        assert "set_aside_rows" in tables and "campaign_kpis" in tables
        for table in tables:
            columns = [c[0] for c in con.execute(f'describe main."{table}"').fetchall()]
            assert "email" not in columns, table
            text = " ".join(
                str(v) for row in con.execute(f'from main."{table}"').fetchall() for v in row
            )
            assert "@example.com" not in text.lower(), table
            assert "Alice Martin" not in text, table
    finally:
        con.close()


def test_warehouse_mode_gives_the_same_figures(tmp_path, tiny):
    database = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    try:
        con.execute("create schema raw_exports")
        for path in sorted((FIXTURES / "tiny").glob("*.csv")):
            con.execute(
                f"create table raw_exports.{path.stem} as select * from read_csv(?,"
                " all_varchar = true, header = true)",
                [str(path)],
            )
    finally:
        con.close()
    result = build(FIXTURES / "tiny", database, raw_mode="warehouse", raw_schema="raw_exports")
    assert result.success, result.describe_failure()
    assert rows(database, "select * from main.campaign_kpis order by 1") == rows(
        tiny, "select * from main.campaign_kpis order by 1"
    )


def test_parquet_files_give_the_same_figures(tmp_path, tiny):
    data_dir = tmp_path / "parquet"
    data_dir.mkdir()
    con = duckdb.connect()
    for path in sorted((FIXTURES / "tiny").glob("*.csv")):
        target = str(data_dir / f"{path.stem}.parquet")
        con.execute(
            f"copy (select * from read_csv('{path}', all_varchar = true, header = true))"
            f" to '{target}' (format parquet)"
        )
    con.close()
    database = tmp_path / "parquet.duckdb"
    result = build(data_dir, database)
    assert result.success, result.describe_failure()
    assert rows(database, "select * from main.campaign_kpis order by 1") == rows(
        tiny, "select * from main.campaign_kpis order by 1"
    )


def test_a_missing_required_file_is_named(tmp_path):
    data_dir = tmp_path / "no_skus"
    shutil.copytree(FIXTURES / "tiny", data_dir)
    (data_dir / "skus.csv").unlink()
    result = build(data_dir, tmp_path / "missing.duckdb")
    assert not result.success
    assert f"required file missing: {data_dir}/skus.csv" in result.describe_failure()


def test_a_malformed_line_stops_the_build_naming_file_and_line(tmp_path):
    data_dir = tmp_path / "malformed"
    shutil.copytree(FIXTURES / "tiny", data_dir)
    path = data_dir / "skus.csv"
    path.write_text(path.read_text() + "CAP,Cap,apparel,visibility,standard,3,true,extra\n")
    result = build(data_dir, tmp_path / "malformed.duckdb")
    assert not result.success
    message = result.describe_failure()
    assert "skus.csv" in message and "Line: 4" in message


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from goodies_report.generate import generate

    folder = tmp_path_factory.mktemp("demo")
    generated = generate(folder / "raw", seed=11, recipients=1000)
    database = folder / "demo.duckdb"
    result = build(generated.out_dir, database)
    assert result.success, result.describe_failure()
    return generated, database


def test_the_demo_sets_aside_exactly_what_the_generator_planted(demo):
    generated, database = demo
    quality = by_key(rows(database, "select * from main.data_quality"), "table_name")
    reasons: dict[str, dict[str, int]] = {}
    for row in rows(database, "select * from main.data_quality_reasons"):
        reasons.setdefault(row["table_name"], {})[row["reason"]] = row["set_aside_rows"]
    for table in CONTRACT_TABLES:
        assert quality[table]["raw_rows"] == generated.rows[table], table
        assert quality[table]["merged_rows"] == generated.merged[table], table
        assert reasons.get(table, {}) == generated.set_aside[table], table


HEADLINE = (
    (PROJECT_DIR / "docs" / "report-json.md").read_text().split("Headline metrics in `kpis`")[1]
)


def test_campaign_kpis_has_every_headline_metric_of_the_report_spec(demo):
    _, database = demo
    names = [c for c in rows(database, "select * from main.campaign_kpis limit 1")[0]]
    listed = [n.strip(" .\n") for n in HEADLINE.split(":", 1)[1].split(",")]
    assert names == ["campaign_id", *listed]


@pytest.mark.parametrize(
    "table, figure",
    [
        ("kpis_by_sku", "units_shipped"),
        ("kpis_by_sku", "total_cost"),
        ("kpis_by_channel", "units_delivered"),
        ("kpis_by_channel", "logistics_cost"),
        ("kpis_by_segment", "total_cost"),
    ],
)
def test_shipment_figures_of_a_breakdown_add_up_to_the_campaign(demo, table, figure):
    # Units and costs go to exactly one SKU, channel and segment (holdout recipients get
    # no shipment in the demo), unlike recipients, who count in every SKU they received.
    _, database = demo
    campaign = {r["campaign_id"]: r[figure] for r in rows(database, "from main.campaign_kpis")}
    summed = rows(database, f"select campaign_id, sum({figure}) as s from main.{table} group by 1")
    assert len(summed) == len(campaign) == 2
    for row in summed:
        assert float(row["s"]) == pytest.approx(float(campaign[row["campaign_id"]]), rel=1e-12)


def test_docs_generate_describes_every_model_and_column(tiny, tmp_path):
    import json

    from dbt.cli.main import dbtRunner

    from goodies_report.build import dbt_environment

    vars_ = {"raw_mode": "files", "raw_data_dir": str(FIXTURES / "tiny"), "as_of": AS_OF}
    settings = Settings(project_dir=PROJECT_DIR, target="duckdb", duckdb_path=tiny, dbt_vars=vars_)
    args = settings.dbt_args()
    args[args.index("--target-path") + 1] = str(tmp_path / "docs")
    with dbt_environment(settings):
        result = dbtRunner().invoke(["docs", "generate", *args])
    assert result.success, result.exception
    manifest = json.loads((tmp_path / "docs" / "manifest.json").read_text())
    catalog = json.loads((tmp_path / "docs" / "catalog.json").read_text())
    undescribed = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or node["package_name"] != "goodies":
            continue
        if not node["description"].strip():
            undescribed.append(node["name"])
        described = {n.lower() for n, c in node["columns"].items() if c["description"].strip()}
        for column in catalog["nodes"][unique_id]["columns"]:
            if column.lower() not in described:
                undescribed.append(f"{node['name']}.{column}")
    assert undescribed == []


# --- column_rules: the single-table tests of a model folded into one query ------------------

FOLDED = (
    "not_null", "accepted_range", "accepted_values", "unique", "unique_combination",
    "relationships",
)  # fmt: skip


def test_every_model_with_column_tests_has_its_column_rules(tiny):
    manifest = json.loads((PROJECT_DIR / "target" / "duckdb" / "manifest.json").read_text())
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    kind = {t["unique_id"]: (t.get("test_metadata") or {}).get("name") for t in tests}
    folded_on = {t["attached_node"] for t in tests if kind[t["unique_id"]] in FOLDED}
    checked = {t["attached_node"] for t in tests if kind[t["unique_id"]] == "column_rules"}
    assert len(folded_on) > 50 and folded_on == checked


def test_a_report_build_runs_column_rules_instead_of_the_column_tests(breaches):
    run = json.loads((PROJECT_DIR / "target" / "duckdb" / "run_results.json").read_text())
    ran = [r["unique_id"].split(".")[2] for r in run["results"]]
    assert not [name for name in ran if name.startswith(tuple(f"{kind}_" for kind in FOLDED))]
    assert len([name for name in ran if name.startswith("column_rules_")]) > 50


def test_column_rules_finds_what_the_column_tests_find(demo, tmp_path):
    """Break a few values of a built demo, then run each column test and each model's
    column_rules: the same tests fail, with the same count of failures, `where` configs and a
    bound read from a var included."""
    from dbt.cli.main import dbtRunner

    generated, built = demo
    database = tmp_path / "broken.duckdb"
    shutil.copy(built, database)
    con = duckdb.connect(str(database))
    try:
        # (table, column, new value, which rows, how many); fct_codes is a view of
        # int_codes__activated, whose rows are broken for it
        codes = "int_codes__activated"
        broken = [
            # 2 leads of the 90-day window lose is_code_tracked; one of 14 days does too,
            # where the test does not look (its config says window_days = 90)
            ("fct_leads", "is_code_tracked", "null", "window_days = 90", 2),
            ("fct_leads", "is_code_tracked", "null", "window_days = 14", 1),
            # 3 activated codes without days_to_activation, and one not activated (allowed)
            (codes, "days_to_activation", "null", "is_activated", 3),
            (codes, "days_to_activation", "null", "not is_activated", 1),
            # a finding on 29 answers, under var min_cell_size (30)
            ("segment_findings", "n", "29", "true", 1),
            # a delivery rate over 1 and two negative CPLs
            ("kpis_by_sku", "delivery_rate", "1.5", "delivery_rate is not null", 1),
            ("kpis_by_sku", "cpl_90d", "-1", "cpl_90d is not null", 2),
            # a SKU's figures for a campaign that does not exist (dim_campaigns, an
            # ancestor), and two shipments set aside for a reason the contract lacks (its
            # seed, which every column_rules test waits for)
            ("kpis_by_sku", "campaign_id", "'C-NOWHERE'", "true", 1),
            ("int_shipments__checked", "set_aside_reason", "'lost_in_the_post'", "true", 2),
        ]
        for table, column, value, where, n in broken:
            con.execute(
                f"update main.{table} set {column} = {value} where rowid in "
                f"(select rowid from main.{table} where {where} limit {n})"
            )
        # two more codes take the first code: one duplicated value
        con.execute(
            f"update main.{codes} set code = (select min(code) from main.{codes}) "
            f"where code in (select code from main.{codes} order by code limit 2 offset 1)"
        )
        # three codes on channels nobody ships by, two of them on the same one
        con.execute(
            f"update main.{codes} set channel = case when code = (select max(code) from "
            f"main.{codes}) then 'carrier_pigeon' else 'smoke_signal' end where code in "
            f"(select code from main.{codes} order by code desc limit 3)"
        )
        # a kept shipment takes the key of another kept one (the test looks at kept rows
        # only), and a shipment set aside takes the key of a third
        kept = "select shipment_id from main.int_shipments__checked where is_kept"
        con.execute(
            f"update main.int_shipments__checked set shipment_id = ({kept} order by "
            f"shipment_id limit 1) where shipment_id = ({kept} order by shipment_id "
            "limit 1 offset 1)"
        )
        con.execute(
            f"update main.int_shipments__checked set shipment_id = ({kept} order by "
            "shipment_id desc limit 1) where shipment_id = (select min(shipment_id) from "
            "main.int_shipments__checked where not is_kept)"
        )
        # a counted response answers for the recipient of another (the test looks at
        # counted responses only), and a response not counted for the recipient of a third
        counted = (
            "select campaign_id, recipient_id, response_id from main.fct_responses "
            "where is_counted and recipient_id is not null order by response_id"
        )
        for taker, giver in (
            (f"{counted} limit 1 offset 1", f"{counted} limit 1"),
            (
                "select response_id from main.fct_responses where not is_counted "
                "order by response_id limit 1",
                f"{counted} limit 1 offset 2",
            ),
        ):
            con.execute(
                "update main.fct_responses set campaign_id = giver.campaign_id, "
                f"recipient_id = giver.recipient_id from ({giver}) as giver "
                f"where fct_responses.response_id = (select response_id from ({taker}))"
            )
    finally:
        con.close()

    settings = Settings(
        project_dir=PROJECT_DIR,
        target="duckdb",
        duckdb_path=database,
        dbt_vars={"raw_mode": "files", "raw_data_dir": str(generated.out_dir), "as_of": AS_OF},
    )
    models = [
        "fct_leads", "fct_codes", "segment_findings", "kpis_by_sku", "int_shipments__checked",
        "fct_responses",
    ]  # fmt: skip
    with dbt_environment(settings):
        res = dbtRunner().invoke(
            ["test", *settings.dbt_args(), "--store-failures", "--select", *models,
             "--exclude-resource-type", "unit_test"]
        )  # fmt: skip
    assert res.exception is None
    run = json.loads((PROJECT_DIR / "target" / "duckdb" / "run_results.json").read_text())
    manifest = json.loads((PROJECT_DIR / "target" / "duckdb" / "manifest.json").read_text())

    each_failed: dict[str, int] = {}
    folded_said: dict[str, int] = {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        for result in run["results"]:
            node = manifest["nodes"][result["unique_id"]]
            kind = (node.get("test_metadata") or {}).get("name")
            if kind in FOLDED and result["status"] == "fail":
                each_failed[node["name"]] = result["failures"]
            elif kind == "column_rules":
                assert result["status"] == "fail", node["name"]
                for name, failing in con.execute(
                    f"select test_name, failures from {result['relation_name']}"
                ).fetchall():
                    folded_said[name] = failing
    finally:
        con.close()

    failed = sorted((*manifest_column(manifest, name), n) for name, n in each_failed.items())
    assert failed == [
        ("fct_codes", "accepted_values", "channel", 2),
        ("fct_codes", "not_null", "days_to_activation", 3),
        ("fct_codes", "unique", "code", 1),
        ("fct_leads", "not_null", "is_code_tracked", 2),
        ("fct_responses", "unique_combination", "campaign_id, recipient_id", 1),
        ("int_shipments__checked", "relationships", "set_aside_reason", 2),
        ("int_shipments__checked", "unique", "shipment_id", 1),
        ("kpis_by_sku", "accepted_range", "cpl_90d", 2),
        ("kpis_by_sku", "accepted_range", "delivery_rate", 1),
        ("kpis_by_sku", "relationships", "campaign_id", 1),
        ("segment_findings", "accepted_range", "n", 1),
    ]
    assert folded_said == each_failed


def manifest_column(manifest: dict, test_name: str) -> tuple[str, str, str]:
    """The model, kind and column (or columns) of a test."""
    node = next(n for n in manifest["nodes"].values() if n["name"] == test_name)
    model = manifest["nodes"][node["attached_node"]]["name"]
    metadata = node["test_metadata"]
    columns = metadata["kwargs"].get("columns") or [metadata["kwargs"]["column_name"]]
    return model, metadata["name"], ", ".join(columns)


def editable_project(tmp_path: Path) -> Path:
    """A copy of the dbt project that a test may edit."""
    project = tmp_path / "project"
    for name in ("models", "macros", "tests", "seeds"):
        shutil.copytree(PROJECT_DIR / name, project / name)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, project / name)
    return project


def tiny_settings(project: Path, database: Path) -> Settings:
    """The tiny fixture folder built with `project` into `database`."""
    return Settings(
        project_dir=project,
        target="duckdb",
        duckdb_path=database,
        dbt_vars={"raw_mode": "files", "raw_data_dir": str(FIXTURES / "tiny"), "as_of": AS_OF},
    )


def test_a_relationship_to_a_table_not_yet_built_stops_column_rules(tmp_path):
    """fct_returns points to dim_campaigns, which is not one of its ancestors: without
    dim_campaigns in the `after` of its column_rules, that test could run before the table
    is built, so it refuses to compile and says what to add."""
    from dbt.cli.main import dbtRunner

    project = editable_project(tmp_path)
    schema = project / "models" / "marts" / "core" / "_core__models.yml"
    text = schema.read_text(encoding="utf-8")
    entry = text.index("  - name: fct_returns\n")
    after = (
        "      - column_rules:\n"
        "          arguments:\n"
        "            # tables its relationships point to, built before it runs\n"
        "            after:\n"
        "              - ref('dim_campaigns')\n"
    )
    assert text.index(after, entry) < text.index("  - name:", entry + 1)
    schema.write_text(
        text[:entry] + text[entry:].replace(after, "      - column_rules\n", 1), encoding="utf-8"
    )

    settings = tiny_settings(project, tmp_path / "order.duckdb")
    with dbt_environment(settings):
        res = dbtRunner().invoke(
            ["compile", *settings.dbt_args(), "--select", "test_name:column_rules,fct_returns"]
        )
    assert not res.success
    message = str(res.exception) if res.exception else res.result.results[0].message
    assert "relationships_fct_returns_campaign_id" in message, message
    assert "add ref('dim_campaigns') to that test's `after` argument" in message, message


def test_a_column_test_left_unfolded_fails_the_build(tmp_path):
    """A model whose column tests have no column_rules beside them: the report build would
    leave those tests out, so tests/quality/assert_column_tests_are_folded.sql fails,
    naming each of them."""
    from dbt.cli.main import dbtRunner

    project = editable_project(tmp_path)
    schema = project / "models" / "marts" / "core" / "_core__models.yml"
    text = schema.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    entry = lines.index("  - name: dim_campaigns\n")
    folded = lines.index("      - column_rules\n", entry)
    assert not any(line.startswith("  - name:") for line in lines[entry + 1 : folded])
    # its data_tests list, or the one line of it
    alone = lines[folded - 1] == "    data_tests:\n" and not lines[folded + 1].startswith("      -")
    start = folded - 1 if alone else folded
    schema.write_text("".join(lines[:start] + lines[folded + 1 :]), encoding="utf-8")

    settings = tiny_settings(project, tmp_path / "guard.duckdb")
    with dbt_environment(settings):
        res = dbtRunner().invoke(
            ["build", *settings.dbt_args(), "--select", "assert_column_tests_are_folded",
             "--store-failures"]
        )  # fmt: skip
    assert res.exception is None and not res.success
    [status] = [
        r.status for r in res.result.results if r.node.name == "assert_column_tests_are_folded"
    ]
    assert status == "fail"
    con = duckdb.connect(str(tmp_path / "guard.duckdb"), read_only=True)
    try:
        named = [row[0] for row in con.execute(
            "select unfolded_test from main_dbt_test__audit.assert_column_tests_are_folded"
        ).fetchall()]  # fmt: skip
    finally:
        con.close()
    manifest = json.loads((project / "target" / "duckdb" / "manifest.json").read_text())
    expected = sorted(
        f"{n['name']} on model.goodies.dim_campaigns"
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        and n.get("attached_node") == "model.goodies.dim_campaigns"
        and "column_rule" in n["tags"]
    )
    assert len(expected) == 3 and sorted(named) == expected
