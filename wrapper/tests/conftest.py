"""Fixtures of the wrapper's tests: a hand-written marts database, small project folders."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest

import goodies_report
from goodies_report.build import Settings

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]

# The headline figures of report-json.md, in its order.
HEADLINE = """
units_shipped units_delivered delivered_recipients delivered_codes respondents delivery_rate
activation_rate qr_scan_rate redemption_rate median_days_to_activation leads_14d leads_90d
qualified_leads_14d qualified_leads_90d lead_rate_14d lead_rate_90d tracking_share
conversions_14d conversions_90d late_conversions conversion_rate_14d conversion_rate_90d
revenue_14d revenue_90d pipeline_14d pipeline_90d roi_14d roi_90d incremental_lift_14d
incremental_lift_90d incremental_leads_14d incremental_leads_90d incremental_cpl_14d
incremental_cpl_90d item_cost logistics_cost total_cost budget_variance logistics_cost_per_unit
cost_per_delivered_recipient cpl_14d cpl_90d qualified_cpl_14d qualified_cpl_90d nps
response_rate return_rate defect_rate forecast_wape_units
""".split()
CAMPAIGN_ONLY = {"budget_variance", "forecast_wape_units"} | {
    name for name in HEADLINE if name.startswith("incremental_")
}


def _figures_table(name: str, key: str, rows: list[dict]) -> str:
    """A kpi mart: every figure a double (money a decimal), nulls unless a row sets it."""
    figures = [f for f in HEADLINE if key == "campaign_id" or f not in CAMPAIGN_ONLY]
    types = {
        f: "decimal(18, 2)" if f in {"item_cost", "logistics_cost", "total_cost"} else "double"
        for f in figures
    }
    types.update(units_shipped="bigint", units_delivered="bigint")
    keys = ["campaign_id"] + ([key] if key != "campaign_id" else [])
    columns = ", ".join([f"{k} varchar" for k in keys] + [f"{f} {types[f]}" for f in figures])
    values = ", ".join(
        "("
        + ", ".join(repr(row[k]) for k in keys)
        + "".join(f", {row.get(f, 'null')}" for f in figures)
        + ")"
        for row in rows
    )
    return f"create table main.{name} ({columns});\ninsert into main.{name} values {values};"


# The mart tables the report reads, in the shape the dbt models give them, with rows a
# person can check by hand.
MARTS_SQL = """
create table main.dim_campaigns (
    campaign_id varchar, campaign_name varchar, currency varchar,
    start_date date, end_date date, budget decimal(18, 2)
);
insert into main.dim_campaigns values
    ('C2', 'Fall | <script>alert(1)</script>', 'USD', '2026-06-01', '2026-07-15', null),
    ('C1', 'Spring *launch* été', 'EUR', '2026-03-01', '2026-03-31', 20000.00);

create table main.campaign_timing (
    campaign_id varchar, as_of date, postmortem_due date, followup_due date,
    days_since_end integer, stage varchar
);
insert into main.campaign_timing values
    ('C1', '2026-06-30', '2026-04-14', '2026-06-29', 91, 'followup'),
    ('C2', '2026-06-30', '2026-07-29', '2026-10-13', -15, 'running');

{campaign_kpis}
create table main.data_quality (
    table_name varchar, is_required boolean, is_present boolean, raw_rows bigint,
    kept_rows bigint, merged_rows bigint, set_aside_rows bigint
);
insert into main.data_quality values
    ('campaigns', true, true, 3, 2, 0, 1),
    ('shipments', true, true, 1510, 1500, 6, 4),
    ('leads', false, false, 0, 0, 0, 0);

create table main.data_quality_reasons (table_name varchar, reason varchar, set_aside_rows bigint);
insert into main.data_quality_reasons values
    ('campaigns', 'bad_value', 1),
    ('shipments', 'unknown_recipient', 3),
    ('shipments', 'duplicate_key', 1);

create table main.set_aside_rows (
    table_name varchar, row_key varchar, reason varchar, detail varchar
);

{kpis_by_sku}
{kpis_by_channel}
create table main.kpis_by_segment as
    select 'C1' as campaign_id, 'smb' as segment, cast(1200 as bigint) as units_shipped;
