"""Report assembly and rendering on a hand-written marts database: no dbt involved."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import HEADLINE

from goodies_report import build, render, report, warehouse
from goodies_report.build import InputError, Settings


@pytest.fixture
def model(settings: Settings) -> dict:
    return report.build_report(settings, validated=True, generated_at="2026-06-30T09:12:44Z")


def campaign(model: dict, campaign_id: str) -> dict:
    return next(c for c in model["campaigns"] if c["campaign_id"] == campaign_id)


# --- the report model ------------------------------------------------------------------


def test_top_level_keys_and_values(model: dict) -> None:
    assert list(model) == ["as_of", "generated_at", "validated", "data_quality", "campaigns"]
    assert model["as_of"] == "2026-06-30"
    assert model["generated_at"] == "2026-06-30T09:12:44Z"
    assert model["validated"] is True


def test_generated_at_is_utc_iso_with_z(settings: Settings) -> None:
    generated = report.build_report(settings, validated=False)["generated_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", generated)


def test_campaigns_sorted_with_dates_as_iso_text(model: dict) -> None:
    assert [c["campaign_id"] for c in model["campaigns"]] == ["C1", "C2"]
    c1 = campaign(model, "C1")
    assert {k: c1[k] for k in report.CAMPAIGN_KEYS} == {
        "campaign_id": "C1",
        "campaign_name": "Spring *launch* été",
        "currency": "EUR",
        "start_date": "2026-03-01",
        "end_date": "2026-03-31",
    }
    assert c1["timing"] == {
        "postmortem_due": "2026-04-14",
        "followup_due": "2026-06-29",
        "days_since_end": 91,
        "stage": "followup",
    }


def test_every_kpi_column_flows_through_decimals_as_numbers(model: dict) -> None:
    kpis = campaign(model, "C1")["kpis"]
    assert list(kpis) == HEADLINE  # every column of campaign_kpis, in its order
    assert {name: value for name, value in kpis.items() if value is not None} == {
        "units_shipped": 1200,
        "units_delivered": 1150,
        "delivery_rate": 0.9583333333,
        "item_cost": 14400.0,
        "logistics_cost": 3012.5,
        "total_cost": 17412.5,
        "logistics_cost_per_unit": 2.5104166667,
        "nps": 41.5,
    }
    assert type(kpis["item_cost"]) is float  # decimal(18, 2) in the warehouse
    assert type(kpis["units_shipped"]) is int


def test_nulls_stay_null(model: dict) -> None:
    kpis = campaign(model, "C2")["kpis"]
    assert kpis["delivery_rate"] is None
    assert kpis["logistics_cost_per_unit"] is None
    assert kpis["nps"] is None
    assert kpis["units_delivered"] == 0  # zero is a figure, not a null


def test_data_quality_per_table_with_reasons(model: dict) -> None:
    assert model["data_quality"] == {
        "campaigns": {
            "raw": 3,
            "kept": 2,
            "merged": 0,
            "set_aside": 1,
            "reasons": {"bad_value": 1},
            "required": True,
            "present": True,
        },
        "leads": {
            "raw": 0,
            "kept": 0,
            "merged": 0,
            "set_aside": 0,
            "reasons": {},
            "required": False,
            "present": False,
        },
        "shipments": {
            "raw": 1510,
            "kept": 1500,
            "merged": 6,
            "set_aside": 4,
            "reasons": {"duplicate_key": 1, "unknown_recipient": 3},
            "required": True,
            "present": True,
        },
    }


def test_campaign_filter(settings: Settings) -> None:
    model = report.build_report(settings, validated=True, campaign_ids=["C2"])
    assert [c["campaign_id"] for c in model["campaigns"]] == ["C2"]


def test_unknown_campaign_lists_the_known_ones(settings: Settings) -> None:
    with pytest.raises(InputError) as raised:
        report.build_report(settings, validated=True, campaign_ids=["C1", "X"])
    assert str(raised.value) == "no campaign 'X'; known campaigns: C1, C2"


def test_as_of_must_match_the_marts(settings: Settings) -> None:
    import datetime as dt

    with pytest.raises(InputError) as raised:
        report.build_report(settings, validated=True, as_of=dt.date(2026, 7, 1))
    assert str(raised.value) == (
        "the marts were built for as_of 2026-06-30, not 2026-07-01; "
        "rebuild (drop --skip-build) or pass --as-of 2026-06-30"
    )


def test_json_text_keeps_order_and_non_ascii(model: dict) -> None:
    text = report.to_json(model)
    assert "Spring *launch* été" in text  # ensure_ascii=False
    assert text.startswith('{\n  "as_of": "2026-06-30",\n')
    assert json.loads(text) == model


def test_json_puts_each_comment_on_a_line_of_its_own(model: dict) -> None:
    c1 = campaign(model, "C1")
    # a comment shaped like the structure between two comments
    tricky = {"responded_at": "2026-04-04T09:00:00Z", "nps_score": 5, "comment": '}, {"x'}
    c1["comments"].append(tricky)
    text = report.to_json(model)
    assert json.loads(text) == model
    lines = text.splitlines()
    opening = lines.index('      "comments": [')
    assert lines[opening + 1 : opening + 5] == [
        '        {"responded_at": "2026-04-01T09:00:00Z", "nps_score": 9, "comment": "Great mug"},',
        '        {"responded_at": "2026-04-02T10:00:00Z", "nps_score": 3, '
        '"comment": "Trop cher <b>vraiment</b> | [phone]"},',
        '        {"responded_at": "2026-04-04T09:00:00Z", "nps_score": 5, "comment": "}, {\\"x"}',
        "      ],",
    ]
    assert '      "comments": [],' in lines  # C2 has none: indented as ever


def test_json_value_conversions() -> None:
    import datetime as dt
    from decimal import Decimal

    assert report.json_value(Decimal("12.50")) == 12.5
    assert report.json_value(float("nan")) is None
    assert report.json_value(dt.date(2026, 1, 2)) == "2026-01-02"
    stamp = dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert report.json_value(stamp) == "2026-01-02T08:00:00Z"
    assert report.json_value(True) is True


# --- reading the warehouse -------------------------------------------------------------


def test_read_table_only_reads_mart_tables(settings: Settings) -> None:
    with pytest.raises(ValueError, match="not a mart table"):
        warehouse.read_table(settings, "dim_campaigns; drop table x")


def test_read_table_without_a_warehouse(tmp_path: Path, project_dir: Path) -> None:
    missing = tmp_path / "none.duckdb"
    with pytest.raises(warehouse.WarehouseError) as raised:
        warehouse.read_table(Settings(project_dir, "duckdb", missing), "dim_campaigns")
    assert str(raised.value) == (
        f"no warehouse at {missing}; build it first (run without --skip-build)"
    )


def test_read_table_reads_the_columns_and_rows_asked_for(settings: Settings) -> None:
    rows = warehouse.read_table(
        settings, "fct_responses", columns=("response_id", "nps_score"), present="comment_masked"
    )
    assert sorted(rows, key=lambda r: r["response_id"]) == [
        {"response_id": "V1", "nps_score": 9},
        {"response_id": "V2", "nps_score": 3},
    ]  # V3 has no comment
    with pytest.raises(ValueError, match="not a column name"):
        warehouse.read_table(settings, "fct_responses", columns=("nps_score; drop table x",))
    with pytest.raises(ValueError, match="not a column name"):
        warehouse.read_table(settings, "fct_responses", present="1=1 or comment_masked")


def test_comments_read_alike_from_duckdb_and_through_dbt(
    settings: Settings, marts_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB writes the times and sorts; through dbt (other engines), Python does: the same
    rows in the same order, ties within a second, a missing time and an empty text too."""
    import duckdb

    with duckdb.connect(str(marts_db)) as con:
        con.execute(
            """insert into main.fct_responses values
            ('V9', 'C1', null, '2026-04-01 09:00:00.75', 7, 'later in the same second'),
            ('V0', 'C1', null, '2026-04-01 09:00:00.75', 8, 'same time, smaller id'),
            ('V5', 'C2', null, null, 6, 'no time'),
            ('V6', 'C2', null, '2026-04-05 09:00:00', 6, '')"""
        )
    direct = warehouse.read_comments(settings)
    assert [(c, r["comment"]) for c, rows in direct.items() for r in rows] == [
        ("C1", "Great mug"),
        ("C1", "same time, smaller id"),
        ("C1", "later in the same second"),
        ("C1", "Trop cher <b>vraiment</b> | [phone]"),
        ("C2", "no time"),
    ]
    assert direct["C1"][1] == {
        "responded_at": "2026-04-01T09:00:00Z",
        "nps_score": 8,
        "comment": "same time, smaller id",
    }
    assert direct["C2"] == [{"responded_at": None, "nps_score": 6, "comment": "no time"}]

    def through_dbt(settings: Settings, name: str, sql: str) -> list[dict]:
        # what dbt show would run, on the same file
        return warehouse._read_duckdb(
            settings, name, sql.replace("{{ ref('fct_responses') }}", "main.fct_responses")
        )

    monkeypatch.setattr(warehouse, "_adapter", lambda settings: "postgres")
    monkeypatch.setattr(warehouse, "_read_through_dbt", through_dbt)
    generic = warehouse.read_comments(settings)
    assert generic == direct and list(generic) == list(direct)


