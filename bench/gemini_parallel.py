"""Gemini analysis: one call for the whole interview vs one small call per question in parallel.

Run: .venv/bin/python bench/gemini_parallel.py [--runs 3] [--scale 1.0]

Against the fake Gemini server (tests/fakes) with latency injected like a model's: a fixed 0.8 s per call
(network, queueing, thinking), prefill at 0.02 ms per prompt token and decoding at 5 ms per output token
(200 tokens/s); default answers have free-text fields of about 40 words, as a model writes them. `--scale`
multiplies every latency (0.25 for a quick run). The transcript: the offline plan for tests/data/sample_jd.txt,
every question asked and answered in ~120 words, with times.

* single: `GeminiAnalyzer(parallel=False)` — one call rates every question and writes the summary (the baseline);
* parallel ×4 / ×8: one call per question, at most 4 / 8 in flight, then one session-level call.
Printed per mode: median and max wall time over `--runs`, calls, prompt and output tokens (≈ chars / 4).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _util import ROOT, median, table

from interview_tui.domain.models import InterviewPlan, Transcript, Turn
from interview_tui.paths import AppPaths
from interview_tui.providers.gemini_analyzer import GeminiAnalyzer
from interview_tui.providers.local_planner import LocalPlanner
from interview_tui.settings import Secret, Settings
from tests.fakes.gemini_server import FakeGeminiServer

FIXED_S, PER_INPUT_TOKEN_S, PER_OUTPUT_TOKEN_S, VERBOSITY = 0.8, 0.00002, 0.005, 40

ANSWER = ("At my last company I owned the {skill} work for our payments platform. The situation was that "
          "duplicate charges reached customers whenever a client retried after a timeout, and my task was to stop "
          "it without slowing checkout. I added idempotency keys stored with each result in the same transaction, "
          "wrote the migration, and rolled it out behind a flag to ten percent of traffic first. As a result "
          "duplicate charges fell from about forty a week to zero within a month, and support tickets about them "
          "stopped. I learned to measure the failure before fixing it, so next time I would add the dashboard "
          "first and share it with support earlier.")


def interview() -> tuple[Transcript, InterviewPlan]:
    plan = LocalPlanner().plan((ROOT / "tests" / "data" / "sample_jd.txt").read_text(encoding="utf-8"))
    turns, t = [], 0.0
    for q in plan.questions:
        turns.append(Turn(role="agent", text=q.text, t=t, end_t=t + 6))
        turns.append(Turn(role="user", text=ANSWER.format(skill=q.skill or "backend"), t=t + 8, end_t=t + 60))
        t += 65
    return Transcript(turns=turns), plan


def settings(server: FakeGeminiServer, home: Path) -> Settings:
    paths = AppPaths(data_dir=home, config_dir=home, db_path=home / "interview.db")
    return Settings(paths=paths, gemini_api_key=Secret(server.api_key), gemini_base_url=server.url,
                    gemini_model="gemini-3.8-flash", gemini_timeout_s=120)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    transcript, plan = interview()
    modes = (("single (baseline)", False, 1), ("parallel ×4", True, 4), ("parallel ×8", True, 8))
    rows = []
    with FakeGeminiServer() as server, tempfile.TemporaryDirectory() as home:
        server.set_latency(FIXED_S * args.scale, PER_OUTPUT_TOKEN_S * args.scale, PER_INPUT_TOKEN_S * args.scale,
                           verbosity=VERBOSITY)
        for label, parallel, workers in modes:
            analyzer = GeminiAnalyzer(settings(server, Path(home)), parallel=parallel, max_parallel=workers)
            analyzer.analyze(transcript, plan)  # warm-up: client, TLS context, schema models
            times = []
            for _ in range(args.runs):
                server.clear()
                start = time.perf_counter()
                report = analyzer.analyze(transcript, plan)
                times.append(time.perf_counter() - start)
            calls = server.generate_requests
            prompt = sum(len(r.contents_text) + len(r.system_text) for r in calls) // 4
            output = sum(r.answer_chars for r in calls) // 4
            assert report.assessable and len(report.questions) == len(plan.questions)
            rows.append((label, f"{median(times):.2f} s", f"{max(times):.2f} s", str(len(calls)), str(prompt),
                         str(output)))
    print(f"{len(plan.questions)} questions; latency model ×{args.scale:g}: {FIXED_S:g} s fixed + "
          f"{PER_INPUT_TOKEN_S * 1000:g} ms/prompt token + {PER_OUTPUT_TOKEN_S * 1000:g} ms/output token")
    table(f"Gemini analysis wall time ({args.runs} runs)", rows,
          ("mode", "median", "max", "calls", "prompt tokens", "output tokens"))


if __name__ == "__main__":
    main()