create table main.kpis_by_variant as
    select 'C1' as campaign_id, 'A' as variant, cast(1200 as bigint) as units_shipped
    where false;

create table main.forecast_vs_actual (
    campaign_id varchar, sku varchar, channel varchar, measure varchar, actual double,
    forecast double, variance double, relative_variance double
);
insert into main.forecast_vs_actual values
    ('C1', 'MUG', 'event', 'units', 1000, 2000, -1000, -0.5),
    ('C1', 'MUG', 'event', 'leads', null, 40, null, null);

create table main.revised_forecast (
    campaign_id varchar, sku varchar, channel varchar, units bigint, leads_per_unit double,
    conversions_per_unit double, cost_per_unit double
);
insert into main.revised_forecast values ('C1', 'MUG', 'event', 1000, 0.02, 0.005, 14.5);

create table main.incrementality (
    campaign_id varchar, window_days integer, sent_n bigint, sent_rate double,
    holdout_n bigint, holdout_rate double, lift double, incremental_leads double,
    ci_low double, ci_high double
);
insert into main.incrementality values
    ('C1', 90, 900, 0.12, 100, 0.02, 0.10, 90.0, 0.07, 0.12),
    ('C1', 14, 900, 0.08, 100, 0.01, 0.07, 63.0, 0.04, 0.09);

create table main.supplier_scorecard (
    campaign_id varchar, supplier varchar, delivered_shipments bigint, on_time_rate double,
    median_lead_time_days double, defect_rate double, on_time_target double,
    max_lead_time_days bigint, max_defect_rate double, is_on_time_breached boolean,
    is_lead_time_breached boolean, is_defect_breached boolean
);
insert into main.supplier_scorecard values
    ('C1', 'SwiftGoods', 400, 0.57, 7.5, 0.01, 0.95, 7, 0.02, true, true, false),
    ('C1', 'NordPack', 700, 0.96, 3.0, 0.03, 0.95, 7, 0.02, false, false, true);

create table main.ab_tests (
    campaign_id varchar, metric varchar, variant varchar, reference varchar, n bigint,
    reference_n bigint, rate double, rate_ci_low double, rate_ci_high double,
    reference_rate double, difference double, ci_low double, ci_high double,
    p_value double, significant boolean, final boolean
);
insert into main.ab_tests values
    ('C1', 'lead_rate_90d', 'B', 'A', 500, 510, 0.15, 0.12, 0.18, 0.076, 0.074, 0.04,
     0.11, 0.00001, true, true);

create table main.segment_findings (
    campaign_id varchar, segment varchar, sku varchar, n bigint, rate double,
    rest_rate double, p_value double, q_value double, finding boolean
);
insert into main.segment_findings values
    ('C1', 'smb', 'MUG', 40, 0.10, 0.09, 0.8, 0.9, false),
    ('C1', 'enterprise', 'PWR', 189, 0.33, 0.079, 1e-14, 5e-13, true);

create table main.sku_verdicts (
    campaign_id varchar, sku varchar, verdict varchar, because varchar
);
insert into main.sku_verdicts values
    ('C1', 'TEE', 'retire', 'defect rate 11.9% against 1.7% for the campaign'),
    ('C1', 'MUG', 'keep', 'too few units');

create table main.insights (
    campaign_id varchar, insight_rank bigint, kind varchar, subject_dimension varchar,
    subject varchar, segment varchar, metric varchar, detail varchar, value double,
    baseline double, baseline_kind varchar, direction varchar, n bigint, p_value double,
    q_value double, claims_difference boolean, is_final boolean, impact double,
    is_top_five boolean
);
insert into main.insights values
    ('C1', 2, 'supplier_on_time', 'supplier', 'SwiftGoods', null, 'on_time_rate', null,
     0.578, 0.95, 'target', 'lower', 505, null, null, false, true, 4485.0, true),
    ('C1', 1, 'segment_sku', 'segment_sku', 'PWR', '<b>enterprise</b>', 'lead_rate_90d', null,
     0.333, 0.079, 'rest_of_segment', 'higher', 189, 1e-14, 5e-13, true, true, 7402.0, true),
    ('C1', 3, 'late_conversions', 'campaign', 'C1', null, 'late_conversions', null,
     21, 4, 'shortest_window', 'higher', null, null, null, false, true, null, true);