def test_reading_shares_one_connection_and_releases_the_file(
    settings: Settings, marts_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    opened = []
    connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: opened.append(a) or connect(*a, **k))
    with warehouse.reading(settings):
        kpis = warehouse.read_table(settings, "campaign_kpis")
        campaigns = warehouse.read_table(settings, "dim_campaigns")
    assert len(opened) == 1 and len(kpis) == len(campaigns) == 2
    warehouse.read_table(settings, "dim_campaigns")  # outside it, a read opens its own
    assert len(opened) == 2
    monkeypatch.undo()
    with duckdb.connect(str(marts_db)) as con:  # read-write: nobody holds the file
        assert con.execute("select count(*) from main.dim_campaigns").fetchone() == (2,)


def test_read_table_without_the_table(settings: Settings, marts_db: Path) -> None:
    import duckdb

    with duckdb.connect(str(marts_db)) as con:
        con.execute("drop table main.campaign_kpis")
    with pytest.raises(warehouse.WarehouseError, match=r"table main\.campaign_kpis not found"):
        report.build_report(settings, validated=True)


# --- rendering -------------------------------------------------------------------------


def test_each_environment_keeps_its_own_escaping_across_runs(tmp_path: Path) -> None:
    """The sentences' plain environment and the Markdown one read the same templates, and
    Jinja caches compiled templates on disk by name: Markdown must still be escaped, the
    plain text not, cache cold or warm."""
    templates = render.templates_dir(tmp_path)
    templates.mkdir(parents=True)
    (templates / "_shared.j2").write_text("{{ value }}", encoding="utf-8")
    value = "a | <b>"
    for _ in range(2):  # the second time, from the compiled cache
        plain = render._environment(tmp_path).get_template("_shared.j2").render(value=value)
        md = render.markdown_environment(tmp_path).get_template("_shared.j2").render(value=value)
        assert (plain, md) == ("a | <b>", r"a \| \<b\>")


