"""Setup: progress while the JD is turned into a plan, then the plan itself and "Begin interview"."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Label, Static

from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import InterviewPlan, SessionRecord
from interview_tui.tui.intents import BeginInterview, DiscardSession, GoBack
from interview_tui.tui.messages import SetupDone, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.text import literal, mmss
from interview_tui.tui.widgets.work_panel import WorkPanel


def question_list(plan: InterviewPlan) -> Table:
    """One row per question: the number in its own column, so wrapped lines hang under the question's first
    word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for number, question in enumerate(plan.questions, 1):
        line = literal(question.text)
        line.append("  ")
        line.append_text(literal(f"{question.kind.value} · {question.skill}", "dim italic"))
        grid.add_row(f"{number}.", line)
    return grid


def plan_text(plan: InterviewPlan) -> Text:
    """The plan's summary (role, level, track, skills) and the questions' heading; `question_list` follows."""
    text = Text()
    if plan.role_title:
        text.append("Role      ", style="dim")
        text.append_text(literal(plan.role_title, "bold"))
        text.append("\n")
    text.append("Level     ", style="dim")
    text.append(plan.experience_level.value, style="bold")
    text.append("   Track  ", style="dim")
    text.append(plan.domain_track.value, style="bold")
    if plan.detected_skills:
        text.append("\nSkills    ", style="dim")
        text.append_text(literal(", ".join(plan.detected_skills)))
    text.append(f"\n\nQuestions ({len(plan.questions)})", style="bold")
    return text


SetupState = Literal["working", "failed", "ready"]
"""Planning in progress, planning failed (Retry), or the plan is shown (Begin)."""


class SetupScreen(BaseScreen):
    """Runs `SessionService.run_setup` in a worker and shows the result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "begin", "Begin interview", tooltip="Go live: the timer starts", id="begin"),
        Binding("r", "retry", "Retry", tooltip="Plan the interview again", id="retry-setup"),
        Binding("d", "discard", "Discard", tooltip="Drop this session (nothing is charged)", id="discard-setup"),
        Binding("escape", "back", "Back", tooltip="Back to the start screen; resume later", id="back"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.panel = WorkPanel(working="Preparing your interview", failed="Planning failed")
        self.record: SessionRecord | None = None
        self.began_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.panel
        with Vertical(id="plan-panel", classes="hidden"):
            with VerticalScroll(id="plan-scroll"):  # the plan scrolls; "Begin" stays in view below it
                yield Label("Your interview plan", classes="panel-title")
                yield Static("", id="plan-text")
                yield Static("", id="plan-questions")
            with Horizontal(classes="panel-buttons", id="plan-buttons"):
                yield Button("Begin interview (b)", id="begin-button", variant="success", action="screen.begin")
        yield Footer()

    def on_mount(self) -> None:
        self.run_setup()
        self.set_interval(1.0, self._show_steps)

    @property
    def state(self) -> SetupState:
        status = self.panel.status
        return "ready" if status == "done" else status

    def _show(self, state: SetupState) -> None:
        """The work panel while planning or after a failure, the plan once it is ready."""
        self.panel.status = "done" if state == "ready" else state
        self.query_one("#plan-panel").set_class(state != "ready", "hidden")
        self.refresh_bindings()

    def run_setup(self) -> None:
        self.began_at = self.iapp.clock.now()
        self._show("working")
        self._show_steps()
        self.call_service("setup", "planning the interview", self._setup, done=SetupDone)

    def _setup(self) -> SessionRecord:
        service = self.iapp.service
        record = service.get(self.session_id)
        if record.status is Status.READY and record.plan is not None:
            return record
        return service.run_setup(self.session_id)

    def _show_steps(self) -> None:
        if self.state != "working":
            return
        planner = next((c.name for c in self.iapp.engines.describe() if c.role == "planner"),
                       getattr(self.iapp.engines.planner, "name", "the planner"))
        elapsed = mmss(self.iapp.clock.now() - self.began_at)
        steps = Text.assemble(("✓ ", "green"), "Job description received\n",
                              ("◌ ", "yellow"), f"Planning questions with {planner}… ", (elapsed, "bold"),
                              ("\n  (this can take up to a minute with a cloud model)", "dim"))
        self.panel.progress = steps

    @on(SetupDone)
    def setup_done(self, message: SetupDone) -> None:
        self.record = message.record
        assert message.record.plan is not None
        self.query_one("#plan-text", Static).update(plan_text(message.record.plan))
        self.query_one("#plan-questions", Static).update(question_list(message.record.plan))
        self._show("ready")
        self.query_one("#begin-button", Button).focus()

    @on(WorkFailed)
    def setup_failed(self, message: WorkFailed) -> None:
        hint = "Press r to retry." if message.retryable else "Press r to try again, or esc to go back."
        self.panel.message = f"{self.iapp.runnable(message.message)}\n\n{hint}"
        self._show("failed")
        self.iapp.report_error(message.message, title="Planning failed")

    # ------------------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "begin":
            return self.state == "ready"
        if action == "retry":
            return self.state == "failed"
        if action == "discard":
            return self.state != "working"
        return True

    def action_begin(self) -> None:
        if self.record is not None and self.state == "ready":
            self.go(BeginInterview(self.record))

    def action_retry(self) -> None:
        if self.state == "failed":
            self.run_setup()

    def action_discard(self) -> None:
        if self.state == "working":
            return
        self.go(DiscardSession(self.session_id))

    def action_back(self) -> None:
        self.go(GoBack(later=self.session_id))
