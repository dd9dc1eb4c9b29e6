"""The headline figures of metrics.md, computed again in plain Python for the tests.

Written from shared/spec/metrics.md and raw-data.md alone, without reading the dbt models,
so that a comparison with the campaign_kpis mart checks the SQL against the definitions
rather than against itself. The input is the kept, typed rows of contract_rules.py; every
function is small and plain so that a figure can be followed by hand.

Money is summed as Decimal (the amounts are exact decimals) and turned into float only
where a ratio is taken; days between times are seconds / 86,400 from exact timedeltas.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

DEFAULT_WINDOWS = (14, 90)
SECONDS_PER_DAY = 86_400
NPS_PROMOTER, NPS_DETRACTOR_MAX = 9, 6

# The first time of a row: the row is used when it counts. The later times of a used row
# are kept only when they count too.
FIRST_TIME = {
    "shipments": "ordered_at",
    "leads": "created_at",
    "opportunities": "created_at",
    "code_events": "event_at",
    "returns": "reported_at",
    "survey_responses": "responded_at",
}
LATER_TIMES = {
    "shipments": ("shipped_at", "delivered_at"),
    "opportunities": ("closed_at",),
}


def headline_metrics(windows: tuple[int, ...] = DEFAULT_WINDOWS) -> list[str]:
    """The headline metric names of report-json.md, in its order, for these windows."""

    def per_window(*names: str) -> list[str]:
        return [f"{name}_{w}d" for name in names for w in windows]

    return [
        "units_shipped",
        "units_delivered",
        "delivered_recipients",
        "delivered_codes",
        "respondents",
        "delivery_rate",
        "activation_rate",
        "qr_scan_rate",
        "redemption_rate",
        "median_days_to_activation",
        *per_window("leads", "qualified_leads", "lead_rate"),
        "tracking_share",
        *per_window("conversions"),
        "late_conversions",
        *per_window("conversion_rate", "revenue", "pipeline", "roi"),
        *per_window("incremental_lift", "incremental_leads", "incremental_cpl"),
        "item_cost",
        "logistics_cost",
        "total_cost",
        "budget_variance",
        "logistics_cost_per_unit",
        "cost_per_delivered_recipient",
        *per_window("cpl", "qualified_cpl"),
        "nps",
        "response_rate",
        "return_rate",
        "defect_rate",
        "forecast_wape_units",
    ]


# --- small helpers ------------------------------------------------------------------------------


def counts(moment: datetime | None, as_of: date) -> bool:
    """A time counts when its UTC date is on or before as_of."""
    return moment is not None and moment.date() <= as_of


def ratio(numerator, denominator) -> float | None:
    """numerator / denominator as a float; null when the denominator is zero or null."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def days_between(later: datetime, earlier: datetime) -> float:
    """later − earlier in days, a fraction: seconds / 86,400, exact to the microsecond."""
    delta = later - earlier
    microseconds = (delta.days * SECONDS_PER_DAY + delta.seconds) * 1_000_000
    return (microseconds + delta.microseconds) / (SECONDS_PER_DAY * 1_000_000)


def amount(value) -> Decimal:
    """A null amount inside a sum counts as 0."""
    return Decimal(0) if value is None else Decimal(value)


def normalised_email(email: str | None) -> str | None:
    """Leading and trailing spaces removed, lower-cased; None stays None."""
    return None if email is None else email.strip(" ").lower()


def cut_at(tables: dict[str, list[dict]], as_of: date) -> dict[str, list[dict]]:
    """The clock: rows whose first time counts, with later times that do not count as null.

    Campaigns, recipients, SKUs, suppliers, codes, forecasts and attendance are never cut.
    """
    cut = {}
    for table, rows in tables.items():
        first = FIRST_TIME.get(table)
        if first is None:
            cut[table] = rows
            continue
        used = []
        for row in rows:
            if not counts(row[first], as_of):
                continue
            row = dict(row)
            for column in LATER_TIMES.get(table, ()):
                if not counts(row[column], as_of):
                    row[column] = None
            used.append(row)
        cut[table] = used
    return cut


# --- the facts every figure shares --------------------------------------------------------------