def test_filters() -> None:
    assert render.percent(0.95833) == "95.8%"
    assert render.percent(None) == "n/a"
    assert render.money(17412.5, "EUR") == "17,412.50 EUR"
    assert render.money(None, "EUR") == "n/a"
    assert render.count(1510) == "1,510"
    assert render.count(None) == "n/a"
    assert render.md_escape("a | b *c* <d>") == r"a \| b \*c\* \<d\>"


def test_html_autoescapes_and_is_self_contained(model: dict, project_dir: Path) -> None:
    html = render.render(model, ["html"], project_dir)["report.html"]
    assert "<script>" not in html
    assert "Fall | &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<style>" in html
    # nothing to fetch: the only links are the campaign switcher's and the charts' clip
    # paths, within the page
    assert not re.search(r"""src\s*=|href\s*=\s*"(?!#)|@import|url\((?!#)""", html)
    assert re.search(r'href="#campaign-2"', html)


def test_html_shows_figures_stage_and_quality(model: dict, project_dir: Path) -> None:
    html = render.render(model, ["html"], project_dir)["report.html"]
    assert "As of Jun 30, 2026" in html
    assert "Validated" in html
    assert "17,412.50 EUR" in html  # total cost of C1
    assert "95.8%" in html  # delivery rate of C1
    assert "2.51 EUR" in html  # logistics cost per unit of C1
    assert "<strong>Still running</strong>" in html  # C2
    assert "duplicate_key: 1; unknown_recipient: 3" in html


