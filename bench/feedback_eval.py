"""Feedback evaluation: does the analyzer rank answers by quality, not length? (issue 10 item 8)

Run: .venv/bin/python bench/feedback_eval.py [--set bench/data/feedback_eval.json] [--analyzer-from COMMIT]

Every item of the labelled set (written by hand, independently of the scorer) goes through the analyzer the way
`interview analyze FILE` scores a transcript with no plan: the interviewer's turns become the questions (kind and
rubric from `domain.rubrics`), the candidate's turns their answers, then `LocalAnalyzer().analyze`. Printed, beside
a "longer answer wins" baseline computed in the same run:

* pairs: ordering accuracy (stronger answer scored strictly higher; ties count as wrong), mean score gap
  (stronger − weaker), per kind, and the correlation of score with word count;
* junk: each junk/gamed answer's score for its question (target ≤ 15);
* sessions: each partial session's overall against its complete session's (target: every partial lower);
* stability: the same transcript analysed twice gives the same report.

`--analyzer-from COMMIT` scores with `interview_tui/providers/local_analyzer.py` as it was at that commit (the
"before" figures). Targets: ordering ≥ 90 % and clearly above the baseline, mean gap ≥ 15, every junk ≤ 15.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _util import ROOT, table

from interview_tui.domain.metrics import word_count
from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan, Report, Transcript, Turn
from interview_tui.domain.question_match import segment

Analyze = Callable[[Transcript, InterviewPlan], Report]
JUNK_MAX = 15


def transcript_of(turns: list[dict[str, Any]]) -> Transcript:
    """An `interview analyze` JSON transcript (interviewer/candidate roles) as the app's transcript."""
    role = {"interviewer": "agent", "candidate": "user"}
    return Transcript(turns=[Turn(role=role[t["role"]], text=t["text"], t=t.get("t") or 0.0, end_t=t.get("end_t"))
                             for t in turns], source="provider")


def plan_of(transcript: Transcript, level: str) -> InterviewPlan:
    """The plan `interview analyze` builds without --plan/--jd: the questions found in the transcript."""
    asked = segment(transcript, [])
    return InterviewPlan(questions=[a.question for a in asked] or [],
                         experience_level=ExperienceLevel(level) if level in {e.value for e in ExperienceLevel}
                         else ExperienceLevel.MID,
                         domain_track=DomainTrack.GENERAL, engine="transcript")


def one_answer(question: str, answer: str) -> Transcript:
    turns = [{"role": "interviewer", "text": question}]
    if answer:
        turns.append({"role": "candidate", "text": answer})
    return transcript_of(turns)


def question_score(analyze: Analyze, question: str, answer: str, level: str = "mid") -> int:
    transcript = one_answer(question, answer)
    report = analyze(transcript, plan_of(transcript, level))
    scores = [q.score for q in report.questions if q.asked]
    return scores[0] if scores and scores[0] is not None else 0


def session_score(analyze: Analyze, turns: list[dict[str, Any]], level: str) -> int:
    transcript = transcript_of(turns)
    report = analyze(transcript, plan_of(transcript, level))
    return report.overall_score if report.overall_score is not None else 0


