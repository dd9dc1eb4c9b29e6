"""The `goodies-report` command line: Click commands and options only.

The work lives in build.py (dbt), warehouse.py (marts), report.py (the report model) and
render.py (files). Expected failures print one line on stderr: exit 2 for a bad input or
option, exit 1 for a failed build or an unreadable warehouse.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from goodies_report import build, render, report


class InputProblem(click.ClickException):
    """A bad input or option: one line, exit 2."""

    exit_code = 2


class OneLineErrors(click.Group):
    """Click's usage errors as one line ("Error: ..."), without the usage and hint lines."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise InputProblem(exc.format_message()) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise InputProblem(exc.format_message()) from None
        except build.GoodiesError as exc:
            error = InputProblem if exc.exit_code == 2 else click.ClickException
            raise error(str(exc)) from None


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-06-30", param, ctx)


class EnvOption(click.Option):
    """An option also read from an environment variable, which its error names only when the
    value came from there (Click names it always, changing the message of a typed value)."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        hint = click.Parameter.get_error_hint(self, ctx)
        if ctx is not None and ctx.get_parameter_source(self.name) is ParameterSource.ENVIRONMENT:
            hint += f" (env var: '{self.envvar}')"
        return hint


def from_env(name: str) -> dict[str, Any]:
    """The settings of an option read from the variable `name` too, shown in --help."""
    return {"cls": EnvOption, "envvar": name, "show_envvar": True}


def _generator():
    """The demo data generator, imported only when asked for."""
    try:
        from goodies_report.generate import generate
    except ImportError as exc:
        raise click.ClickException(f"the demo data generator is not available: {exc}") from None
    return generate


def _status(quiet: bool):
    def echo(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    return echo


@click.group(
    cls=OneLineErrors,
    invoke_without_command=True,
    epilog="""\b
Examples:
  goodies-report --demo                     build on demo data, write ./report
  goodies-report --demo --lang fr           the same report in French
  goodies-report --data-dir exports/ --format md --out out/
  goodies-report --target postgres --raw-schema raw_2026
  goodies-report --skip-build --campaign C-2026-01 --format json
  GOODIES_DATA_DIR=exports/ GOODIES_FORMAT="html md" goodies-report --quiet

\b
With report.html or report.md come actions.csv (for a task tracker),
catalog_updates.csv, revised_forecast.csv and debrief.ics (the debrief and the
follow-up of each campaign, for a calendar); report.json alone comes alone.

\b
Options marked [env var: ...] can be set in the environment instead; an option
given on the command line wins. A repeatable option's variable holds its values
separated by spaces.