create table main.actions (
    campaign_id varchar, priority bigint, action_kind varchar, subject_dimension varchar,
    subject varchar, segment varchar, direction varchar, detail varchar, owner_team varchar,
    due date, insight_rank bigint, insight_kind varchar
);
insert into main.actions values
    ('C1', 2, 'renegotiate_delivery_sla', 'supplier', 'SwiftGoods', null, 'lower', null,
     'logistics', '2026-05-29', 2, 'supplier_on_time'),
    ('C1', 1, 'retarget_segment', 'segment_sku', 'PWR', '<b>enterprise</b>', 'higher', null,
     'marketing', '2026-05-14', 1, 'segment_sku');

create table main.checklist (
    campaign_id varchar, item_order bigint, item varchar, done boolean, reason varchar,
    detail varchar
);
insert into main.checklist values
    ('C1', 1, 'kpi_dashboard', true, 'complete', null),
    ('C1', 2, 'multidiscipline_postmortem', false, 'overdue', 'purchasing logistics'),
    ('C1', 3, 'action_plan', true, 'owned_and_dated', null),
    ('C2', 1, 'kpi_dashboard', false, 'figures_missing', 'nps defect_rate'),
    ('C2', 2, 'multidiscipline_postmortem', false, 'not_due', 'sales'),
    ('C2', 3, 'action_plan', true, 'no_action_needed', null);

create table main.catalog_updates (
    campaign_id varchar, sku varchar, update_to varchar, rule_verdict varchar,
    decided_by varchar, reason varchar, tested_metric varchar, p_value double,
    q_value double, cpl double, campaign_cpl double, activation_rate double,
    campaign_activation_rate double, defect_rate double, campaign_defect_rate double,
    nps double, campaign_nps double
);
insert into main.catalog_updates values
    ('C1', 'TEE', 'retire', 'retire', 'high_defect_rate', 'significant', 'defect_rate',
     1e-9, 2e-9, 55.5, 15.0, 0.3, 0.3, 0.119, 0.017, 10.0, 41.5),
    ('C1', 'MUG', 'keep', 'focus', 'efficient_and_liked', 'not_significant', null,
     null, null, 10.0, 15.0, 0.35, 0.3, 0.01, 0.017, 60.0, 41.5);

create table main.cpl_levers (
    campaign_id varchar, lever varchar, dimension varchar, member varchar, metric varchar,
    value double, baseline double
);
insert into main.cpl_levers values
    ('C1', 'object_choice', 'tier', 'premium', 'cpl_90d', 193.2, 154.2),
    ('C1', 'tracking_precision', 'campaign', 'C1', 'unit_code_share', 0.9375, null);

create table main.fct_responses (
    response_id varchar, campaign_id varchar, recipient_id varchar,
    responded_at timestamp, nps_score bigint, comment_masked varchar
);
insert into main.fct_responses values
    ('V2', 'C1', 'R2', '2026-04-02 10:00:00', 3, 'Trop cher <b>vraiment</b> | [phone]'),
    ('V1', 'C1', null, '2026-04-01 09:00:00', 9, 'Great mug'),
    ('V3', 'C1', 'R3', '2026-04-03 09:00:00', null, null);

create table main.nps_distribution (
    campaign_id varchar, nps_score integer, respondents bigint
);
insert into main.nps_distribution values
    ('C1', 10, 8), ('C1', 3, 12), ('C1', 7, 20), ('C1', 9, 30);
