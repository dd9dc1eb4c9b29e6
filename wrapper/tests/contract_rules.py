"""The raw data contract (shared/spec/raw-data.md) in plain Python, for the tests.

A small reference staging written from the contract alone, independently of the dbt models
and of the demo generator: it reads a folder of CSV files in the contract's dialect, applies
the six row-check rules in order (merged, set aside, kept) and types the kept rows. The
generator's tests check its planted breaches against it; the independent metrics start from
its kept rows.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

INTEGER = re.compile(r"^[+-]?[0-9]+$")
DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
BOOLEAN = re.compile(r"^(true|false|1|0)$", re.IGNORECASE)
DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)
CHANNELS = {"direct_mail", "event", "sales_visit", "order_insert"}
LISTED = {
    ("forecast", "channel"): CHANNELS,
    ("skus", "positioning"): {"utility", "visibility"},
    ("skus", "tier"): {"standard", "premium"},
    ("shipments", "channel"): CHANNELS,
    ("shipments", "status"): {"ordered", "shipped", "delivered", "returned", "lost", "cancelled"},
    ("codes", "code_type"): {"qr", "promo"},
    ("code_events", "event_type"): {"scan", "redeem"},
    ("opportunities", "stage"): {"open", "won", "lost"},
    ("returns", "reason"): {
        "defect",
        "damaged",
        "wrong_item",
        "refused",
        "undeliverable",
        "other",
    },
    ("debrief_attendance", "team"): {"marketing", "sales", "purchasing", "logistics"},
}
# The contract columns of each table, in the contract's order, as "name:type"; a "!" marks
# a required (not null) column and "listed" columns are checked against LISTED.
SCHEMA = {
    "campaigns": "campaign_id:text! campaign_name:text! start_date:date! end_date:date! "
    "currency:text! budget:decimal",
    "forecast": "campaign_id:text! sku:text! channel:listed! forecast_units:integer! "
    "forecast_cost:decimal forecast_leads:integer forecast_conversions:integer",
    "skus": "sku:text! sku_name:text! category:text! positioning:listed! tier:listed! "
    "unit_cost:decimal! is_active:boolean!",
    "suppliers": "supplier:text! on_time_target:decimal max_lead_time_days:integer "
    "max_defect_rate:decimal",
    "recipients": "recipient_id:text! campaign_id:text! email:text company:text "
    "segment:text! country:text variant:text is_holdout:boolean!",
    "shipments": "shipment_id:text! campaign_id:text! recipient_id:text! sku:text! "
    "channel:listed! quantity:integer! supplier:text carrier:text ordered_at:timestamp! "
    "shipped_at:timestamp delivered_at:timestamp status:listed! shipping_cost:decimal! "
    "handling_cost:decimal!",
    "codes": "code:text! shipment_id:text! code_type:listed! issued_at:timestamp",
    "code_events": "event_id:text! code:text! event_type:listed! event_at:timestamp!",
    "leads": "lead_id:text! recipient_id:text email:text created_at:timestamp! "
    "lead_source:text is_qualified:boolean!",
    "opportunities": "opportunity_id:text! lead_id:text! created_at:timestamp! "
    "closed_at:timestamp stage:listed! amount:decimal",
    "returns": "return_id:text! shipment_id:text! reported_at:timestamp! reason:listed! "
    "quantity:integer! handling_cost:decimal",
    "survey_responses": "response_id:text! campaign_id:text! recipient_id:text "
    "responded_at:timestamp! nps_score:integer comment:text",
    "debrief_attendance": "campaign_id:text! meeting_date:date! team:listed! attendee:text!",
}
COLUMN_KINDS = {
    table: dict(item.split(":") for item in spec.split()) for table, spec in SCHEMA.items()
}
REQUIRED_TABLES = ("campaigns", "skus", "recipients", "shipments")
AMOUNTS = {
    "budget",
    "forecast_units",
    "forecast_cost",
    "forecast_leads",
    "forecast_conversions",
    "unit_cost",
    "max_lead_time_days",
    "shipping_cost",
    "handling_cost",
    "amount",
}
RATES = {"on_time_target", "max_defect_rate"}
KEYS = {
    "campaigns": ("campaign_id",),
    "forecast": ("campaign_id", "sku", "channel"),
    "skus": ("sku",),
    "suppliers": ("supplier",),
    "recipients": ("recipient_id",),
    "shipments": ("shipment_id",),
    "codes": ("code",),
    "code_events": ("event_id",),
    "leads": ("lead_id",),
    "opportunities": ("opportunity_id",),
    "returns": ("return_id",),
    "survey_responses": ("response_id",),
    "debrief_attendance": (),
}
# (table, column) -> (parent table, reason); checked in this order, parents first.
REFERENCES = {
    "recipients": [("campaign_id", "campaigns", "unknown_campaign")],
    "forecast": [
        ("campaign_id", "campaigns", "unknown_campaign"),
        ("sku", "skus", "unknown_sku"),
    ],
    "shipments": [
        ("campaign_id", "campaigns", "unknown_campaign"),
        ("recipient_id", "recipients", "unknown_recipient"),
        ("sku", "skus", "unknown_sku"),
    ],
    "codes": [("shipment_id", "shipments", "unknown_shipment")],
    "code_events": [("code", "codes", "unknown_code")],
    "leads": [("recipient_id", "recipients", "unknown_recipient")],
    "opportunities": [("lead_id", "leads", "unknown_lead")],
    "returns": [("shipment_id", "shipments", "unknown_shipment")],
    "survey_responses": [
        ("campaign_id", "campaigns", "unknown_campaign"),
        ("recipient_id", "recipients", "unknown_recipient"),
    ],
    "debrief_attendance": [("campaign_id", "campaigns", "unknown_campaign")],
}
CHECK_ORDER = (
    "campaigns",
    "skus",
    "suppliers",
    "recipients",
    "forecast",
    "shipments",
    "codes",
    "code_events",
    "leads",
    "opportunities",
    "returns",
    "survey_responses",
    "debrief_attendance",
)


def parse_timestamp(value: str) -> datetime | None:
    """A contract timestamp in UTC, or None when it does not match the grammar."""
    match = TIMESTAMP.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        moment -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return moment


def is_date(value: str) -> bool:
    match = DATE.match(value)
    if not match:
        return False
    try:
        date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


def as_stored_decimal(value: str) -> Decimal:
    """A decimal text as the warehouse holds it: rounded half away from zero to 10 decimals."""
    with localcontext() as context:
        context.prec = 200
        return Decimal(value).quantize(Decimal(1).scaleb(-10), rounding=ROUND_HALF_UP)


def fits_the_decimal_type(value: str) -> bool:
    """Whether a decimal text, rounded, holds in the 28 integer digits of decimal(38, 10)."""
    return -(10**28) < as_stored_decimal(value) < 10**28


def value_breach(table: str, column: str, kind: str, value: str) -> str | None:
    """The rule-3 reason of one value, or None when it is fine."""
    required = kind.endswith("!")
    kind = kind.rstrip("!")
    if value == "":
        return "missing_value" if required else None
    if kind == "integer" and not (INTEGER.match(value) and abs(int(value)) < 2**63):
        return "invalid_type"
    if kind == "decimal" and not (DECIMAL.match(value) and fits_the_decimal_type(value)):
        return "invalid_type"
    if kind == "boolean" and not BOOLEAN.match(value):
        return "invalid_type"
    if kind == "date" and not is_date(value):
        return "invalid_type"
    if kind == "timestamp" and parse_timestamp(value) is None:
        return "invalid_type"
    if kind == "listed" and value not in LISTED[(table, column)]:
        return "not_allowed"
    if column == "nps_score" and not 0 <= int(value) <= 10:
        return "not_allowed"
    if column == "quantity" and int(value) <= 0:
        return "not_positive"
    if column in AMOUNTS and float(value) < 0:
        return "negative_amount"
    if column in RATES and not 0 <= float(value) <= 1:
        return "rate_out_of_range"
    return None


def time_breach(table: str, row: dict[str, str]) -> str | None:
    """The rule-4 reason of a row whose values are valid, or None."""
    if table == "campaigns" and row["end_date"] < row["start_date"]:
        return "end_before_start"
    if table == "shipments":
        ordered = parse_timestamp(row["ordered_at"])
        shipped = parse_timestamp(row["shipped_at"]) if row["shipped_at"] else None
        delivered = parse_timestamp(row["delivered_at"]) if row["delivered_at"] else None
        if shipped and shipped < ordered:
            return "shipped_before_ordered"
        if shipped and delivered and delivered < shipped:
            return "delivered_before_shipped"
        if delivered and not shipped:
            return "delivered_without_shipped"
        if row["status"] == "cancelled" and delivered:
            return "cancelled_with_delivery"
    if table == "opportunities" and row["closed_at"]:
        if parse_timestamp(row["closed_at"]) < parse_timestamp(row["created_at"]):
            return "closed_before_created"
    return None


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of one CSV file as the contract reads it, keyed by contract column.

    UTF-8 with an optional byte-order mark, RFC 4180 quoting, blank lines skipped, header
    names matched case-insensitively, extra columns dropped.
    """
    table = path.stem
    with open(path, newline="", encoding="utf-8-sig") as handle:
        records = [record for record in csv.reader(handle) if record]
    header = [name.lower() for name in records[0]]
    position = {column: header.index(column) for column in COLUMN_KINDS[table]}
    rows = []
    for line, record in enumerate(records[1:], start=2):
        assert len(record) == len(header), f"{path.name}: record {line} is malformed"
        rows.append({column: record[index] for column, index in position.items()})
    return rows


