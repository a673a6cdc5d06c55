"""Report: scores, per-question feedback, verified highlights, recommendations, coverage, speech metrics."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, Static

from interview_tui.domain import billing
from interview_tui.domain.models import AnswerStatus, Evidence, QuestionFeedback, Report, SessionRecord
from interview_tui.domain.relevance_wording import question_relevance
from interview_tui.paths import write_private
from interview_tui.report_export import FORMATS, export_session, session_title
from interview_tui.report_text import (
    engine_line,
    evidence_label,
    metric_rows,
    metrics_note,
    metrics_title,
    quality_line,
    question_state,
    status_label,
    voice_stop_lines,
)
from interview_tui.tui.intents import GoBack, GoHome, OpenHistory
from interview_tui.tui.messages import ExportSaved, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.text import literal, mmss, when
from interview_tui.tui.widgets.score_bars import ScoreBars, score_style

COVERAGE_MARK = {"strong": ("●", "green"), "partial": ("◐", "yellow"), "none": ("○", "red")}


def header_text(record: SessionRecord) -> Text:
    text = literal(session_title(record), "bold")
    plan = record.plan
    facts = [when(record.started_at or record.created_at), f"{mmss(record.duration_s)} live",
             f"charged {billing.SESSION_COST} credits" if record.charged else "not charged"]
    if plan is not None:
        facts.insert(0, f"{plan.experience_level.value} · {plan.domain_track.value}")
    text.append("\n" + "  ·  ".join(facts), style="dim")
    return text


def _quote(quote: str, t: float | None, verified: bool, evidence: Evidence | None = None) -> Text:
    text = Text("    “", style="italic")
    text.append_text(literal(quote, "italic"))
    text.append("”", style="italic")
    if t is not None:
        text.append(f"  {mmss(t)}", style="dim")
    if evidence is not None and evidence.source == "heard":
        text.append(f"  {evidence_label(evidence)}", style="yellow")
    else:
        text.append("  ✓ verified" if verified else "  unverified", style="green" if verified else "dim")
    return text


def _evidence_quote(ev: Evidence) -> Text:
    return _quote(ev.quote, ev.t, ev.verified, ev)


def _state_text(q: QuestionFeedback) -> Text:
    """The question's outcome after its title (legacy reports: the score, "not answered" or "not asked")."""
    if q.status is None:
        if q.score is not None:
            return Text(f"  {q.score}/100", style=f"bold {score_style(q.score)}")
        return Text(f"  {status_label(q)}", style="dim" if not q.asked else "bold yellow")
    state = question_state(q)
    if q.status is AnswerStatus.ANSWERED and q.supported and q.score is not None:
        return Text(f"  {state}", style=f"bold {score_style(q.score)}")
    style = "dim" if q.status is AnswerStatus.NOT_ASKED else "bold yellow"
    return Text(f"  {state}", style=style)


def _legacy_question(number: int, q: QuestionFeedback) -> Text:
    text = Text()
    text.append(f"{number}. ", style="bold")
    text.append_text(literal(q.question, "bold"))
    text.append_text(_state_text(q))
    if q.strengths:
        text.append("\n   + ", style="green")
        text.append_text(literal(q.strengths))
    if q.improvements:
        text.append("\n   − ", style="yellow")
        text.append_text(literal(q.improvements))
    for ev in q.evidence:
        text.append("\n")
        text.append_text(_evidence_quote(ev))
    return text


def questions_text(report: Report) -> Text:
    """All questions as one text, for reports stored before the scoring model (no per-question detail)."""
    text = Text()
    for number, q in enumerate(report.questions, 1):
        if number > 1:
            text.append("\n\n")
        text.append_text(_legacy_question(number, q))
    return text


def _line(*parts: tuple[str, str]) -> Text:
    text = Text()
    for part, style in parts:
        text.append_text(literal(part, style))
    return text