def test_markdown_escapes_text_values(model: dict, project_dir: Path) -> None:
    md = render.render(model, ["md"], project_dir)["report.md"]
    assert r"### Fall \| \<script\>alert\(1\)\</script\> (C2)" in md
    assert r"### Spring \*launch\* été (C1)" in md
    assert "| Total cost | 17,412.50 EUR |" in md
    assert "| Delivery rate | n/a |" in md  # C2
    assert r"| shipments | 1,510 | 1,500 | 6 | 4 | duplicate\_key: 1; unknown\_recipient: 3 |" in md
    assert "**Still running**" in md


def test_not_validated_is_said(settings: Settings, project_dir: Path) -> None:
    model = report.build_report(settings, validated=False)
    assert "**Not validated**" in render.render(model, ["md"], project_dir)["report.md"]


def test_write_reports_writes_every_format(model: dict, tmp_path: Path, project_dir: Path) -> None:
    out = tmp_path / "out"
    written = render.write_reports(model, ["json", "md", "html"], out, project_dir)
    # the pages bring the exports (test_exports.py) with them
    names = ["actions.csv", "catalog_updates.csv", "debrief.ics", "revised_forecast.csv"]
    names = sorted(names + ["report.html", "report.json", "report.md"])
    assert sorted(p.name for p in written) == names
    assert sorted(p.name for p in out.iterdir()) == names
    written_json = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert written_json == render.with_sentences(model, project_dir)


def test_failed_rendering_writes_nothing(model: dict, tmp_path: Path, project_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("old")
    broken = {k: v for k, v in model.items() if k != "validated"}
    with pytest.raises(Exception, match="validated"):
        # json renders first and fine; html then fails on the missing key
        render.write_reports(broken, ["json", "html"], out, project_dir)
    assert [p.name for p in out.iterdir()] == ["report.json"]
    assert (out / "report.json").read_text() == "old"


def test_failed_write_leaves_no_temporary_file(
    model: dict, tmp_path: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"

    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "replace", refuse)
    with pytest.raises(build.GoodiesError, match=f"cannot write the report to {out}: disk full"):
        render.write_reports(model, ["json", "md"], out, project_dir)
    assert list(out.iterdir()) == []


# --- build outcomes, without running dbt -----------------------------------------------


def test_dbt_message_keeps_the_cause() -> None:
    message = (
        "Compilation Error in model stg_x (models/stg_x.sql)\n"
        "  required file missing: /data/campaigns.csv\n  \n  > in macro raw_file"
    )
    assert build.dbt_message(message) == (
        "Compilation Error: required file missing: /data/campaigns.csv"
    )
    assert build.dbt_message("Got 2 results, configured to fail if != 0") == (
        "Got 2 results, configured to fail if != 0"
    )


def test_summarise_counts_and_names_failures() -> None:
    def node(kind: str, name: str, status: str, message: str | None = None) -> SimpleNamespace:
        return SimpleNamespace(
            status=status, message=message, node=SimpleNamespace(resource_type=kind, name=name)
        )

    results = SimpleNamespace(
        results=[
            node("model", "stg_a", "success"),
            node("test", "unique_a", "pass"),
            node("test", "not_null_b", "fail", "Got 3 results, configured to fail if != 0"),
            node("model", "fct_b", "skipped"),
        ]
    )
    outcome = build.summarise(results)
    assert not outcome.success and not outcome.validated
    assert (outcome.models_passed, outcome.tests_passed, outcome.tests_total) == (1, 1, 2)
    assert outcome.describe_failure() == (
        "dbt build failed: 1 node(s) failed\n"
        "  test not_null_b (fail): Got 3 results, configured to fail if != 0\n"
        "  (1 node(s) skipped because of these)"
    )


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        (None, False),  # no file
        ([], False),
        ([{"unique_id": "model.goodies.a", "status": "success"}], False),  # no test
        (
            [
                {"unique_id": "model.goodies.a", "status": "success"},
                {"unique_id": "test.goodies.t", "status": "pass"},
            ],
            True,
        ),
        (
            [
                {"unique_id": "model.goodies.a", "status": "success"},
                {"unique_id": "test.goodies.t", "status": "warn"},
            ],
            False,
        ),
    ],
)
def test_validated_from_run_results(tmp_path: Path, results: list | None, expected: bool) -> None:
    path = tmp_path / "run_results.json"
    if results is not None:
        path.write_text(json.dumps({"results": results}))
    assert build.validated_from_run_results(path) is expected


