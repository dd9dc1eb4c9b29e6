"""Where the dbt project lives, and `dbt build` through dbt's in-process runner.

Everything dbt needs is passed explicitly: project and profiles folder, target, a per-target
target path (so that switching targets does not force a full re-parse), the vars as JSON and
the DuckDB file through GOODIES_DUCKDB_PATH, which profiles.yml reads. The data folder and the
as_of date go through the environment too (GOODIES_DATA_DIR, GOODIES_AS_OF), read by dbt only
when it runs: unlike a var, a new value does not make dbt parse the whole project again.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REQUIRED_TABLES = ("campaigns", "skus", "recipients", "shipments")
DUCKDB_PATH_VAR = "GOODIES_DUCKDB_PATH"
# profiles.yml's keep_open: whether dbt-duckdb keeps its database open between nodes.
DUCKDB_KEEP_OPEN_VAR = "GOODIES_DUCKDB_KEEP_OPEN"
# The folder of the spark target's catalog and tables (profiles.yml).
SPARK_DIR_VAR = "GOODIES_SPARK_DIR"
PROJECT_DIR_VAR = "GOODIES_PROJECT_DIR"
PROFILE_NAME = "goodies"
# Vars of a run that dbt reads from the environment instead (macros/settings/run_setting.sql):
# a new --vars makes dbt parse the whole project again, a new environment value does not.
RUN_SETTING_VARS = {"raw_data_dir": "GOODIES_DATA_DIR", "as_of": "GOODIES_AS_OF"}

# Statuses of a node that did what it should (dbt's RunStatus and TestStatus values).
_PASSED = {"success", "pass"}
_FAILED = {"error", "fail", "runtime error"}
_HEADER = re.compile(r"^(.*\bError)\b(?: in .*)?$")


class GoodiesError(Exception):
    """An expected failure: the message says what went wrong and how to fix it (exit 1)."""

    exit_code = 1


class InputError(GoodiesError):
    """A bad input from the user: a missing folder or file, an unknown value (exit 2)."""

    exit_code = 2


class BuildError(GoodiesError):
    """dbt did not build: a node failed, a test failed or the project did not compile."""


# The single-table tests a model's column_rules test folds into one query (the project's
# not_null, accepted_range, accepted_values, unique, unique_combination and relationships
# tag themselves so); see Settings.unit_tests.
FOLDED_TESTS = "tag:column_rule"


@dataclass(frozen=True)
class Settings:
    """The dbt project, the target to build on and read from, and the vars of the build."""

    project_dir: Path
    target: str = "duckdb"
    duckdb_path: Path | None = None
    dbt_vars: Mapping[str, Any] = field(default_factory=dict)
    # dbt's unit tests check each definition on hand-computed rows: they do not depend on
    # the data, so CI runs them (README) and a report build leaves them out, which saves a
    # tenth of the build whatever its size. A report build also leaves out each test that a
    # model's column_rules test checks in one query (macros/tests/column_rules.sql); with
    # unit_tests, every test runs, as in `dbt build`.
    unit_tests: bool = False
    # Set for a target of dbt-spark's session method: where its catalog and tables live.
    spark_dir: Path | None = None

    @property
    def profiles_dir(self) -> Path:
        return self.project_dir

    @property
    def target_path(self) -> Path:
        return self.project_dir / "target" / self.target

    @property
    def run_results_path(self) -> Path:
        return self.target_path / "run_results.json"

    def dbt_args(self) -> list[str]:
        """The arguments every dbt command of ours shares."""
        return [
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target",
            self.target,
            "--target-path",
            str(self.target_path),
            "--vars",
            json.dumps(self.parse_vars(), sort_keys=True),
            # Nothing of dbt's own console log: progress comes from events (see run_build).
            "--log-level",
            "none",
            "--no-use-colors",
            # No tracking: no network call, no .user.yml written into the profiles folder.
            "--no-send-anonymous-usage-stats",
        ]

    def parse_vars(self) -> dict[str, Any]:
        """The vars passed as --vars: all but the run settings, set in the environment."""
        vars_ = self.dbt_vars.items()
        return {name: value for name, value in vars_ if name not in RUN_SETTING_VARS}

    def run_setting_environment(self) -> dict[str, str]:
        """The run settings among the vars, as the environment variables dbt reads them from.

        A setting absent from the vars is set empty, so that a value left in the caller's
        environment (GOODIES_AS_OF for the command-line option) cannot leak into the build.
        """
        values = {}
        for name, env_name in RUN_SETTING_VARS.items():
            value = self.dbt_vars.get(name)
            values[env_name] = "" if value is None else str(value)
        return values

    def build_args(self) -> list[str]:
        """`dbt build`'s own arguments after the shared ones."""
        if self.unit_tests:
            return self.dbt_args()
        return [
            *self.dbt_args(),
            "--exclude-resource-type",
            "unit_test",
            "--exclude",
            FOLDED_TESTS,
        ]


