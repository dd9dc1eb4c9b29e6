"""The exports written beside the report pages, for the tools the debrief's decisions go to.

`actions.csv` imports into a task tracker, `catalog_updates.csv` and `revised_forecast.csv`
open in a spreadsheet, `debrief.ics` in a calendar. They are built from the report dict after
render.with_sentences (an action's title and an insight's text are sentences by then), as
text in memory, so that render.write_atomic moves them into place with the other files.

CSV files are RFC 4180 (comma, double quotes, CRLF), UTF-8 without a byte-order mark, which
task trackers read as is. A spreadsheet runs a cell that starts with =, +, -, @, a tab or a
carriage return as a formula: such a text cell gets a leading apostrophe (OWASP's guidance
on CSV injection). Numbers are written as numbers, so a variance of -0.48 stays -0.48; the
choice is made by the value's type, never by what its text looks like.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import icalendar

ACTIONS_COLUMNS = (
    "campaign_id", "priority", "title", "owner_team", "due", "insight_rank", "insight", "kind",
)  # fmt: skip
REVISED_COLUMNS = (
    "campaign_id", "currency", "sku", "channel", "units", "leads_per_unit",
    "conversions_per_unit", "cost_per_unit",
)  # fmt: skip
# The columns catalog_updates.csv always starts with; the mart's others follow in its order.
CATALOG_COLUMNS = ("campaign_id", "currency", "sku", "update_to", "rule_verdict", "reason")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# RFC 5545 allows no control character in a text value but the tab; the bidirectional
# overrides would reorder what a calendar shows. Both are shown as U+FFFD, as in the pages.
_ICS_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Stable event UIDs: importing a newer debrief.ics updates the events instead of adding more.
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "goodies-report:debrief.ics")


def csv_cell(value: Any) -> str:
    """A report value as a CSV cell: a number as a number, a text made formula-proof."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping | list | tuple):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A header line and one line per row; a key a row lacks is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def actions_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every action of every campaign, in the report's order, with its insight's text."""
    rows = []
    for campaign in report["campaigns"]:
        texts = {insight["rank"]: insight.get("text") for insight in campaign["insights"]}
        for action in campaign["actions"]:
            rows.append(
                {
                    "campaign_id": campaign["campaign_id"],
                    **action,
                    "insight": texts.get(action.get("insight_rank")),
                }
            )
    return rows


def _campaign_rows(report: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    return [
        {"campaign_id": campaign["campaign_id"], "currency": campaign["currency"], **row}
        for campaign in report["campaigns"]
        for row in campaign[key]
    ]


def catalog_columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """CATALOG_COLUMNS, then every other key of the rows in the order first seen."""
    columns = dict.fromkeys(CATALOG_COLUMNS)
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def working_day_before(day: dt.date) -> dt.date:
    """The last Monday-to-Friday day before `day` (public holidays are not known here)."""
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def debrief_date(timing: Mapping[str, Any]) -> dt.date | None:
    """The debrief meeting: the working day before the post-mortem is due, so that the
    figures have had all the time there is to come in and the decisions are still on time."""
    due = timing.get("postmortem_due")
    return working_day_before(dt.date.fromisoformat(due)) if due else None


def _text(value: Any) -> str:
    return _ICS_CONTROL.sub("\ufffd", str(value))


def _lines(lines: Iterable[str]) -> str:
    # each line cleaned alone: the newlines between them are the description's own
    return "\n".join(_text(line) for line in lines)


def _event(
    kind: str, campaign_id: str, day: dt.date, stamp: dt.datetime, summary: str, description: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", str(uuid.uuid5(_UID_NAMESPACE, f"{kind}:{campaign_id}")))
    event.add("dtstamp", stamp)
    # An all-day event: the meeting's hour is for whoever sends the invitation to choose.
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("summary", _text(summary))
    event.add("description", description)
    event.add("categories", ["goodies-report", kind])
    return event


def to_ics(report: Mapping[str, Any]) -> str:
    """debrief.ics: per campaign, the debrief meeting and the follow-up review."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//goodies-report//campaign post-mortem//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    generated = report.get("generated_at")
    stamp = (
        dt.datetime.fromisoformat(generated).astimezone(dt.UTC)
        if generated
        else dt.datetime.now(dt.UTC)
    ).replace(microsecond=0)
    for campaign in report["campaigns"]:
        name = f"{campaign['campaign_name']} ({campaign['campaign_id']})"
        timing = campaign["timing"]
        debrief = debrief_date(timing)
        if debrief is not None:
            top = [i for i in campaign["insights"] if i.get("top_five", True)][:5]
            description = _lines(
                [f"Post-mortem due {timing['postmortem_due']}."]
                + (["Leading insights:"] if top else ["No insight in the report."])
                + [f"{i['rank']}. {i['text']}" for i in top]
            )
            calendar.add_component(
                _event(
                    "debrief",
                    campaign["campaign_id"],
                    debrief,
                    stamp,
                    f"Debrief: {name}",
                    description,
                )
            )
        if timing.get("followup_due"):
            description = _lines(
                (["Actions to review:"] if campaign["actions"] else ["No action to review."])
                + [
                    f"{a['priority']}. {a['title']} ({a['owner_team']}, due {a['due']})"
                    for a in campaign["actions"]
                ]
            )
            calendar.add_component(
                _event(
                    "followup",
                    campaign["campaign_id"],
                    dt.date.fromisoformat(timing["followup_due"]),
                    stamp,
                    f"Follow-up review: {name}",
                    description,
                )
            )
    return calendar.to_ical().decode("utf-8")


def render_exports(report: Mapping[str, Any]) -> dict[str, str]:
    """File name -> text of every export, from the report after render.with_sentences."""
    catalog = _campaign_rows(report, "catalog_updates")
    return {
        "actions.csv": to_csv(ACTIONS_COLUMNS, actions_rows(report)),
        "catalog_updates.csv": to_csv(catalog_columns(catalog), catalog),
        "revised_forecast.csv": to_csv(REVISED_COLUMNS, _campaign_rows(report, "revised_forecast")),
        "debrief.ics": to_ics(report),
    }
