"""Hostile text in the raw files is printed as text in every format, and quotes in a value
reach SQL only as data.

One build (shared with test_faults, see isolated.hostile_build) runs on generated files whose
spring campaign is named with a script and a spreadsheet formula, whose autumn campaign's
id is `CMP-2026-AUTUMN' or '1'='1` in every table, whose mug SKU holds markup, a pipe and
quotes, whose companies hold a formula and whose latest comments hold script, formulas,
SQL, Markdown syntax and control characters; its data folder is named `it's "raw"`.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import isolated
import pytest
from isolated import (
    HOSTILE_CAMPAIGN_ID,
    HOSTILE_CAMPAIGN_NAME,
    HOSTILE_COMMENTS,
    HOSTILE_SKU,
)
from markupsafe import escape

from goodies_report import render

TEMPLATES = isolated.PROJECT_DIR / "reports" / "templates"
SHOWN = (HOSTILE_CAMPAIGN_NAME, HOSTILE_CAMPAIGN_ID, HOSTILE_SKU, *HOSTILE_COMMENTS)
# A pipe not escaped by a backslash (one preceded by an even number of backslashes).
CELL_BORDER = re.compile(r"(?<!\\)(?:\\\\)*\|")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    built = isolated.hostile_build(tmp_path_factory)
    assert built.result.returncode == 0, built.result.stderr[-3000:]
    assert isolated.no_traceback(built.result)
    return built


# What charts.py writes into an inline chart: a title, rectangles, lines and texts, nothing
# active, nothing that refers to another element or file.
SVG_TAGS = {"svg", "title", "rect", "line", "text"}


class Page(HTMLParser):
    """The tags (outside inline SVG charts, and inside them), attribute names and text of
    an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.svg_tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "svg" or self._svg_depth:
            self.svg_tags.add(tag)
            self._svg_depth += 1
        else:
            self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        (self.svg_tags if self._svg_depth else self.tags).add(tag)
        self.attributes |= {name for name, _ in attrs}

    def handle_endtag(self, tag: str) -> None:
        if self._svg_depth:
            self._svg_depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_json_carries_the_text_exactly(hostile) -> None:
    text = (hostile.out / "report.json").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x09\x0b-\x1f]", text)  # control characters JSON-escaped
    report = json.loads(text)
    campaigns = {c["campaign_id"]: c for c in report["campaigns"]}
    assert sorted(campaigns) == [HOSTILE_CAMPAIGN_ID, "CMP-2026-SPRING"]
    assert campaigns["CMP-2026-SPRING"]["campaign_name"] == HOSTILE_CAMPAIGN_NAME
    comments = [c["comment"] for campaign in campaigns.values() for c in campaign["comments"]]
    for comment in HOSTILE_COMMENTS:
        assert comment in comments
    for campaign in campaigns.values():
        skus = campaign["breakdowns"]["sku"]
        assert HOSTILE_SKU in [row["sku"] for row in skus]
        # the quoted id joined like any other: the SKUs' units add up to the campaign's
        units = campaign["kpis"]["units_shipped"]
        assert units > 0 and sum(row["units_shipped"] for row in skus) == units


