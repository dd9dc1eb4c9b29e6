"""Demo and scale data: a folder of raw files written against raw-data.md.

`generate()` writes one file per raw table (`<table>.csv`, or `<table>.parquet` with every
column as text) for two goodies campaigns of a fictional company that pays in EUR:

- `CMP-2026-SPRING` (2 March to 30 April 2026), well past its 90-day follow-up on the
  reference date `AS_OF` (1 December 2026), with a debrief attended by all four teams;
- `CMP-2026-AUTUMN` (5 October to 13 November 2026), inside its post-mortem window on
  `AS_OF`, debriefed by marketing and sales only.

Every row is drawn in DuckDB SQL from `range()` and `hash(key, salt, seed)` mapped to
[0, 1), so the same seed and arguments give byte-identical files and no Python loop runs
per row. The files read like an export made on `AS_OF`: nothing happens after that day.

About 60% of the recipients are in the spring campaign, 40% in the autumn one, where one
recipient in eight is a spring person targeted again (same e-mail, new recipient_id). 10%
of each campaign is a random holdout that receives nothing; 45% see message variant A, 45%
variant B and 10% no variant. Sent recipients get one goodie, one in twelve a second one.

Planted effects (the truths an analysis of the demo should find; `PLANTED_EFFECTS` holds the
same figures for tests):

- Segment x SKU: enterprise recipients who received the power bank (`SKU-PWR`) are three
  times as likely to turn into a lead as other enterprise recipients. The power bank is
  also pushed to enterprise accounts, so the cell is large enough to stay significant after
  Benjamini-Hochberg at 5,000 recipients.
- A/B test: variant B turns recipients into leads about twice as often as variant A.
- Holdout: holdout recipients only produce "organic" leads (3% during the campaign and its
  90 days); sent recipients produce those plus the leads the goodie brings.
- Supplier SLA: `SwiftGoods` promises 95% of deliveries within 7 days, but 45% of its
  shipments are delayed by 4 to 12 more days, so its on-time rate is near 55%.
- Defective SKU: 14% of delivered insulated bottles (`SKU-BOTTLE`) come back as `defect`
  (0.5% for the other SKUs), far above every supplier's `max_defect_rate` (2-3%). The
  bottle also scores a lower NPS.
- Over-forecast SKU: the hoodie (`SKU-HOOD`) was forecast at about twice the units shipped;
  other forecasts are within 15%.

The lead delay after delivery is mostly under 14 days, with a tail up to 90 and beyond,
and some leads are logged before the delivery; 15% of leads carry only an e-mail (other
case, stray spaces), and some inbound leads match nobody. Won opportunities often close
between 14 and 90 days after the delivery (late conversions).

`generate(..., planted_effects=False)` switches off the planted effects that make one group
differ from another in a comparison of "Comparisons that claim a difference" (metrics.md):
no segment x SKU lift (the power bank lead factor is 1 everywhere) and no variant difference
(A, B and no variant all get a lead factor of 1, so the same lead propensity and, since
conversions follow leads and code activation follows the recipient's own leads, the same
conversion and activation propensity). Everything else is drawn exactly as with the default
(the same recipients, shipments and random draws): holdout recipients still only produce
organic leads, SwiftGoods is still late, the bottle still defective, the hoodie still
over-forecast. It is the null world in which every A/B test and segment x SKU finding is a
false discovery.

Rows that break the contract are planted as extra rows that nothing references, so the
staging sets aside exactly what `Generated.set_aside` says (by the reason codes of the
staging) and merges exactly what `Generated.merged` says; no cascade changes the counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

AS_OF = date(2026, 12, 1)
FILE_FORMATS = ("csv", "parquet")
MIN_RECIPIENTS = 100
# Recipient ids are "R" and seven digits.
MAX_RECIPIENTS = 9_999_999
# Extra scans per scanned code in the event-heavy case: a hundred keeps ten million
# recipients' events within what one machine writes in a few minutes.
MAX_REPEAT_SCANS = 100

SPRING = "CMP-2026-SPRING"
AUTUMN = "CMP-2026-AUTUMN"

# Contract columns, in the contract's order, per table.
COLUMNS: dict[str, tuple[str, ...]] = {
    "campaigns": ("campaign_id", "campaign_name", "start_date", "end_date", "currency", "budget"),
    "forecast": (
        "campaign_id",
        "sku",
        "channel",
        "forecast_units",
        "forecast_cost",
        "forecast_leads",
        "forecast_conversions",
    ),
    "skus": ("sku", "sku_name", "category", "positioning", "tier", "unit_cost", "is_active"),
    "suppliers": ("supplier", "on_time_target", "max_lead_time_days", "max_defect_rate"),
    "recipients": (
        "recipient_id",
        "campaign_id",
        "email",
        "company",
        "segment",
        "country",
        "variant",
        "is_holdout",
    ),
    "shipments": (
        "shipment_id",
        "campaign_id",
        "recipient_id",
        "sku",
        "channel",
        "quantity",
        "supplier",
        "carrier",
        "ordered_at",
        "shipped_at",
        "delivered_at",
        "status",
        "shipping_cost",
        "handling_cost",
    ),
    "codes": ("code", "shipment_id", "code_type", "issued_at"),
    "code_events": ("event_id", "code", "event_type", "event_at"),
    "leads": ("lead_id", "recipient_id", "email", "created_at", "lead_source", "is_qualified"),
    "opportunities": ("opportunity_id", "lead_id", "created_at", "closed_at", "stage", "amount"),
    "returns": ("return_id", "shipment_id", "reported_at", "reason", "quantity", "handling_cost"),
    "survey_responses": (
        "response_id",
        "campaign_id",
        "recipient_id",
        "responded_at",
        "nps_score",
        "comment",
    ),
    "debrief_attendance": ("campaign_id", "meeting_date", "team", "attendee"),
}
TABLES = tuple(COLUMNS)

PLANTED_EFFECTS = {
    "lifted_cell": {"campaigns": (SPRING, AUTUMN), "segment": "enterprise", "sku": "SKU-PWR"},
    "lifted_cell_lead_factor": 4.0,
    "winning_variant": "B",
    "variant_lead_factor": {"A": 0.7, "B": 1.5},
    "holdout_share": 0.10,
    "organic_lead_rate": 0.03,
    "late_supplier": "SwiftGoods",
    "late_supplier_delayed_share": 0.45,
    "defective_sku": "SKU-BOTTLE",
    "defective_sku_defect_share": 0.14,
    "other_sku_defect_share": 0.005,
    "over_forecast_sku": "SKU-HOOD",
    "over_forecast_factor": 2.0,
}

# campaign_no, campaign_id, campaign_name, start, end, currency, budget per recipient
_CAMPAIGNS = (
    (1, SPRING, "Spring 2026 customer thank-you", "2026-03-02", "2026-04-30", "EUR", 38.0),
    (2, AUTUMN, "Autumn 2026 trade-show follow-up", "2026-10-05", "2026-11-13", "EUR", 42.0),
)

# sku, name, category, positioning, tier, unit_cost, is_active, supplier, nps exponent
# (a larger exponent draws lower scores)
_SKUS = (
    ("SKU-TEE", "Organic cotton T-shirt", "apparel", "visibility", "standard", 6.5, 1),
    ("SKU-HOOD", "Embroidered hoodie", "apparel", "visibility", "premium", 24.0, 1),
    ("SKU-CAP", "Baseball cap", "apparel", "visibility", "standard", 5.4, 0),
    ("SKU-MUG", "Ceramic mug", "drinkware", "utility", "standard", 4.2, 1),
    ("SKU-BOTTLE", "Insulated steel bottle", "drinkware", "utility", "premium", 14.8, 1),
    ("SKU-PWR", "Power bank, 10,000 mAh", "tech", "utility", "premium", 18.5, 1),
    ("SKU-USB", "USB key 32 GB", "tech", "utility", "standard", 3.9, 1),
    ("SKU-NOTE", "A5 notebook", "stationery", "utility", "standard", 3.1, 1),
    ("SKU-PEN", "Metal pen", "stationery", "visibility", "standard", 0.85, 1),
    ("SKU-TOTE", "Canvas tote bag", "bags", "visibility", "standard", 2.6, 1),
)
_SKU_SUPPLIER = {
    "SKU-TEE": "PrintWorks",
    "SKU-HOOD": "PrintWorks",
    "SKU-CAP": "PrintWorks",
    "SKU-PEN": "PrintWorks",
    "SKU-TOTE": "PrintWorks",
    "SKU-MUG": "NordPack",
    "SKU-BOTTLE": "NordPack",
    "SKU-NOTE": "NordPack",
    "SKU-PWR": "SwiftGoods",
    "SKU-USB": "SwiftGoods",
}
_SKU_NPS_EXPONENT = {"SKU-BOTTLE": 1.2}

# Weights of each SKU in each campaign's mix; the cap was retired after spring.
_SKU_WEIGHTS = {
    SPRING: {
        "SKU-TEE": 14,
        "SKU-HOOD": 8,
        "SKU-CAP": 8,
        "SKU-MUG": 14,
        "SKU-BOTTLE": 12,
        "SKU-PWR": 10,
        "SKU-USB": 10,
        "SKU-NOTE": 10,
        "SKU-PEN": 8,
        "SKU-TOTE": 6,
    },
    AUTUMN: {
        "SKU-TEE": 15,
        "SKU-HOOD": 10,
        "SKU-MUG": 14,
        "SKU-BOTTLE": 12,
        "SKU-PWR": 12,
        "SKU-USB": 10,
        "SKU-NOTE": 11,
        "SKU-PEN": 9,
        "SKU-TOTE": 7,
    },
}

# supplier, in suppliers.csv, on_time_target, max_lead_time_days, max_defect_rate,
# then how its lead time (ordered to delivered, days) is drawn: minimum, spread,
# share delayed, minimum delay, delay spread. "(none)" is an event hand-over by staff.
_SUPPLIERS = (
    ("PrintWorks", 1, "0.95", "10", "0.02", 2.0, 6.0, 0.02, 5.0, 4.0),
    ("NordPack", 1, "0.90", "12", "0.03", 3.0, 7.0, 0.04, 6.0, 4.0),
    ("SwiftGoods", 1, "0.95", "7", "0.02", 2.0, 4.0, 0.45, 4.0, 8.0),
    ("EventCrew", 1, None, "14", None, 1.0, 4.0, 0.0, 0.0, 0.0),
    ("InsertCo", 0, None, None, None, 2.0, 5.0, 0.0, 0.0, 0.0),
    ("(none)", 0, None, None, None, 1.0, 3.0, 0.0, 0.0, 0.0),
)

# Free-text comments: two languages, markup, commas, quotes, newlines, contact details.
_COMMENTS = (
    "Great power bank, I use it every day!",
    "Super gourde, merci beaucoup ! Elle garde le café chaud toute la journée.",
    "La gourde fuit, le bouchon a cassé au bout d'une semaine.",
    "The bottle leaks and the lid broke after a week. Call me on +33 6 12 34 56 78.",
    'Nice, but the "one size" hoodie is too small. Could you send an XL?',
    "Merci pour le carnet, très pratique.\nJe le recommande à toute mon équipe.",
    "<b>Loved it</b>, thanks!",
    "<script>alert('hi')</script> nice mug",
    "Contact me at jane.doe@example.com, I'd like a demo.",
    "Écrivez-moi : paul.martin@exemple.fr ou appelez le 01 23 45 67 89",
    'Mug arrived broken, the "fragile" sticker was missing.',
    "Meh.",
    "Tee-shirt sympa, taille un peu grande, mais bon, ça passe.",
    "Received two pens, one, sadly, without ink.",
    "Line one\nline two: the parcel came late, after the event.",
    "<p>Très bon produit&nbsp;!</p>",
    "Would love a version in blue; call +1 (555) 010-2030.",
    "Pas reçu le colis...",
    "10/10, would scan again",
    "Le QR code ne marche pas.",
)

# campaign_id, meeting_date, team, attendee
_DEBRIEF = (
    (SPRING, "2026-05-12", "marketing", "Claire Moreau"),
    (SPRING, "2026-05-12", "marketing", "Tom Becker"),
    (SPRING, "2026-05-12", "sales", "Julien Lefèvre"),
    (SPRING, "2026-05-12", "purchasing", "Ana Ruiz"),
    (SPRING, "2026-05-12", "logistics", "Pieter de Vries"),
    (AUTUMN, "2026-11-26", "marketing", "Claire Moreau"),
    (AUTUMN, "2026-11-26", "sales", "Julien Lefèvre"),
    (AUTUMN, "2026-11-26", "sales", "Sofia Rossi"),
)

# Exact copies planted per table (rule 1), taken from generated rows.
_DUPLICATES = {
    "recipients": 1,
    "shipments": 2,
    "codes": 1,
    "code_events": 3,
    "leads": 1,
    "opportunities": 1,
    "returns": 1,
    "survey_responses": 1,
    "debrief_attendance": 1,
}

# Keys that exist nowhere, for the reference breaches of rule 5.
_GHOST = {
    "campaign": "CMP-2025-GHOST",
    "recipient": "R-GHOST",
    "sku": "SKU-GHOST",
    "shipment": "S-GHOST",
    "code": "QR-GHOST",
    "lead": "L-GHOST",
}


@dataclass(frozen=True)
class Generated:
    """What `generate()` wrote, and the broken rows it planted."""

    out_dir: Path
    rows: dict[str, int]
    merged: dict[str, int]
    set_aside: dict[str, dict[str, int]]
    seconds: float


def generate(
    out_dir: Path | str,
    *,
    seed: int = 7,
    recipients: int = 5000,
    file_format: str = "csv",
    planted_effects: bool = True,
    repeat_scans: int = 0,
) -> Generated:
    """Write the 13 raw tables of a two-campaign demo into `out_dir`.

    `recipients` is the total over both campaigns, holdout included. Files already in
    `out_dir` with the same names are overwritten. `planted_effects=False` draws the same
    data without the segment x SKU lift and the variant difference (see the module
    docstring); the default writes the demo with every planted effect. `repeat_scans` adds
    that many scans on average to every scanned QR code, as a code printed on a daily-use
    item keeps being scanned: the event-heavy case (55 gives about ten million code events
    at a million recipients). Repeated scans never change a code's first activation, so
    every figure but the event count stays what it is without them.
    """
    if isinstance(recipients, bool) or not isinstance(recipients, int):
        raise ValueError(f"recipients must be a whole number, got {recipients!r}")
    if not MIN_RECIPIENTS <= recipients <= MAX_RECIPIENTS:
        raise ValueError(
            f"recipients must be between {MIN_RECIPIENTS:,} and {MAX_RECIPIENTS:,}, "
            f"got {recipients:,}"
        )
    if file_format not in FILE_FORMATS:
        raise ValueError(
            f"file_format must be one of {', '.join(FILE_FORMATS)}, got {file_format!r}"
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    if not isinstance(planted_effects, bool):
        raise ValueError(f"planted_effects must be True or False, got {planted_effects!r}")
    if (
        isinstance(repeat_scans, bool)
        or not isinstance(repeat_scans, int)
        or not 0 <= repeat_scans <= MAX_REPEAT_SCANS
    ):
        raise ValueError(
            f"repeat_scans must be a whole number from 0 to {MAX_REPEAT_SCANS}, "
            f"got {repeat_scans!r}"
        )

    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect()
    try:
        # Ordered output keeps the bytes stable whatever the number of threads.
        con.execute("set preserve_insertion_order = true")
        _create_macros(con, seed)
        _load_reference_tables(con)
        for statement in _generation_steps(recipients, planted_effects, repeat_scans):
            con.execute(statement)
        for statement in _output_steps():
            con.execute(statement)
        merged = _plant_duplicates(con)
        set_aside = _plant_broken_rows(con)
        rows = _write_files(con, out, file_format)
    finally:
        con.close()

    return Generated(
        out_dir=out,
        rows=rows,
        merged=merged,
        set_aside=set_aside,
        seconds=time.perf_counter() - started,
    )


def _create_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    seed_literal = int(seed)
    con.execute(
        f"""
        -- a pseudo-random number in [0, 1) that depends only on the seed, a key and a salt
        create macro rnd(k, salt) as hash(k, salt, {seed_literal}) / 18446744073709551616.0
        """
    )
    con.execute(
        """
        -- the contract's timestamp grammar, in its several forms; all exact to the minute
        create macro fmt_ts(ts, u) as case
            when ts is null then null
            when u < 0.60 then strftime(ts, '%Y-%m-%d %H:%M:%S')
            when u < 0.78 then strftime(ts, '%Y-%m-%dT%H:%M:%SZ')
            when u < 0.88 then strftime(ts + interval 2 hour, '%Y-%m-%dT%H:%M:%S+02:00')
            when u < 0.91 then strftime(ts - interval 4 hour, '%Y-%m-%d %H:%M:%S-04:00')
            when u < 0.96 then strftime(ts, '%Y-%m-%dT%H:%M')
            else strftime(ts, '%Y-%m-%d %H:%M:%S.%g')
        end
        """
    )
    con.execute(
        """
        -- for columns no rule compares: a date alone is allowed (it means midnight)
        create macro fmt_ts_or_date(ts, u) as case
            when ts is null then null
            when u < 0.15 then strftime(ts, '%Y-%m-%d')
            else fmt_ts(ts, (u - 0.15) / 0.85)
        end
        """
    )
    con.execute(
        """
        -- booleans in the spellings the contract accepts
        create macro fmt_bool(b, u) as case
            when u < 0.90 then if(b, 'true', 'false')
            when u < 0.97 then if(b, '1', '0')
            else if(b, 'TRUE', 'False')
        end
        """
    )
    con.execute(
        f"""
        -- the same, as a whole pseudo-random number
        create macro draw(k, salt) as hash(k, salt, {seed_literal})
        """
    )
    con.execute("create macro money(x) as printf('%.2f', x)")
    con.execute("create macro add_days(ts, d) as ts + to_seconds(round(d * 86400)::bigint)")


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[tuple[str, str]],
    rows: list[tuple],
) -> None:
    """Create `table` and insert a few constant rows in one statement."""
    con.execute(f"create table {table} ({', '.join(f'{n} {t}' for n, t in columns)})")
    if not rows:
        return
    placeholders = ", ".join(["(" + ", ".join(["?"] * len(columns)) + ")"] * len(rows))
    con.execute(
        f"insert into {table} values {placeholders}",
        [value for row in rows for value in row],
    )


def _load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    _insert_rows(
        con,
        "campaign_plan",
        [
            ("campaign_no", "integer"),
            ("campaign_id", "varchar"),
            ("campaign_name", "varchar"),
            ("start_date", "date"),
            ("end_date", "date"),
            ("currency", "varchar"),
            ("budget_per_recipient", "double"),
        ],
        list(_CAMPAIGNS),
    )
    _insert_rows(
        con,
        "sku_catalog",
        [
            ("sku", "varchar"),
            ("sku_name", "varchar"),
            ("category", "varchar"),
            ("positioning", "varchar"),
            ("tier", "varchar"),
            ("unit_cost", "double"),
            ("is_active", "boolean"),
            ("supplier", "varchar"),
            ("nps_exponent", "double"),
        ],
        [
            (*row[:6], bool(row[6]), _SKU_SUPPLIER[row[0]], _SKU_NPS_EXPONENT.get(row[0], 0.35))
            for row in _SKUS
        ],
    )
    _insert_rows(
        con,
        "sku_weights",
        [("campaign_id", "varchar"), ("sku", "varchar"), ("weight", "integer")],
        [(c, sku, w) for c, weights in _SKU_WEIGHTS.items() for sku, w in weights.items()],
    )
    _insert_rows(
        con,
        "supplier_profile",
        [
            ("supplier", "varchar"),
            ("is_listed", "boolean"),
            ("on_time_target", "varchar"),
            ("max_lead_time_days", "varchar"),
            ("max_defect_rate", "varchar"),
            ("lead_min", "double"),
            ("lead_spread", "double"),
            ("late_share", "double"),
            ("late_min", "double"),
            ("late_spread", "double"),
        ],
        [(row[0], bool(row[1]), *row[2:]) for row in _SUPPLIERS],
    )
    _insert_rows(
        con,
        "comment_pool",
        [("comment_no", "integer"), ("comment", "varchar")],
        list(enumerate(_COMMENTS)),
    )
    _insert_rows(
        con,
        "debrief_plan",
        [
            ("campaign_id", "varchar"),
            ("meeting_date", "varchar"),
            ("team", "varchar"),
            ("attendee", "varchar"),
        ],
        list(_DEBRIEF),
    )


def _generation_steps(
    recipients: int, planted_effects: bool = True, repeat_scans: int = 0
) -> list[str]:
    """The SQL that draws every typed row, one table per step.

    Without `planted_effects`, the variant and power-bank lead factors are 1 for everyone.
    `repeat_scans` is the mean number of extra scans of each scanned QR code.
    """
    n = int(recipients)
    if planted_effects:
        variant_factor = "case variant when 'A' then 0.7 when 'B' then 1.5 else 1.0 end"
        cell_factor = "if(segment = 'enterprise' and got_power_bank, 4.0, 1.0)"
    else:
        variant_factor = cell_factor = "1.0"
    n_spring = round(n * 0.6)
    companies = max(20, n // 4)
    cutoff = f"timestamp '{AS_OF.isoformat()}' + interval 1 day"
    return [
        f"""
        create table audience as
        with

        numbered as (
            select
                i as recipient_no,
                if(i <= {n_spring}, 1, 2) as campaign_no,

            from range(1, {n} + 1) as t(i)
        ),

        with_person as (
            -- one autumn recipient in eight is a spring person targeted again
            select
                recipient_no,
                campaign_no,
                case
                    when campaign_no = 2 and rnd(recipient_no, 'returning') < 0.12
                        then 1 + draw(recipient_no, 'returning_person') % {n_spring}
                    else recipient_no
                end as person_no,

            from numbered
        )

        select * from with_person
        """,
        f"""
        create table recipients_truth as
        with

        targeted as (
            select * from audience
        ),

        campaigns as (
            select campaign_no, campaign_id from campaign_plan
        ),

        people as (
            -- a person keeps their name, company, segment and country across campaigns
            select
                a.recipient_no,
                a.person_no,
                c.campaign_id,
                draw(a.person_no, 'company') % {companies} as company_no,
                ['Marie', 'Lucas', 'Emma', 'Hugo', 'Lena', 'Noah', 'Sofia', 'Jonas',
                 'Chloe', 'Mateo', 'Ines', 'Felix', 'Julia', 'Arthur', 'Clara', 'Liam'
                ][1 + (draw(a.person_no, 'first') % 16)::integer] as first_name,
                ['Dupont', 'Muller', 'Janssens', 'Rossi', 'Garcia', 'Smith', 'Bernard',
                 'Schmidt', 'Peeters', 'Bianchi', 'Lopez', 'Jones'
                ][1 + (draw(a.person_no, 'last') % 12)::integer] as last_name,

            from targeted as a

            inner join campaigns as c
                on a.campaign_no = c.campaign_no
        ),

        companies as (
            select
                *,
                ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne',
                 'Tyrell', 'Soylent', 'Vandelay', 'Wonka', 'Cyberdyne'
                ][1 + (company_no % 12)::integer] as company_stem,
                rnd(company_no, 'segment') as u_segment,
                rnd(company_no, 'country') as u_country,

            from people
        ),

        described as (
            select
                recipient_no,
                person_no,
                'R' || lpad(recipient_no::varchar, 7, '0') as recipient_id,
                campaign_id,
                case
                    when rnd(person_no, 'no_email') < 0.02 then null
                    else lower(first_name || '.' || last_name) || '.' || person_no
                        || '@' || lower(company_stem) || company_no || '.example'
                end as email,
                case
                    when rnd(company_no, 'no_company') < 0.05 then null
                    else company_stem || ' ' || lpad(company_no::varchar, 4, '0')
                end as company,
                case
                    when u_segment < 0.20 then 'enterprise'
                    when u_segment < 0.50 then 'mid_market'
                    when u_segment < 0.85 then 'smb'
                    else 'partner'
                end as segment,
                case
                    when u_country < 0.03 then null
                    else ['FR', 'DE', 'BE', 'NL', 'ES', 'IT', 'GB', 'CH'
                    ][1 + floor((u_country - 0.03) / 0.97 * 8)::integer]
                end as country,
                case
                    when rnd(recipient_no, 'variant') < 0.45 then 'A'
                    when rnd(recipient_no, 'variant') < 0.90 then 'B'
                end as variant,
                rnd(recipient_no, 'holdout') < 0.10 as is_holdout,

            from companies
        )

        select * from described
        """,
        """
        create table sku_mix as
        with

        weights as (
            select * from sku_weights
        ),

        cumulated as (
            -- each SKU owns a slice [lo, hi) of [0, 1) as wide as its weight
            select
                campaign_id,
                sku,
                (sum(weight) over (partition by campaign_id order by sku) - weight)
                    / sum(weight) over (partition by campaign_id) as lo,
                sum(weight) over (partition by campaign_id order by sku)
                    / sum(weight) over (partition by campaign_id) as hi,

            from weights
        )

        select * from cumulated
        """,
        """
        create table shipment_skus as
        with

        senders as (
            select * from recipients_truth where not is_holdout
        ),

        slots as (
            select * from (values (1), (2)) as s(slot)
        ),

        goodies as (
            -- one sent recipient in twelve receives a second goodie
            select
                r.recipient_no,
                r.recipient_id,
                r.campaign_id,
                r.segment,
                s.slot,
                r.recipient_no * 2 + s.slot as k,
                rnd(r.recipient_no * 2 + s.slot, 'sku') as u_sku,

            from senders as r

            cross join slots as s

            where s.slot = 1 or rnd(r.recipient_no, 'second_goodie') < 0.08
        ),

        from_mix as (
            select
                g.*,
                m.sku as mix_sku,

            from goodies as g

            inner join sku_mix as m
                on g.campaign_id = m.campaign_id
                and g.u_sku >= m.lo
                and g.u_sku < m.hi
        ),

        pushed as (
            -- sales push the power bank to enterprise accounts
            select
                *,
                case
                    when slot = 1 and segment = 'enterprise' and rnd(k, 'push') < 0.30
                        then 'SKU-PWR'
                    else mix_sku
                end as drawn_sku,

            from from_mix
        ),

        second_differs as (
            -- a second goodie is never the first one again
            select
                *,
                case
                    when slot = 2
                        and drawn_sku = lag(drawn_sku) over (
                            partition by recipient_no order by slot
                        )
                        then if(drawn_sku = 'SKU-NOTE', 'SKU-PEN', 'SKU-NOTE')
                    else drawn_sku
                end as sku,

            from pushed
        )

        select * from second_differs
        """,
        """
        create table shipments_truth as
        with

        goodies as (
            select * from shipment_skus
        ),

        numbered as (
            select
                *,
                row_number() over (order by recipient_no, slot) as shipment_no,

            from goodies
        ),

        channelled as (
            select
                *,
                case
                    when slot = 2 then if(rnd(k, 'channel') < 0.5, 'sales_visit', 'direct_mail')
                    when rnd(k, 'channel') < 0.55 then 'direct_mail'
                    when rnd(k, 'channel') < 0.72 then 'event'
                    when rnd(k, 'channel') < 0.87 then 'sales_visit'
                    else 'order_insert'
                end as channel,

            from numbered
        ),

        supplied as (
            -- inserts go with orders, events are run by an agency, the rest by the maker
            select
                c.*,
                case
                    when c.channel = 'order_insert' then 'InsertCo'
                    when c.channel = 'event' and rnd(c.k, 'no_supplier') < 0.10 then null
                    when c.channel = 'event' then 'EventCrew'
                    else s.supplier
                end as supplier,

            from channelled as c

            inner join sku_catalog as s
                on c.sku = s.sku
        ),

        timed as (
            select
                s.*,
                add_days(
                    p.start_date::timestamp - interval 7 day,
                    rnd(s.k, 'ordered') * (p.end_date - p.start_date + 4)
                ) as ordered_at,
                lp.lead_min + lp.lead_spread * rnd(s.k, 'lead')
                    + if(
                        rnd(s.k, 'late') < lp.late_share,
                        lp.late_min + lp.late_spread * rnd(s.k, 'late_days'),
                        0
                    ) as lead_days,
                rnd(s.k, 'status') as u_status,

            from supplied as s

            inner join campaign_plan as p
                on s.campaign_id = p.campaign_id

            inner join supplier_profile as lp
                on coalesce(s.supplier, '(none)') = lp.supplier
        ),

        with_status as (
            select
                *,
                case
                    when u_status < 0.005 then 'cancelled'
                    when u_status < 0.015 then 'ordered'
                    when u_status < 0.035 then 'shipped'
                    when u_status < 0.050 then 'lost'
                    when u_status < 0.070 then 'returned'
                    else 'delivered'
                end as status,

            from timed
        ),

        with_times as (
            -- shipped after 30% of the lead time, delivered at its end
            select
                *,
                case
                    when status not in ('cancelled', 'ordered')
                        then add_days(ordered_at, lead_days * 0.3)
                end as shipped_at,
                case
                    when status in ('delivered', 'returned') then add_days(ordered_at, lead_days)
                end as delivered_at,

            from with_status
        ),

        with_costs as (
            select
                *,
                case
                    when channel = 'sales_visit' and rnd(k, 'quantity') < 0.30 then 2
                    when channel = 'sales_visit' and rnd(k, 'quantity') < 0.40 then 3
                    when channel = 'direct_mail' and rnd(k, 'quantity') < 0.03 then 2
                    else 1
                end as quantity,
                case
                    when channel = 'direct_mail'
                        then ['La Poste', 'DHL', 'DPD', 'UPS'
                        ][1 + (draw(k, 'carrier') % 4)::integer]
                    when channel = 'order_insert' then 'DHL'
                end as carrier,
                case channel
                    when 'direct_mail' then 4.5 + 4.5 * rnd(k, 'shipping')
                    when 'order_insert' then 0.8
                    else 0
                end as shipping_cost,
                if(channel = 'event', 0.5, 1.2 + 1.3 * rnd(k, 'handling')) as handling_cost,

            from with_times
        )

        select * from with_costs
        """,
        """
        create table delivered_recipients as
        with

        recipients as (
            select * from recipients_truth
        ),

        deliveries as (
            select * from shipments_truth
            where status <> 'cancelled' and delivered_at is not null
        ),

        per_recipient as (
            select
                r.recipient_no,
                r.campaign_id,
                r.segment,
                r.variant,
                min(d.delivered_at) as first_delivered_at,
                bool_or(d.sku = 'SKU-PWR') as got_power_bank,
                bool_or(d.sku = 'SKU-BOTTLE') as got_bottle,

            from recipients as r

            inner join deliveries as d
                on r.recipient_no = d.recipient_no

            group by all
        )

        select * from per_recipient
        """,
        f"""
        create table leads_truth as
        with

        delivered as (
            select * from delivered_recipients
        ),

        gift_chance as (
            -- the planted effects: segment base rate, variant B over A, power bank x4
            select
                *,
                case segment
                    when 'enterprise' then 0.08
                    when 'mid_market' then 0.09
                    when 'smb' then 0.07
                    else 0.10
                end
                * {variant_factor}
                * {cell_factor} as p_lead,
                rnd(recipient_no, 'delay_mix') as u_mix,
                rnd(recipient_no, 'delay') as u_delay,

            from delivered
        ),

        gift_leads as (
            select
                recipient_no,
                'gift' as kind,
                add_days(
                    first_delivered_at,
                    case
                        -- logged before the delivery was recorded
                        when u_mix < 0.04 then -(0.5 + 9.5 * u_delay)
                        -- most leads come within 14 days
                        when u_mix < 0.76 then 0.05 + 13.9 * u_delay * u_delay
                        when u_mix < 0.95 then 14 + 76 * u_delay
                        -- beyond the follow-up window
                        else 90 + 60 * u_delay
                    end
                ) as created_at,

            from gift_chance

            where rnd(recipient_no, 'gift_lead') < p_lead
        ),

        organic_leads as (
            -- leads that would have come anyway, holdout included
            select
                r.recipient_no,
                'organic' as kind,
                add_days(
                    c.start_date::timestamp,
                    rnd(r.recipient_no, 'organic_at') * (c.end_date - c.start_date + 90)
                ) as created_at,

            from recipients_truth as r

            inner join campaign_plan as c
                on r.campaign_id = c.campaign_id

            where rnd(r.recipient_no, 'organic_lead') < 0.03
        ),

        inbound_leads as (
            -- visitors the CRM cannot tie to any recipient
            select
                -i as recipient_no,
                'inbound' as kind,
                add_days(timestamp '2026-01-05', rnd(i, 'inbound_at') * 320) as created_at,

            from range(1, {n // 100} + 1) as t(i)
        ),

        all_leads as (
            select * from gift_leads
            union all
            select * from organic_leads
            union all
            select * from inbound_leads
        ),

        exported as (
            select
                *,
                row_number() over (order by created_at, kind, recipient_no) as lead_no,

            from all_leads

            where created_at < {cutoff}
        )

        select * from exported
        """,
        f"""
        create table opportunities_truth as
        with

        qualified as (
            select
                *,
                rnd(lead_no, 'qualified') < 0.55 as is_qualified,

            from leads_truth
        ),

        opened as (
            select
                lead_no,
                add_days(created_at, 1 + 14 * rnd(lead_no, 'opp_created')) as created_at,
                rnd(lead_no, 'stage') as u_stage,

            from qualified

            where is_qualified and rnd(lead_no, 'opportunity') < 0.50
        ),

        staged as (
            select
                *,
                case
                    when u_stage < 0.35 then 'won'
                    when u_stage < 0.70 then 'lost'
                    else 'open'
                end as drawn_stage,
                add_days(created_at, 3 + 67 * rnd(lead_no, 'opp_closed')) as drawn_closed_at,

            from opened

            where created_at < {cutoff}
        ),

        as_exported as (
            -- a deal that closes after the export is still open in it
            select
                lead_no,
                created_at,
                case
                    when drawn_stage <> 'open' and drawn_closed_at < {cutoff} then drawn_stage
                    else 'open'
                end as stage,
                case
                    when drawn_stage <> 'open' and drawn_closed_at < {cutoff}
                        then drawn_closed_at
                end as closed_at,
                case
                    when rnd(lead_no, 'no_amount') < 0.10 then null
                    else 1500 + 58500 * pow(rnd(lead_no, 'amount'), 2)
                end as amount,
                row_number() over (order by created_at, lead_no) as opportunity_no,

            from staged
        )

        select * from as_exported
        """,
        """
        create table codes_truth as
        with

        shipments as (
            select * from shipments_truth
        ),

        qr_codes as (
            select
                shipment_no,
                'qr' as code_type,
                'QR' || lpad(shipment_no::varchar, 8, '0') as code,

            from shipments

            where channel <> 'order_insert' and rnd(shipment_no, 'qr') < 0.90
        ),

        promo_codes as (
            select
                shipment_no,
                'promo' as code_type,
                'PR' || lpad(shipment_no::varchar, 8, '0') as code,

            from shipments

            where channel = 'order_insert' or rnd(shipment_no, 'promo') < 0.25
        ),

        all_codes as (
            select * from qr_codes
            union all
            select * from promo_codes
        ),

        with_shipment as (
            select
                c.*,
                s.recipient_no,
                s.ordered_at as issued_at,
                s.shipped_at,
                s.delivered_at,

            from all_codes as c

            inner join shipments as s
                on c.shipment_no = s.shipment_no
        )

        select * from with_shipment
        """,
        f"""
        create table code_events_truth as
        with

        delivered_codes as (
            select * from codes_truth where delivered_at is not null
        ),

        gift_lead_times as (
            select
                recipient_no,
                min(created_at) as first_lead_at,

            from leads_truth

            where kind = 'gift'

            group by 1
        ),

        with_lead as (
            -- a recipient who becomes a lead has usually used the code just before
            select
                c.*,
                l.first_lead_at > c.delivered_at as leads_later,
                l.first_lead_at,
                rnd(c.code, 'first_event') as u_first,

            from delivered_codes as c

            left join gift_lead_times as l
                on c.recipient_no = l.recipient_no
        ),

        first_events as (
            select
                code,
                if(code_type = 'qr', 'scan', 'redeem') as event_type,
                case
                    when leads_later then add_days(
                        delivered_at,
                        0.8 * rnd(code, 'before_lead')
                        * (epoch(first_lead_at) - epoch(delivered_at)) / 86400
                    )
                    when code_type = 'qr'
                        then add_days(delivered_at, 0.02 + 6 * pow(rnd(code, 'scan_at'), 2))
                    else add_days(delivered_at, 1 + 20 * rnd(code, 'redeem_at'))
                end as event_at,
                1 as seq,

            from with_lead

            where u_first < case
                when leads_later then 0.70
                when code_type = 'qr' then 0.30
                else 0.20
            end
        ),

        repeat_scans as (
            select
                code,
                'scan' as event_type,
                add_days(event_at, 1 + 20 * rnd(code, 'repeat_at')) as event_at,
                2 as seq,

            from first_events

            where event_type = 'scan' and rnd(code, 'repeat') < 0.25
        ),

        early_scans as (
            -- scanned in the warehouse before the parcel left: kept, never an activation
            select
                code,
                'scan' as event_type,
                add_days(shipped_at, -(1 + 46 * rnd(code, 'early_at')) / 24) as event_at,
                3 as seq,

            from delivered_codes

            where code_type = 'qr' and rnd(code, 'early') < 0.02
        ),

        daily_use_scans as (
            -- the event-heavy case: each scanned QR code is scanned again, between
            -- 0 and 2 x repeat_scans times (repeat_scans on average), over the 120
            -- days after its first scan; always after it, so it activates nothing
            select
                code,
                'scan' as event_type,
                add_days(event_at, 0.01 + 120 * rnd(code || '#' || n, 'daily_at'))
                    as event_at,
                3 + n as seq,

            from (
                select
                    code,
                    event_at,
                    unnest(generate_series(
                        1,
                        cast(round(
                            2 * {int(repeat_scans)} * rnd(code, 'daily_count')
                        ) as bigint)
                    )) as n,

                from first_events

                where event_type = 'scan'
            )
        ),

        all_events as (
            select * from first_events
            union all
            select * from repeat_scans
            union all
            select * from early_scans
            union all
            select * from daily_use_scans
        ),

        exported as (
            select
                *,
                row_number() over (order by event_at, code, seq) as event_no,

            from all_events

            where event_at < {cutoff}
        )

        select * from exported
        """,
        f"""
        create table returns_truth as
        with

        shipments as (
            select
                s.*,
                s.sku = 'SKU-BOTTLE' as is_bottle,

            from shipments_truth as s
        ),

        sent_back as (
            select
                shipment_no,
                case
                    when rnd(shipment_no, 'back_reason') < 0.40 then 'refused'
                    when rnd(shipment_no, 'back_reason') < 0.65 then 'wrong_item'
                    when rnd(shipment_no, 'back_reason') < 0.85 then 'damaged'
                    else 'other'
                end as reason,
                add_days(delivered_at, 1 + 9 * rnd(shipment_no, 'back_at')) as reported_at,
                quantity,

            from shipments

            where status = 'returned'
        ),

        defects as (
            -- the planted defect: one bottle in seven breaks
            select
                shipment_no,
                'defect' as reason,
                add_days(delivered_at, 2 + 28 * rnd(shipment_no, 'defect_at')) as reported_at,
                quantity,

            from shipments

            where status = 'delivered'
                and rnd(shipment_no, 'defect') < if(is_bottle, 0.14, 0.005)
        ),

        damages as (
            select
                shipment_no,
                'damaged' as reason,
                add_days(delivered_at, 1 + 5 * rnd(shipment_no, 'damage_at')) as reported_at,
                1 as quantity,

            from shipments

            where status = 'delivered' and rnd(shipment_no, 'damage') < 0.008
        ),

        undeliverable as (
            select
                shipment_no,
                'undeliverable' as reason,
                add_days(shipped_at, 10 + 10 * rnd(shipment_no, 'lost_at')) as reported_at,
                quantity,

            from shipments

            where status = 'lost' and rnd(shipment_no, 'lost_back') < 0.30
        ),

        all_returns as (
            select * from sent_back
            union all
            select * from defects
            union all
            select * from damages
            union all
            select * from undeliverable
        ),

        exported as (
            select
                *,
                row_number() over (order by reported_at, shipment_no, reason) as return_no,
                case
                    when rnd(shipment_no || reason, 'no_return_cost') < 0.20 then null
                    else 3 + 5 * rnd(shipment_no || reason, 'return_cost')
                end as handling_cost,

            from all_returns

            where reported_at < {cutoff}
        )

        select * from exported
        """,
        f"""
        create table survey_truth as
        with

        delivered as (
            select
                d.*,
                s.nps_exponent,

            from delivered_recipients as d

            -- a bottle recipient judges the campaign by the bottle
            left join sku_catalog as s
                on s.sku = if(d.got_bottle, 'SKU-BOTTLE', 'SKU-TEE')
        ),

        first_answers as (
            select
                recipient_no,
                campaign_id,
                nps_exponent,
                add_days(first_delivered_at, 2 + 28 * rnd(recipient_no, 'answer_at'))
                    as responded_at,
                1 as seq,

            from delivered

            where rnd(recipient_no, 'answers') < 0.15
        ),

        second_answers as (
            select
                recipient_no,
                campaign_id,
                nps_exponent,
                add_days(responded_at, 5 + 20 * rnd(recipient_no, 'again_at')) as responded_at,
                2 as seq,

            from first_answers

            where rnd(recipient_no, 'again') < 0.08
        ),

        anonymous_answers as (
            select
                null::bigint as recipient_no,
                c.campaign_id,
                0.35 as nps_exponent,
                add_days(c.end_date::timestamp, -10 + 20 * rnd(i, 'anonymous_at'))
                    as responded_at,
                i as seq,

            from range(1, {n // 200} + 1) as t(i)

            inner join campaign_plan as c
                on c.campaign_no = 1 + i % 2
        ),

        all_answers as (
            select * from first_answers
            union all
            select * from second_answers
            union all
            select * from anonymous_answers
        ),

        scored as (
            select
                *,
                draw(recipient_no * 10 + seq, campaign_id) as k,

            from all_answers

            where responded_at < {cutoff}
        ),

        exported as (
            select
                s.recipient_no,
                s.campaign_id,
                s.responded_at,
                case
                    when rnd(s.k, 'no_score') < 0.06 then null
                    else least(10, floor(11 * pow(rnd(s.k, 'score'), s.nps_exponent)))::integer
                end as nps_score,
                case when rnd(s.k, 'has_comment') < 0.55 then p.comment end as comment,
                row_number() over (
                    order by s.responded_at, s.campaign_id, s.recipient_no, s.seq
                ) as response_no,

            from scored as s

            inner join comment_pool as p
                on p.comment_no = s.k % (select count(*) from comment_pool)
        )

        select * from exported
        """,
        """
        create table forecast_truth as
        with

        shipped as (
            select
                campaign_id,
                sku,
                channel,
                sum(quantity) as units,

            from shipments_truth

            where status <> 'cancelled' and shipped_at is not null

            group by all
        ),

        planned as (
            -- the hoodie was planned at twice what went out; the rest within 15%
            select
                s.campaign_id,
                s.sku,
                s.channel,
                greatest(
                    1,
                    round(
                        s.units * if(
                            s.sku = 'SKU-HOOD',
                            1.9 + 0.2 * rnd(s.campaign_id || s.sku || s.channel, 'plan'),
                            0.85 + 0.30 * rnd(s.campaign_id || s.sku || s.channel, 'plan')
                        )
                    )
                )::bigint as forecast_units,
                c.unit_cost,

            from shipped as s

            inner join sku_catalog as c
                on s.sku = c.sku
        ),

        retired_plan as (
            -- autumn planned caps, then retired them: a forecast with nothing shipped
            select
                'CMP-2026-AUTUMN' as campaign_id,
                sku,
                'direct_mail' as channel,
                120::bigint as forecast_units,
                unit_cost,

            from sku_catalog

            where sku = 'SKU-CAP'
        ),

        all_plans as (
            select * from planned
            union all
            select * from retired_plan
        ),

        with_figures as (
            select
                *,
                campaign_id || sku || channel as k,

            from all_plans
        )

        select * from with_figures
        """,
    ]


def _output_steps() -> list[str]:
    """The SQL that turns typed rows into the contract's text, one view per table."""
    return [
        """
        create table out_campaigns as
        with

        sizes as (
            select
                campaign_id,
                count(*) as recipients,

            from recipients_truth

            group by 1
        ),

        formatted as (
            -- spring's budget has cents, autumn's is a whole number: both are decimals
            select
                p.campaign_id,
                p.campaign_name,
                strftime(p.start_date, '%Y-%m-%d') as start_date,
                strftime(p.end_date, '%Y-%m-%d') as end_date,
                p.currency,
                case
                    when p.campaign_no = 1
                        then money(round(s.recipients * p.budget_per_recipient, -2))
                    else round(s.recipients * p.budget_per_recipient, -2)::bigint::varchar
                end as budget,

            from campaign_plan as p

            inner join sizes as s
                on p.campaign_id = s.campaign_id
        )

        select * from formatted
        """,
        """
        create table out_forecast as
        select
            campaign_id,
            sku,
            channel,
            forecast_units::varchar as forecast_units,
            case
                when rnd(k, 'no_cost') >= 0.10 then money(forecast_units * (unit_cost + 7.5))
            end as forecast_cost,
            case
                when rnd(k, 'no_leads') >= 0.15 then round(forecast_units * 0.10)::bigint::varchar
            end as forecast_leads,
            case
                when rnd(k, 'no_conversions') >= 0.15
                    then round(forecast_units * 0.015)::bigint::varchar
            end as forecast_conversions,

        from forecast_truth
        """,
        """
        create table out_skus as
        select
            sku,
            sku_name,
            category,
            positioning,
            tier,
            money(unit_cost) as unit_cost,
            if(is_active, 'true', 'false') as is_active,

        from sku_catalog
        """,
        """
        create table out_suppliers as
        select
            supplier,
            on_time_target,
            max_lead_time_days,
            max_defect_rate,

        from supplier_profile

        where is_listed
        """,
        """
        create table out_recipients as
        select
            recipient_id,
            campaign_id,
            email,
            company,
            segment,
            country,
            variant,
            fmt_bool(is_holdout, rnd(recipient_no, 'fmt_holdout')) as is_holdout,

        from recipients_truth
        """,
        """
        create table out_shipments as
        select
            'S' || lpad(shipment_no::varchar, 8, '0') as shipment_id,
            campaign_id,
            recipient_id,
            sku,
            channel,
            quantity::varchar as quantity,
            supplier,
            carrier,
            fmt_ts(ordered_at, rnd(shipment_no, 'fmt_ordered')) as ordered_at,
            fmt_ts(shipped_at, rnd(shipment_no, 'fmt_shipped')) as shipped_at,
            fmt_ts(delivered_at, rnd(shipment_no, 'fmt_delivered')) as delivered_at,
            status,
            money(shipping_cost) as shipping_cost,
            money(handling_cost) as handling_cost,

        from shipments_truth
        """,
        """
        create table out_codes as
        select
            code,
            'S' || lpad(shipment_no::varchar, 8, '0') as shipment_id,
            code_type,
            fmt_ts_or_date(issued_at, rnd(code, 'fmt_issued')) as issued_at,

        from codes_truth
        """,
        """
        create table out_code_events as
        select
            'EV' || lpad(event_no::varchar, 9, '0') as event_id,
            code,
            event_type,
            fmt_ts(event_at, rnd(event_no, 'fmt_event')) as event_at,

        from code_events_truth
        """,
        """
        create table out_leads as
        with

        leads as (
            select
                l.*,
                r.recipient_id as owner_id,
                r.email as owner_email,
                rnd(l.lead_no, 'email_only') < 0.15 and r.email is not null as email_only,
                rnd(l.lead_no, 'email_case') as u_case,

            from leads_truth as l

            left join recipients_truth as r
                on l.recipient_no = r.recipient_no
        ),

        formatted as (
            -- a CRM that only knows the e-mail spells it its own way
            select
                'L' || lpad(lead_no::varchar, 8, '0') as lead_id,
                if(email_only, null, owner_id) as recipient_id,
                case
                    when kind = 'inbound' then 'visitor' || (-recipient_no) || '@inbound.example'
                    when email_only and u_case < 0.33 then '  ' || upper(owner_email)
                    when email_only and u_case < 0.66 then owner_email || ' '
                    when email_only
                        then ' ' || upper(owner_email[1]) || owner_email[2:] || '  '
                    when rnd(lead_no, 'has_email') < 0.60 then owner_email
                end as email,
                fmt_ts(created_at, rnd(lead_no, 'fmt_created')) as created_at,
                case
                    when rnd(lead_no, 'no_source') < 0.10 then null
                    when kind = 'gift' and rnd(lead_no, 'source') < 0.55 then 'goodies'
                    when kind = 'gift' then 'sales_call'
                    when rnd(lead_no, 'source') < 0.70 then 'web_form'
                    else 'referral'
                end as lead_source,
                fmt_bool(rnd(lead_no, 'qualified') < 0.55, rnd(lead_no, 'fmt_qualified'))
                    as is_qualified,

            from leads
        )

        select * from formatted
        """,
        """
        create table out_opportunities as
        select
            'O' || lpad(opportunity_no::varchar, 7, '0') as opportunity_id,
            'L' || lpad(lead_no::varchar, 8, '0') as lead_id,
            fmt_ts(created_at, rnd(opportunity_no, 'fmt_created')) as created_at,
            fmt_ts(closed_at, rnd(opportunity_no, 'fmt_closed')) as closed_at,
            stage,
            money(amount) as amount,

        from opportunities_truth
        """,
        """
        create table out_returns as
        select
            'RT' || lpad(return_no::varchar, 7, '0') as return_id,
            'S' || lpad(shipment_no::varchar, 8, '0') as shipment_id,
            fmt_ts_or_date(reported_at, rnd(return_no, 'fmt_reported')) as reported_at,
            reason,
            quantity::varchar as quantity,
            money(handling_cost) as handling_cost,

        from returns_truth
        """,
        """
        create table out_survey_responses as
        select
            'V' || lpad(response_no::varchar, 7, '0') as response_id,
            campaign_id,
            'R' || lpad(recipient_no::varchar, 7, '0') as recipient_id,
            fmt_ts_or_date(responded_at, rnd(response_no, 'fmt_responded')) as responded_at,
            nps_score::varchar as nps_score,
            comment,

        from survey_truth
        """,
        """
        create table out_debrief_attendance as
        select * from debrief_plan
        """,
    ]


def _plant_duplicates(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Copy a few generated rows verbatim (rule 1); returns the copies per table."""
    merged = {}
    for table in TABLES:
        wanted = _DUPLICATES.get(table, 0)
        columns = ", ".join(COLUMNS[table])
        # A pseudo-random pick that depends on whole rows, so ties cannot reorder it.
        con.execute(
            f"""
            create table dup_{table} as
            select * from out_{table}
            order by draw(concat_ws('|', {columns}), 'duplicate'), {columns}
            limit {wanted}
            """
        )
        merged[table] = con.execute(f"select count(*) from dup_{table}").fetchone()[0]
    return merged


def _anchors(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Real keys that planted rows may point to without becoming anybody's parent."""

    def first(sql: str) -> str:
        row = con.execute(sql).fetchone()
        return row[0] if row else ""

    return {
        "recipient": first(
            f"""
            select recipient_id from recipients_truth
            where campaign_id = '{SPRING}' and not is_holdout
            order by recipient_id limit 1
            """
        ),
        "shipment": first(
            f"""
            select shipment_id from out_shipments
            where campaign_id = '{SPRING}' and status = 'delivered'
            order by shipment_id limit 1
            """
        ),
        "code": first("select code from out_codes order by code limit 1"),
        "lead": first("select lead_id from out_leads order by lead_id limit 1"),
    }


def _planted_rows(a: dict[str, str]) -> dict[str, list[tuple[str, dict[str, str | None]]]]:
    """The broken rows per table: (reason code, the row). Each breaks one rule only."""
    ghost = _GHOST

    def rows(base: dict, *breaches: tuple[str, dict]) -> list[tuple[str, dict]]:
        return [(reason, {**base, **changes}) for reason, changes in breaches]

    campaign = {
        "campaign_name": "Planted campaign",
        "start_date": "2026-06-01",
        "end_date": "2026-06-30",
        "currency": "EUR",
        "budget": "12000.00",
    }
    forecast = {
        "campaign_id": AUTUMN,
        "sku": "SKU-CAP",
        "channel": "direct_mail",
        "forecast_units": "40",
        "forecast_cost": "516.00",
        "forecast_leads": "4",
        "forecast_conversions": "1",
    }
    sku = {
        "sku_name": "Planted goodie",
        "category": "accessories",
        "positioning": "visibility",
        "tier": "standard",
        "unit_cost": "1.20",
        "is_active": "true",
    }
    supplier = {"on_time_target": "0.90", "max_lead_time_days": "10", "max_defect_rate": "0.02"}
    recipient = {
        "campaign_id": SPRING,
        "email": None,
        "company": "Planted Ltd",
        "segment": "smb",
        "country": "FR",
        "variant": "A",
        "is_holdout": "false",
    }
    shipment = {
        "campaign_id": SPRING,
        "recipient_id": a["recipient"],
        "sku": "SKU-MUG",
        "channel": "direct_mail",
        "quantity": "1",
        "supplier": "NordPack",
        "carrier": "DHL",
        "ordered_at": "2026-03-10 09:00:00",
        "shipped_at": "2026-03-11 09:00:00",
        "delivered_at": "2026-03-14 15:00:00",
        "status": "delivered",
        "shipping_cost": "5.90",
        "handling_cost": "1.80",
    }
    code = {"shipment_id": a["shipment"], "code_type": "qr", "issued_at": "2026-03-10 09:00:00"}
    event = {"code": a["code"], "event_type": "scan", "event_at": "2026-03-20 12:00:00"}
    lead = {
        "recipient_id": a["recipient"],
        "email": None,
        "created_at": "2026-03-20 12:00:00",
        "lead_source": "goodies",
        "is_qualified": "true",
    }
    opportunity = {
        "lead_id": a["lead"],
        "created_at": "2026-03-25 10:00:00",
        "closed_at": "2026-04-20 10:00:00",
        "stage": "won",
        "amount": "8000.00",
    }
    ret = {
        "shipment_id": a["shipment"],
        "reported_at": "2026-03-22",
        "reason": "damaged",
        "quantity": "1",
        "handling_cost": "4.00",
    }
    response = {
        "campaign_id": SPRING,
        "recipient_id": a["recipient"],
        "responded_at": "2026-03-25 18:00:00",
        "nps_score": "8",
        "comment": "Planted answer",
    }
    attendance = {
        "campaign_id": SPRING,
        "meeting_date": "2026-05-12",
        "team": "sales",
        "attendee": "Planted Person",
    }

    return {
        "campaigns": rows(
            campaign,
            ("key_clash", {"campaign_id": "CMP-2026-SUMMER", "budget": "12000"}),
            ("key_clash", {"campaign_id": "CMP-2026-SUMMER", "budget": "12000.00"}),
            ("missing_value", {"campaign_id": "CMP-2026-WINTER", "campaign_name": None}),
            ("invalid_type", {"campaign_id": "CMP-2026-FAIR", "start_date": "2026-02-30"}),
            ("invalid_type", {"campaign_id": "CMP-2026-PROMO", "budget": "1e3"}),
            ("negative_amount", {"campaign_id": "CMP-2026-WEBINAR", "budget": "-1.00"}),
            (
                "end_before_start",
                {
                    "campaign_id": "CMP-2026-EXPO",
                    "start_date": "2026-07-10",
                    "end_date": "2026-07-01",
                },
            ),
        ),
        "forecast": rows(
            forecast,
            ("key_clash", {"channel": "event", "forecast_units": "60"}),
            ("key_clash", {"channel": "event", "forecast_units": "65"}),
            ("invalid_type", {"channel": "sales_visit", "forecast_units": "1e3"}),
            ("negative_amount", {"channel": "order_insert", "forecast_cost": "-5.00"}),
            ("missing_value", {"campaign_id": None, "sku": "SKU-MUG"}),
            ("not_allowed", {"campaign_id": SPRING, "sku": "SKU-MUG", "channel": "email"}),
            ("unknown_sku", {"campaign_id": SPRING, "sku": ghost["sku"]}),
            ("unknown_campaign", {"campaign_id": ghost["campaign"], "sku": "SKU-MUG"}),
        ),
        "skus": rows(
            sku,
            ("key_clash", {"sku": "SKU-LANYARD", "unit_cost": "2.5"}),
            ("key_clash", {"sku": "SKU-LANYARD", "unit_cost": "2.50"}),
            ("not_allowed", {"sku": "SKU-STICKER", "positioning": "Utility"}),
            ("not_allowed", {"sku": "SKU-UMBRELLA", "tier": "gold"}),
            ("invalid_type", {"sku": "SKU-SOCKS", "unit_cost": "1,5"}),
            ("invalid_type", {"sku": "SKU-CHARGER", "is_active": "yes"}),
            ("missing_value", {"sku": "SKU-PUZZLE", "category": None}),
            ("negative_amount", {"sku": "SKU-KEYRING", "unit_cost": "-1.00"}),
        ),
        "suppliers": rows(
            supplier,
            ("key_clash", {"supplier": "QuickBox", "on_time_target": "0.9"}),
            ("key_clash", {"supplier": "QuickBox", "on_time_target": "0.90"}),
            ("rate_out_of_range", {"supplier": "FastTrack", "on_time_target": "1.5"}),
            ("rate_out_of_range", {"supplier": "BulkGoods", "max_defect_rate": "-0.01"}),
            ("negative_amount", {"supplier": "SlowShip", "max_lead_time_days": "-3"}),
            ("invalid_type", {"supplier": "HalfDay", "max_lead_time_days": "7.5"}),
            ("missing_value", {"supplier": None}),
        ),
        "recipients": rows(
            recipient,
            ("key_clash", {"recipient_id": "R-X0001", "company": "Planted Ltd"}),
            ("key_clash", {"recipient_id": "R-X0001", "company": "Planted Limited"}),
            ("missing_value", {"recipient_id": "R-X0002", "segment": None}),
            ("invalid_type", {"recipient_id": "R-X0003", "is_holdout": "yes"}),
            ("unknown_campaign", {"recipient_id": "R-X0004", "campaign_id": ghost["campaign"]}),
        ),
        "shipments": rows(
            shipment,
            ("key_clash", {"shipment_id": "S-X0001", "handling_cost": "1.80"}),
            ("key_clash", {"shipment_id": "S-X0001", "handling_cost": "1.8"}),
            ("not_allowed", {"shipment_id": "S-X0002", "status": "Delivered"}),
            ("not_allowed", {"shipment_id": "S-X0003", "channel": "email"}),
            ("invalid_type", {"shipment_id": "S-X0004", "quantity": "two"}),
            ("invalid_type", {"shipment_id": "S-X0005", "ordered_at": "yesterday"}),
            ("invalid_type", {"shipment_id": "S-X0006", "shipping_cost": "1,5"}),
            ("not_positive", {"shipment_id": "S-X0007", "quantity": "0"}),
            ("not_positive", {"shipment_id": "S-X0008", "quantity": "-1"}),
            ("negative_amount", {"shipment_id": "S-X0009", "shipping_cost": "-1.00"}),
            ("missing_value", {"shipment_id": "S-X0010", "ordered_at": None}),
            (
                "shipped_before_ordered",
                {"shipment_id": "S-X0011", "shipped_at": "2026-03-09 09:00:00"},
            ),
            (
                "delivered_before_shipped",
                {"shipment_id": "S-X0012", "delivered_at": "2026-03-10T20:00:00Z"},
            ),
            ("delivered_without_shipped", {"shipment_id": "S-X0013", "shipped_at": None}),
            ("cancelled_with_delivery", {"shipment_id": "S-X0014", "status": "cancelled"}),
            ("unknown_recipient", {"shipment_id": "S-X0015", "recipient_id": ghost["recipient"]}),
            ("unknown_sku", {"shipment_id": "S-X0016", "sku": ghost["sku"]}),
            ("unknown_campaign", {"shipment_id": "S-X0017", "campaign_id": ghost["campaign"]}),
            ("campaign_mismatch", {"shipment_id": "S-X0018", "campaign_id": AUTUMN}),
        ),
        "codes": rows(
            code,
            # the same instant spelt two ways is still a clash: the comparison is on text
            ("key_clash", {"code": "QR-X0001", "issued_at": "2026-03-10"}),
            ("key_clash", {"code": "QR-X0001", "issued_at": "2026-03-10 00:00:00"}),
            ("not_allowed", {"code": "QR-X0002", "code_type": "QR"}),
            ("not_allowed", {"code": "QR-X0003", "code_type": "coupon"}),
            ("invalid_type", {"code": "QR-X0004", "issued_at": "2026-13-01"}),
            ("missing_value", {"code": "QR-X0005", "shipment_id": None}),
            ("unknown_shipment", {"code": "QR-X0006", "shipment_id": ghost["shipment"]}),
        ),
        "code_events": rows(
            event,
            ("key_clash", {"event_id": "EV-X0001", "event_type": "scan"}),
            ("key_clash", {"event_id": "EV-X0001", "event_type": "redeem"}),
            ("not_allowed", {"event_id": "EV-X0002", "event_type": "click"}),
            ("invalid_type", {"event_id": "EV-X0003", "event_at": "yesterday"}),
            ("missing_value", {"event_id": "EV-X0004", "code": None}),
            ("unknown_code", {"event_id": "EV-X0005", "code": ghost["code"]}),
        ),
        "leads": rows(
            lead,
            ("key_clash", {"lead_id": "L-X0001", "is_qualified": "true"}),
            ("key_clash", {"lead_id": "L-X0001", "is_qualified": "TRUE"}),
            ("invalid_type", {"lead_id": "L-X0002", "is_qualified": "yes"}),
            ("invalid_type", {"lead_id": "L-X0003", "created_at": "2026-02-30 10:00:00"}),
            ("missing_value", {"lead_id": "L-X0004", "created_at": None}),
            ("unknown_recipient", {"lead_id": "L-X0005", "recipient_id": ghost["recipient"]}),
        ),
        "opportunities": rows(
            opportunity,
            ("key_clash", {"opportunity_id": "O-X0001", "amount": "8000.00"}),
            ("key_clash", {"opportunity_id": "O-X0001", "amount": "8500.00"}),
            ("not_allowed", {"opportunity_id": "O-X0002", "stage": "Won"}),
            ("invalid_type", {"opportunity_id": "O-X0003", "amount": "1e3"}),
            ("negative_amount", {"opportunity_id": "O-X0004", "amount": "-100.00"}),
            ("missing_value", {"opportunity_id": "O-X0005", "lead_id": None}),
            (
                "closed_before_created",
                {"opportunity_id": "O-X0006", "closed_at": "2026-03-24T10:00:00+02:00"},
            ),
            ("unknown_lead", {"opportunity_id": "O-X0007", "lead_id": ghost["lead"]}),
        ),
        "returns": rows(
            ret,
            ("key_clash", {"return_id": "RT-X0001", "reason": "damaged"}),
            ("key_clash", {"return_id": "RT-X0001", "reason": "defect"}),
            ("not_allowed", {"return_id": "RT-X0002", "reason": "broken"}),
            ("invalid_type", {"return_id": "RT-X0003", "quantity": "1.5"}),
            ("not_positive", {"return_id": "RT-X0004", "quantity": "0"}),
            ("not_positive", {"return_id": "RT-X0005", "quantity": "-2"}),
            ("negative_amount", {"return_id": "RT-X0006", "handling_cost": "-2.50"}),
            ("unknown_shipment", {"return_id": "RT-X0007", "shipment_id": ghost["shipment"]}),
        ),
        "survey_responses": rows(
            response,
            ("key_clash", {"response_id": "V-X0001", "nps_score": "8"}),
            ("key_clash", {"response_id": "V-X0001", "nps_score": "9"}),
            ("not_allowed", {"response_id": "V-X0002", "nps_score": "11"}),
            ("not_allowed", {"response_id": "V-X0003", "nps_score": "-1"}),
            ("invalid_type", {"response_id": "V-X0004", "nps_score": "ten"}),
            ("invalid_type", {"response_id": "V-X0005", "responded_at": "2026-02-30 10:00"}),
            ("missing_value", {"response_id": "V-X0006", "campaign_id": None}),
            (
                "unknown_recipient",
                {"response_id": "V-X0007", "recipient_id": ghost["recipient"]},
            ),
            (
                "unknown_campaign",
                {"response_id": "V-X0008", "campaign_id": ghost["campaign"], "recipient_id": None},
            ),
            ("campaign_mismatch", {"response_id": "V-X0009", "campaign_id": AUTUMN}),
        ),
        "debrief_attendance": rows(
            attendance,
            # autumn still misses logistics: a capitalised team is not a team
            (
                "not_allowed",
                {"campaign_id": AUTUMN, "meeting_date": "2026-11-26", "team": "Logistics"},
            ),
            ("not_allowed", {"team": "finance"}),
            ("invalid_type", {"meeting_date": "2026-02-30"}),
            ("missing_value", {"attendee": None}),
            ("unknown_campaign", {"campaign_id": ghost["campaign"]}),
        ),
    }


def _plant_broken_rows(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Insert the broken rows (rules 2 to 6); returns their counts by table and reason."""
    planted = _planted_rows(_anchors(con))
    set_aside: dict[str, dict[str, int]] = {}
    for table in TABLES:
        columns = COLUMNS[table]
        breaches = planted.get(table, [])
        _insert_rows(
            con,
            f"planted_{table}",
            [(column, "varchar") for column in columns],
            [tuple(row.get(column) for column in columns) for _, row in breaches],
        )
        counts: dict[str, int] = {}
        for reason, _ in breaches:
            counts[reason] = counts.get(reason, 0) + 1
        set_aside[table] = dict(sorted(counts.items()))
    return set_aside


def _write_files(con: duckdb.DuckDBPyConnection, out: Path, file_format: str) -> dict[str, int]:
    rows = {}
    options = "format parquet" if file_format == "parquet" else "format csv, header, delimiter ','"
    for table in TABLES:
        path = out / f"{table}.{file_format}"
        literal = str(path).replace("'", "''")
        # Sorting on every column makes the bytes independent of how rows were produced.
        con.execute(
            f"""
            copy (
                select * from out_{table}
                union all
                select * from dup_{table}
                union all
                select * from planted_{table}
                order by all
            ) to '{literal}' ({options})
            """
        )
        rows[table] = sum(
            con.execute(f"select count(*) from {part}_{table}").fetchone()[0]
            for part in ("out", "dup", "planted")
        )
    return rows
