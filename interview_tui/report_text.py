"""The report as plain text, and the labels every report view shares (the Report screen, the Markdown export,
`interview sessions show` and `interview analyze`). Pure: no I/O, no UI imports. Numbers are worded by
`domain.figures` (one rounding and one unit per kind of figure).

Per question: its state (score and level, "unsupported" when no quote backed the rating, a non-answer's kind,
"not answered" when asked and left unanswered, "not asked" when the interview never reached it), the candidate's
own answer, the talking points ticked where covered, red flags, STAR parts where a story was asked for, quotes
marked verified or "heard as" (with the recogniser's confidence), and "your answer, stronger" when the analyzer
wrote one. Then the measured figures: speech metrics for timed speech, answer metrics (no pace, speaking time or
pauses) for typed or untimed answers.
"""

from __future__ import annotations

import textwrap

from interview_tui.domain import figures
from interview_tui.domain.metrics import LONG_PAUSE_S
from interview_tui.domain.models import (
    AnswerStatus,
    Evidence,
    QuestionFeedback,
    Report,
    SpeechMetrics,
    StarParts,
    VoiceStop,
)
from interview_tui.domain.relevance_wording import question_relevance
from interview_tui.domain.scoring import status_of

NON_ANSWER_LABELS = {
    "empty": "nothing said", "dont_know": "\"I don't know\"", "too_short": "too short to be an answer",
    "gibberish": "not words", "placeholder": "placeholder text", "repetitive": "repetition",
    "off_topic": "off topic", "stuffing": "keywords or STAR phrases with no content",
}

STATUS_LABELS = {
    AnswerStatus.ANSWERED: "answered", AnswerStatus.NON_ANSWER: "non-answer",
    AnswerStatus.NOT_ANSWERED: "not answered", AnswerStatus.NOT_ASKED: "not asked",
}
"""A question's status in words: "not answered" = asked, no answer; "not asked" = the interview never reached it."""

WIDTH = 100


def mmss(seconds: float | None) -> str:
    return "" if seconds is None else figures.clock(seconds)


def status_label(q: QuestionFeedback) -> str:
    """"answered", "non-answer", "not answered" (asked, no answer) or "not asked" (never reached)."""
    return STATUS_LABELS[status_of(q)]


def evidence_label(ev: Evidence) -> str:
    """"verified", "heard as (62% confidence)" for recognised speech, or "unverified"."""
    if ev.source == "heard":
        return "heard as" + (f" ({figures.percent(ev.confidence)} confidence)" if ev.confidence is not None else "")
    return "verified" if ev.verified else "unverified"


def question_state(q: QuestionFeedback) -> str:
    """A question's outcome in words: "72/100 · good", "unsupported", "non-answer: off topic", …"""
    status = status_of(q)
    if status is AnswerStatus.NOT_ASKED:
        return STATUS_LABELS[status]
    if status is AnswerStatus.NOT_ANSWERED:
        return STATUS_LABELS[status] + (f" · {q.score}/100" if q.score is not None else "")
    if status is AnswerStatus.NON_ANSWER:
        kind = NON_ANSWER_LABELS.get(q.non_answer.value, q.non_answer.value) if q.non_answer else "not an answer"
        return f"non-answer: {kind}" + (f" · {q.score}/100" if q.score is not None else "")
    if not q.supported:
        return "unsupported: no quote backed the rating, so its score is withheld"
    if q.score is None:
        return "no score"
    return f"{q.score}/100" + (f" · {q.rating.value}" if q.rating else "")


def star_summary(star: StarParts) -> str:
    """"situation ✓  task ✗  action ✓  result ✓"."""
    return "  ".join(f"{part} {'✓' if getattr(star, part) else '✗'}" for part in ("situation", "task", "action",
                                                                               "result"))


def engine_line(report: Report) -> str:
    """Which engine scored the report, the model version it answered with, and the scoring model."""
    if not report.engine:
        return ""
    line = f"Scored by {report.engine}"
    version = report.engine_version
    if version and version != report.engine:
        same = version.startswith(report.engine + "-")
        line += f" (model version {version})" if same else f" (answered by {version}, not the model asked)"
    if report.model_version:
        line += f" · scoring model {report.model_version}"
    return line


def voice_stop_line(stop: VoiceStop) -> str:
    """One plain line: the voice stopped (when, why) and what that means for the answers."""
    reason = " ".join(stop.reason.split()).rstrip(".")
    if stop.then == "ended":
        return (f"The voice stopped at {mmss(stop.t)} and ended the interview ({reason}): an answer given then may "
                "be cut short, and later questions were not asked.")
    if stop.t < 1:
        return f"The voice could not start ({reason}), so the answers were typed."
    return f"The voice stopped at {mmss(stop.t)} ({reason}); the answers after that were typed."


def voice_stop_lines(report: Report) -> list[str]:
    return [voice_stop_line(stop) for stop in report.voice_stops]


def quality_line(report: Report) -> str:
    """How reliable the words are, for rough (recognised) transcripts; '' for exact ones."""
    if report.transcript_quality != "rough":
        return ""
    confidence = (f" (mean confidence {figures.percent(report.recognition_confidence)})"
                  if report.recognition_confidence is not None else "")
    return (f"Your words were recognised offline{confidence}: quotes are what was heard, not verified words, and "
            "mistakes in them are the recogniser's.")


