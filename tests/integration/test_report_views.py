"""The per-question report views outside the TUI: Markdown/JSON export, the plain-text report (`sessions show`,
`interview analyze`) and the labels they share."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from interview_tui.cli import app
from interview_tui.report_export import export_session
from interview_tui.report_text import engine_line, evidence_label, question_state, report_text
from tests.doubles import finished_session
from tests.fakes.report_samples import feedback_report


def test_question_states_and_labels() -> None:
    q1, q2, q3, q4 = feedback_report().questions
    assert question_state(q1) == "74/100 · good"
    assert question_state(q2).startswith("unsupported")
    assert question_state(q3) == 'non-answer: "I don\'t know" · 4/100'
    assert question_state(q4) == "not asked"
    assert evidence_label(q1.evidence[0]) == "verified"
    assert evidence_label(feedback_report(rough=True).questions[0].evidence[0]) == "heard as (62% confidence)"


def test_engine_line_names_the_answering_model_and_the_scoring_model() -> None:
    report = feedback_report()
    assert engine_line(report) == ("Scored by gemini-2.5-pro (answered by gemini-3.8-flash, not the model asked) "
                                   "· scoring model rubric-1")
    same = report.model_copy(update={"engine_version": "gemini-2.5-pro-001"})
    assert engine_line(same) == "Scored by gemini-2.5-pro (model version gemini-2.5-pro-001) · scoring model rubric-1"


def test_plain_text_report_has_every_part_of_a_question() -> None:
    text = report_text(feedback_report(rough=True))
    assert "Your words were recognised offline (mean confidence 58%)" in text
    for part in ("Your answer:", "[x] Sets the scene", "[ ] Reflects on what", "! Only says what",
                 "STAR: situation ✓  task ✗  action ✓  result ✓", "heard as (62% confidence)",
                 "Your answer, stronger:", "[What you learned]", "unsupported: no quote backed the rating",
                 "not asked"):
        assert part in text, part
    relevance = "Relevance 70/100: rated good by the model against the anchors (good = 70); 2 of this question's 3"
    assert relevance in " ".join(text.split())  # only on the scored answer
    assert " ".join(text.split()).count("Relevance 70/100") == 1
    assert "✓ verified" not in text


def _session_with(report_path: Path, db: Path) -> str:
    return finished_session(db, report_path.read_text(encoding="utf-8"), feedback_report())


def test_exports_and_sessions_show_carry_the_per_question_feedback(app_home: Path, tmp_path: Path,
                                                                   sample_jd: str) -> None:
    jd = tmp_path / "jd.txt"
    jd.write_text(sample_jd, encoding="utf-8")
    session_id = _session_with(jd, app_home / "interview.db")
    runner = CliRunner()

    shown = runner.invoke(app, ["sessions", "show", session_id])
    assert shown.exit_code == 0, shown.output
    assert "Report" in shown.stdout and "Talking points:" in shown.stdout and "Your answer, stronger:" in shown.stdout
    assert "Scored by gemini-2.5-pro (answered by gemini-3.8-flash" in shown.stdout

    md = runner.invoke(app, ["sessions", "export", session_id, "--format", "md"]).stdout
    for part in ("**74/100 · good** _(behavioural)_", "**Your answer:**", "- [x] Sets the scene",
                 "- [ ] Reflects on what", "**STAR:** situation ✓", "**Your answer, stronger:**",
                 "**unsupported: no quote backed the rating", "(0:18, verified)", "_Scored by gemini-2.5-pro",
                 "Relevance 70/100: rated good by the model against the anchors (good = 70); 2 of this question's "
                 "3 talking points backed by a quote from your answer."):
        assert part in md, part

    data = json.loads(runner.invoke(app, ["sessions", "export", session_id, "--format", "json"]).stdout)
    q1 = data["report"]["questions"][0]
    assert q1["points"][0]["covered"] is True and q1["stronger_answer"].endswith("[What you learned].")
    assert q1["relevance_basis"]["points_covered"] == 2 and q1["relevance_basis"]["model_level"] == "good"
    assert data["report"]["engine_version"] == "gemini-3.8-flash"
    assert data["report"]["questions"][1]["supported"] is False


def test_markdown_of_a_rough_transcript_says_heard_as() -> None:
    from interview_tui.domain.lifecycle import Status
    from interview_tui.domain.models import SessionRecord
    from interview_tui.report_export import to_markdown
    from tests.doubles import sample_plan

    record = SessionRecord(id="s1", status=Status.COMPLETE, jd_text="x", jd_sha256="0", plan=sample_plan(),
                           report=feedback_report(rough=True), created_at=0.0, updated_at=0.0)
    md = to_markdown(record)
    assert "heard as (62% confidence)" in md and "_Your words were recognised offline" in md
    assert export_session(record, "md") == md
