"""Tests of the demo generator.

The contract checks are written from raw-data.md, independently of the generator: a small
reference staging in Python (contract_rules.py) that merges, sets aside and keeps rows by the
six rules, so the counts the generator claims are checked against what a staging must find.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import duckdb
import pytest
from contract_rules import (
    CHANNELS,
    DATE,
    LISTED,
    kept_typed_rows,
    parse_timestamp,
    read_raw,
    reference_staging,
)
from independent_metrics import campaign_kpis

from goodies_report.generate import COLUMNS, PLANTED_EFFECTS, TABLES, generate

# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default demo: seed 7, 5,000 recipients."""
    folder = tmp_path_factory.mktemp("demo")
    generated = generate(folder)
    raw = read_raw(folder)
    kept, merged, set_aside = reference_staging(raw)
    return generated, raw, kept, merged, set_aside


def two_proportion_p(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (hits_a + hits_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (hits_a / n_a - hits_b / n_b) / se
    return math.erfc(abs(z) / math.sqrt(2))


def ts(value: str) -> datetime:
    return parse_timestamp(value)


def first_deliveries(kept) -> dict[str, datetime]:
    firsts: dict[str, datetime] = {}
    for s in kept["shipments"]:
        if s["status"] != "cancelled" and s["delivered_at"]:
            at = ts(s["delivered_at"])
            firsts[s["recipient_id"]] = min(at, firsts.get(s["recipient_id"], at))
    return firsts


def owned_leads(kept) -> dict[str, list[datetime]]:
    """Lead times per recipient, by recipient_id or by the trimmed, lower-cased e-mail."""
    by_email = defaultdict(list)
    for r in kept["recipients"]:
        if r["email"]:
            by_email[r["email"].strip().lower()].append(r["recipient_id"])
    owned = defaultdict(list)
    for lead in kept["leads"]:
        owners = (
            [lead["recipient_id"]]
            if lead["recipient_id"]
            else by_email.get(lead["email"].strip().lower(), [])
        )
        for owner in owners:
            owned[owner].append(ts(lead["created_at"]))
    return owned


def lead_within_90_days(kept) -> dict[str, bool]:
    """Per delivered, non-holdout recipient: a lead within 90 days after the delivery."""
    firsts = first_deliveries(kept)
    owned = owned_leads(kept)
    holdout = {r["recipient_id"] for r in kept["recipients"] if r["is_holdout"] in HOLDOUT_TRUE}
    return {
        rid: any(at <= t <= at + timedelta(days=90) for t in owned.get(rid, []))
        for rid, at in firsts.items()
        if rid not in holdout
    }


HOLDOUT_TRUE = {"true", "1", "TRUE", "True"}


# --- determinism and shape --------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path):
    first = generate(tmp_path / "a", seed=3, recipients=800)
    second = generate(tmp_path / "b", seed=3, recipients=800)
    for table in TABLES:
        name = f"{table}.csv"
        assert (first.out_dir / name).read_bytes() == (second.out_dir / name).read_bytes(), name
    assert first.rows == second.rows


def test_other_seed_gives_other_files(tmp_path):
    first = generate(tmp_path / "a", seed=3, recipients=800)
    second = generate(tmp_path / "b", seed=4, recipients=800)
    differing = [
        t
        for t in TABLES
        if (first.out_dir / f"{t}.csv").read_bytes() != (second.out_dir / f"{t}.csv").read_bytes()
    ]
    # every drawn table changes; the catalogs, the campaigns (sized by the argument, not
    # the seed) and the debrief stay
    assert set(differing) >= {
        "recipients",
        "shipments",
        "codes",
        "code_events",
        "leads",
        "opportunities",
        "returns",
        "survey_responses",
        "forecast",
    }


def test_all_files_with_contract_headers(demo):
    generated = demo[0]
    assert sorted(p.name for p in generated.out_dir.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    for table in TABLES:
        with open(generated.out_dir / f"{table}.csv", newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == list(COLUMNS[table])


def test_rows_reported_are_rows_written(demo):
    generated, raw = demo[0], demo[1]
    assert generated.rows == {t: len(raw[t]) for t in TABLES}
    assert generated.rows["recipients"] > 5000


def test_planted_breaches_are_what_a_staging_finds(demo):
    generated, _, _, merged, set_aside = demo
    assert merged == generated.merged
    assert {t: dict(c) for t, c in set_aside.items()} == generated.set_aside
    # every table carries at least one kind of breach
    assert all(generated.merged[t] or generated.set_aside[t] for t in TABLES)
    assert generated.merged["code_events"] == 3
    assert generated.merged["shipments"] == 2
    assert generated.set_aside["shipments"]["key_clash"] == 2
    reasons = {r for counts in generated.set_aside.values() for r in counts}
    assert reasons == {
        "key_clash",
        "missing_value",
        "invalid_type",
        "not_allowed",
        "not_positive",
        "negative_amount",
        "rate_out_of_range",
        "end_before_start",
        "shipped_before_ordered",
        "delivered_before_shipped",
        "delivered_without_shipped",
        "cancelled_with_delivery",
        "closed_before_created",
        "unknown_campaign",
        "unknown_sku",
        "unknown_recipient",
        "unknown_shipment",
        "unknown_code",
        "unknown_lead",
        "campaign_mismatch",
    }


def test_kept_rows_add_up(demo):
    generated, _, kept, _, _ = demo
    for table in TABLES:
        planted = generated.merged[table] + sum(generated.set_aside[table].values())
        assert len(kept[table]) == generated.rows[table] - planted, table


def test_small_demo_counts_hold_too(tmp_path):
    generated = generate(tmp_path, seed=11, recipients=300)
    _, merged, set_aside = reference_staging(read_raw(tmp_path))
    assert merged == generated.merged
    assert {t: dict(c) for t, c in set_aside.items()} == generated.set_aside


# --- content ----------------------------------------------------------------------------------


def test_recipients_argument_is_respected(demo, tmp_path):
    kept = demo[2]
    assert len(kept["recipients"]) == 5000
    generate(tmp_path, recipients=1234)
    _, merged, _ = reference_staging(read_raw(tmp_path))
    with open(tmp_path / "recipients.csv", encoding="utf-8") as handle:
        ids = [row["recipient_id"] for row in csv.DictReader(handle)]
    assert len([i for i in ids if re.match(r"^R[0-9]{7}$", i)]) == 1234 + merged["recipients"]


def test_holdout_is_a_tenth_and_gets_nothing(demo):
    kept = demo[2]
    for campaign in ("CMP-2026-SPRING", "CMP-2026-AUTUMN"):
        audience = [r for r in kept["recipients"] if r["campaign_id"] == campaign]
        holdout = {r["recipient_id"] for r in audience if r["is_holdout"] in HOLDOUT_TRUE}
        assert 0.07 < len(holdout) / len(audience) < 0.13
        assert not holdout & {s["recipient_id"] for s in kept["shipments"]}


def test_campaigns_and_catalog(demo):
    kept = demo[2]
    campaigns = {c["campaign_id"]: c for c in kept["campaigns"]}
    assert campaigns["CMP-2026-SPRING"]["end_date"] == "2026-04-30"
    assert campaigns["CMP-2026-AUTUMN"]["end_date"] == "2026-11-13"
    assert {c["currency"] for c in campaigns.values()} == {"EUR"}
    assert all(c["budget"] for c in campaigns.values())
    skus = kept["skus"]
    assert len(skus) >= 8
    assert {"apparel", "drinkware", "tech", "stationery"} <= {s["category"] for s in skus}
    assert {s["positioning"] for s in skus} == {"utility", "visibility"}
    assert {s["tier"] for s in skus} == {"standard", "premium"}
    assert [s["sku"] for s in skus if s["is_active"] == "false"] == ["SKU-CAP"]
    assert len(kept["suppliers"]) >= 3


def test_variety_of_rows(demo):
    kept = demo[2]
    recipients = kept["recipients"]
    assert {r["segment"] for r in recipients} == {"enterprise", "mid_market", "smb", "partner"}
    assert {r["variant"] for r in recipients} == {"A", "B", ""}
    emails = Counter(r["email"] for r in recipients if r["email"])
    assert sum(1 for count in emails.values() if count > 1) > 100
    shipments = kept["shipments"]
    statuses = Counter(s["status"] for s in shipments)
    assert set(statuses) == LISTED[("shipments", "status")]
    assert statuses["delivered"] > 0.8 * len(shipments)
    assert {s["channel"] for s in shipments} == CHANNELS
    per_recipient = Counter(s["recipient_id"] for s in shipments)
    assert sum(1 for count in per_recipient.values() if count == 2) > 100
    assert {c["code_type"] for c in kept["codes"]} == {"qr", "promo"}
    assert {r["reason"] for r in kept["returns"]} == LISTED[("returns", "reason")]
    assert {o["stage"] for o in kept["opportunities"]} == {"open", "won", "lost"}
    assert any(o["amount"] == "" for o in kept["opportunities"])


def test_timestamps_mix_the_contract_forms(demo):
    raw = demo[1]
    values = [s["ordered_at"] for s in raw["shipments"]] + [
        r["reported_at"] for r in raw["returns"]
    ]
    assert any(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", v) for v in values)
    assert any(v.endswith("Z") and "T" in v for v in values)
    assert any(v.endswith("+02:00") for v in values)
    assert any(DATE.match(v) for v in values)


def test_leads_timing_and_matching(demo):
    kept = demo[2]
    firsts = first_deliveries(kept)
    delays = [
        (ts(lead["created_at"]) - firsts[lead["recipient_id"]]).total_seconds() / 86400
        for lead in kept["leads"]
        if lead["recipient_id"] in firsts
    ]
    after = [d for d in delays if d >= 0]
    assert sum(d <= 14 for d in after) > 0.5 * len(after)
    assert any(d > 90 for d in after)
    assert any(d < 0 for d in delays)
    by_email = [lead for lead in kept["leads"] if not lead["recipient_id"]]
    assert any(lead["email"] != lead["email"].strip() for lead in by_email)
    assert any(lead["email"].strip() != lead["email"].strip().lower() for lead in by_email)
    holdout = {r["recipient_id"] for r in kept["recipients"] if r["is_holdout"] in HOLDOUT_TRUE}
    assert any(lead["recipient_id"] in holdout for lead in kept["leads"])


def test_late_conversions_exist(demo):
    kept = demo[2]
    firsts = first_deliveries(kept)
    lead_owner = {lead["lead_id"]: lead["recipient_id"] for lead in kept["leads"]}
    late = [
        o
        for o in kept["opportunities"]
        if o["stage"] == "won"
        and lead_owner[o["lead_id"]] in firsts
        and timedelta(days=14)
        < ts(o["closed_at"]) - firsts[lead_owner[o["lead_id"]]]
        <= timedelta(days=90)
    ]
    assert len(late) >= 5


def test_survey_and_debrief(demo):
    kept, raw = demo[2], demo[1]
    responses = kept["survey_responses"]
    assert any(r["nps_score"] == "" for r in responses)
    assert {r["nps_score"] for r in responses if r["nps_score"]} <= {str(i) for i in range(11)}
    twice = Counter(r["recipient_id"] for r in responses if r["recipient_id"])
    assert any(count > 1 for count in twice.values())
    comments = {r["comment"] for r in raw["survey_responses"]}
    assert any("\n" in c for c in comments)
    assert any('"' in c and "," in c for c in comments)
    assert any("<script>" in c for c in comments)
    assert any("@" in c for c in comments)
    teams = defaultdict(set)
    for row in kept["debrief_attendance"]:
        teams[row["campaign_id"]].add(row["team"])
    assert teams["CMP-2026-SPRING"] == {"marketing", "sales", "purchasing", "logistics"}
    assert teams["CMP-2026-AUTUMN"] < teams["CMP-2026-SPRING"]


# --- planted effects, computed naively ---------------------------------------------------------


def test_power_bank_lifts_enterprise_leads(demo):
    kept = demo[2]
    leads = lead_within_90_days(kept)
    segment = {r["recipient_id"]: r["segment"] for r in kept["recipients"]}
    power_bank = {
        s["recipient_id"]
        for s in kept["shipments"]
        if s["sku"] == PLANTED_EFFECTS["lifted_cell"]["sku"] and s["delivered_at"]
    }
    enterprise = [rid for rid in leads if segment[rid] == "enterprise"]
    cell = [leads[rid] for rid in enterprise if rid in power_bank]
    rest = [leads[rid] for rid in enterprise if rid not in power_bank]
    assert len(cell) >= 100
    cell_rate, rest_rate = sum(cell) / len(cell), sum(rest) / len(rest)
    assert cell_rate > 2 * rest_rate
    # significant with room to spare for Benjamini-Hochberg over ~40 cells
    assert two_proportion_p(sum(cell), len(cell), sum(rest), len(rest)) < 1e-4


def test_variant_b_beats_a(demo):
    kept = demo[2]
    leads = lead_within_90_days(kept)
    variant = {r["recipient_id"]: r["variant"] for r in kept["recipients"]}
    a = [leads[rid] for rid in leads if variant[rid] == "A"]
    b = [leads[rid] for rid in leads if variant[rid] == "B"]
    assert sum(b) / len(b) > 1.4 * sum(a) / len(a)
    assert two_proportion_p(sum(b), len(b), sum(a), len(a)) < 1e-4


def test_sent_recipients_lead_more_than_holdout(demo):
    kept = demo[2]
    owned = owned_leads(kept)
    campaign = {c["campaign_id"]: c for c in kept["campaigns"]}
    live = {s["recipient_id"] for s in kept["shipments"] if s["status"] != "cancelled"}
    groups = {"sent": [], "holdout": []}
    for r in kept["recipients"]:
        start = date.fromisoformat(campaign[r["campaign_id"]]["start_date"])
        end = date.fromisoformat(campaign[r["campaign_id"]]["end_date"]) + timedelta(days=90)
        has_lead = any(start <= t.date() <= end for t in owned.get(r["recipient_id"], []))
        if r["is_holdout"] in HOLDOUT_TRUE:
            groups["holdout"].append(has_lead)
        elif r["recipient_id"] in live:
            groups["sent"].append(has_lead)
    sent = sum(groups["sent"]) / len(groups["sent"])
    holdout = sum(groups["holdout"]) / len(groups["holdout"])
    assert sent > holdout + 0.04
    assert holdout < 0.08


def test_late_supplier_misses_its_sla(demo):
    kept = demo[2]
    targets = {s["supplier"]: s for s in kept["suppliers"]}
    on_time = defaultdict(list)
    for s in kept["shipments"]:
        if s["status"] != "cancelled" and s["delivered_at"] and s["supplier"] in targets:
            days = (ts(s["delivered_at"]) - ts(s["ordered_at"])).total_seconds() / 86400
            on_time[s["supplier"]].append(days <= int(targets[s["supplier"]]["max_lead_time_days"]))
    late = PLANTED_EFFECTS["late_supplier"]
    late_rate = sum(on_time[late]) / len(on_time[late])
    assert late_rate < 0.7 < float(targets[late]["on_time_target"])
    for supplier, flags in on_time.items():
        target = targets[supplier]["on_time_target"]
        if supplier != late and target:
            assert sum(flags) / len(flags) >= float(target), supplier


def test_defective_sku_returns(demo):
    kept = demo[2]
    sku_of = {s["shipment_id"]: s["sku"] for s in kept["shipments"]}
    delivered, defects = Counter(), Counter()
    for s in kept["shipments"]:
        if s["status"] != "cancelled" and s["delivered_at"]:
            delivered[s["sku"]] += int(s["quantity"])
    for r in kept["returns"]:
        if r["reason"] == "defect":
            defects[sku_of[r["shipment_id"]]] += int(r["quantity"])
    ceiling = max(float(s["max_defect_rate"]) for s in kept["suppliers"] if s["max_defect_rate"])
    bad = PLANTED_EFFECTS["defective_sku"]
    assert defects[bad] / delivered[bad] > 2.5 * ceiling
    others = sum(v for k, v in defects.items() if k != bad)
    assert others / sum(v for k, v in delivered.items() if k != bad) < ceiling / 2


def test_over_forecast_sku(demo):
    kept = demo[2]
    shipped, forecast = Counter(), Counter()
    for s in kept["shipments"]:
        if s["status"] != "cancelled" and s["shipped_at"]:
            shipped[s["sku"]] += int(s["quantity"])
    for f in kept["forecast"]:
        if f["sku"] in shipped:
            forecast[f["sku"]] += int(f["forecast_units"])
    over = PLANTED_EFFECTS["over_forecast_sku"]
    assert 1.8 < forecast[over] / shipped[over] < 2.2
    for sku in shipped:
        if sku not in (over, "SKU-CAP"):
            assert 0.8 < forecast[sku] / shipped[sku] < 1.2, sku


# --- other formats and bad arguments ------------------------------------------------------------


def test_parquet_holds_the_same_rows(tmp_path):
    generated = generate(tmp_path, recipients=300, file_format="parquet")
    con = duckdb.connect()
    for table in TABLES:
        path = str(tmp_path / f"{table}.parquet")
        count = con.execute("select count(*) from read_parquet(?)", [path]).fetchone()[0]
        assert count == generated.rows[table], table
        names = [d[0] for d in con.execute("select * from read_parquet(?)", [path]).description]
        assert names == list(COLUMNS[table])


def test_files_are_replaced(tmp_path):
    (tmp_path / "leads.csv").write_text("stale\n", encoding="utf-8")
    generate(tmp_path, recipients=200)
    assert (tmp_path / "leads.csv").read_text(encoding="utf-8").startswith("lead_id,")


def test_repeated_scans_add_events_and_change_no_figure(tmp_path):
    # The event-heavy case: every scanned QR code is scanned again, repeat_scans times on
    # average, always after its first scan. Only code_events changes, and only by added
    # rows; every headline figure (computed by the independent implementation) stays.
    plain = generate(tmp_path / "plain", seed=5, recipients=600)
    heavy = generate(tmp_path / "heavy", seed=5, recipients=600, repeat_scans=4)
    for table in TABLES:
        if table != "code_events":
            name = f"{table}.csv"
            assert (plain.out_dir / name).read_bytes() == (heavy.out_dir / name).read_bytes()

    plain_events = read_raw(plain.out_dir)["code_events"]
    heavy_events = read_raw(heavy.out_dir)["code_events"]

    def signatures(rows):
        # the export writes a timestamp in one of the contract's forms, picked by row
        # and exact to the minute, so the same event may be written another way once
        # events are added
        return {
            (r["code"], r["event_type"], parse_timestamp(r["event_at"]).replace(second=0))
            for r in rows
            if parse_timestamp(r["event_at"])
        }

    added = signatures(heavy_events) - signatures(plain_events)
    assert signatures(plain_events) <= signatures(heavy_events)  # nothing lost
    first_scan = {}
    for row in plain_events:
        at = parse_timestamp(row["event_at"])
        if row["event_type"] == "scan" and at:
            first_scan[row["code"]] = min(at, first_scan.get(row["code"], at))
    per_code = Counter()
    for code, kind, at in added:
        assert kind == "scan" and at >= first_scan[code].replace(second=0)
        per_code[code] += 1
    assert max(per_code.values()) <= 8  # 0 to 2 x repeat_scans more scans per code
    assert sum(per_code.values()) > len(first_scan)

    expected = campaign_kpis(*kept_typed_rows(plain.out_dir), date(2026, 12, 1))
    got = campaign_kpis(*kept_typed_rows(heavy.out_dir), date(2026, 12, 1))
    assert got == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"recipients": 99}, "between 100 and 9,999,999"),
        ({"recipients": "500"}, "whole number"),
        ({"file_format": "xlsx"}, "csv, parquet"),
        ({"seed": 1.5}, "whole number"),
        ({"repeat_scans": 101}, "from 0 to 100"),
        ({"repeat_scans": -1}, "from 0 to 100"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, arguments, message):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, **arguments)


def test_timestamps_are_on_or_before_the_export_day(demo):
    raw = demo[1]
    limit = datetime(2026, 12, 2)
    for table, column in [
        ("leads", "created_at"),
        ("opportunities", "closed_at"),
        ("code_events", "event_at"),
        ("returns", "reported_at"),
        ("survey_responses", "responded_at"),
    ]:
        times = [parse_timestamp(r[column]) for r in raw[table] if r[column]]
        assert max(t for t in times if t) < limit, table