@dataclass
class Facts:
    """Per-row facts after the clock, indexed the way the figures need them."""

    tables: dict[str, list[dict]]
    present: set[str]
    recipient: dict[str, dict] = field(default_factory=dict)
    shipment: dict[str, dict] = field(default_factory=dict)
    code: dict[str, dict] = field(default_factory=dict)
    # non-holdout recipients with a delivered shipment -> their earliest delivered_at
    delivery_time: dict[str, datetime] = field(default_factory=dict)
    # code -> its first qualifying event time, overall (key None) and per event type
    first_events: dict[str, dict[str | None, datetime]] = field(default_factory=dict)
    # lead_id -> the recipients who own it
    owners: dict[str, list[str]] = field(default_factory=dict)


def gather_facts(tables: dict[str, list[dict]], present: set[str], as_of: date) -> Facts:
    """The clock applied to the kept rows, then the facts shared by every campaign."""
    tables = cut_at(tables, as_of)
    facts = Facts(tables=tables, present=present)
    facts.recipient = {r["recipient_id"]: r for r in tables["recipients"]}
    facts.shipment = {s["shipment_id"]: s for s in tables["shipments"]}
    facts.code = {c["code"]: c for c in tables.get("codes", [])}

    for s in tables["shipments"]:
        rid = s["recipient_id"]
        if s["delivered_at"] is None or facts.recipient[rid]["is_holdout"]:
            continue
        earliest = facts.delivery_time.get(rid)
        if earliest is None or s["delivered_at"] < earliest:
            facts.delivery_time[rid] = s["delivered_at"]

    facts.first_events = first_qualifying_events(facts)

    by_email = defaultdict(list)
    for r in tables["recipients"]:
        if r["email"] is not None:
            by_email[normalised_email(r["email"])].append(r["recipient_id"])
    for lead in tables.get("leads", []):
        if lead["recipient_id"] is not None:
            facts.owners[lead["lead_id"]] = [lead["recipient_id"]]
        elif lead["email"] is not None:
            facts.owners[lead["lead_id"]] = by_email.get(normalised_email(lead["email"]), [])
        else:
            facts.owners[lead["lead_id"]] = []
    return facts


def first_qualifying_events(facts: Facts) -> dict[str, dict[str | None, datetime]]:
    """Per code: the first qualifying event time, overall (key None) and per event type.

    A qualifying event is a scan or redeem at or after its shipment's shipped_at (exact
    duplicates were merged by the staging); an event before the shipment left, or of a
    shipment not shipped as of as_of, does not qualify.
    """
    firsts: dict[str, dict[str | None, datetime]] = defaultdict(dict)
    for event in facts.tables.get("code_events", []):
        # a code's shipment ordered after as_of is not used yet
        shipment = facts.shipment.get(facts.code[event["code"]]["shipment_id"])
        if shipment is None or shipment["shipped_at"] is None:
            continue
        if event["event_at"] < shipment["shipped_at"]:
            continue
        for key in (None, event["event_type"]):
            known = firsts[event["code"]].get(key)
            if known is None or event["event_at"] < known:
                firsts[event["code"]][key] = event["event_at"]
    return firsts


# --- attribution --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    lead: dict
    recipient_id: str
    campaign_id: str
    delivered_at: datetime


def attribute(facts: Facts, window: int) -> dict[str, Attribution]:
    """lead_id -> who takes the lead within `window` days, for the attributed leads.

    Among the lead's owners that are delivered recipients with delivery time ≤ created_at ≤
    delivery time + window, the latest delivery takes it; ties go to the smallest
    recipient_id.
    """
    attributed = {}
    span = timedelta(days=window)
    for lead in facts.tables.get("leads", []):
        candidates = [
            (facts.delivery_time[rid], rid)
            for rid in facts.owners[lead["lead_id"]]
            if rid in facts.delivery_time
            and facts.delivery_time[rid] <= lead["created_at"] <= facts.delivery_time[rid] + span
        ]
        if not candidates:
            continue
        latest = max(at for at, _ in candidates)
        winner = min(rid for at, rid in candidates if at == latest)
        attributed[lead["lead_id"]] = Attribution(
            lead=lead,
            recipient_id=winner,
            campaign_id=facts.recipient[winner]["campaign_id"],
            delivered_at=latest,
        )
    return attributed


