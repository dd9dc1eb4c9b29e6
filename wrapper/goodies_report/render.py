"""Renders the report model with Jinja2 and writes the files atomically.

Templates read the report dict and nothing else. Every requested format is rendered to
memory first; only then is each file written to a temporary file in the output folder and
moved into place, so a failure never leaves a half-written report.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from goodies_report import charts, exports
from goodies_report.build import GoodiesError
from goodies_report.report import to_json

FORMATS = ("html", "md", "json")
LANGUAGES = ("en", "fr")  # a language is a catalog in reports/locales and a _sentences file
FILE_NAMES = {"html": "report.html", "md": "report.md", "json": "report.json"}
EXPORTED_WITH = {"html", "md"}  # the formats the exports are written with
NOT_AVAILABLE = "n/a"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
# Control characters (terminal escapes, bells, backspaces) and the bidirectional overrides
# that reorder what a reader sees: shown as U+FFFD rather than obeyed. Tabs and newlines stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def templates_dir(project_dir: Path) -> Path:
    return project_dir / "reports" / "templates"


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; languages: {', '.join(LANGUAGES)}")
    return lang


@cache
def translations(project_dir: Path, lang: str) -> NullTranslations:
    """The catalog of `lang` (reports/locales/<lang>.po, read as it is: no compiled .mo to
    keep in step); English is the templates' own text."""
    check_language(lang)
    po = project_dir / "reports" / "locales" / f"{lang}.po"
    if lang == "en" or not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


class Formats:
    """Numbers, money, rates and dates as the language writes them (Babel's CLDR data):
    1,200.5 and 57.8% in English, 1 200,5 and 57,8 % in French. Money keeps the ISO code
    after the amount, since campaigns may be in different currencies."""

    def __init__(self, lang: str = "en", not_available: str = NOT_AVAILABLE) -> None:
        self.lang = check_language(lang)
        self.not_available = not_available
        # the language's own percent pattern (57.8% but 57,8 %), with one decimal
        standard = Locale.parse(lang).percent_formats[None].pattern
        self._percent_pattern = standard.replace("#,##0", "#,##0.0", 1)

    def percent(self, value: Any) -> str:
        """A rate (a fraction 0-1) as a percentage with one decimal."""
        if value is None:
            return self.not_available
        return format_percent(value, self._percent_pattern, locale=self.lang)

    def money(self, value: Any, currency: str) -> str:
        """An amount with two decimals and the currency code."""
        if value is None:
            return self.not_available
        return format_currency(value, currency, "#,##0.00 \u00a4\u00a4", locale=self.lang)

    def count(self, value: Any) -> str:
        """A whole number with the language's thousands separator."""
        if value is None:
            return self.not_available
        return format_decimal(value, "#,##0", locale=self.lang)

    def number(self, value: Any, digits: int = 1) -> str:
        """A plain number (an NPS, a number of days) with `digits` decimals."""
        if value is None:
            return self.not_available
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return format_decimal(value, pattern, locale=self.lang)

    def pvalue(self, value: Any) -> str:
        """A p- or q-value as people read one: "= 0.012", or "< 0.001" below that."""
        if value is None:
            return self.not_available
        if value < 0.001:
            return "< " + format_decimal(0.001, "0.000", locale=self.lang)
        return "= " + format_decimal(value, "0.000", locale=self.lang)

    def day(self, value: Any) -> str:
        """An ISO date (report.json's) as the language writes a date: Dec 1, 2026 or
        1 déc. 2026."""
        if value is None:
            return self.not_available
        return format_date(dt.date.fromisoformat(str(value)[:10]), "medium", locale=self.lang)

    def moment(self, value: Any) -> str:
        """An ISO timestamp in UTC (report.json's) as the language writes one."""
        if value is None:
            return self.not_available
        at = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return format_datetime(at, "medium", tzinfo=dt.UTC, locale=self.lang) + " UTC"

    def figure(self, value: Any, name: str, currency: str) -> str:
        """A headline figure formatted by what its name says it is (metrics.md's names)."""
        if _PERCENT.search(name):
            return self.percent(value)
        if _MONEY.search(name):
            return self.money(value, currency)
        if _COUNT.search(name):
            return self.count(value)
        return self.number(value)

    def na(self, value: Any) -> Any:
        return self.not_available if value is None else value


_ENGLISH = Formats("en")
percent = _ENGLISH.percent
money = _ENGLISH.money
count = _ENGLISH.count
number = _ENGLISH.number
figure = _ENGLISH.figure
pvalue = _ENGLISH.pvalue
na = _ENGLISH.na

_PERCENT = re.compile(r"(_rate|_share|^incremental_lift|^roi|^forecast_wape)")
_MONEY = re.compile(r"(cost|cpl|^revenue|^pipeline|^budget)")
_COUNT = re.compile(r"^(units_|delivered_|respondents|leads_|qualified_leads_|conversions_|late_)")


