"""The report's charts (charts.py) from a hand-written campaign: the numbers on the bars,
the bars' sizes, escaping of names, byte-identical output, no chart without data."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from goodies_report import charts
from goodies_report.report import build_report

SVG = "{http://www.w3.org/2000/svg}"
BLUE, ORANGE, RED, GREY, GREEN = "#0072b2", "#e69f00", "#d55e00", "#7f7f7f", "#009e73"
HOSTILE = "<script>alert(1)</script>"

# One campaign as report.json holds it, with figures a person can follow: 1,200 units shipped,
# 1,150 delivered, 1,000 delivered codes of which 35% activated (350), 120 leads and 12
# conversions in 90 days (80 and 5 in 14 days, which the charts must not use).
CAMPAIGN = {
    "campaign_id": "C1",
    "currency": "EUR",
    "kpis": {
        "units_shipped": 1200, "units_delivered": 1150, "delivered_codes": 1000,
        "activation_rate": 0.35, "leads_14d": 80, "leads_90d": 120, "conversions_14d": 5,
        "conversions_90d": 12, "cpl_14d": 20.0, "cpl_90d": 15.0,
    },
    "breakdowns": {
        "sku": [
            {"sku": HOSTILE, "cpl_14d": 30.0, "cpl_90d": 55.5},
            {"sku": "MUG & co", "cpl_14d": 12.25, "cpl_90d": 10.0},
        ],
        "segment": [
            {"segment": "enterprise", "cpl_14d": None, "cpl_90d": 24.0},
            {"segment": "smb", "cpl_14d": None, "cpl_90d": None},
        ],
        "channel": [],
        "variant": [],
    },
    # MUG: 1,000 at events against 2,000 planned, 200 by mail with no plan; TEE 200 vs 150
    "forecast": [
        {"sku": "MUG", "channel": "direct_mail", "measure": "units", "actual": 200,
         "forecast": None},
        {"sku": "MUG", "channel": "event", "measure": "leads", "actual": 10, "forecast": 40},
        {"sku": "MUG", "channel": "event", "measure": "units", "actual": 1000,
         "forecast": 2000},
        {"sku": "TEE", "channel": "event", "measure": "units", "actual": 200, "forecast": 150},
    ],
    "ab_tests": [
        {"metric": "activation_rate", "variant": "B", "reference": "A", "rate": 0.40,
         "rate_ci_low": 0.35, "rate_ci_high": 0.45, "reference_rate": 0.30},
        {"metric": "lead_rate_90d", "variant": "B", "reference": "A", "rate": 0.12,
         "rate_ci_low": 0.09, "rate_ci_high": 0.15, "reference_rate": 0.08},
    ],
    "nps_distribution": [
        {"score": 3, "respondents": 12}, {"score": 7, "respondents": 20},
        {"score": 9, "respondents": 30}, {"score": 10, "respondents": 8},
    ],
}  # fmt: skip


def parse(svg: str) -> ET.Element:
    # the SVG is charts.py's own output, made in this process from the dict above
    return ET.fromstring(svg)  # noqa: S314


def of_kind(svg: str, tag: str, kind: str) -> list[ET.Element]:
    """The elements of a tag and class, in drawing order."""
    return [node for node in parse(svg).iter(f"{SVG}{tag}") if node.get("class") == kind]


def texts(svg: str, kind: str | None = None) -> list[str]:
    """The text of every <text> element (of one class if given), in drawing order, as a
    reader sees it."""
    nodes = parse(svg).iter(f"{SVG}text")
    return ["".join(node.itertext()) for node in nodes if kind in (None, node.get("class"))]


def bars(svg: str, colour: str) -> list[tuple[float, float]]:
    """(width, height) of each bar of that colour, in drawing order; legend keys are
    rectangles of another class."""
    return [
        (float(node.get("width")), float(node.get("height")))
        for node in of_kind(svg, "rect", "bar")
        if node.get("fill").lower() == colour
    ]


def in_proportion(values: list[float], sizes: list[float]):
    """What the sizes are if they are the values at one scale (the largest bar's), to the
    hundredth of a pixel the SVG is written with."""
    scale = max(sizes) / max(values)
    return pytest.approx([value * scale for value in values], abs=0.02)


@pytest.fixture(scope="module")
def drawn() -> dict:
    return charts.campaign_charts(CAMPAIGN)


def test_every_chart_with_data_is_drawn_in_page_order(drawn):
    assert list(drawn) == [
        "funnel", "forecast", "cpl_by_sku", "cpl_by_segment", "ab_rates", "nps_distribution",
    ]  # fmt: skip


def test_funnel_counts_use_the_longest_window(drawn):
    labels = texts(drawn["funnel"])
    for label in ("Units shipped", "Units delivered", "Activated codes", "Leads, 90 days",
                  "Conversions, 90 days", "1,200", "1,150", "350", "120", "12"):  # fmt: skip
        assert label in labels
    assert "80" not in labels and "Leads, 14 days" not in labels
    assert texts(drawn["funnel"], "value") == ["1,200", "1,150", "350", "120", "12"]
    # bars drawn top down: shipped, delivered, activated, leads, conversions
    widths = [width for width, _ in bars(drawn["funnel"], BLUE)]
    assert widths == in_proportion([1200, 1150, 350, 120, 12], widths)


def test_forecast_sums_units_over_channels(drawn):
    labels = texts(drawn["forecast"])
    # MUG: 1,000 + 200 actual, 2,000 planned (the unplanned pair adds nothing); leads ignored
    assert {"MUG", "TEE", "1,200", "2,000", "200", "150", "Actual", "Forecast"} <= set(labels)
    assert "40" not in labels
    assert texts(drawn["forecast"], "value") == ["1,200", "2,000", "200", "150"]
    actual = [height for _, height in bars(drawn["forecast"], BLUE)]
    planned = [height for _, height in bars(drawn["forecast"], ORANGE)]
    assert actual + planned == in_proportion([1200, 200, 2000, 150], actual + planned)


def test_a_sku_without_plan_has_an_empty_forecast_bar_said_n_a():
    campaign = {"campaign_id": "C3", "forecast": [
        {"sku": "CAP", "channel": "event", "measure": "units", "actual": 50, "forecast": None},
    ]}  # fmt: skip
    svg = charts.campaign_charts(campaign)["forecast"]
    assert texts(svg, "value") == ["50", "n/a"]
    assert bars(svg, ORANGE) == [(pytest.approx(bars(svg, BLUE)[0][0]), 0)]


def test_cpl_per_sku_at_the_longest_window_against_the_campaign(drawn):
    labels = texts(drawn["cpl_by_sku"])
    assert {"55.50", "10.00", "Campaign CPL, 15.00", "CPL per SKU, 90 days"} <= set(labels)
    assert "30.00" not in labels and "12.25" not in labels
    assert "Cost per lead (EUR)" in labels
    widths = [width for width, _ in bars(drawn["cpl_by_sku"], BLUE)]
    assert widths == in_proportion([55.5, 10.0], widths)
    # the campaign's 15.00 as a dashed line, one and a half times the 10.00 bar from the axis
    (line,) = of_kind(drawn["cpl_by_sku"], "line", "campaign")
    (ten,) = [node for node in of_kind(drawn["cpl_by_sku"], "rect", "bar")
              if float(node.get("width")) == min(widths)]  # fmt: skip
    assert line.get("stroke-dasharray") and line.get("x1") == line.get("x2")
    offset = float(line.get("x1")) - float(ten.get("x"))
    assert offset / float(ten.get("width")) == pytest.approx(1.5, abs=0.01)


def test_cpl_per_segment_leaves_out_a_segment_without_cpl(drawn):
    labels = texts(drawn["cpl_by_segment"])
    assert {"enterprise", "24.00"} <= set(labels)
    assert "smb" not in labels
    assert len(bars(drawn["cpl_by_segment"], BLUE)) == 1


def test_ab_rates_show_each_rate_and_the_variant_interval(drawn):
    labels = texts(drawn["ab_rates"])
    assert {"30.0%", "40.0%", "8.0%", "12.0%", "A (reference)", "B"} <= set(labels)
    assert {"Activation rate", "Lead rate, 90 days"} <= set(labels)
    reference = [h for _, h in bars(drawn["ab_rates"], BLUE)]
    variant = [h for _, h in bars(drawn["ab_rates"], ORANGE)]
    assert reference + variant == in_proportion([0.30, 0.08, 0.40, 0.12], reference + variant)
    # the intervals: 35% to 45% and 9% to 15%, vertical whiskers on the variant's bars only,
    # their ends as high above the axis as those rates are
    svg = drawn["ab_rates"]
    variant_bars = [n for n in of_kind(svg, "rect", "bar") if n.get("fill").lower() == ORANGE]
    whiskers = of_kind(svg, "line", "interval")
    assert len(whiskers) == len(variant_bars) == 2
    axis = float(variant_bars[0].get("y")) + float(variant_bars[0].get("height"))
    ends = []
    for whisker, bar in zip(whiskers, variant_bars, strict=True):
        middle = float(bar.get("x")) + float(bar.get("width")) / 2
        assert float(whisker.get("x1")) == float(whisker.get("x2")) == pytest.approx(middle)
        ends += [axis - float(whisker.get("y1")), axis - float(whisker.get("y2"))]
    sizes = variant + ends
    assert sizes == in_proportion([0.40, 0.12, 0.35, 0.45, 0.09, 0.15], sizes)


def test_nps_distribution_colours_detractors_passives_promoters(drawn):
    svg = drawn["nps_distribution"]
    # 11 bars, one per score, in three colours; every score labelled with its count
    assert [len(bars(svg, c)) for c in (RED, GREY, GREEN)] == [7, 2, 2]
    counts = ["0", "0", "0", "12", "0", "0", "0", "20", "0", "30", "8"]
    assert texts(svg, "value") == counts
    assert texts(svg, "category") == [str(score) for score in range(11)]
    assert {"Detractors (0-6)", "Passives (7-8)", "Promoters (9-10)"} <= set(texts(svg, "legend"))
    heights = [h for colour in (RED, GREY, GREEN) for _, h in bars(svg, colour)]
    assert heights == in_proportion([int(count) for count in counts], heights)


def test_a_name_with_markup_is_escaped_text(drawn):
    svg = drawn["cpl_by_sku"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "MUG &amp; co" in svg
    assert HOSTILE in texts(svg)  # read back as the characters it is made of
    for chart in drawn.values():
        assert "<script" not in chart
        assert HOSTILE not in chart


def test_names_are_not_mathtext_nor_control_characters():
    campaign = {
        "campaign_id": "C9",
        "kpis": {"cpl_90d": 2.0},
        "breakdowns": {"sku": [
            {"sku": "$x^", "cpl_90d": 1.0},
            {"sku": "Mug\x1b[31m\u202e", "cpl_90d": 2.0},
        ]},
    }  # fmt: skip
    labels = texts(charts.campaign_charts(campaign)["cpl_by_sku"])
    assert "$x^" in labels
    assert "Mug\ufffd[31m\ufffd" in labels


def test_each_svg_stands_alone_in_html(drawn):
    for name, svg in drawn.items():
        assert svg.startswith('<svg role="img" aria-label="'), name
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata" not in svg
        assert 'width="640" height="280" viewBox="0 0 640 280"' in svg
        root = parse(svg)
        assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
        assert texts(svg, "title") == [root.get("aria-label")]
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        # nothing fetched nor run: no link, no font file, no style sheet, no script
        for needle in ("href", "url(", "@font-face", "<style", "<script", "<image"):
            assert needle not in svg, (name, needle)
    assert texts(drawn["funnel"], "title") == ["Funnel"]


def test_the_same_campaign_gives_the_same_bytes_and_ids_never_clash(drawn):
    assert charts.campaign_charts(CAMPAIGN) == drawn
    # several charts (and campaigns) share one page, hence one id space: the charts write
    # no id today, and one they write some day must not repeat
    other = charts.campaign_charts({**CAMPAIGN, "campaign_id": "C2"})
    ids = [re.findall(r'\bid="([^"]*)"', svg) for svg in [*drawn.values(), *other.values()]]
    every = [i for chart in ids for i in chart]
    assert len(every) == len(set(every))


def test_every_label_goes_through_text():
    translated = charts.campaign_charts(CAMPAIGN, text=lambda s: "«" + s + "»")
    data = {HOSTILE, "MUG & co", "enterprise", "MUG", "TEE", "B"}
    for name, svg in translated.items():
        for label in texts(svg):
            if label in data or re.fullmatch(r"[0-9,.%]+", label):
                continue
            assert label.startswith("«") and label.endswith("»"), (name, label)
        assert parse(svg).get("aria-label").startswith("«")


def test_no_data_no_chart():
    assert charts.campaign_charts({"campaign_id": "C0"}) == {}
    empty = {
        "campaign_id": "C0",
        "kpis": {"units_shipped": 0, "units_delivered": None, "leads_90d": None, "cpl_90d": None},
        "breakdowns": {"sku": [{"sku": "MUG", "cpl_90d": None}], "segment": []},
        "forecast": [{"sku": "MUG", "channel": "event", "measure": "leads", "actual": 1,
                      "forecast": 2}],
        "ab_tests": [{"metric": "lead_rate_90d", "variant": "B", "reference": "A",
                      "rate": None, "rate_ci_low": None, "rate_ci_high": None,
                      "reference_rate": None}],
        "nps_distribution": [],
    }  # fmt: skip
    assert charts.campaign_charts(empty) == {}


def test_the_report_carries_the_nps_distribution_for_its_chart(settings):
    report = build_report(settings, validated=True, generated_at="2026-06-30T09:00:00Z")
    c1, c2 = report["campaigns"]
    assert c1["nps_distribution"] == [
        {"score": 3, "respondents": 12}, {"score": 7, "respondents": 20},
        {"score": 9, "respondents": 30}, {"score": 10, "respondents": 8},
    ]  # fmt: skip
    assert c2["nps_distribution"] == []
    # the hand-written marts have a segment breakdown without CPL: no chart of it
    assert "nps_distribution" in charts.campaign_charts(c1)
    assert "cpl_by_segment" not in charts.campaign_charts(c1)
    assert "nps_distribution" not in charts.campaign_charts(c2)


def test_figures_are_written_as_the_report_s_language_writes_them():
    from goodies_report.render import Formats

    french = texts(charts.campaign_charts(CAMPAIGN, numbers=Formats("fr"))["funnel"])
    assert "1\u202f200" in french and "1\u202f150" in french  # units shipped and delivered
    assert "1,200" not in french
    english = texts(charts.campaign_charts(CAMPAIGN)["funnel"])
    assert "1,200" in english


def test_ticks_are_round_numbers():
    assert charts._ticks(0, 2009) == [0, 500, 1000, 1500, 2000]
    assert charts._ticks(0, 0.45) == [0, 0.1, 0.2, 0.3, 0.4]
    assert charts._ticks(0, 3, integers=True) == [0, 1, 2, 3]
    assert charts._ticks(0, 24) == [0, 5, 10, 15, 20]


def test_drawing_loads_no_plotting_library():
    # the report draws twelve charts in well under a second only without them
    code = (
        "import sys, goodies_report.charts\n"
        "print(sorted({'matplotlib', 'numpy'} & set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
