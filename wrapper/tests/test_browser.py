"""The HTML report opened from disk in a real browser (headless Chromium), the network off.

The page must load without a console message (it runs no script, so it logs nothing), show
its sections, show recipients' markup as text without running it, and draw: a screenshot of
it is kept as a test artefact (folder GOODIES_TEST_ARTEFACTS, else pytest's tmp folder).
Without chromium on PATH the tests are skipped, unless CI is set (.ci/run installs it).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from PIL import Image  # Pillow, of the test extra
from test_charts import CAMPAIGN

from goodies_report import charts, render
from goodies_report.report import build_report

HOSTILE_COMMENT = (
    "<img src=x onerror=\"document.title='pwned'\"> and <script>document.title='pwned'</script>"
)
HOSTILE_NAME = "<script>alert(1)</script>"  # in a campaign name of conftest's marts
# No name resolves, every connection goes to a closed port, no background fetches.
OFFLINE = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--disable-background-networking",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1280,2000",
]
CONSOLE = re.compile(r":CONSOLE[:(]")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not on PATH; .ci/run installs Debian's package when root")
    pytest.skip("chromium is not on PATH (apt-get install chromium); CI makes this a failure")


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GOODIES_TEST_ARTEFACTS") or tmp_path / "artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Page:
    """What Chromium made of a file: the DOM after load, its log, a screenshot."""

    def __init__(self, browser: str, page: Path, screenshot: Path, profile: Path):
        done = subprocess.run(
            [
                browser,
                *OFFLINE,
                f"--user-data-dir={profile}",
                f"--screenshot={screenshot}",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        self.dom = done.stdout
        self.console = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
        self.screenshot = screenshot

    def title(self) -> str:
        match = re.search(r"<title>(.*?)</title>", self.dom, re.S)
        assert match, self.dom[:500]
        return html.unescape(match.group(1))

    def colours(self) -> dict[tuple[int, ...], int]:
        """Pixels per colour of the screenshot."""
        with Image.open(self.screenshot) as image:
            rgb = image.convert("RGB")
            return {colour: n for n, colour in rgb.getcolors(maxcolors=rgb.width * rgb.height)}


def open_page(browser: str, page: Path, screenshot: Path, tmp_path: Path) -> Page:
    return Page(browser, page, screenshot, tmp_path / f"profile-{screenshot.stem}")


def test_the_checks_catch_a_script_that_runs(chromium, tmp_path):
    """The same checks on a page that does run script: they must see it."""
    page = tmp_path / "runs.html"
    page.write_text(
        "<!DOCTYPE html><title>Report</title><p>text</p>"
        f"<script>console.error('boom')</script>{HOSTILE_COMMENT}",
        encoding="utf-8",
    )
    seen = open_page(chromium, page, tmp_path / "runs.png", tmp_path)
    assert seen.title() == "pwned"
    assert any('"boom"' in line for line in seen.console), seen.console


@pytest.fixture
def report_page(marts_db: Path, settings, project_dir: Path, tmp_path: Path) -> tuple[Path, str]:
    """report.html of conftest's marts, with a recipient's comment holding live markup."""
    con = duckdb.connect(str(marts_db))
    try:
        con.execute(
            "insert into main.fct_responses values "
            "('V9', 'C1', 'R9', '2026-04-04 09:00:00', 10, ?)",
            [HOSTILE_COMMENT],
        )
    finally:
        con.close()
    report = build_report(settings, validated=True, generated_at="2026-06-30T09:00:00Z")
    text = render.render(report, ["html"], project_dir)["report.html"]
    page = tmp_path / "report" / "report.html"
    page.parent.mkdir()
    page.write_text(text, encoding="utf-8")
    return page, text


def test_the_report_loads_offline_and_shows_markup_as_text(
    chromium, report_page, artefacts, tmp_path
):
    page, source = report_page
    expected_title = html.unescape(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
    seen = open_page(chromium, page, artefacts / "report.png", tmp_path)

    assert seen.console == []
    for heading in ("Top five insights", "Action playbook", "Data quality"):
        assert re.search(rf"<h[1-6][^>]*>[^<]*{heading}", seen.dom), heading
    # nothing ran: the title is the one written, no element came out of a recipient's text
    assert seen.title() == expected_title != "pwned"
    assert "<script" not in seen.dom and '<img src="x"' not in seen.dom
    assert html.escape(HOSTILE_COMMENT, quote=False) in seen.dom
    assert html.escape(HOSTILE_NAME, quote=False) in seen.dom
    if '<svg role="img"' in source:
        assert '<svg role="img"' in seen.dom

    assert seen.screenshot.stat().st_size > 20_000
    colours = seen.colours()
    white = colours.get((255, 255, 255), 0)
    assert len(colours) > 10 and white < sum(colours.values()) * 0.99


def test_the_charts_draw_in_a_page_without_script(chromium, artefacts, tmp_path):
    drawn = charts.campaign_charts(CAMPAIGN)
    page = tmp_path / "charts.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        "</head><body>" + "".join(drawn.values()) + "</body></html>",
        encoding="utf-8",
    )
    seen = open_page(chromium, page, artefacts / "charts.png", tmp_path)

    assert seen.console == []
    assert seen.title() == "Charts"
    assert seen.dom.count('<svg role="img"') == len(drawn) == 6
    assert "<script" not in seen.dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen.dom
    # the bars are on screen in their colours: blue, orange, the NPS red and green
    colours = seen.colours()
    for colour in ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00), (0xD5, 0x5E, 0x00), (0x00, 0x9E, 0x73)):
        assert colours.get(colour, 0) > 500, colour
