"""report.json of two engines compared figure by figure (test_postgres.py, test_spark.py)."""

from __future__ import annotations

import math
from typing import Any

# Keys whose value depends on the run, not on the data.
RUN_KEYS = {"generated_at"}
REL_TOL = 1e-9


def compare(
    duck: Any, other: Any, path: str = "$", engine: str = "postgres"
) -> tuple[int, list[str]]:
    """Walk two report.json values; return the figures compared and every difference."""
    if isinstance(duck, dict) and isinstance(other, dict):
        keys = (set(duck) | set(other)) - RUN_KEYS
        compared, problems = 0, []
        for key in sorted(keys):
            if key not in duck or key not in other:
                problems.append(f"{path}.{key}: only on {'duckdb' if key in duck else engine}")
                continue
            n, found = compare(duck[key], other[key], f"{path}.{key}", engine)
            compared, problems = compared + n, problems + found
        return compared, problems
    if isinstance(duck, list) and isinstance(other, list):
        if len(duck) != len(other):
            return 0, [f"{path}: {len(duck)} items on duckdb, {len(other)} on {engine}"]
        compared, problems = 0, []
        for i, (a, b) in enumerate(zip(duck, other, strict=True)):
            n, found = compare(a, b, f"{path}[{i}]", engine)
            compared, problems = compared + n, problems + found
        return compared, problems
    numbers = (int, float)
    if isinstance(duck, numbers) and isinstance(other, numbers) and not isinstance(duck, bool):
        if isinstance(other, bool) or not math.isclose(duck, other, rel_tol=REL_TOL, abs_tol=0.0):
            return 1, [f"{path}: {duck!r} on duckdb, {other!r} on {engine}"]
        return 1, []
    if duck != other or type(duck) is not type(other):
        return 0, [f"{path}: {duck!r} on duckdb, {other!r} on {engine}"]
    return 0, []


def count_nulls(value: Any) -> int:
    if isinstance(value, dict):
        return sum(count_nulls(v) for k, v in value.items() if k not in RUN_KEYS)
    if isinstance(value, list):
        return sum(count_nulls(v) for v in value)
    return value is None


def figures_are_equal(duck: dict, other: dict, engine: str = "postgres") -> int:
    assert duck["validated"] is True and other["validated"] is True
    compared, problems = compare(duck, other, engine=engine)
    assert problems == [], f"{len(problems)} differences:\n" + "\n".join(problems[:40])
    print(f"{compared} figures equal, {count_nulls(duck)} nulls in the same places")
    return compared
