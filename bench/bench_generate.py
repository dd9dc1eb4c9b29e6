"""Benchmark of the demo generator: 1,000,000 recipients into a temporary folder.

Run with `python bench/bench_generate.py [recipients]`; prints the wall time and the
rows written per table. Benchmarks print figures; tests never time anything.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from goodies_report.generate import generate


def main(recipients: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as folder:
        generated = generate(Path(folder), recipients=recipients)
        size = sum(path.stat().st_size for path in Path(folder).iterdir())
    print(f"recipients: {recipients:,}")
    print(f"seconds: {generated.seconds:.2f}")
    print(f"megabytes written: {size / 1e6:.1f}")
    for table, rows in generated.rows.items():
        print(f"  {table:<20} {rows:>12,}")
    print(f"  {'total':<20} {sum(generated.rows.values()):>12,}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
