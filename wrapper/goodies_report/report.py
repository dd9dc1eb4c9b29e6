"""The report model (shared/spec/report-json.md) assembled from the marts.

Nothing here computes a figure: rows are selected and reshaped, values turned into JSON
values (Decimal -> number, date -> ISO 8601, null stays null).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from goodies_report.build import InputError, Settings
from goodies_report.warehouse import (
    WarehouseError,
    read_comments,
    read_table,
    reading,
    utc_text,
)

TIMING_KEYS = ("postmortem_due", "followup_due", "days_since_end", "stage")
# report.json's breakdown dimension -> the mart holding it
BREAKDOWNS = {
    "sku": "kpis_by_sku",
    "channel": "kpis_by_channel",
    "segment": "kpis_by_segment",
    "variant": "kpis_by_variant",
}
FORECAST_KEYS = ("sku", "channel", "measure", "actual", "forecast", "variance", "relative_variance")
REVISED_KEYS = (
    "sku", "channel", "units", "leads_per_unit", "conversions_per_unit", "cost_per_unit",
)  # fmt: skip
INCREMENTALITY_KEYS = (
    "window_days", "sent_n", "sent_rate", "holdout_n", "holdout_rate", "lift", "ci_low",
    "ci_high",
)  # fmt: skip
AB_TEST_KEYS = (
    "metric", "variant", "reference", "n", "reference_n", "rate", "rate_ci_low",
    "rate_ci_high", "reference_rate", "difference", "ci_low", "ci_high", "p_value",
    "significant", "final",
)  # fmt: skip
FINDING_KEYS = ("segment", "sku", "n", "rate", "rest_rate", "p_value", "q_value", "finding")
SUPPLIER_KEYS = (
    "supplier", "delivered_shipments", "on_time_rate", "median_lead_time_days", "defect_rate",
    "on_time_target", "max_lead_time_days", "max_defect_rate",
)  # fmt: skip
# supplier_scorecard's breach flags -> report-json.md's breach names
BREACHES = {
    "is_on_time_breached": "on_time",
    "is_lead_time_breached": "lead_time",
    "is_defect_breached": "defect",
}
CAMPAIGN_KEYS = ("campaign_id", "campaign_name", "currency", "start_date", "end_date")
# report.json's key -> the column of insights / actions / checklist it is read from; the
# sentences (text, title, why) are written from these by the templates (render.py)
INSIGHT_COLUMNS = {
    "rank": "insight_rank", "kind": "kind", "subject_dimension": "subject_dimension",
    "subject": "subject", "segment": "segment", "metric": "metric", "detail": "detail",
    "value": "value", "baseline": "baseline", "baseline_kind": "baseline_kind",
    "direction": "direction", "n": "n", "p_value": "p_value", "q_value": "q_value",
    "claims_difference": "claims_difference", "final": "is_final", "impact": "impact",
    "top_five": "is_top_five",
}  # fmt: skip
ACTION_COLUMNS = {
    "priority": "priority", "kind": "action_kind", "owner_team": "owner_team", "due": "due",
    "insight_rank": "insight_rank", "insight_kind": "insight_kind",
    "subject_dimension": "subject_dimension", "subject": "subject", "segment": "segment",
    "direction": "direction", "detail": "detail",
}  # fmt: skip
CHECKLIST_COLUMNS = {"item": "item", "done": "done", "reason": "reason", "detail": "detail"}
NPS_DISTRIBUTION_COLUMNS = {"score": "nps_score", "respondents": "respondents"}


def json_value(value: Any) -> Any:
    """A warehouse value as a JSON value."""
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        return utc_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _by_campaign(rows: Iterable[Mapping[str, Any]], table: str) -> dict[str, Mapping[str, Any]]:
    indexed: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        key = str(row["campaign_id"])
        if key in indexed:
            raise WarehouseError(f"{table} has more than one row for campaign {key!r}")
        indexed[key] = row
    return indexed


def _data_quality(settings: Settings) -> dict[str, dict[str, Any]]:
    reasons: dict[str, dict[str, Any]] = {}
    for row in read_table(settings, "data_quality_reasons"):
        table_reasons = reasons.setdefault(str(row["table_name"]), {})
        table_reasons[str(row["reason"])] = json_value(row["set_aside_rows"])
    quality: dict[str, dict[str, Any]] = {}
    for row in sorted(read_table(settings, "data_quality"), key=lambda r: str(r["table_name"])):
        table = str(row["table_name"])
        quality[table] = {
            "raw": json_value(row["raw_rows"]),
            "kept": json_value(row["kept_rows"]),
            "merged": json_value(row["merged_rows"]),
            "set_aside": json_value(row["set_aside_rows"]),
            "reasons": dict(sorted(reasons.get(table, {}).items())),
            "required": json_value(row["is_required"]),
            "present": json_value(row["is_present"]),
        }
    return quality


def _rows_by_campaign(
    rows: Iterable[Mapping[str, Any]], keys: Sequence[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by campaign_id, without it, their values as JSON values."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        wanted = keys or [key for key in row if key != "campaign_id"]
        record = {key: json_value(row[key]) for key in wanted}
        grouped.setdefault(str(row["campaign_id"]), []).append(record)
    return grouped


def _sorted(records: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: tuple(str(r.get(k) or "") for k in keys))


def _suppliers(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """The supplier scorecard, its breach flags as the list report-json.md names."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in read_table(settings, "supplier_scorecard"):
        record = {key: json_value(row[key]) for key in SUPPLIER_KEYS}
        record["breaches"] = [name for flag, name in BREACHES.items() if row[flag]]
        grouped.setdefault(str(row["campaign_id"]), []).append(record)
    return grouped