def question_counts(report: Report) -> str:
    """What became of the planned questions: "6 of 8 answered · 1 non-answer · 1 not asked" (zeros left out)."""
    statuses = [status_of(q) for q in report.questions]
    answered = statuses.count(AnswerStatus.ANSWERED)
    parts = [f"{answered} of {len(statuses)} answered"]
    for status, singular, plural in ((AnswerStatus.NON_ANSWER, "non-answer", "non-answers"),
                                     (AnswerStatus.NOT_ANSWERED, "not answered", "not answered"),
                                     (AnswerStatus.NOT_ASKED, "not asked", "not asked")):
        if statuses.count(status):
            parts.append(f"{statuses.count(status)} {singular if statuses.count(status) == 1 else plural}")
    return " · ".join(parts)


def metrics_title(m: SpeechMetrics) -> str:
    """"Speech metrics" for timed speech; "Answer metrics" for typed or untimed answers (nothing was heard)."""
    return "Speech metrics" if m.timing_available else "Answer metrics"


def metrics_note(m: SpeechMetrics) -> str:
    """Why pace and pauses are missing, for typed or untimed answers; '' for timed speech."""
    if m.timing_available:
        return ""
    return ("For typed or untimed answers, pace, speaking time and pauses are not measured (they need a voice "
            "interview).")


def metric_rows(report: Report) -> list[tuple[str, str]]:
    """The measured figures as (label, value) rows, for every report view. What each count counts is in its
    label or value: questions by what became of them, replies (every time the candidate spoke after the
    interviewer, follow-ups included) apart from questions. Speech-only figures only for timed speech."""
    m = report.metrics
    rows = []
    if report.questions:
        rows.append(("Questions", question_counts(report)))
    rows += [
        ("Words spoken" if m.timing_available else "Words", f"{m.candidate_words:,}"),
        ("Replies", f"{m.answer_count}, follow-ups included" if m.answer_count else "0"),
        ("Filler words", str(m.filler_count) + (f" ({', '.join(m.top_fillers)})" if m.top_fillers else "")
         + ("" if m.discourse_markers_measured else " — um/uh only, \"like\" not measured")),
        ("Filler rate", "—" if m.fillers_per_100_words is None else figures.filler_rate(m.fillers_per_100_words)),
    ]
    if m.timing_available:
        rows += [
            ("Speaking time", figures.clock(m.candidate_talk_s)),
            ("Pace", "—" if m.words_per_minute is None else figures.wpm(m.words_per_minute)),
            ("Mean reply length", "—" if m.mean_answer_s is None else figures.seconds(m.mean_answer_s)),
            ("Median wait to reply", "—" if m.median_response_latency_s is None
             else figures.seconds(m.median_response_latency_s)),
            (f"Pauses over {figures.seconds(LONG_PAUSE_S)}", str(m.long_pauses)),
        ]
    return rows


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def question_lines(number: int, q: QuestionFeedback) -> list[str]:
    """One question's feedback as plain-text lines."""
    lines = [f"{number}. {' '.join(q.question.split())}", f"   {question_state(q)}"
             + (f" · {q.kind.value}" if q.kind else "")]
    if q.answer:
        lines += ["   Your answer:", *_wrap(q.answer, "     ")]
    if q.points:
        lines.append("   Talking points:")
        for p in q.points:
            lines += _wrap(f"[{'x' if p.covered else ' '}] {p.text}", "     ")
    if question_relevance(q):
        lines += _wrap(question_relevance(q), "   ")
    if q.red_flags:
        lines.append("   Red flags:")
        for flag in q.red_flags:
            lines += _wrap(f"! {flag}", "     ")
    if q.star is not None:
        lines.append(f"   STAR: {star_summary(q.star)}")
    if q.strengths:
        lines += _wrap(f"+ {q.strengths}", "   ")
    if q.improvements:
        lines += _wrap(f"- {q.improvements}", "   ")
    for ev in q.evidence:
        when = f" {mmss(ev.t)}" if ev.t is not None else ""
        lines += _wrap(f"“{ev.quote}”{when} ({evidence_label(ev)})", "     ")
    if q.stronger_answer:
        lines += ["   Your answer, stronger:", *_wrap(q.stronger_answer, "     ")]
    return lines


def report_text(report: Report) -> str:
    """The whole report as plain text (untrusted parts must still be made terminal-safe by the caller)."""
    lines = ["Summary", *_wrap(report.summary, "  "), ""]
    for line in voice_stop_lines(report):
        lines += [*_wrap(line, "  "), ""]
    if report.assessable:
        lines.append(f"Overall   {report.overall_score}/100")
        lines += [f"  {d.name}: {d.score}/100 — {' '.join(d.rationale.split())}" for d in report.dimensions]
        lines.append("")
    if quality_line(report):
        lines += [*_wrap(quality_line(report), ""), ""]
    if report.questions:
        lines.append("Questions")
        for number, q in enumerate(report.questions, 1):
            lines += [*question_lines(number, q), ""]
    if report.highlights:
        lines.append("Highlights")
        for h in report.highlights:
            lines += _wrap(f"• {h.text}", "  ")
            lines += _wrap(f"“{h.evidence.quote}” ({evidence_label(h.evidence)})", "    ")
        lines.append("")
    if report.recommendations:
        lines.append("Recommendations")
        for r in report.recommendations:
            lines += [*_wrap(f"• {r.text}", "  "), *_wrap(f"Drill: {r.drill}", "    ")]
        lines.append("")
    if report.skill_coverage:
        lines.append("Skill coverage")
        lines += [f"  {s.skill}: {s.coverage}" + (f" — {' '.join(s.note.split())}" if s.note else "")
                  for s in report.skill_coverage]
        lines.append("")
    lines.append(metrics_title(report.metrics))
    lines += [f"  {label + ':':<22}{value}" for label, value in metric_rows(report)]
    if metrics_note(report.metrics):
        lines += _wrap(metrics_note(report.metrics), "  ")
    lines.append("")
    if engine_line(report):
        lines.append(engine_line(report))
    return "\n".join(lines).rstrip() + "\n"
