"""The event files of a generated folder changed the way a later export changes them: new
code events, leads and opportunities appended, a second copy of an existing event (an exact
duplicate), a row whose key clashes with a kept lead, and a row that left the file. Shared by
the incremental tests on DuckDB (test_incremental.py) and PostgreSQL (test_postgres.py).
"""

from __future__ import annotations

import csv
from pathlib import Path


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def grow_the_exports(folder: Path) -> dict[str, object]:
    """Change the event files as a later export would; say what was done."""
    header, events = read(folder / "code_events.csv")
    kept_events = [r for r in events if r[0].startswith("EV") and not r[0].startswith("EV-X")]
    appended = [[f"NEW-{r[0]}", *r[1:]] for r in kept_events[::20]]
    duplicated = kept_events[1]
    departed = kept_events[2]
    events = [r for r in events if r != departed] + appended + [duplicated]
    write(folder / "code_events.csv", header, events)

    header, leads = read(folder / "leads.csv")
    kept_leads = [r for r in leads if not r[0].startswith("L-X")]
    new_leads = [[f"NEW-{r[0]}", *r[1:]] for r in kept_leads[::10]]
    clash = list(kept_leads[3])
    clash[header.index("lead_source")] = "a different source"
    write(folder / "leads.csv", header, leads + new_leads + [clash])

    header, opportunities = read(folder / "opportunities.csv")
    lead_ids = {r[0][len("NEW-") :] for r in new_leads}
    lead = header.index("lead_id")
    new_opportunities = [
        [f"NEW-{r[0]}" if i == 0 else f"NEW-{v}" if i == lead else v for i, v in enumerate(r)]
        for r in opportunities
        if r[lead] in lead_ids
    ]
    write(folder / "opportunities.csv", header, opportunities + new_opportunities)
    return {
        "appended_events": len(appended),
        "duplicated_event": duplicated[0],
        "departed_event": departed[0],
        "clashing_lead": clash[0],
        "new_leads": len(new_leads),
        "new_opportunities": len(new_opportunities),
    }