""".format(
    campaign_kpis=_figures_table(
        "campaign_kpis",
        "campaign_id",
        [
            {"campaign_id": "C1", "units_shipped": 1200, "units_delivered": 1150,
             "delivery_rate": 0.9583333333, "item_cost": 14400.00, "logistics_cost": 3012.50,
             "total_cost": 17412.50, "logistics_cost_per_unit": 2.5104166667, "nps": 41.5},
            {"campaign_id": "C2", "units_shipped": 300, "units_delivered": 0,
             "item_cost": 3600.00, "logistics_cost": 0.00, "total_cost": 3600.00},
        ],
    ),
    kpis_by_channel=_figures_table(
        "kpis_by_channel", "channel", [{"campaign_id": "C1", "channel": "event"}]
    ),
    kpis_by_sku=_figures_table(
        "kpis_by_sku",
        "sku",
        [
            {"campaign_id": "C1", "sku": "TEE", "units_shipped": 200, "cpl_90d": 55.5},
            {"campaign_id": "C1", "sku": "MUG", "units_shipped": 1000, "cpl_14d": 12.25,
             "cpl_90d": 10.0, "nps": 60.0},
        ],
    ),
)  # fmt: skip


@pytest.fixture
def marts_db(tmp_path: Path) -> Path:
    """A DuckDB file holding the mart tables of the interface, with hand-written rows."""
    path = tmp_path / "marts.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(MARTS_SQL)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def project_dir() -> Path:
    """The real project: its profiles.yml and templates."""
    return PROJECT_DIR


@pytest.fixture
def settings(marts_db: Path) -> Settings:
    return Settings(PROJECT_DIR, "duckdb", marts_db)


@pytest.fixture
def fake_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the real profiles and templates but its own target/ folder.

    GOODIES_PROJECT_DIR points at it, so nothing of the real project's artefacts leaks in.
    """
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT_DIR / "dbt_project.yml", root / "dbt_project.yml")
    shutil.copy(PROJECT_DIR / "profiles.yml", root / "profiles.yml")
    (root / "reports").mkdir()
    (root / "reports" / "templates").symlink_to(PROJECT_DIR / "reports" / "templates")
    monkeypatch.setenv("GOODIES_PROJECT_DIR", str(root))
    return root