# --- the figures of one campaign ----------------------------------------------------------------


def campaign_figures(
    facts: Facts, campaign: dict, windows: tuple[int, ...]
) -> dict[str, float | int | None]:
    """Every headline figure of one campaign, by its metrics.md name."""
    cid = campaign["campaign_id"]
    present = facts.present
    has_codes = "codes" in present and "code_events" in present
    has_leads = "leads" in present
    has_opportunities = has_leads and "opportunities" in present
    figures: dict[str, float | int | None] = {}

    # Distribution
    shipments = [s for s in facts.tables["shipments"] if s["campaign_id"] == cid]
    live = [s for s in shipments if s["status"] != "cancelled"]
    shipped = [s for s in live if s["shipped_at"] is not None]
    units_shipped = sum(s["quantity"] for s in shipped)
    units_delivered = sum(s["quantity"] for s in live if s["delivered_at"] is not None)
    delivered = {
        rid: at
        for rid, at in facts.delivery_time.items()
        if facts.recipient[rid]["campaign_id"] == cid
    }
    figures["units_shipped"] = units_shipped
    figures["units_delivered"] = units_delivered
    figures["delivered_recipients"] = len(delivered)
    figures["delivery_rate"] = ratio(units_delivered, units_shipped)

    # Activation
    firsts = facts.first_events
    delivered_codes = [
        c
        for c in facts.tables.get("codes", [])
        if c["shipment_id"] in facts.shipment
        and facts.shipment[c["shipment_id"]]["campaign_id"] == cid
        and facts.shipment[c["shipment_id"]]["delivered_at"] is not None
    ]
    activated = [c for c in delivered_codes if None in firsts.get(c["code"], {})]
    qr_codes = [c for c in delivered_codes if c["code_type"] == "qr"]
    # metrics.md's list of figures needing codes leaves delivered_codes out, but its
    # general rule (a figure whose input table is absent is null) and raw-data.md ("every
    # figure that depends on it is reported as not available, never as zero") make a count
    # of codes null without codes.
    figures["delivered_codes"] = len(delivered_codes) if "codes" in present else None
    if has_codes:
        figures["activation_rate"] = ratio(len(activated), len(delivered_codes))
        figures["qr_scan_rate"] = ratio(
            sum("scan" in firsts.get(c["code"], {}) for c in qr_codes), len(qr_codes)
        )
        figures["redemption_rate"] = ratio(
            sum("redeem" in firsts.get(c["code"], {}) for c in delivered_codes),
            len(delivered_codes),
        )
        days = [
            days_between(firsts[c["code"]][None], facts.shipment[c["shipment_id"]]["delivered_at"])
            for c in activated
        ]
        figures["median_days_to_activation"] = statistics.median(days) if days else None
    else:
        for name in ("activation_rate", "qr_scan_rate", "redemption_rate"):
            figures[name] = None
        figures["median_days_to_activation"] = None

    # Costs
    unit_cost = {sku["sku"]: sku["unit_cost"] for sku in facts.tables["skus"]}
    shipment_ids = {s["shipment_id"] for s in shipments}
    campaign_returns = [
        r for r in facts.tables.get("returns", []) if r["shipment_id"] in shipment_ids
    ]
    item_cost = sum((s["quantity"] * unit_cost[s["sku"]] for s in shipped), Decimal(0))
    logistics_cost = sum(
        (amount(s["shipping_cost"]) + amount(s["handling_cost"]) for s in live), Decimal(0)
    ) + sum((amount(r["handling_cost"]) for r in campaign_returns), Decimal(0))
    total_cost = item_cost + logistics_cost
    figures["item_cost"] = float(item_cost)
    figures["logistics_cost"] = float(logistics_cost)
    figures["total_cost"] = float(total_cost)
    budget = campaign["budget"]
    figures["budget_variance"] = None if budget is None else float(total_cost - budget)
    figures["logistics_cost_per_unit"] = ratio(logistics_cost, units_shipped)
    figures["cost_per_delivered_recipient"] = ratio(total_cost, len(delivered))

    # Leads, conversions, incrementality
    attributions = {w: attribute(facts, w) for w in windows} if has_leads else {}
    opportunities_of = defaultdict(list)
    for opportunity in facts.tables.get("opportunities", []):
        opportunities_of[opportunity["lead_id"]].append(opportunity)
    for w in windows:
        if not has_leads:
            for name in ("leads", "qualified_leads", "lead_rate", "cpl", "qualified_cpl"):
                figures[f"{name}_{w}d"] = None
            continue
        mine = [a for a in attributions[w].values() if a.campaign_id == cid]
        qualified = [a for a in mine if a.lead["is_qualified"]]
        figures[f"leads_{w}d"] = len(mine)
        figures[f"qualified_leads_{w}d"] = len(qualified)
        figures[f"lead_rate_{w}d"] = ratio(len({a.recipient_id for a in mine}), len(delivered))
        figures[f"cpl_{w}d"] = ratio(total_cost, len(mine))
        figures[f"qualified_cpl_{w}d"] = ratio(total_cost, len(qualified))

    conversions: dict[int, list] = {}
    for w in windows:
        if not has_opportunities:
            for name in ("conversions", "conversion_rate", "revenue", "pipeline", "roi"):
                figures[f"{name}_{w}d"] = None
            continue
        mine = [a for a in attributions[w].values() if a.campaign_id == cid]
        deadline = timedelta(days=w)
        won = [
            (a, o)
            for a in mine
            for o in opportunities_of[a.lead["lead_id"]]
            if o["stage"] == "won"
            and o["closed_at"] is not None
            and o["closed_at"] <= a.delivered_at + deadline
        ]
        conversions[w] = won
        revenue = sum((amount(o["amount"]) for _, o in won), Decimal(0))
        pipeline = sum(
            (amount(o["amount"]) for a in mine for o in opportunities_of[a.lead["lead_id"]]),
            Decimal(0),
        )
        figures[f"conversions_{w}d"] = len(won)
        figures[f"conversion_rate_{w}d"] = ratio(
            len({a.recipient_id for a, _ in won}), len(delivered)
        )
        figures[f"revenue_{w}d"] = float(revenue)
        figures[f"pipeline_{w}d"] = float(pipeline)
        figures[f"roi_{w}d"] = ratio(revenue - total_cost, total_cost)
    short, long = min(windows), max(windows)
    figures["late_conversions"] = (
        len(conversions[long]) - len(conversions[short]) if has_opportunities else None
    )

    if has_leads and has_codes:
        tracked = [
            a
            for a in attributions[long].values()
            if a.campaign_id == cid and code_tracked(facts, a)
        ]
        figures["tracking_share"] = ratio(len(tracked), figures[f"leads_{long}d"])
    else:
        figures["tracking_share"] = None

    for w in windows:
        lift = incremental_lift(facts, campaign, w) if has_leads else None
        names = [f"incremental_{name}_{w}d" for name in ("lift", "leads", "cpl")]
        if lift is None:
            figures.update(dict.fromkeys(names, None))
            continue
        rate_gap, sent_n = lift
        incremental_leads = rate_gap * sent_n
        figures[names[0]] = rate_gap
        figures[names[1]] = incremental_leads
        figures[names[2]] = float(total_cost) / incremental_leads if rate_gap > 0 else None

    # Feedback and quality
    if "survey_responses" in present:
        counted = counted_responses(facts, cid)
        promoters = sum(r["nps_score"] >= NPS_PROMOTER for r in counted)
        detractors = sum(r["nps_score"] <= NPS_DETRACTOR_MAX for r in counted)
        figures["respondents"] = len(counted)
        figures["nps"] = ratio(100 * (promoters - detractors), len(counted))
        figures["response_rate"] = ratio(len(counted), len(delivered))
    else:
        # Not in metrics.md's list for survey_responses either, null for the same reason
        # as delivered_codes.
        figures["respondents"] = None
        figures["nps"] = None
        figures["response_rate"] = None
    if "returns" in present:
        returned = sum(r["quantity"] for r in campaign_returns)
        defects = sum(r["quantity"] for r in campaign_returns if r["reason"] == "defect")
        figures["return_rate"] = ratio(returned, units_delivered)
        figures["defect_rate"] = ratio(defects, units_delivered)
    else:
        figures["return_rate"] = None
        figures["defect_rate"] = None

    figures["forecast_wape_units"] = (
        forecast_wape_units(facts, cid, shipped) if "forecast" in present else None
    )
    return figures


