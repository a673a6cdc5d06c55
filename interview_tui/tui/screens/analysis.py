"""Analysis: progress while the transcript is fetched and scored; Retry on failure; then the report."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header

from interview_tui.domain import billing
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.live import collect_transcript
from interview_tui.providers.base import VoiceEngine
from interview_tui.tui.intents import GoBack, ReportReady
from interview_tui.tui.messages import AnalysisDone, AnalysisStep, RecordLoaded, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.text import mmss
from interview_tui.tui.widgets.work_panel import WorkPanel

STEPS = ("Fetching the transcript", "Scoring your answers")


def steps_text(record: SessionRecord | None, current: int, analyzer: str) -> Text:
    """The checklist: the interview ended (with its live time and charge), then the analysis steps."""
    text = Text()
    if record is not None and record.duration_s is not None:
        charge = f"charged {billing.SESSION_COST} credits" if record.charged else "not charged"
        text.append("✓ ", style="green")
        text.append(f"Interview ended after {mmss(record.duration_s)} ({charge})\n")
    for index, label in enumerate(STEPS):
        if index < current:
            text.append("✓ ", style="green")
        elif index == current:
            text.append("◌ ", style="yellow")
        else:
            text.append("· ", style="dim")
        if index == 1:
            label = f"{label} with {analyzer}"
        text.append(label + ("…" if index == current else ""), style="" if index <= current else "dim")
        text.append("\n")
    return text


class AnalysisScreen(BaseScreen):
    """Runs the analysis in a worker and opens the report when it is done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry", tooltip="Run the analysis again", id="retry-analysis"),
        Binding("escape", "back", "Back", tooltip="Back to where you came from; analyse later", id="back"),
    ]

    def __init__(self, session_id: str, *, engine: VoiceEngine | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.engine = engine
        self.record: SessionRecord | None = None
        self.step = 0
        self.panel = WorkPanel(working="Analysing your interview", failed="Analysis failed",
                               reassurance="Your interview is saved; nothing is charged twice. Retry now or later.")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.panel
        yield Footer()

    @property
    def failed(self) -> bool:
        return self.panel.status == "failed"

    @property
    def analyzer_name(self) -> str:
        """As the Start screen names it ("offline analyzer", "Gemini (gemini-3.8-flash)"), not its code name."""
        return next((c.name for c in self.iapp.engines.describe() if c.role == "analyzer"),
                    getattr(self.iapp.engines.analyzer, "name", "the analyzer"))

    def on_mount(self) -> None:
        self.run_analysis()

    def run_analysis(self) -> None:
        self.step = 0
        self.panel.status = "working"
        self._paint()
        self.refresh_bindings()
        self.call_service("analysis", "analysing the interview", self._analyse, done=AnalysisDone)

    def _analyse(self) -> SessionRecord:
        service = self.iapp.service
        record = service.get(self.session_id)
        self.post_message(RecordLoaded(record))
        if record.status is Status.COMPLETE:
            return record
        transcript = collect_transcript(self.engine or self._transcript_source(record), record)
        self.post_message(AnalysisStep(1))
        return service.run_analysis(self.session_id, transcript)

    def _transcript_source(self, record: SessionRecord) -> VoiceEngine | None:
        """For a session this window did not run (continued, recovered after a crash, analysed later): the voice
        engine of the kind that ran it, unstarted, to fetch the provider's transcript like any other."""
        if not record.conversation_ids:
            return None
        try:
            engine = self.iapp.engines.make_voice()
        except Exception:
            return None
        return engine if engine.name == record.voice else None

    def _paint(self) -> None:
        self.panel.progress = steps_text(self.record, self.step, self.analyzer_name)

    @on(RecordLoaded)
    def record_loaded(self, message: RecordLoaded) -> None:
        self.record = message.record
        self._paint()

    @on(AnalysisStep)
    def step_done(self, message: AnalysisStep) -> None:
        self.step = message.step
        self._paint()

    @on(AnalysisDone)
    def done(self, message: AnalysisDone) -> None:
        self.go(ReportReady(message.record))

    @on(WorkFailed)
    def analysis_failed(self, message: WorkFailed) -> None:
        self.panel.message = self.iapp.runnable(message.message)
        self.panel.status = "failed"
        self.refresh_bindings()
        self.iapp.report_error(message.message, title="Analysis failed")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.failed
        return True

    def action_retry(self) -> None:
        if self.failed:
            self.run_analysis()

    def action_back(self) -> None:
        self.go(GoBack(later=self.session_id))