# A dbt project of six tiny models with the mart tables' names and shapes, built on a
# campaigns.csv only: it lets the tests drive real dbt builds (passing, failing a test,
# failing to compile) before the real models exist, in a few seconds.
MINI_MODELS = {
    "macros/raw_file.sql": """
        {% macro raw_file(table, required_columns) %}
        {% set path = env_var('GOODIES_DATA_DIR', 'data') ~ '/' ~ table ~ '.csv' %}
        {% if execute %}
          {% set described = run_query(
              "describe select * from read_csv('" ~ path ~ "', all_varchar = true)") %}
          {% set columns = described.columns[0].values() | map('lower') | list %}
          {% for column in required_columns if column not in columns %}
            {{ exceptions.raise_compiler_error(
                table ~ '.csv lacks required column ' ~ column) }}
          {% endfor %}
        {% endif %}
        read_csv('{{ path }}', all_varchar = true)
        {% endmacro %}
    """,
    "models/dim_campaigns.sql": """
        select
            campaign_id, campaign_name, currency,
            cast(start_date as date) as start_date,
            cast(end_date as date) as end_date,
            cast(nullif(budget, '') as decimal(18, 2)) as budget
        from {{ raw_file('campaigns', ['campaign_id', 'campaign_name', 'end_date']) }}
    """,
    "models/campaign_timing.sql": """
        select
            campaign_id,
            cast('{{ env_var("GOODIES_AS_OF") }}' as date) as as_of,
            end_date + 14 as postmortem_due,
            end_date + 90 as followup_due,
            cast('{{ env_var("GOODIES_AS_OF") }}' as date) - end_date as days_since_end,
            case when cast('{{ env_var("GOODIES_AS_OF") }}' as date) <= end_date then 'running'
                else 'immature' end as stage
        from {{ ref('dim_campaigns') }}
    """,
    # every headline figure, null but for a few
    "models/campaign_kpis.sql": """
        select
            campaign_id,
            cast(10 as bigint) as units_shipped,
            cast(9 as bigint) as units_delivered,
            cast(0.9 as double) as delivery_rate,
            cast(100.5 as decimal(18, 2)) as item_cost,
            cast(20 as decimal(18, 2)) as logistics_cost,
            cast(120.5 as decimal(18, 2)) as total_cost,
    """
    + "".join(
        f"        cast(null as double) as {name},\n"
        for name in HEADLINE
        if name
        not in {
            "units_shipped",
            "units_delivered",
            "delivery_rate",
            "item_cost",
            "logistics_cost",
            "total_cost",
        }
    )
    + """        1 as mini
        from {{ ref('dim_campaigns') }}
    """,
    "models/data_quality.sql": """
        select
            'campaigns' as table_name, true as is_required, true as is_present,
            count(*) as raw_rows, count(*) as kept_rows,
            0 as merged_rows, 0 as set_aside_rows
        from {{ ref('dim_campaigns') }}
    """,
    "models/data_quality_reasons.sql": """
        select 'campaigns' as table_name, 'bad_value' as reason, 0 as set_aside_rows
        where false
    """,
    "models/set_aside_rows.sql": """
        select
            'campaigns' as table_name, 'x' as row_key, 'bad_value' as reason,
            '' as detail
        where false
    """,
    "models/kpis_by_sku.sql": "select 'C' as campaign_id, 'S' as sku where false",
    "models/kpis_by_channel.sql": "select 'C' as campaign_id, 'c' as channel where false",
    "models/kpis_by_segment.sql": "select 'C' as campaign_id, 's' as segment where false",
    "models/kpis_by_variant.sql": "select 'C' as campaign_id, 'v' as variant where false",
    "models/forecast_vs_actual.sql": """
        select 'C' as campaign_id, 'S' as sku, 'c' as channel, 'units' as measure,
            1.0 as actual, 1.0 as forecast, 0.0 as variance, 0.0 as relative_variance
        where false
    """,
    "models/revised_forecast.sql": """
        select 'C' as campaign_id, 'S' as sku, 'c' as channel, 1 as units,
            0.0 as leads_per_unit, 0.0 as conversions_per_unit, 0.0 as cost_per_unit
        where false
    """,
    "models/fct_responses.sql": """
        select 'V' as response_id, 'C' as campaign_id, null as recipient_id,
            timestamp '2026-01-01' as responded_at, 1 as nps_score,
            'x' as comment_masked
        where false
    """,
    "models/incrementality.sql": """
        select 'C' as campaign_id, 90 as window_days, 1 as sent_n, 0.0 as sent_rate,
            1 as holdout_n, 0.0 as holdout_rate, 0.0 as lift, 0.0 as ci_low, 0.0 as ci_high
        where false
    """,
    "models/supplier_scorecard.sql": """
        select 'C' as campaign_id, 'S' as supplier, 1 as delivered_shipments,
            0.0 as on_time_rate, 0.0 as median_lead_time_days, 0.0 as defect_rate,
            0.0 as on_time_target, 1 as max_lead_time_days, 0.0 as max_defect_rate,
            false as is_on_time_breached, false as is_lead_time_breached,
            false as is_defect_breached
        where false
    """,
    "models/ab_tests.sql": """
        select 'C' as campaign_id, 'm' as metric, 'B' as variant, 'A' as reference,
            1 as n, 1 as reference_n, 0.0 as rate, 0.0 as rate_ci_low, 0.0 as rate_ci_high,
            0.0 as reference_rate, 0.0 as difference, 0.0 as ci_low, 0.0 as ci_high,
            1.0 as p_value, false as significant, true as final
        where false
    """,
    "models/segment_findings.sql": """
        select 'C' as campaign_id, 's' as segment, 'S' as sku, 1 as n, 0.0 as rate,
            0.0 as rest_rate, 1.0 as p_value, 1.0 as q_value, false as finding
        where false
    """,
    "models/sku_verdicts.sql": """
        select 'C' as campaign_id, 'S' as sku, 'keep' as verdict, 'x' as because
        where false
    """,
    "models/insights.sql": """
        select 'C' as campaign_id, 1 as insight_rank, 'k' as kind,
            'campaign' as subject_dimension, 'C' as subject, null as segment, 'm' as metric,
            null as detail, 0.0 as value, 0.0 as baseline, 'campaign' as baseline_kind,
            null as direction, null as n, null as p_value, null as q_value,
            false as claims_difference, true as is_final, 0.0 as impact,
            true as is_top_five
        where false
    """,
    "models/actions.sql": """
        select 'C' as campaign_id, 1 as priority, 'k' as action_kind,
            'campaign' as subject_dimension, 'C' as subject, null as segment,
            null as direction, null as detail, 'marketing' as owner_team,
            date '2026-01-01' as due, 1 as insight_rank, 'k' as insight_kind
        where false
    """,
    "models/checklist.sql": """
        select 'C' as campaign_id, 1 as item_order, 'action_plan' as item, true as done,
            'no_action_needed' as reason, null as detail
        where false
    """,
    "models/catalog_updates.sql": """
        select 'C' as campaign_id, 'S' as sku, 'keep' as update_to
        where false
    """,
    "models/cpl_levers.sql": """
        select 'C' as campaign_id, 'l' as lever, 'tier' as dimension, 'm' as member,
            'cpl_90d' as metric, 0.0 as value, 0.0 as baseline
        where false
    """,
    "models/nps_distribution.sql": """
        select 'C' as campaign_id, 9 as nps_score, 1 as respondents
        where false
    """,
    "models/_models.yml": """
        models:
          - name: dim_campaigns
            columns:
              - name: campaign_id
                data_tests: [unique, not_null]
              - name: campaign_name
                data_tests: [not_null]
    """,
    "dbt_project.yml": """
        name: mini
        version: "0.1.0"
        config-version: 2
        profile: goodies
        vars:
          raw_mode: files
          raw_data_dir: data
          raw_schema: raw
          as_of: null
        models:
          mini:
            +materialized: table
    """,
}


