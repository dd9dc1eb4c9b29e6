"""Charts of one campaign of the report model, as inline SVG for the HTML page.

Each chart draws numbers the report dict already holds (report-json.md); nothing here
computes a figure beyond adding a SKU's channels together. The SVG needs no script, no font
file and no network: text stays text (`svg.fonttype: none`), so a reader can select it and a
test can read it. The same campaign gives byte-identical SVG: a fixed hash salt per chart
(which also keeps element ids apart when several charts share a page) and no date.

Every label a reader sees goes through `text`, so that the page can be translated; a label
holding a figure is passed as a `str.format` template (`"Leads, {days} days"`) before the
figure goes in. Data (SKU, segment, variant names) is not translated; matplotlib escapes it
as XML text, so markup in a name shows as characters.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, Protocol

import matplotlib
from markupsafe import Markup, escape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

Text = Callable[[str], str]

WIDTH_PX, HEIGHT_PX = 640, 280
DPI = 100
# Colour-blind-safe pairs (Okabe-Ito), dark enough for text on white.
BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#7F7F7F"
RED, GREEN, INK = "#D55E00", "#009E73", "#1D232A"
VARIANT_COLOURS = (BLUE, ORANGE, GREEN, RED, "#CC79A7", "#56B4E9")
RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    # Names are data, not TeX: "$5 mug$" stays as written.
    "text.parse_math": False,
    "text.usetex": False,
    "text.color": INK,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# The characters render.visible replaces in the page's text (control characters and the
# bidirectional overrides); a chart's labels are Markup once drawn, so they are replaced here.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WINDOW = re.compile(r"^(?P<base>[a-z_]+?)_(?P<days>[0-9]+)d$")
MAX_LABEL = 28


def campaign_charts(
    campaign: Mapping[str, Any], text: Text = lambda s: s, numbers: Numbers | None = None
) -> dict[str, Markup]:
    """Chart name -> inline SVG for one entry of report["campaigns"]; a chart without data
    has no entry. Names, in page order: funnel, forecast, cpl_by_sku, cpl_by_segment,
    ab_rates, nps_distribution. `numbers` writes the figures as the report's language does
    (English separators by default)."""
    token = _numbers.set(numbers)
    try:
        return _draw(campaign, text)
    finally:
        _numbers.reset(token)


def _draw(campaign: Mapping[str, Any], text: Text) -> dict[str, Markup]:
    campaign_id = str(campaign.get("campaign_id", ""))
    makers = {
        "funnel": _funnel,
        "forecast": _forecast,
        "cpl_by_sku": lambda c, t: _cpl_by(c, t, "sku", "CPL per SKU"),
        "cpl_by_segment": lambda c, t: _cpl_by(c, t, "segment", "CPL per segment"),
        "ab_rates": _ab_rates,
        "nps_distribution": _nps_distribution,
    }
    charts: dict[str, Markup] = {}
    for name, make in makers.items():
        # the settings are read as artists are made, so they hold while the chart is drawn
        settings = {**RC, "svg.hashsalt": f"goodies-report/{campaign_id}/{name}"}
        with matplotlib.rc_context(settings):
            drawn = make(campaign, text)
            if drawn is not None:
                figure, title = drawn
                charts[name] = _svg(figure, title)
    return charts


# -- helpers ---------------------------------------------------------------------------------


def _figure() -> tuple[Figure, Any]:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _svg(figure: Figure, title: str) -> Markup:
    """The figure as an <svg> element to put inside HTML: no XML prolog, no metadata, a
    role and an accessible name, sized in CSS pixels."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib's own RDF block: a creator and a format, nothing a reader needs
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    svg = re.sub(
        r'<svg([^>]*?) width="[0-9.]+pt" height="[0-9.]+pt"',
        rf'<svg\1 width="{WIDTH_PX}" height="{HEIGHT_PX}"',
        svg,
        count=1,
    )
    label = escape(title)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    opening_end = svg.index(">") + 1
    svg = f"{svg[:opening_end]}\n <title>{label}</title>{svg[opening_end:]}"
    # matplotlib wrote every text as escaped XML, and the title was escaped above
    return Markup(svg.strip() + "\n")  # noqa: S704


def _any_figure(options: Sequence[tuple[str, Any]]) -> bool:
    return any(value for _, value in options)


def _name(value: Any) -> str:
    """A member's name as a label: control characters replaced, long names shortened."""
    name = _CONTROL.sub("\ufffd", "n/a" if value is None else str(value))
    name = " ".join(name.split())
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


class Numbers(Protocol):
    """How a chart writes its numbers: render.Formats of the report's language fits."""

    def count(self, value: Any) -> str: ...
    def number(self, value: Any, digits: int = 1) -> str: ...
    def percent(self, value: Any) -> str: ...


class _English:
    def count(self, value: Any) -> str:
        return f"{value:,.0f}"

    def number(self, value: Any, digits: int = 1) -> str:
        return f"{value:,.{digits}f}"

    def percent(self, value: Any) -> str:
        return f"{value * 100:.1f}%"