\b
Exit codes:
  0  the report is written
  1  the build or one of its tests failed, or the warehouse cannot be read
  2  a bad input or option (a missing folder or file, an unknown campaign, ...)""",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Generate the demo data into <project>/data/demo "
    "(seed 7, 5,000 recipients) and build on it.",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    **from_env("GOODIES_DATA_DIR"),
    help="Build on the raw files (<table>.csv or .parquet) in DIR.",
)
@click.option(
    "--raw-schema",
    metavar="NAME",
    **from_env("GOODIES_RAW_SCHEMA"),
    help="Warehouse mode: the schema holding the raw tables.  [default: raw]",
)
@click.option(
    "--target",
    default="duckdb",
    show_default=True,
    metavar="NAME",
    # the variable profiles.yml itself reads for its default target, for dbt run by hand
    **from_env("GOODIES_TARGET"),
    help="The profiles.yml output to build on and read from.",
)
@click.option(
    "--as-of",
    type=IsoDate(),
    **from_env("GOODIES_AS_OF"),
    help="The date the analysis is made for.  [default: today, UTC]",
)
@click.option(
    "--campaign",
    "campaigns",
    multiple=True,
    metavar="ID",
    **from_env("GOODIES_CAMPAIGN"),
    help="Report only this campaign; repeat for several.  [default: all]",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(render.FORMATS),
    **from_env("GOODIES_FORMAT"),
    help="Output format; repeat for several.  [default: html and json]",
)
@click.option(
    "--lang",
    type=click.Choice(render.LANGUAGES),
    default="en",
    show_default=True,
    **from_env("GOODIES_LANG"),
    help="Language of the report: its labels, sentences, numbers, amounts and dates.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default="report",
    show_default=True,
    metavar="DIR",
    **from_env("GOODIES_OUT"),
    help="Folder the report files are written to.",
)
@click.option(
    "--skip-build",
    is_flag=True,
    help="Do not run dbt: render from the marts already in the warehouse.",
)
@click.option(
    "--unit-tests",
    is_flag=True,
    **from_env("GOODIES_UNIT_TESTS"),
    help="Run every dbt test, as `dbt build` does: the unit tests too (hand-computed cases "
    "of every definition, which do not depend on the data), and each not_null, "
    "accepted_range, accepted_values, unique, unique_combination and relationships test on "
    "its own besides "
    "each model's column_rules test, which checks them all in one query (a report build runs "
    "only that one).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    **from_env("GOODIES_QUIET"),
    help="No progress on stderr, only errors.",
)
@click.version_option(package_name="goodies-report", help="Show the version and exit.")
@click.help_option("--help", "-h", help="Show this message and exit.")
@click.pass_context
def cli(
    ctx: click.Context,
    demo: bool,
    data_dir: Path | None,
    raw_schema: str | None,
    target: str,
    as_of: dt.date | None,
    campaigns: tuple[str, ...],
    formats: tuple[str, ...],
    lang: str,
    out: Path,
    skip_build: bool,
    unit_tests: bool,
    quiet: bool,
) -> None:
    """Build the campaign marts with dbt, then write the post-mortem report.

    Raw data comes from files (--demo or --data-dir) or, on a warehouse target, from a raw
    schema. Progress goes to stderr, each dbt node as it finishes, then the path of every
    file written; the report folder is printed on stdout.
    """
    if ctx.invoked_subcommand is not None:
        return
    echo = _status(quiet)
    project_dir = build.find_project_dir()
    known = build.targets(project_dir)
    if target not in known:
        raise InputProblem(
            f"unknown target {target!r}; targets in profiles.yml: {', '.join(known)}"
        )
    if demo and data_dir is not None:
        raise InputProblem("--demo and --data-dir exclude each other; pass one of them")
    files_mode = demo or data_dir is not None
    if files_mode and raw_schema is not None:
        raise InputProblem("--raw-schema is for warehouse mode; drop it or --demo/--data-dir")
    if known[target] == "duckdb" and not files_mode and not skip_build:
        raise InputProblem(f"the {target} target reads raw files: pass --demo or --data-dir DIR")
    explicit_as_of = as_of
    as_of = as_of or dt.datetime.now(dt.UTC).date()

    if demo:
        data_dir = project_dir / "data" / "demo"
    dbt_vars: dict[str, Any] = {"as_of": as_of.isoformat()}
    if data_dir is not None:
        data_dir = data_dir.expanduser().resolve()
        dbt_vars.update(raw_mode="files", raw_data_dir=str(data_dir))
    else:
        dbt_vars.update(raw_mode="warehouse", raw_schema=raw_schema or "raw")
    duckdb_path = build.default_duckdb_path(project_dir) if known[target] == "duckdb" else None
    spark_dir = build.default_spark_dir(project_dir) if known[target] == "spark" else None
    settings = build.Settings(
        project_dir, target, duckdb_path, dbt_vars, unit_tests=unit_tests, spark_dir=spark_dir
    )

    # One build of a warehouse at a time; renders from it (--skip-build) may share it.
    with build.build_lock(settings, exclusive=not skip_build):
        if demo and not skip_build:
            echo(f"Generating demo data into {data_dir} ...")
            generated = _generator()(data_dir)
            echo(f"  {sum(generated.rows.values()):,} rows in {generated.seconds:.1f} s")
        if skip_build:
            validated = build.validated_from_run_results(settings.run_results_path)
            as_of_asked = explicit_as_of
        else:
            if data_dir is not None:
                build.check_data_dir(data_dir)
            source = f"files in {data_dir}" if data_dir else f"schema {dbt_vars['raw_schema']}"
            echo(f"Building with dbt on {target} ({source}), as of {as_of} ...")
            result = build.run_build(settings, progress=None if quiet else echo)
            if not result.success:
                raise click.ClickException(result.describe_failure())
            echo(
                f"Built {result.models_passed} models, {result.tests_passed}/{result.tests_total} "
                f"tests passed in {result.seconds:.1f} s."
            )
            validated = result.validated
            as_of_asked = as_of

        render_started = time.monotonic()
        model = report.build_report(
            settings, validated=validated, as_of=as_of_asked, campaign_ids=campaigns
        )
        written = render.write_reports(model, formats or ("html", "json"), out, project_dir, lang)
        render_seconds = time.monotonic() - render_started
    echo(f"Rendered the report in {render_seconds:.2f} s.")
    for path in written:
        echo(f"Wrote {path}")
    click.echo(str(out.resolve()))


@cli.command("generate", short_help="Write demo raw files and summarise them.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    metavar="DIR",
    help="Folder the raw files are written to (created if needed).",
)
@click.option(
    "--seed",
    type=int,
    default=7,
    show_default=True,
    help="Seed of the random generator: the same seed gives the same files.",
)
@click.option(
    "--recipients",
    type=click.IntRange(min=100, max=9_999_999),
    default=5000,
    show_default=True,
    help="How many recipients the demo campaigns target in all, holdout included (100 or more).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="File format of the raw tables.",
)
@click.option(
    "--repeat-scans",
    type=click.IntRange(min=0, max=100),
    default=0,
    show_default=True,
    metavar="N",
    help="Scan every scanned QR code N more times on average, as a code on a daily-use "
    "item keeps being scanned: the event-heavy case (55 gives about ten million code "
    "events at a million recipients). No figure but the event count changes.",
)
@click.help_option("--help", "-h", help="Show this message and exit.")
def generate_command(
    out: Path, seed: int, recipients: int, file_format: str, repeat_scans: int
) -> None:
    """Write demo raw files against the raw-data contract, and summarise them.

    \b
    Examples:
      goodies-report generate --out data/demo --seed 7 --recipients 5000
      goodies-report generate --out data/big --recipients 1000000 --format parquet
      goodies-report generate --out data/scans --recipients 1000000 --repeat-scans 55
    """
    generated = _generator()(
        out,
        seed=seed,
        recipients=recipients,
        file_format=file_format,
        repeat_scans=repeat_scans,
    )
    click.echo(
        f"Wrote {len(generated.rows)} tables to {generated.out_dir} in {generated.seconds:.1f} s:"
    )
    for table, rows in generated.rows.items():
        merged = generated.merged.get(table, 0)
        set_aside = sum(generated.set_aside.get(table, {}).values())
        click.echo(f"  {table:<20} {rows:>9,} rows  {merged:>6,} merged  {set_aside:>6,} set aside")


@cli.command("load", short_help="Load raw files into a warehouse's raw schema.")
@click.option(
    "--target",
    default="postgres",
    show_default=True,
    metavar="NAME",
    help="A postgres output of profiles.yml (the connection comes from the GOODIES_PG_* "
    "variables it reads) or the spark one (a Spark session in this process, its tables in "
    "GOODIES_SPARK_DIR).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    metavar="DIR",
    help="Folder of the raw files (<table>.csv or .parquet).",
)
@click.option(
    "--raw-schema",
    default="raw",
    show_default=True,
    metavar="NAME",
    help="Schema the raw tables are (re)created in.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr, only errors.")
@click.help_option("--help", "-h", help="Show this message and exit.")
def load_command(target: str, data_dir: Path, raw_schema: str, quiet: bool) -> None:
    """Load the raw files of DIR into tables of text columns in the raw schema, replacing
    what an earlier load put there; then build with --target and --raw-schema.

    \b
    Example:
      goodies-report load --target postgres --data-dir exports/ --raw-schema raw
      goodies-report load --target spark --data-dir exports/ --raw-schema raw
    """
    from goodies_report import load

    project_dir = build.find_project_dir()
    adapter = build.targets(project_dir).get(target)
    if adapter not in ("postgres", "spark"):
        found = f"is {adapter}" if adapter else "is not in profiles.yml"
        raise InputProblem(f"target {target!r} {found}; load writes to a postgres or spark target")
    if not load.SCHEMA_NAME.fullmatch(raw_schema):
        raise InputProblem(f"--raw-schema {raw_schema!r}: use letters, digits and underscores")
    echo = _status(quiet)
    echo(f"Loading {data_dir} into schema {raw_schema} ({target}) ...")
    data_dir = data_dir.expanduser().resolve()
    if adapter == "postgres":
        result = load.load_files(data_dir, raw_schema, progress=echo)
    else:
        from goodies_report import spark

        spark_dir = build.default_spark_dir(project_dir)
        settings = build.Settings(project_dir, target, spark_dir=spark_dir)
        with build.dbt_environment(settings):
            conf = spark.session_settings(project_dir, target)
            result = spark.load_files(data_dir, raw_schema, conf, progress=echo)
    for table in result.dropped:
        echo(f"  {table:<20} dropped (no file)")
    echo(f"Loaded {sum(result.rows.values()):,} rows in {result.seconds:.1f} s.")
    click.echo(raw_schema)


main = cli