def test_html_is_escaped(hostile) -> None:
    html = (hostile.out / "report.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    template = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    template_tags = set(re.findall(r"<([a-z][a-z0-9]*)", template))
    assert page.tags <= template_tags, page.tags - template_tags
    assert "text" in page.svg_tags  # the page has its charts, and they are checked
    assert page.svg_tags <= SVG_TAGS, page.svg_tags - SVG_TAGS
    assert not {name for name in page.attributes if name.startswith("on")}
    for value in SHOWN:
        assert str(escape(value)) == value or value not in html, value
    assert not render._CONTROL.search(html)
    text = "".join(page.text)
    for value in SHOWN:
        assert render.visible(value) in text, value
    assert "&lt;script&gt;alert(&#34;campaign&#34;)&lt;/script&gt;" in html


def test_markdown_is_escaped(hostile) -> None:
    markdown = (hostile.out / "report.md").read_text(encoding="utf-8")
    assert not render._CONTROL.search(markdown)
    for value in SHOWN:
        escaped = render.md_escape(value)
        assert escaped in markdown, value
        assert escaped == value or value not in markdown, value
    # No value breaks a table: each row has as many cell borders as its header.
    header_borders = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            header_borders = None
            continue
        borders = len(CELL_BORDER.findall(line))
        header_borders = header_borders or borders
        assert borders == header_borders, line
    assert r"\<script\>alert\(\"campaign\"\)" not in markdown  # quotes need no escape
    assert r"\<script\>alert\(" in markdown


def test_control_characters_are_shown_not_obeyed() -> None:
    assert render.md_escape("a\x1b[2Jb &lt; c\u202ed") == "a\ufffd\\[2Jb \\&lt; c\ufffdd"
    assert render.visible("tab\there\nline") == "tab\there\nline"
    assert render.visible(7) == 7


def test_a_quoted_campaign_option_is_data(hostile, tmp_path: Path) -> None:
    """--campaign with SQL quotes matches no campaign rather than all of them, and the
    campaign whose id holds quotes is selected exactly."""
    injected = "x' or '1'='1"
    result = isolated.run(
        hostile.project, hostile.database, "--skip-build", "--campaign", injected,
        "--out", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        f"Error: no campaign \"x' or '1'='1\"; "
        f"known campaigns: {HOSTILE_CAMPAIGN_ID}, CMP-2026-SPRING\n"
    )
    assert not (tmp_path / "none").exists()

    out = tmp_path / "one"
    result = isolated.run(
        hostile.project, hostile.database, "--skip-build", "--campaign", HOSTILE_CAMPAIGN_ID,
        "--as-of", isolated.AS_OF, "--format", "json", "--out", str(out), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [c["campaign_id"] for c in report["campaigns"]] == [HOSTILE_CAMPAIGN_ID]
    [kpis] = isolated.rows(
        hostile.database,
        "select units_shipped from main.campaign_kpis where campaign_id = ?",
        HOSTILE_CAMPAIGN_ID,
    )
    assert report["campaigns"][0]["kpis"]["units_shipped"] == kpis["units_shipped"]


def test_a_quoted_date_option_is_refused(hostile, tmp_path: Path) -> None:
    result = isolated.run(
        hostile.project, hostile.database, "--skip-build", "--as-of", "2026-12-01' or '1'='1",
        "--out", str(tmp_path / "none"),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        "Error: Invalid value for '--as-of': \"2026-12-01' or '1'='1\" is not a date; "
        "use YYYY-MM-DD, e.g. 2026-06-30\n"
    )


def test_a_data_folder_named_with_quotes_is_read(hostile) -> None:
    assert hostile.data.name == 'it\'s "raw"'
    [row] = isolated.rows(
        hostile.database, "select raw_rows from main.data_quality where table_name = 'campaigns'"
    )
    with open(hostile.data / "campaigns.csv", newline="", encoding="utf-8") as handle:
        written = len(list(csv.reader(handle))) - 1  # a name holds newlines: records, not lines
    assert row["raw_rows"] == written


def test_spreadsheet_files_do_not_start_cells_with_a_formula(hostile) -> None:
    """A CSV the report writes opens in a spreadsheet: a cell starting with =, +, - or @
    that is not a number must be quoted with a leading apostrophe."""
    sheets = sorted(hostile.out.glob("*.csv"))
    if not sheets:
        pytest.skip("the report writes no CSV file")
    for path in sheets:
        with open(path, newline="", encoding="utf-8") as handle:
            for record in csv.reader(handle):
                for cell in record:
                    if cell[:1] in ("=", "+", "-", "@"):
                        assert re.fullmatch(r"[+-]?[0-9.]+(e[+-]?[0-9]+)?", cell), (path, cell)


def test_calendar_events_are_not_injected(hostile) -> None:
    """A campaign name holding a newline and calendar syntax stays inside its SUMMARY."""
    path = hostile.out / "debrief.ics"
    if not path.is_file():
        pytest.skip("the report writes no calendar")
    text = path.read_text(encoding="utf-8")
    events = [c for c in icalendar.Calendar.from_ical(text).walk() if c.name == "VEVENT"]
    assert 0 < len(events) <= 4  # a debrief and a follow-up per campaign at most
    assert sum(line == "BEGIN:VEVENT" for line in text.splitlines()) == len(events)
    summaries = [str(event["summary"]) for event in events]
    assert "x" not in summaries and not any("\n" in summary for summary in summaries)
    assert any('<script>alert("campaign")</script>' in summary for summary in summaries)