def find_project_dir() -> Path:
    """The folder holding dbt_project.yml: GOODIES_PROJECT_DIR, else the source checkout."""
    env = os.environ.get(PROJECT_DIR_VAR)
    project_dir = Path(env).resolve() if env else Path(__file__).resolve().parents[2]
    if not (project_dir / "dbt_project.yml").is_file():
        hint = f"set {PROJECT_DIR_VAR}" if not env else f"check {PROJECT_DIR_VAR}"
        raise GoodiesError(f"no dbt_project.yml in {project_dir}; {hint}")
    return project_dir


def targets(project_dir: Path) -> dict[str, str]:
    """The outputs of the goodies profile in profiles.yml, name -> adapter type."""
    import yaml  # dbt depends on PyYAML

    path = project_dir / "profiles.yml"
    try:
        profiles = yaml.safe_load(path.read_text(encoding="utf-8"))
        outputs = profiles[PROFILE_NAME]["outputs"]
        return {str(name): str(output.get("type", "")) for name, output in outputs.items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise GoodiesError(f"cannot read the {PROFILE_NAME!r} outputs of {path}: {exc}") from exc


def default_duckdb_path(project_dir: Path) -> Path:
    """GOODIES_DUCKDB_PATH made absolute, else <project>/warehouse/goodies.duckdb."""
    env = os.environ.get(DUCKDB_PATH_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return project_dir / "warehouse" / "goodies.duckdb"


def default_spark_dir(project_dir: Path) -> Path:
    """GOODIES_SPARK_DIR made absolute, else <project>/warehouse/spark."""
    env = os.environ.get(SPARK_DIR_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return project_dir / "warehouse" / "spark"


def check_data_dir(data_dir: Path) -> None:
    """Fail with the name of what is missing: the folder, or a required table's file."""
    if not data_dir.is_dir():
        raise InputError(f"data folder not found: {data_dir}")
    for table in REQUIRED_TABLES:
        csv, parquet = data_dir / f"{table}.csv", data_dir / f"{table}.parquet"
        if not csv.is_file() and not parquet.is_file():
            raise InputError(f"required file not found: {csv} (or {parquet.name})")


@contextmanager
def dbt_environment(settings: Settings, *, keep_open: bool = False) -> Iterator[None]:
    """GOODIES_DUCKDB_PATH (or GOODIES_SPARK_DIR) set to the settings' absolute path while
    dbt runs, with the run settings (the data folder, as_of) that dbt reads there; for Spark,
    SPARK_LOCAL_IP too unless set, so that a session in local mode listens on the loopback
    address rather than on the machine's outside one.

    keep_open keeps one DuckDB database open for all of dbt's nodes (GOODIES_DUCKDB_KEEP_OPEN);
    the caller then closes it with release_duckdb once dbt has returned."""
    values = settings.run_setting_environment()
    if settings.duckdb_path is not None:
        settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        values[DUCKDB_PATH_VAR] = str(settings.duckdb_path)
        values[DUCKDB_KEEP_OPEN_VAR] = "True" if keep_open else "False"
    if settings.spark_dir is not None:
        settings.spark_dir.mkdir(parents=True, exist_ok=True)
        values[SPARK_DIR_VAR] = str(settings.spark_dir)
        values["SPARK_LOCAL_IP"] = os.environ.get("SPARK_LOCAL_IP", "127.0.0.1")
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def build_lock(settings: Settings, *, exclusive: bool = True) -> Iterator[None]:
    """Held while goodies-report builds (exclusive) or reads (shared) a warehouse.

    The lock is an flock on a file beside the DuckDB file (in the target path for other
    engines): the kernel releases it when the process ends, even when killed, so a stale
    lock file never blocks. A second build of the same warehouse stops at once instead of
    waiting: DuckDB would refuse its connection anyway, after dbt had started.
    """
    if settings.duckdb_path is not None:
        what = str(settings.duckdb_path)
        path = settings.duckdb_path.with_name(settings.duckdb_path.name + ".lock")
    else:
        what = f"the {settings.target} target"
        path = settings.target_path / "goodies-report.lock"
    try:
        if exclusive:
            path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a")  # open for as long as the lock is held
    except OSError as exc:
        if exclusive:
            raise GoodiesError(f"cannot create the lock file {path}: {exc}") from exc
        handle = None
    if handle is None:
        # A render of a warehouse in a folder it cannot write to (or of none at all) goes
        # on unlocked: DuckDB itself refuses to read a file that a build is writing.
        yield
        return
    try:
        try:
            fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GoodiesError(
                f"another goodies-report is building {what}; run again once it has finished"
            ) from None
        yield
    finally:
        handle.close()  # closing the file releases the lock


@dataclass(frozen=True)
class FailedNode:
    resource_type: str
    name: str
    status: str
    message: str

    def describe(self) -> str:
        return f"{self.resource_type} {self.name} ({self.status}): {self.message}"


@dataclass
class BuildResult:
    success: bool
    failed: list[FailedNode] = field(default_factory=list)
    error: str | None = None  # set when dbt stopped before running nodes (compile error, ...)
    models_passed: int = 0
    tests_passed: int = 0
    tests_total: int = 0
    skipped: int = 0
    warned: int = 0
    seconds: float = 0.0

    @property
    def validated(self) -> bool:
        """True when the build held tests and every one of them passed."""
        return self.success and self.tests_total > 0 and self.tests_passed == self.tests_total

    def describe_failure(self) -> str:
        """One line per failed node (or dbt's error), for the error message."""
        if self.error:
            return f"dbt build failed: {self.error}"
        lines = [f"dbt build failed: {len(self.failed)} node(s) failed"]
        lines += [f"  {node.describe()}" for node in self.failed]
        if self.skipped:
            lines.append(f"  ({self.skipped} node(s) skipped because of these)")
        return "\n".join(lines)


def dbt_message(text: object) -> str:
    """dbt's message in one line: "<Kind> Error: <first line of its body>".

    dbt's messages open with a header naming the node ("Compilation Error in model x
    (models/x.sql)"), then the cause on the next line, then a call stack and hints.
    """
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith(">")]
    if not lines:
        return ""
    header = _HEADER.match(lines[0])
    message = f"{header.group(1)}: {lines[1]}" if header and len(lines) > 1 else lines[0]
    # DuckDB's CSV errors name the line first and the file further down; the offending line
    # itself is left out, since it may hold personal data.
    csv_file = next((line[len("file = ") :] for line in lines if line.startswith("file = ")), None)
    problem = _csv_problem(lines) if csv_file else None
    if problem and problem not in message:
        message = f"{message} ({problem})"
    if csv_file and csv_file not in message:
        message = f"{message} in {csv_file}"
    return message


def _csv_problem(lines: list[str]) -> str | None:
    """What is wrong with a CSV line, from DuckDB's error: the line just before its
    "Possible fixes" or "Possible Solution" (e.g. "Expected Number of Columns: 14 Found:
    12"), which follows the offending line's text, itself spanning several lines at times."""
    end = next((i for i, line in enumerate(lines) if line.startswith("Possible ")), None)
    if not end or lines[end - 1].startswith(("Original Line:", "file = ")):
        return None
    return lines[end - 1]


def error_text(exc: BaseException) -> str:
    """A dbt exception as one line."""
    return dbt_message(exc) or type(exc).__name__


# dbt's events that carry the number of nodes the build runs (`total`, `num_models` for tests)
_COUNTING_EVENTS = {
    "LogStartLine", "LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult",
    "LogNodeResult", "SkippingDetails",
}  # fmt: skip
# A node's status as people read it: success and pass are both "ok".
_STATUS_WORDS = {"success": "ok", "pass": "ok"}


def _progress_callback(progress: Callable[[str], None]) -> Callable[[Any], None]:
    """A dbt event callback reporting each finished node in one line with a count,
    "[12/140] model fct_codes ok"; the count is of nodes finished, so it only goes up even
    when threads finish nodes out of their starting order."""
    seen = {"finished": 0, "total": 0}
    lock = threading.Lock()  # dbt calls back from its worker threads

    def callback(event: Any) -> None:
        try:
            name = event.info.name
            if name in _COUNTING_EVENTS:
                total = getattr(event.data, "total", 0) or getattr(event.data, "num_models", 0)
                seen["total"] = max(seen["total"], int(total or 0))
            if name != "NodeFinished":
                return
            node = event.data.node_info
            status = _STATUS_WORDS.get(node.node_status, node.node_status)
            with lock:
                seen["finished"] += 1
                count = f"{seen['finished']}/{seen['total']}" if seen["total"] else seen["finished"]
                progress(f"[{count}] {node.resource_type} {node.node_name} {status}")
        except Exception:  # noqa: S110 - progress must never break the build
            pass

    return callback


def summarise(results: Any) -> BuildResult:
    """dbt's RunExecutionResult turned into a BuildResult."""
    outcome = BuildResult(success=True)
    for item in getattr(results, "results", None) or []:
        status = str(getattr(item.status, "value", item.status)).lower()
        node = item.node
        resource_type = str(getattr(node.resource_type, "value", node.resource_type))
        if resource_type == "test" or resource_type == "unit_test":
            outcome.tests_total += 1
            outcome.tests_passed += status in _PASSED
        elif resource_type == "model" and status in _PASSED:
            outcome.models_passed += 1
        if status in _FAILED:
            message = dbt_message(item.message) or status
            outcome.failed.append(FailedNode(resource_type, node.name, status, message))
        elif status == "skipped":
            outcome.skipped += 1
        elif status == "warn":
            outcome.warned += 1
    outcome.success = not outcome.failed and not outcome.skipped
    return outcome


def run_build(
    settings: Settings,
    *,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run `dbt build` in-process and say what happened; never raises for dbt's failures."""
    from dbt.cli.main import dbtRunner  # about 2 s: only when a build is asked for

    callbacks = [_progress_callback(progress)] if progress else []
    started = time.monotonic()
    with dbt_environment(settings, keep_open=True):
        try:
            res = dbtRunner(callbacks=callbacks).invoke(["build", *settings.build_args()])
        finally:
            release_duckdb()
    if res.exception is not None:
        outcome = BuildResult(success=False, error=error_text(res.exception))
    elif res.result is None or not hasattr(res.result, "results"):
        outcome = BuildResult(success=bool(res.success))
        if not res.success:
            outcome.error = "dbt stopped without results; see logs/dbt.log"
    else:
        outcome = summarise(res.result)
        if not res.success and outcome.success:
            outcome.success = False
            outcome.error = "dbt reported a failure; see logs/dbt.log"
    outcome.seconds = time.monotonic() - started
    return outcome


def release_duckdb() -> None:
    """Close the DuckDB database that dbt-duckdb kept open for the build, if any.

    With keep_open, dbt-duckdb holds one database for the whole process, which would keep
    the file locked against every other process (a BI tool) and against the read-only
    connection the report opens here. Closing it also writes its log into the file.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # a build without dbt-duckdb's adapter loaded: nothing open
        return
    # dbt-duckdb (pinned below 1.12) has no public call that closes its shared database
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
        DuckDBConnectionManager.close_all_connections()


def validated_from_run_results(path: Path) -> bool:
    """Whether the build behind the marts was validated, from its run_results.json.

    True only if the file exists, holds tests, and every result passed or succeeded.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    results = data.get("results") if isinstance(data, dict) else None
    if not results:
        return False
    has_tests = any(
        str(r.get("unique_id", "")).startswith(("test.", "unit_test.")) for r in results
    )
    return has_tests and all(r.get("status") in _PASSED for r in results)