def load_analyzer(commit: str | None) -> tuple[Analyze, str]:
    if commit is None:
        from interview_tui.providers.local_analyzer import LocalAnalyzer

        return LocalAnalyzer().analyze, "local analyzer (this checkout)"
    source = subprocess.run(["git", "show", f"{commit}:interview_tui/providers/local_analyzer.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_local_analyzer.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_local_analyzer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.LocalAnalyzer().analyze, f"local analyzer at {commit}"


def pearson(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3 or statistics.pstdev(xs) == 0 or statistics.pstdev(ys) == 0:
        return float("nan")
    return statistics.correlation(xs, ys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "bench" / "data" / "feedback_eval.json")
    parser.add_argument("--analyzer-from", metavar="COMMIT", help="score with the local analyzer of this commit")
    parser.add_argument("--verbose", action="store_true", help="print every pair's scores")
    args = parser.parse_args()
    data = json.loads(args.set.read_text(encoding="utf-8"))
    analyze, label = load_analyzer(args.analyzer_from)
    print(f"# Feedback evaluation: {label}, set {args.set.name} ({len(data['pairs'])} pairs, "
          f"{len(data['junk'])} junk, {len(data.get('sessions', []))} sessions)")

    # ---- pairs
    rows, by_kind = [], {}
    right = base_right = 0
    gaps, scores, lengths = [], [], []
    for pair in data["pairs"]:
        level = pair.get("level", "mid")
        s = question_score(analyze, pair["question"], pair["stronger"], level)
        w = question_score(analyze, pair["question"], pair["weaker"], level)
        ws, ww = word_count(pair["stronger"]), word_count(pair["weaker"])
        ok, base_ok = s > w, ws > ww
        right += ok
        base_right += base_ok
        gaps.append(s - w)
        scores += [s, w]
        lengths += [ws, ww]
        k = by_kind.setdefault(pair["kind"], [0, 0, 0, []])
        k[0] += ok
        k[1] += base_ok
        k[2] += 1
        k[3].append(s - w)
        if args.verbose or not ok:
            rows.append((pair["id"], str(s), str(w), f"{ws}/{ww}", "ok" if ok else "WRONG"))
    n = len(data["pairs"])
    table("Pairs", [
        ("ordering accuracy", f"{100 * right / n:.0f} % ({right}/{n})", f"{100 * base_right / n:.0f} % "
         f"({base_right}/{n})"),
        ("mean gap (stronger − weaker)", f"{statistics.fmean(gaps):+.1f}", "n/a"),
        ("median gap", f"{statistics.median(gaps):+.1f}", "n/a"),
        ("score ~ word count (Pearson r)", f"{pearson(lengths, scores):.2f}", "1.00"),
    ], ("figure", "analyzer", "baseline: longer answer wins"))
    table("Pairs by kind", [
        (kind, f"{100 * v[0] / v[2]:.0f} % ({v[0]}/{v[2]})", f"{statistics.fmean(v[3]):+.1f}",
         f"{100 * v[1] / v[2]:.0f} %") for kind, v in sorted(by_kind.items())
    ], ("kind", "accuracy", "mean gap", "baseline accuracy"))
    if rows:
        table("Pairs not ordered right" if not args.verbose else "Every pair",
              rows, ("pair", "stronger", "weaker", "words s/w", ""))

    # ---- junk
    junk_rows, junk_ok = [], 0
    for item in data["junk"]:
        score = question_score(analyze, item["question"], item["answer"])
        junk_ok += score <= JUNK_MAX
        junk_rows.append((item["id"], item["junk"], str(score), "ok" if score <= JUNK_MAX else "TOO HIGH"))
    table(f"Junk ({junk_ok}/{len(data['junk'])} at most {JUNK_MAX})", junk_rows, ("item", "junk", "score", ""))

    # ---- sessions
    session_rows, sessions_ok, total = [], 0, 0
    for session in data.get("sessions", []):
        full = session_score(analyze, session["complete"]["turns"], session.get("level", "mid"))
        session_rows.append((session["id"], "complete", str(full), ""))
        for partial in session.get("partials", []):
            part = session_score(analyze, partial["transcript"]["turns"], session.get("level", "mid"))
            total += 1
            sessions_ok += part < full
            session_rows.append((partial["id"], f"{partial.get('answered')}/{partial.get('asked')} answered",
                                 str(part), "ok" if part < full else "NOT BELOW COMPLETE"))
    table(f"Sessions ({sessions_ok}/{total} partials below their complete session)", session_rows,
          ("session", "answered", "overall", ""))

    # ---- stability
    stable = 0
    items = data["pairs"][:10]
    for pair in items:
        t = one_answer(pair["question"], pair["stronger"])
        a = analyze(t, plan_of(t, "mid")).model_dump_json()
        b = analyze(t, plan_of(t, "mid")).model_dump_json()
        stable += a == b
    table("Stability", [("same transcript twice → same report", f"{stable}/{len(items)}")], ("figure", "value"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