def _renamed(
    rows: Iterable[Mapping[str, Any]], columns: Mapping[str, str], order: str
) -> dict[str, list[dict[str, Any]]]:
    """Rows grouped by campaign, keyed as report.json names them, sorted by `order`."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (str(r["campaign_id"]), r[order])):
        record = {key: json_value(row[column]) for key, column in columns.items()}
        grouped.setdefault(str(row["campaign_id"]), []).append(record)
    return grouped


def _checklist(rows: list[dict[str, Any]], validated: bool) -> list[dict[str, Any]]:
    """The checklist items; the KPI dashboard is validated only if the build's tests passed,
    which the warehouse cannot know."""
    items = []
    for item in rows:
        item = dict(item)
        if item["item"] == "kpi_dashboard" and item["done"] and not validated:
            item.update(done=False, reason="not_validated", detail=None)
        items.append(item)
    return items


def select_campaigns(known: Iterable[str], wanted: Sequence[str]) -> list[str]:
    """The campaign ids to report, sorted; every wanted id must be known."""
    known_sorted = sorted(set(known))
    if not wanted:
        return known_sorted
    unknown = [c for c in dict.fromkeys(wanted) if c not in known_sorted]
    if unknown:
        names = ", ".join(repr(c) for c in unknown)
        listing = ", ".join(known_sorted) or "none"
        noun = "campaign" if len(unknown) == 1 else "campaigns"
        raise InputError(f"no {noun} {names}; known campaigns: {listing}")
    return sorted(set(wanted))


def _as_of(timing_rows: Sequence[Mapping[str, Any]], asked: dt.date | None) -> str | None:
    """The date the marts were built for; it must be the one asked for, if any."""
    built = sorted({json_value(row["as_of"]) for row in timing_rows})
    asked_text = asked.isoformat() if asked else None
    if len(built) > 1:
        raise WarehouseError(f"campaign_timing holds several as_of dates: {', '.join(built)}")
    if built and asked_text and built[0] != asked_text:
        raise InputError(
            f"the marts were built for as_of {built[0]}, not {asked_text}; "
            f"rebuild (drop --skip-build) or pass --as-of {built[0]}"
        )
    return built[0] if built else asked_text


def build_report(
    settings: Settings,
    *,
    validated: bool,
    as_of: dt.date | None = None,
    campaign_ids: Sequence[str] = (),
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The report dict, per report-json.md, for the campaigns asked for (all by default)."""
    with reading(settings):
        campaigns = _by_campaign(read_table(settings, "dim_campaigns"), "dim_campaigns")
        selected = select_campaigns(campaigns, campaign_ids)
        timing_rows = read_table(settings, "campaign_timing")
        timing = _by_campaign(timing_rows, "campaign_timing")
        kpis = _by_campaign(read_table(settings, "campaign_kpis"), "campaign_kpis")
        breakdowns = {
            dimension: _rows_by_campaign(read_table(settings, table))
            for dimension, table in BREAKDOWNS.items()
        }
        forecast = _rows_by_campaign(read_table(settings, "forecast_vs_actual"), FORECAST_KEYS)
        revised = _rows_by_campaign(read_table(settings, "revised_forecast"), REVISED_KEYS)
        comments = read_comments(settings)
        incrementality = _rows_by_campaign(
            read_table(settings, "incrementality"), INCREMENTALITY_KEYS
        )
        suppliers = _suppliers(settings)
        ab_tests = _rows_by_campaign(read_table(settings, "ab_tests"), AB_TEST_KEYS)
        findings = _rows_by_campaign(read_table(settings, "segment_findings"), FINDING_KEYS)
        verdicts = _rows_by_campaign(read_table(settings, "sku_verdicts"))
        insights = _renamed(read_table(settings, "insights"), INSIGHT_COLUMNS, "insight_rank")
        actions = _renamed(read_table(settings, "actions"), ACTION_COLUMNS, "priority")
        checklist = _renamed(read_table(settings, "checklist"), CHECKLIST_COLUMNS, "item_order")
        catalog = _rows_by_campaign(read_table(settings, "catalog_updates"))
        levers = _rows_by_campaign(read_table(settings, "cpl_levers"))
        nps_distribution = _renamed(
            read_table(settings, "nps_distribution"), NPS_DISTRIBUTION_COLUMNS, "nps_score"
        )

        report_campaigns = []
        for campaign_id in selected:
            for table, rows in (("campaign_timing", timing), ("campaign_kpis", kpis)):
                if campaign_id not in rows:
                    raise WarehouseError(f"{table} has no row for campaign {campaign_id!r}")
            campaign = {key: json_value(campaigns[campaign_id][key]) for key in CAMPAIGN_KEYS}
            campaign["timing"] = {key: json_value(timing[campaign_id][key]) for key in TIMING_KEYS}
            campaign["kpis"] = {
                key: json_value(value)
                for key, value in kpis[campaign_id].items()
                if key != "campaign_id"
            }
            campaign["breakdowns"] = {
                dimension: _sorted(rows.get(campaign_id, []), dimension)
                for dimension, rows in breakdowns.items()
            }
            campaign["forecast"] = _sorted(
                forecast.get(campaign_id, []), "sku", "channel", "measure"
            )
            campaign["revised_forecast"] = _sorted(revised.get(campaign_id, []), "sku", "channel")
            campaign["incrementality"] = sorted(
                incrementality.get(campaign_id, []), key=lambda r: r["window_days"]
            )
            campaign["suppliers"] = _sorted(suppliers.get(campaign_id, []), "supplier")
            campaign["ab_tests"] = _sorted(ab_tests.get(campaign_id, []), "metric", "variant")
            campaign["segment_findings"] = sorted(
                findings.get(campaign_id, []),
                key=lambda r: (r["q_value"] is None, r["q_value"] or 0, r["segment"], r["sku"]),
            )
            campaign["sku_verdicts"] = _sorted(verdicts.get(campaign_id, []), "sku")
            campaign["insights"] = insights.get(campaign_id, [])
            campaign["actions"] = actions.get(campaign_id, [])
            campaign["checklist"] = _checklist(checklist.get(campaign_id, []), validated)
            campaign["catalog_updates"] = _sorted(catalog.get(campaign_id, []), "sku")
            campaign["cpl_levers"] = _sorted(
                levers.get(campaign_id, []), "lever", "dimension", "member", "metric"
            )
            campaign["comments"] = comments.get(campaign_id, [])
            campaign["nps_distribution"] = nps_distribution.get(campaign_id, [])
            report_campaigns.append(campaign)

        return {
            "as_of": _as_of(timing_rows, as_of),
            "generated_at": generated_at or utc_now(),
            "validated": bool(validated),
            "data_quality": _data_quality(settings),
            "campaigns": report_campaigns,
        }