def question_blocks(number: int, q: QuestionFeedback) -> list[tuple[int, Text]]:
    """One question as (indent, text) blocks: outcome, the candidate's answer, talking points ticked where
    covered, red flags, STAR parts, feedback, quotes (verified or heard as) and "your answer, stronger". All
    literal text; each block wraps under its own indent."""
    title = Text()
    title.append(f"{number}. ", style="bold")
    title.append_text(literal(q.question, "bold"))
    title.append_text(_state_text(q))
    if q.kind is not None:
        title.append(f"  {q.kind.value}", style="dim")
    blocks: list[tuple[int, Text]] = [(0, title)]
    if q.answer:
        blocks += [(3, Text("Your answer", style="bold")), (5, literal(" ".join(q.answer.split())))]
    if q.points:
        blocks.append((3, Text("Talking points", style="bold")))
        blocks += [(5, _line(("✓ ", "green"), (p.text, "")) if p.covered else _line(("○ ", "dim"), (p.text, "dim")))
                   for p in q.points]
    if question_relevance(q):
        blocks.append((3, literal(question_relevance(q), "dim")))
    blocks += [(3, _line(("! ", "bold red"), (flag, "red"))) for flag in q.red_flags]
    if q.star is not None:
        star = Text()
        star.append("STAR  ", style="bold")
        for part in ("situation", "task", "action", "result"):
            present = getattr(q.star, part)
            star.append(f"{part} {'✓' if present else '✗'}  ", style="green" if present else "yellow")
        blocks.append((3, star))
    if q.strengths:
        blocks.append((3, _line(("+ ", "green"), (q.strengths, ""))))
    if q.improvements:
        blocks.append((3, _line(("− ", "yellow"), (q.improvements, ""))))
    blocks += [(0, _evidence_quote(ev)) for ev in q.evidence]
    if q.stronger_answer:
        blocks += [(3, Text("Your answer, stronger", style="bold")), (5, literal(q.stronger_answer, "italic"))]
    return blocks


def question_renderable(number: int, q: QuestionFeedback) -> Group:
    """One question's blocks as one renderable, each block wrapped under its own indent."""
    return Group(*(Padding(text, (0, 0, 0, indent)) for indent, text in question_blocks(number, q)))


class QuestionFeedbackView(Vertical):
    """The per-question feedback: all questions in one widget, each block wrapped under its own indent, a blank
    line between questions (a widget per block made the Report screen's first frame 2–3× slower,
    bench/report_path.py); the rough-transcript note above them."""

    DEFAULT_CSS = """
    QuestionFeedbackView { height: auto; }
    QuestionFeedbackView > Static { height: auto; }
    QuestionFeedbackView > .question-gap { height: 1; }
    """

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report

    def compose(self) -> ComposeResult:
        if quality_line(self.report):
            yield Static(literal(quality_line(self.report), "yellow"), classes="quality")
            yield Static("", classes="question-gap")
        parts: list[RenderableType] = []
        for number, q in enumerate(self.report.questions, 1):
            if number > 1:
                parts.append(Text(""))
            parts.append(question_renderable(number, q))
        yield Static(Group(*parts), classes="question-list")


def highlights_text(report: Report) -> Text:
    text = Text()
    for index, h in enumerate(report.highlights):
        if index:
            text.append("\n")
        text.append("• ")
        text.append_text(literal(h.text))
        text.append("\n")
        text.append_text(_evidence_quote(h.evidence))
    return text


def recommendations_text(report: Report) -> Text:
    text = Text()
    for index, r in enumerate(report.recommendations):
        if index:
            text.append("\n")
        text.append("• ")
        text.append_text(literal(r.text))
        text.append("\n    Drill: ", style="bold")
        text.append_text(literal(r.drill))
    return text


def coverage_text(report: Report) -> Text:
    text = Text()
    for index, s in enumerate(report.skill_coverage):
        if index:
            text.append("\n")
        mark, style = COVERAGE_MARK.get(s.coverage, ("·", "dim"))
        text.append(f"{mark} ", style=style)
        text.append_text(literal(s.skill, "bold"))
        text.append(f"  {s.coverage}", style=style)
        if s.note:
            text.append("  ")
            text.append_text(literal(s.note, "dim"))
    return text


def metrics_text(report: Report) -> Text:
    text = Text()
    for index, (label, value) in enumerate(metric_rows(report)):
        if index:
            text.append("\n")
        text.append(f"{label:<22}", style="dim")
        text.append(value)
    if metrics_note(report.metrics):
        text.append("\n" + metrics_note(report.metrics), style="dim italic")
    return text


def export_filename(record: SessionRecord, fmt: str) -> str:
    """A plain file name: the id part keeps only letters, digits, - and _ (a crafted id cannot leave the folder)."""
    stamp = datetime.fromtimestamp(record.started_at or record.created_at).strftime("%Y%m%d-%H%M")
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", record.id[:8]) or "session"
    return f"interview-{stamp}-{safe_id}.{fmt if fmt in FORMATS else 'txt'}"