def code_tracked(facts: Facts, attribution: Attribution) -> bool:
    """The attributed recipient has an activated code in that campaign whose first
    qualifying event is strictly before the lead was created."""
    for code, firsts in facts.first_events.items():
        shipment = facts.shipment[facts.code[code]["shipment_id"]]
        if (
            shipment["delivered_at"] is not None
            and shipment["recipient_id"] == attribution.recipient_id
            and shipment["campaign_id"] == attribution.campaign_id
            and firsts[None] < attribution.lead["created_at"]
        ):
            return True
    return False


def incremental_lift(facts: Facts, campaign: dict, window: int) -> tuple[float, int] | None:
    """(sent rate − holdout rate, sent recipients), or None when either group is empty.

    A recipient of either group has a lead when they own one (every owner counts, no
    attribution) created on a UTC date from start_date to end_date + window, inclusive.
    """
    cid = campaign["campaign_id"]
    first_day = campaign["start_date"]
    last_day = campaign["end_date"] + timedelta(days=window)
    with_live_shipment = {
        s["recipient_id"]
        for s in facts.tables["shipments"]
        if s["campaign_id"] == cid and s["status"] != "cancelled"
    }
    leading = {
        rid
        for lead in facts.tables.get("leads", [])
        if first_day <= lead["created_at"].date() <= last_day
        for rid in facts.owners[lead["lead_id"]]
    }
    audience = [r for r in facts.tables["recipients"] if r["campaign_id"] == cid]
    sent = [r["recipient_id"] for r in audience if not r["is_holdout"]]
    sent = [rid for rid in sent if rid in with_live_shipment]
    holdout = [r["recipient_id"] for r in audience if r["is_holdout"]]
    if not sent or not holdout:
        return None
    sent_rate = sum(rid in leading for rid in sent) / len(sent)
    holdout_rate = sum(rid in leading for rid in holdout) / len(holdout)
    return sent_rate - holdout_rate, len(sent)