def to_json(report: Mapping[str, Any]) -> str:
    """report.json's text: indented, keys in the model's order, UTF-8 as is; each comment on
    a line of its own. Python indents JSON with its slow pure-Python encoder, which spent
    most of a second on a million recipients' comments; they go through the fast one."""
    marker = secrets.token_hex(16)  # no text of the report can hold it by chance
    campaigns = []
    lists = {}
    for index, campaign in enumerate(report.get("campaigns", [])):
        if isinstance(campaign.get("comments"), list) and campaign["comments"]:
            placeholder = f"{marker}-{index}"
            lists[json.dumps(placeholder)] = campaign["comments"]
            campaign = {**campaign, "comments": placeholder}
        campaigns.append(campaign)
    text = json.dumps({**report, "campaigns": campaigns}, indent=2, ensure_ascii=False)
    for quoted, comments in lists.items():
        start = text.index(quoted)
        indent = start - text.rindex("\n", 0, start) - 1 - len('"comments": ')
        item = "\n" + " " * (indent + 2)
        # One call for the whole list, then a line break before each comment: `}, {"` can
        # only be structure, since a quote inside a text is written \".
        compact = json.dumps(comments, ensure_ascii=False)[1:-1]
        lines = compact.replace('}, {"', "}," + item + '{"')
        block = "[" + item + lines + "\n" + " " * indent + "]"
        text = text[:start] + block + text[start + len(quoted) :]
    return text + "\n"
