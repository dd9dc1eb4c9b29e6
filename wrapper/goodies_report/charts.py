"""Charts of one campaign of the report model, as inline SVG for the HTML page.

Each chart draws numbers the report dict already holds (report-json.md); nothing here
computes a figure beyond adding a SKU's channels together. The SVG is written here as text,
a few rectangles, lines and texts, with no plotting library: drawing the twelve charts of a
report takes milliseconds. It needs no script, no font file and no network; text stays
`<text>`, so a reader can select it and a test can read it. The same campaign gives
byte-identical SVG (no date, no random id; the charts write no id at all, so several of
them share a page without clashing).

Every label a reader sees goes through `text`, so that the page can be translated; a label
holding a figure is passed as a `str.format` template (`"Leads, {days} days"`) before the
figure goes in. Data (SKU, segment, variant names) is not translated; every text is
escaped as XML when written, so markup in a name shows as characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, NamedTuple, Protocol

from markupsafe import Markup, escape

Text = Callable[[str], str]

WIDTH_PX, HEIGHT_PX = 640, 280
# Colour-blind-safe pairs (Okabe-Ito), dark enough for text on white.
BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#7F7F7F"
RED, GREEN, INK = "#D55E00", "#009E73", "#1D232A"
VARIANT_COLOURS = (BLUE, ORANGE, GREEN, RED, "#CC79A7", "#56B4E9")
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
# in the 640 px box; about the sizes the page's own text has once the chart is scaled to it
FONT_PX, TITLE_PX, FIGURE_PX = 12, 14, 11
# a row of text, and what to add to a line's middle to get the baseline of text centred on it
LINE, CENTRED = FONT_PX + 4, FONT_PX * 0.35
# Text is not measured (that would need the font): its width is estimated at 0.6 em per
# character, a little wider than DejaVu Sans's average, so a label gets room to spare.
EM_PER_CHARACTER = 0.6
MARGIN = 8
# baselines of the title and of the legend's first row; where a plot starts without legend
TITLE_Y, LEGEND_Y, PLOT_TOP = 20, 40, 34
KEY = 10  # a legend key's side
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
        drawn = make(campaign, text)
        if drawn is not None:
            charts[name] = drawn
    return charts


# -- helpers ---------------------------------------------------------------------------------


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


def _count_tick(value: float, digits: int) -> str:
    return _count(value)  # counts have integer ticks: no decimals to choose


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


# -- drawing ---------------------------------------------------------------------------------


def _f(value: float) -> str:
    """A coordinate to the hundredth of a pixel, without trailing zeros."""
    written = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if written == "-0" else written


def _width(label: str, size: float = FONT_PX) -> float:
    return len(label) * EM_PER_CHARACTER * size


def _ticks(low: float, high: float, integers: bool = False) -> list[float]:
    """About five round values from low to high, 1, 2 or 5 times a power of ten apart."""
    rough = (high - low) / 5
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough * 0.999)
    if integers:
        step = max(step, 1)
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    # rounded so that 3 * 0.1 is written 0.3
    return [round(i * step, 12) for i in range(first, last + 1)]


def _digits(ticks: Sequence[float]) -> int:
    """Decimals enough to tell ticks apart (0.5 steps need one)."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    return lambda value: start + (value - low) / (high - low) * (end - start)