def test_breakdowns_forecast_and_comments_per_campaign(model: dict) -> None:
    c1 = next(c for c in model["campaigns"] if c["campaign_id"] == "C1")
    assert [row["sku"] for row in c1["breakdowns"]["sku"]] == ["MUG", "TEE"]
    mug = c1["breakdowns"]["sku"][0]
    assert (mug["units_shipped"], mug["cpl_14d"], mug["cpl_90d"], mug["nps"]) == (
        1000, 12.25, 10.0, 60.0,
    )  # fmt: skip
    assert mug["activation_rate"] is None and "budget_variance" not in mug
    assert c1["breakdowns"]["variant"] == []
    assert c1["forecast"][1] == {
        "sku": "MUG", "channel": "event", "measure": "units", "actual": 1000.0,
        "forecast": 2000.0, "variance": -1000.0, "relative_variance": -0.5,
    }  # fmt: skip
    assert c1["revised_forecast"] == [
        {"sku": "MUG", "channel": "event", "units": 1000, "leads_per_unit": 0.02,
         "conversions_per_unit": 0.005, "cost_per_unit": 14.5},
    ]  # fmt: skip
    # comments in time order, responses without a comment left out
    assert [c["comment"] for c in c1["comments"]] == [
        "Great mug", "Trop cher <b>vraiment</b> | [phone]",
    ]  # fmt: skip
    c2 = next(c for c in model["campaigns"] if c["campaign_id"] == "C2")
    assert c2["breakdowns"]["sku"] == [] and c2["forecast"] == [] and c2["comments"] == []


def test_html_escapes_comments_and_shows_breakdowns(model: dict, project_dir: Path) -> None:
    html = render.render(model, ["html"], project_dir)["report.html"]
    assert "Trop cher &lt;b&gt;vraiment&lt;/b&gt;" in html
    assert "<b>vraiment" not in html
    assert "<td>MUG</td>" in html and "12.25 EUR" in html


def test_comparisons_suppliers_and_verdicts_per_campaign(model: dict) -> None:
    c1 = next(c for c in model["campaigns"] if c["campaign_id"] == "C1")
    assert [r["window_days"] for r in c1["incrementality"]] == [14, 90]
    assert c1["incrementality"][1]["ci_low"] == 0.07
    assert c1["suppliers"][1] == {
        "supplier": "SwiftGoods", "delivered_shipments": 400, "on_time_rate": 0.57,
        "median_lead_time_days": 7.5, "defect_rate": 0.01, "on_time_target": 0.95,
        "max_lead_time_days": 7, "max_defect_rate": 0.02, "breaches": ["on_time", "lead_time"],
    }  # fmt: skip
    assert c1["suppliers"][0]["breaches"] == ["defect"]
    assert c1["ab_tests"][0]["significant"] is True and c1["ab_tests"][0]["reference"] == "A"
    # findings first, by q-value
    assert [(f["segment"], f["finding"]) for f in c1["segment_findings"]] == [
        ("enterprise", True), ("smb", False),
    ]  # fmt: skip
    assert [v["verdict"] for v in c1["sku_verdicts"]] == ["keep", "retire"]


