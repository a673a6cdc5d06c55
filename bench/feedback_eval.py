"""Feedback evaluation: does the analyzer rank answers by quality, not length? (issue 10 item 8)

Run: .venv/bin/python bench/feedback_eval.py [--set bench/data/feedback_eval.json] [--analyzer-from COMMIT]

Every item of the labelled set (written by hand, independently of the scorer) is written as a JSON transcript and
scored by `interview analyze FILE --json` (in-process through typer's CliRunner, no Gemini key, a throwaway home):
the interviewer's turns become the questions (kind and rubric from `domain.rubrics`), the candidate's turns their
answers, scored by the offline analyzer. Printed, beside
a "longer answer wins" baseline computed in the same run:

* pairs: ordering accuracy (stronger answer scored strictly higher; ties count as wrong), mean score gap
  (stronger − weaker), per kind, and the correlation of score with word count;
* junk: each junk/gamed answer's score for its question (target ≤ 15);
* sessions: each partial session's overall against its complete session's (target: every partial lower);
* stability: the same transcript analysed twice gives the same report.

`--analyzer-from COMMIT` scores with `interview_tui/providers/local_analyzer.py` as it was at that commit, through
the same steps as `interview analyze` (the "before" figures). Targets: ordering ≥ 90 % and clearly above the
baseline, mean gap ≥ 15, every junk ≤ 15.
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
from interview_tui.domain.models import InterviewPlan, Report, Transcript

Analyze = Callable[[Transcript, InterviewPlan], Report]
Score = Callable[[list[dict[str, Any]]], Report]
"""Scores one transcript given as `interview analyze` JSON turns."""
JUNK_MAX = 15


class Refused(Exception):
    """`interview analyze` refused the file with a one-line error (e.g. no candidate words at all)."""


def cli_scorer() -> Score:
    """`interview analyze FILE --json` run in-process (typer's CliRunner) with no Gemini key and a throwaway home,
    so the offline analyzer scores it exactly as a user's command would."""
    from typer.testing import CliRunner

    from interview_tui.cli import app

    runner = CliRunner()
    home = Path(tempfile.mkdtemp(prefix="feedback-eval-"))
    env = {"INTERVIEW_TUI_HOME": str(home), "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""}

    def score(turns: list[dict[str, Any]]) -> Report:
        path = home / "transcript.json"
        path.write_text(json.dumps({"turns": turns}), encoding="utf-8")
        result = runner.invoke(app, ["analyze", str(path), "--json"], env=env)
        if result.exit_code != 0:
            raise Refused(result.output.strip().splitlines()[-1] if result.output.strip() else "failed")
        return Report.model_validate(json.loads(result.stdout)["report"])

    return score


def direct_scorer(analyze: Analyze) -> Score:
    """The same steps as `interview analyze` (parse the file, build the asked plan), with any analyzer."""
    from interview_tui.cli.analyze import asked_plan
    from interview_tui.domain.errors import InvalidInput
    from interview_tui.domain.transcript_file import parse_transcript

    def score(turns: list[dict[str, Any]]) -> Report:
        try:
            parsed = parse_transcript(json.dumps({"turns": turns}).encode())
        except InvalidInput as err:  # what `interview analyze` turns into a one-line error
            raise Refused(str(err)) from None
        return analyze(parsed.transcript, asked_plan(parsed.transcript, None))

    return score


def one_answer(question: str, answer: str) -> list[dict[str, Any]]:
    return [{"role": "interviewer", "text": question}, {"role": "candidate", "text": answer}]


def question_score(score: Score, question: str, answer: str) -> int:
    report = score(one_answer(question, answer))
    scores = [q.score for q in report.questions if q.asked]
    return scores[0] if scores and scores[0] is not None else 0


def session_score(score: Score, turns: list[dict[str, Any]]) -> int:
    report = score(turns)
    return report.overall_score if report.overall_score is not None else 0


def load_scorer(commit: str | None) -> tuple[Score, str]:
    if commit is None:
        return cli_scorer(), "`interview analyze --json` (offline analyzer, this checkout)"
    source = subprocess.run(["git", "show", f"{commit}:interview_tui/providers/local_analyzer.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_local_analyzer.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_local_analyzer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return direct_scorer(module.LocalAnalyzer().analyze), f"local analyzer at {commit} (same steps as analyze)"


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
    score, label = load_scorer(args.analyzer_from)
    print(f"# Feedback evaluation: {label}, set {args.set.name} ({len(data['pairs'])} pairs, "
          f"{len(data['junk'])} junk, {len(data.get('sessions', []))} sessions)")

    # ---- pairs
    rows, by_kind = [], {}
    right = base_right = 0
    gaps, scores, lengths = [], [], []
    for pair in data["pairs"]:
        s = question_score(score, pair["question"], pair["stronger"])
        w = question_score(score, pair["question"], pair["weaker"])
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
        try:
            junk_score, note = question_score(score, item["question"], item["answer"]), ""
        except Refused as refusal:  # a file with nothing to score is an error, which scores nothing
            junk_score, note = 0, f"refused: {refusal}"[:70]
        junk_ok += junk_score <= JUNK_MAX
        junk_rows.append((item["id"], item["junk"], str(junk_score),
                          ("ok" if junk_score <= JUNK_MAX else "TOO HIGH") + (f" ({note})" if note else "")))
    table(f"Junk ({junk_ok}/{len(data['junk'])} at most {JUNK_MAX})", junk_rows, ("item", "junk", "score", ""))

    # ---- sessions
    session_rows, sessions_ok, total = [], 0, 0
    for session in data.get("sessions", []):
        full = session_score(score, session["complete"]["turns"])
        session_rows.append((session["id"], "complete", str(full), ""))
        for partial in session.get("partials", []):
            part = session_score(score, partial["transcript"]["turns"])
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
        turns = one_answer(pair["question"], pair["stronger"])
        stable += score(turns).model_dump_json() == score(turns).model_dump_json()
    table("Stability", [("same transcript twice → same report", f"{stable}/{len(items)}")], ("figure", "value"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