_ENGLISH = _English()
# the numbers of the charts being drawn, set by campaign_charts for the time it draws them
_numbers: ContextVar[Numbers | None] = ContextVar("numbers", default=None)


def _current() -> Numbers:
    return _numbers.get() or _ENGLISH


def _count(value: float) -> str:
    return _current().count(round(value))


def _money(value: float) -> str:
    return _current().number(value, 2)


def _percent(value: float) -> str:
    return _current().percent(value)


def _longest(figures: Mapping[str, Any], base: str) -> tuple[str, int] | None:
    """The name and window of `base` in the longest attribution window (`leads_90d`)."""
    windows = []
    for name in figures:
        match = _WINDOW.match(name)
        if match and match["base"] == base:
            windows.append((int(match["days"]), name))
    if not windows:
        return None
    days, name = max(windows)
    return name, days


def _metric_label(metric: str, text: Text) -> str:
    match = _WINDOW.match(metric)
    base = match["base"] if match else metric
    label = text(base.replace("_", " ").capitalize())
    if match:
        label = f"{label}, " + text("{days} days").format(days=match["days"])
    return label


# -- charts ----------------------------------------------------------------------------------


def _funnel(campaign: Mapping[str, Any], text: Text):
    """Units shipped to conversions, each stage a bar with its count."""
    kpis = campaign.get("kpis") or {}
    activated = kpis.get("activated_codes")
    if activated is None and kpis.get("activation_rate") is not None:
        # activation_rate is activated / delivered codes, so this is that count exactly
        if kpis.get("delivered_codes") is not None:
            activated = round(kpis["activation_rate"] * kpis["delivered_codes"])
    stages = [
        (text("Units shipped"), kpis.get("units_shipped")),
        (text("Units delivered"), kpis.get("units_delivered")),
        (text("Activated codes"), activated),
    ]
    for base, label in (
        ("leads", "Leads, {days} days"),
        ("conversions", "Conversions, {days} days"),
    ):
        longest = _longest(kpis, base)
        if longest is not None:
            name, days = longest
            stages.append((text(label).format(days=days), kpis.get(name)))
    if not _any_figure(stages):
        return None
    figure, axes = _figure()
    labels = [label for label, _ in stages][::-1]
    values = [value for _, value in stages][::-1]
    bars = axes.barh(labels, [value or 0 for value in values], color=BLUE)
    axes.bar_label(
        bars,
        labels=[text("n/a") if value is None else _count(value) for value in values],
        padding=3,
    )
    title = text("Funnel")
    axes.set_title(title, loc="left")
    axes.set_xlabel(text("Count"))
    axes.xaxis.set_major_formatter(lambda value, _: _count(value))
    axes.margins(x=0.15)
    return figure, title


def _forecast(campaign: Mapping[str, Any], text: Text):
    """Units actual and forecast per SKU, summed over the SKU's channels."""
    actual: dict[str, float] = {}
    planned: dict[str, float | None] = {}
    for row in campaign.get("forecast") or []:
        if row.get("measure") != "units":
            continue
        sku = str(row.get("sku"))
        actual[sku] = actual.get(sku, 0) + (row.get("actual") or 0)
        # a pair shipped without a plan has no forecast: it adds nothing (as in the error)
        if row.get("forecast") is not None:
            planned[sku] = (planned.get(sku) or 0) + row["forecast"]
        else:
            planned.setdefault(sku, None)
    if not actual:
        return None
    skus = sorted(actual)
    figure, axes = _figure()
    positions = range(len(skus))
    width = 0.4
    shown_actual = [actual[sku] for sku in skus]
    shown_plan = [planned.get(sku) for sku in skus]
    bars = axes.bar(
        [p - width / 2 for p in positions], shown_actual, width, color=BLUE, label=text("Actual")
    )
    axes.bar_label(bars, labels=[_count(v) for v in shown_actual], padding=2, fontsize=8)
    bars = axes.bar(
        [p + width / 2 for p in positions],
        [v or 0 for v in shown_plan],
        width,
        color=ORANGE,
        label=text("Forecast"),
    )
    axes.bar_label(
        bars,
        labels=[text("n/a") if v is None else _count(v) for v in shown_plan],
        padding=2,
        fontsize=8,
    )
    axes.set_xticks(list(positions), labels=[_name(sku) for sku in skus])
    if len(skus) > 6:
        axes.tick_params(axis="x", labelrotation=30)
    title = text("Units: actual and forecast per SKU")
    axes.set_title(title, loc="left")
    axes.set_ylabel(text("Units"))
    axes.yaxis.set_major_formatter(lambda value, _: _count(value))
    axes.margins(y=0.15)
    axes.legend(frameon=False)
    return figure, title


