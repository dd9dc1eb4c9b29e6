"""Faults during a build: killed and run again, run twice, run twice at once, failing.

Builds run as `goodies-report` processes on the shared hostile build's files (see
isolated.hostile_build), each on a project folder and DuckDB file of its own.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from pathlib import Path

import isolated
import pytest

from goodies_report import build, render

FORMATS = ("--format", "html", "--format", "md", "--format", "json")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    """The uninterrupted build, its marts and its report."""
    built = isolated.hostile_build(tmp_path_factory)
    assert built.result.returncode == 0, built.result.stderr[-3000:]
    return built


def build_args(data: Path, out: Path) -> list[str]:
    return ["--data-dir", str(data), "--as-of", isolated.AS_OF, "--out", str(out), *FORMATS]


def report_files(out: Path) -> dict[str, object]:
    """The report's files, generated_at left out (the one value meant to change)."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    stamp = report.pop("generated_at")
    shown = render.Formats().moment(stamp)  # as the pages print it: Dec 4, 2026, 1:05:00 AM UTC
    files: dict[str, object] = {"report.json": report}
    for name in ("report.html", "report.md"):
        text = (out / name).read_text(encoding="utf-8")
        files[name] = text.replace(stamp, "<generated_at>").replace(shown, "<generated_at>")
    return files


def wait_for(condition, process, what: str) -> None:
    """Poll until condition() holds, failing if the process ends first."""
    while not condition():
        assert process.poll() is None, f"the build ended before {what}: {process.stderr.read()}"
        time.sleep(0.2)


def finished_nodes(process) -> tuple[int, int]:
    """From the next progress line of a running build, "[12/282] model fct_codes ok",
    (12, 282); the lines before the first ("Building with dbt on ...") are passed over.
    Fails if the build ends first."""
    while line := process.stderr.readline():
        if match := re.match(r"\[(\d+)/(\d+)\] ", line):
            return int(match[1]), int(match[2])
    raise AssertionError(f"the build ended before it was killed: {process.poll()}")


def test_two_builds_in_a_row_give_the_same_marts_and_report(reference, tmp_path: Path) -> None:
    database = tmp_path / "goodies.duckdb"
    shutil.copy(reference.database, database)
    out = tmp_path / "report"
    result = isolated.run(reference.project, database, *build_args(reference.data, out), "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    assert isolated.snapshot(database) == isolated.snapshot(reference.database)
    assert report_files(out) == report_files(reference.out)


def test_a_killed_build_run_again_gives_what_an_uninterrupted_one_gives(
    reference, tmp_path: Path
) -> None:
    """SIGKILL at a random point of a first build on a new DuckDB file; meanwhile a second
    build and a render of the same file are refused; then the build is run again."""
    project = isolated.project_copy(tmp_path / "project")
    database, out = tmp_path / "goodies.duckdb", tmp_path / "report"
    first = isolated.start(project, database, *build_args(reference.data, out))
    try:
        # dbt has opened the file: the lock is held and the build is under way
        wait_for(database.exists, first, "opening the DuckDB file")
        for args in (build_args(reference.data, tmp_path / "second"), ["--skip-build"]):
            second = isolated.run(project, database, *args)
            assert second.returncode == 1
            assert second.stdout == ""
            assert second.stderr == (
                f"Error: another goodies-report is building {database}; "
                "run again once it has finished\n"
            )
        # The kill point is counted in finished nodes, not seconds, so that it falls inside
        # the build however fast the machine; a fixed seed puts it at the same node at
        # every run, a different one for each seed.
        finished, total = finished_nodes(first)
        kill_after = random.Random(7).randint(1, total - 1)  # noqa: S311 - not a secret
        while finished < kill_after:
            finished, _ = finished_nodes(first)
        assert first.poll() is None, "the build ended before it was killed"
    finally:
        isolated.kill(first)
    assert first.returncode == -9
    assert not out.exists()

    again = isolated.run(project, database, *build_args(reference.data, out), "--quiet")
    assert again.returncode == 0, again.stderr[-3000:]
    assert isolated.snapshot(database) == isolated.snapshot(reference.database)
    assert report_files(out) == report_files(reference.out)


def test_a_failing_build_leaves_the_previous_report_untouched(reference, tmp_path: Path) -> None:
    out = tmp_path / "report"
    shutil.copytree(reference.out, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    data = tmp_path / "raw"
    shutil.copytree(reference.data, data)
    (data / "codes.csv").write_text("")
    result = isolated.run(
        reference.project, tmp_path / "goodies.duckdb", *build_args(data, out), "--quiet"
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: dbt build failed: Compilation Error: {data}/codes.csv is empty: "
        "a header row is required\n"
    )
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_failing_render_writes_nothing(reference, tmp_path: Path, monkeypatch) -> None:
    """Every format is rendered before any file is written: a template failing on the last
    format leaves the folder as it was, without temporary files."""
    out = tmp_path / "report"
    shutil.copytree(reference.out, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    model = json.loads((reference.out / "report.json").read_text(encoding="utf-8"))
    model["generated_at"] = "2026-12-03T00:00:00Z"

    def broken(value):
        raise RuntimeError("template failed")

    monkeypatch.setattr(render, "md_escape", broken)
    with pytest.raises(RuntimeError, match="template failed"):
        render.write_reports(model, ["json", "html", "md"], out, isolated.PROJECT_DIR)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_the_lock_is_one_build_or_several_renders(tmp_path: Path) -> None:
    settings = build.Settings(isolated.PROJECT_DIR, "duckdb", tmp_path / "w" / "goodies.duckdb")
    busy = f"another goodies-report is building {settings.duckdb_path}"
    with build.build_lock(settings):
        assert (tmp_path / "w" / "goodies.duckdb.lock").is_file()
        for exclusive in (True, False):
            with pytest.raises(build.GoodiesError, match=busy):
                with build.build_lock(settings, exclusive=exclusive):
                    pass
    with build.build_lock(settings, exclusive=False):
        with build.build_lock(settings, exclusive=False):  # renders share the warehouse
            with pytest.raises(build.GoodiesError, match=busy):
                with build.build_lock(settings):
                    pass
    with build.build_lock(settings):  # released: free again
        pass


def test_a_render_of_a_folder_without_write_access_goes_on(tmp_path: Path) -> None:
    settings = build.Settings(isolated.PROJECT_DIR, "duckdb", tmp_path / "none" / "x.duckdb")
    with build.build_lock(settings, exclusive=False):
        pass
    assert not (tmp_path / "none").exists()
