"""Renders the report model with Jinja2 and writes the files atomically.

Templates read the report dict and nothing else. Every requested format is rendered to
memory first; only then is each file written to a temporary file in the output folder and
moved into place, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from goodies_report import exports
from goodies_report.build import GoodiesError
from goodies_report.report import to_json

FORMATS = ("html", "md", "json")
FILE_NAMES = {"html": "report.html", "md": "report.md", "json": "report.json"}
EXPORTED_WITH = {"html", "md"}  # the formats the exports are written with
NOT_AVAILABLE = "n/a"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
# Control characters (terminal escapes, bells, backspaces) and the bidirectional overrides
# that reorder what a reader sees: shown as U+FFFD rather than obeyed. Tabs and newlines stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def templates_dir(project_dir: Path) -> Path:
    return project_dir / "reports" / "templates"


def percent(value: Any) -> str:
    """A rate (a fraction 0-1) as a percentage with one decimal."""
    return NOT_AVAILABLE if value is None else f"{value * 100:.1f}%"


def money(value: Any, currency: str) -> str:
    """An amount with two decimals and the currency code."""
    return NOT_AVAILABLE if value is None else f"{value:,.2f} {currency}"


def count(value: Any) -> str:
    """A whole number with thousands separators."""
    if value is None:
        return NOT_AVAILABLE
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def number(value: Any, digits: int = 1) -> str:
    """A plain number (an NPS, a number of days) with `digits` decimals."""
    return NOT_AVAILABLE if value is None else f"{value:,.{digits}f}"


_PERCENT = re.compile(r"(_rate|_share|^incremental_lift|^roi|^forecast_wape)")
_MONEY = re.compile(r"(cost|cpl|^revenue|^pipeline|^budget)")
_COUNT = re.compile(r"^(units_|delivered_|respondents|leads_|qualified_leads_|conversions_|late_)")


def figure(value: Any, name: str, currency: str) -> str:
    """A headline figure formatted by what its name says it is (metrics.md's names)."""
    if _PERCENT.search(name):
        return percent(value)
    if _MONEY.search(name):
        return money(value, currency)
    if _COUNT.search(name):
        return count(value)
    return number(value)


def windowed(figures: Mapping[str, Any], key: str) -> list[str]:
    """The figure names a dashboard entry stands for: `key` itself, or, for a key ending in
    `_` such as `cpl_`, that figure in every attribution window (`cpl_14d`, `cpl_90d`)."""
    if not key.endswith("_"):
        return [key]
    pattern = re.compile(re.escape(key) + r"[0-9]+d")
    return [name for name in figures if pattern.fullmatch(name)]


def pvalue(value: Any) -> str:
    """A p- or q-value as people read one: "= 0.012", or "< 0.001" below that."""
    if value is None:
        return NOT_AVAILABLE
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def na(value: Any) -> Any:
    return NOT_AVAILABLE if value is None else value


def visible(value: Any) -> Any:
    """A text value with its control characters replaced (see _CONTROL); others as they are.
    Markup (a macro's output) was made of values that went through this already."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("\ufffd", value)
    return value


def md_escape(value: Any) -> str:
    """Text safe inside Markdown (and its tables): markup characters backslash-escaped."""
    text = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


def _environment(project_dir: Path, *, finalize: Any = None) -> Environment:
    env = Environment(
        # HTML templates (by name) are autoescaped; Markdown ones escape through finalize.
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        finalize=finalize,
        loader=FileSystemLoader(templates_dir(project_dir)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        percent=percent,
        money=money,
        count=count,
        number=number,
        figure=figure,
        windowed=windowed,
        na=na,
        pvalue=pvalue,
    )
    return env


def html_environment(project_dir: Path) -> Environment:
    """Autoescaped: every value is HTML-escaped unless a template says otherwise."""
    return _environment(project_dir, finalize=visible)


def markdown_environment(project_dir: Path) -> Environment:
    """Every value printed by the template goes through md_escape."""
    return _environment(project_dir, finalize=md_escape)


def with_sentences(report: Mapping[str, Any], project_dir: Path) -> dict[str, Any]:
    """The report with its sentences written from the data by the templates'
    `_sentences.j2`: each insight's text, each action's title, each checklist item's label
    and why. Plain text here; every format escapes it as it prints it."""
    sentences = _environment(project_dir).get_template("_sentences.j2").make_module()
    campaigns = []
    for campaign in report["campaigns"]:
        currency = campaign["currency"]
        campaign = dict(campaign)
        campaign["insights"] = [
            {**i, "text": str(sentences.insight(i, currency))} for i in campaign["insights"]
        ]
        campaign["actions"] = [
            {**a, "title": str(sentences.action(a))} for a in campaign["actions"]
        ]
        campaign["checklist"] = [
            {
                **c,
                "label": sentences.checklist_labels.get(c["item"], c["item"]),
                "why": str(sentences.checklist_why(c)),
            }
            for c in campaign["checklist"]
        ]
        campaigns.append(campaign)
    return {**report, "campaigns": campaigns}


def render(report: Mapping[str, Any], formats: Sequence[str], project_dir: Path) -> dict[str, str]:
    """File name -> text for every requested format, in memory."""
    report = with_sentences(report, project_dir)
    rendered: dict[str, str] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "json":
            text = to_json(report)
        elif fmt == "html":
            template = html_environment(project_dir).get_template("report.html.j2")
            text = template.render(report=report)
        elif fmt == "md":
            template = markdown_environment(project_dir).get_template("report.md.j2")
            text = template.render(report=report)
        else:
            raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
        rendered[FILE_NAMES[fmt]] = text
    return rendered


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(files: Mapping[str, str], out_dir: Path) -> list[Path]:
    """Write every file to a temporary file in out_dir, then move each into place."""
    staged: list[tuple[str, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            staged.append((name, Path(tmp)))
            # mkstemp creates the file readable by its owner only; a report is shared.
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        written = []
        for name, tmp in staged:
            os.replace(tmp, out_dir / name)
            written.append(out_dir / name)
        return written
    except OSError as exc:
        raise GoodiesError(f"cannot write the report to {out_dir}: {exc}") from exc
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)


def write_reports(
    report: Mapping[str, Any], formats: Sequence[str], out_dir: Path, project_dir: Path
) -> list[Path]:
    """Render every format, then write them all; nothing is written if rendering fails.

    With a page (html or md) come the exports of exports.py, for the people who read it;
    report.json alone, for other tools, comes alone."""
    files = render(report, formats, project_dir)
    if EXPORTED_WITH.intersection(formats):
        files.update(exports.render_exports(with_sentences(report, project_dir)))
    return write_atomic(files, out_dir)