def windowed(figures: Mapping[str, Any], key: str) -> list[str]:
    """The figure names a dashboard entry stands for: `key` itself, or, for a key ending in
    `_` such as `cpl_`, that figure in every attribution window (`cpl_14d`, `cpl_90d`)."""
    if not key.endswith("_"):
        return [key]
    pattern = re.compile(re.escape(key) + r"[0-9]+d")
    return [name for name in figures if pattern.fullmatch(name)]


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


def _term(catalog: NullTranslations, formats: Formats, value: Any) -> str:
    """A word of the data (a stage, a channel, a rule's name) in the language when the
    catalog has it, else with its underscores as spaces; plain text, so escaped like any
    value and never read as a format string or as markup."""
    if value is None:
        return formats.not_available
    text = str(value)
    translated = catalog.gettext(text)
    return translated if translated != text else text.replace("_", " ")


def _environment(
    project_dir: Path, *, lang: str = "en", finalize: Any = None, flavour: str = "text"
) -> Environment:
    env = Environment(
        # Compiling the templates took a fifth of a second at every run; Jinja keeps them
        # compiled in its own per-user cache folder (checked to be the user's own), keyed on
        # the template's source. Its key ignores the environment, and `finalize` changes the
        # compiled code, so each flavour of environment keeps its own files.
        bytecode_cache=FileSystemBytecodeCache(pattern=f"__goodies_{flavour}_%s.cache"),
        # HTML templates (by name) are autoescaped; Markdown ones escape through finalize.
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        finalize=finalize,
        loader=FileSystemLoader(templates_dir(project_dir)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    catalog = translations(project_dir, lang)
    # newstyle: _() escapes its result like any other value and fills %(name)s itself
    env.install_gettext_translations(catalog, newstyle=True)
    formats = Formats(lang, catalog.gettext(NOT_AVAILABLE))
    env.filters.update(
        percent=formats.percent,
        money=formats.money,
        count=formats.count,
        number=formats.number,
        figure=formats.figure,
        windowed=windowed,
        na=formats.na,
        pvalue=formats.pvalue,
        day=formats.day,
        moment=formats.moment,
        term=lambda value: _term(catalog, formats, value),
    )
    env.globals.update(lang=lang)
    return env


def html_environment(project_dir: Path, lang: str = "en") -> Environment:
    """Autoescaped: every value is HTML-escaped unless a template says otherwise."""
    return _environment(project_dir, lang=lang, finalize=visible, flavour="html")


def markdown_environment(project_dir: Path, lang: str = "en") -> Environment:
    """Every value printed by the template goes through md_escape."""
    return _environment(project_dir, lang=lang, finalize=md_escape, flavour="md")


def sentences_template(lang: str) -> str:
    """The sentences of a language: _sentences.j2 in English, _sentences.<lang>.j2 else."""
    return "_sentences.j2" if check_language(lang) == "en" else f"_sentences.{lang}.j2"


def with_sentences(
    report: Mapping[str, Any], project_dir: Path, lang: str = "en"
) -> dict[str, Any]:
    """The report with its sentences written from the data by the templates'
    `_sentences.j2` (or the language's copy): each insight's text, each action's title,
    each checklist item's label and why. Plain text here; every format escapes it as it
    prints it."""
    env = _environment(project_dir, lang=lang)
    sentences = env.get_template(sentences_template(lang)).make_module()
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
    return {**report, "lang": lang, "campaigns": campaigns}


def render(
    report: Mapping[str, Any], formats: Sequence[str], project_dir: Path, lang: str = "en"
) -> dict[str, str]:
    """File name -> text for every requested format, in memory, in language `lang`."""
    report = with_sentences(report, project_dir, lang)
    rendered: dict[str, str] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == "json":
            text = to_json(report)
        elif fmt == "html":
            template = html_environment(project_dir, lang).get_template("report.html.j2")
            catalog = translations(project_dir, lang)
            numbers = Formats(lang)
            drawn = {
                campaign["campaign_id"]: charts.campaign_charts(campaign, catalog.gettext, numbers)
                for campaign in report["campaigns"]
            }
            text = template.render(report=report, charts=drawn)
        elif fmt == "md":
            template = markdown_environment(project_dir, lang).get_template("report.md.j2")
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
    report: Mapping[str, Any],
    formats: Sequence[str],
    out_dir: Path,
    project_dir: Path,
    lang: str = "en",
) -> list[Path]:
    """Render every format, then write them all; nothing is written if rendering fails.

    With a page (html or md) come the exports of exports.py, for the people who read it;
    report.json alone, for other tools, comes alone."""
    files = render(report, formats, project_dir, lang)
    if EXPORTED_WITH.intersection(formats):
        files.update(exports.render_exports(with_sentences(report, project_dir, lang)))
    return write_atomic(files, out_dir)