def _cpl_by(campaign: Mapping[str, Any], text: Text, dimension: str, title: str):
    """Each member's CPL at the longest window, with the campaign's CPL as a line."""
    members = (campaign.get("breakdowns") or {}).get(dimension) or []
    longest = _longest(members[0], "cpl") if members else None
    if longest is None:
        return None
    name, days = longest
    shown = [(m[dimension], m.get(name)) for m in members if m.get(name) is not None]
    if not shown:
        return None
    currency = str(campaign.get("currency") or "")
    figure, axes = _figure()
    labels = [_name(member) for member, _ in shown][::-1]
    values = [value for _, value in shown][::-1]
    bars = axes.barh(range(len(values)), values, color=BLUE)
    axes.set_yticks(range(len(values)), labels=labels)
    axes.bar_label(bars, labels=[_money(v) for v in values], padding=3)
    overall = (campaign.get("kpis") or {}).get(name)
    if overall is not None:
        axes.axvline(
            overall,
            color=RED,
            linestyle="--",
            linewidth=1.5,
            label=text("Campaign CPL, {value}").format(value=_money(overall)),
        )
        axes.legend(frameon=False, loc="lower right")
    full_title = text(title + ", {days} days").format(days=days)
    axes.set_title(full_title, loc="left")
    axes.set_xlabel(text("Cost per lead ({currency})").format(currency=currency))
    axes.margins(x=0.2)
    return figure, full_title


def _ab_rates(campaign: Mapping[str, Any], text: Text):
    """Per metric, the reference's rate and each variant's with its Wilson interval. The
    report holds no interval for the reference, so its bar has none."""
    by_metric: dict[str, list[tuple[str, float | None, float | None, float | None]]] = {}
    for row in campaign.get("ab_tests") or []:
        groups = by_metric.setdefault(str(row.get("metric")), [])
        if not groups:
            reference = text("{variant} (reference)").format(variant=_name(row.get("reference")))
            groups.append((reference, row.get("reference_rate"), None, None))
        groups.append(
            (
                _name(row.get("variant")),
                row.get("rate"),
                row.get("rate_ci_low"),
                row.get("rate_ci_high"),
            )
        )
    if not any(rate is not None for groups in by_metric.values() for _, rate, _, _ in groups):
        return None
    variants = list(dict.fromkeys(v for groups in by_metric.values() for v, *_ in groups))
    metrics = list(by_metric)
    figure, axes = _figure()
    width = 0.8 / len(variants)
    for index, variant in enumerate(variants):
        xs, rates, intervals = [], [], []
        for position, metric in enumerate(metrics):
            for name, rate, low, high in by_metric[metric]:
                if name == variant and rate is not None:
                    x = position - 0.4 + width * (index + 0.5)
                    xs.append(x)
                    rates.append(rate)
                    if low is not None and high is not None:
                        intervals.append((x, rate, rate - low, high - rate))
        if not xs:
            continue
        colour = VARIANT_COLOURS[index % len(VARIANT_COLOURS)]
        bars = axes.bar(xs, rates, width * 0.9, color=colour, label=variant)
        axes.bar_label(bars, labels=[_percent(r) for r in rates], padding=2, fontsize=8)
        if intervals:
            axes.errorbar(
                [x for x, *_ in intervals],
                [rate for _, rate, *_ in intervals],
                yerr=[[below for *_, below, _ in intervals], [above for *_, above in intervals]],
                fmt="none",
                ecolor=INK,
                capsize=3,
                elinewidth=1,
            )
    axes.set_xticks(range(len(metrics)), labels=[_metric_label(m, text) for m in metrics])
    axes.yaxis.set_major_formatter(lambda value, _: _percent(value))
    title = text("A/B tests: rate per variant, 95% interval")
    axes.set_title(title, loc="left")
    axes.margins(y=0.15)
    axes.legend(frameon=False, title=text("Variant"))
    return figure, title


def _nps_distribution(campaign: Mapping[str, Any], text: Text):
    """Respondents per score 0 to 10; detractors, passives and promoters in their colours."""
    counts = {
        int(row["score"]): row["respondents"] for row in campaign.get("nps_distribution") or []
    }
    if not any(counts.values()):
        return None
    figure, axes = _figure()
    groups = (
        (range(0, 7), RED, text("Detractors (0-6)")),
        (range(7, 9), GREY, text("Passives (7-8)")),
        (range(9, 11), GREEN, text("Promoters (9-10)")),
    )
    for scores, colour, label in groups:
        values = [counts.get(score, 0) for score in scores]
        bars = axes.bar(list(scores), values, color=colour, label=label)
        axes.bar_label(bars, labels=[_count(v) for v in values], padding=2, fontsize=8)
    axes.set_xticks(range(11))
    title = text("Likelihood to recommend: respondents per score")
    axes.set_title(title, loc="left")
    axes.set_xlabel(text("Score"))
    axes.set_ylabel(text("Respondents"))
    axes.margins(y=0.15)
    axes.legend(frameon=False, loc="upper left")
    return figure, title
