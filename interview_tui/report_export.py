"""Turn a finished session into Markdown or JSON (the Report screen and `interview sessions export`).

Pure: no I/O, no UI imports. Untrusted text is copied as text; control characters are dropped and Markdown
table cells are escaped so a transcript cannot break the document's structure.
"""

from __future__ import annotations

import json
import re

from interview_tui.domain import figures
from interview_tui.domain.clock import iso
from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.models import (
    Evidence,
    QuestionFeedback,
    Report,
    SessionRecord,
    Transcript,
    Turn,
)
from interview_tui.domain.relevance_wording import question_relevance
from interview_tui.report_text import (
    engine_line,
    evidence_label,
    metric_rows,
    metrics_note,
    metrics_title,
    quality_line,
    question_state,
    star_summary,
    voice_stop_lines,
)

FORMATS: tuple[str, ...] = ("md", "json")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _cell(text: str) -> str:
    """Text safe inside one Markdown table cell."""
    return _clean(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _mmss(seconds: float | None) -> str:
    return "—" if seconds is None else figures.clock(seconds)


def session_title(record: SessionRecord) -> str:
    """A human title for a session: the role title, else the track and level, else 'Interview'."""
    plan = record.plan
    if plan is None:
        return "Interview"
    if plan.role_title:
        return _clean(plan.role_title)
    return f"{plan.experience_level.value.capitalize()} {plan.domain_track.value} interview"


def _header(record: SessionRecord) -> list[str]:
    plan = record.plan
    lines = [f"# Interview report — {_clean(session_title(record))}", ""]
    rows = [
        ("Session", record.id),
        ("Date (UTC)", iso(record.started_at or record.created_at) or "—"),
        ("Live time", _mmss(record.duration_s)),
        ("Charged", "yes, 15 credits" if record.charged else "no"),
        ("Status", record.status.value),
    ]
    if plan is not None:
        rows += [("Level", plan.experience_level.value), ("Track", plan.domain_track.value)]
    engines = [f"{role} {name}" for role, name in
               (("planner", record.planner), ("analyzer", record.analyzer), ("voice", record.voice)) if name]
    if engines:
        rows.append(("Engines", ", ".join(engines)))
    lines += [f"- **{key}:** {_clean(value)}" for key, value in rows]
    return [*lines, ""]


def _scores(report: Report) -> list[str]:
    if not report.assessable:
        return []
    lines = ["## Scores", "", f"**Overall: {report.overall_score}/100**", ""]
    if report.dimensions:
        lines += ["| Dimension | Score | Why |", "|---|---:|---|"]
        lines += [f"| {_cell(d.name)} | {d.score} | {_cell(d.rationale)} |" for d in report.dimensions]
        lines.append("")
    return lines


def _quote_line(ev: Evidence, indent: str = "") -> str:
    when = f"{_mmss(ev.t)}, " if ev.t is not None else ""
    return f"{indent}> “{_clean(ev.quote)}” ({when}{evidence_label(ev)})"


def _question(number: int, q: QuestionFeedback) -> list[str]:
    kind = f" _({q.kind.value})_" if q.kind else ""
    lines = [f"### {number}. {_clean(q.question)}", "", f"**{question_state(q)}**{kind}", ""]
    if q.answer:
        lines += ["**Your answer:**", "", *(f"> {_clean(p)}" for p in q.answer.split("\n") if p.strip()), ""]
    if q.points:
        lines += ["**Talking points:**", ""]
        lines += [f"- [{'x' if p.covered else ' '}] {_clean(p.text)}" for p in q.points]
        lines.append("")
    if question_relevance(q):
        lines += [_clean(question_relevance(q)), ""]
    if q.red_flags:
        lines += ["**Red flags:**", "", *(f"- {_clean(flag)}" for flag in q.red_flags), ""]
    if q.star is not None:
        lines += [f"**STAR:** {star_summary(q.star)}", ""]
    if q.strengths:
        lines += [f"- **Strengths:** {_clean(q.strengths)}"]
    if q.improvements:
        lines += [f"- **To improve:** {_clean(q.improvements)}"]
    for ev in q.evidence:
        lines += [_quote_line(ev, "- ")]
    if q.strengths or q.improvements or q.evidence:
        lines.append("")
    if q.stronger_answer:
        lines += ["**Your answer, stronger:**", "", f"> {_clean(q.stronger_answer)}", ""]
    return lines


def _questions(report: Report) -> list[str]:
    if not report.questions:
        return []
    lines = ["## Questions", ""]
    if quality_line(report):
        lines += [f"_{quality_line(report)}_", ""]
    for number, q in enumerate(report.questions, 1):
        lines += _question(number, q)
    return lines


def _highlights(report: Report) -> list[str]:
    if not report.highlights:
        return []
    lines = ["## Highlights", ""]
    for h in report.highlights:
        lines += [f"- {_clean(h.text)}", _quote_line(h.evidence, "  ")]
    return [*lines, ""]


def _recommendations(report: Report) -> list[str]:
    if not report.recommendations:
        return []
    lines = ["## Recommendations", ""]
    for r in report.recommendations:
        lines += [f"- {_clean(r.text)}", f"  - Drill: {_clean(r.drill)}"]
    return [*lines, ""]


def _coverage(report: Report) -> list[str]:
    if not report.skill_coverage:
        return []
    lines = ["## Skill coverage", "", "| Skill | Coverage | Note |", "|---|---|---|"]
    lines += [f"| {_cell(s.skill)} | {s.coverage} | {_cell(s.note)} |" for s in report.skill_coverage]
    return [*lines, ""]


def _metrics(report: Report) -> list[str]:
    lines = [f"## {metrics_title(report.metrics)}", "", "| Metric | Value |", "|---|---|"]
    lines += [f"| {label} | {_cell(value)} |" for label, value in metric_rows(report)]
    if metrics_note(report.metrics):
        lines += ["", f"_{metrics_note(report.metrics)}_"]
    return [*lines, ""]


def _speaker(turn: Turn) -> str:
    return "Interviewer" if turn.role == "agent" else "You"


def _transcript(record: SessionRecord) -> list[str]:
    transcript: Transcript | None = record.transcript
    turns = transcript.turns if transcript is not None else record.live_transcript
    if not turns:
        return []
    lines = ["## Transcript", ""]
    lines += [f"- **{_mmss(t.t)} {_speaker(t)}:** {_clean(t.text).replace(chr(10), ' ')}" for t in turns]
    return [*lines, ""]


def to_markdown(record: SessionRecord) -> str:
    """The whole session as a Markdown document."""
    lines = _header(record)
    report = record.report
    if report is None:
        lines += ["_No report yet: the session has not been analysed._", ""]
    else:
        lines += ["## Summary", "", _clean(report.summary), ""]
        lines += [line for stop in voice_stop_lines(report) for line in (f"_{_clean(stop)}_", "")]
        for section in (_scores, _questions, _highlights, _recommendations, _coverage, _metrics):
            lines += section(report)
        if report.verification.claims_total:
            v = report.verification
            lines += [f"_Quotes checked against the transcript: {v.claims_verified} of {v.claims_total} "
                      f"verified, {v.claims_dropped} dropped._", ""]
        if engine_line(report):
            lines += [f"_{_clean(engine_line(report))}_", ""]
    lines += _transcript(record)
    return "\n".join(lines).rstrip() + "\n"


EXPORT_VERSION = 2
"""2: times are ISO-8601 UTC strings (1 had seconds since the epoch)."""

TIME_FIELDS: tuple[str, ...] = tuple(name for name in SessionRecord.model_fields if name.endswith("_at"))
"""The record's moments (seconds since the epoch in the model), written as ISO-8601 UTC in every JSON view."""


def record_data(record: SessionRecord) -> dict[str, object]:
    """The whole record as JSON data with its times as ISO-8601 UTC: the one shape of `sessions show --json`
    and of the JSON export."""
    data: dict[str, object] = record.model_dump(mode="json")
    for key in TIME_FIELDS:
        data[key] = iso(getattr(record, key))
    return data


def to_json(record: SessionRecord) -> str:
    """The whole session as pretty-printed JSON (`record_data`, plus an export version)."""
    data = {"export_version": EXPORT_VERSION, **record_data(record)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_session(record: SessionRecord, fmt: str) -> str:
    """Render `record` as `md` or `json`; anything else raises `InvalidInput`."""
    if fmt == "md":
        return to_markdown(record)
    if fmt == "json":
        return to_json(record)
    raise InvalidInput(f"Unknown export format {fmt!r}. Use --format md or --format json.")