def read_raw(folder: Path) -> dict[str, list[dict[str, str]]]:
    """Every table of the contract that has a CSV file in folder; an absent one is left out."""
    folder = Path(folder)
    return {
        table: read_table(folder / f"{table}.csv")
        for table in SCHEMA
        if (folder / f"{table}.csv").is_file()
    }


def reference_staging(raw):
    """Apply the six rules in order; returns (kept rows, merged copies, set-aside reasons).

    An absent table (not in raw) is an empty one, so rows pointing into it are set aside.
    """
    kept: dict[str, list[dict[str, str]]] = {}
    merged: dict[str, int] = {}
    set_aside: dict[str, Counter] = {}
    for table in CHECK_ORDER:
        columns = list(COLUMN_KINDS[table])
        kinds = list(COLUMN_KINDS[table].values())
        raw_rows = raw.get(table, [])
        # rule 1: exact duplicates
        distinct = list(dict.fromkeys(tuple(row[c] for c in columns) for row in raw_rows))
        merged[table] = len(raw_rows) - len(distinct)
        rows = [dict(zip(columns, values, strict=True)) for values in distinct]
        reasons: Counter = Counter()
        # rule 2: key clashes
        key = KEYS[table]
        by_key = Counter(tuple(row[c] for c in key) for row in rows if key)
        survivors = []
        for row in rows:
            row_key = tuple(row[c] for c in key)
            if key and all(row_key) and by_key[row_key] > 1:
                reasons["key_clash"] += 1
            else:
                survivors.append(row)
        # rules 3 and 4: values, then times within the row
        checked = []
        for row in survivors:
            reason = next(
                (
                    r
                    for c, kind in zip(columns, kinds, strict=True)
                    if (r := value_breach(table, c, kind, row[c]))
                ),
                None,
            ) or time_breach(table, row)
            if reason:
                reasons[reason] += 1
            else:
                checked.append(row)
        # rule 5: references to kept rows
        parents = {
            (column, parent): {r[KEYS[parent][0]] for r in kept[parent]}
            for column, parent, _ in REFERENCES.get(table, [])
        }
        referenced = []
        for row in checked:
            reason = next(
                (
                    r
                    for column, parent, r in REFERENCES.get(table, [])
                    if row[column] and row[column] not in parents[(column, parent)]
                ),
                None,
            )
            if reason:
                reasons[reason] += 1
            else:
                referenced.append(row)
        # rule 6: the campaign of a shipment or a response is its recipient's
        if table in ("shipments", "survey_responses"):
            campaign_of = {r["recipient_id"]: r["campaign_id"] for r in kept["recipients"]}
            final = []
            for row in referenced:
                if row["recipient_id"] and campaign_of[row["recipient_id"]] != row["campaign_id"]:
                    reasons["campaign_mismatch"] += 1
                else:
                    final.append(row)
            referenced = final
        kept[table] = referenced
        set_aside[table] = reasons
    return kept, merged, set_aside


def typed_value(kind: str, value: str):
    """A valid raw value as Python: None for the empty string, else int, Decimal, bool,
    date, datetime (UTC, naive) or str."""
    if value == "":
        return None
    kind = kind.rstrip("!")
    if kind == "integer":
        return int(value)
    if kind == "decimal":
        return as_stored_decimal(value)
    if kind == "boolean":
        return value.lower() in ("true", "1")
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "timestamp":
        return parse_timestamp(value)
    return value


def typed_rows(kept: dict[str, list[dict[str, str]]]) -> dict[str, list[dict]]:
    """The kept rows of every table with their values typed as the contract says."""
    return {
        table: [
            {column: typed_value(COLUMN_KINDS[table][column], row[column]) for column in row}
            for row in rows
        ]
        for table, rows in kept.items()
    }


def kept_typed_rows(folder: Path) -> tuple[dict[str, list[dict]], set[str]]:
    """The kept, typed rows per table of a raw folder, and the tables present in it."""
    raw = read_raw(folder)
    kept, _, _ = reference_staging(raw)
    return typed_rows(kept), set(raw)
