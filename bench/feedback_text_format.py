"""Does the plain-text transcript format score the same as the JSON one? (held-out check, issue 10)

Run: .venv/bin/python bench/feedback_text_format.py [--set bench/data/feedback_holdout.json] [--save DIR]

Every pair answer and junk item of a feedback set is written as a plain-text transcript (`Interviewer:` /
`Candidate:` lines) and scored by the real command a user runs, `python -m interview_tui analyze FILE --json`, in a
subprocess with no Gemini key and a throwaway home; beside it, the same item as a JSON transcript through
`bench/feedback_eval.py`'s scorer. Prints ordering accuracy per kind for the text format, and every item whose
score differs between the formats. `--save DIR` keeps each text-format report (JSON) for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _util import ROOT, table
from feedback_eval import Refused, cli_scorer, one_answer


def text_transcript(question: str, answer: str) -> str:
    return f"Interviewer: {question}\nCandidate: {answer}\n"


def run_text(home: Path, name: str, question: str, answer: str) -> tuple[int, dict[str, Any] | None, str]:
    """Score one answer through the CLI in a subprocess; returns (question score, report, error line)."""
    path = home / f"{name}.txt"
    path.write_text(text_transcript(question, answer), encoding="utf-8")
    env = {**os.environ, "INTERVIEW_TUI_HOME": str(home), "GEMINI_API_KEY": "", "GOOGLE_API_KEY": "",
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "interview_tui", "analyze", str(path), "--json"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    if proc.returncode != 0:
        return 0, None, (proc.stderr.strip().splitlines() or ["failed"])[-1]
    report = json.loads(proc.stdout)["report"]
    scores = [q.get("score") for q in report["questions"] if q.get("asked", True)]
    return (scores[0] or 0) if scores else 0, report, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=ROOT / "bench" / "data" / "feedback_holdout.json")
    parser.add_argument("--save", type=Path, help="directory to keep each text-format report in")
    args = parser.parse_args()
    data = json.loads(args.set.read_text(encoding="utf-8"))
    home = Path(tempfile.mkdtemp(prefix="feedback-text-"))
    items: list[tuple[str, str, str]] = []
    for pair in data["pairs"]:
        items += [(f"{pair['id']}-stronger", pair["question"], pair["stronger"]),
                  (f"{pair['id']}-weaker", pair["question"], pair["weaker"])]
    items += [(j["id"], j["question"], j["answer"]) for j in data["junk"]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip([i[0] for i in items], pool.map(lambda i: run_text(home, *i), items), strict=True))
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for name, (_, report, _) in results.items():
            if report is not None:
                (args.save / f"{name}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")

    score_json = cli_scorer()

    def json_score(question: str, answer: str) -> int:
        try:
            report = score_json(one_answer(question, answer))
        except Refused:
            return 0
        scores = [q.score for q in report.questions if q.asked]
        return scores[0] if scores and scores[0] is not None else 0

    diffs, by_kind = [], {}
    for name, question, answer in items:
        text_score, _, error = results[name]
        js = json_score(question, answer)
        if js != text_score or error:
            diffs.append((name, str(js), str(text_score), error[:60]))
    for pair in data["pairs"]:
        ok = results[f"{pair['id']}-stronger"][0] > results[f"{pair['id']}-weaker"][0]
        k = by_kind.setdefault(pair["kind"], [0, 0])
        k[0] += ok
        k[1] += 1
    right, n = sum(v[0] for v in by_kind.values()), sum(v[1] for v in by_kind.values())
    table(f"Plain-text format via `python -m interview_tui analyze FILE --json` ({args.set.name})",
          [(kind, f"{100 * v[0] / v[1]:.0f} % ({v[0]}/{v[1]})") for kind, v in sorted(by_kind.items())]
          + [("overall", f"{100 * right / n:.0f} % ({right}/{n})")], ("kind", "ordering accuracy"))
    junk_high = [(j["id"], str(results[j["id"]][0])) for j in data["junk"] if results[j["id"]][0] > 15]
    table("Junk above 15 (text format)", junk_high or [("none", "")], ("item", "score"))
    table(f"Items scored differently in the two formats ({len(diffs)} of {len(items)})",
          diffs or [("none", "", "", "")], ("item", "json", "text", "error"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
