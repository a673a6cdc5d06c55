"""Report path: the offline analyzer on a 15-minute transcript, and painting the Report screen for its report.

Run: .venv/bin/python bench/report_path.py [--runs 15]

The transcript is built deterministically: the plan `LocalPlanner` makes from tests/data/sample_jd.txt, 20
questions asked (the plan's, then follow-ups) and 20 answers of ~100 words (STAR-shaped sentences about the JD's
skills, with fillers), ~40 turns and ~2,000 candidate words over 15:00 with start and end times.

* analyzer: `LocalAnalyzer().analyze(transcript, plan)` — baseline: `compute_speech_metrics(transcript)` alone
  (the deterministic part every analyzer shares).
* screen: the real app (`make_app`, headless `run_test`, 100×32) with the session complete in its store; the time
  from `push_screen(ReportScreen(record))` to the compositor's first full frame of that screen (taken where the
  app hands the frame to its driver; headless drivers skip only the final write to the terminal) — baseline: the
  same for an empty screen (a Static and a Footer).
Each median / p95 over `--runs` runs after one warm-up. Target (issue 7): ≤ 200 ms each.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _util import ROOT, median, pct, table

from interview_tui.domain.clock import FakeClock
from interview_tui.domain.metrics import compute_speech_metrics
from interview_tui.domain.models import InterviewPlan, Transcript, Turn
from interview_tui.providers.local_analyzer import LocalAnalyzer
from interview_tui.providers.local_planner import LocalPlanner

OPENERS = ["So, in my last role", "Um, at my previous company", "Right, so the situation was that",
           "Well, I think the best example is when", "Okay, so basically"]
MIDDLES = [
    "we had duplicate payments reaching customers whenever the client retried after a timeout",
    "I owned the {skill} part of the platform and the on-call rotation for it",
    "my task was to make every write idempotent without slowing down the checkout flow",
    "I added request keys with a unique constraint and moved the retries into a consumer",
    "we measured p99 latency before and after, and like, it dropped by about thirty percent",
    "I wrote the design document, reviewed it with two senior engineers, and, um, we shipped it in three sprints",
    "the hardest part was the migration, because we could not stop {skill} traffic during the day",
    "I paired with a junior engineer on the tests so that she could own the service afterwards",
    "we added alerts on the error budget so that, you know, we would hear about problems before customers",
]
CLOSERS = ["As a result, incidents fell from four a month to one.", "In the end the team kept that approach.",
           "Looking back, I would have added the load test earlier.", "So yeah, that is basically what I did."]


def answer(rng: random.Random, skill: str, words: int = 98) -> str:
    parts = [rng.choice(OPENERS)]
    while len(" ".join(parts).split()) < words - 12:
        parts.append(rng.choice(MIDDLES).format(skill=skill) + ".")
    parts.append(rng.choice(CLOSERS))
    return " ".join(parts)


def fifteen_minutes(plan: InterviewPlan, pairs: int = 20) -> Transcript:
    """~40 turns, ~2,000 candidate words at ~160 words a minute, ending near 15:00."""
    rng = random.Random(42)
    turns: list[Turn] = []
    t = 2.0
    for n in range(pairs):
        question = plan.questions[n % len(plan.questions)]
        asked = question.text if n < len(plan.questions) else f"Can you say more about the {question.skill} part?"
        turns.append(Turn(role="agent", text=asked, t=t, end_t=t + 5.0))
        said = answer(rng, question.skill)
        start = t + 5.0 + rng.uniform(0.6, 2.0)
        end = start + len(said.split()) / 160 * 60
        turns.append(Turn(role="user", text=said, t=start, end_t=end))
        t = end + rng.uniform(0.4, 1.0)
    return Transcript(turns=turns, source="provider")


def timed(fn: Any, runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


async def screen_times(plan: InterviewPlan, transcript: Transcript, runs: int) -> dict[str, list[float]]:
    """Push the Report screen (and an empty one) `runs` times each; time to the first full frame of each."""
    from textual.app import ComposeResult
    from textual.widgets import Footer, Static

    from interview_tui.bootstrap import make_app, open_runtime
    from interview_tui.engines import EngineChoice, Engines
    from interview_tui.paths import AppPaths
    from interview_tui.settings import Settings
    from interview_tui.tui.screens.base import BaseScreen
    from interview_tui.tui.screens.report import ReportScreen
    from interview_tui.voice.text_engine import TextVoice

    class EmptyScreen(BaseScreen):
        def compose(self) -> ComposeResult:
            yield Static("An empty screen.")
            yield Footer()

    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    clock = FakeClock()
    planner, analyzer = LocalPlanner(), LocalAnalyzer()
    engines = Engines(planner, analyzer, lambda: TextVoice(clock), [EngineChoice("voice", "text", "bench")])
    runtime = open_runtime(Settings(paths=AppPaths(data_dir=tmp, config_dir=tmp, db_path=tmp / "interview.db")),
                           clock=clock, engines=engines)
    service = runtime.service
    service.top_up(15, "bench")
    record = service.run_setup(service.create((ROOT / "tests/data/sample_jd.txt").read_text()).id)
    service.start_active(record.id, voice="text")
    for turn in transcript.turns:
        service.append_turn(record.id, turn)
    clock.advance(transcript.turns[-1].end_t or 900.0)
    service.end(record.id)
    record = service.run_analysis(record.id, transcript)
    app = make_app(runtime, export_dir=tmp)
    app.animation_level = "none"
    painted: dict[str, Any] = {"screen": None, "event": asyncio.Event()}
    display = app._display

    def frame(screen: Any, renderable: Any) -> None:
        if screen is painted["screen"] and renderable is not None:
            painted["event"].set()
        display(screen, renderable)

    app._display = frame  # type: ignore[method-assign]  # instrumentation: note each frame handed to the driver
    results: dict[str, list[float]] = {"report": [], "empty": []}
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for run in range(runs + 1):
            for name, make in (("empty", EmptyScreen), ("report", lambda: ReportScreen(record))):
                screen = make()
                painted["screen"], painted["event"] = screen, asyncio.Event()
                t0 = time.perf_counter()
                app.push_screen(screen)
                await painted["event"].wait()
                if run:  # the first push of each warms caches
                    results[name].append((time.perf_counter() - t0) * 1000)
                await pilot.pause()
                app.pop_screen()
                await pilot.pause()
    runtime.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    plan = LocalPlanner().plan((ROOT / "tests/data/sample_jd.txt").read_text())
    transcript = fifteen_minutes(plan)
    words = sum(len(t.text.split()) for t in transcript.turns if t.role == "user")
    analyzer = LocalAnalyzer()
    report = analyzer.analyze(transcript, plan)
    analysis = {
        "compute_speech_metrics (baseline)": timed(lambda: compute_speech_metrics(transcript), args.runs),
        "LocalAnalyzer.analyze": timed(lambda: analyzer.analyze(transcript, plan), args.runs),
    }
    screens = asyncio.run(screen_times(plan, transcript, args.runs))
    rows = []
    for group, base_name in ((analysis, "compute_speech_metrics (baseline)"), ):
        base = median(group[base_name])
        rows += [(name, f"{median(v):.1f}", f"{pct(v, 95):.1f}", f"{median(v) / base:.1f}×")
                 for name, v in group.items()]
    base = median(screens["empty"])
    rows += [("push empty screen → first frame (baseline)", f"{base:.1f}", f"{pct(screens['empty'], 95):.1f}",
              "1.0×"),
             ("push Report screen → first frame", f"{median(screens['report']):.1f}",
              f"{pct(screens['report'], 95):.1f}", f"{median(screens['report']) / base:.1f}×")]
    table(f"report path: {len(transcript.turns)} turns, {words} candidate words, "
          f"{transcript.turns[-1].end_t / 60:.1f} min; {args.runs} runs each (ms)", rows,
          ("step", "median", "p95", "vs its baseline"))
    print(f"report: assessable={report.assessable}, overall={report.overall_score}, "
          f"{len(report.questions)} questions, {len(report.highlights)} highlights")
    worst = max(pct(analysis["LocalAnalyzer.analyze"], 95), pct(screens["report"], 95))
    print(f"\nworst p95 {worst:.0f} ms (target ≤ 200 ms each) -> {'OK' if worst <= 200 else 'MISSED'}")


if __name__ == "__main__":
    main()