def test_reports_show_comparisons_suppliers_and_verdicts(model: dict, project_dir: Path) -> None:
    files = render.render(model, ["html", "md"], project_dir)
    assert (
        '<span class="bad">on_time</span>, <span class="bad">lead_time</span>'
        in files["report.html"]
    )
    assert "| on\\_time, lead\\_time |" in files["report.md"]
    for text in files.values():
        assert "SwiftGoods" in text
    assert "1 finding(s) among 2 cells tested" in files["report.html"]
    # in Markdown, labels are escaped like values: the parentheses carry backslashes
    assert r"1 finding\(s\) among 2 cells tested" in files["report.md"]
    # the catalog update of TEE says which rule decided it and the test that supports it
    html_row = "<td>retire</td><td>high defect rate; defect_rate q &lt; 0.001</td>"
    assert html_row in files["report.html"]
    assert r"| TEE | retire | high defect rate; defect\_rate q \< 0.001 |" in files["report.md"]


def test_insights_actions_and_checklist_in_report_json(model: dict, project_dir: Path) -> None:
    c1 = render.with_sentences(model, project_dir)["campaigns"][0]
    # ranked as the mart ranks them, keyed as report-json.md names them
    assert [(i["rank"], i["kind"]) for i in c1["insights"]] == [
        (1, "segment_sku"), (2, "supplier_on_time"), (3, "late_conversions"),
    ]  # fmt: skip
    first = c1["insights"][0]
    assert (first["subject"], first["value"], first["baseline"], first["p_value"]) == (
        "PWR", 0.333, 0.079, 1e-14,
    )  # fmt: skip
    assert first["text"] == (
        "PWR works in segment <b>enterprise</b>: 33.3% of its 189 recipients there became "
        "leads, against 7.9% for the rest of the segment (q < 0.001)."
    )
    assert c1["insights"][1]["text"] == (
        "SwiftGoods delivered 57.8% of its shipments on time, against a target of 95.0%."
    )
    assert [(a["priority"], a["kind"], a["owner_team"], a["due"], a["insight_rank"])
            for a in c1["actions"]] == [
        (1, "retarget_segment", "marketing", "2026-05-14", 1),
        (2, "renegotiate_delivery_sla", "logistics", "2026-05-29", 2),
    ]  # fmt: skip
    assert c1["actions"][0]["title"] == "Send PWR to more of segment <b>enterprise</b>"
    assert [(c["item"], c["done"], c["why"]) for c in c1["checklist"]] == [
        ("kpi_dashboard", True, "Every headline figure is computed and every data test passed."),
        ("multidiscipline_postmortem", False,
         "The post-mortem was due; missing from the debrief: purchasing, logistics."),
        ("action_plan", True, "Every action has an owner team and a deadline."),
    ]  # fmt: skip
    assert [u["update_to"] for u in c1["catalog_updates"]] == ["keep", "retire"]  # MUG, TEE
    assert len(c1["cpl_levers"]) == 2


def test_a_dashboard_not_validated_is_not_done(settings: Settings, project_dir: Path) -> None:
    model = report.build_report(settings, validated=False)
    checklist = render.with_sentences(model, project_dir)["campaigns"][0]["checklist"]
    assert (checklist[0]["item"], checklist[0]["done"], checklist[0]["reason"]) == (
        "kpi_dashboard", False, "not_validated",
    )  # fmt: skip
    c2 = render.with_sentences(model, project_dir)["campaigns"][1]
    assert c2["checklist"][0]["why"] == "Not computed: nps, defect_rate."
    assert c2["insights"] == [] and c2["actions"] == []


