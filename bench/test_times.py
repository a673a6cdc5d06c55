"""Where the test suite's time goes: sums per layer and per file, and the slowest tests, from a JUnit XML report.

    .venv/bin/python -m pytest -p no:randomly --junitxml=/tmp/tests.xml -o junit_family=xunit1
    .venv/bin/python bench/test_times.py /tmp/tests.xml [--top 10] [--files 15]

A test's time is pytest's setup + call + teardown. Compare sums per file between runs, not only the total: the
machine is shared, and a busy neighbour stretches every test.
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path


def read_times(report: Path) -> list[tuple[str, str, float]]:
    """(file, test name, seconds) for every test case in the report."""
    root = ET.parse(report).getroot()
    return [(case.get("file") or case.get("classname", "?"), case.get("name", "?"), float(case.get("time", 0)))
            for case in root.iter("testcase")]


def layer_of(file: str) -> str:
    parts = Path(file).parts
    return "/".join(parts[1:3] if len(parts) > 3 else parts[1:2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--top", type=int, default=10, help="slowest tests to list")
    parser.add_argument("--files", type=int, default=15, help="slowest files to list")
    args = parser.parse_args()
    times = read_times(args.report)
    total = sum(t for _, _, t in times)
    print(f"{len(times)} tests, {total:.0f} s in tests")
    for title, key in (("layer", layer_of), ("file", lambda f: f)):
        sums, counts = Counter[str](), Counter[str]()
        for file, _, t in times:
            sums[key(file)] += t
            counts[key(file)] += 1
        print(f"\nby {title}:")
        for name, t in sums.most_common(args.files):
            print(f"  {t:7.1f} s {t / total:4.0%} {counts[name]:4d} tests  {name}")
    print(f"\nslowest {args.top}:")
    for file, name, t in sorted(times, key=lambda x: -x[2])[: args.top]:
        print(f"  {t:7.1f} s  {file}::{name[:90]}")


if __name__ == "__main__":
    main()