def _domain(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(0, *values), max(0, *values)
    return low, (high if high > low else low + 1)


class _Drawing:
    """One chart's SVG elements, written in drawing order; every text escaped."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.parts: list[str] = []
        self.rect("background", 0, 0, WIDTH_PX, HEIGHT_PX, "#FFFFFF")
        self.text("title", MARGIN, TITLE_Y, title, size=TITLE_PX)

    def rect(self, kind: str, x: float, y: float, width: float, height: float, fill: str):
        self.parts.append(
            f'<rect class="{kind}" x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" '
            f'height="{_f(height)}" fill="{fill}"/>'
        )

    def line(
        self,
        kind: str,
        start: tuple[float, float],
        end: tuple[float, float],
        colour: str = GREY,
        width: float = 1,
        dashes: str = "",
    ):
        dashed = f' stroke-dasharray="{dashes}"' if dashes else ""
        self.parts.append(
            f'<line class="{kind}" x1="{_f(start[0])}" y1="{_f(start[1])}" x2="{_f(end[0])}" '
            f'y2="{_f(end[1])}" stroke="{colour}" stroke-width="{_f(width)}"{dashed}/>'
        )

    def text(
        self,
        kind: str,
        x: float,
        y: float,
        label: str,
        *,
        size: float = FONT_PX,
        anchor: str = "start",
        turn: float = 0,
    ):
        anchored = "" if anchor == "start" else f' text-anchor="{anchor}"'
        turned = f' transform="rotate({_f(turn)} {_f(x)} {_f(y)})"' if turn else ""
        # a figure stays readable where it crosses a line or a neighbouring bar: a white
        # outline painted under its letters
        halo = ' stroke="#FFFFFF" stroke-width="3" paint-order="stroke"' if kind == "value" else ""
        shown = escape(_CONTROL.sub("\ufffd", label))
        self.parts.append(
            f'<text class="{kind}" x="{_f(x)}" y="{_f(y)}" font-size="{_f(size)}"'
            f"{anchored}{turned}{halo}>{shown}</text>"
        )

    def legend(self, keys: Sequence[tuple[str, str]], heading: str = "", dashed: bool = False):
        """(colour, label) keys in rows under the title; the y the plot may start at."""
        x, y = MARGIN, LEGEND_Y
        if heading:
            self.text("legend-heading", x, y, heading)
            x += _width(heading) + 8
        for colour, label in keys:
            needed = KEY + 4 + _width(label)
            if x > MARGIN and x + needed > WIDTH_PX - MARGIN:
                x, y = MARGIN, y + LINE
            middle = y - CENTRED
            if dashed:
                self.line("key", (x, middle), (x + KEY, middle), colour, 1.5, "4 2")
            else:
                self.rect("key", x, middle - KEY / 2, KEY, KEY, colour)
            self.text("legend", x + KEY + 4, y, label)
            x += needed + 10
        return y + LINE

    def svg(self) -> Markup:
        """An <svg> element to put inside HTML: a role and an accessible name, sized in CSS
        pixels and scalable."""
        label = escape(_CONTROL.sub("\ufffd", self.title))
        body = "".join(f" {part}\n" for part in self.parts)
        svg = (
            f'<svg role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{WIDTH_PX}" height="{HEIGHT_PX}" viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" '
            f'font-family="{FONT_FAMILY}" fill="{INK}">\n <title>{label}</title>\n{body}</svg>\n'
        )
        # every text went through escape, and the rest is numbers and this module's constants
        return Markup(svg)  # noqa: S704


def _horizontal(
    drawing: _Drawing,
    top: float,
    rows: Sequence[tuple[str, float | None, str]],
    axis_label: str,
    tick_label: Callable[[float, int], str],
    integers: bool = False,
    rule: float | None = None,
) -> Markup:
    """One bar per (label, value, figure) row, top down, along a value axis at the bottom; a
    value of None is a bar of no length. `rule` is a dashed red line across the bars.
    `tick_label` writes a tick's value with the decimals given."""
    values = [value or 0 for _, value, _ in rows]
    low, high = _domain([*values, *([] if rule is None else [rule])])
    left = MARGIN + max(_width(label) for label, _, _ in rows) + 8
    right = WIDTH_PX - MARGIN - max(_width(figure) for _, _, figure in rows) - 4
    bottom = HEIGHT_PX - MARGIN - 2 * LINE
    x = _scale(low, high, left, right)
    drawing.line("axis", (left, top), (left, bottom))
    drawing.line("axis", (left, bottom), (right, bottom))
    ticks = _ticks(low, high, integers)
    for tick in ticks:
        drawing.line("tick", (x(tick), bottom), (x(tick), bottom + 4))
        label = tick_label(tick, _digits(ticks))
        drawing.text("tick", x(tick), bottom + LINE, label, anchor="middle")
    below = HEIGHT_PX - MARGIN - 2
    drawing.text("axis-label", (left + right) / 2, below, axis_label, anchor="middle")
    band = (bottom - top) / len(rows)
    thickness = min(band * 0.8, 24)
    middles = [top + band * (index + 0.5) for index in range(len(rows))]
    for (label, _, _), value, middle in zip(rows, values, middles, strict=True):
        start, end = sorted((x(0), x(value)))
        drawing.rect("bar", start, middle - thickness / 2, end - start, thickness, BLUE)
        drawing.text("category", left - 6, middle + CENTRED, label, anchor="end")
    if rule is not None:
        drawing.line("campaign", (x(rule), top), (x(rule), bottom), RED, 1.5, "5 3")
    # the figures last, over the line
    for (_, _, figure), value, middle in zip(rows, values, middles, strict=True):
        drawing.text("value", max(x(0), x(value)) + 4, middle + CENTRED, figure)
    return drawing.svg()


class _Bar(NamedTuple):
    """A vertical bar: its centre and width in categories (0 is the first category's
    centre), its value, the figure written above it, its colour, an interval if any."""

    slot: float
    size: float
    value: float
    figure: str
    colour: str
    interval: tuple[float, float] | None = None


def _vertical(
    drawing: _Drawing,
    top: float,
    categories: Sequence[str],
    bars: Sequence[_Bar],
    tick_label: Callable[[float], str],
    integers: bool = False,
    value_label: str = "",
    category_label: str = "",
) -> Markup:
    """Bars standing on a category axis, a value axis on the left; an interval is a
    whisker with caps. Figures too wide for their bar are turned upright."""
    highest = [max((bar.value, *(bar.interval or ()))) for bar in bars]
    low, high = _domain([*highest, *(bar.value for bar in bars)])
    right = WIDTH_PX - MARGIN

    def left_of(ticks: Sequence[float]) -> float:
        widest = max(_width(tick_label(tick)) for tick in ticks)
        return MARGIN + (LINE if value_label else 0) + widest + 8

    left = left_of(_ticks(low, high, integers))
    slot_px = (right - left) / len(categories)
    flat = all(_width(name) <= slot_px * 0.95 for name in categories)
    # a name turned by 30 degrees rises half its length
    names_height = LINE if flat else max(_width(name) for name in categories) * 0.5 + LINE
    bottom = HEIGHT_PX - MARGIN - names_height - (LINE if category_label else 0)
    upright = any(_width(bar.figure, FIGURE_PX) > bar.size * slot_px for bar in bars)
    room = max(_width(bar.figure, FIGURE_PX) for bar in bars) if upright else FIGURE_PX
    # the value axis goes on above the tallest bar, as far as its figure needs
    high = low + (high - low) * (bottom - top) / max(bottom - top - room - 4, 20)
    ticks = _ticks(low, high, integers)
    left = max(left, left_of(ticks))
    if not flat:
        # the first name, turned, reaches left of its slot by most of its length
        left = max(left, MARGIN + _width(categories[0]) * 0.87 - slot_px / 2)
    slot_px = (right - left) / len(categories)
    y = _scale(low, high, bottom, top)

    def x(slot: float) -> float:
        return left + (slot + 0.5) * slot_px

    drawing.line("axis", (left, top), (left, bottom))
    drawing.line("axis", (left, bottom), (right, bottom))
    for tick in ticks:
        drawing.line("tick", (left - 4, y(tick)), (left, y(tick)))
        drawing.text("tick", left - 6, y(tick) + CENTRED, tick_label(tick), anchor="end")
    for index, name in enumerate(categories):
        if flat:
            drawing.text("category", x(index), bottom + LINE, name, anchor="middle")
        else:
            where = (x(index) + CENTRED, bottom + LINE - CENTRED)
            drawing.text("category", *where, name, anchor="end", turn=-30)
    if value_label:
        middle = (top + bottom) / 2
        drawing.text("axis-label", MARGIN + FONT_PX, middle, value_label, anchor="middle", turn=-90)
    if category_label:
        below = HEIGHT_PX - MARGIN - 2
        drawing.text("axis-label", (left + right) / 2, below, category_label, anchor="middle")
    for bar, tallest in zip(bars, highest, strict=True):
        middle, half = x(bar.slot), bar.size * slot_px / 2
        start, end = sorted((y(0), y(bar.value)))
        drawing.rect("bar", middle - half, start, half * 2, end - start, bar.colour)
        if bar.interval is not None:
            below, above = y(bar.interval[0]), y(bar.interval[1])
            drawing.line("interval", (middle, below), (middle, above), INK)
            for cap in (below, above):
                drawing.line("interval-cap", (middle - 3, cap), (middle + 3, cap), INK)
        over = y(max(tallest, 0)) - 3
        if upright:
            drawing.text(
                "value", middle + FIGURE_PX * 0.35, over, bar.figure, size=FIGURE_PX, turn=-90
            )
        else:
            drawing.text("value", middle, over, bar.figure, size=FIGURE_PX, anchor="middle")
    return drawing.svg()


# -- charts ----------------------------------------------------------------------------------


def _funnel(campaign: Mapping[str, Any], text: Text) -> Markup | None:
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
    rows = [
        (label, value, text("n/a") if value is None else _count(value)) for label, value in stages
    ]
    drawing = _Drawing(text("Funnel"))
    return _horizontal(drawing, PLOT_TOP, rows, text("Count"), _count_tick, integers=True)


def _forecast(campaign: Mapping[str, Any], text: Text) -> Markup | None:
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
    bars = []
    for position, sku in enumerate(skus):
        plan = planned.get(sku)
        bars.append(_Bar(position - 0.2, 0.4, actual[sku], _count(actual[sku]), BLUE))
        figure = text("n/a") if plan is None else _count(plan)
        bars.append(_Bar(position + 0.2, 0.4, plan or 0, figure, ORANGE))
    drawing = _Drawing(text("Units: actual and forecast per SKU"))
    top = drawing.legend([(BLUE, text("Actual")), (ORANGE, text("Forecast"))])
    names = [_name(sku) for sku in skus]
    return _vertical(drawing, top, names, bars, _count, integers=True, value_label=text("Units"))


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
    rows = [(_name(member), value, _money(value)) for member, value in shown]
    drawing = _Drawing(text(title + ", {days} days").format(days=days))
    overall = (campaign.get("kpis") or {}).get(name)
    top = PLOT_TOP
    if overall is not None:
        label = text("Campaign CPL, {value}").format(value=_money(overall))
        top = drawing.legend([(RED, label)], dashed=True)
    axis_label = text("Cost per lead ({currency})").format(currency=currency)
    return _horizontal(drawing, top, rows, axis_label, _current().number, rule=overall)


def _ab_rates(campaign: Mapping[str, Any], text: Text) -> Markup | None:
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
    width = 0.8 / len(variants)
    bars, keys = [], []
    for index, variant in enumerate(variants):
        colour = VARIANT_COLOURS[index % len(VARIANT_COLOURS)]
        drawn = len(bars)
        for position, metric in enumerate(metrics):
            for name, rate, low, high in by_metric[metric]:
                if name == variant and rate is not None:
                    interval = None if low is None or high is None else (low, high)
                    slot = position - 0.4 + width * (index + 0.5)
                    bars.append(_Bar(slot, width * 0.9, rate, _percent(rate), colour, interval))
        if len(bars) > drawn:
            keys.append((colour, variant))
    drawing = _Drawing(text("A/B tests: rate per variant, 95% interval"))
    top = drawing.legend(keys, heading=text("Variant"))
    labels = [_metric_label(m, text) for m in metrics]
    return _vertical(drawing, top, labels, bars, _percent)


def _nps_distribution(campaign: Mapping[str, Any], text: Text) -> Markup | None:
    """Respondents per score 0 to 10; detractors, passives and promoters in their colours."""
    counts = {
        int(row["score"]): row["respondents"] for row in campaign.get("nps_distribution") or []
    }
    if not any(counts.values()):
        return None
    groups = (
        (range(0, 7), RED, text("Detractors (0-6)")),
        (range(7, 9), GREY, text("Passives (7-8)")),
        (range(9, 11), GREEN, text("Promoters (9-10)")),
    )
    bars = [
        _Bar(score, 0.8, counts.get(score, 0), _count(counts.get(score, 0)), colour)
        for scores, colour, _ in groups
        for score in scores
    ]
    drawing = _Drawing(text("Likelihood to recommend: respondents per score"))
    top = drawing.legend([(colour, label) for _, colour, label in groups])
    return _vertical(
        drawing,
        top,
        [str(score) for score in range(11)],
        bars,
        _count,
        integers=True,
        value_label=text("Respondents"),
        category_label=text("Score"),
    )