def test_insight_and_action_text_is_escaped(model: dict, project_dir: Path) -> None:
    files = render.render(model, ["html", "md"], project_dir)
    html, md = files["report.html"], files["report.md"]
    assert "segment &lt;b&gt;enterprise&lt;/b&gt;" in html
    assert "<b>enterprise</b>" not in html
    assert r"segment \<b\>enterprise\</b\>" in md
    # the top five, the playbook and the checklist are in both formats
    for text in (html, md):
        assert "Top five insights" in text
        assert "Action playbook" in text
        assert "Post-mortem checklist" in text
        assert "Catalog updates" in text
        assert "CPL levers" in text


SECTIONS = {
    "en": [
        "Top five insights", "KPI dashboard", "Forecast against actual",
        "Performance by SKU and channel", "A/B learnings", "Segment findings",
        "Incrementality (holdout)", "Supplier scorecard", "CPL levers", "Action playbook",
        "Catalog updates", "Revised forecast for the next campaign", "Post-mortem checklist",
        "Data quality", "Definitions",
    ],
    "fr": [
        "Les cinq enseignements principaux", "Tableau de bord des KPI",
        "Prévisionnel contre réalisé", "Performance par article et par canal",
        "Enseignements des tests A/B", "Résultats par segment",
        "Incrémentalité (groupe témoin)", "Fiche des fournisseurs", "Leviers du coût par lead",
        "Plan d’action", "Mises à jour du catalogue",
        "Prévisionnel révisé pour la prochaine campagne", "Liste de contrôle du post-mortem",
        "Qualité des données", "Définitions",
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", render.LANGUAGES)
def test_both_languages_render_every_section_in_order(model, project_dir, lang) -> None:
    files = render.render(model, ["html", "md"], project_dir, lang)
    html, md = files["report.html"], files["report.md"]
    assert f'<html lang="{lang}">' in html
    c1 = html.index("campaign-1")
    positions = [html.index(f">{title}</h", c1) for title in SECTIONS[lang][:-2]]
    assert positions == sorted(positions)  # the order of the debrief
    for title in SECTIONS[lang][-2:]:
        assert f"<h2>{title}</h2>" in html
    for title in SECTIONS[lang]:
        assert render.md_escape(title) in md


def test_every_label_of_the_templates_has_a_french_translation(project_dir) -> None:
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    with (project_dir / "reports" / "locales" / "fr.po").open("rb") as handle:
        catalog = read_po(handle)
    wanted = set()
    for name in ("report.html.j2", "report.md.j2"):
        path = render.templates_dir(project_dir) / name
        options = {"extensions": "jinja2.ext.i18n"}
        wanted |= {
            m[1] for m in extract_from_file("jinja2.ext:babel_extract", path, options=options)
        }
    # the dashboard's labels and definitions go through _() as variables
    env = render.markdown_environment(project_dir)
    dashboard = env.get_template("_dashboard.j2").make_module()
    for rows in (dashboard.quantitative, dashboard.qualitative, dashboard.breakdown_columns):
        wanted |= {label for _, label in rows}
    wanted |= {text for pair in dashboard.definitions for text in pair}
    untranslated = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == []


def test_french_numbers_amounts_dates_and_sentences(model, project_dir) -> None:
    html = render.render(model, ["html"], project_dir, "fr")["report.html"]
    assert "17\u202f412,50 EUR" in html  # total cost of C1
    assert "95,8\u00a0%" in html  # its delivery rate
    assert "Au 30 juin 2026" in html
    french = render.with_sentences(model, project_dir, "fr")["campaigns"][0]
    assert french["insights"][1]["text"] == (
        "SwiftGoods a livré 57,8\u00a0% de ses envois à l'heure, pour un objectif de 95,0\u00a0%."
    )
    assert french["actions"][0]["title"] == "Envoyer PWR à davantage du segment <b>enterprise</b>"
    assert french["checklist"][1]["why"] == (
        "Le post-mortem est dû ; absents du débrief : achats, logistique."
    )
    # a word of the data the catalog knows is translated, escaped like any other value
    assert "<td>logistique</td>" in html


def test_an_unknown_language_is_refused(model, project_dir) -> None:
    with pytest.raises(ValueError, match="unknown language 'de'; languages: en, fr"):
        render.render(model, ["html"], project_dir, "de")