@pytest.fixture(scope="session")
def mini_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini dbt project (see MINI_MODELS), with the real profiles and templates."""
    root = tmp_path_factory.mktemp("mini_project")
    for name, text in MINI_MODELS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    shutil.copy(PROJECT_DIR / "profiles.yml", root / "profiles.yml")
    (root / "reports").mkdir()
    (root / "reports" / "templates").symlink_to(PROJECT_DIR / "reports" / "templates")
    return root


def _write_raw(folder: Path, campaigns_csv: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "campaigns.csv").write_text(textwrap.dedent(campaigns_csv).lstrip())
    for table in ("skus", "recipients", "shipments"):
        (folder / f"{table}.csv").write_text(f"{table[:-1]}_id\n")
    return folder


@pytest.fixture(scope="session")
def write_raw():
    """write_raw(folder, campaigns_csv): a raw data folder holding that campaigns.csv and
    header-only files of the other required tables."""
    return _write_raw


# Raw files of the contract (shared/spec/raw-data.md), small enough to check by hand:
# CMP-1 ships 1 + 2 mugs of which 1 is delivered; CMP-2 hands 1 hoodie over at an event.
CONTRACT_FILES = {
    "campaigns.csv": [
        "campaign_id,campaign_name,start_date,end_date,currency,budget",
        "CMP-1,Spring | <i>mugs</i>,2026-03-01,2026-03-31,EUR,5000",
        "CMP-2,Autumn hoodies,2026-06-01,2026-07-15,USD,",
    ],
    "skus.csv": [
        "sku,sku_name,category,positioning,tier,unit_cost,is_active",
        "MUG,Mug,drinkware,utility,standard,4.50,true",
        "HOOD,Hoodie,apparel,visibility,premium,25.00,true",
    ],
    "recipients.csv": [
        "recipient_id,campaign_id,email,company,segment,country,variant,is_holdout",
        "R1,CMP-1,a@example.com,Acme,smb,FR,A,false",
        "R2,CMP-1,b@example.com,Beta,enterprise,DE,B,false",
        "R3,CMP-2,c@example.com,Gamma,smb,US,,false",
        "R4,CMP-2,d@example.com,Delta,smb,US,,true",
    ],
    "shipments.csv": [
        "shipment_id,campaign_id,recipient_id,sku,channel,quantity,supplier,carrier,"
        "ordered_at,shipped_at,delivered_at,status,shipping_cost,handling_cost",
        "S1,CMP-1,R1,MUG,direct_mail,1,SupA,DHL,"
        "2026-03-01,2026-03-02,2026-03-05,delivered,5.00,1.00",
        "S2,CMP-1,R2,MUG,direct_mail,2,SupA,DHL,2026-03-01,2026-03-02,,shipped,5.00,1.00",
        "S3,CMP-2,R3,HOOD,event,1,SupB,,2026-06-02,2026-06-03,2026-06-04,delivered,0,2.00",
    ],
}


def _write_contract_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in CONTRACT_FILES.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def write_contract_files():
    """write_contract_files(folder): the four required tables of the contract, by hand."""
    return _write_contract_files
