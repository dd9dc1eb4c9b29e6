"""The exports beside the report pages: CSV text cell by cell, formula-proof; the calendar
read back with icalendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar
import pytest

from goodies_report import exports, render, report
from goodies_report.build import Settings

# A report dict as render.with_sentences leaves it, written by hand: two campaigns, hostile
# texts where a person could type them (titles, owner teams, SKUs).
REPORT = {
    "as_of": "2026-06-30",
    "generated_at": "2026-06-30T09:12:44Z",
    "validated": True,
    "data_quality": {},
    "campaigns": [
        {
            "campaign_id": "C1",
            "campaign_name": "Spring, \"mugs\"",
            "currency": "EUR",
            "timing": {"postmortem_due": "2026-04-14", "followup_due": "2026-06-29",
                       "days_since_end": 91, "stage": "followup"},
            "insights": [
                {"rank": 1, "kind": "segment_sku", "subject": "PWR", "impact": 7402.0,
                 "top_five": True, "text": "PWR works in segment enterprise."},
                {"rank": 2, "kind": "supplier_on_time", "subject": "SwiftGoods",
                 "impact": -12.5, "top_five": True, "text": "-5 points on time, SwiftGoods."},
            ],
            "actions": [
                {"priority": 1, "kind": "retarget_segment",
                 "title": '=HYPERLINK("http://evil.example","click")', "owner_team": "marketing",
                 "due": "2026-05-14", "insight_rank": 1},
                {"priority": 2, "kind": "renegotiate_delivery_sla", "title": "+1 supplier",
                 "owner_team": "@SUM(A1)", "due": "2026-05-29", "insight_rank": 2},
                {"priority": 3, "kind": "review", "title": "Check the\tsheet",
                 "owner_team": "\tops", "due": "2026-06-01", "insight_rank": None},
            ],
            "catalog_updates": [
                {"sku": "-0.5", "update_to": "retire", "rule_verdict": "retire",
                 "reason": "significant", "p_value": 1e-09, "is_active": True,
                 "variance": -0.5},
            ],
            "revised_forecast": [
                {"sku": "MUG", "channel": "event", "units": 1000, "leads_per_unit": -0.48,
                 "conversions_per_unit": None, "cost_per_unit": 14.5},
            ],
            "checklist": [],
        },
        {
            "campaign_id": "C2",
            "campaign_name": "Fall\x1b[31m",
            "currency": "USD",
            # 2026-08-03 is a Monday: the working day before is Friday 31 July
            "timing": {"postmortem_due": "2026-08-03", "followup_due": "2026-10-13",
                       "days_since_end": -15, "stage": "running"},
            "insights": [],
            "actions": [],
            "catalog_updates": [],
            "revised_forecast": [
                {"sku": "=cmd|' /C calc'!A0", "channel": "\rmail", "units": 0,
                 "leads_per_unit": 0.0, "conversions_per_unit": 0.0, "cost_per_unit": 3.0},
            ],
            "checklist": [],
        },
    ],
}  # fmt: skip


def test_actions_csv_is_exact_and_formula_proof() -> None:
    assert exports.render_exports(REPORT)["actions.csv"] == (
        "campaign_id,priority,title,owner_team,due,insight_rank,insight,kind\r\n"
        'C1,1,"\'=HYPERLINK(""http://evil.example"",""click"")",marketing,2026-05-14,1,'
        "PWR works in segment enterprise.,retarget_segment\r\n"
        "C1,2,'+1 supplier,'@SUM(A1),2026-05-29,2,"
        '"\'-5 points on time, SwiftGoods.",renegotiate_delivery_sla\r\n'
        "C1,3,Check the\tsheet,'\tops,2026-06-01,,,review\r\n"
    )


def test_revised_forecast_csv_keeps_numbers_numeric() -> None:
    assert exports.render_exports(REPORT)["revised_forecast.csv"] == (
        "campaign_id,currency,sku,channel,units,leads_per_unit,conversions_per_unit,"
        "cost_per_unit\r\n"
        "C1,EUR,MUG,event,1000,-0.48,,14.5\r\n"
        "C2,USD,'=cmd|' /C calc'!A0,\"'\rmail\",0,0.0,0.0,3.0\r\n"
    )


def test_catalog_updates_csv_decides_by_type_not_by_text() -> None:
    text = exports.render_exports(REPORT)["catalog_updates.csv"]
    assert text == (
        "campaign_id,currency,sku,update_to,rule_verdict,reason,p_value,is_active,variance\r\n"
        "C1,EUR,'-0.5,retire,retire,significant,1e-09,true,-0.5\r\n"
    )
    # as a spreadsheet importer reads it back: the SKU is the text "-0.5", the variance -0.5
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert (row["sku"], float(row["variance"])) == ("'-0.5", -0.5)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-0.5, "-0.5"),
        (-12, "-12"),
        (0.1, "0.1"),
        (None, ""),
        (False, "false"),
        ("-0.5", "'-0.5"),
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert exports.csv_cell(value) == cell


def _events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_calendar_has_the_debrief_and_the_follow_up_of_each_campaign() -> None:
    events = _events(exports.render_exports(REPORT)["debrief.ics"])
    assert [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in events] == [
        ('Debrief: Spring, "mugs" (C1)', dt.date(2026, 4, 13), dt.date(2026, 4, 14)),
        ('Follow-up review: Spring, "mugs" (C1)', dt.date(2026, 6, 29), dt.date(2026, 6, 30)),
        ("Debrief: Fall\ufffd[31m (C2)", dt.date(2026, 7, 31), dt.date(2026, 8, 1)),
        ("Follow-up review: Fall\ufffd[31m (C2)", dt.date(2026, 10, 13), dt.date(2026, 10, 14)),
    ]
    assert {e.decoded("dtstamp") for e in events} == {
        dt.datetime(2026, 6, 30, 9, 12, 44, tzinfo=dt.UTC)
    }
    assert len({str(e["uid"]) for e in events}) == 4
    assert str(events[0]["description"]) == (
        "Post-mortem due 2026-04-14.\nLeading insights:\n"
        "1. PWR works in segment enterprise.\n2. -5 points on time, SwiftGoods."
    )
    assert str(events[1]["description"]).splitlines() == [
        "Actions to review:",
        '1. =HYPERLINK("http://evil.example","click") (marketing, due 2026-05-14)',
        "2. +1 supplier (@SUM(A1), due 2026-05-29)",
        "3. Check the\tsheet (\tops, due 2026-06-01)",
    ]
    assert str(events[3]["description"]) == "No action to review."


def test_calendar_uids_are_stable_between_reports() -> None:
    later = {**REPORT, "generated_at": "2026-07-01T08:00:00Z"}
    uids = [str(e["uid"]) for e in _events(exports.to_ics(REPORT))]
    assert [str(e["uid"]) for e in _events(exports.to_ics(later))] == uids


@pytest.mark.parametrize(
    ("due", "debrief"),
    [
        ("2026-04-14", "2026-04-13"),  # Tuesday -> Monday
        ("2026-08-03", "2026-07-31"),  # Monday -> Friday
        ("2026-08-02", "2026-07-31"),  # Sunday -> Friday
        ("2026-08-01", "2026-07-31"),  # Saturday -> Friday
    ],
)
def test_debrief_is_the_working_day_before_the_post_mortem_is_due(due: str, debrief: str) -> None:
    assert exports.debrief_date({"postmortem_due": due}) == dt.date.fromisoformat(debrief)


def test_a_campaign_without_due_dates_has_no_event() -> None:
    campaign = {**REPORT["campaigns"][1], "timing": {"postmortem_due": None, "followup_due": None}}
    assert _events(exports.to_ics({**REPORT, "campaigns": [campaign]})) == []


EXPORT_NAMES = ["actions.csv", "catalog_updates.csv", "debrief.ics", "revised_forecast.csv"]


def test_exports_come_with_the_pages_not_with_json_alone(
    settings: Settings, project_dir: Path, tmp_path: Path
) -> None:
    model = report.build_report(settings, validated=True, generated_at="2026-06-30T09:12:44Z")
    render.write_reports(model, ["json"], tmp_path / "json", project_dir)
    assert [p.name for p in (tmp_path / "json").iterdir()] == ["report.json"]
    written = render.write_reports(model, ["md"], tmp_path / "md", project_dir)
    names = sorted(EXPORT_NAMES + ["report.md"])
    assert sorted(p.name for p in written) == names
    assert sorted(p.name for p in (tmp_path / "md").iterdir()) == names
    # from conftest's marts, after with_sentences: the title and the insight are sentences
    c1 = render.with_sentences(model, project_dir)["campaigns"][0]
    with open(tmp_path / "md" / "actions.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["campaign_id"], r["priority"], r["owner_team"], r["due"]) for r in rows] == [
        ("C1", "1", "marketing", "2026-05-14"),
        ("C1", "2", "logistics", "2026-05-29"),
    ]
    assert rows[0]["title"] == c1["actions"][0]["title"] != "retarget_segment"
    assert rows[0]["insight"] == c1["insights"][0]["text"]
    assert rows[0]["insight"].startswith("PWR works in segment <b>enterprise</b>")
