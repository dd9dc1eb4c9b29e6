"""The house style, checked by its tools: ruff for Python, SQLFluff (dbt templater) for SQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import goodies_report

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def tool(name: str) -> str:
    """The tool installed beside this Python (the test extra), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def test_python_passes_ruff_lint_and_format():
    lint = run([tool("ruff"), "check", "wrapper", "bench"])
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run([tool("ruff"), "format", "--check", "wrapper", "bench"])
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_sql_passes_sqlfluff(tmp_path):
    # The dbt templater compiles the project; give it a database of its own.
    lint = run(
        [tool("sqlfluff"), "lint", "models", "tests", "--nocolor"],
        GOODIES_DUCKDB_PATH=str(tmp_path / "lint.duckdb"),
    )
    assert lint.returncode == 0, lint.stdout[-4000:] + lint.stderr[-2000:]
