"""The statistics macros (macros/stats/) evaluated by dbt on DuckDB, against scipy.

About 1,500 cases drawn with a fixed seed, plus the extreme ones (no success, all
successes, n = 1, very unequal groups, n = 10^6, p-values down to 1e-12 and far below),
go into one VALUES list; a single `dbt show --inline` evaluates every macro over them, and
each value is compared with a reference computed here: the Wilson interval from its
centre-and-half-width form, Newcombe's hybrid interval from the two Wilson intervals,
the pooled z-test with scipy.stats.norm.sf, the normal CDF with scipy.stats.norm.cdf and
the Benjamini-Hochberg q-values with scipy.stats.false_discovery_control.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import goodies_report

PROJECT_DIR = Path(goodies_report.__file__).resolve().parents[2]
RAW_DIR = Path(__file__).parent / "fixtures" / "tiny"  # the on-run-start hook reads it
Z95 = 1.959963984540054
P_VALUE_TOLERANCE = 1e-6
BOUND_TOLERANCE = 1e-9
CASES = 1500
SEED = 20260401

# Newcombe (1998), Statistics in Medicine 17, 873-890, Table II, method 10: the published
# 95% intervals of p1 - p2, to 4 decimals.
PUBLISHED_NEWCOMBE = {
    (56, 70, 48, 80): (0.0524, 0.3339),
    (9, 10, 3, 10): (0.1705, 0.8090),
    (5, 56, 0, 29): (-0.0381, 0.1926),
    (0, 10, 0, 20): (-0.1611, 0.2775),
    (0, 10, 0, 10): (-0.2775, 0.2775),
    (10, 10, 0, 20): (0.6791, 1.0000),
    (10, 10, 0, 10): (0.6075, 1.0000),
}


# --- references ------------------------------------------------------------------------


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    """The Wilson score interval, written as centre ± half-width (the macro uses another
    form of the same roots)."""
    if n == 0:
        return None, None
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float] | tuple[None, None]:
    """Newcombe's method 10 from the two Wilson intervals."""
    if n1 == 0 or n2 == 0:
        return None, None
    (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    return (
        p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def z_test_p_value(x1: int, n1: int, x2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test; 1.0 without variance."""
    if n1 == 0 or n2 == 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(2 * stats.norm.sf(abs((x1 / n1 - x2 / n2) / se)))


def bh_reference(groups: list[int], p_values: list[float | None]) -> list[float | None]:
    """scipy's BH q-values, computed per group over the non-null p-values."""
    q: list[float | None] = [None] * len(p_values)
    for group in set(groups):
        rows = [i for i, g in enumerate(groups) if g == group and p_values[i] is not None]
        if rows:
            adjusted = stats.false_discovery_control([p_values[i] for i in rows], method="bh")
            for i, value in zip(rows, adjusted, strict=True):
                q[i] = float(value)
    return q


# --- the cases ---------------------------------------------------------------------------


def proportion_cases(rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    """(x1, n1, x2, n2): the extremes by hand, then random and targeted ones."""
    cases = list(PUBLISHED_NEWCOMBE) + [
        (0, 0, 3, 5), (3, 5, 0, 0), (0, 0, 0, 0),  # an empty group: all null
        (0, 1, 0, 1), (1, 1, 1, 1), (1, 1, 0, 1), (0, 1, 1, 1),  # n = 1
        (0, 50, 0, 70), (50, 50, 70, 70),  # pooled 0 or 1: p-value 1
        (0, 1_000_000, 0, 3), (1_000_000, 1_000_000, 0, 1_000_000),
        (1, 1_000_000, 0, 1_000_000), (999_999, 1_000_000, 1_000_000, 1_000_000),
        (500_000, 1_000_000, 503_500, 1_000_000),  # p about 7e-7
        (500_000, 1_000_000, 505_000, 1_000_000),  # p about 1.5e-12
        (500_000, 1_000_000, 520_000, 1_000_000),  # p far below 1e-100
        (7, 10, 7, 10), (1, 2, 1_000, 2_000),  # no difference: p-value 1
    ]  # fmt: skip
    while len(cases) < CASES:
        n1, n2 = (int(v) for v in np.exp(rng.uniform(0, math.log(1e6), 2)))
        p1 = rng.choice([0.0, 1.0, rng.uniform(), rng.uniform(0, 0.01)], p=[0.05, 0.05, 0.8, 0.1])
        x1 = int(rng.binomial(n1, p1))
        if rng.uniform() < 0.5:
            x2 = int(rng.binomial(n2, p1))  # the same rate: p-values spread over (0, 1]
        else:
            # a difference aimed at |z| up to 8: p-values down to 1e-15
            target = rng.uniform(0, 8)
            p = max(min(p1, 0.99), 0.01)
            shift = target * math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
            x2 = int(round(min(max(x1 / n1 + shift * rng.choice([-1, 1]), 0.0), 1.0) * n2))
        cases.append((x1, n1, x2, n2))
    return cases


def cdf_arguments(rng: np.random.Generator) -> list[float | None]:
    fixed = [0.0, -0.0, 1e-300, -1e-12, 1.959963984540054, -1.959963984540054, 7.0710678118654,
             7.0710678118655, -7.0710678118655, 8.3, -8.3, 12.5, -12.5, 37.0, -37.0,
             -38.5, 38.5, -1e6, 1e6, None]  # fmt: skip
    tail = list(rng.uniform(-40, 40, 400))
    body = list(rng.normal(0, 2, CASES - len(fixed) - len(tail)))
    return fixed + [float(v) for v in tail + body]


def bh_cases(rng: np.random.Generator) -> tuple[list[int], list[float | None]]:
    """BH groups of 1 to 150 rows; p-values spread over (1e-12, 1) with ties and nulls."""
    groups: list[int] = []
    p_values: list[float | None] = []
    group = 0
    while len(groups) < CASES:
        size = min(int(rng.integers(1, 150)), CASES - len(groups))
        for _ in range(size):
            kind = rng.uniform()
            if kind < 0.05:
                p_values.append(None)
            elif kind < 0.15 and p_values and p_values[-1] is not None:
                p_values.append(p_values[-1])  # a tie
            elif kind < 0.4:
                p_values.append(float(10 ** rng.uniform(-12, -1)))
            else:
                p_values.append(float(rng.uniform()))
            groups.append(group)
        group += 1
    return groups, p_values


# --- dbt ---------------------------------------------------------------------------------


def sql_value(value: float | int | None) -> str:
    return "null" if value is None else repr(value)


def inline_query(rows: list[tuple]) -> str:
    values = ",\n".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
    double = "{{ double_type() }}"
    return f"""
with

cases as (
    select
        case_id, x1, n1, x2, n2,
        cast(cdf_x as {double}) as cdf_x, bh_group, cast(bh_p as {double}) as bh_p
    from (values
{values}
    ) as t(case_id, x1, n1, x2, n2, cdf_x, bh_group, bh_p)
),

scaled as (
    select
        *,
        {{{{ benjamini_hochberg_scaled('bh_p', ['bh_group']) }}}} as bh_scaled
    from cases
)

select
    case_id,
    {{{{ wilson_low('x1', 'n1') }}}} as wilson_low_1,
    {{{{ wilson_high('x1', 'n1') }}}} as wilson_high_1,
    {{{{ wilson_low('x2', 'n2', '1.959963984540054') }}}} as wilson_low_2,
    {{{{ wilson_high('x2', 'n2', '1.959963984540054') }}}} as wilson_high_2,
    {{{{ wilson_low('x1', 'n1', '2.5758293035489004') }}}} as wilson_low_99,
    {{{{ newcombe_low('x1', 'n1', 'x2', 'n2') }}}} as newcombe_low,
    {{{{ newcombe_high('x1', 'n1', 'x2', 'n2') }}}} as newcombe_high,
    {{{{ two_proportion_p_value('x1', 'n1', 'x2', 'n2') }}}} as p_value,
    {{{{ normal_cdf('cdf_x') }}}} as cdf,
    {{{{ benjamini_hochberg('bh_p', ['bh_group']) }}}} as bh_q
from scaled
"""


def as_float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple], dict[int, dict]]:
    """The cases, and the macros' values by case_id, from one `dbt show`."""
    from dbt.cli.main import dbtRunner

    rng = np.random.default_rng(SEED)
    proportions = proportion_cases(rng)
    cdf_x = cdf_arguments(rng)
    groups, p_values = bh_cases(rng)
    rows = [
        (i, *proportions[i], cdf_x[i], groups[i], p_values[i]) for i in range(CASES)
    ]  # fmt: skip

    tmp = tmp_path_factory.mktemp("stats_macros")
    args = [
        "show", "--inline", inline_query(rows), "--limit", "-1",
        "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
        "--target", "duckdb", "--target-path", str(tmp / "target"),
        "--vars", json.dumps({"raw_mode": "files", "raw_data_dir": str(RAW_DIR)}),
        "--log-level", "none", "--no-send-anonymous-usage-stats",
    ]  # fmt: skip
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("GOODIES_DUCKDB_PATH", str(tmp / "stats.duckdb"))
    try:
        result = dbtRunner().invoke(args)
    finally:
        monkeypatch.undo()
    assert result.success, result.exception
    table = result.result.results[0].agate_table
    names = list(table.column_names)
    values = {}
    for record in table.rows:
        record = dict(zip(names, record, strict=True))
        values[int(record["case_id"])] = {k: as_float(v) for k, v in record.items()}
    assert len(values) == CASES
    return rows, values


def close(actual: float | None, expected: float | None, tolerance: float) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return abs(actual - expected) <= tolerance


def worst(pairs: list[tuple[int, float | None, float | None]], tolerance: float) -> list:
    """The cases whose value is off (or null on one side only), worst first."""
    off = [(case, a, e) for case, a, e in pairs if not close(a, e, tolerance)]
    return sorted(off, key=lambda t: -abs((t[1] or 0) - (t[2] or 0)))[:5]


# --- the tests ---------------------------------------------------------------------------


def test_the_default_z_is_the_95_percent_quantile():
    assert stats.norm.ppf(0.975) == pytest.approx(Z95, abs=1e-15)


def test_cases_cover_the_extremes(evaluated):
    rows, _ = evaluated
    p_values = [z_test_p_value(*row[1:5]) for row in rows]
    assert len(rows) >= 1000
    assert any(p is not None and 1e-13 < p < 1e-11 for p in p_values)
    assert any(p is not None and p < 1e-100 for p in p_values)
    assert sum(row[2] >= 100_000 for row in rows) >= 100
    assert any(row[1] == 0 and row[2] > 0 for row in rows)
    assert any(row[1] == row[2] > 0 for row in rows)
    assert any(row[2] == 1 for row in rows)


def test_wilson_interval(evaluated):
    rows, values = evaluated
    pairs = []
    for case, x1, n1, x2, n2, *_ in rows:
        low1, high1 = wilson(x1, n1)
        low2, high2 = wilson(x2, n2)
        low99, _ = wilson(x1, n1, float(stats.norm.ppf(0.995)))
        pairs += [
            (case, values[case]["wilson_low_1"], low1),
            (case, values[case]["wilson_high_1"], high1),
            (case, values[case]["wilson_low_2"], low2),
            (case, values[case]["wilson_high_2"], high2),
            (case, values[case]["wilson_low_99"], low99),
        ]
    assert worst(pairs, BOUND_TOLERANCE) == []


def test_wilson_interval_by_hand(evaluated):
    # 0 of 10: [0, z² / (10 + z²)] = [0, 3.8415 / 13.8415] = [0, 0.27753]
    _, values = evaluated
    case = list(PUBLISHED_NEWCOMBE).index((0, 10, 0, 20))
    assert values[case]["wilson_low_1"] == 0.0
    assert values[case]["wilson_high_1"] == pytest.approx(Z95**2 / (10 + Z95**2), abs=1e-12)


def test_newcombe_interval(evaluated):
    rows, values = evaluated
    pairs = []
    for case, x1, n1, x2, n2, *_ in rows:
        low, high = newcombe(x1, n1, x2, n2)
        pairs += [
            (case, values[case]["newcombe_low"], low),
            (case, values[case]["newcombe_high"], high),
        ]
    assert worst(pairs, BOUND_TOLERANCE) == []


def test_newcombe_matches_the_published_examples(evaluated):
    _, values = evaluated
    for case, (low, high) in enumerate(PUBLISHED_NEWCOMBE.values()):
        assert values[case]["newcombe_low"] == pytest.approx(low, abs=5e-5)
        assert values[case]["newcombe_high"] == pytest.approx(high, abs=5e-5)


def test_two_proportion_p_value(evaluated):
    rows, values = evaluated
    pairs = [(row[0], values[row[0]]["p_value"], z_test_p_value(*row[1:5])) for row in rows]
    assert worst(pairs, P_VALUE_TOLERANCE) == []
    # tiny p-values keep their relative accuracy (normal tail computed directly)
    tiny = [(c, a, e) for c, a, e in pairs if e is not None and 1e-300 < e < 1e-3]
    assert len(tiny) > 100
    assert [(c, a, e) for c, a, e in tiny if abs(a / e - 1) > 1e-6] == []


def test_normal_cdf(evaluated):
    rows, values = evaluated
    pairs = []
    for row in rows:
        x = row[5]
        expected = None if x is None else float(stats.norm.cdf(x))
        pairs.append((row[0], values[row[0]]["cdf"], expected))
    assert worst(pairs, 1e-12) == []
    lower_tail = [(c, a, e) for c, a, e in pairs if e is not None and 1e-295 < e < 0.5]
    assert [(c, a, e) for c, a, e in lower_tail if abs(a / e - 1) > 1e-6] == []


def test_benjamini_hochberg(evaluated):
    rows, values = evaluated
    expected = bh_reference([row[6] for row in rows], [row[7] for row in rows])
    pairs = [(row[0], values[row[0]]["bh_q"], q) for row, q in zip(rows, expected, strict=True)]
    assert worst(pairs, 1e-12) == []