class ReportScreen(BaseScreen):
    """The scored report for one session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "export('md')", "Save .md", tooltip="Save the report as Markdown", id="export-md"),
        # secondary: in the F1 help, not the footer (the essential keys and F1 must fit 80 columns)
        Binding("j", "export('json')", "Save .json", tooltip="Save the session as JSON", id="export-json",
                show=False),
        Binding("h", "history", "History", tooltip="Past sessions and your score trend", id="history"),
        Binding("p", "recording", "Play", tooltip="Play your recorded answers", id="recording"),
        Binding("n", "start", "New", tooltip="Back to the start screen for another interview",
                id="new-interview"),
        Binding("escape", "back", "Back", tooltip="Back to where you opened this report from", id="back"),
    ]

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        record, report = self.record, self.record.report
        yield Header()
        with VerticalScroll(id="report"):
            yield Static(header_text(record), id="report-header")
            yield from self._recording()
            if report is None:
                yield Static(Text("This session has no report yet.", style="bold"))
            else:
                yield from self._sections(report)
        yield Footer()

    def _recording(self) -> ComposeResult:
        """The recording's player, when this session was recorded."""
        parts = self.iapp.files.recordings.parts(self.record.id)
        self.has_recording = bool(parts)
        if self.has_recording:
            from interview_tui.tui.widgets.playback import RecordingPlayer

            yield RecordingPlayer(self.record, parts, output_device=self.iapp.output_device,
                                  export_dir=self.iapp.export_dir, id="recording-player")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "recording":
            return getattr(self, "has_recording", False)
        return True

    def action_recording(self) -> None:
        self.query_one("#recording-player").focus()

    def _sections(self, report: Report) -> ComposeResult:
        yield Label("Summary", classes="section-title")
        yield Static(literal(report.summary), id="summary")
        if report.voice_stops:  # why answers may be missing
            yield Static(literal("\n".join(self.iapp.runnable(line) for line in voice_stop_lines(report)), "yellow"),
                         id="voice-stops", classes="spaced")
        if report.assessable:
            rows: list[tuple[str, int | None]] = [("Overall", report.overall_score)]
            rows += [(d.name, d.score) for d in report.dimensions]
            yield Label("Scores", classes="section-title")
            yield ScoreBars(rows, id="scores")
            if report.dimensions:
                why = Text()
                for index, d in enumerate(report.dimensions):
                    if index:
                        why.append("\n")
                    why.append_text(literal(d.name, "bold"))
                    why.append(": ")
                    why.append_text(literal(d.rationale, "dim"))
                yield Static(why, id="rationales", classes="spaced")
        if report.questions and any(q.status is not None for q in report.questions):
            yield Label("Questions", classes="section-title")
            yield QuestionFeedbackView(report, id="questions")
        sections = (
            ("Questions", report.questions if all(q.status is None for q in report.questions) else [],
             questions_text),
            ("Highlights", report.highlights, highlights_text),
            ("Recommendations", report.recommendations, recommendations_text),
            ("Skill coverage", report.skill_coverage, coverage_text),
        )
        for title, items, render in sections:
            if items:
                yield Label(title, classes="section-title")
                yield Static(render(report), id=title.lower().replace(" ", "-"))
        yield Label(metrics_title(report.metrics), classes="section-title")
        yield Static(metrics_text(report), id="metrics")
        v = report.verification
        if v.claims_total:
            yield Static(Text(f"Quotes checked against your transcript: {v.claims_verified} of {v.claims_total} "
                              f"verified, {v.claims_dropped} dropped.", style="dim"))
        if report.engine:
            yield Static(literal(engine_line(report), "dim"), id="engine")

    def on_mount(self) -> None:
        self.query_one("#report").focus()

    def action_export(self, fmt: str) -> None:
        directory = self.iapp.export_dir
        path = directory / export_filename(self.record, fmt)
        self.call_service("export", "exporting the report", self._write, path, fmt, done=ExportSaved)

    def _write(self, path: Path, fmt: str) -> Path:
        content = export_session(self.record, fmt)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private(path, content)
        except OSError as err:
            from interview_tui.domain.errors import InvalidInput

            raise InvalidInput(f"The report could not be saved to {path} ({err.strerror}). Check that the "
                               "folder is writable, or export with `interview sessions export`.") from None
        return path

    @on(ExportSaved)
    def saved(self, message: ExportSaved) -> None:
        self.notify(f"Saved {message.path}", title="Exported", markup=False)

    @on(WorkFailed)
    def export_failed(self, message: WorkFailed) -> None:
        self.iapp.report_error(message.message, title="Export failed")

    def action_history(self) -> None:
        self.go(OpenHistory())

    def action_start(self) -> None:
        self.go(GoHome())

    def action_back(self) -> None:
        self.go(GoBack())