def counted_responses(facts: Facts, cid: str) -> list[dict]:
    """The responses that count: per recipient their latest scored response in the campaign
    (ties: the largest response_id); a scored response without a recipient on its own."""
    latest: dict[str, dict] = {}
    anonymous = []
    for response in facts.tables.get("survey_responses", []):
        if response["campaign_id"] != cid or response["nps_score"] is None:
            continue
        rid = response["recipient_id"]
        if rid is None:
            anonymous.append(response)
            continue
        known = latest.get(rid)
        order = (response["responded_at"], response["response_id"])
        if known is None or order > (known["responded_at"], known["response_id"]):
            latest[rid] = response
    return [*latest.values(), *anonymous]


def forecast_wape_units(facts: Facts, cid: str, shipped: list[dict]) -> float | None:
    """Σ |actual − forecast| / Σ forecast over the union of the campaign's forecast rows and
    its SKU-channel pairs with live shipped units, a missing side counting as 0."""
    actual: dict[tuple[str, str], int] = defaultdict(int)
    for s in shipped:
        actual[(s["sku"], s["channel"])] += s["quantity"]
    forecast = {
        (f["sku"], f["channel"]): f["forecast_units"]
        for f in facts.tables.get("forecast", [])
        if f["campaign_id"] == cid
    }
    pairs = set(forecast) | {pair for pair, units in actual.items() if units > 0}
    error = sum(abs(actual.get(p, 0) - forecast.get(p, 0)) for p in pairs)
    return ratio(error, sum(forecast.get(p, 0) for p in pairs))


def campaign_kpis(
    tables: dict[str, list[dict]],
    present: set[str],
    as_of: date,
    windows: tuple[int, ...] = DEFAULT_WINDOWS,
) -> dict[str, dict[str, float | int | None]]:
    """campaign_id -> headline metric -> value, from kept typed rows (contract_rules)."""
    facts = gather_facts(tables, present, as_of)
    return {
        campaign["campaign_id"]: campaign_figures(facts, campaign, windows)
        for campaign in facts.tables["campaigns"]
    }
