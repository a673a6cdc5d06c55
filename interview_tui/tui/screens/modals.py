"""Modal dialogs: resume-or-discard an unfinished session, confirm ending the interview early, confirm deleting a
session."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from interview_tui.domain import billing
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.report_export import session_title
from interview_tui.tui.text import literal, mmss, when

_STEP = {
    Status.CREATED: "was created but not planned yet",
    Status.SETUP: "was being planned",
    Status.READY: "is planned and ready to begin",
    Status.ANALYZING: "has ended and is waiting to be analysed",
}


def resume_text(record: SessionRecord, now: float) -> Text:
    """What the resume dialog says about `record`."""
    if record.status is Status.FAILED:
        step = "failed during analysis" if record.failed_after_going_live else "failed while planning"
    else:
        step = _STEP.get(record.status, f"is {record.status.value}")
    text = Text.assemble(("Interview: ", "dim"))
    text.append_text(literal(session_title(record), "bold"))
    text.append(f"\nStarted {when(record.created_at)}; it {step}.")
    if record.went_live:
        charged = f"charged {billing.SESSION_COST} credits" if record.charged else "not charged"
        text.append(f"\nLive time {mmss(record.live_seconds(now))}, {charged}.")
    if record.error:
        text.append("\nLast error: ", style="dim")
        text.append_text(literal(record.error))
    return text


class ResumeDialog(ModalScreen[str | None]):
    """Resume the unfinished session, discard it, or decide later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="resume"),
        Binding("d", "choose('discard')", "Discard", id="discard"),
        Binding("a", "choose('analyse')", "End and analyse", id="analyse"),
        Binding("escape", "choose('later')", "Later", id="later"),
    ]

    def __init__(self, record: SessionRecord, now: float, *, elsewhere: bool = False) -> None:
        super().__init__()
        self.record = record
        self.now = now
        self.elsewhere = elsewhere
        """Another live window holds the session: nothing here may touch it."""

    @property
    def paused(self) -> bool:
        """Went live, then the app quit or crashed: it can be continued or ended and analysed."""
        return not self.elsewhere and self.record.status is Status.ACTIVE

    @property
    def can_discard(self) -> bool:
        return not self.elsewhere and self.record.status in (Status.CREATED, Status.SETUP, Status.READY,
                                                             Status.FAILED)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume-dialog"):
            yield Label("You have an unfinished interview", classes="dialog-title")
            yield Static(resume_text(self.record, self.now), id="resume-text")
            if self.elsewhere:
                yield Static(Text("It is open in another window right now. Finish it there; this window "
                                  "leaves it alone.", style="bold"), id="resume-elsewhere")
            elif self.paused:
                yield Static(Text("It was interrupted (the app quit or stopped). Continue it — a new "
                                  "conversation picks up at your next question, with no new charge — or end it "
                                  "and get your report.", style="dim"))
            elif not self.can_discard:
                yield Static(Text("It has already gone live, so it can be analysed but not discarded.",
                                  style="dim"))
            with Horizontal(classes="dialog-buttons"):  # only the choices that work now
                if not self.elsewhere:
                    yield Button("Continue (r)" if self.paused else "Resume (r)", id="resume", variant="primary")
                if self.paused:
                    yield Button("End and analyse (a)", id="analyse", variant="warning")
                elif self.can_discard:
                    yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Later (esc)", id="later")

    def on_mount(self) -> None:
        self.query_one("#later" if self.elsewhere else "#resume", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            return self._can(str(parameters[0]))
        return True

    def _can(self, choice: str) -> bool:
        return not ((choice == "discard" and not self.can_discard) or (choice == "resume" and self.elsewhere)
                    or (choice == "analyse" and not self.paused))

    def action_choose(self, choice: str) -> None:
        if not self._can(choice):
            return
        self.dismiss(None if choice == "later" else choice)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "later")


class ConfirmQuitDialog(ModalScreen[bool]):
    """Quitting during a live interview: it is paused, not ended, and can be continued next time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Quit", id="confirm-quit"),
        Binding("n,escape", "answer(False)", "Keep going", id="keep-going-quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-quit-dialog"):
            yield Label("Quit during the interview?", classes="dialog-title")
            yield Static(Text("The interview is paused: its clock stops and nothing more is charged. Next time "
                              "you can continue it (a new conversation picks up at your next question) or end "
                              "it and get your report."))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Quit (y)", id="yes", variant="error")
                yield Button("Keep going (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ConfirmEndDialog(ModalScreen[bool]):
    """Confirm ending the interview before 15:00."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "End interview", id="confirm-end"),
        Binding("n,escape", "answer(False)", "Keep going", id="keep-going"),
    ]

    def __init__(self, elapsed_s: float, charged: bool) -> None:
        super().__init__()
        self.elapsed_s = elapsed_s
        self.charged = charged

    def compose(self) -> ComposeResult:
        if self.charged:
            cost = f"This session has been charged {billing.SESSION_COST} credits."
        else:
            cost = (f"Ending before {mmss(billing.CHARGE_AFTER_S)} costs nothing, but a very short interview "
                    "may be too short to assess.")
        with Vertical(classes="dialog", id="confirm-end-dialog"):
            yield Label("End the interview now?", classes="dialog-title")
            yield Static(Text(f"You have been live for {mmss(self.elapsed_s)} of "
                              f"{mmss(billing.MAX_SESSION_S)}. {cost}\nYour answers so far will be analysed."))
            with Horizontal(classes="dialog-buttons"):
                yield Button("End interview (y)", id="yes", variant="error")
                yield Button("Keep going (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ConfirmDeleteDialog(ModalScreen[bool]):
    """Confirm deleting a session for good (its transcripts, report and recording; the ledger stays)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Delete", id="confirm-delete"),
        Binding("n,escape", "answer(False)", "Keep it", id="keep-session"),
    ]

    def __init__(self, record: SessionRecord, recording_bytes: int | None = None) -> None:
        super().__init__()
        self.record = record
        self.recording_bytes = recording_bytes

    def compose(self) -> ComposeResult:
        from interview_tui.recordings import human_size

        text = Text.assemble(("Interview: ", "dim"))
        text.append_text(literal(session_title(self.record), "bold"))
        text.append(f"\n{when(self.record.created_at)}, {self.record.status.value}.")
        gone = "its job description, plan, transcripts and report"
        if self.recording_bytes is not None:
            gone += f", and its recording ({human_size(self.recording_bytes)})"
        text.append(f"\n\nThis erases {gone} from this computer. It cannot be undone. The credit ledger keeps "
                    "its rows (a charge stays, marked as a deleted session).")
        with Vertical(classes="dialog", id="confirm-delete-dialog"):
            yield Label("Delete this session for good?", classes="dialog-title")
            yield Static(text, id="delete-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Delete (y)", id="yes", variant="error")
                yield Button("Keep it (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
