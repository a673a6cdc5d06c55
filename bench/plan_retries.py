"""Retries of the same JD with the offline planner: how different the plans are, and what a retry costs.

For every JD in tests/data/jds: plans for attempts 0..N-1; the questions attempt k shares with attempt k-1, the
distinct questions over all N attempts, the distinct orders of kinds; then the time of one plan at attempts 0
(baseline), 4, 12 and 500 (the replayed history is bounded, so far attempts cost no more than attempt 12).

    .venv/bin/python bench/plan_retries.py                 # [--attempts 5] [--runs 15]
"""

from __future__ import annotations

import argparse
import itertools
import time

from _util import ROOT, median, pct, table

from interview_tui.providers.local_planner import LocalPlanner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    planner = LocalPlanner()
    jds = sorted((ROOT / "tests" / "data" / "jds").glob("*.txt"))
    rows = []
    shared_all: list[float] = []
    for path in jds:
        jd = path.read_text(encoding="utf-8")
        plans = [planner.plan(jd, attempt=a) for a in range(args.attempts)]
        texts = [[q.text for q in p.questions] for p in plans]
        shared = [len(set(a) & set(b)) / len(b) for a, b in itertools.pairwise(texts)]
        shared_all += shared
        distinct = len(set().union(*map(set, texts)))
        orders = len({tuple(q.kind for q in p.questions) for p in plans})
        rows.append((path.stem, str(len(texts[0])), f"{100 * sum(shared) / len(shared):.0f} %", str(distinct),
                     str(len({tuple(t) for t in texts})), str(orders)))
    table(f"Variety over attempts 0..{args.attempts - 1}", rows,
          ("JD", "questions", "shared with previous", "distinct questions", "distinct plans", "kind orders"))
    mean_shared = 100 * sum(shared_all) / len(shared_all)
    print(f"\nmean share of questions repeated from the previous attempt: {mean_shared:.0f} %")

    jd = (ROOT / "tests" / "data" / "jds" / "senior_backend_go.txt").read_text(encoding="utf-8")
    timing = []
    base = 0.0
    for attempt in (0, 4, 12, 500):
        planner.plan(jd, attempt=attempt)  # warm-up (bank and taxonomy loaded)
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            planner.plan(jd, attempt=attempt)
            runs.append((time.perf_counter() - t0) * 1000)
        base = base or median(runs)
        timing.append((f"attempt {attempt}" + (" (baseline)" if attempt == 0 else ""), f"{median(runs):.1f}",
                       f"{pct(runs, 95):.1f}", f"{median(runs) / base:.2f}×"))
    table("One plan of senior_backend_go (ms)", timing, ("plan", "median", "p95", "vs attempt 0"))


if __name__ == "__main__":
    main()
